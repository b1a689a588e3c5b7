//! The preview's copy of the site, in memory: every output file by its path under the output root.
//! HTML gets the live-reload script on the way in (only here: `sosik build` never sees it), and files
//! above a few KB are kept gzip-compressed, which makes a 10,000-article archive fit in a fraction of
//! its 460 MB and lets browsers that accept gzip get the bytes as they are.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, RwLock};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Files smaller than this are stored as they are.
const COMPRESS_ABOVE: usize = 1024;

/// What every served HTML page loads: the live-reload client.
pub const LIVE_SCRIPT_TAG: &str = "<script src=\"/__sosik/live.js\" defer></script>";

/// One stored file.
#[derive(Debug, Clone)]
pub struct Stored {
    pub bytes: Arc<[u8]>,
    /// `bytes` is a gzip stream.
    pub gzip: bool,
}

impl Stored {
    /// Prepares an output file for serving: script injected into HTML, compressed when large.
    pub fn prepare(rel: &str, bytes: Vec<u8>) -> Stored {
        Self::prepare_with(rel, bytes, true)
    }

    /// As [`Stored::prepare`]; `live` = false leaves HTML as built (no live-reload script).
    pub fn prepare_with(rel: &str, bytes: Vec<u8>, live: bool) -> Stored {
        let bytes = if live && rel.ends_with(".html") { inject(&bytes, LIVE_SCRIPT_TAG) } else { bytes };
        if bytes.len() <= COMPRESS_ABOVE {
            return Stored { bytes: bytes.into(), gzip: false };
        }
        let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
        enc.write_all(&bytes).expect("writing to memory");
        Stored { bytes: enc.finish().expect("writing to memory").into(), gzip: true }
    }

    /// The file's own bytes, uncompressed.
    pub fn plain(&self) -> Vec<u8> {
        if !self.gzip {
            return self.bytes.to_vec();
        }
        let mut out = Vec::with_capacity(self.bytes.len() * 6);
        GzDecoder::new(&self.bytes[..]).read_to_end(&mut out).expect("the store only holds its own gzip streams");
        out
    }
}

/// `snippet` placed before the last `</body>` (any case), or appended when there is none.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The served site: files by output-relative path, and the URL path the site lives under.
#[derive(Debug)]
pub struct Store {
    files: RwLock<HashMap<String, Stored>>,
    base_path: RwLock<String>,
}

impl Default for Store {
    fn default() -> Self {
        Store { files: RwLock::default(), base_path: RwLock::new("/".into()) }
    }
}

impl Store {
    /// Applies one rebuild: files written (already [`Stored::prepare`]d) and removed.
    pub fn apply(&self, prepared: Vec<(String, Stored)>, removes: &[String]) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        for rel in removes {
            files.remove(rel);
        }
        files.extend(prepared);
    }

    pub fn get(&self, rel: &str) -> Option<Stored> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).get(rel).cloned()
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.files.read().unwrap_or_else(|e| e.into_inner()).contains_key(rel)
    }

    /// (files, bytes held)
    pub fn size(&self) -> (usize, usize) {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        (files.len(), files.values().map(|s| s.bytes.len()).sum())
    }

    /// Every stored path, sorted (tests compare whole sites).
    pub fn paths(&self) -> Vec<String> {
        let mut v: Vec<String> = self.files.read().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        v.sort();
        v
    }

    pub fn base_path(&self) -> String {
        self.base_path.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_base_path(&self, path: &str) {
        *self.base_path.write().unwrap_or_else(|e| e.into_inner()) = path.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        assert_eq!(inject(b"<p>a</p></BODY></html>", "<s>"), b"<p>a</p><s></BODY></html>");
        assert_eq!(inject(b"<p>no body</p>", "<s>"), b"<p>no body</p><s>");
        assert_eq!(inject(b"x</body>y</body>", "<s>"), b"x</body>y<s></body>");
    }

    #[test]
    fn large_files_round_trip_through_gzip() {
        let big = "가".repeat(2000).into_bytes();
        let s = Stored::prepare("a.txt", big.clone());
        assert!(s.gzip && s.bytes.len() < big.len() / 10);
        assert_eq!(s.plain(), big);
        let small = Stored::prepare("b.txt", b"hi".to_vec());
        assert!(!small.gzip);
        assert_eq!(small.plain(), b"hi");
    }
}
