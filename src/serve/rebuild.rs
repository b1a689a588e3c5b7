//! The rebuild side of the server: a thread that takes batches of saves, rebuilds incrementally,
//! settles (related articles, search index) when saves stop, and puts each outcome into the store
//! and the live-reload hub.
//!
//! Every step runs under [`guard::catch`]: a panic is shown like a build error and the thread keeps
//! watching. A panic may leave the incremental state half updated, so it is thrown away and the
//! next change rebuilds the whole site (replacing every stored file).

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::ThreadPool;

use super::guard::{self, Panic};
use super::store::Stored;
use super::{watch, Event, Fault, Reporter, Shared, Summary};
use crate::build::BuildOptions;
use crate::error::Diagnostic;
use crate::incremental::{Changes, Delta, Rebuilder, SettleJob, Settled};
use crate::Progress;

/// Quiet time after a rebuild before settling.
const SETTLE_AFTER: Duration = Duration::from_millis(100);

/// What the rebuild thread hears about: saves, and settling jobs that finished (or panicked).
pub(super) enum Msg {
    Paths(Vec<PathBuf>),
    Settled(Result<crate::Result<Settled<Stored>>, Panic>),
}

/// The rebuild thread: [`watch_and_rebuild`], started again should anything outside the guarded
/// rebuild steps panic (sorting the watcher's paths, say), so that saves are never ignored for good.
pub(super) fn rebuild_thread(
    mut builder: Builder,
    mut watcher: Option<watch::Watcher>,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
) {
    while let Err(panic) = guard::catch(|| watch_and_rebuild(&mut builder, &mut watcher, &tx, &rx)) {
        builder.panicked(&panic, "watching for changes", Vec::new());
    }
}

fn watch_and_rebuild(
    builder: &mut Builder,
    watcher: &mut Option<watch::Watcher>,
    tx: &mpsc::Sender<Msg>,
    rx: &mpsc::Receiver<Msg>,
) {
    let mut progress = Progress::default();
    // Settling runs on threads of its own, so that it leaves a core to the rebuild after a save.
    let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("sosik-settle-{i}"))
        .build()
        .ok()
        .map(Arc::new);
    let mut settling = false;
    while !builder.shared.stop.load(Ordering::SeqCst) {
        // Settle once saves stop coming: related articles and the search index take seconds on a
        // large archive and need not hold up the reload.
        let idle = settling || builder.settle_failed || builder.rebuilder.is_settled();
        let msg = match rx.recv_timeout(if idle { Duration::from_millis(200) } else { SETTLE_AFTER }) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                if !idle {
                    if let (Some(job), Some(pool)) = (builder.settle_job(), pool.clone()) {
                        settling = true;
                        let tx = tx.clone();
                        let prepare = builder.prepare();
                        pool.spawn(move || {
                            // Not caught here, a panic would abort the process (rayon's `spawn`).
                            let _ = tx.send(Msg::Settled(guard::catch(|| job.run(&prepare))));
                        });
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut paths = match msg {
            Msg::Settled(result) => {
                settling = false;
                builder.settled(result, &progress);
                continue;
            }
            Msg::Paths(p) => p,
        };
        let arrived = Instant::now();
        while let Ok(more) = rx.try_recv() {
            match more {
                Msg::Paths(p) => paths.extend(p),
                // Its snapshot is older than these saves: drop it, settle again later.
                Msg::Settled(_) => settling = false,
            }
        }
        let Some(w) = watcher.as_mut() else { continue };
        w.refresh();
        let changes = watch::classify(w.root(), &paths, builder.rebuilder.theme());
        if !changes.is_empty() || builder.replace_all {
            if builder.replace_all {
                // A panic may have left the progress marks locked mid-update.
                progress = Progress::default();
            }
            builder.rebuild(changes, arrived, &progress, false);
        }
    }
}

/// The rebuild side: the incremental state and what the last build warned about.
pub(super) struct Builder {
    pub(super) shared: Arc<Shared>,
    pub(super) rebuilder: Rebuilder,
    warnings: Vec<Diagnostic>,
    /// What the last published build left out (drafts, future-dated articles).
    left_out: Option<crate::build::LeftOut>,
    report: Reporter,
    /// To start over after a panic.
    opts: BuildOptions,
    origin: String,
    fault: Option<Fault>,
    /// Rebuilds run on this pool, whose threads the panic hook knows by name.
    pool: Option<Arc<ThreadPool>>,
    /// The incremental state was thrown away (a panic): the next build replaces every stored file.
    replace_all: bool,
    /// Settling failed since the last update: wait for a save instead of failing again and again.
    settle_failed: bool,
}

impl Builder {
    pub(super) fn new(
        shared: Arc<Shared>,
        opts: BuildOptions,
        origin: String,
        fault: Option<Fault>,
        report: Reporter,
    ) -> Builder {
        guard::install_hook();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("sosik-build-{i}"))
            .build()
            .ok()
            .map(Arc::new);
        Builder {
            shared,
            rebuilder: fresh_rebuilder(&opts, &origin),
            warnings: Vec::new(),
            left_out: None,
            report,
            opts,
            origin,
            fault,
            pool,
            replace_all: false,
            settle_failed: false,
        }
    }

    /// What each new output file goes through on its way into the store.
    fn prepare(&self) -> impl Fn(&str, Vec<u8>) -> Stored + Send + Sync + 'static {
        let fault = self.fault.clone();
        move |rel: &str, bytes: Vec<u8>| {
            if let Some(f) = &fault {
                (f.0)(rel, &bytes);
            }
            Stored::prepare(rel, bytes)
        }
    }

    /// Runs `f` on the build pool (on this thread if there is none), catching a panic.
    fn guarded<R: Send>(&mut self, f: impl FnOnce(&mut Rebuilder) -> R + Send) -> Result<R, Panic> {
        let rebuilder = &mut self.rebuilder;
        match &self.pool {
            Some(pool) => guard::catch(|| pool.install(|| f(rebuilder))),
            None => guard::catch(|| f(rebuilder)),
        }
    }

    /// One rebuild: update the store and tell the pages, or show the error and keep the last good site.
    pub(super) fn rebuild(&mut self, changes: Changes, arrived: Instant, progress: &Progress, first: bool) {
        let changed = changes.describe();
        let prepare = self.prepare();
        self.settle_failed = false;
        match self.guarded(|r| r.update(changes, progress, &prepare)) {
            Ok(Ok(delta)) => self.publish(delta, arrived, changed, if first { Kind::First } else { Kind::Update }),
            Ok(Err(e)) => self.fail(e.to_string(), changed),
            Err(panic) => self.panicked(&panic, "rebuilding", changed),
        }
    }

    /// A snapshot to settle, or `None` (nothing to settle, or making it panicked: reported).
    fn settle_job(&mut self) -> Option<SettleJob> {
        match self.guarded(|r| r.settle_job()) {
            Ok(job) => job,
            Err(panic) => {
                self.settle_failed = true;
                self.fail(panic.report("settling (related articles, search index)"), Vec::new());
                None
            }
        }
    }

    /// Takes a finished settling job: related articles and the search index up to date; only the
    /// pages that changed reload.
    fn settled(&mut self, result: Result<crate::Result<Settled<Stored>>, Panic>, progress: &Progress) {
        let started = Instant::now();
        let settled = match result {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return self.settle_error(e.to_string()),
            // The job touched nothing of the rebuilder: its state stays good.
            Err(panic) => return self.settle_error(panic.report("settling (related articles, search index)")),
        };
        let prepare = self.prepare();
        match self.guarded(|r| r.apply_settled(settled, progress, &prepare)) {
            Ok(Ok(Some(delta))) => self.publish(delta, started, Vec::new(), Kind::Settle),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => self.settle_error(e.to_string()),
            Err(panic) => self.panicked(&panic, "settling (related articles, search index)", Vec::new()),
        }
    }

    fn settle_error(&mut self, message: String) {
        self.settle_failed = true;
        self.fail(message, Vec::new());
    }

    /// A panic: reported, and the incremental state, which it may have left half updated, dropped.
    fn panicked(&mut self, panic: &Panic, while_: &str, changed: Vec<PathBuf>) {
        self.rebuilder = fresh_rebuilder(&self.opts, &self.origin);
        self.replace_all = true;
        self.fail(panic.report(while_), changed);
    }

    fn fail(&mut self, message: String, changed: Vec<PathBuf>) {
        self.shared.hub.error(&message);
        (self.report)(Event::Failed { message, changed });
    }

    fn publish(&mut self, mut delta: Delta<Stored>, arrived: Instant, changed: Vec<PathBuf>, kind: Kind) {
        if std::mem::take(&mut self.replace_all) {
            // A whole new site after a panic: what it no longer has goes.
            let written: std::collections::HashSet<&str> = delta.writes.iter().map(|(r, _)| r.as_str()).collect();
            let stale: Vec<String> =
                self.shared.store.paths().into_iter().filter(|p| !written.contains(p.as_str())).collect();
            delta.removes.extend(stale);
        }
        let css_only = delta.css_only();
        let paths = delta.changed_paths();
        let new_warnings = delta.warnings.iter().filter(|w| !self.warnings.contains(w)).cloned().collect();
        let left_out = (kind != Kind::Settle && self.left_out.as_ref() != Some(&delta.left_out)).then(|| {
            self.left_out = Some(delta.left_out.clone());
            delta.left_out.clone()
        });
        let mut summary = Summary {
            first: kind == Kind::First,
            settle: kind == Kind::Settle,
            articles: delta.articles,
            articles_read: delta.articles_read,
            pages_rendered: delta.pages_rendered,
            pages_total: delta.pages_total,
            files_changed: paths.len(),
            new_warnings,
            millis: 0.0,
            changed,
            timings: delta.timings,
            left_out,
        };
        self.shared.store.set_base_path(&delta.base_path);
        self.warnings = delta.warnings;
        let applying = Instant::now();
        self.shared.store.apply(delta.writes, &delta.removes);
        summary.timings.push(("store", applying.elapsed().as_secs_f64() * 1000.0));
        summary.timings.push(("stored MB", self.shared.store.size().1 as f64 / 1e6));
        if paths.is_empty() {
            self.shared.hub.ok();
        } else if kind == Kind::Settle {
            self.shared.hub.refresh(&page_urls(&delta.base_path, &paths));
        } else {
            self.shared.hub.reload(css_only, &paths);
        }
        summary.millis = arrived.elapsed().as_secs_f64() * 1000.0;
        (self.report)(Event::Built(summary));
    }
}

fn fresh_rebuilder(opts: &BuildOptions, origin: &str) -> Rebuilder {
    let mut rebuilder = Rebuilder::new(opts.clone());
    rebuilder.serve_from(origin);
    rebuilder
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    First,
    Update,
    Settle,
}

/// The URL paths of changed output files, as pages know themselves (`location.pathname`): a
/// folder's index.html is the folder; a changed search index makes the search page stale.
fn page_urls(base_path: &str, rels: &[String]) -> Vec<String> {
    let mut urls: Vec<String> = rels
        .iter()
        .map(|rel| {
            let rel = if rel.starts_with("search/") && !rel.ends_with(".html") { "search/index.html" } else { rel };
            let page = rel.strip_suffix("index.html").unwrap_or(rel);
            format!("{base_path}{}", crate::model::encode_path(page))
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}
