//! Replays every seed of `fuzz/corpus/<target>/` and every crash kept in `fuzz/regressions/<target>/`
//! through the fuzz harnesses (`sosik::fuzzing`), so what fuzzing found stays found without a fuzzer.
//!
//! A regression file named `open-…` is a crash not fixed yet: the main test leaves it out and the
//! ignored test `open_fuzz_findings_still_fail` names each one (`cargo test --test it fuzz_replay --
//! --ignored`). Fixing it means dropping the prefix, which puts it in the main replay.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use sosik::fuzzing::{Harness, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// (target, file) for every input of the target folders under `fuzz/<kind>/`.
fn inputs(kind: &str) -> Vec<(&'static str, Harness, PathBuf)> {
    let mut out = Vec::new();
    for &(name, harness) in TARGETS {
        let Ok(dir) = std::fs::read_dir(fuzz_dir().join(kind).join(name)) else { continue };
        let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (name, harness, f)));
    }
    out
}

fn is_open(file: &Path) -> bool {
    file.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("open-"))
}

/// Runs each input, returning "target/file: panic message" for those that panic.
fn panics(inputs: &[(&'static str, Harness, PathBuf)]) -> Vec<String> {
    let mut failed = Vec::new();
    for (name, harness, file) in inputs {
        let bytes = std::fs::read(file).unwrap();
        if let Err(e) = panic::catch_unwind(AssertUnwindSafe(|| harness(&bytes))) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{name}/{}: {msg}", file.file_name().unwrap().to_string_lossy()));
        }
    }
    failed
}

#[test]
fn fuzz_corpus_and_fixed_regressions_replay_without_panic() {
    let mut all = inputs("corpus");
    assert!(all.len() >= TARGETS.len(), "no seed corpus under {}: run fuzz/seed.sh", fuzz_dir().display());
    for &(name, _) in TARGETS {
        assert!(all.iter().any(|(n, _, _)| *n == name), "no seeds for the fuzz target {name}");
    }
    all.extend(inputs("regressions").into_iter().filter(|(_, _, f)| !is_open(f)));
    let failed = panics(&all);
    assert!(failed.is_empty(), "{} of {} fuzz inputs panic:\n{}", failed.len(), all.len(), failed.join("\n"));
}

#[test]
#[ignore = "crashes found by fuzzing and not fixed yet (fuzz/regressions/*/open-*)"]
fn open_fuzz_findings_still_fail() {
    let open: Vec<_> = inputs("regressions").into_iter().filter(|(_, _, f)| is_open(f)).collect();
    let failed = panics(&open);
    assert!(failed.is_empty(), "open fuzz findings that still panic:\n{}", failed.join("\n"));
}
