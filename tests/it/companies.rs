//! Companies the registry does not know still get a page (with a Hangul slug when the name is
//! Korean) and a warning; `sosik check --strict` turns the warnings into an error (fixture
//! companies/unknown: 딥시크 registered, 바이트댄스 / Moonshot AI / ByteDance not). Every use of an
//! unknown name warns, so each file that needs fixing is listed.

use crate::harness;

use harness::{fixture, link_text, main_text};

const WARNINGS: &str = "\
content/a.md:4:14: warning: unknown company `바이트댄스`: not in site.toml [companies]; it gets the page /companies/바이트댄스/
content/a.md:4:31: warning: unknown company `Moonshot AI`: not in site.toml [companies]; it gets the page /companies/moonshot-ai/
content/b.md:4:14: warning: unknown company `바이트 댄스`: not in site.toml [companies]; it gets the page /companies/바이트댄스/
content/b.md:4:24: warning: unknown company `ByteDance`: not in site.toml [companies]; it gets the page /companies/bytedance/
";

#[test]
fn unknown_company_gets_a_hangul_page_and_a_warning() {
    let b = fixture("companies/unknown").build();
    let warnings: Vec<String> = b.report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/a.md:4:14: unknown company `바이트댄스`: not in site.toml [companies]; it gets the page /companies/바이트댄스/",
            "content/a.md:4:31: unknown company `Moonshot AI`: not in site.toml [companies]; it gets the page /companies/moonshot-ai/",
            "content/b.md:4:14: unknown company `바이트 댄스`: not in site.toml [companies]; it gets the page /companies/바이트댄스/",
            "content/b.md:4:24: unknown company `ByteDance`: not in site.toml [companies]; it gets the page /companies/bytedance/",
        ]
    );
    let page = b.page("companies/바이트댄스/");
    // "바이트 댄스" (with a space) in b.md is the same company.
    assert!(
        main_text(&page).starts_with("기업 바이트댄스 기사 2건 · 이 기업의 Atom 피드 첫 기사")
            && main_text(&page).contains("1건 다시 바이트댄스"),
        "{}",
        main_text(&page)
    );
    assert!(b.exists("companies/바이트댄스/feed.xml"));
    let article = b.page("2025/07/28/a/");
    let hangul_url = "/companies/%EB%B0%94%EC%9D%B4%ED%8A%B8%EB%8C%84%EC%8A%A4/";
    assert_eq!(link_text(&article, hangul_url).as_deref(), Some("바이트댄스"));
    // An alias (深度求索) resolves to the registered company.
    assert_eq!(link_text(&article, "/companies/deepseek/").as_deref(), Some("딥시크"));
    assert_eq!(link_text(&b.page("companies/"), hangul_url).as_deref(), Some("바이트댄스"));
}

#[test]
fn build_prints_warnings_and_succeeds() {
    let f = fixture("companies/unknown");
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, WARNINGS);
}

#[test]
fn check_reports_warnings_and_strict_makes_them_errors() {
    let f = fixture("companies/unknown");
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, WARNINGS);
    assert!(
        run.stdout.starts_with("ok: 2 articles, ") && run.stdout.ends_with(" pages, 4 warnings\n"),
        "{}",
        run.stdout
    );

    let run = f.cli(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr, format!("{WARNINGS}error: 4 warning(s) with --strict\n"));
    assert_eq!(run.stdout, "");
    assert!(!f.path("public").exists(), "check writes nothing");
}

/// Regression: an unknown spelling whose slug equals a registered key ("OpenAI!" -> openai) wrote a
/// second page to companies/openai/ and whichever rendered last won.
#[test]
fn unknown_spelling_with_a_registered_slug_shares_its_page() {
    let b = fixture("companies/slug-collision").build();
    let warnings: Vec<String> = b.report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["content/b.md:4:14: unknown company `OpenAI!`: not in site.toml [companies]; its slug puts it on the page /companies/openai/ of `오픈AI` (add it to that company's `aliases` if it is the same)"]
    );
    let page = main_text(&b.page("companies/openai/"));
    assert!(page.starts_with("기업 오픈AI OpenAI 기사 2건"), "{page}");
}
