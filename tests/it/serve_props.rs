//! serve equals build, as a property: generated edit scripts (articles added, deleted, renamed, and
//! their title, body, companies and tags edited) are applied through `Rebuilder` one save at a time,
//! and after each the served files must be those of a full build of the same sources.
//! `tests/it/serve_incremental.rs` holds the scripted cases; this explores their combinations.
//! The case count is small for CI; `PROPTEST_CASES=200 cargo test --test it serve_props::` for more.

use crate::harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use sosik::build::{self, BuildOptions};
use sosik::incremental::{Changes, Delta, MemorySink, Rebuilder};
use sosik::Progress;

const TITLES: &[&str] = &["딥시크 새 모델 공개", "로봇 시장의 성장", "반도체 공급 부족", "오픈소스 모델 경쟁"];
const BODIES: &[&str] = &[
    "딥시크가 새 모델을 공개했다.\n\n## 성능\n\n벤치마크 결과가 좋다.",
    "휴머노이드 로봇 판매가 늘었다.",
    "칩 공급이 늦다.\n\n## 전망\n\n반도체 업계는 내년을 본다.",
];
const COMPANIES: &[&str] = &["deepseek", "unitree", "미지의회사"];
const TAGS: &[&str] = &["오픈소스", "LLM", "로봇"];

#[derive(Debug, Clone)]
struct Article {
    day: u8,
    title: usize,
    body: usize,
    companies: Vec<usize>,
    tags: Vec<usize>,
}

impl Article {
    fn text(&self) -> String {
        let list = |names: &[&str], picks: &[usize]| {
            picks.iter().map(|&i| format!("\"{}\"", names[i])).collect::<Vec<_>>().join(", ")
        };
        format!(
            "+++\ntitle = \"{}\"\ndate = 2025-08-0{}\ncompanies = [{}]\ntags = [{}]\n+++\n{}\n",
            TITLES[self.title],
            self.day,
            list(COMPANIES, &self.companies),
            list(TAGS, &self.tags),
            BODIES[self.body]
        )
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Add(Article),
    Delete(usize),
    Rename(usize),
    Title(usize, usize),
    Body(usize, usize),
    Companies(usize, Vec<usize>),
    Tags(usize, Vec<usize>),
}

fn picks(n: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::btree_set(0..n, 0..=n).prop_map(|s| s.into_iter().collect())
}

fn article() -> impl Strategy<Value = Article> {
    (1..=3u8, 0..TITLES.len(), 0..BODIES.len(), picks(COMPANIES.len()), picks(TAGS.len()))
        .prop_map(|(day, title, body, companies, tags)| Article { day, title, body, companies, tags })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        article().prop_map(Edit::Add),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Rename),
        (any::<usize>(), 0..TITLES.len()).prop_map(|(i, t)| Edit::Title(i, t)),
        (any::<usize>(), 0..BODIES.len()).prop_map(|(i, b)| Edit::Body(i, b)),
        (any::<usize>(), picks(COMPANIES.len())).prop_map(|(i, c)| Edit::Companies(i, c)),
        (any::<usize>(), picks(TAGS.len())).prop_map(|(i, t)| Edit::Tags(i, t)),
    ]
}

fn opts(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/news/".into()),
        now: Some(harness::now()),
        ..Default::default()
    }
}

/// The pages without the `?v=<hash>` asset queries, which serve leaves out on purpose.
fn normalise(files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let strip = |text: String| {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find("?v=") {
            let n = rest[i + 3..].bytes().take_while(u8::is_ascii_hexdigit).count();
            out.push_str(&rest[..i]);
            if n != 10 {
                out.push_str("?v=");
            }
            rest = &rest[i + 3 + n..];
        }
        out.push_str(rest);
        out
    };
    files.into_iter().map(|(k, v)| (k, strip(String::from_utf8_lossy(&v).into_owned()))).collect()
}

/// The site being edited: its articles by path, the files serve holds, and the rebuilder.
struct Session {
    root: PathBuf,
    articles: BTreeMap<String, Article>,
    next: usize,
    rebuilder: Rebuilder,
    served: BTreeMap<String, Vec<u8>>,
}

impl Session {
    fn apply(&mut self, delta: Delta) {
        for rel in &delta.removes {
            self.served.remove(rel);
        }
        self.served.extend(delta.writes);
    }

    fn save(&mut self, changed: Vec<String>) {
        let changes = Changes { content: changed.into_iter().map(PathBuf::from).collect(), ..Default::default() };
        let delta = self.rebuilder.update(changes, &Progress::default(), &|_, b| b).expect("the rebuild succeeds");
        self.apply(delta);
        if !self.rebuilder.is_settled() {
            let delta = self.rebuilder.settle(&Progress::default(), &|_, b| b).expect("settling succeeds");
            self.apply(delta);
        }
    }

    fn write(&mut self, article: Article) -> String {
        let rel = format!("content/2025/08/0{}/a{}.md", article.day, self.next);
        self.next += 1;
        let path = self.root.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, article.text()).unwrap();
        self.articles.insert(rel.clone(), article);
        rel
    }

    /// Applies one edit to the sources; returns the paths it touched (none if there was nothing
    /// to edit).
    fn edit(&mut self, edit: Edit) -> Vec<String> {
        if let Edit::Add(a) = edit {
            return vec![self.write(a)];
        }
        let Some(rel) = self.nth(&edit) else { return Vec::new() };
        let mut a = self.articles.remove(&rel).unwrap();
        std::fs::remove_file(self.root.join(&rel)).unwrap();
        match edit {
            Edit::Add(_) => unreachable!(),
            Edit::Delete(_) => return vec![rel],
            Edit::Rename(_) => return vec![rel, self.write(a)],
            Edit::Title(_, t) => a.title = t,
            Edit::Body(_, b) => a.body = b,
            Edit::Companies(_, c) => a.companies = c,
            Edit::Tags(_, t) => a.tags = t,
        }
        std::fs::write(self.root.join(&rel), a.text()).unwrap();
        self.articles.insert(rel.clone(), a);
        vec![rel]
    }

    fn nth(&self, edit: &Edit) -> Option<String> {
        let i = match edit {
            Edit::Add(_) => return None,
            Edit::Delete(i) | Edit::Rename(i) => *i,
            Edit::Title(i, _) | Edit::Body(i, _) | Edit::Companies(i, _) | Edit::Tags(i, _) => *i,
        };
        let n = self.articles.len();
        (n > 0).then(|| self.articles.keys().nth(i % n).unwrap().clone())
    }

    fn check(&self, step: &str) -> Result<(), TestCaseError> {
        let sink = MemorySink::default();
        build::generate(&opts(&self.root), &sink, &Progress::default()).expect("the full build succeeds");
        let full = normalise(sink.into_files().into_iter().collect());
        let served = normalise(self.served.clone());
        let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
        prop_assert_eq!(names(&served), names(&full), "after {}: the set of files differs", step);
        for (rel, text) in &full {
            prop_assert!(served[rel] == *text, "after {}: {} differs from the full build", step, rel);
        }
        Ok(())
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(8)
}

proptest! {
    #![proptest_config(Config { cases: cases(), failure_persistence: None, ..Config::default() })]

    #[test]
    fn served_site_equals_a_full_build_after_any_edit_script(
        start in proptest::collection::vec(article(), 1..=3),
        script in proptest::collection::vec(edit(), 1..=5),
    ) {
        let f = harness::fixture("serve/site");
        std::fs::remove_dir_all(f.root.join("content")).unwrap();
        // A page in the search index and the site's feed, dated among the articles: every edit
        // moves the articles around it.
        f.write(
            "content/pages/about.md",
            "+++\ntitle = \"소개\"\nsearch = true\nfeed = true\nupdated = 2025-08-02T12:00:00+09:00\n+++\n\
             딥시크와 로봇 소식을 모은다. 편집부가 반도체 소식도 쓴다.\n",
        );
        let mut s = Session {
            root: f.root.clone(),
            articles: BTreeMap::new(),
            next: 0,
            rebuilder: Rebuilder::new(opts(&f.root)),
            served: BTreeMap::new(),
        };
        for a in start {
            s.write(a);
        }
        s.save(Vec::new());
        s.check("the first build")?;
        for (i, e) in script.into_iter().enumerate() {
            let step = format!("edit {i}: {e:?}");
            let touched = s.edit(e);
            s.save(touched);
            s.check(&step)?;
        }
    }
}
