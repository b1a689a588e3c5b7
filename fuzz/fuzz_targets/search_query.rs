//! Fuzz target: see `sosik::fuzzing::search_query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sosik::fuzzing::search_query(data));
