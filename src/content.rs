//! Loading content/: front matter (TOML between `+++` lines) and Markdown bodies into [`Article`]s.
//! Every problem of every file is collected, with its position in the file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::error::{friendly_toml_message, line_col, Diagnostic, Error, Result};
use crate::markdown::{self, MarkdownOptions, Rendered};

/// Front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleMeta {
    title: Option<Spanned<String>>,
    date: Option<Spanned<toml::Value>>,
    #[serde(default)]
    companies: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    topics: Vec<Spanned<String>>,
    summary: Option<String>,
    source: Option<String>,
    source_url: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    /// Same-day order after the time: lower first.
    weight: Option<Spanned<i64>>,
    updated: Option<Spanned<toml::Value>>,
    author: Option<Spanned<String>>,
    image: Option<Spanned<String>>,
    image_alt: Option<Spanned<String>>,
}

/// Front matter of a page (`content/pages/…`): no date, no companies, tags or topics.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageMeta {
    title: Option<Spanned<String>>,
    summary: Option<String>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    updated: Option<Spanned<toml::Value>>,
    author: Option<Spanned<String>>,
    image: Option<Spanned<String>>,
    image_alt: Option<Spanned<String>>,
    /// Opt in to the search index.
    #[serde(default)]
    search: bool,
    /// Opt in to the site's Atom feed (needs `updated`, which dates the entry).
    feed: Option<Spanned<bool>>,
}

/// A name as written in front matter, with its position for later warnings.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// Path as given to the loader (root-relative when loaded through [`load`]).
    pub path: PathBuf,
    pub title: String,
    /// In the site timezone.
    pub date: DateTime<FixedOffset>,
    /// Whether the front matter gave a time of day (else the date is a whole day).
    pub has_time: bool,
    pub companies: Vec<Located>,
    pub tags: Vec<String>,
    /// Topic keys from front matter (validated against the config).
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub slug: String,
    pub draft: bool,
    /// Same-day order after the time of day: lower first (default 0).
    pub weight: i64,
    /// Last substantial change (`updated`), in the site timezone.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Byline.
    pub author: Option<String>,
    /// Picture at the top and for shares.
    pub image: Option<Image>,
    /// A page without a date (`content/pages/…`), served at `/<slug>/` and left out of every list.
    pub page: bool,
    /// A page that opts in to the search index (`search = true`); articles are always in it.
    pub search: bool,
    /// A page that opts in to the site's feed (`feed = true`); articles are always in it.
    pub feed: bool,
    pub body: Rendered,
}

/// An article's picture, as front matter gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// An http(s) URL, or a site path (`/images/r1.jpg`, a file of static/) without the base path.
    pub src: String,
    pub alt: String,
    /// Where `image` is written, for warnings about a missing file.
    pub line: usize,
    pub col: usize,
}

impl Image {
    /// A file of the site (static/), not a URL elsewhere.
    pub fn is_local(&self) -> bool {
        self.src.starts_with('/')
    }
}

impl Article {
    pub fn day(&self) -> NaiveDate {
        self.date.date_naive()
    }

    /// Left out of a normal build: drafts and articles dated after `now`.
    pub fn is_hidden(&self, now: DateTime<FixedOffset>) -> bool {
        self.draft || self.is_future(now)
    }

    /// When it last changed: `updated`, else its date.
    pub fn modified(&self) -> DateTime<FixedOffset> {
        self.updated.map_or(self.date, |u| u.max(self.date))
    }

    /// Dated after `now` (a page has no date and is never in the future).
    pub fn is_future(&self, now: DateTime<FixedOffset>) -> bool {
        !self.page && if self.has_time { self.date > now } else { self.day() > now.date_naive() }
    }

    /// The order of articles of one day: newest first by time, then `weight` (lower first), then
    /// path. A date without a time is the start of its day, after the timed articles of that day.
    pub fn order(&self, other: &Article) -> std::cmp::Ordering {
        other.date.cmp(&self.date).then(self.weight.cmp(&other.weight)).then_with(|| self.path.cmp(&other.path))
    }
}

/// What loading content/ gives: the articles (sorted by path) and non-fatal warnings.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub warnings: Vec<Diagnostic>,
}

/// Loads every `.md` file under `root/content`, all in parallel; errors of all files come back together.
pub fn load(root: &Path, config: &Config) -> Result<Loaded> {
    let dir = root.join("content");
    if !dir.is_dir() {
        return Err(no_content_folder(root));
    }
    let mut paths = Vec::new();
    let mut warnings = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Error::Other(format!("{}: cannot read the content folder: {e}", dir.display())))?;
        if entry.file_type().is_file() && is_article_file(entry.path()) {
            paths.push(entry.into_path());
        } else if entry.file_type().is_file() && entry.file_name().to_str().is_none() {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if let Some(w) = non_utf8_name(shown) {
                warnings.push(w);
            }
        }
    }
    let results: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let shown = p.strip_prefix(root).unwrap_or(p);
            let bytes = std::fs::read(p)
                .map_err(|e| vec![Diagnostic::new(shown, 1, 1, format!("cannot read the article file: {e}"))])?;
            parse(shown, &bytes, config)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(Loaded { articles, warnings })
    } else {
        Err(Error::Diagnostics(errors))
    }
}

/// The error for a site without `content/` (build, check and serve say the same).
pub fn no_content_folder(root: &Path) -> Error {
    Error::Other(format!(
        "no content/ folder in {}: articles are Markdown files under content/, such as \
         content/2025/07/28/my-article.md (`sosik new 2025/07/28/my-article.md` writes one)",
        root.display()
    ))
}

/// A warning for a Markdown file whose name is not UTF-8 (a `기사.md` written in CP949 by a Korean
/// Windows machine): it cannot get a URL, so it is left out, and saying so beats a silent gap.
fn non_utf8_name(path: &Path) -> Option<Diagnostic> {
    let bytes = path.file_name()?.as_encoded_bytes();
    if !is_article_name(bytes) {
        return None;
    }
    let mut shown = String::new();
    for chunk in bytes.utf8_chunks() {
        shown.push_str(chunk.valid());
        for b in chunk.invalid() {
            shown.push_str(&format!("\\x{b:02x}"));
        }
    }
    let dir = path.parent().map(|p| p.display().to_string()).unwrap_or_default();
    let at = if dir.is_empty() { shown.clone() } else { format!("{dir}/{shown}") };
    Some(Diagnostic::new(
        at,
        1,
        1,
        "file name is not UTF-8, so the article is left out; rename it in UTF-8 (a Korean Windows machine \
         may have written it in CP949)",
    ))
}

/// Markdown files, minus editor droppings (.#x.md, x.md~, .x.md.swp) and hidden files.
pub fn is_article_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| is_article_name(n.as_bytes()))
}

/// The name test of [`is_article_file`], on the name's bytes (UTF-8 or not).
fn is_article_name(name: &[u8]) -> bool {
    name.ends_with(b".md") && !name.starts_with(b".") && !name.starts_with(b"#")
}

/// Parses one article file. `path` is used in messages only.
pub fn parse(path: &Path, bytes: &[u8], config: &Config) -> std::result::Result<Article, Vec<Diagnostic>> {
    let fail = |line, col, msg: String| vec![Diagnostic::new(path, line, col, msg)];
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, col) = line_col(valid, valid.len());
            return Err(fail(
                line,
                col,
                format!("file is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let owned;
    let text = if text.contains('\r') {
        owned = text.replace("\r\n", "\n");
        owned.as_str()
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(fail(1, 1, "file is empty: an article needs front matter between `+++` lines".into()));
    }
    let Some(after_open) = text.strip_prefix("+++\n") else {
        return Err(fail(1, 1, "missing front matter: the file must start with a line `+++`".into()));
    };
    let fm_start = text.len() - after_open.len();
    let close = find_closing(after_open)
        .ok_or_else(|| fail(1, 1, "unterminated front matter: expected a closing `+++` line after it".into()))?;
    let front = &after_open[..close];
    let body = after_open[close..].strip_prefix("+++").unwrap_or("");
    let body = body.strip_prefix('\n').unwrap_or(body);

    // Positions inside the front matter are shifted to the file: offsets count from `fm_start`.
    let at = |offset: usize, msg: String| Diagnostic::at_offset(path, text, fm_start + offset, msg);
    let toml_error = |e: toml::de::Error| {
        let start = e.span().map_or(0, |s| s.start);
        match dotted_date(front, start) {
            // At the value, not at the second dot where TOML gave up on a float.
            Some((value_at, message)) => vec![at(value_at, message)],
            None => vec![at(start, friendly_toml_message(e.message()))],
        }
    };
    if is_page_path(path) {
        let meta: PageMeta = toml::from_str(front).map_err(toml_error)?;
        let mut errors = Vec::new();
        let title = check_title(&meta.title, path, &at, &mut errors);
        let extra = Extras::check(&meta.updated, &meta.author, &meta.image, &meta.image_alt, None, config, &at);
        let slug = page_slug(&meta.slug, path, &at, &mut errors);
        errors.extend(extra.errors);
        let feed = meta.feed.as_ref().is_some_and(|f| *f.get_ref());
        if let Some(f) = meta.feed.as_ref().filter(|f| *f.get_ref() && extra.updated.is_none()) {
            errors.push(at(
                f.span().start,
                "`feed = true` without `updated`: expected an `updated = 2025-08-01` line, the date of the \
                 page's last change, which dates its feed entry"
                    .into(),
            ));
        }
        if !errors.is_empty() {
            errors.sort_by_key(|d| (d.line, d.col));
            return Err(errors);
        }
        return Ok(Article {
            path: path.to_path_buf(),
            title,
            date: extra.updated.unwrap_or_else(|| config.timezone.timestamp_opt(0, 0).unwrap()),
            has_time: extra.updated.is_some(),
            companies: Vec::new(),
            tags: Vec::new(),
            topics: Vec::new(),
            summary: meta.summary.map(|s| nfc(s.trim())).filter(|s| !s.is_empty()),
            source: None,
            source_url: None,
            slug,
            draft: meta.draft,
            weight: 0,
            updated: extra.updated,
            author: extra.author,
            image: extra.image,
            page: true,
            search: meta.search,
            feed,
            body: markdown::render(
                &nfc(body),
                MarkdownOptions { allow_html: config.allow_html, base_path: &config.base_path },
            ),
        });
    }
    let meta: ArticleMeta = toml::from_str(front).map_err(toml_error)?;

    let mut errors = Vec::new();
    let title = check_title(&meta.title, path, &at, &mut errors);
    let (date, has_time) = match &meta.date {
        Some(d) => parse_date("date", d.get_ref(), config.timezone).unwrap_or_else(|msg| {
            errors.push(at(d.span().start, msg));
            (config.timezone.timestamp_opt(0, 0).unwrap(), false)
        }),
        None => {
            errors.push(Diagnostic::new(
                path,
                1,
                1,
                "missing `date` in front matter: expected a line like `date = 2025-07-28`",
            ));
            (config.timezone.timestamp_opt(0, 0).unwrap(), false)
        }
    };
    let extra = Extras::check(&meta.updated, &meta.author, &meta.image, &meta.image_alt, Some(date), config, &at);
    errors.extend(extra.errors);
    let mut topics = Vec::new();
    for t in &meta.topics {
        // A topic by its key (robots) or, as `companies` allows, by its name (로봇).
        let wanted = nfc(t.get_ref().trim());
        if let Some(k) = config.topics.iter().find(|k| k.key == wanted || k.name == wanted) {
            topics.push(k.key.clone());
        } else {
            let known: Vec<String> = config.topics.iter().map(|t| format!("{} ({})", t.name, t.key)).collect();
            errors.push(at(
                t.span().start,
                if known.is_empty() {
                    format!("unknown topic `{}`: site.toml defines no topics; expected none here", t.get_ref())
                } else {
                    format!(
                        "unknown topic `{}`: expected one of site.toml's topics, by name or key: {}",
                        t.get_ref(),
                        known.join(", ")
                    )
                },
            ));
        }
    }
    let slug = match &meta.slug {
        Some(s) => check_slug(s.get_ref()).unwrap_or_else(|msg| {
            errors.push(at(s.span().start, msg));
            String::new()
        }),
        None => slug_from_stem(path),
    };
    let source_url = meta.source_url.as_ref().and_then(|u| {
        let ok = u.get_ref().starts_with("https://") || u.get_ref().starts_with("http://");
        if !ok {
            errors.push(at(
                u.span().start,
                format!("`source_url` is `{}`: expected an http(s) URL like https://example.com/news/1", u.get_ref()),
            ));
        }
        ok.then(|| u.get_ref().clone())
    });
    let names = |v: &[Spanned<String>]| -> Vec<String> {
        v.iter().map(|s| nfc(s.get_ref().trim())).filter(|s| !s.is_empty()).collect()
    };
    let companies = meta
        .companies
        .iter()
        .filter(|c| !c.get_ref().trim().is_empty())
        .map(|c| {
            let (line, col) = line_col(text, fm_start + c.span().start);
            Located { value: nfc(c.get_ref().trim()), line, col }
        })
        .collect();
    if !errors.is_empty() {
        // In file order, as an editor fixes them; a stable sort keeps title before date at 1:1.
        errors.sort_by_key(|d| (d.line, d.col));
        return Err(errors);
    }
    let body_nfc = nfc(body);
    let rendered =
        markdown::render(&body_nfc, MarkdownOptions { allow_html: config.allow_html, base_path: &config.base_path });
    Ok(Article {
        path: path.to_path_buf(),
        title,
        date,
        has_time,
        companies,
        tags: names(&meta.tags),
        topics,
        summary: meta.summary.map(|s| nfc(s.trim())).filter(|s| !s.is_empty()),
        source: meta.source.map(|s| nfc(s.trim())).filter(|s| !s.is_empty()),
        source_url,
        slug,
        draft: meta.draft,
        weight: meta.weight.map_or(0, |w| *w.get_ref()),
        updated: extra.updated,
        author: extra.author,
        image: extra.image,
        page: false,
        search: false,
        feed: false,
        body: rendered,
    })
}

/// Whether a root-relative path is a page: a Markdown file under `content/pages/`.
pub fn is_page_path(path: &Path) -> bool {
    let mut parts = path.components().map(|c| c.as_os_str());
    parts.next() == Some("content".as_ref()) && parts.next() == Some("pages".as_ref())
}

/// First-level URL segments that sosik's own pages take: a page cannot be served there.
pub const RESERVED_SLUGS: [&str; 10] =
    ["archive", "companies", "tags", "topics", "search", "page", "feed.xml", "sitemap.xml", "robots.txt", "404.html"];

fn page_slug(
    slug: &Option<Spanned<String>>,
    path: &Path,
    at: &dyn Fn(usize, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let (value, offset) = match slug {
        Some(s) => match check_slug(s.get_ref()) {
            Ok(v) => (v, Some(s.span().start)),
            Err(msg) => {
                errors.push(at(s.span().start, msg));
                return String::new();
            }
        },
        None => (slug_from_stem(path), None),
    };
    let year = value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit());
    if RESERVED_SLUGS.contains(&value.as_str()) || year {
        let msg = format!(
            "page slug `{value}` is taken by sosik's own pages (/{value}/): expected another name, such as `about`; \
             set `slug = \"…\"` or rename the file"
        );
        errors.push(match offset {
            Some(o) => at(o, msg),
            None => Diagnostic::new(path, 1, 1, msg),
        });
    }
    value
}

fn check_title(
    title: &Option<Spanned<String>>,
    path: &Path,
    at: &dyn Fn(usize, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match title {
        Some(t) if !t.get_ref().trim().is_empty() => nfc(t.get_ref().trim()),
        Some(t) => {
            errors.push(at(
                t.span().start,
                "`title` is empty: expected the headline, like `title = \"딥시크, 새 모델 공개\"`".into(),
            ));
            String::new()
        }
        None => {
            errors.push(Diagnostic::new(
                path,
                1,
                1,
                "missing `title` in front matter: expected a line like `title = \"딥시크, 새 모델 공개\"`",
            ));
            String::new()
        }
    }
}

/// The optional keys articles and pages share: `updated`, `author`, `image`, `image_alt`.
struct Extras {
    updated: Option<DateTime<FixedOffset>>,
    author: Option<String>,
    image: Option<Image>,
    errors: Vec<Diagnostic>,
}

impl Extras {
    fn check(
        updated: &Option<Spanned<toml::Value>>,
        author: &Option<Spanned<String>>,
        image: &Option<Spanned<String>>,
        image_alt: &Option<Spanned<String>>,
        date: Option<DateTime<FixedOffset>>,
        config: &Config,
        at: &dyn Fn(usize, String) -> Diagnostic,
    ) -> Extras {
        let mut errors = Vec::new();
        let updated = updated.as_ref().and_then(|u| match parse_date("updated", u.get_ref(), config.timezone) {
            Ok((d, has_time)) => match date {
                Some(published) if d < published && (has_time || d.date_naive() != published.date_naive()) => {
                    errors.push(at(
                        u.span().start,
                        format!(
                            "`updated` ({}) is before `date` ({}): expected the time of the last change, after publication",
                            d.format("%Y-%m-%d %H:%M"),
                            published.format("%Y-%m-%d %H:%M")
                        ),
                    ));
                    None
                }
                _ => Some(d),
            },
            Err(msg) => {
                errors.push(at(u.span().start, msg));
                None
            }
        });
        let author = author.as_ref().and_then(|a| {
            let name = nfc(a.get_ref().trim());
            if name.is_empty() {
                errors.push(at(
                    a.span().start,
                    "`author` is empty: expected the writer's name, like `author = \"김소식\"`".into(),
                ));
            }
            (!name.is_empty()).then_some(name)
        });
        let alt = image_alt.as_ref().map(|a| nfc(a.get_ref().trim()));
        let image = match (image, image_alt) {
            (Some(i), _) => {
                let src = i.get_ref().trim();
                let remote = src.starts_with("https://") || src.starts_with("http://");
                let local =
                    src.starts_with('/') && !src.starts_with("//") && crate::output::is_safe_relative(&src[1..]);
                if remote || local {
                    let d = at(i.span().start, String::new());
                    let (line, col) = (d.line, d.col);
                    Some(Image { src: src.to_string(), alt: alt.unwrap_or_default(), line, col })
                } else {
                    errors.push(at(
                        i.span().start,
                        format!(
                            "`image` is `{src}`: expected a file of static/ written as a site path, like \
                             \"/images/r1.jpg\" for static/images/r1.jpg, or an http(s) URL"
                        ),
                    ));
                    None
                }
            }
            (None, Some(a)) => {
                errors.push(at(
                    a.span().start,
                    "`image_alt` without `image`: expected an `image = \"/images/….jpg\"` line for it to describe"
                        .into(),
                ));
                None
            }
            (None, None) => None,
        };
        Extras { updated, author, image, errors }
    }
}

fn nfc(s: &str) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Offset (in `after_open`) of the closing `+++` line.
fn find_closing(after_open: &str) -> Option<usize> {
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// `date = 2025.07.25` (or 2025/07/25), a common Korean way to write a date, is not TOML: toml reads a
/// float and fails at the second dot ("invalid float, expected nothing"). Say what to write instead.
fn dotted_date(front: &str, offset: usize) -> Option<(usize, String)> {
    let line_start = front[..offset.min(front.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = front[line_start..].lines().next()?;
    let (key, value) = line.split_once('=')?;
    if key.trim() != "date" && key.trim() != "updated" {
        return None;
    }
    let value_at = line_start + key.len() + 1 + (value.len() - value.trim_start().len());
    Some((value_at, dotted_hint(value.split('#').next()?.trim().trim_matches('"'))?))
}

/// The message for a date written with dots or slashes (2025.07.25, 2025/7/25), else None.
fn dotted_hint(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(['.', '/']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let digits =
        |p: &str, n: std::ops::RangeInclusive<usize>| n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !digits(parts[0], 4..=4) || !digits(parts[1], 1..=2) || !digits(parts[2], 1..=2) {
        return None;
    }
    Some(format!(
        "invalid date `{value}`: expected a date like {}-{:0>2}-{:0>2} (year-month-day, with hyphens)",
        parts[0], parts[1], parts[2]
    ))
}

/// A TOML date, datetime or string -> an instant in the site timezone; bare dates are whole days.
/// Years outside 1..=9999 are refused: URLs, archive pages and feeds write four-digit years, and chrono's
/// calendar arithmetic ends near year 262,143 (a date there panicked at render).
fn parse_date(
    key: &str,
    v: &toml::Value,
    tz: FixedOffset,
) -> std::result::Result<(DateTime<FixedOffset>, bool), String> {
    let (date, has_time) = parse_any_date(key, v, tz)?;
    if !(1..=9999).contains(&date.year()) {
        return Err(format!("invalid date: year {} is out of range, expected a year between 1 and 9999", date.year()));
    }
    Ok((date, has_time))
}

fn parse_any_date(
    key: &str,
    v: &toml::Value,
    tz: FixedOffset,
) -> std::result::Result<(DateTime<FixedOffset>, bool), String> {
    let s = match v {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        other => {
            return Err(format!(
                "`{key}` is a {}: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00",
                match other.type_str() {
                    "integer" | "float" => "number",
                    "array" => "list",
                    "table" => "table",
                    "boolean" => "true/false value",
                    t => t,
                }
            ))
        }
    };
    let impossible = || {
        format!(
            "invalid date `{s}`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, \
             on a day that exists"
        )
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(&s) {
        return Ok((d.with_timezone(&tz), true));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        let local = tz.from_local_datetime(&d.and_time(NaiveTime::MIN)).single().ok_or_else(impossible)?;
        return Ok((local, false));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(&s, fmt) {
            return Ok((tz.from_local_datetime(&d).single().ok_or_else(impossible)?, true));
        }
    }
    Err(dotted_hint(&s).unwrap_or_else(impossible))
}

/// Slugs become one URL path segment: no separators, no dot segments, nothing invisible.
fn check_slug(slug: &str) -> std::result::Result<String, String> {
    let ok = !slug.is_empty()
        && !slug.starts_with('.')
        && slug.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok && slug.len() > crate::model::MAX_SLUG_BYTES {
        Err(format!(
            "slug is {} bytes long, expected at most {} (it names a folder; Hangul takes 3 bytes a syllable)",
            slug.len(),
            crate::model::MAX_SLUG_BYTES
        ))
    } else if ok {
        Ok(nfc(slug))
    } else {
        Err(format!("invalid slug `{slug}`: use letters, digits, '-', '_' or '.' (no '/', '\\' or leading '.')"))
    }
}

fn slug_from_stem(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("article");
    crate::model::slugify(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title='t'\nbase_url='https://e.org/'\n[topics.robots]\nname='로봇'\nterms=['로봇']\n",
            Path::new("site.toml"),
        )
        .unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        parse(Path::new("a.md"), text.as_bytes(), &config()).unwrap_err().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn parses_front_matter_and_body() {
        let a = parse(
            Path::new("content/x.md"),
            "\u{feff}+++\r\ntitle = \"딥시크\"\r\ndate = 2025-07-28\r\ntopics = [\"robots\"]\r\n+++\r\n본문\r\n"
                .as_bytes(),
            &config(),
        )
        .unwrap();
        assert_eq!(a.title, "딥시크");
        assert_eq!(a.day(), NaiveDate::from_ymd_opt(2025, 7, 28).unwrap());
        assert!(!a.has_time);
        assert_eq!(a.slug, "x");
        assert_eq!(a.body.html, "<p>본문</p>\n");
    }

    #[test]
    fn positions_count_lines_of_the_file() {
        assert_eq!(
            errors("+++\ntitle = \"x\"\ndate = 2025-02-30\n+++\n"),
            ["a.md:3:8: invalid date, expected day between 01 and 28"]
        );
        assert_eq!(
            errors("+++\ntitle = \"x\"\ndate = \"2025-02-30\"\n+++\n"),
            ["a.md:3:8: invalid date `2025-02-30`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists"]
        );
        assert_eq!(
            errors("+++\ntitle = \"x\"\ndate = 2025-01-01\ncompany = []\n+++\n"),
            ["a.md:4:1: unknown key `company`; did you mean `companies`?"]
        );
    }

    /// Regression (issue 9, defect 2): `+262142-12-01` panicked at render under `--drafts`.
    #[test]
    fn years_outside_four_digits_are_located_errors() {
        for (date, year) in
            [("\"+262142-12-01\"", "262142"), ("\"0000-06-01\"", "0"), ("9999-12-31T23:00:00-05:00", "10000")]
        {
            assert_eq!(
                errors(&format!("+++\ntitle = \"x\"\ndate = {date}\n+++\n")),
                [format!("a.md:3:8: invalid date: year {year} is out of range, expected a year between 1 and 9999")]
            );
        }
        assert!(parse(Path::new("a.md"), b"+++\ntitle = \"x\"\ndate = 9999-12-31\n+++\n", &config()).is_ok());
    }

    #[test]
    fn slugs_longer_than_a_folder_name_allows_are_located_errors() {
        let slug = "가".repeat(41);
        assert_eq!(
            errors(&format!("+++\ntitle = \"x\"\ndate = 2025-07-28\nslug = \"{slug}\"\n+++\n")),
            ["a.md:4:8: slug is 123 bytes long, expected at most 120 (it names a folder; Hangul takes 3 bytes a syllable)"]
        );
    }

    /// Regression (issue 9, defect 7): a CP949 `기사.md` was skipped without a word.
    #[cfg(unix)]
    #[test]
    fn non_utf8_file_names_are_warned_about() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content/2025")).unwrap();
        let cp949 = std::ffi::OsStr::from_bytes(b"\xb1\xe2\xbb\xe7.md");
        std::fs::write(tmp.path().join("content/2025").join(cp949), "+++\ntitle='x'\ndate=2025-07-28\n+++\n").unwrap();
        std::fs::write(tmp.path().join("content/2025").join(std::ffi::OsStr::from_bytes(b"\xff.txt")), "").unwrap();
        let loaded = load(tmp.path(), &config()).unwrap();
        assert!(loaded.articles.is_empty());
        let shown: Vec<String> = loaded.warnings.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            ["content/2025/\\xb1\\xe2\\xbb\\xe7.md:1:1: file name is not UTF-8, so the article is left out; rename it \
              in UTF-8 (a Korean Windows machine may have written it in CP949)"]
        );
    }

    /// Issue 13: `date = 2025.07.25` said "invalid float, expected nothing".
    #[test]
    fn dotted_dates_say_how_to_write_a_date() {
        for (written, expected) in [
            ("2025.07.25", "invalid date `2025.07.25`: expected a date like 2025-07-25 (year-month-day, with hyphens)"),
            ("2025.7.5", "invalid date `2025.7.5`: expected a date like 2025-07-05 (year-month-day, with hyphens)"),
            (
                "\"2025/07/25\"",
                "invalid date `2025/07/25`: expected a date like 2025-07-25 (year-month-day, with hyphens)",
            ),
        ] {
            let got = errors(&format!("+++\ntitle = \"x\"\ndate = {written}\n+++\n"));
            assert_eq!(got.len(), 1, "{got:?}");
            assert!(got[0].starts_with("a.md:3:") && got[0].ends_with(expected), "{got:?}");
        }
    }

    #[test]
    fn topics_are_named_by_key_or_by_name() {
        let a =
            parse(Path::new("a.md"), "+++\ntitle='x'\ndate=2025-07-28\ntopics=['로봇']\n+++\n".as_bytes(), &config())
                .unwrap();
        assert_eq!(a.topics, ["robots"]);
    }

    #[test]
    fn utc_datetime_moves_to_site_day() {
        let a = parse(Path::new("a.md"), b"+++\ntitle='x'\ndate=2025-07-27T20:00:00Z\n+++\n", &config()).unwrap();
        assert_eq!(a.day(), NaiveDate::from_ymd_opt(2025, 7, 28).unwrap());
    }
}
