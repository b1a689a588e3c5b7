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
