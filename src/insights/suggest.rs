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
    /// A registry key made from the name (romanised), not yet taken.
    pub key: String,
    /// Articles that write it, and how often in all.
    pub articles: usize,
    pub occurrences: usize,
    /// The newest article that writes it.
    pub example: PathBuf,
    pub example_title: String,
}

impl Suggestion {
    /// The entry to paste into site.toml, with a comment saying where the name was seen.
    pub fn toml(&self) -> String {
        format!(
            "# {} articles ({} times), e.g. {} ({})\n[companies.{}]\nname = \"{}\"\n",
            self.articles,
            self.occurrences,
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
        .filter(|(_, a)| drafts || !a.is_hidden(now))
        .map(|(i, a)| {
            let text = format!("{}\n{}", a.title, a.body.text);
            (i, eojeols(&text).map(|w| word_of(&analyzer.tokens(w), &registered)).collect())
        })
        .collect();
    // Names that enumerations give whole (무어 스레드), so that a proper-noun run reading only their
    // end (스레드, 무어 being a common noun) is taken as the whole name where the text has it.
    let listed: HashSet<String> =
        texts.iter().flat_map(|(_, words)| listed_names(words, &registered)).map(|(_, n)| n).collect();
    let found: Vec<(usize, Vec<String>)> = texts
        .iter()
        .map(|(i, words)| {
            // Both readings may find a name at the same place: it counts once.
            let mut at = listed_names(words, &registered);
            at.extend(proper_runs(words, &listed));
            at.sort();
            at.dedup_by_key(|(start, _)| *start);
            let names = at.into_iter().map(|(_, n)| n);
            (*i, names.filter(|n| !registered.contains(&fold(n)) && !topic_terms.contains(&fold(n))).collect())
        })
        .collect();
    // name -> (articles, occurrences, example article)
    let mut seen: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for (i, names) in &found {
        let mut counted: HashSet<&str> = HashSet::new();
        for n in names {
            let slot = seen.entry(n.clone()).or_insert((0, 0, *i));
            slot.1 += 1;
            if counted.insert(n.as_str()) {
                slot.0 += 1;
                let (a, b) = (&loaded.articles[*i], &loaded.articles[slot.2]);
                if (a.date, &b.path) > (b.date, &a.path) {
                    slot.2 = *i;
                }
            }
        }
    }
    let mut list: Vec<(String, (usize, usize, usize))> = seen.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(b.1 .1.cmp(&a.1 .1)).then_with(|| a.0.cmp(&b.0)));
    let mut keys: HashSet<String> = config.companies.iter().map(|c| c.key.clone()).collect();
    Ok(list
        .into_iter()
        .map(|(name, (articles, occurrences, example))| {
            let a = &loaded.articles[example];
            let key = free_key(&romanise(&name), &mut keys);
            let example = a.path.strip_prefix(root).unwrap_or(&a.path).to_path_buf();
            Suggestion { key, articles, occurrences, example, example_title: a.title.clone(), name }
        })
        .collect())
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
    /// The noun is a registered company's name.
    registered: bool,
    /// What follows the nouns: nothing, a comma, or anything else (a particle, a verb ending).
    tail: Tail,
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
        tail,
    }
}

/// A name made of `parts`, if it can be one: at least two letters, not a single common noun.
fn name_of(parts: &[&Word]) -> Option<String> {
    let name = parts.iter().map(|w| w.noun.as_str()).collect::<Vec<_>>().join(" ");
    let empty = parts.iter().any(|w| w.noun.is_empty());
    let one_common = parts.len() == 1 && parts[0].common;
    (!empty && !one_common && name.chars().filter(|c| !c.is_whitespace()).count() >= 2).then_some(name)
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

/// Runs of `A, B, C 등`-like items as word indices: at least two items, each but the last closed
/// by a comma, every word a noun.
fn enumerations(words: &[Word]) -> Vec<Vec<Vec<usize>>> {
    let mut lists = Vec::new();
    let mut items: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut close = |items: &mut Vec<Vec<usize>>, current: &mut Vec<usize>| {
        if !current.is_empty() {
            items.push(std::mem::take(current));
        }
        if items.len() >= 2 {
            lists.push(std::mem::take(items));
        }
        items.clear();
    };
    for (k, w) in words.iter().enumerate() {
        if w.noun.is_empty() || w.noun == "등" || w.noun == "및" {
            close(&mut items, &mut current);
            continue;
        }
        current.push(k);
        match w.tail {
            Tail::Comma => items.push(std::mem::take(&mut current)),
            Tail::Other => close(&mut items, &mut current),
            Tail::None if current.len() > MAX_NAME_WORDS + 2 => {
                // Too long for an item: what came before was not a list.
                items.clear();
                current.remove(0);
            }
            Tail::None => {}
        }
    }
    close(&mut items, &mut current);
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
