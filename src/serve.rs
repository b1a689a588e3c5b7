//! `sosik serve`: builds the site into memory, serves it on loopback, watches the sources, rebuilds
//! incrementally and tells every open page to reload.
//!
//! Threads: one accepts connections (a thread per connection, bounded), one rebuilds on batches of
//! changes from the watcher. Pages come from memory ([`store`]), so no request ever reads the disk.
//! The library prints nothing: what happens is reported through [`Event`]s the binary prints.

mod guard;
pub mod http;
pub mod live;
mod rebuild;
pub mod respond;
pub mod slots;
pub mod store;
pub mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::build::BuildOptions;
use crate::error::{Diagnostic, Error, Result};
use crate::incremental::Changes;
use crate::Progress;

use live::Hub;
use rebuild::{rebuild_thread, Builder, Msg};
use store::Store;

/// Default port (DESIGN.md §3).
pub const DEFAULT_PORT: u16 = 1111;
/// Ports tried after the default one when it is taken.
const PORT_TRIES: u16 = 10;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    /// The port was asked for explicitly: when it is taken, fail instead of trying the next ones.
    pub port_explicit: bool,
    pub drafts: bool,
    /// Watch the sources and rebuild (tests of the HTTP side may turn it off).
    pub watch: bool,
    /// "Now" for future-dated articles (tests pin it).
    pub now: Option<DateTime<FixedOffset>>,
    /// Tests only: sees every output file a rebuild makes before it is stored, and may panic.
    #[doc(hidden)]
    pub fault: Option<Fault>,
}

/// A test hook called with each output file (path, bytes) as a rebuild makes it; tests panic in it
/// to check that the server survives a panic in any rebuild.
#[doc(hidden)]
#[derive(Clone)]
pub struct Fault(pub Arc<FaultFn>);

/// What a [`Fault`] calls: output path, bytes.
#[doc(hidden)]
pub type FaultFn = dyn Fn(&str, &[u8]) + Send + Sync;

impl std::fmt::Debug for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fault(..)")
    }
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            interface: IpAddr::from([127, 0, 0, 1]),
            port: DEFAULT_PORT,
            port_explicit: false,
            drafts: false,
            watch: true,
            now: None,
            fault: None,
        }
    }
}

/// What the server reports while it runs.
#[derive(Debug, Clone)]
pub enum Event {
    /// A rebuild (or the first build) succeeded.
    Built(Summary),
    /// A rebuild failed; the last good site is still served.
    Failed { message: String, changed: Vec<PathBuf> },
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub first: bool,
    /// A settling rebuild (related articles, search index), not a reaction to a save.
    pub settle: bool,
    pub articles: usize,
    pub articles_read: usize,
    pub pages_rendered: usize,
    pub pages_total: usize,
    /// Output files written or removed.
    pub files_changed: usize,
    /// Warnings that were not there before this build.
    pub new_warnings: Vec<Diagnostic>,
    /// From the batch of changes arriving to the reload event being sent.
    pub millis: f64,
    /// Source paths that triggered the rebuild (root-relative).
    pub changed: Vec<PathBuf>,
    /// Milliseconds per step.
    pub timings: Vec<(&'static str, f64)>,
    /// Drafts and future-dated articles left out, when that changed (and on the first build).
    pub left_out: Option<crate::build::LeftOut>,
}

pub type Reporter = Arc<dyn Fn(Event) + Send + Sync>;

/// State shared by the connection threads and the rebuild thread.
pub struct Shared {
    pub store: Store,
    pub hub: Hub,
    pub addr: SocketAddr,
    /// Connections held, by what they are doing.
    pub slots: Arc<slots::Slots>,
    stop: AtomicBool,
}

/// A running server. Dropping it does not stop it; call [`Server::stop`] or [`Server::wait`].
pub struct Server {
    pub addr: SocketAddr,
    /// The site's local URL, base path included, e.g. `http://127.0.0.1:1111/news/`.
    pub url: String,
    /// Things to tell the user: a port taken and another used, a non-loopback address.
    pub notes: Vec<String>,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
    rebuilder: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds, builds the site (reporting the outcome; a broken site is served with its error),
    /// then serves and watches in background threads.
    pub fn start(opts: ServeOptions, report: Reporter, progress: &Progress) -> Result<Server> {
        if !opts.root.join("site.toml").is_file() {
            return Err(Error::Usage(format!(
                "no site.toml in {}: give the site's folder with --root",
                opts.root.display()
            )));
        }
        let root = opts.root.canonicalize().map_err(|e| Error::io(&opts.root, e))?;
        let (listener, mut notes) = bind(opts.interface, opts.port, opts.port_explicit)?;
        let addr = listener.local_addr().map_err(|e| Error::Other(format!("listening socket: {e}")))?;
        if !opts.interface.is_loopback() {
            notes.push(format!(
                "warning: serving on {} ({}), not on loopback: anyone who can reach this machine can read the preview{}",
                opts.interface,
                if opts.interface.is_unspecified() { "every interface" } else { "a network interface" },
                if opts.drafts { ", drafts included" } else { "" }
            ));
        }
        let host = match opts.interface {
            ip if ip.is_unspecified() || ip.is_loopback() && ip.is_ipv4() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let origin = format!("http://{host}:{}", addr.port());
        let shared = Arc::new(Shared {
            store: Store::default(),
            hub: Hub::default(),
            addr,
            slots: Arc::default(),
            stop: AtomicBool::new(false),
        });

        let build_opts = BuildOptions { root: root.clone(), drafts: opts.drafts, now: opts.now, ..Default::default() };
        let mut builder = Builder::new(shared.clone(), build_opts, origin.clone(), opts.fault.clone(), report);
        builder.rebuild(Changes::default(), Instant::now(), progress, true);
        if !builder.rebuilder.is_built() {
            // The first build failed: still serve (and print) under the path site.toml gives, if it parses.
            let opts = BuildOptions { root: root.clone(), ..Default::default() };
            if let Ok(config) = crate::build::load_config(&opts) {
                shared.store.set_base_path(&config.base_path);
            }
        }
        let url = format!("{origin}{}", shared.store.base_path());

        let (tx, rx) = mpsc::channel();
        let watcher = if opts.watch {
            let tx = tx.clone();
            Some(watch::Watcher::start(&root, move |paths| tx.send(Msg::Paths(paths)).is_ok())?)
        } else {
            None
        };
        let rebuild_thread = std::thread::Builder::new()
            .name("sosik-rebuild".into())
            .spawn(move || rebuild_thread(builder, watcher, tx, rx))
            .map_err(|e| Error::Other(format!("starting the rebuild thread: {e}")))?;
        let acceptor = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("sosik-accept".into())
                .spawn(move || accept_loop(&shared, listener))
                .map_err(|e| Error::Other(format!("starting the server thread: {e}")))?
        };
        Ok(Server { addr, url, notes, shared, acceptor: Some(acceptor), rebuilder: Some(rebuild_thread) })
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
    }

    /// Stops accepting, ends event streams and the rebuild thread.
    pub fn stop(mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.hub.close_all();
        let _ = TcpStream::connect_timeout(&wake_addr(self.addr), Duration::from_secs(1));
        for t in [self.acceptor.take(), self.rebuilder.take()].into_iter().flatten() {
            let _ = t.join();
        }
    }
}

/// Where to connect to wake our own accept loop (an unspecified bind address is not connectable).
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], addr.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    }
}

/// Binds `ip:port`; when the default port is taken, the next free one (said so in the note).
fn bind(ip: IpAddr, port: u16, explicit: bool) -> Result<(TcpListener, Vec<String>)> {
    let in_use = |p: u16| {
        Error::Other(format!(
            "cannot serve on {}: the port is already in use (another `sosik serve`?); \
             choose another with --port N, or --port 0 for any free port",
            SocketAddr::new(ip, p)
        ))
    };
    let tries = if explicit || port == 0 { 1 } else { PORT_TRIES + 1 };
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match TcpListener::bind((ip, p)) {
            Ok(l) => {
                let notes = if p != port {
                    vec![format!("port {port} is in use; serving on port {p} instead")]
                } else {
                    vec![]
                };
                return Ok((l, notes));
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
            Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                return Err(Error::Other(format!(
                    "cannot serve on {}: permission denied (ports below 1024 need privileges)",
                    SocketAddr::new(ip, p)
                )))
            }
            Err(e) => return Err(Error::Other(format!("cannot serve on {}: {e}", SocketAddr::new(ip, p)))),
        }
    }
    Err(if explicit || port == 0 {
        in_use(port)
    } else {
        Error::Other(format!(
            "cannot serve on {ip}: ports {port} to {} are all in use; choose one with --port N",
            port.saturating_add(PORT_TRIES)
        ))
    })
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors and the like: back off instead of spinning.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let Some(slot) = shared.slots.admit(&stream) else {
            let mut stream = stream;
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = http::Response::text(503, "too many connections").write_to(&mut stream, false, false);
            continue;
        };
        let shared = shared.clone();
        // The slot is freed however the thread ends (a panic in one connection ends only that one).
        let spawned = std::thread::Builder::new()
            .name("sosik-conn".into())
            .spawn(move || respond::connection(&shared, stream, &slot));
        if spawned.is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Opens `url` in the desktop's browser.
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().map(|_| ())
}
