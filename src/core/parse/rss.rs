//! RSS 0.90 to 0.94, 2.0 (root `<rss>`) and RSS 1.0 / 0.90 (root `<rdf:RDF>`).
//!
//! One reader serves both families: in RDF the items are siblings of the channel, in RSS
//! 2.0 its children, and broken feeds mix the two, so items are taken wherever they are.

use super::common::{
    enclosure, entry_extension, feed_extension, person_from_string, push_entry, read_date,
    read_string, read_text, resolve, ttl_minutes, EntryDraft, Kind,
};
use super::xml::{Elem, Ev, Ns, XmlReader};
use crate::core::model::{Feed, Format};

/// Elements of RSS itself: no namespace, RSS 1.0's or 0.90's, or Userland's RSS 2.0 one.
fn core(ns: Ns) -> bool {
    matches!(ns, Ns::None | Ns::Rss10 | Ns::Rss090 | Ns::Rss20)
}

/// `<rss version="...">`.
pub(crate) fn parse_rss(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let version = r.attr(root, "version").unwrap_or_default();
    let format = match version.trim() {
        "0.91" if r.netscape => Format::Rss091N,
        "0.91" => Format::Rss091U,
        "0.92" => Format::Rss092,
        "0.93" => Format::Rss093,
        "0.94" => Format::Rss094,
        "0.90" => Format::Rss090,
        v if v.starts_with('2') => Format::Rss20,
        _ => Format::Rss,
    };
    let mut feed = Feed::new(format);
    body(r, &mut feed);
    feed
}

/// `<rdf:RDF>`: RSS 1.0, or 0.90 when its elements are in the Netscape namespace.
pub(crate) fn parse_rdf(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let netscape = r.raw_attrs(root).contains("my.netscape.com/rdf/simple/0.9");
    let mut feed = Feed::new(if netscape { Format::Rss090 } else { Format::Rss10 });
    body(r, &mut feed);
    feed
}

/// The children of the root element.
fn body(r: &mut XmlReader<'_>, feed: &mut Feed) {
    loop {
        match r.next() {
            Ev::Start(e) => {
                if e.ns == Ns::Rss090 {
                    feed.format = Format::Rss090;
                }
                match (core(e.ns), e.name.as_str()) {
                    (true, "channel") => channel(r, feed),
                    (true, "item") => item(r, &e, feed),
                    _ => r.skip(),
                }
            }
            Ev::End | Ev::Eof => return,
        }
    }
}

fn channel(r: &mut XmlReader<'_>, feed: &mut Feed) {
    while let Some(e) = r.child() {
        if !core(e.ns) {
            if !feed_extension(r, &e, feed) {
                r.skip();
            }
            continue;
        }
        match e.name.as_str() {
            "item" => item(r, &e, feed),
            "title" => feed.title = Some(read_text(r, Kind::Guess)),
            "link" => {
                let href = read_string(r);
                if feed.link.is_none() && !href.is_empty() {
                    feed.link = resolve(r, &href);
                }
            }
            "description" => feed.description = Some(read_text(r, Kind::Html)),
            "lastbuilddate" => {
                if let Some(d) = read_date(r) {
                    feed.updated = Some(d);
                }
            }
            "pubdate" => {
                if let Some(d) = read_date(r) {
                    feed.published = Some(d);
                }
            }
            "language" => feed.language = Some(read_string(r)).filter(|s| !s.is_empty()),
            "managingeditor" | "author" if feed.author.is_none() => {
                feed.author = person_from_string(&read_string(r))
            }
            "ttl" => feed.hints.ttl_minutes = ttl_minutes(&read_string(r)),
            "image" => image(r, feed),
            _ => r.skip(),
        }
    }
}

/// `<image>`: only its `url` is kept; its title and link must not become the channel's.
fn image(r: &mut XmlReader<'_>, feed: &mut Feed) {
    loop {
        match r.next() {
            Ev::Start(e) if e.is("url") => {
                let u = read_string(r);
                if feed.image.is_none() {
                    feed.image = resolve(r, &u);
                }
            }
            Ev::Start(_) => r.skip(),
            Ev::End | Ev::Eof => return,
        }
    }
}

fn item(r: &mut XmlReader<'_>, start: &Elem<'_>, feed: &mut Feed) {
    let mut d = EntryDraft::default();
    // RSS 1.0: `rdf:about` is the item's identity.
    if let Some(about) = r.attr(start, "about") {
        d.source_id = Some(about.trim().to_string());
    }
    while let Some(e) = r.child() {
        if !core(e.ns) {
            if !entry_extension(r, &e, &mut d) {
                r.skip();
            }
            continue;
        }
        match e.name.as_str() {
            "title" => {
                d.title = Some(read_text(r, Kind::Guess));
                d.title_is_media = false;
            }
            "link" => {
                let href = read_string(r);
                if !href.is_empty() {
                    d.link = resolve(r, &href);
                }
            }
            "guid" => {
                let permalink = r.attr(&e, "ispermalink");
                let v = read_string(r);
                if !v.is_empty() {
                    let is_permalink =
                        permalink.is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
                    if is_permalink && (v.starts_with("http://") || v.starts_with("https://")) {
                        d.permalink = resolve(r, &v);
                    }
                    d.source_id = Some(v);
                }
            }
            "description" | "summary" => d.add_summary(read_text(r, Kind::Html)),
            // `<body>` without a namespace (XHTML in RSS 2.0) and Netscape's `<fullitem>`.
            "body" => {
                let mut t = read_text(r, Kind::Html);
                t.kind = crate::core::model::TextKind::Html;
                d.content = Some(t);
            }
            "fullitem" => d.content = Some(read_text(r, Kind::Html)),
            "pubdate" => {
                if let Some(t) = read_date(r) {
                    d.published = Some(t);
                }
            }
            "author" if d.author.is_none() => d.author = person_from_string(&read_string(r)),
            "category" => {
                let c = read_string(r);
                if !c.is_empty() && d.categories.len() < 64 {
                    d.categories.push(c);
                }
            }
            "enclosure" => {
                enclosure(r, &e, "url", &mut d);
                r.skip();
            }
            _ => r.skip(),
        }
    }
    push_entry(feed, d);
}
