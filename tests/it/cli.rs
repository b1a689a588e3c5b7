//! The command line as a user meets it: help, exit codes 0/1/2, the build summary, `sosik new`
//! (fixture cli/minimal: one article).

use crate::harness;

use harness::{fixture, run_in};

#[test]
fn every_command_has_help() {
    let f = fixture("cli/minimal");
    let top = f.cli(&["--help"]);
    assert_eq!(top.code, 0);
    for cmd in ["build", "check", "new"] {
        assert!(top.stdout.contains(&format!("\n  {cmd} ")), "{cmd} missing in:\n{}", top.stdout);
        let run = f.cli(&[cmd, "--help"]);
        assert_eq!(run.code, 0, "{cmd} --help");
        assert!(run.stdout.contains(&format!("Usage: sosik {cmd} ")), "{}", run.stdout);
        assert_eq!(run.stderr, "");
    }
    let build = f.cli(&["build", "--help"]).stdout;
    for flag in ["--root <ROOT>", "--output <OUTPUT>", "--base-url <BASE_URL>", "--drafts"] {
        assert!(build.contains(flag), "build --help lacks {flag}:\n{build}");
    }
    assert!(f.cli(&["check", "--help"]).stdout.contains("--strict"));
    assert!(f.cli(&["new", "--help"]).stdout.contains("--title <TITLE>"));
}

#[test]
fn bad_usage_exits_2_without_touching_the_site() {
    let f = fixture("cli/minimal");
    let cases: [(&[&str], &str); 5] = [
        (&[], "소식: a static site generator for a Korean AI-news archive\n\nUsage: sosik <COMMAND>\n"),
        (&["bogus"], "error: unrecognized subcommand 'bogus'\n"),
        (&["build", "--bogus"], "error: unexpected argument '--bogus' found\n"),
        (&["new"], "error: the following required arguments were not provided:\n  <PATH>\n"),
        (&["check", "--root"], "error: a value is required for '--root <ROOT>' but none was supplied\n"),
    ];
    for (args, start) in cases {
        let run = f.cli(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with(start), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    assert!(!f.path("public").exists());
}

#[test]
fn build_prints_a_one_line_summary() {
    let f = fixture("cli/minimal");
    let run = f.cli(&["build"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let out = f.root.canonicalize().unwrap().join("public");
    harness::assert_summary(&run.stdout, 1, &out);
}

#[test]
fn root_flag_builds_another_folder() {
    let f = fixture("cli/minimal");
    let run = run_in(f.tmp.path(), &["build", "--root", "site"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(f.path("public/2025/07/28/only/index.html").is_file());
}

#[test]
fn new_writes_a_draft_that_checks_clean() {
    let f = fixture("cli/minimal");
    let run = f.cli(&["new", "2025/08/01/robot-news", "--title", "로봇 \"신제품\" 소식"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "created ./content/2025/08/01/robot-news.md\n");
    let text = std::fs::read_to_string(f.path("content/2025/08/01/robot-news.md")).unwrap();
    assert!(text.starts_with("+++\ntitle = '로봇 \"신제품\" 소식'\ndate = "), "{text}");
    assert!(text.contains("\ndraft = true\n+++\n"), "{text}");
    // A draft: left out of a build, present with --drafts, and free of errors either way.
    let run = f.cli(&["check"]);
    assert_eq!((run.code, run.stdout.starts_with("ok: 1 article, ")), (0, true), "{run:?}");
    let run = f.cli(&["check", "--drafts"]);
    assert_eq!((run.code, run.stdout.starts_with("ok: 2 articles, ")), (0, true), "{run:?}");
}

#[test]
fn new_refuses_existing_files_and_paths_outside_the_site() {
    let f = fixture("cli/minimal");
    let cases: [(&str, &str); 3] = [
        ("2025/07/28/only.md", "./content/2025/07/28/only.md: already exists\n"),
        ("../evil.md", "../evil.md: give a relative path inside the site, without `..`\n"),
        ("/tmp/evil.md", "/tmp/evil.md: give a relative path inside the site, without `..`\n"),
    ];
    for (path, message) in cases {
        let run = f.cli(&["new", path]);
        assert_eq!((run.code, run.stderr.as_str()), (2, message), "{path}");
    }
    assert_eq!(
        std::fs::read_to_string(f.path("content/2025/07/28/only.md")).unwrap(),
        "+++\ntitle = \"하나뿐인 기사\"\ndate = 2025-07-28\n+++\n본문.\n"
    );
    assert_eq!(harness::list_dir(f.tmp.path()), ["site"]);
}

/// Regression (issue 9, defect 9): a company name with an OSC sequence retitled the terminal, and a
/// newline in a value split one warning over two lines.
#[test]
fn control_characters_from_front_matter_are_escaped_in_messages() {
    let f = fixture("cli/minimal");
    f.write(
        "content/2025/07/29/evil.md",
        "+++\ntitle = \"x\"\ndate = 2025-07-29\ncompanies = [\"\\u001b]0;PWNED\\u0007\", \"둘째\\n줄\"]\n+++\n본문\n",
    );
    for cmd in ["build", "check"] {
        let run = f.cli(&[cmd]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'), "{cmd}: {:?}", run.stderr);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{cmd}: one line per warning: {:?}", run.stderr);
        assert!(lines[0].contains("`\\u{1b}]0;PWNED\\u{7}`"), "{}", lines[0]);
        assert!(lines[1].contains("`둘째\\n줄`"), "{}", lines[1]);
    }
}

/// Regression (issue 9, defect 9): `sosik check | true` panicked with "Broken pipe".
#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    use std::process::{Command, Stdio};
    let f = fixture("cli/minimal");
    f.cli(&["build"]);
    for args in [&["check"][..], &["build"], &["analyse", "딥시크가 로봇을"], &["search", "로봇"], &["--help"]]
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sosik"))
            .args(args)
            .current_dir(&f.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before sosik writes
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.code().is_some_and(|c| c == 0), "{args:?}: {:?} {stderr}", out.status);
    }
}

/// Regression (issue 9, defect 6): a tag of 86 Hangul syllables passed `check`, and `build` failed with
/// "File name too long" naming its temporary folder. Both now agree: the slug is shortened with a hash.
#[test]
fn check_and_build_agree_on_names_too_long_for_a_file_name() {
    let f = fixture("cli/minimal");
    let long = "가".repeat(86);
    f.write(
        "content/2025/07/29/long.md",
        format!("+++\ntitle = \"x\"\ndate = 2025-07-29\ntags = [\"{long}\", \"{long}나\"]\n+++\n본문\n"),
    );
    assert_eq!(f.cli(&["check"]).code, 0);
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let tags = harness::list_dir(&f.path("public/tags"));
    let long_dirs: Vec<&String> = tags.iter().filter(|t| t.starts_with("가가가")).collect();
    assert_eq!(long_dirs.len(), 2, "{tags:?}");
    assert!(long_dirs.iter().all(|t| t.len() <= 120), "{long_dirs:?}");

    // A `slug` too long for a folder name is an error at its line, in both commands.
    f.write(
        "content/2025/07/30/slug.md",
        format!("+++\ntitle = \"x\"\ndate = 2025-07-30\nslug = \"{}\"\n+++\n본문\n", "나".repeat(90)),
    );
    for cmd in ["check", "build"] {
        let run = f.cli(&[cmd]);
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.starts_with("content/2025/07/30/slug.md:4:8: slug is 270 bytes long, expected at most 120"),
            "{cmd}: {}",
            run.stderr
        );
    }
}

/// Regression (issue 9, defect 2): `date = "+262142-12-01"` with `--drafts` panicked at render.
#[test]
fn dates_beyond_year_9999_are_located_errors() {
    let f = fixture("cli/minimal");
    f.write("content/2025/07/29/far.md", "+++\ntitle = \"x\"\ndate = \"+262142-12-01\"\n+++\n본문\n");
    for args in [&["build", "--drafts"][..], &["check", "--drafts"]] {
        let run = f.cli(args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert_eq!(
            run.stderr,
            "content/2025/07/29/far.md:3:8: invalid date: year 262142 is out of range, expected a year between 1 \
             and 9999\nerror: 1 problem found\n"
        );
    }
}

/// Regression (issue 9, defect 5): one article with 4,000 tags wrote 862 MB, because each tag page
/// listed the article with all its tags. List items now show 8 and "+N", so the output grows linearly.
#[test]
fn an_article_with_thousands_of_tags_costs_linear_output() {
    let size = |n: usize| -> (u64, String) {
        let f = fixture("cli/minimal");
        let tags: Vec<String> = (0..n).map(|i| format!("\"태그{i}\"")).collect();
        f.write(
            "content/2025/07/29/tags.md",
            format!("+++\ntitle = \"x\"\ndate = 2025-07-29\ntags = [{}]\n+++\n본문\n", tags.join(", ")),
        );
        let run = f.cli(&["build"]);
        assert_eq!(run.code, 0, "{run:?}");
        let out = f.path("public");
        let bytes = harness::walk_files(&out).iter().map(|p| std::fs::metadata(out.join(p)).unwrap().len()).sum();
        let tag_page = std::fs::read_to_string(out.join("tags/태그7/index.html")).unwrap();
        assert_eq!(tag_page.matches("class=\"chip\"").count(), 8, "a list item shows 8 tags");
        assert!(tag_page.contains(&format!(">+{}</a>", n - 8)), "and says how many more");
        (bytes, run.stderr)
    };
    let (small, warned) = size(60);
    assert_eq!(
        warned,
        "content/2025/07/29/tags.md:1:1: warning: 60 tags: each gets a page listing this article, and lists show \
         only the first 8; more than 50 is likely a mistake\n"
    );
    let (large, _) = size(240);
    assert!(large < small * 5, "4x the tags made {large} bytes from {small}: not linear");
}

/// Issue 13: a site without content/ printed a raw "No such file or directory (os error 2)".
#[test]
fn a_missing_content_folder_says_where_articles_go() {
    let f = fixture("cli/minimal");
    std::fs::remove_dir_all(f.path("content")).unwrap();
    for cmd in ["build", "check"] {
        let run = f.cli(&[cmd]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(
            run.stderr,
            "no content/ folder in .: articles are Markdown files under content/, such as \
             content/2025/07/28/my-article.md (`sosik new 2025/07/28/my-article.md` writes one)\n"
        );
    }
}
