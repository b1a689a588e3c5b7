//! Issue 6 points 4 and 6: `sosik build --minify` and `--precompress` (off by default), and the
//! sitemap split above 50,000 URLs. Fixture: tests/fixtures/publish/site (deployed under /news/).

use crate::harness;

use std::collections::BTreeMap;
use std::io::Read;

use chrono::DateTime;
use harness::{fixture, Built, Fixture};
use sosik::build::{self, BuildOptions};
use sosik::feeds::{self, SitemapUrl};
use sosik::linkcheck::{scan_html, LinkCollector};
use sosik::output::NullSink;
use sosik::publish::{is_compressible, Publish, PublishOptions};
use sosik::Progress;

/// Builds into `<tmp>/out-<flags>`, so builds of one fixture with different flags sit side by side.
fn build(f: &Fixture, minify: bool, precompress: bool) -> Built {
    let output = f.tmp.path().join(format!("out-{minify}-{precompress}"));
    f.build_with(BuildOptions { output: Some(output), publish: PublishOptions { minify, precompress }, ..f.opts() })
}

fn bytes(b: &Built, rel: &str) -> Vec<u8> {
    std::fs::read(b.out.join(rel)).unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data).read_to_end(&mut out).expect("valid gzip");
    out
}

fn unbrotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096).read_to_end(&mut out).expect("valid brotli");
    out
}

#[test]
fn a_default_build_is_neither_minified_nor_precompressed() {
    let f = fixture("publish/site");
    let b = f.build();
    assert!(!b.files().iter().any(|r| r.ends_with(".gz") || r.ends_with(".br")));
    assert!(b.page("").starts_with("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n"));
}

#[test]
fn precompressed_copies_decompress_to_the_same_bytes() {
    let f = fixture("publish/site");
    let b = build(&f, false, true);
    let files = b.files();
    let originals: Vec<&String> = files.iter().filter(|r| !r.ends_with(".gz") && !r.ends_with(".br")).collect();
    let mut copies = 0;
    for rel in &originals {
        let original = bytes(&b, rel);
        let (gz, br) = (format!("{rel}.gz"), format!("{rel}.br"));
        if !is_compressible(rel) {
            assert!(!files.contains(&gz) && !files.contains(&br), "{rel} is not text: no compressed copies");
            continue;
        }
        // A copy is written when it is smaller; every page and feed of this site is big enough.
        if rel.ends_with(".html") || rel.ends_with(".xml") || rel.ends_with(".css") || rel.ends_with(".js") {
            assert!(files.contains(&gz) && files.contains(&br), "{rel} has .gz and .br");
        }
        if files.contains(&gz) {
            assert_eq!(gunzip(&bytes(&b, &gz)), original, "{gz}");
            assert!(bytes(&b, &gz).len() < original.len());
            copies += 1;
        }
        if files.contains(&br) {
            assert_eq!(unbrotli(&bytes(&b, &br)), original, "{br}");
            assert!(bytes(&b, &br).len() < original.len());
            copies += 1;
        }
    }
    assert!(files.contains("images/dots.svg.gz"), "SVG is text");
    assert!(files.contains("images/r1.png") && !files.contains("images/r1.png.gz"), "PNG is not compressed again");
    assert!(files.iter().any(|r| r.starts_with("search/") && r.ends_with(".json.br")), "the search index too");
    assert_eq!(files.len(), originals.len() + copies, "nothing but originals and their copies");
    assert_eq!(b.report.files, files.len(), "the report counts the copies");
}

#[test]
fn a_rebuild_reuses_the_compressed_copies_of_files_that_did_not_change() {
    let f = fixture("publish/site");
    let b = build(&f, false, true);
    let page = "2025/07/28/unitree-r1/index.html";
    let original = bytes(&b, page);
    // A different but valid brotli stream of the same page: a rebuild that reuses keeps it.
    let params = brotli::enc::BrotliEncoderParams { quality: 1, ..Default::default() };
    let mut other = Vec::new();
    brotli::BrotliCompress(&mut &original[..], &mut other, &params).unwrap();
    assert_ne!(other, bytes(&b, &format!("{page}.br")));
    std::fs::write(b.out.join(format!("{page}.br")), &other).unwrap();
    // A .gz that does not decompress to its file is not reused.
    let tampered = sosik::publish::gzip("변조된 내용".as_bytes()).unwrap();
    std::fs::write(b.out.join("index.html.gz"), &tampered).unwrap();
    // An article that changes gets new copies.
    f.write(
        "content/2025/07/29/deepseek-v3.md",
        std::fs::read_to_string(f.path("content/2025/07/29/deepseek-v3.md")).unwrap() + "\n덧붙인 문단.\n",
    );

    let again = build(&f, false, true);
    assert_eq!(bytes(&again, &format!("{page}.br")), other, "the unchanged page's copy was reused");
    assert_eq!(
        gunzip(&bytes(&again, "index.html.gz")),
        bytes(&again, "index.html"),
        "a copy that does not match is made again"
    );
    let changed = "2025/07/29/deepseek-v3/index.html";
    assert!(String::from_utf8(bytes(&again, changed)).unwrap().contains("덧붙인 문단"));
    assert_eq!(unbrotli(&bytes(&again, &format!("{changed}.br"))), bytes(&again, changed));
    assert_eq!(gunzip(&bytes(&again, &format!("{changed}.gz"))), bytes(&again, changed));
}

#[test]
fn precompress_then_minify_compresses_the_minified_bytes() {
    let f = fixture("publish/site");
    let b = build(&f, true, true);
    for rel in ["index.html", "style.css", "search.js", "2025/07/28/hostile/index.html"] {
        assert_eq!(gunzip(&bytes(&b, &format!("{rel}.gz"))), bytes(&b, rel), "{rel}");
        assert_eq!(unbrotli(&bytes(&b, &format!("{rel}.br"))), bytes(&b, rel), "{rel}");
    }
}

#[test]
fn cli_flags_and_summary_count_every_file() {
    let f = fixture("publish/site");
    let out = f.tmp.path().join("out");
    let run = f.cli(&["build", "--minify", "--precompress", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "", "no warnings");
    harness::assert_summary(&run.stdout, 3, &out);
    assert!(out.join("index.html.br").is_file());
    assert!(!std::fs::read_to_string(out.join("index.html")).unwrap().contains("\n<head>\n"), "minified");
}

/// Links and ids of each page (sorted lists), as the link checker reads them.
fn links_and_ids(b: &Built) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    b.files()
        .into_iter()
        .filter(|r| r.ends_with(".html"))
        .map(|rel| {
            let (mut links, ids) = scan_html(&b.file(&rel));
            links.sort();
            let mut ids: Vec<String> = ids.into_iter().collect();
            ids.sort();
            (rel, (links, ids))
        })
        .collect()
}

#[test]
fn minified_pages_have_the_same_links_and_ids_and_are_smaller() {
    let f = fixture("publish/site");
    let plain = build(&f, false, false);
    let min = build(&f, true, false);
    assert_eq!(plain.files(), min.files(), "the same files");
    assert_eq!(links_and_ids(&min), links_and_ids(&plain));
    for rel in plain.files() {
        let (p, m) = (bytes(&plain, &rel), bytes(&min, &rel));
        match rel.rsplit('.').next() {
            Some("html" | "css" | "js") => assert!(m.len() < p.len(), "{rel}: {} -> {} bytes", p.len(), m.len()),
            _ => assert_eq!(m, p, "{rel} is not minified"),
        }
    }
    let total = |b: &Built| b.files().iter().map(|r| bytes(b, r).len()).sum::<usize>();
    assert!(total(&min) < total(&plain));
    // The search page's contract with search.js survives: its ids and the script's data-base.
    let search = min.page("search/");
    let (_, ids) = scan_html(&search);
    for id in ["search-input", "search-results", "search-status", "search-facets", "search-more"] {
        assert!(ids.contains(id), "search page lost #{id}:\n{search}");
    }
    assert!(search.contains("data-base=/news/"), "{search}");
    // Code blocks keep their spaces.
    assert!(min.page("2025/07/28/unitree-r1/").contains("코드   블록의   공백은   그대로"));
}

#[test]
fn minified_and_precompressed_output_passes_the_link_check() {
    let f = fixture("publish/site");
    let collector = LinkCollector::new(&NullSink);
    let publish = Publish::new(&collector, PublishOptions { minify: true, precompress: true });
    let report = build::generate(&f.opts(), &publish, &Progress::default()).unwrap();
    assert!(report.pages > 15);
    let config = build::load_config(&f.opts()).unwrap();
    assert_eq!(collector.broken(&config.base_url), []);
    assert!(publish.extra_files() > 50);
}

#[test]
fn a_script_that_does_not_parse_is_copied_as_is_with_a_warning() {
    let f = fixture("publish/site");
    let broken = "// 고장 난 스크립트\nvar ok = 1;\nlet = = ;\n";
    f.write("static/js/broken.js", broken);
    let b = build(&f, true, false);
    assert_eq!(b.file("js/broken.js"), broken);
    let warnings: Vec<String> = b.report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("js/broken.js:3:"), "{warnings:?}");
    assert!(warnings[0].contains("not minified, copied as is"), "{warnings:?}");
}

#[test]
fn minified_and_precompressed_builds_are_byte_identical() {
    let f = fixture("publish/site");
    let read_all = |b: &Built| b.files().into_iter().map(|r| (r.clone(), bytes(b, &r))).collect::<BTreeMap<_, _>>();
    let first = read_all(&build(&f, true, true));
    // Into another folder, so nothing is reused from the first build.
    let opts = BuildOptions {
        output: Some(f.tmp.path().join("again")),
        publish: PublishOptions { minify: true, precompress: true },
        ..f.opts()
    };
    let second = read_all(&f.build_with(opts));
    assert!(first == second, "two builds differ");
}

#[test]
fn sosik_check_lists_broken_links_and_fragments_and_exits_1() {
    let f = fixture("publish/broken");
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    // Targets as written in the page, percent escapes decoded; the page by its output file.
    assert_eq!(
        run.stderr,
        "broken link: /2025/07/28/links/index.html -> #없는-절\n\
         broken link: /2025/07/28/links/index.html -> /news/2025/07/28/target/#무게\n\
         broken link: /2025/07/28/links/index.html -> /news/2025/07/30/nope/\n\
         error: 3 broken link(s)\n"
    );
    assert!(!f.path("public").exists(), "check writes nothing");
    // The same links through the library, unencoded in the report.
    let report = f.check().unwrap();
    let to: Vec<&str> = report.broken_links.iter().map(|b| b.to.as_str()).collect();
    assert_eq!(
        to,
        ["#%EC%97%86%EB%8A%94-%EC%A0%88", "/news/2025/07/28/target/#%EB%AC%B4%EA%B2%8C", "/news/2025/07/30/nope/"]
    );
}

#[test]
fn sosik_check_passes_on_the_sample_site() {
    let run = harness::run_in(&harness::repo_root(), &["check", "--drafts"]);
    assert_eq!(run.code, 0, "{run:?}");
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("ok: "), "{}", run.stdout);
    let opts =
        BuildOptions { root: harness::repo_root(), drafts: true, now: Some(harness::now()), ..Default::default() };
    let report = build::check(&opts, &Progress::default()).unwrap();
    assert_eq!(report.broken_links, []);
    assert!(report.pages > 150, "{} pages checked", report.pages);
}

/// The sitemap protocol allows 50,000 URLs per file; above that `sitemap.xml` becomes an index.
#[test]
fn sitemap_splits_into_an_index_above_50000_urls() {
    let config = sosik::config::Config::parse(
        "title = \"큰 아카이브\"\nbase_url = \"https://example.org/news/\"\ntimezone = \"+09:00\"\n",
        std::path::Path::new("site.toml"),
    )
    .unwrap();
    let (site, _) = sosik::model::assemble(config, Vec::new(), Vec::new(), Default::default(), Vec::new()).unwrap();
    // Times given in UTC; the sitemap writes them in the site timezone.
    let noon_utc = DateTime::parse_from_rfc3339("2025-07-28T03:00:00Z").unwrap();
    let url = |i: usize| SitemapUrl {
        path: format!("/news/2025/07/28/article-{i:06}/"),
        lastmod: (!i.is_multiple_of(7)).then(|| noon_utc + chrono::Duration::minutes(i as i64)),
    };
    let count = 2 * feeds::SITEMAP_MAX_URLS + 1;
    let urls: Vec<SitemapUrl> = (0..count).map(url).collect();
    let files = feeds::sitemaps(&site, &urls);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);

    let index = &files[0].1;
    assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"));
    let locs: Vec<&str> = index.split("<loc>").skip(1).map(|s| s.split('<').next().unwrap()).collect();
    assert_eq!(
        locs,
        [
            "https://example.org/news/sitemap-1.xml",
            "https://example.org/news/sitemap-2.xml",
            "https://example.org/news/sitemap-3.xml"
        ]
    );
    // Each part's lastmod is its newest URL's, in +09:00.
    let last_of_first = noon_utc + chrono::Duration::minutes(feeds::SITEMAP_MAX_URLS as i64 - 1);
    assert!(
        index.contains(&format!(
            "<lastmod>{}</lastmod>",
            last_of_first.with_timezone(&site.config.timezone).to_rfc3339()
        )),
        "{index}"
    );

    let mut seen = 0;
    for (name, xml) in &files[1..] {
        let n = xml.matches("<url>").count();
        assert!(n <= feeds::SITEMAP_MAX_URLS, "{name}: {n} URLs");
        assert!(xml.len() < 50 * 1024 * 1024, "{name}: under the protocol's 50 MB");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset "), "{name}");
        assert!(xml.ends_with("</urlset>\n"));
        seen += n;
    }
    assert_eq!(seen, count, "every URL in exactly one part");
    assert_eq!(files[3].1.matches("<url>").count(), 1);
    let first = &files[1].1;
    assert!(
        first.contains("<url><loc>https://example.org/news/2025/07/28/article-000000/</loc></url>\n"),
        "no lastmod when unknown"
    );
    assert!(first.contains("<url><loc>https://example.org/news/2025/07/28/article-000001/</loc><lastmod>2025-07-28T12:01:00+09:00</lastmod></url>\n"));
    let lastmods = files
        .iter()
        .flat_map(|(_, x)| x.split("<lastmod>").skip(1).map(|s| s.split('<').next().unwrap().to_string()))
        .collect::<Vec<_>>();
    assert!(lastmods.len() > count / 2);
    assert!(lastmods.iter().all(|d| d.ends_with("+09:00")), "every lastmod in the site timezone");

    // At exactly the limit it stays one file.
    let exactly: Vec<SitemapUrl> = (0..feeds::SITEMAP_MAX_URLS).map(url).collect();
    let one = feeds::sitemaps(&site, &exactly);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].1.matches("<url>").count(), feeds::SITEMAP_MAX_URLS);
    assert!(one[0].1.contains("<urlset "));
}
