//! `sosik init [dir]`: a minimal site that builds and checks clean, to start from.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::error::{Error, Result};

const SITE_TOML: &str = r#"# sosik 사이트 설정. 알 수 없는 키는 오류입니다 (README의 site.toml 절 참고).
title = "나의 AI 소식"
description = "인공지능 업계 소식을 한국어로 정리합니다."
base_url = "https://example.org/"   # 사이트를 올릴 주소 (하위 경로도 됩니다: https://user.github.io/news/)
language = "ko"
timezone = "+09:00"                 # 날짜 경계와 피드 시각의 기준
per_page = 20                       # 목록 페이지당 기사 수
footer = ["about"]                  # 바닥글에 링크할 페이지 (content/pages/<slug>.md)

# 기업 목록: [companies.<key>], key는 URL에 쓰는 ASCII 소문자 (/companies/<key>/).
# 기사의 companies에는 key, name, en, aliases 중 무엇이든 씁니다.
[companies.deepseek]
name = "딥시크"
en = "DeepSeek"
aliases = ["深度求索"]

[companies.naver]
name = "네이버"
en = "Naver"

[companies.nvidia]
name = "엔비디아"
en = "NVIDIA"

# 주제: [topics.<key>], 순서대로 메뉴에 나옵니다. terms의 단어가 자주 나오는 기사가 그 주제에 들어갑니다.
[topics.models]
name = "AI 모델"
terms = ["모델", "언어모델", "추론", "오픈소스", "가중치", "model", "llm"]

[topics.chips]
name = "AI 칩"
terms = ["칩", "반도체", "gpu", "hbm", "파운드리", "가속기", "chip"]
"#;

const ABOUT: &str = r#"+++
title = "소개"
summary = "이 사이트가 무엇을 다루는지 알립니다."
+++
이 사이트는 인공지능 업계 소식을 날짜와 기업, 주제별로 모아 한국어로 정리합니다.

`content/pages/` 아래의 Markdown 파일은 날짜 없는 페이지가 되어 `/<slug>/` 주소에 실립니다.
"#;

fn article(date: &str) -> String {
    format!(
        r#"+++
title = "첫 기사: 소식 사이트를 열었습니다"
date = {date}
companies = ["네이버"]
tags = ["공지"]
summary = "sosik으로 만든 새 뉴스 사이트의 첫 기사입니다."
+++
새 뉴스 사이트를 열었습니다. 이 기사는 `sosik init`이 만든 예시이니 고치거나 지워도 됩니다.

## 기사를 쓰는 법

`sosik new {path} --title "제목"`이 front matter를 채운 새 파일을 만듭니다. 새 파일은 초안(`draft = true`)이라
`sosik serve --drafts`로만 보이고, 초안 표시를 지우면 사이트에 실립니다.
"#,
        path = "2025/07/28/my-article.md"
    )
}

/// Writes a minimal site into `dir` (created if missing): site.toml, one article dated `now`, one
/// page. Refuses a folder that already has a site.toml or a content/ folder. Returns the files written.
pub fn init_site(dir: &Path, now: DateTime<FixedOffset>) -> Result<Vec<PathBuf>> {
    for taken in ["site.toml", "content"] {
        if dir.join(taken).exists() {
            return Err(Error::Usage(format!(
                "{}: already has {taken}; `sosik init` starts a new site in an empty folder or a new one",
                dir.display()
            )));
        }
    }
    let day = now.date_naive();
    let article_path = format!("content/{}/welcome.md", day.format("%Y/%m/%d"));
    let files = [
        ("site.toml".to_string(), SITE_TOML.to_string()),
        (article_path, article(&day.format("%Y-%m-%d").to_string())),
        ("content/pages/about.md".to_string(), ABOUT.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Other(format!("{}: cannot create the folder: {e}", parent.display())))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Error::Other(format!("{}: cannot write the file: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}
