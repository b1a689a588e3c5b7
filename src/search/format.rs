//! The on-disk format of the search index, version [`VERSION`]: what the writer produces and what
//! both readers (this crate's [`super::query`] and `themes/default/static/search.js`) expect.
//!
//! Everything lives in `<output>/search/`. Only `manifest.json` has a fixed name; the other files
//! carry a hash of their content, so a host may cache them forever: `<kind>.<hash>.json`, or for the
//! numbered files of one kind `<kind>.<hash>.<n>.json`, where the hash covers all files of that kind
//! (an added article shifts every document id, so they change together anyway, and the manifest
//! stays small). All JSON is compact, and every list is sorted (terms and words in Unicode code
//! point order, i.e. Rust's `str` order), so the same site gives byte-identical files.
//!
//! - `manifest.json` ([`Manifest`]): counts, scoring constants, norm decode tables, shard tables,
//!   the document store, facets (companies, topics, months as document-id ranges), and the English
//!   spellings of companies with their Korean names (`aliases`, optional: added within version 1).
//! - `terms.<hash>.<n>.json`: `[[term, idf_micro, [doc-id deltas], [tf codes]], …]`, sorted by term;
//!   a tf code is `tf_body * 4 + min(tf_title, 3)`; `idf_micro` is `round(idf * 1e6)` so that no
//!   reader needs a logarithm (JavaScript's `Math.log` and libm may differ in the last bit). A term
//!   with more to say has a fifth element ([`TermExtra`]): `{"m": [deltas of posting positions],
//!   "s": [synonym, …]}`, either key left out when empty. `m` lists the documents whose tags or
//!   company names hold the term (weighed by `meta_weight`); `s` the term's synonyms (glosses such
//!   as 세계인공지능대회 for waic, mined from the archive or set in site.toml), which a query word
//!   also matches with `synonym_weight`.
//! - `words.<hash>.<n>.json`: the eojeol map, `[[word, [term, …]], …]`, sorted by word.
//! - `docs.<hash>.<n>.json`: documents `n * per_group ..`, each
//!   `[title, url, "YYYY-MM-DD", [company], [topic], text]`; `url` is relative to the site root.
//!   `text` is what snippets are cut from: the lead of the article, then passages around the
//!   first occurrences of the terms it would be found by, in text order, joined by [`SEPARATOR`]
//!   (see [`super::store`]); a short article whole. Readers show the separator as " … " and start no
//!   snippet before one.
//! - `norms.<hash>.json`: `{"body": "…"}`, one character per document from [`NORM_ALPHABET`],
//!   whose index decodes through `body_lengths` (titles are short and not length-normalised).
//! - `facets.<hash>.json`: `{"companies": [[doc-id deltas], …], "topics": [[doc-id deltas], …]}`.
//! - `suffixes.<hash>.json`: particles and endings to strip from unknown query words, sorted.
//!
//! Document ids are positions in the site's article list, newest first, so a month is a range.

use serde::{Deserialize, Serialize};

/// Bumped whenever a file's layout or the meaning of a field changes.
pub const VERSION: u32 = 2;
/// The folder of the index under the output root.
pub const DIR: &str = "search";
pub const MANIFEST: &str = "manifest.json";
/// 64 symbols, one per norm level.
pub const NORM_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Title term frequencies are capped here (two bits of a tf code).
pub const TITLE_TF_MAX: u32 = 3;

/// Ranking constants, written into the manifest so both readers use the same numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// BM25 term-frequency saturation.
    pub k1: f64,
    /// BM25 length normalisation.
    pub b: f64,
    /// BM25F weight of a title occurrence relative to a body occurrence (titles are not
    /// length-normalised: they are short and alike, and their norms would cost every query).
    pub title_weight: f64,
    /// Weight of a term found only by prefix expansion of the last query word.
    pub prefix_weight: f64,
    /// At most this many expansions of the last word (most frequent first).
    pub prefix_terms: usize,
    /// The last word is expanded only from this many characters on.
    pub prefix_min_chars: usize,
    /// Expansions are looked for in at most this many term shards.
    pub prefix_max_shards: usize,
    /// Words of a query beyond this many are ignored.
    pub max_query_words: usize,
    /// BM25F weight of a document's tags and company names holding the term (once per document).
    pub meta_weight: f64,
    /// Weight of a synonym of a query word (below the word itself, 1).
    pub synonym_weight: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            k1: 1.2,
            b: 0.75,
            title_weight: 3.0,
            prefix_weight: 0.5,
            prefix_terms: 5,
            prefix_min_chars: 2,
            prefix_max_shards: 2,
            max_query_words: 12,
            meta_weight: 2.0,
            synonym_weight: 0.8,
        }
    }
}

/// The first and last key of one shard of a sorted key space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range(pub String, pub String);

/// Numbered files of one kind: `<kind>.<hash>.<n>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shards {
    pub hash: String,
    /// Key ranges, one per file (empty for the document store).
    pub ranges: Vec<Range>,
}

/// The document store: `count` files of `per_group` documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub hash: String,
    pub count: u32,
    pub per_group: u32,
}

/// The name of file `n` of a numbered kind.
pub fn numbered(kind: &str, hash: &str, n: usize) -> String {
    format!("{kind}.{hash}.{n}.json")
}

/// A facet value: key (URL slug) and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet(pub String, pub String);

/// A month of the archive: "YYYY-MM", first document id, number of documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month(pub String, pub u32, pub u32);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// The site's base path ("/" or "/news/"): document URLs are relative to it.
    pub base_path: String,
    pub doc_count: u32,
    /// Sum of body lengths in terms: the average length is `sum / doc_count`.
    pub body_length_sum: u64,
    pub scoring: Scoring,
    /// Decode table of the norm symbols (64 entries).
    pub body_lengths: Vec<u32>,
    pub norms: String,
    pub suffixes: String,
    pub facets: String,
    pub terms: Shards,
    pub words: Shards,
    pub docs: Store,
    pub companies: Vec<Facet>,
    pub topics: Vec<Facet>,
    /// Latin spellings of registered companies (lowercased, one word: `deepseek`, `nvidia`) and
    /// the Korean name the archive writes (`딥시크`): a query word of the first also searches the
    /// second's terms, so an English name finds the articles.
    #[serde(default)]
    pub aliases: Vec<(String, String)>,
    /// Newest first, like the documents.
    pub months: Vec<Month>,
}

/// A term's postings in a shard file: `[term, idf_micro, doc-id deltas, tf codes]`, and the
/// [`TermExtra`] as a fifth element when it is not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermEntry {
    pub term: String,
    pub idf_micro: u64,
    pub deltas: Vec<u32>,
    pub codes: Vec<u32>,
    pub extra: TermExtra,
}

/// What few terms have besides postings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermExtra {
    /// Deltas of the positions (in the posting list) of documents whose tags or companies hold it.
    #[serde(rename = "m", default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<u32>,
    /// Synonyms, sorted.
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
}

impl TermExtra {
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty() && self.synonyms.is_empty()
    }
}

impl Serialize for TermEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let extra = !self.extra.is_empty();
        let mut seq = s.serialize_seq(Some(if extra { 5 } else { 4 }))?;
        seq.serialize_element(&self.term)?;
        seq.serialize_element(&self.idf_micro)?;
        seq.serialize_element(&self.deltas)?;
        seq.serialize_element(&self.codes)?;
        if extra {
            seq.serialize_element(&self.extra)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for TermEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TermEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("[term, idf_micro, deltas, codes] with an optional fifth element")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TermEntry, A::Error> {
                use serde::de::Error;
                let missing = |i| A::Error::invalid_length(i, &self);
                Ok(TermEntry {
                    term: seq.next_element()?.ok_or_else(|| missing(0))?,
                    idf_micro: seq.next_element()?.ok_or_else(|| missing(1))?,
                    deltas: seq.next_element()?.ok_or_else(|| missing(2))?,
                    codes: seq.next_element()?.ok_or_else(|| missing(3))?,
                    extra: seq.next_element()?.unwrap_or_default(),
                })
            }
        }
        d.deserialize_seq(Visitor)
    }
}

/// A word of the eojeol map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordEntry(pub String, pub Vec<String>);

/// Separates the passages of a document's text (U+2029 PARAGRAPH SEPARATOR, which the writer turns
/// into a line break where an article has it).
pub const SEPARATOR: char = '\u{2029}';

/// A document of the store: title, url, date, company ids, topic ids, text for snippets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry(pub String, pub String, pub String, pub Vec<u32>, pub Vec<u32>, pub String);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Norms {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub companies: Vec<Vec<u32>>,
    pub topics: Vec<Vec<u32>>,
}

/// Body lengths: exact below 16 terms, then steps of about 14 % up to ~10,000 terms.
pub fn body_levels() -> Vec<u32> {
    let mut levels: Vec<u32> = (0..16).collect();
    let mut x = 16.0f64;
    while levels.len() < 64 {
        x *= 1.144;
        let next = (x.round() as u32).max(levels.last().unwrap() + 1);
        levels.push(next);
    }
    levels
}

/// The symbol of the largest level not above `len`.
pub fn norm_symbol(levels: &[u32], len: usize) -> char {
    let i = levels.partition_point(|&l| l as usize <= len).saturating_sub(1);
    NORM_ALPHABET[i] as char
}

/// Decodes a norm symbol back to its level's length.
pub fn norm_length(levels: &[u32], symbol: u8) -> u32 {
    NORM_ALPHABET.iter().position(|&c| c == symbol).map_or(0, |i| levels[i])
}

/// `tf_body * 4 + min(tf_title, 3)`.
pub fn tf_code(title: u32, body: u32) -> u32 {
    body * 4 + title.min(TITLE_TF_MAX)
}

/// (title tf, body tf) of a tf code.
pub fn tf_decode(code: u32) -> (u32, u32) {
    (code % 4, code / 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_levels_rise_to_about_ten_thousand() {
        let l = body_levels();
        assert_eq!(l.len(), 64);
        assert!(l.windows(2).all(|w| w[0] < w[1]));
        assert!(l[63] > 8000 && l[63] < 12000, "{}", l[63]);
    }

    #[test]
    fn norms_round_down_to_a_level() {
        let l = body_levels();
        assert_eq!(norm_length(&l, norm_symbol(&l, 7) as u8), 7);
        let len = norm_length(&l, norm_symbol(&l, 500) as u8);
        assert!(len <= 500 && len as f64 > 500.0 / 1.15, "{len}");
        assert_eq!(norm_length(&l, norm_symbol(&l, 1_000_000) as u8), l[63]);
    }

    #[test]
    fn tf_codes_round_trip_with_the_title_capped() {
        assert_eq!(tf_decode(tf_code(1, 7)), (1, 7));
        assert_eq!(tf_decode(tf_code(9, 0)), (3, 0));
    }
}
