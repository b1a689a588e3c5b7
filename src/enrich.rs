//! The Korean analysis over the whole archive: the eojeol map, article terms, topic classification,
//! company detection, related articles and reading time, as one [`Enrichment`] per article.
//!
//! Each distinct word of the archive is analysed once (words repeat a lot in news text), and an
//! article's terms are the concatenation of its words' terms, so the search index's eojeol map and
//! the article terms agree by construction.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use rustc_hash::FxHasher;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::analysis::{self, Analyzer, TopicIndex, MIN_SECTION_TERMS};
use crate::config::Config;
use crate::content::Article;
use crate::error::{Error, Result};
use crate::markdown::Section;
use crate::model::{ArticleTerms, Enrichment};
use crate::text::{word_key, words};
use crate::Progress;

/// Related articles shown per article.
pub const RELATED: usize = 5;

/// Every spelling of every registered company as (key, its terms), for company detection;
/// spellings with no term left out.
pub fn company_name_terms(config: &Config, analyzer: &Analyzer) -> Vec<(String, Vec<String>)> {
    config
        .companies
        .iter()
        .flat_map(|c| c.spellings().map(move |s| (c.key.clone(), analyzer.terms(s))))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

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
    Analyzer::plain().map_err(|e| Error::Other(format!("Korean analysis: {e}")))
}

/// Company names, English names and aliases: the user dictionary's registry part.
fn registry_words(config: &Config) -> Vec<String> {
    let mut v: Vec<String> = config.companies.iter().flat_map(|c| c.spellings().map(str::to_string)).collect();
    v.sort();
    v.dedup();
    v
}

/// What the analysis of an archive gives: per-article enrichment, the eojeol map, the term
/// vocabulary that [`ArticleTerms`] ids point into, and the synonym pairs.
pub struct Analysed {
    pub enrichments: Vec<Enrichment>,
    pub eojeols: BTreeMap<String, Vec<String>>,
    pub vocab: Vec<String>,
    pub synonyms: Vec<crate::synonyms::Pair>,
}

/// The text of an article's tags and front-matter companies (each as written and by its registry
/// name, found by `lookup`, [`Config::company_lookup`]), which the search index counts with its own
/// weight: a tag the text never uses still finds the article.
pub fn meta_text(config: &Config, lookup: &HashMap<String, usize>, article: &Article) -> String {
    let mut out = article.tags.join("\n");
    for c in &article.companies {
        out.push('\n');
        out.push_str(&c.value);
        if let Some(company) = lookup.get(&crate::model::fold(&c.value)).map(|&i| &config.companies[i]) {
            if company.name != c.value {
                out.push('\n');
                out.push_str(&company.name);
            }
        }
    }
    out
}

/// The synonym pairs of the archive under `root` as a build resolves them, mining its visible
/// articles' glosses without the rest of the analysis (`sosik analyse`, `check --explain`).
/// Articles that do not parse are left out.
pub fn archive_synonyms(root: &std::path::Path, config: &Config) -> Result<Vec<crate::synonyms::Pair>> {
    let analyzer = analyzer(config)?;
    let now = chrono::Utc::now().with_timezone(&config.timezone);
    let loaded = crate::content::load(root, config)?;
    let glosses: Vec<Vec<(String, String)>> = loaded
        .articles
        .par_iter()
        .filter(|a| !a.is_hidden(now))
        .map(|a| article_glosses(a, |k| analyzer.eojeol_terms(k).iter().any(|t| t == k)))
        .collect();
    Ok(crate::synonyms::resolve(glosses.iter().map(Vec::as_slice), config))
}

/// Each term of `terms` that has synonyms, with them: `waic = 세계인공지능대회`.
pub fn synonym_lines(pairs: &[crate::synonyms::Pair], terms: &[String]) -> Vec<String> {
    let map = crate::search::write::synonym_map(pairs);
    let mut seen = HashSet::new();
    terms
        .iter()
        .filter(|t| seen.insert(t.as_str()))
        .filter_map(|t| map.get(t).map(|s| format!("{t} = {}", s.join(", "))))
        .collect()
}

/// The gloss pairs of an article's title and text (see [`crate::synonyms::glosses`]); `is_term`
/// tells whether a word key is a term of its own analysis.
pub fn article_glosses(article: &Article, is_term: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut pairs = crate::synonyms::glosses(&article.title, &is_term);
    for p in crate::synonyms::glosses(&article.body.text, &is_term) {
        if !pairs.contains(&p) {
            pairs.push(p);
        }
    }
    pairs
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// Analyses every article (in parallel) and classifies them.
///
/// Terms are interned: an archive of 10,000 articles has ~8 million term occurrences but only
/// ~100,000 distinct terms, and ids keep memory and hashing small.
pub fn analyse(config: &Config, articles: &[Article], progress: &Progress) -> Result<Analysed> {
    let analyzer = analyzer(config)?;
    progress.start("analysis: words", articles.len());
    let lookup = config.company_lookup();
    let metas: Vec<String> = articles.par_iter().map(|a| meta_text(config, &lookup, a)).collect();
    let distinct = distinct_words(articles, &metas);
    progress.start("analysis: lindera", distinct.len());
    let analysed: Vec<(&str, Vec<String>)> = distinct.into_par_iter().map(|w| (w, analyzer.eojeol_terms(w))).collect();

    progress.start("analysis: terms", articles.len());
    let mut vocab: Vec<String> = Vec::new();
    let mut ids: FastMap<&str, u32> = FastMap::default();
    let mut word_ids: FastMap<&str, Vec<u32>> = FastMap::default();
    for (w, terms) in &analysed {
        let t = terms
            .iter()
            .map(|t| {
                *ids.entry(t.as_str()).or_insert_with(|| {
                    vocab.push(t.clone());
                    (vocab.len() - 1) as u32
                })
            })
            .collect();
        word_ids.insert(w, t);
    }
    let words: FastMap<&str, &[String]> = analysed.iter().map(|(w, t)| (*w, t.as_slice())).collect();
    let glosses: Vec<Vec<(String, String)>> = articles
        .par_iter()
        .map(|a| article_glosses(a, |k| words.get(k).is_some_and(|t| t.iter().any(|x| x == k))))
        .collect();
    drop(words);
    // Compounds the archive may write only with spaces: the configuration's, then the Korean sides
    // of glosses (대규모 언어 모델(LLM) gives 대규모언어모델), after every word's terms: serve's
    // incremental analysis numbers them in the same order.
    let mut extras = config_compounds(config);
    extras.extend(gloss_compounds(glosses.iter().map(Vec::as_slice)));
    for e in &extras {
        ids.entry(e.as_str()).or_insert_with(|| {
            vocab.push(e.clone());
            (vocab.len() - 1) as u32
        });
    }
    let lookup = |w: &str| word_ids.get(w).map_or(&[][..], Vec::as_slice);
    let joiner = Joiner { vocab: |t: u32| vocab[t as usize].as_str(), term_id: |t: &str| ids.get(t).copied() };
    let join = |words: &[(&str, &[u32])]| joiner.join(words, &mut |_: &str| {});
    let (terms, reading): (Vec<ArticleTerms>, Vec<usize>) = articles
        .par_iter()
        .zip(&metas)
        .map(|(a, meta)| {
            let title = text_terms(lookup, join, &a.title, &[]);
            let body = text_terms(lookup, join, &a.body.text, &a.body.sections);
            let meta = text_terms(lookup, no_join, meta, &[]);
            (ArticleTerms { title: title.ids, body: body.ids, meta: meta.ids, sections: body.sections }, body.chars)
        })
        .unzip();
    let synonyms = crate::synonyms::resolve(glosses.iter().map(Vec::as_slice), config);

    progress.start("analysis: related", 0);
    let docs: Vec<Vec<u32>> = terms.iter().map(|t| t.title.iter().chain(&t.body).copied().collect()).collect();
    let related = analysis::related_ids(&docs, vocab.len(), RELATED);
    drop(docs);

    progress.start("analysis: classify", 0);
    let intern = |seq: Vec<String>| -> Option<Vec<u32>> { seq.iter().map(|t| ids.get(t.as_str()).copied()).collect() };
    let topics = TopicIndex::new(
        analysis::topic_phrases(&config.topics.iter().map(|t| (t.key.clone(), t.terms.clone())).collect::<Vec<_>>())
            .into_iter()
            .map(|(key, phrases)| (key, phrases.into_iter().filter_map(intern).collect()))
            .collect(),
    );
    let names: Vec<(String, Vec<u32>)> =
        company_name_terms(config, analyzer).into_iter().filter_map(|(key, t)| intern(t).map(|t| (key, t))).collect();
    let enrichments = articles
        .par_iter()
        .zip(terms)
        .zip(related)
        .zip(reading)
        .map(|(((_, t), related), reading_chars)| {
            let scores = analysis::score_topics(&t.title, &t.body, &t.sections, &topics);
            let topics = analysis::joined_topics(&scores, |k| config.topic_threshold_of(k));
            let all: Vec<u32> = t.title.iter().chain(&t.body).copied().collect();
            let mentioned = analysis::detect_companies(&all, &names);
            let companies = if config.auto_companies { mentioned.clone() } else { Vec::new() };
            Enrichment { topics, companies, mentioned, related, reading_chars, terms: t }
        })
        .collect();
    let eojeols = analysed.into_iter().map(|(w, t)| (w.to_string(), t)).collect();
    Ok(Analysed { enrichments, eojeols, vocab, synonyms })
}

/// The archive's analysis with pages that opt in to search (`search = true`) added: its vocabulary
/// and eojeol map with the pages' new words and terms after the archive's (so every id of the
/// archive stays), and each page's title and body term ids, found as [`text_terms`] finds an
/// article's. Pages take no part in the rest of the analysis (topics, related articles, synonyms).
#[derive(Debug, Default)]
pub struct PageTerms {
    pub vocab: Vec<String>,
    pub eojeols: BTreeMap<String, Vec<String>>,
    /// Per page, in the order given: (title term ids, body term ids).
    pub pages: Vec<(Vec<u32>, Vec<u32>)>,
}

/// [`PageTerms`] of `pages` (title, body text) over an archive's `vocab` and `eojeols`.
pub fn page_terms(
    analyzer: &Analyzer,
    pages: &[(&str, &str)],
    vocab: &[String],
    eojeols: &BTreeMap<String, Vec<String>>,
) -> PageTerms {
    let mut eojeols = eojeols.clone();
    let mut vocab = vocab.to_vec();
    let mut new_words = std::collections::BTreeSet::new();
    for (title, text) in pages {
        for w in words(title).chain(words(text)) {
            let key = word_key(w);
            if !eojeols.contains_key(&key) {
                new_words.insert(key);
            }
        }
    }
    let mut known: FastSet<String> = vocab.iter().cloned().collect();
    for w in new_words {
        let terms = analyzer.eojeol_terms(&w);
        for t in &terms {
            if known.insert(t.clone()) {
                vocab.push(t.clone());
            }
        }
        eojeols.insert(w, terms);
    }
    drop(known);
    let ids: FastMap<&str, u32> = vocab.iter().enumerate().map(|(i, t)| (t.as_str(), i as u32)).collect();
    let mut word_ids: FastMap<String, Vec<u32>> = FastMap::default();
    for (title, text) in pages {
        for w in words(title).chain(words(text)) {
            let key = word_key(w);
            if let std::collections::hash_map::Entry::Vacant(slot) = word_ids.entry(key) {
                let terms = eojeols.get(slot.key()).map_or(&[][..], Vec::as_slice);
                slot.insert(terms.iter().filter_map(|t| ids.get(t.as_str()).copied()).collect());
            }
        }
    }
    let lookup = |w: &str| word_ids.get(w).map_or(&[][..], Vec::as_slice);
    let joiner = Joiner { vocab: |t: u32| vocab[t as usize].as_str(), term_id: |t: &str| ids.get(t).copied() };
    let join = |words: &[(&str, &[u32])]| joiner.join(words, &mut |_: &str| {});
    let terms = pages
        .iter()
        .map(|(title, text)| (text_terms(lookup, join, title, &[]).ids, text_terms(lookup, join, text, &[]).ids))
        .collect();
    drop(ids);
    PageTerms { vocab, eojeols, pages: terms }
}

/// Every distinct word key of the archive (see [`word_key`]), borrowed where the text is already
/// lowercase (almost all Korean text), leaked otherwise.
fn distinct_words<'a>(articles: &'a [Article], metas: &'a [String]) -> Vec<&'a str> {
    let sets: Vec<FastSet<&str>> = articles
        .par_chunks(64)
        .zip(metas.par_chunks(64))
        .map(|(chunk, metas)| {
            let mut set = FastSet::default();
            for (a, meta) in chunk.iter().zip(metas) {
                for w in words(&a.title).chain(words(&a.body.text)).chain(words(meta)) {
                    set.insert(w);
                }
            }
            set
        })
        .collect();
    let mut all: FastSet<&str> = FastSet::default();
    for set in sets {
        all.extend(set);
    }
    let mut keys: FastSet<&str> = FastSet::default();
    for w in all {
        if has_upper(w) {
            keys.insert(lowered(w));
        } else {
            keys.insert(w);
        }
    }
    let mut v: Vec<&str> = keys.into_iter().collect();
    v.sort_unstable();
    v
}

/// The lowercase key of a word with capitals, interned for the life of the process (there are
/// few: Latin names and model numbers).
fn lowered(w: &str) -> &'static str {
    static KEYS: OnceLock<std::sync::Mutex<HashSet<&'static str>>> = OnceLock::new();
    let key = word_key(w);
    let mut keys = KEYS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = keys.get(key.as_str()) {
        return k;
    }
    let k: &'static str = Box::leak(key.into_boxed_str());
    keys.insert(k);
    k
}

/// The terms of a text as [`text_terms`] gives them.
#[derive(Debug, Default)]
pub struct TextTerms {
    /// Term ids in text order, with repeats.
    pub ids: Vec<u32>,
    /// The sections given, as positions in `ids`.
    pub sections: Vec<Section<u32>>,
    /// Characters of the text's words (for the reading time).
    pub chars: usize,
}

/// The term ids of a text: each word's terms, found by `lookup` under the word's key (lowercased,
/// see [`word_key`]), in text order; and its `sections` (byte offsets into `text`, in order) as
/// term positions. The one place where words become terms: the full build, `serve`'s incremental
/// analysis and `check --explain` all call it, so they agree.
///
/// `join` is asked about each run of two to [`analysis::MAX_JOINED_WORDS`] words with only white
/// space between them (the key and terms of each), longest first, and may give the id of the
/// compound they stand for ([`Joiner`]), which follows the last word's terms.
pub fn text_terms<'a>(
    mut lookup: impl FnMut(&str) -> &'a [u32],
    mut join: impl FnMut(&[(&str, &[u32])]) -> Option<u32>,
    text: &str,
    sections: &[Section],
) -> TextTerms {
    let mut out = TextTerms::default();
    let mut marks = sections.iter().flat_map(|s| [s.start, s.body]).peekable();
    let mut at_terms: Vec<u32> = Vec::with_capacity(sections.len() * 2);
    // The words before this one, each with only white space after it, and where the last ends.
    let mut run: Vec<(Cow<'_, str>, &'a [u32])> = Vec::with_capacity(analysis::MAX_JOINED_WORDS);
    let mut end = 0;
    for w in words(text) {
        let at = w.as_ptr() as usize - text.as_ptr() as usize;
        while marks.next_if(|&m| m <= at).is_some() {
            at_terms.push(out.ids.len() as u32);
        }
        out.chars += w.chars().count();
        let key = if has_upper(w) { Cow::Owned(word_key(w)) } else { Cow::Borrowed(w) };
        let ids = lookup(&key);
        out.ids.extend_from_slice(ids);
        if !text[end..at].chars().all(char::is_whitespace) {
            run.clear();
        }
        if !run.is_empty() {
            // On the stack: this runs for almost every word of the archive.
            let mut window: [(&str, &[u32]); analysis::MAX_JOINED_WORDS] = [("", &[]); analysis::MAX_JOINED_WORDS];
            for (slot, (k, i)) in window.iter_mut().zip(&run) {
                *slot = (k.as_ref(), i);
            }
            window[run.len()] = (&key, ids);
            let words = &window[..=run.len()];
            out.ids.extend((0..words.len() - 1).find_map(|from| join(&words[from..])));
        }
        if run.len() + 1 >= analysis::MAX_JOINED_WORDS {
            run.remove(0);
        }
        run.push((key, ids));
        end = at + w.len();
    }
    at_terms.extend(marks.map(|_| out.ids.len() as u32));
    out.sections = at_terms.chunks_exact(2).map(|p| Section { start: p[0], body: p[1] }).collect();
    out
}

/// The spacing-variant rule of [`text_terms`] over one vocabulary: two words written apart give
/// the compound of [`analysis::spaced_compound`] when it is a term of the archive (`term_id`).
pub struct Joiner<V, T> {
    /// Term id -> term.
    pub vocab: V,
    /// Term -> id, for the terms of the archive: every term of its words, and
    /// [`analysis::known_compounds`].
    pub term_id: T,
}

impl<'v, V: Fn(u32) -> &'v str, T: Fn(&str) -> Option<u32>> Joiner<V, T> {
    /// The compound id of adjacent words (key, term ids), or `None`; `missed` hears of a compound
    /// that is not (yet) a term.
    pub fn join(&self, words: &[(&str, &[u32])], missed: &mut impl FnMut(&str)) -> Option<u32> {
        // Most runs fail here, before the buffer: a word with a particle is not a term by itself.
        let (_, init) = words.split_last()?;
        if !init.iter().all(|(key, ids)| ids.iter().any(|&t| (self.vocab)(t) == *key)) {
            return None;
        }
        thread_local!(static COMPOUND: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
        COMPOUND.with_borrow_mut(|compound| {
            if !analysis::spaced_compound_into(words, |&t| (self.vocab)(t), compound) {
                return None;
            }
            let id = (self.term_id)(compound);
            if id.is_none() {
                missed(compound);
            }
            id
        })
    }
}

/// Compound terms of the configuration: one-word company spellings and topic terms.
pub fn config_compounds(config: &Config) -> Vec<String> {
    let names = config.companies.iter().flat_map(|c| c.spellings().map(str::to_string).collect::<Vec<_>>());
    let topics = config.topics.iter().flat_map(|t| t.terms.clone());
    analysis::known_compounds(names.chain(topics))
}

/// The Korean sides of articles' glosses, sorted and distinct.
pub fn gloss_compounds<'a>(glosses: impl Iterator<Item = &'a [(String, String)]>) -> Vec<String> {
    let mut out: Vec<String> = glosses.flatten().map(|(k, _)| k.clone()).collect();
    out.sort();
    out.dedup();
    out
}

/// Never joins (tags and company names are not running text).
pub fn no_join(_: &[(&str, &[u32])]) -> Option<u32> {
    None
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
    /// (topic key, whole-article score, the topic's threshold, joined) for every topic, sorted by
    /// key. Joined: the whole article or one of its sections reaches the threshold.
    pub topics: Vec<(String, f64, f64, bool)>,
    /// The sections of the body (one for a single story), in order.
    pub sections: Vec<SectionScores>,
    /// `topic_threshold`, which topics without their own threshold have.
    pub threshold: f64,
    /// Topic keys from front matter (always kept).
    pub front_matter_topics: Vec<String>,
    /// Registry keys of the companies the text names.
    pub mentioned: Vec<String>,
}

/// One section's topic scores in an [`Explanation`].
#[derive(Debug, serde::Serialize)]
pub struct SectionScores {
    pub index: usize,
    /// Its first words.
    pub start: String,
    /// How many terms it has.
    pub terms: usize,
    /// (topic key, score) for the topics it reaches or comes within half the threshold of, by key.
    pub scores: Vec<(String, f64)>,
}

/// Words of a section shown in `check --explain`.
const SECTION_START_WORDS: usize = 6;

pub fn explain(config: &Config, article: &Article) -> Result<Explanation> {
    let analyzer = analyzer(config)?;
    // The article's own small vocabulary, through the build's path (text_terms, score_topics).
    // Spaced compounds are joined when the compound is a term of this article or one of
    // config_compounds (topic terms among them), where a build also knows the rest of the archive.
    let mut vocab: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |t: &str| -> u32 {
        *ids.entry(t.to_string()).or_insert_with(|| {
            vocab.push(t.to_string());
            (vocab.len() - 1) as u32
        })
    };
    let mut word_ids: HashMap<String, Vec<u32>> = HashMap::new();
    for w in words(&article.title).chain(words(&article.body.text)) {
        if let std::collections::hash_map::Entry::Vacant(e) = word_ids.entry(word_key(w)) {
            let terms = analyzer.eojeol_terms(e.key()).iter().map(|t| intern(t)).collect();
            e.insert(terms);
        }
    }
    for extra in config_compounds(config) {
        intern(&extra);
    }
    let known = |seq: &Vec<String>| -> Option<Vec<u32>> { seq.iter().map(|t| ids.get(t).copied()).collect() };
    let phrases =
        analysis::topic_phrases(&config.topics.iter().map(|t| (t.key.clone(), t.terms.clone())).collect::<Vec<_>>());
    let topics =
        TopicIndex::new(phrases.into_iter().map(|(k, ps)| (k, ps.iter().filter_map(known).collect())).collect());
    let lookup = |w: &str| word_ids.get(w).map_or(&[][..], Vec::as_slice);
    let joiner = Joiner { vocab: |t: u32| vocab[t as usize].as_str(), term_id: |t: &str| ids.get(t).copied() };
    let join = |words: &[(&str, &[u32])]| joiner.join(words, &mut |_: &str| {});
    let title = text_terms(lookup, join, &article.title, &[]).ids;
    let body = text_terms(lookup, join, &article.body.text, &article.body.sections);
    let scores = analysis::score_topics(&title, &body.ids, &body.sections, &topics);
    let threshold = config.topic_threshold;
    let sections = article
        .body
        .sections
        .iter()
        .zip(&body.sections)
        .enumerate()
        .map(|(index, (at, terms))| {
            let end = body.sections.get(index + 1).map_or(body.ids.len(), |next| next.start as usize);
            SectionScores {
                index,
                start: words(&article.body.text[at.start..]).take(SECTION_START_WORDS).collect::<Vec<_>>().join(" "),
                terms: end - terms.start as usize,
                scores: scores
                    .iter()
                    .map(|s| (s.key.clone(), s.sections[index]))
                    .filter(|(key, score)| *score >= config.topic_threshold_of(key) / 2.0)
                    .collect(),
            }
        })
        .collect();
    let topics = scores
        .iter()
        .map(|s| {
            let own = config.topic_threshold_of(&s.key);
            (s.key.clone(), s.whole, own, s.joins(own))
        })
        .collect();
    let term = |id: &u32| vocab[*id as usize].clone();
    let title: Vec<String> = title.iter().map(term).collect();
    let body: Vec<String> = body.ids.iter().map(term).collect();
    let names = company_name_terms(config, analyzer);
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
        topics,
        sections,
        threshold,
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
        for (key, score, threshold, joined) in &self.topics {
            let by_section = self
                .sections
                .iter()
                .find(|s| s.scores.iter().any(|(k, score)| k == key && score >= threshold))
                .map(|s| s.index);
            let verdict = match (self.front_matter_topics.contains(key), joined, by_section) {
                (true, _, _) => "yes (front matter)".to_string(),
                (false, true, Some(i)) if score < threshold => format!("yes (section {i})"),
                (false, true, _) => "yes".to_string(),
                (false, false, _) => "no".to_string(),
            };
            let own = if *threshold == self.threshold { String::new() } else { format!(" (threshold {threshold})") };
            writeln!(f, "  {key:<24} {score:>8.2}  {verdict}{own}")?;
        }
        writeln!(
            f,
            "sections (score per 1000 terms of the section, at least {MIN_SECTION_TERMS}, heading ×3; \
             topics from half the threshold):"
        )?;
        for s in &self.sections {
            let scores: Vec<String> = s.scores.iter().map(|(k, score)| format!("{k} {score:.2}")).collect();
            let scores = if scores.is_empty() { "-".to_string() } else { scores.join(", ") };
            writeln!(f, "  {:>2} {} … ({} terms): {scores}", s.index, s.start, s.terms)?;
        }
        write!(
            f,
            "companies named in the text: {}",
            if self.mentioned.is_empty() { "-".to_string() } else { self.mentioned.join(", ") }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_terms_look_words_up_by_key_and_place_sections_in_terms() {
        let map: HashMap<&str, Vec<u32>> = [("딥시크가", vec![1]), ("gpt-5를", vec![2, 3]), ("공개", vec![4])].into();
        let lookup = |w: &str| map.get(w).map_or(&[][..], Vec::as_slice);
        let text = "딥시크가 GPT-5를\n공개\n\n미지의 말\n";
        let s = |start, body| Section { start, body };
        // The lead; a heading "GPT-5를"; an empty stretch; unknown words; past the end.
        let t =
            text_terms(lookup, no_join, text, &[s(0, 0), s(13, 22), s(29, 29), s(30, 30), s(text.len(), text.len())]);
        assert_eq!(t.ids, [1, 2, 3, 4]);
        let at = |start, body| Section::<u32> { start, body };
        assert_eq!(t.sections, [at(0, 0), at(1, 3), at(4, 4), at(4, 4), at(4, 4)]);
        assert_eq!(t.chars, 4 + 6 + 2 + 3 + 1);
        assert!(text_terms(lookup, no_join, "", &[]).sections.is_empty());
    }
}
