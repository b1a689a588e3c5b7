//! The incremental rebuilds of `sosik serve` give exactly the site a full build gives: after every
//! kind of edit, the served files (updated by deltas only) are compared with a fresh
//! `build::generate` of the same sources. This guards the fingerprints in `incremental/fingerprint.rs`,
//! which mirror what `render.rs` puts on each page: a page input added there and not here fails here.

use crate::harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sosik::build::{self, BuildOptions};
use sosik::incremental::{Changes, MemorySink, Rebuilder};
use sosik::Progress;

const BASE_URL: &str = "http://127.0.0.1:1111/news/";

fn opts(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some(BASE_URL.into()),
        now: Some(harness::now()),
        ..Default::default()
    }
}

/// Asset URLs without their `?v=<10 hex>` cache-busting query, which serve leaves out on purpose.
fn without_asset_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("?v=") {
        let hash = &rest[i + 3..];
        let n = hash.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(&rest[..i]);
        if n != 10 {
            out.push_str("?v=");
        }
        rest = &hash[n..];
    }
    out.push_str(rest);
    out
}

fn full_build(root: &Path) -> BTreeMap<String, String> {
    let sink = MemorySink::default();
    build::generate(&opts(root), &sink, &Progress::default()).expect("the full build succeeds");
    sink.into_files().into_iter().map(|(k, v)| (k, without_asset_hashes(&String::from_utf8_lossy(&v)))).collect()
}

struct Served {
    rebuilder: Rebuilder,
    files: BTreeMap<String, String>,
}

impl Served {
    fn new(root: &Path) -> Served {
        let mut s = Served { rebuilder: Rebuilder::new(opts(root)), files: BTreeMap::new() };
        s.update(Changes::default());
        s
    }

    /// Applies one incremental rebuild and the settling one after it; returns (pages rendered by
    /// the first, total pages).
    fn update(&mut self, changes: Changes) -> (usize, usize) {
        let delta = self.rebuilder.update(changes, &Progress::default(), &|_, b| b).expect("the rebuild succeeds");
        let counts = (delta.pages_rendered, delta.pages_total);
        self.apply(delta);
        if !self.rebuilder.is_settled() {
            let settled = self.rebuilder.settle(&Progress::default(), &|_, b| b).expect("settling succeeds");
            self.apply(settled);
        }
        counts
    }

    fn apply(&mut self, delta: sosik::incremental::Delta) {
        assert!(delta.writes.iter().all(|(rel, _)| !rel.is_empty()));
        for rel in &delta.removes {
            self.files.remove(rel);
        }
        for (rel, bytes) in delta.writes {
            self.files.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

fn content(paths: &[&str]) -> Changes {
    Changes { content: paths.iter().map(PathBuf::from).collect(), ..Default::default() }
}

fn assert_same(served: &Served, root: &Path, step: &str) {
    let full = full_build(root);
    let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&served.files), names(&full), "after {step}: the set of files differs");
    for (rel, text) in &full {
        assert!(
            served.files[rel] == *text,
            "after {step}: {rel} differs\n--- served ---\n{}\n--- full build ---\n{text}",
            served.files[rel]
        );
    }
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

/// The search store keeps passages from anywhere in an article (`search::store`): the settle
/// snapshot must hold whole texts, not the first few hundred characters.
#[test]
fn a_long_article_gets_the_same_search_passages_as_a_full_build() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut served = Served::new(root);
    let n = "content/2025/08/02/long-one.md";
    let body = format!(
        "{}허깅페이스에서 내려받기가 늘었다. {}",
        "긴 기사의 앞부분 문장이다. ".repeat(80),
        "끝 문장. ".repeat(20)
    );
    let text = format!("+++\ntitle = \"긴 기사\"\ndate = 2025-08-02T08:00:00+09:00\n+++\n{body}\n");
    std::fs::create_dir_all(root.join(n).parent().unwrap()).unwrap();
    std::fs::write(root.join(n), text).unwrap();
    served.update(content(&[n]));
    assert_same(&served, root, "a long article added");
    let store = served.files.iter().filter(|(rel, _)| rel.starts_with("search/docs."));
    assert!(store.map(|(_, t)| t).any(|t| t.contains("허깅페이스에서 내려받기가")), "the late passage is kept");
}

#[test]
fn every_kind_of_edit_gives_the_same_site_as_a_full_build() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut served = Served::new(root);
    assert_same(&served, root, "the first build");

    let a = "content/2025/07/27/deepseek-v3.md";
    edit(root, a, |t| t.replace("벤치마크 결과가 좋다.", "벤치마크 결과가 아주 좋다."));
    let (rendered, total) = served.update(content(&[a]));
    assert_same(&served, root, "a body edit");
    assert!(rendered <= 3, "a body edit below the first paragraph re-renders the article (and neighbours' links at most): {rendered} of {total}");

    edit(root, a, |t| t.replace("딥시크가 새 모델을 공개했다.", "딥시크가 새 모델을 오늘 공개했다."));
    served.update(content(&[a]));
    assert_same(&served, root, "a summary (first paragraph) edit");

    edit(root, a, |t| t.replace("새 오픈소스 모델 공개", "V4 공개"));
    served.update(content(&[a]));
    assert_same(&served, root, "a title edit");

    // A brief item about another topic: the article joins it by that section alone.
    let b = "content/2025/07/28/seminar.md";
    let item = "\n같은 날 다른 행사도 많았다. 전시장 곳곳에 관람객이 붐볐고 업체들은 신제품을 내놓았다.\n\
                ■ 딥시크, 오픈소스 공개\n딥시크가 새 모델을 내려받을 수 있게 했다.\n";
    edit(root, b, |t| t + item);
    served.update(content(&[b]));
    assert_same(&served, root, "a brief item added");
    assert!(served.files["topics/open-source-models/index.html"].contains("로봇 세미나"), "the item joins its topic");

    edit(root, a, |t| t.replace("date = 2025-07-27", "date = 2025-06-30"));
    served.update(content(&[a]));
    assert_same(&served, root, "a date moved to another month");

    edit(root, a, |t| t.replace("tags = [\"오픈소스\", \"LLM\"]", "tags = [\"오픈소스\", \"새태그\"]"));
    served.update(content(&[a]));
    assert_same(&served, root, "a tag replaced (one tag page gone, one new)");

    edit(root, a, |t| t.replace("companies = [\"deepseek\"]", "companies = [\"deepseek\", \"미지의회사\"]"));
    served.update(content(&[a]));
    assert_same(&served, root, "an unknown company added");

    let n = "content/2025/08/01/new-one.md";
    std::fs::write(root.join(n), "+++\ntitle = \"새 기사\"\ndate = 2025-08-01T08:00:00+09:00\ncompanies = [\"unitree\"]\ntopics = [\"robots\"]\n+++\n새 기사 본문.\n").unwrap();
    served.update(content(&[n]));
    assert_same(&served, root, "a new article");

    edit(root, n, |t| t.replace("+++\n새 기사", "draft = true\n+++\n새 기사"));
    served.update(content(&[n]));
    assert_same(&served, root, "an article turned into a draft");

    std::fs::remove_file(root.join("content/2025/07/28/robot-market.md")).unwrap();
    served.update(content(&["content/2025/07/28/robot-market.md"]));
    assert_same(&served, root, "an article deleted");

    std::fs::remove_dir_all(root.join("content/2025/07/28")).unwrap();
    served.update(content(&["content/2025/07/28"]));
    assert_same(&served, root, "a day folder deleted");

    std::fs::create_dir_all(root.join("templates")).unwrap();
    let day = sosik::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "day.html").unwrap().1;
    std::fs::write(
        root.join("templates/day.html"),
        day.replace("{% block main %}", "{% block main %}<p>날짜 페이지</p>"),
    )
    .unwrap();
    let (rendered, _) = served.update(Changes { templates: true, ..Default::default() });
    assert_same(&served, root, "a template override");
    let day_pages = served.files.keys().filter(|k| k.split('/').count() == 4 && k.starts_with("20")).count();
    assert_eq!(rendered, day_pages, "only day pages use day.html");

    let base = sosik::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "base.html").unwrap().1;
    std::fs::write(root.join("templates/base.html"), base.replace("<main", "<p>공지</p><main")).unwrap();
    let (rendered, total) = served.update(Changes { templates: true, ..Default::default() });
    assert_same(&served, root, "the base template edited");
    assert_eq!(rendered, total, "every page extends base.html");

    std::fs::write(root.join("static/extra.css"), ".extra { color: teal; }\n").unwrap();
    let (rendered, _) = served.update(Changes { statics: true, ..Default::default() });
    assert_same(&served, root, "a stylesheet changed");
    assert_eq!(rendered, 0, "a changed stylesheet renders no page (its URL has no content hash while serving)");

    // A new script is a new entry of `site.assets`, which every template may use.
    std::fs::write(root.join("static/new.js"), "console.log(1);\n").unwrap();
    served.update(Changes { statics: true, ..Default::default() });
    assert_same(&served, root, "a script added");

    edit(root, "site.toml", |t| t.replace("per_page = 2", "per_page = 3"));
    served.update(Changes { config: true, ..Default::default() });
    assert_same(&served, root, "per_page changed in site.toml");

    edit(root, "site.toml", |t| t.replace("name = \"로봇\"", "name = \"로봇 산업\""));
    served.update(Changes { config: true, ..Default::default() });
    assert_same(&served, root, "a topic renamed in site.toml");

    std::fs::remove_file(root.join("templates/day.html")).unwrap();
    std::fs::remove_file(root.join("templates/base.html")).unwrap();
    served.update(Changes { templates: true, ..Default::default() });
    assert_same(&served, root, "template overrides removed");
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_its_fix_catches_up() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut served = Served::new(root);
    let a = "content/2025/07/27/unitree-r1.md";
    let good = std::fs::read_to_string(root.join(a)).unwrap();
    std::fs::write(root.join(a), "+++\ntitle = \"x\"\n").unwrap();
    let err = served.rebuilder.update(content(&[a]), &Progress::default(), &|_, b: Vec<u8>| b).unwrap_err();
    assert_eq!(
        err.to_string(),
        "content/2025/07/27/unitree-r1.md:1:1: unterminated front matter: expected a closing `+++` line after it"
    );
    // Meanwhile another article changes; it is picked up once the broken one is fixed.
    let b = "content/2025/08/01/chips.md";
    edit(root, b, |t| t.replace("8월의 칩 소식", "8월의 반도체 소식"));
    assert!(served.rebuilder.update(content(&[b]), &Progress::default(), &|_, b: Vec<u8>| b).is_err());
    std::fs::write(root.join(a), good).unwrap();
    served.update(content(&[a]));
    assert_same(&served, root, "the fix");
    assert!(served.files["2025/08/01/chips/index.html"].contains("8월의 반도체 소식"));
}

/// The fast path patches saves into the last model when they leave its shape alone; its pages must
/// be exactly those of a model assembled afresh (before settling, both keep the same related lists).
#[test]
fn patched_models_give_the_pages_of_assembled_ones() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut patched = Served::new(root);
    let mut assembled = Served::new(root);
    assembled.rebuilder.set_patching(false);
    let step = |what: &str, changes: Changes, patched: &mut Served, assembled: &mut Served| -> bool {
        let fast = |s: &mut Served| {
            let delta =
                s.rebuilder.update(changes.clone(), &Progress::default(), &|_, b| b).expect("the rebuild succeeds");
            let was_patched = delta.model_patched;
            s.apply(delta);
            was_patched
        };
        let was_patched = fast(patched);
        assert!(!fast(assembled));
        assert_eq!(
            patched.files.keys().collect::<Vec<_>>(),
            assembled.files.keys().collect::<Vec<_>>(),
            "after {what}"
        );
        for (rel, text) in &assembled.files {
            assert!(
                patched.files[rel] == *text,
                "after {what}: {rel} differs\n--- patched ---\n{}\n--- assembled ---\n{text}",
                patched.files[rel]
            );
        }
        was_patched
    };
    let a = "content/2025/07/27/deepseek-v3.md";
    let b = "content/2025/07/28/waic.md";
    edit(root, a, |t| t.replace("벤치마크 결과가 좋다.", "벤치마크 결과가 아주 좋다."));
    assert!(step("a body edit", content(&[a]), &mut patched, &mut assembled), "a body edit is patched");
    let c = "content/2025/08/01/chips.md";
    edit(root, c, |t| t.replace("새 칩이 나왔다.", &"새 칩이 나왔다. 자세한 내용은 아직 알려지지 않았다. ".repeat(40)));
    assert!(
        step("a body edit that lengthens the reading time", content(&[c]), &mut patched, &mut assembled),
        "a longer body is patched"
    );
    edit(root, a, |t| t.replace("딥시크가 새 모델을 공개했다.", "딥시크가 새 모델을 조용히 공개했다."));
    assert!(
        step("a first-paragraph edit", content(&[a]), &mut patched, &mut assembled),
        "a first-paragraph edit is patched"
    );
    edit(root, b, |t| t.replace("WAIC 2025 개막", "WAIC 2025 개막식"));
    assert!(
        step("a title edit that keeps the order", content(&[b]), &mut patched, &mut assembled),
        "patched: a title edit that keeps the order"
    );
    // "로봇 세미나" has the same date: titles no longer order the two (issue 13), so "힘찬…" stays.
    edit(root, b, |t| t.replace("WAIC 2025 개막식", "힘찬 개막"));
    assert!(
        step("a title edit that would have sorted after its neighbour", content(&[b]), &mut patched, &mut assembled),
        "patched: a title edit no longer moves the article within its day"
    );
    edit(root, b, |t| t.replacen("+++\n", "+++\nweight = 5\n", 1));
    assert!(
        !step("a weight that moves the article within its day", content(&[b]), &mut patched, &mut assembled),
        "patched: a weight that moves the article within its day"
    );
    edit(root, a, |t| t.replace("source = \"시험 통신\"", "source = \"다른 통신\"\nsummary = \"요약을 새로 씀\""));
    assert!(
        step("a front matter edit that leaves the model alone", content(&[a]), &mut patched, &mut assembled),
        "patched: a front matter edit that leaves the model alone"
    );
    edit(root, a, |t| t.replace("tags = [\"오픈소스\", \"LLM\"]", "tags = [\"오픈소스\"]"));
    assert!(!step("a tag removed", content(&[a]), &mut patched, &mut assembled), "patched: a tag removed");
    edit(root, b, |t| t.replace("+++\n상하이", "draft = true\n+++\n상하이"));
    assert!(
        !step("an article turned into a draft", content(&[b]), &mut patched, &mut assembled),
        "patched: an article turned into a draft"
    );
    edit(root, b, |t| t.replace("상하이에서", "상하이 엑스포 센터에서"));
    assert!(step("a draft edited", content(&[b]), &mut patched, &mut assembled), "patched: a draft edited");
    assert!(
        step(
            "a template-only rebuild",
            Changes { templates: true, ..Default::default() },
            &mut patched,
            &mut assembled
        ),
        "patched: a template-only rebuild"
    );
}

/// Issue 13: a day longer than per_page has pages of its own (`2025/07/28/page/2/`), and a month
/// page shows each day's count and first titles. Articles added to and removed from a day make and
/// remove those pages while serving, as a full build does; an icon added to `static/` is linked.
#[test]
fn day_pages_come_and_go_with_the_day_and_icons_are_linked() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut served = Served::new(root);
    // 2025-07-28 has three articles and per_page is 2: two pages.
    assert!(served.files.contains_key("2025/07/28/page/2/index.html"));
    let added: Vec<String> = (1..=2).map(|i| format!("content/2025/07/28/more-{i}.md")).collect();
    for (i, rel) in added.iter().enumerate() {
        let text = format!("+++\ntitle = \"더 들어온 소식 {i}\"\ndate = 2025-07-28T0{i}:30:00+09:00\n+++\n본문 {i}.\n");
        std::fs::write(root.join(rel), text).unwrap();
    }
    served.update(content(&added.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_same(&served, root, "two articles added to a day of three");
    assert!(served.files.contains_key("2025/07/28/page/3/index.html"), "five articles, three pages");
    assert!(served.files["2025/07/index.html"].contains("기사 5건"));

    let removed = ["content/2025/07/28/robot-market.md", "content/2025/07/28/seminar.md", added[0].as_str()];
    for rel in removed {
        std::fs::remove_file(root.join(rel)).unwrap();
    }
    served.update(content(&removed));
    assert_same(&served, root, "three articles of the day removed");
    assert!(!served.files.contains_key("2025/07/28/page/2/index.html"), "two articles fit one page");

    std::fs::write(root.join("static/favicon.ico"), b"\0\0\x01\0").unwrap();
    served.update(Changes { statics: true, ..Default::default() });
    assert_same(&served, root, "a favicon.ico added");
    assert!(served.files["index.html"].contains("<link rel=\"icon\" href=\"/news/favicon.ico\" sizes=\"32x32\">"));
}

/// Issue 13: the new front-matter keys, same-day order and pages under content/pages/ (with the
/// footer of site.toml) give in serve what a full build gives.
#[test]
fn metadata_order_and_pages_give_the_same_site_as_a_full_build() {
    let f = harness::fixture("serve/site");
    let root = &f.root;
    let mut served = Served::new(root);

    let a = "content/2025/07/27/deepseek-v3.md";
    edit(root, a, |t| {
        t.replacen(
            "+++\n",
            "+++\nauthor = \"김소식\"\nupdated = 2025-07-28T09:00:00+09:00\nimage = \"/extra.css\"\nimage_alt = \"그림\"\n",
            1,
        )
    });
    served.update(content(&[a]));
    assert_same(&served, root, "author, updated and image added");
    assert!(served.files["2025/07/27/deepseek-v3/index.html"].contains("<span class=\"byline\">김소식</span>"));

    edit(root, a, |t| t.replace("author = \"김소식\"", "author = \"이소식\""));
    served.update(content(&[a]));
    assert_same(&served, root, "author changed");

    edit(root, a, |t| t.replace("updated = 2025-07-28T09:00:00+09:00", "updated = 2025-07-29T09:00:00+09:00"));
    served.update(content(&[a]));
    assert_same(&served, root, "updated changed");

    edit(root, a, |t| t.replacen("+++\n", "+++\nweight = -3\n", 1));
    served.update(content(&[a]));
    assert_same(&served, root, "a weight added");

    let p = "content/pages/about.md";
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(root.join(p), "+++\ntitle = \"소개\"\n+++\n## 하나\n\n## 둘\n\n## 셋\n").unwrap();
    served.update(content(&[p]));
    assert_same(&served, root, "a page added");
    assert!(served.files.contains_key("about/index.html"));

    edit(root, "site.toml", |t| format!("footer = [\"about\"]\n{t}"));
    served.update(Changes { config: true, ..Default::default() });
    assert_same(&served, root, "the page put in the footer");

    edit(root, p, |t| t.replace("title = \"소개\"", "title = \"사이트 소개\""));
    served.update(content(&[p]));
    assert_same(&served, root, "the page retitled (every footer changes)");
    assert!(served.files["index.html"].contains("사이트 소개"));

    edit(root, p, |t| t.replace("## 셋\n", "## 셋\n\n본문을 더했다.\n"));
    served.update(content(&[p]));
    assert_same(&served, root, "the page body edited");

    // Opting in to search and the feed, then editing the opted-in page.
    edit(root, p, |t| t.replacen("+++\n", "+++\nsearch = true\nfeed = true\nupdated = 2025-07-28T12:00:00+09:00\n", 1));
    served.update(content(&[p]));
    assert_same(&served, root, "the page opted in to search and the feed");
    assert!(served.files["feed.xml"].contains("/news/about/"));
    edit(root, p, |t| t.replace("본문을 더했다.", "방문자의 쿠키를 모으지 않는다는 문장을 더했다."));
    served.update(content(&[p]));
    assert_same(&served, root, "the opted-in page's body edited (new words for the search index)");
    edit(root, p, |t| t.replace("feed = true\n", ""));
    served.update(content(&[p]));
    assert_same(&served, root, "the page left the feed");
    assert!(!served.files["feed.xml"].contains("/news/about/"));

    // The default share picture, set and then pointed at another file.
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(root.join("static/images/share.jpg"), b"jpeg").unwrap();
    served.update(Changes { statics: true, ..Default::default() });
    edit(root, "site.toml", |t| t.replacen("per_page = 2\n", "per_page = 2\nshare_image = \"/images/share.jpg\"\n", 1));
    served.update(Changes { config: true, ..Default::default() });
    assert_same(&served, root, "share_image set");
    assert!(served.files["index.html"].contains("/news/images/share.jpg\">"));

    edit(root, "site.toml", |t| t.replacen("footer = [\"about\"]\n", "", 1));
    served.update(Changes { config: true, ..Default::default() });
    std::fs::remove_file(root.join(p)).unwrap();
    served.update(content(&[p]));
    assert_same(&served, root, "the page deleted");
    assert!(!served.files.contains_key("about/index.html"));
}
