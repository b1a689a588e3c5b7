//! Korean analysis for incremental rebuilds, giving what `enrich::analyse` gives a full build:
//!
//! - every distinct word is analysed with lindera once per process and kept (a saved article
//!   costs only its new words);
//! - an article's terms, topics, company mentions and reading time are computed when its file is
//!   read and kept with it;
//! - the archive-wide parts follow from those: the eojeol map of the visible articles is kept up to
//!   date by reference counts, and related articles (a TF-IDF comparison of every article with
//!   every other) are recomputed when the server settles after a burst of saves, with term ids
//!   numbered exactly as `enrich::analyse` numbers them so that the lists come out identical.
//!
//! `tests/it/serve_incremental.rs` compares the outcome with a full build after many kinds of edit.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::fingerprint::FastBuild;
use crate::analysis::{self, Analyzer, TopicIndex};
use crate::config::Config;
use crate::content::Article;
use crate::enrich;
use crate::error::Result;
use crate::model::{ArticleTerms, Enrichment};
use crate::text::{word_key, words};

/// What one article's analysis gives, kept with the article between rebuilds.
#[derive(Debug, Clone, Default)]
pub struct ArticleAnalysis {
    /// Term ids into [`Analysis::vocab`].
    pub terms: ArticleTerms,
    /// Ids of the article's distinct words, for the eojeol map.
    pub words: Vec<u32>,
    pub topics: Vec<String>,
    pub mentioned: Vec<String>,
    pub reading_chars: usize,
    /// Gloss pairs of its text ([`enrich::article_glosses`]).
    pub glosses: Vec<(String, String)>,
    /// Compounds two of its words written apart would give if the archive had them as terms.
    pub missed: Vec<String>,
}

/// The analysis state of the archive.
pub struct Analysis {
    analyzer: &'static Analyzer,
    config: Config,
    auto_companies: bool,
    word_ids: HashMap<String, u32, FastBuild>,
    word_keys: Vec<String>,
    /// Per word id: its terms, as term ids.
    word_terms: Vec<Vec<u32>>,
    term_ids: HashMap<String, u32, FastBuild>,
    /// Every term ever seen, by id (append-only: ids stay valid across rebuilds). Shared with a
    /// settling job while it runs (copied on write then).
    pub vocab: Arc<Vec<String>>,
    topics: TopicIndex<u32>,
    names: Vec<(String, Vec<u32>)>,
    /// Per word id: how many visible articles use it.
    refs: Vec<u32>,
    /// Word -> terms, for the words of the visible articles (the search index's eojeol map).
    pub eojeols: Arc<BTreeMap<String, Vec<String>>>,
    /// [`enrich::config_compounds`], numbered after the words' terms as a full build numbers them.
    extras: Vec<String>,
    /// Per term id: a term of some word or of `extras`, so a spaced compound may join to it (topic
    /// and company-name parts are interned too, but a full build does not join to those).
    joinable: Vec<bool>,
    /// Compounds some article's spaced words missed ([`ArticleAnalysis::missed`]).
    missed: HashSet<String, FastBuild>,
    /// A term in `missed` became joinable: analysed articles may now join differently.
    joins_changed: bool,
}

/// The key a word is analysed and stored under (as `enrich` keys it).
fn key_of(w: &str) -> Cow<'_, str> {
    if w.chars().any(char::is_uppercase) {
        Cow::Owned(word_key(w))
    } else {
        Cow::Borrowed(w)
    }
}

impl Analysis {
    pub fn new(config: &Config) -> Result<Analysis> {
        let analyzer = enrich::analyzer(config)?;
        let mut a = Analysis {
            analyzer,
            config: config.clone(),
            auto_companies: config.auto_companies,
            word_ids: HashMap::default(),
            word_keys: Vec::new(),
            word_terms: Vec::new(),
            term_ids: HashMap::default(),
            vocab: Arc::default(),
            topics: TopicIndex::new(Vec::new()),
            names: Vec::new(),
            refs: Vec::new(),
            eojeols: Arc::default(),
            extras: enrich::config_compounds(config),
            joinable: Vec::new(),
            missed: HashSet::default(),
            joins_changed: false,
        };
        for e in a.extras.clone() {
            let id = a.intern(&e);
            a.mark_joinable(id);
        }
        // A phrase with a term no article has can never match: interning it changes no result.
        let phrases = analysis::topic_phrases(
            &config.topics.iter().map(|t| (t.key.clone(), t.terms.clone())).collect::<Vec<_>>(),
        );
        let phrases = phrases.into_iter().map(|(k, ps)| (k, ps.iter().map(|p| a.intern_all(p)).collect())).collect();
        a.topics = TopicIndex::new(phrases);
        let names = enrich::company_name_terms(config, analyzer);
        a.names = names.into_iter().map(|(k, t)| (k, a.intern_all(&t))).collect();
        Ok(a)
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.term_ids.get(term) {
            return id;
        }
        let id = self.vocab.len() as u32;
        Arc::make_mut(&mut self.vocab).push(term.to_string());
        self.term_ids.insert(term.to_string(), id);
        id
    }

    fn mark_joinable(&mut self, id: u32) {
        if self.joinable.len() <= id as usize {
            self.joinable.resize(id as usize + 1, false);
        }
        if !self.joinable[id as usize] {
            self.joinable[id as usize] = true;
            self.joins_changed |= self.missed.contains(&self.vocab[id as usize]);
        }
    }

    /// Whether articles analysed before may join spaced words differently now (a compound they
    /// wrote apart has since been written solid); asking clears it. The caller reanalyses them.
    pub fn take_joins_changed(&mut self) -> bool {
        std::mem::take(&mut self.joins_changed)
    }

    fn intern_all(&mut self, terms: &[String]) -> Vec<u32> {
        terms.iter().map(|t| self.intern(t)).collect()
    }

    /// Analyses articles: their new words with lindera (in parallel), then each article.
    pub fn analyse(&mut self, articles: &[&Article]) -> Vec<ArticleAnalysis> {
        // Distinct words first, per chunk of articles and borrowed where possible: a first build
        // meets millions of word occurrences but only some 100,000 distinct words.
        let lookup = self.config.company_lookup();
        let metas: Vec<String> = articles.par_iter().map(|a| enrich::meta_text(&self.config, &lookup, a)).collect();
        let sets: Vec<HashSet<Cow<'_, str>, FastBuild>> = articles
            .par_chunks(64)
            .zip(metas.par_chunks(64))
            .map(|(chunk, metas)| {
                let mut set = HashSet::default();
                for (a, meta) in chunk.iter().zip(metas) {
                    for k in words(&a.title).chain(words(&a.body.text)).chain(words(meta)).map(key_of) {
                        if !self.word_ids.contains_key(k.as_ref()) {
                            set.insert(k);
                        }
                    }
                }
                set
            })
            .collect();
        let mut distinct: HashSet<Cow<'_, str>, FastBuild> = HashSet::default();
        for set in sets {
            distinct.extend(set);
        }
        let mut new: Vec<String> = distinct.into_iter().map(Cow::into_owned).collect();
        new.sort_unstable();
        let analysed: Vec<Vec<String>> = new.par_iter().map(|w| self.analyzer.eojeol_terms(w)).collect();
        for (w, terms) in new.into_iter().zip(analysed) {
            let ids = self.intern_all(&terms);
            for &id in &ids {
                self.mark_joinable(id);
            }
            self.word_ids.insert(w.clone(), self.word_keys.len() as u32);
            self.word_keys.push(w);
            self.word_terms.push(ids);
            self.refs.push(0);
        }
        let glosses: Vec<Vec<(String, String)>> = articles
            .par_iter()
            .map(|a| {
                enrich::article_glosses(a, |k| {
                    self.word_ids
                        .get(k)
                        .is_some_and(|&w| self.word_terms[w as usize].iter().any(|&t| self.vocab[t as usize] == k))
                })
            })
            .collect();
        // A gloss's Korean side written with spaces is a compound of the archive (see enrich).
        for k in enrich::gloss_compounds(glosses.iter().map(Vec::as_slice)) {
            let id = self.intern(&k);
            self.mark_joinable(id);
        }
        let out: Vec<ArticleAnalysis> = articles
            .par_iter()
            .zip(&metas)
            .zip(glosses)
            .map(|((a, meta), glosses)| self.article(a, meta, glosses))
            .collect();
        for a in &out {
            self.missed.extend(a.missed.iter().cloned());
        }
        out
    }

    /// One article whose words are all known (as `enrich::analyse` does it per article).
    fn article(&self, a: &Article, meta: &str, glosses: Vec<(String, String)>) -> ArticleAnalysis {
        let mut seen: Vec<u32> = Vec::new();
        let mut lookup = |key: &str| {
            let id = self.word_ids[key];
            seen.push(id);
            self.word_terms[id as usize].as_slice()
        };
        let joiner = enrich::Joiner {
            vocab: |t: u32| self.vocab[t as usize].as_str(),
            term_id: |t: &str| {
                self.term_ids.get(t).copied().filter(|&id| self.joinable.get(id as usize) == Some(&true))
            },
        };
        let mut missed = Vec::new();
        let mut join = |words: &[(&str, &[u32])]| joiner.join(words, &mut |c: &str| missed.push(c.to_string()));
        let title = enrich::text_terms(&mut lookup, &mut join, &a.title, &[]).ids;
        let body = enrich::text_terms(&mut lookup, &mut join, &a.body.text, &a.body.sections);
        let meta = enrich::text_terms(&mut lookup, enrich::no_join, meta, &[]).ids;
        let (body, sections, reading_chars) = (body.ids, body.sections, body.chars);
        seen.sort_unstable();
        seen.dedup();
        let scores = analysis::score_topics(&title, &body, &sections, &self.topics);
        let topics = analysis::joined_topics(&scores, |k| self.config.topic_threshold_of(k));
        let all: Vec<u32> = title.iter().chain(&body).copied().collect();
        let mentioned = analysis::detect_companies(&all, &self.names);
        let terms = ArticleTerms { title, body, meta, sections };
        ArticleAnalysis { terms, words: seen, topics, mentioned, reading_chars, glosses, missed }
    }

    /// The enrichment of an analysed article, with its related articles (input indices). Terms
    /// are only for the search index: `with_terms` is false when it is not written (no page shows
    /// them, and copying 10,000 articles' terms is most of a fast rebuild's model step).
    pub fn enrichment(&self, a: &ArticleAnalysis, related: Vec<usize>, with_terms: bool) -> Enrichment {
        Enrichment {
            topics: a.topics.clone(),
            companies: if self.auto_companies { a.mentioned.clone() } else { Vec::new() },
            mentioned: a.mentioned.clone(),
            related,
            reading_chars: a.reading_chars,
            terms: if with_terms { a.terms.clone() } else { ArticleTerms::default() },
        }
    }

    /// Adds (`+1`) or removes (`-1`) an article's words from the eojeol map.
    pub fn count(&mut self, words: &[u32], add: bool) {
        for &w in words {
            let refs = &mut self.refs[w as usize];
            if add {
                *refs += 1;
                if *refs == 1 {
                    let terms = self.word_terms[w as usize].iter().map(|&t| self.vocab[t as usize].clone()).collect();
                    Arc::make_mut(&mut self.eojeols).insert(self.word_keys[w as usize].clone(), terms);
                }
            } else {
                *refs -= 1;
                if *refs == 0 {
                    Arc::make_mut(&mut self.eojeols).remove(&self.word_keys[w as usize]);
                }
            }
        }
    }

    /// Related articles of `docs` (in input order), as `enrich::analyse` computes them.
    pub fn related(&self, docs: &[&ArticleAnalysis]) -> Vec<Vec<usize>> {
        let (docs, len) = self.related_docs(docs);
        analysis::related_ids(&docs, len, enrich::RELATED)
    }

    /// The input of the related-articles computation: each document's terms with ids renumbered
    /// as a full build numbers them (first seen walking the eojeol map in word order), which makes
    /// the TF-IDF sums, and so the lists, the same; and the number of ids.
    pub fn related_docs(&self, docs: &[&ArticleAnalysis]) -> (Vec<Vec<u32>>, usize) {
        let mut canon = vec![u32::MAX; self.vocab.len()];
        let mut next = 0u32;
        for word in self.eojeols.keys() {
            for &t in &self.word_terms[self.word_ids[word.as_str()] as usize] {
                if canon[t as usize] == u32::MAX {
                    canon[t as usize] = next;
                    next += 1;
                }
            }
        }
        let glossed = enrich::gloss_compounds(docs.iter().map(|d| d.glosses.as_slice()));
        for e in self.extras.iter().chain(&glossed) {
            let t = self.term_ids[e.as_str()];
            if canon[t as usize] == u32::MAX {
                canon[t as usize] = next;
                next += 1;
            }
        }
        let docs = docs
            .par_iter()
            .map(|d| d.terms.title.iter().chain(&d.terms.body).map(|&id| canon[id as usize]).collect())
            .collect();
        (docs, next as usize)
    }
}
