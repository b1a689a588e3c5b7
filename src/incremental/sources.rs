//! The input side of a rebuild: reading (only) the article files that changed, analysing them, and
//! assembling the model of the visible articles as `build::generate` does.
//!
//! Each article file has a slot, numbered for the life of the server; everything per article is
//! looked up by slot, so a rebuild of 10,000 articles hashes each path once, not at every step.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::Utc;
use rayon::prelude::*;

use super::analysis::{Analysis, ArticleAnalysis};
use super::fingerprint::{hash_bytes, hash_of, FastBuild};
use super::Rebuilder;
use crate::content::{self, Article};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Site};
use crate::Progress;

/// Everything known about one article file.
#[derive(Debug)]
pub(super) struct Slot {
    pub path: PathBuf,
    /// Hash of the file's bytes.
    pub hash: u64,
    /// The path's components joined by NUL: sorts as `content::load` walks (by name, per folder).
    pub order: Box<[u8]>,
    pub analysis: ArticleAnalysis,
    /// The article, while it is not lent to the model.
    pub article: Option<Article>,
    /// Its words are in the eojeol map (it was visible at the last rebuild).
    pub counted: bool,
    /// Related articles (slots) from the last settling rebuild.
    pub related: Vec<u32>,
    /// Hash of everything of the article that places it in the model besides its title (date,
    /// slug, companies, tags, topics, draft, analysed topics and mentions): equal keys mean a save
    /// can be patched into the last model (see [`Rebuilder::patch_model`]).
    pub model_key: u64,
}

/// The slots: never reused, so that a slot number always means the same file.
#[derive(Debug, Default)]
pub(super) struct Slots {
    slots: Vec<Option<Slot>>,
    by_path: HashMap<Box<[u8]>, u32, FastBuild>,
}

fn key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Slots {
    pub fn id(&self, path: &Path) -> Option<u32> {
        self.by_path.get(key(path)).copied()
    }

    pub fn get(&self, id: u32) -> &Slot {
        self.slots[id as usize].as_ref().expect("a live slot")
    }

    fn get_mut(&mut self, id: u32) -> &mut Slot {
        self.slots[id as usize].as_mut().expect("a live slot")
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    fn live(&self) -> impl Iterator<Item = (u32, &Slot)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|s| (i as u32, s)))
    }

    /// Puts `slot` in the place of its path (same number) or in a new place; returns what was there.
    fn put(&mut self, slot: Slot) -> Option<Slot> {
        match self.by_path.get(key(&slot.path)) {
            Some(&id) => self.slots[id as usize].replace(slot),
            None => {
                let id = self.slots.len() as u32;
                self.by_path.insert(key(&slot.path).into(), id);
                self.slots.push(Some(slot));
                None
            }
        }
    }

    pub fn set_related(&mut self, id: u32, related: Vec<u32>) {
        if let Some(Some(slot)) = self.slots.get_mut(id as usize) {
            slot.related = related;
        }
    }

    fn remove(&mut self, id: u32) -> Option<Slot> {
        let slot = self.slots[id as usize].take()?;
        self.by_path.remove(key(&slot.path));
        Some(slot)
    }

    /// Slots of `rel` itself or of files under it.
    fn under(&self, rel: &Path) -> Vec<u32> {
        if let Some(id) = self.id(rel) {
            return vec![id];
        }
        self.live().filter(|(_, s)| s.path.starts_with(rel)).map(|(id, _)| id).collect()
    }
}

type Parsed = (PathBuf, u64, std::result::Result<Article, Vec<Diagnostic>>);

impl Rebuilder {
    /// Reads the article files that changed (all of them the first time); returns how many.
    pub(super) fn load_content(&mut self, progress: &Progress) -> Result<usize> {
        let root = self.opts.root.clone();
        let config = self.config.clone().expect("config loaded first");
        if self.analysis.is_none() {
            self.analysis = Some(Analysis::new(&config)?);
        }
        let paths: Vec<PathBuf> = if !self.content_loaded || self.dirty.content_rescan {
            self.site = None;
            let all: Vec<u32> = self.slots.live().map(|(id, _)| id).collect();
            all.into_iter().for_each(|id| self.drop_slot(id));
            self.broken.clear();
            if !root.join("content").is_dir() {
                return Err(content::no_content_folder(&root));
            }
            article_files(&root.join("content"))?
        } else {
            let mut paths = Vec::new();
            for rel in self.dirty.content.clone() {
                let full = root.join(&rel);
                let now: Vec<PathBuf> = match std::fs::symlink_metadata(&full) {
                    Ok(m) if m.is_dir() => article_files(&full)?,
                    Ok(m) if m.is_file() && content::is_article_file(&full) => vec![full],
                    _ => Vec::new(),
                };
                // What is no longer there (or no longer an article) is forgotten.
                for id in self.slots.under(&rel) {
                    if !now.contains(&root.join(&self.slots.get(id).path)) {
                        self.drop_slot(id);
                    }
                }
                self.broken.retain(|p, _| !p.starts_with(&rel));
                paths.extend(now);
            }
            paths
        };
        progress.start("content", paths.len());
        let parsed: Vec<Parsed> = paths
            .par_iter()
            .map(|p| {
                let shown = p.strip_prefix(&root).unwrap_or(p).to_path_buf();
                let (hash, result) = match std::fs::read(p) {
                    Ok(bytes) => (hash_bytes(&bytes), content::parse(&shown, &bytes, &config)),
                    Err(e) => {
                        (0, Err(vec![Diagnostic::new(&shown, 1, 1, format!("cannot read the article file: {e}"))]))
                    }
                };
                progress.tick();
                (shown, hash, result)
            })
            .collect();
        let read = parsed.len();
        self.store_parsed(parsed, progress);
        self.content_loaded = true;
        self.dirty.content.clear();
        self.dirty.content_rescan = false;
        if self.analysis.as_mut().is_some_and(|a| a.take_joins_changed()) {
            // A compound other articles write with a space is now written solid: their spaced
            // words join to it in a full build, so read them all again.
            self.dirty.content_rescan = true;
            return self.load_content(progress);
        }
        Ok(read)
    }

    /// Analyses what parsed and keeps it; keeps the errors of what did not.
    fn store_parsed(&mut self, parsed: Vec<Parsed>, progress: &Progress) {
        let ok: Vec<&Article> = parsed.iter().filter_map(|(_, _, r)| r.as_ref().ok()).collect();
        progress.start("analysis", 0);
        let mut analysed = self.analysis.as_mut().expect("created above").analyse(&ok).into_iter();
        for (path, hash, result) in parsed {
            match result {
                Ok(article) => {
                    self.broken.remove(&path);
                    let analysis = analysed.next().expect("one analysis per parsed article");
                    let slot = Slot {
                        model_key: model_key(&article, &analysis),
                        order: order_key(&path),
                        path,
                        hash,
                        analysis,
                        article: Some(article),
                        counted: false,
                        related: Vec::new(),
                    };
                    let key = slot.model_key;
                    match self.slots.put(slot) {
                        Some(old) => {
                            // The same file read again: keep its related list until the next settle.
                            self.uncount(&old);
                            let id = self.slots.id(&old.path).expect("just put");
                            self.slots.get_mut(id).related = old.related;
                            match &mut self.patch {
                                Some(list) if old.model_key == key => list.push(id),
                                _ => self.patch = None,
                            }
                        }
                        None => self.patch = None,
                    }
                }
                Err(diags) => {
                    // The last good article stays in its slot (nothing is built while a file is
                    // broken), so that fixing the file changes no more than the fix.
                    self.broken.insert(path, diags);
                }
            }
        }
    }

    fn drop_slot(&mut self, id: u32) {
        if let Some(old) = self.slots.remove(id) {
            self.uncount(&old);
            self.patch = None;
        }
    }

    fn uncount(&mut self, slot: &Slot) {
        if slot.counted {
            self.analysis.as_mut().expect("created with the content").count(&slot.analysis.words, false);
        }
    }

    /// Moves the articles of the last model back into their slots, unless the slot already holds
    /// a newer reading of the file (or the file is gone).
    pub(super) fn take_articles(&mut self) {
        if let Some(site) = self.site.take() {
            for article in site.entries.into_iter().map(|e| e.article).chain(site.pages.into_iter().map(|p| p.article))
            {
                if let Some(id) = self.slots.id(&article.path) {
                    let slot = self.slots.get_mut(id);
                    if slot.article.is_none() {
                        slot.article = Some(article);
                    }
                }
            }
        }
    }

    /// The model of every visible article, as `build::generate` assembles it. When settling,
    /// related articles are computed afresh over the whole archive; otherwise each article keeps the
    /// list of the last settling rebuild (a new one has none until then).
    pub(super) fn assemble(&mut self) -> Result<(Site, Vec<Diagnostic>, bool)> {
        if !self.settling && self.patching {
            if let Some(site) = self.patch_model() {
                self.patch = Some(Vec::new());
                return Ok((site, self.warnings.clone(), true));
            }
        }
        self.patch = None;
        let config = self.config.clone().expect("config loaded first");
        self.take_articles();
        let now = self.opts.now.unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
        let drafts = self.opts.drafts;
        let mut visible: Vec<(u32, Article)> = Vec::with_capacity(self.slots.len());
        let mut left_out = crate::build::LeftOut::default();
        for id in 0..self.slots.len() as u32 {
            let Some(Some(slot)) = self.slots.slots.get_mut(id as usize) else { continue };
            match &slot.article {
                Some(a) if drafts || !a.is_hidden(now) => visible.push((id, slot.article.take().expect("checked"))),
                Some(a) if a.draft => left_out.drafts.push(a.path.clone()),
                Some(a) => left_out.future.push(a.path.clone()),
                None => {}
            }
        }
        left_out.drafts.sort();
        left_out.future.sort();
        self.left_out = left_out;
        // The order content::load gives (walk order, sorted by name), which enrichment relies on.
        visible.sort_unstable_by(|a, b| self.slots.get(a.0).order.cmp(&self.slots.get(b.0).order));
        // Pages (content/pages/) are not articles: no analysis, no lists (as `build::generate`).
        let mut pages: Vec<Article> = Vec::new();
        let visible: Vec<(u32, Article)> = visible
            .into_iter()
            .filter_map(|(id, a)| {
                if a.page {
                    pages.push(a);
                    None
                } else {
                    Some((id, a))
                }
            })
            .collect();
        let (ids, visible): (Vec<u32>, Vec<Article>) = visible.into_iter().unzip();
        self.count_words(&ids);
        if self.settling {
            self.relate(&ids);
        }
        let enrich = self.enrich(&ids);
        self.visible = ids;
        self.laps.lap("enrich");
        let assembled =
            model::assemble(config, visible, enrich, BTreeMap::new(), Vec::new()).and_then(|(mut site, mut w)| {
                w.extend(site.set_pages(pages)?);
                Ok((site, w))
            });
        match assembled {
            Ok((site, mut warnings)) => {
                if let Some(statics) = &self.statics {
                    warnings.extend(crate::build::missing_images(&site, statics));
                }
                self.patch = Some(Vec::new());
                self.warnings = warnings.clone();
                Ok((site, warnings, false))
            }
            Err(e) => {
                // The articles went into the failed assembly: read them again next time.
                self.content_loaded = false;
                Err(e)
            }
        }
    }

    /// The last model with the articles saved since put in place, when that is what assembling
    /// would give: the saves changed nothing that places an article (see [`Slot::model_key`]), no
    /// article came or went, and a new title keeps its article's place in the order. Most saves
    /// while writing are such, and assembling 10,000 articles is the largest part of a rebuild.
    fn patch_model(&mut self) -> Option<Site> {
        let list = self.patch.clone()?;
        let mut site = self.site.take()?;
        let config = self.config.as_ref().expect("config loaded first");
        let now = self.opts.now.unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
        let patched: std::collections::HashSet<u32, FastBuild> = list.iter().copied().collect();
        // Time passes: an article dated later than the last rebuild may be due now.
        let newly_visible = self.slots.live().any(|(id, s)| {
            !patched.contains(&id) && s.article.as_ref().is_some_and(|a| self.opts.drafts || !a.is_hidden(now))
        });
        if newly_visible {
            self.site = Some(site);
            return None;
        }
        let mut entries = Vec::with_capacity(list.len());
        for &id in &list {
            let Some(article) = self.slots.get_mut(id).article.take() else { continue };
            let Some(i) = site.entries.iter().position(|e| e.article.path == article.path) else {
                // A hidden article (a draft) saved again stays out of the model, unless it is due.
                let due = self.opts.drafts || !article.is_hidden(now);
                self.slots.get_mut(id).article = Some(article);
                if due {
                    self.site = Some(site);
                    return None;
                }
                continue;
            };
            let slot = self.slots.get(id);
            let reading = if slot.analysis.reading_chars > 0 {
                slot.analysis.reading_chars
            } else {
                model::count_reading_chars(&article.body.text)
            };
            site.entries[i].reading_minutes = reading.div_ceil(config.reading_speed).max(1);
            let old = std::mem::replace(&mut site.entries[i].article, article);
            entries.push(i);
            if !in_order(&site, i) {
                // The new title moves the article: give the old one back and assemble afresh.
                let new = std::mem::replace(&mut site.entries[i].article, old);
                self.slots.get_mut(id).article = Some(new);
                self.site = Some(site);
                return None;
            }
        }
        self.count_words(&self.visible.clone());
        self.patched_entries = Some(entries);
        Some(site)
    }

    /// Keeps the eojeol map to the words of exactly the visible articles.
    fn count_words(&mut self, visible: &[u32]) {
        let analysis = self.analysis.as_mut().expect("created with the content");
        let mut is_visible = vec![false; self.slots.len()];
        for &id in visible {
            is_visible[id as usize] = true;
            let slot = self.slots.slots[id as usize].as_mut().expect("a live slot");
            if !slot.counted {
                analysis.count(&slot.analysis.words, true);
                slot.counted = true;
            }
        }
        for (id, slot) in self.slots.slots.iter_mut().enumerate() {
            match slot {
                Some(s) if s.counted && !is_visible[id] => {
                    analysis.count(&s.analysis.words, false);
                    s.counted = false;
                }
                _ => {}
            }
        }
    }

    /// Related articles of every visible article, computed over the whole archive.
    fn relate(&mut self, visible: &[u32]) {
        let analysis = self.analysis.as_ref().expect("created with the content");
        let docs: Vec<_> = visible.iter().map(|&id| &self.slots.get(id).analysis).collect();
        let lists = analysis.related(&docs);
        for (&id, list) in visible.iter().zip(lists) {
            self.slots.get_mut(id).related = list.into_iter().map(|i| visible[i]).collect();
        }
    }

    /// What `enrich::analyse` gives, from the per-article results kept since each file was read.
    fn enrich(&self, visible: &[u32]) -> Vec<model::Enrichment> {
        let analysis = self.analysis.as_ref().expect("created with the content");
        let mut position = vec![u32::MAX; self.slots.len()];
        for (i, &id) in visible.iter().enumerate() {
            position[id as usize] = i as u32;
        }
        visible
            .iter()
            .map(|&id| {
                let slot = self.slots.get(id);
                let related = slot
                    .related
                    .iter()
                    .map(|&r| position[r as usize])
                    .filter(|&p| p != u32::MAX)
                    .map(|p| p as usize)
                    .collect();
                analysis.enrichment(&slot.analysis, related, self.settling)
            })
            .collect()
    }

    /// Hash of each page's source file, in the order of `Site::pages`.
    pub(super) fn page_hashes(&self, site: &Site) -> Vec<u64> {
        site.pages.iter().map(|p| self.slots.id(&p.article.path).map_or(0, |id| self.slots.get(id).hash)).collect()
    }

    /// Hash of each entry's source file, in site order.
    pub(super) fn entry_hashes(&self, site: &Site) -> Vec<u64> {
        site.entries.iter().map(|e| self.slots.id(&e.article.path).map_or(0, |id| self.slots.get(id).hash)).collect()
    }
}

/// Whether entry `i` stands where `model::assemble` puts it ([`Article::order`]).
fn in_order(site: &Site, i: usize) -> bool {
    let a = |j: usize| &site.entries[j].article;
    (i == 0 || a(i - 1).order(a(i)).is_lt()) && (i + 1 >= site.entries.len() || a(i).order(a(i + 1)).is_lt())
}

/// See [`Slot::model_key`].
fn model_key(a: &Article, analysis: &ArticleAnalysis) -> u64 {
    // With their positions: warnings about unknown companies name the line.
    let companies: Vec<(&str, usize, usize)> = a.companies.iter().map(|c| (c.value.as_str(), c.line, c.col)).collect();
    hash_of(&(
        a.date,
        a.has_time,
        &a.slug,
        companies,
        &a.tags,
        &a.topics,
        a.draft,
        (a.weight, a.updated, a.page, &a.image),
        &analysis.topics,
        &analysis.mentioned,
    ))
}

/// Sort key of a root-relative path: components joined by NUL, so that plain byte order is the
/// order of a walk sorted by name ("a/x" before "a-b/x", unlike comparing the whole strings).
fn order_key(path: &Path) -> Box<[u8]> {
    let mut key = Vec::with_capacity(path.as_os_str().len());
    for (i, c) in path.components().enumerate() {
        if i > 0 {
            key.push(0);
        }
        key.extend_from_slice(c.as_os_str().as_encoded_bytes());
    }
    key.into_boxed_slice()
}

/// Article files under `dir`, as `content::load` finds them (no symlinks followed).
fn article_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Error::Other(format!("{}: cannot read the content folder: {e}", dir.display())))?;
        if entry.file_type().is_file() && content::is_article_file(entry.path()) {
            paths.push(entry.into_path());
        }
    }
    Ok(paths)
}
