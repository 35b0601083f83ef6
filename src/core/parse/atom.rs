//! Atom 1.0 (RFC 4287) and Atom 0.3, and `<feed>` in any other namespace (read as Atom).
//!
//! Text constructs: 1.0 says `type="text|html|xhtml"` (or a MIME type for `content`), 0.3
//! says a MIME `type` plus `mode="xml|escaped|base64"`: escaped and base64 values are
//! decoded, inline XML is kept as markup. In 1.0 the `<div>` wrapping XHTML is dropped, as
//! RFC 4287 3.1.1.3 says it is not part of the content. In 0.3 it is kept: the 0.3 draft
//! never made it a wrapper, feedparser keeps it, and 33 checks of the conformance corpus
//! expect it (`tests/conformance/README.md`); in the popup it changes nothing, a `<div>`
//! around a post. The functions that read links, text constructs and content serve Atom
//! elements inside RSS too.

use super::common::{
    date_into, enclosure, entry_extension, feed_extension, push_entry, rank, read_person,
    read_string, read_text, resolve, url_into, EntryDraft, FeedDraft, Kind,
};
use super::xml::{Elem, Ns, XmlReader};
use crate::core::model::{Feed, Format, Text, TextKind};

pub(crate) fn parse_atom(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    use rank::*;
    let format = match root.ns {
        Ns::Atom10 => Format::Atom10,
        Ns::Atom03 => Format::Atom03,
        _ if r.attr(root, "version").is_some_and(|v| v.trim() == "0.3") => Format::Atom03,
        _ => Format::Atom,
    };
    let mut feed = FeedDraft::default();
    let atom = Atom { root_ns: root.ns, v03: format == Format::Atom03 };
    if let Some(lang) = r.attr(root, "lang") {
        feed.language.offer(OWN, Some(lang));
    }
    while let Some(e) = r.child() {
        if !atom.core(e.ns) {
            if !feed_extension(r, &e, &mut feed) {
                r.skip();
            }
            continue;
        }
        match e.name.as_str() {
            "entry" => atom.entry(r, &mut feed),
            "title" => feed.title.offer(OWN, Some(atom.text(r, &e))),
            "subtitle" | "tagline" => feed.description.offer(OWN, Some(atom.text(r, &e))),
            "link" => {
                let link = read_link(r, &e);
                match link.rel.as_str() {
                    "self" => feed.self_link.offer(OWN, link.href),
                    "alternate" => feed.link.offer_first(OWN + link.type_rank(), link.href),
                    _ => {}
                }
            }
            "updated" | "modified" => date_into(r, &mut feed.updated, OWN),
            "published" | "issued" => date_into(r, &mut feed.published, OWN),
            "logo" => url_into(r, &e, "href", &mut feed.image, OWN),
            "icon" => url_into(r, &e, "href", &mut feed.image, OWN_ALT),
            "author" => feed.author.offer_person(OWN, Some(read_person(r))),
            _ => r.skip(),
        }
    }
    // RFC 4287 4.2.1: the feed's authors are the authors of entries that name none.
    feed.finish(format, true)
}

struct Atom {
    root_ns: Ns,
    v03: bool,
}

impl Atom {
    /// Atom's own elements: the root's namespace, or none (feeds that forgot it).
    fn core(&self, ns: Ns) -> bool {
        ns == self.root_ns || ns == Ns::None || ns == Ns::Atom10 || ns == Ns::Atom03
    }

    fn entry(&self, r: &mut XmlReader<'_>, feed: &mut FeedDraft) {
        use rank::*;
        let mut d = EntryDraft::default();
        while let Some(e) = r.child() {
            if !self.core(e.ns) {
                if !entry_extension(r, &e, &mut d) {
                    r.skip();
                }
                continue;
            }
            match e.name.as_str() {
                "id" => d.source_id.offer(OWN, Some(read_string(r)).filter(|s| !s.is_empty())),
                "title" => d.title.offer(OWN, Some(self.text(r, &e))),
                "link" => {
                    let link = read_link(r, &e);
                    let type_rank = link.type_rank();
                    match (link.rel.as_str(), link.href) {
                        ("alternate", href) => d.link.offer_first(OWN + type_rank, href),
                        ("enclosure", Some(href)) => enclosure(r, &e, href, &mut d),
                        _ => {}
                    }
                }
                "summary" => d.summary.offer(OWN, Some(self.text(r, &e))),
                "content" => content_into(r, &e, &mut d, OWN, self.v03),
                "published" | "issued" => date_into(r, &mut d.published, OWN),
                // Atom 0.3: when the entry was created, if it says nothing of its issue.
                "created" => date_into(r, &mut d.published, OWN_ALT),
                "updated" | "modified" => date_into(r, &mut d.updated, OWN),
                "author" => d.author.offer_person(OWN, Some(read_person(r))),
                "category" => category(r, &e, &mut d),
                // RFC 4287 4.2.1: without an author of its own, the entry's is its source's.
                // Nothing else of the source is the entry's (its title, id and links are
                // the original feed's).
                "source" => {
                    while let Some(c) = r.child() {
                        if c.is("author") && self.core(c.ns) {
                            d.author.offer_person(OWN_ALT, Some(read_person(r)));
                        } else {
                            r.skip();
                        }
                    }
                }
                // RSS elements written into Atom entries by mixed toolchains.
                "pubdate" => date_into(r, &mut d.published, FOREIGN),
                "description" => d.add_summary(FOREIGN, read_text(r, Kind::Html)),
                "guid" => {
                    let id = read_string(r);
                    if !id.is_empty() {
                        d.source_id.offer(FOREIGN, Some(id));
                    }
                }
                _ => r.skip(),
            }
        }
        push_entry(feed, d);
    }

    fn text(&self, r: &mut XmlReader<'_>, e: &Elem<'_>) -> Text {
        text_construct(r, e, self.v03)
    }
}

/// An Atom `<link>`, read: its relation (normalized, `alternate` when there is none), its
/// URL resolved (from `href`, else from its text, as some 0.3 feeds and image enclosures
/// write it), and its type.
pub(crate) struct AtomLink {
    pub rel: String,
    pub href: Option<String>,
    pub mime: Option<String>,
}

impl AtomLink {
    /// How good an alternate link this is: an HTML page first, then one that says nothing
    /// of its type, then any other (`application/nostr+json`, feedbin#747).
    pub fn type_rank(&self) -> u8 {
        match self.mime.as_deref() {
            Some("text/html" | "application/xhtml+xml") => 0,
            None => rank::OWN_ALT,
            Some(_) => rank::OWN_LAST,
        }
    }
}

pub(crate) fn read_link(r: &mut XmlReader<'_>, e: &Elem<'_>) -> AtomLink {
    let rel = normalize_rel(&r.attr(e, "rel").unwrap_or_default());
    let href = match r.attr(e, "href") {
        Some(h) => {
            r.skip();
            h
        }
        None => read_string(r),
    };
    let href = Some(href).filter(|h| !h.trim().is_empty()).and_then(|h| resolve(r, &h));
    let mime = r
        .attr(e, "type")
        .map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty());
    AtomLink { rel, href, mime }
}

/// A link relation as RFC 4287 4.2.7.2 compares them: no `rel` is `alternate`, and the
/// IANA registry's IRI form (`http://www.iana.org/assignments/relation/self`) is the name.
pub(crate) fn normalize_rel(rel: &str) -> String {
    let rel = rel.trim();
    let rel = rel.strip_prefix("http://www.iana.org/assignments/relation/").unwrap_or(rel);
    if rel.is_empty() {
        "alternate".to_string()
    } else {
        rel.to_ascii_lowercase()
    }
}

/// An Atom `category`: its `term`, else its `label`.
pub(crate) fn category(r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft) {
    let term = r.attr(e, "term").filter(|t| !t.trim().is_empty()).or_else(|| r.attr(e, "label"));
    if let Some(term) = term {
        d.add_category(&term);
    }
    r.skip();
}

/// Atom `content` at `rank`. Out-of-line content (`src`, RFC 4287 4.1.3.2) has nothing to
/// show: its `src` is a link of last resort.
pub(crate) fn content_into(
    r: &mut XmlReader<'_>,
    e: &Elem<'_>,
    d: &mut EntryDraft,
    at: u8,
    v03: bool,
) {
    if let Some(src) = r.attr(e, "src").filter(|s| !s.trim().is_empty()) {
        r.skip();
        d.link.offer_first(at + rank::OWN_LAST + 1, resolve(r, &src));
        return;
    }
    if d.content.wants(at) {
        d.content.offer(at, Some(text_construct(r, e, v03)));
    } else {
        r.skip();
    }
}

/// A text construct (or `content`, which alone may be of any MIME type, RFC 4287 4.1.3.3).
pub(crate) fn text_construct(r: &mut XmlReader<'_>, e: &Elem<'_>, v03: bool) -> Text {
    let ty = r.attr(e, "type").map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
    let mode = r.attr(e, "mode").map(|m| m.trim().to_ascii_lowercase()).unwrap_or_default();
    let base64 = mode == "base64";
    let xhtml_type = matches!(ty.as_str(), "xhtml" | "application/xhtml+xml");
    let kind = match ty.as_str() {
        "" | "text" | "text/plain" => Kind::Plain,
        "html" | "text/html" => Kind::Html,
        "xhtml" | "application/xhtml+xml" => Kind::Html,
        t if t.ends_with("+xml") || t.ends_with("/xml") => Kind::Html,
        t if t.starts_with("text/") => Kind::Plain,
        _ => Kind::Html,
    };
    let mut t = read_text(r, kind);
    // `mode="base64"` (0.3) says base64. So does any type that is not text (RFC 4287
    // 4.1.3.3 for content; feedparser reads titles so too), but only when the value decodes
    // to UTF-8 text: "test" is valid base64 as well, and `type="application/x-custom"`
    // must not turn it into nonsense (gofeed#271).
    if t.kind != TextKind::Xhtml && (base64 || !known_text_type(&ty)) {
        let decoded = if base64 {
            super::base64_decode(&t.value)
        } else {
            super::base64_decode_utf8(&t.value)
        };
        if let Some(decoded) = decoded {
            t.value = decoded;
            if kind == Kind::Html {
                t.kind = TextKind::Html;
                t.base = r.base_string();
            } else if super::common::looks_like_html(&t.value) {
                t.kind = TextKind::Html;
            }
        }
    }
    if t.kind == TextKind::Xhtml {
        if v03 {
            // Atom 0.3 inline XML is kept whole, its `<div>` included (see the module doc).
        } else if xhtml_type {
            strip_div(&mut t.value);
        } else if kind == Kind::Html && strip_div(&mut t.value) && !t.value.contains('<') {
            // `type="html"` whose escaped markup sits in an XHTML div: the div is a
            // wrapper and the text inside is the HTML.
            t.value = t.value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            t.kind = TextKind::Html;
        }
    }
    t
}

/// Types whose content is text, never base64: the three of text constructs and any XML.
fn known_text_type(ty: &str) -> bool {
    matches!(ty, "" | "text" | "html" | "xhtml")
        || ty.starts_with("text/")
        || ty.ends_with("+xml")
        || ty.ends_with("/xml")
}

/// Drop the `<div>` wrapping inline XHTML; false when there is none.
fn strip_div(v: &mut String) -> bool {
    if !(v.starts_with("<div") && v.ends_with("</div>")) {
        return false;
    }
    // `<div>` or `<div …>`, not `<divider>`.
    if !matches!(v.as_bytes().get(4), Some(b'>' | b' ' | b'/')) {
        return false;
    }
    let Some(open_end) = v.find('>') else { return false };
    if open_end + 1 > v.len() - 6 {
        // `<div />`: no content.
        v.clear();
        return true;
    }
    // The first div must close at the very end: `<div>a</div><div>b</div>` keeps both.
    let inner = &v[open_end + 1..v.len() - 6];
    let opens = inner.matches("<div").count();
    let closes = inner.matches("</div>").count();
    if opens != closes || !first_div_closes_last(inner) {
        return false;
    }
    let inner = inner.trim().to_string();
    *v = inner;
    true
}

/// Whether, in the content of a div, no `</div>` closes that div before the end: the depth
/// never goes below zero.
fn first_div_closes_last(inner: &str) -> bool {
    let mut depth: i32 = 0;
    let mut rest = inner;
    while let Some(i) = rest.find("<div").into_iter().chain(rest.find("</div>")).min() {
        if rest[i..].starts_with("</div>") {
            depth -= 1;
            if depth < 0 {
                return false;
            }
            rest = &rest[i + 6..];
        } else {
            depth += 1;
            rest = &rest[i + 4..];
        }
    }
    true
}
