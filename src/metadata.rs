//! What search engines and social sites read in an article's `<head>`: the JSON-LD `NewsArticle`.
//! (Canonical links, Open Graph and Twitter tags are plain template text; see base.html.)

use serde_json::{json, Value};

use crate::model::{Entry, Site};

/// The schema.org `NewsArticle` of an article as JSON that is safe inside `<script>`: see
/// [`script_json`]. Dates are RFC 3339 in the site timezone (e.g. `+09:00`).
pub fn news_article(site: &Site, e: &Entry, summary: &str) -> String {
    let c = &site.config;
    let a = &e.article;
    let url = c.absolute(&e.url);
    let date = a.date.with_timezone(&c.timezone).to_rfc3339();
    let organization = json!({ "@type": "Organization", "name": c.title, "url": c.base_url });
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "datePublished": date,
        // `updated` when the front matter gives one, else the article is as it was published.
        "dateModified": a.modified().with_timezone(&c.timezone).to_rfc3339(),
        "inLanguage": c.language,
        "publisher": organization,
        "author": match &a.author {
            Some(name) => json!({ "@type": "Person", "name": name }),
            None => organization.clone(),
        },
    });
    let obj = doc.as_object_mut().expect("an object");
    if !summary.is_empty() {
        obj.insert("description".into(), summary.into());
    }
    // The article's own picture, or the site's share picture that og:image also falls back to.
    let image = crate::render::details(site, a).image.map(|i| i.url).or_else(|| site.share_image_url());
    if let Some(url) = image {
        obj.insert("image".into(), json!([url]));
    }
    let about: Vec<Value> = e
        .companies
        .iter()
        .map(|&i| {
            let g = &site.companies[i];
            let mut org = json!({ "@type": "Organization", "name": g.name, "url": c.absolute(&g.url) });
            if !g.en.is_empty() && g.en != g.name {
                org["alternateName"] = g.en.clone().into();
            }
            org
        })
        .collect();
    if !about.is_empty() {
        obj.insert("about".into(), about.into());
    }
    if !e.tags.is_empty() {
        obj.insert("keywords".into(), e.tags.iter().map(|&i| site.tags[i].name.clone()).collect::<Vec<_>>().into());
    }
    if !e.topics.is_empty() {
        obj.insert(
            "articleSection".into(),
            e.topics.iter().map(|&i| site.topics[i].name.clone()).collect::<Vec<_>>().into(),
        );
    }
    if let Some(source) = a.source_url.as_deref().filter(|s| !s.is_empty()) {
        obj.insert("isBasedOn".into(), source.into());
    }
    script_json(&doc)
}

/// JSON for a `<script>` element: `<`, `>` and `&` (and the JavaScript line separators U+2028,
/// U+2029) written as `\uXXXX` escapes, so no string in it can close the element (`</script>`) or
/// open a comment (`<!--`). They can only occur inside JSON strings, where the escapes mean the same.
pub fn script_json(value: &Value) -> String {
    let raw = serde_json::to_string(value).expect("JSON values serialise");
    let mut out = String::with_capacity(raw.len() + 16);
    for ch in raw.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = json!({ "headline": "</script><script>alert(1)</script> <!-- & \u{2028}" });
        let s = script_json(&v);
        assert_eq!(
            s,
            r#"{"headline":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u003c!-- \u0026 \u2028"}"#
        );
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v, "the escapes read back as the same text");
    }
}
