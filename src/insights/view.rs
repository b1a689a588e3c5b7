//! What templates see of the insights: one [`PageInsights`] per page that shows any, made by
//! [`Insights::page`] for both rendering and the serve fingerprints, so the two cannot differ.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::{months_of, week_id, Insights, Trend, Week};
use crate::model::{Group, Site};
use crate::render::{korean_date, Job};

/// Height of the chart's drawing area, in viewBox units; a month takes [`SLOT`] units of width.
const HEIGHT: u32 = 100;
const SLOT: u32 = 10;
/// A chart is never narrower than this many months, so that one month is not one wide block.
const MIN_SLOTS: u32 = 12;
/// Terms and companies the home page and the week list of `/trends/` show.
pub const HOME_TERMS: usize = 5;
const INDEX_TERMS: usize = 3;

/// The insight part of a page's template context (`insights`).
#[derive(Serialize, Default)]
pub struct PageInsights {
    pub trends_url: String,
    /// Articles per month (company, topic and home pages).
    pub chart: Option<Chart>,
    /// First and latest article (company and topic pages).
    pub first: Option<DateLink>,
    pub latest: Option<DateLink>,
    /// Registry details (company pages of registered companies).
    pub profile: Option<Profile>,
    /// Companies named in the same articles (company pages).
    pub co_mentioned: Vec<CoMention>,
    /// A week's rising terms and companies (week pages; the home page shows the newest week's
    /// first [`HOME_TERMS`]).
    pub week: Option<WeekView>,
    /// Every week, newest first (`/trends/`).
    pub weeks: Vec<WeekLink>,
    /// The statistic's thresholds, for the explanation on the trend pages.
    pub reference_weeks: i64,
    pub min_term_count: u32,
    pub min_term_articles: u32,
    pub min_company_articles: u32,
}

#[derive(Serialize)]
pub struct Chart {
    pub bars: Vec<Bar>,
    /// viewBox width and height.
    pub width: u32,
    pub height: u32,
    pub max: usize,
    pub total: usize,
    /// Labels of the first and last month.
    pub first: String,
    pub last: String,
}

/// One month of a chart, its geometry in viewBox units.
#[derive(Serialize)]
pub struct Bar {
    /// `2025년 7월: 12건`, the bar's `<title>`.
    pub title: String,
    /// `2025년 7월`
    pub label: String,
    pub count: usize,
    /// The month page (months with articles only).
    pub url: Option<String>,
    pub x: u32,
    pub slot: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

#[derive(Serialize)]
pub struct DateLink {
    pub date: String,
    pub datetime: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Profile {
    pub description: String,
    pub url: String,
    /// ISO 3166-1 alpha-2 code and its Korean name (the code again when the table lacks it).
    pub country: String,
    pub country_name: String,
}

#[derive(Serialize)]
pub struct CoMention {
    pub name: String,
    pub url: String,
    pub count: u32,
}

#[derive(Serialize)]
pub struct TrendItem {
    pub name: String,
    pub url: String,
    pub count: u32,
    pub reference: u32,
    /// G², one decimal.
    pub g2: String,
}

#[derive(Serialize)]
pub struct WeekView {
    #[serde(flatten)]
    pub link: WeekLink,
    pub reference_articles: usize,
    pub terms: Vec<TrendItem>,
    pub companies: Vec<TrendItem>,
    pub prev: Option<WeekLink>,
    pub next: Option<WeekLink>,
}

#[derive(Serialize)]
pub struct WeekLink {
    /// `2025-W31`
    pub id: String,
    /// `2025년 31주`
    pub name: String,
    /// `7월 28일 – 8월 3일`
    pub range: String,
    pub url: String,
    pub articles: usize,
    /// The first terms (the week list of `/trends/`).
    pub top: Vec<TrendItem>,
}

impl Insights {
    /// What `job`'s page shows of the insights, `None` for pages that show none.
    pub fn page(&self, site: &Site, job: &Job) -> Option<PageInsights> {
        let base = || PageInsights {
            trends_url: site.url("trends/"),
            reference_weeks: super::REFERENCE_WEEKS,
            min_term_count: super::MIN_TERM_COUNT,
            min_term_articles: super::MIN_TERM_ARTICLES,
            min_company_articles: super::MIN_COMPANY_ARTICLES,
            ..Default::default()
        };
        match job {
            Job::Home(1) => {
                let all: Vec<usize> = (0..site.entries.len()).collect();
                let week = self.weeks.last().map(|w| self.week_view(site, w, HOME_TERMS));
                Some(PageInsights { chart: chart(site, &all), week, ..base() })
            }
            Job::Company(i, 1) => {
                let g = &site.companies[*i];
                let co_mentioned = self
                    .co_mentions
                    .get(*i)
                    .into_iter()
                    .flatten()
                    .map(|&(c, count)| {
                        let other = &site.companies[c];
                        CoMention { name: other.name.clone(), url: other.url.clone(), count }
                    })
                    .collect();
                let profile = g.registered.then(|| site.config.companies.get(*i)).flatten().map(|c| Profile {
                    description: c.description.clone(),
                    url: c.url.clone(),
                    country_name: super::profile::country_name(&c.country).unwrap_or(&c.country).to_string(),
                    country: c.country.clone(),
                });
                Some(PageInsights { profile, co_mentioned, ..group_page(site, g, base()) })
            }
            Job::Topic(i, 1) => Some(group_page(site, &site.topics[*i], base())),
            Job::Trends => {
                let weeks = self.weeks.iter().rev().map(|w| week_link(site, w, INDEX_TERMS)).collect();
                Some(PageInsights { weeks, ..base() })
            }
            Job::TrendWeek(monday) => {
                let week = self.week(*monday).map(|w| self.week_view(site, &self.weeks[w], usize::MAX));
                Some(PageInsights { week, ..base() })
            }
            _ => None,
        }
    }

    fn week_view(&self, site: &Site, w: &Week, limit: usize) -> WeekView {
        let at = self.week(w.monday).unwrap_or(0);
        WeekView {
            link: week_link(site, w, 0),
            reference_articles: w.reference_articles,
            terms: term_items(site, &w.terms, limit),
            companies: company_items(site, &w.companies, limit),
            prev: at.checked_sub(1).map(|p| week_link(site, &self.weeks[p], 0)),
            next: self.weeks.get(at + 1).map(|n| week_link(site, n, 0)),
        }
    }
}

fn group_page(site: &Site, g: &Group, base: PageInsights) -> PageInsights {
    // Entries are newest first.
    let date = |i: &usize| {
        let d = site.entries[*i].article.day();
        DateLink {
            date: korean_date(d),
            datetime: d.format("%Y-%m-%d").to_string(),
            url: site.url(&d.format("%Y/%m/%d/").to_string()),
        }
    };
    PageInsights {
        chart: chart(site, &g.entries),
        first: g.entries.last().map(date),
        latest: g.entries.first().map(date),
        ..base
    }
}

/// The bar chart of articles per month of `entries`.
pub fn chart(site: &Site, entries: &[usize]) -> Option<Chart> {
    let months = months_of(site, entries);
    let max = months.iter().map(|m| m.1).max().filter(|&m| m > 0)?;
    let label = |(y, m): (i32, u32)| format!("{y}년 {m}월");
    let bars: Vec<Bar> = months
        .iter()
        .enumerate()
        .map(|(i, &(ym, count))| {
            let h = if count == 0 { 0 } else { ((count * (HEIGHT as usize - 4)).div_ceil(max) as u32).max(2) };
            Bar {
                title: format!("{}: {count}건", label(ym)),
                label: label(ym),
                count,
                url: (count > 0).then(|| site.url(&format!("{:04}/{:02}/", ym.0, ym.1))),
                x: i as u32 * SLOT + 1,
                slot: i as u32 * SLOT,
                y: HEIGHT - h,
                w: SLOT - 2,
                h,
            }
        })
        .collect();
    Some(Chart {
        width: (bars.len() as u32).max(MIN_SLOTS) * SLOT,
        height: HEIGHT,
        max,
        total: months.iter().map(|m| m.1).sum(),
        first: label(months[0].0),
        last: label(months[months.len() - 1].0),
        bars,
    })
}

fn week_link(site: &Site, w: &Week, top: usize) -> WeekLink {
    let id = w.id();
    let iso = w.monday.iso_week();
    let sunday = w.monday + Duration::days(6);
    WeekLink {
        name: format!("{}년 {}주", iso.year(), iso.week()),
        range: format!("{}월 {}일 – {}월 {}일", w.monday.month(), w.monday.day(), sunday.month(), sunday.day()),
        url: site.url(&format!("trends/{id}/")),
        id,
        articles: w.articles,
        top: term_items(site, &w.terms, top),
    }
}

fn term_items(site: &Site, terms: &[Trend<String>], limit: usize) -> Vec<TrendItem> {
    terms
        .iter()
        .take(limit)
        .map(|t| {
            let q: String = url::form_urlencoded::byte_serialize(t.key.as_bytes()).collect();
            TrendItem {
                url: format!("{}?q={q}", site.url("search/")),
                name: display_term(site, &t.key),
                count: t.count,
                reference: t.reference,
                g2: format!("{:.1}", t.g2),
            }
        })
        .collect()
}

/// An index term as a reader expects to see it: index terms are lowercased, so a registry
/// spelling is shown as the registry writes it (오픈ai -> 오픈AI), and runs of up to four Latin
/// letters as capitals, the way acronyms and model names are written (gpt-5 -> GPT-5, hbm3e ->
/// HBM3E); longer ones stay as they are (gpt-oss).
pub fn display_term(site: &Site, term: &str) -> String {
    let spelling = site.config.companies.iter().flat_map(|c| c.spellings()).find(|s| crate::model::fold(s) == term);
    if let Some(s) = spelling {
        return s.to_string();
    }
    let mut out = String::with_capacity(term.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() <= 4 {
            out.push_str(&run.to_ascii_uppercase());
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in term.chars() {
        if c.is_ascii_alphabetic() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn company_items(site: &Site, companies: &[Trend<usize>], limit: usize) -> Vec<TrendItem> {
    companies
        .iter()
        .take(limit)
        .map(|t| {
            let g = &site.companies[t.key];
            TrendItem {
                name: g.name.clone(),
                url: g.url.clone(),
                count: t.count,
                reference: t.reference,
                g2: format!("{:.1}", t.g2),
            }
        })
        .collect()
}

/// The folder of a week page, e.g. `trends/2025-W31`.
pub fn week_dir(monday: NaiveDate) -> String {
    format!("trends/{}", week_id(monday))
}
