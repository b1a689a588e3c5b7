//! What the terms of an article say about it: topic scores, the registry companies it names, and
//! its most similar articles. Pure functions over analysed terms.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use crate::markdown::Section;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Bodies shorter than this many terms are scored as if this long, so a two-line brief that says
/// 로봇 once does not outrank a feature about robots.
const MIN_BODY_TERMS: usize = 100;
/// A hit in the title counts this many times in the whole-article score; so does a hit in a
/// section's heading (a ■ item's heading is its story's title) in that section's score.
const TITLE_WEIGHT: usize = 3;
/// Sections shorter than this many terms are scored as if this long. With the default threshold
/// (25), one mention in a short item (1000 / 80 = 12.5) is passing, two mentions or one in the
/// item's heading reach it. On the judged set (tests/fixtures/judged) 60..=100 give the same
/// labels; 80 keeps a section of 80 terms with two mentions in.
pub const MIN_SECTION_TERMS: usize = 80;

/// Scores every topic: occurrences of its terms among the article's terms, title occurrences
/// weighing three, per 1000 body terms. Topic terms are matched like analysed terms
/// (NFC, lowercased); one with spaces (`오픈 웨이트`) matches consecutive terms, which also finds
/// the parts of a compound (오픈웨이트 gives 오픈웨이트, 오픈, 웨이트). Sorted by topic key.
pub fn topic_scores(
    title_terms: &[String],
    body_terms: &[String],
    topics: &[(String, Vec<String>)],
) -> Vec<(String, f64)> {
    let index = TopicIndex::new(topic_phrases(topics));
    score_topics(title_terms, body_terms, &[], &index).into_iter().map(|s| (s.key, s.whole)).collect()
}

/// Each topic's terms as phrases (sequences of terms), sorted, distinct, none empty.
pub fn topic_phrases(topics: &[(String, Vec<String>)]) -> Vec<(String, Vec<Vec<String>>)> {
    topics
        .iter()
        .map(|(key, terms)| {
            let mut phrases: Vec<Vec<String>> = terms.iter().map(|t| phrase(t)).collect();
            phrases.sort();
            phrases.dedup();
            phrases.retain(|p| !p.is_empty());
            (key.clone(), phrases)
        })
        .collect()
}

/// The phrases of every topic (see [`topic_phrases`]) by their first term, built once per archive.
#[derive(Debug, Clone)]
pub struct TopicIndex<T> {
    keys: Vec<String>,
    /// First term -> (topic index, phrase) for each phrase starting with it.
    by_first: HashMap<T, Vec<(usize, Vec<T>)>>,
}

impl<T: Eq + Hash + Clone> TopicIndex<T> {
    /// Each topic's key and phrases, as [`topic_phrases`] gives them.
    pub fn new(mut topics: Vec<(String, Vec<Vec<T>>)>) -> TopicIndex<T> {
        topics.sort_by(|a, b| a.0.cmp(&b.0));
        let mut index = TopicIndex { keys: Vec::new(), by_first: HashMap::new() };
        for (i, (key, phrases)) in topics.into_iter().enumerate() {
            index.keys.push(key);
            for p in phrases.into_iter().filter(|p| !p.is_empty()) {
                index.by_first.entry(p[0].clone()).or_default().push((i, p));
            }
        }
        index
    }

    /// Calls `hit(topic, position)` for each phrase occurrence in `terms`, in text order.
    fn hits(&self, terms: &[T], mut hit: impl FnMut(usize, usize)) {
        for (at, term) in terms.iter().enumerate() {
            for (topic, p) in self.by_first.get(term).map_or(&[][..], Vec::as_slice) {
                if p.len() == 1 || terms[at..].starts_with(p) {
                    hit(*topic, at);
                }
            }
        }
    }
}

/// A topic's scores for one article: weighted hits per 1000 terms.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TopicScore {
    pub key: String,
    /// The whole article: title hits ×[`TITLE_WEIGHT`], over the body's terms (at least
    /// [`MIN_BODY_TERMS`]).
    pub whole: f64,
    /// Each section of the body: heading hits ×[`TITLE_WEIGHT`], over the section's terms (at
    /// least [`MIN_SECTION_TERMS`]).
    pub sections: Vec<f64>,
}

impl TopicScore {
    /// The rule: an article joins a topic that the whole article reaches, or any one of its
    /// sections (one story of a brief is enough).
    pub fn joins(&self, threshold: f64) -> bool {
        self.whole >= threshold || self.sections.iter().any(|&s| s >= threshold)
    }
}

/// The keys of the topics an article joins (see [`TopicScore::joins`]) with each topic's
/// `threshold`, in key order.
pub fn joined_topics(scores: &[TopicScore], threshold: impl Fn(&str) -> f64) -> Vec<String> {
    scores.iter().filter(|s| s.joins(threshold(&s.key))).map(|s| s.key.clone()).collect()
}

/// Scores every topic of `topics` for an article, whole and per section of the body (`sections`
/// are positions in `body`, see [`crate::markdown::Section`]), sorted by topic key.
pub fn score_topics<T: Eq + Hash + Clone>(
    title: &[T],
    body: &[T],
    sections: &[Section<u32>],
    topics: &TopicIndex<T>,
) -> Vec<TopicScore> {
    let n = topics.keys.len();
    let mut whole = vec![0usize; n];
    topics.hits(title, |topic, _| whole[topic] += TITLE_WEIGHT);
    // Weighted hits per topic and section, section-major.
    let mut in_sections = vec![0usize; n * sections.len()];
    let mut s = 0;
    topics.hits(body, |topic, at| {
        whole[topic] += 1;
        while s + 1 < sections.len() && sections[s + 1].start as usize <= at {
            s += 1;
        }
        if let Some(section) = sections.get(s).filter(|sec| sec.start as usize <= at) {
            in_sections[s * n + topic] += if at < section.body as usize { TITLE_WEIGHT } else { 1 };
        }
    });
    let per = |hits: usize, len: usize, floor: usize| hits as f64 * (1000.0 / len.max(floor) as f64);
    let section_len = |i: usize| {
        let end = sections.get(i + 1).map_or(body.len(), |next| next.start as usize);
        end.saturating_sub(sections[i].start as usize)
    };
    topics
        .keys
        .iter()
        .enumerate()
        .map(|(t, key)| TopicScore {
            key: key.clone(),
            whole: per(whole[t], body.len(), MIN_BODY_TERMS),
            sections: (0..sections.len())
                .map(|i| per(in_sections[i * n + t], section_len(i), MIN_SECTION_TERMS))
                .collect(),
        })
        .collect()
}

/// Registry keys of the companies named in an article, sorted and distinct. `names` holds one
/// `(key, terms)` per name, English name and alias, each analysed with the same
/// [`Analyzer`](super::Analyzer) as the article, so a name of several terms (sk하이닉스, sk,
/// 하이닉스; boston, dynamics) matches as a sequence whatever particle follows it in the text.
pub fn detect_companies<T: Eq + std::hash::Hash>(terms: &[T], names: &[(String, Vec<T>)]) -> Vec<String> {
    let present: HashSet<&T> = terms.iter().collect();
    let mut found: Vec<String> = names
        .iter()
        .filter(|(_, name)| name.first().is_some_and(|first| present.contains(first)))
        .filter(|(_, name)| terms.windows(name.len()).any(|w| w == name.as_slice()))
        .map(|(key, _)| key.clone())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A term in more than this share of the articles says nothing about which are alike
/// (기업, ai, 모델 in an AI-news archive); it is left out of the vectors.
const MAX_DF_SHARE: f64 = 0.05;
/// Small archives keep every term: with 40 articles, 5% would be two.
const MIN_DF_CAP: usize = 50;
/// Each article looks for neighbours through its highest-weighted terms only; the cosine still
/// uses its full vector on the other side. Bounds the work per article whatever its length.
const QUERY_TERMS: usize = 48;

/// Related articles: for each article the indices of the `k` most similar others by cosine of
/// TF-IDF vectors (sublinear tf), best first, ties by index, only scores above zero. An inverted
/// index over the terms below the cap makes this linear in practice: 10,000 articles of the
/// benchmark corpus take ~0.4 s on two cores.
pub fn related(docs: &[Vec<String>], k: usize) -> Vec<Vec<usize>> {
    if docs.is_empty() || k == 0 {
        return vec![Vec::new(); docs.len()];
    }
    let (vectors, df) = term_ids(docs);
    nearest_all(&vectors, &df, k)
}

/// [`related`] over interned term ids (`0..vocab_len`), as the build has them.
pub fn related_ids(docs: &[Vec<u32>], vocab_len: usize, k: usize) -> Vec<Vec<usize>> {
    if docs.is_empty() || k == 0 {
        return vec![Vec::new(); docs.len()];
    }
    let vectors: Vec<Vec<(u32, u32)>> = docs
        .par_iter()
        .map(|d| {
            let mut ids = d.clone();
            ids.sort_unstable();
            let mut counts: Vec<(u32, u32)> = Vec::new();
            for id in ids {
                match counts.last_mut() {
                    Some((last, c)) if *last == id => *c += 1,
                    _ => counts.push((id, 1)),
                }
            }
            counts
        })
        .collect();
    let mut df = vec![0u32; vocab_len];
    for &(id, _) in vectors.iter().flatten() {
        df[id as usize] += 1;
    }
    nearest_all(&vectors, &df, k)
}

fn nearest_all(vectors: &[Vec<(u32, u32)>], df: &[u32], k: usize) -> Vec<Vec<usize>> {
    let n = vectors.len();
    let cap = ((n as f64 * MAX_DF_SHARE) as usize).max(MIN_DF_CAP) as u32;
    let weighted = weigh(vectors, df, cap);
    let index = Index::build(&weighted, df, cap);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(acc, touched), doc| index.nearest(doc, &weighted[doc], k, acc, touched),
        )
        .collect()
}

/// Each article's distinct terms as `(id, count)`, and each id's document frequency. Hashing is
/// parallel; ids are given in first-seen order, so the result does not depend on the threads.
fn term_ids(docs: &[Vec<String>]) -> (Vec<Vec<(u32, u32)>>, Vec<u32>) {
    let hashed: Vec<Vec<(u64, u32)>> = docs.par_iter().map(|d| hashed_counts(d)).collect();
    let mut ids: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>> = HashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let vectors = hashed
        .iter()
        .map(|counts| {
            counts
                .iter()
                .map(|&(hash, tf)| {
                    let next = df.len() as u32;
                    let id = *ids.entry(hash).or_insert(next);
                    if id == next {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                    (id, tf)
                })
                .collect()
        })
        .collect();
    (vectors, df)
}

/// Unit-length TF-IDF vectors without the terms above the cap. Terms of one article stay in its
/// norm (they make it less like the others) though no other article shares them.
fn weigh(vectors: &[Vec<(u32, u32)>], df: &[u32], cap: u32) -> Vec<Vec<(u32, f32)>> {
    let n = vectors.len() as f32;
    vectors
        .par_iter()
        .map(|v| {
            let mut w: Vec<(u32, f32)> = v
                .iter()
                .filter(|&&(id, _)| df[id as usize] <= cap)
                .map(|&(id, tf)| {
                    let idf = (n / df[id as usize] as f32).ln();
                    (id, (1.0 + (tf as f32).ln()) * idf)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect();
            let norm = w.iter().map(|&(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                w.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            w
        })
        .collect()
}

/// Postings of the terms shared by 2..=cap articles, in one array: term `id`'s are
/// `postings[offsets[id]..offsets[id + 1]]`, articles ascending.
struct Index {
    offsets: Vec<usize>,
    postings: Vec<(u32, f32)>,
}

impl Index {
    fn build(weighted: &[Vec<(u32, f32)>], df: &[u32], cap: u32) -> Index {
        let indexed = |id: u32| (2..=cap).contains(&df[id as usize]);
        let mut offsets = vec![0usize; df.len() + 1];
        for &(id, _) in weighted.iter().flatten().filter(|&&(id, _)| indexed(id)) {
            offsets[id as usize + 1] += 1;
        }
        for id in 0..df.len() {
            offsets[id + 1] += offsets[id];
        }
        let mut cursor = offsets.clone();
        let mut postings = vec![(0u32, 0f32); offsets[df.len()]];
        for (doc, w) in weighted.iter().enumerate() {
            for &(id, x) in w.iter().filter(|&&(id, _)| indexed(id)) {
                postings[cursor[id as usize]] = (doc as u32, x);
                cursor[id as usize] += 1;
            }
        }
        Index { offsets, postings }
    }

    fn postings(&self, id: u32) -> &[(u32, f32)] {
        &self.postings[self.offsets[id as usize]..self.offsets[id as usize + 1]]
    }

    /// The `k` best other articles for `doc`, accumulating dot products in `acc` (all zero on
    /// entry and on return) over the postings of its [`QUERY_TERMS`] heaviest terms.
    fn nearest(
        &self,
        doc: usize,
        vector: &[(u32, f32)],
        k: usize,
        acc: &mut [f32],
        touched: &mut Vec<u32>,
    ) -> Vec<usize> {
        let mut query: Vec<(u32, f32)> =
            vector.iter().copied().filter(|&(id, _)| !self.postings(id).is_empty()).collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(QUERY_TERMS);
        for (id, x) in query {
            for &(other, y) in self.postings(id) {
                if acc[other as usize] == 0.0 {
                    touched.push(other);
                }
                acc[other as usize] += x * y;
            }
        }
        let mut scored: Vec<(u32, f32)> = touched
            .drain(..)
            .map(|o| (o, std::mem::take(&mut acc[o as usize])))
            .filter(|&(o, s)| o as usize != doc && s > 0.0)
            .collect();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        scored.into_iter().map(|(o, _)| o as usize).collect()
    }
}

/// An article's terms as `(hash, count)`, sorted by hash. Interning ten million strings in one
/// thread was most of the time; hashes are computed in parallel and interned as integers. Two
/// terms sharing a 64-bit hash (odds ~1e-10 for 100,000 terms) would only merge their weights.
fn hashed_counts(terms: &[String]) -> Vec<(u64, u32)> {
    let mut hashes: Vec<u64> = terms.iter().map(|t| hash_term(t)).collect();
    hashes.sort_unstable();
    let mut counts: Vec<(u64, u32)> = Vec::new();
    for h in hashes {
        match counts.last_mut() {
            Some((last, count)) if *last == h => *count += 1,
            _ => counts.push((h, 1)),
        }
    }
    counts
}

/// SipHash with fixed keys: the same term gives the same hash in every thread and run.
fn hash_term(term: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    term.hash(&mut hasher);
    hasher.finish()
}

/// A topic term as a sequence of terms: NFC, lowercased, split at spaces.
fn phrase(term: &str) -> Vec<String> {
    let term: String = term.nfc().collect::<String>().to_lowercase();
    super::eojeols(&term).map(str::to_string).collect()
}

/// The keys of the id map are [`hash_term`] values already.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    /// The topic lists of the root site.toml, in part.
    fn index() -> TopicIndex<String> {
        let topics = [
            ("robots", &["로봇", "휴머노이드", "로보틱스", "보행", "관절"][..]),
            (
                "open-source-models",
                &["오픈소스", "오픈웨이트", "가중치", "가중치 공개", "공개 모델", "라이선스", "허깅페이스"],
            ),
            ("chips", &["칩", "반도체", "gpu", "hbm", "파운드리", "공정", "메모리", "어센드", "gb200"]),
        ];
        let topics: Vec<(String, Vec<String>)> =
            topics.iter().map(|(k, t)| (k.to_string(), t.iter().map(|t| t.to_string()).collect())).collect();
        TopicIndex::new(topic_phrases(&topics))
    }

    /// An article's terms and sections from its title and its sections' (heading, text).
    fn article(title: &str, sections: &[(&str, &str)]) -> (Vec<String>, Vec<String>, Vec<Section<u32>>) {
        let a = Analyzer::plain().unwrap();
        let mut body = Vec::new();
        let mut starts = Vec::new();
        for (heading, text) in sections {
            let start = body.len() as u32;
            body.extend(a.terms(heading));
            starts.push(Section { start, body: body.len() as u32 });
            body.extend(a.terms(text));
        }
        (a.terms(title), body, starts)
    }

    fn joined(title: &str, sections: &[(&str, &str)]) -> Vec<String> {
        let (title, body, sections) = article(title, sections);
        joined_topics(&score_topics(&title, &body, &sections, &index()), |_| 25.0)
    }

    /// Issue 10, point 3: a daily brief reached only the topic of its longest story.
    #[test]
    fn a_brief_joins_the_topic_of_each_of_its_stories() {
        let brief = [
            (
                "",
                "세계인공지능대회 사흘째인 28일에도 중국 기업들의 발표가 이어졌다. 전시장은 관람객으로 붐볐고 \
                 업체마다 신제품을 내놓으며 기술력을 과시했다. 주최 측은 올해 참가 기업이 800곳을 넘었다고 밝혔다.",
            ),
            (
                "■ 유니트리, 휴머노이드 신제품 시연",
                "유니트리가 새 휴머노이드를 무대에서 걷게 했다. 관절마다 새 구동기를 넣어 보행이 한결 자연스러워졌다. \
                 가격은 5만 9천 위안부터다.",
            ),
            (
                "■ 지푸AI, GLM-4.5 공개",
                "지푸AI가 새 대형 언어모델 GLM-4.5를 내놨다. 가중치를 공개하고 MIT 라이선스로 배포해 누구나 상업적으로 \
                 쓸 수 있다. 중국의 오픈소스 모델은 성능에서도 미국 모델을 바짝 뒤쫓고 있다.",
            ),
            (
                "■ 화웨이, 어센드 910C 384개 묶은 시스템 전시",
                "화웨이가 자체 AI 칩 384개를 연결한 시스템을 처음 공개했다. 엔비디아 GB200 NVL72와 견줄 만하다고 밝혔다.",
            ),
        ];
        assert_eq!(joined("WAIC 사흘째…중국 기업들 신제품 쏟아내", &brief), ["chips", "open-source-models", "robots"]);
    }

    /// The other side of the rule: one mention in a long story is a passing one.
    #[test]
    fn a_long_article_that_mentions_a_robot_once_does_not_join_robots() {
        let chips = "SK하이닉스가 2분기 HBM 판매를 크게 늘렸다. 메모리 업황 회복으로 반도체 부문 이익이 늘었고 \
                     회사는 다음 분기에도 공급을 늘릴 계획이라고 밝혔다. 고객사들의 수요가 여전히 공급을 웃돌고 있다. "
            .repeat(6);
        let text = format!("{chips} 회사는 로봇 업체와의 협력 가능성도 열어 두었다.");
        assert_eq!(joined("SK하이닉스, 2분기 HBM 판매 급증", &[("", &text)]), ["chips"]);
        // Nor does a short story that mentions it once in its text.
        assert_eq!(joined("", &[("", "회사는 로봇 업체와의 협력 가능성도 열어 두었다.")]), Vec::<String>::new());
    }

    #[test]
    fn a_short_story_joins_with_two_mentions_or_one_in_its_heading() {
        let story = "텐센트가 새 모델 훈위안을 내놨다. 가중치를 공개해 누구나 내려받을 수 있다.";
        assert_eq!(joined("", &[("", story)]), ["open-source-models"]);
        assert_eq!(joined("", &[("", "올해 출하량이 2만 대를 넘을 것이라는 전망이 잇따랐다.")]), Vec::<String>::new());
        assert_eq!(
            joined("", &[("■ 휴머노이드 출하 전망 상향", "올해 출하량이 2만 대를 넘을 것이라는 전망이 잇따랐다.")]),
            ["robots"]
        );
    }

    #[test]
    fn section_scores_count_heading_hits_thrice_over_at_least_the_floor() {
        let (title, body, sections) = article("로봇", &[("", "로봇 로봇"), ("■ 칩", "반도체")]);
        let scores = score_topics(&title, &body, &sections, &index());
        let chips = &scores[0];
        assert_eq!(chips.key, "chips");
        let per = 1000.0 / MIN_SECTION_TERMS as f64;
        assert_eq!(chips.sections, [0.0, 4.0 * per]);
        assert_eq!(chips.whole, 2.0 * 1000.0 / MIN_BODY_TERMS as f64);
        let robots = &scores[2];
        assert_eq!(
            (robots.whole, robots.sections.as_slice()),
            (5.0 * 1000.0 / MIN_BODY_TERMS as f64, &[2.0 * per, 0.0][..])
        );
    }
}
