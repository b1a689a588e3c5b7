//! `sosik serve` over real HTTP: a server on a random port over a copy of `tests/fixtures/serve/site`
//! (base_url under /news/), requests sent byte for byte over a TcpStream.

use crate::harness;
use crate::serve_support;

use std::net::SocketAddr;

use serve_support::{get, raw, request, start, Events};

/// Text of a file outside the site that no request may ever return.
const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-SITE";

struct Site {
    _fixture: harness::Fixture,
    server: Option<sosik::serve::Server>,
    addr: SocketAddr,
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop();
        }
    }
}

/// The fixture with symlinks in static/ and content/ that point outside the site.
fn site() -> Site {
    let f = harness::fixture("serve/site");
    let outside = f.tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("secret.txt"), SECRET).unwrap();
    std::fs::write(outside.join("dir/inner.txt"), SECRET).unwrap();
    std::fs::write(outside.join("linked.md"), format!("+++\ntitle = \"{SECRET}\"\ndate = 2025-07-28\n+++\n{SECRET}\n"))
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(outside.join("secret.txt"), f.root.join("static/secret.txt")).unwrap();
        symlink(outside.join("dir"), f.root.join("static/outside")).unwrap();
        symlink("/etc/passwd", f.root.join("static/passwd")).unwrap();
        symlink(outside.join("linked.md"), f.root.join("content/2025/07/28/linked.md")).unwrap();
    }
    let (server, _events) = start(&f.root, false);
    let addr = server.addr;
    Site { _fixture: f, server: Some(server), addr }
}

fn assert_nothing_from_outside(body: &str, what: &str) {
    assert!(!body.contains(SECRET), "{what}: a file from outside the site was served");
    assert!(!body.contains("root:x:0:0"), "{what}: /etc/passwd was served");
    assert!(!body.contains("[fonts]") && !body.contains("; for 16-bit app support"), "{what}: win.ini was served");
}

#[test]
fn serves_the_site_under_its_base_path_with_the_live_script() {
    let s = site();
    let home = get(s.addr, "/news/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("Content-Type").as_deref(), Some("text/html; charset=utf-8"));
    let html = home.text();
    assert!(html.contains("8월의 칩 소식"), "{html}");
    assert!(html.contains("<script src=\"/__sosik/live.js\" defer></script></body>"));
    // Links work locally: the site path of base_url is kept.
    assert!(html.contains("href=\"/news/2025/08/01/chips/\""), "{html}");
    let article = get(s.addr, "/news/2025/07/27/deepseek-v3/");
    assert_eq!(article.status, 200);
    assert!(article.text().contains("딥시크, 새 오픈소스 모델 공개"));
    let feed = get(s.addr, "/news/feed.xml").text();
    assert!(feed.contains(&format!("<id>http://127.0.0.1:{}/news/feed.xml</id>", s.addr.port())), "{feed}");
    let script = get(s.addr, "/__sosik/live.js");
    assert_eq!(script.header("Content-Type").as_deref(), Some("text/javascript; charset=utf-8"));
    assert!(script.text().contains("new EventSource(\"/__sosik/events\")"));
}

#[test]
fn every_text_type_carries_a_charset() {
    let s = site();
    for (target, ctype) in [
        ("/news/", "text/html; charset=utf-8"),
        ("/news/style.css", "text/css; charset=utf-8"),
        ("/news/extra.css", "text/css; charset=utf-8"),
        ("/news/search.js", "text/javascript; charset=utf-8"),
        ("/news/data.json", "application/json; charset=utf-8"),
        ("/news/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/news/companies/deepseek/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/news/sitemap.xml", "application/xml; charset=utf-8"),
        ("/news/robots.txt", "text/plain; charset=utf-8"),
        ("/news/notes.txt", "text/plain; charset=utf-8"),
    ] {
        let r = get(s.addr, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("Content-Type").as_deref(), Some(ctype), "{target}");
        assert_eq!(r.header("X-Content-Type-Options").as_deref(), Some("nosniff"), "{target}");
        assert_eq!(r.header("Access-Control-Allow-Origin"), None, "{target}");
    }
}

#[test]
fn head_answers_the_headers_of_get_without_a_body() {
    let s = site();
    let g = get(s.addr, "/news/2025/07/28/");
    let h = request(s.addr, "HEAD", "/news/2025/07/28/", &[]);
    assert_eq!(h.status, 200);
    assert!(h.body.is_empty());
    assert_eq!(h.header("Content-Length"), g.header("Content-Length"));
    assert_eq!(h.header("Content-Type"), g.header("Content-Type"));
    let missing = request(s.addr, "HEAD", "/news/nope/", &[]);
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[test]
fn other_methods_are_refused() {
    let s = site();
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "BREW"] {
        let r = request(s.addr, m, "/news/", &[]);
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.header("Allow").as_deref(), Some("GET, HEAD"));
    }
}

#[test]
fn folder_urls_without_slash_redirect_relatively() {
    let s = site();
    let r = get(s.addr, "/news/2025/07");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location").as_deref(), Some("./07/"));
    let r = get(s.addr, "/news/tags/%ED%9C%B4%EB%A8%B8%EB%85%B8%EC%9D%B4%EB%93%9C?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location").as_deref(), Some("./%ED%9C%B4%EB%A8%B8%EB%85%B8%EC%9D%B4%EB%93%9C/?x=1"));
    let r = get(s.addr, "/news");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location").as_deref(), Some("./news/"));
    let r = get(s.addr, "/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location").as_deref(), Some("./news/"));
    // Never a protocol-relative `//host` Location, whatever the path looks like.
    for target in
        ["//evil.example", "//evil.example/news", "/news//evil.example", "/%2fevil.example", "/news/%2F%2Fevil.example"]
    {
        let r = get(s.addr, target);
        let loc = r.header("Location").unwrap_or_default();
        assert!(!loc.starts_with("//") && !loc.contains("evil"), "{target} -> {} {loc}", r.status);
    }
}

#[test]
fn missing_pages_get_the_sites_404_page_with_status_404() {
    let s = site();
    for target in ["/news/nope/", "/news/2025/07/27/nope/", "/elsewhere/", "/news/style.css/x", "/__sosik/nope"] {
        let r = get(s.addr, target);
        assert_eq!(r.status, 404, "{target}");
        assert_eq!(r.header("Content-Type").as_deref(), Some("text/html; charset=utf-8"));
        assert!(r.text().contains("페이지를 찾을 수 없습니다"), "{target}: {}", r.text());
    }
}

#[test]
fn traversal_and_odd_paths_get_400_or_404_and_nothing_from_outside() {
    let s = site();
    let port = s.addr.port();
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/.%252e/.%252e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/%5c..%5c..%5cetc/passwd",
        "//evil.example/x",
        "/x/c:/windows/win.ini",
        "/%ff%fe",
        "/news/../../../../etc/passwd",
        "/news/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/news/..%5c..%5c..%5cetc%5cpasswd",
        "/news/\\..\\..\\etc\\passwd",
        "/news/secret.txt",
        "/news/outside/inner.txt",
        "/news/passwd",
        "/news/2025/07/28/linked/",
        "/news/%00",
        "/news/index.html%00.txt",
        "/news/c:%5cwindows%5cwin.ini",
        "/news/..;/etc/passwd",
        "/news/./index.html",
    ] {
        let r = raw(
            s.addr,
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert_nothing_from_outside(&r.text(), target);
    }
    // The symlinked article outside the site is not part of it either.
    assert!(!get(s.addr, "/news/").text().contains(SECRET));
    assert!(!get(s.addr, "/news/sitemap.xml").text().contains("linked"));
}

#[test]
fn a_foreign_host_header_is_refused() {
    let s = site();
    let port = s.addr.port();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "localhost.evil.example",
        &format!("127.0.0.1.nip.io:{port}"),
        "10.0.0.1",
    ] {
        let r = raw(s.addr, format!("GET /news/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains("8월의 칩 소식"));
    }
    for host in
        [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "localhost".to_string()]
    {
        let r = raw(s.addr, format!("GET /news/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(r.status, 200, "{host}");
    }
    let r = raw(s.addr, b"GET /news/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400, "no Host header");
    let r = raw(s.addr, b"GET /__sosik/events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 403);
}

#[test]
fn the_live_reload_stream_refuses_a_foreign_origin() {
    let s = site();
    let port = s.addr.port();
    for origin in ["http://evil.example", "null", &format!("http://evil.example:{port}"), "http://127.0.0.1:1"] {
        let r = request(s.addr, "GET", "/__sosik/events", &[("Origin", origin)]);
        assert_eq!(r.status, 403, "{origin}");
    }
    // Its own pages may listen.
    let mut ev = Events::connect(s.addr);
    assert_eq!(ev.next().0, "hello");
    let own = format!("http://127.0.0.1:{port}");
    let r = request(s.addr, "HEAD", "/__sosik/events", &[("Origin", &own)]);
    assert_eq!(r.status, 200);
    // Fetch metadata: a browser marks an `<img>` or `<script>` pointed at the stream from another
    // site as cross-site, and sends no Origin with it.
    for site in ["cross-site", "same-site", "none"] {
        let r = request(s.addr, "HEAD", "/__sosik/events", &[("Sec-Fetch-Site", site)]);
        assert_eq!(r.status, 403, "{site}");
    }
    let r = request(s.addr, "HEAD", "/__sosik/events", &[("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(r.status, 200);
}

#[test]
fn malformed_requests_never_stop_the_server() {
    let s = site();
    let port = s.addr.port();
    let bad: Vec<Vec<u8>> = vec![
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET /news/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".to_vec(),
        format!("GET /news/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX: {}\r\n\r\n", "a".repeat(40_000)).into_bytes(),
        format!("GET /{} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", "a/".repeat(10_000)).into_bytes(),
        b"GET /news/ HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n".to_vec(),
        b"GET /\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
        b"GET /news/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\n".to_vec(),
        b"\r\n\r\n\r\n".to_vec(),
        b"GET /news/ HTT".to_vec(),
        vec![0u8; 5000],
    ];
    for b in &bad {
        let mut stream = std::net::TcpStream::connect(s.addr).unwrap();
        use std::io::{Read, Write};
        stream.set_read_timeout(Some(serve_support::WAIT)).unwrap();
        let _ = stream.write_all(b);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        if !out.is_empty() {
            let status = serve_support::parse_reply(&out).status;
            assert!(
                matches!(status, 200 | 400 | 403 | 404 | 431),
                "{:?} -> {status}",
                String::from_utf8_lossy(&b[..b.len().min(40)])
            );
        }
    }
    // Pipelined requests on one connection are answered in order.
    let two = format!(
        "GET /news/robots.txt HTTP/1.1\r\nHost: localhost:{port}\r\n\r\nGET /news/notes.txt HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    );
    let r = raw(s.addr, two.as_bytes());
    assert_eq!(r.status, 200);
    assert!(r.text().contains("plain text"), "{}", r.text());
    assert_eq!(get(s.addr, "/news/").status, 200, "the server still answers");
}

#[test]
fn gzip_is_sent_as_stored_when_the_client_takes_it() {
    use std::io::Read;
    let s = site();
    let plain = get(s.addr, "/news/");
    let gz = request(s.addr, "GET", "/news/", &[("Accept-Encoding", "gzip, br")]);
    assert_eq!(gz.header("Content-Encoding").as_deref(), Some("gzip"));
    assert_eq!(gz.header("Vary").as_deref(), Some("Accept-Encoding"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, plain.body);
    assert_eq!(plain.header("Content-Encoding"), None);
}

#[test]
fn sosik_build_output_never_has_the_live_reload_script() {
    let f = harness::fixture("serve/site");
    let built = f.build();
    for rel in built.files() {
        if rel.ends_with(".html") {
            assert!(!built.file(&rel).contains("__sosik"), "{rel}");
        }
    }
}

#[test]
fn a_port_in_use_is_a_clear_error_or_the_next_port() {
    let f = harness::fixture("serve/site");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut opts = sosik::serve::ServeOptions::new(&f.root);
    opts.port = port;
    opts.port_explicit = true;
    opts.watch = false;
    let report: sosik::serve::Reporter = std::sync::Arc::new(|_| {});
    let err = sosik::serve::Server::start(opts.clone(), report.clone(), &sosik::Progress::default())
        .err()
        .expect("the port is taken");
    assert_eq!(
        err.to_string(),
        format!("cannot serve on 127.0.0.1:{port}: the port is already in use (another `sosik serve`?); choose another with --port N, or --port 0 for any free port")
    );
    opts.port_explicit = false;
    let server =
        sosik::serve::Server::start(opts, report, &sosik::Progress::default()).expect("falls back to a free port");
    assert_ne!(server.addr.port(), port);
    assert_eq!(server.notes, [format!("port {port} is in use; serving on port {} instead", server.addr.port())]);
    server.stop();
}

/// 48 page requests, one after the other: every one must be answered 200.
fn assert_pages_answered(addr: SocketAddr) {
    for i in 0..48 {
        let r = get(addr, if i % 2 == 0 { "/news/" } else { "/news/2025/07/27/deepseek-v3/" });
        assert_eq!(r.status, 200, "page request {i}: {}", r.text());
    }
}

/// Waits until the server holds what `done(connections, event streams)` asks for (the attack is
/// in place). A bound on nothing but patience.
fn wait_for_slots(s: &Site, done: impl Fn(usize, usize) -> bool) {
    let deadline = std::time::Instant::now() + serve_support::WAIT;
    let slots = &s.server.as_ref().unwrap().shared().slots;
    while !done(slots.counts().0, slots.counts().1) {
        assert!(std::time::Instant::now() < deadline, "the server holds {:?}", slots.counts());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Issue 9, defect 4: 300 idle `GET /__sosik/events` connections made every other request fail
/// with 503 or a reset.
#[test]
fn three_hundred_idle_event_streams_leave_page_requests_answered() {
    use sosik::serve::slots::MAX_EVENT_STREAMS;
    use std::io::Write;
    let s = site();
    let port = s.addr.port();
    let streams: Vec<std::net::TcpStream> = (0..300)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(s.addr).unwrap();
            c.write_all(format!("GET /__sosik/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes()).unwrap();
            c
        })
        .collect();
    wait_for_slots(&s, |_, streams| streams == MAX_EVENT_STREAMS);
    assert_pages_answered(s.addr);
    // One more stream is refused, and says when to try again.
    let r = get(s.addr, "/__sosik/events");
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("Retry-After").as_deref(), Some("5"));
    drop(streams);
    wait_for_slots(&s, |_, streams| streams == 0);
    assert_eq!(Events::connect(s.addr).next().0, "hello");
}

/// 300 clients that trickle a byte of their request head now and then, each connecting again when
/// the server drops it, until `stop`.
fn slowloris(addr: SocketAddr, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<()> {
    use std::io::Write;
    std::thread::spawn(move || {
        let connect = || {
            let mut c = std::net::TcpStream::connect(addr).ok()?;
            c.set_nonblocking(true).ok()?;
            c.write_all(format!("GET /news/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", addr.port()).as_bytes()).ok()?;
            Some(c)
        };
        let mut clients: Vec<Option<std::net::TcpStream>> = (0..300).map(|_| connect()).collect();
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            for c in clients.iter_mut() {
                let alive = c.as_mut().is_some_and(|s| match s.write(b"X") {
                    Ok(_) => true,
                    Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
                });
                if !alive {
                    *c = connect();
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    })
}

/// Issue 9, defect 4: slowloris with 300 clients let 22 of 48 normal requests through.
#[test]
fn three_hundred_slowloris_clients_leave_page_requests_answered() {
    use sosik::serve::slots::MAX_CONNECTIONS;
    let s = site();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let attack = slowloris(s.addr, stop.clone());
    wait_for_slots(&s, |conns, _| conns == MAX_CONNECTIONS);
    assert_pages_answered(s.addr);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    attack.join().unwrap();
}
