//! The query side of search over a hand-made index (no Korean analyser involved): word analysis
//! fallbacks, clauses, AND/OR, prefix expansion and ranking order.

use std::collections::BTreeMap;

use sosik::search::format::Facet;
use sosik::search::query::alternatives;
use sosik::search::write::{index_files, Doc, Input, Layout, Terms};
use sosik::search::Index;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// (title terms, body terms) per document, newest first.
fn corpus() -> Vec<(Vec<String>, Vec<String>)> {
    vec![
        (s(&["딥시크", "모델"]), s(&["딥시크", "모델", "공개", "gpu"])),
        (s(&["ai반도체", "ai", "반도체", "공급"]), s(&["hbm", "공급", "반도체"])),
        (s(&["휴머노이드로봇", "휴머노이드", "로봇"]), s(&["로봇", "공개", "딥시크-v3"])),
        (s(&["반도체", "공급"]), s(&["반도체", "공급", "공급", "hbm"])),
        (s(&["모델"]), s(&["인공지능", "반도체", "모델"])),
    ]
}

fn open(dir: &std::path::Path) -> Index {
    let terms = corpus();
    let docs = terms
        .iter()
        .enumerate()
        .map(|(i, (t, b))| Doc {
            title: "제목",
            url: format!("d{i}/"),
            date: format!("2025-08-0{}", 9 - i),
            companies: vec![],
            topics: vec![],
            text: "본문",
            title_terms: Terms::Strings(t),
            body_terms: Terms::Strings(b),
            meta_terms: Terms::Strings(&[]),
        })
        .collect();
    let mut eojeols = BTreeMap::new();
    for (w, t) in [
        ("딥시크", vec!["딥시크"]),
        ("딥시크를", vec!["딥시크"]),
        ("ai반도체", vec!["ai반도체", "ai", "반도체"]),
        ("반도체", vec!["반도체"]),
        ("공급", vec!["공급"]),
        ("로봇", vec!["로봇"]),
        ("를", vec![]),
        ("인공지능반도체", vec!["인공지능반도체", "인공지능", "반도체"]),
    ] {
        eojeols.insert(w.to_string(), s(&t));
    }
    let suffixes = s(&["를", "을", "의", "에서", "서", "는"]);
    let input = Input {
        base_path: "/".into(),
        docs,
        eojeols: &eojeols,
        suffixes: &suffixes,
        companies: vec![Facet("x".into(), "엑스".into())],
        topics: vec![],
        aliases: vec![("deepseek".into(), "딥시크".into())],
        synonyms: Default::default(),
    };
    let layout = Layout { term_shard_bytes: 40, word_shard_bytes: 40, ..Layout::default() };
    for (name, bytes) in index_files(&input, &layout).unwrap() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    Index::open(dir).unwrap()
}

fn docs(index: &Index, q: &str) -> Vec<u32> {
    index.rank(q).unwrap().hits.iter().map(|h| h.doc).collect()
}

#[test]
fn compound_alternatives_are_the_whole_or_all_parts() {
    assert_eq!(alternatives(&s(&["ai반도체", "ai", "반도체"])), vec![s(&["ai반도체"]), s(&["ai", "반도체"])]);
    assert_eq!(alternatives(&s(&["딥시크", "딥시크"])), vec![s(&["딥시크"])]);
    assert!(alternatives(&[]).is_empty());
}

#[test]
fn unknown_words_strip_particles_then_match_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    // Known stem in the eojeol map after stripping 에서.
    assert_eq!(index.fallback_terms("딥시크에서").unwrap(), s(&["딥시크"]));
    // A vocabulary term after stripping 의.
    assert_eq!(index.fallback_terms("hbm의").unwrap(), s(&["hbm"]));
    // Greedy longest match on the stripped word.
    assert_eq!(index.fallback_terms("반도체공급을").unwrap(), s(&["반도체", "공급"]));
    // Only a particle: nothing.
    assert!(index.fallback_terms("에서").unwrap().is_empty());
    assert!(index.rank("를 에서").unwrap().hits.is_empty());
}

#[test]
fn particles_do_not_change_results() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let base = docs(&index, "딥시크 ");
    assert_eq!(base, vec![0]);
    assert_eq!(docs(&index, "딥시크를 "), base);
    assert_eq!(docs(&index, "딥시크에서 "), base);
}

#[test]
fn and_across_words_then_or() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let r = index.rank("반도체 공급 ").unwrap();
    assert!(r.all_words);
    assert_eq!(r.hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![3, 1]);
    let r = index.rank("로봇 hbm ").unwrap();
    assert!(!r.all_words);
    assert_eq!(r.hits.len(), 3);
}

/// A word no article has is not dropped silently: the ranking is of the other words, not "all
/// words", and the plan names it; grammar words (의, 에서) are no such word.
#[test]
fn a_word_no_article_has_is_named_and_not_all_words() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let r = index.rank("딥시크 xyzzy ").unwrap();
    assert_eq!(r.plan.missing, ["xyzzy"]);
    assert!(!r.all_words);
    assert_eq!(r.hits.iter().map(|h| h.doc).collect::<Vec<_>>(), docs(&index, "딥시크 "));
    let r = index.rank("딥시크를 의 에서 ").unwrap();
    assert!(r.plan.missing.is_empty() && r.all_words, "{:?}", r.plan);
    assert!(index.rank("xyzzy").unwrap().hits.is_empty());
}

#[test]
fn an_english_company_name_searches_the_korean_one() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    assert_eq!(docs(&index, "deepseek "), docs(&index, "딥시크 "));
    assert_eq!(docs(&index, "DeepSeek"), docs(&index, "딥시크 "));
    assert!(index.rank("deepseek ").unwrap().all_words);
}

#[test]
fn compound_query_matches_the_whole_or_all_parts() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    // Doc 4 writes 인공지능 and 반도체 apart: it satisfies the parts of 인공지능반도체.
    assert_eq!(docs(&index, "인공지능반도체 "), vec![4]);
}

#[test]
fn last_word_is_a_prefix_while_typing() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let plan = index.plan("휴머노").unwrap();
    assert_eq!(plan.clauses[0].expansions, s(&["휴머노이드", "휴머노이드로봇"]));
    assert_eq!(docs(&index, "휴머노"), vec![2]);
    // A trailing space ends the word: no expansion.
    assert!(index.rank("휴머노 ").unwrap().hits.is_empty());
    // Expansions rank below exact terms: 딥시 finds 딥시크 (doc 0) and 딥시크-v3 (doc 2).
    assert_eq!(docs(&index, "딥시"), vec![0, 2]);
}
