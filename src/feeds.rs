//! Machine-readable outputs: Atom feeds, sitemap.xml (with an index above 50,000 URLs), robots.txt.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use crate::model::{Entry, Site};

/// Entries per feed.
pub const FEED_LEN: usize = 20;
/// The sitemap protocol's limit of URLs per file.
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Text safe for XML 1.0: markup characters escaped, characters XML forbids dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom feed of the newest entries among `entries` (site indices, newest first) and `pages`
/// (indices into `Site::pages` of pages that opt in, dated by their `updated`), merged by date.
/// `self_path` is the feed's site path, `page_path` the HTML page it belongs to.
pub fn atom(site: &Site, title: &str, self_path: &str, page_path: &str, entries: &[usize], pages: &[usize]) -> String {
    let c = &site.config;
    let items = newest_items(site, entries, pages);
    // The newest change among the items shown (an `updated` article may be older than the first).
    let updated = items.iter().map(|item| item.article(site).modified()).max().unwrap_or_else(epoch);
    let mut x = String::with_capacity(4096 + items.len() * 4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    x.push_str(&xml_escape(&c.language));
    x.push_str("\">\n");
    let _ = writeln!(x, "  <title>{}</title>", xml_escape(title));
    if !c.description.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml_escape(&c.description));
    }
    let _ = writeln!(x, "  <id>{}</id>", xml_escape(&c.absolute(self_path)));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&c.absolute(self_path))
    );
    let _ =
        writeln!(x, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&c.absolute(page_path)));
    let _ = writeln!(x, "  <updated>{}</updated>", updated.to_rfc3339());
    let _ = writeln!(x, "  <author><name>{}</name></author>", xml_escape(&c.title));
    let _ = writeln!(x, "  <generator>sosik</generator>");
    for item in items {
        match item {
            Item::Entry(i) => entry(&mut x, site, &site.entries[i]),
            Item::Page(i) => {
                let p = &site.pages[i];
                item_head(&mut x, site, &p.article, &p.url);
                item_tail(&mut x, &p.article);
            }
        }
    }
    x.push_str("</feed>\n");
    x
}

/// One item of a feed: an article (index into `Site::entries`) or a page (into `Site::pages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Entry(usize),
    Page(usize),
}

impl Item {
    pub fn article(self, site: &Site) -> &crate::content::Article {
        match self {
            Item::Entry(i) => &site.entries[i].article,
            Item::Page(i) => &site.pages[i].article,
        }
    }
}

/// The [`FEED_LEN`] newest items of a feed: `entries` in their order, with `pages` put in by date
/// (a page after the articles of the same time, pages in path order).
pub fn newest_items(site: &Site, entries: &[usize], pages: &[usize]) -> Vec<Item> {
    let mut items: Vec<Item> = entries.iter().take(FEED_LEN).map(|&i| Item::Entry(i)).collect();
    if !pages.is_empty() {
        items.extend(pages.iter().map(|&i| Item::Page(i)));
        // Stable: entries keep their order (newest first already), and come before pages of their time.
        items.sort_by_key(|item| std::cmp::Reverse(item.article(site).date));
        items.truncate(FEED_LEN);
    }
    items
}

fn entry(x: &mut String, site: &Site, e: &Entry) {
    let a = &e.article;
    item_head(x, site, a, &e.url);
    for &ci in &e.companies {
        let _ = writeln!(
            x,
            "    <category term=\"{}\" label=\"{}\"/>",
            xml_escape(&site.companies[ci].key),
            xml_escape(&site.companies[ci].name)
        );
    }
    for &ti in &e.topics {
        let _ = writeln!(
            x,
            "    <category term=\"{}\" label=\"{}\"/>",
            xml_escape(&site.topics[ti].key),
            xml_escape(&site.topics[ti].name)
        );
    }
    item_tail(x, a);
}

/// An entry's opening, up to its author: title, id, link and dates.
fn item_head(x: &mut String, site: &Site, a: &crate::content::Article, url: &str) {
    let url = site.config.absolute(url);
    x.push_str("  <entry>\n");
    let _ = writeln!(x, "    <title>{}</title>", xml_escape(&a.title));
    let _ = writeln!(x, "    <id>{}</id>", xml_escape(&url));
    let _ = writeln!(x, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&url));
    let _ = writeln!(x, "    <published>{}</published>", a.date.to_rfc3339());
    let _ = writeln!(x, "    <updated>{}</updated>", a.modified().to_rfc3339());
    if let Some(author) = &a.author {
        let _ = writeln!(x, "    <author><name>{}</name></author>", xml_escape(author));
    }
}

/// An entry's summary and content, and its end.
fn item_tail(x: &mut String, a: &crate::content::Article) {
    if let Some(s) = a.summary.as_deref().or(Some(a.body.first_paragraph.as_str())).filter(|s| !s.is_empty()) {
        let _ = writeln!(x, "    <summary>{}</summary>", xml_escape(s));
    }
    let _ = writeln!(x, "    <content type=\"html\">{}</content>", xml_escape(&a.body.html));
    x.push_str("  </entry>\n");
}

fn epoch() -> DateTime<FixedOffset> {
    DateTime::from_timestamp(0, 0).unwrap().fixed_offset()
}

/// One URL of the sitemap: site path and last modification.
pub struct SitemapUrl {
    pub path: String,
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// Sitemap files: one `sitemap.xml`, or above 50,000 URLs a sitemap index `sitemap.xml` pointing at
/// `sitemap-1.xml`, `sitemap-2.xml`, … Returns (file name, content) pairs.
pub fn sitemaps(site: &Site, urls: &[SitemapUrl]) -> Vec<(String, String)> {
    let c = &site.config;
    let tz = c.timezone;
    let urlset = |chunk: &[SitemapUrl]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for u in chunk {
            let _ = write!(x, "  <url><loc>{}</loc>", xml_escape(&c.absolute(&u.path)));
            if let Some(d) = u.lastmod {
                let _ = write!(x, "<lastmod>{}</lastmod>", d.with_timezone(&tz).to_rfc3339());
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x
    };
    if urls.len() <= SITEMAP_MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in urls.chunks(SITEMAP_MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = write!(index, "  <sitemap><loc>{}</loc>", xml_escape(&c.absolute(&site.url(&name))));
        if let Some(d) = chunk.iter().filter_map(|u| u.lastmod).max() {
            let _ = write!(index, "<lastmod>{}</lastmod>", d.with_timezone(&tz).to_rfc3339());
        }
        index.push_str("</sitemap>\n");
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.absolute(&site.url("sitemap.xml")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_drops_forbidden_characters() {
        assert_eq!(xml_escape("a<b>&\"'\u{1}\u{b}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }
}
