//! `sosik check --suggest-companies`: names the archive writes that the company registry lacks.
//!
//! Two readings of the analysed text find them:
//! - proper-noun runs: a word whose nouns are all proper nouns (NNP, places and people aside) or
//!   unknown to the dictionary, with the next words while nothing (a particle, a comma) separates
//!   them: 무어 스레드;
//! - enumerations that name a registered company: in `칩 업체 화웨이, 비렌, 무어 스레드 등` the other
//!   items are names of the same kind, even where the dictionary reads them as common nouns
//!   (센스타임 is 센스 + 타임), once the common nouns that lead an item (칩 업체) are dropped.
//!
//! A registered name or alias is never suggested, and neither is a single common noun.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::{eojeols, Morpheme};
use crate::config::Config;
use crate::error::Result;

/// One name to consider for the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    /// A registry key made from the name (romanised), not yet taken; empty for a product.
    pub key: String,
    /// Articles that write it, and how often in all.
    pub articles: usize,
    pub occurrences: usize,
    /// Occurrences where it stands as a product's name does: right after a registered company's
    /// name (화웨이 어센드, 화웨이의 어센드) or right before a model number (어센드 910C).
    pub product_uses: usize,
    /// The newest article that writes it.
    pub example: PathBuf,
    pub example_title: String,
}

impl Suggestion {
    /// Written at least half the time as a product's name: not suggested as a company.
    pub fn is_product(&self) -> bool {
        self.product_uses * 2 >= self.occurrences
    }

    /// The entry to paste into site.toml, with a comment saying where the name was seen.
    pub fn toml(&self) -> String {
        let plural = |n: usize, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
        format!(
            "# {} ({}), e.g. {} ({})\n[companies.{}]\nname = \"{}\"\n",
            plural(self.articles, "article"),
            plural(self.occurrences, "time"),
            self.example.display(),
            self.example_title.replace(['\n', '\r'], " "),
            self.key,
            toml_escape(&self.name)
        )
    }
}

/// Words an enumeration item holds at most (무어 스레드 is two).
const MAX_NAME_WORDS: usize = 3;

/// The suggestions for the site under `root`, most frequent first.
pub fn suggest_companies(root: &Path, config: &Config, drafts: bool) -> Result<Vec<Suggestion>> {
    let analyzer = crate::enrich::analyzer(config)?;
    let now = chrono::Utc::now().with_timezone(&config.timezone);
    let loaded = crate::content::load(root, config)?;
    let registered: HashSet<String> = config.companies.iter().flat_map(|c| c.spellings()).map(fold).collect();
    // Topic terms name subjects (휴머노이드), not companies.
    let topic_terms: HashSet<String> = config.topics.iter().flat_map(|t| &t.terms).map(|t| fold(t)).collect();
    let texts: Vec<(usize, Vec<Word>)> = loaded
        .articles
        .par_iter()
        .enumerate()
        .filter(|(_, a)| !a.page && (drafts || !a.is_hidden(now)))
        .map(|(i, a)| {
            let text = format!("{}\n{}", a.title, a.body.text);
            (i, eojeols(&text).map(|w| word_of(&analyzer.tokens(w), &registered)).collect())
        })
        .collect();
    // Names that enumerations give whole (무어 스레드), so that a proper-noun run reading only their
    // end (스레드, 무어 being a common noun) is taken as the whole name where the text has it.
    let listed: HashSet<String> =
        texts.iter().flat_map(|(_, words)| listed_names(words, &registered)).map(|(_, n)| n).collect();
    let found: Vec<(usize, Vec<(String, Place)>)> = texts
        .iter()
        .map(|(i, words)| {
            // Both readings may find a name at the same place: it counts once.
            let mut at = listed_names(words, &registered);
            at.extend(proper_runs(words, &listed));
            at.sort();
            at.dedup_by_key(|(start, _)| *start);
            let names = at.into_iter().map(|(start, n)| {
                let len = n.split(' ').count();
                let place = Place { product: product_position(words, start, len), cue: company_cue(words, start, len) };
                (n, place)
            });
            let names = names.filter(|(n, _)| !registered.contains(&fold(n)) && !topic_terms.contains(&fold(n)));
            (*i, names.collect())
        })
        .collect();
    let mut seen: BTreeMap<String, Tally> = BTreeMap::new();
    for (i, names) in &found {
        let mut counted: HashSet<&str> = HashSet::new();
        for (n, place) in names {
            let t = seen.entry(n.clone()).or_insert(Tally { example: *i, ..Tally::default() });
            t.occurrences += 1;
            t.product_uses += usize::from(place.product);
            t.cues += usize::from(place.cue);
            if counted.insert(n.as_str()) {
                t.articles += 1;
                let (a, b) = (&loaded.articles[*i], &loaded.articles[t.example]);
                if (a.date, &b.path) > (b.date, &a.path) {
                    t.example = *i;
                }
            }
        }
    }
    // ko-dic tags many common loanwords as proper nouns (스마트폰, 클라우드): a name read only as a
    // proper-noun run needs one place where the text treats it as a company.
    seen.retain(|name, t| listed.contains(name) || t.cues > 0);
    let mut list: Vec<(String, Tally)> = seen.into_iter().collect();
    list.sort_by(|(x, a), (y, b)| {
        b.articles.cmp(&a.articles).then(b.occurrences.cmp(&a.occurrences)).then_with(|| x.cmp(y))
    });
    let mut keys: HashSet<String> = config.companies.iter().map(|c| c.key.clone()).collect();
    Ok(list
        .into_iter()
        .map(|(name, t)| {
            let a = &loaded.articles[t.example];
            let product = t.product_uses * 2 >= t.occurrences;
            let key = if product { String::new() } else { free_key(&romanise(&name), &mut keys) };
            let example = a.path.strip_prefix(root).unwrap_or(&a.path).to_path_buf();
            Suggestion {
                key,
                articles: t.articles,
                occurrences: t.occurrences,
                product_uses: t.product_uses,
                example,
                example_title: a.title.clone(),
                name,
            }
        })
        .collect())
}

/// What the archive writes of one name.
#[derive(Debug, Default)]
struct Tally {
    articles: usize,
    occurrences: usize,
    /// The newest article that writes it (index into the loaded articles).
    example: usize,
    /// Occurrences in a product's place ([`product_position`]) and with a [`company_cue`].
    product_uses: usize,
    cues: usize,
}

/// What one word of the text is, for the two readings.
#[derive(Debug, Default)]
struct Word {
    /// The nouns it starts with (after opening punctuation), e.g. 스레드 in 스레드가.
    noun: String,
    /// Every noun is a proper noun (not a place or a person) or unknown, all Hangul.
    proper: bool,
    /// It is one common noun of the dictionary (업체, 칩).
    common: bool,
    /// Something stands before the noun (a bracket, a quote).
    opened: bool,
    /// A quotation mark stands before the noun ('하이뤄'): news quotes products, not companies.
    quoted: bool,
    /// The noun is a registered company's name.
    registered: bool,
    /// What follows the nouns: nothing, a comma, or anything else (a particle, a verb ending).
    tail: Tail,
    /// The noun is followed by the possessive 의 alone (화웨이의).
    possessive: bool,
    /// The word is a model number: Latin letters and digits with at least one digit, then at most
    /// a particle (910C, T1를), not a count or a date (3분기, 10일).
    code: bool,
    /// A number follows the noun in the same word, as in a model's name (큐원3, 엑사원4.0).
    numbered: bool,
}

#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
enum Tail {
    #[default]
    None,
    Comma,
    Other,
}

fn is_punctuation(pos: &str) -> bool {
    pos.starts_with('S') && !matches!(pos, "SL" | "SH" | "SN")
}

fn word_of(morphs: &[Morpheme], registered: &HashSet<String>) -> Word {
    let lead = |m: &Morpheme| m.pos.split('+').next().unwrap_or_default().to_string();
    let start = morphs.iter().take_while(|m| is_punctuation(&lead(m))).count();
    let nouns: Vec<&Morpheme> =
        morphs[start..].iter().take_while(|m| matches!(lead(m).as_str(), "NNP" | "NNG" | "UNKNOWN")).collect();
    let rest = &morphs[start + nouns.len()..];
    let tail = match rest.first() {
        None => Tail::None,
        Some(m) if m.surface.starts_with(',') && rest.len() == 1 => Tail::Comma,
        Some(_) => Tail::Other,
    };
    let hangul = |s: &str| s.chars().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let head = morphs[start..].iter().take_while(|m| matches!(lead(m).as_str(), "SL" | "SN")).count();
    let code = morphs[start..start + head].iter().any(|m| lead(m) == "SN")
        && morphs[start + head..].iter().all(|m| lead(m).starts_with('J') || is_punctuation(&lead(m)));
    let possessive = rest.len() == 1 && rest[0].surface == "의" && rest[0].pos == "JKG";
    let numbered = !nouns.is_empty() && rest.first().is_some_and(|m| lead(m) == "SN");
    let noun: String = nouns.iter().map(|m| m.surface.as_str()).collect();
    let is_registered = registered.contains(&fold(&noun));
    Word {
        registered: is_registered,
        noun,
        proper: !nouns.is_empty()
            && !is_registered
            && nouns.iter().all(|m| {
                hangul(&m.surface)
                    && (lead(m) == "UNKNOWN" || (lead(m) == "NNP" && !matches!(m.class.as_str(), "지명" | "인명")))
            }),
        common: nouns.len() == 1 && lead(nouns[0]) == "NNG",
        opened: start > 0,
        quoted: morphs[..start].iter().any(|m| m.surface.starts_with(['\'', '"', '‘', '“', '「', '『'])),
        tail,
        possessive,
        code,
        numbered,
    }
}

/// A name made of `parts`, if it can be one: at least two letters, not a single common noun.
fn name_of(parts: &[&Word]) -> Option<String> {
    let name = parts.iter().map(|w| w.noun.as_str()).collect::<Vec<_>>().join(" ");
    let empty = parts.iter().any(|w| w.noun.is_empty());
    let one_common = parts.len() == 1 && parts[0].common;
    (!empty && !one_common && name.chars().filter(|c| !c.is_whitespace()).count() >= 2).then_some(name)
}

/// What the words around one occurrence of a name say of it.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// See [`product_position`].
    product: bool,
    /// See [`company_cue`].
    cue: bool,
}

/// Nouns that, right before a name, say it is a company (칩 업체 비렌, 스타트업 스텝펀).
const COMPANY_BEFORE: &[&str] =
    &["업체", "기업", "스타트업", "회사", "제조사", "개발사", "자회사", "계열사", "경쟁사", "빅테크", "유니콘"];
/// Nouns that, right after a name, say it is a company (센스타임 관계자, 비렌 측).
const COMPANY_AFTER: &[&str] = &[
    "관계자",
    "측",
    "대표",
    "창업자",
    "공동창업자",
    "최고경영자",
    "회장",
    "의장",
    "주가",
    "시가총액",
    "본사",
    "임직원",
];

/// Whether the words around the name of `len` words at `start` treat it as a company: a kind
/// noun right before it, or a noun such as 관계자 right after it.
fn company_cue(words: &[Word], start: usize, len: usize) -> bool {
    let before = start.checked_sub(1).map(|p| &words[p]);
    let kind = before.is_some_and(|w| w.tail == Tail::None && COMPANY_BEFORE.contains(&w.noun.as_str()));
    let last = &words[start + len - 1];
    let after = (last.tail == Tail::None || last.possessive)
        && words.get(start + len).is_some_and(|w| !w.opened && COMPANY_AFTER.contains(&w.noun.as_str()));
    kind || after
}

/// Whether the name of `len` words at `start` stands where a product's name stands: after a
/// registered company's name written bare or with 의, before a model number, with a number
/// written onto it, or in quotation marks.
fn product_position(words: &[Word], start: usize, len: usize) -> bool {
    let after_company = start
        .checked_sub(1)
        .map(|p| &words[p])
        .is_some_and(|w| w.registered && (w.tail == Tail::None || w.possessive) && !words[start].opened);
    let last = &words[start + len - 1];
    let before_code = last.tail == Tail::None && words.get(start + len).is_some_and(|w| w.code);
    after_company || before_code || last.numbered || words[start].quoted
}

/// Proper-noun runs of a text, with repeats; a run that ends a `listed` name whose first words
/// stand before it in the text is that name.
fn proper_runs(words: &[Word], listed: &HashSet<String>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !words[i].proper {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len()
            && j - i < MAX_NAME_WORDS
            && words[j - 1].tail == Tail::None
            && words[j].proper
            && !words[j].opened
        {
            j += 1;
        }
        let longer = (1..MAX_NAME_WORDS).filter(|&k| k <= i).find_map(|k| {
            let run: Vec<&Word> = words[i - k..j].iter().collect();
            let joined = words[i - k..i].iter().all(|w| w.tail == Tail::None && !w.noun.is_empty());
            name_of(&run).filter(|n| joined && listed.contains(n)).map(|n| (i - k, n))
        });
        let run: Vec<&Word> = words[i..j].iter().collect();
        out.extend(longer.or_else(|| name_of(&run).map(|n| (i, n))));
        i = j;
    }
    out
}

/// The other items of enumerations that name a registered company, with repeats.
fn listed_names(words: &[Word], registered: &HashSet<String>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for list in enumerations(words) {
        let items: Vec<(usize, Vec<&Word>)> = list
            .iter()
            .enumerate()
            .map(|(n, item)| {
                // The first item is the end of a phrase (중국 칩 업체 화웨이): its last word, with
                // the proper nouns before it. The others are whole (무어 스레드).
                let lead = if n == 0 {
                    item.len() - 1 - item[..item.len() - 1].iter().rev().take_while(|&&k| words[k].proper).count()
                } else {
                    0
                };
                (item[lead], item[lead..].iter().map(|&k| &words[k]).collect())
            })
            .collect();
        if items.iter().any(|(_, item)| item.iter().any(|w| w.registered)) {
            for (start, item) in &items {
                if item.len() <= MAX_NAME_WORDS && !item.iter().any(|w| w.registered) {
                    out.extend(name_of(item).filter(|n| !registered.contains(&fold(n))).map(|n| (*start, n)));
                }
            }
        }
    }
    out
}

/// Runs of `A, B, C 등`-like items as word indices: three items or more, or two closed by 등 or 및,
/// each but the last closed by a comma, every word a noun.
fn enumerations(words: &[Word]) -> Vec<Vec<Vec<usize>>> {
    let mut lists = Vec::new();
    let mut items: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    // Two items make a list only when 등 or 및 closes it: a headline's `인텔, 독일 공장 …` names
    // one company and goes on about it.
    let mut close = |items: &mut Vec<Vec<usize>>, current: &mut Vec<usize>, marked: bool| {
        if !current.is_empty() {
            items.push(std::mem::take(current));
        }
        if items.len() >= 3 || (items.len() == 2 && marked) {
            lists.push(std::mem::take(items));
        }
        items.clear();
    };
    for (k, w) in words.iter().enumerate() {
        if w.noun.is_empty() || w.noun == "등" || w.noun == "및" {
            close(&mut items, &mut current, w.noun == "등" || w.noun == "및");
            continue;
        }
        current.push(k);
        match w.tail {
            Tail::Comma => items.push(std::mem::take(&mut current)),
            Tail::Other => close(&mut items, &mut current, false),
            Tail::None if current.len() > MAX_NAME_WORDS + 2 => {
                // Too long for an item: what came before was not a list.
                items.clear();
                current.remove(0);
            }
            Tail::None => {}
        }
    }
    close(&mut items, &mut current, false);
    lists
}

/// Case- and spacing-insensitive form of a name.
fn fold(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `key`, or `key-2`, `key-3` … if taken; records the one returned.
fn free_key(key: &str, taken: &mut HashSet<String>) -> String {
    let base = if key.is_empty() { "company" } else { key };
    let mut k = base.to_string();
    let mut n = 2;
    while taken.contains(&k) {
        k = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(k.clone());
    k
}

/// Revised Romanisation of the Hangul syllables (letter by letter, without sound changes),
/// Latin letters and digits kept, anything else a hyphen: 무어 스레드 -> mueo-seuredeu.
pub fn romanise(name: &str) -> String {
    const INITIAL: [&str; 19] =
        ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
    const MEDIAL: [&str; 21] = [
        "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
        "eu", "ui", "i",
    ];
    const FINAL: [&str; 28] = [
        "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
        "t", "t", "k", "t", "p", "t",
    ];
    let mut out = String::new();
    for c in name.chars() {
        if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            let s = c as usize - 0xAC00;
            out.push_str(INITIAL[s / 588]);
            out.push_str(MEDIAL[(s % 588) / 28]);
            out.push_str(FINAL[s % 28]);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of `text` as the suggestions read them, with `registered` as the registry.
    fn words(text: &str, registered: &[&str]) -> Vec<Word> {
        let analyzer = crate::analysis::Analyzer::plain().unwrap();
        let registered: HashSet<String> = registered.iter().map(|s| fold(s)).collect();
        eojeols(text).map(|w| word_of(&analyzer.tokens(w), &registered)).collect()
    }

    #[test]
    fn products_stand_where_products_are_written() {
        // After a registered company, bare or with 의; before a model number; numbered; quoted.
        for (text, at) in [
            ("화웨이 어센드 칩을 쓴다", 1),
            ("화웨이의 어센드 칩을 쓴다", 1),
            ("새 어센드 910C를 공개했다", 1),
            ("새 큐원3 모델을 공개했다", 1),
            ("미니맥스는 '하이뤄' 모델을 공개했다", 1),
        ] {
            assert!(product_position(&words(text, &["화웨이"]), at, 1), "{text}");
        }
        // A company written as companies are: after a comma, with a particle, before a count.
        for (text, at) in [("딥시크, 비렌과 손잡았다", 1), ("자사 비렌 칩에서", 1), ("업체 비렌 3분기 실적", 1)]
        {
            assert!(!product_position(&words(text, &["딥시크"]), at, 1), "{text}");
        }
    }

    #[test]
    fn company_cues_are_kind_nouns_before_and_people_after() {
        for (text, at) in
            [("칩 업체 비렌이 상장했다", 2), ("스타트업 스텝펀은", 1), ("비렌 관계자는", 0), ("비렌의 주가가", 0)]
        {
            assert!(company_cue(&words(text, &[]), at, 1), "{text}");
        }
        for (text, at) in [("스마트폰 시장이 커졌다", 0), ("클라우드 사업을 키운다", 0), ("새 비렌 칩", 1)]
        {
            assert!(!company_cue(&words(text, &[]), at, 1), "{text}");
        }
    }

    #[test]
    fn names_are_romanised_into_keys() {
        assert_eq!(romanise("무어 스레드"), "mueo-seuredeu");
        assert_eq!(romanise("비렌"), "biren");
        assert_eq!(romanise("센스타임"), "senseutaim");
        assert_eq!(romanise("스텝펀"), "seuteppeon");
        let mut taken: HashSet<String> = ["biren".to_string()].into();
        assert_eq!(free_key("biren", &mut taken), "biren-2");
    }
}
