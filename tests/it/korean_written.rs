//! Korean as it is written (issue 10): glosses as synonyms, spacing variants, tags and companies
//! as searchable text. Fixture korean_written: a.md glosses 세계인공지능대회(WAIC) and 도조(Dojo)
//! (vetoed in site.toml), b.md writes only 세계인공지능대회 and "오픈 소스", c.md only WAIC, "오픈소스"
//! and 대규모 언어 모델(LLM) with spaces, d.md 엑사원 and EXAONE (paired in site.toml).

use crate::harness;

use harness::fixture;

/// (url, score) of `sosik search --json` in the built fixture.
fn search(f: &harness::Fixture, query: &str) -> Vec<(String, f64)> {
    let run = f.cli(&["search", "--json", query]);
    assert_eq!(run.code, 0, "{run:?}");
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    found.iter().map(|r| (r["url"].as_str().unwrap().to_string(), r["score"].as_f64().unwrap())).collect()
}

fn urls(found: &[(String, f64)]) -> Vec<&str> {
    found.iter().map(|(u, _)| u.as_str()).collect()
}

fn built() -> harness::Fixture {
    let f = fixture("korean_written");
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    f
}

#[test]
fn check_lists_mined_and_site_synonyms() {
    let f = fixture("korean_written");
    let run = f.cli(&["check", "--synonyms"]);
    assert_eq!(run.code, 0, "{run:?}");
    let want = "\
synonyms (3 pairs; a search for one side also finds the other):
  대규모언어모델 = llm  (1 article)
  세계인공지능대회 = waic  (1 article)
  엑사원 = exaone  (site.toml [synonyms])
";
    assert!(run.stdout.starts_with(want), "{}", run.stdout);
}

#[test]
fn a_word_finds_its_gloss_below_itself() {
    let f = built();
    let waic = search(&f, "WAIC");
    assert_eq!(urls(&waic).len(), 3, "{waic:?}");
    // b.md writes only 세계인공지능대회: found, and ranked below the articles that write WAIC.
    assert_eq!(urls(&waic)[2], "/2025/07/28/b/", "{waic:?}");
    let korean = search(&f, "세계인공지능대회");
    assert!(urls(&korean).contains(&"/2025/07/27/c/"), "{korean:?}");
    // A pair site.toml adds works the same; one it vetoes does not.
    assert_eq!(urls(&search(&f, "엑사원")), ["/2025/07/29/d/"]);
    assert!(urls(&search(&f, "exaone")).contains(&"/2025/07/29/d/"));
    assert!(search(&f, "도조 ").iter().all(|(u, _)| u == "/2025/07/26/a/"));
}

#[test]
fn spaced_and_solid_compounds_find_the_same_articles() {
    let f = built();
    let solid = search(&f, "오픈소스");
    assert_eq!(urls(&solid), urls(&search(&f, "오픈 소스")));
    assert_eq!(solid, search(&f, "오픈 소스"));
    assert_eq!(urls(&solid).len(), 2, "{solid:?}");
    // An acronym glossed by an expansion written with spaces finds the spaced form, and back.
    let llm = search(&f, "LLM");
    assert!(urls(&llm).contains(&"/2025/07/27/c/") && urls(&llm).contains(&"/2025/07/29/d/"), "{llm:?}");
    let spaced = search(&f, "대규모 언어 모델");
    assert!(urls(&spaced).contains(&"/2025/07/27/c/") && urls(&spaced).contains(&"/2025/07/29/d/"), "{spaced:?}");
}

#[test]
fn tags_and_companies_are_searched() {
    let f = built();
    assert_eq!(urls(&search(&f, "월간정리")), ["/2025/07/26/a/"]);
    assert_eq!(urls(&search(&f, "퓨리오사AI")), ["/2025/07/27/c/"]);
}

#[test]
fn analyse_shows_the_archive_synonyms() {
    let f = fixture("korean_written");
    let run = f.cli(&["analyse", "WAIC가", "개막"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "waic 개막\nsynonym: waic = 세계인공지능대회\n");
}

#[test]
fn a_synonym_pair_must_be_two_words() {
    let f = fixture("korean_written");
    f.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://e.org/\"\n[synonyms]\nadd = [[\"신경망 처리장치\", \"NPU\"], [\"a\"]]\n",
    );
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("site.toml:4:8: [synonyms] add: `신경망 처리장치` is not one word")
            && run.stderr.contains("site.toml:4:29: [synonyms] add: a pair has two words"),
        "{}",
        run.stderr
    );
}

/// An open-model story names its topic once or twice in a long text: a topic's own `threshold`
/// lets it in where `topic_threshold` would not, and `check --explain` says which threshold holds.
#[test]
fn a_topic_threshold_of_its_own() {
    let f = fixture("korean_written");
    let filler = "회사는 이번 모델이 수학과 코딩 평가에서 이전 버전보다 높은 점수를 받았다고 설명했다. ";
    f.write(
        "content/2025/09/01/new-model.md",
        format!(
            "+++\ntitle = \"텐센트, 새 추론 모델 공개\"\ndate = 2025-09-01\n+++\n\n텐센트가 새 추론 모델을 \
             오픈소스로 공개했다. {}\n",
            filler.repeat(9)
        ),
    );
    let explain = |site: &str| {
        f.write("site.toml", site);
        let run = f.cli(&["check", "--explain", "content/2025/09/01/new-model.md"]);
        assert_eq!(run.code, 0, "{run:?}");
        run.stdout.lines().find(|l| l.trim_start().starts_with("open-source-models")).unwrap().to_string()
    };
    let topic = "title = \"t\"\nbase_url = \"https://e.org/\"\n[topics.open-source-models]\nname = \"오픈소스 \
                 모델\"\nterms = [\"오픈소스\"]\n";
    let default = explain(topic);
    assert!(default.ends_with(" no"), "{default}");
    let score: f64 = default.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(score > 5.0 && score < 25.0, "{default}");
    let own = explain(&format!("{topic}threshold = 5\n"));
    assert!(own.ends_with(" yes (threshold 5)"), "{own}");
    f.write("site.toml", format!("{topic}threshold = 5\n"));
    assert_eq!(f.cli(&["build"]).code, 0);
    let page = std::fs::read_to_string(f.root.join("public/topics/open-source-models/index.html")).unwrap();
    assert!(page.contains("/2025/09/01/new-model/"), "the topic page does not list the article");

    f.write("site.toml", format!("{topic}threshold = -1\n"));
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("site.toml:6:13: topic threshold must be a positive number of weighted hits per 1000 terms"),
        "{}",
        run.stderr
    );
}

/// Issue 10, point 4: a result whose text holds a query term shows a `<mark>`, even when the term
/// occurs only far beyond what the document store keeps of the article: the snippet then comes
/// from the text of the article's page, in `sosik search --json` as on the search page.
#[test]
fn a_term_deep_in_a_long_article_is_marked_in_its_snippet() {
    let f = fixture("korean_written");
    // Forty made-up names, each in its own paragraph between long filler: more passages than the
    // store keeps of one article.
    let syllable = |k: u32| char::from_u32(0xAC00 + k % 11172).unwrap();
    let names: Vec<String> = (0..40u32)
        .map(|i| [syllable(i * 397 + 5), syllable(i * 733 + 101), syllable(i * 211 + 3307)].iter().collect())
        .collect();
    let filler = "중국 업체들은 올해도 새 모델을 잇달아 내놓으며 가격 경쟁을 이어 갔다. 업계는 하반기 수요가 더 늘 것으로 본다. ";
    let mut body = String::new();
    for (i, n) in names.iter().enumerate() {
        body.push_str(&format!(
            "{}\n\n{}번째 문단에서 <b>{n}</b> 이름과 &amp; 조건이 나왔다.\n\n",
            filler.repeat(3),
            i + 1
        ));
    }
    f.write("content/2025/08/09/long-brief.md", format!("+++\ntitle = \"긴 기사\"\ndate = 2025-08-09\n+++\n{body}"));
    let run = f.cli(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let snippet_of = |name: &str| -> String {
        let run = f.cli(&["search", "--json", name]);
        let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
        let long = found.iter().find(|r| r["url"] == "/2025/08/09/long-brief/").expect("the long article is found");
        long["snippet"].as_str().unwrap().to_string()
    };
    let with_page: Vec<String> = names.iter().map(|n| snippet_of(n)).collect();
    for (n, snippet) in names.iter().zip(&with_page) {
        assert!(snippet.contains(&format!("<mark>{n}</mark>")), "{n}: {snippet}");
    }
    // Without the page, the names the store does not hold show no mark: the page was needed.
    std::fs::remove_file(f.path("public/2025/08/09/long-brief/index.html")).unwrap();
    let from_page: Vec<&String> =
        names.iter().zip(&with_page).filter(|(n, _)| !snippet_of(n).contains("<mark>")).map(|(_, s)| s).collect();
    assert!(!from_page.is_empty(), "the store held every name: the test no longer reaches the page");
    // The page's text, not its markup: the raw HTML (escaped on the page) and `&amp;` read as a
    // reader sees them, escaped again for the snippet's HTML.
    for snippet in from_page {
        assert!(snippet.contains("</mark>&lt;/b&gt; 이름과 &amp; 조건"), "{snippet}");
    }
}
