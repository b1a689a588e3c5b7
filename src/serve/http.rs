//! HTTP/1.1 for the preview server: reading a request head, turning its target into site path
//! segments safely, the Host and Origin checks, content types and writing responses.
//!
//! Everything here is a pure function over bytes and strings, so the attack cases are unit-tested
//! without a socket. The rules are strict on purpose: a preview server has no reason to accept an
//! odd path, so anything that is not a plain path of plain segments is a 400.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr};

/// Largest request head we read; browsers send a few hundred bytes.
pub const MAX_HEAD: usize = 16 * 1024;

/// A parsed request head.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target exactly as sent.
    pub target: String,
    /// HTTP/1.x minor version.
    pub minor: u8,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the connection may carry another request after this one.
    pub fn keep_alive(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let has_body = self.header("content-length").is_some_and(|v| v.trim() != "0")
            || self.header("transfer-encoding").is_some();
        // A body is never read, so the connection cannot be reused after one.
        !has_body && if self.minor == 0 { conn.contains("keep-alive") } else { !conn.contains("close") }
    }

    pub fn accepts_gzip(&self) -> bool {
        self.header("accept-encoding").is_some_and(|v| {
            v.split(',').any(|e| {
                let mut parts = e.split(';');
                let name = parts.next().unwrap_or("").trim();
                let q_zero = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                name.eq_ignore_ascii_case("gzip") && !q_zero
            })
        })
    }
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection (or timed out) before a full head arrived.
    Closed,
    /// Not HTTP we accept: answer 400 (or 431 for an oversized head) and close.
    Malformed(u16, &'static str),
    Io(io::Error),
}

/// Reads one request head from `stream`. `buf` carries bytes already read past the previous request
/// (pipelining); on return it holds the bytes after this head.
/// The whole head must arrive before `deadline`: a client that trickles a byte at a time, each
/// within the socket's read timeout, would otherwise hold its connection for ever.
pub fn read_request(
    stream: &mut impl Read,
    buf: &mut Vec<u8>,
    deadline: std::time::Instant,
) -> Result<Request, ReadError> {
    loop {
        if let Some(req) = parse_head(buf)? {
            return Ok(req);
        }
        if buf.len() >= MAX_HEAD {
            return Err(ReadError::Malformed(431, "request head too large"));
        }
        if std::time::Instant::now() >= deadline {
            return Err(if buf.is_empty() {
                ReadError::Closed
            } else {
                ReadError::Malformed(408, "the request head took too long")
            });
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Err(ReadError::Closed)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
}

/// Parses a complete head at the start of `buf` and removes it; `None` when more bytes are needed.
fn parse_head(buf: &mut Vec<u8>) -> Result<Option<Request>, ReadError> {
    // Tolerate blank lines before a request (RFC 9112 §2.2).
    let skip = buf.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    if skip > 0 {
        buf.drain(..skip);
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(ReadError::Malformed(431, "too many headers")),
        Err(_) => return Err(ReadError::Malformed(400, "malformed request")),
    };
    let mut parsed = Request {
        method: req.method.unwrap_or_default().to_string(),
        target: req.path.unwrap_or_default().to_string(),
        minor: req.version.unwrap_or(1),
        headers: Vec::with_capacity(req.headers.len()),
    };
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| ReadError::Malformed(400, "header value is not UTF-8"))?;
        // One Host and one Content-Length only (RFC 9112 §3.2, §6.3): which of two would count
        // is exactly what a confused proxy and this server might disagree on.
        let name = h.name.to_ascii_lowercase();
        if (name == "host" || name == "content-length")
            && parsed.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            return Err(ReadError::Malformed(400, "a repeated Host or Content-Length header"));
        }
        parsed.headers.push((h.name.to_string(), value.trim().to_string()));
    }
    buf.drain(..len);
    Ok(Some(parsed))
}

/// Why a request target is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadTarget(pub &'static str);

/// A request target resolved to decoded path segments.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath {
    /// Decoded, non-empty segments; never `.`, `..`, or containing a separator.
    pub segments: Vec<String>,
    /// The path ended with '/' (or was "/").
    pub dir: bool,
    /// The raw query, without '?', if any.
    pub query: Option<String>,
}

/// Resolves an origin-form target ("/a/b/?q") to segments, refusing anything that could name a file
/// outside the site or confuse a redirect: `..` and `.` (also percent-encoded), encoded separators
/// (`%2f`, `%5c`), backslashes, empty segments (`//host/x`), drive letters and other colons,
/// control characters, bad escapes and invalid UTF-8. Decoding happens once, so `%252e` stays the
/// literal text `%2e` (which names no file).
pub fn parse_target(target: &str) -> Result<SitePath, BadTarget> {
    if !target.starts_with('/') {
        return Err(BadTarget("the request target must be a path starting with '/'"));
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    if path.contains('\\') {
        return Err(BadTarget("backslash in path"));
    }
    let body = &path[1..];
    if body.is_empty() {
        return Ok(SitePath { segments: Vec::new(), dir: true, query });
    }
    let dir = body.ends_with('/');
    let body = body.strip_suffix('/').unwrap_or(body);
    let mut segments = Vec::new();
    for raw in body.split('/') {
        if raw.is_empty() {
            return Err(BadTarget("empty path segment"));
        }
        let seg = percent_decode(raw)?;
        if seg == "." || seg == ".." {
            return Err(BadTarget("dot segment"));
        }
        if seg.chars().any(|c| matches!(c, '/' | '\\' | ':' | '\0') || c.is_control()) {
            return Err(BadTarget("separator, colon or control character in a path segment"));
        }
        segments.push(seg);
    }
    Ok(SitePath { segments, dir, query })
}

fn percent_decode(s: &str) -> Result<String, BadTarget> {
    // The crate passes a malformed escape through as text; a preview server refuses it instead.
    for rest in s.split('%').skip(1) {
        match rest.as_bytes() {
            [a, b, ..] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {}
            [_, _, ..] => return Err(BadTarget("bad percent escape")),
            _ => return Err(BadTarget("truncated percent escape")),
        }
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|d| d.into_owned())
        .map_err(|_| BadTarget("path is not valid UTF-8"))
}

/// The host part of a Host header value ("[::1]:1111" -> "[::1]", "localhost:80" -> "localhost"),
/// or `None` when it is not a plain host with an optional numeric port.
fn host_name(value: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let end = rest.find(']')?;
        let port = match &rest[end + 1..] {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&value[..end + 2], port)
    } else {
        match value.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    (!host.is_empty()).then_some(host)
}

/// The DNS-rebinding check: the Host header must name this machine's loopback or the bound address.
/// When bound to every interface (0.0.0.0 or ::) any IP literal is accepted too: rebinding needs a
/// host name, and users on the network reach the server by its address.
pub fn host_allowed(value: &str, bound: SocketAddr) -> bool {
    let Some(host) = host_name(value) else { return false };
    let host = host.to_ascii_lowercase();
    if matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        return true;
    }
    let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(&host);
    match literal.parse::<IpAddr>() {
        Ok(ip) => ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The live-reload endpoint's check, that the stream is for one of this preview's own pages:
/// - an `Origin`, when sent, must be this very server as the browser addressed it (same scheme,
///   host and port as the Host header);
/// - a `Sec-Fetch-Site`, when sent, must be `same-origin`.
///
/// Browsers send one or the other on every cross-site request: an EventSource or fetch from another
/// site carries Origin, and browsers with fetch metadata mark even an `<img>` or `<script>` pointed
/// at the stream as `cross-site`. A request with neither comes from a non-browser client (curl, a
/// test) or from a browser that sends no fetch metadata to a non-HTTPS, non-localhost origin (a
/// LAN address): it is allowed, because such a client could send any header it liked anyway; what
/// bounds it is the cap on event streams.
pub fn stream_allowed(origin: Option<&str>, fetch_site: Option<&str>, host: &str) -> bool {
    let origin_ok = origin.is_none_or(|o| o.eq_ignore_ascii_case(&format!("http://{host}")));
    let site_ok = fetch_site.is_none_or(|s| s.eq_ignore_ascii_case("same-origin"));
    origin_ok && site_ok
}

/// Content-Type for an output file, with a charset for every text type.
pub fn content_type(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" if name == "feed.xml" || name.ends_with(".atom.xml") => "application/atom+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A response ready to write.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }

    /// A short plain-text answer (errors the browser shows as they are).
    pub fn text(status: u16, message: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{status} {}: {message}\n", reason(status)).into_bytes(),
        )
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes status line, headers and (unless `head_only`) the body.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        head.push_str("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n");
        head.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
        if head_only || self.body.is_empty() {
            out.write_all(head.as_bytes())?;
        } else {
            let mut all = head.into_bytes();
            all.extend_from_slice(&self.body);
            out.write_all(&all)?;
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(t: &str) -> Vec<String> {
        parse_target(t).unwrap().segments
    }

    #[test]
    fn plain_paths_resolve_to_decoded_segments() {
        assert_eq!(parse_target("/").unwrap(), SitePath { segments: vec![], dir: true, query: None });
        assert_eq!(segs("/news/2025/07/"), ["news", "2025", "07"]);
        assert!(parse_target("/news/2025/07/").unwrap().dir);
        assert!(!parse_target("/news/2025").unwrap().dir);
        assert_eq!(segs("/tags/%EB%A1%9C%EB%B4%87/"), ["tags", "로봇"]);
        assert_eq!(segs("/tags/로봇/"), ["tags", "로봇"]);
        assert_eq!(parse_target("/search/?q=딥시크").unwrap().query.as_deref(), Some("q=딥시크"));
        // Decoded once: a double-encoded dot is the literal name "%2e", which names no file.
        assert_eq!(segs("/.%252e/x"), [".%2e", "x"]);
    }

    #[test]
    fn every_attack_path_of_issue_5_is_refused() {
        for bad in [
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/%5c..%5c..%5cetc/passwd",
            "/..\\..\\etc/passwd",
            "//evil.example/x",
            "/x/c:/windows/win.ini",
            "/C%3A/windows/win.ini",
            "/%ff%fe",
            "/a/./b",
            "/a/%2e/b",
            "/a/%00",
            "/a/%0d%0aSet-Cookie:x",
            "/a%zz",
            "/a%2",
            "http://evil.example/x",
            "*",
            "",
        ] {
            assert!(parse_target(bad).is_err(), "{bad} was accepted: {:?}", parse_target(bad));
        }
    }

    #[test]
    fn host_must_be_loopback_or_the_bound_address() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in ["localhost", "localhost:1111", "127.0.0.1:1111", "[::1]:1111", "[::1]", "LOCALHOST:1111"] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "10.0.0.5:1111",
            "",
            ":1111",
            "localhost:x",
            "[::1",
            "localhost:1111:1",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let lan: SocketAddr = "192.168.1.20:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.20:1111", lan));
        assert!(!host_allowed("192.168.1.21:1111", lan));
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.21:1111", any));
        assert!(!host_allowed("evil.example:1111", any));
    }

    #[test]
    fn a_stream_needs_this_servers_origin_or_same_origin_fetch_metadata() {
        let host = "127.0.0.1:1111";
        assert!(stream_allowed(None, None, host), "a non-browser client");
        assert!(stream_allowed(Some("http://127.0.0.1:1111"), None, host));
        assert!(stream_allowed(None, Some("same-origin"), host));
        assert!(stream_allowed(Some("http://127.0.0.1:1111"), Some("same-origin"), host));
        assert!(!stream_allowed(Some("http://evil.example"), None, host));
        assert!(!stream_allowed(Some("null"), None, host));
        assert!(!stream_allowed(Some("http://127.0.0.1:2222"), None, host));
        for site in ["cross-site", "same-site", "none", ""] {
            assert!(!stream_allowed(None, Some(site), host), "{site}");
        }
        assert!(!stream_allowed(Some("http://127.0.0.1:1111"), Some("cross-site"), host));
    }

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("search/manifest.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("companies/x/feed.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn far() -> std::time::Instant {
        std::time::Instant::now() + std::time::Duration::from_secs(60)
    }

    /// A reader that gives one byte per call, for ever (a client trickling its head).
    struct Trickle;
    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_millis(5));
            out[0] = b'a';
            Ok(1)
        }
    }

    #[test]
    fn a_trickled_head_ends_at_the_deadline() {
        let mut buf = b"GET / HTTP/1.1\r\nX-Slow: ".to_vec();
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(50);
        assert!(matches!(read_request(&mut Trickle, &mut buf, deadline), Err(ReadError::Malformed(408, _))));
    }

    #[test]
    fn repeated_host_or_content_length_is_refused() {
        let mut empty: &[u8] = &[];
        for head in [
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
            "GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nHOST: 127.0.0.1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        ] {
            let mut buf = head.as_bytes().to_vec();
            assert!(matches!(read_request(&mut empty, &mut buf, far()), Err(ReadError::Malformed(400, _))), "{head}");
        }
    }

    #[test]
    fn heads_parse_with_pipelining_and_garbage_is_refused() {
        let mut buf = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
        let mut empty: &[u8] = &[];
        assert_eq!(read_request(&mut empty, &mut buf, far()).unwrap().target, "/a");
        assert_eq!(read_request(&mut empty, &mut buf, far()).unwrap().target, "/b");
        let mut buf = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec();
        assert!(matches!(read_request(&mut empty, &mut buf, far()), Err(ReadError::Malformed(400, _))));
        let mut buf = b"GET /%ff HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
        assert_eq!(read_request(&mut empty, &mut buf, far()).unwrap().target, "/%ff");
    }

    #[test]
    fn gzip_acceptance_honours_q_zero() {
        let req = |v: &str| Request {
            method: "GET".into(),
            target: "/".into(),
            minor: 1,
            headers: vec![("Accept-Encoding".into(), v.into())],
        };
        assert!(req("gzip, deflate, br").accepts_gzip());
        assert!(!req("gzip;q=0, br").accepts_gzip());
        assert!(!req("br").accepts_gzip());
    }
}
