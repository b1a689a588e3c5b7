//! Writing the search index: from the site model to the files described in [`super::format`].

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::format::{
    body_levels, norm_symbol, numbered, tf_code, DocEntry, Facet, Facets, Manifest, Month, Norms, Range, Scoring,
    Shards, Store, TermEntry, TermExtra, WordEntry, DIR, MANIFEST, VERSION,
};
use super::store::{self, TextLayout};
use crate::content_hash;
use crate::error::{Error, Result};
use crate::model::{encode_path, Site};
use crate::render::Sink;

/// One document as the index sees it.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub title: &'a str,
    /// Relative to the site root, percent-encoded, e.g. "2025/07/28/slug/".
    pub url: String,
    /// "YYYY-MM-DD" in the site's timezone.
    pub date: String,
    pub companies: Vec<u32>,
    pub topics: Vec<u32>,
    /// Plain text of the body, for snippets.
    pub text: &'a str,
    pub title_terms: Terms<'a>,
    pub body_terms: Terms<'a>,
    /// Terms of the tags and company names (front matter), weighed once per document.
    pub meta_terms: Terms<'a>,
}

/// A document's terms: strings, or ids into a vocabulary (how the build keeps them, to save memory).
#[derive(Debug, Clone, Copy)]
pub enum Terms<'a> {
    Strings(&'a [String]),
    Ids(&'a [u32], &'a [String]),
}

impl<'a> Terms<'a> {
    pub fn len(&self) -> usize {
        match self {
            Terms::Strings(s) => s.len(),
            Terms::Ids(ids, _) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        match *self {
            Terms::Strings(s) => Box::new(s.iter().map(String::as_str)),
            Terms::Ids(ids, vocab) => Box::new(ids.iter().map(move |&i| vocab[i as usize].as_str())),
        }
    }
}

/// Everything the index is made of. Documents are newest first (so that months are id ranges).
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub base_path: String,
    pub docs: Vec<Doc<'a>>,
    pub eojeols: &'a BTreeMap<String, Vec<String>>,
    pub suffixes: &'a [String],
    pub companies: Vec<Facet>,
    pub topics: Vec<Facet>,
    /// See [`Manifest::aliases`].
    pub aliases: Vec<(String, String)>,
    /// Term -> its synonyms (both directions listed), see [`TermExtra::synonyms`].
    pub synonyms: BTreeMap<String, Vec<String>>,
}

/// The registry's one-word Latin spellings (key, English name, aliases) of each company, with
/// its Korean name; sorted, first company wins a spelling.
pub fn company_aliases(companies: &[crate::config::Company]) -> Vec<(String, String)> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for c in companies {
        let spellings = std::iter::once(c.key.as_str()).chain(c.spellings());
        for spelling in spellings {
            let mut words = crate::text::words(spelling);
            let (Some(word), None) = (words.next(), words.next()) else { continue };
            let key = crate::text::word_key(word);
            if key.chars().all(|ch| ch.is_ascii_alphanumeric()) && key != crate::text::word_key(&c.name) {
                out.entry(key).or_insert_with(|| c.name.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// Each term of the pairs with the other terms it is paired with, both ways, sorted.
pub fn synonym_map(pairs: &[crate::synonyms::Pair]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pairs {
        map.entry(p.korean.clone()).or_default().push(p.latin.clone());
        map.entry(p.latin.clone()).or_default().push(p.korean.clone());
    }
    for v in map.values_mut() {
        v.sort();
        v.dedup();
    }
    map
}

/// How the index is cut into files.
#[derive(Debug, Clone)]
pub struct Layout {
    /// A term shard is closed once its JSON reaches this many bytes (~4:1 under gzip).
    pub term_shard_bytes: usize,
    /// The same for eojeol-map shards (~4.5:1 under gzip).
    pub word_shard_bytes: usize,
    pub docs_per_group: usize,
    /// Snippet text kept per document.
    pub text: TextLayout,
    pub scoring: Scoring,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            term_shard_bytes: 80_000,
            word_shard_bytes: 32_000,
            docs_per_group: 12,
            text: TextLayout::default(),
            scoring: Scoring::default(),
        }
    }
}

/// The index's view of a built site; `pages` are the terms of its pages that opt in to search
/// ([`Site::search_pages`], see [`page_terms`]), whose documents follow the articles'.
pub fn input<'a>(site: &'a Site, suffixes: &'a [String], pages: &'a crate::enrich::PageTerms) -> Input<'a> {
    let facets = |groups: &[crate::model::Group]| groups.iter().map(|g| Facet(g.key.clone(), g.name.clone())).collect();
    let docs = site
        .entries
        .iter()
        .map(|e| Doc {
            title: &e.article.title,
            url: format!("{}/", encode_path(&e.dir)),
            date: e.article.day().format("%Y-%m-%d").to_string(),
            companies: e.companies.iter().map(|&c| c as u32).collect(),
            topics: e.topics.iter().map(|&t| t as u32).collect(),
            text: &e.article.body.text,
            title_terms: Terms::Ids(&e.terms.title, &site.vocab),
            body_terms: Terms::Ids(&e.terms.body, &site.vocab),
            meta_terms: Terms::Ids(&e.terms.meta, &site.vocab),
        })
        .collect();
    let (docs, eojeols) = with_pages(docs, page_docs(site), pages, &site.eojeols);
    Input {
        base_path: site.config.base_path.clone(),
        docs,
        eojeols,
        suffixes,
        companies: facets(&site.companies),
        topics: facets(&site.topics),
        aliases: company_aliases(&site.config.companies),
        synonyms: synonym_map(&site.synonyms),
    }
}

/// A page that opts in to search, as the index needs it.
#[derive(Debug, Clone)]
pub struct PageDoc<'a> {
    pub title: &'a str,
    /// Relative to the site root, percent-encoded, e.g. "about/".
    pub url: String,
    pub text: &'a str,
}

/// The pages of `site` that opt in to search ([`Site::search_pages`]).
pub fn page_docs(site: &Site) -> Vec<PageDoc<'_>> {
    site.search_pages()
        .into_iter()
        .map(|i| {
            let p = &site.pages[i];
            PageDoc { title: &p.article.title, url: format!("{}/", encode_path(&p.dir)), text: &p.article.body.text }
        })
        .collect()
}

/// The terms of `pages` over an archive's vocabulary and eojeol map (empty, and nothing analysed,
/// without pages).
pub fn page_terms(
    config: &crate::config::Config,
    pages: &[PageDoc],
    vocab: &[String],
    eojeols: &BTreeMap<String, Vec<String>>,
) -> Result<crate::enrich::PageTerms> {
    if pages.is_empty() {
        return Ok(crate::enrich::PageTerms::default());
    }
    let analyzer = crate::enrich::analyzer(config)?;
    let texts: Vec<(&str, &str)> = pages.iter().map(|p| (p.title, p.text)).collect();
    Ok(crate::enrich::page_terms(analyzer, &texts, vocab, eojeols))
}

/// The articles' documents followed by those of `pages` (no date, company or topic), and the
/// eojeol map to index: with pages, every document's terms point into `terms.vocab` (which
/// extends the articles' vocabulary) and the map is `terms.eojeols`.
pub fn with_pages<'a>(
    mut docs: Vec<Doc<'a>>,
    pages: Vec<PageDoc<'a>>,
    terms: &'a crate::enrich::PageTerms,
    eojeols: &'a BTreeMap<String, Vec<String>>,
) -> (Vec<Doc<'a>>, &'a BTreeMap<String, Vec<String>>) {
    if pages.is_empty() || terms.pages.len() != pages.len() {
        return (docs, eojeols);
    }
    let vocab = &terms.vocab;
    let repoint = |t: Terms<'a>| match t {
        Terms::Ids(ids, _) => Terms::Ids(ids, vocab),
        strings => strings,
    };
    for d in &mut docs {
        d.title_terms = repoint(d.title_terms);
        d.body_terms = repoint(d.body_terms);
        d.meta_terms = repoint(d.meta_terms);
    }
    for (p, (title, body)) in pages.into_iter().zip(&terms.pages) {
        docs.push(Doc {
            title: p.title,
            url: p.url,
            date: String::new(),
            companies: Vec::new(),
            topics: Vec::new(),
            text: p.text,
            title_terms: Terms::Ids(title, vocab),
            body_terms: Terms::Ids(body, vocab),
            meta_terms: Terms::Ids(&[], vocab),
        });
    }
    (docs, &terms.eojeols)
}

/// Writes the index of `site` under `search/`; returns the number of files.
pub fn write(site: &Site, suffixes: &[String], sink: &dyn Sink) -> Result<usize> {
    let terms = page_terms(&site.config, &page_docs(site), &site.vocab, &site.eojeols)?;
    let files = index_files(&input(site, suffixes, &terms), &Layout::default())?;
    files.par_iter().try_for_each(|(name, bytes)| sink.write(&format!("{DIR}/{name}"), bytes))?;
    Ok(files.len())
}

/// All files of the index, names relative to `search/`, the manifest last.
pub fn index_files(input: &Input, layout: &Layout) -> Result<Vec<(String, Vec<u8>)>> {
    let n = input.docs.len();
    let mut files = Vec::new();
    let (vocab, per_doc) = term_ids(&input.docs);
    let (ranges, shards) = term_shards(input, &vocab, &per_doc, layout)?;
    let terms = push_numbered(&mut files, "terms", ranges, shards);
    let words: Vec<(&str, Vec<u8>)> = input
        .eojeols
        .par_iter()
        .map(|(w, t)| Ok((w.as_str(), json(&WordEntry(w.clone(), t.clone()))?)))
        .collect::<Result<_>>()?;
    let (ranges, shards) = cut_shards(words, layout.word_shard_bytes);
    let words = push_numbered(&mut files, "words", ranges, shards);
    let per_group = layout.docs_per_group.max(1);
    let texts = store::texts(&input.docs, &vocab, &per_doc, &layout.text, &layout.scoring);
    let groups = input
        .docs
        .par_chunks(per_group)
        .zip(texts.par_chunks(per_group))
        .map(|(group, texts)| {
            let entries: Vec<DocEntry> = group
                .iter()
                .zip(texts)
                .map(|(d, text)| {
                    DocEntry(
                        d.title.to_string(),
                        d.url.clone(),
                        d.date.clone(),
                        d.companies.clone(),
                        d.topics.clone(),
                        text.clone(),
                    )
                })
                .collect();
            json(&entries)
        })
        .collect::<Result<Vec<_>>>()?;
    let count = groups.len() as u32;
    let docs = push_numbered(&mut files, "docs", Vec::new(), groups).hash;
    let docs = Store { hash: docs, count, per_group: per_group as u32 };
    let body_levels = body_levels();
    let norms = Norms { body: input.docs.iter().map(|d| norm_symbol(&body_levels, d.body_terms.len())).collect() };
    let norms = push_file(&mut files, "norms", &norms)?;
    let mut suffixes: Vec<&String> = input.suffixes.iter().filter(|s| !s.is_empty()).collect();
    suffixes.sort();
    suffixes.dedup();
    let suffixes = push_file(&mut files, "suffixes", &suffixes)?;
    let facets = push_file(&mut files, "facets", &facet_postings(input))?;
    let manifest = Manifest {
        version: VERSION,
        base_path: input.base_path.clone(),
        doc_count: n as u32,
        body_length_sum: input.docs.iter().map(|d| d.body_terms.len() as u64).sum(),
        scoring: layout.scoring.clone(),
        body_lengths: body_levels,
        norms,
        suffixes,
        facets,
        terms,
        words,
        docs,
        companies: input.companies.clone(),
        topics: input.topics.clone(),
        aliases: input.aliases.clone(),
        months: months(input),
    };
    files.push((MANIFEST.to_string(), json(&manifest)?));
    Ok(files)
}

/// (document, tf code, in tags or companies).
type Posting = (u32, u32, bool);

/// Postings of every term, sorted by term and cut into shards.
fn term_shards(
    input: &Input,
    vocab: &[&str],
    per_doc: &[TfCodes],
    layout: &Layout,
) -> Result<(Vec<Range>, Vec<Vec<u8>>)> {
    let mut lists: Vec<Vec<Posting>> = vec![Vec::new(); vocab.len()];
    for (doc, tfs) in per_doc.iter().enumerate() {
        for &(id, code, meta) in tfs {
            lists[id as usize].push((doc as u32, code, meta));
        }
    }
    let mut order: Vec<u32> = (0..vocab.len() as u32).filter(|&id| !lists[id as usize].is_empty()).collect();
    order.par_sort_unstable_by(|&a, &b| vocab[a as usize].cmp(vocab[b as usize]));
    let sorted: Vec<(&str, Vec<Posting>)> =
        order.into_iter().map(|id| (vocab[id as usize], std::mem::take(&mut lists[id as usize]))).collect();
    let n = input.docs.len() as f64;
    let entries: Vec<(&str, Vec<u8>)> = sorted
        .into_par_iter()
        .map(|(term, list)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let mut prev = 0;
            let docs = list
                .iter()
                .map(|&(d, _, _)| {
                    let delta = d - prev;
                    prev = d;
                    delta
                })
                .collect();
            let codes = list.iter().map(|&(_, c, _)| c).collect();
            let mut at = 0;
            let meta = (0..list.len())
                .filter(|&i| list[i].2)
                .map(|i| {
                    let delta = i - at;
                    at = i;
                    delta as u32
                })
                .collect();
            let synonyms = input.synonyms.get(term).cloned().unwrap_or_default();
            let extra = TermExtra { meta, synonyms };
            let entry =
                TermEntry { term: term.to_string(), idf_micro: (idf * 1e6).round() as u64, deltas: docs, codes, extra };
            Ok((term, json(&entry)?))
        })
        .collect::<Result<_>>()?;
    Ok(cut_shards(entries, layout.term_shard_bytes))
}

/// Cuts sorted (key, entry JSON) pairs into JSON arrays of about `target` bytes each, with their
/// key ranges.
fn cut_shards(entries: Vec<(&str, Vec<u8>)>, target: usize) -> (Vec<Range>, Vec<Vec<u8>>) {
    let mut ranges = Vec::new();
    let mut shards = Vec::new();
    let mut buf = Vec::new();
    let (mut first, mut last) = (String::new(), String::new());
    let mut flush = |buf: &mut Vec<u8>, first: &str, last: &str| {
        buf.push(b']');
        ranges.push(Range(first.to_string(), last.to_string()));
        shards.push(std::mem::take(buf));
    };
    for (key, bytes) in entries {
        if !buf.is_empty() && buf.len() + bytes.len() > target {
            flush(&mut buf, &first, &last);
        }
        if buf.is_empty() {
            buf.push(b'[');
            first = key.to_string();
        } else {
            buf.push(b',');
        }
        buf.extend_from_slice(&bytes);
        last = key.to_string();
    }
    if !buf.is_empty() {
        flush(&mut buf, &first, &last);
    }
    (ranges, shards)
}

/// Names numbered files by one hash of them all and adds them to `files`.
fn push_numbered(files: &mut Vec<(String, Vec<u8>)>, kind: &str, ranges: Vec<Range>, shards: Vec<Vec<u8>>) -> Shards {
    let hash = content_hash(&shards.concat());
    for (n, bytes) in shards.into_iter().enumerate() {
        files.push((numbered(kind, &hash, n), bytes));
    }
    Shards { hash, ranges }
}

/// Every document's (term id, tf code) pairs, ids into one vocabulary: the build's own when all
/// documents share it (no hashing of 8M term occurrences), else one interned here.
pub(super) fn term_ids<'a>(docs: &[Doc<'a>]) -> (Vec<&'a str>, Vec<TfCodes>) {
    let shared = match docs.first().map(|d| d.title_terms) {
        Some(Terms::Ids(_, vocab)) => Some(vocab),
        _ => None,
    };
    let same = |t: Terms<'a>, v: &[String]| matches!(t, Terms::Ids(_, w) if std::ptr::eq(w, v));
    let all_same =
        |v: &[String]| docs.iter().all(|d| same(d.title_terms, v) && same(d.body_terms, v) && same(d.meta_terms, v));
    if let Some(vocab) = shared.filter(|v| all_same(v)) {
        let ids = |t: Terms<'a>| match t {
            Terms::Ids(ids, _) => ids,
            Terms::Strings(_) => unreachable!("checked above"),
        };
        let per_doc =
            docs.par_iter().map(|d| tf_codes(ids(d.title_terms), ids(d.body_terms), ids(d.meta_terms))).collect();
        return (vocab.iter().map(String::as_str).collect(), per_doc);
    }
    let mut index: HashMap<&'a str, u32> = HashMap::new();
    let mut vocab: Vec<&'a str> = Vec::new();
    let mut intern = |t: Terms<'a>| -> Vec<u32> {
        t.iter()
            .map(|s| {
                *index.entry(s).or_insert_with(|| {
                    vocab.push(s);
                    vocab.len() as u32 - 1
                })
            })
            .collect()
    };
    let per_doc =
        docs.iter().map(|d| tf_codes(&intern(d.title_terms), &intern(d.body_terms), &intern(d.meta_terms))).collect();
    (vocab, per_doc)
}

/// (term id, tf code, in tags or companies) of each distinct term of one document.
pub(super) type TfCodes = Vec<(u32, u32, bool)>;

/// The [`TfCodes`] of a document from its title, body and tag/company term ids.
fn tf_codes(title: &[u32], body: &[u32], meta: &[u32]) -> TfCodes {
    // 0: title, 1: body, 2: tags and companies.
    let mut all: Vec<(u32, u8)> =
        title.iter().map(|&t| (t, 0)).chain(body.iter().map(|&t| (t, 1))).chain(meta.iter().map(|&t| (t, 2))).collect();
    all.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let id = all[i].0;
        let (mut in_title, mut in_body, mut in_meta) = (0, 0, false);
        while i < all.len() && all[i].0 == id {
            match all[i].1 {
                0 => in_title += 1,
                1 => in_body += 1,
                _ => in_meta = true,
            }
            i += 1;
        }
        out.push((id, tf_code(in_title, in_body), in_meta));
    }
    out
}

fn facet_postings(input: &Input) -> Facets {
    let mut companies = vec![Vec::new(); input.companies.len()];
    let mut topics = vec![Vec::new(); input.topics.len()];
    for (id, d) in input.docs.iter().enumerate() {
        for &c in &d.companies {
            companies[c as usize].push(id as u32);
        }
        for &t in &d.topics {
            topics[t as usize].push(id as u32);
        }
    }
    let delta = |v: Vec<u32>| -> Vec<u32> {
        let mut prev = 0;
        v.into_iter()
            .map(|d| {
                let x = d - prev;
                prev = d;
                x
            })
            .collect()
    };
    Facets { companies: companies.into_iter().map(delta).collect(), topics: topics.into_iter().map(delta).collect() }
}

/// Runs of documents sharing a "YYYY-MM".
fn months(input: &Input) -> Vec<Month> {
    let mut out: Vec<Month> = Vec::new();
    // Pages (no date) come after the articles and are in no month.
    for (id, d) in input.docs.iter().enumerate().filter(|(_, d)| !d.date.is_empty()) {
        let ym = d.date.get(..7).unwrap_or(&d.date);
        match out.last_mut() {
            Some(m) if m.0 == ym => m.2 += 1,
            _ => out.push(Month(ym.to_string(), id as u32, 1)),
        }
    }
    out
}

/// The first `n` characters of `text`, cut after the last space in the final fifth when there is one.
pub fn cap_chars(text: &str, n: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(n) else { return text.to_string() };
    let head = &text[..cut];
    let min = text.char_indices().nth(n * 4 / 5).map_or(0, |(i, _)| i);
    match head.rfind(char::is_whitespace) {
        Some(space) if space >= min => head[..space].to_string(),
        _ => head.to_string(),
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Other(format!("search index: {e}")))
}

fn hashed_name(kind: &str, bytes: &[u8]) -> String {
    format!("{kind}.{}.json", content_hash(bytes))
}

fn push_file<T: Serialize + ?Sized>(files: &mut Vec<(String, Vec<u8>)>, kind: &str, value: &T) -> Result<String> {
    let bytes = json(value)?;
    let name = hashed_name(kind, &bytes);
    files.push((name.clone(), bytes));
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_chars_cuts_at_a_space_near_the_end() {
        assert_eq!(cap_chars("가나다 라마바", 10), "가나다 라마바");
        assert_eq!(cap_chars("가나다라 마바사", 6), "가나다라");
        assert_eq!(cap_chars("가나다라마바사", 3), "가나다");
    }
}
