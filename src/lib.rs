//! sosik: a static site generator for a Korean AI-news archive.
//!
//! The modules follow the pipeline: [`config`] -> [`content`] (+ [`markdown`]) -> [`model`] ->
//! [`render`] (+ [`theme`], [`feeds`]) -> [`output`], orchestrated by [`build`].

pub mod analysis;
pub mod build;
pub mod config;
pub mod content;
pub mod enrich;
pub mod error;
pub mod feeds;
#[doc(hidden)]
pub mod fuzzing;
pub mod incremental;
pub mod init;
pub mod insights;
pub mod linkcheck;
pub mod markdown;
pub mod metadata;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod search;
pub mod serve;
pub mod synonyms;
pub mod text;
pub mod theme;

pub use error::{Diagnostic, Error, Result};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Progress of a long build, read by the binary to draw a progress line on a terminal.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    marks: Mutex<Vec<(&'static str, std::time::Instant)>>,
}

impl Progress {
    pub fn start(&self, stage: &'static str, total: usize) {
        self.marks.lock().unwrap().push((stage, std::time::Instant::now()));
        *self.stage.lock().unwrap() = stage;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    /// Seconds spent in each stage, in order (`sosik build --timings`).
    pub fn timings(&self) -> Vec<(&'static str, f64)> {
        let marks = self.marks.lock().unwrap();
        let end = std::time::Instant::now();
        marks
            .iter()
            .enumerate()
            .map(|(i, (stage, t))| (*stage, marks.get(i + 1).map_or(end, |m| m.1).duration_since(*t).as_secs_f64()))
            .collect()
    }

    /// (stage, done, total)
    pub fn get(&self) -> (&'static str, usize, usize) {
        (*self.stage.lock().unwrap(), self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }
}

/// A short, stable hash of some bytes (FNV-1a, 64 bits) as 16 hex digits: for cache-busting names.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
