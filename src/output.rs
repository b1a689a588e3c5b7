//! Writing the site: into a temporary sibling folder, swapped in only when the whole build succeeded.
//! Every path is checked to stay inside the output folder.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::Sink;

/// Rejects an output folder that would overwrite or sit above the site's own files.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf> {
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
    Ok(out)
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

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().ok_or_else(|| Error::Usage("the output folder has no parent".into()))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// Replaces the target with the staged folder. The old output is removed only after the swap.
    pub fn commit(self) -> Result<()> {
        let parent = self.target.parent().expect("checked in new");
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
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
