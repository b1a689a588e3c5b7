//! Markdown to HTML with small event passes: raw-HTML policy, URL-scheme filter, base-path links,
//! heading ids that keep Hangul. Also yields the plain text used for analysis and summaries.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// What rendering one Markdown body gives.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Plain text, one block per line: the input of Korean analysis and search snippets.
    pub text: String,
    /// Text of the first paragraph (the default summary).
    pub first_paragraph: String,
    /// Heading ids in order, for link checking.
    pub heading_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions<'a> {
    /// Let raw HTML through unescaped (site.toml `allow_html`).
    pub allow_html: bool,
    /// Prefix for links written as site-absolute paths ("/2025/…"), e.g. "/news/".
    pub base_path: &'a str,
}

pub fn render(markdown: &str, opts: MarkdownOptions<'_>) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(usize, String)> = None; // index of its Start event, text so far
    let mut in_first_paragraph = None::<bool>;

    for event in Parser::new_ext(markdown, options) {
        let event = match event {
            Event::Html(s) | Event::InlineHtml(s) if !opts.allow_html => Event::Text(s),
            // An escaped HTML block reads as a paragraph of text, not as loose text between blocks.
            Event::Start(Tag::HtmlBlock) if !opts.allow_html => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) if !opts.allow_html => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url, false, opts.base_path), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url, true, opts.base_path), title, id })
            }
            e => e,
        };
        match &event {
            Event::Start(Tag::Heading { .. }) => heading = Some((events.len(), String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, text)) = heading.take() {
                    let id = unique_id(&slugify_heading(&text), &mut ids);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    out.heading_ids.push(id);
                    push_block(&mut out.text, &text);
                }
            }
            Event::Start(Tag::Paragraph) if in_first_paragraph.is_none() => in_first_paragraph = Some(true),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock) => {
                if in_first_paragraph == Some(true) {
                    in_first_paragraph = Some(false);
                }
                out.text.push('\n');
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(t);
                } else {
                    out.text.push_str(t);
                    if in_first_paragraph == Some(true) {
                        out.first_paragraph.push_str(t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push(' ');
                if in_first_paragraph == Some(true) {
                    out.first_paragraph.push(' ');
                }
            }
            _ => {}
        }
        events.push(event);
    }
    out.html.reserve(markdown.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    out.first_paragraph = out.first_paragraph.trim().to_string();
    out
}

fn push_block(text: &mut String, block: &str) {
    text.push_str(block);
    text.push('\n');
}

/// Neutralises script-capable URLs; prefixes site-absolute paths with the base path.
fn safe_url<'a>(url: CowStr<'a>, image: bool, base_path: &str) -> CowStr<'a> {
    if !is_safe_url(&url, image) {
        return CowStr::from("#");
    }
    if url.starts_with('/') && !url.starts_with("//") && base_path != "/" && !url.starts_with(base_path) {
        return CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), url));
    }
    url
}

/// False for javascript:, vbscript:, file: and data: URLs (images may use data: PNG/GIF/JPEG/WebP).
pub fn is_safe_url(url: &str, image: bool) -> bool {
    // Browsers ignore leading spaces/controls and tabs/newlines anywhere in a scheme.
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some((scheme, rest)) = cleaned.split_once(':') else { return true };
    if scheme.contains(['/', '?', '#']) {
        return true; // the colon is in a path or query, not a scheme
    }
    match scheme {
        "javascript" | "vbscript" | "file" => false,
        "data" => {
            image
                && ["image/png", "image/gif", "image/jpeg", "image/webp"]
                    .iter()
                    .any(|m| rest.starts_with(m) && matches!(rest.as_bytes().get(m.len()), Some(b';' | b',')))
        }
        _ => true,
    }
}

/// A heading's id: lowercase, letters (Hangul included) and digits kept, spaces to '-'.
pub fn slugify_heading(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "section".into()
    } else {
        id
    }
}

/// Heading ids given so far, and per base the next suffix to try.
#[derive(Default)]
struct HeadingIds {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
    /// Candidates tried, to test that the work stays linear.
    probes: usize,
}

/// `base`, else `base-1`, `base-2` … whichever is free. Each base resumes where its last id stopped, so
/// n equal headings cost O(n), not O(n²) (30,000 `# same` took 39 s); a suffix taken by a heading
/// written that way (`# a-1`) is skipped once.
fn unique_id(base: &str, ids: &mut HeadingIds) -> String {
    let n = ids.next.entry(base.to_string()).or_insert(0);
    loop {
        let id = if *n == 0 { base.to_string() } else { format!("{base}-{n}") };
        *n += 1;
        ids.probes += 1;
        if ids.taken.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, MarkdownOptions { allow_html: false, base_path: "/" }).html
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        assert_eq!(html("<script>alert(1)</script>\n"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>\n");
        assert_eq!(html("a <b onclick=x>b</b>"), "<p>a &lt;b onclick=x&gt;b&lt;/b&gt;</p>\n");
        let allowed = render("a <b>b</b>", MarkdownOptions { allow_html: true, base_path: "/" });
        assert_eq!(allowed.html, "<p>a <b>b</b></p>\n");
    }

    #[test]
    fn dangerous_urls_are_neutralised() {
        assert_eq!(html("[x](javascript:alert(1))"), "<p><a href=\"#\">x</a></p>\n");
        assert_eq!(html("[x](<  JaVa\tScript:alert(1)>)"), "<p><a href=\"#\">x</a></p>\n");
        assert_eq!(html("[x](vbscript:x)"), "<p><a href=\"#\">x</a></p>\n");
        assert_eq!(html("[x](file:///etc/passwd)"), "<p><a href=\"#\">x</a></p>\n");
        assert_eq!(html("[x](data:text/html,hi)"), "<p><a href=\"#\">x</a></p>\n");
        assert_eq!(html("![x](data:image/svg+xml,hi)"), "<p><img src=\"#\" alt=\"x\" /></p>\n");
        assert_eq!(
            html("![x](data:image/png;base64,AAAA)"),
            "<p><img src=\"data:image/png;base64,AAAA\" alt=\"x\" /></p>\n"
        );
        assert_eq!(html("[x](https://e.org/a:b)"), "<p><a href=\"https://e.org/a:b\">x</a></p>\n");
    }

    #[test]
    fn site_paths_get_the_base_path() {
        let r = render("[x](/2025/07/)", MarkdownOptions { allow_html: false, base_path: "/news/" });
        assert_eq!(r.html, "<p><a href=\"/news/2025/07/\">x</a></p>\n");
    }

    #[test]
    fn heading_ids_keep_hangul_and_are_unique() {
        let r = render("## 딥시크의 새 모델\n\n## 딥시크의 새 모델\n\n## !!\n", MarkdownOptions::default());
        assert_eq!(r.heading_ids, ["딥시크의-새-모델", "딥시크의-새-모델-1", "section"]);
        assert!(r.html.contains("<h2 id=\"딥시크의-새-모델-1\">"));
    }

    #[test]
    fn heading_ids_skip_suffixes_written_by_hand() {
        let r = render("# a\n\n# a-1\n\n# a\n\n# a-1\n\n# a\n", MarkdownOptions::default());
        assert_eq!(r.heading_ids, ["a", "a-1", "a-2", "a-1-1", "a-3"]);
    }

    /// Regression (issue 9, defect 3): 30,000 equal headings took 39 s, `# a` / `# a-1` alternating
    /// over a minute, because each id probed every suffix from 1 again.
    #[test]
    fn duplicate_heading_ids_are_linear() {
        for pattern in [&["same"][..], &["a", "a-1"][..]] {
            let mut ids = HeadingIds::default();
            let n = 20_000;
            let got: HashSet<String> = (0..n).map(|i| unique_id(pattern[i % pattern.len()], &mut ids)).collect();
            assert_eq!(got.len(), n);
            assert!(ids.probes <= 2 * n, "{pattern:?}: {} probes for {n} headings", ids.probes);
        }
    }

    #[test]
    fn text_and_first_paragraph() {
        let r = render("첫 문단\n이어짐.\n\n## 제목\n\n둘째 **굵게**.\n", MarkdownOptions::default());
        assert_eq!(r.first_paragraph, "첫 문단 이어짐.");
        assert_eq!(r.text, "첫 문단 이어짐.\n제목\n둘째 굵게.\n");
    }
}
