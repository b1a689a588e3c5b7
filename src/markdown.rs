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
    /// The headings in order (level, id, text), for a table of contents.
    pub headings: Vec<Heading>,
    /// The stories of a multi-story body (a brief), in order: the lead, each heading (■/▲/● item
    /// lines among them) and each item of a list of stories (see [`STORY_ITEM_CHARS`]), with the
    /// text after that list. A body without ■/▲/● items or a list of stories is one story, one
    /// section, whatever its headings: they divide one story, and a subsection that mentions
    /// another topic is a passing mention. Topics are scored per section too.
    pub sections: Vec<Section>,
}

/// A heading of the body: `<h{level} id="{id}">{text}</h{level}>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Its text, without a brief's item mark (■, ▲, …).
    pub text: String,
}

/// A section of a text, as byte offsets into it (or, in [`crate::model::ArticleTerms`], term
/// positions): where it starts, and where the text after its heading starts (the same offset for
/// a section without a heading).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Section<T = usize> {
    pub start: T,
    pub body: T,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions<'a> {
    /// Let raw HTML through unescaped (site.toml `allow_html`).
    pub allow_html: bool,
    /// Prefix for links written as site-absolute paths ("/2025/…"), e.g. "/news/".
    pub base_path: &'a str,
}

/// A top-level list whose items all end a sentence and have at least this many characters on
/// average (about one sentence of Korean news) is a brief's list of stories: each item starts a
/// section, and so does the text after the list. Items that are facts or summaries
/// (`- 투자 규모: 2조 원`, `- **키미 K2** (문샷): 1조 파라미터 MoE`) belong to the story around them.
pub const STORY_ITEM_CHARS: usize = 40;

/// The marks that lead a story item of a brief (see [`as_pasted`]), hollow forms included.
const ITEM_MARKS: [char; 8] = ['■', '▲', '●', '□', '△', '○', '◆', '◇'];

pub fn render(markdown: &str, opts: MarkdownOptions<'_>) -> Rendered {
    let markdown = &*as_pasted(markdown);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Rendered { sections: vec![Section::default()], ..Rendered::default() };
    let mut stories = false; // whether the body has ■/▲/● items or a list of stories
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(usize, String)> = None; // index of its Start event, text so far
    let mut in_first_paragraph = None::<bool>;
    let mut lists = 0usize; // depth of list nesting
    let mut items: Vec<usize> = Vec::new(); // where the items of the current top-level list start

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
                    let level = match &events[start] {
                        Event::Start(Tag::Heading { level, .. }) => *level as u8,
                        _ => 2,
                    };
                    let shown = text.trim_start_matches(ITEM_MARKS).trim().to_string();
                    out.headings.push(Heading { level, id: id.clone(), text: shown });
                    out.heading_ids.push(id);
                    stories |= text.starts_with(ITEM_MARKS);
                    let start = out.text.len();
                    push_block(&mut out.text, &text);
                    start_section(&mut out.sections, Section { start, body: out.text.len() });
                }
            }
            Event::Start(Tag::List(_)) => {
                if lists == 0 {
                    items.clear();
                }
                lists += 1;
            }
            Event::Start(Tag::Item) if lists == 1 => items.push(out.text.len()),
            Event::End(TagEnd::List(_)) => {
                lists -= 1;
                if lists == 0 {
                    stories |= story_sections(&mut out.sections, &items, &out.text);
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
    let end = out.text.len();
    if !stories {
        out.sections = vec![Section::default()];
    } else if out.sections.len() > 1 && out.sections.last() == Some(&Section { start: end, body: end }) {
        out.sections.pop();
    }
    out
}

/// Adds the sections of a top-level list that just ended (its items start at `items`, it ends
/// where `text` ends now) if it is a list of stories, and says whether it is.
fn story_sections(sections: &mut Vec<Section>, items: &[usize], text: &str) -> bool {
    let Some(&first) = items.first() else { return false };
    let ends = items.iter().skip(1).copied().chain([text.len()]);
    let sentences = items.iter().zip(ends).all(|(&start, end)| ends_sentence(&text[start..end]));
    if !sentences || text[first..].chars().count() < STORY_ITEM_CHARS * items.len() {
        return false;
    }
    for &at in items.iter().chain([&text.len()]) {
        start_section(sections, Section { start: at, body: at });
    }
    true
}

/// Starts a section. One that would leave the previous one empty (nothing since its start)
/// replaces it; one that starts before the previous one ends (an item holding a heading) is
/// part of it.
fn start_section(sections: &mut Vec<Section>, section: Section) {
    match sections.last_mut() {
        Some(last) if last.start == section.start && last.body == last.start => *last = section,
        Some(last) if section.start < last.body.max(last.start + 1) => {}
        _ => sections.push(section),
    }
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
/// Korean news as it is pasted from an editor or a wire service: one paragraph a line, with no
/// blank line between, and story items led by ■, ▲ or ●. CommonMark would join such lines into one
/// paragraph. A run of lines is read as pasted when every line but the last ends a sentence (., ?, !,
/// a closing quote or …) or is an item line; a hard-wrapped paragraph, whose lines end mid-sentence,
/// stays as CommonMark reads it. Item lines become `###` headings, so they get ids, links and a place
/// in a table of contents. Lines inside code fences, and lines that are already Markdown blocks
/// (headings, lists, quotes, tables, indented code), are left alone.
pub fn as_pasted(markdown: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut changed = false;
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if is_fence(line) {
            fence = Some(&t[..3]);
            out.push_str(line);
            i += 1;
            continue;
        }
        if !is_prose(line) {
            out.push_str(line);
            i += 1;
            continue;
        }
        // A run of prose lines: one CommonMark paragraph (a fence line is not prose).
        let end = (i..lines.len()).find(|&j| !is_prose(lines[j])).unwrap_or(lines.len());
        let run = &lines[i..end];
        let pasted = run.len() >= 2 && run[..run.len() - 1].iter().all(|l| ends_sentence(l) || is_item(l))
            || run.iter().any(|l| is_item(l));
        if !pasted {
            run.iter().for_each(|l| out.push_str(l));
        } else {
            changed = true;
            for l in run {
                let body = l.trim_end_matches(['\n', '\r']);
                if is_item(l) {
                    out.push_str("\n### ");
                    out.push_str(body.trim());
                } else {
                    out.push_str(body);
                }
                out.push_str("\n\n");
            }
        }
        i = end;
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(markdown)
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("```") || t.starts_with("~~~")
}

/// A line of paragraph text: not blank, not indented code, not the start of another Markdown block.
fn is_prose(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || line.starts_with("    ") || line.starts_with('\t') {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    let list = matches!(first, '-' | '*' | '+') && t[1..].starts_with(' ');
    let ordered = t.split_once(['.', ')']).is_some_and(|(n, rest)| {
        !n.is_empty()
            && n.len() <= 9
            && n.bytes().all(|b| b.is_ascii_digit())
            && (rest.is_empty() || rest.starts_with(' '))
    });
    let rule = t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '));
    !(list || ordered || rule || matches!(first, '#' | '>' | '|' | '<' | '=' | '`' | '~'))
}

/// A story item of a brief: a line led by ■, ▲ or ● (also their hollow forms).
fn is_item(line: &str) -> bool {
    line.trim_start().starts_with(ITEM_MARKS)
}

fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(['.', '?', '!', '。', '…', '"', '\'', '”', '’', ')', '」', '』'])
}

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

    /// Issue 10, point 8: a brief pasted with one paragraph a line kept none of its paragraphs.
    #[test]
    fn pasted_briefs_keep_their_paragraphs_and_items_become_headings() {
        let md = "오늘의 AI 소식입니다.\n중국 업체들이 새 모델을 냈다.\n■ 화웨이, 칩 시스템 공개\n화웨이가 새 시스템을 공개했다.\n\
                  성능은 GB200 NVL72와 견준다고 밝혔다.\n▲ 삼성전자 파운드리\n삼성은 AI6 칩을 만든다.\n";
        let r = render(md, MarkdownOptions::default());
        assert_eq!(
            r.html,
            "<p>오늘의 AI 소식입니다.</p>\n<p>중국 업체들이 새 모델을 냈다.</p>\n\
             <h3 id=\"화웨이-칩-시스템-공개\">■ 화웨이, 칩 시스템 공개</h3>\n<p>화웨이가 새 시스템을 공개했다.</p>\n\
             <p>성능은 GB200 NVL72와 견준다고 밝혔다.</p>\n<h3 id=\"삼성전자-파운드리\">▲ 삼성전자 파운드리</h3>\n\
             <p>삼성은 AI6 칩을 만든다.</p>\n"
        );
        assert_eq!(r.heading_ids, ["화웨이-칩-시스템-공개", "삼성전자-파운드리"]);
        assert_eq!(r.first_paragraph, "오늘의 AI 소식입니다.");
        let starts: Vec<&str> = r.sections.iter().map(|s| r.text[s.start..].lines().next().unwrap()).collect();
        assert_eq!(starts, ["오늘의 AI 소식입니다.", "■ 화웨이, 칩 시스템 공개", "▲ 삼성전자 파운드리"]);
        let bodies: Vec<&str> = r.sections.iter().map(|s| r.text[s.body..].lines().next().unwrap()).collect();
        assert_eq!(bodies, ["오늘의 AI 소식입니다.", "화웨이가 새 시스템을 공개했다.", "삼성은 AI6 칩을 만든다."]);
    }

    #[test]
    fn a_body_without_items_is_one_section_whatever_its_headings() {
        let r = render("## 처음부터 제목\n\n본문.\n\n## 둘째\n\n끝.\n", MarkdownOptions::default());
        assert_eq!(r.sections, [Section { start: 0, body: 0 }]);
        assert_eq!(render("", MarkdownOptions::default()).sections, [Section::default()]);
    }

    #[test]
    fn headings_of_a_brief_are_sections_too() {
        let r = render("## 오늘의 소식\n\n리드.\n\n■ 첫 소식\n\n본문.\n\n## 해설\n\n끝.\n", MarkdownOptions::default());
        assert_eq!(r.text, "오늘의 소식\n리드.\n■ 첫 소식\n본문.\n해설\n끝.\n");
        let s = |start, body| Section { start, body };
        assert_eq!(r.sections, [s(0, 17), s(25, 40), s(48, 55)]);
    }

    #[test]
    fn items_of_a_list_of_stories_are_sections_and_facts_are_not() {
        let md = "오늘의 소식.\n\n- 텐센트가 오픈소스 모델 '훈위안 T1'을 공개했다. 허깅페이스에서 받을 수 있다.\n\
                  - 유니트리가 휴머노이드 로봇 R1을 내놨다. 가격은 5,900달러부터다.\n  - 안쪽 목록은 따로 나누지 않는다.\n\n\
                  맺음말.\n\n- 투자 규모: 2조 원\n- 발표 장소: 서울\n";
        let r = render(md, MarkdownOptions::default());
        let starts: Vec<&str> =
            r.sections.iter().map(|s| r.text[s.start..].split([' ', '\n']).next().unwrap()).collect();
        assert_eq!(starts, ["오늘의", "텐센트가", "유니트리가", "맺음말."]);
        // A list of stories that ends the text adds no empty section.
        assert_eq!(render(&md[..md.find("맺음말").unwrap()], MarkdownOptions::default()).sections.len(), 3);
        // Long items that are not sentences summarise the story around them.
        let summary = "7월은 중국 모델의 달이었다.\n\n## 주요 공개 모델\n\n\
                       - **키미 K2** (문샷): 약 1조 파라미터 MoE, 에이전트·코딩 특화 모델로 공개\n\
                       - **큐원3-코더** (알리바바): 생각 모드와 일반 모드를 분리, 4800억 파라미터 코딩 모델\n";
        assert_eq!(render(summary, MarkdownOptions::default()).sections, [Section::default()]);
    }

    /// Markdown written the usual way is read as CommonMark reads it.
    #[test]
    fn usual_markdown_is_not_taken_for_a_paste() {
        for md in [
            "첫 문단\n이어짐.\n\n## 제목\n\n둘째 **굵게**.\n",
            "한 문단을 여러 줄로\n나누어 쓴 글은 한 문단\n그대로다.\n",
            "- 목록 하나.\n- 목록 둘.\n",
            "1. 첫째.\n2. 둘째.\n",
            "> 인용 한 줄.\n> 인용 둘째 줄.\n",
            "```\n■ 코드 안\n문장.\n다음.\n```\n",
            "| a | b |\n|---|---|\n| 1. | 2. |\n",
        ] {
            assert!(matches!(as_pasted(md), std::borrow::Cow::Borrowed(_)), "{md:?}");
        }
    }

    #[test]
    fn text_and_first_paragraph() {
        let r = render("첫 문단\n이어짐.\n\n## 제목\n\n둘째 **굵게**.\n", MarkdownOptions::default());
        assert_eq!(r.first_paragraph, "첫 문단 이어짐.");
        assert_eq!(r.text, "첫 문단 이어짐.\n제목\n둘째 굵게.\n");
    }
}
