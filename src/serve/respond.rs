//! Answering requests: one connection at a time per thread, keep-alive, the checks of every request
//! (Host, method, path), the site from memory, the live-reload endpoints.

use std::io::Write;
use std::net::TcpStream;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::http::{self, ReadError, Request, Response};
use super::live::{self, overlay_html};
use super::slots::{Slot, MAX_EVENT_STREAMS};
use super::store::inject;
use super::Shared;
use crate::model::encode_path;

/// How long an idle keep-alive connection (or a slow client's head) may take.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Comment lines on the event stream, so that a closed page is noticed and proxies keep it open.
/// Short, so that the slots of pages closed without a goodbye are freed within seconds.
const KEEPALIVE: Duration = Duration::from_secs(5);
/// An event stream ends after this long; the page's EventSource connects again within a second
/// (its `hello` tells it whether it missed a rebuild). A stream whose client never reads, or went
/// away without a word, gives its slot back by then at the latest.
const STREAM_LIFETIME: Duration = Duration::from_secs(120);

/// Prefix of the server's own endpoints; outside any site's base path.
const INTERNAL: &str = "__sosik";

/// Serves requests on `stream` until it closes, errs, asks to close, or `slot` is taken back.
pub fn connection(shared: &Shared, mut stream: TcpStream, slot: &Slot) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        if !slot.waiting() {
            return;
        }
        let req = match http::read_request(&mut stream, &mut buf, std::time::Instant::now() + READ_TIMEOUT) {
            Ok(r) => r,
            Err(ReadError::Malformed(status, why)) => {
                let _ = Response::text(status, why).write_to(&mut stream, false, false);
                return;
            }
            Err(ReadError::Closed | ReadError::Io(_)) => return,
        };
        if !slot.busy() {
            // Shut down to make room while its head was arriving.
            return;
        }
        let keep_alive = req.keep_alive();
        let head_only = req.method == "HEAD";
        match answer(shared, &req) {
            Answer::Response(resp) => {
                if resp.write_to(&mut stream, head_only, keep_alive).is_err() || !keep_alive {
                    return;
                }
            }
            Answer::Events if slot.stream() => return events(shared, stream),
            Answer::Events => {
                let why = format!(
                    "{MAX_EVENT_STREAMS} live-reload streams are open already; \
                     this page connects again later and meanwhile reloads by hand"
                );
                let _ = Response::text(503, &why).header("Retry-After", "5").write_to(&mut stream, false, false);
                return;
            }
        }
    }
}

enum Answer {
    Response(Response),
    /// Switch this connection to the live-reload event stream.
    Events,
}

fn answer(shared: &Shared, req: &Request) -> Answer {
    let Some(host) = req.header("host") else {
        return Answer::Response(Response::text(400, "a Host header is required"));
    };
    if !http::host_allowed(host, shared.addr) {
        return Answer::Response(Response::text(
            403,
            "this preview answers only to localhost, 127.0.0.1, [::1] or the address it is bound to",
        ));
    }
    if req.method != "GET" && req.method != "HEAD" {
        return Answer::Response(Response::text(405, "only GET and HEAD").header("Allow", "GET, HEAD"));
    }
    let path = match http::parse_target(&req.target) {
        Ok(p) => p,
        Err(http::BadTarget(why)) => return Answer::Response(Response::text(400, why)),
    };
    if path.segments.first().map(String::as_str) == Some(INTERNAL) {
        return internal(shared, req, host, &path.segments[1..]);
    }
    Answer::Response(site_file(shared, req, &path))
}

/// `/__sosik/live.js` and `/__sosik/events`.
fn internal(shared: &Shared, req: &Request, host: &str, rest: &[String]) -> Answer {
    match rest {
        [name] if name == "live.js" => {
            Answer::Response(Response::new(200, http::content_type(name), live::SCRIPT.as_bytes().to_vec()))
        }
        [name] if name == "events" => {
            if !http::stream_allowed(req.header("origin"), req.header("sec-fetch-site"), host) {
                return Answer::Response(Response::text(
                    403,
                    "the live-reload stream is only for this preview's own pages",
                ));
            }
            if req.method == "HEAD" {
                return Answer::Response(Response::new(200, "text/event-stream; charset=utf-8", Vec::new()));
            }
            Answer::Events
        }
        _ => Answer::Response(not_found(shared, req)),
    }
}

/// A file of the site, a redirect to the folder form of a folder URL, or the site's 404 page.
fn site_file(shared: &Shared, req: &Request, path: &http::SitePath) -> Response {
    let base = shared.store.base_path();
    let base_segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let under_base =
        path.segments.len() >= base_segs.len() && path.segments.iter().zip(&base_segs).all(|(a, b)| a == b);
    if !under_base {
        if path.segments.is_empty() {
            // The site lives under a subpath: "/" leads there (relative, so never `//host`).
            return Response::text(302, "the site is under its base path")
                .header("Location", format!("./{}", base.trim_start_matches('/')));
        }
        return not_found(shared, req);
    }
    let rest = &path.segments[base_segs.len()..];
    if rest.is_empty() && !path.dir {
        let last = base_segs.last().expect("a path under the base without a slash has a base segment");
        return Response::text(301, "the site is a folder").header("Location", format!("./{}/", encode_path(last)));
    }
    let rel = rest.join("/");
    let file = if path.dir {
        if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        }
    } else {
        rel.clone()
    };
    if let Some(resp) = file_response(shared, req, &file, 200) {
        return resp;
    }
    if !path.dir && shared.store.contains(&format!("{rel}/index.html")) {
        // A folder without its slash: relative links on the page need the slash form.
        let last = rest.last().expect("not empty");
        let query = path.query.as_deref().map(|q| format!("?{q}")).unwrap_or_default();
        return Response::text(301, "the page is a folder")
            .header("Location", format!("./{}/{query}", encode_path(last)));
    }
    not_found(shared, req)
}

fn not_found(shared: &Shared, req: &Request) -> Response {
    file_response(shared, req, "404.html", 404).unwrap_or_else(|| {
        let page = format!(
            "<!DOCTYPE html><html lang=\"ko\"><meta charset=\"utf-8\"><title>404</title><h1>404</h1><p>페이지를 찾을 수 없습니다.</p>{}</html>",
            super::store::LIVE_SCRIPT_TAG
        );
        html_response(shared, 404, page.into_bytes())
    })
}

/// A stored file as a response: gzip as stored when the client takes it, with the error overlay
/// added to HTML while the last save is broken.
fn file_response(shared: &Shared, req: &Request, rel: &str, status: u16) -> Option<Response> {
    let stored = shared.store.get(rel)?;
    let ctype = http::content_type(rel);
    if ctype.starts_with("text/html") && shared.hub.current_error().is_some() {
        return Some(html_response(shared, status, stored.plain()));
    }
    let resp = if stored.gzip && req.accepts_gzip() {
        Response::new(status, ctype, stored.bytes.to_vec()).header("Content-Encoding", "gzip")
    } else {
        Response::new(status, ctype, stored.plain())
    };
    Some(resp.header("Vary", "Accept-Encoding"))
}

fn html_response(shared: &Shared, status: u16, html: Vec<u8>) -> Response {
    let body = match shared.hub.current_error() {
        Some(message) => inject(&html, &overlay_html(&message)),
        None => html,
    };
    Response::new(status, "text/html; charset=utf-8", body)
}

/// The live-reload stream: frames from the hub, a comment every little while, until the page goes.
fn events(shared: &Shared, mut stream: TcpStream) {
    let (rx, first) = shared.hub.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(first.as_bytes()))
        .and_then(|_| stream.flush())
        .is_err()
    {
        return;
    }
    let ends = std::time::Instant::now() + STREAM_LIFETIME;
    loop {
        let left = ends.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return;
        }
        let frame = match rx.recv_timeout(KEEPALIVE.min(left)) {
            Ok(f) => f,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(frame.as_bytes()).and_then(|_| stream.flush()).is_err() {
            return;
        }
    }
}
