//! Connection slots: how many connections the server holds, and which one gives way when all are
//! taken, so that page requests keep being answered while other clients hold connections open.
//!
//! - Every connection is a thread; at most [`MAX_CONNECTIONS`] are admitted.
//! - Live-reload event streams, which last as long as a page is open, take at most
//!   [`MAX_EVENT_STREAMS`] of them: the rest is always left to page requests.
//! - A connection still waiting for its request head (a new one, or a keep-alive one between
//!   requests) costs nothing to drop: when every slot is taken, a new connection takes the slot of
//!   the one that has waited longest (it is shut down). Clients that trickle their heads
//!   (slowloris) or open connections and send nothing therefore push each other out, while a client
//!   that sends its head at once is answered. Only when every slot is busy answering or streaming
//!   is a new connection refused (503).

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 256;
/// Live-reload event streams at once (each open page holds one).
pub const MAX_EVENT_STREAMS: usize = 64;
/// Connections shut down to make room that have not ended yet, on top of [`MAX_CONNECTIONS`].
const MAX_ENDING: usize = 64;

/// What a connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for a request head: may be shut down to make room.
    Head,
    /// Answering a request.
    Busy,
    /// An event stream.
    Stream,
    /// Shut down to make room; its thread is ending.
    Shed,
}

#[derive(Debug)]
struct Conn {
    state: State,
    /// Since when it has been in `state`.
    since: Instant,
    /// A handle to shut it down with.
    stream: TcpStream,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    conns: HashMap<u64, Conn>,
    streams: usize,
    shed: usize,
}

/// The table of admitted connections.
#[derive(Debug, Default)]
pub struct Slots {
    inner: Mutex<Inner>,
}

/// A connection's slot, freed when dropped (however its thread ends).
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    id: u64,
}

impl Slots {
    /// Admits a new connection, shutting down the longest-waiting unfinished head to make room
    /// when every slot is taken; `None` when there is no room (answer 503).
    pub fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut inner = self.lock();
        if inner.conns.len() - inner.shed >= MAX_CONNECTIONS {
            if inner.shed >= MAX_ENDING {
                return None;
            }
            let oldest = inner.conns.iter().filter(|(_, c)| c.state == State::Head).min_by_key(|(_, c)| c.since);
            let (&id, _) = oldest?;
            let conn = inner.conns.get_mut(&id).expect("found just now");
            let _ = conn.stream.shutdown(Shutdown::Both);
            conn.state = State::Shed;
            inner.shed += 1;
        }
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(id, Conn { state: State::Head, since: Instant::now(), stream: handle });
        Some(Slot { slots: self.clone(), id })
    }

    /// (connections, event streams) held now.
    pub fn counts(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.conns.len() - inner.shed, inner.streams)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves connection `id` to `to`; false when it was shed meanwhile.
    fn set(&self, id: u64, to: State) -> bool {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(conn) = inner.conns.get_mut(&id) else { return false };
        if conn.state == State::Shed {
            return false;
        }
        if to == State::Stream && conn.state != State::Stream {
            if inner.streams >= MAX_EVENT_STREAMS {
                return false;
            }
            inner.streams += 1;
        }
        conn.state = to;
        conn.since = Instant::now();
        true
    }
}

impl Slot {
    /// Waiting for the next request head (the connection may be shed from now on).
    pub fn waiting(&self) -> bool {
        self.slots.set(self.id, State::Head)
    }

    /// A whole head arrived: answering it. False when the connection was shed meanwhile.
    pub fn busy(&self) -> bool {
        self.slots.set(self.id, State::Busy)
    }

    /// Becoming an event stream; false when there are [`MAX_EVENT_STREAMS`] already.
    pub fn stream(&self) -> bool {
        self.slots.set(self.id, State::Stream)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut inner = self.slots.lock();
        if let Some(conn) = inner.conns.remove(&self.id) {
            match conn.state {
                State::Stream => inner.streams -= 1,
                State::Shed => inner.shed -= 1,
                State::Head | State::Busy => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// `n` connected pairs (client, server side).
    fn pairs(n: usize) -> Vec<(TcpStream, TcpStream)> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        (0..n)
            .map(|_| {
                let client = TcpStream::connect(addr).unwrap();
                (client, listener.accept().unwrap().0)
            })
            .collect()
    }

    #[test]
    fn a_full_table_sheds_the_longest_waiting_head_and_never_a_busy_one() {
        let slots = Arc::new(Slots::default());
        let conns = pairs(MAX_CONNECTIONS + 2);
        let mut held: Vec<Slot> = conns[..MAX_CONNECTIONS].iter().map(|(_, s)| slots.admit(s).unwrap()).collect();
        // All but the first two are busy answering.
        for slot in &held[2..] {
            assert!(slot.busy());
        }
        let newcomer = slots.admit(&conns[MAX_CONNECTIONS].1).expect("room is made");
        // The first one waited longest: it is shut down (its client sees the end) and cannot answer.
        let mut client = &conns[0].0;
        assert_eq!(client.read(&mut [0u8; 8]).unwrap(), 0);
        assert!(!held[0].busy());
        assert_eq!(slots.counts(), (MAX_CONNECTIONS, 0));
        held.remove(0);
        assert_eq!(slots.counts(), (MAX_CONNECTIONS, 0));
        // The second waits too and goes next; then only busy ones are left: no room.
        let last = slots.admit(&conns[MAX_CONNECTIONS + 1].1).unwrap();
        assert!(!held[0].busy());
        assert!(newcomer.busy() && last.busy());
        let extra = pairs(1);
        assert!(slots.admit(&extra[0].1).is_none());
    }

    #[test]
    fn event_streams_are_capped_apart() {
        let slots = Arc::new(Slots::default());
        let conns = pairs(MAX_EVENT_STREAMS + 1);
        let held: Vec<Slot> = conns.iter().map(|(_, s)| slots.admit(s).unwrap()).collect();
        for slot in &held[..MAX_EVENT_STREAMS] {
            assert!(slot.stream());
        }
        assert!(!held[MAX_EVENT_STREAMS].stream());
        assert_eq!(slots.counts(), (MAX_EVENT_STREAMS + 1, MAX_EVENT_STREAMS));
        drop(held);
        assert_eq!(slots.counts(), (0, 0));
    }
}
