//! Incremental rebuilds for `sosik serve`: the same files as [`build::generate`], redoing only what a
//! change touches.
//!
//! - Parsed articles are kept between rebuilds; only changed files are read and parsed again.
//! - The model is assembled afresh every time (cheap), from articles moved out of the last model.
//! - Every page has a fingerprint of what it shows ([`fingerprint`]); only pages whose fingerprint
//!   changed are rendered. A changed article re-renders its own page and the lists that show it
//!   differently; a template edit re-renders the pages of the templates that use it.
//! - Feeds, sitemap, robots.txt and static files are produced whole (cheap) and passed on only when
//!   their bytes changed.
//!
//! The rebuilder keeps no output bytes, only fingerprints; the caller applies each [`Delta`].
//! Asset URLs carry no `?v=` content hash here (the server sends `Cache-Control: no-store`), so a
//! stylesheet edit is one file, not every page.

mod analysis;
pub mod fingerprint;
mod outputs;
mod settle;
mod sources;

pub use settle::{SettleJob, Settled};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use tera::Tera;

use crate::build::{self, BuildOptions};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Site;
use crate::output::is_safe_relative;
use crate::render::Sink;
use crate::{theme, Progress};

use analysis::Analysis;
use fingerprint::{hash_of, FastBuild};
use sources::Slots;

/// What the caller makes of an output file's bytes (its path, its bytes).
pub type Prepare<T> = dyn Fn(&str, Vec<u8>) -> T + Sync;

/// An output file made ready ahead: path, hash of its bytes, what `prepare` made of them.
pub type Prepared<T> = (String, u64, T);

/// What changed on disk since the last rebuild.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub config: bool,
    pub templates: bool,
    pub statics: bool,
    /// Root-relative paths under content/ (files or folders) that changed.
    pub content: BTreeSet<PathBuf>,
    /// content/ itself changed (created, removed, replaced): read all of it again.
    pub content_rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.templates && !self.statics && !self.content_rescan && self.content.is_empty()
    }

    /// What changed, for a log line: content paths, then the other kinds by name.
    pub fn describe(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.content.iter().cloned().collect();
        for (flag, name) in [
            (self.config, "site.toml"),
            (self.templates, "templates"),
            (self.statics, "static"),
            (self.content_rescan, "content"),
        ] {
            if flag {
                v.push(PathBuf::from(name));
            }
        }
        v
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.content_rescan |= other.content_rescan;
        self.content.extend(other.content);
    }
}

/// The outcome of one rebuild: what to write and remove in the served copy. `T` is what the
/// caller's `prepare` made of each file's bytes (the server compresses them as they come, so a
/// first build never holds the whole site uncompressed).
#[derive(Debug)]
pub struct Delta<T = Vec<u8>> {
    /// Output-relative paths and their new contents.
    pub writes: Vec<(String, T)>,
    pub removes: Vec<String>,
    /// Pages rendered (the rest kept their bytes).
    pub pages_rendered: usize,
    pub pages_total: usize,
    /// Article files read and parsed.
    pub articles_read: usize,
    /// The saves were patched into the last model instead of assembling it again.
    pub model_patched: bool,
    pub articles: usize,
    /// Every warning of the current site (unknown companies).
    pub warnings: Vec<Diagnostic>,
    /// Drafts and future-dated articles the site leaves out (nothing with `--drafts`).
    pub left_out: build::LeftOut,
    /// URL path of the site (from base_url).
    pub base_path: String,
    pub seconds: f64,
    /// Milliseconds per step, for `SOSIK_TIMINGS=1 sosik serve`.
    pub timings: Vec<(&'static str, f64)>,
}

impl<T> Default for Delta<T> {
    fn default() -> Self {
        Delta {
            writes: Vec::new(),
            removes: Vec::new(),
            pages_rendered: 0,
            pages_total: 0,
            articles_read: 0,
            model_patched: false,
            articles: 0,
            warnings: Vec::new(),
            left_out: build::LeftOut::default(),
            base_path: String::new(),
            seconds: 0.0,
            timings: Vec::new(),
        }
    }
}

impl<T> Delta<T> {
    /// Only stylesheets changed: pages can swap them without reloading.
    pub fn css_only(&self) -> bool {
        self.removes.is_empty() && !self.writes.is_empty() && self.writes.iter().all(|(rel, _)| rel.ends_with(".css"))
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removes.is_empty()
    }

    pub fn changed_paths(&self) -> Vec<String> {
        self.writes.iter().map(|(r, _)| r.clone()).chain(self.removes.iter().cloned()).collect()
    }
}

/// A sink that keeps everything in memory (tests compare whole sites with it).
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !is_safe_relative(rel) {
            return Err(Error::Other(format!("refusing to write `{rel}`: it would leave the output folder")));
        }
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Loaded templates: compiled, and a fingerprint per template name.
struct Templates {
    tera: Tera,
    hashes: BTreeMap<String, u64>,
}

/// The state kept between rebuilds.
pub struct Rebuilder {
    opts: BuildOptions,
    /// Work still to do: accumulated until a rebuild gets past it.
    dirty: Changes,
    config: Option<Config>,
    config_key: u64,
    content_loaded: bool,
    /// The last model; it owns the visible articles.
    site: Option<Site>,
    /// Every article file read: its article (when not lent to `site`), hash, analysis.
    slots: Slots,
    analysis: Option<Analysis>,
    /// Slots of the visible articles, in the order the model was given them.
    visible: Vec<u32>,
    /// Counts updates, so that a settling job knows whether its snapshot is still current.
    generation: u64,
    /// The last rebuild succeeded (there is something sound to settle).
    last_ok: bool,
    /// Slots saved since the last model that can be patched into it; `None` when the next model
    /// must be assembled afresh.
    patch: Option<Vec<u32>>,
    /// Warnings of the last assembled model.
    warnings: Vec<Diagnostic>,
    /// What the last assembled model left out.
    left_out: build::LeftOut,
    /// Saves may be patched into the last model (tests turn it off to compare).
    patching: bool,
    /// Entries (site indices) patched into the model by this rebuild; `None` when it was assembled.
    patched_entries: Option<Vec<usize>>,
    /// List items, hashes and output paths of the last rebuild.
    kept: Option<outputs::Kept>,
    /// Sitemap files and robots.txt -> hash of their bytes.
    sitemap: HashMap<String, u64, FastBuild>,
    /// Origin the site is served from (`http://127.0.0.1:1111`), see [`Rebuilder::serve_from`].
    origin: Option<String>,
    /// The current rebuild settles (related articles, search index).
    settling: bool,
    /// An update happened since the last settle.
    unsettled: bool,
    /// Files that failed to parse, with their errors.
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    templates: Option<Templates>,
    statics: Option<std::sync::Arc<BTreeMap<String, Vec<u8>>>>,
    /// Pages and feeds: output path -> fingerprint of what was rendered there.
    rendered: HashMap<String, u64, FastBuild>,
    /// Other outputs (sitemap, robots.txt, static files) -> hash of their bytes.
    files: HashMap<String, u64, FastBuild>,
    /// Files of the search index -> hash of their bytes (updated when settling).
    search: HashMap<String, u64, FastBuild>,
    /// The insights' counts per week of the last rebuild.
    week_cache: crate::insights::WeekCache,
    laps: Laps,
}

/// Time per step of one rebuild.
pub(crate) struct Laps {
    last: Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Laps {
    fn new() -> Laps {
        Laps { last: Instant::now(), laps: Vec::new() }
    }
    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64() * 1000.0));
        self.last = now;
    }
}

impl Rebuilder {
    /// `opts.base_url` should be the server's own URL, so that links work locally.
    pub fn new(opts: BuildOptions) -> Rebuilder {
        Rebuilder {
            opts,
            dirty: Changes { config: true, templates: true, statics: true, content_rescan: true, ..Default::default() },
            config: None,
            config_key: 0,
            content_loaded: false,
            site: None,
            slots: Slots::default(),
            analysis: None,
            visible: Vec::new(),
            generation: 0,
            last_ok: false,
            patch: None,
            warnings: Vec::new(),
            left_out: build::LeftOut::default(),
            patching: true,
            patched_entries: None,
            kept: None,
            sitemap: HashMap::default(),
            origin: None,
            settling: false,
            unsettled: false,
            broken: BTreeMap::new(),
            templates: None,
            statics: None,
            rendered: HashMap::default(),
            files: HashMap::default(),
            search: HashMap::default(),
            week_cache: Default::default(),
            laps: Laps::new(),
        }
    }

    /// Builds for a local server at `origin` (`http://127.0.0.1:1111`): base_url becomes the origin
    /// with the path of site.toml's base_url, read again whenever site.toml changes.
    pub fn serve_from(&mut self, origin: &str) {
        self.origin = Some(origin.trim_end_matches('/').to_string());
    }

    /// Whether a site has been built (the first build succeeded at some point).
    pub fn is_built(&self) -> bool {
        !self.rendered.is_empty()
    }

    /// Whether saves that leave the model's shape alone are patched into the last model instead of
    /// assembling it again (on by default; tests compare both ways).
    pub fn set_patching(&mut self, on: bool) {
        self.patching = on;
    }

    /// The theme of the last good config (to sort watched paths).
    pub fn theme(&self) -> &str {
        self.config.as_ref().map_or("default", |c| c.theme.as_str())
    }

    /// Rebuilds after `changes`; `prepare` turns each new output file into what the caller keeps.
    /// On error nothing is to be applied; what could not be done stays pending for the next call.
    ///
    /// This is the fast part: related-article lists of other articles and the search index are
    /// left as they were; settling ([`Rebuilder::settle_job`]) brings them up to date. The first
    /// call does both.
    pub fn update<T: Send>(&mut self, changes: Changes, progress: &Progress, prepare: &Prepare<T>) -> Result<Delta<T>> {
        let first = self.site.is_none() && self.rendered.is_empty();
        self.settling = first;
        self.generation += 1;
        let result = self.rebuild(changes, progress, prepare, None);
        self.settling = false;
        self.unsettled = !first || result.is_err();
        self.last_ok = result.is_ok();
        result
    }

    /// Whether [`Rebuilder::settle`] has work to do.
    pub fn is_settled(&self) -> bool {
        !self.unsettled
    }

    /// One rebuild; `search` is a settled search index to take in (already prepared).
    fn rebuild<T: Send>(
        &mut self,
        changes: Changes,
        progress: &Progress,
        prepare: &Prepare<T>,
        search: Option<Vec<Prepared<T>>>,
    ) -> Result<Delta<T>> {
        let started = Instant::now();
        self.laps = Laps::new();
        self.dirty.merge(changes);
        self.load_config()?;
        let articles_read = self.load_content(progress)?;
        self.laps.lap("content");
        if !self.broken.is_empty() {
            return Err(Error::Diagnostics(self.broken.values().flatten().cloned().collect()));
        }
        self.load_theme()?;
        if let (Some(config), Some(statics)) = (&self.config, &self.statics) {
            build::check_share_image(config, statics)?;
        }
        self.laps.lap("theme");
        let (site, warnings, patched) = self.assemble()?;
        self.laps.lap(if patched { "model (patched)" } else { "model" });
        let theme = site.config.theme.clone();
        let result = self
            .render(site, progress, prepare, search)
            .map_err(|e| theme::locate_render_error(&self.opts.root, &theme, e));
        let mut delta = result?;
        delta.articles_read = articles_read;
        delta.model_patched = patched;
        delta.warnings = warnings;
        delta.left_out = self.left_out.clone();
        delta.seconds = started.elapsed().as_secs_f64();
        self.laps.lap("drop");
        delta.timings = std::mem::take(&mut self.laps.laps);
        Ok(delta)
    }

    fn load_config(&mut self) -> Result<()> {
        if !self.dirty.config {
            return Ok(());
        }
        let mut config = build::load_config(&self.opts)?;
        if let Some(origin) = &self.origin {
            // Served locally: the server's own address, with the path of the site's base_url.
            let url = format!("{origin}{}", config.base_path);
            config.set_base_url(&url)?;
        }
        let key = hash_of(&format!("{config:?}"));
        if key != self.config_key {
            // Parsing and analysis depend on the config (timezone, base path, registry): start over.
            self.config_key = key;
            self.content_loaded = false;
            self.site = None;
            self.slots = Slots::default();
            self.analysis = None;
            self.patch = None;
            self.dirty.templates = true;
            self.dirty.statics = true;
        }
        self.config = Some(config);
        self.dirty.config = false;
        Ok(())
    }

    fn load_theme(&mut self) -> Result<()> {
        let theme = self.config.as_ref().expect("config loaded first").theme.clone();
        if self.dirty.templates || self.templates.is_none() {
            self.templates = None;
            let sources = theme::template_sources(&self.opts.root, &theme)?;
            let tera = theme::compile_templates(&self.opts.root, &theme, &sources)?;
            self.templates = Some(Templates { tera, hashes: fingerprint::template_hashes(&sources) });
            self.dirty.templates = false;
        }
        if self.dirty.statics || self.statics.is_none() {
            self.statics = None;
            self.statics = Some(theme::static_files(&self.opts.root, &theme)?.into());
            self.dirty.statics = false;
        }
        Ok(())
    }
}
