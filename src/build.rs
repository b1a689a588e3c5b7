//! The build, as a list of steps: config, content, model, pages, feeds, static files, swap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Article};
use crate::error::{Diagnostic, Error, Result};
use crate::feeds::{self, SitemapUrl};
use crate::linkcheck::{BrokenLink, LinkCollector};
use crate::model::{self, Site};
use crate::output::{self, NullSink, Staging};
use crate::publish::{Publish, PublishOptions};
use crate::render::{Job, Renderer, Sink};
use crate::{content_hash, enrich, theme, Progress};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Include drafts and future-dated articles.
    pub drafts: bool,
    /// "Now" for future-dated articles (tests pin it); default: the clock.
    pub now: Option<DateTime<FixedOffset>>,
    /// Minification and precompressed copies of the output (`--minify`, `--precompress`).
    pub publish: PublishOptions,
    /// Replace an existing output folder that sosik did not make (`--force`).
    pub force: bool,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    /// Articles and pages left out (drafts, future dates).
    pub hidden: usize,
    /// What was left out, by kind: drafts (articles and pages) and future-dated articles.
    pub left_out: LeftOut,
    /// Pages without a date (`content/pages/`).
    pub pages_without_date: usize,
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
    /// Filled by [`check`]: internal links that lead nowhere.
    pub broken_links: Vec<BrokenLink>,
    /// Articles whose text names registered companies they are not tagged with: (file, names).
    pub untagged: Vec<(PathBuf, Vec<String>)>,
    /// The archive's synonym pairs (mined glosses and site.toml's), for `check --synonyms`.
    pub synonyms: Vec<crate::synonyms::Pair>,
}

/// Drafts and future-dated articles a build without `--drafts` leaves out (root-relative paths).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: Vec<PathBuf>,
    pub future: Vec<PathBuf>,
}

impl LeftOut {
    /// Sorts `articles` into what is shown and what is left out (nothing with `drafts`).
    pub fn split(articles: Vec<Article>, drafts: bool, now: DateTime<FixedOffset>) -> (Vec<Article>, LeftOut) {
        let mut left = LeftOut::default();
        let mut shown = Vec::with_capacity(articles.len());
        for a in articles {
            if drafts || !a.is_hidden(now) {
                shown.push(a);
            } else if a.draft {
                left.drafts.push(a.path);
            } else {
                left.future.push(a.path);
            }
        }
        (shown, left)
    }

    pub fn is_empty(&self) -> bool {
        self.drafts.is_empty() && self.future.is_empty()
    }

    /// `2 drafts and 1 future-dated article`, for notes.
    pub fn describe(&self) -> String {
        let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        match (self.drafts.len(), self.future.len()) {
            (d, 0) => n(d, "draft", "drafts"),
            (0, f) => n(f, "future-dated article", "future-dated articles"),
            (d, f) => {
                format!("{} and {}", n(d, "draft", "drafts"), n(f, "future-dated article", "future-dated articles"))
            }
        }
    }
}

/// Builds the site into the output folder, replacing it only if everything succeeded.
pub fn build(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport> {
    let target = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    let output = output::check_output_dir(&opts.root, &target, opts.force)?;
    let staging = Staging::new(&output)?;
    let publish = Publish::new(&staging, opts.publish).reusing(&output);
    let mut report = generate(opts, &publish, progress)?;
    report.files += publish.extra_files() + 1; // the marker, output::MARKER
    report.warnings.extend(publish.warnings());
    progress.start("swap", 0);
    staging.commit()?;
    progress.start("end", 0);
    report.output = output;
    Ok(report)
}

/// Everything a build does, writing nothing, plus link integrity of the pages it would write.
pub fn check(opts: &BuildOptions, progress: &Progress) -> Result<BuildReport> {
    let collector = LinkCollector::new(&NullSink);
    let mut report = generate(opts, &collector, progress)?;
    let config = load_config(opts)?;
    report.broken_links = collector.broken(&config.base_url);
    Ok(report)
}

/// Loads the configuration, applying `--base-url`.
pub fn load_config(opts: &BuildOptions) -> Result<Config> {
    let path = opts.root.join("site.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Usage(format!(
            "no site.toml in {}: run sosik in a site's folder or pass --root DIR",
            opts.root.display()
        )),
        _ => Error::io(&path, e),
    })?;
    // Positions name `site.toml` relative to the root, like content files (`content/…`).
    let mut config = Config::parse(&text, Path::new("site.toml"))?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url)?;
    }
    if config.theme != "default" && !opts.root.join("themes").join(&config.theme).is_dir() {
        let (line, col) = config.theme_position;
        return Err(Error::one(crate::error::Diagnostic::new(
            "site.toml",
            line,
            col,
            format!("theme `{}` not found: there is no folder themes/{}", config.theme, config.theme),
        )));
    }
    Ok(config)
}

/// Loads, models and renders the whole site into `sink`.
pub fn generate(opts: &BuildOptions, sink: &dyn Sink, progress: &Progress) -> Result<BuildReport> {
    let started = Instant::now();
    let config = load_config(opts)?;
    progress.start("content", 0);
    let content::Loaded { articles: all, warnings: load_warnings } = content::load(&opts.root, &config)?;
    let now = opts.now.unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
    let (shown, left_out) = LeftOut::split(all, opts.drafts, now);
    let hidden = left_out.drafts.len() + left_out.future.len();
    let (pages, articles): (Vec<Article>, Vec<Article>) = shown.into_iter().partition(|a| a.page);
    let analysed = enrich::analyse(&config, &articles, progress)?;
    progress.start("model", 0);
    let (mut site, mut warnings) =
        model::assemble(config, articles, analysed.enrichments, analysed.eojeols, analysed.vocab)?;
    site.synonyms = analysed.synonyms;
    warnings.extend(site.set_pages(pages)?);
    warnings.splice(0..0, load_warnings);

    let statics = theme::static_files(&opts.root, &site.config.theme)?;
    check_share_image(&site.config, &statics)?;
    warnings.extend(missing_images(&site, &statics));
    let assets = asset_urls(&site, &statics);
    progress.start("insights", 0);
    let insights = crate::insights::Insights::compute(&site);
    progress.start("templates", 0);
    let renderer = Renderer::new(&site, &opts.root, assets, insights)?;
    let jobs = renderer.jobs();
    // Every generated file goes through `generated`, so a static file of the same path can be named.
    let generated = Recorder { inner: sink, paths: Default::default() };
    let pages = renderer
        .render_all(&jobs, &generated, progress)
        .map_err(|e| theme::locate_render_error(&opts.root, &site.config.theme, e))?;
    let mut files = pages;
    progress.start("feeds", 0);
    files += write_feeds(&site, &generated)?;
    files += write_sitemap_and_robots(&site, &jobs, &generated)?;
    let generated = generated.paths.into_inner().unwrap_or_else(|e| e.into_inner());
    for (rel, bytes) in &statics {
        if generated.contains(rel.as_str()) {
            warnings.push(Diagnostic::new(
                format!("static/{rel}"),
                1,
                1,
                format!("replaces the file sosik generates at /{rel}; rename it unless that is intended"),
            ));
        }
        sink.write(rel, bytes)?;
    }
    files += statics.len();
    progress.start("search index", 0);
    files += crate::search::write(&site, &crate::analysis::particle_suffixes(), sink)?;
    Ok(BuildReport {
        articles: site.entries.len(),
        hidden,
        left_out,
        pages_without_date: site.pages.len(),
        pages,
        files,
        seconds: started.elapsed().as_secs_f64(),
        warnings,
        output: PathBuf::new(),
        broken_links: Vec::new(),
        untagged: untagged_mentions(&site),
        synonyms: site.synonyms.clone(),
    })
}

/// site.toml's `share_image` must be a static file (the site's static/ or its theme's): every share
/// of a page without its own picture would show a broken one.
pub fn check_share_image(config: &Config, statics: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    match &config.share_image {
        Some((src, line, col)) if !statics.contains_key(src.trim_start_matches('/')) => {
            Err(Error::one(Diagnostic::new(
                "site.toml",
                *line,
                *col,
                format!("share_image `{src}` not found: expected the file static{src}, in the site's static/ or the theme's"),
            )))
        }
        _ => Ok(()),
    }
}

/// Warnings for pictures (`image = "/images/x.jpg"`) that no static file provides.
pub fn missing_images(site: &Site, statics: &BTreeMap<String, Vec<u8>>) -> Vec<Diagnostic> {
    let articles = site.entries.iter().map(|e| &e.article).chain(site.pages.iter().map(|p| &p.article));
    articles
        .filter_map(|a| a.image.as_ref().map(|i| (a, i)))
        .filter(|(_, i)| i.is_local() && !statics.contains_key(i.src.trim_start_matches('/')))
        .map(|(a, i)| {
            Diagnostic::new(
                &a.path,
                i.line,
                i.col,
                format!(
                    "image `{}` not found: expected the file static{} (pictures of the site live in static/)",
                    i.src, i.src
                ),
            )
        })
        .collect()
}

/// Records the paths written through it, to tell when a static file replaces a generated one.
struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Sink for Recorder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string());
        self.inner.write(rel, bytes)
    }
}

fn untagged_mentions(site: &Site) -> Vec<(PathBuf, Vec<String>)> {
    let name =
        |key: &String| site.config.companies.iter().find(|c| &c.key == key).map_or(key.clone(), |c| c.name.clone());
    let mut out: Vec<(PathBuf, Vec<String>)> = site
        .entries
        .iter()
        .filter(|e| !e.untagged.is_empty())
        .map(|e| (e.article.path.clone(), e.untagged.iter().map(name).collect()))
        .collect();
    out.sort();
    out
}

/// Icons at the top of `static/` that pages link to when they exist (`site.assets.favicon_ico` …).
pub const ICONS: &[&str] = &["favicon.svg", "favicon.ico", "apple-touch-icon.png"];

/// URLs of the theme's CSS and JS and of the icons with a content hash, so browsers never run stale copies.
pub fn asset_urls(site: &Site, statics: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    statics
        .iter()
        .filter(|(rel, _)| rel.ends_with(".css") || rel.ends_with(".js") || ICONS.contains(&rel.as_str()))
        .map(|(rel, bytes)| {
            (rel.replace(['.', '/', '-'], "_"), format!("{}?v={}", site.url(rel), &content_hash(bytes)[..10]))
        })
        .collect()
}

pub fn write_feeds(site: &Site, sink: &dyn Sink) -> Result<usize> {
    let all: Vec<usize> = (0..site.entries.len()).collect();
    // Pages that opt in (`feed = true`) are in the site's feed only.
    let mut feeds = vec![("feed.xml".to_string(), site.config.title.clone(), site.url(""), all, site.feed_pages())];
    for g in site.companies.iter().chain(&site.topics) {
        let title = format!("{} — {}", g.name, site.config.title);
        feeds.push((format!("{}/feed.xml", g.dir), title, g.url.clone(), g.entries.clone(), Vec::new()));
    }
    feeds.par_iter().try_for_each(|(rel, title, page, entries, pages)| {
        let xml = feeds::atom(site, title, &site.url(&model::encode_path(rel)), page, entries, pages);
        sink.write(rel, xml.as_bytes())
    })?;
    Ok(feeds.len())
}

pub fn write_sitemap_and_robots(site: &Site, jobs: &[Job], sink: &dyn Sink) -> Result<usize> {
    let newest = |e: &[usize]| e.iter().map(|&i| site.entries[i].article.modified()).max();
    let mut urls = Vec::with_capacity(jobs.len());
    let months = site.months();
    let years = site.years();
    for job in jobs {
        let (path, lastmod) = match job {
            Job::Article(i) => (site.entries[*i].url.clone(), Some(site.entries[*i].article.modified())),
            Job::Page(i) => (site.pages[*i].url.clone(), site.pages[*i].article.updated),
            Job::Home(1) => {
                (site.url(""), newest(&(0..site.entries.len().min(site.config.per_page)).collect::<Vec<_>>()))
            }
            Job::Day(d, 1) => (site.url(&d.format("%Y/%m/%d/").to_string()), newest(&site.days[d])),
            Job::Month(y, m) => (site.url(&format!("{y:04}/{m:02}/")), newest(&months[&(*y, *m)])),
            Job::Year(y) => (site.url(&format!("{y:04}/")), newest(&years[y])),
            Job::Company(i, 1) => (site.companies[*i].url.clone(), newest(&site.companies[*i].entries)),
            Job::Topic(i, 1) => (site.topics[*i].url.clone(), newest(&site.topics[*i].entries)),
            Job::Tag(i, 1) => (site.tags[*i].url.clone(), newest(&site.tags[*i].entries)),
            Job::Archive => (site.url("archive/"), None),
            Job::CompanyIndex => (site.url("companies/"), None),
            Job::TagIndex => (site.url("tags/"), None),
            Job::Trends => (site.url("trends/"), None),
            _ => continue, // later list pages, search and 404 are not for search engines
        };
        urls.push(SitemapUrl { path, lastmod });
    }
    urls.sort_by(|a, b| a.path.cmp(&b.path));
    let maps = feeds::sitemaps(site, &urls);
    for (name, xml) in &maps {
        sink.write(name, xml.as_bytes())?;
    }
    sink.write("robots.txt", feeds::robots(site).as_bytes())?;
    Ok(maps.len() + 1)
}

/// Writes a new article file with front matter filled in (`sosik new`).
pub fn new_article(root: &Path, rel: &Path, title: Option<&str>, now: DateTime<FixedOffset>) -> Result<PathBuf> {
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    if !output::is_safe_relative(&rel_str) {
        return Err(Error::Usage(format!("{}: give a relative path inside the site, without `..`", rel.display())));
    }
    let mut path = if rel.starts_with("content") { root.join(rel) } else { root.join("content").join(rel) };
    if path.extension().is_none() {
        path.set_extension("md");
    }
    if path.exists() {
        return Err(Error::Usage(format!("{}: already exists", path.display())));
    }
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")).unwrap_or_default());
    let text = if content::is_page_path(path.strip_prefix(root).unwrap_or(&path)) {
        // A page has no date (content/pages/, see README "Pages without a date").
        format!("+++\ntitle = {}\ndraft = true\n+++\n\n본문을 여기에 씁니다.\n", toml::Value::String(title))
    } else {
        format!(
            "+++\ntitle = {}\ndate = {}\ncompanies = []\ntags = []\nsource = \"\"\ndraft = true\n+++\n\n본문을 여기에 씁니다.\n",
            toml::Value::String(title),
            date_in_path(rel).unwrap_or_else(|| now.date_naive()).format("%Y-%m-%d")
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// The date a path like `2025/07/28/x.md` names, if any.
fn date_in_path(rel: &Path) -> Option<chrono::NaiveDate> {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0].parse().ok()?, w[1].parse().ok()?, w[2].parse().ok()?);
        (w[0].len() == 4).then(|| chrono::NaiveDate::from_ymd_opt(y, m, d)).flatten()
    })
}
