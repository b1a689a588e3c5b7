//! Answering a query from the index files, exactly as `search.js` does in the browser: the same
//! query-word analysis, the same BM25F arithmetic in the same order, the same tie-break. The node
//! test `tests/js/parity.test.js` holds the two to identical results.
//!
//! A query word becomes a *clause*. Its terms come from the eojeol map (the build's own analysis of
//! that word); a word the archive never wrote falls back to stripping a particle/ending and then to a
//! greedy longest match against the term vocabulary. A clause is satisfied by a document holding all
//! of its maximal terms (인공지능반도체) or all of its minimal ones (인공지능 + 반도체), or, for the last
//! word while typing, any of its prefix expansions (딥시 -> 딥시크). Documents satisfying every clause
//! are ranked; when none does, those holding any query term are (AND, then OR).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::format::{
    numbered, tf_decode, DocEntry, Facets, Manifest, Norms, Range, TermEntry, WordEntry, MANIFEST, VERSION,
};
use crate::error::{Error, Result};
use crate::text::{word_key, words};

/// Where index files are read from.
pub trait Store {
    fn read(&self, name: &str) -> Result<Vec<u8>>;
}

/// Index files in a folder (`<output>/search`).
pub struct DirStore(pub PathBuf);

impl Store for DirStore {
    fn read(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.0.join(name);
        std::fs::read(&path).map_err(|e| Error::io(path, e))
    }
}

/// A term's postings, doc ids decoded.
#[derive(Debug)]
pub struct Postings {
    pub idf_micro: u64,
    pub docs: Vec<u32>,
    pub tf_codes: Vec<u32>,
    /// Per posting: whether the document's tags or company names hold the term.
    pub meta: Vec<bool>,
    pub synonyms: Vec<String>,
}

/// One query word, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub word: String,
    /// The word's terms (from the eojeol map, or the fallback analysis).
    pub terms: Vec<String>,
    /// Prefix expansions (last word only).
    pub expansions: Vec<String>,
    /// Synonyms of the word's maximal terms (glosses: waic -> 세계인공지능대회).
    pub synonyms: Vec<String>,
    /// Sets of terms any one of which, wholly present, satisfies the clause.
    pub alternatives: Vec<Vec<String>>,
}

/// A query, analysed: its clauses and the weighted terms in scoring order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub clauses: Vec<Clause>,
    pub terms: Vec<(String, f64)>,
    /// Query words the archive has no term for (not grammar such as 의 or 했다): no article can
    /// have every word, so the ranking is of the other words, and the page says which were left out.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub plan: Plan,
    /// Best first; ties by ascending doc id.
    pub hits: Vec<Hit>,
    /// False when no document satisfied every clause and the OR fallback ranked these.
    pub all_words: bool,
}

type Cache<T> = RefCell<HashMap<usize, Rc<T>>>;

/// The particle/ending set and its longest member in characters.
type Suffixes = (HashSet<String>, usize);

/// An open index: the manifest, with every other file read on first use.
pub struct Index<S: Store = DirStore> {
    store: S,
    pub manifest: Manifest,
    terms: Cache<BTreeMap<String, Rc<Postings>>>,
    words: Cache<HashMap<String, Vec<String>>>,
    groups: Cache<Vec<DocEntry>>,
    suffixes: RefCell<Option<Rc<Suffixes>>>,
    norms: RefCell<Option<Rc<Vec<u32>>>>,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Other(format!("search index file {name}: {e}")))
}

/// The shard whose key range holds `key`.
fn shard_of(table: &[Range], key: &str) -> Option<usize> {
    let i = table.partition_point(|s| s.0.as_str() <= key).checked_sub(1)?;
    (key <= table[i].1.as_str()).then_some(i)
}

/// The characters of `s` from `from` to `to`.
fn slice(chars: &[char], from: usize, to: usize) -> String {
    chars[from..to].iter().collect()
}

/// Longest vocabulary piece the fallback looks for: keeps a pasted run of thousands of letters
/// linear (search.js has the same bound).
const GREEDY_MAX: usize = 32;

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// The clause alternatives of a word's terms: all maximal terms, or all minimal ones.
pub fn alternatives(terms: &[String]) -> Vec<Vec<String>> {
    let mut t: Vec<String> = Vec::new();
    for x in terms {
        push_unique(&mut t, x);
    }
    if t.is_empty() {
        return Vec::new();
    }
    let maximal: Vec<String> =
        t.iter().filter(|a| !t.iter().any(|b| b != *a && b.contains(a.as_str()))).cloned().collect();
    let minimal: Vec<String> =
        t.iter().filter(|a| !t.iter().any(|b| b != *a && a.contains(b.as_str()))).cloned().collect();
    if maximal == minimal {
        vec![maximal]
    } else {
        vec![maximal, minimal]
    }
}

/// The lowercased words of a query (at most `max`, repeats removed) and the one to expand as a
/// prefix: the last word, unless the query ends in a space or punctuation.
pub fn query_words(query: &str, max: usize) -> (Vec<String>, Option<String>) {
    let query: String = query.nfc().collect();
    let all: Vec<String> = words(&query).map(word_key).collect();
    let open_end = query.chars().last().is_some_and(char::is_alphanumeric);
    let prefix = (open_end && all.len() <= max).then(|| all.last().cloned()).flatten();
    let mut keys = Vec::new();
    for w in all.into_iter().take(max) {
        push_unique(&mut keys, &w);
    }
    (keys, prefix)
}

impl Index<DirStore> {
    /// Opens `<output>/search`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self> {
        Index::with_store(DirStore(dir.into()))
    }
}

impl<S: Store> Index<S> {
    pub fn with_store(store: S) -> Result<Self> {
        let manifest: Manifest = parse(MANIFEST, &store.read(MANIFEST)?)?;
        if manifest.version != VERSION {
            return Err(Error::Other(format!(
                "search index format {} is not the supported {VERSION}: rebuild the site",
                manifest.version
            )));
        }
        Ok(Index {
            store,
            manifest,
            terms: Default::default(),
            words: Default::default(),
            groups: Default::default(),
            suffixes: Default::default(),
            norms: Default::default(),
        })
    }

    fn term_shard(&self, i: usize) -> Result<Rc<BTreeMap<String, Rc<Postings>>>> {
        if let Some(s) = self.terms.borrow().get(&i) {
            return Ok(s.clone());
        }
        let name = &numbered("terms", &self.manifest.terms.hash, i);
        let entries: Vec<TermEntry> = parse(name, &self.store.read(name)?)?;
        let map: BTreeMap<String, Rc<Postings>> = entries
            .into_iter()
            .map(|TermEntry { term, idf_micro, deltas, codes, extra }| {
                let mut doc = 0;
                let docs = deltas.iter().map(|d| {
                    doc += d;
                    doc
                });
                let mut meta = vec![false; codes.len()];
                let mut at = 0usize;
                for d in extra.meta {
                    at += d as usize;
                    if let Some(m) = meta.get_mut(at) {
                        *m = true;
                    }
                }
                let postings =
                    Postings { idf_micro, docs: docs.collect(), tf_codes: codes, meta, synonyms: extra.synonyms };
                (term, Rc::new(postings))
            })
            .collect();
        let shard = Rc::new(map);
        self.terms.borrow_mut().insert(i, shard.clone());
        Ok(shard)
    }

    fn word_shard(&self, i: usize) -> Result<Rc<HashMap<String, Vec<String>>>> {
        if let Some(s) = self.words.borrow().get(&i) {
            return Ok(s.clone());
        }
        let name = &numbered("words", &self.manifest.words.hash, i);
        let entries: Vec<WordEntry> = parse(name, &self.store.read(name)?)?;
        let shard: Rc<HashMap<String, Vec<String>>> =
            Rc::new(entries.into_iter().map(|WordEntry(w, t)| (w, t)).collect());
        self.words.borrow_mut().insert(i, shard.clone());
        Ok(shard)
    }

    /// The particle/ending set and its longest member in characters.
    fn suffixes(&self) -> Result<Rc<Suffixes>> {
        if let Some(s) = self.suffixes.borrow().as_ref() {
            return Ok(s.clone());
        }
        let name = &self.manifest.suffixes;
        let list: Vec<String> = parse(name, &self.store.read(name)?)?;
        let longest = list.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        let s = Rc::new((list.into_iter().collect(), longest));
        *self.suffixes.borrow_mut() = Some(s.clone());
        Ok(s)
    }

    /// Decoded body lengths per document.
    fn norms(&self) -> Result<Rc<Vec<u32>>> {
        if let Some(n) = self.norms.borrow().as_ref() {
            return Ok(n.clone());
        }
        let name = &self.manifest.norms;
        let norms: Norms = parse(name, &self.store.read(name)?)?;
        let levels = &self.manifest.body_lengths;
        let n: Rc<Vec<u32>> = Rc::new(norms.body.bytes().map(|b| super::format::norm_length(levels, b)).collect());
        *self.norms.borrow_mut() = Some(n.clone());
        Ok(n)
    }

    /// The eojeol map's terms for a lowercased word, if the archive has that word.
    pub fn word_terms(&self, key: &str) -> Result<Option<Vec<String>>> {
        match shard_of(&self.manifest.words.ranges, key) {
            Some(i) => Ok(self.word_shard(i)?.get(key).cloned()),
            None => Ok(None),
        }
    }

    pub fn postings(&self, term: &str) -> Result<Option<Rc<Postings>>> {
        match shard_of(&self.manifest.terms.ranges, term) {
            Some(i) => Ok(self.term_shard(i)?.get(term).cloned()),
            None => Ok(None),
        }
    }

    pub fn has_term(&self, term: &str) -> Result<bool> {
        Ok(self.postings(term)?.is_some())
    }

    /// Terms that start with `prefix` (and are longer), most frequent first, ties in term order.
    pub fn prefix_terms(&self, prefix: &str) -> Result<Vec<String>> {
        let table = &self.manifest.terms.ranges;
        let sc = &self.manifest.scoring;
        let start = table.partition_point(|s| s.1.as_str() < prefix);
        let mut found: Vec<(usize, String)> = Vec::new();
        for (i, range) in table.iter().enumerate().skip(start).take(sc.prefix_max_shards) {
            if range.0.as_str() > prefix && !range.0.starts_with(prefix) {
                break;
            }
            let shard = self.term_shard(i)?;
            for (t, p) in shard.range::<str, _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded)) {
                if !t.starts_with(prefix) {
                    break;
                }
                if t != prefix {
                    found.push((p.docs.len(), t.clone()));
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(found.into_iter().take(sc.prefix_terms).map(|(_, t)| t).collect())
    }

    /// The analysis of a word the archive never wrote: the word itself if it is a term; else a
    /// known stem left by stripping a particle/ending (longest first); else the greedy longest
    /// match of the stripped word against the vocabulary (pieces of two or more characters).
    pub fn fallback_terms(&self, key: &str) -> Result<Vec<String>> {
        if self.has_term(key)? {
            return self.with_parts(key);
        }
        let suffixes = self.suffixes()?;
        if suffixes.0.contains(key) {
            return Ok(Vec::new());
        }
        let chars: Vec<char> = key.chars().collect();
        let n = chars.len();
        let mut stripped = n;
        for len in (1..n.min(suffixes.1 + 1)).rev() {
            if !suffixes.0.contains(&slice(&chars, n - len, n)) {
                continue;
            }
            let stem = slice(&chars, 0, n - len);
            if let Some(t) = self.word_terms(&stem)?.filter(|t| !t.is_empty()) {
                return Ok(t);
            }
            if self.has_term(&stem)? {
                return self.with_parts(&stem);
            }
            stripped = stripped.min(n - len);
        }
        self.greedy(&chars[..stripped])
    }

    /// A term the eojeol map does not have as a word, with the parts the build gives a compound
    /// (ai반도체 -> ai반도체, ai, 반도체): shorter terms of two or more characters that cover it
    /// whole, longest first from the left; the term alone when they do not.
    fn with_parts(&self, term: &str) -> Result<Vec<String>> {
        let chars: Vec<char> = term.chars().collect();
        let mut out = vec![term.to_string()];
        let mut i = 0;
        while i < chars.len() {
            let mut next = None;
            for j in (i + 2..=chars.len().min(i + GREEDY_MAX)).rev() {
                if (i, j) != (0, chars.len()) && self.has_term(&slice(&chars, i, j))? {
                    next = Some(j);
                    break;
                }
            }
            let Some(j) = next else { return Ok(vec![term.to_string()]) };
            push_unique(&mut out, &slice(&chars, i, j));
            i = j;
        }
        Ok(out)
    }

    fn greedy(&self, chars: &[char]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let mut next = i + 1;
            for j in (i + 2..=chars.len().min(i + GREEDY_MAX)).rev() {
                let piece = slice(chars, i, j);
                if self.has_term(&piece)? {
                    // A compound keeps its parts, as the eojeol map gives them (ai반도체로 -> ai반도체,
                    // ai, 반도체).
                    let terms = match self.word_terms(&piece)? {
                        Some(t) if !t.is_empty() => t,
                        _ => self.with_parts(&piece)?,
                    };
                    for t in &terms {
                        push_unique(&mut out, t);
                    }
                    next = j;
                    break;
                }
            }
            i = next;
        }
        Ok(out)
    }

    /// One query word as a clause; `expand` for the last word while typing.
    pub fn clause(&self, key: &str, expand: bool) -> Result<Clause> {
        let mapped = self.word_terms(key)?;
        // A word the archive wrote with terms is complete; anything else may be half typed.
        let complete = mapped.as_ref().is_some_and(|t| !t.is_empty());
        let terms = match mapped {
            Some(t) => t,
            None => self.fallback_terms(key)?,
        };
        self.clause_of(key, terms, expand && !complete)
    }

    /// The clause of a word whose terms are known; `expand` when it may be half typed.
    fn clause_of(&self, key: &str, terms: Vec<String>, expand: bool) -> Result<Clause> {
        let sc = &self.manifest.scoring;
        let mut expansions = Vec::new();
        if expand && key.chars().count() >= sc.prefix_min_chars && !self.suffixes()?.0.contains(key) {
            expansions = self.prefix_terms(key)?.into_iter().filter(|t| !terms.contains(t)).collect();
        }
        let mut terms = terms;
        let mut alternatives = alternatives(&terms);
        // An English spelling of a registered company also searches its Korean name (deepseek -> 딥시크).
        let aliases = &self.manifest.aliases;
        if let Ok(i) = aliases.binary_search_by(|(spelling, _)| spelling.as_str().cmp(key)) {
            let name = crate::text::word_key(&aliases[i].1.nfc().collect::<String>());
            let named = match self.word_terms(&name)? {
                Some(t) if !t.is_empty() => t,
                _ => self.fallback_terms(&name)?,
            };
            for t in &named {
                push_unique(&mut terms, t);
            }
            alternatives.extend(self::alternatives(&named));
        }
        // Each maximal term's synonyms satisfy the clause too (세계인공지능대회 for waic).
        let mut synonyms: Vec<String> = Vec::new();
        for t in alternatives.first().into_iter().flatten() {
            for s in self.postings(t)?.map(|p| p.synonyms.clone()).unwrap_or_default() {
                if !terms.contains(&s) && self.has_term(&s)? {
                    push_unique(&mut synonyms, &s);
                }
            }
        }
        alternatives.extend(synonyms.iter().map(|s| vec![s.clone()]));
        alternatives.extend(expansions.iter().map(|e| vec![e.clone()]));
        Ok(Clause { word: key.to_string(), terms, expansions, synonyms, alternatives })
    }

    /// Two adjacent query words as one compound ("오픈 소스" -> 오픈소스, 오픈, 소스), when the archive
    /// has the compound (see [`crate::analysis::spaced_compound`]); the second word must be whole.
    fn spaced(&self, a: &str, b: &str) -> Result<Option<(String, Vec<String>)>> {
        let terms_of = |w: &str| -> Result<Vec<String>> {
            Ok(match self.word_terms(w)? {
                Some(t) => t,
                None => self.fallback_terms(w)?,
            })
        };
        let (ta, tb) = (terms_of(a)?, terms_of(b)?);
        let Some(compound) = crate::analysis::spaced_compound(a, &ta, b, &tb) else { return Ok(None) };
        if !self.has_term(&compound)? {
            return Ok(None);
        }
        let mut terms = vec![compound];
        for t in ta.iter().chain(&tb) {
            push_unique(&mut terms, t);
        }
        Ok(Some((format!("{a} {b}"), terms)))
    }

    pub fn plan(&self, query: &str) -> Result<Plan> {
        let (keys, prefix) = query_words(query, self.manifest.scoring.max_query_words);
        let mut clauses = Vec::new();
        let mut missing = Vec::new();
        let mut expanded = false;
        let mut i = 0;
        while i < keys.len() {
            let key = &keys[i];
            let expand = !expanded && prefix.as_deref() == Some(key.as_str());
            expanded |= expand;
            // Two words written apart that the archive also writes as one (오픈 소스, 오픈소스) are
            // one clause with the compound's terms, so both spellings give the same results.
            if let Some(next) = keys.get(i + 1) {
                if let Some((joined, terms)) = self.spaced(key, next)? {
                    clauses.push(self.clause_of(&joined, terms, false)?);
                    i += 2;
                    continue;
                }
            }
            i += 1;
            let c = self.clause(key, expand)?;
            if !c.alternatives.is_empty() {
                clauses.push(c);
            } else if self.word_terms(key)?.is_none() && !self.suffixes()?.0.contains(key) {
                missing.push(key.clone());
            }
        }
        let mut terms: Vec<(String, f64)> = Vec::new();
        for c in &clauses {
            let sc = &self.manifest.scoring;
            let weighted = c
                .terms
                .iter()
                .map(|t| (t, 1.0))
                .chain(c.synonyms.iter().map(|t| (t, sc.synonym_weight)))
                .chain(c.expansions.iter().map(|t| (t, sc.prefix_weight)));
            for (t, w) in weighted {
                if !terms.iter().any(|(x, _)| x == t) {
                    terms.push((t.clone(), w));
                }
            }
        }
        Ok(Plan { clauses, terms, missing })
    }

    /// Ranks every matching document.
    pub fn rank(&self, query: &str) -> Result<Ranking> {
        let plan = self.plan(query)?;
        let m = &self.manifest;
        if plan.terms.is_empty() || m.doc_count == 0 {
            return Ok(Ranking { plan, hits: Vec::new(), all_words: true });
        }
        let norms = self.norms()?;
        let (k1, b, tw, mw) = (m.scoring.k1, m.scoring.b, m.scoring.title_weight, m.scoring.meta_weight);
        let avg = if m.body_length_sum == 0 { 1.0 } else { m.body_length_sum as f64 / m.doc_count as f64 };
        let mut score: HashMap<u32, f64> = HashMap::new();
        let mut has: HashMap<u32, Vec<usize>> = HashMap::new();
        for (ti, (term, weight)) in plan.terms.iter().enumerate() {
            let Some(p) = self.postings(term)? else { continue };
            let iw = (p.idf_micro as f64 / 1e6) * weight;
            for ((&doc, &code), &meta) in p.docs.iter().zip(&p.tf_codes).zip(&p.meta) {
                let (tt, tb) = tf_decode(code);
                let nb = (1.0 - b) + b * (norms[doc as usize] as f64 / avg);
                let tm = if meta { mw } else { 0.0 };
                let tfw = tw * tt as f64 + tm + (tb as f64) / nb;
                *score.entry(doc).or_insert(0.0) += (iw * (tfw * (k1 + 1.0))) / (tfw + k1);
                has.entry(doc).or_default().push(ti);
            }
        }
        let index: HashMap<&str, usize> = plan.terms.iter().enumerate().map(|(i, (t, _))| (t.as_str(), i)).collect();
        let clauses: Vec<Vec<Vec<usize>>> = plan
            .clauses
            .iter()
            .map(|c| c.alternatives.iter().map(|a| a.iter().map(|t| index[t.as_str()]).collect()).collect())
            .collect();
        let satisfies = |doc_terms: &[usize]| {
            clauses.iter().all(|alts| alts.iter().any(|alt| alt.iter().all(|t| doc_terms.contains(t))))
        };
        let mut hits: Vec<Hit> =
            has.iter().filter(|(_, t)| satisfies(t)).map(|(&doc, _)| Hit { doc, score: score[&doc] }).collect();
        let all_words = !hits.is_empty() && plan.missing.is_empty();
        if !all_words {
            hits = score.iter().map(|(&doc, &score)| Hit { doc, score }).collect();
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        Ok(Ranking { plan, hits, all_words })
    }

    /// A document of the store.
    pub fn doc(&self, id: u32) -> Result<DocEntry> {
        let store = &self.manifest.docs;
        let per = store.per_group.max(1) as usize;
        let (g, i) = (id as usize / per, id as usize % per);
        if g >= store.count as usize {
            return Err(Error::Other(format!("no document {id}")));
        }
        let cached = self.groups.borrow().get(&g).cloned();
        let group = match cached {
            Some(group) => group,
            None => {
                let name = numbered("docs", &store.hash, g);
                let group: Rc<Vec<DocEntry>> = Rc::new(parse(&name, &self.store.read(&name)?)?);
                self.groups.borrow_mut().insert(g, group.clone());
                group
            }
        };
        group.get(i).cloned().ok_or_else(|| Error::Other(format!("no document {id}")))
    }

    /// Company and topic postings (doc ids decoded).
    pub fn facets(&self) -> Result<Facets> {
        let name = &self.manifest.facets;
        let f: Facets = parse(name, &self.store.read(name)?)?;
        let decode = |v: Vec<Vec<u32>>| -> Vec<Vec<u32>> {
            v.into_iter()
                .map(|d| {
                    let mut doc = 0;
                    d.into_iter()
                        .map(|x| {
                            doc += x;
                            doc
                        })
                        .collect()
                })
                .collect()
        };
        Ok(Facets { companies: decode(f.companies), topics: decode(f.topics) })
    }
}
