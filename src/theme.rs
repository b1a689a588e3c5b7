//! Themes are data: templates and static files of `themes/<name>/`, with the default theme built in
//! so a site needs no theme folder. A site's own `templates/` and `static/` override the theme's.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::error::{Error, Result};

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, embedded.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "macros.html",
    "index.html",
    "article.html",
    "day.html",
    "month.html",
    "year.html",
    "archive.html",
    "companies.html",
    "company.html",
    "topic.html",
    "tags.html",
    "tag.html",
    "search.html",
    "404.html",
);

/// The default theme's static files, embedded.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/static/style.css")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
];

/// Built-in templates, then the theme folder's, then the site's `templates/` (later wins by name).
pub fn load_templates(root: &Path, theme: &str) -> Result<Tera> {
    compile_templates(&template_sources(root, theme)?)
}

/// The source of every template by name, as [`load_templates`] would compile them (`serve` keeps
/// them to tell which pages a template edit touches).
pub fn template_sources(root: &Path, theme: &str) -> Result<BTreeMap<String, String>> {
    let mut all: BTreeMap<String, String> = BTreeMap::new();
    if theme == "default" {
        all.extend(BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    }
    let theme_dir = root.join("themes").join(theme);
    if theme != "default" && !theme_dir.is_dir() {
        return Err(Error::Other(format!(
            "site.toml: theme `{theme}` not found: expected the folder {}",
            theme_dir.display()
        )));
    }
    read_tree(&theme_dir.join("templates"), &mut |rel, bytes| {
        all.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
    })?;
    read_tree(&root.join("templates"), &mut |rel, bytes| {
        all.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
    })?;
    Ok(all)
}

/// Compiles template sources (name -> text) with the theme's escaping rules.
pub fn compile_templates(all: &BTreeMap<String, String>) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Other(format!("templates: {}", error_chain(&e))))?;
    Ok(tera)
}

/// Static files: the theme's, then the site's `static/` (later wins). Sorted by path.
pub fn static_files(root: &Path, theme: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if theme == "default" {
        files.extend(BUILTIN_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())));
    }
    read_tree(&root.join("themes").join(theme).join("static"), &mut |rel, b| {
        files.insert(rel, b);
    })?;
    read_tree(&root.join("static"), &mut |rel, b| {
        files.insert(rel, b);
    })?;
    Ok(files)
}

/// Calls `f(relative path, bytes)` for every file under `dir` (none when it does not exist).
/// Hidden files and editor backups are skipped.
fn read_tree(dir: &Path, f: &mut dyn FnMut(String, Vec<u8>)) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walkdir stays under its root");
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        f(rel, bytes);
    }
    Ok(())
}

/// Escapes text for HTML text and quoted attributes. Unlike tera's default it leaves `/` alone, so
/// URLs in the pages read as written (`href="/2025/07/"`, not `href="&#x2F;2025&#x2F;07&#x2F;"`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A tera error with its causes, on one line each joined by ": ".
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !msg.contains(&s_text) {
            msg.push_str(": ");
            msg.push_str(&s_text);
        }
        source = s.source();
    }
    msg.replace('\n', " ")
}
