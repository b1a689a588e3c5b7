//! Every kind of page of a busy archive fits a phone: `tests/js/pages.js` opens the pages of a
//! generated month of 40 articles a day (with six topics in the menu) in chromium at 390 px wide and
//! fails when one is taller than 15,000 px, when the phone menu hides sections without a cue, or when
//! a page load meets a 404 (the favicon). Issue 13 measured November of a 2,000-article archive at
//! 61,303 px. Without node, chromium or `npm ci`'s playwright-core it prints a notice and skips; with
//! CI=true it fails instead.

use crate::search_support::{build_site, has_command, node_check, repo, unavailable};

use std::fmt::Write as _;
use std::path::Path;

/// Articles a day, as in a busy archive (the 2,000-article benchmark has 30 to 50).
const PER_DAY: usize = 40;
/// January 2025: a whole month of 31 days, then two days of February.
const DAYS: usize = 33;

const COMPANIES: &[&str] = &[
    "딥시크",
    "알리바바",
    "문샷",
    "바이트댄스",
    "텐센트",
    "바이두",
    "화웨이",
    "유니트리",
    "오픈AI",
    "구글",
    "메타",
    "앤트로픽",
    "엔비디아",
    "삼성전자",
    "SK하이닉스",
    "네이버",
    "카카오",
    "LG",
    "업스테이지",
    "리벨리온",
    "퓨리오사AI",
    "TSMC",
    "인텔",
    "AMD",
    "샤오미",
    "테슬라",
];
const SUBJECTS: &[&str] = &[
    "휴머노이드 로봇",
    "오픈소스 추론 모델",
    "AI 반도체",
    "HBM 메모리",
    "데이터센터 투자",
    "자율주행 소프트웨어",
    "코딩 에이전트",
    "멀티모달 모델",
    "로봇 손 부품",
    "추론용 가속기",
];
const ACTIONS: &[&str] = &[
    "공개하며 시장 공략 본격화",
    "출시 앞두고 가격 정책 발표",
    "양산 일정 앞당겨 공급망 재편 예고",
    "투자 유치로 기업가치 두 배 뛰어",
    "성능 지표 공개하자 업계 반응 엇갈려",
    "협력 확대, 내년 상용화 목표",
];
const TAGS: &[&str] = &[
    "WAIC",
    "수출규제",
    "가격",
    "투자",
    "인재",
    "데이터센터",
    "규제",
    "실적",
    "협력",
    "공개",
    "오픈소스",
    "반도체",
    "휴머노이드",
    "자율주행",
    "클라우드",
    "에이전트",
    "추론",
    "학습",
    "전력",
    "상장",
    "인수합병",
    "보안",
    "저작권",
    "교육",
    "의료",
    "금융",
    "게임",
    "스마트폰",
    "PC",
    "자동차",
    "물류",
    "제조",
    "국방",
    "우주",
    "통신",
    "검색",
    "광고",
    "콘텐츠",
    "번역",
    "음성",
];
/// Three topics beyond the sample's, so the phone menu has six and must scroll.
const MORE_TOPICS: &str = "
[topics.autonomous]
name = \"자율주행\"
terms = [\"자율주행\", \"로보택시\"]

[topics.agents]
name = \"AI 에이전트\"
terms = [\"에이전트\", \"agent\"]

[topics.datacenters]
name = \"데이터센터\"
terms = [\"데이터센터\", \"전력\"]
";

/// A deterministic stream of small numbers (no crate needed for a fixture).
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        from[(self.0 >> 33) as usize % from.len()]
    }
}

/// Writes the archive: `DAYS` days of `PER_DAY` articles with long Korean titles, a short body
/// (long bodies only make the build slower; one long article below is the article page's worst case),
/// two companies and one to three tags each.
fn write_archive(root: &Path) {
    let mut site = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    site.push_str(MORE_TOPICS);
    std::fs::write(root.join("site.toml"), site).unwrap();
    // Its share_image is a file of static/.
    crate::harness::copy_tree(&repo().join("static"), &root.join("static"));
    let mut rng = Lcg(13);
    let first = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for d in 0..DAYS {
        let day = first + chrono::Days::new(d as u64);
        let dir = root.join("content").join(day.format("%Y/%m/%d").to_string());
        std::fs::create_dir_all(&dir).unwrap();
        for n in 0..PER_DAY {
            let (c1, c2, subject) = (rng.pick(COMPANIES), rng.pick(COMPANIES), rng.pick(SUBJECTS));
            let title =
                format!("{c1}, {subject} '{}' {}", rng.pick(&["V4", "R2", "H20", "K2", "G1"]), rng.pick(ACTIONS));
            let tags: Vec<String> = (0..1 + n % 3).map(|_| format!("\"{}\"", rng.pick(TAGS))).collect();
            let mut body = String::new();
            let paragraphs = if d == 0 && n == 0 { 24 } else { 2 };
            for p in 0..paragraphs {
                let _ = write!(
                    body,
                    "{c1}는 {subject} 사업을 넓히겠다고 밝혔다. {c2}와의 협력으로 {}분기 안에 첫 제품을 내놓고, \
                     업계는 가격과 공급이 어떻게 바뀔지 지켜보고 있다. 문단 {p}의 내용은 시험용으로 지어낸 것이다.\n\n",
                    1 + p % 4
                );
            }
            let text = format!(
                "+++\ntitle = \"{title}\"\ndate = {day}\ncompanies = [\"{c1}\", \"{c2}\"]\ntags = [{}]\n+++\n{body}",
                tags.join(", ")
            );
            std::fs::write(dir.join(format!("a{n:02}.md")), text).unwrap();
        }
    }
}

#[test]
fn every_kind_of_page_fits_a_phone_and_the_menu_shows_it_scrolls() {
    if !has_command("node", "--version") {
        unavailable("node is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    write_archive(&root);
    let output = tmp.path().join("public");
    build_site(&root, &output);
    // The month page lists at most five titles a day, each day linking to its page; a day of 40
    // articles has two pages.
    let month = std::fs::read_to_string(output.join("2025/01/index.html")).unwrap();
    assert_eq!(month.matches("모두 보기").count(), 31, "every day of January links to its page");
    assert!(output.join("2025/01/05/page/2/index.html").is_file());
    assert!(!output.join("2025/01/05/page/3/index.html").exists());

    let Some((ok, stdout, stderr)) = node_check("tests/js/pages.js", &[output.as_os_str(), "15000".as_ref()]) else {
        return;
    };
    assert!(ok, "the page check failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok: heights, menu, no 404"), "{stdout}");
    assert!(
        stdout.contains("menu: scrolls, 10 sections"),
        "six topics should need a scrolling menu at 390 px: {stdout}"
    );
}
