//! Fuzz `core::sanitize::sanitize_html` with arbitrary markup (up to the parser's 4 MiB cap
//! on one value), against three bases, one of them refused. The oracle: the output keeps
//! the sanitizer's promises (`tests/support/promises.rs`), its size stays in proportion to
//! the input (`core::html_budget`'s growth budget), and it nests no deeper than twice
//! `html_budget::MAX_DEPTH`. Time per input is bounded by libFuzzer's -timeout.

#![no_main]

#[path = "../../tests/support/promises.rs"]
mod promises;

use libfuzzer_sys::fuzz_target;
use planet_reader::core::html_budget::{GROWTH_PER_BYTE, GROWTH_SLACK, MAX_DEPTH};
use planet_reader::core::sanitize::sanitize_html;

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else { return };
    let html = String::from_utf8_lossy(rest);
    let base = match pick % 3 {
        0 => Some("https://blog.example/post/"),
        1 => Some("javascript://%0Aalert(document.domain)//"),
        _ => None,
    };
    let out = sanitize_html(&html, base);
    let problems = promises::broken_promises(&out, base != Some("https://blog.example/post/"));
    assert!(problems.is_empty(), "{problems:?} in {out:?} from {html:?}");
    // References and resolution can lengthen what is kept (`&` becomes `&amp;`, a relative
    // URL an absolute one): six times the input, and the growth budget.
    let bound = (1 + GROWTH_PER_BYTE) * 6 * html.len() + GROWTH_SLACK + 64;
    assert!(out.len() <= bound, "{} bytes out of {}", out.len(), html.len());
    let depth = promises::nesting_depth(&out);
    assert!(depth <= 2 * MAX_DEPTH + 2, "{depth} deep");
});
