//! Korean analysis: lindera with the embedded mecab-ko-dic and a generated user dictionary turns
//! text into index terms (DESIGN §5); classification and related articles work on those terms.
//!
//! Text is analysed one eojeol (space-separated word) at a time, each between spaces, so the
//! terms of a text are exactly the concatenation of [`Analyzer::eojeol_terms`] over [`eojeols`]:
//! the search index's eojeol map reproduces the build-time analysis of every word.
//!
//! Term conventions the search client must follow:
//! - Latin letters are lowercased; single Latin letters are not terms (x in 하이퍼클로바X is kept
//!   only inside the whole word).
//! - A word of several morphemes with no verb in it is a term whole, lowercased, followed by its
//!   parts: 인공지능반도체 -> 인공지능반도체, 인공지능, 반도체; AI반도체 -> ai반도체, ai, 반도체;
//!   큐원3 -> 큐원3, 큐원, 3; H200 -> h200, 200.
//! - A hyphenated name is whole and split at the hyphen: GPT-5 -> gpt-5, gpt, 5.
//! - Numbers drop thousands separators and keep their unit as a whole: 1,000대 -> 1000대, 1000;
//!   770만원 -> 770만원, 770.
//! - Within one word a term is given once; across words duplicates are kept.

mod classify;
mod eojeol;
mod userdict;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use lindera::dictionary::{load_dictionary, Dictionary, DictionaryBuilder};
use lindera::error::LinderaError;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera::worker::SegmentWorker;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use classify::{
    detect_companies, joined_topics, related, related_ids, score_topics, topic_phrases, topic_scores, TopicIndex,
    TopicScore, MIN_SECTION_TERMS,
};

use eojeol::{Morph, Terms};

/// Particles (J), endings (E) and copula forms (C) of ko-dic, longest first: `surface<TAB>classes`.
/// Generated from the dictionary by the test `particle_list_matches_the_dictionary` (BLESS=1).
const PARTICLES: &str = include_str!("analysis/particles.txt");

/// Why an [`Analyzer`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("cannot load the embedded Korean dictionary (ko-dic)")]
    Dictionary(#[source] LinderaError),
    #[error("cannot build the user dictionary from the word list and the company registry")]
    UserDictionary(#[source] LinderaError),
}

/// One morpheme for `sosik analyse --pos`: the terms a word gives are listed under the morpheme
/// they start at, so concatenating `terms` over a text's morphemes gives [`Analyzer::terms`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Morpheme {
    pub surface: String,
    /// ko-dic's tag, e.g. `NNP`, `VV+EP`, `SL`; `UNKNOWN` for a Hangul word it does not know.
    pub pos: String,
    /// ko-dic's semantic class (`지명` place, `인명` person, `*`), for `check --suggest-companies`.
    #[serde(skip)]
    pub class: String,
    pub terms: Vec<String>,
}

/// The analyser. Build one per site (its user dictionary depends on the company registry) and
/// share it by reference across threads; lindera's working memory is pooled per concurrent call.
pub struct Analyzer {
    segmenter: Segmenter,
    sessions: Mutex<Vec<Session>>,
    particles: HashSet<&'static str>,
    cache_words: usize,
    /// [`Analyzer::is_predicate_stem`]'s answers: `serve` asks about the same terms on every rebuild.
    stems: Mutex<HashMap<String, bool>>,
}

/// What one call at a time works with: a lindera worker (its lattice is reused) and the terms
/// of the words seen so far. Word analysis does not depend on the neighbours, and news text
/// repeats its words, so most words are looked up rather than analysed.
struct Session {
    worker: SegmentWorker,
    padded: String,
    cache: HashMap<String, Vec<String>>,
}

/// Words a session remembers before starting afresh (~150 bytes each).
const CACHE_WORDS: usize = 100_000;

/// The embedded dictionary is ~80 MB of static data; loading it builds the lookup structures
/// once per process, and every `Analyzer` shares them (`Dictionary` clones are `Arc` clones).
fn system_dictionary() -> Result<Dictionary, AnalysisError> {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    if let Some(d) = DICTIONARY.get() {
        return Ok(d.clone());
    }
    let loaded = load_dictionary("embedded://ko-dic").map_err(AnalysisError::Dictionary)?;
    Ok(DICTIONARY.get_or_init(|| loaded).clone())
}

impl Analyzer {
    /// `extra_words`: the company registry's names (Korean name, English name, aliases). Their
    /// Hangul parts become proper nouns of the user dictionary, beside the project word list.
    pub fn new(extra_words: &[String]) -> Result<Analyzer, AnalysisError> {
        let dictionary = system_dictionary()?;
        let mut words = userdict::project_words();
        let extra: Vec<String> = extra_words.iter().map(|w| nfc(w).into_owned()).collect();
        // A registry name that is a compound of known words (삼성전자, 두산로보틱스) keeps its parts
        // as terms, read by the analyser without the registry: 삼성 and 로보틱스 find it.
        let base = if extra.is_empty() { None } else { Some(Analyzer::plain()?) };
        let parts = |word: &str| base.as_ref().map_or_else(Vec::new, |b| b.compound_parts(word));
        words.extend(userdict::registry_words(&extra, &parts));
        let csv = userdict::csv(&words);
        let user = DictionaryBuilder::new((*dictionary.metadata).clone())
            .build_user_dict_from_reader(csv.as_bytes())
            .map_err(AnalysisError::UserDictionary)?;
        let particles = PARTICLES
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, classes)| classes.contains('J'))
            .map(|(surface, _)| surface)
            .collect();
        Ok(Analyzer {
            segmenter: Segmenter::new(Mode::Normal, dictionary, Some(user)),
            sessions: Mutex::new(Vec::new()),
            particles,
            cache_words: CACHE_WORDS,
            stems: Mutex::new(HashMap::new()),
        })
    }

    /// The parts of a compound noun as this analyser reads it: a dictionary compound's nouns
    /// (삼성전자 -> 삼성, 전자), or the nouns it is segmented into (두산로보틱스 -> 두산, 로보틱스), each
    /// of two or more letters; nothing when any part is shorter or not a noun (딥시크 -> 딥 + 시크).
    fn compound_parts(&self, word: &str) -> Vec<String> {
        let noun = |tag: &str| matches!(tag, "NNG" | "NNP");
        let long = |s: &str| s.chars().count() >= 2;
        self.with_session(|session| {
            self.analyse_word(session, word, |morphs, _| {
                let parts: Vec<String> = match morphs {
                    [m] if m.kind == "Compound" => eojeol::expression_parts(m.expression)
                        .map(|(surface, tag)| (noun(tag) && long(surface)).then(|| surface.to_string()))
                        .collect::<Option<_>>()
                        .unwrap_or_default(),
                    [_, _, ..] => morphs
                        .iter()
                        .map(|m| (noun(m.pos) && long(m.surface)).then(|| m.surface.to_string()))
                        .collect::<Option<_>>()
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                if parts.len() >= 2 {
                    parts
                } else {
                    Vec::new()
                }
            })
        })
    }

    /// The analyser without a registry (the project word list only), built once per process.
    pub fn plain() -> Result<&'static Analyzer, AnalysisError> {
        static PLAIN: OnceLock<Analyzer> = OnceLock::new();
        if let Some(a) = PLAIN.get() {
            return Ok(a);
        }
        let a = Analyzer::new(&[])?;
        Ok(PLAIN.get_or_init(|| a))
    }

    /// Index terms of a text, in text order, duplicates kept (term frequency matters).
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.collect_terms(text, true)
    }

    /// Terms of one space-separated word: exactly what the word gives inside any text, which
    /// makes it the value of the search index's eojeol map. Not cached: a caller analysing
    /// each distinct word once would only fill the cache.
    pub fn eojeol_terms(&self, word: &str) -> Vec<String> {
        self.collect_terms(word, false)
    }

    fn collect_terms(&self, text: &str, cached: bool) -> Vec<String> {
        let text = nfc(text);
        let mut out = Vec::new();
        self.with_session(|session| {
            for word in eojeols(&text) {
                if let Some(terms) = session.cache.get(word) {
                    out.extend(terms.iter().cloned());
                    continue;
                }
                let terms = self.analyse_word(session, word, |_, terms| terms);
                out.extend(terms.iter().map(|(_, t)| t.clone()));
                if cached && self.cache_words > 0 {
                    if session.cache.len() >= self.cache_words {
                        session.cache.clear();
                    }
                    session.cache.insert(word.to_string(), terms.into_iter().map(|(_, t)| t).collect());
                }
            }
        });
        out
    }

    /// Whether `term` is the stem of a verb or an adjective (내놓, 밝히) rather than a noun: written
    /// as a dictionary form (`term` + 다), the morpheme that gives the term is a predicate. A noun
    /// (공개 in 공개다) or a word the dictionary does not know reads otherwise.
    pub fn is_predicate_stem(&self, term: &str) -> bool {
        if let Some(&known) = self.stems.lock().unwrap_or_else(|e| e.into_inner()).get(term) {
            return known;
        }
        let form = format!("{term}다");
        let mut givers = self.tokens(&form).into_iter().filter(|m| m.terms.iter().any(|t| t == term));
        let stem = givers.next().is_some_and(|m| matches!(m.pos.split('+').next(), Some("VV" | "VA")));
        self.stems.lock().unwrap_or_else(|e| e.into_inner()).insert(term.to_string(), stem);
        stem
    }

    /// Every morpheme with its tag and the terms it starts, for `sosik analyse --pos`.
    pub fn tokens(&self, text: &str) -> Vec<Morpheme> {
        let text = nfc(text);
        let mut out: Vec<Morpheme> = Vec::new();
        self.with_session(|session| {
            for word in eojeols(&text) {
                let first = out.len();
                let terms = self.analyse_word(session, word, |morphs, terms| {
                    out.extend(morphs.iter().map(|m| Morpheme {
                        surface: m.surface.to_string(),
                        pos: m.pos.to_string(),
                        class: m.class.to_string(),
                        terms: Vec::new(),
                    }));
                    terms
                });
                for (index, term) in terms {
                    out[first + index].terms.push(term);
                }
            }
        });
        out
    }

    /// Segments one word between two spaces and applies the term rules. lindera connects a
    /// word to its neighbours across the space, and the start and end of a text are poor
    /// neighbours (규제의 alone reads 규 + 제의); between spaces the reading is the one the word
    /// gets in 99.96% of its occurrences in running text, and the same wherever it occurs.
    fn analyse_word<R>(
        &self,
        session: &mut Session,
        word: &str,
        f: impl FnOnce(&[Morph<'_>], Vec<(usize, String)>) -> R,
    ) -> R {
        let Session { worker, padded, .. } = session;
        padded.clear();
        padded.extend([" ", word, " "]);
        // Segmenting text in memory has no failure mode; no tokens is the fallback.
        let mut tokens = worker.segment(padded).unwrap_or_default();
        let mut morphs: Vec<Morph> = Vec::with_capacity(tokens.len());
        for t in tokens.iter_mut() {
            t.get_detail(0);
        }
        for t in &tokens {
            let (start, end) = (t.byte_start.max(1) - 1, t.byte_end.min(word.len() + 1) - 1);
            if start >= end {
                continue;
            }
            let details = t.details.as_deref().unwrap_or_default();
            morphs.push(Morph {
                surface: &word[start..end],
                start,
                end,
                pos: field(details, 0),
                class: field(details, 1),
                kind: field(details, 4),
                expression: field(details, 7),
                user: !t.word_id.is_system() && !t.word_id.is_unknown(),
                index: morphs.len(),
            });
        }
        let mut terms = Vec::new();
        let is_particle = |s: &str| self.particles.contains(s);
        eojeol::analyse(word, &morphs, &is_particle, &mut Terms::new(&mut terms));
        f(&morphs, terms)
    }

    fn with_session<R>(&self, f: impl FnOnce(&mut Session) -> R) -> R {
        let pooled = self.sessions.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut session = pooled.unwrap_or_else(|| Session {
            worker: self.segmenter.new_worker(),
            padded: String::new(),
            cache: HashMap::new(),
        });
        let result = f(&mut session);
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).push(session);
        result
    }
}

/// The most words written apart that may stand for one compound (신경망 처리 장치).
pub const MAX_JOINED_WORDS: usize = 4;

/// The compound that adjacent words written apart may stand for (오픈 소스 -> 오픈소스, AI 반도체를 ->
/// ai반도체, 대규모 언어 모델 -> 대규모언어모델), each word given as (key, terms): every word but the
/// last is a term by itself (its key is one of its terms), and the last starts with its one maximal
/// term (소스를 -> 소스). It counts only where the archive knows the compound as a term, which the
/// caller checks; `search.js` (`spacedCompound`) has the same rule.
pub fn spaced_compound<S: AsRef<str>>(words: &[(&str, &[S])]) -> Option<String> {
    let mut out = String::new();
    spaced_compound_into(words, S::as_ref, &mut out).then_some(out)
}

/// [`spaced_compound`] into a buffer the caller reuses (the build asks about millions of word
/// runs), with each word's terms as anything `text` reads as a term (the build has term ids):
/// true and the compound in `out` (cleared first), or false.
pub fn spaced_compound_into<'t, T: 't>(
    words: &[(&str, &'t [T])],
    text: impl Fn(&'t T) -> &'t str,
    out: &mut String,
) -> bool {
    out.clear();
    let Some(((last, last_terms), init)) = words.split_last() else { return false };
    if init.is_empty() || !init.iter().all(|(key, terms)| terms.iter().any(|t| text(t) == *key)) {
        return false;
    }
    let Some(first) = last_terms.first().map(&text) else { return false };
    let maximal = last_terms.iter().all(|t| first.contains(text(t)));
    if !maximal || !last.starts_with(first) {
        return false;
    }
    init.iter().for_each(|(key, _)| out.push_str(key));
    out.push_str(first);
    true
}

/// Terms that count as terms of any archive for [`spaced_compound`], written solid or not: the
/// project word list and the registry's and topics' one-word names, lowercased.
pub fn known_compounds(config_names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = userdict::project_words().into_iter().map(|w| w.surface.to_lowercase()).collect();
    out.extend(config_names.into_iter().filter(|n| eojeols(n).count() == 1).map(|n| nfc(&n).to_lowercase()));
    out.sort();
    out.dedup();
    out
}

/// The words of a text as the analyser and the search eojeol map see them.
pub fn eojeols(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')).filter(|w| !w.is_empty())
}

/// Particle, ending and copula strings of ko-dic (J*, E*, VCP+E* entries), longest first, for the
/// search client's fallback on words missing from the eojeol map. A generated, committed list.
pub fn particle_suffixes() -> Vec<String> {
    PARTICLES.lines().filter_map(|l| l.split_once('\t')).map(|(s, _)| s.to_string()).collect()
}

/// A detail field of a token; lindera pads missing ones with `*` already, this covers the
/// one-field `UNK` sentinel.
fn field<'a>(details: &'a [Cow<'_, str>], i: usize) -> &'a str {
    details.get(i).map_or("*", |d| d.as_ref())
}

fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}
