//! The fuzz harnesses: one function per target of `fuzz/`, each feeding arbitrary bytes to a parser
//! that reads untrusted input. The cargo-fuzz targets and the replay test (`tests/it/fuzz_replay.rs`)
//! both call these, so a crash found by fuzzing replays in an ordinary `cargo test`.
//!
//! Each harness returns nothing and must not panic, whatever the bytes; errors are formatted the way
//! the user would see them, since message positions are computed from the input too.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use crate::config::Config;
use crate::error::Result;
use crate::markdown::{self, MarkdownOptions};
use crate::search::format::Facet;
use crate::search::query::{self, Index, Store};
use crate::search::write::{index_files, Doc, Input, Layout, Terms};

/// A harness: bytes in, a panic out if they find a bug.
pub type Harness = fn(&[u8]);

/// The targets, by the name of their corpus folder (`fuzz/corpus/<name>/`).
pub const TARGETS: &[(&str, Harness)] = &[
    ("content_file", content_file),
    ("site_toml", site_toml),
    ("http_request", http_request),
    ("html_links", html_links),
    ("search_query", search_query),
];

/// A site.toml with a base path, a company and a topic, so that article parsing has names to
/// check against and links to rewrite.
const FUZZ_SITE: &str = r#"
title = "fuzz"
base_url = "https://example.org/news/"
timezone = "+09:00"

[companies.deepseek]
name = "딥시크"
en = "DeepSeek"
aliases = ["딥씨크", "深度求索"]

[topics.robots]
name = "로봇"
terms = ["로봇", "휴머노이드"]
"#;

fn fuzz_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::parse(FUZZ_SITE, Path::new("site.toml")).expect("the fuzz site.toml is valid"))
}

/// A content file: front matter plus Markdown, as `content::parse` reads it; then the same bytes as a
/// bare Markdown body with raw HTML allowed and refused (most mutations break the front matter, and
/// the renderer should still see them).
pub fn content_file(data: &[u8]) {
    let config = fuzz_config();
    match crate::content::parse(Path::new("content/2025/08/08/fuzz.md"), data, config) {
        Ok(article) => {
            let _ = article.day();
            let _ = article.is_hidden(article.date);
        }
        Err(diagnostics) => {
            for d in diagnostics {
                let _ = d.to_string();
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for allow_html in [false, true] {
            let _ = markdown::render(text, MarkdownOptions { allow_html, base_path: "/news/" });
        }
    }
}

/// site.toml, validated into a `Config`.
pub fn site_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Config::parse(text, Path::new("site.toml")) {
        Ok(config) => {
            let _ = config.absolute("2025/08/08/x/");
            let _ = crate::search::write::company_aliases(&config.companies);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// The preview server's request reader: every pipelined request head in the bytes, and what serve
/// does with each (target resolution, Host and Origin checks, keep-alive and encoding).
pub fn http_request(data: &[u8]) {
    use crate::serve::http;
    let mut stream = data;
    let mut buf = Vec::new();
    // Far enough that no run reaches it: the deadline is for slow peers, not for parsing.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3600);
    let bound: std::net::SocketAddr = ([127, 0, 0, 1], 1111).into();
    while let Ok(req) = http::read_request(&mut stream, &mut buf, deadline) {
        let _ = http::parse_target(&req.target);
        let _ = req.keep_alive();
        let _ = req.accepts_gzip();
        if let Some(host) = req.header("host") {
            let _ = http::host_allowed(host, bound);
            let _ = http::stream_allowed(req.header("origin"), req.header("sec-fetch-site"), host);
        }
        let _ = http::content_type(&req.target);
    }
}

/// The link checker's HTML scanner.
pub fn html_links(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = crate::linkcheck::scan_html(text);
}

/// Index files held in memory.
struct MemStore(HashMap<String, Vec<u8>>);

impl Store for MemStore {
    fn read(&self, name: &str) -> Result<Vec<u8>> {
        self.0.get(name).cloned().ok_or_else(|| crate::Error::Other(format!("no index file {name}")))
    }
}

/// A small hand-made index (no Korean analyser): compounds, particles, an alias, and shards small
/// enough that a query touches several files.
fn fuzz_index_files() -> HashMap<String, Vec<u8>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let terms = [
        (s(&["딥시크", "모델"]), s(&["딥시크", "모델", "공개", "gpu"])),
        (s(&["ai반도체", "ai", "반도체", "공급"]), s(&["hbm", "공급", "반도체"])),
        (s(&["휴머노이드로봇", "휴머노이드", "로봇"]), s(&["로봇", "공개", "딥시크-v3"])),
        (s(&["반도체", "공급"]), s(&["반도체", "공급", "공급", "hbm"])),
        (s(&["모델"]), s(&["인공지능", "반도체", "모델"])),
    ];
    let docs = terms
        .iter()
        .enumerate()
        .map(|(i, (t, b))| Doc {
            title: "제목",
            url: format!("d{i}/"),
            date: format!("2025-08-0{}", 9 - i),
            companies: vec![0],
            topics: vec![],
            text: "딥시크가 모델을 공개했다. 반도체 공급",
            title_terms: Terms::Strings(t),
            body_terms: Terms::Strings(b),
            meta_terms: Terms::Strings(&[]),
        })
        .collect();
    let mut eojeols = BTreeMap::new();
    for (w, t) in [
        ("딥시크", &["딥시크"][..]),
        ("딥시크를", &["딥시크"]),
        ("ai반도체", &["ai반도체", "ai", "반도체"]),
        ("반도체", &["반도체"]),
        ("공급", &["공급"]),
        ("로봇", &["로봇"]),
        ("를", &[]),
        ("인공지능반도체", &["인공지능반도체", "인공지능", "반도체"]),
    ] {
        eojeols.insert(w.to_string(), s(t));
    }
    let suffixes = s(&["를", "을", "의", "에서", "서", "는"]);
    let input = Input {
        base_path: "/".into(),
        docs,
        eojeols: &eojeols,
        suffixes: &suffixes,
        companies: vec![Facet("deepseek".into(), "딥시크".into())],
        topics: vec![],
        aliases: vec![("deepseek".into(), "딥시크".into())],
        synonyms: Default::default(),
    };
    let layout = Layout { term_shard_bytes: 40, word_shard_bytes: 40, ..Layout::default() };
    index_files(&input, &layout).expect("the fuzz index builds").into_iter().collect()
}

thread_local! {
    // `Index` caches with Rc/RefCell, so it is per thread; it is built once per process.
    static INDEX: OnceCell<Index<MemStore>> = const { OnceCell::new() };
}

/// A search query: its words, its plan (clauses and their alternatives), its ranking and snippets,
/// over the in-memory index.
pub fn search_query(data: &[u8]) {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let (words, _prefix) = query::query_words(q, 8);
    let _ = query::alternatives(&words);
    INDEX.with(|cell| {
        let index = cell.get_or_init(|| Index::with_store(MemStore(fuzz_index_files())).expect("the fuzz index opens"));
        for w in &words {
            let _ = index.fallback_terms(w);
        }
        if let Ok(ranking) = index.rank(q) {
            let terms: Vec<String> = ranking.plan.terms.iter().map(|(t, _)| t.clone()).collect();
            let _ = crate::search::snippet::snippet(q, &terms, crate::search::SNIPPET_CHARS);
        }
    });
}
