//! Character encodings: BOM, XML declaration and HTTP charset, in RFC 3023 order.

use planet_reader::core::parse::{parse, ParseContext};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn windows_1252_declared_in_the_xml_declaration() {
    let bytes = fixture("windows1252_cafe.xml");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture really is 8-bit");
    let feed = parse(&bytes, &ParseContext::default()).unwrap();
    assert_eq!(feed.title.unwrap().value, "Caf\u{e9} \u{201c}quotes\u{201d} \u{2014} \u{20ac}5");
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "Don\u{2019}t panic");
}

#[test]
fn utf16_with_a_bom() {
    let feed = parse(&fixture("utf16le_bom_atom.xml"), &ParseContext::default()).unwrap();
    assert_eq!(
        feed.title.unwrap().value,
        "\u{65e5}\u{672c}\u{8a9e}\u{306e}\u{30d6}\u{30ed}\u{30b0}"
    );
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "\u{c9}t\u{e9} \u{1F40D}");
}

#[test]
fn the_http_charset_wins_over_the_declaration() {
    let doc = b"<?xml version='1.0' encoding='utf-8'?><rss><channel><title>\x93Hi\x94</title></channel></rss>";
    let ctx =
        ParseContext { content_type: Some("text/xml; charset=windows-1252"), ..Default::default() };
    assert_eq!(parse(doc, &ctx).unwrap().title.unwrap().value, "\u{201c}Hi\u{201d}");
}

#[test]
fn a_bom_wins_over_the_http_charset() {
    let mut doc = b"\xEF\xBB\xBF".to_vec();
    doc.extend_from_slice("<rss><channel><title>café</title></channel></rss>".as_bytes());
    let ctx = ParseContext {
        content_type: Some("application/xml; charset=iso-8859-1"),
        ..Default::default()
    };
    assert_eq!(parse(&doc, &ctx).unwrap().title.unwrap().value, "café");
}

#[test]
fn undeclared_html_entities_and_cdata() {
    let doc = b"<rss><channel><title>caf&eacute;&nbsp;&amp;&#8230;</title><item><description><![CDATA[<p>a & b</p>]]></description></item></channel></rss>";
    let feed = parse(doc, &ParseContext::default()).unwrap();
    assert_eq!(feed.title.unwrap().value, "caf\u{e9}\u{a0}&\u{2026}");
    assert_eq!(feed.entries[0].summary.as_ref().unwrap().value, "<p>a & b</p>");
}
