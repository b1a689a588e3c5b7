//! Fuzz target: see `sosik::fuzzing::http_request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sosik::fuzzing::http_request(data));
