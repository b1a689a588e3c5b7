//! Snippets: the window of a document's text with the most query terms, matching words marked.
//! `search.js` has the same rule (`snippet`), which the browser renders with `<mark>`.
//!
//! A stored text is passages of the article joined by [`SEPARATOR`] (see [`super::store`]): a
//! window starts no earlier than the passage of its first match, and shows a separator inside it
//! as " … ", so text from two places never reads as one sentence.

use super::format::SEPARATOR;
use crate::text::word_key;

/// A piece of text and whether it is a matching word.
pub type Segment = (String, bool);

/// Characters of context kept before the first match of the window.
const LEAD: usize = 20;

/// Word spans of `chars` (start, end, lowercased word), by the rule of [`crate::text::words`].
fn spans(chars: &[char]) -> Vec<(usize, usize, String)> {
    let text: String = chars.iter().collect();
    let mut out = Vec::new();
    let mut byte_to_char = std::collections::HashMap::new();
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        byte_to_char.insert(bi, ci);
    }
    byte_to_char.insert(text.len(), chars.len());
    for w in crate::text::words(&text) {
        let start_byte = w.as_ptr() as usize - text.as_ptr() as usize;
        let (s, e) = (byte_to_char[&start_byte], byte_to_char[&(start_byte + w.len())]);
        out.push((s, e, word_key(w)));
    }
    out
}

/// Which of `terms` a word matches: equal to it, or containing it when the term has 2+ characters.
fn matches(word: &str, terms: &[String]) -> Vec<usize> {
    (0..terms.len())
        .filter(|&i| word == terms[i] || (terms[i].chars().count() >= 2 && word.contains(&terms[i])))
        .collect()
}

/// The whole of `text` in segments, matching words marked (for titles).
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    segments(&chars, &spans(&chars), terms, 0, chars.len())
}

/// About `max` characters of `text` around the window with the most distinct matching terms (then
/// the most matching words; the earliest on ties); the start of the text when nothing matches.
pub fn snippet(text: &str, terms: &[String], max: usize) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let spans = spans(&chars);
    let hits: Vec<Vec<usize>> = spans.iter().map(|s| matches(&s.2, terms)).collect();
    let mut best: Option<(usize, (usize, usize))> = None;
    for i in (0..spans.len()).filter(|&i| !hits[i].is_empty()) {
        let mut distinct: Vec<usize> = Vec::new();
        let mut count = 0;
        let mut j = i;
        while j < spans.len() && spans[j].1 - spans[i].0 <= max {
            if !hits[j].is_empty() {
                count += 1;
                for &t in &hits[j] {
                    if !distinct.contains(&t) {
                        distinct.push(t);
                    }
                }
            }
            j += 1;
        }
        let score = (distinct.len(), count);
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    let mut start = 0;
    if let Some((i, _)) = best {
        let passage = chars[..spans[i].0].iter().rposition(|&c| c == SEPARATOR).map_or(0, |p| p + 1);
        let want = spans[i].0.saturating_sub(LEAD).max(passage);
        start = spans.iter().find(|s| s.0 >= want).map_or(spans[i].0, |s| s.0).min(spans[i].0);
    }
    let mut end = (start + max).min(chars.len());
    if end < chars.len() {
        // End after the last whole word of the window.
        if let Some(s) = spans.iter().rev().find(|s| s.1 <= end && s.0 >= start) {
            end = s.1;
        }
    }
    let mut out = segments(&chars, &spans, terms, start, end);
    if start > 0 {
        out.insert(0, ("…".to_string(), false));
    }
    if end < chars.len() {
        out.push(("…".to_string(), false));
    }
    out
}

fn segments(
    chars: &[char],
    spans: &[(usize, usize, String)],
    terms: &[String],
    start: usize,
    end: usize,
) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut pos = start;
    for s in spans.iter().filter(|s| s.0 >= start && s.1 <= end && !matches(&s.2, terms).is_empty()) {
        if s.0 > pos {
            out.push((plain(&chars[pos..s.0]), false));
        }
        out.push((chars[s.0..s.1].iter().collect(), true));
        pos = s.1;
    }
    if pos < end {
        out.push((plain(&chars[pos..end]), false));
    }
    out
}

/// Text between matches, a separator shown as the elision it stands for.
fn plain(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    for &c in chars {
        if c == SEPARATOR {
            out.push_str(" … ");
        } else {
            out.push(c);
        }
    }
    out
}

/// The attribute that marks the element holding an article's text on its page (the default
/// theme's `<div class="content" data-search-text>`). A result whose stored text holds no query
/// term takes its snippet from there: the store keeps about 480 characters of an article, and a
/// term that occurs only deep in a long one is not among them.
pub const TEXT_ATTR: &str = "data-search-text";

/// The text of the `<div>` marked with [`TEXT_ATTR`] in a page (`None` without one): tags
/// dropped, character references decoded, runs of ASCII whitespace made one space. `search.js`
/// (`pageText`) has the same rule, so both readers cut the same snippet from it.
pub fn page_text(html: &str) -> Option<String> {
    let at = html.find(TEXT_ATTR)?;
    let start = at + html[at..].find('>')? + 1;
    let tag_at = |i: usize, name: &str| {
        html[i..].starts_with(name) && html[i + name.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
    };
    let mut depth = 1usize;
    let mut end = None;
    for (i, _) in html[start..].match_indices('<') {
        let i = start + i;
        if tag_at(i, "<div") {
            depth += 1;
        } else if tag_at(i, "</div") {
            depth -= 1;
            if depth == 0 {
                end = Some(i);
                break;
            }
        }
    }
    let inner = &html[start..end?];
    let mut text = String::with_capacity(inner.len());
    let mut in_tag = false;
    for c in inner.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => text.push(c),
            (true, _) => {}
        }
    }
    let text = decode_references(&text);
    let words: Vec<&str> = text.split([' ', '\t', '\n', '\r', '\x0c']).filter(|w| !w.is_empty()).collect();
    Some(words.join(" "))
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;` (these four also without the semicolon, as minifiers write
/// them), `&apos;`, `&nbsp;` and numeric references decoded; anything else kept as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = reference(rest);
        match decoded {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used.max(1)..];
    }
    out.push_str(rest);
    out
}

/// The character `s` (which starts with `&`) refers to, and the bytes the reference takes.
fn reference(s: &str) -> (Option<char>, usize) {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (num, 10, 2),
        };
        let len = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        if len == 0 || len > 8 || !digits[len..].starts_with(';') {
            return (None, 1);
        }
        let c = u32::from_str_radix(&digits[..len], radix).ok().and_then(char::from_u32).filter(|&c| c != '\0');
        return match c {
            Some(c) => (Some(c), skip + len + 1),
            None => (None, 1),
        };
    }
    for (name, c, bare) in [
        ("amp", '&', true),
        ("lt", '<', true),
        ("gt", '>', true),
        ("quot", '"', true),
        ("apos", '\'', false),
        ("nbsp", '\u{a0}', false),
    ] {
        if let Some(after) = body.strip_prefix(name) {
            if after.starts_with(';') {
                return (Some(c), 1 + name.len() + 1);
            }
            if bare {
                return (Some(c), 1 + name.len());
            }
        }
    }
    (None, 1)
}

/// Segments as the search page's HTML: text escaped as a browser serialises a text node (`&`,
/// `<`, `>` and the no-break space, so this equals the snippet element's `innerHTML`), matching
/// words in `<mark>`, and no other markup.
pub fn html(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (text, marked) in segments {
        if *marked {
            out.push_str("<mark>");
        }
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                c => out.push(c),
            }
        }
        if *marked {
            out.push_str("</mark>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(segs: &[Segment]) -> String {
        segs.iter().map(|(t, m)| if *m { format!("[{t}]") } else { t.clone() }).collect()
    }

    #[test]
    fn marks_whole_eojeols_that_contain_a_term() {
        let t = vec!["딥시크".to_string(), "gpu".to_string()];
        assert_eq!(show(&highlight("딥시크를 쓰는 GPU는 AI반도체", &t)), "[딥시크를] 쓰는 [GPU는] AI반도체");
    }

    #[test]
    fn window_moves_to_the_matches() {
        let text = format!("{}반도체 공급이 늘었다. {}", "가나다 ".repeat(40), "라마 ".repeat(40));
        let s = show(&snippet(&text, &["반도체".to_string(), "공급".to_string()], 40));
        assert!(s.starts_with('…') && s.contains("[반도체] [공급이]") && s.ends_with('…'), "{s}");
    }

    #[test]
    fn a_window_starts_at_the_passage_of_its_match_and_shows_separators_as_elisions() {
        let text = format!("첫 문단의 앞부분.{SEPARATOR}다른 곳: 허깅페이스에서 받았다.{SEPARATOR}또 다른 곳");
        let s = show(&snippet(&text, &["허깅페이스".to_string()], 30));
        assert_eq!(s, "…다른 곳: [허깅페이스에서] 받았다. … 또 다른 곳");
        let s = show(&snippet(&text, &["앞부분".to_string(), "다른".to_string()], 14));
        assert_eq!(s, "첫 문단의 [앞부분]. … [다른]…");
        assert_eq!(show(&snippet("앞\u{2029}뒤 말", &["앞".to_string()], 160)), "[앞] … 뒤 말");
    }

    #[test]
    fn html_escapes_text_and_marks_matches() {
        let segs = highlight("<b>딥시크</b> & \"R1\"\u{a0}공개", &["딥시크".to_string()]);
        assert_eq!(html(&segs), "&lt;b&gt;<mark>딥시크</mark>&lt;/b&gt; &amp; \"R1\"&nbsp;공개");
    }

    #[test]
    fn page_text_is_the_marked_div_as_plain_text() {
        // tests/js/unit.test.js checks pageText on the same page.
        let page = "<html><body><nav><div>메뉴</div></nav><article><div class=\"content\" data-search-text>\n\
            <h2 id=\"a\">■ 첫 소식</h2>\n<p><strong>딥시크</strong>는 &quot;R2&quot;를 &lt;공개&gt;했다 &amp; 끝&#33; &#x1F600;</p>\n\
            <div class=\"note\"><p>안쪽\t\t글 &amp 그리고&nbsp;끝 &bogus; &#0;</p></div>\n<p>마지막</p>\n</div>\n\
            <footer><div>꼬리</div></footer></article></body></html>";
        assert_eq!(
            page_text(page).as_deref(),
            Some("■ 첫 소식 딥시크는 \"R2\"를 <공개>했다 & 끝! \u{1F600} 안쪽 글 & 그리고\u{a0}끝 &bogus; &#0; 마지막")
        );
        assert_eq!(page_text("<div class=\"content\">no marker</div>"), None);
        assert_eq!(page_text("<div data-search-text>never closed"), None);
    }

    #[test]
    fn no_match_gives_the_start() {
        assert_eq!(show(&snippet("첫 문장입니다. 둘째", &["없음".to_string()], 8)), "첫 문장입니다…");
    }
}
