//! Every content error of issue 2 point 3, the whole message asserted, and what must be accepted
//! (a BOM, CRLF line ends, NFD text). Each case is a fixture under content_errors/<case>/.

use crate::harness;

use harness::{fixture, main_text};

/// The message of a failing `check` of fixture `content_errors/<case>`.
fn errors(case: &str) -> String {
    let f = fixture(&format!("content_errors/{case}"));
    let check = match f.check() {
        Ok(_) => panic!("{case}: check succeeded"),
        Err(e) => e.to_string(),
    };
    // A build reports the same, and writes nothing.
    assert_eq!(f.build_error(), check, "{case}: build and check disagree");
    assert!(!f.path("public").exists(), "{case}: a failed build wrote public/");
    check
}

#[test]
fn missing_front_matter() {
    assert_eq!(
        errors("missing_front_matter"),
        "content/2025/07/28/no-front-matter.md:1:1: missing front matter: the file must start with a line `+++`"
    );
}

#[test]
fn unterminated_front_matter() {
    assert_eq!(
        errors("unterminated_front_matter"),
        "content/2025/07/28/unterminated.md:1:1: unterminated front matter: expected a closing `+++` line after it"
    );
}

#[test]
fn toml_syntax_error_is_located_in_the_file() {
    // Line 2 of the file (the `+++` line counts), column of the unclosed string's end.
    assert_eq!(errors("toml_syntax"), "content/2025/07/28/syntax.md:2:20: invalid basic string, expected `\"`");
}

#[test]
fn unknown_key_with_suggestion() {
    assert_eq!(errors("unknown_key"), "content/2025/07/28/unknown-key.md:4:1: unknown key `tag`; did you mean `tags`?");
}

#[test]
fn unknown_key_without_a_close_match_lists_the_keys() {
    assert_eq!(
        errors("unknown_key_far"),
        "content/2025/07/28/unknown-key.md:4:1: unknown key `photographer`; expected one of `title`, `date`, \
         `companies`, `tags`, `topics`, `summary`, `source`, `source_url`, `slug`, `draft`, `weight`, `updated`, \
         `author`, `image`, `image_alt`"
    );
}

#[test]
fn wrong_type_is_located() {
    assert_eq!(
        errors("wrong_type"),
        "content/2025/07/28/wrong-type.md:4:8: invalid type: string \"로봇\", expected a list"
    );
}

#[test]
fn missing_title() {
    assert_eq!(errors("missing_title"), "content/2025/07/28/no-title.md:1:1: missing `title` in front matter: expected a line like `title = \"딥시크, 새 모델 공개\"`");
}

#[test]
fn missing_date() {
    assert_eq!(
        errors("missing_date"),
        "content/2025/07/28/no-date.md:1:1: missing `date` in front matter: expected a line like `date = 2025-07-28`"
    );
}

#[test]
fn impossible_dates_as_toml_dates_and_as_strings_are_all_reported() {
    assert_eq!(
        errors("impossible_dates"),
        "content/a-toml-date.md:3:8: invalid date, expected day between 01 and 28\n\
         content/b-string-date.md:3:8: invalid date `2025-02-30`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists\n\
         content/c-month-13.md:3:8: invalid date `2025-13-01`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists\n\
         content/d-not-a-date.md:3:8: invalid date `지난주 월요일`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists"
    );
}

#[test]
fn non_utf8_file_names_the_byte_offset() {
    // "+++\ntitle = \"인코딩\"\ndate = 2025-07-28\n+++\n본문 caf" is 56 bytes; then 0xE9.
    assert_eq!(
        errors("not_utf8"),
        "content/2025/07/28/latin1.md:5:7: file is not valid UTF-8 (invalid byte at offset 56)"
    );
}

#[test]
fn empty_and_blank_files() {
    assert_eq!(
        errors("empty_file"),
        "content/2025/07/28/blank.md:1:1: file is empty: an article needs front matter between `+++` lines\n\
         content/2025/07/28/empty.md:1:1: file is empty: an article needs front matter between `+++` lines"
    );
}

#[test]
fn unknown_topic_names_the_defined_ones() {
    assert_eq!(
        errors("unknown_topic"),
        "content/2025/07/28/topic.md:4:21: unknown topic `chips`: expected one of site.toml's topics, by name or key: 로봇 (robots)"
    );
}

#[test]
fn slug_with_path_separators_is_refused() {
    assert_eq!(
        errors("bad_slug"),
        "content/2025/07/28/slug.md:4:8: invalid slug `../../escape`: use letters, digits, '-', '_' or '.' (no '/', '\\' or leading '.')"
    );
}

#[test]
fn source_url_must_be_http() {
    assert_eq!(
        errors("bad_source_url"),
        "content/2025/07/28/source.md:4:14: `source_url` is `javascript:alert(1)`: expected an http(s) URL like https://example.com/news/1"
    );
}

#[test]
fn all_problems_of_one_file_are_reported_together_in_file_order() {
    assert_eq!(
        errors("several_in_one_file"),
        "content/several.md:1:1: missing `title` in front matter: expected a line like `title = \"딥시크, 새 모델 공개\"`\n\
         content/several.md:1:1: missing `date` in front matter: expected a line like `date = 2025-07-28`\n\
         content/several.md:2:14: `source_url` is `ftp://example.org/x`: expected an http(s) URL like https://example.com/news/1\n\
         content/several.md:3:11: unknown topic `chips`: expected one of site.toml's topics, by name or key: 로봇 (robots)"
    );
}

#[test]
fn cli_prints_every_error_and_a_count_and_exits_1() {
    let f = fixture("content_errors/impossible_dates");
    for cmd in [&["build"][..], &["check"]] {
        let run = f.cli(cmd);
        assert_eq!(run.code, 1, "{cmd:?}");
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            "content/a-toml-date.md:3:8: invalid date, expected day between 01 and 28\n\
             content/b-string-date.md:3:8: invalid date `2025-02-30`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists\n\
             content/c-month-13.md:3:8: invalid date `2025-13-01`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists\n\
             content/d-not-a-date.md:3:8: invalid date `지난주 월요일`: expected a date like 2025-07-28 or a date and time like 2025-07-28T14:30:00+09:00, on a day that exists\n\
             error: 4 problems found\n"
        );
    }
    assert!(!f.path("public").exists());
}

#[test]
fn bom_and_crlf_are_accepted() {
    let b = fixture("content_errors/accepted").build();
    let html = b.page("2025/07/28/bom-crlf/");
    assert!(html.contains("<h1>BOM과 CRLF</h1>"), "{html}");
    assert!(html.contains("<p>첫 줄\n둘째 줄</p>\n<h2 id=\"소제목\">소제목</h2>"), "{html}");
    assert!(!html.contains('\r') && !html.contains('\u{feff}'));
    assert!(b.exists("tags/윈도/index.html"));
}

#[test]
fn nfd_text_is_normalised_to_nfc() {
    let b = fixture("content_errors/accepted").build();
    // The file spells every syllable as conjoining jamo (as macOS file systems and some editors do).
    let raw =
        std::fs::read_to_string(harness::fixture_dir("content_errors/accepted/content/2025/07/28/nfd.md")).unwrap();
    assert!(!raw.contains("맥에서") && raw.contains("\u{1106}\u{1162}\u{11a8}"), "the fixture must stay NFD");
    let html = b.page("2025/07/28/nfd/");
    assert!(html.contains("<h1>맥에서 쓴 한글 제목</h1>"), "{html}");
    assert!(main_text(&html).contains("자모로 풀린 본문. 소제목"));
    assert!(html.contains("<h2 id=\"소제목\">소제목</h2>"));
    // Names match the registry and tags merge with NFC spellings.
    assert!(html.contains(r#"<a href="/companies/samsung/">삼성전자</a>"#), "{html}");
    assert!(b.exists("tags/휴머노이드/index.html"));
    assert!(b.report.warnings.is_empty(), "{:?}", b.report.warnings);
    for f in b.files() {
        assert!(!f.chars().any(|c| ('\u{1100}'..='\u{11ff}').contains(&c)), "NFD in output path {f}");
    }
}
