//! Live reload: the event stream every open page listens to (server-sent events), the client script
//! and the error overlay shown while the last save is broken.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;

use serde::Serialize;

use crate::theme::escape_html;

/// The client, served at `/__sosik/live.js`.
pub const SCRIPT: &str = include_str!("live.js");

/// Server-sent events to every connected page, and the build state a new page needs to know.
#[derive(Debug)]
pub struct Hub {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    clients: Vec<Sender<String>>,
    generation: u64,
    error: Option<String>,
    /// Tells this server from the one before it: a page whose stream comes back from another
    /// server reloads; one whose stream merely ended (they last minutes) reloads only if it
    /// missed a rebuild.
    server: u64,
}

impl Default for Hub {
    fn default() -> Hub {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        // Within what JavaScript numbers hold exactly.
        let server = (now.as_nanos() as u64 ^ u64::from(std::process::id()) << 32) & ((1 << 53) - 1);
        Hub { inner: Mutex::new(Inner { server, ..Default::default() }) }
    }
}

#[derive(Serialize)]
struct Reload<'a> {
    generation: u64,
    css_only: bool,
    /// Output paths that changed (a sample when there are many).
    changed: &'a [String],
}

/// One SSE frame. JSON data never contains a raw newline, so it is always one `data:` line.
fn frame(event: &str, data: &impl Serialize) -> String {
    format!("event: {event}\ndata: {}\n\n", serde_json::to_string(data).expect("plain data serialises"))
}

fn error_frame(message: &str) -> String {
    frame("build-error", &serde_json::json!({ "message": message }))
}

impl Hub {
    /// A new listener: its channel, and the frames to send first (hello, and the current error).
    pub fn subscribe(&self) -> (Receiver<String>, String) {
        let mut inner = self.lock();
        let (tx, rx) = mpsc::channel();
        inner.clients.push(tx);
        let mut first = String::from("retry: 1000\n\n");
        first.push_str(&frame("hello", &serde_json::json!({ "generation": inner.generation, "server": inner.server })));
        if let Some(e) = &inner.error {
            first.push_str(&error_frame(e));
        }
        (rx, first)
    }

    /// A successful rebuild: clears any error and tells every page to reload.
    pub fn reload(&self, css_only: bool, changed: &[String]) {
        let mut inner = self.lock();
        inner.generation += 1;
        let had_error = inner.error.take().is_some();
        let sample = &changed[..changed.len().min(50)];
        let mut msg = String::new();
        if had_error {
            msg.push_str(&frame("build-ok", &serde_json::json!({})));
        }
        msg.push_str(&frame("reload", &Reload { generation: inner.generation, css_only, changed: sample }));
        broadcast(&mut inner, &msg);
    }

    /// A rebuild that changed only some pages (a settling one): only those pages reload.
    /// `urls` are URL paths as pages see themselves (`location.pathname`).
    pub fn refresh(&self, urls: &[String]) {
        let mut inner = self.lock();
        inner.generation += 1;
        let msg =
            frame("reload", &serde_json::json!({ "generation": inner.generation, "css_only": false, "only": urls }));
        broadcast(&mut inner, &msg);
    }

    /// A good rebuild that changed nothing served: only clears an error overlay.
    pub fn ok(&self) {
        let mut inner = self.lock();
        if inner.error.take().is_some() {
            broadcast(&mut inner, &frame("build-ok", &serde_json::json!({})));
        }
    }

    /// A broken save: every page shows `message` over the last good build.
    pub fn error(&self, message: &str) {
        let mut inner = self.lock();
        inner.error = Some(message.to_string());
        broadcast(&mut inner, &error_frame(message));
    }

    pub fn current_error(&self) -> Option<String> {
        self.lock().error.clone()
    }

    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Ends every event stream (server shutdown).
    pub fn close_all(&self) {
        self.lock().clients.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn broadcast(inner: &mut Inner, msg: &str) {
    inner.clients.retain(|c| c.send(msg.to_string()).is_ok());
}

/// The overlay the server puts into HTML while the last save is broken, so that a page loaded then
/// shows the error at once (the client script keeps it up to date afterwards).
pub fn overlay_html(message: &str) -> String {
    format!(
        "<div id=\"sosik-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
z-index:2147483647;background:#1d1f21;color:#f8f8f2;border-top:4px solid #e06c75;padding:12px 16px;\
font:14px/1.5 ui-monospace,monospace\"><strong>sosik: the last save did not build; this page shows the last good \
build.</strong><pre style=\"white-space:pre-wrap;margin:8px 0 0\">{}</pre></div>",
        escape_html(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_escapes_the_message() {
        let html = overlay_html("content/a.md:2:9: bad <script>alert(1)</script> & \"x\"");
        assert!(html.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn a_new_listener_hears_the_current_error_then_the_fix() {
        let hub = Hub::default();
        hub.error("a.md:1:1: broken\nsecond line");
        let (rx, first) = hub.subscribe();
        assert!(first.contains("event: hello\n"));
        assert!(first.contains("event: build-error\ndata: {\"message\":\"a.md:1:1: broken\\nsecond line\"}\n\n"));
        hub.reload(false, &["index.html".into()]);
        let msg = rx.recv().unwrap();
        assert!(msg.starts_with("event: build-ok\n"));
        assert!(
            msg.contains("event: reload\ndata: {\"generation\":1,\"css_only\":false,\"changed\":[\"index.html\"]}\n\n")
        );
        assert_eq!(hub.current_error(), None);
    }
}
