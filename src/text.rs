//! Splitting text into words (eojeol-like units) the same way at build time and in the browser.
//!
//! A word is a run of letters and digits, where `-`, `.`, `+` and `·` between two letters/digits
//! stay inside (GPT-4.5, 22.8조원, 딥시크-V3.2를). Everything else separates words. The search
//! client (search.js) implements exactly this rule; keep them in step.

/// The words of `text`, in order.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

fn is_word_char(c: char) -> bool {
    // Fast paths for the two scripts of almost every character; the Unicode tables for the rest.
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{AC00}'..='\u{D7A3}' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphanumeric(),
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '+' | '·')
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        let start = self.pos + rest.find(is_word_char)?;
        let mut end = start;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
            } else if is_joiner(c) && chars.peek().is_some_and(|&(_, n)| is_word_char(n)) {
                continue;
            } else {
                break;
            }
        }
        self.pos = end;
        Some(&self.text[start..end])
    }
}

/// The key under which a word is stored in the eojeol map: lowercased.
pub fn word_key(word: &str) -> String {
    word.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_joiners() {
        let w: Vec<_> = words("딥시크-V3.2를, “오픈AI”는 22.8조원(약) GPT-4.5. -x- a--b").collect();
        assert_eq!(w, ["딥시크-V3.2를", "오픈AI", "는", "22.8조원", "약", "GPT-4.5", "x", "a", "b"]);
    }

    #[test]
    fn no_words_in_punctuation() {
        assert_eq!(words(" .,;— ").count(), 0);
    }
}
