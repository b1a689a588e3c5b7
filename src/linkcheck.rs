//! Link integrity of the generated site: every internal link and `#fragment` of every page, and
//! every feed entry, must point at something the build wrote. Works as a [`Sink`] that sees each file
//! as it is written and keeps only links and ids, so checking a large site needs little memory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use url::Url;

use crate::error::Result;
use crate::model::encode_path;
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

/// What checking needs from the written files, and no more: their paths, their ids and each
/// distinct link once with the pages it appears on. A link written as an absolute path or URL
/// means the same on every page; a relative one is kept apart per page.
#[derive(Default)]
struct Seen {
    files: HashSet<String>,
    /// Output path -> ids defined in it.
    ids: HashMap<String, HashSet<String>>,
    /// Pages with links, in the order they were written; `links` refers to them by index.
    pages: Vec<String>,
    /// (the page a relative link is relative to, link as written) -> the pages it appears on.
    links: HashMap<(Option<u32>, String), Vec<u32>>,
}

impl Seen {
    fn add(&mut self, rel: &str, links: Vec<String>, ids: HashSet<String>) {
        self.files.insert(rel.to_string());
        if !ids.is_empty() {
            self.ids.insert(rel.to_string(), ids);
        }
        if links.is_empty() {
            return;
        }
        let page = u32::try_from(self.pages.len()).expect("fewer than 4 billion pages");
        self.pages.push(rel.to_string());
        for link in links {
            let context = (!is_absolute(&link)).then_some(page);
            let on = self.links.entry((context, link)).or_default();
            if on.last() != Some(&page) {
                on.push(page);
            }
        }
    }
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
    /// absolute URL: links to it count as internal, links to other origins are not checked.
    pub fn broken(&self, base_url: &str) -> Vec<BrokenLink> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(base) = Url::parse(base_url) else { return Vec::new() };
        let mut out = BTreeSet::new();
        for ((context, link), on) in &seen.links {
            let from = context.map_or("", |p| seen.pages[p as usize].as_str());
            if !resolves(&seen, &base, from, link) {
                out.extend(on.iter().map(|&p| BrokenLink { from: seen.pages[p as usize].clone(), to: link.clone() }));
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
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).add(rel, links, ids);
        Ok(())
    }
}

/// Whether a link means the same on every page: a site path (`/…`, `//host/…`) or a URL with a
/// scheme. Anything else resolves against the page it is on.
fn is_absolute(link: &str) -> bool {
    let link = link.trim_start();
    link.starts_with('/')
        || link.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn is_feed(rel: &str) -> bool {
    rel == "feed.xml" || rel.ends_with("/feed.xml")
}

/// Resolves `link` as a browser would on the page `from` (a path under `base`) and looks the
/// target up among the written files and their ids.
fn resolves(seen: &Seen, base: &Url, from: &str, link: &str) -> bool {
    let Ok(page) = base.join(&encode_path(from)) else { return false };
    let Ok(target) = page.join(link) else { return false };
    if target.origin() != base.origin() {
        return true; // another site: not ours to check offline
    }
    // A site path outside the base path is broken when deployed.
    let Some(rest) = target.path().strip_prefix(base.path()) else { return false };
    let Some(decoded) = percent_decode(rest) else { return false };
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
    match target.fragment().filter(|f| !f.is_empty()) {
        None => true,
        Some(f) => {
            let f = percent_decode(f).unwrap_or_default();
            seen.ids.get(&file).is_some_and(|ids| ids.contains(&f))
        }
    }
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
        c.broken("https://e.org/news/").iter().map(|b| b.to_string()).collect()
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
    fn links_resolve_as_a_browser_resolves_them() {
        let broken = site(&[
            (
                "a/b/index.html",
                r#"<a href="../../c/">up</a><a href="./">self</a><a href="//e.org/news/gone/">same host</a><a href="mailto:x@e.org">mail</a><a href="HTTPS://E.ORG/news/c/?q=1">upper</a><a href="../../../../c/">above</a>"#,
            ),
            ("c/index.html", ""),
        ]);
        assert_eq!(broken, ["/a/b/index.html -> ../../../../c/", "/a/b/index.html -> //e.org/news/gone/"]);
    }

    /// Defect 5 of issue 9: 4,000 tag pages each listing one article with 4,000 tag links made
    /// check hold 16 million (page, link) strings (1.86 GB). A link is now stored once.
    #[test]
    fn a_link_shared_by_many_pages_is_stored_once() {
        let null = NullSink;
        let c = LinkCollector::new(&null);
        let links: String = (0..100).map(|t| format!(r#"<a href="/news/tags/{t}/">{t}</a>"#)).collect();
        for t in 0..100 {
            c.write(&format!("tags/{t}/index.html"), links.as_bytes()).unwrap();
        }
        assert_eq!(c.seen.lock().unwrap().links.len(), 100);
        assert_eq!(c.broken("https://e.org/news/"), []);
        c.write("tags/7/x.html", b"<a href=\"/news/tags/100/\">").unwrap();
        c.write("tags/8/x.html", b"<a href=\"/news/tags/100/\"><a href=\"/news/tags/100/\">").unwrap();
        let broken: Vec<String> = c.broken("https://e.org/news/").iter().map(|b| b.to_string()).collect();
        assert_eq!(broken, ["/tags/7/x.html -> /news/tags/100/", "/tags/8/x.html -> /news/tags/100/"]);
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
