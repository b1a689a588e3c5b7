//! Rendering: view structs that templates see, the list of pages, and tera.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::model::{encode_path, Entry, Group, Site};
use crate::theme;

/// Where rendered files go: the output folder, memory (serve) or nowhere (check).
pub trait Sink: Sync {
    /// `rel` is a '/'-separated path under the output root, e.g. "2025/07/index.html".
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_path: &'a str,
    pub base_url: &'a str,
    pub search_url: String,
    pub feed_url: String,
    pub companies_url: String,
    pub tags_url: String,
    pub archive_url: String,
    pub trends_url: String,
    pub topics: Vec<Link>,
    /// Pages linked from the footer (site.toml `footer`).
    pub footer: Vec<Link>,
    pub assets: BTreeMap<String, String>,
    /// The default share picture (site.toml `share_image`), absolute, for pages without their own.
    pub share_image: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// An article as a list item.
#[derive(Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    /// RFC 3339 in the site timezone.
    pub datetime: String,
    /// "2025년 7월 28일 (월)"
    pub date: String,
    pub summary: String,
    /// The first [`CARD_LINKS`] companies and tags; `more_*` counts the rest ("+N").
    pub companies: Vec<Link>,
    pub more_companies: usize,
    pub topics: Vec<Link>,
    pub tags: Vec<Link>,
    pub more_tags: usize,
    pub reading_minutes: usize,
    /// A draft, shown only by `--drafts` builds and `sosik serve --drafts`: labelled on the page.
    pub draft: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages were skipped before this one (show an ellipsis).
    gap_before: bool,
}

/// Page numbers worth linking from page `current` of `total`: the first, the last and two on each
/// side of the current one, so a 1,000-page list does not put 1,000 links on every page.
fn page_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            let gap = out.last().is_some_and(|&(prev, _)| n > prev + 1);
            out.push((n, gap));
        }
    }
    out
}

#[derive(Serialize)]
struct CalendarDay {
    day: u32,
    count: usize,
    url: Option<String>,
}

/// One page to render: its output folder (relative, '' for the root) and its kind.
#[derive(Debug, Clone)]
pub enum Job {
    Home(usize),
    Article(usize),
    /// A day's articles, paginated like the other lists (`/2025/07/28/page/2/`).
    Day(NaiveDate, usize),
    Month(i32, u32),
    Year(i32),
    Archive,
    CompanyIndex,
    Company(usize, usize),
    Topic(usize, usize),
    TagIndex,
    Tag(usize, usize),
    Search,
    NotFound,
    /// A page without a date (`content/pages/`), by index into `Site::pages`.
    Page(usize),
    /// `/trends/` and the week page of the ISO week starting on this Monday (`insights.rs`).
    Trends,
    TrendWeek(NaiveDate),
}

/// What an article or page shows besides its list item: times, byline, picture, contents.
#[derive(Serialize)]
pub struct Details {
    /// "14:30" when the front matter gives a time of day.
    pub time: Option<String>,
    /// RFC 3339 and "2025년 7월 29일 (화) 09:00" of `updated`.
    pub updated_datetime: Option<String>,
    pub updated: Option<String>,
    pub author: Option<String>,
    pub image: Option<ImageView>,
    /// Headings for a table of contents: empty below [`TOC_MIN_HEADINGS`].
    pub toc: Vec<crate::markdown::Heading>,
}

#[derive(Serialize)]
pub struct ImageView {
    /// For `<img src>`: a site path with the base path, or the URL as written.
    pub src: String,
    /// Absolute, for og:image and JSON-LD.
    pub url: String,
    pub alt: String,
}

/// Articles and pages with at least this many headings get a table of contents.
pub const TOC_MIN_HEADINGS: usize = 3;

/// "2025년 7월 28일 (월) 14:30".
fn korean_datetime(d: chrono::DateTime<chrono::FixedOffset>) -> String {
    format!("{} {}", korean_date(d.date_naive()), d.format("%H:%M"))
}

pub fn details(site: &Site, a: &crate::content::Article) -> Details {
    let c = &site.config;
    Details {
        time: (a.has_time && !a.page).then(|| a.date.format("%H:%M").to_string()),
        updated_datetime: a.updated.map(|u| u.to_rfc3339()),
        updated: a.updated.map(korean_datetime),
        author: a.author.clone(),
        image: a.image.as_ref().map(|i| {
            let src = if i.is_local() { site.url(&encode_path(i.src.trim_start_matches('/'))) } else { i.src.clone() };
            ImageView { url: c.absolute(&src), src, alt: i.alt.clone() }
        }),
        toc: if a.body.headings.len() >= TOC_MIN_HEADINGS { a.body.headings.clone() } else { Vec::new() },
    }
}

pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    cards: Vec<Card>,
    site_view: tera::Value,
    insights: crate::insights::Insights,
}

pub fn korean_date(d: NaiveDate) -> String {
    let wd = match d.weekday() {
        Weekday::Mon => "월",
        Weekday::Tue => "화",
        Weekday::Wed => "수",
        Weekday::Thu => "목",
        Weekday::Fri => "금",
        Weekday::Sat => "토",
        Weekday::Sun => "일",
    };
    format!("{}년 {}월 {}일 ({wd})", d.year(), d.month(), d.day())
}

fn pages_of(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

impl<'a> Renderer<'a> {
    /// Loads templates: built-in theme, then `<root>/themes/<theme>/templates`, then `<root>/templates`.
    /// `insights` are [`Insights::compute`](crate::insights::Insights::compute)`(site)`.
    pub fn new(
        site: &'a Site,
        root: &Path,
        assets: BTreeMap<String, String>,
        insights: crate::insights::Insights,
    ) -> Result<Self> {
        let tera = theme::load_templates(root, &site.config.theme)?;
        let cards = site.entries.iter().map(|e| card(site, e)).collect();
        Self::with_cards(site, tera, assets, cards, insights)
    }

    /// Like [`Renderer::new`] with the templates loaded, the list items made (`cards[i]` being
    /// [`card`]`(site, &site.entries[i])`) and the insights computed: `serve` keeps the first two
    /// between rebuilds (see [`Renderer::into_cards`]) and computes the insights with the terms it
    /// keeps outside the model.
    pub fn with_cards(
        site: &'a Site,
        tera: Tera,
        assets: BTreeMap<String, String>,
        cards: Vec<Card>,
        insights: crate::insights::Insights,
    ) -> Result<Self> {
        let c = &site.config;
        let view = SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_path: &c.base_path,
            base_url: &c.base_url,
            search_url: site.url("search/"),
            feed_url: site.url("feed.xml"),
            companies_url: site.url("companies/"),
            tags_url: site.url("tags/"),
            archive_url: site.url("archive/"),
            trends_url: site.url("trends/"),
            topics: site.topics.iter().map(|t| Link { name: t.name.clone(), url: t.url.clone() }).collect(),
            footer: site.footer.iter().map(|(name, url)| Link { name: name.clone(), url: url.clone() }).collect(),
            assets,
            share_image: site.share_image_url(),
        };
        let site_view = tera::to_value(view).map_err(|e| Error::Other(e.to_string()))?;
        Ok(Renderer { site, tera, cards, site_view, insights })
    }

    /// Every article as a list item, in site order (`serve` hashes them to see which lists changed).
    pub fn all_cards(&self) -> &[Card] {
        &self.cards
    }

    /// The list items, to give to the next [`Renderer::with_cards`].
    pub fn into_cards(self) -> Vec<Card> {
        self.cards
    }

    /// What `job`'s page shows of the insights (`serve` hashes it to see which pages changed).
    pub fn insights_of(&self, job: &Job) -> Option<crate::insights::PageInsights> {
        self.insights.page(self.site, job)
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let per = s.config.per_page;
        let mut jobs = vec![Job::Archive, Job::CompanyIndex, Job::TagIndex, Job::Search, Job::NotFound];
        jobs.extend((1..=pages_of(s.entries.len(), per)).map(Job::Home));
        jobs.extend((0..s.entries.len()).map(Job::Article));
        jobs.extend((0..s.pages.len()).map(Job::Page));
        for (d, e) in &s.days {
            jobs.extend((1..=pages_of(e.len(), per)).map(|p| Job::Day(*d, p)));
        }
        jobs.extend(s.months().keys().map(|&(y, m)| Job::Month(y, m)));
        jobs.extend(s.years().keys().map(|&y| Job::Year(y)));
        for (i, g) in s.companies.iter().enumerate() {
            jobs.extend((1..=pages_of(g.entries.len(), per)).map(|p| Job::Company(i, p)));
        }
        for (i, g) in s.topics.iter().enumerate() {
            jobs.extend((1..=pages_of(g.entries.len(), per)).map(|p| Job::Topic(i, p)));
        }
        for (i, g) in s.tags.iter().enumerate() {
            jobs.extend((1..=pages_of(g.entries.len(), per)).map(|p| Job::Tag(i, p)));
        }
        jobs.push(Job::Trends);
        jobs.extend(self.insights.weeks.iter().map(|w| Job::TrendWeek(w.monday)));
        jobs
    }

    /// Renders all jobs in parallel into `sink`; returns the number of pages.
    pub fn render_all(&self, jobs: &[Job], sink: &dyn Sink, progress: &crate::Progress) -> Result<usize> {
        progress.start("pages", jobs.len());
        jobs.par_iter().try_for_each(|job| {
            let (rel, html) = self.render(job)?;
            progress.tick();
            sink.write(&rel, html.as_bytes())
        })?;
        Ok(jobs.len())
    }

    /// Renders one page: (output file path, HTML).
    pub fn render(&self, job: &Job) -> Result<(String, String)> {
        let s = self.site;
        let mut ctx = Context::new();
        ctx.insert("site", &self.site_view);
        let (dir, template, title) = match job {
            Job::Home(p) => {
                self.list(&mut ctx, "", &(0..s.entries.len()).collect::<Vec<_>>(), *p);
                (paged_dir("", *p), "index.html", String::new())
            }
            Job::Article(i) => {
                self.article(&mut ctx, *i);
                (s.entries[*i].dir.clone(), "article.html", s.entries[*i].article.title.clone())
            }
            Job::Day(d, p) => {
                let dir = day_dir(*d);
                self.day(&mut ctx, *d, &dir, *p);
                (paged_dir(&dir, *p), "day.html", korean_date(*d))
            }
            Job::Month(y, m) => {
                self.month(&mut ctx, *y, *m);
                (format!("{y:04}/{m:02}"), "month.html", format!("{y}년 {m}월"))
            }
            Job::Year(y) => {
                self.year(&mut ctx, *y);
                (format!("{y:04}"), "year.html", format!("{y}년"))
            }
            Job::Archive => {
                self.archive(&mut ctx);
                ("archive".into(), "archive.html", "지난 기사".into())
            }
            Job::CompanyIndex => {
                ctx.insert("groups", &group_links(&s.companies));
                let mut by_count = group_links(&s.companies);
                by_count.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(b.name)));
                ctx.insert("by_count", &by_count);
                ("companies".into(), "companies.html", "기업".into())
            }
            Job::Company(i, p) => self.group_page(&mut ctx, &s.companies[*i], *p, "company.html"),
            Job::Topic(i, p) => self.group_page(&mut ctx, &s.topics[*i], *p, "topic.html"),
            Job::TagIndex => {
                ctx.insert("groups", &group_links(&s.tags));
                ("tags".into(), "tags.html", "태그".into())
            }
            Job::Tag(i, p) => self.group_page(&mut ctx, &s.tags[*i], *p, "tag.html"),
            Job::Search => ("search".into(), "search.html", "검색".into()),
            Job::NotFound => (String::new(), "404.html", "페이지를 찾을 수 없습니다".into()),
            Job::Page(i) => {
                let p = &s.pages[*i];
                ctx.insert(
                    "page",
                    &PageView {
                        title: &p.article.title,
                        summary: p.article.summary.as_deref(),
                        draft: p.article.draft,
                    },
                );
                ctx.insert("content", &p.article.body.html);
                ctx.insert("details", &details(s, &p.article));
                (p.dir.clone(), "page.html", p.article.title.clone())
            }
            Job::Trends => ("trends".into(), "trends.html", "뜨는 말".into()),
            Job::TrendWeek(monday) => {
                let iso = monday.iso_week();
                (
                    crate::insights::week_dir(*monday),
                    "trend-week.html",
                    format!("{}년 {}주 뜨는 말", iso.year(), iso.week()),
                )
            }
        };
        if let Some(view) = self.insights.page(s, job) {
            ctx.insert("insights", &view);
        }
        ctx.insert("title", &title);
        let rel = match job {
            Job::NotFound => "404.html".to_string(),
            _ if dir.is_empty() => "index.html".to_string(),
            _ => format!("{dir}/index.html"),
        };
        let page_url = s.url(&encode_path(rel.trim_end_matches("index.html")));
        // The 404 page is served at every missing address: it is nobody's canonical page.
        if !matches!(job, Job::NotFound) {
            ctx.insert("canonical_url", &s.config.absolute(&page_url));
        }
        ctx.insert("page_url", &page_url);
        let html = self.tera.render(template, &ctx).map_err(|e| Error::Render {
            page: match job {
                Job::Article(i) => format!("{} (/{rel})", s.entries[*i].article.path.display()),
                Job::Page(i) => format!("{} (/{rel})", s.pages[*i].article.path.display()),
                _ => format!("/{rel}"),
            },
            template: template.to_string(),
            within: theme::error_template(&theme::error_chain(&e)).map(str::to_string),
            message: theme::render_error_message(&e),
            location: None,
        })?;
        Ok((rel, html))
    }

    fn cards(&self, idx: &[usize]) -> Vec<&Card> {
        idx.iter().map(|&i| &self.cards[i]).collect()
    }

    fn list(&self, ctx: &mut Context, base_dir: &str, entries: &[usize], page: usize) {
        let per = self.site.config.per_page;
        let total = pages_of(entries.len(), per);
        let from = ((page - 1) * per).min(entries.len());
        let to = (from + per).min(entries.len());
        ctx.insert("articles", &self.cards(&entries[from..to]));
        ctx.insert("count", &entries.len());
        let url = |p: usize| self.site.url(&encode_path(&with_slash(&paged_dir(base_dir, p))));
        let pagination = Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            pages: page_window(page, total)
                .into_iter()
                .map(|(n, gap_before)| PageLink { number: n, url: url(n), current: n == page, gap_before })
                .collect(),
        };
        ctx.insert("pagination", &pagination);
    }

    fn group_page(
        &self,
        ctx: &mut Context,
        g: &Group,
        page: usize,
        template: &'static str,
    ) -> (String, &'static str, String) {
        self.list(ctx, &g.dir, &g.entries, page);
        ctx.insert(
            "group",
            &GroupView {
                key: &g.key,
                name: &g.name,
                en: &g.en,
                url: &g.url,
                feed_url: format!("{}feed.xml", g.url),
                registered: g.registered,
            },
        );
        (paged_dir(&g.dir, page), template, g.name.clone())
    }

    fn article(&self, ctx: &mut Context, i: usize) {
        let s = self.site;
        let e = &s.entries[i];
        let link = |j: usize| Link { name: s.entries[j].article.title.clone(), url: s.entries[j].url.clone() };
        ctx.insert("article", &self.cards[i]);
        ctx.insert("content", &e.article.body.html);
        ctx.insert("source", &e.article.source);
        ctx.insert("source_url", &e.article.source_url);
        // Entries are newest first: the previous (older) article is the next index.
        ctx.insert("prev", &(i + 1 < s.entries.len()).then(|| link(i + 1)));
        ctx.insert("next", &(i > 0).then(|| link(i - 1)));
        ctx.insert("related", &self.cards(&e.related));
        ctx.insert("json_ld", &crate::metadata::news_article(s, e, &self.cards[i].summary));
        ctx.insert("details", &details(s, &e.article));
        let day = e.article.day();
        ctx.insert("day_url", &s.url(&format!("{:04}/{:02}/{:02}/", day.year(), day.month(), day.day())));
    }

    fn day(&self, ctx: &mut Context, d: NaiveDate, dir: &str, page: usize) {
        let s = self.site;
        let day_link = |d: &NaiveDate| Link { name: korean_date(*d), url: day_url(s, *d) };
        self.list(ctx, dir, &s.days[&d], page);
        ctx.insert("prev_day", &s.days.range(..d).next_back().map(|(d, _)| day_link(d)));
        ctx.insert("next_day", &s.days.range(d.succ_opt().unwrap_or(d)..).next().map(|(d, _)| day_link(d)));
        ctx.insert("month_url", &s.url(&format!("{:04}/{:02}/", d.year(), d.month())));
    }

    fn month(&self, ctx: &mut Context, y: i32, m: u32) {
        let s = self.site;
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("month from a real date");
        let next =
            if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }.unwrap();
        let mut weeks: Vec<Vec<Option<CalendarDay>>> = vec![vec![]];
        for _ in 0..first.weekday().num_days_from_sunday() {
            weeks[0].push(None);
        }
        let mut days = Vec::new();
        let mut d = first;
        while d < next {
            if weeks.last().unwrap().len() == 7 {
                weeks.push(vec![]);
            }
            let count = s.days.get(&d).map_or(0, Vec::len);
            weeks.last_mut().unwrap().push(Some(CalendarDay {
                day: d.day(),
                count,
                url: (count > 0).then(|| day_url(s, d)),
            }));
            if count > 0 {
                let all = &s.days[&d];
                let shown = &all[..all.len().min(month_day_items(s.config.per_page))];
                days.push(DayView {
                    date: korean_date(d),
                    url: day_url(s, d),
                    count,
                    more: count - shown.len(),
                    articles: self.cards(shown),
                });
            }
            d = d.succ_opt().unwrap();
        }
        while weeks.last().unwrap().len() < 7 {
            weeks.last_mut().unwrap().push(None);
        }
        days.reverse();
        let months = s.months();
        let link =
            |&(y, m): &(i32, u32)| Link { name: format!("{y}년 {m}월"), url: s.url(&format!("{y:04}/{m:02}/")) };
        ctx.insert("year", &y);
        ctx.insert("month", &m);
        ctx.insert("year_url", &s.url(&format!("{y:04}/")));
        ctx.insert("weeks", &weeks);
        ctx.insert("days", &days);
        ctx.insert("count", &days.iter().map(|d| d.count).sum::<usize>());
        ctx.insert("prev_month", &months.range(..(y, m)).next_back().map(|(k, _)| link(k)));
        ctx.insert("next_month", &months.range((y, m + 1)..).next().map(|(k, _)| link(k)));
    }

    fn year(&self, ctx: &mut Context, y: i32) {
        let s = self.site;
        let months: Vec<MonthView> = s
            .months()
            .iter()
            .filter(|((yy, _), _)| *yy == y)
            .rev()
            .map(|(&(y, m), e)| MonthView {
                name: format!("{m}월"),
                url: s.url(&format!("{y:04}/{m:02}/")),
                count: e.len(),
                days: s
                    .days
                    .range(NaiveDate::from_ymd_opt(y, m, 1).unwrap()..)
                    .take_while(|(d, _)| d.month() == m && d.year() == y)
                    .count(),
            })
            .collect();
        ctx.insert("year", &y);
        ctx.insert("months", &months);
        ctx.insert("count", &months.iter().map(|m| m.count).sum::<usize>());
        let years = s.years();
        let link = |y: &i32| Link { name: format!("{y}년"), url: s.url(&format!("{y:04}/")) };
        ctx.insert("prev_year", &years.range(..y).next_back().map(|(k, _)| link(k)));
        ctx.insert("next_year", &years.range(y + 1..).next().map(|(k, _)| link(k)));
    }

    fn archive(&self, ctx: &mut Context) {
        let s = self.site;
        let months = s.months();
        let years: Vec<YearView> = s
            .years()
            .iter()
            .rev()
            .map(|(&y, e)| YearView {
                name: format!("{y}년"),
                url: s.url(&format!("{y:04}/")),
                count: e.len(),
                months: months
                    .iter()
                    .filter(|((yy, _), _)| *yy == y)
                    .rev()
                    .map(|(&(y, m), e)| MonthView {
                        name: format!("{m}월"),
                        url: s.url(&format!("{y:04}/{m:02}/")),
                        count: e.len(),
                        days: 0,
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("years", &years);
        ctx.insert("count", &s.entries.len());
    }
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    draft: bool,
}

#[derive(Serialize)]
struct GroupView<'a> {
    key: &'a str,
    name: &'a str,
    en: &'a str,
    url: &'a str,
    feed_url: String,
    registered: bool,
}

#[derive(Serialize)]
struct GroupLink<'a> {
    name: &'a str,
    en: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct DayView<'a> {
    date: String,
    url: String,
    /// Articles of the day; `articles` holds the first [`month_day_items`], `more` the rest.
    count: usize,
    more: usize,
    articles: Vec<&'a Card>,
}

/// Titles a month page shows per day, the day's lead stories: a month of a busy archive (1,125
/// articles in 30 days) listed in full was 61,303 px tall on a phone, and even `per_page` (20) a day
/// makes 600 titles. The day's page (a link beside the titles) has them all.
pub const MONTH_DAY_ITEMS: usize = 5;

/// [`MONTH_DAY_ITEMS`], never more than the site's `per_page`.
pub fn month_day_items(per_page: usize) -> usize {
    MONTH_DAY_ITEMS.min(per_page)
}

#[derive(Serialize)]
struct MonthView {
    name: String,
    url: String,
    count: usize,
    days: usize,
}

#[derive(Serialize)]
struct YearView {
    name: String,
    url: String,
    count: usize,
    months: Vec<MonthView>,
}

fn group_links(groups: &[Group]) -> Vec<GroupLink<'_>> {
    groups
        .iter()
        .filter(|g| !g.entries.is_empty())
        .map(|g| GroupLink { name: &g.name, en: &g.en, url: &g.url, count: g.entries.len() })
        .collect()
}

fn day_url(s: &Site, d: NaiveDate) -> String {
    s.url(&with_slash(&day_dir(d)))
}

/// A day's folder, "2025/07/28".
pub fn day_dir(d: NaiveDate) -> String {
    format!("{:04}/{:02}/{:02}", d.year(), d.month(), d.day())
}

pub fn paged_dir(base: &str, page: usize) -> String {
    match (base.is_empty(), page) {
        (true, 1) => String::new(),
        (true, p) => format!("page/{p}"),
        (false, 1) => base.to_string(),
        (false, p) => format!("{base}/page/{p}"),
    }
}

fn with_slash(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// Companies or tags a list item shows. Every tag page lists the article, so an article with n tags
/// showing all of them cost n² (4,000 tags wrote 862 MB); the article page itself shows them all.
pub const CARD_LINKS: usize = 8;

/// An article as a list item.
pub fn card(site: &Site, e: &Entry) -> Card {
    let a = &e.article;
    let links = |ids: &[usize], groups: &[Group]| -> Vec<Link> {
        ids.iter()
            .take(CARD_LINKS)
            .map(|&i| Link { name: groups[i].name.clone(), url: groups[i].url.clone() })
            .collect()
    };
    Card {
        title: a.title.clone(),
        url: e.url.clone(),
        datetime: a.date.to_rfc3339(),
        date: korean_date(a.day()),
        summary: a.summary.clone().unwrap_or_else(|| truncate_chars(&a.body.first_paragraph, 160)),
        companies: links(&e.companies, &site.companies),
        more_companies: e.companies.len().saturating_sub(CARD_LINKS),
        topics: links(&e.topics, &site.topics),
        tags: links(&e.tags, &site.tags),
        more_tags: e.tags.len().saturating_sub(CARD_LINKS),
        reading_minutes: e.reading_minutes,
        draft: a.draft,
    }
}

pub fn truncate_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_string(),
    }
}
