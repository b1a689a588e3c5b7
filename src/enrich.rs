//! The Korean analysis over the whole archive: the eojeol map, article terms, topic classification,
//! company detection, related articles and reading time, as one [`Enrichment`] per article.
//!
//! Each distinct word of the archive is analysed once (words repeat a lot in news text), and an
//! article's terms are the concatenation of its words' terms, so the search index's eojeol map and
//! the article terms agree by construction.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::analysis::{self, Analyzer};
use crate::config::Config;
use crate::content::Article;
use crate::error::{Error, Result};
use crate::model::{ArticleTerms, Enrichment};
use crate::text::{word_key, words};
use crate::Progress;

/// Related articles shown per article.
pub const RELATED: usize = 5;

/// The analyser for a registry: built once per process and set of names (lindera's dictionary load
/// is the expensive part; `serve` rebuilds reuse it).
pub fn analyzer(config: &Config) -> Result<&'static Analyzer> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<Vec<String>, &'static Analyzer>>> = OnceLock::new();
    let names = registry_words(config);
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(a) = cache.get(&names) {
        return Ok(a);
    }
    let a: &'static Analyzer =
        Box::leak(Box::new(Analyzer::new(&names).map_err(|e| Error::Other(format!("Korean analysis: {e}")))?));
    cache.insert(names, a);
    Ok(a)
}

/// The analyser without a registry (`sosik analyse` outside a site).
pub fn plain_analyzer() -> Result<&'static Analyzer> {
    static PLAIN: OnceLock<Analyzer> = OnceLock::new();
    if let Some(a) = PLAIN.get() {
        return Ok(a);
    }
    let a = Analyzer::new(&[]).map_err(|e| Error::Other(format!("Korean analysis: {e}")))?;
    Ok(PLAIN.get_or_init(|| a))
}

/// Company names, English names and aliases: the user dictionary's registry part.
fn registry_words(config: &Config) -> Vec<String> {
    let mut v: Vec<String> = config.companies.iter().flat_map(|c| c.spellings().map(str::to_string)).collect();
    v.sort();
    v.dedup();
    v
}

/// What the analysis of an archive gives: per-article enrichment and the eojeol map.
pub struct Analysed {
    pub enrichments: Vec<Enrichment>,
    pub eojeols: BTreeMap<String, Vec<String>>,
}

/// Analyses every article (in parallel) and classifies them.
pub fn analyse(config: &Config, articles: &[Article], progress: &Progress) -> Result<Analysed> {
    let analyzer = analyzer(config)?;
    progress.start("analysis", articles.len());
    let distinct: HashSet<String> = articles
        .par_iter()
        .fold(HashSet::new, |mut set, a| {
            for w in words(&a.title).chain(words(&a.body.text)) {
                if has_upper(w) {
                    set.insert(word_key(w));
                } else if !set.contains(w) {
                    set.insert(w.to_string());
                }
            }
            set
        })
        .reduce(HashSet::new, |mut a, b| {
            if a.len() < b.len() {
                return merge(b, a);
            }
            a.extend(b);
            a
        });
    let map: HashMap<String, Vec<String>> =
        distinct.into_par_iter().map(|w| (analyzer.eojeol_terms(&w), w)).map(|(t, w)| (w, t)).collect();
    let terms: Vec<ArticleTerms> = articles
        .par_iter()
        .map(|a| {
            let t = ArticleTerms { title: terms_of(&map, &a.title), body: terms_of(&map, &a.body.text) };
            progress.tick();
            t
        })
        .collect();
    let topics: Vec<(String, Vec<String>)> = config.topics.iter().map(|t| (t.key.clone(), t.terms.clone())).collect();
    let names: Vec<(String, Vec<String>)> = config
        .companies
        .iter()
        .flat_map(|c| c.spellings().map(move |s| (c.key.clone(), analyzer.terms(s))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let docs: Vec<Vec<String>> = terms.iter().map(|t| t.title.iter().chain(&t.body).cloned().collect()).collect();
    let related = analysis::related(&docs, RELATED);
    drop(docs);
    let enrichments = articles
        .par_iter()
        .zip(terms)
        .zip(related)
        .map(|((a, t), related)| {
            let topics = analysis::topic_scores(&t.title, &t.body, &topics)
                .into_iter()
                .filter(|(_, score)| *score >= config.topic_threshold)
                .map(|(k, _)| k)
                .collect();
            let all: Vec<String> = t.title.iter().chain(&t.body).cloned().collect();
            let mentioned = analysis::detect_companies(&all, &names);
            let companies = if config.auto_companies { mentioned.clone() } else { Vec::new() };
            let reading_chars = words(&a.body.text).map(|w| w.chars().count()).sum();
            Enrichment { topics, companies, mentioned, related, reading_chars, terms: t }
        })
        .collect();
    let eojeols = map.into_iter().collect();
    Ok(Analysed { enrichments, eojeols })
}

fn merge(mut big: HashSet<String>, small: HashSet<String>) -> HashSet<String> {
    big.extend(small);
    big
}

fn terms_of(map: &HashMap<String, Vec<String>>, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        let t = if has_upper(w) { map.get(&word_key(w)) } else { map.get(w) };
        out.extend(t.into_iter().flatten().cloned());
    }
    out
}

/// Most Korean words have no case; only those with capitals need a lowercased copy as a key.
fn has_upper(w: &str) -> bool {
    w.chars().any(char::is_uppercase)
}

/// Why an article is classified as it is (`sosik check --explain`).
#[derive(Debug, serde::Serialize)]
pub struct Explanation {
    pub title_terms: Vec<String>,
    /// (term, occurrences), most frequent first.
    pub body_terms: Vec<(String, usize)>,
    /// (topic key, score, chosen) for every topic, sorted by key.
    pub topics: Vec<(String, f64, bool)>,
    pub threshold: f64,
    /// Topic keys from front matter (always kept).
    pub front_matter_topics: Vec<String>,
    /// Registry keys of the companies the text names.
    pub mentioned: Vec<String>,
}

pub fn explain(config: &Config, article: &Article) -> Result<Explanation> {
    let analyzer = analyzer(config)?;
    let title: Vec<String> = words(&article.title).flat_map(|w| analyzer.eojeol_terms(&word_key(w))).collect();
    let body: Vec<String> = words(&article.body.text).flat_map(|w| analyzer.eojeol_terms(&word_key(w))).collect();
    let topics: Vec<(String, Vec<String>)> = config.topics.iter().map(|t| (t.key.clone(), t.terms.clone())).collect();
    let scores = analysis::topic_scores(&title, &body, &topics)
        .into_iter()
        .map(|(k, s)| (k, s, s >= config.topic_threshold))
        .collect();
    let names: Vec<(String, Vec<String>)> = config
        .companies
        .iter()
        .flat_map(|c| c.spellings().map(move |s| (c.key.clone(), analyzer.terms(s))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let all: Vec<String> = title.iter().chain(&body).cloned().collect();
    let mentioned = analysis::detect_companies(&all, &names);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in &body {
        *counts.entry(t).or_default() += 1;
    }
    let mut body_terms: Vec<(String, usize)> = counts.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
    body_terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Explanation {
        title_terms: title,
        body_terms,
        topics: scores,
        threshold: config.topic_threshold,
        front_matter_topics: article.topics.clone(),
        mentioned,
    })
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "title terms: {}", self.title_terms.join(" "))?;
        let body: Vec<String> = self.body_terms.iter().take(40).map(|(t, n)| format!("{t}×{n}")).collect();
        writeln!(f, "body terms ({} distinct, most frequent first): {}", self.body_terms.len(), body.join(" "))?;
        writeln!(f, "topics (score = weighted hits per 1000 terms, title ×3; threshold {}):", self.threshold)?;
        for (key, score, chosen) in &self.topics {
            let fm = self.front_matter_topics.contains(key);
            let verdict = match (chosen, fm) {
                (_, true) => "yes (front matter)",
                (true, false) => "yes",
                (false, false) => "no",
            };
            writeln!(f, "  {key:<24} {score:>8.2}  {verdict}")?;
        }
        write!(f, "companies named in the text: {}", if self.mentioned.is_empty() { "-".to_string() } else { self.mentioned.join(", ") })
    }
}
