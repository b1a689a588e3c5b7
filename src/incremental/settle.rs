//! Settling: what depends on the whole archive, related articles (every article compared with every
//! other) and the search index, done apart from the fast rebuild that follows a save.
//!
//! [`Rebuilder::settle_job`] takes a snapshot (term ids renumbered as a full build numbers them, the
//! documents as the search index sees them); [`SettleJob::run`] does the heavy part on any thread,
//! touching nothing of the rebuilder, so a save that arrives meanwhile is not held up; and
//! [`Rebuilder::apply_settled`] takes the result if nothing changed since the snapshot (else it is
//! dropped and the next quiet moment starts over), re-rendering the pages whose related lists moved.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::fingerprint::hash_bytes;
use super::{Delta, Prepare, Prepared, Rebuilder};
use crate::analysis;
use crate::enrich;
use crate::error::Result;
use crate::model::{encode_path, Site};
use crate::search::format::Facet;
use crate::search::write::{index_files, page_docs, with_pages, Doc, Input, Layout, PageDoc, Terms};
use crate::Progress;

/// One document as the search index sees it (`search::write::input`), owned.
#[derive(Debug)]
struct SearchDoc {
    title: String,
    url: String,
    date: String,
    companies: Vec<u32>,
    topics: Vec<u32>,
    /// The whole text: the index keeps passages from anywhere in it (`search::store`).
    text: String,
    title_terms: Vec<u32>,
    body_terms: Vec<u32>,
    meta_terms: Vec<u32>,
}

/// The heavy part of settling, with everything it needs.
#[derive(Debug)]
pub struct SettleJob {
    generation: u64,
    related_docs: Vec<Vec<u32>>,
    vocab_len: usize,
    base_path: String,
    docs: Vec<SearchDoc>,
    vocab: Arc<Vec<String>>,
    eojeols: Arc<BTreeMap<String, Vec<String>>>,
    companies: Vec<Facet>,
    topics: Vec<Facet>,
    aliases: Vec<(String, String)>,
    synonyms: Vec<crate::synonyms::Pair>,
    /// Pages that opt in to search: title, URL (as `search::write::PageDoc`), body text.
    pages: Vec<(String, String, String)>,
    /// The site's configuration, for the analyser of the pages' words (none without pages).
    config: Option<crate::config::Config>,
}

/// What a [`SettleJob`] gives.
#[derive(Debug)]
pub struct Settled<T> {
    generation: u64,
    /// Per visible article (in the snapshot's order): related articles as indices of that order.
    related: Vec<Vec<usize>>,
    /// The search index: paths under the output root, hashes, prepared contents.
    search: Vec<Prepared<T>>,
}

impl SettleJob {
    /// Computes related articles and the search index (the slow part: seconds on 10,000 articles),
    /// its files made ready with `prepare` (compressing them is work too).
    pub fn run<T: Send>(self, prepare: &Prepare<T>) -> Result<Settled<T>> {
        let (related, search) = rayon::join(
            || analysis::related_ids(&self.related_docs, self.vocab_len, enrich::RELATED),
            || self.search_index(prepare),
        );
        Ok(Settled { generation: self.generation, related, search: search? })
    }

    fn search_index<T: Send>(&self, prepare: &Prepare<T>) -> Result<Vec<Prepared<T>>> {
        let suffixes = analysis::particle_suffixes();
        let docs = self
            .docs
            .iter()
            .map(|d| Doc {
                title: &d.title,
                url: d.url.clone(),
                date: d.date.clone(),
                companies: d.companies.clone(),
                topics: d.topics.clone(),
                text: &d.text,
                title_terms: Terms::Ids(&d.title_terms, &self.vocab),
                body_terms: Terms::Ids(&d.body_terms, &self.vocab),
                meta_terms: Terms::Ids(&d.meta_terms, &self.vocab),
            })
            .collect();
        // Pages that opt in, as `search::write::write` adds them.
        let pages: Vec<PageDoc> =
            self.pages.iter().map(|(title, url, text)| PageDoc { title, url: url.clone(), text }).collect();
        let terms = if pages.is_empty() {
            enrich::PageTerms::default()
        } else {
            let config = self.config.as_ref().ok_or_else(|| {
                crate::error::Error::Other("search index: the site's configuration is missing".into())
            })?;
            let analyzer = enrich::analyzer(config)?;
            let texts: Vec<(&str, &str)> = pages.iter().map(|p| (p.title, p.text)).collect();
            enrich::page_terms(analyzer, &texts, &self.vocab, &self.eojeols)
        };
        let (docs, eojeols) = with_pages(docs, pages, &terms, &self.eojeols);
        let input = Input {
            base_path: self.base_path.clone(),
            docs,
            eojeols,
            suffixes: &suffixes,
            companies: self.companies.clone(),
            topics: self.topics.clone(),
            aliases: self.aliases.clone(),
            synonyms: crate::search::write::synonym_map(&self.synonyms),
        };
        let files = index_files(&input, &Layout::default())?;
        Ok(files
            .into_par_iter()
            .map(|(name, bytes)| {
                let rel = format!("{}/{name}", crate::search::format::DIR);
                let hash = hash_bytes(&bytes);
                let prepared = prepare(&rel, bytes);
                (rel, hash, prepared)
            })
            .collect())
    }
}

impl Rebuilder {
    /// A snapshot for settling, or `None` when there is nothing to settle or no site yet.
    pub fn settle_job(&self) -> Option<SettleJob> {
        let site = self.site.as_ref().filter(|_| self.unsettled && self.last_ok)?;
        let analysis = self.analysis.as_ref()?;
        let terms: Vec<_> = self.visible.iter().map(|&id| &self.slots.get(id).analysis).collect();
        let (related_docs, vocab_len) = analysis.related_docs(&terms);
        Some(self.job(site, analysis, related_docs, vocab_len))
    }

    /// A snapshot of `site` for a [`SettleJob`], with the related-article input already made.
    fn job(&self, site: &Site, analysis: &super::Analysis, related_docs: Vec<Vec<u32>>, vocab_len: usize) -> SettleJob {
        SettleJob {
            generation: self.generation,
            related_docs,
            vocab_len,
            base_path: site.config.base_path.clone(),
            docs: self.search_docs(site),
            vocab: analysis.vocab.clone(),
            eojeols: analysis.eojeols.clone(),
            companies: facets(&site.companies),
            topics: facets(&site.topics),
            aliases: crate::search::write::company_aliases(&site.config.companies),
            synonyms: self.synonyms(site),
            pages: page_docs(site).into_iter().map(|p| (p.title.to_string(), p.url, p.text.to_string())).collect(),
            config: (!site.search_pages().is_empty()).then(|| site.config.clone()),
        }
    }

    /// The documents of `site` as `search::write::input` makes them, with the terms kept per article.
    fn search_docs(&self, site: &Site) -> Vec<SearchDoc> {
        site.entries
            .iter()
            .map(|e| {
                let terms = self.slots.id(&e.article.path).map(|id| &self.slots.get(id).analysis.terms);
                SearchDoc {
                    title: e.article.title.clone(),
                    url: format!("{}/", encode_path(&e.dir)),
                    date: e.article.day().format("%Y-%m-%d").to_string(),
                    companies: e.companies.iter().map(|&c| c as u32).collect(),
                    topics: e.topics.iter().map(|&t| t as u32).collect(),
                    text: e.article.body.text.clone(),
                    title_terms: terms.map(|t| t.title.clone()).unwrap_or_default(),
                    body_terms: terms.map(|t| t.body.clone()).unwrap_or_default(),
                    meta_terms: terms.map(|t| t.meta.clone()).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// The synonym pairs of the visible articles' glosses, as a full build resolves them.
    fn synonyms(&self, site: &Site) -> Vec<crate::synonyms::Pair> {
        let glosses = self.visible.iter().map(|&id| self.slots.get(id).analysis.glosses.as_slice());
        crate::synonyms::resolve(glosses, &site.config)
    }

    /// Takes the result of a [`SettleJob`]; `None` when saves came in since its snapshot.
    pub fn apply_settled<T: Send>(
        &mut self,
        settled: Settled<T>,
        progress: &Progress,
        prepare: &Prepare<T>,
    ) -> Result<Option<Delta<T>>> {
        if settled.generation != self.generation || !self.unsettled {
            return Ok(None);
        }
        for (i, list) in settled.related.into_iter().enumerate() {
            let related = list.into_iter().map(|j| self.visible[j]).collect();
            self.slots.set_related(self.visible[i], related);
        }
        // Related lists are part of the model: assemble it afresh.
        self.patch = None;
        let result = self.rebuild(Default::default(), progress, prepare, Some(settled.search));
        self.unsettled = result.is_err();
        result.map(Some)
    }

    /// Settles now, on this thread (tests; a server settles with [`SettleJob::run`] elsewhere).
    pub fn settle<T: Send>(&mut self, progress: &Progress, prepare: &Prepare<T>) -> Result<Delta<T>> {
        let Some(job) = self.settle_job() else { return Ok(Delta::default()) };
        Ok(self.apply_settled(job.run(prepare)?, progress, prepare)?.unwrap_or_default())
    }

    /// The search index of `site`, computed here (the first build).
    pub(super) fn search_now<T: Send>(&self, site: &Site, prepare: &Prepare<T>) -> Result<Vec<Prepared<T>>> {
        let analysis = self.analysis.as_ref().expect("created with the content");
        self.job(site, analysis, Vec::new(), 0).search_index(prepare)
    }
}

fn facets(groups: &[crate::model::Group]) -> Vec<Facet> {
    groups.iter().map(|g| Facet(g.key.clone(), g.name.clone())).collect()
}
