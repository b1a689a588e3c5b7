//! What the terms of an article say about it: topic scores, the registry companies it names, and
//! its most similar articles. Pure functions over analysed terms.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Bodies shorter than this many terms are scored as if this long, so a two-line brief that says
/// 로봇 once does not outrank a feature about robots.
const MIN_BODY_TERMS: usize = 100;

/// Scores every topic: occurrences of its terms among the article's terms, title occurrences
/// weighing three, per 1000 body terms. Topic terms are matched like analysed terms
/// (NFC, lowercased); one with spaces (`오픈 웨이트`) matches consecutive terms, which also finds
/// the parts of a compound (오픈웨이트 gives 오픈웨이트, 오픈, 웨이트). Sorted by topic key.
pub fn topic_scores(
    title_terms: &[String],
    body_terms: &[String],
    topics: &[(String, Vec<String>)],
) -> Vec<(String, f64)> {
    score_topics(title_terms, body_terms, &topic_phrases(topics))
}

/// Each topic's terms as phrases (sequences of terms), sorted, distinct, none empty.
pub fn topic_phrases(topics: &[(String, Vec<String>)]) -> Vec<(String, Vec<Vec<String>>)> {
    topics
        .iter()
        .map(|(key, terms)| {
            let mut phrases: Vec<Vec<String>> = terms.iter().map(|t| phrase(t)).collect();
            phrases.sort();
            phrases.dedup();
            phrases.retain(|p| !p.is_empty());
            (key.clone(), phrases)
        })
        .collect()
}

/// [`topic_scores`] over any term representation (strings, or interned ids at build time), with
/// the phrases of [`topic_phrases`]. Sorted by topic key.
pub fn score_topics<T: Eq + std::hash::Hash>(
    title_terms: &[T],
    body_terms: &[T],
    topics: &[(String, Vec<Vec<T>>)],
) -> Vec<(String, f64)> {
    // Most topic terms are single terms: count those from one tally instead of a scan each.
    let (title_tally, body_tally) = (tally(title_terms), tally(body_terms));
    let count = |terms: &[T], tally: &HashMap<&T, usize>, p: &[T]| match p {
        [one] => tally.get(one).copied().unwrap_or(0),
        _ => terms.windows(p.len()).filter(|w| *w == p).count(),
    };
    let per = 1000.0 / body_terms.len().max(MIN_BODY_TERMS) as f64;
    let mut scores: Vec<(String, f64)> = topics
        .iter()
        .map(|(key, phrases)| {
            let hits: usize = phrases
                .iter()
                .map(|p| 3 * count(title_terms, &title_tally, p) + count(body_terms, &body_tally, p))
                .sum();
            (key.clone(), hits as f64 * per)
        })
        .collect();
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    scores
}

fn tally<T: Eq + std::hash::Hash>(terms: &[T]) -> HashMap<&T, usize> {
    let mut m: HashMap<&T, usize> = HashMap::with_capacity(terms.len());
    for t in terms {
        *m.entry(t).or_default() += 1;
    }
    m
}

/// Registry keys of the companies named in an article, sorted and distinct. `names` holds one
/// `(key, terms)` per name, English name and alias, each analysed with the same
/// [`Analyzer`](super::Analyzer) as the article, so a name of several terms (sk하이닉스, sk,
/// 하이닉스; boston, dynamics) matches as a sequence whatever particle follows it in the text.
pub fn detect_companies<T: Eq + std::hash::Hash>(terms: &[T], names: &[(String, Vec<T>)]) -> Vec<String> {
    let present: HashSet<&T> = terms.iter().collect();
    let mut found: Vec<String> = names
        .iter()
        .filter(|(_, name)| name.first().is_some_and(|first| present.contains(first)))
        .filter(|(_, name)| terms.windows(name.len()).any(|w| w == name.as_slice()))
        .map(|(key, _)| key.clone())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A term in more than this share of the articles says nothing about which are alike
/// (기업, ai, 모델 in an AI-news archive); it is left out of the vectors.
const MAX_DF_SHARE: f64 = 0.05;
/// Small archives keep every term: with 40 articles, 5% would be two.
const MIN_DF_CAP: usize = 50;
/// Each article looks for neighbours through its highest-weighted terms only; the cosine still
/// uses its full vector on the other side. Bounds the work per article whatever its length.
const QUERY_TERMS: usize = 48;

/// Related articles: for each article the indices of the `k` most similar others by cosine of
/// TF-IDF vectors (sublinear tf), best first, ties by index, only scores above zero. An inverted
/// index over the terms below the cap makes this linear in practice: 10,000 articles of the
/// benchmark corpus take ~0.4 s on two cores.
pub fn related(docs: &[Vec<String>], k: usize) -> Vec<Vec<usize>> {
    if docs.is_empty() || k == 0 {
        return vec![Vec::new(); docs.len()];
    }
    let (vectors, df) = term_ids(docs);
    nearest_all(&vectors, &df, k)
}

/// [`related`] over interned term ids (`0..vocab_len`), as the build has them.
pub fn related_ids(docs: &[Vec<u32>], vocab_len: usize, k: usize) -> Vec<Vec<usize>> {
    if docs.is_empty() || k == 0 {
        return vec![Vec::new(); docs.len()];
    }
    let vectors: Vec<Vec<(u32, u32)>> = docs
        .par_iter()
        .map(|d| {
            let mut ids = d.clone();
            ids.sort_unstable();
            let mut counts: Vec<(u32, u32)> = Vec::new();
            for id in ids {
                match counts.last_mut() {
                    Some((last, c)) if *last == id => *c += 1,
                    _ => counts.push((id, 1)),
                }
            }
            counts
        })
        .collect();
    let mut df = vec![0u32; vocab_len];
    for &(id, _) in vectors.iter().flatten() {
        df[id as usize] += 1;
    }
    nearest_all(&vectors, &df, k)
}

fn nearest_all(vectors: &[Vec<(u32, u32)>], df: &[u32], k: usize) -> Vec<Vec<usize>> {
    let n = vectors.len();
    let cap = ((n as f64 * MAX_DF_SHARE) as usize).max(MIN_DF_CAP) as u32;
    let weighted = weigh(vectors, df, cap);
    let index = Index::build(&weighted, df, cap);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(acc, touched), doc| index.nearest(doc, &weighted[doc], k, acc, touched),
        )
        .collect()
}

/// Each article's distinct terms as `(id, count)`, and each id's document frequency. Hashing is
/// parallel; ids are given in first-seen order, so the result does not depend on the threads.
fn term_ids(docs: &[Vec<String>]) -> (Vec<Vec<(u32, u32)>>, Vec<u32>) {
    let hashed: Vec<Vec<(u64, u32)>> = docs.par_iter().map(|d| hashed_counts(d)).collect();
    let mut ids: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>> = HashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let vectors = hashed
        .iter()
        .map(|counts| {
            counts
                .iter()
                .map(|&(hash, tf)| {
                    let next = df.len() as u32;
                    let id = *ids.entry(hash).or_insert(next);
                    if id == next {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                    (id, tf)
                })
                .collect()
        })
        .collect();
    (vectors, df)
}

/// Unit-length TF-IDF vectors without the terms above the cap. Terms of one article stay in its
/// norm (they make it less like the others) though no other article shares them.
fn weigh(vectors: &[Vec<(u32, u32)>], df: &[u32], cap: u32) -> Vec<Vec<(u32, f32)>> {
    let n = vectors.len() as f32;
    vectors
        .par_iter()
        .map(|v| {
            let mut w: Vec<(u32, f32)> = v
                .iter()
                .filter(|&&(id, _)| df[id as usize] <= cap)
                .map(|&(id, tf)| {
                    let idf = (n / df[id as usize] as f32).ln();
                    (id, (1.0 + (tf as f32).ln()) * idf)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect();
            let norm = w.iter().map(|&(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                w.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            w
        })
        .collect()
}

/// Postings of the terms shared by 2..=cap articles, in one array: term `id`'s are
/// `postings[offsets[id]..offsets[id + 1]]`, articles ascending.
struct Index {
    offsets: Vec<usize>,
    postings: Vec<(u32, f32)>,
}

impl Index {
    fn build(weighted: &[Vec<(u32, f32)>], df: &[u32], cap: u32) -> Index {
        let indexed = |id: u32| (2..=cap).contains(&df[id as usize]);
        let mut offsets = vec![0usize; df.len() + 1];
        for &(id, _) in weighted.iter().flatten().filter(|&&(id, _)| indexed(id)) {
            offsets[id as usize + 1] += 1;
        }
        for id in 0..df.len() {
            offsets[id + 1] += offsets[id];
        }
        let mut cursor = offsets.clone();
        let mut postings = vec![(0u32, 0f32); offsets[df.len()]];
        for (doc, w) in weighted.iter().enumerate() {
            for &(id, x) in w.iter().filter(|&&(id, _)| indexed(id)) {
                postings[cursor[id as usize]] = (doc as u32, x);
                cursor[id as usize] += 1;
            }
        }
        Index { offsets, postings }
    }

    fn postings(&self, id: u32) -> &[(u32, f32)] {
        &self.postings[self.offsets[id as usize]..self.offsets[id as usize + 1]]
    }

    /// The `k` best other articles for `doc`, accumulating dot products in `acc` (all zero on
    /// entry and on return) over the postings of its [`QUERY_TERMS`] heaviest terms.
    fn nearest(
        &self,
        doc: usize,
        vector: &[(u32, f32)],
        k: usize,
        acc: &mut [f32],
        touched: &mut Vec<u32>,
    ) -> Vec<usize> {
        let mut query: Vec<(u32, f32)> =
            vector.iter().copied().filter(|&(id, _)| !self.postings(id).is_empty()).collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(QUERY_TERMS);
        for (id, x) in query {
            for &(other, y) in self.postings(id) {
                if acc[other as usize] == 0.0 {
                    touched.push(other);
                }
                acc[other as usize] += x * y;
            }
        }
        let mut scored: Vec<(u32, f32)> = touched
            .drain(..)
            .map(|o| (o, std::mem::take(&mut acc[o as usize])))
            .filter(|&(o, s)| o as usize != doc && s > 0.0)
            .collect();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        scored.into_iter().map(|(o, _)| o as usize).collect()
    }
}

/// An article's terms as `(hash, count)`, sorted by hash. Interning ten million strings in one
/// thread was most of the time; hashes are computed in parallel and interned as integers. Two
/// terms sharing a 64-bit hash (odds ~1e-10 for 100,000 terms) would only merge their weights.
fn hashed_counts(terms: &[String]) -> Vec<(u64, u32)> {
    let mut hashes: Vec<u64> = terms.iter().map(|t| hash_term(t)).collect();
    hashes.sort_unstable();
    let mut counts: Vec<(u64, u32)> = Vec::new();
    for h in hashes {
        match counts.last_mut() {
            Some((last, count)) if *last == h => *count += 1,
            _ => counts.push((h, 1)),
        }
    }
    counts
}

/// SipHash with fixed keys: the same term gives the same hash in every thread and run.
fn hash_term(term: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    term.hash(&mut hasher);
    hasher.finish()
}

/// A topic term as a sequence of terms: NFC, lowercased, split at spaces.
fn phrase(term: &str) -> Vec<String> {
    let term: String = term.nfc().collect::<String>().to_lowercase();
    super::eojeols(&term).map(str::to_string).collect()
}

/// The keys of the id map are [`hash_term`] values already.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
