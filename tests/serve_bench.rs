//! Timing of `sosik serve`'s incremental rebuilds on a large archive, in-process (no HTTP, no
//! watcher): the steps of a fast rebuild after one article is saved, and of the settling rebuild.
//! Ignored by default; run on a corpus from ../shared/bench/gen_corpus.py:
//!
//! ```sh
//! SOSIK_BENCH_SITE=/tmp/c10k-serve cargo test --release --test serve_bench -- --ignored --nocapture
//! ```
//!
//! `SOSIK_BENCH_SAVES=N` sets the number of saves (7), `SOSIK_BENCH_NO_SETTLE=1` skips settling.

use std::path::PathBuf;
use std::time::Instant;

use sosik::build::BuildOptions;
use sosik::incremental::{Changes, Rebuilder};
use sosik::Progress;

/// Resident and peak memory of this process, in MB.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<u64>().ok()).map_or(0, |kb| kb / 1024);
    format!("rss {} MB, peak {} MB", field("VmRSS:"), field("VmHWM:"))
}

#[test]
#[ignore]
fn incremental_rebuild_of_one_article() {
    let Some(root) = std::env::var_os("SOSIK_BENCH_SITE").map(PathBuf::from) else {
        eprintln!("set SOSIK_BENCH_SITE to a site folder");
        return;
    };
    let opts = BuildOptions { root: root.clone(), base_url: Some("http://127.0.0.1:1111/".into()), ..Default::default() };
    let mut r = Rebuilder::new(opts);
    let started = Instant::now();
    let first = r.update(Changes::default(), &Progress::default(), &|_, b| b).unwrap();
    eprintln!("first build: {:.0} ms, {} pages; {:?}", started.elapsed().as_secs_f64() * 1e3, first.pages_total, first.timings);
    let stored: usize = first.writes.iter().map(|(_, b)| b.len()).sum();
    eprintln!("  {} files, {} MB uncompressed; {}", first.writes.len(), stored / 1_000_000, memory());
    drop(first);
    eprintln!("  after dropping the output: {}", memory());

    let rel = {
        let mut days: Vec<_> = std::fs::read_dir(root.join("content/2026/06/15")).unwrap().map(|e| e.unwrap().path()).collect();
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
        let d = r.update(Changes { content: [rel.clone()].into(), ..Default::default() }, &Progress::default(), &|_, b| b).unwrap();
        fast.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!("save {k}: {:.0} ms, {} pages rendered, {} files; {:?}", fast[k], d.pages_rendered, d.writes.len(), d.timings);
        if !settling {
            continue;
        }
        let t = Instant::now();
        let d = r.settle(&Progress::default(), &|_, b| b).unwrap();
        settle.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!("  settle: {:.0} ms, {} pages rendered, {} files; {:?}", settle[k], d.pages_rendered, d.writes.len(), d.timings);
    }
    std::fs::write(&path, original).unwrap();
    fast.sort_by(f64::total_cmp);
    settle.sort_by(f64::total_cmp);
    eprintln!("{}", memory());
    eprintln!("median: fast rebuild {:.0} ms, settle {:.0} ms", fast[fast.len() / 2], settle.get(settle.len() / 2).unwrap_or(&0.0));
}
