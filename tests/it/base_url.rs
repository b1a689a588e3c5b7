//! Subpath deploys (fixture base_url/news, base_url = "https://example.org/news/"): every internal
//! link of every page carries /news/ and leads to a file the build wrote; `--base-url` overrides the
//! path and `--output` picks the folder.

use crate::harness;

use harness::{attr_values, fixture, list_dir, page_urls, percent_decode, resolve, walk_files, Built};

/// Checks every page of `b` as deployed under `base_path`; returns the number of links checked.
fn check_links(b: &Built, base_path: &str, origin: &str) -> usize {
    let mut checked = 0;
    let mut problems = Vec::new();
    for rel in b.files() {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = b.file(&rel);
        let ids = attr_values(&html, "id");
        // The canonical link is absolute on purpose (issue 6); it must name the page itself.
        let canonical =
            html.split(r#"<link rel="canonical" href=""#).nth(1).map(|s| s[..s.find('"').unwrap()].to_string());
        if rel != "404.html" {
            let want = format!("{origin}{base_path}{}", rel.trim_end_matches("index.html"));
            assert_eq!(canonical.as_deref().map(percent_decode), Some(want), "{rel}: canonical link");
        }
        for url in page_urls(&html) {
            checked += 1;
            if Some(&url) == canonical.as_ref() {
                continue;
            }
            if let Some(frag) = url.strip_prefix('#') {
                if !ids.contains(&percent_decode(frag)) {
                    problems.push(format!("{rel}: fragment {url} names no id of the page"));
                }
            } else if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
                assert!(!url.starts_with(origin), "{rel}: internal link written as absolute URL {url}");
            } else if !url.starts_with(base_path) {
                problems.push(format!("{rel}: {url} does not start with {base_path}"));
            } else if resolve(&b.out, base_path, &url).is_none() {
                problems.push(format!("{rel}: {url} leads to no file of the build"));
            }
        }
        for base in attr_values(&html, "data-base") {
            if base != base_path {
                problems.push(format!("{rel}: data-base=\"{base}\""));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    checked
}

/// Every URL in the feeds, the sitemap and robots.txt is absolute and under `base_url`.
fn check_machine_files(b: &Built, base_url: &str) {
    for rel in b.files() {
        if !(rel.ends_with(".xml") || rel == "robots.txt") {
            continue;
        }
        let text = b.file(&rel);
        let mut urls = attr_values(&text, "href");
        for tag in ["id", "loc"] {
            let open = format!("<{tag}>");
            urls.extend(text.split(&open).skip(1).map(|s| s.split('<').next().unwrap().to_string()));
        }
        urls.extend(text.lines().filter_map(|l| l.strip_prefix("Sitemap: ")).map(str::to_string));
        assert!(!urls.is_empty(), "{rel} has URLs");
        for url in urls {
            assert!(url.starts_with(base_url), "{rel}: {url} is not under {base_url}");
        }
    }
}

#[test]
fn every_internal_link_keeps_the_base_path_and_resolves() {
    let b = fixture("base_url/news").build();
    let n = check_links(&b, "/news/", "https://example.org");
    assert!(n > 200, "only {n} links checked");
    let article = b.page("2025/07/28/deepseek-v3/");
    // Site paths written in Markdown get the base path; images too.
    assert!(article.contains(r#"<a href="/news/2025/07/29/kimi/">새 모델</a>"#), "{article}");
    assert!(article.contains(r#"<img src="/news/images/chart.png" alt="그림" />"#));
    assert!(article.contains(r#"<link rel="stylesheet" href="/news/style.css?v="#));
}

#[test]
fn feeds_sitemap_and_robots_use_the_full_base_url() {
    let b = fixture("base_url/news").build();
    check_machine_files(&b, "https://example.org/news/");
    assert_eq!(b.file("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://example.org/news/sitemap.xml\n");
    assert!(b.file("feed.xml").contains(
        "<content type=\"html\">&lt;p&gt;딥시크가 &lt;a href=&quot;/news/2025/07/29/kimi/&quot;&gt;새 모델&lt;/a&gt;"
    ));
}

#[test]
fn not_found_page_works_at_any_depth() {
    let b = fixture("base_url/news").build();
    let html = b.file("404.html");
    for url in page_urls(&html) {
        assert!(url.starts_with("/news/") || url.starts_with('#'), "404.html: {url} would break below the root");
    }
}

#[test]
fn base_url_flag_overrides_site_toml_and_output_flag_picks_the_folder() {
    let f = fixture("base_url/news");
    let out = f.tmp.path().join("deploy");
    let run = f.cli(&["build", "--base-url", "https://user.github.io/archive", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    harness::assert_summary(&run.stdout, 2, &out);
    // One warning per use of an unknown name; the page is named with the base path.
    assert_eq!(
        run.stderr,
        "content/2025/07/28/deepseek-v3.md:4:26: warning: unknown company `문샷`: not in site.toml [companies]; it gets the page /archive/companies/문샷/\n\
         content/2025/07/29/kimi.md:4:14: warning: unknown company `문샷`: not in site.toml [companies]; it gets the page /archive/companies/문샷/\n"
    );
    assert!(!f.path("public").exists(), "--output replaces public/");
    let report = sosik::build::BuildReport { output: out.clone(), ..Default::default() };
    let b = Built::from_report(report, &f);
    check_links(&b, "/archive/", "https://user.github.io");
    check_machine_files(&b, "https://user.github.io/archive/");
    assert!(!walk_files(&out).is_empty());
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let f = fixture("base_url/news");
    let run = f.cli(&["build", "--base-url", "ftp://example.org/"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "--base-url: invalid base_url `ftp://example.org/`: it must start with https:// or http://\n"
    );
    assert_eq!(run.stdout, "");
    assert_eq!(list_dir(f.tmp.path()), ["site"], "nothing written, no temporary folder left");
    assert!(!f.path("public").exists());
}
