//! The one place that sees quick-xml: a pull reader over a decoded document that gives the
//! format modules elements (namespace resolved to [`Ns`], local name lower-cased), skips what
//! they do not ask for, and captures an element's content as text or as serialized markup.
//!
//! What it does for safety and leniency:
//! - No DTD is ever loaded and no entity is expanded recursively: of a DOCTYPE's internal
//!   subset only entities whose value is plain text or one character reference are kept
//!   (feedparser's rule), so "billion laughs" and external entities resolve to nothing.
//! - What the kept entities expand to is budgeted: [`MAX_ENTITY_VALUE`] bytes in one value
//!   (a text or an attribute), [`MAX_ENTITY_DOCUMENT`] in the whole document. Past either,
//!   reading stops and the parse fails with
//!   [`ParseErrorKind::EntityExpansion`](super::ParseErrorKind::EntityExpansion): one
//!   large entity referenced many times, or many references to a small one, cost at most
//!   the budget, never memory or time in proportion to the references.
//! - References XML does not declare but real feeds use (`&nbsp;`, `&eacute;`) are decoded
//!   from the HTML 4 table; an unknown one is kept as the literal text `&name;`.
//! - A stray `&` is text; end tags need not match their start tags; the first
//!   unrecoverable syntax error ends the document (what was read so far is kept).
//! - `xml:base` is tracked on a stack, so every element knows the base URL in force.

use super::entities::html_entity;
use crate::core::urls::{self, UrlUse};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::borrow::Cow;
use std::cell::Cell;
use url::Url;

/// The namespaces the format modules care about. Anything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    /// No namespace (plain RSS 0.9x/2.0, CDF).
    None,
    Atom10,
    Atom03,
    Rss10,
    Rss090,
    /// RSS 2.0 put in a namespace by some (Userland's `backend.userland.com/rss2`).
    Rss20,
    Dc,
    Dcterms,
    Content,
    Itunes,
    Media,
    Xhtml,
    Sy,
    Rdf,
    Other,
}

fn ns_from_uri(uri: &[u8]) -> Ns {
    // Compared without case and without a trailing slash: feeds vary both.
    let uri = uri.strip_suffix(b"/").unwrap_or(uri);
    let known: &[(&[u8], Ns)] = &[
        (b"http://www.w3.org/2005/Atom", Ns::Atom10),
        (b"http://purl.org/atom/ns#", Ns::Atom03),
        (b"http://purl.org/rss/1.0", Ns::Rss10),
        (b"http://my.netscape.com/rdf/simple/0.9", Ns::Rss090),
        (b"http://backend.userland.com/rss2", Ns::Rss20),
        (b"http://backend.userland.com/rss", Ns::Rss20),
        (b"http://blogs.law.harvard.edu/tech/rss", Ns::Rss20),
        (b"http://purl.org/dc/elements/1.1", Ns::Dc),
        (b"http://purl.org/dc/terms", Ns::Dcterms),
        (b"http://purl.org/rss/1.0/modules/content", Ns::Content),
        (b"http://www.itunes.com/dtds/podcast-1.0.dtd", Ns::Itunes),
        (b"http://search.yahoo.com/mrss", Ns::Media),
        (b"http://www.w3.org/1999/xhtml", Ns::Xhtml),
        (b"http://purl.org/rss/1.0/modules/syndication", Ns::Sy),
        (b"http://www.w3.org/1999/02/22-rdf-syntax-ns#", Ns::Rdf),
    ];
    if let Some((_, ns)) = known.iter().find(|(k, _)| k.eq_ignore_ascii_case(uri)) {
        return *ns;
    }
    // Userland numbered its RSS namespace (`.../rss2.1`).
    if uri.starts_with(b"http://backend.userland.com/rss") {
        return Ns::Rss20;
    }
    Ns::Other
}

/// Feeds often use the usual prefixes without declaring them.
fn ns_from_prefix(prefix: &[u8]) -> Ns {
    match prefix {
        b"dc" => Ns::Dc,
        b"dcterms" => Ns::Dcterms,
        b"content" => Ns::Content,
        b"itunes" => Ns::Itunes,
        b"media" => Ns::Media,
        b"atom" | b"atom10" => Ns::Atom10,
        b"sy" => Ns::Sy,
        b"rdf" => Ns::Rdf,
        b"xhtml" => Ns::Xhtml,
        _ => Ns::Other,
    }
}

/// A start tag: its namespace, its local name lower-cased, and its attributes (read on
/// demand through [`XmlReader::attr`]).
pub(crate) struct Elem<'a> {
    pub ns: Ns,
    pub name: Name,
    start: BytesStart<'a>,
}

impl Elem<'_> {
    pub fn is(&self, name: &str) -> bool {
        self.name.as_str() == name
    }
}

/// A local name, lower-cased, kept inline (no allocation per element). Names longer than
/// the buffer are cut, which cannot make them equal to any name the parser looks for.
#[derive(Clone, Copy)]
pub(crate) struct Name {
    buf: [u8; 32],
    len: u8,
}

impl Name {
    fn new(raw: &[u8]) -> Name {
        let mut buf = [0u8; 32];
        let mut len = raw.len().min(32);
        // Never cut inside a UTF-8 sequence.
        while len > 0 && len < raw.len() && (raw[len] & 0xC0) == 0x80 {
            len -= 1;
        }
        for (d, s) in buf.iter_mut().zip(&raw[..len]) {
            *d = s.to_ascii_lowercase();
        }
        Name { buf, len: len as u8 }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(crate) enum Ev<'a> {
    Start(Elem<'a>),
    End,
    Eof,
}

/// An element's content as [`XmlReader::text`] captured it.
pub(crate) struct Captured {
    /// The text with references decoded, or, when `markup` is set, the content serialized
    /// as markup (text escaped, child elements written out).
    pub value: String,
    /// Whether the element had child elements (naked or inline XHTML markup).
    pub markup: bool,
}

/// Upper bound on one captured value (bytes): longer content is cut (at a character
/// boundary). A feed entry's content is a few kB; a 4 MiB one is an attack or an error.
pub(crate) const MAX_TEXT: usize = 4 << 20;

/// Entities kept from a DOCTYPE's internal subset, and how many at most.
const MAX_DTD_ENTITIES: usize = 64;

/// Most bytes DOCTYPE-declared entities may expand to in one value. Real feeds declare an
/// entity for a name or a copyright line.
pub(crate) const MAX_ENTITY_VALUE: usize = 64 << 10;
/// Most bytes DOCTYPE-declared entities may expand to in one document.
pub(crate) const MAX_ENTITY_DOCUMENT: usize = 1 << 20;

/// Bytes expanded from DOCTYPE-declared entities, against the budgets above.
#[derive(Clone, Copy, Default)]
struct Expanded {
    document: usize,
    value: usize,
    /// Which budget was exceeded, once one was: reading stops there.
    exceeded: Option<EntityBudget>,
}

/// The entity-expansion budget a document exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntityBudget {
    Value,
    Document,
}

pub(crate) struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    /// The whole document (the reader's remaining input is a suffix of it).
    src: &'a str,
    depth: u32,
    /// `(depth of the element that set it, base)`; the first is the document's.
    bases: Vec<(u32, Option<Url>)>,
    entities: Vec<(String, String)>,
    /// The start tag last returned was an empty element: its end is still to be reported.
    pending_end: bool,
    done: bool,
    /// Namespace URIs already resolved, and what they are (a document uses a handful).
    seen_ns: Vec<(Vec<u8>, Ns)>,
    /// Entity expansion so far (see [`MAX_ENTITY_DOCUMENT`]); a cell because attributes
    /// are read through `&self`.
    expanded: Cell<Expanded>,
    /// A DOCTYPE mentioned Netscape (RSS 0.91 Netscape).
    pub netscape: bool,
    /// Why reading stopped early, if it did.
    pub error: Option<String>,
}

impl<'a> XmlReader<'a> {
    pub fn new(text: &'a str, base: Option<Url>) -> Self {
        let mut inner = NsReader::from_str(text);
        let cfg = inner.config_mut();
        cfg.allow_dangling_amp = true;
        cfg.allow_unmatched_ends = true;
        cfg.check_end_names = false;
        cfg.check_comments = false;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        XmlReader {
            inner,
            src: text,
            depth: 0,
            bases: vec![(0, base)],
            entities: Vec::new(),
            pending_end: false,
            done: false,
            seen_ns: Vec::new(),
            expanded: Cell::new(Expanded::default()),
            netscape: false,
            error: None,
        }
    }

    /// The entity-expansion budget the document exceeded, if it did (reading stopped).
    pub fn entity_budget_exceeded(&self) -> Option<EntityBudget> {
        self.expanded.get().exceeded
    }

    /// Start counting entity expansion for a new value.
    fn new_value(&self) {
        let mut e = self.expanded.get();
        e.value = 0;
        self.expanded.set(e);
    }

    /// Count `n` bytes of entity text; false (and reading stops) past a budget.
    fn spend(&self, n: usize) -> bool {
        let mut e = self.expanded.get();
        if e.exceeded.is_none() {
            e.value += n;
            e.document += n;
            if e.value > MAX_ENTITY_VALUE {
                e.exceeded = Some(EntityBudget::Value);
            } else if e.document > MAX_ENTITY_DOCUMENT {
                e.exceeded = Some(EntityBudget::Document);
            }
            self.expanded.set(e);
        }
        e.exceeded.is_none()
    }

    /// The base URL in force at the current element.
    pub fn base(&self) -> Option<&Url> {
        self.bases.last().and_then(|(_, b)| b.as_ref())
    }

    /// The base as a string, for a [`crate::core::model::Text`].
    pub fn base_string(&self) -> Option<String> {
        self.base().map(|u| u.as_str().to_string())
    }

    /// The next start tag or end tag, skipping text, comments and the like.
    pub fn next(&mut self) -> Ev<'a> {
        if self.pending_end {
            self.close();
            return Ev::End;
        }
        loop {
            match self.raw() {
                Raw::Start(e, empty) => {
                    let elem = self.open(e);
                    self.pending_end = empty;
                    return Ev::Start(elem);
                }
                Raw::End => {
                    self.close();
                    return Ev::End;
                }
                Raw::Eof => return Ev::Eof,
                Raw::Text(_) | Raw::Ref(_) => {}
            }
        }
    }

    /// The next child element of the current one; `None` at its end (or the document's).
    pub fn child(&mut self) -> Option<Elem<'a>> {
        match self.next() {
            Ev::Start(e) => Some(e),
            Ev::End | Ev::Eof => None,
        }
    }

    /// [`XmlReader::child`], keeping the text that stands between the children in `text`
    /// (references decoded, at most a few hundred bytes): for an element that real feeds
    /// write either with children or as bare text, like an Atom person (`<author>Jane</author>`).
    pub fn child_keeping_text(&mut self, text: &mut String) -> Option<Elem<'a>> {
        if self.pending_end {
            self.close();
            return None;
        }
        loop {
            match self.raw() {
                Raw::Start(e, empty) => {
                    let elem = self.open(e);
                    self.pending_end = empty;
                    return Some(elem);
                }
                Raw::End => {
                    self.close();
                    return None;
                }
                Raw::Eof => return None,
                _ if text.len() > 512 => {}
                Raw::Text(t) => text.push_str(&t),
                Raw::Ref(r) => match self.resolve_ref(&r) {
                    Resolved::Char(c) => text.push(c),
                    Resolved::Str(s) => text.push_str(&s),
                    Resolved::Unknown => text.push_str(&format!("&{r};")),
                },
            }
        }
    }

    /// Skip the rest of the element whose start tag was returned last.
    pub fn skip(&mut self) {
        if self.pending_end {
            self.close();
            return;
        }
        if self.fast_skip() {
            if let Raw::End = self.raw() {
                self.close();
            }
            return;
        }
        let mut level = 0u32;
        loop {
            match self.raw() {
                Raw::Start(_, true) => {}
                Raw::Start(_, false) => level += 1,
                Raw::End if level == 0 => {
                    self.close();
                    return;
                }
                Raw::End => level -= 1,
                Raw::Eof => return,
                Raw::Text(_) | Raw::Ref(_) => {}
            }
        }
    }

    /// The value of attribute `name` (matched on its local name, without case), with
    /// references decoded.
    pub fn attr(&self, e: &Elem<'_>, name: &str) -> Option<String> {
        self.new_value();
        for a in e.start.attributes().with_checks(false).flatten() {
            let key = a.key.local_name().into_inner();
            if key.eq_ignore_ascii_case(name) && !is_xmlns(a.key.as_ref()) {
                return Some(self.unescape(&a.value).into_owned());
            }
        }
        None
    }

    /// Capture the content of the element whose start tag was returned last, up to and
    /// including its end tag.
    pub fn text(&mut self) -> Captured {
        self.new_value();
        let mut out = Captured { value: String::new(), markup: false };
        if self.pending_end {
            self.close();
            return out;
        }
        if self.fast_content(&mut out.value) {
            // The reader now stands at the end tag.
            if let Raw::End = self.raw() {
                self.close();
            }
            return finish(out);
        }
        let mut open: Vec<Cow<'a, str>> = Vec::new();
        loop {
            match self.raw() {
                Raw::Text(t) => push_text(&mut out, &t),
                Raw::Ref(r) => {
                    let mut tmp = [0u8; 4];
                    match self.resolve_ref(&r) {
                        Resolved::Char(c) => push_text(&mut out, c.encode_utf8(&mut tmp)),
                        Resolved::Str(s) => push_text(&mut out, &s),
                        Resolved::Unknown => {
                            // Kept as it was written; in markup the `&` must stay escaped.
                            // quick-xml hands over everything up to the `;`, line ends
                            // included, which XML reads as `\n` like any other text.
                            let lit = format!("&{r};").replace("\r\n", "\n").replace('\r', "\n");
                            push_text(&mut out, &lit);
                        }
                    }
                }
                Raw::Start(e, empty) => {
                    if !out.markup {
                        out.value = escape(&out.value, false).into_owned();
                        out.markup = true;
                    }
                    let name: Cow<'a, str> = Cow::Owned(e.local_name().into_inner().to_string());
                    if out.value.len() < MAX_TEXT {
                        self.write_start(&mut out.value, &e, &name, empty);
                    }
                    if !empty {
                        open.push(name);
                    }
                }
                Raw::End => match open.pop() {
                    Some(name) => {
                        if out.value.len() < MAX_TEXT {
                            out.value.push_str("</");
                            out.value.push_str(&name);
                            out.value.push('>');
                        }
                    }
                    None => {
                        self.close();
                        break;
                    }
                },
                Raw::Eof => break,
            }
        }
        finish(out)
    }

    /// The input quick-xml has not read yet.
    fn rest(&mut self) -> &'a str {
        let remaining: &'a [u8] = self.inner.get_mut();
        &self.src[self.src.len() - remaining.len()..]
    }

    /// Move quick-xml `n` bytes ahead. Only used to jump over text quick-xml would have
    /// read as text events, to a `<` it will read next; its state (inside text) stays valid.
    fn advance(&mut self, n: usize) {
        let remaining = self.inner.get_mut();
        *remaining = &remaining[n..];
    }

    /// The fast path for the common case: an element whose content, up to the next end
    /// tag, is only text, references and CDATA sections. It is decoded here in one pass
    /// (quick-xml would make an event of every reference) and the reader is moved to the end
    /// tag. False, with nothing consumed and `out` unchanged, when there is markup inside.
    fn fast_content(&mut self, out: &mut String) -> bool {
        let rest = self.rest();
        let b = rest.as_bytes();
        let start_len = out.len();
        // Decoding only shrinks text: the bytes up to the next tag are room enough for it.
        if let Some(lt) = memchr::memchr(b'<', b) {
            out.reserve(lt.min(MAX_TEXT));
        }
        let mut i = 0;
        loop {
            let Some(j) = memchr::memchr3(b'<', b'&', b'\r', &b[i..]) else {
                out.truncate(start_len);
                return false;
            };
            push_capped(out, &rest[i..i + j]);
            i += j;
            match b[i] {
                b'\r' => {
                    out.push('\n');
                    i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                b'&' => i += self.push_ref(out, &rest[i..]),
                _ if b[i..].starts_with(b"</") => {
                    self.advance(i);
                    return true;
                }
                _ if b[i..].starts_with(b"<![CDATA[") => {
                    let body = &rest[i + 9..];
                    let Some(end) = memchr::memmem::find(body.as_bytes(), b"]]>") else {
                        out.truncate(start_len);
                        return false;
                    };
                    let cdata = &body[..end];
                    if cdata.contains('\r') {
                        push_capped(out, &cdata.replace("\r\n", "\n").replace('\r', "\n"));
                    } else {
                        push_capped(out, cdata);
                    }
                    i += 9 + end + 3;
                }
                _ => {
                    out.truncate(start_len);
                    return false;
                }
            }
        }
    }

    /// Decode the reference at the start of `s` (which starts with `&`) into `out`; the
    /// number of bytes used. A `&` that starts no reference is text.
    fn push_ref(&self, out: &mut String, s: &str) -> usize {
        let b = s.as_bytes();
        let n = b[1..]
            .iter()
            .take(40)
            .take_while(|c| {
                c.is_ascii_alphanumeric()
                    || **c == b'#'
                    || **c == b'_'
                    || **c == b'-'
                    || **c == b'.'
            })
            .count();
        if n == 0 || b.get(1 + n) != Some(&b';') {
            out.push('&');
            return 1;
        }
        let name = &s[1..1 + n];
        match self.resolve_ref(name) {
            Resolved::Char(c) => out.push(c),
            Resolved::Str(v) => push_capped(out, &v),
            Resolved::Unknown => out.push_str(&s[..n + 2]),
        }
        n + 2
    }

    /// Skip the content of the current element without decoding it, when it is only
    /// text (no markup): returns false, consuming nothing, otherwise.
    fn fast_skip(&mut self) -> bool {
        let rest = self.rest();
        let b = rest.as_bytes();
        match memchr::memchr(b'<', b) {
            Some(j) if b[j..].starts_with(b"</") => {
                self.advance(j);
                true
            }
            _ => false,
        }
    }

    /// The raw attribute text of a start tag (namespace declarations included).
    pub fn raw_attrs<'e>(&self, e: &'e Elem<'_>) -> &'e str {
        e.start.attributes_raw()
    }

    fn write_start(&self, out: &mut String, e: &BytesStart<'_>, name: &str, empty: bool) {
        out.push('<');
        out.push_str(name);
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let value = self.unescape(&a.value);
            if key == "xml:base" || (key == "xmlns" && value == "http://www.w3.org/1999/xhtml") {
                continue;
            }
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            out.push_str(&escape(&value, true));
            out.push('"');
        }
        if empty && is_void(name) {
            out.push_str(" />");
        } else if empty {
            out.push_str("></");
            out.push_str(name);
            out.push('>');
        } else {
            out.push('>');
        }
    }

    fn open(&mut self, e: BytesStart<'a>) -> Elem<'a> {
        self.depth += 1;
        let ns = match self.inner.resolver().resolve_element(e.name()).0 {
            ResolveResult::Bound(ns) => {
                // Nearly every element of a document is in the same one or two namespaces:
                // remember the last URI rather than compare it with every known one.
                let uri = ns.into_inner().as_bytes();
                match self.seen_ns.iter().find(|(u, _)| u.as_slice() == uri) {
                    Some((_, ns)) => *ns,
                    None => {
                        let ns = ns_from_uri(uri);
                        if self.seen_ns.len() < 8 {
                            self.seen_ns.push((uri.to_vec(), ns));
                        }
                        ns
                    }
                }
            }
            ResolveResult::Unbound => Ns::None,
            ResolveResult::Unknown(prefix) => ns_from_prefix(prefix.as_bytes()),
        };
        if has_xml_base(e.attributes_raw().as_bytes()) {
            for a in e.attributes().with_checks(false).flatten() {
                if a.key.as_ref() == "xml:base" {
                    let value = self.unescape(&a.value);
                    // The URL policy: a base that is not http(s) is no base (the one in force
                    // stays), so it cannot make relative links `javascript:`.
                    let base = urls::parse(value.trim(), self.base(), UrlUse::Web);
                    if base.is_some() {
                        self.bases.push((self.depth, base));
                    }
                }
            }
        }
        let name = Name::new(e.local_name().into_inner().as_bytes());
        Elem { ns, name, start: e }
    }

    fn close(&mut self) {
        self.pending_end = false;
        if self.bases.len() > 1 && self.bases.last().is_some_and(|(d, _)| *d == self.depth) {
            self.bases.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn raw(&mut self) -> Raw<'a> {
        if self.done || self.entity_budget_exceeded().is_some() {
            return Raw::Eof;
        }
        loop {
            let ev = match self.inner.read_event() {
                Ok(ev) => ev,
                Err(err) => {
                    self.error = Some(err.to_string());
                    self.done = true;
                    return Raw::Eof;
                }
            };
            return match ev {
                Event::Start(e) => Raw::Start(e, false),
                Event::Empty(e) => Raw::Start(e, true),
                Event::End(_) => Raw::End,
                Event::Text(t) => Raw::Text(t.xml10_content()),
                Event::CData(t) => Raw::Text(t.xml10_content()),
                Event::GeneralRef(r) => Raw::Ref(r.into_inner()),
                Event::DocType(d) => {
                    self.doctype(&d.into_inner());
                    continue;
                }
                Event::Eof => {
                    self.done = true;
                    Raw::Eof
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => continue,
            };
        }
    }

    /// Keep the safe entities of a DOCTYPE's internal subset; note a Netscape DOCTYPE.
    fn doctype(&mut self, d: &str) {
        if d.to_ascii_lowercase().contains("netscape") {
            self.netscape = true;
        }
        let mut rest = d;
        while let Some(i) = rest.find("<!ENTITY") {
            rest = &rest[i + 8..];
            let decl = &rest[..rest.find('>').unwrap_or(rest.len())];
            let mut parts = decl.trim_start().splitn(2, char::is_whitespace);
            let (Some(name), Some(value)) = (parts.next(), parts.next()) else { continue };
            let value = value.trim();
            // Only `NAME "text"` or `NAME "&#123;"`: no parameter entities, no SYSTEM or
            // PUBLIC (external) entities, no references to other entities.
            let quoted = value.len() >= 2
                && (value.starts_with('"') && value.ends_with('"')
                    || value.starts_with('\'') && value.ends_with('\''));
            if name == "%" || !quoted || self.entities.len() >= MAX_DTD_ENTITIES {
                continue;
            }
            let inner = &value[1..value.len() - 1];
            let resolved =
                if let Some(num) = inner.strip_prefix("&#").and_then(|s| s.strip_suffix(';')) {
                    match char_ref(num) {
                        Some(c) => c.to_string(),
                        None => continue,
                    }
                } else if inner.contains('&') || inner.contains('<') {
                    continue;
                } else {
                    inner.to_string()
                };
            self.entities.push((name.to_string(), resolved));
        }
    }

    fn resolve_ref(&self, r: &str) -> Resolved {
        if let Some(num) = r.strip_prefix('#') {
            return char_ref(num).map_or(Resolved::Unknown, Resolved::Char);
        }
        match r {
            "amp" => return Resolved::Char('&'),
            "lt" => return Resolved::Char('<'),
            "gt" => return Resolved::Char('>'),
            "quot" => return Resolved::Char('"'),
            "apos" => return Resolved::Char('\''),
            _ => {}
        }
        if let Some((_, v)) = self.entities.iter().find(|(n, _)| n == r) {
            if !self.spend(v.len()) {
                return Resolved::Str(String::new());
            }
            return Resolved::Str(v.clone());
        }
        html_entity(r).map_or(Resolved::Unknown, Resolved::Char)
    }

    /// Decode the references in an attribute value.
    fn unescape<'v>(&self, raw: &'v str) -> Cow<'v, str> {
        if !raw.contains('&') {
            return Cow::Borrowed(raw);
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace());
            match end {
                Some(j) if rest.as_bytes()[j + 1] == b';' => {
                    let name = &rest[1..j + 1];
                    match self.resolve_ref(name) {
                        Resolved::Char(c) => out.push(c),
                        Resolved::Str(s) => out.push_str(&s),
                        Resolved::Unknown => out.push_str(&rest[..j + 2]),
                    }
                    rest = &rest[j + 2..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

/// Cap, trim and repair a captured value.
fn finish(mut out: Captured) -> Captured {
    if out.value.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !out.value.is_char_boundary(cut) {
            cut -= 1;
        }
        out.value.truncate(cut);
    }
    trim_in_place(&mut out.value);
    demoronize(&mut out.value);
    out
}

fn push_capped(out: &mut String, s: &str) {
    if out.len() < MAX_TEXT + 4 {
        out.push_str(s);
    }
}

enum Raw<'a> {
    Start(BytesStart<'a>, bool),
    End,
    Text(Cow<'a, str>),
    Ref(Cow<'a, str>),
    Eof,
}

enum Resolved {
    Char(char),
    Str(String),
    Unknown,
}

fn push_text(out: &mut Captured, t: &str) {
    if out.value.len() >= MAX_TEXT {
        return;
    }
    if out.markup {
        out.value.push_str(&escape(t, false));
    } else {
        out.value.push_str(t);
    }
}

/// C1 control characters (U+0080–U+009F) never mean themselves in a feed: they are
/// windows-1252 bytes (curly quotes, dashes, €) that went through a Latin-1 decoder. Map them
/// to what the author typed. A second, rarer accident is UTF-8 decoded as windows-1252 and
/// encoded again ("â€¦" for "…"): when the whole text, encoded back to windows-1252, is valid
/// UTF-8 with multi-byte characters, that is what it was.
pub(crate) fn demoronize(s: &mut String) {
    // Both accidents leave a byte C2 or C3 (U+0080–U+00FF); most text has neither, and one
    // pass over those bytes tells which repair, if any, to try.
    let b = s.as_bytes();
    let (mut c1, mut mojibake) = (false, false);
    for i in memchr::memchr2_iter(0xC2, 0xC3, b) {
        match (b[i], b.get(i + 1)) {
            (0xC2, Some(0x80..=0x9F)) => c1 = true,
            // Â, Ã, â: how UTF-8 lead bytes look once decoded as windows-1252.
            (0xC3, Some(0x82 | 0x83 | 0xA2)) => mojibake = true,
            _ => {}
        }
        if c1 && mojibake {
            break;
        }
    }
    if c1 {
        let fixed: String = s
            .chars()
            .map(|c| match c as u32 {
                n @ 0x80..=0x9F => char_ref(&n.to_string()).unwrap_or(c),
                _ => c,
            })
            .collect();
        *s = fixed;
    }
    if mojibake {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
        if !unmappable && bytes.iter().any(|&b| b >= 0x80) {
            if let Ok(utf8) = std::str::from_utf8(&bytes) {
                *s = utf8.to_string();
            }
        }
    }
}

/// A numeric character reference's character (`"38"`, `"x26"`); NUL, surrogates and
/// out-of-range values are refused.
pub(crate) fn char_ref(num: &str) -> Option<char> {
    let n = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    match n {
        0 => None,
        // Windows-1252 code points written as references (feeds do this): the characters
        // the author meant.
        0x80..=0x9f => {
            let b = [n as u8];
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(&b).0.chars().next()
        }
        _ => char::from_u32(n),
    }
}

/// Whether a start tag's attribute text mentions `xml:base` (checked before walking the
/// attributes, which most elements do not need).
fn has_xml_base(raw: &[u8]) -> bool {
    memchr::memchr_iter(b':', raw)
        .any(|i| i >= 3 && &raw[i - 3..i] == b"xml" && raw[i + 1..].starts_with(b"base"))
}

fn is_xmlns(key: &str) -> bool {
    key == "xmlns" || key.starts_with("xmlns:")
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Escape `&`, `<`, `>` (and `"` in attribute values).
pub(crate) fn escape(s: &str, attr: bool) -> Cow<'_, str> {
    let needs = |c: char| c == '&' || c == '<' || c == '>' || (attr && c == '"');
    if !s.contains(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Trim white space at both ends without reallocating.
pub(crate) fn trim_in_place(s: &mut String) {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    if start > 0 {
        s.drain(..start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_text(doc: &str) -> (String, bool) {
        let mut r = XmlReader::new(doc, None);
        loop {
            match r.next() {
                Ev::Start(e) if e.is("t") => {
                    let c = r.text();
                    return (c.value, c.markup);
                }
                Ev::Eof => panic!("no <t>"),
                _ => {}
            }
        }
    }

    #[test]
    fn references_of_every_kind_are_decoded() {
        let (v, m) =
            first_text("<r><t>a &amp; b &#233; &#x26; &eacute;&nbsp;&bogus; &#150;</t></r>");
        assert!(!m);
        assert_eq!(v, "a & b é & é\u{a0}&bogus; \u{2013}");
    }

    #[test]
    fn safe_dtd_entities_are_used_and_recursive_ones_are_not() {
        let doc = r#"<!DOCTYPE r [<!ENTITY me "Mark"><!ENTITY c "&#169;"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;"><!ENTITY ext SYSTEM "file:///etc/passwd">]><r><t>&me; &c; &lol2; &ext;</t></r>"#;
        assert_eq!(first_text(doc).0, "Mark © &lol2; &ext;");
    }

    #[test]
    fn child_elements_are_captured_as_escaped_markup() {
        let (v, m) = first_text("<r><t>1 &lt; 2 <b class='x'>bold</b><br/><span/></t></r>");
        assert!(m);
        assert_eq!(v, "1 &lt; 2 <b class=\"x\">bold</b><br /><span></span>");
    }

    #[test]
    fn windows_1252_accidents_are_repaired() {
        let mut s = "don\u{92}t".to_string();
        demoronize(&mut s);
        assert_eq!(s, "don\u{2019}t");
        let mut s = "wait\u{e2}\u{20ac}\u{a6}".to_string();
        demoronize(&mut s);
        assert_eq!(s, "wait\u{2026}");
        let mut s = "Crème brûlée à Paris".to_string();
        demoronize(&mut s);
        assert_eq!(s, "Crème brûlée à Paris");
    }

    #[test]
    fn cdata_is_text_and_stray_ampersands_survive() {
        assert_eq!(first_text("<r><t><![CDATA[<p>x</p>]]></t></r>").0, "<p>x</p>");
        assert_eq!(first_text("<r><t>a=1&b=2</t></r>").0, "a=1&b=2");
    }

    #[test]
    fn xml_base_stacks_and_unwinds() {
        let doc = r#"<r xml:base="http://x.org/a/"><s xml:base="b/"><t/></s><u/></r>"#;
        let mut r = XmlReader::new(doc, None);
        let mut seen = vec![];
        loop {
            match r.next() {
                Ev::Start(e) => seen.push((e.name.as_str().to_string(), r.base_string())),
                Ev::End => {}
                Ev::Eof => break,
            }
        }
        assert_eq!(seen[2], ("t".into(), Some("http://x.org/a/b/".into())));
        assert_eq!(seen[3], ("u".into(), Some("http://x.org/a/".into())));
    }
}
