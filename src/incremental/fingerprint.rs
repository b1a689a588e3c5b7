//! What each page shows, reduced to one number: a page whose fingerprint did not change since the
//! last rebuild has the same bytes and is not rendered again.
//!
//! A fingerprint covers the page's template (with every template it extends, includes or imports),
//! the site-wide values every page shows, and the model data the page's [`Job`] puts into the
//! template context in `render.rs`: list items (as hashes of the serialised [`Card`]s), neighbours,
//! counts, pagination. This mirrors `Renderer::render`; `tests/it/serve_incremental.rs` compares an
//! incrementally updated site with a fresh `build::generate` after many kinds of edit, so a page
//! input added there and forgotten here shows up as a failing test, not as a stale preview.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::io::Write;

use chrono::{Datelike, NaiveDate};

use crate::model::{Group, Site};
use crate::render::{self, Card, Job, Renderer};

/// A fast non-cryptographic hasher: rustc-hash's FxHasher. Fingerprints only need to tell our own
/// data apart, and SipHash over every feed and card of a large archive cost tens of ms.
pub type FastHasher = rustc_hash::FxHasher;

/// For hash maps keyed by our own paths.
pub type FastBuild = rustc_hash::FxBuildHasher;

/// Hashes anything hashable (stable within a process).
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FastHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Hashes bytes (file contents).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    bytes.len().hash(&mut h);
    h.write(bytes);
    h.finish()
}

struct HashWriter<'a>(&'a mut FastHasher);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hash of a list item: of its serialised form, so that a field added to [`Card`] counts too.
pub fn card_hash(card: &Card) -> u64 {
    let mut h = FastHasher::default();
    serde_json::to_writer(HashWriter(&mut h), card).expect("cards serialise");
    h.finish()
}

/// The template a job renders with (as in `Renderer::render`).
pub fn template_of(job: &Job) -> &'static str {
    match job {
        Job::Home(_) => "index.html",
        Job::Article(_) => "article.html",
        Job::Day(..) => "day.html",
        Job::Month(..) => "month.html",
        Job::Year(_) => "year.html",
        Job::Archive => "archive.html",
        Job::CompanyIndex => "companies.html",
        Job::Company(..) => "company.html",
        Job::Topic(..) => "topic.html",
        Job::TagIndex => "tags.html",
        Job::Tag(..) => "tag.html",
        Job::Search => "search.html",
        Job::NotFound => "404.html",
        Job::Page(_) => "page.html",
        Job::Trends => "trends.html",
        Job::TrendWeek(_) => "trend-week.html",
    }
}

/// The output file a job writes (as in `Renderer::render`); also the job's identity across rebuilds,
/// since indices shift when articles come and go.
pub fn job_path(site: &Site, job: &Job) -> String {
    let paged = render::paged_dir;
    let dir = match job {
        Job::NotFound => return "404.html".into(),
        Job::Home(p) => paged("", *p),
        Job::Article(i) => site.entries[*i].dir.clone(),
        Job::Day(d, p) => paged(&render::day_dir(*d), *p),
        Job::Month(y, m) => format!("{y:04}/{m:02}"),
        Job::Year(y) => format!("{y:04}"),
        Job::Archive => "archive".into(),
        Job::CompanyIndex => "companies".into(),
        Job::Company(i, p) => paged(&site.companies[*i].dir, *p),
        Job::Topic(i, p) => paged(&site.topics[*i].dir, *p),
        Job::TagIndex => "tags".into(),
        Job::Tag(i, p) => paged(&site.tags[*i].dir, *p),
        Job::Search => "search".into(),
        Job::Page(i) => site.pages[*i].dir.clone(),
        Job::Trends => "trends".into(),
        Job::TrendWeek(monday) => crate::insights::week_dir(*monday),
    };
    if dir.is_empty() {
        "index.html".into()
    } else {
        format!("{dir}/index.html")
    }
}

/// For every template: a hash of its source and of every template it names in a `{% %}` tag
/// (extends, include, import), transitively. A template edit changes exactly the hashes of the
/// templates that use it.
pub fn template_hashes(sources: &BTreeMap<String, String>) -> BTreeMap<String, u64> {
    let deps: BTreeMap<&str, Vec<&str>> =
        sources.iter().map(|(name, text)| (name.as_str(), named_templates(text, sources))).collect();
    sources
        .keys()
        .map(|name| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![name.as_str()];
            while let Some(n) = stack.pop() {
                if seen.insert(n) {
                    stack.extend(deps.get(n).into_iter().flatten());
                }
            }
            let closure: Vec<(&str, &str)> = seen.iter().map(|n| (*n, sources[*n].as_str())).collect();
            (name.clone(), hash_of(&closure))
        })
        .collect()
}

/// Template names quoted inside the `{% … %}` tags of `text`.
fn named_templates<'a>(text: &str, sources: &'a BTreeMap<String, String>) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag_and_after = &rest[start + 2..];
        let end = tag_and_after.find("%}").unwrap_or(tag_and_after.len());
        let tag = &tag_and_after[..end];
        for quote in ['"', '\''] {
            let mut parts = tag.split(quote);
            parts.next();
            while let Some(lit) = parts.next() {
                if let Some((name, _)) = sources.get_key_value(lit) {
                    out.push(name.as_str());
                }
                parts.next();
            }
        }
        rest = &tag_and_after[end..];
    }
    out
}

/// Fingerprints of the jobs of one model.
pub struct Fingerprints<'a> {
    site: &'a Site,
    cards: Vec<u64>,
    /// Per entry: hash of its source file (body, source link, everything the article page shows).
    files: Vec<u64>,
    /// Per page (`Site::pages`): hash of its source file.
    page_files: Vec<u64>,
    templates: &'a BTreeMap<String, u64>,
    global: u64,
    months: BTreeMap<(i32, u32), Vec<usize>>,
    years: BTreeMap<i32, Vec<usize>>,
    /// Where the pages' insight views come from ([`Fingerprints::with_insights`]).
    insights: Option<&'a Renderer<'a>>,
}

impl<'a> Fingerprints<'a> {
    /// `cards[i]` ([`card_hash`]) and `files[i]` belong to `site.entries[i]`; `global` covers what
    /// every page shows (config, assets).
    pub fn new(
        site: &'a Site,
        cards: Vec<u64>,
        files: Vec<u64>,
        page_files: Vec<u64>,
        templates: &'a BTreeMap<String, u64>,
        global: u64,
    ) -> Self {
        Fingerprints {
            site,
            cards,
            files,
            page_files,
            templates,
            global,
            months: site.months(),
            years: site.years(),
            insights: None,
        }
    }

    /// Covers what each page shows of the insights (`insights.rs`), as `renderer` makes it.
    pub fn with_insights(mut self, renderer: &'a Renderer<'a>) -> Self {
        self.insights = Some(renderer);
        self
    }

    /// The list items' hashes, to keep for the next rebuild.
    pub fn into_card_hashes(self) -> Vec<u64> {
        self.cards
    }

    pub fn of(&self, job: &Job) -> u64 {
        let s = self.site;
        let mut h = FastHasher::default();
        self.global.hash(&mut h);
        template_of(job).hash(&mut h);
        self.templates.get(template_of(job)).hash(&mut h);
        let per = s.config.per_page;
        match job {
            Job::Home(p) => {
                // Every entry, in order: the page's slice is a range (no list of all of them).
                let n = s.entries.len();
                let from = ((p - 1) * per).min(n);
                (p, n, n.div_ceil(per)).hash(&mut h);
                let slice: Vec<usize> = (from..(from + per).min(n)).collect();
                self.cards_of(&mut h, &slice);
            }
            Job::Article(i) => {
                let link = |j: usize| s.entries.get(j).map(|e| (&e.article.title, &e.url));
                (self.files[*i], self.cards[*i], link(i + 1), i.checked_sub(1).and_then(link)).hash(&mut h);
                self.cards_of(&mut h, &s.entries[*i].related);
            }
            Job::Day(d, p) => {
                d.hash(&mut h);
                self.page_of(&mut h, &s.days[d], *p, per);
                s.days.range(..*d).next_back().map(|(k, _)| k).hash(&mut h);
                s.days.range(d.succ_opt().unwrap_or(*d)..).next().map(|(k, _)| k).hash(&mut h);
            }
            Job::Month(y, m) => {
                (y, m).hash(&mut h);
                let first = NaiveDate::from_ymd_opt(*y, *m, 1).expect("month of a real date");
                let shown = render::month_day_items(per);
                for (d, e) in s.days.range(first..).take_while(|(d, _)| d.year() == *y && d.month() == *m) {
                    (d, e.len()).hash(&mut h);
                    self.cards_of(&mut h, &e[..e.len().min(shown)]);
                }
                self.months.range(..(*y, *m)).next_back().map(|(k, _)| k).hash(&mut h);
                self.months.range((*y, *m + 1)..).next().map(|(k, _)| k).hash(&mut h);
            }
            Job::Year(y) => {
                y.hash(&mut h);
                for ((yy, m), e) in self.months.range((*y, 0)..=(*y, 13)) {
                    let first = NaiveDate::from_ymd_opt(*yy, *m, 1).expect("month of a real date");
                    let days = s.days.range(first..).take_while(|(d, _)| d.month() == *m && d.year() == *yy).count();
                    (m, e.len(), days).hash(&mut h);
                }
                self.years.range(..*y).next_back().map(|(k, _)| k).hash(&mut h);
                self.years.range(y + 1..).next().map(|(k, _)| k).hash(&mut h);
            }
            Job::Archive => {
                s.entries.len().hash(&mut h);
                self.years.iter().map(|(y, e)| (y, e.len())).for_each(|x| x.hash(&mut h));
                self.months.iter().map(|(k, e)| (k, e.len())).for_each(|x| x.hash(&mut h));
            }
            Job::CompanyIndex => group_links(&mut h, &s.companies),
            Job::TagIndex => group_links(&mut h, &s.tags),
            Job::Company(i, p) => self.group_page(&mut h, &s.companies[*i], *p, per),
            Job::Topic(i, p) => self.group_page(&mut h, &s.topics[*i], *p, per),
            Job::Tag(i, p) => self.group_page(&mut h, &s.tags[*i], *p, per),
            Job::Page(i) => (self.page_files.get(*i), &s.pages[*i].url).hash(&mut h),
            Job::Search | Job::NotFound | Job::Trends | Job::TrendWeek(_) => {}
        }
        // Charts, trends and co-mentions depend on the whole archive: hash what the page shows.
        if let Some(view) = self.insights.and_then(|r| r.insights_of(job)) {
            serde_json::to_writer(HashWriter(&mut h), &view).expect("insight views serialise");
        }
        h.finish()
    }

    /// An Atom feed (`feeds::atom`): its title and page, and its newest items in full, pages that
    /// opt in to it included.
    pub fn feed(&self, title: &str, page: &str, entries: &[usize], pages: &[usize]) -> u64 {
        let s = self.site;
        let mut h = FastHasher::default();
        (self.global, "feed", title, page).hash(&mut h);
        let newest = crate::feeds::newest_items(s, entries, pages);
        newest.len().hash(&mut h);
        for item in newest {
            match item {
                crate::feeds::Item::Entry(i) => {
                    let e = &s.entries[i];
                    (self.files[i], self.cards[i]).hash(&mut h);
                    e.companies
                        .iter()
                        .map(|&c| (&s.companies[c].key, &s.companies[c].name))
                        .for_each(|x| x.hash(&mut h));
                    e.topics.iter().map(|&t| (&s.topics[t].key, &s.topics[t].name)).for_each(|x| x.hash(&mut h));
                }
                crate::feeds::Item::Page(i) => ("page", self.page_files.get(i), &s.pages[i].url).hash(&mut h),
            }
        }
        h.finish()
    }

    fn cards_of(&self, h: &mut FastHasher, idx: &[usize]) {
        idx.len().hash(h);
        for &i in idx {
            self.cards[i].hash(h);
        }
    }

    /// A paginated list: its slice of cards, the total count and the number of pages.
    fn page_of(&self, h: &mut FastHasher, entries: &[usize], page: usize, per: usize) {
        let from = ((page - 1) * per).min(entries.len());
        let to = (from + per).min(entries.len());
        (page, entries.len(), entries.len().div_ceil(per)).hash(h);
        self.cards_of(h, &entries[from..to]);
    }

    fn group_page(&self, h: &mut FastHasher, g: &Group, page: usize, per: usize) {
        (&g.key, &g.name, &g.en, &g.url, &g.dir, g.registered).hash(h);
        self.page_of(h, &g.entries, page, per);
    }
}

fn group_links(h: &mut FastHasher, groups: &[Group]) {
    for g in groups.iter().filter(|g| !g.entries.is_empty()) {
        (&g.name, &g.en, &g.url, g.entries.len()).hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
    }

    #[test]
    fn a_template_edit_changes_the_templates_that_use_it() {
        let before = sources(&[
            ("base.html", "<body>{% block main %}{% endblock %}</body>"),
            ("macros.html", "{% macro card() %}x{% endmacro %}"),
            ("article.html", "{% extends \"base.html\" %}{% block main %}a{% endblock %}"),
            ("index.html", "{% extends 'base.html' %}{% import \"macros.html\" as m %}{% block main %}{{ m::card() }}{% endblock %}"),
            ("404.html", "<p>404</p>"),
        ]);
        let mut after = before.clone();
        after.insert("macros.html".into(), "{% macro card() %}y{% endmacro %}".into());
        let (a, b) = (template_hashes(&before), template_hashes(&after));
        assert_eq!(a["article.html"], b["article.html"]);
        assert_eq!(a["404.html"], b["404.html"]);
        assert_ne!(a["index.html"], b["index.html"]);
        after.insert("base.html".into(), "<body class=x>{% block main %}{% endblock %}</body>".into());
        let c = template_hashes(&after);
        assert_ne!(b["article.html"], c["article.html"]);
        assert_eq!(b["404.html"], c["404.html"]);
    }
}
