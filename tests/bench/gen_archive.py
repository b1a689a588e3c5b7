#!/usr/bin/env python3
"""Writes a synthetic Korean AI-news archive of N articles into DIR, for benchmarks.

    python3 tests/bench/gen_archive.py 10000 /tmp/a10k && cp -r site.toml static /tmp/a10k/

The articles are made from sentence patterns written for sosik and the company registry of the
repository's site.toml (keys and Korean names), so the archive exercises what a real one does:
Korean particles after names, compounds (AI반도체), model names with digits (H20, GPT-5), daily
briefs with ■ items, tags, topics and 30-50 articles a day. The same N gives the same files (a fixed
seed), so measurements can be repeated.
"""
import datetime
import os
import random
import sys

COMPANIES = [
    ("deepseek", "딥시크"), ("alibaba", "알리바바"), ("moonshot", "문샷"), ("bytedance", "바이트댄스"),
    ("tencent", "텐센트"), ("baidu", "바이두"), ("zhipu", "지푸AI"), ("minimax", "미니맥스"),
    ("xiaomi", "샤오미"), ("huawei", "화웨이"), ("cambricon", "캠브리콘"), ("unitree", "유니트리"),
    ("ubtech", "유비테크"), ("agibot", "애지봇"), ("openai", "오픈AI"), ("google", "구글"),
    ("meta", "메타"), ("anthropic", "앤트로픽"), ("nvidia", "엔비디아"), ("amd", "AMD"),
    ("tesla", "테슬라"), ("samsung", "삼성전자"), ("skhynix", "SK하이닉스"), ("naver", "네이버"),
    ("kakao", "카카오"), ("lg", "LG"), ("upstage", "업스테이지"), ("rebellions", "리벨리온"),
    ("furiosa", "퓨리오사AI"),
]
PRODUCTS = ["H20", "H200", "B200", "GPT-5", "R2", "V3.2", "K2", "910C", "HBM4", "AI6", "큐원3", "G1", "R1"]
SUBJECTS = {
    "robots": ["휴머노이드", "로봇 손", "사족보행 로봇", "산업용 로봇", "물류 로봇"],
    "open-models": ["오픈소스 모델", "오픈웨이트 모델", "추론 모델", "코딩 모델", "멀티모달 모델"],
    "chips": ["AI 칩", "AI반도체", "HBM", "파운드리", "추론용 가속기"],
}
TAGS = ["WAIC", "수출규제", "가격", "투자", "인재", "데이터센터", "규제", "실적", "협력", "공개"]
PARTICLE = {True: ("가", "는", "를", "와", "의"), False: ("이", "은", "을", "과", "의")}

LEADS = [
    "{c}{ga} 새 {s} {p}{reul} 공개했다.",
    "{c}{ga} {s} 사업을 넓히겠다고 {d}일 밝혔다.",
    "{c}의 {s} {p}{ga2} 업계의 관심을 모으고 있다.",
    "{c}{neun} {s} 분야에서 {n}억 달러 규모의 투자를 받았다.",
]
BODY = [
    "회사는 {p}{ga2} 이전 세대보다 {n}배 빠르다고 설명했다.",
    "업계에서는 {c2}{wa} {c}의 경쟁이 한층 치열해질 것으로 본다.",
    "{c2}{neun2} 비슷한 {s}{reul2} 연내에 내놓을 계획이다.",
    "가격은 {n}만 원대로 알려졌고, 출시는 {m}월로 예정됐다.",
    "중국 정부의 지원과 미국의 수출 통제가 변수로 꼽힌다.",
    "전문가들은 {s} 시장이 {y}년까지 해마다 {n}% 이상 커질 것으로 내다봤다.",
    "{c}{neun} 개발자들이 쓸 수 있도록 가중치와 코드를 함께 공개했다.",
    "국내 기업들도 {s} 개발에 속도를 내고 있다.",
]


def final_consonant(word):
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return last in "0123456789LMNR"  # read as 영, 엘, 엠, 엔, 알: a final consonant


def particles(word):
    ga, neun, reul, wa, _ = PARTICLE[not final_consonant(word)]
    return ga, neun, reul, wa


def sentence(rng, pattern, c, c2, s, p, day):
    ga, neun, reul, wa = particles(c)
    ga2 = particles(p)[0]
    _, neun2, _, _ = particles(c2)
    _, _, reul_s, _ = particles(s)
    return pattern.format(
        c=c, c2=c2, s=s, p=p, d=day.day, m=rng.randint(1, 12), y=day.year + rng.randint(2, 6),
        n=rng.randint(2, 90), ga=ga, neun=neun, reul=reul, wa=particles(c2)[3], ga2=ga2, reul2=reul_s,
        neun2=neun2,
    )


def article(rng, i, day):
    topic = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[topic])
    (key, name), (key2, name2) = rng.sample(COMPANIES, 2)
    product = rng.choice(PRODUCTS)
    brief = i % 15 == 0
    lines = []
    if brief:
        title = f"{day.month}월 {day.day}일 AI 브리핑: {name}, {name2} 소식"
        lines.append(sentence(rng, rng.choice(LEADS), name, name2, subject, product, day))
        for _ in range(3):
            (_, cn), (_, cn2) = rng.sample(COMPANIES, 2)
            s = rng.choice(SUBJECTS[rng.choice(list(SUBJECTS))])
            lines.append(f"■ {cn}, {s} {rng.choice(PRODUCTS)} 발표")
            lines += [sentence(rng, rng.choice(BODY), cn, cn2, s, product, day) for _ in range(2)]
        body = "\n".join(lines)
    else:
        title = f"{name}, {subject} '{product}' " + rng.choice(["공개", "출시", "양산", "투자 유치", "가격 인하"])
        paragraphs = [sentence(rng, rng.choice(LEADS), name, name2, subject, product, day)]
        for _ in range(rng.randint(10, 20)):
            paragraphs.append(" ".join(sentence(rng, rng.choice(BODY), name, name2, subject, product, day)
                                       for _ in range(rng.randint(3, 5))))
        body = "\n\n".join(paragraphs)
    tags = rng.sample(TAGS, rng.randint(1, 3))
    front = [
        "+++",
        f'title = "{title}"',
        f"date = {day.isoformat()}",
        f'companies = ["{key}", "{key2}"]',
        "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]",
        "+++",
    ]
    return "\n".join(front) + "\n" + body + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_archive.py N DIR")
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(n)
    day = datetime.date(2025, 1, 1)
    written = 0
    while written < n:
        for k in range(min(rng.randint(30, 50), n - written)):
            folder = os.path.join(out, "content", f"{day.year:04}", f"{day.month:02}", f"{day.day:02}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"a{written:06}.md"), "w", encoding="utf-8") as f:
                f.write(article(rng, written, day))
            written += 1
        day += datetime.timedelta(days=1)
    # The pages the repository's site.toml links from its footer (`footer = ["about", "privacy"]`).
    pages = os.path.join(out, "content", "pages")
    os.makedirs(pages, exist_ok=True)
    for slug, title in (("about", "소개"), ("privacy", "개인정보처리방침")):
        with open(os.path.join(pages, f"{slug}.md"), "w", encoding="utf-8") as f:
            f.write(f'+++\ntitle = "{title}"\n+++\n벤치마크용으로 만든 {title} 페이지입니다.\n')
    print(f"{n} articles in {out}/content")


if __name__ == "__main__":
    main()
