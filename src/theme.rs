//! Themes are data: templates and static files of `themes/<name>/`, with the default theme built in
//! so a site needs no theme folder. A site's own `templates/` and `static/` override the theme's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::{Diagnostic, Error, Result};

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
    "page.html",
    "share.html",
    "figure_toc.html",
    "insights.html",
    "trends.html",
    "trend-week.html",
);

/// The default theme's static files, embedded.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/static/style.css")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
    ("favicon.svg", include_bytes!("../themes/default/static/favicon.svg")),
    ("share.js", include_bytes!("../themes/default/static/share.js")),
];

/// Built-in templates, then the theme folder's, then the site's `templates/` (later wins by name).
pub fn load_templates(root: &Path, theme: &str) -> Result<Tera> {
    compile_templates(root, theme, &template_sources(root, theme)?)
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

/// Compiles template sources (name -> text) with the theme's escaping rules. A syntax error is
/// reported at its place in the file the template came from (`templates/x.html:3:14: …`).
pub fn compile_templates(root: &Path, theme: &str, all: &BTreeMap<String, String>) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str()))).map_err(|e| {
        let chain = error_chain(&e);
        match parse_error(&e) {
            Some((name, line, col, message)) => {
                Error::one(Diagnostic::new(template_file(root, theme, &name), line, col, message))
            }
            None => Error::Other(format!("templates: {chain}")),
        }
    })?;
    Ok(tera)
}

/// The file a template named `name` is read from, relative to the site root: the site's own
/// `templates/`, else the theme's folder, else the default theme (built in, as in this repository).
pub fn template_file(root: &Path, theme: &str, name: &str) -> PathBuf {
    let own = Path::new("templates").join(name);
    let themed = Path::new("themes").join(theme).join("templates").join(name);
    if root.join(&own).is_file() {
        own
    } else if theme != "default" || root.join(&themed).is_file() {
        themed
    } else {
        Path::new("themes/default/templates").join(name)
    }
}

/// Name, line, column and message of a tera syntax error ("Failed to parse 'x.html'" caused by a
/// pest error whose text holds `--> line:col` and `= message`).
fn parse_error(e: &tera::Error) -> Option<(String, usize, usize, String)> {
    let name = e.to_string().strip_prefix("Failed to parse '")?.strip_suffix('\'')?.to_string();
    let detail = std::error::Error::source(e)?.to_string();
    let at = detail.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let (line, col) = at.trim().split_once(':')?;
    let message = detail.lines().find_map(|l| l.trim_start().strip_prefix("= ")).unwrap_or("syntax error").trim();
    Some((name, line.parse().ok()?, col.parse().ok()?, message.to_string()))
}

/// Gives a render error the place in the templates that most likely caused it: for a missing
/// variable or filter, the first use of that name in the rendered template, then in the templates
/// it extends, includes or imports (tera 1 reports no position at render time).
pub fn locate_render_error(root: &Path, theme: &str, e: Error) -> Error {
    let Error::Render { page, template, within, message, location: None } = e else {
        return e;
    };
    let sources = template_sources(root, theme).unwrap_or_default();
    let mut order = related_templates(&sources, &template);
    if let Some(at) = order.iter().position(|n| Some(n) == within.as_ref()) {
        let first = order.remove(at);
        order.insert(0, first);
    }
    let location = render_error_name(&message).and_then(|needle| {
        order.into_iter().find_map(|name| {
            let text = sources.get(&name)?;
            let offset = find_use(text, &needle)?;
            let (line, col) = crate::error::line_col(text, offset);
            Some(Box::new((template_file(root, theme, &name), line, col)))
        })
    });
    Error::Render { page, template, within, message, location }
}

/// The variable, filter, test or function a tera render error names (`x` or 'x').
fn render_error_name(message: &str) -> Option<String> {
    let quoted = |q: char, from: usize| {
        let start = message[from..].find(q)? + from + 1;
        let len = message[start..].find(q)?;
        Some(message[start..start + len].to_string()).filter(|n| !n.is_empty())
    };
    if let Some(name) = quoted('`', 0) {
        return Some(name);
    }
    ["Filter '", "Function '", "Test '", "Macro '"]
        .iter()
        .find_map(|kind| quoted('\'', message.find(kind)? + kind.len() - 1))
}

/// Byte offset of `needle` inside a `{{ }}` or `{% %}` tag of `text`, as a whole name.
fn find_use(text: &str, needle: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        let whole = !before.is_some_and(is_name) && !after.is_some_and(is_name);
        let open = text[..i].rfind("{{").max(text[..i].rfind("{%"));
        let close = text[..i].rfind("}}").max(text[..i].rfind("%}"));
        whole && open.is_some() && open > close
    })
}

/// `name` first, then every template it reaches through extends / include / import, in order.
fn related_templates(sources: &BTreeMap<String, String>, name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    let mut i = 0;
    while i < out.len() {
        if let Some(text) = sources.get(&out[i]) {
            for keyword in ["extends", "include", "import"] {
                for (at, _) in text.match_indices(keyword) {
                    let rest = text[at + keyword.len()..].trim_start();
                    let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
                    if let Some(end) = rest[1..].find(quote) {
                        let target = rest[1..1 + end].to_string();
                        if sources.contains_key(&target) && !out.contains(&target) {
                            out.push(target);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    out
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

/// The cause of a render error, without tera's "Failed to render 'x.html' (error happened in
/// 'y.html')." in front nor "while rendering 'x.html'" after (the error names the templates already).
pub fn render_error_message(e: &tera::Error) -> String {
    let chain = error_chain(e);
    let cause = match chain.strip_prefix("Failed to render '") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, cause)| cause),
        None => &chain,
    };
    match cause.rfind(" while rendering '") {
        Some(at) if cause.ends_with('\'') => cause[..at].to_string(),
        _ => cause.to_string(),
    }
}

/// The template tera says an error happened in ("… (error happened in 'base.html')").
pub fn error_template(message: &str) -> Option<&str> {
    let rest = &message[message.find("error happened in '")? + "error happened in '".len()..];
    Some(&rest[..rest.find('\'')?])
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
