//! site.toml validation through the real binary: `site.toml:line:col: message` on stderr, exit 1,
//! nothing written (fixtures config_errors/<case>, each with one valid article).

use crate::harness;

use harness::{fixture, list_dir};

/// Runs `sosik build` and `sosik check` on the case; both must fail the same way. Returns stderr.
fn stderr_of(case: &str) -> String {
    let f = fixture(&format!("config_errors/{case}"));
    let build = f.cli(&["build"]);
    assert_eq!(build.code, 1, "{case}: {build:?}");
    assert_eq!(build.stdout, "");
    let check = f.cli(&["check"]);
    assert_eq!((check.code, &check.stderr), (1, &build.stderr), "{case}: check differs from build");
    assert_eq!(list_dir(&f.root), ["content", "site.toml"], "{case}: a failed build wrote something");
    build.stderr
}

#[test]
fn unknown_key_with_suggestion() {
    assert_eq!(
        stderr_of("unknown_key"),
        "site.toml:3:1: unknown key `timezon`; did you mean `timezone`?\nerror: 1 problem found\n"
    );
}

#[test]
fn unknown_key_in_a_company_table() {
    assert_eq!(
        stderr_of("unknown_company_key"),
        "site.toml:6:1: unknown key `alias`; did you mean `aliases`?\nerror: 1 problem found\n"
    );
}

#[test]
fn wrong_type() {
    assert_eq!(
        stderr_of("wrong_type"),
        "site.toml:3:12: invalid type: string \"열\", expected an integer\nerror: 1 problem found\n"
    );
}

#[test]
fn bad_base_url() {
    assert_eq!(
        stderr_of("bad_base_url"),
        "site.toml:2:12: invalid base_url `example.org/news/`: it must start with https:// or http://\nerror: 1 problem found\n"
    );
}

#[test]
fn bad_timezone() {
    assert_eq!(
        stderr_of("bad_timezone"),
        "site.toml:3:12: invalid timezone `Asia/Seoul`: expected a UTC offset such as \"+09:00\"\nerror: 1 problem found\n"
    );
}

#[test]
fn toml_syntax() {
    assert_eq!(stderr_of("syntax"), "site.toml:1:15: invalid basic string, expected `\"`\nerror: 1 problem found\n");
}

#[test]
fn missing_title() {
    assert_eq!(stderr_of("missing_title"), "site.toml:1:1: missing required key `title`\nerror: 1 problem found\n");
}

#[test]
fn every_value_problem_is_reported_at_once() {
    assert_eq!(
        stderr_of("several"),
        "site.toml:2:12: invalid base_url `https://example.org/news/../`: the path must not contain `.` or `..` segments\n\
         site.toml:3:12: invalid timezone `+25:00`: expected a UTC offset such as \"+09:00\"\n\
         site.toml:4:12: `per_page` must be a positive number, not 0\n\
         site.toml:6:1: company key `Deep Seek` must be ASCII lowercase letters, digits and '-'\n\
         error: 4 problems found\n"
    );
}

#[test]
fn missing_site_toml_is_a_usage_error() {
    let f = fixture("config_errors/unknown_key");
    std::fs::remove_file(f.path("site.toml")).unwrap();
    for args in [&["build"][..], &["check"], &["build", "--root", "content"]] {
        let run = f.cli(args);
        assert_eq!(run.code, 2, "{args:?}");
        let dir = if args.len() == 3 { "content" } else { "." };
        assert_eq!(run.stderr, format!("no site.toml in {dir}: run sosik in a site's folder or pass --root DIR\n"));
    }
    assert_eq!(list_dir(&f.root), ["content"]);
}

#[test]
fn a_theme_without_its_folder() {
    assert_eq!(
        stderr_of("theme_missing"),
        "site.toml:3:9: theme `nope` not found: there is no folder themes/nope\nerror: 1 problem found\n"
    );
}

#[test]
fn company_names_are_required_and_belong_to_one_company() {
    assert_eq!(
        stderr_of("company_names"),
        "site.toml:8:1: `alibaba` is a name of both companies `alibaba` and `deepseek`; keep it on one\n\
         site.toml:12:1: company `nameless` needs a `name`, its Korean display name\n\
         error: 2 problems found\n"
    );
}
