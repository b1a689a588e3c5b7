//! Publishing safety: nothing from front matter can write outside the output folder, output folders
//! that would destroy the site are refused, two articles with one URL are an error, and a failed
//! build leaves the previous output byte-identical with no temporary folder behind.

use crate::harness;

use std::collections::BTreeMap;
use std::path::Path;

use harness::{fixture, list_dir, walk_files, Fixture};

/// Every file under `dir` with its bytes (a symlink with its target).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let read = |p: &Path| match std::fs::read_link(p) {
        Ok(target) => target.to_string_lossy().as_bytes().to_vec(),
        Err(_) => std::fs::read(p).unwrap(),
    };
    walk_files(dir).into_iter().map(|rel| (rel.clone(), read(&dir.join(&rel)))).collect()
}

/// Files of the fixture's temporary folder outside `site/public`.
fn outside_output(f: &Fixture) -> Vec<String> {
    walk_files(f.tmp.path()).into_iter().filter(|p| !p.starts_with("site/public/")).collect()
}

#[test]
fn names_with_separators_and_dot_segments_stay_inside_the_output() {
    let f = fixture("output/escapes");
    let before = outside_output(&f);
    let b = f.build();
    assert_eq!(outside_output(&f), before, "the build wrote outside public/");
    assert_eq!(list_dir(f.tmp.path()), ["site"]);
    // Everything the build wrote is a real file below public/ (no symlinks, no dot segments).
    let out = b.out.canonicalize().unwrap();
    for rel in b.files() {
        let p = b.out.join(&rel);
        assert!(p.canonicalize().unwrap().starts_with(&out), "{rel} resolves outside");
        assert!(!rel.split('/').any(|s| s == ".." || s == "." || s.is_empty() || s.contains('\\')), "{rel}");
    }
    let dirs = |prefix: &str| -> Vec<String> {
        b.files()
            .iter()
            .filter_map(|f| f.strip_prefix(prefix)?.strip_suffix("/index.html").map(str::to_string))
            .filter(|d| !d.contains('/'))
            .collect()
    };
    assert_eq!(dirs("tags/"), ["2e-2e", "a-b", "absolute", "c-temp", "escaped-tag", "windows", "x2e2e", "x7e"]);
    assert_eq!(dirs("companies/"), ["escaped-company", "etc-passwd", "x-y", "x2e2e", "x2e2f2e"]);
    // The file name `a..b.md` gives the slug a-b.
    assert!(b.exists("2025/07/28/a-b/index.html"));
}

#[test]
fn refuses_output_folders_that_would_overwrite_the_site() {
    let f = fixture("output/refuse");
    std::os::unix::fs::symlink("content", f.path("link-to-content")).unwrap();
    let abs_root = f.root.to_str().unwrap().to_string();
    let cases: [(&str, &str); 13] = [
        (".", "it is the site root or contains it"),
        ("./", "it is the site root or contains it"),
        (&abs_root, "it is the site root or contains it"),
        ("..", "it is the site root or contains it"),
        ("../..", "it is the site root or contains it"),
        ("content", "it is inside the site's content/ folder"),
        ("content/out", "it is inside the site's content/ folder"),
        ("link-to-content", "it is inside the site's content/ folder"),
        ("static", "it is inside the site's static/ folder"),
        ("themes", "it is inside the site's themes/ folder"),
        ("themes/default", "it is inside the site's themes/ folder"),
        ("templates", "it is inside the site's templates/ folder"),
        ("site.toml", "it exists and is not a folder"),
    ];
    let before = snapshot(f.tmp.path());
    for (output, why) in cases {
        let run = f.cli(&["build", "--output", output]);
        assert_eq!(run.code, 2, "--output {output}: {run:?}");
        assert_eq!(run.stderr, format!("refusing output folder {output}: {why}\n"));
        assert_eq!(run.stdout, "");
    }
    assert!(snapshot(f.tmp.path()) == before, "a refused build changed files");
}

#[test]
fn output_beside_or_below_the_root_is_fine() {
    let f = fixture("output/refuse");
    for output in ["content/../public", "../deploy", "build/site"] {
        let run = f.cli(&["build", "--output", output]);
        assert_eq!(run.code, 0, "--output {output}: {run:?}");
    }
    assert!(f.path("public/index.html").is_file());
    assert!(f.tmp.path().join("deploy/index.html").is_file());
    assert!(f.path("build/site/index.html").is_file());
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    let f = fixture("output/duplicate");
    assert_eq!(
        f.build_error(),
        "content/2025/07/28/same.md:1:1: this article has the same URL /2025/07/28/same/ as content/2025/07/28/other.md; give one of them another `slug`\n\
         content/drafts/same.md:1:1: this article has the same URL /2025/07/28/same/ as content/2025/07/28/other.md; give one of them another `slug`"
    );
    assert_eq!(list_dir(f.tmp.path()), ["site"]);
    assert!(!f.path("public").exists());
}

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let f = fixture("output/atomic");
    let first = f.build();
    let before = snapshot(&first.out);
    assert!(before.len() > 20);

    // A site template override that fails for one article only (the oldest, rendered late).
    std::fs::create_dir(f.path("templates")).unwrap();
    std::fs::copy(f.path("broken-article.html"), f.path("templates/article.html")).unwrap();
    // Make the new build's output differ, so a partial swap would show.
    f.write("content/article-5.md", "+++\ntitle = \"새 기사\"\ndate = 2025-07-25\n+++\n새 본문.\n");
    assert_eq!(
        f.build_error(),
        "templates/article.html:3:36: Variable `missing.field` not found in context \
         (rendering content/article-1.md (/2025/07/21/article-1/index.html) with `article.html`)"
    );
    assert!(snapshot(&first.out) == before, "the failed build changed public/");
    assert_eq!(
        list_dir(&f.root),
        ["broken-article.html", "content", "public", "site.toml", "templates"],
        "no temporary folder left"
    );
    assert_eq!(list_dir(f.tmp.path()), ["site"]);

    // The same failure through the binary: exit 1, one message.
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("templates/article.html:3:36: Variable `missing.field` not found"),
        "{}",
        run.stderr
    );
    assert!(snapshot(&first.out) == before);

    // Fixed, the next build replaces the output whole.
    std::fs::remove_dir_all(f.path("templates")).unwrap();
    let second = f.build();
    assert!(second.exists("2025/07/25/article-5/index.html"));
    assert_eq!(list_dir(&f.root), ["broken-article.html", "content", "public", "site.toml"]);
}

#[test]
fn rebuild_removes_pages_that_no_longer_exist() {
    let f = fixture("output/atomic");
    f.build();
    std::fs::remove_file(f.path("content/article-4.md")).unwrap();
    let b = f.build();
    assert!(!b.exists("2025/07/24/article-4/index.html"), "stale page kept");
    assert!(!b.exists("tags/태그4/index.html"), "stale tag page kept");
}

/// Template errors point into the template files: a syntax error at its line and column, a
/// render error at the use of the missing name, in the template it happened in.
#[test]
fn template_errors_name_the_template_file_line_and_column() {
    let f = fixture("output/atomic");
    let base = sosik::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "base.html").unwrap().1;

    f.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}\n{% block main %}\n  {% if x %}<p>\n{% endblock main %}\n",
    );
    let error = f.build_error();
    assert!(error.starts_with("templates/tag.html:4:"), "{error}");
    assert!(error.contains("expected an `elif` tag"), "{error}");
    std::fs::remove_file(f.path("templates/tag.html")).unwrap();

    // In the site's base.html, which every page extends: the error names base.html, not the page's template.
    let mut lines: Vec<&str> = base.lines().collect();
    lines.insert(3, "    <meta name=\"x\" content=\"{{ site.nosuch | upper }}\">");
    f.write("templates/base.html", lines.join("\n"));
    let error = f.build_error();
    assert!(
        error.starts_with("templates/base.html:4:32: Variable `site.nosuch` not found in context (rendering /"),
        "{error}"
    );

    lines[3] = "    <meta name=\"x\" content=\"{{ site.title | shout }}\">";
    f.write("templates/base.html", lines.join("\n"));
    let error = f.build_error();
    assert!(error.starts_with("templates/base.html:4:45: Filter 'shout' not found (rendering /"), "{error}");
}

/// Regression (issue 9, defect 1): `--output S/.git` replaced the repository with the site, and any
/// other existing folder (`S/notes`) was swapped out and deleted.
#[test]
fn refuses_to_replace_folders_sosik_did_not_make() {
    let f = fixture("output/refuse");
    f.write(".git/objects/blob", "precious");
    f.write("notes/idea.txt", "precious");
    f.write("gitted/.git", "gitdir: ../.git/worktrees/x");
    f.write("gitted/page.html", "precious");
    let before = snapshot(f.tmp.path());
    let not_ours = "it exists and sosik did not make it (there is no .sosik-output file in it), and a build \
                    replaces the whole folder; choose another --output, empty it, or pass --force to replace it";
    let repo = "it holds a .git repository, and a build replaces the whole folder (even with --force)";
    for (args, why) in [
        (&["build", "--output", ".git"][..], not_ours),
        (&["build", "--output", "notes"][..], not_ours),
        (&["build", "--output", "gitted"][..], repo),
        (&["build", "--output", ".", "--force"][..], "it is the site root or contains it"),
        (&["build", "--output", "gitted", "--force"][..], repo),
    ] {
        let run = f.cli(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stderr, format!("refusing output folder {}: {why}\n", args[2]));
    }
    assert!(snapshot(f.tmp.path()) == before, "a refused build changed files");

    // --force replaces a folder without .git; from then on it carries the marker and needs no flag.
    assert_eq!(f.cli(&["build", "--output", "notes", "--force"]).code, 0);
    assert!(!f.path("notes/idea.txt").exists());
    assert!(f.path("notes/.sosik-output").is_file() && f.path("notes/index.html").is_file());
    assert_eq!(f.cli(&["build", "--output", "notes"]).code, 0);
    // An empty folder is taken as it is.
    std::fs::create_dir(f.path("empty")).unwrap();
    assert_eq!(f.cli(&["build", "--output", "empty"]).code, 0);
    // Output of a sosik before the marker is recognised by its search manifest, 404 page and sitemap.
    std::fs::remove_file(f.path("empty/.sosik-output")).unwrap();
    assert_eq!(f.cli(&["build", "--output", "empty"]).code, 0);
    std::fs::remove_file(f.path("empty/.sosik-output")).unwrap();
    std::fs::write(f.path("empty/search/manifest.json"), "{\"version\": 1}").unwrap();
    assert_eq!(f.cli(&["build", "--output", "empty"]).code, 2, "a manifest of another shape is not sosik's");
}

/// Regression (issue 9, defect 8): an interrupted build left `.public.tmp-PID` (36–85 MB) for ever.
/// A killed build's folders go at the next build; folders of a live process, and folders without the
/// marker, stay.
#[test]
fn next_build_removes_staging_folders_of_dead_processes() {
    let f = fixture("output/atomic");
    f.build();
    // A pid that no process has: above the kernel's pid_max.
    let dead = 4_194_400;
    f.write(&format!(".public.tmp-{dead}/.sosik-output"), "x");
    f.write(&format!(".public.tmp-{dead}/2025/index.html"), "half");
    f.write(&format!(".public.old-{dead}/.sosik-output"), "x");
    f.write(".public.tmp-1/.sosik-output", "a live build (pid 1 always runs)");
    f.write(".public.tmp-4194401/mine.txt", "not sosik's");
    f.build();
    let left: Vec<String> = list_dir(&f.root).into_iter().filter(|n| n.starts_with(".public")).collect();
    assert_eq!(left, [".public.tmp-1", ".public.tmp-4194401"]);
}

/// Regression (issue 9, defect 8): SIGINT or SIGTERM during a build leaves no staging folder, and the
/// previous output as it was.
#[cfg(unix)]
#[test]
fn interrupted_build_removes_its_staging_folder() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let f = fixture("output/atomic");
    let first = f.build();
    let before = snapshot(&first.out);
    // Many articles, so that the build is still running when the signal comes.
    for i in 0..400 {
        f.write(
            &format!("content/bulk/b{i}.md"),
            format!(
                "+++\ntitle = \"기사 {i}\"\ndate = 2025-06-{:02}\n+++\n{}\n",
                i % 28 + 1,
                "딥시크 반도체 로봇. ".repeat(200)
            ),
        );
    }
    let mut interrupted = 0;
    for signal in ["INT", "TERM"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sosik"))
            .args(["build"])
            .current_dir(&f.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let staging = f.root.join(format!(".public.tmp-{}", child.id()));
        let start = Instant::now();
        while !staging.join(".sosik-output").exists() && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(staging.exists(), "the build never started staging");
        let kill = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        if status.success() {
            continue; // it finished first: nothing to check for this signal
        }
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?}");
        assert!(!staging.exists(), "SIG{signal} left {}", staging.display());
        assert!(snapshot(&first.out) == before, "SIG{signal} changed public/");
        interrupted += 1;
    }
    assert!(interrupted > 0, "both builds ended before the signal: make the site larger");
}

/// Regression (issue 9, defect 9): `static/index.html` replaced the generated home page silently.
#[test]
fn static_file_over_a_generated_page_is_a_warning() {
    let f = fixture("output/atomic");
    f.write("static/index.html", "<p>mine</p>");
    f.write("static/feed.xml", "<feed/>");
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stderr,
        "static/feed.xml:1:1: warning: replaces the file sosik generates at /feed.xml; rename it unless that is \
         intended\nstatic/index.html:1:1: warning: replaces the file sosik generates at /index.html; rename it \
         unless that is intended\n"
    );
    assert_eq!(std::fs::read_to_string(f.path("public/index.html")).unwrap(), "<p>mine</p>");
}
