//! The worst cases of hostile input (issue 11), timed natively. Run from the repository root:
//!
//! ```text
//! cargo bench --bench hostile                  # release profile (opt-level "z": what ships)
//! cargo bench --bench hostile -- divs attrs    # only the cases whose name contains a word
//! ```
//!
//! Each case builds its input, runs what the extension runs on it once, and prints the
//! input size, the time and the output size. The tests assert on what comes out
//! (`tests/hostile.rs`); times are only printed here, never asserted.

use planet_reader::core::discovery::{candidates, links_from_html};
use planet_reader::core::opml::read_opml;
use planet_reader::core::parse::{parse, ParseContext};
use planet_reader::core::sanitize::sanitize_html;
use std::hint::black_box;
use std::time::Instant;

const BASE: &str = "https://blog.example/post/";

/// One entry's HTML, sanitized as ingest does.
fn sanitize(html: &str) -> usize {
    sanitize_html(html, Some(BASE)).len()
}

/// A whole feed, parsed, every text sanitized and every title flattened, as a refresh does.
fn refresh(doc: &str) -> usize {
    let ctx = ParseContext { url: Some("https://blog.example/feed.xml"), ..Default::default() };
    match parse(doc.as_bytes(), &ctx) {
        Err(e) => e.to_string().len(),
        Ok(feed) => {
            let mut n = feed.title.as_ref().map_or(0, |t| t.to_plain().len());
            for e in &feed.entries {
                n += e.title.as_ref().map_or(0, |t| t.to_plain().len());
                n += e.summary.as_ref().map_or(0, |t| t.to_safe_html().len());
                n += e.content.as_ref().map_or(0, |t| t.to_safe_html().len());
            }
            n
        }
    }
}

/// An RSS feed of `n` items whose description is `html` (escaped, as feeds write it).
fn feed_of(n: usize, html: &str) -> String {
    let escaped = html.replace('&', "&amp;").replace('<', "&lt;");
    let mut doc = String::from("<rss version=\"2.0\"><channel><title>hostile</title>");
    for i in 0..n {
        doc.push_str(&format!("<item><guid>{i}</guid><description>{escaped}</description></item>"));
    }
    doc.push_str("</channel></rss>");
    doc
}

fn divs(n: usize) -> String {
    "<div>".repeat(n) + "x"
}

/// `n` attributes on one tag.
fn attributes(n: usize) -> String {
    let mut s = String::from("<a");
    for i in 0..n {
        s.push_str(&format!(" a{i}"));
    }
    s + ">x"
}

/// Non-special elements held open, then end tags the tree builder looks for in vain.
fn stray_end_tags(depth: usize, n: usize) -> String {
    "<span>".repeat(depth) + &"</q>".repeat(n)
}

/// Distinct formatting elements left open, then paragraphs that make the tree builder
/// reconstruct all of them again and again.
fn reconstructions(open: usize, n: usize) -> String {
    let mut s = String::from("<p>");
    for i in 0..open {
        s.push_str(&format!("<b title=\"{i}\">"));
    }
    s + "</p>" + &"<p>x</p>".repeat(n)
}

fn tables(n: usize) -> String {
    "<table><td>".repeat(n) + "x"
}

/// Nested OPML folders, with `feeds` feeds at the innermost.
fn opml(depth: usize, feeds: usize) -> String {
    let mut s = String::from("<opml version=\"2.0\"><body>");
    for i in 0..depth {
        s.push_str(&format!("<outline text=\"folder {i}\">"));
    }
    for i in 0..feeds {
        s.push_str(&format!("<outline type=\"rss\" xmlUrl=\"https://f{i}.example/feed\"/>"));
    }
    s.push_str(&"</outline>".repeat(depth));
    s + "</body></opml>"
}

fn page_with_links(n: usize) -> String {
    let mut s = String::from("<html><head>");
    for i in 0..n {
        s.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"https://other.example/{i}.xml\">"
        ));
    }
    s + "</head></html>"
}

fn main() {
    let words: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let big = "A".repeat(1 << 20);
    let mut amplified =
        format!("<!DOCTYPE rss [<!ENTITY a \"{big}\">]><rss version=\"2.0\"><channel>");
    for i in 0..500 {
        amplified.push_str(&format!(
            "<item><guid>{i}</guid><title>&a;</title><description>&a;&a;&a;&a;</description></item>"
        ));
    }
    amplified.push_str("</channel></rss>");

    type Case = (&'static str, Box<dyn Fn() -> String>, fn(&str) -> usize);
    let cases: Vec<Case> = vec![
        (
            "entities: 1 MiB entity x 2,500 references (finding 1)",
            Box::new(move || amplified.clone()),
            refresh,
        ),
        ("divs: 40,000 unclosed <div> (finding 2)", Box::new(|| divs(40_000)), sanitize),
        ("divs: 1.1 MB of unclosed <div>", Box::new(|| divs(220_000)), sanitize),
        (
            "divs: 4 MiB of unclosed <div> (one text at its cap)",
            Box::new(|| divs(838_000)),
            sanitize,
        ),
        ("attrs: 100,000 attributes on one tag", Box::new(|| attributes(100_000)), sanitize),
        ("attrs: 4 MiB of attributes on one tag", Box::new(|| attributes(600_000)), sanitize),
        (
            "stray: 500 <span> open, 250,000 </q>",
            Box::new(|| stray_end_tags(500, 250_000)),
            sanitize,
        ),
        (
            "reconstruct: 500 open <b title>, 100,000 <p>x</p>",
            Box::new(|| reconstructions(500, 100_000)),
            sanitize,
        ),
        (
            "stray: 500 <span> open, 1,000,000 </q> (4 MB)",
            Box::new(|| stray_end_tags(500, 1_000_000)),
            sanitize,
        ),
        (
            "reconstruct: 500 open <b title>, 500,000 <p>x</p> (4 MB)",
            Box::new(|| reconstructions(500, 500_000)),
            sanitize,
        ),
        ("tables: 40,000 nested <table><td>", Box::new(|| tables(40_000)), sanitize),
        (
            "feed: 10 MB, one item of unclosed <div>",
            Box::new(|| feed_of(1, &divs(1_500_000))),
            refresh,
        ),
        (
            "feed: 10 MB, 1,000 items of 1,500 unclosed <div>",
            Box::new(|| feed_of(1_000, &divs(1_500))),
            refresh,
        ),
        (
            "feed: 10 MB, 5,000 items of 300 unclosed <div>",
            Box::new(|| feed_of(5_000, &divs(300))),
            refresh,
        ),
        (
            "feed: 10 MB, 5,000 items of 150 closed <div></div> (for comparison)",
            Box::new(|| feed_of(5_000, &"<div></div>".repeat(150))),
            refresh,
        ),
        (
            "feed: 10 MB, 100 items of 20,000 attributes",
            Box::new(|| feed_of(100, &attributes(20_000))),
            refresh,
        ),
        (
            "opml: 700 nested folders x 2,000 feeds (finding 8)",
            Box::new(|| opml(700, 2_000)),
            |s| {
                read_opml(s.as_bytes())
                    .map(|i| i.feeds.iter().map(|f| f.folder.as_ref().map_or(0, String::len)).sum())
                    .unwrap_or(0)
            },
        ),
        (
            "discovery: a page declaring 2,000 feeds (finding 10)",
            Box::new(|| page_with_links(2_000)),
            |s| candidates(BASE, &links_from_html(s, BASE)).len(),
        ),
    ];
    println!("| case | input | time | output |");
    println!("|---|---|---|---|");
    for (name, make, run) in &cases {
        if !words.is_empty() && !words.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        let input = make();
        let t = Instant::now();
        let out = black_box(run(black_box(&input)));
        let secs = t.elapsed().as_secs_f64();
        println!("| {name} | {:.2} MB | {secs:.3} s | {out} |", input.len() as f64 / 1e6);
    }
}
