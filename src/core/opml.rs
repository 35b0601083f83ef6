//! OPML: the subscription list every feed reader imports and exports.
//!
//! [`read_opml`] takes the bytes of a file the user picked and returns the feeds in it, with
//! the folder each sits in; [`write_opml`] writes subscriptions back out. A round trip keeps
//! every feed, its title, its site link and its folder.
//!
//! ```
//! use planet_reader::core::opml::{read_opml, write_opml, OpmlFeed};
//!
//! let feeds = vec![OpmlFeed {
//!     xml_url: "https://planetpython.org/rss20.xml".into(),
//!     title: Some("Planet Python".into()),
//!     html_url: Some("https://planetpython.org/".into()),
//!     folder: Some("Python / Community".into()),
//! }];
//! let opml = write_opml(&feeds, "Planet Reader subscriptions", "Mon, 03 Mar 2025 10:00:00 GMT");
//! assert_eq!(read_opml(opml.as_bytes()).unwrap().feeds, feeds);
//! ```
//!
//! # Import: lenient about form, strict about URLs
//!
//! Exports in the wild differ: OPML 1.0, 1.1 and 2.0; `type="rss"` or no `type` at all;
//! names in `text`, in `title` or in both; HTML entities (`&eacute;`, `&nbsp;`) that XML does
//! not define; a byte order mark; a legacy charset declared in the XML declaration;
//! unquoted attributes. All of that is accepted. What is not:
//!
//! - a file that is not OPML at all (not XML, an unclosed element, another root element such
//!   as a feed) is an [`OpmlError`], with the line where reading stopped;
//! - an outline that claims to be a feed but has no `xmlUrl`, or whose `xmlUrl` is not an
//!   absolute `http(s)` URL, is skipped and reported as an [`OpmlProblem`] with its line, so
//!   the user can fix the file; the rest of the file still imports.
//!
//! Outlines without an `xmlUrl` that hold outlines are folders, named by their `text` (else
//! `title`); nested folders become one path joined with [`FOLDER_SEPARATOR`], which is what
//! `Subscription::folder` stores. A feed listed twice (Feedly exports a feed once per
//! category) is kept once, at its first place, and counted in `duplicates`. The `feed:`
//! scheme is unwrapped (`feed://host/x` is `http://host/x`).
//!
//! A `<!DOCTYPE>` is inert: entities it declares are never expanded (no "billion laughs"),
//! and no external DTD is ever fetched, because core does no I/O.
//!
//! # Bounds (a hostile file)
//!
//! A file larger than [`MAX_FILE_BYTES`] is an [`OpmlError`]; past [`MAX_OUTLINES`]
//! outlines the rest is left out, and folders nested deeper than [`MAX_FOLDER_DEPTH`] are
//! merged into the deepest one kept, each said in a problem (at most [`MAX_PROBLEMS`] are
//! listed). Titles are cut to `core::caps::USER_TITLE` characters and folder paths to
//! `core::caps::FOLDER` (a folder's path is made once, when it opens, not once per feed in
//! it: nested folders times feeds once built a gigabyte of folder strings from 773 KB);
//! a URL longer than `core::urls::MAX_URL_BYTES` is refused like any invalid one.

use html5ever::data::NAMED_ENTITIES;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use url::Url;

use super::caps;
use super::identity::normalize_url;
use super::urls::{self, UrlUse};

/// Joins the names of nested folders into one folder path: `Tech / Rust`.
pub const FOLDER_SEPARATOR: &str = " / ";

/// The largest file read, in bytes (a list of 10,000 feeds is about 2 MB).
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// Most outlines read; past it the rest of the file is left out (and said so).
pub const MAX_OUTLINES: usize = 10_000;
/// Most levels of nested folders; deeper folders are merged into the deepest one kept.
pub const MAX_FOLDER_DEPTH: usize = 16;
/// Most problems listed; past it one more says how many were left out.
pub const MAX_PROBLEMS: usize = 100;

/// One feed of an OPML file: what a subscription needs, and what an export writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpmlFeed {
    /// The feed's URL (`xmlUrl`): absolute, `http` or `https`.
    pub xml_url: String,
    /// The name the user knows the feed by (`text`, else `title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The site the feed belongs to (`htmlUrl`), when known and a valid `http(s)` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    /// The folder path (nested folders joined with [`FOLDER_SEPARATOR`]); `None` at the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

/// What an OPML file held.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpmlImport {
    /// The file's `head/title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The feeds, in document order, each URL once.
    pub feeds: Vec<OpmlFeed>,
    /// How many outlines repeated a feed already in `feeds` (same normalized URL).
    pub duplicates: usize,
    /// Outlines that were skipped, and why.
    pub problems: Vec<OpmlProblem>,
}

/// An outline that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpmlProblem {
    /// 1-based line of the `<outline` in the file.
    pub line: usize,
    /// What is wrong, in words for the user.
    pub message: String,
}

impl fmt::Display for OpmlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a file yielded nothing at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpmlErrorKind {
    /// The file is empty, or holds no element.
    Empty,
    /// The file is not OPML: not XML, or another root element.
    NotOpml,
    /// An OPML file too broken to read: unclosed or mismatched tags, bad syntax.
    Malformed,
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge,
}

/// Why [`read_opml`] failed, with the line where it stopped when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpmlError {
    pub kind: OpmlErrorKind,
    /// 1-based line where reading stopped.
    pub line: Option<usize>,
    pub detail: String,
}

impl fmt::Display for OpmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            OpmlErrorKind::Empty => f.write_str("the file is empty")?,
            OpmlErrorKind::NotOpml => f.write_str("this file is not an OPML subscription list")?,
            OpmlErrorKind::Malformed => f.write_str("the OPML file is malformed")?,
            OpmlErrorKind::TooLarge => {
                f.write_str("the file is too large to be a list of feeds")?
            }
        }
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for OpmlError {}

/// Reads an OPML subscription list. See the module documentation for what is accepted.
pub fn read_opml(bytes: &[u8]) -> Result<OpmlImport, OpmlError> {
    if bytes.len() > MAX_FILE_BYTES {
        let detail = format!("{} bytes (the limit is {MAX_FILE_BYTES})", bytes.len());
        return Err(OpmlError { kind: OpmlErrorKind::TooLarge, line: None, detail });
    }
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(OpmlError { kind: OpmlErrorKind::Empty, line: None, detail: String::new() });
    }
    OpmlReader::new(&text).read()
}

/// An open element: its name, the line it opened at, and the folder path it gives the
/// outlines inside it (only an outline that is a folder gives one).
struct Open {
    name: String,
    line: usize,
    folder: Option<Folder>,
}

/// A folder's path (its ancestors' names and its own, joined and capped) and its depth.
#[derive(Clone)]
struct Folder {
    path: String,
    depth: usize,
}

struct OpmlReader<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    open: Vec<Open>,
    /// Lines counted up to `counted` (a byte offset), so counting stays linear.
    counted: usize,
    line: usize,
    seen: HashSet<String>,
    title: Option<String>,
    import: OpmlImport,
    outlines: usize,
    /// Problems not listed past [`MAX_PROBLEMS`].
    unlisted: usize,
    /// A folder deeper than [`MAX_FOLDER_DEPTH`] was merged (said once).
    flattened: bool,
}

impl<'a> OpmlReader<'a> {
    fn new(text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        OpmlReader {
            text,
            reader,
            open: Vec::new(),
            counted: 0,
            line: 1,
            seen: HashSet::new(),
            title: None,
            import: OpmlImport::default(),
            outlines: 0,
            unlisted: 0,
            flattened: false,
        }
    }

    /// Note a problem (the first [`MAX_PROBLEMS`] are listed, the others counted).
    fn problem(&mut self, line: usize, message: String) {
        if self.import.problems.len() < MAX_PROBLEMS {
            self.import.problems.push(OpmlProblem { line, message });
        } else {
            self.unlisted += 1;
        }
    }

    /// Count an outline; false past [`MAX_OUTLINES`], where reading stops.
    fn count_outline(&mut self, line: usize) -> bool {
        self.outlines += 1;
        if self.outlines <= MAX_OUTLINES {
            return true;
        }
        let message =
            format!("the file has more than {MAX_OUTLINES} outlines: the rest is left out");
        self.import.problems.push(OpmlProblem { line, message });
        false
    }

    /// The folder an outline named `name` opens, inside the folders open around it.
    fn folder(&mut self, name: String, line: usize) -> Folder {
        let parent = self.open.iter().rev().find_map(|o| o.folder.clone());
        match parent {
            None => Folder { path: caps::cap(&name, caps::FOLDER).into_owned(), depth: 1 },
            Some(parent) if parent.depth >= MAX_FOLDER_DEPTH => {
                if !self.flattened {
                    self.flattened = true;
                    let message = format!(
                        "folders nested deeper than {MAX_FOLDER_DEPTH} levels are merged into the \
                         {MAX_FOLDER_DEPTH}th"
                    );
                    self.problem(line, message);
                }
                parent
            }
            Some(parent) => {
                let path = format!("{}{FOLDER_SEPARATOR}{name}", parent.path);
                Folder {
                    path: caps::cap(&path, caps::FOLDER).into_owned(),
                    depth: parent.depth + 1,
                }
            }
        }
    }

    fn line_at(&mut self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        if offset < self.counted {
            self.counted = 0;
            self.line = 1;
        }
        let newlines = self.text.as_bytes()[self.counted..offset].iter().filter(|&&b| b == b'\n');
        self.line += newlines.count();
        self.counted = offset;
        self.line
    }

    fn error(&mut self, kind: OpmlErrorKind, offset: u64, detail: String) -> OpmlError {
        OpmlError { kind, line: Some(self.line_at(offset)), detail }
    }

    fn read(mut self) -> Result<OpmlImport, OpmlError> {
        let mut root_seen = false;
        loop {
            // With text untrimmed, the next event starts exactly here: at an outline's `<`.
            let start = self.reader.buffer_position();
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = self.reader.error_position();
                    let detail = match (&e, self.open.last()) {
                        (
                            quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag {
                                found,
                                ..
                            }),
                            Some(open),
                        ) => format!(
                            "<{}> from line {} is not closed before </{found}>",
                            open.name, open.line
                        ),
                        _ => e.to_string(),
                    };
                    return Err(self.error(OpmlErrorKind::Malformed, at, detail));
                }
            };
            match event {
                Event::Start(e) if !root_seen => {
                    let name = self.root(&e, start)?;
                    let line = self.line_at(start);
                    self.open.push(Open { name, line, folder: None });
                    root_seen = true;
                }
                Event::Empty(e) if !root_seen => {
                    // `<opml/>`: an OPML file with nothing in it.
                    self.root(&e, start)?;
                    break;
                }
                Event::Start(e) => {
                    let line = self.line_at(start);
                    let name = local_name(&e);
                    let outline = name.eq_ignore_ascii_case("outline");
                    if outline && !self.count_outline(line) {
                        break;
                    }
                    let folder_name = outline.then(|| self.outline(&e, line, true)).flatten();
                    let folder = folder_name.map(|name| self.folder(name, line));
                    self.open.push(Open { name, line, folder });
                }
                Event::Empty(e) if local_name(&e).eq_ignore_ascii_case("outline") => {
                    let line = self.line_at(start);
                    if !self.count_outline(line) {
                        break;
                    }
                    self.outline(&e, line, false);
                }
                Event::End(_) => {
                    self.open.pop();
                    if root_seen && self.open.is_empty() {
                        break;
                    }
                }
                Event::Text(t) => self.title_text(&t),
                Event::CData(t) => self.title_text(&t),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => decode_entities(&format!("&{};", &*r)).into_owned(),
                    };
                    self.title_text(&resolved);
                }
                Event::Eof => {
                    if let Some(open) = self.open.last() {
                        let detail = format!(
                            "the file ends before <{}> from line {} is closed",
                            open.name, open.line
                        );
                        let end = self.text.len() as u64;
                        return Err(self.error(OpmlErrorKind::Malformed, end, detail));
                    }
                    if !root_seen {
                        let markup = self.text.trim().starts_with('<');
                        let (kind, detail) = if markup {
                            (OpmlErrorKind::Empty, "it holds no element".to_string())
                        } else {
                            (OpmlErrorKind::NotOpml, "it is not XML".to_string())
                        };
                        return Err(OpmlError { kind, line: None, detail });
                    }
                    break;
                }
                // Declarations, comments, processing instructions and the DOCTYPE are inert.
                _ => {}
            }
        }
        let mut import = self.import;
        if self.unlisted > 0 {
            let message = format!("and {} more problems, not listed", self.unlisted);
            let line = import.problems.last().map_or(1, |p| p.line);
            import.problems.push(OpmlProblem { line, message });
        }
        import.title = self
            .title
            .map(|t| caps::cap(t.trim(), caps::USER_TITLE).into_owned())
            .filter(|t| !t.is_empty());
        Ok(import)
    }

    /// The root element's name, if it is `<opml>`.
    fn root(&mut self, e: &BytesStart<'_>, start: u64) -> Result<String, OpmlError> {
        let name = local_name(e);
        if name.eq_ignore_ascii_case("opml") {
            return Ok(name);
        }
        let detail = if ["rss", "feed", "RDF"].contains(&name.as_str()) {
            format!("it is a feed (<{name}>), not a list of feeds: subscribe to its URL instead")
        } else {
            format!("its root element is <{name}>, not <opml>")
        };
        Err(self.error(OpmlErrorKind::NotOpml, start, detail))
    }

    /// Text inside `opml/head/title` is the file's title (what is past the cap is not kept).
    fn title_text(&mut self, text: &str) {
        if let [_, head, title] = self.open.as_slice() {
            if head.name.eq_ignore_ascii_case("head") && title.name.eq_ignore_ascii_case("title") {
                let title = self.title.get_or_insert_with(String::new);
                if title.len() <= 4 * caps::USER_TITLE {
                    title.push_str(text);
                }
            }
        }
    }

    /// Handles one `<outline>`: a feed is added (or a problem noted); a folder returns the
    /// name it gives the outlines inside it.
    fn outline(&mut self, e: &BytesStart<'_>, line: usize, has_children: bool) -> Option<String> {
        let mut attrs = OutlineAttrs::default();
        for attr in e.html_attributes().with_checks(false) {
            let attr = match attr {
                Ok(attr) => attr,
                Err(err) => {
                    let message = format!("the outline has a malformed attribute ({err})");
                    self.problem(line, message);
                    return None;
                }
            };
            // XML attribute-value normalization, then references: a literal line break is a
            // space, an escaped one (`&#10;`) stays.
            let raw = attr.value.replace("\r\n", "\n").replace(['\t', '\n', '\r'], " ");
            let value = decode_entities(&raw).trim().to_string();
            let key = attr.key.local_name();
            let slot = match key.as_ref().to_ascii_lowercase().as_str() {
                "xmlurl" => &mut attrs.xml_url,
                "htmlurl" => &mut attrs.html_url,
                "url" => &mut attrs.url,
                "text" => &mut attrs.text,
                "title" => &mut attrs.title,
                "type" => &mut attrs.kind,
                _ => continue,
            };
            slot.get_or_insert(value);
        }

        let name = attrs.text.clone().filter(|t| !t.is_empty()).or(attrs.title.clone());
        let name = name.filter(|t| !t.is_empty());
        let claims_feed = attrs.kind.as_deref().is_some_and(|k| {
            ["rss", "atom", "feed", "rdf"].iter().any(|f| k.eq_ignore_ascii_case(f))
        });
        // OPML's `url` attribute belongs to `type="link"`; a few exporters put a feed there.
        let xml_url = attrs.xml_url.or(if claims_feed { attrs.url } else { None });
        let quoted = |name: &Option<String>| match name {
            Some(n) => format!("outline \"{}\"", shorten(n)),
            None => "an outline without a name".to_string(),
        };

        let Some(raw_url) = xml_url else {
            if claims_feed {
                let message = format!(
                    "{} is marked type=\"{}\" but has no xmlUrl",
                    quoted(&name),
                    attrs.kind.unwrap_or_default()
                );
                self.problem(line, message);
                return None;
            }
            // A folder (or, self-closed, an empty folder or a note: nothing to import).
            return if has_children { name } else { None };
        };
        let xml_url = match web_url(&raw_url) {
            Ok(url) => url,
            Err(why) => {
                let message = if raw_url.is_empty() {
                    format!("{}: its xmlUrl is empty", quoted(&name))
                } else {
                    format!("{}: its xmlUrl \"{}\" {why}", quoted(&name), shorten(&raw_url))
                };
                self.problem(line, message);
                return None;
            }
        };
        if !self.seen.insert(normalize_url(&xml_url)) {
            self.import.duplicates += 1;
            return None;
        }
        // A name that is only the URL again is no name (`write_opml` writes it for OPML's
        // required `text` when a feed has no title).
        let title = name
            .filter(|n| normalize_url(n) != normalize_url(&xml_url))
            .map(|n| caps::cap(&n, caps::USER_TITLE).into_owned());
        let html_url = attrs.html_url.as_deref().and_then(|u| web_url(u).ok());
        let folder = self.open.iter().rev().find_map(|o| o.folder.as_ref()).map(|f| f.path.clone());
        self.import.feeds.push(OpmlFeed { xml_url, title, html_url, folder });
        None
    }
}

#[derive(Default)]
struct OutlineAttrs {
    xml_url: Option<String>,
    html_url: Option<String>,
    url: Option<String>,
    text: Option<String>,
    title: Option<String>,
    kind: Option<String>,
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// An absolute `http(s)` URL as written (trimmed, `feed:` unwrapped, by the URL policy of
/// `core::urls`), or why it is not one.
fn web_url(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is empty");
    }
    let unwrapped = match raw.get(..5) {
        Some(scheme) if scheme.eq_ignore_ascii_case("feed:") => {
            let rest = &raw[5..];
            if rest.starts_with("//") {
                format!("http:{rest}")
            } else {
                rest.to_string()
            }
        }
        _ => raw.to_string(),
    };
    if unwrapped.len() > urls::MAX_URL_BYTES {
        return Err("is longer than 8 KB");
    }
    match Url::parse(&unwrapped) {
        // As written, unless it holds control characters (then as the parser reads it).
        Ok(url) if urls::scheme_allowed(url.scheme(), UrlUse::Web) && url.host_str().is_some() => {
            urls::resolve(&unwrapped, None, UrlUse::Web).ok_or("is not an http(s) URL")
        }
        Ok(_) => Err("is not an http(s) URL"),
        Err(_) => Err("is not an absolute URL"),
    }
}

/// At most 80 characters of `s`, for messages.
fn shorten(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(80) {
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
        None => Cow::Borrowed(s),
    }
}

/// The file as text: a byte order mark wins, then the XML declaration's `encoding`, then
/// UTF-8 (invalid bytes become U+FFFD rather than failing the import).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    let declared = declared_encoding(bytes).and_then(Encoding::for_label);
    match declared {
        // Bytes that spell `<?xml` are not UTF-16, whatever the declaration says.
        Some(encoding) if encoding != UTF_16LE && encoding != UTF_16BE => {
            encoding.decode_without_bom_handling(bytes).0
        }
        _ => String::from_utf8_lossy(bytes),
    }
}

/// The `encoding` pseudo-attribute of an XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let decl = &head[..head.windows(2).position(|w| w == b"?>")?];
    let at = decl.windows(8).position(|w| w == b"encoding")? + 8;
    let rest = decl[at..].trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first().filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &rest[1..];
    Some(&value[..value.iter().position(|&b| b == quote)?])
}

/// Attribute text with XML's and HTML's references decoded: `&amp;`, `&#233;`, `&#xE9;`,
/// and the HTML names XML does not define (`&eacute;`, `&nbsp;`), which real exports use.
/// An unknown or unterminated reference stays as written; nothing is ever expanded from a
/// DTD.
fn decode_entities(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&end| end > 0 && end <= 32)
            .and_then(|end| Some((reference(&rest[1..end + 2])?, end + 2)));
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text of one reference, `name;` without its `&`.
fn reference(name_semi: &str) -> Option<String> {
    let name = &name_semi[..name_semi.len() - 1];
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0').map(String::from);
    }
    // The table also maps every prefix of a name to (0, 0), for the HTML tokenizer.
    let &(first, second) = NAMED_ENTITIES.get(name_semi).filter(|(first, _)| *first != 0)?;
    let mut s: String = char::from_u32(first)?.into();
    if second != 0 {
        s.push(char::from_u32(second)?);
    }
    Some(s)
}

/// Writes `feeds` as an OPML 2.0 document: folders become nested outlines (in the order
/// they first appear), each feed an `<outline type="rss">` with `text` and `title`, `xmlUrl`
/// and, when known, `htmlUrl`. `date_created` is written as given (core has no clock; the
/// caller formats the date as RFC 822, as OPML 2.0 asks). Characters XML cannot carry are
/// dropped; everything else is escaped, so [`read_opml`] gives the same feeds back.
pub fn write_opml(feeds: &[OpmlFeed], title: &str, date_created: &str) -> String {
    // The folder tree, as an arena: node 0 is the body.
    enum Child {
        Feed(usize),
        Folder(usize),
    }
    struct Node {
        name: String,
        children: Vec<Child>,
    }
    let mut nodes = vec![Node { name: String::new(), children: Vec::new() }];
    for (i, feed) in feeds.iter().enumerate() {
        let mut node = 0;
        for name in folder_names(feed.folder.as_deref()) {
            let existing = nodes[node].children.iter().find_map(|c| match c {
                Child::Folder(f) if nodes[*f].name == name => Some(*f),
                _ => None,
            });
            node = match existing {
                Some(f) => f,
                None => {
                    nodes.push(Node { name: name.to_string(), children: Vec::new() });
                    let f = nodes.len() - 1;
                    nodes[node].children.push(Child::Folder(f));
                    f
                }
            };
        }
        nodes[node].children.push(Child::Feed(i));
    }

    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str("  <head>\n");
    out.push_str(&format!("    <title>{}</title>\n", escape(title, false)));
    if !date_created.trim().is_empty() {
        out.push_str(&format!(
            "    <dateCreated>{}</dateCreated>\n",
            escape(date_created.trim(), false)
        ));
    }
    out.push_str("  </head>\n  <body>\n");
    // Depth-first without recursion: (node, next child) pairs; folder depth is the user's.
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    while let Some((node, next)) = stack.pop() {
        let indent = "  ".repeat(stack.len() + 2);
        let Some(child) = nodes[node].children.get(next) else {
            if node != 0 {
                out.push_str(&format!("{}</outline>\n", "  ".repeat(stack.len() + 1)));
            }
            continue;
        };
        stack.push((node, next + 1));
        match *child {
            Child::Feed(i) => {
                let feed = &feeds[i];
                let name = feed.title.as_deref().filter(|t| !t.trim().is_empty());
                out.push_str(&format!(
                    "{indent}<outline type=\"rss\" text=\"{}\"",
                    escape(name.unwrap_or(&feed.xml_url), true)
                ));
                if let Some(name) = name {
                    out.push_str(&format!(" title=\"{}\"", escape(name, true)));
                }
                out.push_str(&format!(" xmlUrl=\"{}\"", escape(&feed.xml_url, true)));
                if let Some(html) = feed.html_url.as_deref().filter(|h| !h.trim().is_empty()) {
                    out.push_str(&format!(" htmlUrl=\"{}\"", escape(html, true)));
                }
                out.push_str("/>\n");
            }
            Child::Folder(f) => {
                let name = escape(&nodes[f].name, true);
                out.push_str(&format!("{indent}<outline text=\"{name}\" title=\"{name}\">\n"));
                stack.push((f, 0));
            }
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// A folder path's names, trimmed, empty ones dropped: what [`read_opml`] gives back.
fn folder_names(folder: Option<&str>) -> impl Iterator<Item = &str> {
    folder.unwrap_or("").split(FOLDER_SEPARATOR).map(str::trim).filter(|n| !n.is_empty())
}

/// Escapes text for XML content or (with `attribute`) a double-quoted attribute, where line
/// breaks and tabs are written as references so that attribute normalization keeps them.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            // Not allowed in XML 1.0 at all, not even as a reference.
            '\u{0}'..='\u{8}'
            | '\u{b}'
            | '\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{fffe}'
            | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_xml_html_numeric_and_unknown() {
        assert_eq!(decode_entities("AT&amp;T &lt;3 &quot;q&quot; &apos;"), "AT&T <3 \"q\" '");
        assert_eq!(decode_entities("Caf&eacute;&nbsp;&#233;&#xE9;&#XE9;"), "Café\u{a0}ééé");
        assert_eq!(
            decode_entities("&unknown; & alone &; &#0; &#xZZ;"),
            "&unknown; & alone &; &#0; &#xZZ;"
        );
        assert_eq!(decode_entities("no refs"), "no refs");
    }

    #[test]
    fn declared_encodings_are_found() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><opml/>"),
            Some(&b"ISO-8859-1"[..])
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><opml/>"), None);
        assert_eq!(declared_encoding(b"<opml/>"), None);
    }

    #[test]
    fn legacy_charsets_and_boms_decode() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><x>caf\xe9</x>";
        assert!(decode(latin1).contains("café"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<x>é</x>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), "<x>é</x>");
        assert_eq!(decode(b"\xEF\xBB\xBF<x/>"), "<x/>");
        // A UTF-16 declaration on single-byte text is a lie.
        assert_eq!(
            decode(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><x/>"),
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><x/>"
        );
    }

    #[test]
    fn web_urls_unwrap_feed_and_reject_the_rest() {
        assert_eq!(web_url(" https://x.example/f ").unwrap(), "https://x.example/f");
        assert_eq!(web_url("feed://x.example/f").unwrap(), "http://x.example/f");
        assert_eq!(web_url("feed:https://x.example/f").unwrap(), "https://x.example/f");
        assert_eq!(web_url("javascript:alert(1)"), Err("is not an http(s) URL"));
        assert_eq!(web_url("/relative/feed.xml"), Err("is not an absolute URL"));
        assert_eq!(web_url(""), Err("is empty"));
    }

    #[test]
    fn escaping_keeps_what_xml_can_carry() {
        assert_eq!(
            escape("a&b<c>\"d\"\n\t\r\u{1}e", true),
            "a&amp;b&lt;c&gt;&quot;d&quot;&#10;&#9;&#13;e"
        );
        assert_eq!(escape("a\"b\n", false), "a\"b\n");
    }

    #[test]
    fn folder_paths_split_on_the_separator() {
        assert_eq!(folder_names(Some(" Tech /  Rust / ")).collect::<Vec<_>>(), ["Tech", "Rust"]);
        assert_eq!(folder_names(None).count(), 0);
    }

    #[test]
    fn error_messages_read_like_sentences() {
        let e = OpmlError {
            kind: OpmlErrorKind::Malformed,
            line: Some(7),
            detail: "unclosed <outline>".into(),
        };
        assert_eq!(e.to_string(), "the OPML file is malformed at line 7: unclosed <outline>");
        let e = OpmlError { kind: OpmlErrorKind::Empty, line: None, detail: String::new() };
        assert_eq!(e.to_string(), "the file is empty");
    }
}
