//! `sosik serve` as the real binary: the URL it prints, a taken port, a folder that is not a site,
//! and a non-loopback address, which works but says what it exposes.

use crate::harness;
use crate::serve_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sosik serve` with `args` and returns it with the URL it printed.
fn serve(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let running = Running(child);
    for line in stdout.lines() {
        if let Some(rest) = line.unwrap().strip_prefix("serving ") {
            return (running, rest.split(' ').next().unwrap().to_string());
        }
    }
    panic!("sosik serve ended without printing its URL");
}

#[test]
fn prints_the_url_with_the_base_path_and_serves_it() {
    let f = harness::fixture("serve/site");
    let (_server, url) = serve(&["--root", f.root.to_str().unwrap(), "--port", "0"]);
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/news/"), "{url}");
    let port: u16 = url["http://127.0.0.1:".len()..].split('/').next().unwrap().parse().unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let page = serve_support::get(addr, "/news/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("8월의 칩 소식"));
}

#[test]
fn a_taken_port_given_with_port_is_a_clear_error() {
    let f = harness::fixture("serve/site");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["serve", "--root", f.root.to_str().unwrap(), "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("cannot serve on 127.0.0.1:{port}: the port is already in use (another `sosik serve`?); choose another with --port N, or --port 0 for any free port\n")
    );
}

#[test]
fn a_folder_without_site_toml_is_bad_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["serve", "--root", tmp.path().to_str().unwrap(), "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("no site.toml in ") && err.ends_with(": give the site's folder with --root\n"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_sosik")).args(["serve", "--interface", "my-laptop"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "--interface: `my-laptop` is not an IP address\n");
}

#[test]
fn a_non_loopback_address_is_served_with_a_warning() {
    let f = harness::fixture("serve/site");
    let mut opts = sosik::serve::ServeOptions::new(&f.root);
    opts.interface = "0.0.0.0".parse().unwrap();
    opts.port = 0;
    opts.port_explicit = true;
    opts.watch = false;
    let server = sosik::serve::Server::start(opts, std::sync::Arc::new(|_| {}), &sosik::Progress::default()).unwrap();
    assert_eq!(
        server.notes,
        ["warning: serving on 0.0.0.0 (every interface), not on loopback: anyone who can reach this machine can read the preview"]
    );
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    let port = server.addr.port();
    // Reached by an address of the machine: allowed; by a name that is not localhost: refused.
    let r = serve_support::raw(
        addr,
        format!("GET /news/ HTTP/1.1\r\nHost: 192.0.2.7:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 200);
    let r = serve_support::raw(
        addr,
        format!("GET /news/ HTTP/1.1\r\nHost: rebind.evil.example:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 403);
    server.stop();
}

/// Issue 13: plain `sosik serve` hid drafts without a word. It says how many it hides, which, and
/// how to show them (the real clock: drafts/cli has one draft and one article dated 2999).
#[test]
fn serve_says_which_drafts_it_hides() {
    let f = harness::fixture("drafts/cli");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sosik"))
        .args(["serve", "--root", f.root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let _running = Running(child);
    let lines: Vec<String> = stderr.lines().map_while(Result::ok).take(3).collect();
    assert!(
        lines[0].ends_with("note: hiding 1 draft and 1 future-dated article; `sosik serve --drafts` shows them"),
        "{lines:?}"
    );
    assert_eq!(lines[1], "  draft: content/draft.md");
    assert_eq!(lines[2], "  future-dated: content/far-future.md");
}
