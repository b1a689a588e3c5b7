//! The judged development set (issue 10, "How to know it works"): the shipped configuration (the
//! repository's root `site.toml`) over `tests/fixtures/judged/content`, scored against judgments made
//! by reading the articles: graded relevance for search (`queries.toml`) and an editor's topics
//! (`topics.toml`). Run `cargo test --test it judged:: -- --nocapture` to see the figures.
//!
//! Search: nDCG@10 with linear gains (2 = about it, 1 = mentions it), recall@10 over
//! `min(10, judged relevant)` so a query with many relevant articles can still reach 1, and
//! precision@10 over the results returned (at most 10; no result at all counts 0).
//! Topics: per topic, precision and recall of the build's topic pages over the labelled articles only.

use crate::search_support::{build_site, repo};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

// Floors: a little below what the code reached when the set was made (the "before" figures of the
// report on issue 10). Raise them when the system improves; never lower one to make a change pass.
/// Mean nDCG@10 over all queries (before: 0.851).
const FLOOR_NDCG: f64 = 0.91; // after: 0.929
/// Mean recall@10 over all queries (before: 0.831).
const FLOOR_RECALL: f64 = 0.89; // after: 0.910
/// Mean precision@10 over all queries (before: 0.922).
const FLOOR_PRECISION: f64 = 0.93; // after: 0.953
/// Mean nDCG@10 of each kind of query.
const FLOOR_NDCG_BY_KIND: &[(&str, f64)] = &[
    ("acronym", 0.91),          // before: 0.798, after: 0.932
    ("company-particle", 0.94), // before: 0.963
    ("compound-solid", 0.89),   // before: 0.885, after: 0.912
    ("compound-spaced", 0.89),  // before: 0.895, after: 0.912
    ("english", 0.90),          // before: 0.925
    ("expansion", 0.88),        // before: 0.754, after: 0.907
    ("model", 0.91),            // before: 0.931
    ("multiword", 0.80),        // before: 0.741, after: 0.825
    ("particle-unseen", 0.92),  // before: 0.872, after: 0.943
    ("tag", 0.94),              // before: 0.452, after: 0.960
];
/// Precision and recall of each topic over the labelled articles: (topic, precision, recall).
/// One article less than per-story scores reach (issue 10, point 3).
const FLOOR_TOPICS: &[(&str, f64, f64)] = &[
    ("chips", 0.93, 0.96),              // before: 0.952, 0.714; per story: 0.966, 1.000
    ("open-source-models", 0.94, 0.88), // before: 1.000, 0.500; per story: 1.000, 0.944
    ("robots", 0.94, 0.94),             // before: 1.000, 0.722; per story: 1.000, 1.000
];

/// Size the set must keep (the brief of issue 10).
const MIN_ARTICLES: usize = 150;
const MIN_QUERIES: usize = 80;
const MIN_LABELS: usize = 40;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Queries {
    query: Vec<Query>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    text: String,
    kind: String,
    relevant: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    articles: BTreeMap<String, Vec<String>>,
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/judged")
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn queries() -> Vec<Query> {
    read_toml::<Queries>(&fixture().join("queries.toml")).query
}

fn labels() -> BTreeMap<String, Vec<String>> {
    read_toml::<Labels>(&fixture().join("topics.toml")).articles
}

/// Article files of the set by file stem (the slug: no article sets `slug`).
fn articles() -> BTreeMap<String, String> {
    let dir = fixture().join("content");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            out.insert(stem, std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// Topic keys of the shipped configuration.
fn topic_keys() -> Vec<String> {
    let config: toml::Table = read_toml(&repo().join("site.toml"));
    config.get("topics").and_then(|t| t.as_table()).map(|t| t.keys().cloned().collect()).unwrap_or_default()
}

/// The root site.toml (with static/) and the judged content, built once for all tests of this module.
fn site() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("judged");
        let (root, out) = (base.join("site"), base.join("public"));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
        // Its share_image is a file of static/.
        crate::harness::copy_tree(&repo().join("static"), &root.join("static"));
        crate::harness::copy_tree(&fixture().join("content"), &root.join("content"));
        build_site(&root, &out);
        out
    })
}

/// The last path segment of an article URL: `/2025/07/28/slug/` -> `slug`.
fn slug_of(url: &str) -> String {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string()
}

/// The slugs of the first ten results, as `sosik search` ranks them.
fn top10(q: &str) -> Vec<String> {
    let found = sosik::search::search(site(), q, 10).unwrap_or_else(|e| panic!("search {q:?}: {e}"));
    found.iter().map(|f| slug_of(&f.url)).collect()
}

struct Score {
    ndcg: f64,
    recall: f64,
    precision: f64,
}

fn score(results: &[String], judged: &BTreeMap<String, u32>) -> Score {
    let gain = |slug: &String| f64::from(judged.get(slug).copied().unwrap_or(0));
    // fold, not sum: an empty f64 sum is -0.0.
    let dcg = results.iter().take(10).enumerate().fold(0.0, |d, (i, s)| d + gain(s) / (i as f64 + 2.0).log2());
    let mut ideal: Vec<f64> = judged.values().map(|&g| f64::from(g)).filter(|&g| g > 0.0).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg = ideal.iter().take(10).enumerate().fold(0.0, |d, (i, g)| d + g / (i as f64 + 2.0).log2());
    let hits = results.iter().take(10).filter(|s| gain(s) > 0.0).count() as f64;
    let relevant = ideal.len().min(10) as f64;
    let shown = results.len().min(10) as f64;
    Score {
        ndcg: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        recall: if relevant > 0.0 { hits / relevant } else { 0.0 },
        precision: if shown > 0.0 { hits / shown } else { 0.0 },
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

#[test]
fn the_judged_set_is_complete_and_consistent() {
    let articles = articles();
    assert!(articles.len() >= MIN_ARTICLES, "{} articles, want {MIN_ARTICLES}", articles.len());
    let queries = queries();
    assert!(queries.len() >= MIN_QUERIES, "{} queries, want {MIN_QUERIES}", queries.len());
    let mut seen = BTreeSet::new();
    for q in &queries {
        assert!(seen.insert(q.text.as_str()), "query {:?} is judged twice", q.text);
        assert!(!q.relevant.is_empty(), "query {:?} has no relevant article", q.text);
        for (slug, &grade) in &q.relevant {
            assert!(articles.contains_key(slug), "query {:?}: no article {slug}", q.text);
            assert!((1..=2).contains(&grade), "query {:?}: grade {grade} of {slug} is not 1 or 2", q.text);
        }
    }
    let labels = labels();
    assert!(labels.len() >= MIN_LABELS, "{} labelled articles, want {MIN_LABELS}", labels.len());
    let keys = topic_keys();
    for (slug, topics) in &labels {
        let text = articles.get(slug).unwrap_or_else(|| panic!("topics.toml: no article {slug}"));
        let front = text.split("+++").nth(1).unwrap_or_default();
        assert!(
            !front.lines().any(|l| l.trim_start().starts_with("topics")),
            "{slug}: a labelled article must not set topics in its front matter (they are always kept)"
        );
        for t in topics {
            assert!(keys.contains(t), "topics.toml: {slug}: {t} is not a topic of site.toml ({keys:?})");
        }
    }
}

#[test]
fn search_meets_the_floors() {
    let queries = queries();
    let scored: Vec<(&Query, Vec<String>, Score)> = queries
        .iter()
        .map(|q| {
            let results = top10(&q.text);
            let s = score(&results, &q.relevant);
            (q, results, s)
        })
        .collect();
    let overall = Score {
        ndcg: mean(scored.iter().map(|s| s.2.ndcg)),
        recall: mean(scored.iter().map(|s| s.2.recall)),
        precision: mean(scored.iter().map(|s| s.2.precision)),
    };
    let mut report = String::new();
    writeln!(report, "judged search: {} queries over {} articles", scored.len(), articles().len()).unwrap();
    writeln!(report, "{:<18} {:>3} {:>7} {:>7} {:>7}", "kind", "n", "nDCG@10", "R@10", "P@10").unwrap();
    let kinds: BTreeSet<&str> = queries.iter().map(|q| q.kind.as_str()).collect();
    let mut by_kind = BTreeMap::new();
    for kind in kinds {
        let of: Vec<&Score> = scored.iter().filter(|s| s.0.kind == kind).map(|s| &s.2).collect();
        let k = Score {
            ndcg: mean(of.iter().map(|s| s.ndcg)),
            recall: mean(of.iter().map(|s| s.recall)),
            precision: mean(of.iter().map(|s| s.precision)),
        };
        writeln!(report, "{kind:<18} {:>3} {:>7.3} {:>7.3} {:>7.3}", of.len(), k.ndcg, k.recall, k.precision).unwrap();
        by_kind.insert(kind, k.ndcg);
    }
    let (n, o) = (scored.len(), &overall);
    writeln!(report, "{:<18} {n:>3} {:>7.3} {:>7.3} {:>7.3}", "all", o.ndcg, o.recall, o.precision).unwrap();
    let mut worst: Vec<&(&Query, Vec<String>, Score)> = scored.iter().collect();
    worst.sort_by(|a, b| a.2.ndcg.total_cmp(&b.2.ndcg).then(a.2.recall.total_cmp(&b.2.recall)));
    writeln!(report, "worst 10 queries (nDCG@10, R@10, P@10, results; * = judged relevant):").unwrap();
    for (q, results, s) in worst.iter().take(10) {
        let shown: Vec<String> =
            results.iter().map(|r| if q.relevant.contains_key(r) { format!("*{r}") } else { r.clone() }).collect();
        writeln!(
            report,
            "  {:?} [{}] {:.3} {:.3} {:.3}: {}",
            q.text,
            q.kind,
            s.ndcg,
            s.recall,
            s.precision,
            if shown.is_empty() { "(nothing)".to_string() } else { shown.join(" ") }
        )
        .unwrap();
    }
    println!("{report}");

    let mut below = Vec::new();
    for (what, got, floor) in [
        ("nDCG@10", overall.ndcg, FLOOR_NDCG),
        ("recall@10", overall.recall, FLOOR_RECALL),
        ("precision@10", overall.precision, FLOOR_PRECISION),
    ] {
        if got < floor {
            below.push(format!("mean {what} {got:.3} < {floor}"));
        }
    }
    for &(kind, floor) in FLOOR_NDCG_BY_KIND {
        let got = *by_kind.get(kind).unwrap_or_else(|| panic!("no query of kind {kind} in queries.toml"));
        if got < floor {
            below.push(format!("nDCG@10 of {kind} queries {got:.3} < {floor}"));
        }
    }
    assert!(below.is_empty(), "search fell below its floors:\n{}\n\n{report}", below.join("\n"));
}

/// Slugs on a topic's pages: `topics/<key>/index.html` and its `page/<n>/index.html`.
fn topic_members(out: &Path, key: &str) -> BTreeSet<String> {
    let dir = out.join("topics").join(key);
    let mut pages = vec![dir.join("index.html")];
    if let Ok(entries) = std::fs::read_dir(dir.join("page")) {
        pages.extend(entries.map(|e| e.unwrap().path().join("index.html")));
    }
    let mut slugs = BTreeSet::new();
    for page in pages.iter().filter(|p| p.is_file()) {
        let html = std::fs::read_to_string(page).unwrap();
        for href in crate::harness::attr_values(&html, "href") {
            // An article URL: /YYYY/MM/DD/<slug>/ (the root site.toml has no base path).
            let parts: Vec<&str> = href.trim_matches('/').split('/').collect();
            let dated = parts.len() == 4 && parts[..3].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
            if dated {
                slugs.insert(parts[3].to_string());
            }
        }
    }
    slugs
}

#[test]
fn topics_meet_the_floors() {
    let out = site();
    let labels = labels();
    let mut report = format!("judged topics: {} labelled articles\n", labels.len());
    writeln!(report, "{:<20} {:>3} {:>3} {:>3} {:>9} {:>6}", "topic", "tp", "fp", "fn", "precision", "recall").unwrap();
    let mut below = Vec::new();
    let mut missed = Vec::new();
    for key in topic_keys() {
        let members = topic_members(out, &key);
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (slug, topics) in &labels {
            match (topics.contains(&key), members.contains(slug)) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    missed.push(format!("  {key}: {slug} given, not labelled"));
                }
                (true, false) => {
                    fn_ += 1;
                    missed.push(format!("  {key}: {slug} labelled, not given"));
                }
                (false, false) => {}
            }
        }
        let precision = if tp + fp > 0 { f64::from(tp) / f64::from(tp + fp) } else { 0.0 };
        let recall = if tp + fn_ > 0 { f64::from(tp) / f64::from(tp + fn_) } else { 0.0 };
        writeln!(report, "{key:<20} {tp:>3} {fp:>3} {fn_:>3} {precision:>9.3} {recall:>6.3}").unwrap();
        if let Some(&(_, min_p, min_r)) = FLOOR_TOPICS.iter().find(|f| f.0 == key) {
            if precision < min_p {
                below.push(format!("precision of {key} {precision:.3} < {min_p}"));
            }
            if recall < min_r {
                below.push(format!("recall of {key} {recall:.3} < {min_r}"));
            }
        }
    }
    for &(key, _, _) in FLOOR_TOPICS {
        assert!(topic_keys().iter().any(|k| k == key), "FLOOR_TOPICS names {key}, not a topic of site.toml");
    }
    writeln!(report, "disagreements:\n{}", missed.join("\n")).unwrap();
    println!("{report}");
    assert!(below.is_empty(), "topics fell below their floors:\n{}\n\n{report}", below.join("\n"));
}
