//! Search: the static index written with the site ([`write`]), and the same ranking as the browser
//! client (`themes/default/static/search.js`) for `sosik search` ([`query`]).
//!
//! The browser cannot run lindera, so the build's analysis travels with the index: the eojeol map
//! turns each query word into exactly the terms the build gave that word (딥시크를 -> 딥시크). See
//! DESIGN.md §6 and [`format`] for the files.

pub mod format;
pub mod query;
pub mod snippet;
pub mod store;
pub mod write;

use std::path::Path;

use serde::Serialize;

pub use query::{Index, Ranking};
pub use write::write;

use crate::error::{Error, Result};

/// One result of `sosik search`. `--json` prints `url`, `title`, `date`, `score` and `snippet`.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    /// Site path, base path included (the href the search page gives the result).
    pub url: String,
    pub title: String,
    pub date: String,
    pub score: f64,
    /// Printed as the HTML the search page shows ([`snippet::html`]).
    #[serde(serialize_with = "snippet_html")]
    pub snippet: Vec<snippet::Segment>,
}

fn snippet_html<S: serde::Serializer>(segments: &[snippet::Segment], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&snippet::html(segments))
}

/// Snippet length in characters (search.js uses the same).
pub const SNIPPET_CHARS: usize = 160;

/// Searches the index of a built site in `output` (its `search/` folder); the best `limit` results.
pub fn search(output: &Path, query: &str, limit: usize) -> Result<Vec<Found>> {
    let dir = output.join(format::DIR);
    if !dir.join(format::MANIFEST).is_file() {
        return Err(Error::Other(format!("{}: no search index; build the site first (`sosik build`)", dir.display())));
    }
    let index = Index::open(dir)?;
    let ranking = index.rank(query)?;
    let terms: Vec<String> = ranking.plan.terms.iter().map(|(t, _)| t.clone()).collect();
    ranking
        .hits
        .iter()
        .take(limit)
        .map(|hit| {
            let d = index.doc(hit.doc)?;
            let mut shown = snippet::snippet(&d.5, &terms, SNIPPET_CHARS);
            if !terms.is_empty() && !shown.iter().any(|s| s.1) {
                // As the search page does: the article's own page has the whole text.
                if let Some(from_page) = page_snippet(output, &d.1, &terms) {
                    shown = from_page;
                }
            }
            Ok(Found {
                url: format!("{}{}", index.manifest.base_path, d.1),
                title: d.0,
                date: d.2,
                score: hit.score,
                snippet: shown,
            })
        })
        .collect()
}

/// The snippet cut from the text of the page at site path `url` (relative) in `output`, when that
/// text has a match (see [`snippet::page_text`]).
fn page_snippet(output: &Path, url: &str, terms: &[String]) -> Option<Vec<snippet::Segment>> {
    if !crate::output::is_safe_relative(url.trim_end_matches('/')) {
        return None;
    }
    let file =
        if url.is_empty() || url.ends_with('/') { output.join(url).join("index.html") } else { output.join(url) };
    let text = snippet::page_text(&std::fs::read_to_string(file).ok()?)?;
    let shown = snippet::snippet(&text, terms, SNIPPET_CHARS);
    shown.iter().any(|s| s.1).then_some(shown)
}
