//! Writing the site: into a temporary sibling folder, swapped in only when the whole build succeeded.
//! Every path is checked to stay inside the output folder.

use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::render::Sink;

/// The file every output folder holds, so that a later build knows the folder is its own to replace.
pub const MARKER: &str = ".sosik-output";
const MARKER_TEXT: &str =
    "This folder is built by sosik. `sosik build` replaces all of it on every build: keep nothing \
else here.\n";

/// Rejects an output folder that would overwrite or sit above the site's own files, and an existing
/// folder that sosik did not make (unless `force`). A folder that holds `.git` is never replaced.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<PathBuf> {
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let out = absolute(output)?;
    let refuse = |why: &str| Err(Error::Usage(format!("refusing output folder {}: {why}", output.display())));
    if root.starts_with(&out) {
        return refuse("it is the site root or contains it");
    }
    for protected in ["content", "static", "themes", "templates"] {
        if out.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("it exists and is not a folder");
    }
    if out.is_dir() {
        if out.join(".git").symlink_metadata().is_ok() {
            return refuse("it holds a .git repository, and a build replaces the whole folder (even with --force)");
        }
        let empty = std::fs::read_dir(&out).map_err(|e| Error::io(&out, e))?.next().is_none();
        if !empty && !made_by_sosik(&out) && !force {
            return refuse(&format!(
                "it exists and sosik did not make it (there is no {MARKER} file in it), and a build replaces \
                 the whole folder; choose another --output, empty it, or pass --force to replace it"
            ));
        }
    }
    Ok(out)
}

/// Whether `dir` is a build of sosik: it holds the marker, or it is output of a version before the
/// marker, recognised by its search manifest (sosik's own format) beside 404.html and sitemap.xml, so
/// that upgrading does not make every existing `public/` need `--force`.
fn made_by_sosik(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    let manifest = dir.join("search/manifest.json");
    let small = std::fs::metadata(&manifest).is_ok_and(|m| m.is_file() && m.len() < 64 << 20);
    let ours = small
        && std::fs::read(&manifest)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| ["version", "base_path", "doc_count", "scoring"].iter().all(|k| v.get(k).is_some()));
    ours && dir.join("404.html").is_file() && dir.join("sitemap.xml").is_file()
}

/// An absolute path with symlinks of the existing part resolved and `..` removed.
fn absolute(p: &Path) -> Result<PathBuf> {
    let p =
        if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().map_err(|e| Error::io(".", e))?.join(p) };
    // Resolve the longest existing ancestor, then append the rest lexically.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().map_err(|e| Error::io(&existing, e))?;
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    Ok(out)
}

/// True when `rel` is a plain relative path: no root, no `..`, no `.`, no backslash, no empty segment.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes into a fresh folder beside the final one.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

/// Staging folders of this process that an interrupted build must not leave behind (see [`abandon`]).
/// The lock is also held across the swap, so a signal never removes a folder half-way through it.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the staging and old-output folders of this process; for SIGINT/SIGTERM, before exiting. Any
/// later write of the interrupted build fails instead of recreating them.
pub fn abandon() {
    let mut live = live();
    ABANDONED.store(true, std::sync::atomic::Ordering::SeqCst);
    for dir in live.drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

static ABANDONED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// An error once [`abandon`] ran: nothing more is written or swapped in.
fn check_not_abandoned() -> Result<()> {
    if ABANDONED.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(Error::Other("interrupted".into()));
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().ok_or_else(|| Error::Usage("the output folder has no parent".into()))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        remove_stale(parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        live().push(dir.clone());
        let staging = Staging { dir, target: target.to_path_buf() };
        std::fs::create_dir(&staging.dir).map_err(|e| Error::io(&staging.dir, e))?;
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Replaces the target with the staged folder. The old output is removed only after the swap.
    pub fn commit(self) -> Result<()> {
        let parent = self.target.parent().expect("checked in new");
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.target.exists();
        {
            let mut live = live();
            check_not_abandoned()?;
            if had_old {
                std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
            }
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                if had_old {
                    let _ = std::fs::rename(&old, &self.target);
                }
                return Err(Error::io(&self.target, e));
            }
            live.retain(|d| d != &self.dir);
            if had_old {
                live.push(old.clone());
            }
        }
        std::mem::forget(self);
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            live().retain(|d| d != &old);
        }
        Ok(())
    }
}

/// Removes `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders beside the output that a build of a
/// process no longer running left behind (killed with SIGKILL, a power cut). Only folders that are
/// empty or hold sosik's marker go.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let Some(rest) = file_name.strip_prefix('.').and_then(|f| f.strip_prefix(name)) else { continue };
        let Some(pid) = rest.strip_prefix(".tmp-").or_else(|| rest.strip_prefix(".old-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let path = entry.path();
        let ours = path.join(MARKER).is_file() || is_empty_dir(&path);
        if pid != std::process::id() && !process_alive(pid) && ours && !path.join(".git").exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        live().retain(|d| d != &self.dir);
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_not_abandoned()?;
        if !is_safe_relative(rel) {
            return Err(Error::Other(format!("refusing to write `{rel}`: it would leave the output folder")));
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }
}

/// Discards everything (`sosik check`).
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, rel: &str, _: &[u8]) -> Result<()> {
        if is_safe_relative(rel) {
            Ok(())
        } else {
            Err(Error::Other(format!("refusing to write `{rel}`: it would leave the output folder")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_must_stay_inside() {
        assert!(is_safe_relative("2025/07/28/x/index.html"));
        assert!(is_safe_relative("tags/로봇/index.html"));
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\..\\b", "./a", "a/."] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
