//! Runs the node tests of the search client (`tests/js/*.test.js`) over sites built here: the
//! korean fixture, the sample archive and a generated 2,000-article archive. They hold the
//! JavaScript client to the Rust ranking (`sosik search --json`) and analysis, and drive the search
//! page in chromium. Without node (or, for the browser test, chromium and `npm ci`'s
//! playwright-core) they print a notice and skip; with CI=true they fail instead.

use crate::search_support;

use std::process::Command;

use search_support::*;
use serde_json::json;

#[test]
fn javascript_client() {
    if !has_command("node", "--version") {
        unavailable("node is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut sites = serde_json::Map::new();
    let mut add = |name: &str, root: &std::path::Path| {
        let output = tmp.path().join(name);
        build_site(root, &output);
        let dump = tmp.path().join(format!("{name}.dump.json"));
        dump_analysis(root, &output, &dump);
        sites.insert(name.to_string(), json!({ "output": output, "dump": dump }));
    };
    add("korean", &repo().join("tests/fixtures/search/korean"));
    add("sample", &repo());
    if let Some(root) = generated_archive(2000) {
        add("generated-2000", &root);
    }
    let out = Command::new("node")
        .arg("--test")
        .arg("tests/js/")
        .current_dir(repo())
        .env("SOSIK_BIN", env!("CARGO_BIN_EXE_sosik"))
        .env("SOSIK_SITES", serde_json::to_string(&sites).unwrap())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The summary lines of node's runner, so `cargo test` shows what ran.
    for line in stdout.lines().filter(|l| l.starts_with("# ")) {
        eprintln!("node {line}");
    }
    assert!(out.status.success(), "node --test tests/js/ failed:\n{stdout}\n{stderr}");
    let skipped = stdout.lines().find_map(|l| l.strip_prefix("# skipped ")).unwrap_or("0");
    if skipped != "0" {
        eprintln!("NOTICE: {skipped} node test(s) skipped (see the lines above)");
    }
}
