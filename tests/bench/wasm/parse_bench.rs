//! `parse-bench`: the extension's feed parser alone, as a wasm module for the benchmark in
//! headless Chromium (`tests/bench/wasm/run.sh`). Built with the release profile, as what
//! ships (opt-level "z", LTO). Each function parses the bytes the page passes in and returns
//! a checksum, so the page can check that the work was done and was the same as the JS
//! side's.

use planet_reader::core::parse::{parse, ParseContext};
use wasm_bindgen::prelude::*;

fn ctx() -> ParseContext<'static> {
    ParseContext { url: Some("https://planetpython.org/rss20.xml"), ..Default::default() }
}

/// Parse into the model (titles, links, ids, dates, authors, summaries, content,
/// enclosures); returns the number of entries, or -1 when there is no feed.
#[wasm_bindgen]
pub fn parse_feed(bytes: &[u8]) -> i32 {
    match parse(bytes, &ctx()) {
        Ok(feed) => feed.entries.len() as i32,
        Err(_) => -1,
    }
}

/// Total length of the entries' titles: a checksum over real field values.
#[wasm_bindgen]
pub fn title_chars(bytes: &[u8]) -> u32 {
    parse(bytes, &ctx()).map_or(0, |f| {
        f.entries
            .iter()
            .filter_map(|e| e.title.as_ref())
            .map(|t| t.value.chars().count() as u32)
            .sum()
    })
}

/// Parse, then sanitize every summary and content as ingest does for new entries.
#[wasm_bindgen]
pub fn parse_and_sanitize(bytes: &[u8]) -> u32 {
    parse(bytes, &ctx()).map_or(0, |f| {
        let mut n = 0;
        for e in &f.entries {
            n += e.summary.as_ref().map_or(0, |t| t.to_safe_html().len());
            n += e.content.as_ref().map_or(0, |t| t.to_safe_html().len());
        }
        n as u32
    })
}

fn main() {}
