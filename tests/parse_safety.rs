//! Hostile and non-feed input: what must never get through, and what must be refused.

use planet_reader::core::parse::{parse, ParseContext, ParseErrorKind};
use std::time::Instant;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ctx() -> ParseContext<'static> {
    ParseContext { url: Some("https://evil.example/feed.xml"), ..Default::default() }
}

#[test]
fn hostile_html_entry_is_neutralized() {
    let feed = parse(&fixture("hostile_entry.xml"), &ctx()).unwrap();
    let e = &feed.entries[0];
    assert_eq!(e.link, None, "a javascript: link is no link");
    let safe = e.summary.as_ref().unwrap().to_safe_html();
    let lower = safe.to_ascii_lowercase();
    for banned in [
        "<script",
        "onclick",
        "onerror",
        "javascript",
        "<iframe",
        "<form",
        "<object",
        "<embed",
        "<meta",
        "<base",
        "<style",
        "<link",
        "<svg",
        "<math",
        "<dialog",
        "position",
        "z-index",
        "url(",
        " id=",
        "class=",
        "name=",
    ] {
        assert!(!lower.contains(banned), "{banned:?} survived: {safe}");
    }
    // What is harmless stays: the text, the inert controls, the image (resolved).
    for kept in [
        "Hi",
        "overlay",
        "clobber",
        "fake dialog",
        r#"src="https://evil.example/x.png""#,
        "<button>Log in</button>",
    ] {
        assert!(safe.contains(kept), "{kept:?} lost: {safe}");
    }
    // The feed title's script is gone from the plain title too.
    assert_eq!(feed.title.as_ref().unwrap().to_plain(), "Hostile feed");
}

#[test]
fn billion_laughs_expands_nothing() {
    let bytes = fixture("billion_laughs.xml");
    let t = Instant::now();
    let feed = parse(&bytes, &ctx()).unwrap();
    assert!(t.elapsed().as_millis() < 1000, "took {:?}", t.elapsed());
    let title = feed.title.as_ref().unwrap();
    // Entities referring to entities are not defined at all, so nothing grows.
    assert!(title.value.len() < 64, "{}", title.value);
    assert_eq!(title.to_plain(), "Laughs &lol9;");
    // And no external entity is ever read.
    let item = feed.entries[0].title.as_ref().unwrap().to_plain();
    assert_eq!(item, "Secret: &xxe;");
    assert!(!item.contains("root:"));
}

#[test]
fn an_html_page_is_not_a_feed() {
    let err = parse(&fixture("html_page.html"), &ctx()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::HtmlPage);
    assert_eq!(err.to_string(), "this is an HTML page, not a feed");
}

#[test]
fn an_empty_body_is_empty() {
    assert_eq!(parse(b"", &ctx()).unwrap_err().kind, ParseErrorKind::Empty);
    assert_eq!(parse(b" \n\t ", &ctx()).unwrap_err().kind, ParseErrorKind::Empty);
}

#[test]
fn binary_data_is_not_text() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert_eq!(parse(png, &ctx()).unwrap_err().kind, ParseErrorKind::Binary);
    let gzip = b"\x1f\x8b\x08\0\0\0\0\0\0\x03<rss/>";
    assert_eq!(parse(gzip, &ctx()).unwrap_err().kind, ParseErrorKind::Binary);
    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    assert_eq!(parse(&noise, &ctx()).unwrap_err().kind, ParseErrorKind::Binary);
}

#[test]
fn xml_that_is_no_feed_says_so() {
    let err = parse(b"<?xml version='1.0'?><kml><Document/></kml>", &ctx()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::NotAFeed);
    assert!(err.to_string().contains("<kml>"), "{err}");
}

#[test]
fn huge_input_is_bounded() {
    // 20 000 items: only MAX_ENTRIES are kept.
    let mut doc = String::from("<rss version='2.0'><channel>");
    for i in 0..20_000 {
        doc.push_str(&format!("<item><guid>{i}</guid></item>"));
    }
    doc.push_str("</channel></rss>");
    let feed = parse(doc.as_bytes(), &ctx()).unwrap();
    assert_eq!(feed.entries.len(), planet_reader::core::parse::MAX_ENTRIES);
    // One enormous field is cut, not copied whole.
    let big = format!(
        "<rss><channel><item><description>{}</description></item></channel></rss>",
        "a".repeat(6 << 20)
    );
    let feed = parse(big.as_bytes(), &ctx()).unwrap();
    assert!(feed.entries[0].summary.as_ref().unwrap().value.len() <= 4 << 20);
    // Deep nesting: skipped iteratively (no stack overflow) up to quick-xml's nesting limit,
    // where reading stops and what was read is kept.
    let deep = format!(
        "<rss><channel><title>ok</title><x>{}{}</x></channel></rss>",
        "<a>".repeat(200_000),
        "</a>".repeat(200_000)
    );
    let feed = parse(deep.as_bytes(), &ctx()).unwrap();
    assert_eq!(feed.title.unwrap().value, "ok");
    let fine = format!(
        "<rss><channel><x>{}{}</x><title>ok</title></channel></rss>",
        "<a>".repeat(1000),
        "</a>".repeat(1000)
    );
    assert_eq!(parse(fine.as_bytes(), &ctx()).unwrap().title.unwrap().value, "ok");
    // Above the input cap: refused outright.
    let over = vec![b' '; planet_reader::core::parse::MAX_INPUT + 1];
    assert_eq!(parse(&over, &ctx()).unwrap_err().kind, ParseErrorKind::TooLarge);
}

#[test]
fn content_location_overrides_the_url_but_never_with_a_script() {
    let doc = b"<rss><channel><link>/home</link></channel></rss>";
    let ctx = ParseContext {
        url: Some("http://a.example/feeds/x.xml"),
        content_location: Some("http://b.example/"),
        ..Default::default()
    };
    assert_eq!(parse(doc, &ctx).unwrap().link.as_deref(), Some("http://b.example/home"));
    let ctx = ParseContext { content_location: Some("javascript:alert(1)"), ..ctx };
    assert_eq!(parse(doc, &ctx).unwrap().link.as_deref(), Some("http://a.example/home"));
}
