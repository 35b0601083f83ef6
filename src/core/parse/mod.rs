//! Sniff, then dispatch: `parse(bytes, context)` is the one entry point for every format.
//!
//! ```
//! use planet_reader::core::parse::{parse, ParseContext};
//! let ctx = ParseContext { url: Some("https://example.org/feed"), ..Default::default() };
//! let feed = parse(b"<rss version='2.0'><channel><title>Ex</title>\
//!     <item><title>One</title><link>/1</link></item></channel></rss>", &ctx).unwrap();
//! assert_eq!(feed.format.name(), "rss20");
//! assert_eq!(feed.entries[0].link.as_deref(), Some("https://example.org/1"));
//! ```
//!
//! Steps:
//!
//! 1. refuse what is not a feed early: empty bodies, binary data (a known image/archive
//!    signature, or NUL bytes in a body that does not start as markup or JSON),
//!    oversized input ([`MAX_INPUT`]);
//! 2. decode to UTF-8 (`charset`: BOM, HTTP charset, XML declaration, in that order), and
//!    drop the characters XML forbids (a stray NUL or form feed in a feed is noise);
//! 3. the first significant character picks JSON (`{`) or XML (`<`); for XML the root
//!    element picks the format module: `rss` → [`rss`], `rdf:RDF` → RSS 1.0/0.90, `feed` →
//!    [`atom`], `channel` → [`cdf`]; `html` is an [`ParseErrorKind::HtmlPage`]. A JSON
//!    document is a JSON Feed by its `version` or by its shape (`json.rs`).
//!
//! Format modules see only [`xml::XmlReader`], never quick-xml itself. Nothing here
//! sanitizes: HTML comes out as [`crate::core::model::Text`] with its base URL, and is
//! sanitized when it is stored (see `core::sanitize`).
//!
//! ## Precedence: which element fills a field
//!
//! A field of [`crate::core::model::Feed`] or [`crate::core::model::Entry`] may be written
//! by several elements: the format's own, the other major format's (Atom inside RSS, written
//! by mixed toolchains, and the reverse), Dublin Core, iTunes, Media RSS. Each field takes
//! the first element in its row below that has a non-empty value, wherever the elements
//! stand in the document, so a feed that writes both gets the same result in either order.
//! The format's own element comes first (it is what the feed's author meant), then the other
//! format's (same meaning, other vocabulary), then the namespaces from the most general
//! (Dublin Core) to the most specific (iTunes for podcasts, Media RSS for media); a repeated
//! element overrides itself (the last one wins, as in feedparser), except links and people
//! (the first). An empty element never hides a fallback. The ranks are
//! `common::rank`; the model's field docs repeat their rows.
//!
//! Entries:
//!
//! | field | RSS item | Atom entry | JSON Feed item |
//! |---|---|---|---|
//! | `source_id` | `guid`, `rdf:about`, `atom:id` | `id`, `guid` | `id` |
//! | `title` | `title`, `atom:title`, `dc:title`, `itunes:title`, `media:title` | `title`, `dc:title`, `itunes:title`, `media:title` | `title` |
//! | `link` | `link` (text, or an `href` without the Atom namespace), `atom:link rel="alternate"`, a permalink `guid` (`http(s)` only) | `link rel="alternate"` (or none, or the IANA IRI): `type="text/html"` first, then untyped, then other types; then `content src` | `url`, `external_url` |
//! | `published` | `pubDate`, `atom:published`, `dcterms:issued`, `dcterms:created` | `published` (0.3 `issued`), 0.3 `created`, `pubDate`, `dcterms:issued`, `dcterms:created` | `date_published` |
//! | `updated` | `atom:updated`, `dc:date`, `dcterms:modified` | `updated` (0.3 `modified`), `dc:date`, `dcterms:modified` | `date_modified` |
//! | `author` | `author`, `atom:author`, `dc:creator`, `itunes:author` | `author`, `source/author`, `dc:creator`, `itunes:author`, the feed's `author` | `authors[0]`, `author` (object or bare name), the feed's |
//! | `summary` | `description`, `atom:summary`, `dc:description`, `itunes:summary`, `itunes:subtitle`, `media:description` | `summary`, `description`, `dc:description`, `itunes:summary`, `itunes:subtitle`, `media:description` | `summary` |
//! | `content` | `content:encoded`, `xhtml:body`, `atom:content`, `body`/`fullitem`, a second summary-like element | `content`, `content:encoded`, `xhtml:body` | `content_html`, `content_text` |
//! | `image` | `itunes:image`, `media:thumbnail`, an image `media:content` | the same | `image`, `banner_image` |
//! | `enclosures` | `enclosure`, `atom:link rel="enclosure"`, `media:content` (one per `media:group`: `isDefault`, else the first) | `link rel="enclosure"` (`href`, else its text), `media:content` | `attachments` |
//! | `categories` | `category`, `atom:category`, `dc:subject` | `category` (`term`, else `label`), `dc:subject` | `tags` |
//!
//! A person without a name (`<author>me@example.com</author>`) takes the name of the next
//! person in the row (`<dc:creator>Me</dc:creator>`). Enclosures and categories are not
//! chosen but collected, each URL or name once.
//!
//! Feeds:
//!
//! | field | RSS channel | Atom feed | JSON Feed |
//! |---|---|---|---|
//! | `title` | `title`, `atom:title`, `dc:title`, `itunes:title`, `media:title` | `title`, `dc:title`, … | `title` |
//! | `link` | `link`, `atom:link rel="alternate"` | `link rel="alternate"` (HTML first) | `home_page_url` |
//! | `description` | `description`, `atom:subtitle`, `dc:description`, `itunes:summary`, `itunes:subtitle`, `media:description` | `subtitle` (0.3 `tagline`), then the same | `description` |
//! | `self_link` | `atom:link rel="self"` (or `<link rel="self">`) | `link rel="self"` | `feed_url` |
//! | `updated` | `lastBuildDate`, `atom:updated`, `dc:date`, `dcterms:modified` | `updated` (0.3 `modified`), `dc:date`, `dcterms:modified` | — |
//! | `published` | `pubDate`, `atom:published`, `dcterms:issued` | 0.3 `issued`, `dcterms:issued` | — |
//! | `image` | `image/url`, `atom:logo`, `atom:icon`, `itunes:image`, `media:thumbnail` | `logo`, `icon`, `itunes:image`, `media:thumbnail` | `icon`, `favicon` |
//! | `language` | `language`, `dc:language` | `xml:lang`, `dc:language` | `language` |
//! | `author` | `managingEditor`/`author`, `atom:author`, `dc:creator`, `itunes:author`, `itunes:owner` | `author`, `dc:creator`, `itunes:author`, `itunes:owner` | `authors[0]`, `author` |
//!
//! Why some rows are as they are: RSS `author` must be an e-mail address and `dc:creator`
//! is the name WordPress writes, hence the merge; `itunes:summary` and `itunes:subtitle`
//! never override a `description` (feedparser#126, #324); `media:description` inside a
//! `media:content` describes the media, not the entry, so it only fills an empty summary
//! (feedparser#53); an Atom entry's authors are its feed's when it names none (RFC 4287
//! 4.2.1), as a JSON Feed item's are (JSON Feed 1.1).
//!
//! ## Limits (bounded memory on hostile input)
//!
//! - input larger than [`MAX_INPUT`] is refused ([`ParseErrorKind::TooLarge`]);
//! - at most [`MAX_ENTRIES`] entries are kept (the rest are skipped, not parsed);
//! - one text value is cut at [`xml::MAX_TEXT`] bytes; at most 64 enclosures and 64
//!   categories per entry; names, e-mail addresses, categories and media types are cut to
//!   `core::caps::NAME` characters, an id longer than `core::identity::MAX_ID_BYTES` is
//!   replaced by its hash, and URLs follow the URL policy of `core::urls`;
//! - no DTD is loaded, no external entity fetched, no entity expanded recursively: a
//!   "billion laughs" document parses in linear time with its entities left undefined;
//! - what the entities of the DOCTYPE's internal subset expand to is budgeted, per value and
//!   per document ([`ParseErrorKind::EntityExpansion`] past either budget);
//!
//! Everything else is linear in the input: the reader is streaming (no DOM) and skipping is
//! iterative, so deep nesting cannot overflow the stack. quick-xml itself stops a document
//! nested deeper than 65 535 elements or with more than 128 namespace declarations in scope;
//! what was read before that point is kept, like any other syntax error (the feed is
//! returned as far as it could be read, as feedparser's "bozo" feeds are).

mod atom;
mod cdf;
mod charset;
pub(crate) use charset::decode_html;
mod common;
mod entities;
mod json;
mod rss;
pub(crate) mod xml;

pub(crate) use entities::html_entity;

use super::caps;
use super::model::{Feed, Person};
use super::urls::{self, UrlUse};
use std::borrow::Cow;
use std::fmt;
use url::Url;

/// Largest document accepted, in bytes.
pub const MAX_INPUT: usize = 32 << 20;
/// Most entries kept from one document.
pub const MAX_ENTRIES: usize = 5_000;

/// What a fetch tells the parser about the document besides its bytes.
#[derive(Clone, Debug, Default)]
pub struct ParseContext<'a> {
    /// The URL the document was fetched from: the base for relative links.
    pub url: Option<&'a str>,
    /// The HTTP `Content-Type` header (its `charset` parameter matters).
    pub content_type: Option<&'a str>,
    /// The HTTP `Content-Location` header, which overrides `url` as the base.
    pub content_location: Option<&'a str>,
}

impl ParseContext<'_> {
    /// The document's base URL: `Content-Location` resolved against the URL, unless it is
    /// unusable or not `http(s)` (the URL policy of `core::urls`); else the URL, if it is
    /// `http(s)`.
    pub fn base(&self) -> Option<Url> {
        let web = |raw: &str, base: Option<&Url>| urls::parse(raw.trim(), base, UrlUse::Web);
        let url = self.url.and_then(|u| web(u, None));
        let location = self.content_location.filter(|l| !l.trim().is_empty());
        location.and_then(|l| web(l, url.as_ref())).or(url)
    }
}

/// Why a document yielded no feed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The body was empty (or only white space).
    Empty,
    /// The body is an HTML page, not a feed.
    HtmlPage,
    /// The body is not text.
    Binary,
    /// XML or JSON that is not any feed format (an unknown root element, say).
    NotAFeed,
    /// Markup too broken to recover anything from.
    Malformed,
    /// The body is larger than [`MAX_INPUT`].
    TooLarge,
    /// Entities declared in the document's DOCTYPE expand past a budget (see
    /// `xml::MAX_ENTITY_VALUE`, `xml::MAX_ENTITY_DOCUMENT`): an "entity amplification" attack,
    /// refused as a whole rather than read in part.
    EntityExpansion,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub detail: String,
}

impl ParseError {
    fn new(kind: ParseErrorKind, detail: impl Into<String>) -> Self {
        ParseError { kind, detail: detail.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ParseErrorKind::Empty => "the response was empty",
            ParseErrorKind::HtmlPage => "this is an HTML page, not a feed",
            ParseErrorKind::Binary => "the response is not text",
            ParseErrorKind::NotAFeed => "this document is not a feed",
            ParseErrorKind::Malformed => "the feed is malformed",
            ParseErrorKind::TooLarge => "the feed is too large",
            ParseErrorKind::EntityExpansion => "the feed declares entities that expand too far",
        };
        if self.detail.is_empty() {
            f.write_str(what)
        } else {
            write!(f, "{what}: {}", self.detail)
        }
    }
}

impl std::error::Error for ParseError {}

/// Parse a feed document of any supported format.
pub fn parse(bytes: &[u8], ctx: &ParseContext<'_>) -> Result<Feed, ParseError> {
    if bytes.len() > MAX_INPUT {
        return Err(ParseError::new(
            ParseErrorKind::TooLarge,
            format!("{} bytes (the limit is {MAX_INPUT})", bytes.len()),
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::new(ParseErrorKind::Empty, ""));
    }
    if is_binary(bytes) {
        return Err(ParseError::new(ParseErrorKind::Binary, ""));
    }
    let (text, _encoding) = charset::decode(bytes, ctx.content_type);
    let text = drop_forbidden_chars(text);
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let base = ctx.base();
    let mut feed = match body.as_bytes().first() {
        Some(b'{') => json::parse_json(body, base.as_ref()),
        Some(b'<') => parse_xml(body, base),
        None => Err(ParseError::new(ParseErrorKind::Empty, "")),
        Some(_) if looks_like_html(body) => Err(ParseError::new(ParseErrorKind::HtmlPage, "")),
        Some(_) => Err(ParseError::new(ParseErrorKind::NotAFeed, "it does not start with markup")),
    }?;
    cap_names(&mut feed);
    Ok(feed)
}

/// Names, addresses, categories and media types cut to [`caps::NAME`] characters (titles
/// are cut where they become plain text, in `Text::to_plain`).
fn cap_names(feed: &mut Feed) {
    let person = |p: &mut Option<Person>| {
        for s in p.iter_mut().flat_map(|p| [&mut p.name, &mut p.email]).flatten() {
            caps::cap_in_place(s, caps::NAME);
        }
    };
    person(&mut feed.author);
    for s in feed.language.iter_mut() {
        caps::cap_in_place(s, caps::NAME);
    }
    for e in &mut feed.entries {
        person(&mut e.author);
        let mimes = e.enclosures.iter_mut().filter_map(|x| x.mime_type.as_mut());
        for s in e.categories.iter_mut().chain(mimes) {
            caps::cap_in_place(s, caps::NAME);
        }
    }
}

fn parse_xml(text: &str, base: Option<Url>) -> Result<Feed, ParseError> {
    let mut r = xml::XmlReader::new(text, base);
    let root = loop {
        match r.next() {
            xml::Ev::Start(e) => break e,
            xml::Ev::End => continue,
            xml::Ev::Eof => {
                let detail = r.error.take().unwrap_or_else(|| "no root element".into());
                let kind = if looks_like_html(text) {
                    ParseErrorKind::HtmlPage
                } else {
                    ParseErrorKind::Malformed
                };
                return Err(ParseError::new(kind, detail));
            }
        }
    };
    let feed = match root.name.as_str() {
        "rss" => rss::parse_rss(&mut r, &root),
        "rdf" => rss::parse_rdf(&mut r, &root),
        "feed" => atom::parse_atom(&mut r, &root),
        "channel" => cdf::parse_cdf(&mut r, &root),
        "html" | "head" | "body" => return Err(ParseError::new(ParseErrorKind::HtmlPage, "")),
        other => {
            return Err(ParseError::new(
                ParseErrorKind::NotAFeed,
                format!("the root element is <{other}>"),
            ))
        }
    };
    if let Some(budget) = r.entity_budget_exceeded() {
        let detail = match budget {
            xml::EntityBudget::Value => {
                format!("past {} in one value", size(xml::MAX_ENTITY_VALUE))
            }
            xml::EntityBudget::Document => {
                format!("past {} in the whole feed", size(xml::MAX_ENTITY_DOCUMENT))
            }
        };
        return Err(ParseError::new(ParseErrorKind::EntityExpansion, detail));
    }
    Ok(feed)
}

/// `1 MB`, `64 KB`: a budget for people (binary units, as the constants are).
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

fn looks_like_html(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    lower.windows(5).any(|w| w == b"<html") || lower.windows(14).any(|w| w == b"<!doctype html")
}

/// The signature of a common binary format, or NUL bytes outside UTF-16 in a body that
/// does not start as markup or JSON, or that is full of control bytes. A stray NUL in a
/// feed is noise, dropped with the other characters XML forbids
/// ([`drop_forbidden_chars`]), not a reason to refuse the whole feed.
fn is_binary(bytes: &[u8]) -> bool {
    const MAGIC: [&[u8]; 7] =
        [b"\x89PNG", b"GIF8", b"\xFF\xD8\xFF", b"%PDF", b"PK\x03\x04", b"\x1F\x8B", b"\x7FELF"];
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let utf16 = matches!(head, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [b'<', 0, ..] | [0, b'<', ..]);
    if utf16 || !head.contains(&0) {
        return false;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let starts_as_text =
        text.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| matches!(b, b'<' | b'{'));
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')).count();
    !starts_as_text || controls * 8 > head.len()
}

/// Characters XML 1.0 does not allow anywhere (U+0000–U+0008, U+000B, U+000C,
/// U+000E–U+001F, U+FFFE, U+FFFF), which JSON does not allow raw in a string either.
fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The text without the characters XML forbids: a feed with a stray NUL or form feed is
/// read without it.
fn drop_forbidden_chars(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains(is_forbidden_char) {
        return text;
    }
    Cow::Owned(text.chars().filter(|&c| !is_forbidden_char(c)).collect())
}

/// Standard base64 (white space ignored), as Atom's `mode="base64"` content uses; the
/// decoded bytes must be UTF-8 (else windows-1252 is assumed).
pub(crate) fn base64_decode(s: &str) -> Option<String> {
    let bytes = base64_bytes(s)?;
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            Some(encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes()).0.into())
        }
    }
}

/// [`base64_decode`] for values that may not be base64 at all: `None` unless the decoded
/// bytes are UTF-8 text (no control characters but white space).
pub(crate) fn base64_decode_utf8(s: &str) -> Option<String> {
    let text = String::from_utf8(base64_bytes(s)?).ok()?;
    let control = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    (!text.is_empty() && !text.contains(control)).then_some(text)
}

fn base64_bytes(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(bytes: &[u8]) -> ParseErrorKind {
        parse(bytes, &ParseContext::default()).unwrap_err().kind
    }

    #[test]
    fn what_is_not_a_feed_says_why() {
        assert_eq!(kind(b""), ParseErrorKind::Empty);
        assert_eq!(kind(b"  \r\n "), ParseErrorKind::Empty);
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0"), ParseErrorKind::Binary);
        assert_eq!(kind(b"abc\0def"), ParseErrorKind::Binary);
        assert_eq!(kind(b"<!DOCTYPE html><html><body>hi</body></html>"), ParseErrorKind::HtmlPage);
        assert_eq!(kind(b"<svg/>"), ParseErrorKind::NotAFeed);
        assert_eq!(kind(b"{\"a\": 1}"), ParseErrorKind::NotAFeed);
        assert_eq!(kind(b"hello"), ParseErrorKind::NotAFeed);
        assert_eq!(
            kind(b"\xef\xbb\xbfjunk\n<html><body>x</body></html>"),
            ParseErrorKind::HtmlPage
        );
    }

    #[test]
    fn content_location_overrides_the_url_unless_unsafe() {
        let ctx = ParseContext {
            url: Some("http://a.test/x/feed"),
            content_location: Some("/y/"),
            ..Default::default()
        };
        assert_eq!(ctx.base().unwrap().as_str(), "http://a.test/y/");
        for evil in ["javascript:alert(1)", "java\tscript://x/%0Aalert(1)//", "data:,x", "file:///"]
        {
            let ctx = ParseContext { content_location: Some(evil), ..ctx.clone() };
            assert_eq!(ctx.base().unwrap().as_str(), "http://a.test/x/feed", "{evil:?}");
        }
        let ctx = ParseContext { url: Some("javascript://x/"), content_location: None, ..ctx };
        assert_eq!(ctx.base(), None);
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            base64_decode("RXhhbXBsZSA8Yj5BdG9tPC9iPg==\n").as_deref(),
            Some("Example <b>Atom</b>")
        );
    }
}
