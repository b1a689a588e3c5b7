//! Fuzz target: see `sosik::fuzzing::html_links`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sosik::fuzzing::html_links(data));
