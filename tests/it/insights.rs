//! Issue 14: archive insights. Coverage charts whose numbers are checked against counts made here
//! from the front matter, the trend statistic on a planted burst, co-mentions, the registry's
//! company details, `check --suggest-companies`, and the pages in Chromium at 390 and 1280 px,
//! light and dark (fixture insights/registry and a generated archive).

use std::collections::BTreeMap;

use crate::harness;

use harness::{attr_values, fixture, main_text, Fixture};

/// The `<title>`s of the first coverage chart of a page, with the bar's link if it has one.
fn chart_bars(html: &str) -> Vec<(String, Option<String>)> {
    let start = html.find("<svg class=\"chart\"").expect("a coverage chart");
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    let pieces: Vec<&str> = svg.split("<title>").collect();
    let mut out = Vec::new();
    for k in 1..pieces.len() {
        let title = harness::unescape(&pieces[k][..pieces[k].find("</title>").unwrap()]);
        // The bar's own link opens right before its title; an earlier bar's is closed.
        let prev = pieces[k - 1];
        let link = prev.rfind("<a href=\"").filter(|&i| !prev[i..].contains("</a>")).map(|i| {
            let rest = &prev[i + 9..];
            harness::unescape(&rest[..rest.find('"').unwrap()])
        });
        out.push((title, link));
    }
    out
}

/// The rows of the chart's hidden table: (month label, count).
fn chart_table(html: &str) -> Vec<(String, usize)> {
    let start = html.find("<div class=\"visually-hidden\"><table>").expect("the chart's table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let text = harness::text(row);
            let (label, n) = text.trim().rsplit_once(' ').unwrap();
            (label.trim().to_string(), n.parse().unwrap())
        })
        .collect()
}

/// Front matter of every article under `content/`, read with the toml crate: (month "2025-06",
/// company keys resolved through the registry's spellings as written in site.toml).
fn front_matter(f: &Fixture) -> Vec<(String, Vec<String>)> {
    let config: toml::Table = std::fs::read_to_string(f.path("site.toml")).unwrap().parse().unwrap();
    let mut spellings: BTreeMap<String, String> = BTreeMap::new();
    for (key, c) in config["companies"].as_table().unwrap() {
        spellings.insert(key.to_lowercase(), key.clone());
        let c = c.as_table().unwrap();
        let mut names: Vec<&str> = vec![c["name"].as_str().unwrap()];
        names.extend(c.get("en").and_then(|v| v.as_str()));
        names.extend(c.get("aliases").into_iter().flat_map(|a| a.as_array().unwrap()).map(|v| v.as_str().unwrap()));
        for n in names {
            spellings.insert(n.to_lowercase(), key.clone());
        }
    }
    let mut out = Vec::new();
    for rel in harness::walk_files(&f.path("content")) {
        let text = std::fs::read_to_string(f.path("content").join(&rel)).unwrap();
        let toml_text = text.split("+++").nth(1).unwrap();
        let meta: toml::Table = toml_text.parse().unwrap();
        let month = meta["date"].to_string()[..7].to_string();
        let companies = meta
            .get("companies")
            .into_iter()
            .flat_map(|a| a.as_array().unwrap())
            .map(|v| {
                let name = v.as_str().unwrap().to_lowercase();
                spellings.get(&name).cloned().unwrap_or(name)
            })
            .collect();
        out.push((month, companies));
    }
    out
}

/// `2025년 6월: 3건` for every month from the first to the last with an article, zeros included.
fn expected_titles(months: &[String]) -> Vec<String> {
    let mut counts: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for m in months {
        let (y, mo) = m.split_once('-').unwrap();
        *counts.entry((y.parse().unwrap(), mo.parse().unwrap())).or_default() += 1;
    }
    let (Some(&(mut y, mut m)), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= last {
        out.push(format!("{y}년 {m}월: {}건", counts.get(&(y, m)).copied().unwrap_or(0)));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[test]
fn coverage_charts_match_counts_from_the_front_matter() {
    let f = fixture("insights/registry");
    let b = f.build();
    let articles = front_matter(&f);
    let all: Vec<String> = articles.iter().map(|(m, _)| m.clone()).collect();
    let mut pages = vec![("".to_string(), all)];
    for key in ["deepseek", "huawei", "alibaba", "unitree"] {
        let months = articles.iter().filter(|(_, c)| c.iter().any(|k| k == key)).map(|(m, _)| m.clone()).collect();
        pages.push((format!("companies/{key}/"), months));
    }
    for (dir, months) in &pages {
        let html = b.page(dir);
        let bars = chart_bars(&html);
        let want = expected_titles(months);
        assert!(!want.is_empty());
        assert_eq!(bars.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), want, "/{dir}");
        for (title, link) in &bars {
            // A month with articles links to its month page; an empty month has no link.
            let (y, m) = title.split_once("년 ").unwrap();
            let m = m.split_once('월').unwrap().0;
            if title.ends_with(": 0건") {
                assert_eq!(link, &None, "{title}");
            } else {
                assert_eq!(
                    link.as_deref(),
                    Some(format!("/{y}/{:02}/", m.parse::<u32>().unwrap()).as_str()),
                    "{title}"
                );
                assert!(b.exists(&format!("{y}/{:02}/index.html", m.parse::<u32>().unwrap())));
            }
        }
        // The hidden table says the same.
        let table: Vec<String> = chart_table(&html).iter().map(|(l, n)| format!("{l}: {n}건")).collect();
        assert_eq!(table, want, "/{dir}");
    }
    // deepseek: three articles in June (one by its English name), none in July, two in August.
    assert_eq!(
        chart_bars(&b.page("companies/deepseek/")).into_iter().map(|(t, _)| t).collect::<Vec<_>>(),
        ["2025년 6월: 3건", "2025년 7월: 0건", "2025년 8월: 2건"]
    );
}

#[test]
fn company_page_shows_registry_details_dates_and_co_mentions() {
    let b = fixture("insights/registry").build();
    let html = b.page("companies/deepseek/");
    let text = main_text(&html);
    assert!(text.contains("중국 항저우의 AI 연구 기업. <오픈 웨이트> 모델 R1을 내놓았다."), "{text}");
    assert!(html.contains("&lt;오픈 웨이트&gt;"), "the description is escaped");
    assert!(text.contains("국가 중국"), "{text}");
    assert!(text.contains("웹사이트 www.deepseek.com"), "{text}");
    assert!(html.contains("href=\"https://www.deepseek.com/\" rel=\"external\""));
    assert!(text.contains("첫 기사 2025년 6월 2일 (월)"), "{text}");
    assert!(text.contains("최근 기사 2025년 8월 6일 (수)"), "{text}");
    // Named together: 화웨이 in b and e, 알리바바 in c, 유니트리 in e; ties by name.
    let start = html.find("<ol id=\"co-mentioned\"").expect("co-mentioned list");
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    assert_eq!(attr_values(list, "href"), ["/companies/huawei/", "/companies/alibaba/", "/companies/unitree/"]);
    assert_eq!(
        harness::text(list).split_whitespace().collect::<Vec<_>>().join(" "),
        "화웨이 2건 알리바바 1건 유니트리 1건"
    );
    // A company without details shows its dates, and no empty fields.
    let alibaba = main_text(&b.page("companies/alibaba/"));
    assert!(alibaba.contains("첫 기사 2025년 6월 21일 (토) 최근 기사 2025년 6월 21일 (토)"), "{alibaba}");
    assert!(!alibaba.contains("국가") && !alibaba.contains("웹사이트"), "{alibaba}");
    // Topic pages: chart and dates.
    let topic = b.page("topics/chips/");
    assert_eq!(chart_bars(&topic).len(), 3);
    assert!(main_text(&topic).contains("첫 기사 2025년 6월 2일 (월)"));
}

#[test]
fn company_index_sorts_by_number_of_articles() {
    let b = fixture("insights/registry").build();
    let html = b.page("companies/");
    let start = html.find("<section id=\"by-count\"").expect("the list by count");
    let by_count = &html[start..start + html[start..].find("</section>").unwrap()];
    // deepseek 5, huawei 3, then alibaba and unitree with 1 each by name.
    assert_eq!(
        attr_values(by_count, "href"),
        ["/companies/deepseek/", "/companies/huawei/", "/companies/alibaba/", "/companies/unitree/"]
    );
    assert!(html.contains("<a href=\"#by-count\">기사 많은 순</a>"));
}

#[test]
fn registry_details_are_checked_with_located_errors() {
    let f = fixture("insights/registry");
    let toml = std::fs::read_to_string(f.path("site.toml")).unwrap();
    let bad = toml
        .replace("url = \"https://www.deepseek.com/\"", "url = \"www.deepseek.com\"")
        .replace("country = \"CN\"", "country = \"China\"")
        .replace("url = \"https://www.unitree.com\"", "description = \"\"");
    f.write("site.toml", bad);
    let err = f.build_error();
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.contains(&"site.toml:11:7: company `deepseek`: invalid `url` `www.deepseek.com`: relative URL without a base, expected an address like \"https://example.com/\""),
        "{err}"
    );
    assert!(
        lines.contains(&"site.toml:17:11: company `huawei`: unknown `country` `China`: expected an ISO 3166-1 alpha-2 code such as \"CN\", \"US\" or \"KR\""),
        "{err}"
    );
    assert!(
        lines.contains(&"site.toml:27:15: company `unitree`: `description` is empty; write a sentence about the company or leave the key out"),
        "{err}"
    );
}

#[test]
fn suggest_companies_lists_proper_nouns_the_registry_lacks() {
    let f = fixture("insights/registry");
    let run = f.cli(&["check", "--suggest-companies"]);
    assert_eq!(run.code, 0, "{run:?}");
    let names: Vec<&str> =
        run.stdout.lines().filter_map(|l| l.strip_prefix("name = \"")).map(|l| l.trim_end_matches('"')).collect();
    for want in ["비렌", "무어 스레드", "센스타임", "스텝펀"] {
        assert!(names.contains(&want), "{want} missing from {names:?}\n{}", run.stdout);
    }
    // Registered names and aliases, and common nouns, never.
    for never in
        ["딥시크", "화웨이", "알리바바", "유니트리", "DeepSeek", "深度求索", "업체", "칩", "모델", "중국", "스레드"]
    {
        assert!(!names.contains(&never), "{never} suggested: {names:?}");
    }
    // Loanwords that ko-dic tags as proper nouns, with nothing in the text saying they are companies.
    for common in ["스마트폰", "클라우드", "물류", "컴퓨팅"] {
        assert!(!names.contains(&common), "{common} suggested: {names:?}");
    }
    // A product (화웨이 어센드 칩, 화웨이의 어센드 910C), with nothing that makes it a company.
    assert!(!names.contains(&"어센드"), "어센드 suggested: {names:?}");
    // Most frequent first, with the count and an example, as an entry to paste.
    let first = run.stdout.find("[companies.").unwrap();
    assert!(run.stdout.contains(
        "# 3 articles (3 times), e.g. content/f.md (딥시크 새 모델 소식, 업계 반응 엇갈려)\n[companies.biren]\nname = \"비렌\"\n"
    ) || run.stdout.contains("[companies.biren]\nname = \"비렌\""), "{}", run.stdout);
    let pasted: toml::Table =
        run.stdout[first..].split("\nok: ").next().unwrap().parse().expect("the entries are TOML");
    assert_eq!(pasted["companies"]["mueo-seuredeu"]["name"].as_str(), Some("무어 스레드"));
}

/// Fourteen weeks of an archive with the same text every week, one word new in the last week
/// (양자컴퓨터, four articles) and a made-up word (모노텔릭스) in 30 articles of the last week only,
/// with a verb new that week (선보였다, stem 선보이).
fn burst_site() -> Fixture {
    let f = fixture("insights/registry");
    std::fs::remove_dir_all(f.path("content")).unwrap();
    let pool = "인공지능 기업들이 새 모델을 잇달아 내놓고 있다. 업계는 데이터센터 투자가 계속 늘어날 것으로 본다. \
                반도체 공급이 빠듯해 가격이 오르고 있다. 정부는 인공지능 산업을 키우는 정책을 발표했다. \
                연구진은 학습 비용을 줄이는 방법을 찾았다.";
    let first = chrono::NaiveDate::from_ymd_opt(2025, 5, 5).unwrap();
    let mut n = 0;
    let mut article = |day: chrono::NaiveDate, company: &str, extra: &str| {
        n += 1;
        let body = format!(
            "+++\ntitle = \"주간 소식 {n}번\"\ndate = {day}\ncompanies = [\"{company}\"]\n+++\n{pool} {extra}\n"
        );
        f.write(&format!("content/{day}-{n}.md"), body);
    };
    for week in 0..14 {
        let monday = first + chrono::Duration::weeks(week);
        for k in 0..4 {
            // Two of them also write 모노 alone: 32 모노 in the week, 30 of them inside 모노텔릭스.
            let extra = match (week, k) {
                (13, 0 | 1) => "양자컴퓨터 연구도 소개됐다. 모노 방식도 시험했다.",
                (13, _) => "양자컴퓨터 연구도 소개됐다.",
                _ => "",
            };
            article(monday + chrono::Duration::days(k), "deepseek", extra);
        }
        if week == 13 {
            for k in 0..30 {
                article(
                    monday + chrono::Duration::days(k % 7),
                    "unitree",
                    "모노텔릭스 모델을 2025년 30곳에 내놓았다. 새 기능도 함께 선보였다. 메모리는 hbm9를 쓴다.",
                );
            }
        }
    }
    f
}

#[test]
fn a_planted_burst_is_the_first_trending_term_of_its_week() {
    let f = burst_site();
    let b = f.build();
    let week = b.page("trends/2025-W32/");
    let start = week.find("<ol id=\"trending-terms\"").expect("trending terms");
    let list = &week[start..start + week[start..].find("</ol>").unwrap()];
    let terms: Vec<String> =
        list.split("<li>").skip(1).map(|li| harness::text(&li[..li.find("</a>").unwrap()])).collect();
    assert_eq!(terms.first().map(String::as_str), Some("모노텔릭스"), "{terms:?}");
    // New too, but 4 times: under the minimum count of 5.
    assert!(!terms.contains(&"양자컴퓨터".to_string()), "{terms:?}");
    // G² beside it: 30 of the week's terms against none before, 2·30·ln((c+d)/c).
    let item = harness::text(&list[..list.find("</li>").unwrap()]);
    assert!(item.contains("G² ") && item.contains("30번") && item.contains("앞선 주 0번"), "{item}");
    let g2: f64 = item.split("G² ").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(g2 > 10.0, "{item}");
    // Links to the search page; numbers and one-syllable words never listed.
    assert_eq!(attr_values(list, "href")[0], "/search/?q=%EB%AA%A8%EB%85%B8%ED%85%94%EB%A6%AD%EC%8A%A4");
    for t in &terms {
        assert!(t.chars().count() >= 2 && !t.starts_with(|c: char| c.is_ascii_digit()), "{t} in {terms:?}");
    }
    // 모노 rose too, but mostly inside 모노텔릭스: the compound says it.
    assert!(!terms.contains(&"모노".to_string()), "{terms:?}");
    // Index terms are lowercase; the list shows a short Latin run as capitals (hbm9 -> HBM9).
    assert!(terms.contains(&"HBM9".to_string()), "{terms:?}");
    assert!(list.contains("href=\"/search/?q=hbm9\""), "{list}");
    // A verb's stem rose as much, but is no subject: the index keeps it, the list does not.
    assert!(!terms.iter().any(|t| t.starts_with("선보")), "{terms:?}");
    assert!(f.cli(&["search", "선보였다"]).stdout.contains("주간 소식"), "the stem is still searchable");
    // The week's companies: 유니트리 rose, 딥시크 (every week) did not.
    let start = week.find("<ol id=\"trending-companies\"").expect("trending companies");
    let list = &week[start..start + week[start..].find("</ol>").unwrap()];
    assert_eq!(attr_values(list, "href"), ["/companies/unitree/"]);
    // Nowhere else: no other week lists it; earlier weeks, with the same text, list nothing.
    for w in 19..32 {
        let page = b.page(&format!("trends/2025-W{w}/"));
        assert!(!page.contains("모노텔릭스"), "2025-W{w}");
        assert!(!page.contains("id=\"trending-terms\""), "2025-W{w} lists terms");
    }
    // The home page shows the week's first five, the index every week.
    let home = b.page("");
    let start = home.find("<ol id=\"home-trending-terms\"").expect("home trends");
    let top = &home[start..start + home[start..].find("</ol>").unwrap()];
    assert_eq!(top.matches("<li>").count(), terms.len().min(5));
    assert!(top.contains(">모노텔릭스</a>"));
    let index = b.page("trends/");
    assert_eq!(attr_values(&index, "href").iter().filter(|h| h.starts_with("/trends/2025-W")).count(), 14);
}

// ---------------------------------------------------------------------------------------------
// In a browser.

/// Measures the insight parts of a page in an iframe: the chart's box, the bars' colour against
/// the page, overflow.
const PROBE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head><body><script>
const cases = CASES;
function rgb(s) { const m = s.match(/[\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3); }
function lum(c) { return c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
function contrast(a, b) { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); }
function background(w, el) { for (; el; el = el.parentElement) { const c = rgb(w.getComputedStyle(el).backgroundColor); if (c) return c; } return [255, 255, 255]; }
function probe([url, width]) { return new Promise(done => {
  const f = document.createElement('iframe');
  f.style.width = width + 'px'; f.style.height = '900px'; f.style.border = '0';
  f.onload = () => {
    if (f.contentWindow.location.href === 'about:blank') return;
    const d = f.contentDocument, w = f.contentWindow, root = d.documentElement;
    const chart = d.querySelector('svg.chart'), bar = d.querySelector('svg.chart .bar');
    const box = chart ? chart.getBoundingClientRect() : null;
    const r = { url, width, overflow: root.scrollWidth - root.clientWidth,
      dark: w.matchMedia('(prefers-color-scheme: dark)').matches,
      chartLeft: box ? box.left : -1, chartRight: box ? box.right : -1, chartHeight: box ? box.height : -1,
      bars: d.querySelectorAll('svg.chart .bar').length,
      barContrast: bar ? Math.round(contrast(rgb(w.getComputedStyle(bar).fill), background(w, chart)) * 100) / 100 : -1,
      tableHidden: d.querySelector('figure.coverage .visually-hidden') ? d.querySelector('figure.coverage .visually-hidden').getBoundingClientRect().width <= 1 : null,
      trends: d.querySelectorAll('#trending-terms li, #home-trending-terms li').length };
    document.body.appendChild(Object.assign(document.createElement('pre'), { className: 'result', textContent: JSON.stringify(r) }));
    f.remove(); done();
  };
  f.src = url; document.body.appendChild(f);
}); }
(async () => { for (const c of cases) await probe(c); document.body.appendChild(Object.assign(document.createElement('p'), { id: 'done' })); })();
</script></body></html>"#;

#[test]
fn insight_pages_fit_a_phone_and_read_in_light_and_dark() {
    let Some(browser) = crate::theme::chromium() else { return };
    let f = burst_site();
    let out = f.build().out;
    let pages =
        ["/", "/companies/deepseek/", "/topics/chips/", "/trends/", "/trends/2025-W32/", "/companies/#by-count"];
    let cases: Vec<String> = pages.iter().flat_map(|p| [format!("[\"{p}\",390]"), format!("[\"{p}\",1280]")]).collect();
    std::fs::write(out.join("__probe.html"), PROBE.replace("CASES", &format!("[{}]", cases.join(",")))).unwrap();
    let origin = crate::theme::serve(out.clone());
    let mut problems = Vec::new();
    for dark in [false, true] {
        let results = crate::theme::run_probe(browser, &origin, dark);
        assert_eq!(results.len(), cases.len(), "{results:?}");
        for r in &results {
            let at = format!("{} {r}", if dark { "dark" } else { "light" });
            let num = |k: &str| -> f64 {
                let i = r.find(&format!("\"{k}\":")).unwrap() + k.len() + 3;
                r[i..].split([',', '}']).next().unwrap().parse().unwrap()
            };
            if num("overflow") > 0.0 {
                problems.push(format!("wider than the screen: {at}"));
            }
            if r.contains("\"dark\":true") != dark {
                problems.push(format!("colour scheme not as asked: {at}"));
            }
            let width = num("width");
            if num("bars") > 0.0 {
                if num("chartLeft") < 0.0 || num("chartRight") > width || num("chartHeight") < 60.0 {
                    problems.push(format!("chart outside the page or flat: {at}"));
                }
                // Graphics need 3:1 against their background (WCAG 1.4.11).
                if num("barContrast") < 3.0 {
                    problems.push(format!("bars too faint: {at}"));
                }
                if !r.contains("\"tableHidden\":true") {
                    problems.push(format!("the chart's table shows: {at}"));
                }
            }
        }
        let home = results.iter().find(|r| r.contains("\"url\":\"/\"")).unwrap();
        assert!(!home.contains("\"trends\":0"), "{home}");
        let week = results.iter().find(|r| r.contains("\"url\":\"/trends/2025-W32/\"")).unwrap();
        assert!(!week.contains("\"trends\":0"), "{week}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if let Some(dir) = std::env::var_os("INSIGHTS_SCREENSHOTS") {
        screenshots(browser, &origin, std::path::Path::new(&dir));
    }
}

/// Screenshots of the insight pages (INSIGHTS_SCREENSHOTS=dir), to look at.
fn screenshots(browser: &str, origin: &str, dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, page) in
        [("home", "/"), ("company", "/companies/deepseek/"), ("week", "/trends/2025-W32/"), ("index", "/trends/")]
    {
        for (width, dark) in [(390, false), (390, true), (1280, false), (1280, true)] {
            let profile = tempfile::tempdir().unwrap();
            let file = dir.join(format!("{name}-{width}-{}.png", if dark { "dark" } else { "light" }));
            let mut cmd = std::process::Command::new(browser);
            cmd.args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]);
            cmd.arg(format!("--user-data-dir={}", profile.path().display()));
            cmd.arg(format!("--window-size={width},1400"));
            cmd.arg(format!("--screenshot={}", file.display()));
            if dark {
                cmd.arg("--force-dark-mode");
            }
            cmd.arg(format!("{origin}{page}"));
            cmd.output().expect("chromium runs");
        }
    }
}

#[test]
fn trend_pages_with_lists_are_valid_html() {
    if !crate::validity::tool("java", &["-version"], "the Nu HTML checker runs on Java") {
        return;
    }
    let Some(jar) = crate::validity::vnu_jar() else { return };
    let b = burst_site().build();
    assert!(b.page("trends/2025-W32/").contains("id=\"trending-companies\""));
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(&b.out)
        .output()
        .expect("java runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.trim().is_empty(), "the Nu HTML checker found errors:\n{stderr}");
}
