//! Atom 1.0 (RFC 4287) and Atom 0.3, and `<feed>` in any other namespace (read as Atom).
//!
//! Text constructs: 1.0 says `type="text|html|xhtml"` (or a MIME type for `content`), 0.3
//! says a MIME `type` plus `mode="xml|escaped|base64"`. Inline XHTML is kept as markup; in
//! 1.0 the wrapping `<div>` is dropped, as the spec says it is not part of the content.

use super::common::{
    enclosure, entry_extension, feed_extension, push_entry, read_date, read_person, read_string,
    read_text, resolve, EntryDraft, Kind,
};
use super::xml::{Elem, Ns, XmlReader};
use crate::core::model::{Feed, Format, Text, TextKind};

pub(crate) fn parse_atom(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let format = match root.ns {
        Ns::Atom10 => Format::Atom10,
        Ns::Atom03 => Format::Atom03,
        _ if r.attr(root, "version").is_some_and(|v| v.trim() == "0.3") => Format::Atom03,
        _ => Format::Atom,
    };
    let mut feed = Feed::new(format);
    let atom = Atom { root_ns: root.ns, v03: format == Format::Atom03 };
    if let Some(lang) = r.attr(root, "lang") {
        feed.language = Some(lang).filter(|l| !l.is_empty());
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
            "title" => feed.title = Some(atom.text(r, &e)),
            "subtitle" | "tagline" => feed.description = Some(atom.text(r, &e)),
            "link" => {
                let rel = r.attr(&e, "rel").unwrap_or_default();
                let href = r.attr(&e, "href");
                match (rel.trim(), href) {
                    ("self", Some(h)) => feed.self_link = resolve(r, &h),
                    ("" | "alternate", Some(h)) if feed.link.is_none() => {
                        feed.link = resolve(r, &h)
                    }
                    _ => {}
                }
                r.skip();
            }
            "updated" | "modified" => {
                if let Some(d) = read_date(r) {
                    feed.updated = Some(d);
                }
            }
            "published" | "issued" => {
                if let Some(d) = read_date(r) {
                    feed.published = Some(d);
                }
            }
            "logo" | "icon" => {
                let u = read_string(r);
                if feed.image.is_none() || e.is("logo") {
                    feed.image = resolve(r, &u).filter(|u| !u.is_empty());
                }
            }
            "author" if feed.author.is_none() => feed.author = Some(read_person(r)),
            _ => r.skip(),
        }
    }
    feed
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

    fn entry(&self, r: &mut XmlReader<'_>, feed: &mut Feed) {
        let mut d = EntryDraft::default();
        while let Some(e) = r.child() {
            if !self.core(e.ns) {
                if !entry_extension(r, &e, &mut d) {
                    r.skip();
                }
                continue;
            }
            match e.name.as_str() {
                "id" => d.source_id = Some(read_string(r)).filter(|s| !s.is_empty()),
                "title" => {
                    d.title = Some(self.text(r, &e));
                    d.title_is_media = false;
                }
                "link" => self.link(r, &e, &mut d),
                "summary" => d.summary = Some(self.text(r, &e)),
                "content" => d.content = Some(self.text(r, &e)),
                "published" | "issued" => {
                    if let Some(t) = read_date(r) {
                        d.published = Some(t);
                    }
                }
                "updated" | "modified" => {
                    if let Some(t) = read_date(r) {
                        d.updated = Some(t);
                    }
                }
                "author" if d.author.is_none() => d.author = Some(read_person(r)),
                "category" => {
                    if let Some(term) = r.attr(&e, "term").filter(|t| !t.trim().is_empty()) {
                        if d.categories.len() < 64 {
                            d.categories.push(term.trim().to_string());
                        }
                    }
                    r.skip();
                }
                _ => r.skip(),
            }
        }
        push_entry(feed, d);
    }

    fn link(&self, r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft) {
        let rel = r.attr(e, "rel").unwrap_or_default();
        match rel.trim() {
            "enclosure" => {
                enclosure(r, e, "href", d);
                r.skip();
            }
            "" | "alternate" => {
                // Atom 0.3 feeds sometimes put the URL in the element instead of `href`.
                let href = match r.attr(e, "href") {
                    Some(h) => {
                        r.skip();
                        h
                    }
                    None => read_string(r),
                };
                if d.link.is_none() && !href.trim().is_empty() {
                    d.link = resolve(r, &href);
                }
            }
            _ => r.skip(),
        }
    }

    /// A text construct.
    fn text(&self, r: &mut XmlReader<'_>, e: &Elem<'_>) -> Text {
        let ty = r.attr(e, "type").map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
        let mode = r.attr(e, "mode").map(|m| m.trim().to_ascii_lowercase()).unwrap_or_default();
        let (kind, base64) = match ty.as_str() {
            "" | "text" | "text/plain" => (Kind::Plain, mode == "base64"),
            "html" | "text/html" => (Kind::Html, mode == "base64"),
            "xhtml" | "application/xhtml+xml" => (Kind::Html, mode == "base64"),
            t if t.ends_with("+xml") || t.ends_with("/xml") => (Kind::Html, mode == "base64"),
            t if t.starts_with("text/") => (Kind::Plain, mode == "base64"),
            // Any other MIME type is base64 (RFC 4287 4.1.3.3).
            _ => (Kind::Html, true),
        };
        let mut t = read_text(r, kind);
        if base64 && !t.is_markup_value() {
            if let Some(decoded) = super::base64_decode(&t.value) {
                t.value = decoded;
                if kind == Kind::Html {
                    t.kind = TextKind::Html;
                    t.base = r.base_string();
                } else if super::common::looks_like_html(&t.value) {
                    t.kind = TextKind::Html;
                }
            }
        }
        if t.kind == TextKind::Xhtml && !self.v03 {
            if ty == "xhtml" || ty == "application/xhtml+xml" {
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
}

trait MarkupValue {
    fn is_markup_value(&self) -> bool;
}

impl MarkupValue for Text {
    fn is_markup_value(&self) -> bool {
        self.kind == TextKind::Xhtml
    }
}

/// Drop the `<div>` wrapping Atom 1.0 inline XHTML; false when there is none.
fn strip_div(v: &mut String) -> bool {
    if !(v.starts_with("<div") && v.ends_with("</div>")) {
        return false;
    }
    let Some(open_end) = v.find('>') else { return false };
    // The first div must close at the very end: `<div>a</div><div>b</div>` keeps both.
    let inner = &v[open_end + 1..v.len() - 6];
    let opens = inner.matches("<div").count();
    let closes = inner.matches("</div>").count();
    if opens != closes {
        return false;
    }
    let inner = inner.trim().to_string();
    *v = inner;
    true
}
