//! Issue 6 point 3: what search engines, feed readers and social sites read in a page's `<head>`:
//! the canonical link on every page, Open Graph and Twitter tags and the JSON-LD `NewsArticle` of
//! every article (with a title that tries to break out of the script element), and the Atom feed
//! links of the home, company and topic pages. Fixture: tests/fixtures/publish/site, under /news/.

use crate::harness;

use harness::{attr_values, fixture, percent_decode, Built};
use serde_json::Value;
use sosik::build::BuildOptions;
use sosik::publish::PublishOptions;

const HOSTILE_TITLE: &str = "</script><script>alert(1)</script> 딥시크 <!-- 주석 & \"따옴표\"";
const BASE_URL: &str = "https://example.org/news/";

fn build(minify: bool) -> Built {
    let f = fixture("publish/site");
    let opts = BuildOptions { publish: PublishOptions { minify, precompress: false }, ..f.opts() };
    f.build_with(opts)
}

/// The text of the page's one `<script type="application/ld+json">` element, where an HTML parser
/// ends it: at the first `</script`, whatever the JSON says.
fn json_ld(html: &str) -> String {
    let opens: Vec<_> = html
        .match_indices("<script type=\"application/ld+json\">")
        .chain(html.match_indices("<script type=application/ld+json>"))
        .collect();
    assert_eq!(opens.len(), 1, "one JSON-LD script:\n{html}");
    let (at, open) = opens[0];
    let body = &html[at + open.len()..];
    let end = body.to_ascii_lowercase().find("</script").expect("the script element ends");
    body[..end].to_string()
}

/// `content` of `<meta property|name="key">`, in page order.
fn meta(html: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html.split("<meta ").skip(1) {
        let tag = format!("<meta {}>", &tag[..tag.find('>').unwrap()]);
        let named = attr_values(&tag, "property").iter().chain(&attr_values(&tag, "name")).any(|v| v == key);
        if named {
            out.extend(attr_values(&tag, "content"));
        }
    }
    out
}

fn canonical(html: &str) -> Vec<String> {
    html.split("<link rel=\"canonical\" href=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

#[test]
fn hostile_title_stays_inside_the_json_ld_string() {
    let b = build(false);
    let html = b.page("2025/07/28/hostile/");
    assert!(!html.contains("<script>alert(1)"), "the title's markup reached the page as markup");
    assert_eq!(html.matches("<script").count(), 2, "only the JSON-LD script element and the copy-link script");
    assert_eq!(html.matches("share.js?v=").count(), 1);
    let text = json_ld(&html);
    for bad in ["<", ">", "&", "\u{2028}"] {
        assert!(!text.contains(bad), "raw {bad:?} in JSON-LD: {text}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON-LD does not parse ({e}): {text}"));
    assert_eq!(doc["headline"], HOSTILE_TITLE, "the escapes read back as the title");
    assert_eq!(doc["description"], "요약 </script><!-- & \"따옴표\" 'ㅇ'");
    assert_eq!(doc["keywords"], serde_json::json!(["<b>태그</b>", "R1"]));
    assert_eq!(doc["isBasedOn"], "https://example.com/r1?a=1&b=2");
    // Attributes are escaped by the template, not by JSON.
    assert_eq!(meta(&html, "og:title"), [HOSTILE_TITLE]);
    assert_eq!(meta(&html, "twitter:title"), [HOSTILE_TITLE]);
}

#[test]
fn article_carries_canonical_open_graph_twitter_and_news_article() {
    let b = build(false);
    let html = b.page("2025/07/28/hostile/");
    let url = "https://example.org/news/2025/07/28/hostile/";
    assert_eq!(canonical(&html), [url]);
    let expect = [
        ("og:type", "article"),
        ("og:url", url),
        ("og:site_name", "발행 소식"),
        ("og:locale", "ko_KR"),
        ("og:description", "요약 </script><!-- & \"따옴표\" 'ㅇ'"),
        // 2025-07-27T20:00:00Z in front matter is 05:00 the next morning in Seoul.
        ("article:published_time", "2025-07-28T05:00:00+09:00"),
        ("twitter:card", "summary"),
        ("twitter:description", "요약 </script><!-- & \"따옴표\" 'ㅇ'"),
    ];
    for (key, value) in expect {
        assert_eq!(meta(&html, key), [value], "{key}");
    }
    assert_eq!(meta(&html, "article:tag"), ["<b>태그</b>", "R1"]);

    let doc: Value = serde_json::from_str(&json_ld(&html)).unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    assert_eq!(doc["@type"], "NewsArticle");
    assert_eq!(doc["datePublished"], "2025-07-28T05:00:00+09:00");
    assert_eq!(doc["dateModified"], "2025-07-28T05:00:00+09:00");
    assert_eq!(doc["inLanguage"], "ko");
    assert_eq!(doc["url"], url);
    assert_eq!(doc["mainEntityOfPage"], serde_json::json!({ "@type": "WebPage", "@id": url }));
    let org = serde_json::json!({ "@type": "Organization", "name": "발행 소식", "url": BASE_URL });
    assert_eq!(doc["publisher"], org);
    assert_eq!(
        doc["about"],
        serde_json::json!([
            { "@type": "Organization", "name": "딥시크", "alternateName": "DeepSeek", "url": "https://example.org/news/companies/deepseek/" },
            { "@type": "Organization", "name": "유니트리", "alternateName": "Unitree Robotics", "url": "https://example.org/news/companies/unitree/" },
        ])
    );

    // A bare date is midnight in the site timezone; topics are the article's section.
    let r1 = b.page("2025/07/28/unitree-r1/");
    let doc: Value = serde_json::from_str(&json_ld(&r1)).unwrap();
    assert_eq!(doc["datePublished"], "2025-07-28T00:00:00+09:00");
    assert_eq!(doc["articleSection"], serde_json::json!(["로봇"]));
    assert_eq!(meta(&r1, "article:section"), ["로봇"]);
}

#[test]
fn every_page_has_one_absolute_canonical_link_to_itself() {
    let b = build(false);
    let mut pages = 0;
    for rel in b.files().into_iter().filter(|r| r.ends_with(".html")) {
        let html = b.file(&rel);
        if rel == "404.html" {
            assert!(canonical(&html).is_empty(), "the 404 page is served at any address: no canonical");
            assert_eq!(meta(&html, "robots"), ["noindex"]);
            continue;
        }
        pages += 1;
        let want = format!("{BASE_URL}{}", rel.trim_end_matches("index.html"));
        let got = canonical(&html);
        assert_eq!(got.iter().map(|u| percent_decode(u)).collect::<Vec<_>>(), std::slice::from_ref(&want), "{rel}");
        assert_eq!(meta(&html, "og:url"), got, "{rel}: og:url is the canonical URL");
        assert_eq!(meta(&html, "og:site_name"), ["발행 소식"], "{rel}");
        assert_eq!(meta(&html, "twitter:card"), ["summary"], "{rel}");
        let og_type = if rel.matches('/').count() == 4 && rel.starts_with("2025/") { "article" } else { "website" };
        assert_eq!(meta(&html, "og:type"), [og_type], "{rel}");
    }
    assert!(pages >= 18, "only {pages} pages");
    // Later pages of a list are their own canonical page (not page 1: they list other articles).
    assert_eq!(canonical(&b.page("page/2/")), ["https://example.org/news/page/2/"]);
}

#[test]
fn home_company_and_topic_pages_link_their_atom_feeds() {
    let b = build(false);
    let feeds = |html: &str| -> Vec<String> {
        html.split("<link rel=\"alternate\" type=\"application/atom+xml\"")
            .skip(1)
            .flat_map(|s| attr_values(&format!("<link {}>", &s[..s.find('>').unwrap()]), "href"))
            .collect()
    };
    assert_eq!(feeds(&b.page("")), ["/news/feed.xml"]);
    assert_eq!(feeds(&b.page("page/2/")), ["/news/feed.xml"]);
    assert_eq!(feeds(&b.page("companies/deepseek/")), ["/news/feed.xml", "/news/companies/deepseek/feed.xml"]);
    assert_eq!(feeds(&b.page("topics/robots/")), ["/news/feed.xml", "/news/topics/robots/feed.xml"]);
    for feed in ["feed.xml", "companies/deepseek/feed.xml", "topics/robots/feed.xml"] {
        assert!(b.file(feed).starts_with("<?xml"), "{feed} is written");
    }
}

#[test]
fn minified_pages_keep_the_metadata() {
    let plain = build(false);
    let min = build(true);
    for page in ["2025/07/28/hostile/", "2025/07/28/unitree-r1/"] {
        let (p, m) = (plain.page(page), min.page(page));
        assert!(m.len() < p.len(), "{page} is minified");
        let parse = |html: &str| serde_json::from_str::<Value>(&json_ld(html)).unwrap();
        assert_eq!(parse(&m), parse(&p), "{page}: the same JSON-LD");
        // minify-html writes `<` as is where the HTML parser reads it as text: in the title (RCDATA)
        // and in quoted attribute values. Every `<script>alert(1)` must be in one of those.
        let total = m.matches("<script>alert(1)").count();
        let as_text = [
            "<title></script><script>alert(1)",
            "content='</script><script>alert(1)",
            "content=\"</script><script>alert(1)",
        ]
        .iter()
        .map(|ctx| m.matches(ctx).count())
        .sum::<usize>();
        assert_eq!(total, as_text, "{page}: the title's markup reached the page as markup:\n{m}");
        if page.contains("hostile") {
            let title = &m[m.find("<title>").unwrap() + 7..m.find("</title").unwrap()];
            assert_eq!(title, format!("{HOSTILE_TITLE} — 발행 소식"), "the whole title is one text");
        }
        // minify-html unquotes and sorts attributes: <link href=https://… rel=canonical>.
        assert!(m.contains(&format!("<link href={BASE_URL}{page} rel=canonical>")), "canonical kept: {m}");
    }
}
