//! The on-disk search index format, byte for byte (like tantivy's index_meta test): a tiny index
//! built from hand-made input must equal `tests/fixtures/search/format-v2.txt`. A change here is a
//! change for every deployed search.js: bump `format::VERSION` with it. `BLESS=1` rewrites the file.

use std::collections::BTreeMap;
use std::path::Path;

use sosik::search::format::{Facet, Scoring};
use sosik::search::store::TextLayout;
use sosik::search::write::{index_files, Doc, Input, Layout, Terms};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn index_format_v2_is_stable() {
    let t = |v: &[&str]| strings(v);
    let terms = [
        (t(&["딥시크", "모델"]), t(&["딥시크", "모델", "공개", "gpu", "딥시크"])),
        (t(&["ai반도체", "ai", "반도체"]), t(&["hbm", "공급", "반도체", "반도체"])),
        (t(&["휴머노이드로봇", "휴머노이드", "로봇"]), t(&["로봇", "공개"])),
    ];
    let meta = t(&["월간정리", "딥시크"]);
    let docs = vec![
        Doc {
            title: "딥시크, 새 모델",
            url: "2025/08/02/deepseek/".into(),
            date: "2025-08-02".into(),
            companies: vec![0],
            topics: vec![1],
            text: "딥시크가 새 모델을 공개했다. GPU 없이도 돈다는 딥시크의 주장.",
            title_terms: Terms::Strings(&terms[0].0),
            body_terms: Terms::Strings(&terms[0].1),
            meta_terms: Terms::Strings(&meta),
        },
        Doc {
            title: "AI반도체 <b>공급</b>",
            url: "2025/08/01/chips/".into(),
            date: "2025-08-01".into(),
            companies: vec![],
            topics: vec![0],
            text: "HBM 공급이 늘며 반도체 가격이 올랐다.",
            title_terms: Terms::Strings(&terms[1].0),
            body_terms: Terms::Strings(&terms[1].1),
            meta_terms: Terms::Strings(&[]),
        },
        Doc {
            title: "휴머노이드로봇",
            url: "2025/07/31/robot/".into(),
            date: "2025-07-31".into(),
            companies: vec![1],
            topics: vec![],
            text: "로봇을 공개했다.",
            title_terms: Terms::Strings(&terms[2].0),
            body_terms: Terms::Strings(&terms[2].1),
            meta_terms: Terms::Strings(&[]),
        },
    ];
    let mut eojeols = BTreeMap::new();
    for (w, ts) in [
        ("딥시크가", vec!["딥시크"]),
        ("딥시크의", vec!["딥시크"]),
        ("공개했다", vec!["공개"]),
        ("gpu", vec!["gpu"]),
        ("ai반도체", vec!["ai반도체", "ai", "반도체"]),
        ("휴머노이드로봇", vec!["휴머노이드로봇", "휴머노이드", "로봇"]),
        ("로봇을", vec!["로봇"]),
        ("새", vec![]),
    ] {
        eojeols.insert(w.to_string(), strings(&ts));
    }
    let suffixes = strings(&["를", "의", "가", "을"]);
    let input = Input {
        base_path: "/news/".into(),
        docs,
        eojeols: &eojeols,
        suffixes: &suffixes,
        companies: vec![Facet("deepseek".into(), "딥시크".into()), Facet("unitree".into(), "유니트리".into())],
        topics: vec![Facet("chips".into(), "AI 칩".into()), Facet("open-source-models".into(), "오픈소스 모델".into())],
        aliases: vec![("deepseek".into(), "딥시크".into())],
        synonyms: [("gpu".to_string(), t(&["그래픽처리장치"]))].into_iter().collect(),
    };
    let layout = Layout {
        term_shard_bytes: 60,
        word_shard_bytes: 50,
        docs_per_group: 2,
        text: TextLayout { chars: 20, ..TextLayout::default() },
        scoring: Scoring::default(),
    };
    let files = index_files(&input, &layout).unwrap();
    let mut got = String::new();
    for (name, bytes) in &files {
        got.push_str(&format!("== {name}\n{}\n", String::from_utf8(bytes.clone()).unwrap()));
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/format-v2.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (run with BLESS=1 to create it)");
    assert_eq!(got, want, "index format changed; if on purpose, bump format::VERSION and rerun with BLESS=1");
}

#[test]
fn index_is_byte_identical_run_to_run() {
    let title = strings(&["a"]);
    let body = strings(&["b", "c", "b"]);
    let eojeols: BTreeMap<String, Vec<String>> = [("b".to_string(), strings(&["b"]))].into_iter().collect();
    let docs: Vec<Doc> = (0..50)
        .map(|i| Doc {
            title: "t",
            url: format!("{i}/"),
            date: "2025-01-01".into(),
            companies: vec![],
            topics: vec![],
            text: "b c",
            title_terms: Terms::Strings(&title),
            body_terms: Terms::Strings(&body),
            meta_terms: Terms::Strings(&[]),
        })
        .collect();
    let input = Input {
        base_path: "/".into(),
        docs,
        eojeols: &eojeols,
        suffixes: &[],
        companies: vec![],
        topics: vec![],
        aliases: vec![],
        synonyms: Default::default(),
    };
    let a = index_files(&input, &Layout::default()).unwrap();
    let b = index_files(&input, &Layout::default()).unwrap();
    assert_eq!(a, b);
}
