//! Every page kind of DESIGN.md §2 exists and shows the right content (fixture: pages/basic).
//!
//! The fixture has five articles over four days, two months and two years, per_page = 2:
//! 2025-08-01 robot-roundup, 2025-07-30 nvidia-h20, 2025-07-28 15:00 deepseek-r2,
//! 2025-07-28 unitree-r1, 2024-12-31 year-end.

use crate::harness;

use harness::{fixture, link_text, links, main_text, Built};

fn built() -> Built {
    fixture("pages/basic").build()
}

fn main_links(html: &str) -> Vec<(String, String)> {
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap();
    links(&html[start..end])
}

#[test]
fn build_writes_every_page_kind_and_nothing_else() {
    let b = built();
    let files: Vec<String> = b.files().into_iter().filter(|f| !f.ends_with(".css") && !f.ends_with(".js")).collect();
    let html_and_feeds: Vec<&str> =
        files.iter().map(String::as_str).filter(|f| !f.starts_with("search/") || *f == "search/index.html").collect();
    assert_eq!(
        html_and_feeds,
        [
            ".sosik-output",
            "2024/12/31/index.html",
            "2024/12/31/year-end/index.html",
            "2024/12/index.html",
            "2024/index.html",
            "2025/07/28/deepseek-r2/index.html",
            "2025/07/28/index.html",
            "2025/07/28/unitree-r1/index.html",
            "2025/07/30/index.html",
            "2025/07/30/nvidia-h20/index.html",
            "2025/07/index.html",
            "2025/08/01/index.html",
            "2025/08/01/robot-roundup/index.html",
            "2025/08/index.html",
            "2025/index.html",
            "404.html",
            "archive/index.html",
            "companies/deepseek/feed.xml",
            "companies/deepseek/index.html",
            "companies/index.html",
            "companies/nvidia/feed.xml",
            "companies/nvidia/index.html",
            "companies/nvidia/page/2/index.html",
            "companies/unitree/feed.xml",
            "companies/unitree/index.html",
            "favicon.svg",
            "feed.xml",
            "index.html",
            "page/2/index.html",
            "page/3/index.html",
            "robots.txt",
            "search/index.html",
            "sitemap.xml",
            "tags/index.html",
            "tags/waic/index.html",
            "tags/결산/index.html",
            "tags/수출/index.html",
            "tags/추론/index.html",
            "tags/휴머노이드/index.html",
            "topics/chips/feed.xml",
            "topics/chips/index.html",
            "topics/robots/feed.xml",
            "topics/robots/index.html",
            "trends/2025-W01/index.html",
            "trends/2025-W31/index.html",
            "trends/index.html",
        ]
    );
    assert!(b.exists("style.css"), "the theme's style sheet is copied");
    assert_eq!(b.report.articles, 5);
    assert!(b.report.warnings.is_empty(), "{:?}", b.report.warnings);
}

#[test]
fn home_lists_newest_first_and_paginates() {
    let b = built();
    let titles = |dir: &str| -> Vec<String> {
        main_links(&b.page(dir))
            .into_iter()
            .filter(|(h, _)| h.matches('/').count() == 5 && h.starts_with("/20"))
            .map(|(_, t)| t)
            .collect()
    };
    assert_eq!(titles(""), ["8월 첫날 로봇 소식 모음", "엔비디아 H20 수출 재개"]);
    assert_eq!(titles("page/2/"), ["딥시크, 추론 모델 소식", "유니트리, 휴머노이드 R1 공개"]);
    assert_eq!(titles("page/3/"), ["연말 결산: 올해의 AI 칩"]);

    let home = b.page("");
    assert_eq!(link_text(&home, "/page/2/").as_deref(), Some("2"));
    assert!(home.contains(r#"<a rel="next" href="/page/2/">"#), "{home}");
    assert!(!home.contains(r#"rel="prev""#));
    let last = b.page("page/3/");
    assert!(last.contains(r#"<a rel="prev" href="/page/2/">"#));
    assert!(!last.contains(r#"rel="next""#));
    assert!(main_links(&last).contains(&("/".into(), "1".into())), "page 1 is the root, not /page/1/");
    assert!(!b.exists("page/1/index.html"));
}

#[test]
fn article_page_shows_date_source_companies_topics_tags_reading_time_and_neighbours() {
    let b = built();
    let html = b.page("2025/07/28/unitree-r1/");
    assert!(html.contains("<title>유니트리, 휴머노이드 R1 공개 — 테스트 소식</title>"));
    assert!(html.contains(r#"<html lang="ko">"#));
    let text = main_text(&html);
    assert!(
        text.starts_with(
            "유니트리, 휴머노이드 R1 공개 입력 2025년 7월 28일 (월) · 읽는 데 1분 · 출처: 소식 편집부 기업: 유니트리 링크 복사 "
        ),
        "{text}"
    );
    assert!(text.contains("유니트리가 상하이 WAIC에서 새 휴머노이드 R1을 공개했다. 가격 값은 770만원대다."), "{text}");
    assert!(html.contains(r#"<time datetime="2025-07-28T00:00:00+09:00">2025년 7월 28일 (월)</time>"#));
    assert!(html.contains(r#"<h2 id="가격">가격</h2>"#));
    assert_eq!(
        main_links(&html),
        [
            ("/2025/07/28/".to_string(), "2025년 7월 28일 (월)".to_string()),
            ("https://example.com/unitree-r1".into(), "소식 편집부".into()),
            ("/companies/unitree/".into(), "유니트리".into()),
            ("https://example.org/2025/07/28/unitree-r1/".into(), "링크 복사".into()),
            ("/topics/robots/".into(), "로봇".into()),
            ("/tags/waic/".into(), "#WAIC".into()),
            ("/tags/%ED%9C%B4%EB%A8%B8%EB%85%B8%EC%9D%B4%EB%93%9C/".into(), "#휴머노이드".into()),
            ("/2024/12/31/year-end/".into(), "← 이전 기사 연말 결산: 올해의 AI 칩".into()),
            ("/2025/07/28/deepseek-r2/".into(), "다음 기사 → 딥시크, 추론 모델 소식".into()),
        ]
    );
}

#[test]
fn article_summary_from_front_matter_is_the_meta_description() {
    let b = built();
    let html = b.page("2025/07/28/deepseek-r2/");
    assert!(html.contains(r#"<meta name="description" content="딥시크의 다음 모델을 둘러싼 소식.">"#), "{html}");
    // A datetime keeps its time; companies named by Korean name resolve to registry keys.
    assert!(html.contains(r#"<time datetime="2025-07-28T15:00:00+09:00">2025년 7월 28일 (월) 15:00</time>"#));
    assert_eq!(link_text(&html, "/companies/deepseek/").as_deref(), Some("딥시크"));
    assert_eq!(link_text(&html, "/companies/nvidia/").as_deref(), Some("엔비디아"));
}

#[test]
fn newest_and_oldest_articles_have_one_neighbour() {
    let b = built();
    let newest = b.page("2025/08/01/robot-roundup/");
    assert!(newest.contains(r#"<a rel="prev" href="/2025/07/30/nvidia-h20/">"#));
    assert!(!newest.contains(r#"rel="next""#));
    let oldest = b.page("2024/12/31/year-end/");
    assert!(oldest.contains(r#"<a rel="next" class="next" href="/2025/07/28/unitree-r1/">"#));
    assert!(!oldest.contains(r#"rel="prev""#));
}

#[test]
fn day_page_lists_the_day_and_links_previous_and_next_day() {
    let b = built();
    let html = b.page("2025/07/28/");
    let text = main_text(&html);
    assert!(text.contains("2025년 7월 28일 (월) 기사 2건"), "{text}");
    let l = main_links(&html);
    assert!(l.contains(&("/2025/07/28/deepseek-r2/".into(), "딥시크, 추론 모델 소식".into())));
    assert!(l.contains(&("/2025/07/28/unitree-r1/".into(), "유니트리, 휴머노이드 R1 공개".into())));
    assert!(l.contains(&("/2024/12/31/".into(), "← 이전 날 2024년 12월 31일 (화)".into())), "{l:?}");
    assert!(l.contains(&("/2025/07/30/".into(), "다음 날 → 2025년 7월 30일 (수)".into())), "{l:?}");
    assert!(l.contains(&("/2025/07/".into(), "달력으로".into())));

    let last = b.page("2025/08/01/");
    assert!(last.contains(r#"<a rel="prev" href="/2025/07/30/">"#));
    assert!(!last.contains(r#"rel="next""#));
}

#[test]
fn month_page_has_a_calendar_linking_days_with_articles() {
    let b = built();
    let html = b.page("2025/07/");
    assert!(main_text(&html).starts_with("2025년 2025년 7월 기사 3건"), "{}", main_text(&html));
    // July 2025 starts on a Tuesday: two empty cells, then 1.
    assert!(html.contains("<tr><td></td><td></td><td>1</td><td>2</td>"), "{html}");
    assert!(
        html.contains(r#"<a href="/2025/07/28/" aria-label="7월 28일, 기사 2건">28<span class="count">2</span></a>"#)
    );
    assert!(
        html.contains(r#"<a href="/2025/07/30/" aria-label="7월 30일, 기사 1건">30<span class="count">1</span></a>"#)
    );
    assert!(html.contains("<td>29</td>"), "days without articles are not links");
    assert_eq!(html.matches("<tr>").count(), 1 + 5, "header row and five weeks");
    let l = main_links(&html);
    assert!(l.contains(&("/2024/12/".into(), "← 이전 달 2024년 12월".into())), "{l:?}");
    assert!(l.contains(&("/2025/08/".into(), "다음 달 → 2025년 8월".into())), "{l:?}");
    assert!(l.contains(&("/2025/07/28/unitree-r1/".into(), "유니트리, 휴머노이드 R1 공개".into())));
}

#[test]
fn year_page_lists_months_and_links_years() {
    let b = built();
    let html = b.page("2025/");
    let text = main_text(&html);
    assert_eq!(text, "지난 기사 2025년 기사 4건 8월 1일 · 기사 1건 7월 2일 · 기사 3건 ← 이전 해 2024년");
    assert_eq!(link_text(&html, "/2025/07/").as_deref(), Some("7월"));
    assert!(html.contains(r#"<a rel="prev" href="/2024/">"#));
    assert!(b.page("2024/").contains(r#"<a rel="next" class="next" href="/2025/">"#));
}

#[test]
fn archive_lists_every_year_and_month() {
    let b = built();
    let text = main_text(&b.page("archive/"));
    assert_eq!(text, "지난 기사 기사 5건 2025년 4건 8월 1건 7월 3건 2024년 1건 12월 1건");
}

#[test]
fn company_index_and_paginated_company_page_with_feed() {
    let b = built();
    let index = b.page("companies/");
    assert_eq!(
        main_text(&index),
        "기업 정렬: 이름순 · 기사 많은 순 엔비디아 Nvidia 3 유니트리 Unitree Robotics 2 딥시크 DeepSeek 1 \
         딥시크 DeepSeek 1 엔비디아 Nvidia 3 유니트리 Unitree Robotics 2"
    );
    let page = b.page("companies/nvidia/");
    assert!(main_text(&page).starts_with("기업 엔비디아 Nvidia 기사 3건 · 이 기업의 Atom 피드 첫 기사"));
    assert!(main_text(&page).contains("엔비디아 H20 수출 재개"));
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="엔비디아 — 테스트 소식" href="/companies/nvidia/feed.xml">"#));
    assert!(page.contains(r#"<a rel="next" href="/companies/nvidia/page/2/">"#));
    let page2 = b.page("companies/nvidia/page/2/");
    assert!(main_text(&page2).contains("연말 결산: 올해의 AI 칩"));
    assert!(page2.contains(r#"<a rel="prev" href="/companies/nvidia/">"#));

    let feed = b.file("companies/nvidia/feed.xml");
    assert!(feed.contains("<title>엔비디아 — 테스트 소식</title>"), "{feed}");
    assert!(feed.contains(
        r#"<link rel="self" type="application/atom+xml" href="https://example.org/companies/nvidia/feed.xml"/>"#
    ));
    assert_eq!(feed.matches("<entry>").count(), 3);
}

#[test]
fn aliases_and_names_in_front_matter_resolve_to_one_company() {
    let b = built();
    // unitree-r1 says "Unitree" (an alias), robot-roundup says "유니트리" (the name).
    let page = b.page("companies/unitree/");
    assert!(main_text(&page).contains("기사 2건"), "{}", main_text(&page));
}

#[test]
fn topic_page_and_feed() {
    let b = built();
    let page = b.page("topics/robots/");
    let text = main_text(&page);
    assert!(text.starts_with("로봇 기사 2건 · 이 주제의 Atom 피드 첫 기사"), "{text}");
    assert!(text.contains("2025년 8월 1 8월 첫날 로봇 소식 모음"), "{text}");
    assert!(text.contains("유니트리, 휴머노이드 R1 공개"));
    assert!(!text.contains("엔비디아 H20"));
    let feed = b.file("topics/robots/feed.xml");
    assert!(feed.contains("<title>로봇 — 테스트 소식</title>"));
    assert!(
        feed.contains(r#"<link rel="alternate" type="text/html" href="https://example.org/topics/robots/"/>"#),
        "{feed}"
    );
    assert_eq!(feed.matches("<entry>").count(), 2);
}

#[test]
fn tag_index_and_tag_pages_with_hangul_paths() {
    let b = built();
    let index = b.page("tags/");
    assert_eq!(main_text(&index), "태그 #WAIC 1 #결산 1 #수출 1 #추론 1 #휴머노이드 2");
    assert_eq!(
        link_text(&index, "/tags/%ED%9C%B4%EB%A8%B8%EB%85%B8%EC%9D%B4%EB%93%9C/").as_deref(),
        Some("#휴머노이드 2"),
        "the count is part of the chip"
    );
    let page = b.page("tags/휴머노이드/");
    let text = main_text(&page);
    assert!(text.starts_with("태그 #휴머노이드 기사 2건 8월 첫날 로봇 소식 모음"), "{text}");
}

#[test]
fn not_found_page_links_home_archive_and_search() {
    let b = built();
    let html = b.file("404.html");
    assert!(html.contains("<title>페이지를 찾을 수 없습니다 — 테스트 소식</title>"));
    assert_eq!(link_text(&html, "/archive/").as_deref(), Some("지난 기사"));
    assert!(html.contains(r#"action="/search/""#));
}

#[test]
fn site_feed_is_atom_with_absolute_urls() {
    let b = built();
    let feed = b.file("feed.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ko\">\n  <title>테스트 소식</title>\n  <subtitle>페이지 종류 테스트</subtitle>\n  <id>https://example.org/feed.xml</id>\n"), "{feed}");
    assert!(feed.contains("  <updated>2025-08-01T00:00:00+09:00</updated>\n"));
    assert_eq!(feed.matches("<entry>").count(), 5);
    let first = &feed[feed.find("<entry>").unwrap()..];
    assert!(first.starts_with("<entry>\n    <title>8월 첫날 로봇 소식 모음</title>\n    <id>https://example.org/2025/08/01/robot-roundup/</id>\n"), "{first}");
    assert!(feed.contains(r#"<category term="robots" label="로봇"/>"#));
    assert!(
        feed.contains("<content type=\"html\">&lt;p&gt;이번 주 로봇 업계 소식을 모았다.&lt;/p&gt;\n</content>"),
        "{feed}"
    );
}

#[test]
fn sitemap_lists_pages_with_absolute_urls_and_robots_points_at_it() {
    let b = built();
    let sitemap = b.file("sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://example.org/2025/07/28/unitree-r1/</loc><lastmod>2025-07-28T00:00:00+09:00</lastmod></url>"), "{sitemap}");
    assert!(sitemap.contains("<url><loc>https://example.org/tags/%ED%9C%B4%EB%A8%B8%EB%85%B8%EC%9D%B4%EB%93%9C/</loc>"));
    assert!(sitemap.contains("<url><loc>https://example.org/</loc><lastmod>2025-08-01T00:00:00+09:00</lastmod></url>"));
    assert!(!sitemap.contains("404"), "the 404 page is not for search engines");
    assert!(!sitemap.contains("/page/2/"), "later list pages are left out");
    assert_eq!(b.file("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n");
}
