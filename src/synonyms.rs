//! Synonyms from glosses: Korean news writes a term with its acronym or original name in brackets,
//! 세계인공지능대회(WAIC), 신경망처리장치(NPU), RNGD(레니게이드). The build mines those pairs from the
//! archive's own text, site.toml `[synonyms]` adds or vetoes pairs, and the search index lets a query
//! word also match its synonyms (ranked below the word itself).
//!
//! No pair is built into sosik: an archive that never glosses a term has no synonym for it.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::text::word_key;

/// A synonym pair, both sides as index terms (lowercased).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Pair {
    pub korean: String,
    pub latin: String,
    /// Articles that gloss one side with the other (0 for a pair site.toml adds).
    pub articles: usize,
    /// From site.toml `[synonyms] add` rather than mined.
    pub site: bool,
}

/// A gloss side paired with this many different other sides is an annotation, not a gloss
/// (딥시크(중국), 알리바바(중국), 화웨이(중국)): its pairs are dropped.
const MAX_PARTNERS: usize = 3;

/// Longest side of a gloss, in characters.
const MAX_SIDE_CHARS: usize = 40;

/// The (Korean, Latin) gloss pairs of a text, lowercased, in text order, repeats removed: a word of
/// Hangul (Latin letters and digits allowed after the first syllable) directly followed by a
/// bracketed Latin name (letters, digits, `-` and `.`, at least one letter), or the reverse. `is_term`
/// tells whether a side is an index term of its own (a whole word of the analysis).
pub fn glosses(text: &str, is_term: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (open, _) in text.match_indices('(') {
        let before = &text[..open];
        let outer_start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || matches!(c, '-' | '.'))
            .last()
            .map_or(open, |(i, _)| i);
        let outer = before[outer_start..].trim_matches(['-', '.']);
        let after = &text[open + 1..];
        let Some(close) = after.find(')') else { continue };
        let inner = after[..close].trim();
        if outer.is_empty() || inner.is_empty() || inner.chars().count() > MAX_SIDE_CHARS {
            continue;
        }
        let pair = match (is_korean(outer), is_latin(outer), is_korean(inner), is_latin(inner)) {
            (true, _, _, true) => (outer, inner),
            (_, true, true, _) => (inner, outer),
            _ => continue,
        };
        let (k, l) = (word_key(pair.0), word_key(pair.1));
        if k.chars().count() < 2 || !is_term(&k) || !is_term(&l) {
            continue;
        }
        // An acronym's Korean expansion is longer than two syllables; a short word before one is
        // the tail of an expansion written with spaces (전문가 혼합(MoE)).
        let acronym = pair.1.chars().filter(char::is_ascii_uppercase).count() >= 2;
        if acronym && k.chars().count() <= 2 {
            continue;
        }
        if !out.iter().any(|(a, b)| *a == k && *b == l) {
            out.push((k, l));
        }
    }
    out
}

/// Starts with a Hangul syllable; letters and digits only.
fn is_korean(s: &str) -> bool {
    s.chars().next().is_some_and(is_hangul) && s.chars().all(|c| c.is_alphanumeric())
}

/// ASCII letters, digits, `-` and `.`, with a letter, and no more than [`MAX_SIDE_CHARS`].
fn is_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        && s.len() <= MAX_SIDE_CHARS
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The synonym pairs of an archive: the mined glosses (`mined`: each article's pairs from
/// [`glosses`]) less annotations and vetoed pairs, plus the pairs site.toml adds. Sorted.
pub fn resolve<'a>(mined: impl IntoIterator<Item = &'a [(String, String)]>, config: &Config) -> Vec<Pair> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for article in mined {
        for (k, l) in article {
            *counts.entry((k.as_str(), l.as_str())).or_default() += 1;
        }
    }
    let mut partners: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &(k, l) in counts.keys() {
        partners.entry(k).or_default().insert(l);
        partners.entry(l).or_default().insert(k);
    }
    let vetoed: BTreeSet<(String, String)> = config.synonyms.ignore.iter().cloned().collect();
    let mut pairs: Vec<Pair> = counts
        .iter()
        .filter(|((k, l), _)| partners[k].len() < MAX_PARTNERS && partners[l].len() < MAX_PARTNERS)
        // 신경망 처리장치(NPU) gives 처리장치 when 신경망처리장치(NPU) is written too: keep the longer.
        .filter(|((k, l), _)| !partners[l].iter().any(|other| other != k && other.ends_with(k)))
        .filter(|((k, l), _)| !vetoed.contains(&(k.to_string(), l.to_string())))
        .map(|(&(k, l), &n)| Pair { korean: k.to_string(), latin: l.to_string(), articles: n, site: false })
        .collect();
    for (a, b) in &config.synonyms.add {
        if !pairs.iter().any(|p| (&p.korean, &p.latin) == (a, b)) {
            pairs.push(Pair { korean: a.clone(), latin: b.clone(), articles: 0, site: true });
        }
    }
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mined(text: &str) -> Vec<(String, String)> {
        glosses(text, |_| true)
    }

    #[test]
    fn finds_glosses_both_ways() {
        let text = "세계인공지능대회(WAIC)에서 신경망처리장치(NPU)와 RNGD(레니게이드)를 봤다. 오픈AI(OpenAI)도.";
        let pairs = mined(text);
        let want =
            [("세계인공지능대회", "waic"), ("신경망처리장치", "npu"), ("레니게이드", "rngd"), ("오픈ai", "openai")];
        assert_eq!(pairs, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn leaves_other_brackets_alone() {
        for text in [
            "발표(현지시간) 내용",
            "전문가 혼합(MoE)",
            "삼성전자(005930) 주가",
            "GPU(H100)",
            "가(A)",
            "모델 (GPT-5)",
            "칩(",
            "(NPU)",
        ] {
            assert_eq!(mined(text), Vec::<(String, String)>::new(), "{text}");
        }
    }

    #[test]
    fn needs_both_sides_to_be_terms() {
        assert!(glosses("세계인공지능대회(WAIC)", |t| t != "waic").is_empty());
    }

    #[test]
    fn annotations_and_vetoes_are_dropped_and_site_pairs_added() {
        let mut config = Config::parse("title = 't'\nbase_url = 'https://e.org/'", "site.toml".as_ref()).unwrap();
        config.synonyms.ignore = vec![("인공지능".into(), "ai".into())];
        config.synonyms.add = vec![("엑사원".into(), "exaone".into())];
        let a = mined("딥시크(China) 알리바바(China) 화웨이(China) 인공지능(AI) 신경망처리장치(NPU)");
        let b = mined("처리장치(NPU) 신경망처리장치(NPU)");
        let pairs = resolve([a.as_slice(), b.as_slice()], &config);
        let got: Vec<(&str, &str, usize, bool)> =
            pairs.iter().map(|p| (p.korean.as_str(), p.latin.as_str(), p.articles, p.site)).collect();
        assert_eq!(got, [("신경망처리장치", "npu", 2, false), ("엑사원", "exaone", 0, true)]);
    }
}
