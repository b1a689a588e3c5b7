//! The site model: articles sorted, grouped by day/month/year, company, topic and tag, with permalinks.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::config::Config;
use crate::content::Article;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::Section;

/// What the analysis stage adds to an article (empty when analysis is not run).
#[derive(Debug, Clone, Default)]
pub struct Enrichment {
    /// Topic keys found by classification (front-matter topics are added on top).
    pub topics: Vec<String>,
    /// Registry keys of companies to tag automatically (`auto_companies`).
    pub companies: Vec<String>,
    /// Registry keys of every company the text names (tagged or not), for `sosik check`.
    pub mentioned: Vec<String>,
    /// Related articles, as indices into the input article list, best first.
    pub related: Vec<usize>,
    /// Korean/Latin characters of the analysed text, for the reading time.
    pub reading_chars: usize,
    /// Index terms of the title and the body.
    pub terms: ArticleTerms,
}

/// Analysed index terms of one article, in text order with repeats (term frequency counts), as
/// ids into [`Site::vocab`].
#[derive(Debug, Clone, Default)]
pub struct ArticleTerms {
    pub title: Vec<u32>,
    pub body: Vec<u32>,
    /// Terms of the tags and front-matter companies ([`crate::enrich::meta_text`]).
    pub meta: Vec<u32>,
    /// The sections of the body (`Rendered::sections`) as positions in `body`.
    pub sections: Vec<Section<u32>>,
}

#[derive(Debug)]
pub struct Entry {
    pub article: Article,
    /// Site path, base path included, e.g. "/news/2025/07/28/slug/".
    pub url: String,
    /// Output folder relative to the output root, e.g. "2025/07/28/slug".
    pub dir: String,
    pub companies: Vec<usize>,
    pub topics: Vec<usize>,
    pub tags: Vec<usize>,
    /// Indices into `Site::entries`.
    pub related: Vec<usize>,
    pub reading_minutes: usize,
    pub terms: ArticleTerms,
    /// Registry keys of companies the text names but the article is not tagged with.
    pub untagged: Vec<String>,
}

#[derive(Debug)]
pub struct Group {
    pub key: String,
    pub name: String,
    /// English name for companies.
    pub en: String,
    pub url: String,
    pub dir: String,
    /// Whether the company is in the registry (unknown ones still get a page).
    pub registered: bool,
    /// Indices into `Site::entries`, newest first.
    pub entries: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first.
    pub entries: Vec<Entry>,
    /// Ascending by day; entries newest first within a day.
    pub days: BTreeMap<NaiveDate, Vec<usize>>,
    pub companies: Vec<Group>,
    pub topics: Vec<Group>,
    pub tags: Vec<Group>,
    /// Every distinct word of the archive (lowercased, see [`crate::text`]) -> its index terms.
    pub eojeols: BTreeMap<String, Vec<String>>,
    /// Term id -> term, for [`ArticleTerms`].
    pub vocab: Vec<String>,
    /// Synonym pairs (glosses), for the search index.
    pub synonyms: Vec<crate::synonyms::Pair>,
    /// Pages without a date (`content/pages/`), by path.
    pub pages: Vec<PageEntry>,
    /// The footer's page links (site.toml `footer`): title and URL.
    pub footer: Vec<(String, String)>,
}

/// A page without a date, served at `/<slug>/`.
#[derive(Debug)]
pub struct PageEntry {
    pub article: Article,
    /// Site path, base path included: "/news/about/".
    pub url: String,
    /// Output folder: "about".
    pub dir: String,
}

impl Site {
    /// Pages that opt in to the site's feed (`feed = true`), by index into `pages`.
    pub fn feed_pages(&self) -> Vec<usize> {
        (0..self.pages.len()).filter(|&i| self.pages[i].article.feed).collect()
    }

    /// Pages that opt in to the search index (`search = true`), by index into `pages`.
    pub fn search_pages(&self) -> Vec<usize> {
        (0..self.pages.len()).filter(|&i| self.pages[i].article.search).collect()
    }

    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.config.base_path, rel)
    }
    /// (year, month) -> entries, ascending.
    pub fn months(&self) -> BTreeMap<(i32, u32), Vec<usize>> {
        let mut m: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
        for (day, e) in &self.days {
            m.entry((day.year(), day.month())).or_default().extend(e);
        }
        m
    }
    pub fn years(&self) -> BTreeMap<i32, Vec<usize>> {
        let mut m: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (day, e) in &self.days {
            m.entry(day.year()).or_default().extend(e);
        }
        m
    }
}

/// Builds the model. `enrich[i]` belongs to `articles[i]`. Warnings (unknown companies) are returned.
pub fn assemble(
    config: Config,
    articles: Vec<Article>,
    enrich: Vec<Enrichment>,
    eojeols: BTreeMap<String, Vec<String>>,
    vocab: Vec<String>,
) -> Result<(Site, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| articles[a].order(&articles[b]));
    let mut position = vec![0; articles.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }

    let mut companies: Vec<Group> =
        config.companies.iter().map(|c| group(&config, "companies", &c.key, &c.name, &c.en, true)).collect();
    let company_lookup = config.company_lookup();
    let mut unknown_lookup: HashMap<String, usize> = HashMap::new();
    let topic_index: HashMap<&str, usize> =
        config.topics.iter().enumerate().map(|(i, t)| (t.key.as_str(), i)).collect();
    let mut topics: Vec<Group> =
        config.topics.iter().map(|t| group(&config, "topics", &t.key, &t.name, "", true)).collect();
    let mut tags: Vec<Group> = Vec::new();
    let mut tag_lookup: HashMap<String, usize> = HashMap::new();
    let mut seen_urls: HashMap<String, std::path::PathBuf> = HashMap::new();
    let mut errors = Vec::new();

    let mut slots: Vec<Option<Entry>> = (0..articles.len()).map(|_| None).collect();
    let mut enrich = enrich;
    enrich.resize_with(articles.len(), Enrichment::default);
    for (i, (article, extra)) in articles.into_iter().zip(enrich).enumerate() {
        let day = article.day();
        let dir = format!("{:04}/{:02}/{:02}/{}", day.year(), day.month(), day.day(), article.slug);
        if let Some(first) = seen_urls.get(&dir) {
            errors.push(Diagnostic::new(
                &article.path,
                1,
                1,
                format!(
                    "this article has the same URL /{dir}/ as {}; give one of them another `slug`",
                    first.display()
                ),
            ));
            continue;
        }
        seen_urls.insert(dir.clone(), article.path.clone());
        for (what, n) in [("tags", article.tags.len()), ("companies", article.companies.len())] {
            if n > MANY_NAMES {
                warnings.push(Diagnostic::new(
                    &article.path,
                    1,
                    1,
                    format!(
                        "{n} {what}: each gets a page listing this article, and lists show only the first {}; \
                         more than {MANY_NAMES} is likely a mistake",
                        crate::render::CARD_LINKS
                    ),
                ));
            }
        }

        let mut company_ids = Vec::new();
        for c in &article.companies {
            let folded = fold(&c.value);
            let id = match company_lookup.get(&folded) {
                Some(&id) => id,
                None => {
                    // Two spellings with one slug ("OpenAI!" and a registered `openai`) share a page.
                    let slug = slugify(&c.value);
                    let id = *unknown_lookup.entry(folded).or_insert_with(|| {
                        companies.iter().position(|g| g.key == slug).unwrap_or_else(|| {
                            companies.push(group(&config, "companies", &slug, &c.value, "", false));
                            companies.len() - 1
                        })
                    });
                    warnings.push(Diagnostic::new(
                        &article.path,
                        c.line,
                        c.col,
                        if companies[id].registered {
                            // Its slug is a registered key: say whose page it lands on.
                            format!(
                                "unknown company `{}`: not in site.toml [companies]; its slug puts it on the page {}{}/ of `{}` (add it to that company's `aliases` if it is the same)",
                                c.value, config.base_path, companies[id].dir, companies[id].name
                            )
                        } else {
                            format!(
                                "unknown company `{}`: not in site.toml [companies]; it gets the page {}{}/",
                                c.value, config.base_path, companies[id].dir
                            )
                        },
                    ));
                    id
                }
            };
            push_unique(&mut company_ids, id);
        }
        for key in &extra.companies {
            if let Some(&id) = company_lookup.get(key.as_str()) {
                push_unique(&mut company_ids, id);
            }
        }
        let mut topic_ids = Vec::new();
        for key in article.topics.iter().chain(&extra.topics) {
            if let Some(&id) = topic_index.get(key.as_str()) {
                push_unique(&mut topic_ids, id);
            }
        }
        topic_ids.sort_unstable();
        let mut tag_ids = Vec::new();
        for t in &article.tags {
            let slug = slugify(t);
            let id = *tag_lookup.entry(slug.clone()).or_insert_with(|| {
                tags.push(group(&config, "tags", &slug, t, "", true));
                tags.len() - 1
            });
            push_unique(&mut tag_ids, id);
        }
        let untagged = extra
            .mentioned
            .iter()
            .filter(|k| !company_ids.iter().any(|&id| &companies[id].key == *k))
            .cloned()
            .collect();
        let reading_chars =
            if extra.reading_chars > 0 { extra.reading_chars } else { count_reading_chars(&article.body.text) };
        let entry = Entry {
            url: format!("{}{}/", config.base_path, encode_path(&dir)),
            dir,
            companies: company_ids,
            topics: topic_ids,
            tags: tag_ids,
            related: extra.related.iter().map(|&r| position[r]).collect(),
            reading_minutes: reading_chars.div_ceil(config.reading_speed).max(1),
            terms: extra.terms,
            untagged,
            article,
        };
        slots[i] = Some(entry);
    }
    if !errors.is_empty() {
        return Err(Error::Diagnostics(errors));
    }
    let mut by_pos: Vec<Option<Entry>> = (0..slots.len()).map(|_| None).collect();
    for (i, e) in slots.into_iter().enumerate() {
        by_pos[position[i]] = e;
    }
    let entries: Vec<Entry> = by_pos.into_iter().map(|e| e.expect("every article has an entry")).collect();

    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (pos, e) in entries.iter().enumerate() {
        days.entry(e.article.day()).or_default().push(pos);
        for &c in &e.companies {
            companies[c].entries.push(pos);
        }
        for &t in &e.topics {
            topics[t].entries.push(pos);
        }
        for &t in &e.tags {
            tags[t].entries.push(pos);
        }
    }
    // Tags are listed by name; group indices must stay valid, so remap.
    let mut tag_order: Vec<usize> = (0..tags.len()).collect();
    tag_order.sort_by(|&a, &b| tags[a].key.cmp(&tags[b].key));
    let mut tag_new = vec![0; tags.len()];
    for (new, &old) in tag_order.iter().enumerate() {
        tag_new[old] = new;
    }
    let mut old_tags: Vec<Option<Group>> = tags.into_iter().map(Some).collect();
    let tags: Vec<Group> = tag_order.iter().map(|&o| old_tags[o].take().unwrap()).collect();
    let mut entries = entries;
    for e in &mut entries {
        for t in &mut e.tags {
            *t = tag_new[*t];
        }
    }
    let synonyms = Vec::new();
    let (pages, footer) = (Vec::new(), Vec::new());
    Ok((Site { config, entries, days, companies, topics, tags, eojeols, vocab, synonyms, pages, footer }, warnings))
}

impl Site {
    /// Puts the pages (`content/pages/`, see [`Article::page`]) in place and resolves the footer.
    /// Two pages of one slug are an error; a footer slug without a page is left out of the footer
    /// with a warning (a site.toml copied from another site still builds).
    pub fn set_pages(&mut self, mut pages: Vec<Article>) -> Result<Vec<Diagnostic>> {
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let mut errors = Vec::new();
        let mut seen: HashMap<String, std::path::PathBuf> = HashMap::new();
        let mut out = Vec::with_capacity(pages.len());
        for article in pages {
            if let Some(first) = seen.get(&article.slug) {
                errors.push(Diagnostic::new(
                    &article.path,
                    1,
                    1,
                    format!(
                        "this page has the same URL /{}/ as {}; expected another `slug` for one of them",
                        article.slug,
                        first.display()
                    ),
                ));
                continue;
            }
            seen.insert(article.slug.clone(), article.path.clone());
            let dir = article.slug.clone();
            out.push(PageEntry { url: format!("{}{}/", self.config.base_path, encode_path(&dir)), dir, article });
        }
        let mut footer = Vec::new();
        let mut warnings = Vec::new();
        for (slug, line, col) in &self.config.footer {
            match out.iter().find(|p| &p.article.slug == slug) {
                Some(p) => footer.push((p.article.title.clone(), p.url.clone())),
                None => {
                    let known: Vec<&str> = out.iter().map(|p| p.article.slug.as_str()).collect();
                    warnings.push(Diagnostic::new(
                        "site.toml",
                        *line,
                        *col,
                        format!(
                            "footer page `{slug}` not found, so the footer leaves it out: expected the slug of a \
                             published page under content/pages/ ({})",
                            if known.is_empty() { "there are none".to_string() } else { known.join(", ") }
                        ),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Diagnostics(errors));
        }
        self.pages = out;
        self.footer = footer;
        Ok(warnings)
    }
}

fn group(config: &Config, section: &str, key: &str, name: &str, en: &str, registered: bool) -> Group {
    let dir = format!("{section}/{key}");
    Group {
        key: key.to_string(),
        name: name.to_string(),
        en: en.to_string(),
        url: format!("{}{}/", config.base_path, encode_path(&dir)),
        dir,
        registered,
        entries: Vec::new(),
    }
}

fn push_unique(v: &mut Vec<usize>, x: usize) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Case- and space-insensitive form used to match company spellings.
pub fn fold(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Characters a reader reads: letters and digits (Hangul syllables, Latin, Hanja).
pub fn count_reading_chars(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// More tags or companies than this on one article earn a warning (issue 9: 4,000 tags made 862 MB).
pub const MANY_NAMES: usize = 50;

/// The longest slug, in bytes. A slug is a folder name, and file systems stop at 255 bytes (86 Hangul
/// syllables); this leaves room for temporary names and keeps URLs readable.
pub const MAX_SLUG_BYTES: usize = 120;

/// One safe URL path segment from any name: letters (Hangul kept) and digits lowercased, the rest
/// collapsed to '-'. Never empty, never `.`/`..`, never contains a separator, never longer than
/// [`MAX_SLUG_BYTES`]: a longer one keeps its start and ends in a hash of the whole name, so two long
/// names that share a start stay apart, and `check` and `build` agree.
pub fn slugify(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-');
    if s.is_empty() {
        // A name of punctuation only: derive a stable ASCII slug from its bytes.
        let hex: String = name.bytes().take(8).map(|b| format!("{b:02x}")).collect();
        format!("x{hex}")
    } else {
        shorten_slug(s)
    }
}

/// `slug` itself if it fits [`MAX_SLUG_BYTES`], else its start cut at a character boundary, `-` and
/// the first 12 hex digits of its hash.
pub fn shorten_slug(slug: &str) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug.to_string();
    }
    let mut cut = MAX_SLUG_BYTES - 13;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", slug[..cut].trim_end_matches('-'), &crate::content_hash(slug.as_bytes())[..12])
}

impl Site {
    /// The absolute URL of the site's share picture (site.toml `share_image`), for pages and
    /// articles without a picture of their own.
    pub fn share_image_url(&self) -> Option<String> {
        let c = &self.config;
        c.share_image.as_ref().map(|(src, _, _)| c.absolute(&self.url(&encode_path(src.trim_start_matches('/')))))
    }
}

/// Bytes a site path keeps as they are: unreserved ASCII and '/'; everything else is escaped.
const PATH_KEEP: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// Percent-encodes a site path for use in href/feeds/sitemap; '/' and unreserved ASCII stay.
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_hangul_and_removes_separators() {
        assert_eq!(slugify("휴머노이드 로봇"), "휴머노이드-로봇");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("a\\b"), "a-b");
        assert_eq!(slugify(".."), "x2e2e");
        assert_eq!(slugify("WAIC 2025"), "waic-2025");
    }

    /// Regression (issue 9, defect 6): a tag of 86 Hangul syllables passed `check`, and `build` failed
    /// with "File name too long" naming its temporary folder.
    #[test]
    fn long_slugs_are_shortened_with_a_hash() {
        let long = "가".repeat(86);
        let a = slugify(&long);
        assert!(a.len() <= MAX_SLUG_BYTES && a.starts_with("가가가"), "{a}");
        assert_eq!(a, slugify(&long), "deterministic");
        let b = slugify(&format!("{long}나"));
        assert_ne!(a, b, "names that share a start stay apart");
        assert!(b.len() <= MAX_SLUG_BYTES);
        assert_eq!(slugify(&"a".repeat(MAX_SLUG_BYTES)), "a".repeat(MAX_SLUG_BYTES));
        assert!(slugify(&"a".repeat(300)).len() <= MAX_SLUG_BYTES);
    }

    #[test]
    fn encode_path_percent_encodes_hangul() {
        assert_eq!(encode_path("tags/로봇"), "tags/%EB%A1%9C%EB%B4%87");
    }
}
