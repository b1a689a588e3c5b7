//! Korean behaviour of search, through a real build of tests/fixtures/search/korean and the same
//! ranking `sosik search` uses (tests/js/korean.test.js asserts the same of the browser client),
//! and the `sosik search` command itself.

use crate::search_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use search_support::*;

/// The fixture, built once for all tests of this file.
fn site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-korean-site");
        build_site(&repo().join("tests/fixtures/search/korean"), &out);
        out
    })
}

fn found(q: &str) -> Vec<String> {
    let hits = sosik::search::search(site(), q, 100).unwrap();
    hits.into_iter().map(|f| f.url.trim_end_matches('/').rsplit('/').next().unwrap().to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn particles_do_not_change_what_a_name_finds() {
    let plain = sorted(found("딥시크"));
    assert_eq!(plain, ["deepseek-chips", "deepseek-price", "deepseek-v32"]);
    for q in ["딥시크의", "딥시크를", "딥시크는", "딥시크 ", "딥시크를 "] {
        assert_eq!(sorted(found(q)), plain, "{q}");
    }
}

#[test]
fn a_noun_finds_compounds_that_contain_it() {
    assert!(found("반도체").contains(&"ai-chip-only".to_string()));
    let robots = found("로봇");
    assert!(robots.contains(&"humanoid-robot".to_string()) && robots.contains(&"robot-arm".to_string()), "{robots:?}");
}

#[test]
fn latin_words_match_in_any_case() {
    assert_eq!(found("gpu"), ["nvidia-gpu"]);
    assert_eq!(found("GPU를"), ["nvidia-gpu"]);
}

#[test]
fn two_syllable_nouns_work() {
    assert_eq!(found("폭염"), ["weather"]);
    assert_eq!(found("공급"), ["hbm-supply"]);
}

#[test]
fn a_prefix_finds_a_name_while_typing() {
    assert!(found("딥시").contains(&"deepseek-v32".to_string()));
    assert!(found("휴머노").contains(&"humanoid-robot".to_string()));
    assert!(found("딥시 ").is_empty(), "a finished word is not a prefix");
}

#[test]
fn a_query_of_particles_finds_nothing() {
    for q in ["을", "를", "의", "은 는 이 가", "에서", "에서 "] {
        assert!(found(q).is_empty(), "{q}: {:?}", found(q));
    }
}

#[test]
fn all_words_rank_before_some() {
    assert_eq!(found("HBM 공급"), ["hbm-supply"]);
    assert_eq!(found("딥시크 칩")[0], "deepseek-chips");
}

#[test]
fn cli_prints_json_results_with_base_path_urls() {
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["search", "--output"])
        .arg(site())
        .args(["--json", "--limit", "2", "딥시크를"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for h in hits {
        let o = h.as_object().unwrap();
        assert_eq!(o.keys().map(String::as_str).collect::<Vec<_>>(), ["date", "score", "snippet", "title", "url"]);
        assert!(o["snippet"].as_str().unwrap().contains("<mark>딥시크"), "{h}");
        assert!(o["url"].as_str().unwrap().starts_with("/news/2025/08/"), "{h}");
        assert!(o["score"].as_f64().unwrap() > 0.0);
    }
}

/// The fixture's xss-title article writes `<svg onload=alert(1)>` in its body: `--json` gives it
/// as text, the only tags being the marks.
#[test]
fn cli_json_snippet_escapes_untrusted_text() {
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["search", "--output"])
        .arg(site())
        .args(["--json", "보안점검"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snippet = v[0]["snippet"].as_str().unwrap();
    assert_eq!(
        snippet,
        "…태그처럼 보이는 글자가 들어간 <mark>보안점검</mark> 기사다. &lt;svg onload=alert(1)&gt; 같은 문자열도 \
         본문에 그대로 적혀 있다."
    );
}

#[test]
fn cli_without_an_index_says_to_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["search", "--root"])
        .arg(dir.path())
        .arg("딥시크")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no search index; build the site first (`sosik build`)"), "{err}");
}

#[test]
fn cli_text_output_marks_matches() {
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["search", "--output"])
        .arg(site())
        .arg("HBM 공급")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("1. 2025-08-05  SK하이닉스, HBM 공급 확대  ("), "{text}");
    assert!(text.contains("[HBM] [공급을]"), "{text}");
}
