//! `sosik serve` watching files: a save is followed by a reload event and the new content; a broken
//! save shows an escaped overlay while the last good site is served; only affected pages re-render.
//! Every wait has a generous timeout and nothing asserts on speed.

use crate::harness;
use crate::serve_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serve_support::{get, next_report, next_settle, save, start, start_with, Events};
use sosik::serve::{Event, Fault, ServeOptions, Summary};

const ARTICLE: &str = "content/2025/07/27/deepseek-v3.md";

fn built(rx: &std::sync::mpsc::Receiver<Event>) -> Summary {
    match next_report(rx) {
        Event::Built(s) => s,
        Event::Failed { message, .. } => panic!("the rebuild failed: {message}"),
    }
}

fn failed(rx: &std::sync::mpsc::Receiver<Event>) -> String {
    match next_report(rx) {
        Event::Failed { message, .. } => message,
        Event::Built(s) => panic!("expected a failed rebuild, got {s:?}"),
    }
}

#[test]
fn saving_an_article_sends_a_reload_and_serves_the_new_text() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    assert!(built(&rx).first);
    let mut events = Events::connect(server.addr);
    assert_eq!(events.next().0, "hello");

    let path = f.root.join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap().replace("새 오픈소스 모델 공개", "V4 공개: 새 제목");
    save(&path, &text);
    let data = events.wait_for_reload();
    assert!(data.contains("\"css_only\":false"), "{data}");
    assert!(data.contains("2025/07/27/deepseek-v3/index.html"), "{data}");
    let page = get(server.addr, "/news/2025/07/27/deepseek-v3/").text();
    assert!(page.contains("딥시크, V4 공개: 새 제목"), "{page}");

    // Only the article and the pages that list it were rendered again.
    let s = built(&rx);
    assert_eq!(s.changed, [std::path::PathBuf::from(ARTICLE)]);
    assert!(s.pages_rendered > 0 && s.pages_rendered < s.pages_total / 2, "{s:?}");
    let untouched = get(server.addr, "/news/2025/08/01/chips/").text();
    assert!(!untouched.contains("새 제목"));
    server.stop();
}

#[test]
fn new_and_deleted_articles_come_and_go() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");

    std::fs::create_dir_all(f.root.join("content/2025/08/02")).unwrap();
    save(
        &f.root.join("content/2025/08/02/new.md"),
        "+++\ntitle = \"새 기사\"\ndate = 2025-08-02\ntags = [\"신규\"]\n+++\n본문.\n",
    );
    events.wait_for_reload();
    assert_eq!(get(server.addr, "/news/2025/08/02/new/").status, 200);
    assert!(get(server.addr, "/news/tags/신규/").text().contains("새 기사"));
    assert!(get(server.addr, "/news/").text().contains("새 기사"));

    std::fs::remove_file(f.root.join("content/2025/08/02/new.md")).unwrap();
    events.wait_for_reload();
    assert_eq!(get(server.addr, "/news/2025/08/02/new/").status, 404);
    assert_eq!(get(server.addr, "/news/tags/신규/").status, 404);
    assert!(!get(server.addr, "/news/").text().contains("새 기사"));

    // A whole folder removed at once.
    std::fs::remove_dir_all(f.root.join("content/2025/07/28")).unwrap();
    events.wait_for_reload();
    assert_eq!(get(server.addr, "/news/2025/07/28/waic/").status, 404);
    assert_eq!(get(server.addr, "/news/2025/07/28/").status, 404);
    server.stop();
}

#[test]
fn a_broken_save_shows_an_escaped_overlay_over_the_last_good_site() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");

    let path = f.root.join(ARTICLE);
    let good = std::fs::read_to_string(&path).unwrap();
    save(&path, "+++\ntitle = \"<script>alert(1)</script>\"\ndate = 2025-07-27\nbogus = \"<img src=x onerror=alert(2)>\"\n+++\n본문\n");
    let data = events.wait_for("build-error");
    assert_eq!(
        data,
        r#"{"message":"content/2025/07/27/deepseek-v3.md:4:1: unknown key `bogus`; expected one of `title`, `date`, `companies`, `tags`, `topics`, `summary`, `source`, `source_url`, `slug`, `draft`, `weight`, `updated`, `author`, `image`, `image_alt`"}"#
    );
    let message = failed(&rx);
    assert!(message.starts_with("content/2025/07/27/deepseek-v3.md:4:1: unknown key `bogus`"), "{message}");

    // The last good page is still served, with the error over it, escaped.
    let page = get(server.addr, "/news/2025/07/27/deepseek-v3/").text();
    assert!(page.contains("딥시크, 새 오픈소스 모델 공개"));
    assert!(page.contains("<div id=\"sosik-overlay\" role=\"alert\""), "{page}");
    assert!(page.contains("content/2025/07/27/deepseek-v3.md:4:1: unknown key `bogus`"));
    assert!(!page.contains("<script>alert(1)") && !page.contains("<img src=x"));

    // The next good save clears it (the site is as before the broken save: nothing to reload).
    save(&path, &good);
    assert_eq!(events.next().0, "build-ok");
    assert_eq!(built(&rx).files_changed, 0);
    let page = get(server.addr, "/news/2025/07/27/deepseek-v3/").text();
    assert!(!page.contains("sosik-overlay"));

    // An error whose text quotes markup (here a key of the front matter) is escaped too.
    save(&path, &good.replacen("+++\n", "+++\n\"<b onclick=alert(3)>\" = 1\n", 1));
    let data = events.wait_for("build-error");
    assert!(data.contains("<b onclick=alert(3)>"), "the event carries the text as it is: {data}");
    let message = failed(&rx);
    assert!(
        message.starts_with("content/2025/07/27/deepseek-v3.md:2:1: unknown key `<b onclick=alert(3)>`"),
        "{message}"
    );
    let page = get(server.addr, "/news/").text();
    assert!(page.contains("&lt;b onclick=alert(3)&gt;"), "{page}");
    assert!(!page.contains("<b onclick"), "{page}");
    save(&path, &good);
    assert_eq!(events.next().0, "build-ok");
    built(&rx);

    // A template that does not parse: the error names the site's template file, line and column.
    std::fs::create_dir_all(f.root.join("templates")).unwrap();
    save(&f.root.join("templates/404.html"), "<p>{{ <b onclick=alert(3)> }}</p>");
    let data = events.wait_for("build-error");
    let message = failed(&rx);
    assert!(message.starts_with("templates/404.html:1:7: "), "{message} / {data}");
    assert!(get(server.addr, "/news/").text().contains("templates/404.html:1:7: "));
    let missing = get(server.addr, "/news/nope/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("sosik-overlay"), "the 404 page shows the error too");
    std::fs::remove_file(f.root.join("templates/404.html")).unwrap();
    assert_eq!(events.next().0, "build-ok");
    server.stop();
}

#[test]
fn a_template_edit_re_renders_the_pages_that_use_it() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    let first = built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");

    let article = sosik::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "article.html").unwrap().1;
    std::fs::create_dir_all(f.root.join("templates")).unwrap();
    save(
        &f.root.join("templates/article.html"),
        &article.replace("{% block main %}", "{% block main %}<p class=\"marker\">템플릿 수정</p>"),
    );
    events.wait_for_reload();
    let s = built(&rx);
    assert_eq!(s.pages_rendered, first.articles, "only article pages use article.html: {s:?}");
    assert!(get(server.addr, "/news/2025/07/27/deepseek-v3/").text().contains("템플릿 수정"));
    assert!(!get(server.addr, "/news/2025/07/27/").text().contains("템플릿 수정"));
    server.stop();
}

#[test]
fn a_stylesheet_edit_is_copied_and_swapped_without_a_reload() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");
    save(&f.root.join("static/extra.css"), ".extra { color: teal; }\n");
    let data = events.wait_for_reload();
    assert!(data.contains("\"css_only\":true"), "{data}");
    assert_eq!(built(&rx).pages_rendered, 0);
    assert_eq!(get(server.addr, "/news/extra.css").text(), ".extra { color: teal; }\n");
    server.stop();
}

#[test]
fn editor_temporary_files_do_not_trigger_rebuilds() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    built(&rx);
    let dir = f.root.join("content/2025/07/27");
    for name in [".deepseek-v3.md.swp", "deepseek-v3.md~", ".#deepseek-v3.md", "4913", "#deepseek-v3.md#"] {
        std::fs::write(dir.join(name), "+++\nbroken").unwrap();
    }
    // Then a real change: the first rebuild reported is for it alone, and it succeeds.
    let path = f.root.join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap().replace("벤치마크", "새 벤치마크");
    save(&path, &text);
    let s = built(&rx);
    assert_eq!(s.changed, [std::path::PathBuf::from(ARTICLE)]);
    server.stop();
}

#[test]
fn related_articles_and_the_search_index_follow_once_saves_stop() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start(&f.root, true);
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");
    let search_files = |addr| {
        let manifest = get(addr, "/news/search/manifest.json").text();
        assert!(manifest.starts_with('{'), "{manifest}");
        manifest
    };
    let before = search_files(server.addr);

    let path = f.root.join("content/2025/07/28/robot-market.md");
    let text = std::fs::read_to_string(&path).unwrap().replace("로봇 시장 전망", "휴머노이드 로봇 시장 전망");
    save(&path, &text);
    events.wait_for_reload();
    built(&rx);
    let settled = next_settle(&rx);
    assert!(settled.files_changed > 0, "{settled:?}");
    // The index now holds the new title; the pages that changed were told to reload, by URL.
    let after = search_files(server.addr);
    assert_ne!(before, after);
    let data = events.wait_for("reload");
    assert!(data.contains("\"only\":["), "{data}");
    assert!(data.contains("/news/search/"), "{data}");
    let manifest: serde_json::Value = serde_json::from_str(&after).unwrap();
    let hash = manifest["docs"]["hash"].as_str().expect("the manifest names its document store");
    let docs = get(server.addr, &format!("/news/search/docs.{hash}.0.json")).text();
    assert!(docs.contains("휴머노이드 로봇 시장 전망"), "{docs}");
    server.stop();
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed_and_follows_its_base_path() {
    let f = harness::fixture("serve/site");
    let path = f.root.join(ARTICLE);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, "+++\ntitle = \"x\"\n").unwrap();
    let (server, rx) = start(&f.root, true);
    assert!(failed(&rx).contains("unterminated front matter"));
    assert!(server.url.ends_with("/news/"), "the URL has the base path even before a build: {}", server.url);
    // Nothing built yet: every page is a 404 that shows the error.
    let page = get(server.addr, "/news/");
    assert_eq!(page.status, 404);
    assert!(page.text().contains("sosik-overlay") && page.text().contains("unterminated front matter"));
    let mut events = Events::connect(server.addr);
    assert!(events.wait_for("build-error").contains("unterminated front matter"));

    save(&path, &good);
    events.wait_for_reload();
    assert_eq!(get(server.addr, "/news/").status, 200);

    // site.toml moves the site to another path: the server follows it.
    let toml = std::fs::read_to_string(f.root.join("site.toml")).unwrap();
    save(&f.root.join("site.toml"), &toml.replace("https://example.org/news/", "https://example.org/blog/"));
    events.wait_for_reload();
    let home = get(server.addr, "/blog/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/blog/2025/08/01/chips/\""));
    assert_eq!(get(server.addr, "/news/").status, 404);
    server.stop();
}

/// Text that makes the test hook panic when a rebuild produces a file containing it.
const PANIC_MARKER: &str = "SOSIK-TEST-PANIC";

/// Server options whose rebuilds panic on any output file `when(path, bytes)` picks.
fn panicking(root: &std::path::Path, when: impl Fn(&str, &[u8]) -> bool + Send + Sync + 'static) -> ServeOptions {
    let mut opts = ServeOptions::new(root);
    opts.now = Some(chrono::DateTime::parse_from_rfc3339("2025-08-10T12:00:00+09:00").unwrap());
    opts.fault = Some(Fault(Arc::new(move |rel: &str, bytes: &[u8]| {
        if when(rel, bytes) {
            panic!("injected panic while preparing {rel}");
        }
    })));
    opts
}

fn has_marker(bytes: &[u8]) -> bool {
    bytes.windows(PANIC_MARKER.len()).any(|w| w == PANIC_MARKER.as_bytes())
}

/// The next successful rebuild after a save, skipping failures.
fn next_built(rx: &std::sync::mpsc::Receiver<Event>) -> Summary {
    loop {
        if let Event::Built(s) = next_report(rx) {
            return s;
        }
    }
}

/// Issue 9, defect 2: a panic in a rebuild killed the rebuild thread; the old site stayed up and no
/// later save was picked up.
#[test]
fn a_panic_in_a_rebuild_is_shown_and_the_next_save_rebuilds_the_whole_site() {
    let f = harness::fixture("serve/site");
    let (server, rx) = start_with(panicking(&f.root, |_, bytes| has_marker(bytes)));
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");

    // The panic happens halfway through rendering, after the incremental state was changed.
    let path = f.root.join(ARTICLE);
    let good = std::fs::read_to_string(&path).unwrap();
    save(&path, &format!("{good}\n{PANIC_MARKER}\n"));
    let data = events.wait_for("build-error");
    assert!(data.contains("internal error: sosik panicked while rebuilding at tests/it/serve_reload.rs:"), "{data}");
    assert!(data.contains(": injected panic while preparing "), "{data}");
    let message = failed(&rx);
    assert!(message.starts_with("internal error: sosik panicked while rebuilding at tests/it/serve_reload.rs:"));
    assert!(message.contains("the next save rebuilds the whole site"), "{message}");
    let page = get(server.addr, "/news/2025/07/27/deepseek-v3/").text();
    assert!(page.contains("딥시크, 새 오픈소스 모델 공개") && page.contains("sosik-overlay"), "{page}");
    assert!(page.contains("internal error: sosik panicked"), "{page}");

    // The server still watches. An article removed meanwhile is gone after the full rebuild.
    std::fs::remove_file(f.root.join("content/2025/07/28/waic.md")).unwrap();
    save(&path, &good.replace("새 오픈소스 모델 공개", "복구된 제목"));
    events.wait_for_reload();
    let s = next_built(&rx);
    assert!(!s.first, "{s:?}");
    let page = get(server.addr, "/news/2025/07/27/deepseek-v3/").text();
    assert!(page.contains("딥시크, 복구된 제목") && !page.contains("sosik-overlay"), "{page}");
    assert_eq!(get(server.addr, "/news/2025/07/28/waic/").status, 404);
    let (fresh, fresh_rx) = start(&f.root, false);
    built(&fresh_rx);
    assert_eq!(server.shared().store.paths(), fresh.shared().store.paths());
    fresh.stop();

    // And it is incremental again.
    save(&path, &good.replace("새 오픈소스 모델 공개", "다시 고친 제목"));
    events.wait_for_reload();
    let s = built(&rx);
    assert!(s.pages_rendered < s.pages_total / 2, "{s:?}");
    assert!(get(server.addr, "/news/2025/07/27/deepseek-v3/").text().contains("딥시크, 다시 고친 제목"));
    server.stop();
}

#[test]
fn a_panic_in_the_first_build_is_shown_and_a_save_builds_the_site() {
    let f = harness::fixture("serve/site");
    let armed = Arc::new(AtomicBool::new(true));
    let (server, rx) = start_with(panicking(&f.root, {
        let armed = armed.clone();
        move |_, _| armed.load(Ordering::SeqCst)
    }));
    let message = failed(&rx);
    assert!(message.starts_with("internal error: sosik panicked while rebuilding at "), "{message}");
    let page = get(server.addr, "/news/");
    assert_eq!(page.status, 404);
    assert!(page.text().contains("internal error: sosik panicked"), "{}", page.text());
    let mut events = Events::connect(server.addr);
    events.wait_for("build-error");

    armed.store(false, Ordering::SeqCst);
    let path = f.root.join(ARTICLE);
    save(&path, &std::fs::read_to_string(&path).unwrap());
    events.wait_for_reload();
    assert_eq!(get(server.addr, "/news/").status, 200);
    server.stop();
}

#[test]
fn a_panic_while_settling_is_shown_and_the_next_save_settles() {
    let f = harness::fixture("serve/site");
    let armed = Arc::new(AtomicBool::new(false));
    let (server, rx) = start_with(panicking(&f.root, {
        let armed = armed.clone();
        move |rel, _| armed.load(Ordering::SeqCst) && rel.starts_with("search/")
    }));
    built(&rx);
    let mut events = Events::connect(server.addr);
    events.wait_for("hello");

    armed.store(true, Ordering::SeqCst);
    let path = f.root.join(ARTICLE);
    let good = std::fs::read_to_string(&path).unwrap();
    save(&path, &good.replace("새 오픈소스 모델 공개", "검색 색인 실패"));
    built(&rx);
    let message = failed(&rx);
    assert!(message.starts_with("internal error: sosik panicked while settling (related articles, search index) at tests/it/serve_reload.rs:"), "{message}");
    assert!(events.wait_for("build-error").contains("while settling"));

    armed.store(false, Ordering::SeqCst);
    save(&path, &good.replace("새 오픈소스 모델 공개", "검색 색인 복구"));
    events.wait_for_reload();
    built(&rx);
    assert!(next_settle(&rx).files_changed > 0);
    let manifest: serde_json::Value =
        serde_json::from_str(&get(server.addr, "/news/search/manifest.json").text()).unwrap();
    let hash = manifest["docs"]["hash"].as_str().unwrap();
    assert!(get(server.addr, &format!("/news/search/docs.{hash}.0.json")).text().contains("검색 색인 복구"));
    server.stop();
}
