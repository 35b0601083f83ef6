//! Which character encoding a feed is in, and its text as UTF-8.
//!
//! Precedence, after RFC 3023 as feedparser applies it and the WHATWG rule that a byte
//! order mark is authoritative:
//!
//! 1. a byte order mark (UTF-8, UTF-16 LE/BE);
//! 2. the `charset` parameter of the HTTP `Content-Type` (for `text/xml` too: a server that
//!    says `text/xml; charset=windows-1252` means it, whatever the XML declaration says);
//! 3. the XML declaration's `encoding` (a UTF-16 declaration on bytes that are visibly
//!    8-bit is ignored: the document was transcoded and the declaration not updated);
//! 4. UTF-8 bytes without a BOM that start `<\0?\0` are UTF-16 (LE or BE);
//! 5. UTF-8.
//!
//! Labels are resolved by `encoding_rs` (WHATWG), so `iso-8859-1` decodes as windows-1252,
//! which is what feeds that say Latin-1 but contain curly quotes need. When nothing was
//! declared and the bytes are not valid UTF-8, windows-1252 is used (feedparser's fallback);
//! when UTF-8 was declared, invalid bytes become U+FFFD.
//!
//! RFC 3023's "`text/xml` without charset is US-ASCII" is not applied: real servers send
//! `text/xml` for UTF-8 feeds all the time.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// The document as text, and the encoding it was decoded from.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text, enc);
    }
    let declared = content_type
        .and_then(http_charset)
        .or_else(|| xml_declared(bytes))
        .filter(|enc| !is_utf16(enc) || looks_utf16(bytes).is_some());
    let enc = declared.or_else(|| looks_utf16(bytes));
    match enc {
        Some(enc) if enc != UTF_8 => (enc.decode_without_bom_handling(bytes).0, enc),
        Some(_) => (UTF_8.decode_without_bom_handling(bytes).0, UTF_8),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), UTF_8),
            Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, WINDOWS_1252),
        },
    }
}

/// An HTML page as text: a byte order mark, else the HTTP `charset`, else a `<meta>`
/// charset in the first 1,024 bytes (the HTML standard's prescan, reduced to the two forms
/// pages write: `<meta charset>` and `<meta http-equiv="Content-Type" content="…;
/// charset=…">`), else UTF-8 when the bytes are valid UTF-8, else windows-1252. A UTF-16
/// label in `<meta>` means UTF-8, as the standard says (the page could not have been read
/// that far otherwise).
pub(crate) fn decode_html<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0;
    }
    let declared = content_type
        .and_then(http_charset)
        .or_else(|| meta_declared(bytes).map(|enc| if is_utf16(&enc) { UTF_8 } else { enc }));
    match declared {
        Some(enc) => enc.decode_without_bom_handling(bytes).0,
        None => match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
        },
    }
}

/// The first charset a `<meta>` tag in the first 1,024 bytes declares.
fn meta_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(1024)].to_ascii_lowercase();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut rest = head.as_slice();
    while let Some(at) = find(rest, b"<meta") {
        let tag = &rest[at + 5..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let (tag, after) = tag.split_at(end);
        if let Some(enc) = find(tag, b"charset").and_then(|c| charset_value(&tag[c + 7..])) {
            return Some(enc);
        }
        rest = after;
    }
    None
}

/// The label after `charset`: `= value`, quoted or not, up to a quote, space, `;` or `/`.
fn charset_value(rest: &[u8]) -> Option<&'static Encoding> {
    let rest = rest.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

fn is_utf16(enc: &&'static Encoding) -> bool {
    *enc == UTF_16LE || *enc == UTF_16BE
}

/// `<` `?` as UTF-16 without a BOM.
fn looks_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<', 0, b'?', 0, ..] | [b'<', 0, _, 0, ..] => Some(UTF_16LE),
        [0, b'<', 0, b'?', ..] | [0, b'<', 0, _, ..] => Some(UTF_16BE),
        _ => None,
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub(crate) fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

/// The `encoding` of an XML declaration at the start of `bytes` (an ASCII-compatible
/// encoding is assumed; UTF-16 documents are found by their BOM or first bytes).
fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = &head[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = &decl[at + 8..];
    let rest = &rest[rest.iter().position(|&b| b == b'=')? + 1..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let label = &rest[1..];
    let label = &label[..label.iter().position(|&b| b == quote)?];
    Encoding::for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let mut doc = vec![0xFF, 0xFE];
        for u in "<?xml version='1.0' encoding='iso-8859-1'?><a>é</a>".encode_utf16() {
            doc.extend_from_slice(&u.to_le_bytes());
        }
        let (text, enc) = decode(&doc, Some("text/xml; charset=iso-8859-1"));
        assert_eq!(enc, UTF_16LE);
        assert!(text.ends_with("<a>é</a>"));
    }

    #[test]
    fn http_charset_overrides_the_xml_declaration() {
        let doc = b"<?xml version='1.0' encoding='utf-8'?><a>\x93q\x94</a>";
        let (text, enc) = decode(doc, Some("text/xml; charset=windows-1252"));
        assert_eq!(enc, WINDOWS_1252);
        assert!(text.contains("\u{201c}q\u{201d}"));
    }

    #[test]
    fn xml_declaration_is_used_and_latin1_means_windows_1252() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>don\x92t</a>";
        let (text, _) = decode(doc, None);
        assert!(text.contains("don\u{2019}t"));
    }

    #[test]
    fn undeclared_invalid_utf8_falls_back_to_windows_1252() {
        let (text, enc) = decode(b"<a>caf\xe9</a>", None);
        assert_eq!(enc, WINDOWS_1252);
        assert_eq!(text, "<a>caf\u{e9}</a>");
        // Valid UTF-8 is borrowed, not copied.
        assert!(matches!(decode("<a>café</a>".as_bytes(), None).0, Cow::Borrowed(_)));
    }

    #[test]
    fn html_pages_declare_their_charset_in_a_meta_tag() {
        let latin = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title>";
        assert!(decode_html(latin, None).contains("Caf\u{e9}"));
        let old_style = b"<HEAD><META HTTP-EQUIV='Content-Type' CONTENT='text/html; \
            charset=ISO-8859-15'></HEAD><p>\xa4";
        assert!(decode_html(old_style, None).ends_with("<p>\u{20ac}"), "8859-15 has the euro");
        // The HTTP header wins over the page; a BOM wins over both.
        let utf8 = "<meta charset=windows-1252><p>café".as_bytes();
        assert!(decode_html(utf8, Some("text/html; charset=utf-8")).ends_with("café"));
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(utf8);
        assert!(decode_html(&bom, Some("text/html; charset=windows-1252")).ends_with("café"));
        // Undeclared: UTF-8 when it is, else windows-1252; a UTF-16 label means UTF-8.
        assert!(decode_html(utf8.strip_prefix(b"<meta charset=windows-1252>").unwrap(), None)
            .ends_with("café"));
        assert!(decode_html(b"<p>caf\xe9", None).ends_with("caf\u{e9}"));
        assert!(decode_html("<meta charset=utf-16><p>café".as_bytes(), None).ends_with("café"));
        // Only the first 1,024 bytes are looked at.
        let early = b"<meta charset=iso-8859-5>caf\xe9";
        assert!(decode_html(early, None).ends_with("caf\u{449}"), "Cyrillic, as declared");
        let late = [b"<p>".repeat(400).as_slice(), early].concat();
        assert!(decode_html(&late, None).ends_with("caf\u{e9}"), "the fallback, not the tag");
    }

    #[test]
    fn a_utf16_declaration_on_8bit_bytes_is_ignored() {
        let (text, enc) = decode(b"<?xml version='1.0' encoding='utf-16'?><a>x</a>", None);
        assert_eq!(enc, UTF_8);
        assert!(text.ends_with("<a>x</a>"));
    }
}
