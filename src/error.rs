//! The library's error type: every problem a user can act on carries `path:line:col`.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem located in a file: `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line, col, message: message.into() }
    }

    /// `path:line:col: warning: message`, on one line like [`Display`](fmt::Display).
    pub fn warning_line(&self) -> String {
        self.located("warning: ")
    }

    /// `path:line:col: <label>message`, with the path and the message escaped by [`escape_controls`].
    fn located(&self, label: &str) -> String {
        let path = self.path.display().to_string();
        format!(
            "{}:{}:{}: {label}{}",
            escape_controls(&path, true),
            self.line,
            self.col,
            escape_controls(&self.message, true)
        )
    }

    /// A diagnostic at a byte offset of `text`, the content of `path`.
    pub fn at_offset(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        Diagnostic::new(path, line, col, message)
    }
}

impl fmt::Display for Diagnostic {
    /// One line, whatever the message quotes: a newline or an escape sequence in a front-matter value is
    /// shown escaped (`\n`, `\u{1b}`), never acted on by the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.located(""))
    }
}

/// Whether a terminal would act on `c` rather than show it: C0 and C1 controls, DEL, line and paragraph
/// separators, and the bidirectional overrides that reorder what follows.
fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as an escape (`\u{1b}`); newlines too when `newlines`.
pub fn escape_controls(text: &str, newlines: bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_terminal_control(c) && (newlines || c != '\n')) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if !newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_terminal_control(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What the command line prints: every control character escaped but the line breaks between messages.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, false)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
/// An offset inside a character or past the end is clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more located problems, all reported together.
    #[error("{}", join_lines(.0))]
    Diagnostics(Vec<Diagnostic>),
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// A template failed to render a page; `location` is the likely place in the template files
    /// (see `theme::locate_render_error`).
    #[error("{}", render_message(.page, .template, .message, .location))]
    /// `within` is the template tera says the error happened in, when not `template` itself.
    Render {
        page: String,
        template: String,
        within: Option<String>,
        message: String,
        location: Option<Box<(PathBuf, usize, usize)>>,
    },
    /// The command was used wrongly (exit status 2).
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Other(String),
}

fn render_message(
    page: &str,
    template: &str,
    message: &str,
    location: &Option<Box<(PathBuf, usize, usize)>>,
) -> String {
    match location {
        Some(at) => {
            let (path, line, col) = &**at;
            format!("{}:{line}:{col}: {message} (rendering {page} with `{template}`)", path.display())
        }
        None => format!("{page}: template `{template}`: {message}"),
    }
}

fn join_lines(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
    pub fn one(d: Diagnostic) -> Self {
        Error::Diagnostics(vec![d])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Levenshtein distance, for "did you mean" hints on short keys.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a shorter
/// message with a suggestion, keeping other messages as they are.
pub fn friendly_toml_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((name, tail)) = rest.split_once('`') {
            let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
            return match did_you_mean(name, expected.iter().copied()) {
                Some(s) => format!("unknown key `{name}`; did you mean `{s}`?"),
                None if expected.is_empty() => format!("unknown key `{name}`"),
                None => format!(
                    "unknown key `{name}`; expected one of {}",
                    expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
                ),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((name, _)) = rest.split_once('`') {
            return format!("missing required key `{name}`");
        }
    }
    // serde speaks Rust ("expected i64", "expected a sequence"); editors write TOML.
    message
        .replace("expected i64", "expected an integer")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected a list")
        .replace("expected a boolean", "expected true or false")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 9): `companies = ["\u001b]0;PWNED\u0007"]` retitled the terminal, and a newline in
    /// a value split one error over two lines.
    #[test]
    fn diagnostics_escape_control_characters_and_stay_on_one_line() {
        let d = Diagnostic::new("a.md", 3, 8, "unknown company `\u{1b}]0;PWNED\u{7}`\nnext \u{202e}x");
        assert_eq!(d.to_string(), "a.md:3:8: unknown company `\\u{1b}]0;PWNED\\u{7}`\\nnext \\u{202e}x");
        assert_eq!(terminal_safe("a\nb\u{9b}c"), "a\nb\\u{9b}c");
        assert!(matches!(terminal_safe("딥시크\n"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "가나\n다라마 x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, "가나\n다라마 ".len()), (2, 5));
        assert_eq!(line_col(text, 999), (2, 6));
    }

    #[test]
    fn unknown_field_gets_a_suggestion() {
        let m = friendly_toml_message("unknown field `titel`, expected one of `title`, `date`");
        assert_eq!(m, "unknown key `titel`; did you mean `title`?");
        let m = friendly_toml_message("invalid type: string \"ten\", expected i64");
        assert_eq!(m, "invalid type: string \"ten\", expected an integer");
        let m = friendly_toml_message("unknown field `zzzzzz`, expected `title` or `date`");
        assert_eq!(m, "unknown key `zzzzzz`; expected one of `title`, `date`");
    }
}
