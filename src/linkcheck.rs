//! Link integrity of the generated site: every internal link and `#fragment` of every page, and
//! every feed entry, must point at something the build wrote. Works as a [`Sink`] that sees each file
//! as it is written and keeps only links and ids, so checking a large site needs little memory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use crate::error::Result;
use crate::render::Sink;

/// A link that leads nowhere: `from` (an output path) -> `to` (the link as written).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub from: String,
    pub to: String,
}

impl std::fmt::Display for BrokenLink {
    /// `/2025/07/28/x/index.html -> #없는-절`: the target readable, percent escapes decoded.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to =
            percent_decode(&self.to).filter(|t| !t.chars().any(char::is_control)).unwrap_or_else(|| self.to.clone());
        write!(f, "/{} -> {}", self.from, to)
    }
}

#[derive(Default)]
struct Seen {
    files: HashSet<String>,
    /// Output path -> ids defined in it.
    ids: HashMap<String, HashSet<String>>,
    /// (output path, link as written)
    links: Vec<(String, String)>,
}

/// Passes files on to `inner` and records their links and ids.
pub struct LinkCollector<'a> {
    inner: &'a dyn Sink,
    seen: Mutex<Seen>,
}

impl<'a> LinkCollector<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        LinkCollector { inner, seen: Mutex::new(Seen::default()) }
    }

    /// Links that resolve to no written file or to a missing id. `base_url` is the site's
    /// absolute URL (links to it count as internal), `base_path` its path.
    pub fn broken(&self, base_url: &str, base_path: &str) -> Vec<BrokenLink> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = BTreeSet::new();
        for (from, link) in &seen.links {
            if !resolves(&seen, from, link, base_url, base_path) {
                out.insert(BrokenLink { from: from.clone(), to: link.clone() });
            }
        }
        out.into_iter().collect()
    }
}

impl Sink for LinkCollector<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)?;
        let text = if rel.ends_with(".html") || rel.ends_with(".xml") { std::str::from_utf8(bytes).ok() } else { None };
        let (links, ids) = match text {
            Some(t) if rel.ends_with(".html") => scan_html(t),
            Some(t) if is_feed(rel) => (scan_feed(t), HashSet::new()),
            _ => (Vec::new(), HashSet::new()),
        };
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.files.insert(rel.to_string());
        seen.links.extend(links.into_iter().map(|l| (rel.to_string(), l)));
        if !ids.is_empty() {
            seen.ids.insert(rel.to_string(), ids);
        }
        Ok(())
    }
}

fn is_feed(rel: &str) -> bool {
    rel == "feed.xml" || rel.ends_with("/feed.xml")
}

fn resolves(seen: &Seen, from: &str, link: &str, base_url: &str, base_path: &str) -> bool {
    let link = link.trim();
    let (path_part, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target: String = if path_part.is_empty() {
        from.to_string()
    } else if let Some(rest) = path_part.strip_prefix(base_url) {
        rest.to_string()
    } else if path_part.starts_with("//") || has_scheme(path_part) {
        return true; // another site: not ours to check offline
    } else if let Some(abs) = path_part.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(base_path) {
            Some(rest) => rest.to_string(),
            None => return false, // a site path outside the base path: broken when deployed
        }
    } else {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        match join(dir, path_part) {
            Some(p) => p,
            None => return false,
        }
    };
    let Some(decoded) = percent_decode(&target) else { return false };
    let file = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else if seen.files.contains(&decoded) {
        decoded
    } else {
        format!("{decoded}/index.html")
    };
    if !seen.files.contains(&file) {
        return false;
    }
    match fragment.filter(|f| !f.is_empty()) {
        None => true,
        Some(f) => {
            let f = percent_decode(f).unwrap_or_default();
            seen.ids.get(&file).is_some_and(|ids| ids.contains(&f))
        }
    }
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// `dir` + a relative `path`, with `.` and `..` resolved; None when it climbs out of the site.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The text a percent-encoded link names; None when it is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|d| d.into_owned())
}

/// (href/src values of a page, ids defined in it). A small scanner for the HTML we generate: it
/// skips comments and script/style contents and decodes the entities attribute values use.
pub fn scan_html(html: &str) -> (Vec<String>, HashSet<String>) {
    let mut links = Vec::new();
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let name_len = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let tag = rest[..name_len].to_ascii_lowercase();
        let (attrs, after_tag) = parse_attrs(&rest[name_len..]);
        rest = after_tag;
        for (name, value) in attrs {
            match name.as_str() {
                "href" | "src" if tag != "link" || !value.is_empty() => links.push(value),
                "id" | "name" if name == "id" || tag == "a" => {
                    ids.insert(value);
                }
                _ => {}
            }
        }
        // Raw text and RCDATA elements hold no markup: `<!--` or `<a href>` in them is text
        // (a minified page writes a title's `<` as is).
        if matches!(tag.as_str(), "script" | "style" | "title" | "textarea") {
            let close = format!("</{tag}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
        }
    }
    (links, ids)
}

/// Attributes up to the end of a start tag, and the text after it.
fn parse_attrs(s: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (attrs, rest);
        }
        if let Some(r) = rest.strip_prefix('>') {
            return (attrs, r);
        }
        let n = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/').unwrap_or(rest.len()).max(1);
        let name = rest[..n].to_ascii_lowercase();
        rest = rest[n..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (v, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = r[1..].find(q).map_or(r.len(), |e| e + 1);
                    (&r[1..end], r.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = r.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(r.len());
                    (&r[..end], &r[end..])
                }
            };
            value = decode_entities(v);
            rest = after;
        }
        attrs.push((name, value));
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `href` of each entry's `<link>` in an Atom feed.
fn scan_feed(xml: &str) -> Vec<String> {
    let mut links = Vec::new();
    for entry in xml.split("<entry>").skip(1) {
        let entry = entry.split("</entry>").next().unwrap_or("");
        let mut rest = entry;
        while let Some(i) = rest.find("<link") {
            let (attrs, after) = parse_attrs(&rest[i + 5..]);
            links.extend(attrs.into_iter().filter(|(n, _)| n == "href").map(|(_, v)| v));
            rest = after;
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::NullSink;

    fn site(files: &[(&str, &str)]) -> Vec<String> {
        let null = NullSink;
        let c = LinkCollector::new(&null);
        for (rel, body) in files {
            c.write(rel, body.as_bytes()).unwrap();
        }
        c.broken("https://e.org/news/", "/news/").iter().map(|b| b.to_string()).collect()
    }

    #[test]
    fn finds_broken_pages_and_fragments() {
        let broken = site(&[
            (
                "index.html",
                r##"<a href="/news/a/">a</a><a href="/news/b/">b</a><a href="a/#%EB%B3%B8%EB%AC%B8">c</a><a href="#x">d</a><a href="https://other.example/">e</a><a href="/elsewhere/">f</a><script>var s = "<a href='/nope/'>";</script>"##,
            ),
            (
                "a/index.html",
                r#"<h2 id="본문">본문</h2><link rel="stylesheet" href="../style.css?v=1"><a href="https://e.org/news/a/#본문">self</a>"#,
            ),
            ("style.css", "body{}"),
        ]);
        assert_eq!(broken, ["/index.html -> #x", "/index.html -> /elsewhere/", "/index.html -> /news/b/"]);
    }

    #[test]
    fn feed_entries_must_link_to_pages() {
        let broken = site(&[(
            "feed.xml",
            r#"<feed><link href="https://e.org/news/"/><entry><link rel="alternate" href="https://e.org/news/gone/"/></entry></feed>"#,
        )]);
        assert_eq!(broken, ["/feed.xml -> https://e.org/news/gone/"]);
    }

    #[test]
    fn markup_in_a_title_is_text() {
        let (links, ids) = scan_html(r#"<title></script><!-- <a href="/x/"></title><a id="y" href="/z/">z</a>"#);
        assert_eq!(links, ["/z/"]);
        assert!(ids.contains("y"));
    }

    #[test]
    fn entities_in_attributes_are_decoded() {
        let (links, _) = scan_html(r#"<a href="/x?a=1&amp;b=2">"#);
        assert_eq!(links, ["/x?a=1&b=2"]);
    }
}
