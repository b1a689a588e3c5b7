//! `site.toml`: the raw file as written, validated into a [`Config`] with defaults and resolved values.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use chrono::FixedOffset;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{friendly_toml_message, Diagnostic, Error, Result};

/// site.toml as written. Unknown keys are errors, so a typo never silently does nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Site title, shown in the header and the feeds.
    title: String,
    /// One sentence about the site (meta description, feed subtitle).
    #[serde(default)]
    description: String,
    /// Absolute URL the site is published at; its path (e.g. `/news/`) prefixes every link.
    base_url: Spanned<String>,
    /// Language of the content (`lang` attribute), default "ko".
    #[serde(default = "default_language")]
    language: String,
    /// UTC offset of the newsroom, e.g. "+09:00": day boundaries and feed dates use it.
    #[serde(default = "default_timezone")]
    timezone: Spanned<String>,
    /// Folder name under `themes/`; "default" falls back to the built-in theme.
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    /// Articles per list page (home, company, tag, topic pages).
    #[serde(default = "default_per_page")]
    per_page: Spanned<i64>,
    /// Let raw HTML in Markdown through unescaped. Off by default: only for trusted authors.
    #[serde(default)]
    allow_html: bool,
    /// Minimum topic score (see `sosik check --explain`) for automatic topic classification.
    #[serde(default = "default_topic_threshold")]
    topic_threshold: f64,
    /// Tag articles with the registered companies their text mentions.
    #[serde(default)]
    auto_companies: bool,
    /// Reading speed for the reading-time estimate, in analysed Korean characters per minute.
    #[serde(default = "default_reading_speed")]
    reading_speed: Spanned<i64>,
    #[serde(default)]
    companies: BTreeMap<String, Spanned<RawCompany>>,
    #[serde(default)]
    topics: BTreeMap<String, Spanned<RawTopic>>,
    #[serde(default)]
    synonyms: RawSynonyms,
    /// Pages (`content/pages/<slug>.md`) linked from every page's footer, by slug, in this order.
    #[serde(default)]
    footer: Vec<Spanned<String>>,
    /// The picture shares show for pages without an `image` of their own: a file of static/.
    share_image: Option<Spanned<String>>,
}

/// `[synonyms]`: pairs to add to those mined from glosses, and mined pairs to drop.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonyms {
    #[serde(default)]
    add: Vec<Spanned<Vec<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompany {
    /// Korean display name.
    name: String,
    /// English name.
    #[serde(default)]
    en: String,
    /// Other spellings found in front matter or text.
    #[serde(default)]
    aliases: Vec<String>,
    /// One or two sentences about the company, shown on its page.
    description: Option<Spanned<String>>,
    /// The company's own website (http or https), linked from its page.
    url: Option<Spanned<String>>,
    /// Where it is based: an ISO 3166-1 alpha-2 code such as "CN", "US" or "KR".
    country: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    name: String,
    /// Words that count towards the topic, matched against analysed terms.
    terms: Vec<String>,
    /// This topic's own `topic_threshold`.
    #[serde(default)]
    threshold: Option<Spanned<f64>>,
}

fn default_language() -> String {
    "ko".into()
}
fn default_timezone() -> Spanned<String> {
    Spanned::new(0..0, "+09:00".into())
}
fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".into())
}
fn default_per_page() -> Spanned<i64> {
    Spanned::new(0..0, 20)
}
fn default_topic_threshold() -> f64 {
    // Weighted hits per 1000 terms; on the sample archive, articles about a topic score 25-230 and
    // passing mentions (a robot in a chip story) 5-20.
    25.0
}
fn default_reading_speed() -> Spanned<i64> {
    Spanned::new(0..0, 500)
}

/// A registered company. `key` is its URL slug.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Company {
    pub key: String,
    pub name: String,
    pub en: String,
    pub aliases: Vec<String>,
    /// Registry details shown on the company page ("" when not given); see `insights::profile`.
    pub description: String,
    pub url: String,
    pub country: String,
}

impl Company {
    /// Every spelling of the company: Korean name, English name, aliases.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(std::iter::once(self.en.as_str()))
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Topic {
    pub key: String,
    pub name: String,
    pub terms: Vec<String>,
    /// The score an article needs to join the topic: the topic's `threshold`, or `topic_threshold`.
    /// A topic whose stories name it with few words (an open model is mostly called a model)
    /// needs a lower one than a topic whose word is everywhere in its stories (로봇).
    pub threshold: f64,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Normalised, always ends with '/'.
    pub base_url: String,
    /// The path part of base_url, always starts and ends with '/'.
    pub base_path: String,
    pub language: String,
    pub timezone: FixedOffset,
    pub theme: String,
    /// Line and column of `theme` in site.toml (1:1 when it is not set).
    pub theme_position: (usize, usize),
    pub per_page: usize,
    pub allow_html: bool,
    pub topic_threshold: f64,
    pub auto_companies: bool,
    pub reading_speed: usize,
    /// Sorted by key.
    pub companies: Vec<Company>,
    /// In site.toml order.
    pub topics: Vec<Topic>,
    pub synonyms: SynonymRules,
    /// Slugs of the pages linked from the footer, with their line and column in site.toml.
    pub footer: Vec<(String, usize, usize)>,
    /// The default share picture (`share_image`): a site path such as "/images/share.jpg" (without
    /// the base path), with its line and column in site.toml. The build checks that static/ has it.
    pub share_image: Option<(String, usize, usize)>,
}

/// site.toml `[synonyms]`, each pair as two index terms (lowercased, NFC), the Korean side first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SynonymRules {
    pub add: Vec<(String, String)>,
    pub ignore: Vec<(String, String)>,
}

impl Config {
    /// The score an article needs to join topic `key` ([`Topic::threshold`]).
    pub fn topic_threshold_of(&self, key: &str) -> f64 {
        self.topics.iter().find(|t| t.key == key).map_or(self.topic_threshold, |t| t.threshold)
    }

    /// Registry index of each company key and each spelling folded ([`crate::model::fold`]): how
    /// a front-matter company is found in the registry. A key wins over another company's spelling.
    pub fn company_lookup(&self) -> std::collections::HashMap<String, usize> {
        let mut lookup = std::collections::HashMap::new();
        for (i, c) in self.companies.iter().enumerate() {
            lookup.insert(c.key.clone(), i);
        }
        for (i, c) in self.companies.iter().enumerate() {
            for s in c.spellings() {
                lookup.entry(crate::model::fold(s)).or_insert(i);
            }
        }
        lookup
    }

    /// Reads and validates `path` (normally `<root>/site.toml`).
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Validates the text of a site.toml; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let at = |span: Range<usize>, msg: String| Diagnostic::at_offset(path, text, span.start, msg);
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| Error::one(at(e.span().unwrap_or(0..0), friendly_toml_message(e.message()))))?;
        let mut errors = Vec::new();

        let (base_url, base_path) = match parse_base_url(raw.base_url.get_ref()) {
            Ok(v) => v,
            Err(msg) => {
                errors.push(at(raw.base_url.span(), msg));
                (String::new(), "/".into())
            }
        };
        let timezone = parse_offset(raw.timezone.get_ref()).unwrap_or_else(|| {
            errors.push(at(
                raw.timezone.span(),
                format!("invalid timezone `{}`: expected a UTC offset such as \"+09:00\"", raw.timezone.get_ref()),
            ));
            FixedOffset::east_opt(0).unwrap()
        });
        let per_page = positive(&raw.per_page, "per_page", &mut errors, &at);
        let reading_speed = positive(&raw.reading_speed, "reading_speed", &mut errors, &at);

        let theme_position = crate::error::line_col(text, raw.theme.span().start);
        let theme = raw.theme.into_inner();
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            errors.push(Diagnostic::new(
                path,
                theme_position.0,
                theme_position.1,
                format!("theme `{theme}` must be the name of a folder under themes/"),
            ));
        }

        let mut companies = Vec::new();
        // Each spelling (name, English name, alias; case-insensitive) belongs to one company only.
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        for (key, c) in raw.companies {
            let span = c.span();
            if !is_slug(&key) {
                errors.push(at(
                    span.clone(),
                    format!("company key `{key}` must be ASCII lowercase letters, digits and '-'"),
                ));
            }
            let c = c.into_inner();
            if c.name.trim().is_empty() {
                errors.push(at(span.clone(), format!("company `{key}` needs a `name`, its Korean display name")));
            }
            let mut field = |v: Option<Spanned<String>>, check: fn(&str) -> std::result::Result<String, String>| {
                v.map_or_else(String::new, |v| {
                    check(v.get_ref()).unwrap_or_else(|msg| {
                        errors.push(at(v.span(), format!("company `{key}`: {msg}")));
                        String::new()
                    })
                })
            };
            use crate::insights::profile;
            let (description, url) = (field(c.description, profile::description), field(c.url, profile::url));
            let country = field(c.country, profile::country);
            let company = Company { key, name: c.name, en: c.en, aliases: c.aliases, description, url, country };
            for spelling in company.spellings() {
                let folded = spelling.trim().to_lowercase();
                match owners.get(&folded) {
                    Some(owner) if owner != &company.key => errors.push(at(
                        span.clone(),
                        format!(
                            "`{spelling}` is a name of both companies `{owner}` and `{}`; keep it on one",
                            company.key
                        ),
                    )),
                    _ => {
                        owners.insert(folded, company.key.clone());
                    }
                }
            }
            companies.push(company);
        }
        // Topics keep the order site.toml gives them (the editor's order for the navigation), not the
        // order of their keys.
        let mut raw_topics: Vec<(String, Spanned<RawTopic>)> = raw.topics.into_iter().collect();
        raw_topics.sort_by_key(|(_, t)| t.span().start);
        let mut topics = Vec::new();
        for (key, t) in raw_topics {
            if !is_slug(&key) {
                errors.push(at(t.span(), format!("topic key `{key}` must be ASCII lowercase letters, digits and '-'")));
            }
            let t = t.into_inner();
            let threshold = match t.threshold {
                Some(v) if !(v.get_ref().is_finite() && *v.get_ref() > 0.0) => {
                    errors.push(at(
                        v.span(),
                        format!(
                            "topic threshold must be a positive number of weighted hits per 1000 terms (see \
                             `sosik check --explain`), like 25, not {}",
                            v.get_ref()
                        ),
                    ));
                    raw.topic_threshold
                }
                Some(v) => v.into_inner(),
                None => raw.topic_threshold,
            };
            topics.push(Topic { key, name: t.name, terms: t.terms, threshold });
        }
        let mut synonym_pairs = |list: Vec<Spanned<Vec<String>>>, what: &str| -> Vec<(String, String)> {
            let mut out = Vec::new();
            for pair in list {
                let span = pair.span();
                match synonym_pair(pair.into_inner()) {
                    Ok(p) => out.push(p),
                    Err(msg) => errors.push(at(span, format!("[synonyms] {what}: {msg}"))),
                }
            }
            out
        };
        let synonyms = SynonymRules {
            add: synonym_pairs(raw.synonyms.add, "add"),
            ignore: synonym_pairs(raw.synonyms.ignore, "ignore"),
        };
        let footer = raw
            .footer
            .iter()
            .map(|f| {
                let (line, col) = crate::error::line_col(text, f.span().start);
                (f.get_ref().trim().to_string(), line, col)
            })
            .collect();
        let share_image = raw.share_image.and_then(|v| {
            let (line, col) = crate::error::line_col(text, v.span().start);
            let value = v.get_ref().trim();
            let ok = value.starts_with('/')
                && !value.starts_with("//")
                && value.len() > 1
                && !value.ends_with('/')
                && crate::output::is_safe_relative(value.trim_start_matches('/'));
            if ok {
                Some((value.to_string(), line, col))
            } else {
                errors.push(at(
                    v.span(),
                    format!(
                        "`share_image` is `{value}`: expected a file of static/ written as a site path, like \
                         \"/images/share.jpg\" for static/images/share.jpg"
                    ),
                ));
                None
            }
        });
        if !errors.is_empty() {
            return Err(Error::Diagnostics(errors));
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            timezone,
            theme,
            theme_position,
            per_page,
            allow_html: raw.allow_html,
            topic_threshold: raw.topic_threshold,
            auto_companies: raw.auto_companies,
            reading_speed,
            companies,
            topics,
            synonyms,
            footer,
            share_image,
        })
    }

    /// Replaces base_url (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let (u, p) = parse_base_url(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
        self.base_url = u;
        self.base_path = p;
        Ok(())
    }

    /// The absolute URL of a site path such as "/2025/07/28/x/" (which already includes base_path).
    pub fn absolute(&self, site_path: &str) -> String {
        let origin = self.base_url.strip_suffix(self.base_path.as_str()).unwrap_or(&self.base_url);
        format!("{origin}{site_path}")
    }
}

fn positive<F>(v: &Spanned<i64>, name: &str, errors: &mut Vec<Diagnostic>, at: &F) -> usize
where
    F: Fn(Range<usize>, String) -> Diagnostic,
{
    if *v.get_ref() < 1 {
        errors.push(at(v.span(), format!("`{name}` must be a positive number, not {}", v.get_ref())));
        1
    } else {
        *v.get_ref() as usize
    }
}

/// A `[synonyms]` pair as two index terms, the one starting with Hangul first.
fn synonym_pair(pair: Vec<String>) -> std::result::Result<(String, String), String> {
    use unicode_normalization::UnicodeNormalization;
    let [a, b] = <[String; 2]>::try_from(pair)
        .map_err(|p| format!("a pair has two words, like [\"세계인공지능대회\", \"WAIC\"], not {}", p.len()))?;
    let term = |s: &str| -> std::result::Result<String, String> {
        let mut words = crate::text::words(s);
        match (words.next(), words.next()) {
            (Some(w), None) if w == s.trim() => Ok(crate::text::word_key(&w.nfc().collect::<String>())),
            _ => Err(format!("`{s}` is not one word (letters and digits, no spaces or brackets)")),
        }
    };
    let (a, b) = (term(&a)?, term(&b)?);
    if a == b {
        return Err(format!("`{a}` is paired with itself"));
    }
    let hangul = |s: &str| s.chars().next().is_some_and(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    Ok(if hangul(&b) && !hangul(&a) { (b, a) } else { (a, b) })
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !s.starts_with('-')
}

/// "https://example.org/news" -> ("https://example.org/news/", "/news/"). The `url` crate validates
/// the whole URL and normalises its origin (scheme and host lowercased, default port dropped, an
/// international host in its ASCII form). The path stays as written: serve compares it with decoded
/// request segments. The checks around the parser refuse what it would silently repair.
fn parse_base_url(raw: &str) -> std::result::Result<(String, String), String> {
    let bad = |why: &str| format!("invalid base_url `{raw}`: {why}");
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains whitespace"));
    }
    if raw.contains('\\') {
        return Err(bad("it must not contain a query, a fragment or a backslash"));
    }
    let url = match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => u,
        Ok(_) | Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(bad("it must start with https:// or http://"))
        }
        Err(e) => return Err(bad(&format!("the host is missing or not valid ({e})"))),
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not contain a query, a fragment or a backslash"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("the host is missing or not valid"));
    }
    // The parser resolves `.` and `..` (escaped ones too) instead of refusing them.
    let after_host = raw.splitn(4, '/').nth(3).unwrap_or("");
    let dot = |s: &str| matches!(s.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e");
    if after_host.split('/').any(dot) {
        return Err(bad("the path must not contain `.` or `..` segments"));
    }
    let path = format!("/{}", after_host.trim_end_matches('/'));
    let path = if path.ends_with('/') { path } else { format!("{path}/") };
    Ok((format!("{}{path}", &url[..url::Position::BeforePath]), path))
}

/// "+09:00", "-05:30", "Z", "UTC" -> a fixed offset.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = s[1..].split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: topics came in key order (chips before robots), not in the order site.toml gives.
    #[test]
    fn topics_keep_the_order_of_site_toml() {
        let c = Config::parse(
            "title='t'\nbase_url='https://e.org/'\n[topics.robots]\nname='로봇'\nterms=['로봇']\n\
             [topics.open-models]\nname='오픈소스 모델'\nterms=['오픈소스']\n[topics.chips]\nname='AI 칩'\nterms=['칩']\n",
            Path::new("site.toml"),
        )
        .unwrap();
        let keys: Vec<&str> = c.topics.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["robots", "open-models", "chips"]);
    }

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("site.toml"))
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"t\"\nbase_url = \"https://example.org/news\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/news/");
        assert_eq!(c.base_path, "/news/");
        assert_eq!(c.timezone.local_minus_utc(), 9 * 3600);
        assert_eq!(c.per_page, 20);
        assert_eq!(c.absolute("/news/a/"), "https://example.org/news/a/");
    }

    #[test]
    fn base_url_is_normalised() {
        let c = parse("title = \"t\"\nbase_url = \"HTTPS://Example.ORG:443/뉴스\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/뉴스/");
        assert_eq!(c.base_path, "/뉴스/");
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://e.org/\"\ntimezon = \"+09:00\"\n"),
            "site.toml:3:1: unknown key `timezon`; did you mean `timezone`?"
        );
    }

    #[test]
    fn bad_values_are_located() {
        assert_eq!(
            err("title = \"t\"\nbase_url = \"ftp://e.org/\"\n"),
            "site.toml:2:12: invalid base_url `ftp://e.org/`: it must start with https:// or http://"
        );
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://e.org:99999/\"\n"),
            "site.toml:2:12: invalid base_url `https://e.org:99999/`: the host is missing or not valid (invalid port number)"
        );
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://e.org/a/%2E%2e/\"\n"),
            "site.toml:2:12: invalid base_url `https://e.org/a/%2E%2e/`: the path must not contain `.` or `..` segments"
        );
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://me@e.org/\"\n"),
            "site.toml:2:12: invalid base_url `https://me@e.org/`: the host is missing or not valid"
        );
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://e.org/\"\ntimezone = \"Seoul\"\n"),
            "site.toml:3:12: invalid timezone `Seoul`: expected a UTC offset such as \"+09:00\""
        );
        assert_eq!(
            err("title = \"t\"\nbase_url = \"https://e.org/\"\nper_page = \"ten\"\n"),
            "site.toml:3:12: invalid type: string \"ten\", expected an integer"
        );
    }
}
