//! The index terms of one eojeol (space-separated word) from its morphemes: DESIGN §5's rules.
//!
//! A word is cut into pieces at punctuation; each piece loses its trailing particles and endings
//! (the *core*); the core gives
//! - its whole surface when it has several morphemes, one of them a noun (not a bound one), and
//!   does not end in a verb (휴머노이드로봇, 큐원3, sk하이닉스, 770만원, gpt-5, and any name the dictionary split
//!   into junk: 엑/IC + 사원, 갤/VV+ETM + 봇),
//! - each run of adjacent nouns, numbers and foreign words inside it, whole (ai반도체),
//! - each morpheme's own terms: nouns, numbers, foreign words (lowercased, two letters or more),
//!   Hanja, roots, unknown words, verb and adjective stems; compounds also give their parts.
//!
//! A core that gave nothing by these rules and does not end in a verb gives its surface, so no
//! name is lost entirely however mecab splits it.

/// A morpheme as the rules see it; `index` is the position of its (first) lindera token.
#[derive(Debug, Clone, Copy)]
pub(super) struct Morph<'a> {
    pub surface: &'a str,
    pub start: usize,
    pub end: usize,
    pub pos: &'a str,
    pub class: &'a str,
    pub kind: &'a str,
    pub expression: &'a str,
    /// From the user dictionary, whose compounds were split on purpose (ko-dic marks 구글 and
    /// 반도체 as compounds too, of 구+글 and 반+도체).
    pub user: bool,
    pub index: usize,
}

impl Morph<'_> {
    fn lead(&self) -> &str {
        self.pos.split('+').next().unwrap_or(self.pos)
    }

    fn is_punct(&self) -> bool {
        self.pos.starts_with('S') && !matches!(self.pos, "SL" | "SN" | "SH")
    }

    fn is_nominal(&self) -> bool {
        self.is_content() || matches!(self.lead(), "NNB" | "NNBC" | "NR")
    }

    /// A noun, number or foreign word with a meaning of its own, unlike a bound noun.
    fn is_content(&self) -> bool {
        matches!(self.lead(), "NNG" | "NNP" | "SL" | "SN" | "SH" | "XR" | "UNKNOWN")
    }

    /// Particles, endings, the copula, the suffixes that make nouns into verbs, and the
    /// grammatical noun suffixes: what follows the part of a word a reader would search for.
    /// Derivational suffixes stay (효율성, 국산화, 투자자 are words of their own).
    fn is_function(&self) -> bool {
        let lead = self.lead();
        lead.starts_with('J')
            || lead.starts_with('E')
            || matches!(lead, "VCP" | "VCN" | "VX" | "XSV" | "XSA")
            || (lead == "XSN" && GRAMMATICAL_SUFFIXES.contains(&self.surface))
    }

    fn is_verbal(&self) -> bool {
        let lead = self.lead();
        lead.starts_with('J')
            || lead.starts_with('E')
            || matches!(lead, "VV" | "VA" | "VX" | "VCP" | "VCN" | "XSV" | "XSA")
    }
}

/// Two-syllable stems too common or too grammatical to be worth a posting (위하다, 통하다 …).
/// One-syllable stems (하, 있, 늘, 크 …) are never terms: as words they are grammar or vague.
const STOP_STEMS: &[&str] = &[
    "아니", "위하", "대하", "통하", "따르", "의하", "관하", "비하", "이러", "그러", "어떠", "그렇", "이렇", "어떻",
    "모르", "만들", "보이", "밝히", "나오", "이르", "가지", "그리", "이루", "나서", "지나",
];

/// Noun suffixes that only inflect: plural 들, 용 (for), 별 (by), 간 (between), 당 (per), 짜리 ….
const GRAMMATICAL_SUFFIXES: &[&str] = &["들", "용", "별", "간", "씩", "께", "쯤", "당", "상", "내", "째", "경", "짜리"];

/// One-syllable nouns that in news text are almost always grammar: mecab reads 수 in 할 수 있다
/// as a noun, 원 after 억 as a noun (won), 배 in 두 배 as one (pear), 새 in 새 모델 as a bird,
/// and counters spaced from their number (140억 개, 세 종) as nouns.
const STOP_NOUNS: &[&str] = &[
    "수", "원", "배", "점", "것", "때", "등", "간", "새", "개", "명", "대", "건", "곳", "종", "줄", "번", "회", "년",
    "월", "일",
];

const NUMERALS: &[&str] = &["십", "백", "천", "만", "억", "조", "경"];

/// Collects `(token index, term)` pairs, skipping a term the word already gave.
pub(super) struct Terms<'o> {
    out: &'o mut Vec<(usize, String)>,
    word_start: usize,
    produced: usize,
}

impl<'o> Terms<'o> {
    pub(super) fn new(out: &'o mut Vec<(usize, String)>) -> Self {
        let word_start = out.len();
        Terms { out, word_start, produced: 0 }
    }

    fn emit(&mut self, index: usize, term: String) {
        if term.is_empty() {
            return;
        }
        self.produced += 1;
        if !self.out[self.word_start..].iter().any(|(_, t)| *t == term) {
            self.out.push((index, term));
        }
    }
}

/// Terms of one word. `is_particle` says whether a surface is a particle in ko-dic: a piece made
/// of particles (은, 를, 에서는) gives no term even where mecab tags one as a noun (은 = silver).
pub(super) fn analyse(word: &str, morphs: &[Morph<'_>], is_particle: &dyn Fn(&str) -> bool, terms: &mut Terms<'_>) {
    let morphs = merge_numbers(word, morphs);
    for piece in pieces(&morphs) {
        let particle = |m: &Morph| m.lead().starts_with('J') || is_particle(m.surface);
        if piece.iter().all(particle) {
            continue;
        }
        let core = strip_tail(piece, is_particle);
        if core.is_empty() {
            continue;
        }
        let subs: Vec<&[Morph]> = core.split(|m| m.is_punct()).collect();
        if subs.len() > 1 {
            terms.emit(core[0].index, whole(word, core));
        }
        let latin = |s: &[Morph]| s.iter().any(|m| m.pos == "SL");
        let number = |s: &[Morph]| s.iter().all(|m| m.pos == "SN");
        for (k, sub) in subs.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            // The 5 of GPT-5 is part of a name, not the number 5 (see `name_digits`).
            let beside_latin = (k > 0 && latin(subs[k - 1])) || subs.get(k + 1).is_some_and(|s| latin(s));
            if !(number(sub) && beside_latin) {
                analyse_sub(word, sub, terms);
            }
        }
    }
}

fn analyse_sub(word: &str, toks: &[Morph<'_>], terms: &mut Terms<'_>) {
    let produced = terms.produced;
    // A verb form before a noun inside one word is not Korean spelling (a modifier is spaced
    // from its noun) but a misread name: 갤봇 read as 갤 (개다 + ㄹ) + 봇. A verb at the end is
    // a real verb (주목받는), whose noun is a term of its own.
    let ends_in_verb = toks.last().is_some_and(Morph::is_verbal);
    if toks.len() >= 2 && toks.iter().any(Morph::is_content) && !ends_in_verb {
        terms.emit(toks[0].index, whole(word, toks));
    }
    let mut i = 0;
    while i < toks.len() {
        if let Some(end) = noun_run(toks, i) {
            terms.emit(toks[i].index, whole(word, &toks[i..end]));
            for j in i..end {
                if !is_unit_after_number(toks, j) && !name_digits(toks, j) {
                    morph_terms(&toks[j], terms);
                }
            }
            i = end;
        } else {
            morph_terms(&toks[i], terms);
            i += 1;
        }
    }
    if terms.produced == produced && toks.len() >= 2 && !ends_in_verb {
        terms.emit(toks[0].index, whole(word, toks));
    }
}

/// mecab reads 조원 in 2조원 as one noun (a team member): a noun right after a number that
/// starts with a numeral (만, 억, 조 …) is the number's unit, indexed only with the number.
fn is_unit_after_number(toks: &[Morph<'_>], j: usize) -> bool {
    j > 0
        && toks[j - 1].pos == "SN"
        && toks[j - 1].end == toks[j].start
        && NUMERALS.iter().any(|n| toks[j].surface.starts_with(n))
}

/// Digits written against Latin letters are part of a model name (H20, K2, A100, 4o): the name is a
/// term, the bare number is not, so a search for 20 does not find H20 and H20 does not highlight
/// 2025년 or 20만.
fn name_digits(toks: &[Morph<'_>], j: usize) -> bool {
    let touches_latin = |k: usize| toks[k].pos == "SL";
    toks[j].pos == "SN"
        && ((j > 0 && toks[j - 1].end == toks[j].start && touches_latin(j - 1))
            || (j + 1 < toks.len() && toks[j].end == toks[j + 1].start && touches_latin(j + 1)))
}

/// End of the run of nouns (with prefixes and suffixes between them) starting at `i`, when it
/// holds at least two nouns, numbers or foreign words and ends in one.
fn noun_run(toks: &[Morph<'_>], i: usize) -> Option<usize> {
    let glue = |m: &Morph| matches!(m.lead(), "XPN" | "XSN");
    let (mut nouns, mut end, mut j) = (0, i, i);
    while j < toks.len() && (toks[j].is_nominal() || glue(&toks[j])) {
        if toks[j].is_nominal() {
            nouns += 1;
            end = j + 1;
        }
        j += 1;
    }
    (nouns >= 2).then_some(end)
}

fn morph_terms(m: &Morph<'_>, terms: &mut Terms<'_>) {
    let i = m.index;
    match m.lead() {
        "NNG" | "NNP" if m.pos.contains('+') => {
            // Preanalysed forms such as NNG+JKO: the noun parts are in the expression.
            for (surface, tag) in expression_parts(m.expression) {
                if tag.starts_with("NN") && tag != "NNB" && tag != "NNBC" {
                    terms.emit(i, normalise(surface));
                }
            }
        }
        "NNG" | "NNP" => {
            if !STOP_NOUNS.contains(&m.surface) {
                terms.emit(i, normalise(m.surface));
            }
            if m.kind == "Compound" && m.user {
                for (surface, tag) in expression_parts(m.expression) {
                    if tag.starts_with("NN") && surface.chars().count() >= 2 {
                        terms.emit(i, normalise(surface));
                    }
                }
            }
        }
        "SL" if m.surface.chars().count() >= 2 => terms.emit(i, normalise(m.surface)),
        "SN" | "SH" | "XR" | "UNKNOWN" => terms.emit(i, normalise(m.surface)),
        "VV" | "VA" => {
            let stem = match m.kind {
                "Inflect" => expression_parts(m.expression).next().map_or(m.surface, |p| p.0),
                _ => m.surface,
            };
            if stem.chars().count() >= 2 && !STOP_STEMS.contains(&stem) {
                terms.emit(i, stem.to_string());
            }
        }
        _ => {}
    }
}

/// `인공/NNG/*+지능/NNG/*` -> (인공, NNG), (지능, NNG).
pub(super) fn expression_parts(expression: &str) -> impl Iterator<Item = (&str, &str)> {
    expression.split('+').filter_map(|part| {
        let mut fields = part.split('/');
        Some((fields.next()?, fields.next()?)).filter(|(s, _)| !s.is_empty())
    })
}

/// lindera reads 22.8 as 22 . 8 and 5,000 as 5 , 000; a number is one term.
fn merge_numbers<'a>(word: &'a str, morphs: &[Morph<'a>]) -> Vec<Morph<'a>> {
    let mut out: Vec<Morph<'a>> = Vec::with_capacity(morphs.len());
    let mut i = 0;
    while i < morphs.len() {
        let m = morphs[i];
        if let (Some(prev), Some(next)) = (out.last_mut(), morphs.get(i + 1)) {
            let decimal = m.surface == "." && next.pos == "SN";
            let thousands = m.surface == "," && next.pos == "SN" && next.surface.len() == 3;
            if prev.pos == "SN" && prev.end == m.start && m.end == next.start && (decimal || thousands) {
                prev.end = next.end;
                prev.surface = &word[prev.start..prev.end];
                i += 2;
                continue;
            }
        }
        out.push(m);
        i += 1;
    }
    out
}

/// Pieces of a word between punctuation. `-` (and `.`, `&`, `_` between Latin letters or
/// digits) stays inside a piece: GPT-5, A.X, R&D are names.
fn pieces<'m, 'a>(morphs: &'m [Morph<'a>]) -> impl Iterator<Item = &'m [Morph<'a>]> {
    let keeps = |i: usize| {
        let m = &morphs[i];
        let (Some(prev), Some(next)) = (i.checked_sub(1).map(|p| &morphs[p]), morphs.get(i + 1)) else {
            return false;
        };
        let alnum = |m: &Morph| matches!(m.pos, "SL" | "SN");
        let joined = prev.end == m.start && m.end == next.start;
        joined
            && !prev.is_punct()
            && !next.is_punct()
            && (m.surface == "-" || (matches!(m.surface, "." | "&" | "_") && alnum(prev) && alnum(next)))
    };
    let mut cuts: Vec<usize> = (0..morphs.len()).filter(|&i| morphs[i].is_punct() && !keeps(i)).collect();
    cuts.push(morphs.len());
    let mut start = 0;
    cuts.into_iter().map(move |cut| {
        let piece = &morphs[start..cut];
        start = cut + 1;
        piece
    })
}

/// Drops particles and endings from the end of a piece. mecab also reads a particle after a
/// foreign word or number as a noun (AI의 -> AI + 의/NNG), and 의 after a new name likewise.
fn strip_tail<'m, 'a>(piece: &'m [Morph<'a>], is_particle: &dyn Fn(&str) -> bool) -> &'m [Morph<'a>] {
    let mut end = piece.len();
    while end > 0 {
        let m = &piece[end - 1];
        let after = |tags: &[&str]| end >= 2 && tags.contains(&piece[end - 2].pos);
        let stray_particle = is_particle(m.surface) && (m.surface == "의" || after(&["SL", "SN", "SH"]));
        // 만 in 100만 is read as the particle (only), which it is not after a number.
        let numeral = after(&["SN"]) && NUMERALS.contains(&m.surface);
        if (m.is_function() || stray_particle) && !numeral {
            end -= 1;
        } else {
            break;
        }
    }
    &piece[..end]
}

fn whole(word: &str, toks: &[Morph<'_>]) -> String {
    normalise(&word[toks[0].start..toks[toks.len() - 1].end])
}

/// Terms are lowercase; a thousands separator is dropped (5,000억 -> 5000억).
fn normalise(s: &str) -> String {
    let s = if s.contains(',') { s.replace(',', "") } else { s.to_string() };
    if s.chars().any(char::is_uppercase) {
        s.to_lowercase()
    } else {
        s
    }
}
