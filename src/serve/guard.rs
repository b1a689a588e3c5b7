//! Surviving a panic in a rebuild: the server catches it, says where it happened, and keeps watching.
//!
//! A panic's location is only known to the panic hook, which is process-wide; so the hook installed
//! here records the message and location of panics on the server's own rebuild threads (and keeps
//! the default report for every other thread), and [`catch`] picks the record up. The record is
//! matched by message (two servers in one process, in tests, do not take each other's); when a
//! parallel step panicked in many places and the one passed on is no longer kept, the newest
//! record stands in (in practice the same line panicking on other items).

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};

/// Name prefixes of the threads a rebuild runs on: the rebuild thread and the two pools.
pub const THREAD_PREFIXES: [&str; 3] = ["sosik-rebuild", "sosik-build-", "sosik-settle-"];

/// Panics recorded by the hook, (message, location), newest last; a few at most.
static RECORDED: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
const KEEP: usize = 64;

/// A caught panic.
#[derive(Debug, Clone)]
pub struct Panic {
    pub message: String,
    /// `file:line:col` of the panic, when the hook saw it.
    pub location: Option<String>,
}

impl Panic {
    /// The text shown in the overlay and the terminal; `while` says what the server was doing.
    pub fn report(&self, while_: &str) -> String {
        let at = self.location.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
        format!(
            "internal error: sosik panicked while {while_}{at}: {}\n\
             This is a bug in sosik, not in the site; please report it with the file last saved. \
             The preview keeps watching: the next save rebuilds the whole site.",
            // A panic message may quote the site's text, and it goes to a terminal.
            crate::error::terminal_safe(&self.message)
        )
    }
}

/// Installs the recording hook (once per process).
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let ours = std::thread::current().name().is_some_and(|n| THREAD_PREFIXES.iter().any(|p| n.starts_with(p)));
            if !ours {
                return previous(info);
            }
            let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            let mut recorded = RECORDED.lock().unwrap_or_else(|e| e.into_inner());
            if recorded.len() >= KEEP {
                recorded.remove(0);
            }
            recorded.push((payload_message(info.payload()), location.unwrap_or_default()));
            drop(recorded);
            // The server reports it as a build error; the raw report only when asked for a backtrace.
            if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into a [`Panic`]. Whatever `f` was changing may be half done: the caller
/// must not trust that state afterwards (hence `AssertUnwindSafe`).
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload_message(&*payload);
        let mut recorded = RECORDED.lock().unwrap_or_else(|e| e.into_inner());
        let found = recorded.iter().rposition(|(m, _)| *m == message).or(recorded.len().checked_sub(1));
        let location = found.map(|i| recorded.remove(i).1);
        Panic { message, location: location.filter(|l| !l.is_empty()) }
    })
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_on_a_rebuild_thread_has_its_message_and_location() {
        install_hook();
        let caught = std::thread::Builder::new()
            .name("sosik-build-test".into())
            .spawn(|| catch(|| panic!("boom \u{1b}]0;title\u{7} {}", 42)))
            .unwrap()
            .join()
            .unwrap();
        let p = caught.unwrap_err();
        assert_eq!(p.message, "boom \u{1b}]0;title\u{7} 42");
        let at = p.location.as_deref().unwrap();
        assert!(at.starts_with("src/serve/guard.rs:"), "{at}");
        let text = p.report("rebuilding");
        assert!(
            text.starts_with(&format!(
                "internal error: sosik panicked while rebuilding at {at}: boom \\u{{1b}}]0;title\\u{{7}} 42\n"
            )),
            "{text}"
        );
        assert_eq!(catch(|| 7).unwrap(), 7);
    }
}
