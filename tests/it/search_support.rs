//! Shared by the search tests: building fixture sites and archives, finding tools, and dumping the
//! Rust side of the analysis for the node consistency test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use serde_json::json;
use sosik::build::{self, BuildOptions};
use sosik::search::Index;
use sosik::Progress;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A "now" after every fixture date, so no article is left out as future-dated.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2100-01-01T00:00:00+09:00").unwrap()
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Reports a missing tool: a skip notice locally, a failure under CI=true.
pub fn unavailable(what: &str) {
    if in_ci() {
        panic!("{what} (CI=true: the search tests need it)");
    }
    eprintln!("NOTICE: skipping: {what}");
}

/// Runs a browser check of tests/js/ with node (`script` relative to the repository; such scripts
/// exit with 3 when chromium is missing): whether it succeeded, its stdout (also echoed to the
/// test's log) and stderr; `None` when the browser is missing, reported by [`unavailable`].
pub fn node_check(script: &str, args: &[&std::ffi::OsStr]) -> Option<(bool, String, String)> {
    let out = Command::new("node").arg(repo().join(script)).args(args).current_dir(repo()).output().expect("run node");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.code() == Some(3) {
        unavailable(stderr.trim());
        return None;
    }
    eprintln!("{stdout}");
    Some((out.status.success(), stdout.into_owned(), stderr.into_owned()))
}

pub fn has_command(cmd: &str, arg: &str) -> bool {
    Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// Builds the site at `root` into `output`.
pub fn build_site(root: &Path, output: &Path) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        now: Some(now()),
        ..Default::default()
    };
    build::build(&opts, &Progress::default()).unwrap_or_else(|e| panic!("building {}: {e}", root.display()));
}

/// The generated archive of `n` articles (the repository's tests/bench/gen_archive.py, with its
/// site.toml and static/), made once per target folder; None when python3 is missing.
pub fn generated_archive(n: usize) -> Option<PathBuf> {
    let script = repo().join("tests/bench/gen_archive.py");
    if !has_command("python3", "--version") {
        unavailable("python3 is not installed");
        return None;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("search-archive-{n}"));
    // The generator writes the footer's pages last: with them the archive is complete.
    if !dir.join("content/pages/privacy.md").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        let out =
            Command::new("python3").arg(&script).arg(n.to_string()).arg(&dir).output().expect("run gen_archive.py");
        assert!(out.status.success(), "gen_archive.py: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::copy(repo().join("site.toml"), dir.join("site.toml")).expect("copy site.toml");
    // Its share_image is a file of static/.
    crate::harness::copy_tree(&repo().join("static"), &dir.join("static"));
    Some(dir)
}

/// Writes what the node consistency test compares against: every article text (title, body, tags
/// and companies)
/// with Rust's word split, and for every word of the eojeol map its fallback analysis and the plans
/// of the word and of its first half as queries.
pub fn dump_analysis(root: &Path, output: &Path, path: &Path) {
    let opts = BuildOptions { root: root.to_path_buf(), now: Some(now()), ..Default::default() };
    let config = build::load_config(&opts).unwrap();
    let articles = sosik::content::load(root, &config).unwrap().articles;
    let mut texts = Vec::new();
    let lookup = config.company_lookup();
    // Pages (content/pages/) are not analysed unless they opt in to search, as in a build.
    for a in articles.iter().filter(|a| !a.is_hidden(now()) && (!a.page || a.search)) {
        let meta = sosik::enrich::meta_text(&config, &lookup, a);
        for text in [&a.title, &a.body.text, &meta] {
            texts.push(json!([text, sosik::text::words(text).collect::<Vec<_>>()]));
        }
    }
    let index = Index::open(output.join("search")).unwrap();
    let mut words = serde_json::Map::new();
    let words_shards = &index.manifest.words;
    for n in 0..words_shards.ranges.len() {
        let name = sosik::search::format::numbered("words", &words_shards.hash, n);
        let entries: Vec<(String, Vec<String>)> =
            serde_json::from_slice(&std::fs::read(output.join("search").join(name)).unwrap()).unwrap();
        for (key, _) in entries {
            let chars: Vec<char> = key.chars().collect();
            let half: String = chars[..chars.len().div_ceil(2)].iter().collect();
            let entry = json!({
                "fallback": index.fallback_terms(&key).unwrap(),
                "plan": index.plan(&key).unwrap(),
                "half": index.plan(&half).unwrap(),
            });
            words.insert(key, entry);
        }
    }
    let dump = json!({ "texts": texts, "words": words });
    std::fs::write(path, serde_json::to_vec(&dump).unwrap()).unwrap();
}
