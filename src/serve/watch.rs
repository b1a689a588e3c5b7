//! Watching the site's sources (content/, templates/, themes/, static/, site.toml) with notify,
//! debounced, editor temporary files ignored, and sorting each change by what it means for a rebuild.
//!
//! The site root itself is watched without recursion: it may hold public/ or target/, whose churn
//! must not wake the server. A source folder created after start is picked up through that watch.
//!
//! The debouncing is done here rather than with notify-debouncer-mini, which cannot tell event kinds
//! apart: reading the sources (which every rebuild does) makes inotify report opens and closes, and
//! passing those on rebuilt the site in a loop. Only creations, modifications and removals count.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::incremental::Changes;

/// Quiet time after the last event of a burst (an editor's save is a few writes and a rename).
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// A burst that never goes quiet (a long copy) is still passed on this often.
const MAX_BATCH_WAIT: Duration = Duration::from_millis(500);

/// Folders under the root whose whole tree is a source of the site.
pub const SOURCE_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// Files editors write beside the real one while saving: vim's swap files and `4913` probe,
/// emacs's `.#lock` and `#autosave#`, backups `x~`, JetBrains' safe-write copies, and dotfiles.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".swpx", ".tmp", ".bak", ".orig", ".crdownload", "___jb_tmp___", "___jb_old___"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Sorts changed paths (absolute, under `root`) by what a rebuild must redo.
pub fn classify(root: &Path, paths: &[PathBuf], theme: &str) -> Changes {
    let mut c = Changes::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|p| match p {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if parts.is_empty() || parts.iter().any(|p| is_editor_temp(p)) {
            continue;
        }
        match (parts[0].as_str(), parts.len()) {
            ("site.toml", 1) => c.config = true,
            ("content", 1) => c.content_rescan = true,
            ("content", _) => {
                c.content.insert(rel.to_path_buf());
            }
            ("templates", _) => c.templates = true,
            ("static", _) => c.statics = true,
            ("themes", n) if n >= 2 && parts[1] == theme => match parts.get(2).map(String::as_str) {
                Some("templates") => c.templates = true,
                Some("static") => c.statics = true,
                Some(_) => {}
                None => {
                    c.templates = true;
                    c.statics = true;
                }
            },
            ("themes", 1) => {
                c.templates = true;
                c.statics = true;
            }
            _ => {}
        }
    }
    c
}

/// Whether an event can change what the site looks like (opening or reading a file cannot).
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Collects events into batches: a batch ends after [`DEBOUNCE`] without events, or after
/// [`MAX_BATCH_WAIT`]. Lost events (queue overflow) are reported as every source changing.
fn debounce(root: PathBuf, rx: mpsc::Receiver<notify::Result<notify::Event>>, send: impl Fn(Vec<PathBuf>) -> bool) {
    let everything = || -> Vec<PathBuf> {
        SOURCE_DIRS.iter().map(|d| root.join(d)).chain(std::iter::once(root.join("site.toml"))).collect()
    };
    let add = |batch: &mut Vec<PathBuf>, event: notify::Result<notify::Event>| match event {
        Ok(e) if e.need_rescan() => batch.extend(everything()),
        Ok(e) if counts(&e.kind) => batch.extend(e.paths),
        Ok(_) => {}
        Err(e) => eprintln!("watch: {e}"),
    };
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::new();
        add(&mut batch, first);
        if batch.is_empty() {
            continue;
        }
        let started = Instant::now();
        loop {
            let left = MAX_BATCH_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(DEBOUNCE.min(left)) {
                Ok(e) => add(&mut batch, e),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if !batch.is_empty() {
            batch.sort();
            batch.dedup();
            if !send(batch) {
                return;
            }
        }
    }
}

/// The running watch. Dropping it stops watching.
pub struct Watcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: HashSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (canonical); batches of changed paths go to `send`, until it
    /// returns false.
    pub fn start(root: &Path, send: impl Fn(Vec<PathBuf>) -> bool + Send + 'static) -> Result<Watcher> {
        let (raw_tx, raw_rx) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(raw_tx).map_err(|e| Error::Other(format!("watching files: {e}")))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Other(format!("watching {}: {e}", root.display())))?;
        let root_owned = root.to_path_buf();
        std::thread::Builder::new()
            .name("sosik-watch".into())
            .spawn(move || debounce(root_owned, raw_rx, send))
            .map_err(|e| Error::Other(format!("starting the watch thread: {e}")))?;
        let mut w = Watcher { watcher, root: root.to_path_buf(), watched: HashSet::new() };
        w.refresh();
        Ok(w)
    }

    /// Watches source folders that exist now and were not watched yet (created after start, or
    /// replaced). Folders that went away are forgotten so that a new one of that name is watched.
    pub fn refresh(&mut self) {
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            let is_dir = std::fs::symlink_metadata(&dir).map(|m| m.is_dir()).unwrap_or(false);
            if !is_dir {
                if self.watched.remove(&dir) {
                    let _ = self.watcher.unwatch(&dir);
                }
                continue;
            }
            if !self.watched.contains(&dir) {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("watch: {}: {e}", dir.display()),
                }
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [".a.md.swp", "a.md~", ".#a.md", "#a.md#", "4913", "a.md.swx", "a.md___jb_tmp___", ".DS_Store"] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["a.md", "style.css", "base.html", "4914"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn changes_are_sorted_by_kind() {
        let root = Path::new("/site");
        let p = |s: &str| root.join(s);
        let c = classify(
            root,
            &[
                p("content/2025/07/28/a.md"),
                p("content/2025/07/28/.a.md.swp"),
                p("content/2025/07/28/4913"),
                p("themes/default/templates/base.html"),
                p("themes/other/static/x.css"),
                p("public/index.html"),
                p("site.toml"),
            ],
            "default",
        );
        assert_eq!(c.content.iter().collect::<Vec<_>>(), [Path::new("content/2025/07/28/a.md")]);
        assert!(c.templates && c.config && !c.statics && !c.content_rescan);
        let c = classify(root, &[p("static/style.css"), p("target/debug/x")], "default");
        assert!(c.statics && !c.templates && !c.config && c.content.is_empty());
        assert!(!c.is_empty());
        assert!(classify(root, &[p("public/a.html"), p("content/.x.md.swp")], "default").is_empty());
    }
}
