//! Timing of `sosik serve`'s incremental rebuilds on a large archive, in-process (no HTTP, no
//! watcher): the steps of a fast rebuild after one article is saved, and of the settling rebuild.
//! Ignored by default; run on an archive from the repository's generator:
//!
//! ```sh
//! python3 tests/bench/gen_archive.py 10000 /tmp/c10k-serve && cp -r site.toml static /tmp/c10k-serve/
//! SOSIK_BENCH_SITE=/tmp/c10k-serve cargo test --release --test it serve_bench:: -- --ignored --nocapture
//! ```
//!
//! `SOSIK_BENCH_SAVES=N` sets the number of saves (7), `SOSIK_BENCH_NO_SETTLE=1` skips settling.
//! `save_to_reload_event` measures the same end to end, on a server with its watcher, over HTTP.

use std::path::PathBuf;
use std::time::Instant;

use sosik::build::BuildOptions;
use sosik::incremental::{Changes, Rebuilder};
use sosik::Progress;

/// Resident and peak memory of this process, in MB.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|k| k.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!("rss {} MB, peak {} MB", field("VmRSS:"), field("VmHWM:"))
}

#[test]
#[ignore]
fn incremental_rebuild_of_one_article() {
    let Some(root) = std::env::var_os("SOSIK_BENCH_SITE").map(PathBuf::from) else {
        eprintln!("set SOSIK_BENCH_SITE to a site folder");
        return;
    };
    let opts =
        BuildOptions { root: root.clone(), base_url: Some("http://127.0.0.1:1111/".into()), ..Default::default() };
    let mut r = Rebuilder::new(opts);
    let started = Instant::now();
    let first = r.update(Changes::default(), &Progress::default(), &|_, b| b).unwrap();
    eprintln!(
        "first build: {:.0} ms, {} pages; {:?}",
        started.elapsed().as_secs_f64() * 1e3,
        first.pages_total,
        first.timings
    );
    let stored: usize = first.writes.iter().map(|(_, b)| b.len()).sum();
    eprintln!("  {} files, {} MB uncompressed; {}", first.writes.len(), stored / 1_000_000, memory());
    drop(first);
    eprintln!("  after dropping the output: {}", memory());

    let rel = {
        let mut days: Vec<_> =
            std::fs::read_dir(root.join("content/2026/06/15")).unwrap().map(|e| e.unwrap().path()).collect();
        days.sort();
        days[0].strip_prefix(&root).unwrap().to_path_buf()
    };
    let path = root.join(&rel);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut fast = Vec::new();
    let mut settle = Vec::new();
    let saves: usize = std::env::var("SOSIK_BENCH_SAVES").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let settling = std::env::var_os("SOSIK_BENCH_NO_SETTLE").is_none();
    for k in 0..saves {
        std::fs::write(&path, original.replacen("title = \"", &format!("title = \"(편집 {k}) "), 1)).unwrap();
        let t = Instant::now();
        let d = r
            .update(Changes { content: [rel.clone()].into(), ..Default::default() }, &Progress::default(), &|_, b| b)
            .unwrap();
        fast.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!(
            "save {k}: {:.0} ms, {} pages rendered, {} files; {:?}",
            fast[k],
            d.pages_rendered,
            d.writes.len(),
            d.timings
        );
        if !settling {
            continue;
        }
        let t = Instant::now();
        let d = r.settle(&Progress::default(), &|_, b| b).unwrap();
        settle.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!(
            "  settle: {:.0} ms, {} pages rendered, {} files; {:?}",
            settle[k],
            d.pages_rendered,
            d.writes.len(),
            d.timings
        );
    }
    std::fs::write(&path, original).unwrap();
    fast.sort_by(f64::total_cmp);
    settle.sort_by(f64::total_cmp);
    eprintln!("{}", memory());
    eprintln!(
        "median: fast rebuild {:.0} ms, settle {:.0} ms",
        fast[fast.len() / 2],
        settle.get(settle.len() / 2).unwrap_or(&0.0)
    );
}

use crate::serve_support;

/// End to end on a running server: from writing a file to the reload event on the live-reload
/// stream (debounce, rebuild, store and broadcast included), for a body edit, a title edit and a
/// template edit; the median of several saves, each after the server settled. Prints the server
/// process's peak memory (VmHWM) at the end.
#[test]
#[ignore]
fn save_to_reload_event() {
    let Some(root) = std::env::var_os("SOSIK_BENCH_SITE").map(PathBuf::from) else {
        eprintln!("set SOSIK_BENCH_SITE to a site folder");
        return;
    };
    let saves: usize = std::env::var("SOSIK_BENCH_SAVES").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let started = Instant::now();
    let (server, reports) = serve_support::start_at(&root, true, None);
    eprintln!("first build and start: {:.1} s; {}", started.elapsed().as_secs_f64(), memory());
    let mut events = serve_support::Events::connect(server.addr);
    events.wait_for("hello");
    let article = {
        let mut day: Vec<_> =
            std::fs::read_dir(root.join("content/2026/06/15")).unwrap().map(|e| e.unwrap().path()).collect();
        day.sort();
        day.remove(0)
    };
    let original = std::fs::read_to_string(&article).unwrap();
    let template = root.join("templates/article.html");
    let article_html = sosik::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "article.html").unwrap().1;
    // Each save is measured on a settled server: wait for the settling rebuild that follows it.
    let settle = |reports: &std::sync::mpsc::Receiver<sosik::serve::Event>| {
        serve_support::next_settle(reports);
    };
    type Edit<'a> = (&'a str, Box<dyn Fn(usize) + 'a>);
    let edits: Vec<Edit> = vec![
        (
            "body edit",
            Box::new(|k| {
                serve_support::save(
                    &article,
                    &format!("{}\n\n편집 메모 {k}: 문장을 하나 더 썼다.\n", original.trim_end()),
                )
            }),
        ),
        (
            "title edit",
            Box::new(|k| {
                serve_support::save(&article, &original.replacen("\"\ndate", &format!(" (편집 {k})\"\ndate"), 1))
            }),
        ),
        (
            "template edit (article.html)",
            Box::new(|k| {
                std::fs::create_dir_all(template.parent().unwrap()).unwrap();
                serve_support::save(&template, &format!("{article_html}\n{{# edit {k} #}}\n"));
            }),
        ),
    ];
    for (name, edit) in &edits {
        let mut times = Vec::new();
        for k in 0..saves {
            let t = Instant::now();
            edit(k);
            events.wait_for_reload();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            settle(&reports);
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        eprintln!(
            "{name}: median {:.0} ms (min {:.0}, max {:.0}) over {saves} saves: {:?}",
            sorted[saves / 2],
            sorted[0],
            sorted[saves - 1],
            times.iter().map(|t| t.round()).collect::<Vec<_>>()
        );
    }
    std::fs::write(&article, &original).unwrap();
    let _ = std::fs::remove_file(&template);
    let _ = std::fs::remove_dir(template.parent().unwrap());
    eprintln!("{}", memory());
    server.stop();
}
