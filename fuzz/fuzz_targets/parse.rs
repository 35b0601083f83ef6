//! Fuzz `core::parse::parse` with arbitrary bytes, and everything that follows it in the
//! extension: every text is sanitized and flattened as ingest and the popup would, and the
//! bytes are also tried as a date. Properties: no panic, no hang, no runaway memory
//! (libFuzzer's -timeout and -rss_limit_mb enforce the last two), and the promises of the
//! model (ids, summaries, contents and images are never empty).

#![no_main]

use libfuzzer_sys::fuzz_target;
use planet_reader::core::date::parse_date;
use planet_reader::core::parse::{parse, ParseContext};
use planet_reader::core::sanitize::sanitize_html;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the context, so charset and base handling are fuzzed too.
    let (ctx, body) = match data.split_first() {
        Some((b, rest)) if b % 4 == 1 => (
            ParseContext {
                url: Some("https://example.org/feeds/rss.xml"),
                content_type: Some("text/xml; charset=windows-1252"),
                content_location: Some("../other/"),
            },
            rest,
        ),
        Some((b, rest)) if b % 4 == 2 => (
            ParseContext {
                url: Some("http://127.0.0.1/x"),
                content_type: Some("application/xml; charset=utf-16"),
                content_location: None,
            },
            rest,
        ),
        _ => (ParseContext { url: Some("https://example.org/"), ..Default::default() }, data),
    };
    if let Ok(feed) = parse(body, &ctx) {
        for t in [&feed.title, &feed.description].into_iter().flatten() {
            let _ = t.to_safe_html();
            let _ = t.to_plain();
        }
        for e in &feed.entries {
            assert!(!e.id.is_empty(), "an entry id is never empty");
            // An empty summary or content would hide the other (core::parse, "Precedence").
            for t in [&e.summary, &e.content].into_iter().flatten() {
                assert!(!t.value.trim().is_empty(), "an empty summary or content is none");
            }
            assert!(e.image.as_ref().is_none_or(|i| !i.is_empty()), "an image is never empty");
            for t in [&e.title, &e.summary, &e.content].into_iter().flatten() {
                let safe = t.to_safe_html();
                // `<` in text is always escaped, so a `<script` here is an element.
                let lower = safe.to_ascii_lowercase();
                assert!(!lower.contains("<script"), "script survived sanitizing: {safe}");
                let _ = t.to_plain();
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_date(s);
        if s.len() < 4096 {
            let _ = sanitize_html(s, Some("https://example.org/a/"));
        }
    }
});
