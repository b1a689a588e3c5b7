//! Fuzz target: see `sosik::fuzzing::site_toml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sosik::fuzzing::site_toml(data));
