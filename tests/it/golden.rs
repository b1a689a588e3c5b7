//! Golden files: every page, feed, the sitemap and robots.txt of a small site (fixture golden/small,
//! deployed under /news/), compared byte for byte with tests/golden/small/.
//!
//! After an intended change to templates or rendering, look at the diff this test prints, then
//! rewrite the files with `BLESS=1 cargo test --test it golden::` and review `git diff tests/golden`.
//! Static assets (CSS, JS) and the search index are not golden: the asset's `?v=` content hash is
//! replaced by `?v=HASH`, so a style change does not touch every page.

use crate::harness;

use std::collections::BTreeMap;
use std::path::Path;

use harness::{fixture, repo_root, walk_files};

fn is_golden(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".xml") || rel == "robots.txt"
}

/// `?v=<hex>` -> `?v=HASH`.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("?v=") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex > 0 {
            out.push_str("HASH");
            rest = &rest[hex..];
        }
    }
    out.push_str(rest);
    out
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    walk_files(dir)
        .into_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(dir.join(&rel)).unwrap();
            (rel, text)
        })
        .collect()
}

/// The first differing line of two texts, with a little context.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let n = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let from = n.saturating_sub(2);
    let show = |lines: &[&str]| {
        lines.iter().skip(from).take(n - from + 3).map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
    };
    format!("  first difference at line {}:\n  expected:\n{}\n  actual:\n{}", n + 1, show(&e), show(&a))
}

fn check_golden(case: &str) {
    let b = fixture(&format!("golden/{case}")).build();
    let actual: BTreeMap<String, String> =
        b.files().into_iter().filter(|rel| is_golden(rel)).map(|rel| (rel.clone(), normalise(&b.file(&rel)))).collect();
    let dir = repo_root().join("tests/golden").join(case);
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        for (rel, text) in &actual {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        eprintln!("blessed {} files in {}", actual.len(), dir.display());
        return;
    }
    let expected = read_tree(&dir);
    let mut problems = Vec::new();
    for rel in expected.keys().filter(|k| !actual.contains_key(*k)) {
        problems.push(format!("{rel}: no longer built"));
    }
    for (rel, text) in &actual {
        match expected.get(rel) {
            None => problems.push(format!("{rel}: new file, not in the golden set")),
            Some(e) if e != text => problems.push(format!("{rel}: differs\n{}", first_difference(e, text))),
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} golden files of `{case}` differ:\n{}\n\nIf the change is intended: BLESS=1 cargo test --test it golden::",
        problems.len(),
        actual.len().max(expected.len()),
        problems.join("\n")
    );
}

#[test]
fn small_site_pages_and_feeds_match_the_golden_files() {
    check_golden("small");
}

/// A brief pasted with one paragraph a line and ■ items, beside Markdown written the usual way.
#[test]
fn pasted_brief_and_usual_markdown_match_the_golden_files() {
    check_golden("brief");
}

#[test]
fn build_is_byte_identical_run_to_run() {
    let f = fixture("golden/small");
    let first = f.build();
    let one: BTreeMap<String, Vec<u8>> =
        first.files().into_iter().map(|rel| (rel.clone(), std::fs::read(first.out.join(&rel)).unwrap())).collect();
    let second = f.build();
    let two: BTreeMap<String, Vec<u8>> =
        second.files().into_iter().map(|rel| (rel.clone(), std::fs::read(second.out.join(&rel)).unwrap())).collect();
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (rel, bytes) in &one {
        assert!(bytes == &two[rel], "{rel} differs between two builds of the same site");
    }
}

#[test]
fn normalise_replaces_only_asset_hashes() {
    assert_eq!(
        normalise(r#"href="/news/style.css?v=1cb204d806">?v= x?v=zz"#),
        r#"href="/news/style.css?v=HASH">?v= x?v=zz"#
    );
}

/// Issue 13: byline, 입력/수정 times, picture, table of contents, copy link, same-day order, a page
/// without a date and the footer that links it.
#[test]
fn article_metadata_and_pages_match_the_golden_files() {
    check_golden("meta");
}
