//! Helpers of the `sosik serve` tests: a server on a random port over a copy of a fixture, raw HTTP
//! requests over a TcpStream (sent exactly as written), and a live-reload event stream reader.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sosik::serve::{Event, ServeOptions, Server};
use sosik::Progress;

/// Generous: waiting for a rebuild on a loaded CI machine. Never a bound on speed.
pub const WAIT: Duration = Duration::from_secs(60);

/// A server over `root` on a random loopback port, with the tests' pinned clock; its reports go to
/// the returned channel.
pub fn start(root: &Path, watch: bool) -> (Server, Receiver<Event>) {
    start_at(root, watch, Some(chrono::DateTime::parse_from_rfc3339("2025-08-10T12:00:00+09:00").unwrap()))
}

/// As [`start`], with the real clock when `now` is `None`.
pub fn start_at(
    root: &Path,
    watch: bool,
    now: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> (Server, Receiver<Event>) {
    let mut opts = ServeOptions::new(root);
    opts.watch = watch;
    opts.now = now;
    start_with(opts)
}

/// A server with `opts` (on a random loopback port whatever they say).
pub fn start_with(mut opts: ServeOptions) -> (Server, Receiver<Event>) {
    opts.port = 0;
    opts.port_explicit = true;
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let report = Arc::new(move |e: Event| {
        let _ = tx.lock().unwrap().send(e);
    });
    let server = Server::start(opts, report, &Progress::default()).expect("server starts");
    (server, rx)
}

/// A parsed response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `raw` exactly as given and reads the whole answer (the request should ask to close).
pub fn raw(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(raw).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse_reply(&buf)
}

pub fn parse_reply(buf: &[u8]) -> Reply {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8(buf[..end].to_vec()).unwrap();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    Reply { status, head, body: buf[end + 4..].to_vec() }
}

/// `GET target` with a proper Host header.
pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &[])
}

pub fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", addr.port());
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    raw(addr, req.as_bytes())
}

/// A live-reload event stream.
pub struct Events {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Events {
    /// Connects to `/__sosik/events` and reads past the response head.
    pub fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let req = format!(
            "GET /__sosik/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            addr.port()
        );
        stream.write_all(req.as_bytes()).unwrap();
        let mut ev = Events { stream, buf: Vec::new() };
        let head = ev.read_until(b"\r\n\r\n", Instant::now() + WAIT);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("Content-Type: text/event-stream; charset=utf-8"), "{head}");
        ev
    }

    fn read_until(&mut self, sep: &[u8], deadline: Instant) -> String {
        loop {
            if let Some(i) = self.buf.windows(sep.len()).position(|w| w == sep) {
                let out: Vec<u8> = self.buf.drain(..i + sep.len()).collect();
                return String::from_utf8(out).unwrap();
            }
            assert!(
                Instant::now() < deadline,
                "nothing arrived within {WAIT:?}; got {:?}",
                String::from_utf8_lossy(&self.buf)
            );
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed; got {:?}", String::from_utf8_lossy(&self.buf)),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// The next event (name, data), skipping comments and `retry:` lines.
    pub fn next(&mut self) -> (String, String) {
        self.next_before(Instant::now() + WAIT)
    }

    fn next_before(&mut self, deadline: Instant) -> (String, String) {
        loop {
            let frame = self.read_until(b"\n\n", deadline);
            let mut name = String::from("message");
            let mut data = String::new();
            for line in frame.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            if !data.is_empty() || name != "message" {
                return (name, data);
            }
        }
    }

    /// The next reload that follows a save (skipping the targeted ones of settling rebuilds).
    pub fn wait_for_reload(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (n, d) = self.next_before(deadline);
            if n == "reload" && !d.contains("\"only\"") {
                return d;
            }
        }
    }

    /// Skips events until one named `name`; returns its data.
    pub fn wait_for(&mut self, name: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (n, d) = self.next_before(deadline);
            if n == name {
                return d;
            }
        }
    }
}

/// The next report of the server about a save (settling rebuilds skipped).
pub fn next_report(rx: &Receiver<Event>) -> Event {
    loop {
        match rx.recv_timeout(WAIT).expect("the server reported nothing") {
            Event::Built(s) if s.settle => continue,
            e => return e,
        }
    }
}

/// The next report of a settling rebuild.
pub fn next_settle(rx: &Receiver<Event>) -> sosik::serve::Summary {
    loop {
        match rx.recv_timeout(WAIT).expect("the server reported nothing") {
            Event::Built(s) if s.settle => return s,
            _ => continue,
        }
    }
}

/// Writes a file the way editors do it safely: a temporary file, then a rename over the target.
pub fn save(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.swp"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}
