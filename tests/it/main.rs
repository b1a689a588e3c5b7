//! The integration tests, one binary: each module was a test binary of its own, and each of those
//! linked the 80 MB Korean dictionary (29 links per `cargo test`). Run one module with
//! `cargo test --test it cli::` and the ignored benchmarks with `-- --ignored`.

mod harness;
mod search_support;
mod serve_support;

mod analysis;
mod base_url;
mod cli;
mod companies;
mod config_errors;
mod content_errors;
mod drafts;
mod editorial;
mod fuzz_replay;
mod golden;
mod insights;
mod judged;
mod korean_written;
mod lists;
mod markdown;
mod output;
mod page_heights;
mod pages;
mod publish_metadata;
mod publish_output;
mod publish_tools;
mod search_format;
mod search_js;
mod search_korean;
mod search_query;
mod serve_bench;
mod serve_browser;
mod serve_cli;
mod serve_http;
mod serve_incremental;
mod serve_props;
mod serve_reload;
mod theme;
mod validity;
