use std::sync::OnceLock;

use super::*;

/// One analyser for all tests: the registry names stand for a site's `[companies]`.
fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| {
        let registry = ["갤봇", "Galbot", "지푸AI", "Zhipu", "SK하이닉스", "SK hynix", "퓨리오사AI"];
        Analyzer::new(&registry.map(String::from)).unwrap()
    })
}

/// Checks every case and reports all mismatches at once.
fn check(cases: &[(&str, &[&str])]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(text, expected)| {
            let got = analyzer().terms(text);
            (got != *expected).then(|| format!("{text:?}: expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn predicate_stems_are_told_from_nouns() {
    for stem in ["내놓", "선보이", "늘어나", "손잡"] {
        assert!(analyzer().is_predicate_stem(stem), "{stem} is a stem");
    }
    for noun in ["공개", "딥시크", "반도체", "휴머노이드", "갤봇", "모노텔릭스", "gpt-5"] {
        assert!(!analyzer().is_predicate_stem(noun), "{noun} is no stem");
    }
}

#[test]
fn particles_are_stripped_from_new_names() {
    check(&[
        ("딥시크", &["딥시크"]),
        ("딥시크의", &["딥시크"]),
        ("딥시크를", &["딥시크"]),
        ("딥시크가", &["딥시크"]),
        ("딥시크는", &["딥시크"]),
        ("딥시크와", &["딥시크"]),
        ("딥시크에서", &["딥시크"]),
        ("딥시크로부터", &["딥시크"]),
        ("딥시크까지", &["딥시크"]),
        ("딥시크처럼", &["딥시크"]),
        ("딥시크였다", &["딥시크"]),
        ("딥시크이다", &["딥시크"]),
        ("엔비디아의", &["엔비디아"]),
        ("유니트리는", &["유니트리"]),
        ("유니트리의", &["유니트리"]),
        ("화웨이와", &["화웨이"]),
        ("키미의", &["키미"]),
        ("젬마의", &["젬마"]),
        ("제미나이를", &["제미나이"]),
        ("클로드는", &["클로드"]),
        ("더우바오가", &["더우바오"]),
        ("훈위안은", &["훈위안"]),
        ("엑사원을", &["엑사원"]),
        ("솔라가", &["솔라"]),
        ("라마를", &["라마"]),
        ("블랙웰은", &["블랙웰"]),
        ("어센드의", &["어센드"]),
        ("레니게이드를", &["레니게이드"]),
        ("휴머노이드를", &["휴머노이드"]),
        ("애지봇이", &["애지봇"]),
        ("“딥시크가", &["딥시크"]),
        ("'휴머노이드'를", &["휴머노이드"]),
        ("DeepSeek의", &["deepseek"]),
    ]);
}

#[test]
fn words_mixing_scripts_are_whole_and_split() {
    check(&[
        ("큐원3를", &["큐원3", "큐원", "3"]),
        ("챗GPT에", &["챗gpt", "챗", "gpt"]),
        ("SK하이닉스", &["sk하이닉스", "sk", "하이닉스"]),
        ("SK하이닉스가", &["sk하이닉스", "sk", "하이닉스"]),
        ("지푸AI가", &["지푸ai", "지푸", "ai"]),
        ("오픈AI는", &["오픈ai", "오픈", "ai"]),
        ("오픈AI의", &["오픈ai", "오픈", "ai"]),
        ("퓨리오사AI", &["퓨리오사ai", "퓨리오사", "ai"]),
        ("AI반도체", &["ai반도체", "ai", "반도체"]),
        ("생성형AI", &["생성형ai", "생성형", "ai"]),
        ("하이퍼클로바X는", &["하이퍼클로바x", "하이퍼클로바", "하이퍼", "클로바"]),
        ("AI의", &["ai"]),
        ("LLM은", &["llm"]),
        ("엔비디아·AMD", &["엔비디아", "amd"]),
    ]);
}

/// Issue 10: digits against Latin letters belong to the name. H20 also gave the term 20, so a search
/// for 20 found H20 and "엔비디아 H20" highlighted 2025, 2027년 and 20만.
#[test]
fn model_and_chip_names_keep_letters_and_digits_together() {
    check(&[
        ("H200", &["h200"]),
        ("B200", &["b200"]),
        ("GB200", &["gb200", "gb"]),
        ("910C", &["910c"]),
        ("K2", &["k2"]),
        ("AI6", &["ai6", "ai"]),
        ("MI350", &["mi350", "mi"]),
        ("HBM3E", &["hbm3e", "hbm"]),
        ("HBM4", &["hbm4", "hbm"]),
        ("GPT-5", &["gpt-5", "gpt"]),
        ("GPT-5를", &["gpt-5", "gpt"]),
        ("GLM-4.6", &["glm-4.6", "glm"]),
        ("딥시크-V3.2", &["딥시크-v3.2", "딥시크", "v3.2"]),
        ("딥시크-R2", &["딥시크-r2", "딥시크", "r2"]),
        ("A.X", &["a.x"]),
        ("R&D", &["r&d"]),
        ("(MoE)", &["moe"]),
    ]);
}

#[test]
fn numbers_keep_their_units() {
    check(&[
        ("22.8조원", &["22.8조원", "22.8"]),
        ("2조원", &["2조원", "2"]),
        ("770만원", &["770만원", "770"]),
        ("770만원짜리", &["770만원", "770"]),
        ("384개", &["384개", "384"]),
        ("1,000대", &["1000대", "1000"]),
        ("5,000억 원", &["5000억", "5000"]),
        ("12만8천", &["12만8천", "12", "8"]),
        ("3분기", &["3분기", "3", "분기"]),
        ("2나노", &["2나노", "2", "나노"]),
        ("2027년", &["2027년", "2027"]),
        ("2배", &["2배", "2"]),
        ("44.7%", &["44.7"]),
        ("100만", &["100만", "100"]),
        ("140억 개로", &["140억", "140"]),
        ("1.25달러로", &["1.25달러", "1.25"]),
    ]);
}

#[test]
fn compounds_are_whole_and_split() {
    check(&[
        ("인공지능반도체", &["인공지능반도체", "인공지능", "반도체"]),
        ("휴머노이드로봇", &["휴머노이드로봇", "휴머노이드", "로봇"]),
        ("휴머노이드로봇을", &["휴머노이드로봇", "휴머노이드", "로봇"]),
        ("데이터센터", &["데이터센터", "데이터", "센터"]),
        ("데이터센터용", &["데이터센터", "데이터", "센터"]),
        ("오픈소스", &["오픈소스", "오픈", "소스"]),
        ("개인정보", &["개인정보", "개인", "정보"]),
        ("고성능", &["고성능", "성능"]),
        ("신제품을", &["신제품", "제품"]),
        ("효율성", &["효율성", "효율"]),
        ("클라우드매트릭스", &["클라우드매트릭스", "클라우드", "매트릭스"]),
        ("레인보우로보틱스", &["레인보우로보틱스", "레인보우", "로보틱스"]),
        ("보스턴다이내믹스의", &["보스턴다이내믹스", "보스턴", "다이내믹스"]),
        ("深度求索", &["深度求索", "深度", "求索"]),
    ]);
}

#[test]
fn contracted_forms_are_judged_by_their_leading_tag() {
    // ko-dic tags these NNG+JX, NNG+JKO, NNP+VCP+EF: the noun part is the term.
    check(&[("강아진", &["강아지"]), ("개구릴", &["개구리"]), ("감잔가", &["감자"]), ("경기돈데요", &["경기도"])]);
}

#[test]
fn short_nouns_survive_their_particles() {
    check(&[
        ("칩", &["칩"]),
        ("칩은", &["칩"]),
        ("칩과", &["칩"]),
        ("칩을", &["칩"]),
        ("로봇", &["로봇"]),
        ("로봇이", &["로봇"]),
        ("모델", &["모델"]),
        ("모델을", &["모델"]),
        ("기업들이", &["기업"]),
        ("AI 칩", &["ai", "칩"]),
    ]);
}

#[test]
fn verbs_give_stems_and_particles_give_nothing() {
    check(&[
        ("공개했다", &["공개"]),
        ("공개한", &["공개"]),
        ("확보하기로", &["확보"]),
        ("다양한", &["다양"]),
        ("빠르게", &["빠르"]),
        ("낮췄다", &["낮추"]),
        ("밝혔다", &[]),
        ("있다", &[]),
        ("할 수 있다", &[]),
        ("가장", &[]),
        ("것으로", &[]),
        ("은", &[]),
        ("를", &[]),
        ("에서", &[]),
        ("에서는", &[]),
        ("이", &[]),
        ("의", &[]),
        ("회사 측은", &["회사"]),
        ("주목받는", &["주목"]),
        ("이어왔다", &[]),
        ("늘릴지", &["늘리"]),
    ]);
}

#[test]
fn sentences_give_terms_in_text_order() {
    check(&[
        ("딥시크가 새 모델을 공개했다", &["딥시크", "모델", "공개"]),
        ("유니트리, 770만원짜리 휴머노이드 공개", &["유니트리", "770만원", "770", "휴머노이드", "공개"]),
        ("화웨이는 어센드 910C 칩을 양산한다.", &["화웨이", "어센드", "910c", "칩", "양산"]),
        (
            "휴머노이드로봇 시장에서 유니트리와 애지봇이 경쟁한다",
            &["휴머노이드로봇", "휴머노이드", "로봇", "시장", "유니트리", "애지봇", "경쟁"],
        ),
    ]);
}

#[test]
fn an_oddly_split_word_is_never_lost() {
    let terms = analyzer().terms("뷁뛟쀍");
    assert_eq!(terms.first().map(String::as_str), Some("뷁뛟쀍"), "{terms:?}");
}

#[test]
fn text_is_nfc_normalised() {
    let decomposed: String = "딥시크를".nfd().collect();
    assert_ne!(decomposed, "딥시크를");
    assert_eq!(analyzer().terms(&decomposed), ["딥시크"]);
}

#[test]
fn lowercased_words_give_the_same_terms() {
    // The eojeol map is keyed by lowercased words, which are analysed as such.
    for word in ["SK하이닉스가", "GPT-5를", "HBM3E", "AI반도체", "DeepSeek의", "LLM은", "오픈AI는", "H200"]
    {
        assert_eq!(analyzer().eojeol_terms(&word.to_lowercase()), analyzer().eojeol_terms(word), "{word}");
    }
}

#[test]
fn duplicates_across_words_are_kept() {
    assert_eq!(analyzer().terms("로봇 로봇이 로봇을"), ["로봇", "로봇", "로봇"]);
}

#[test]
fn terms_are_the_concatenation_of_eojeol_and_morpheme_terms() {
    let text = "엔비디아의 블랙웰 B200은 지난 3분기 22.8조원 매출을 올렸다. 휴머노이드로봇과 AI반도체 수요가 늘었다";
    let a = analyzer();
    let terms = a.terms(text);
    let by_eojeol: Vec<String> = eojeols(text).flat_map(|w| a.eojeol_terms(w)).collect();
    assert_eq!(by_eojeol, terms);
    let morphemes = a.tokens(text);
    assert_eq!(morphemes.iter().flat_map(|m| m.terms.clone()).collect::<Vec<_>>(), terms);
    let b200 = morphemes.iter().position(|m| m.surface == "B").unwrap();
    assert_eq!(morphemes[b200].pos, "SL");
    assert_eq!(morphemes[b200].terms, ["b200"]);
}

#[test]
fn tokens_show_particles_with_their_tags() {
    let tags: Vec<(String, String)> = analyzer().tokens("딥시크가").into_iter().map(|m| (m.surface, m.pos)).collect();
    assert_eq!(tags, [("딥시크".into(), "NNP".into()), ("가".into(), "JKS".into())]);
}

#[test]
fn analyzer_is_shared_across_threads_with_identical_results() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Analyzer>();
    use rayon::prelude::*;
    let texts: Vec<String> = (0..64).map(|i| format!("딥시크가 {i}번째 모델 큐원3를 공개했다")).collect();
    let serial: Vec<Vec<String>> = texts.iter().map(|t| analyzer().terms(t)).collect();
    let parallel: Vec<Vec<String>> = texts.par_iter().map(|t| analyzer().terms(t)).collect();
    assert_eq!(serial, parallel);
}

#[test]
fn user_dictionary_context_ids_are_kodic_ids() {
    let dictionary = system_dictionary().unwrap();
    let map = dictionary.metadata.context_id_map.clone().unwrap();
    let original = |perm: &[u16], id: u32| perm.iter().position(|&x| x as u32 == id).unwrap() as u16;
    // Plain (non-compound) entries with the tag and the final consonant of each row.
    for (surface, tag, has_final) in [
        ("화웨이", userdict::Tag::Nnp, false),
        ("리벨리온", userdict::Tag::Nnp, true),
        ("메모리", userdict::Tag::Nng, false),
        ("로봇", userdict::Tag::Nng, true),
    ] {
        let tag_name = if tag == userdict::Tag::Nnp { "NNP" } else { "NNG" };
        let entry = dictionary
            .prefix_dictionary
            .find_surface(surface)
            .into_iter()
            .find(|e| {
                let details = dictionary.word_details(e.word_id().id() as usize);
                details[0] == tag_name && details[1] == "*"
            })
            .unwrap();
        let ids = (original(&map.left, entry.left_id()), original(&map.right, entry.right_id()));
        assert_eq!(ids, tag.context_ids(has_final), "{surface}");
    }
}

#[test]
fn user_words_do_not_break_longer_dictionary_words() {
    check(&[("드라마를", &["드라마"]), ("소라게", &["소라게"]), ("파라마운트", &["파라마운트", "파라", "마운트"])]);
}

#[test]
fn registry_names_join_the_user_dictionary() {
    let plain = Analyzer::new(&[]).unwrap();
    // Without the registry, ko-dic reads 갤 as 개다 + ㄹ; the word is still whole.
    assert_eq!(plain.terms("갤봇이"), ["갤봇", "봇"]);
    assert_eq!(analyzer().terms("갤봇이"), ["갤봇"]);
}

#[test]
fn registry_compounds_keep_their_parts() {
    let a = Analyzer::new(&["삼성전자", "두산로보틱스", "딥시크", "유니트리"].map(String::from)).unwrap();
    // A dictionary compound (삼성전자) and a name segmented into known nouns (두산 + 로보틱스) give
    // their parts; a name whose reading without the registry has a one-letter part does not.
    assert_eq!(a.terms("삼성전자가 두산로보틱스의"), ["삼성전자", "삼성", "전자", "두산로보틱스", "두산", "로보틱스"]);
    assert_eq!(a.terms("딥시크를 유니트리는"), ["딥시크", "유니트리"]);
}

#[test]
fn particle_suffixes_are_longest_first() {
    let suffixes = particle_suffixes();
    assert!(suffixes.len() > 1000);
    for s in ["은", "를", "에서", "이다", "으로부터", "였다", "처럼"] {
        assert!(suffixes.iter().any(|x| x == s), "{s}");
    }
    assert!(suffixes.windows(2).all(|w| w[0].chars().count() >= w[1].chars().count()));
}

/// ko-dic's particle (J), ending (E) and copula (C: VCP + endings) surfaces with their classes,
/// longest first: what `analysis/particles.txt` holds.
fn particles_from_dictionary() -> String {
    let dictionary = system_dictionary().unwrap();
    let mut classes: std::collections::BTreeMap<String, String> = Default::default();
    for id in 0..dictionary.prefix_dictionary.word_count() {
        let details = dictionary.word_details(id);
        let (Some(pos), Some(reading)) = (details.first(), details.get(3)) else {
            continue;
        };
        let tags: Vec<&str> = pos.split('+').collect();
        let class = if tags.iter().all(|t| t.starts_with('J')) {
            'J'
        } else if tags.iter().all(|t| t.starts_with('J') || t.starts_with('E')) {
            'E'
        } else if tags[0] == "VCP" && tags[1..].iter().all(|t| t.starts_with('E') || t.starts_with('J')) {
            'C'
        } else {
            continue;
        };
        if !reading.chars().all(userdict::is_hangul_syllable) || reading.is_empty() {
            continue;
        }
        let entry = classes.entry(reading.to_string()).or_default();
        if !entry.contains(class) {
            entry.push(class);
            let mut sorted: Vec<char> = entry.chars().collect();
            sorted.sort();
            *entry = sorted.into_iter().collect();
        }
    }
    let mut rows: Vec<(String, String)> = classes.into_iter().collect();
    rows.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
    rows.iter().map(|(s, c)| format!("{s}\t{c}\n")).collect()
}

#[test]
fn particle_list_matches_the_dictionary() {
    let generated = particles_from_dictionary();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/analysis/particles.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    assert!(generated == PARTICLES, "src/analysis/particles.txt is stale: rerun this test with BLESS=1");
}

fn strings(terms: &[&str]) -> Vec<String> {
    terms.iter().map(|t| t.to_string()).collect()
}

fn topics() -> Vec<(String, Vec<String>)> {
    vec![
        ("robots".into(), strings(&["로봇", "휴머노이드", "robot"])),
        ("chips".into(), strings(&["칩", "반도체", "GPU", "HBM"])),
        ("open-source-models".into(), strings(&["오픈소스", "오픈 웨이트", "LLM"])),
    ]
}

#[test]
fn topic_scores_weigh_titles_and_normalise_by_length() {
    let a = analyzer();
    let title = a.terms("유니트리, 휴머노이드 로봇 공개");
    let body = a.terms(&"휴머노이드로봇이 공장에서 일한다. GPU 수요도 늘었다. ".repeat(20));
    let scores = topic_scores(&title, &body, &topics());
    let keys: Vec<&str> = scores.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["chips", "open-source-models", "robots"]);
    // Title: 휴머노이드, 로봇 (x3 each); body per copy: 휴머노이드, 로봇; chips: gpu.
    let per = 1000.0 / body.len() as f64;
    assert_eq!(scores[2].1, (2.0 * 3.0 + 40.0) * per);
    assert_eq!(scores[0].1, 20.0 * per);
    assert_eq!(scores[1].1, 0.0);
}

#[test]
fn topic_terms_with_spaces_match_consecutive_terms() {
    let a = analyzer();
    let body = a.terms("오픈 웨이트 모델과 오픈웨이트 방식, LLM 경쟁");
    let scores = topic_scores(&[], &body, &topics());
    let open = scores.iter().find(|(k, _)| k == "open-source-models").unwrap().1;
    // 오픈 웨이트 twice (the compound gives 오픈웨이트, 오픈, 웨이트), llm once; short bodies count as 100 terms.
    assert_eq!(open, 3.0 * 1000.0 / 100.0);
}

fn registry_names() -> Vec<(String, Vec<String>)> {
    let a = analyzer();
    [
        ("huawei", "화웨이"),
        ("huawei", "Huawei"),
        ("nvidia", "엔비디아"),
        ("nvidia", "NVIDIA"),
        ("skhynix", "SK하이닉스"),
        ("skhynix", "SK hynix"),
        ("bostondynamics", "보스턴 다이내믹스"),
        ("zhipu", "지푸AI"),
        ("deepseek", "딥시크"),
        ("deepseek", "深度求索"),
    ]
    .into_iter()
    .map(|(key, name)| (key.to_string(), a.terms(name)))
    .collect()
}

#[test]
fn companies_are_detected_through_particles() {
    let a = analyzer();
    let terms = a.terms("화웨이와 엔비디아의 경쟁 속에 SK하이닉스가 웃었다. 보스턴 다이내믹스는 침묵했다");
    assert_eq!(detect_companies(&terms, &registry_names()), ["bostondynamics", "huawei", "nvidia", "skhynix"]);
    let terms = a.terms("Huawei와 深度求索, 지푸AI의 모델");
    assert_eq!(detect_companies(&terms, &registry_names()), ["deepseek", "huawei", "zhipu"]);
}

#[test]
fn companies_need_the_whole_name() {
    let a = analyzer();
    // 하이닉스 alone and 보스턴 alone are other names; 딥시크 inside a longer word still counts.
    let terms = a.terms("하이닉스 공장과 보스턴 연구소, 딥시크-V3.2 공개");
    assert_eq!(detect_companies(&terms, &registry_names()), ["deepseek"]);
    assert!(detect_companies(&[], &registry_names()).is_empty());
}

#[test]
fn related_ranks_shared_rare_terms_first() {
    let docs: Vec<Vec<String>> = vec![
        strings(&["휴머노이드", "유니트리", "로봇", "가격", "모델"]),
        strings(&["휴머노이드", "유니트리", "로봇", "공장", "모델"]),
        strings(&["hbm", "하이닉스", "메모리", "모델"]),
        strings(&["hbm", "하이닉스", "삼성", "모델"]),
        strings(&["로봇", "공장", "자동화", "모델"]),
        strings(&["날씨", "모델"]),
    ];
    let related = related(&docs, 2);
    assert_eq!(related[0], [1, 4]);
    assert_eq!(related[1], [0, 4]);
    assert_eq!(related[2], [3]);
    assert_eq!(related[3], [2]);
    assert_eq!(related[4], [1, 0]);
    // 모델 is in every article: it relates nothing.
    assert!(related[5].is_empty());
}

#[test]
fn related_handles_degenerate_input() {
    assert!(related(&[], 5).is_empty());
    assert_eq!(related(&[strings(&["로봇"])], 5), vec![Vec::<usize>::new()]);
    assert_eq!(related(&[strings(&["로봇"]), strings(&["로봇"])], 0), vec![Vec::<usize>::new(); 2]);
    assert_eq!(related(&[Vec::new(), Vec::new()], 3), vec![Vec::<usize>::new(); 2]);
}

/// Deterministic pseudo-random articles with a Zipf-like vocabulary.
fn synthetic_docs(n: usize, len: usize) -> Vec<Vec<String>> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            (0..len)
                .map(|_| {
                    let r = (next() % 1_000_000) as f64 / 1_000_000.0;
                    format!("t{}", (50_000f64.powf(r)) as u32)
                })
                .collect()
        })
        .collect()
}

#[test]
fn related_is_deterministic_across_thread_counts() {
    let docs = synthetic_docs(300, 200);
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| related(&docs, 5));
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| related(&docs, 5));
    assert_eq!(one, two);
    assert!(one.iter().all(|r| r.len() == 5));
}

/// `cargo test --release -- --ignored --nocapture related_scales`
#[test]
#[ignore]
fn related_scales_to_ten_thousand_articles() {
    let docs = synthetic_docs(10_000, 600);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let start = std::time::Instant::now();
    let result = pool.install(|| related(&docs, 5));
    let elapsed = start.elapsed();
    println!("related: 10,000 articles x 600 terms in {elapsed:?} on 2 threads");
    assert_eq!(result.len(), 10_000);
    assert!(elapsed.as_secs_f64() < 1.0, "{elapsed:?}");
}

/// Throughput on the benchmark corpus:
/// `python3 /work/shared/bench/gen_corpus.py 2000 /tmp/corp2k` then
/// `SOSIK_CORPUS=/tmp/corp2k cargo test --release -- --ignored --nocapture analysis_throughput`
#[test]
#[ignore]
fn analysis_throughput() {
    use rayon::prelude::*;
    let root = std::env::var("SOSIK_CORPUS").unwrap_or_else(|_| "/tmp/corp2k".into());
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root).join("content")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let bodies: Vec<String> = files
        .iter()
        .map(|p| {
            let s = std::fs::read_to_string(p).unwrap();
            s.splitn(3, "+++").nth(2).unwrap_or_default().to_string()
        })
        .collect();
    let mb = bodies.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!("{} articles, {mb:.1} MB", bodies.len());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    // The first pass pages in the embedded dictionary; it is not what a build spends per article.
    bodies.iter().take(200).for_each(|b| drop(analyzer().terms(b)));
    let mut serial = Vec::new();
    for cache_words in [0, CACHE_WORDS] {
        let fresh = || Analyzer { cache_words, ..Analyzer::new(&[]).unwrap() };
        let a = fresh();
        let start = std::time::Instant::now();
        serial = bodies.iter().map(|b| a.terms(b)).collect::<Vec<_>>();
        let one = start.elapsed().as_secs_f64();
        let a = fresh();
        let start = std::time::Instant::now();
        let parallel: Vec<Vec<String>> = pool.install(|| bodies.par_iter().map(|b| a.terms(b)).collect());
        let two = start.elapsed().as_secs_f64();
        assert_eq!(serial, parallel);
        println!("word cache {cache_words}: 1 thread {:.2} MB/s, 2 threads {:.2} MB/s", mb / one, mb / two);
    }
    let start = std::time::Instant::now();
    let related = pool.install(|| related(&serial, 5));
    println!("related over {} articles: {:?}", related.len(), start.elapsed());
}

#[test]
fn odd_input_gives_no_terms_or_sensible_ones() {
    let a = analyzer();
    assert!(a.terms("").is_empty());
    assert!(a.terms(" \t\r\n\u{3000}").is_empty());
    assert!(a.terms("… — !!! ### *** (“”) ·").is_empty());
    assert_eq!(a.terms("로봇\r\n칩\t모델\u{200B}데이터"), ["로봇", "칩", "모델", "데이터"]);
    assert_eq!(a.terms("🤖로봇🤖"), ["로봇"]);
    let long = "휴머노이드".repeat(2000);
    assert_eq!(a.terms(&long).first(), Some(&long));
    assert_eq!(a.tokens("").len(), 0);
}
