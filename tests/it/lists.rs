//! Lists that scale (issue 13): a day with more articles than `per_page` is paginated like the other
//! lists, and a month page shows each day with its count and its first titles, linking to the day.
//! Fixture lists/busy_day: per_page = 2, five articles on 2025-07-28 (one title with markup), one
//! on 2025-07-29, deployed under /news/.

use crate::harness;

use std::collections::BTreeSet;

use harness::{fixture, links, main_text, Built};

fn built() -> Built {
    fixture("lists/busy_day").build()
}

/// The article links of a list page's cards.
fn card_titles(html: &str) -> Vec<String> {
    html.split("<h2 class=\"card-title\">")
        .skip(1)
        .map(|card| {
            let a = &card[card.find('>').unwrap() + 1..];
            harness::unescape(&a[..a.find("</a>").unwrap()])
        })
        .collect()
}

#[test]
fn a_day_with_more_articles_than_per_page_is_paginated() {
    let b = built();
    let mut seen = BTreeSet::new();
    for (page, dir, n) in [(1, "2025/07/28/", 2), (2, "2025/07/28/page/2/", 2), (3, "2025/07/28/page/3/", 1)] {
        let html = b.page(dir);
        let titles = card_titles(&html);
        assert_eq!(titles.len(), n, "{dir}: {titles:?}");
        seen.extend(titles);
        assert!(html.contains("기사 5건"), "{dir}: the count is of the whole day");
        let canonical = format!("<link rel=\"canonical\" href=\"https://example.org/news/{dir}\">");
        assert!(html.contains(&canonical), "{dir}");
        let title = if page == 1 { String::new() } else { format!(" ({page}쪽)") };
        assert!(html.contains(&format!("<title>2025년 7월 28일 (월){title} — 바쁜 날 소식</title>")), "{dir}");
        // Every page keeps the way to the next day and back to the month.
        assert!(links(&html).iter().any(|(href, _)| href == "/news/2025/07/29/"), "{dir}");
        assert!(links(&html).iter().any(|(href, _)| href == "/news/2025/07/"), "{dir}");
    }
    assert_eq!(seen.len(), 5, "every article of the day once: {seen:?}");
    assert!(seen.contains("<b>굵은</b> 제목도 글자로 보인다"));
    let first = b.page("2025/07/28/");
    assert!(first.contains("<a rel=\"next\" href=\"/news/2025/07/28/page/2/\">다음 →</a>"), "{first}");
    let last = b.page("2025/07/28/page/3/");
    assert!(last.contains("<a rel=\"prev\" href=\"/news/2025/07/28/page/2/\">← 이전</a>"));
    assert!(!b.exists("2025/07/28/page/4/index.html"));
    // A day within per_page has one page and no pagination.
    assert!(!b.exists("2025/07/29/page/2/index.html"));
    assert!(!b.page("2025/07/29/").contains("class=\"pagination\""));
    // Only a list's first page is for search engines.
    let sitemap = b.file("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/news/2025/07/28/</loc>"));
    assert!(!sitemap.contains("/page/"), "{sitemap}");
}

#[test]
fn a_month_shows_each_day_with_its_count_and_first_titles_linking_to_the_day() {
    let b = built();
    let html = b.page("2025/07/");
    let text = main_text(&html);
    assert!(text.contains("기사 6건"), "the month's count: {text}");
    let groups: Vec<&str> = html.split("<section class=\"day-group\">").skip(1).collect();
    assert_eq!(groups.len(), 2);
    // Newest day first: one article, no "all" link.
    assert!(
        groups[0].contains("<h2><a href=\"/news/2025/07/29/\">2025년 7월 29일 (화)</a> <small>기사 1건</small></h2>")
    );
    assert_eq!(groups[0].matches("<li>").count(), 1);
    assert!(!groups[0].contains("모두 보기"));
    // The busy day: per_page (2) titles of five, and a link to the day saying how many it has.
    assert!(
        groups[1].contains("<h2><a href=\"/news/2025/07/28/\">2025년 7월 28일 (월)</a> <small>기사 5건</small></h2>")
    );
    assert_eq!(groups[1].matches("<li>").count(), 2, "{}", groups[1]);
    assert!(groups[1].contains(
        "<a href=\"/news/2025/07/28/\"><span class=\"visually-hidden\">2025년 7월 28일 (월) </span>기사 5건 모두 보기 →</a>"
    ));
    // The titles shown are the day's first page.
    let day_first = card_titles(&b.page("2025/07/28/"));
    let month_titles: Vec<String> = links(groups[1])
        .into_iter()
        .filter(|(href, _)| href.starts_with("/news/2025/07/28/story-"))
        .map(|(_, text)| text)
        .collect();
    assert_eq!(month_titles, day_first);
}

#[test]
fn a_month_shows_at_most_five_titles_a_day_whatever_per_page_is() {
    let f = fixture("lists/busy_day");
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap().replace("per_page = 2", "per_page = 4");
    f.write("site.toml", toml);
    for i in 6..=9 {
        f.write(
            &format!("content/2025/07/28/more-{i}.md"),
            format!("+++\ntitle = \"더 들어온 소식 {i}\"\ndate = 2025-07-28\n+++\n본문 {i}.\n"),
        );
    }
    let b = f.build();
    let html = b.page("2025/07/");
    let busy = html.split("<section class=\"day-group\">").nth(2).unwrap();
    assert_eq!(busy.matches("<li>").count(), 4, "per_page (4) is below five: {busy}");
    assert!(busy.contains("기사 9건 모두 보기"));
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap().replace("per_page = 4", "per_page = 20");
    f.write("site.toml", toml);
    let b = f.build();
    let busy = b.page("2025/07/").split("<section class=\"day-group\">").nth(2).unwrap().to_string();
    assert_eq!(busy.matches("<li>").count(), 5, "five of nine: {busy}");
    assert!(!b.exists("2025/07/28/page/2/index.html"), "nine articles fit one page of 20");
}
