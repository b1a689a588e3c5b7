//! Archive insights: articles per month (the coverage charts), the terms and companies that rose
//! most in each ISO week against the weeks before it (log-likelihood G²), and the companies named
//! together. All of it is computed from the model the build already has (dates, companies, the
//! analysed terms of every article), once per build, and shown by the page views of `render.rs`.

pub mod profile;
mod suggest;
mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;

use crate::model::{ArticleTerms, Site};

pub use suggest::{suggest_companies, Suggestion};
pub use view::{week_dir, Bar, Chart, CoMention, PageInsights, Profile, TrendItem, WeekLink, WeekView};

/// Weeks before a week that it is compared with.
pub const REFERENCE_WEEKS: i64 = 8;
/// A term trends only if the week writes it at least this often ...
pub const MIN_TERM_COUNT: u32 = 5;
/// ... in at least this many articles (one long article repeating a word is not a trend).
pub const MIN_TERM_ARTICLES: u32 = 3;
/// A company trends only if at least this many articles of the week name it.
pub const MIN_COMPANY_ARTICLES: u32 = 3;
/// Terms and companies listed per week page.
pub const TOP_TERMS: usize = 20;
pub const TOP_COMPANIES: usize = 10;
/// Companies listed as named together with a company.
pub const TOP_CO_MENTIONS: usize = 10;

/// Nouns that every week writes and that say nothing about what happened (time words, counters,
/// reporting verbs' nouns). The G² against the previous weeks keeps most of them out by itself;
/// this list keeps them out of short weeks too.
const STOP_TERMS: &[&str] = &[
    "가운데",
    "가지",
    "경우",
    "관련",
    "그동안",
    "기자",
    "내년",
    "당시",
    "대비",
    "대한",
    "동안",
    "때문",
    "뉴스",
    "등등",
    "밝히",
    "사이",
    "설명",
    "이날",
    "이번",
    "이상",
    "이하",
    "이후",
    "이전",
    "오늘",
    "올해",
    "우리",
    "위해",
    "자신",
    "작년",
    "전망",
    "정도",
    "지난",
    "지난달",
    "지난주",
    "지난해",
    "최근",
    "통해",
    "현재",
    "예정",
    "하루",
    "어제",
    "내일",
    "주간",
    "이달",
    "다음",
    "다만",
    "또한",
    "한편",
    "따라",
    "따르",
    "대해",
    "만큼",
    "무엇",
    "누구",
    "여기",
    "거기",
    "그것",
    "이것",
    "저것",
    "어디",
    "언제",
    "그리고",
    "그러나",
    "하지만",
    "또는",
    "있다",
    "없다",
    "된다",
];

/// One rising term or company of a week: occurrences (terms) or articles (companies) in the week
/// and in the reference weeks, and the log-likelihood G² of the difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend<K> {
    pub key: K,
    pub count: u32,
    pub reference: u32,
    pub g2: f64,
}

/// An ISO week with articles.
#[derive(Debug, Clone)]
pub struct Week {
    /// The Monday of the week.
    pub monday: NaiveDate,
    pub articles: usize,
    /// Articles of the reference weeks (0: nothing to compare with).
    pub reference_articles: usize,
    /// Terms, highest G² first.
    pub terms: Vec<Trend<String>>,
    /// Company indices ([`Site::companies`]), highest G² first.
    pub companies: Vec<Trend<usize>>,
}

impl Week {
    /// `2025-W31`: the ISO year and week, also the page's folder under `trends/`.
    pub fn id(&self) -> String {
        week_id(self.monday)
    }
}

/// `2025-W31` for the ISO week holding `day`.
pub fn week_id(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The Monday of the ISO week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Everything the insight views show.
#[derive(Debug, Default)]
pub struct Insights {
    /// Ascending.
    pub weeks: Vec<Week>,
    /// Per company (index into [`Site::companies`]): the companies named in the same articles,
    /// with the number of such articles, most first.
    pub co_mentions: Vec<Vec<(usize, u32)>>,
}

impl Insights {
    /// The insights of a built model, whose entries carry their terms.
    pub fn compute(site: &Site) -> Insights {
        Insights::compute_with(site, &|i| Some(&site.entries[i].terms), &site.vocab, None)
    }

    /// The insights of `site` with the terms of entry `i` from `terms(i)`, as ids into `vocab`
    /// (`serve` keeps them outside the model), reusing the counts of unchanged weeks from `cache`
    /// and leaving this computation's there.
    pub fn compute_with(site: &Site, terms: &Terms<'_>, vocab: &[String], cache: Option<&mut WeekCache>) -> Insights {
        let by_week = entries_by_week(site);
        let (weeks, co_mentions) = rayon::join(|| weeks(site, &by_week, terms, vocab, cache), || co_mentions(site));
        Insights { weeks, co_mentions }
    }

    /// The week whose Monday is `monday`.
    pub fn week(&self, monday: NaiveDate) -> Option<usize> {
        self.weeks.binary_search_by_key(&monday, |w| w.monday).ok()
    }
}

/// Log-likelihood G² (Dunning 1993; Rayson & Garside 2000) of `a` occurrences among `c` against
/// `b` among `d`: 2·Σ O·ln(O/E), E being what each side would hold if both shared one rate.
pub fn log_likelihood(a: f64, c: f64, b: f64, d: f64) -> f64 {
    let n = c + d;
    if n <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / n;
    let e2 = d * (a + b) / n;
    let part = |o: f64, e: f64| if o > 0.0 && e > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (part(a, e1) + part(b, e2))
}

/// Whether an index term may be listed as trending: not a number, not one syllable, not a
/// grammar or time word.
pub fn is_trend_term(term: &str) -> bool {
    let mut chars = term.chars();
    let Some(first) = chars.next() else { return false };
    chars.next().is_some()
        && !first.is_numeric()
        && term.chars().any(char::is_alphabetic)
        && !STOP_TERMS.contains(&term)
}

/// Where the terms of entry `i` are.
pub type Terms<'a> = dyn Fn(usize) -> Option<&'a ArticleTerms> + Sync + 'a;

/// Monday -> entries of that week.
fn entries_by_week(site: &Site) -> BTreeMap<NaiveDate, Vec<usize>> {
    let mut out: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (day, entries) in &site.days {
        out.entry(monday_of(*day)).or_default().extend(entries);
    }
    out
}

/// The counts of each week of the last computation, which `serve` keeps between rebuilds: a week
/// whose articles, terms and companies are the same is not counted again (counting sorts every
/// term of every article, the largest part of the insights' cost).
#[derive(Default)]
pub struct WeekCache {
    weeks: HashMap<NaiveDate, (u64, Arc<WeekCounts>)>,
}

/// What a week's counts are made of: each article's term ids and companies, in order.
fn week_key(site: &Site, entries: &[usize], terms: &Terms<'_>) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    for &i in entries {
        let t = terms(i);
        t.map(|t| (&t.title, &t.body)).hash(&mut h);
        site.entries[i].companies.hash(&mut h);
    }
    h.finish()
}

/// Term counts of one week: (term, occurrences, articles), by term; and all occurrences.
struct WeekCounts {
    terms: Vec<(u32, u32, u32)>,
    total: u64,
    companies: HashMap<usize, u32>,
}

impl WeekCounts {
    fn of(site: &Site, entries: &[usize], terms: &Terms<'_>) -> WeekCounts {
        let mut all: Vec<(u32, u32)> = Vec::new();
        let mut total = 0u64;
        let mut companies: HashMap<usize, u32> = HashMap::new();
        for &i in entries {
            let e = &site.entries[i];
            let t = terms(i);
            let mut ids: Vec<u32> = t.into_iter().flat_map(|t| t.title.iter().chain(&t.body)).copied().collect();
            total += ids.len() as u64;
            ids.sort_unstable();
            for run in ids.chunk_by(|a, b| a == b) {
                all.push((run[0], run.len() as u32));
            }
            for &c in &e.companies {
                *companies.entry(c).or_default() += 1;
            }
        }
        all.sort_unstable_by_key(|&(t, _)| t);
        let terms = all
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| (run[0].0, run.iter().map(|r| r.1).sum(), run.len() as u32))
            .collect();
        WeekCounts { terms, total, companies }
    }

    fn occurrences(&self, term: u32) -> u32 {
        self.terms.binary_search_by_key(&term, |r| r.0).map_or(0, |i| self.terms[i].1)
    }
}

fn weeks(
    site: &Site,
    by_week: &BTreeMap<NaiveDate, Vec<usize>>,
    terms: &Terms<'_>,
    vocab: &[String],
    cache: Option<&mut WeekCache>,
) -> Vec<Week> {
    let mondays: Vec<NaiveDate> = by_week.keys().copied().collect();
    let kept = cache.as_deref();
    let counted: Vec<(u64, Arc<WeekCounts>)> = by_week
        .par_iter()
        .map(|(monday, e)| {
            let Some(kept) = kept else { return (0, Arc::new(WeekCounts::of(site, e, terms))) };
            let key = week_key(site, e, terms);
            match kept.weeks.get(monday) {
                Some((k, counts)) if *k == key => (key, counts.clone()),
                _ => (key, Arc::new(WeekCounts::of(site, e, terms))),
            }
        })
        .collect();
    if let Some(cache) = cache {
        cache.weeks = mondays.iter().copied().zip(counted.iter().cloned()).collect();
    }
    let counts: Vec<&WeekCounts> = counted.iter().map(|(_, c)| c.as_ref()).collect();
    let index: HashMap<NaiveDate, usize> = mondays.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let stems = predicate_stems(site, &counts, vocab);
    (0..mondays.len())
        .into_par_iter()
        .map(|w| {
            let reference: Vec<usize> =
                (1..=REFERENCE_WEEKS).filter_map(|k| index.get(&(mondays[w] - Duration::weeks(k))).copied()).collect();
            let refs: Vec<&WeekCounts> = reference.iter().map(|&r| counts[r]).collect();
            let reference_articles = reference.iter().map(|&r| by_week[&mondays[r]].len()).sum();
            let articles = by_week[&mondays[w]].len();
            Week {
                monday: mondays[w],
                articles,
                reference_articles,
                terms: rising_terms(vocab, &stems, counts[w], &refs),
                companies: rising_companies(site, counts[w], articles, &refs, reference_articles),
            }
        })
        .collect()
}

/// Whether a week's (term, occurrences, articles) is often enough, in enough articles, and a term
/// that may be listed ([`is_trend_term`]).
fn may_trend(vocab: &[String], &(t, n, docs): &(u32, u32, u32)) -> bool {
    n >= MIN_TERM_COUNT && docs >= MIN_TERM_ARTICLES && vocab.get(t as usize).is_some_and(|s| is_trend_term(s))
}

/// The terms that could trend in some week (often enough, and [`is_trend_term`]) that are verb or
/// adjective stems (내놓): the index keeps them for search, the trend lists leave them out. Only
/// the candidates are looked up, a few thousand words at most.
fn predicate_stems(site: &Site, counts: &[&WeekCounts], vocab: &[String]) -> HashSet<u32> {
    let Ok(analyzer) = crate::enrich::analyzer(&site.config) else { return HashSet::new() };
    let mut candidates: Vec<u32> =
        counts.iter().flat_map(|w| w.terms.iter()).filter(|row| may_trend(vocab, row)).map(|&(t, _, _)| t).collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates.into_par_iter().filter(|&t| analyzer.is_predicate_stem(&vocab[t as usize])).collect()
}

fn rising_terms(vocab: &[String], stems: &HashSet<u32>, week: &WeekCounts, refs: &[&WeekCounts]) -> Vec<Trend<String>> {
    let d: u64 = refs.iter().map(|r| r.total).sum();
    if d == 0 {
        return Vec::new();
    }
    let (c, d) = (week.total as f64, d as f64);
    let mut out: Vec<Trend<u32>> = week
        .terms
        .iter()
        .filter(|row| may_trend(vocab, row) && !stems.contains(&row.0))
        .filter_map(|&(t, a, _)| {
            let b: u32 = refs.iter().map(|r| r.occurrences(t)).sum();
            rising(a, c, b, d).map(|g2| Trend { key: t, count: a, reference: b, g2 })
        })
        .collect();
    let term = |t: &Trend<u32>| vocab[t.key as usize].as_str();
    // Ties (a compound and its parts always tie) go to the longer term, then by spelling.
    out.sort_by(|x, y| {
        y.g2.total_cmp(&x.g2)
            .then(y.count.cmp(&x.count))
            .then(term(y).chars().count().cmp(&term(x).chars().count()))
            .then_with(|| term(x).cmp(term(y)))
    });
    // A part that occurs mostly inside a listed compound (모노 in 모노텔릭스, 전자 in 삼성전자: the
    // compound gives at least 80% of its occurrences, as the index counts a compound's parts with
    // it) says nothing the compound does not.
    out.truncate(TOP_TERMS * 3);
    let redundant: Vec<bool> = out
        .iter()
        .map(|t| {
            out.iter().any(|u| {
                u.count as u64 * 5 >= t.count as u64 * 4 && term(u).len() > term(t).len() && term(u).contains(term(t))
            })
        })
        .collect();
    let mut keep = redundant.into_iter();
    out.retain(|_| !keep.next().unwrap_or(false));
    out.truncate(TOP_TERMS);
    out.into_iter()
        .map(|t| Trend { key: vocab[t.key as usize].clone(), count: t.count, reference: t.reference, g2: t.g2 })
        .collect()
}

fn rising_companies(
    site: &Site,
    week: &WeekCounts,
    articles: usize,
    refs: &[&WeekCounts],
    reference_articles: usize,
) -> Vec<Trend<usize>> {
    if reference_articles == 0 {
        return Vec::new();
    }
    let (c, d) = (articles as f64, reference_articles as f64);
    let mut out: Vec<Trend<usize>> = week
        .companies
        .iter()
        .filter(|&(_, &n)| n >= MIN_COMPANY_ARTICLES)
        .filter_map(|(&k, &a)| {
            let b: u32 = refs.iter().map(|r| r.companies.get(&k).copied().unwrap_or(0)).sum();
            rising(a, c, b, d).map(|g2| Trend { key: k, count: a, reference: b, g2 })
        })
        .collect();
    out.sort_by(|x, y| {
        y.g2.total_cmp(&x.g2)
            .then(y.count.cmp(&x.count))
            .then_with(|| site.companies[x.key].name.cmp(&site.companies[y.key].name))
    });
    out.truncate(TOP_COMPANIES);
    out
}

/// G² of `a` in `c` against `b` in `d`, when the week's share is the higher one.
fn rising(a: u32, c: f64, b: u32, d: f64) -> Option<f64> {
    let (a, b) = (a as f64, b as f64);
    (a / c > b / d).then(|| log_likelihood(a, c, b, d)).filter(|g| *g > 0.0)
}

/// Articles that name more companies than this count only their first ones as named together, so
/// that one article listing hundreds of companies cannot cost their square.
const CO_MENTION_NAMES: usize = 50;

fn co_mentions(site: &Site) -> Vec<Vec<(usize, u32)>> {
    let mut pairs: HashMap<(usize, usize), u32> = HashMap::new();
    for e in &site.entries {
        let named = &e.companies[..e.companies.len().min(CO_MENTION_NAMES)];
        for &a in named {
            for &b in named {
                if a != b {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<Vec<(usize, u32)>> = vec![Vec::new(); site.companies.len()];
    for ((a, b), n) in pairs {
        out[a].push((b, n));
    }
    for list in &mut out {
        list.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| site.companies[x.0].name.cmp(&site.companies[y.0].name)));
        list.truncate(TOP_CO_MENTIONS);
    }
    out
}

/// Articles per month of `entries`, from the first month to the last (months between with none
/// included): ((year, month), count), ascending.
pub fn months_of(site: &Site, entries: &[usize]) -> Vec<((i32, u32), usize)> {
    let mut counts: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for &i in entries {
        let d = site.entries[i].article.day();
        *counts.entry((d.year(), d.month())).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        out.push(((y, m), counts.get(&(y, m)).copied().unwrap_or(0)));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_a_worked_example() {
        // 10 of 1,000 against 10 of 10,000: E1 = 1000·20/11000, E2 = 10000·20/11000.
        let g2 = log_likelihood(10.0, 1000.0, 10.0, 10000.0);
        let e1: f64 = 1000.0 * 20.0 / 11000.0;
        let e2: f64 = 10000.0 * 20.0 / 11000.0;
        let want: f64 = 2.0 * (10.0 * (10.0 / e1).ln() + 10.0 * (10.0 / e2).ln());
        assert!((g2 - want).abs() < 1e-9, "{g2} {want}");
        assert!((g2 - 22.14).abs() < 0.01, "about 22.14: {g2}");
        assert_eq!(log_likelihood(0.0, 10.0, 0.0, 10.0), 0.0);
        assert_eq!(log_likelihood(5.0, 10.0, 5.0, 10.0), 0.0);
    }

    #[test]
    fn trend_terms_exclude_numbers_single_syllables_and_grammar_words() {
        for t in ["2025", "770만원", "3분기", "칩", "것", "이번", "지난해", ""] {
            assert!(!is_trend_term(t), "{t}");
        }
        for t in ["딥시크", "h20", "gpt-5", "휴머노이드", "ai"] {
            assert!(is_trend_term(t), "{t}");
        }
    }

    #[test]
    fn week_ids_are_iso_weeks() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 28).unwrap();
        assert_eq!(week_id(d), "2025-W31");
        assert_eq!(monday_of(NaiveDate::from_ymd_opt(2025, 8, 3).unwrap()), d);
        // 2024-12-30 is in the first ISO week of 2025.
        assert_eq!(week_id(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()), "2025-W01");
    }
}
