//! Fuzz feed discovery with arbitrary pages: `links_from_html` and `candidates` on bytes
//! read as HTML, and the injected script's answer as JSON (what `lenient_links` reads).
//! The oracle: every candidate is an `http(s)` URL no longer than the URL policy allows, at
//! most `MAX_CANDIDATES` of them, their titles capped; a page's answer never fails to
//! read because of one link.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planet_reader::core::caps;
use planet_reader::core::discovery::{candidates, links_from_html, MAX_CANDIDATES, MAX_LINKS};
use planet_reader::core::urls::{self, UrlUse};
use planet_reader::ports::TabPage;

const PAGE: &str = "https://blog.example/posts/1";

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let links = links_from_html(&html, PAGE);
    assert!(links.len() <= MAX_LINKS);
    let found = candidates(PAGE, &links);
    assert!(found.len() <= MAX_CANDIDATES);
    for c in &found {
        assert!(urls::parse(&c.url, None, UrlUse::Web).is_some(), "{:?}", c.url);
        assert!(c.title.as_ref().is_none_or(|t| t.chars().count() <= caps::NAME));
    }
    // The same bytes as the links of a tab's answer: whatever they hold, the page reads.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let page = serde_json::json!({ "url": PAGE, "links": value });
        let page: TabPage = serde_json::from_value(page).expect("a page with any links reads");
        assert!(page.links.len() <= MAX_LINKS);
    }
});
