//! Publishing transforms between rendering and the output folder: minification (`--minify`) and
//! precompressed `.gz` / `.br` copies of text files (`--precompress`). [`Publish`] is a [`Sink`]
//! that wraps another sink, so it composes with the staging folder, the link checker or memory.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Diagnostic, Error, Result};
use crate::render::Sink;

/// Which transforms a build applies to its output; both off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishOptions {
    /// Minify HTML pages (with the CSS and JS inside them), `.css` and `.js` files.
    pub minify: bool,
    /// Write `<file>.gz` and `<file>.br` beside every text file (see [`is_compressible`]).
    pub precompress: bool,
}

/// Extensions of the files `--precompress` compresses: text that hosts serve compressed.
pub const COMPRESSIBLE: &[&str] = &["html", "css", "js", "json", "xml", "txt", "svg"];

/// gzip level: the best flate2 has; the files are compressed once and served many times.
const GZIP_LEVEL: u32 = 9;
/// Brotli quality. On 196 pages, feeds and index files of the 10,000-article archive (3.9 MB) the
/// copies were 25.7% of the original at quality 7 (0.7 s), 24.7% at 10 (3.3 s) and 24.3% at 11
/// (8.7 s); gzip -9 gave 28.9%. Every build compresses every file again, so the build time
/// decides: quality 7, the last level before the slow ones.
const BROTLI_QUALITY: u32 = 7;
/// Brotli window (log2): 4 MiB, the largest every decoder supports.
const BROTLI_WINDOW: u32 = 22;

/// Whether `--precompress` writes compressed copies of `rel`.
pub fn is_compressible(rel: &str) -> bool {
    extension(rel).is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn extension(rel: &str) -> Option<&str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|(_, e)| e)
}

/// Passes files on to `inner`, minified and/or with compressed copies beside them.
pub struct Publish<'a> {
    inner: &'a dyn Sink,
    options: PublishOptions,
    /// Compressed copies written (the build counts them as files).
    extra: AtomicUsize,
    /// Files left as they were because the minifier could not parse them.
    skipped: Mutex<Vec<Diagnostic>>,
    /// The previous build's output, whose compressed copies are reused for unchanged files.
    previous: Option<PathBuf>,
    /// Compressed copies taken from `previous` instead of compressing again.
    reused: AtomicUsize,
}

impl<'a> Publish<'a> {
    pub fn new(inner: &'a dyn Sink, options: PublishOptions) -> Self {
        Publish {
            inner,
            options,
            extra: AtomicUsize::new(0),
            skipped: Mutex::new(Vec::new()),
            previous: None,
            reused: AtomicUsize::new(0),
        }
    }

    /// Takes `.gz` / `.br` copies from the previous build in `dir` for files whose bytes did not
    /// change (most pages of an archive between two builds), after checking that they decompress to
    /// those bytes: compressing is most of what `--precompress` costs.
    pub fn reusing(mut self, dir: &Path) -> Self {
        self.previous = dir.is_dir().then(|| dir.to_path_buf());
        self
    }

    /// Number of compressed copies taken from the previous build.
    pub fn reused_files(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Number of `.gz` / `.br` files written so far.
    pub fn extra_files(&self) -> usize {
        self.extra.load(Ordering::Relaxed)
    }

    /// Warnings: CSS or JS files copied unminified because they did not parse, sorted by path.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut w = self.skipped.lock().unwrap_or_else(|e| e.into_inner()).clone();
        w.sort_by(|a, b| a.path.cmp(&b.path));
        w
    }
}

impl Sink for Publish<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let minified = if self.options.minify {
            match minify(rel, bytes) {
                Ok(m) => m,
                Err(diagnostic) => {
                    self.skipped.lock().unwrap_or_else(|e| e.into_inner()).push(diagnostic);
                    None
                }
            }
        } else {
            None
        };
        let bytes = minified.as_deref().unwrap_or(bytes);
        self.inner.write(rel, bytes)?;
        if self.options.precompress && is_compressible(rel) {
            let copies = match self.previous_copies(rel, bytes) {
                Some(copies) => {
                    self.reused.fetch_add(copies.len(), Ordering::Relaxed);
                    copies
                }
                None => [("gz", gzip(bytes)?), ("br", brotli(bytes)?)],
            };
            for (suffix, compressed) in copies {
                // A copy no smaller than the file saves nothing; the host then serves the file.
                if compressed.len() < bytes.len() {
                    self.inner.write(&format!("{rel}.{suffix}"), &compressed)?;
                    self.extra.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }
}

impl Publish<'_> {
    /// The previous build's `.gz` and `.br` of `rel`, if its `rel` had the same bytes and both
    /// copies decompress to them.
    fn previous_copies(&self, rel: &str, bytes: &[u8]) -> Option<[(&'static str, Vec<u8>); 2]> {
        let dir = self.previous.as_ref().filter(|_| crate::output::is_safe_relative(rel))?;
        if std::fs::read(dir.join(rel)).ok()? != bytes {
            return None;
        }
        let gz = std::fs::read(dir.join(format!("{rel}.gz"))).ok()?;
        let br = std::fs::read(dir.join(format!("{rel}.br"))).ok()?;
        let mut back = Vec::with_capacity(bytes.len());
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).ok()?;
        if back != bytes {
            return None;
        }
        back.clear();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).ok()?;
        (back == bytes).then_some([("gz", gz), ("br", br)])
    }
}

/// The minified form of a file by its extension: `Ok(None)` when the kind is not minified or the
/// result would not be smaller; `Err` (a warning) when a CSS or JS file does not parse.
pub fn minify(rel: &str, bytes: &[u8]) -> std::result::Result<Option<Vec<u8>>, Diagnostic> {
    let out = match extension(rel) {
        Some("html" | "htm") => minify_html(bytes),
        Some(ext @ ("css" | "js" | "mjs")) => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return Err(Diagnostic::new(rel, 1, 1, "not minified: the file is not UTF-8"));
            };
            let result = if ext == "css" { minify_css(text) } else { minify_js(text, ext == "mjs") };
            result
                .map_err(|(line, col, msg)| {
                    Diagnostic::new(PathBuf::from(rel), line, col, format!("not minified, copied as is: {msg}"))
                })?
                .into_bytes()
        }
        _ => return Ok(None),
    };
    Ok((out.len() < bytes.len()).then_some(out))
}

/// A page minified by minify-html with its spec-compliant defaults (quoted attributes where
/// needed, spaces between attributes, the full doctype), so the Nu checker still finds no error.
pub fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg { minify_css: true, minify_js: true, ..minify_html::Cfg::default() };
    minify_html::minify(bytes, &cfg)
}

/// A stylesheet minified by lightningcss; `Err((line, col, message))` when it does not parse.
pub fn minify_css(text: &str) -> std::result::Result<String, (usize, usize, String)> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let position = |loc: Option<lightningcss::error::ErrorLocation>| {
        loc.map_or((1, 1), |l| (l.line as usize + 1, l.column as usize))
    };
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).map_err(|e| {
        let (line, col) = position(e.loc.clone());
        (line, col, e.kind.to_string())
    })?;
    sheet.minify(MinifyOptions::default()).map_err(|e| {
        let (line, col) = position(e.loc.clone());
        (line, col, e.kind.to_string())
    })?;
    let printed = sheet.to_css(PrinterOptions { minify: true, ..PrinterOptions::default() }).map_err(|e| {
        let (line, col) = position(e.loc.clone());
        (line, col, e.kind.to_string())
    })?;
    Ok(printed.code)
}

/// A script minified by oxc: whitespace and comments out, local names shortened, global names
/// (top-level declarations of a classic script) kept, so pages that call into it still work.
/// A `.js` file is read as a classic script and, failing that, as a module.
pub fn minify_js(text: &str, module: bool) -> std::result::Result<String, (usize, usize, String)> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions, CommentOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let kinds = if module { vec![SourceType::mjs()] } else { vec![SourceType::cjs(), SourceType::mjs()] };
    let mut first_error = None;
    for kind in kinds {
        let parsed = Parser::new(&allocator, text, kind).parse();
        if let Some(e) = parsed.errors.first() {
            first_error.get_or_insert_with(|| {
                let offset = e.labels.as_ref().and_then(|l| l.first()).map_or(0, |l| l.offset());
                let (line, col) = crate::error::line_col(text, offset);
                (line, col, e.to_string())
            });
            continue;
        }
        if parsed.panicked {
            continue;
        }
        let mut program = parsed.program;
        let options =
            MinifierOptions { mangle: Some(MangleOptions::default()), compress: Some(CompressOptions::safest()) };
        let ret = Minifier::new(options).minify(&allocator, &mut program);
        let code = Codegen::new()
            .with_options(CodegenOptions {
                minify: true,
                comments: CommentOptions::disabled(),
                ..CodegenOptions::default()
            })
            .with_scoping(ret.scoping)
            .with_private_member_mappings(ret.class_private_mappings)
            .build(&program)
            .code;
        return Ok(code);
    }
    Err(first_error.unwrap_or((1, 1, "the JavaScript parser gave up".into())))
}

/// gzip at the best level, with no file name and a zero time stamp, so builds are byte-identical.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::with_capacity(bytes.len() / 3 + 64), flate2::Compression::new(GZIP_LEVEL));
    enc.write_all(bytes).and_then(|_| enc.finish()).map_err(|e| Error::Other(format!("gzip: {e}")))
}

/// Brotli at [`BROTLI_QUALITY`], with a 4 MiB window.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: BROTLI_WINDOW as i32,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| Error::Other(format!("brotli: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_files_are_compressible() {
        for rel in ["index.html", "a/b/feed.xml", "style.css", "search.js", "search/m.json", "robots.txt", "i.svg"] {
            assert!(is_compressible(rel), "{rel}");
        }
        for rel in ["photo.png", "index.html.gz", "x.br", "README", "archive.tar"] {
            assert!(!is_compressible(rel), "{rel}");
        }
    }

    #[test]
    fn compressed_copies_decompress_to_the_original() {
        let text = "<p>딥시크가 새 모델을 공개했다.</p>\n".repeat(200);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gzip(text.as_bytes()).unwrap()[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        let mut back = Vec::new();
        brotli::Decompressor::new(&brotli(text.as_bytes()).unwrap()[..], 4096).read_to_end(&mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert_eq!(gzip(text.as_bytes()).unwrap(), gzip(text.as_bytes()).unwrap(), "no time stamp");
    }

    #[test]
    fn scripts_keep_their_global_names() {
        let js = "'use strict';\nfunction search(query) {\n  const words = query.split(' ');\n  return words.length;\n}\nvar counter = 1;\n";
        let min = minify_js(js, false).unwrap();
        assert!(min.contains("function search(") && min.contains("counter"), "{min}");
        assert!(min.len() < js.len());
    }

    #[test]
    fn broken_css_and_js_are_reported_with_a_position() {
        let (line, _, msg) = minify_js("let a = 1;\nlet = = ;\n", false).unwrap_err();
        assert_eq!(line, 2, "{msg}");
        let d = minify("x.js", b"let a = 1;\nlet = = ;\n").unwrap_err();
        assert!(d.to_string().starts_with("x.js:2:"), "{d}");
        assert_eq!(minify_css("a { color: red; }\n@media (").unwrap_err().0, 2);
    }

    #[test]
    fn stylesheets_get_smaller() {
        let css = "/* c */\nbody {\n  color: #ff0000;\n  margin: 0px 0px 0px 0px;\n}\n";
        assert_eq!(minify_css(css).unwrap(), "body{color:red;margin:0}");
    }
}
