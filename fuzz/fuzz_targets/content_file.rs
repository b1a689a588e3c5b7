//! Fuzz target: see `sosik::fuzzing::content_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sosik::fuzzing::content_file(data));
