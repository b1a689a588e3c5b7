//! Korean analysis as users meet it: `sosik analyse`, `sosik check --explain`, untagged company
//! mentions, `auto_companies`, and the topic labels of the bundled sample archive.

use crate::harness;

use harness::{fixture, main_text, repo_root, run_in};
use sosik::build::{self, BuildOptions};

#[test]
fn analyse_prints_terms_without_particles() {
    let run = run_in(&repo_root(), &["analyse", "딥시크가", "엔비디아의", "H200을", "휴머노이드로봇"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "딥시크 엔비디아 h200 휴머노이드로봇 휴머노이드 로봇\n");
    let run = run_in(&repo_root(), &["analyse", "--json", "큐원3를"]);
    assert_eq!(run.stdout, "[\"큐원3\",\"큐원\",\"3\"]\n");
}

#[test]
fn analyse_pos_shows_the_particle_split() {
    let run = run_in(&repo_root(), &["analyse", "--pos", "유니트리는"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "유니트리\tNNP\t유니트리\n는\tJX\t\n");
}

#[test]
fn analyse_needs_text() {
    let run = run_in(&repo_root(), &["analyse"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn check_lists_companies_named_but_not_tagged() {
    let f = fixture("analysis/mentions");
    let run = f.cli(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "content/a.md: names 엔비디아, SK하이닉스 in its text but does not list them in `companies`\n\
         ok: 2 articles, 18 pages, 0 warnings\n"
    );
}

#[test]
fn auto_companies_tags_what_the_text_names() {
    let b = fixture("analysis/auto-companies").build();
    let page = main_text(&b.page("companies/nvidia/"));
    assert!(page.contains("화웨이, 새 AI 칩 공개"), "{page}");
    assert!(b.exists("companies/skhynix/index.html"));
    assert!(main_text(&b.page("companies/skhynix/")).contains("화웨이, 새 AI 칩 공개"));
}

#[test]
fn explain_shows_terms_and_topic_scores() {
    let f = fixture("analysis/mentions");
    let run = f.cli(&["check", "--explain", "content/a.md"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "title terms: 화웨이 ai 칩 공개");
    assert!(lines[1].starts_with("body terms ("), "{}", lines[1]);
    assert!(lines[1].contains("hbm×1"), "{}", lines[1]);
    assert_eq!(lines[2], "topics (score = weighted hits per 1000 terms, title ×3; threshold 25):");
    assert!(lines[3].starts_with("  chips ") && lines[3].ends_with("  yes"), "{}", lines[3]);
    assert!(lines[4].starts_with("sections (score per 1000 terms of the section, at least 80"), "{}", lines[4]);
    // A single story is one section: its body without the title, over at least 80 terms.
    assert_eq!(lines[5], "   0 화웨이가 새 AI반도체를 내놨다 엔비디아의 H20을 … (13 terms): chips 37.50");
    assert_eq!(lines[6], "companies named in the text: huawei, nvidia, skhynix");
}

/// Issue 10, point 3: a brief whose stories are each about another topic reached none of them.
#[test]
fn a_brief_joins_the_topic_of_each_story_and_explain_shows_its_sections() {
    let f = fixture("analysis/brief");
    let run = f.cli(&["check", "--explain", "content/waic.md"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[3..],
        [
            "  chips                       21.13  yes (section 3)",
            "  open-source-models          21.13  yes (section 2)",
            "  robots                      21.13  yes (section 1)",
            "sections (score per 1000 terms of the section, at least 80, heading ×3; topics from half the threshold):",
            "   0 세계인공지능대회 사흘째인 28일에도 중국 기업들의 발표가 … (86 terms): -",
            "   1 유니트리 휴머노이드 신제품 시연 유니트리가 새 … (11 terms): robots 62.50",
            "   2 지푸AI GLM-4.5 공개 지푸AI가 새 대형 … (22 terms): open-source-models 37.50",
            "   3 화웨이 어센드 910C 384개 묶은 시스템 … (23 terms): chips 62.50",
            "companies named in the text: -",
            "synonyms (a search for one also finds the other): -",
        ]
    );
    let b = f.build();
    for topic in ["robots", "open-source-models", "chips"] {
        assert!(main_text(&b.page(&format!("topics/{topic}/"))).contains("WAIC 사흘째"), "{topic}");
    }
}

#[test]
fn classification_puts_articles_on_topic_pages() {
    let b = fixture("analysis/mentions").build();
    let chips = main_text(&b.page("topics/chips/"));
    assert!(chips.contains("화웨이, 새 AI 칩 공개"), "{chips}");
    // One passing mention in the body is not enough.
    assert!(!chips.contains("오늘의 날씨 이야기"), "{chips}");
}

/// The bundled archive: what a reader of each topic page expects to find, and not find.
#[test]
fn sample_archive_topic_labels() {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions { root: repo_root(), output: Some(out.path().join("public")), ..Default::default() };
    build::build(&opts, &sosik::Progress::default()).unwrap();
    let topic =
        |key: &str| std::fs::read_to_string(out.path().join(format!("public/topics/{key}/index.html"))).unwrap();
    let expect = |key: &str, yes: &[&str], no: &[&str]| {
        let page = topic(key);
        for slug in yes {
            assert!(page.contains(&format!("/{slug}/\"")), "{key} should list {slug}");
        }
        for slug in no {
            assert!(!page.contains(&format!("/{slug}/\"")), "{key} should not list {slug}");
        }
    };
    expect(
        "robots",
        &[
            "unitree-r1-launch",
            "world-robot-conference-beijing",
            "bytedance-gr3-robot-model",
            "ubtech-walker-s2-battery",
            "korean-robot-makers-humanoid",
        ],
        &["samsung-tesla-ai6-foundry", "tesla-dojo-disbanded", "openai-gpt-oss", "skhynix-q2-hbm"],
    );
    expect(
        "chips",
        &[
            "rebellions-rebel-quad",
            "samsung-q2-earnings-hbm",
            "skhynix-q2-hbm",
            "huawei-cloudmatrix-384-waic",
            "tsmc-2nm-leak",
        ],
        &["openai-gpt-5-launch", "unitree-r1-launch", "alibaba-qwen3-coder"],
    );
    expect(
        "open-source-models",
        &[
            "kimi-k2-open-weights",
            "openai-gpt-oss",
            "alibaba-qwen3-2507",
            "zhipu-glm-4-5",
            "chinese-open-models-july-recap",
        ],
        &["anthropic-claude-opus-4-1", "samsung-q2-earnings-hbm", "world-robot-conference-beijing"],
    );
}
