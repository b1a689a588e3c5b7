//! Markdown safety through a whole build: raw HTML is shown as text, script-capable URLs are
//! neutralised everywhere a URL can be written, front-matter text is escaped, heading ids keep
//! Hangul and are unique (fixtures markdown/safety, markdown/heading_ids, markdown/allow_html).

use crate::harness;

use harness::{attr_values, fixture};

/// The rendered Markdown of an article page.
fn content(html: &str) -> &str {
    let open = "<div class=\"content\" data-search-text>\n";
    let start = html.find(open).expect("content block") + open.len();
    let end = start + html[start..].find("\n  </div>").unwrap();
    &html[start..end]
}

#[test]
fn raw_html_is_escaped_and_dangerous_urls_are_neutralised() {
    let b = fixture("markdown/safety").build();
    let html = b.page("2025/07/28/unsafe/");
    assert_eq!(
        content(&html),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>\n\
         <p>문단 안의 &lt;img src=x onerror=alert(1)&gt; 태그와 &lt;a href=\"javascript:alert(1)\"&gt;링크&lt;/a&gt;.</p>\n\
         <p>&lt;iframe src=\"https://evil.example/\"&gt;&lt;/iframe&gt;\n</p>\n\
         <ul>\n\
         <li><a href=\"#\">자바스크립트</a></li>\n\
         <li><a href=\"#\">대소문자</a></li>\n\
         <li><a href=\"#\">탭이 낀 주소</a></li>\n\
         <li><a href=\"#\">앞 공백</a></li>\n\
         <li><a href=\"#\">VB</a></li>\n\
         <li><a href=\"#\">파일</a></li>\n\
         <li><a href=\"#\">데이터</a></li>\n\
         <li><a href=\"#\">참조 링크</a></li>\n\
         <li><a href=\"#\">javascript:alert(1)</a></li>\n\
         <li><a href=\"https://example.com/a?b=1&amp;c=2\">정상 링크</a></li>\n\
         <li><a href=\"/2025/07/28/unsafe/\">사이트 경로</a></li>\n\
         </ul>\n\
         <p><img src=\"#\" alt=\"SVG\" /> <img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"PNG\" /> <img src=\"#\" alt=\"JS 그림\" /></p>\n"
    );
}

#[test]
fn no_page_or_feed_carries_a_live_script_anywhere() {
    let b = fixture("markdown/safety").build();
    for rel in b.files() {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = b.file(&rel);
        assert!(!text.contains("<script>alert"), "{rel}: live <script>");
        assert!(!text.contains("<img src=x"), "{rel}: live <img>");
        assert!(!text.contains("<iframe"), "{rel}: live <iframe>");
        for url in attr_values(&text, "href").into_iter().chain(attr_values(&text, "src")) {
            let lower = url.to_ascii_lowercase().replace(['\t', '\n', ' '], "");
            for scheme in ["javascript:", "vbscript:", "file:", "data:text"] {
                assert!(!lower.starts_with(scheme), "{rel}: {url}");
            }
        }
    }
}

#[test]
fn front_matter_text_is_escaped_in_pages_and_feeds() {
    let b = fixture("markdown/safety").build();
    let html = b.page("2025/07/28/unsafe/");
    assert!(
        html.contains(
            "<title>&lt;script&gt;alert(&#39;제목&#39;)&lt;/script&gt; 위험한 제목 &amp; 기호 — 마크다운 안전</title>"
        ),
        "{html}"
    );
    assert!(html.contains("<h1>&lt;script&gt;alert(&#39;제목&#39;)&lt;/script&gt; 위험한 제목 &amp; 기호</h1>"));
    assert!(html.contains(r#"<meta name="description" content="요약에 &lt;img src=x onerror=alert(1)&gt;">"#));
    assert!(html.contains(
        r#"<a class="chip" href="/tags/b-%EA%B5%B5%EC%9D%80-b-%ED%83%9C%EA%B7%B8/">#&lt;b&gt;굵은&lt;/b&gt; 태그</a>"#
    ));
    let feed = b.file("feed.xml");
    assert!(
        feed.contains("<title>&lt;script&gt;alert(&apos;제목&apos;)&lt;/script&gt; 위험한 제목 &amp; 기호</title>"),
        "{feed}"
    );
    assert!(feed.contains("<summary>요약에 &lt;img src=x onerror=alert(1)&gt;</summary>"));
}

#[test]
fn heading_ids_keep_hangul_and_are_unique() {
    let b = fixture("markdown/heading_ids").build();
    assert_eq!(
        content(&b.page("2025/07/28/headings/")),
        "<h2 id=\"딥시크의-새-모델\">딥시크의 새 모델</h2>\n\
         <h2 id=\"딥시크의-새-모델-1\">딥시크의 새 모델</h2>\n\
         <h2 id=\"딥시크의-새-모델-2\">딥시크의 새 모델!</h2>\n\
         <h3 id=\"gpt-5-그리고-o3\">GPT-5, 그리고 o3</h3>\n\
         <h2 id=\"section\">!!</h2>\n\
         <h2 id=\"섹션\">섹션</h2>\n\
         <h2 id=\"section-1\">section</h2>\n"
    );
}

#[test]
fn allow_html_lets_trusted_markup_through_but_still_filters_markdown_links() {
    let b = fixture("markdown/allow_html").build();
    assert_eq!(
        content(&b.page("2025/07/28/trusted/")),
        "<figure><img src=\"/chart.png\" alt=\"도표\"><figcaption>도표 설명</figcaption></figure>\n\
         <p>문단 안의 <kbd>Ctrl</kbd> 키와 <a href=\"#\">자바스크립트</a>.</p>\n"
    );
}
