//! The text of the document store (the last field of [`super::format::DocEntry`]): what snippets
//! are cut from, chosen by where terms occur in the whole article.
//!
//! Ten results cost ten document groups, so a document keeps about as much text as a snippet needs:
//! its lead, then short passages around the first occurrence of the terms a query would find it
//! by. Those are first the terms for which the document is among the [`TextLayout::rank`] best by
//! BM25F (a one-word query of such a term shows it on the first page), then any others; the most
//! widely used terms first in each group (a company or a product is searched more often than a
//! figure only this article has), and none that the kept text already holds. Passages are sentence
//! pieces of whole eojeols in text order, joined by [`SEPARATOR`]; the readers render it as " … "
//! and never start a snippet before it.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

use memchr::memmem;
use rayon::prelude::*;

pub use super::format::SEPARATOR;
use super::format::{body_levels, norm_length, norm_symbol, tf_decode, Scoring};
use super::write::{cap_chars, Doc, TfCodes};

/// How much text a document keeps, and how it is chosen.
#[derive(Debug, Clone)]
pub struct TextLayout {
    /// Characters kept per document, separators included (an article no longer is kept whole).
    pub chars: usize,
    /// Characters of the lead: what a snippet shows when no query term is kept.
    pub lead: usize,
    /// At most this many characters of context on each side of a term in a passage.
    pub context: usize,
    /// A term is salient for a document among its best this many documents.
    pub rank: usize,
}

impl Default for TextLayout {
    fn default() -> Self {
        TextLayout { chars: 480, lead: 160, context: 20, rank: 10 }
    }
}

/// Candidate terms looked for per document at most (bounds the build's cost on long articles).
const MAX_CANDIDATES: usize = 48;
/// Passages that did not fit before a document's text is taken as full.
const MAX_MISSES: usize = 3;

/// How much a passage for a term is worth to a document, best first. A passage pays as often as
/// its term is searched times the chance the document shows for it: for a term the document is
/// among the best `rank` for, that is all searches of it, so the most used such terms first; for a
/// term of many documents, a query of several words may still show it, and the term's weight in
/// the document (BM25) orders those; last the terms of `rank` documents or fewer (a figure, a name
/// only this article has), which are rarely searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Leads,
    Other,
    Rare,
}

/// A document among a term's best, ordered worst first: (weight bits, then the lower id first).
type Worst = Reverse<(u64, Reverse<u32>)>;

/// The stored text of every document, in order; `vocab` and `per_doc` are the documents' terms as
/// [`term_ids`](super::write::term_ids) gives them.
pub fn texts(docs: &[Doc], vocab: &[&str], per_doc: &[TfCodes], layout: &TextLayout, scoring: &Scoring) -> Vec<String> {
    if docs.is_empty() {
        return Vec::new();
    }
    let mut df = vec![0u32; vocab.len()];
    for codes in per_doc {
        for &(id, _, _) in codes {
            df[id as usize] += 1;
        }
    }
    // Ranked as the readers rank a one-word query: BM25F with the stored (rounded) body lengths,
    // ties to the lower document id. Within one term idf is the same for every document, so the
    // order is that of `weight` and document id.
    let levels = body_levels();
    let lengths: Vec<f64> =
        docs.iter().map(|d| f64::from(norm_length(&levels, norm_symbol(&levels, d.body_terms.len()) as u8))).collect();
    let sum = docs.iter().map(|d| d.body_terms.len() as f64).sum::<f64>();
    let avg = if sum == 0.0 { 1.0 } else { sum / docs.len() as f64 };
    let weight = |doc: usize, code: u32| -> f64 {
        let (title, body) = tf_decode(code);
        let norm = (1.0 - scoring.b) + scoring.b * (lengths[doc] / avg);
        scoring.title_weight * f64::from(title) + f64::from(body) / norm
    };
    // Each term's best `rank` documents so far, the worst on top: weight (not negative, so its bits
    // order as it does), then the lower id.
    let rank = layout.rank.max(1);
    let mut best: Vec<BinaryHeap<Worst>> = vec![BinaryHeap::new(); vocab.len()];
    for (doc, codes) in per_doc.iter().enumerate() {
        for &(id, code, _) in codes.iter().filter(|&&(id, _, _)| df[id as usize] as usize > rank) {
            let key = Reverse((weight(doc, code).to_bits(), Reverse(doc as u32)));
            let heap = &mut best[id as usize];
            if heap.len() < rank {
                heap.push(key);
            } else if let Some(mut worst) = heap.peek_mut() {
                if key < *worst {
                    *worst = key;
                }
            }
        }
    }
    let better = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    // The last of a term's best `rank` documents (none: every document of the term is).
    let last: Vec<Option<(f64, u32)>> =
        best.iter().map(|h| h.peek().map(|Reverse((bits, Reverse(doc)))| (f64::from_bits(*bits), *doc))).collect();
    drop(best);
    let n = docs.len() as f64;
    // Per term: idf, or none for a one-character term (readers match those only as whole words).
    let idf: Vec<Option<f64>> = vocab
        .iter()
        .zip(&df)
        .map(|(t, &df)| {
            let df = f64::from(df);
            t.chars().nth(1).map(|_| (1.0 + (n - df + 0.5) / (df + 0.5)).ln())
        })
        .collect();
    docs.par_iter()
        .zip(per_doc.par_iter())
        .enumerate()
        .map(|(doc, (d, codes))| {
            let mut terms: Vec<(Tier, f64, &str)> = codes
                .iter()
                .filter_map(|&(id, code, _)| Some((id as usize, code, idf[id as usize]?)))
                .map(|(id, code, idf)| {
                    let w = weight(doc, code);
                    let df = f64::from(df[id]);
                    let tier = match last[id] {
                        None => Tier::Rare,
                        Some(last) if better(&(w, doc as u32), &last).is_le() => Tier::Leads,
                        Some(_) => Tier::Other,
                    };
                    let key = match tier {
                        Tier::Leads | Tier::Rare => df * idf,
                        Tier::Other => idf * w / (w + scoring.k1),
                    };
                    (tier, key, vocab[id])
                })
                .collect();
            let order = |a: &(Tier, f64, &str), b: &(Tier, f64, &str)| {
                a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(b.2))
            };
            if terms.len() > MAX_CANDIDATES {
                terms.select_nth_unstable_by(MAX_CANDIDATES, order);
                terms.truncate(MAX_CANDIDATES);
            }
            terms.sort_unstable_by(order);
            let terms: Vec<&str> = terms.into_iter().map(|t| t.2).collect();
            select(d.text, &terms, layout)
        })
        .collect()
}

/// The kept text of one article: its lead and passages around the first occurrences of `terms`
/// (lowercased, most wanted first) the kept text does not hold yet, within `layout.chars`.
pub fn select(text: &str, terms: &[&str], layout: &TextLayout) -> String {
    let text: Cow<str> =
        if text.contains(SEPARATOR) { Cow::Owned(text.replace(SEPARATOR, "\n")) } else { Cow::Borrowed(text) };
    if text.chars().nth(layout.chars).is_none() {
        return text.trim().to_string();
    }
    let lower = ascii_lowercase(&text);
    let lead_chars = layout.lead.min(layout.chars);
    let lead = cap_chars(&text, lead_chars).len();
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(8);
    kept.push(0..lead);
    let mut used = cost(&text, &kept);
    let mut misses = 0;
    for term in terms {
        if used + layout.context > layout.chars || misses == MAX_MISSES {
            break;
        }
        let finder = memmem::Finder::new(term.as_bytes());
        if kept.iter().any(|r| finder.find(&lower.as_bytes()[r.clone()]).is_some()) {
            continue;
        }
        let Some(first) = finder.find(lower.as_bytes()) else { continue };
        let mut with = kept.clone();
        with.push(passage(&text, first..first + term.len(), layout.context));
        let with = merge(&text, with);
        let cost = cost(&text, &with);
        if cost <= layout.chars {
            kept = with;
            used = cost;
        } else {
            misses += 1;
        }
    }
    // The passages' room that is left lengthens the lead (with no passage: the store as it was).
    let passages = used.saturating_sub(text[..lead].trim().chars().count());
    let longer = cap_chars(&text, layout.chars - passages).len();
    if longer > lead {
        kept.push(0..longer);
        let with = merge(&text, kept.clone());
        if cost(&text, &with) <= layout.chars {
            kept = with;
        } else {
            kept.pop();
        }
    }
    let pieces: Vec<&str> = kept.iter().map(|r| text[r.clone()].trim()).collect();
    pieces.join(&SEPARATOR.to_string())
}

/// `text` with ASCII letters lowercased, every byte offset kept. Index terms are lowercased as a
/// whole (`word_key`), so a term of a word in another cased script (Ａ, Ä) is not found in the
/// article and gets no passage; a reader still marks it where the kept text has it.
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// The passage around `hit` (byte offsets): whole eojeols of its line, at most `context` characters
/// on each side, not crossing a sentence end.
fn passage(text: &str, hit: Range<usize>, context: usize) -> Range<usize> {
    // Nothing further than `context` characters is kept: only that much of the line is read.
    let lo = floor_chars(text, hit.start, context + 1);
    let hi = ceil_chars(text, hit.end, context + 1);
    let lo = text[lo..hit.start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let hi = text[hit.end..hi].find('\n').map_or(hi, |i| hit.end + i);
    let tokens: Vec<Range<usize>> = eojeol_spans(&text[lo..hi]).map(|r| r.start + lo..r.end + lo).collect();
    let Some(k) = tokens.iter().position(|t| t.end >= hit.end) else { return hit };
    let chars = |a: usize, b: usize| text[a..b].chars().count();
    let mut first = k;
    while first > 0
        && !ends_sentence(&text[tokens[first - 1].clone()])
        && chars(tokens[first - 1].start, hit.start) <= context
    {
        first -= 1;
    }
    let mut last = k;
    while last + 1 < tokens.len()
        && !ends_sentence(&text[tokens[last].clone()])
        && chars(hit.end, tokens[last + 1].end) <= context
    {
        last += 1;
    }
    // An eojeol longer than the context (a pasted address) is cut around the hit.
    let start = tokens[first].start.max(floor_chars(text, hit.start, context));
    let end = tokens[last].end.min(ceil_chars(text, hit.end, context));
    start..end
}

/// Byte ranges of the whitespace-separated pieces of `s`.
fn eojeol_spans(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    s.split(char::is_whitespace).filter(|w| !w.is_empty()).map(move |w| {
        let start = w.as_ptr() as usize - s.as_ptr() as usize;
        start..start + w.len()
    })
}

fn ends_sentence(eojeol: &str) -> bool {
    let t = eojeol.trim_end_matches(['"', '\'', '”', '’', ')', '」', '』']);
    t.ends_with(['.', '?', '!', '。'])
}

/// The offset `n` characters before `at` (or 0).
fn floor_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `at` (or the end).
fn ceil_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i)
}

/// Ranges sorted, with overlapping ones and ones apart by whitespace only made one.
fn merge(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end || text[last.end..r.start].trim().is_empty() => {
                last.end = last.end.max(r.end);
            }
            _ => out.push(r),
        }
    }
    out
}

/// Characters of the kept text: its pieces and one separator between two.
fn cost(text: &str, ranges: &[Range<usize>]) -> usize {
    ranges.iter().map(|r| text[r.clone()].trim().chars().count()).sum::<usize>() + ranges.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(chars: usize, lead: usize, context: usize) -> TextLayout {
        TextLayout { chars, lead, context, rank: 10 }
    }

    #[test]
    fn a_short_article_is_kept_whole() {
        assert_eq!(
            select(" 딥시크가 모델을 공개했다.\n둘째 문단. ", &["모델"], &layout(40, 10, 8)),
            "딥시크가 모델을 공개했다.\n둘째 문단."
        );
    }

    #[test]
    fn a_term_after_the_lead_gets_a_passage_from_its_sentence() {
        let text = format!(
            "{}공개 하루 만에 허깅페이스에서 13만 건을 기록했다. {}",
            "가나다 라마바. ".repeat(30),
            "사아자 ".repeat(40)
        );
        let got = select(&text, &["허깅페이스"], &layout(120, 40, 16));
        let (lead, rest) = got.split_once(SEPARATOR).unwrap();
        assert!(lead.starts_with("가나다 라마바.") && lead.chars().count() <= 120 - 31, "{got}");
        assert!(rest.starts_with("공개 하루 만에 허깅페이스에서 13만 건을 기록했다."), "{got}");
        assert!(got.chars().count() <= 120, "{got}");
    }

    #[test]
    fn terms_the_lead_holds_get_no_passage_and_latin_matches_any_case() {
        let text = format!("엔비디아 발표. {}GPU 공급이 늘었다. {}", "가나다 ".repeat(60), "라마 ".repeat(60));
        let got = select(&text, &["엔비디아", "gpu"], &layout(100, 20, 12));
        assert_eq!(got.matches(SEPARATOR).count(), 1, "{got}");
        assert!(got.split(SEPARATOR).nth(1).unwrap().ends_with("가나다 GPU 공급이 늘었다."), "{got}");
    }

    #[test]
    fn passages_stay_in_text_order_and_within_the_budget() {
        let text = format!("{}알파 하나. {}베타 둘. {}", "가 ".repeat(50), "나 ".repeat(50), "다 ".repeat(50));
        let got = select(&text, &["베타", "알파"], &layout(60, 10, 4));
        let a = got.find("알파").unwrap();
        let b = got.find("베타").unwrap();
        assert!(a < b && got.chars().count() <= 60, "{got}");
    }

    #[test]
    fn the_separator_in_an_article_becomes_a_line_break() {
        let text = format!("가\u{2029}나 {}", "다 ".repeat(10));
        assert!(!select(&text, &[], &layout(8, 4, 2)).contains(SEPARATOR));
        assert_eq!(select("가\u{2029}나", &[], &layout(8, 4, 2)), "가\n나");
    }
}
