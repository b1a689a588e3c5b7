//! Drafts and articles dated in the future (in the site timezone) are left out of every page, feed
//! and list, unless `--drafts` (fixtures drafts/mixed with "now" pinned to 2025-08-10 12:00 +09:00,
//! and drafts/cli for the binary, whose clock is real: its future is the year 2999).

use crate::harness;

use harness::{fixture, main_text};
use sosik::build::BuildOptions;

const SHOWN: [&str; 3] = ["2025/08/01/published", "2025/08/10/today", "2025/08/10/this-morning"];
const HIDDEN: [&str; 4] = ["2025/07/30/draft", "2025/08/11/tomorrow", "2025/08/10/tonight", "2025/08/11/utc-next-day"];

#[test]
fn drafts_and_future_articles_are_left_out() {
    let b = fixture("drafts/mixed").build();
    assert_eq!((b.report.articles, b.report.hidden), (3, 4));
    for dir in SHOWN {
        assert!(b.exists(&format!("{dir}/index.html")), "{dir} is published");
    }
    for dir in HIDDEN {
        assert!(!b.exists(&format!("{dir}/index.html")), "{dir} must be left out");
    }
    // Nor do they leave traces elsewhere: day pages, tags, companies, feeds, sitemap, home.
    for gone in ["2025/07/30/index.html", "2025/08/11/index.html", "tags/초안전용/index.html", "tags/예약/index.html"]
    {
        assert!(!b.exists(gone), "{gone} must not exist");
    }
    let home = main_text(&b.page(""));
    // Registered companies keep their page and feed (stable for subscribers), empty here.
    assert_eq!(b.file("companies/openai/feed.xml").matches("<entry>").count(), 0);
    let everything = [
        home,
        b.file("feed.xml"),
        b.file("sitemap.xml"),
        b.page("2025/08/"),
        b.page("companies/"),
        b.page("companies/openai/"),
    ]
    .join("\n");
    for title in ["아직 쓰는 중인 초안", "내일 나갈 기사", "오늘 저녁 나갈 기사", "서울로는 내일인 기사"]
    {
        assert!(!everything.contains(title), "{title} leaked:\n{everything}");
    }
    assert!(b.page("2025/08/10/").contains("오늘 아침 기사"));
    assert!(!b.page("").contains("draft-label"));
}

#[test]
fn drafts_flag_builds_everything() {
    let f = fixture("drafts/mixed");
    let b = f.build_with(BuildOptions { drafts: true, ..f.opts() });
    assert_eq!((b.report.articles, b.report.hidden), (7, 0));
    for dir in SHOWN.iter().chain(&HIDDEN) {
        assert!(b.exists(&format!("{dir}/index.html")), "{dir} is built with --drafts");
    }
    assert!(b.exists("tags/초안전용/index.html"));
    assert!(b.exists("companies/openai/feed.xml"));
    // A UTC time that is already the next day in Seoul lands on the Seoul day.
    assert!(b
        .page("2025/08/11/utc-next-day/")
        .contains(r#"<time datetime="2025-08-11T01:00:00+09:00">2025년 8월 11일 (월) 01:00</time>"#));
    // A draft says so, on its page and in lists; a published article does not.
    let label = r#"<span class="draft-label">초안</span>"#;
    assert!(b.page("2025/07/30/draft/").contains(&format!("아직 쓰는 중인 초안 {label}</h1>")));
    assert!(b.page("2025/07/30/").contains(label));
    assert!(!b.page("2025/08/01/published/").contains(label));
}

#[test]
fn cli_build_and_check_leave_out_drafts_unless_asked() {
    let f = fixture("drafts/cli");
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("built 1 article into "), "{}", run.stdout);
    assert!(!f.path("public/2999").exists());

    let run = f.cli(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("built 3 articles into "), "{}", run.stdout);
    assert!(f.path("public/2999/01/01/far-future/index.html").is_file());
    assert!(f.path("public/2025/01/02/draft/index.html").is_file());

    let run = f.cli(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "ok: 1 article, 12 pages, 0 warnings\n",
            "note: left out 1 draft and 1 future-dated article; `sosik check --drafts` checks them\n"
        )
    );
    let run = f.cli(&["check", "--drafts"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("ok: 3 articles, "), "{}", run.stdout);
}

/// Issue 13: a site whose only article is a draft built "0 articles" without saying why.
#[test]
fn build_says_how_many_articles_it_left_out() {
    let f = crate::harness::fixture("cli/minimal");
    let only = "content/2025/07/28/only.md";
    let text = std::fs::read_to_string(f.path(only)).unwrap();
    f.write(only, text.replacen("+++\n", "+++\ndraft = true\n", 1));
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("built 0 articles"), "{}", run.stdout);
    assert_eq!(run.stderr, "note: left out 1 draft; `sosik build --drafts` includes it\n");
    assert_eq!(f.cli(&["build", "--drafts"]).stderr, "");
}
