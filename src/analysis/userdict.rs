//! The user dictionary: the project word list and the company registry's names, written as
//! ko-dic detailed CSV rows so that the particle after a new name is tagged as a particle.

use std::collections::BTreeMap;

/// Model, product and company names ko-dic does not know (see the file's header for the format).
const WORDS: &str = include_str!("words.txt");

/// Cost of every user entry. ko-dic's own plain NNP cost (2953) loses to splits such as 키+미의 or
/// 젬+마의 in front of a particle; 500 wins those and still loses to ko-dic's longer words
/// (드라마, 소라게), which the tests check.
const USER_WORD_COST: i16 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Nnp,
    Nng,
}

impl Tag {
    fn as_str(self) -> &'static str {
        match self {
            Tag::Nnp => "NNP",
            Tag::Nng => "NNG",
        }
    }

    /// Left and right context ids of ko-dic's plain entries of this tag, by final consonant: NNP
    /// as in 화웨이 (no final) and 인공지능 (final), NNG as in 반도체 and 로봇. These are ids of the
    /// original mecab-ko-dic space; lindera remaps them when the segmenter is built. A test
    /// checks them against the embedded dictionary.
    pub(super) fn context_ids(self, has_final: bool) -> (u16, u16) {
        match (self, has_final) {
            (Tag::Nnp, false) => (1786, 3545),
            (Tag::Nnp, true) => (1786, 3546),
            (Tag::Nng, false) => (1780, 3533),
            (Tag::Nng, true) => (1780, 3534),
        }
    }
}

/// One user-dictionary word; `parts` makes it a compound whose parts are index terms too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub surface: String,
    pub tag: Tag,
    pub parts: Vec<String>,
}

/// The committed word list, parsed. Panics on a malformed line: the file is part of the source.
pub(super) fn project_words() -> Vec<Word> {
    WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut fields = line.split_whitespace();
            let surface = fields.next().unwrap_or_default().to_string();
            let tag = match fields.next() {
                None | Some("NNP") => Tag::Nnp,
                Some("NNG") => Tag::Nng,
                Some(other) => panic!("words.txt: unknown tag {other:?} in {line:?}"),
            };
            let parts = fields.next().map(|p| p.split('+').map(str::to_string).collect()).unwrap_or_default();
            assert!(is_hangul_word(&surface), "words.txt: {surface:?} is not a Hangul word");
            Word { surface, tag, parts }
        })
        .collect()
}

/// Registry names become proper nouns. Only their Hangul runs of two or more syllables go in:
/// lindera splits scripts anyway (SK하이닉스 is SK + 하이닉스), so an entry spanning scripts would
/// make 지푸AI one token while 지푸 alone stays two, and a query for either would miss the other.
/// `parts` gives the parts of a compound name (none for a simple one).
pub(super) fn registry_words(names: &[String], parts: &dyn Fn(&str) -> Vec<String>) -> Vec<Word> {
    let mut words = Vec::new();
    for name in names {
        let mut run = String::new();
        for c in name.chars().chain(std::iter::once(' ')) {
            if is_hangul_syllable(c) {
                run.push(c);
            } else if !run.is_empty() {
                if run.chars().count() >= 2 {
                    words.push(Word { surface: run.clone(), tag: Tag::Nnp, parts: parts(&run) });
                }
                run.clear();
            }
        }
    }
    words
}

/// ko-dic detailed CSV, one row per distinct surface (the project list wins over the registry,
/// which only adds plain proper nouns).
/// Fields: surface,left,right,cost,POS,meaning,final,reading,type,first POS,last POS,expression.
pub(super) fn csv(words: &[Word]) -> String {
    let mut by_surface: BTreeMap<&str, &Word> = BTreeMap::new();
    for w in words {
        by_surface.entry(w.surface.as_str()).or_insert(w);
    }
    let mut out = String::new();
    for (surface, w) in by_surface {
        let has_final = ends_with_final_consonant(surface);
        let (left, right) = w.tag.context_ids(has_final);
        let tag = w.tag.as_str();
        let fin = if has_final { 'T' } else { 'F' };
        let (kind, expression) = if w.parts.is_empty() {
            ("*", "*".to_string())
        } else {
            let parts: Vec<String> = w.parts.iter().map(|p| format!("{p}/{tag}/*")).collect();
            ("Compound", parts.join("+"))
        };
        out.push_str(&format!(
            "{surface},{left},{right},{USER_WORD_COST},{tag},*,{fin},{surface},{kind},*,*,{expression}\n"
        ));
    }
    out
}

pub(super) fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn is_hangul_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_hangul_syllable)
}

/// ko-dic's T/F flag: whether the last syllable has a final consonant (받침), which decides
/// 가/이, 를/을, 는/은 and therefore the context id.
fn ends_with_final_consonant(s: &str) -> bool {
    s.chars().last().is_some_and(|c| is_hangul_syllable(c) && !(c as u32 - 0xAC00).is_multiple_of(28))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_consonant_flag_follows_the_last_syllable() {
        assert!(!ends_with_final_consonant("딥시크"));
        assert!(ends_with_final_consonant("큐원"));
        assert!(ends_with_final_consonant("블랙웰"));
        assert!(!ends_with_final_consonant("엔비디아"));
    }

    #[test]
    fn csv_rows_use_nnp_context_ids_by_final_consonant() {
        let words = registry_words(&["딥시크".into(), "큐원".into()], &|_| Vec::new());
        assert_eq!(
            csv(&words),
            "딥시크,1786,3545,500,NNP,*,F,딥시크,*,*,*,*\n큐원,1786,3546,500,NNP,*,T,큐원,*,*,*,*\n"
        );
    }

    #[test]
    fn registry_words_keep_only_hangul_runs() {
        let surfaces: Vec<String> = registry_words(
            &[
                "SK하이닉스".into(),
                "지푸AI".into(),
                "DeepSeek".into(),
                "보스턴 다이내믹스".into(),
                "LG".into(),
                "챗GPT".into(),
            ],
            &|_| Vec::new(),
        )
        .into_iter()
        .map(|w| w.surface)
        .collect();
        assert_eq!(surfaces, ["하이닉스", "지푸", "보스턴", "다이내믹스"]);
    }

    #[test]
    fn project_word_list_is_large_and_well_formed() {
        let words = project_words();
        assert!(words.len() >= 80, "{} words", words.len());
        let compound = words.iter().find(|w| w.surface == "클라우드매트릭스").unwrap();
        assert_eq!(compound.parts, ["클라우드", "매트릭스"]);
        assert!(csv(&words).contains(
            "클라우드매트릭스,1786,3545,500,NNP,*,F,클라우드매트릭스,Compound,*,*,클라우드/NNP/*+매트릭스/NNP/*\n"
        ));
    }
}
