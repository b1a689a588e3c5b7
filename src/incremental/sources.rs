//! The input side of a rebuild: reading (only) the article files that changed, analysing them, and
//! assembling the model of the visible articles as `build::generate` does.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::Utc;
use rayon::prelude::*;

use super::analysis::{Analysis, ArticleAnalysis};
use super::fingerprint::{hash_bytes, FastBuild};
use super::Rebuilder;
use crate::content::{self, Article};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Site};
use crate::Progress;

/// Per article file: what is known besides the article, computed once when the file is read.
#[derive(Debug)]
pub(super) struct FileInfo {
    pub hash: u64,
    /// Bumped at every read, to tell a re-read article from the one counted before.
    pub version: u64,
    /// The path's components joined by NUL: sorts as `content::load` walks (by name, per folder).
    pub order: Box<[u8]>,
    pub analysis: ArticleAnalysis,
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
            self.take_articles();
            self.pool.clear();
            self.file_info.clear();
            self.broken.clear();
            article_files(&root.join("content"))?
        } else {
            let mut paths = Vec::new();
            for rel in self.dirty.content.clone() {
                let full = root.join(&rel);
                match std::fs::symlink_metadata(&full) {
                    Ok(m) if m.is_dir() => paths.extend(article_files(&full)?),
                    Ok(m) if m.is_file() && content::is_article_file(&full) => paths.push(full),
                    _ => {}
                }
                // Gone, or no longer an article: forget it (and everything under it, for a folder).
                self.forget(&rel);
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
                    Err(e) => (0, Err(vec![Diagnostic::new(&shown, 1, 1, e.to_string())])),
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
                    self.versions += 1;
                    let info = FileInfo {
                        hash,
                        version: self.versions,
                        order: order_key(&path),
                        analysis: analysed.next().expect("one analysis per parsed article"),
                    };
                    self.file_info.insert(path.clone(), info);
                    self.pool.insert(path, article);
                }
                Err(diags) => {
                    self.file_info.remove(&path);
                    self.pool.remove(&path);
                    self.broken.insert(path, diags);
                }
            }
        }
    }

    /// Drops what is known about `rel` and, when it is a folder, everything under it.
    fn forget(&mut self, rel: &Path) {
        self.take_articles();
        let known_file = self.pool.remove(rel).is_some() | self.file_info.remove(rel).is_some() | self.broken.remove(rel).is_some();
        if known_file {
            return;
        }
        self.pool.retain(|p, _| !p.starts_with(rel));
        self.file_info.retain(|p, _| !p.starts_with(rel));
        self.broken.retain(|p, _| !p.starts_with(rel));
    }

    /// Moves the articles of the last model back into the pool.
    pub(super) fn take_articles(&mut self) {
        if let Some(site) = self.site.take() {
            for e in site.entries {
                self.pool.insert(e.article.path.clone(), e.article);
            }
        }
    }

    /// The model of every visible article, as `build::generate` assembles it. When `settle` is set,
    /// related articles are computed afresh over the whole archive; otherwise each article keeps the
    /// list of the last settled rebuild (a new one has none until then).
    pub(super) fn assemble(&mut self, settle: bool) -> Result<(Site, Vec<Diagnostic>)> {
        let config = self.config.clone().expect("config loaded first");
        self.take_articles();
        let now = self.opts.now.unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
        let drafts = self.opts.drafts;
        let (mut visible, hidden): (Vec<Article>, Vec<Article>) =
            self.pool.drain().map(|(_, a)| a).partition(|a| drafts || !a.is_hidden(now));
        self.pool.extend(hidden.into_iter().map(|a| (a.path.clone(), a)));
        // The order content::load gives (walk order, sorted by name), which enrichment relies on.
        visible.sort_by_cached_key(|a| self.file_info.get(&a.path).map(|f| f.order.clone()));
        self.count_words(&visible);
        if settle {
            self.relate(&visible);
        }
        let enrich = self.enrich(&visible);
        model::assemble(config, visible, enrich, BTreeMap::new(), Vec::new()).inspect_err(|_| {
            // The articles went into the failed assembly: read them again next time.
            self.content_loaded = false;
        })
    }

    /// Keeps the eojeol map to the words of exactly the visible articles.
    fn count_words(&mut self, visible: &[Article]) {
        let analysis = self.analysis.as_mut().expect("created with the content");
        let mut now_visible: HashSet<&Path, FastBuild> = HashSet::default();
        for a in visible {
            now_visible.insert(&a.path);
            let info = &self.file_info[&a.path];
            match self.counted.get(&a.path) {
                Some((version, _)) if *version == info.version => continue,
                Some((_, old)) => analysis.count(old, false),
                None => {}
            }
            analysis.count(&info.analysis.words, true);
            self.counted.insert(a.path.clone(), (info.version, info.analysis.words.clone()));
        }
        let gone: Vec<PathBuf> = self.counted.keys().filter(|p| !now_visible.contains(p.as_path())).cloned().collect();
        for p in gone {
            let (_, words) = self.counted.remove(&p).expect("listed above");
            analysis.count(&words, false);
        }
    }

    /// Related articles of every visible article, computed over the whole archive.
    fn relate(&mut self, visible: &[Article]) {
        let analysis = self.analysis.as_ref().expect("created with the content");
        let docs: Vec<_> = visible.iter().map(|a| &self.file_info[&a.path].analysis.terms).collect();
        let lists = analysis.related(&docs);
        self.related = visible
            .iter()
            .zip(lists)
            .map(|(a, list)| (a.path.clone(), list.into_iter().map(|i| visible[i].path.clone()).collect()))
            .collect();
    }

    /// What `enrich::analyse` gives, from the per-article results kept since each file was read.
    fn enrich(&self, visible: &[Article]) -> Vec<model::Enrichment> {
        let analysis = self.analysis.as_ref().expect("created with the content");
        let index: HashMap<&Path, usize, FastBuild> = visible.iter().enumerate().map(|(i, a)| (a.path.as_path(), i)).collect();
        visible
            .iter()
            .map(|a| {
                let related = self.related.get(&a.path).map_or(Vec::new(), |paths| {
                    paths.iter().filter_map(|p| index.get(p.as_path()).copied()).collect()
                });
                analysis.enrichment(&self.file_info[&a.path].analysis, related)
            })
            .collect()
    }
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
        let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
        if entry.file_type().is_file() && content::is_article_file(entry.path()) {
            paths.push(entry.into_path());
        }
    }
    Ok(paths)
}

