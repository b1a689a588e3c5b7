//! The registry's optional company details (`description`, `url`, `country`): their validation,
//! used by `config.rs` with the error located at the value, and the names of countries.

/// Longest description accepted, in characters: a sentence or two, not an article.
pub const DESCRIPTION_CHARS: usize = 300;

/// A description: one paragraph of text, trimmed, at most [`DESCRIPTION_CHARS`] characters.
pub fn description(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("`description` is empty; write a sentence about the company or leave the key out".into());
    }
    if t.chars().any(char::is_control) {
        return Err("`description` must be one paragraph without line breaks or control characters".into());
    }
    let n = t.chars().count();
    if n > DESCRIPTION_CHARS {
        return Err(format!(
            "`description` has {n} characters; at most {DESCRIPTION_CHARS} are shown, keep it shorter"
        ));
    }
    Ok(t.to_string())
}

/// The company's website: an absolute http(s) URL with a host.
pub fn url(s: &str) -> Result<String, String> {
    let t = s.trim();
    let bad = |why: &str| Err(format!("invalid `url` `{t}`: {why}, expected an address like \"https://example.com/\""));
    match url::Url::parse(t) {
        Ok(u) if !matches!(u.scheme(), "http" | "https") => bad("it must start with https:// or http://"),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => bad("the host is missing"),
        Ok(u) => Ok(u.to_string()),
        Err(e) => bad(&e.to_string()),
    }
}

/// A country: an ISO 3166-1 alpha-2 code, upper-cased ("cn" is taken as "CN").
pub fn country(s: &str) -> Result<String, String> {
    let code = s.trim().to_ascii_uppercase();
    if code.len() == 2 && ISO_3166_ALPHA2.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        Err(format!("unknown `country` `{s}`: expected an ISO 3166-1 alpha-2 code such as \"CN\", \"US\" or \"KR\""))
    }
}

/// The Korean name of a country code, where the table has one.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRY_NAMES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Every officially assigned ISO 3166-1 alpha-2 code.
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET \
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("AE", "아랍에미리트"),
    ("AT", "오스트리아"),
    ("AU", "호주"),
    ("BE", "벨기에"),
    ("BR", "브라질"),
    ("CA", "캐나다"),
    ("CH", "스위스"),
    ("CN", "중국"),
    ("DE", "독일"),
    ("DK", "덴마크"),
    ("EE", "에스토니아"),
    ("ES", "스페인"),
    ("FI", "핀란드"),
    ("FR", "프랑스"),
    ("GB", "영국"),
    ("HK", "홍콩"),
    ("ID", "인도네시아"),
    ("IE", "아일랜드"),
    ("IL", "이스라엘"),
    ("IN", "인도"),
    ("IT", "이탈리아"),
    ("JP", "일본"),
    ("KP", "북한"),
    ("KR", "한국"),
    ("LU", "룩셈부르크"),
    ("MX", "멕시코"),
    ("MY", "말레이시아"),
    ("NL", "네덜란드"),
    ("NO", "노르웨이"),
    ("NZ", "뉴질랜드"),
    ("PH", "필리핀"),
    ("PL", "폴란드"),
    ("RU", "러시아"),
    ("SA", "사우디아라비아"),
    ("SE", "스웨덴"),
    ("SG", "싱가포르"),
    ("TH", "태국"),
    ("TR", "튀르키예"),
    ("TW", "대만"),
    ("UA", "우크라이나"),
    ("US", "미국"),
    ("VN", "베트남"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_table_has_every_assigned_code_once() {
        let codes: Vec<&str> = ISO_3166_ALPHA2.split(' ').collect();
        assert_eq!(codes.len(), 249);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, codes);
        assert!(COUNTRY_NAMES.iter().all(|(c, _)| codes.contains(c)));
    }

    #[test]
    fn values_are_checked() {
        assert_eq!(country("cn").unwrap(), "CN");
        assert!(country("XX").is_err());
        assert!(country("CHN").is_err());
        assert_eq!(url("https://www.deepseek.com").unwrap(), "https://www.deepseek.com/");
        assert!(url("ftp://x.org/").is_err());
        assert!(url("deepseek.com").is_err());
        assert!(description("  ").is_err());
        assert!(description("첫 줄\n둘째 줄").is_err());
        assert!(description(&"가".repeat(301)).is_err());
        assert_eq!(description(" 중국 항저우의 AI 기업. ").unwrap(), "중국 항저우의 AI 기업.");
    }
}
