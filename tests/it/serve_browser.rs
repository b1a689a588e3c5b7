//! Live reload in a real browser: `tests/fixtures/serve/browser/live_reload.js` drives Debian's
//! chromium (through playwright-core, as the search client's browser tests do) against a server
//! started here. Without node, chromium or `npm ci`'s playwright-core it prints a notice and skips;
//! with CI=true it fails instead.

use crate::harness;
use crate::serve_support;

use std::process::Command;

fn unavailable(why: &str) -> bool {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("serve browser test cannot run: {why}");
    }
    eprintln!("NOTICE: serve browser test skipped: {why}");
    true
}

#[test]
fn a_page_reloads_after_a_save_and_shows_a_broken_save_as_text() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if Command::new("node").arg("--version").output().is_err() && unavailable("node is not installed") {
        return;
    }
    if !repo.join("node_modules/playwright-core").is_dir() && unavailable("playwright-core is not installed (npm ci)") {
        return;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::Path::new(&chromium).exists() && unavailable("no chromium at /usr/bin/chromium") {
        return;
    }
    let f = harness::fixture("serve/site");
    let (server, _events) = serve_support::start(&f.root, true);
    let out = Command::new("node")
        .arg(repo.join("tests/fixtures/serve/browser/live_reload.js"))
        .arg(&server.url)
        .arg(&f.root)
        .current_dir(repo)
        .output()
        .expect("run node");
    server.stop();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser check failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok: live reload, overlay, fix"), "{stdout}");
}
