//! Shared helpers of the integration tests: copy a fixture site into a temporary folder, build it with
//! a pinned clock, read pages, run the real binary, and pull links and text out of HTML.
//!
//! Fixtures are never built in place: every test works on its own copy, so tests/fixtures stays clean.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use sosik::build::{self, BuildOptions, BuildReport};
use sosik::Progress;
use tempfile::TempDir;

/// "Now" for every library build of the tests: 2025-08-10 noon in Seoul.
pub const NOW: &str = "2025-08-10T12:00:00+09:00";

pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).unwrap()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_dir(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A copy of `tests/fixtures/<name>` at `<tmp>/site`; `<tmp>` holds nothing else. The folder is
/// removed when the fixture and every build of it are dropped.
pub struct Fixture {
    /// Shared with every [`Built`] of the fixture, so the folder lives as long as any of them.
    pub tmp: Arc<TempDir>,
    pub root: PathBuf,
}

pub fn fixture(name: &str) -> Fixture {
    let src = fixture_dir(name);
    assert!(src.join("site.toml").is_file(), "fixture {name} has no site.toml");
    let tmp = tempfile::Builder::new().prefix("sosik-test-").tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_tree(&src, &root);
    Fixture { tmp: Arc::new(tmp), root }
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Fixture {
    /// Options of a plain `sosik build` of this site, with the clock pinned.
    pub fn opts(&self) -> BuildOptions {
        BuildOptions { root: self.root.clone(), now: Some(now()), ..Default::default() }
    }

    /// Builds into `<root>/public`; panics with the error if the build fails.
    pub fn build(&self) -> Built {
        self.build_with(self.opts())
    }

    pub fn build_with(&self, opts: BuildOptions) -> Built {
        let report = build::build(&opts, &Progress::default()).unwrap_or_else(|e| panic!("build failed:\n{e}"));
        Built { out: report.output.clone(), report, _tmp: self.tmp.clone() }
    }

    /// The error of a build that must fail, as the user sees it.
    pub fn build_error(&self) -> String {
        self.build_error_with(self.opts())
    }

    pub fn build_error_with(&self, opts: BuildOptions) -> String {
        match build::build(&opts, &Progress::default()) {
            Ok(_) => panic!("the build succeeded but should have failed"),
            Err(e) => e.to_string(),
        }
    }

    pub fn check(&self) -> sosik::Result<BuildReport> {
        build::check(&self.opts(), &Progress::default())
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Runs the real binary in the site root.
    pub fn cli(&self, args: &[&str]) -> Run {
        run_in(&self.root, args)
    }
}

/// Runs `sosik <args>` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the sosik binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A finished build: the output folder and the report.
pub struct Built {
    pub out: PathBuf,
    pub report: BuildReport,
    _tmp: Arc<TempDir>,
}

impl Built {
    /// The output of a build made some other way (e.g. by the binary) of fixture `f`.
    pub fn from_report(report: BuildReport, f: &Fixture) -> Built {
        Built { out: report.output.clone(), report, _tmp: f.tmp.clone() }
    }

    /// `<out>/<dir>/index.html`; `dir` is a site path without the base path, e.g. "2025/07/" or "".
    pub fn page(&self, dir: &str) -> String {
        let rel =
            if dir.is_empty() { "index.html".to_string() } else { format!("{}/index.html", dir.trim_end_matches('/')) };
        self.file(&rel)
    }

    pub fn file(&self, rel: &str) -> String {
        let p = self.out.join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}; files: {:?}", p.display(), self.files()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// Every file of the output, '/'-separated and relative, sorted.
    pub fn files(&self) -> BTreeSet<String> {
        walk_files(&self.out)
    }
}

/// Relative paths of all files under `dir`, sorted.
pub fn walk_files(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let ft = entry.file_type().unwrap();
            if ft.is_dir() {
                walk(base, &entry.path(), out);
            } else {
                let rel = entry.path().strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel);
            }
        }
    }
    let mut out = BTreeSet::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Entries directly in `dir`, sorted.
pub fn list_dir(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Values of every `attr="…"` of the tags of `html` (entities decoded). Text that merely looks
/// like an attribute (`&lt;a href="x"&gt;` shown as text) is not counted.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle).map(|i| from + i) {
        let value_start = i + needle.len();
        let len = html[value_start..].find('"').expect("attribute closes");
        let before = &html[..i];
        let in_tag = before.rfind('<').is_some_and(|lt| before.rfind('>').is_none_or(|gt| gt < lt));
        if in_tag {
            out.push(unescape(&html[value_start..value_start + len]));
        }
        from = value_start + len;
    }
    out
}

/// Every `<a href>` of `html` as (href, visible text).
pub fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let close = rest.find("</a>").unwrap();
        let inner = &rest[tag_end + 1..close];
        if let Some(href) = attr_values(tag, "href").into_iter().next() {
            out.push((href, text(inner)));
        }
        rest = &rest[close..];
    }
    out
}

/// The text of the first link to `href`, if any.
pub fn link_text(html: &str, href: &str) -> Option<String> {
    links(html).into_iter().find(|(h, _)| h == href).map(|(_, t)| t)
}

/// Visible text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = unescape(&out);
    // Tags split words only where the markup had space; glue punctuation the way a reader sees it.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of `<main>` only (header and footer left out).
pub fn main_text(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
    text(&html[start..end])
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Whether the text of `html` contains `needle` (after collapsing whitespace).
#[track_caller]
pub fn assert_text(html: &str, needle: &str) {
    let t = text(html);
    assert!(t.contains(needle), "missing text {needle:?} in:\n{t}");
}

/// Decodes %XX escapes (UTF-8) of a URL path.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("percent-encoded UTF-8")
}

/// Every URL a page refers to: href, src, action, and the base path handed to scripts.
pub fn page_urls(html: &str) -> Vec<String> {
    let mut urls = attr_values(html, "href");
    urls.extend(attr_values(html, "src"));
    urls.extend(attr_values(html, "action"));
    urls
}

/// The output file a site path (base path included) is served from, if it exists:
/// `/news/2025/07/` -> `<out>/2025/07/index.html`. Query and fragment are ignored.
pub fn resolve(out: &Path, base_path: &str, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap();
    let rel = path.strip_prefix(base_path)?;
    let rel = percent_decode(rel);
    let p = out.join(&rel);
    if rel.is_empty() || rel.ends_with('/') {
        let index = p.join("index.html");
        return index.is_file().then_some(index);
    }
    p.is_file().then_some(p)
}

/// Checks the build's one-line summary: `built N articles into P pages (F files) in OUT in S s`,
/// with P and F counted on disk.
#[track_caller]
pub fn assert_summary(stdout: &str, articles: usize, out: &Path) {
    let line = stdout.strip_suffix(" s\n").unwrap_or_else(|| panic!("summary ends with seconds: {stdout:?}"));
    let (head, secs) = line.rsplit_once(" in ").unwrap();
    assert!(secs.parse::<f64>().is_ok(), "{secs}");
    let files = walk_files(out);
    let pages = files.iter().filter(|f| f.ends_with(".html")).count();
    let articles = if articles == 1 { "1 article".to_string() } else { format!("{articles} articles") };
    assert_eq!(head, format!("built {articles} into {pages} pages ({} files) in {}", files.len(), out.display()));
}
