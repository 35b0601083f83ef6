//! Fuzz `core::parse::parse` with arbitrary bytes, and everything that follows it in the
//! extension: every text is sanitized and flattened as ingest and the popup would, and the
//! bytes are also tried as a date. The oracle checks the promises, not just the absence of
//! a panic: every URL the parser keeps is `http(s)`, every sanitized text keeps the
//! sanitizer's promises (`tests/support/promises.rs`: no script, handler or URL outside the
//! policy in any attribute), output sizes stay in proportion to the input, titles are
//! capped; and the promises of the model (ids, summaries, contents and images are never
//! empty). Time and memory are bounded by libFuzzer's -timeout and -rss_limit_mb.

#![no_main]

#[path = "../../tests/support/promises.rs"]
mod promises;

use libfuzzer_sys::fuzz_target;
use planet_reader::core::caps;
use planet_reader::core::date::parse_date;
use planet_reader::core::html_budget::{GROWTH_PER_BYTE, GROWTH_SLACK};
use planet_reader::core::model::Text;
use planet_reader::core::parse::{parse, ParseContext};
use planet_reader::core::urls::{self, UrlUse};

fn web(url: &str) {
    assert!(urls::parse(url, None, UrlUse::Web).is_some(), "a stored URL is not web: {url:?}");
}

fn safe(t: &Text) {
    let html = t.to_safe_html();
    let problems = promises::broken_promises(&html, false);
    assert!(problems.is_empty(), "{problems:?} in {html:?} from {t:?}");
    let bound = (1 + GROWTH_PER_BYTE) * 6 * t.value.len() + GROWTH_SLACK;
    assert!(html.len() <= bound, "{} bytes out of {}", html.len(), t.value.len());
    assert!(t.to_plain().chars().count() <= caps::TITLE);
}

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
                content_location: Some("java\tscript://x/%0Aalert(1)//"),
            },
            rest,
        ),
        _ => (ParseContext { url: Some("https://example.org/"), ..Default::default() }, data),
    };
    if let Ok(feed) = parse(body, &ctx) {
        for u in [&feed.link, &feed.image, &feed.self_link].into_iter().flatten() {
            web(u);
        }
        for t in [&feed.title, &feed.description].into_iter().flatten() {
            safe(t);
        }
        for e in &feed.entries {
            assert!(!e.id.is_empty(), "an entry id is never empty");
            // An empty summary or content would hide the other (core::parse, "Precedence").
            for t in [&e.summary, &e.content].into_iter().flatten() {
                assert!(!t.value.trim().is_empty(), "an empty summary or content is none");
            }
            assert!(e.image.as_ref().is_none_or(|i| !i.is_empty()), "an image is never empty");
            let urls = e.link.iter().chain(&e.image).chain(e.enclosures.iter().map(|x| &x.url));
            for u in urls {
                web(u);
            }
            for t in [&e.title, &e.summary, &e.content].into_iter().flatten() {
                safe(t);
                // As ingest stores it: resolved against the entry's link.
                if let Some(link) = &e.link {
                    safe(&Text { base: Some(link.clone()), ..t.clone() });
                }
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_date(s);
    }
});
