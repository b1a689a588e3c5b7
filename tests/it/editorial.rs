//! Issue 13, what an editor and a reader expect: same-day order (time, `weight`, path), article
//! metadata (`updated`, `author`, `image`, table of contents, copy link), pages without a date
//! under content/pages/ with a footer, the notes about drafts, located messages, `sosik init`.
//! Fixture golden/meta (its pages are also golden files, see golden.rs).

use crate::harness;

use harness::{fixture, links, main_text, run_in};
use sosik::build::BuildOptions;

/// Titles of the article cards of a list page, in order.
fn card_titles(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in html.split("<article class=\"card").skip(1) {
        let h = chunk.split("</a>").next().unwrap_or("");
        let title = h.rsplit('>').next().unwrap_or("");
        out.push(harness::unescape(title.trim()));
    }
    out
}

#[test]
fn same_day_order_is_time_then_weight_then_path() {
    let b = fixture("golden/meta").build();
    let expected = [
        "유니트리, 휴머노이드 R1 공개",                    // 09:30
        "원격 그림과 <위험한> 글쓴이",                     // 08:00
        "둘째 소식: 가중치가 낮아 시각 없는 기사 중 먼저", // no time, weight -1
        "'따옴표로 시작하는 제목도 맨 앞에 오지 않는다",   // no time, weight 0
    ];
    // The day page and the home page (per_page 3) go on to their second pages in the same order.
    let mut day = card_titles(&b.page("2025/07/28/"));
    day.extend(card_titles(&b.page("2025/07/28/page/2/")));
    assert_eq!(day, expected, "day pages");
    let mut home = card_titles(&b.page(""));
    home.extend(card_titles(&b.page("page/2/")));
    assert_eq!(home, expected, "home pages");
    // The company and topic lists too.
    assert_eq!(card_titles(&b.page("companies/unitree/"))[0], expected[0]);
    // Previous/next links of the lead story point at the second.
    let lead = b.page("2025/07/28/a-lead/");
    assert!(lead.contains("<a rel=\"prev\" href=\"/news/2025/07/28/d-remote/\">"), "{lead}");
}

#[test]
fn weight_changes_the_lead_story() {
    let f = fixture("golden/meta");
    let c = std::fs::read_to_string(f.path("content/2025/07/28/c-third.md")).unwrap();
    f.write("content/2025/07/28/c-third.md", c.replacen("date = 2025-07-28\n", "date = 2025-07-28\nweight = -5\n", 1));
    let titles = card_titles(&f.build().page("2025/07/28/"));
    assert_eq!(titles[2], "'따옴표로 시작하는 제목도 맨 앞에 오지 않는다", "{titles:?}");
}

#[test]
fn article_shows_byline_times_picture_toc_and_copy_link() {
    let b = fixture("golden/meta").build();
    let html = b.page("2025/07/28/a-lead/");
    for needle in [
        r#"<span class="byline">김소식</span>"#,
        r#"입력 <a href="/news/2025/07/28/"><time datetime="2025-07-28T09:30:00+09:00">2025년 7월 28일 (월) 09:30</time></a>"#,
        r#"수정 <time datetime="2025-07-29T10:00:00+09:00">2025년 7월 29일 (화) 10:00</time>"#,
        r#"<img src="/news/images/r1.png" alt="무대에 선 휴머노이드 R1" decoding="async">"#,
        r#"<meta property="og:image" content="https://example.org/news/images/r1.png">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<meta property="article:modified_time" content="2025-07-29T10:00:00+09:00">"#,
        r#"<a class="copy-link" href="https://example.org/news/2025/07/28/a-lead/""#,
        r##"<li class="toc-2"><a href="#가격">가격</a></li>"##,
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // JSON-LD: a Person, the picture, dateModified.
    let ld = html.split("application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let v: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(v["author"], serde_json::json!({"@type": "Person", "name": "김소식"}));
    assert_eq!(v["image"], serde_json::json!(["https://example.org/news/images/r1.png"]));
    assert_eq!(v["dateModified"], "2025-07-29T10:00:00+09:00");
    assert_eq!(v["datePublished"], "2025-07-28T09:30:00+09:00");
    // The picture is copied with the static files.
    assert!(b.exists("images/r1.png"));
    // The feed entry says when it changed, and who wrote it.
    let feed = b.file("feed.xml");
    assert!(
        feed.contains("<updated>2025-07-29T10:00:00+09:00</updated>\n    <author><name>김소식</name></author>"),
        "{feed}"
    );
    assert!(feed.contains("  <updated>2025-07-29T10:00:00+09:00</updated>\n  <author>"), "feed-level updated: {feed}");
}

#[test]
fn articles_without_the_new_keys_look_as_before() {
    let b = fixture("golden/meta").build();
    let html = b.page("2025/07/28/b-second/");
    for absent in ["class=\"toc\"", "class=\"byline\"", "수정 ", "<figure"] {
        assert!(!html.contains(absent), "{absent} on an article without it");
    }
    // Shares show the site's share_image (see share_image_is_the_picture_of_pages_without_one).
    assert!(html.contains(r#"<meta property="og:image" content="https://example.org/news/images/share.jpg">"#));
    let ld = html.split("application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let v: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(v["author"]["@type"], "Organization");
    assert_eq!(v["dateModified"], v["datePublished"]);
}

/// site.toml's `share_image` is the picture of every share of a page without its own (home, lists,
/// pages, articles without `image`); an article's `image` wins; without the setting, a text card.
#[test]
fn share_image_is_the_picture_of_pages_without_one() {
    let share = "https://example.org/news/images/share.jpg";
    let b = fixture("golden/meta").build();
    for page in ["", "2025/07/28/", "2025/07/", "companies/unitree/", "tags/", "about/", "2025/07/28/b-second/"] {
        let html = b.page(page);
        assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{share}\">")), "/{page}: {html}");
        assert!(html.contains(&format!("<meta name=\"twitter:image\" content=\"{share}\">")), "/{page}");
        assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#), "/{page}");
        assert_eq!(html.matches("og:image\"").count(), 1, "/{page}");
    }
    assert!(b.exists("images/share.jpg"));
    // An article's own picture wins.
    let lead = b.page("2025/07/28/a-lead/");
    assert!(lead.contains(r#"<meta property="og:image" content="https://example.org/news/images/r1.png">"#));
    assert!(!lead.contains(share), "{lead}");

    // Without the setting: no picture, a summary card.
    let f = fixture("golden/meta");
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap();
    f.write("site.toml", toml.replace("share_image = \"/images/share.jpg\"\n", ""));
    let b = f.build();
    for page in ["", "about/", "2025/07/28/b-second/"] {
        let html = b.page(page);
        assert!(!html.contains("og:image") && !html.contains("twitter:image"), "/{page}");
        assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#), "/{page}");
    }
    assert!(b.page("2025/07/28/a-lead/").contains("images/r1.png\">"));
}

#[test]
fn share_image_errors_are_located() {
    let f = fixture("golden/meta");
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap();
    f.write("site.toml", toml.replace("/images/share.jpg", "/images/missing.jpg"));
    assert_eq!(
        f.build_error(),
        "site.toml:7:15: share_image `/images/missing.jpg` not found: expected the file static/images/missing.jpg, \
         in the site's static/ or the theme's"
    );
    for bad in ["images/share.jpg", "https://example.com/x.jpg", "/images/../share.jpg", "/"] {
        f.write("site.toml", toml.replace("\"/images/share.jpg\"", &format!("\"{bad}\"")));
        assert_eq!(
            f.build_error(),
            format!(
                "site.toml:7:15: `share_image` is `{bad}`: expected a file of static/ written as a site path, like \
                 \"/images/share.jpg\" for static/images/share.jpg"
            ),
            "for {bad}"
        );
    }
    f.write("site.toml", toml.replace("\"/images/share.jpg\"", "true"));
    assert_eq!(f.build_error(), "site.toml:7:15: invalid type: boolean `true`, expected a string");
}

#[test]
fn untrusted_author_and_image_url_are_escaped() {
    let b = fixture("golden/meta").build();
    let html = b.page("2025/07/28/d-remote/");
    assert!(!html.contains("<script>&"), "raw author text in the page");
    assert!(
        html.contains(r#"<span class="byline">박&quot;기자&quot; &lt;script&gt;&amp;</span>"#),
        "{}",
        main_text(&html)
    );
    assert!(html.contains(r#"<img src="https://example.com/photo.jpg?a=1&amp;b=2" alt="""#));
    let ld = html.split("application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    assert!(!ld.contains('<') && !ld.contains('&'), "{ld}");
    assert!(b.file("feed.xml").contains("<name>박&quot;기자&quot; &lt;script&gt;&amp;</name>"));
}

#[test]
fn toc_only_from_three_headings_and_brief_items_count() {
    let f = fixture("golden/meta");
    // Two headings: no table of contents.
    f.write(
        "content/2025/07/29/two.md",
        "+++\ntitle = \"둘\"\ndate = 2025-07-29\n+++\n## 하나\n\n가.\n\n## 둘\n\n나.\n",
    );
    // A pasted brief: three ■ items are three headings.
    f.write(
        "content/2025/07/29/brief.md",
        "+++\ntitle = \"브리핑\"\ndate = 2025-07-29\n+++\n오늘의 소식이다.\n■ 화웨이, 새 칩 공개\n화웨이가 칩을 공개했다.\n\
         ■ 삼성전자 파운드리\n삼성전자가 수주했다.\n■ 유니트리 로봇\n유니트리가 로봇을 팔았다.\n",
    );
    let b = f.build();
    assert!(!b.page("2025/07/29/two/").contains("class=\"toc\""));
    let brief = b.page("2025/07/29/brief/");
    assert!(brief.contains(r##"<a href="#화웨이-새-칩-공개">화웨이, 새 칩 공개</a>"##), "{brief}");
    assert_eq!(brief.matches("<li class=\"toc-3\">").count(), 3);
}

#[test]
fn pages_live_at_their_slug_out_of_lists_feeds_and_search() {
    let b = fixture("golden/meta").build();
    let about = b.page("about/");
    assert!(about.contains("<h1>소개</h1>"));
    assert!(about.contains(r#"<nav class="toc" aria-label="목차">"#));
    assert!(about.contains("수정 <time datetime=\"2025-08-01T00:00:00+09:00\">"));
    // Linked from every footer; not an article anywhere.
    for page in ["", "2025/07/28/a-lead/", "about/"] {
        assert!(links(&b.page(page)).iter().any(|(href, text)| href == "/news/about/" && text == "소개"), "{page}");
    }
    assert_eq!(b.report.articles, 4);
    assert_eq!(b.report.pages_without_date, 1);
    let elsewhere = [b.file("feed.xml"), b.page("2025/07/28/"), b.page("archive/"), b.page("")].join("\n");
    assert!(!elsewhere.contains("날짜 없는 페이지다"));
    assert!(!elsewhere.contains("이 사이트를 소개합니다"));
    let docs: String = b.files().iter().filter(|p| p.starts_with("search/")).map(|p| b.file(p)).collect();
    assert!(!docs.is_empty() && !docs.contains("만드는 사람"), "pages are not in the search index");
    assert!(b
        .file("sitemap.xml")
        .contains("<loc>https://example.org/news/about/</loc><lastmod>2025-08-01T00:00:00+09:00</lastmod>"));
}

/// A page that opts in (`search = true`, `feed = true`) is found by search and is an entry of the
/// site's feed; never of an archive, a company or topic feed, or a list.
#[test]
fn pages_opt_in_to_search_and_the_feed() {
    let f = fixture("golden/meta");
    f.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"개인정보처리방침\"\nsearch = true\nfeed = true\nupdated = 2025-07-28T09:00:00+09:00\n+++\n\
         이 사이트는 방문자의 쿠키를 수집하지 않는다. 구독 메일 주소는 탈퇴 즉시 파기한다.\n",
    );
    let b = f.build();
    let search = |q: &str| -> Vec<String> {
        sosik::search::search(&b.out, q, 10).unwrap().into_iter().map(|r| format!("{} {}", r.url, r.date)).collect()
    };
    // By its title and by a word of its body (with a particle: 쿠키를 -> 쿠키), listed without a date.
    assert_eq!(search("개인정보처리방침"), ["/news/privacy/ "]);
    assert_eq!(search("쿠키"), ["/news/privacy/ "]);
    assert_eq!(search("탈퇴"), ["/news/privacy/ "]);
    let run = f.cli(&["search", "쿠키"]);
    assert!(run.stdout.starts_with("1. (page)  개인정보처리방침  ("), "{run:?}");
    // Articles are still found, and the default page is not.
    assert!(search("유니트리").iter().all(|u| u.starts_with("/news/2025/")), "{:?}", search("유니트리"));
    assert!(search("만드는").is_empty() && search("편집부").is_empty(), "the about page stays out");
    // No month of its own in the search filter.
    let manifest = b.file("search/manifest.json");
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(m["months"], serde_json::json!([["2025-07", 0, 4]]), "{manifest}");

    // The site's feed, by its `updated`: after the 09:30 lead story, before the 08:00 one.
    let feed = b.file("feed.xml");
    let ids: Vec<&str> = feed.split("<id>").skip(2).map(|s| s.split('<').next().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/news/2025/07/28/a-lead/",
            "https://example.org/news/privacy/",
            "https://example.org/news/2025/07/28/d-remote/",
            "https://example.org/news/2025/07/28/b-second/",
            "https://example.org/news/2025/07/28/c-third/",
        ],
        "{feed}"
    );
    assert!(feed.contains("<published>2025-07-28T09:00:00+09:00</published>"), "{feed}");
    assert!(feed.contains("구독 메일 주소는 탈퇴 즉시 파기한다."));
    assert!(!feed.contains("날짜 없는 페이지다"), "the about page stays out of the feed");
    // Not in a company or topic feed, nor on any list page.
    let elsewhere = [
        b.file("topics/robots/feed.xml"),
        b.file("companies/unitree/feed.xml"),
        b.page(""),
        b.page("2025/07/28/"),
        b.page("2025/07/"),
        b.page("2025/"),
        b.page("archive/"),
    ]
    .join("\n");
    assert!(!elsewhere.contains("개인정보처리방침") && !elsewhere.contains("쿠키"), "{elsewhere}");
    assert_eq!(b.report.articles, 4);
}

#[test]
fn page_opt_in_errors_are_located() {
    let f = fixture("golden/meta");
    for (line, expected) in [
        ("search = \"yes\"", "3:10: invalid type: string \"yes\", expected true or false"),
        ("feed = 1", "3:8: invalid type: integer `1`, expected true or false"),
        (
            "feed = true",
            "3:8: `feed = true` without `updated`: expected an `updated = 2025-08-01` line, the date of the page's \
             last change, which dates its feed entry",
        ),
    ] {
        f.write("content/pages/bad.md", format!("+++\ntitle = \"x\"\n{line}\n+++\n본문\n"));
        assert_eq!(f.build_error(), format!("content/pages/bad.md:{expected}"), "for {line}");
    }
    // Articles are always in search and feeds: the keys are for pages only.
    f.write("content/pages/bad.md", "+++\ntitle = \"x\"\n+++\n본문\n");
    f.write("content/2025/07/28/e.md", "+++\ntitle = \"x\"\ndate = 2025-07-28\nsearch = true\n+++\n본문\n");
    let e = f.build_error();
    assert!(e.starts_with("content/2025/07/28/e.md:4:1: unknown key `search`"), "{e}");
}

#[test]
fn page_errors_are_located() {
    let f = fixture("golden/meta");
    f.write("content/pages/archive.md", "+++\ntitle = \"지난\"\n+++\n본문\n");
    f.write("content/pages/dated.md", "+++\ntitle = \"x\"\ndate = 2025-07-28\n+++\n본문\n");
    let e = f.build_error();
    assert!(
        e.contains(
            "content/pages/archive.md:1:1: page slug `archive` is taken by sosik's own pages (/archive/): expected another name"
        ),
        "{e}"
    );
    assert!(e.contains("content/pages/dated.md:3:1: unknown key `date`"), "{e}");

    let f = fixture("golden/meta");
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap();
    f.write("site.toml", toml.replace("footer = [\"about\"]", "footer = [\"about\", \"privacy\"]"));
    let warnings: Vec<String> = f.check().unwrap().warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["site.toml:6:20: footer page `privacy` not found, so the footer leaves it out: expected the slug of a \
          published page under content/pages/ (about)"]
    );
    assert_eq!(f.cli(&["check", "--strict"]).code, 1);
}

#[test]
fn metadata_errors_name_what_was_expected() {
    let f = fixture("golden/meta");
    let head = "+++\ntitle = \"x\"\ndate = 2025-07-28\n";
    for (line, expected) in [
        ("updated = 2025.07.29", "4:11: invalid date `2025.07.29`: expected a date like 2025-07-29 (year-month-day, with hyphens)"),
        ("updated = 2025-07-27", "4:11: `updated` (2025-07-27 00:00) is before `date` (2025-07-28 00:00): expected the time of the last change, after publication"),
        ("updated = 7", "4:11: `updated` is a number: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00"),
        ("author = \" \"", "4:10: `author` is empty: expected the writer's name, like `author = \"김소식\"`"),
        ("image = \"photo.jpg\"", "4:9: `image` is `photo.jpg`: expected a file of static/ written as a site path, like \"/images/r1.jpg\" for static/images/r1.jpg, or an http(s) URL"),
        ("image_alt = \"그림\"", "4:13: `image_alt` without `image`: expected an `image = \"/images/….jpg\"` line for it to describe"),
        ("weight = \"first\"", "4:10: invalid type: string \"first\", expected an integer"),
        ("topics = [\"요리\"]", "4:11: unknown topic `요리`: expected one of site.toml's topics, by name or key: 로봇 (robots)"),
    ] {
        f.write("content/2025/07/28/bad.md", format!("{head}{line}\n+++\n본문\n"));
        let e = f.build_error();
        assert_eq!(e, format!("content/2025/07/28/bad.md:{expected}"), "for {line}");
    }
    // The issue's own example, in the terminal as `build` and `check` print it.
    f.write("content/2025/07/28/bad.md", "+++\ntitle = \"x\"\ndate = 2025.07.25\n+++\n본문\n");
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "content/2025/07/28/bad.md:3:8: invalid date `2025.07.25`: expected a date like 2025-07-25 \
             (year-month-day, with hyphens)\n"
        ),
        "{}",
        run.stderr
    );
    // Topics by their Korean name are accepted, like companies.
    f.write("content/2025/07/28/bad.md", format!("{head}topics = [\"로봇\"]\n+++\n본문\n"));
    assert!(f.build().page("topics/robots/").contains("/news/2025/07/28/bad/"));
}

#[test]
fn a_missing_local_image_is_a_warning_and_check_strict_fails() {
    let f = fixture("golden/meta");
    std::fs::remove_file(f.path("static/images/r1.png")).unwrap();
    let report = f.check().unwrap();
    let shown: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        shown,
        ["content/2025/07/28/a-lead.md:6:9: image `/images/r1.png` not found: expected the file static/images/r1.png \
          (pictures of the site live in static/)"]
    );
    let run = f.cli(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("warning: image `/images/r1.png` not found"), "{}", run.stderr);
}

#[test]
fn build_check_and_drafts_notes_count_drafts_and_future_articles() {
    let f = fixture("drafts/mixed");
    let b = f.build();
    assert_eq!(b.report.left_out.drafts.len(), 1);
    assert_eq!(b.report.left_out.future.len(), 3);
    assert_eq!(b.report.left_out.describe(), "1 draft and 3 future-dated articles");
    let all = f.build_with(BuildOptions { drafts: true, ..f.opts() });
    assert!(all.report.left_out.is_empty());
}

#[test]
fn check_says_what_it_left_out() {
    let f = fixture("cli/minimal");
    let only = "content/2025/07/28/only.md";
    let text = std::fs::read_to_string(f.path(only)).unwrap();
    f.write(only, text.replacen("+++\n", "+++\ndraft = true\n", 1));
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "note: left out 1 draft; `sosik check --drafts` checks it\n");
}

#[test]
fn init_writes_a_site_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &["init", "news"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("created news/site.toml"), "{}", run.stdout);
    assert!(run.stdout.contains("created news/content/pages/about.md"), "{}", run.stdout);
    let site = tmp.path().join("news");
    let check = run_in(&site, &["check", "--strict"]);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""), "{check:?}");
    assert!(check.stdout.starts_with("ok: 1 article, "), "{}", check.stdout);
    let build = run_in(&site, &["build"]);
    assert_eq!(build.code, 0, "{build:?}");
    assert!(site.join("public/about/index.html").is_file());
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("첫 기사: 소식 사이트를 열었습니다"));
    assert!(home.contains(r#"<a href="/about/">소개</a>"#));
    // Not over an existing site.
    let again = run_in(tmp.path(), &["init", "news"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("news: already has site.toml"), "{}", again.stderr);
}

#[test]
fn missing_content_folder_names_the_folder_and_what_to_do() {
    let f = fixture("cli/minimal");
    std::fs::remove_dir_all(f.path("content")).unwrap();
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    assert!(run.stderr.starts_with("no content/ folder in "), "{}", run.stderr);
}

#[test]
fn new_writes_a_page_without_a_date_under_pages() {
    let f = fixture("cli/minimal");
    let run = f.cli(&["new", "pages/contact.md", "--title", "연락처"]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = std::fs::read_to_string(f.path("content/pages/contact.md")).unwrap();
    assert_eq!(text, "+++\ntitle = \"연락처\"\ndraft = true\n+++\n\n본문을 여기에 씁니다.\n");
    let run = f.cli(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(f.path("public/contact/index.html").is_file());
}

/// The table of contents, the 링크 복사 button and an opted-in page on the search page, in chromium
/// at 390 px (`tests/js/article_tools.js`). Without node, chromium or `npm ci`'s playwright-core it
/// prints a notice and skips; with CI=true it fails instead. `SOSIK_SHOTS=<dir>` keeps screenshots.
#[test]
fn toc_copy_link_and_page_search_work_in_chromium() {
    use crate::search_support::{has_command, node_check, unavailable};
    if !has_command("node", "--version") {
        unavailable("node is not installed");
        return;
    }
    let f = fixture("golden/meta");
    // A long article: four sections of several paragraphs, so a heading can come to the top.
    let mut long = String::from(
        "+++\ntitle = \"휴머노이드 시장, 올해 무엇이 달라졌나\"\ndate = 2025-07-28T07:00:00+09:00\n\
         author = \"김소식\"\ncompanies = [\"unitree\"]\n+++\n올해 휴머노이드 시장은 가격과 양산, 소프트웨어에서 한꺼번에 움직였다.\n",
    );
    for (heading, line) in [
        ("가격이 내려갔다", "보급형 모델이 나오면서 연구실 밖에서도 로봇을 살 수 있게 됐다."),
        ("양산이 시작됐다", "부품 업체들이 관절 모듈을 대량으로 찍어 내기 시작했다."),
        ("소프트웨어가 중요해졌다", "걷고 집는 동작을 배우는 모델이 로봇의 값을 가른다."),
        ("남은 과제", "배터리와 안전 기준이 아직 풀리지 않은 숙제로 남았다."),
    ] {
        long.push_str(&format!("\n## {heading}\n\n"));
        for n in 1..=6 {
            long.push_str(&format!("{line} 현장의 이야기를 {n}번째로 전하면, 변화의 속도는 예상보다 빨랐다.\n\n"));
        }
    }
    f.write("content/2025/07/28/e-long.md", long);
    f.write(
        "content/2025/07/28/f-short.md",
        "+++\ntitle = \"짧은 소식\"\ndate = 2025-07-28\n+++\n## 하나\n\n첫 소식.\n\n## 둘\n\n둘째 소식.\n",
    );
    f.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"개인정보처리방침\"\nsearch = true\n+++\n이 사이트는 방문자의 쿠키를 수집하지 않는다.\n",
    );
    let b = f.build();
    let args = ["/news/", "/news/2025/07/28/e-long/", "/news/2025/07/28/f-short/", "쿠키", "/news/privacy/"];
    let mut argv = vec![b.out.as_os_str()];
    argv.extend(args.iter().map(std::ffi::OsStr::new));
    let Some((ok, stdout, stderr)) = node_check("tests/js/article_tools.js", &argv) else { return };
    assert!(ok, "the reader tools check failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok: toc, copy link, page search"), "{stdout}");
}
