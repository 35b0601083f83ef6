//! RSS 0.90 to 0.94, 2.0 (root `<rss>`) and RSS 1.0 / 0.90 (root `<rdf:RDF>`).
//!
//! One reader serves both families: in RDF the items are siblings of the channel, in RSS
//! 2.0 its children, and broken feeds mix the two, so items are taken wherever they are.
//! Atom elements inside RSS (`atom:link`, `atom:author`, `atom:content` ... written by mixed
//! toolchains) are read as Atom and fill what the RSS elements leave empty.

use super::atom;
use super::common::{
    date_into, enclosure, entry_extension, feed_extension, person_from_string, push_entry, rank,
    read_string, read_text, resolve, text_into, ttl_minutes, EntryDraft, FeedDraft, Kind,
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
    let mut format = match version.trim() {
        "0.91" if r.netscape => Format::Rss091N,
        "0.91" => Format::Rss091U,
        "0.92" => Format::Rss092,
        "0.93" => Format::Rss093,
        "0.94" => Format::Rss094,
        "0.90" => Format::Rss090,
        v if v.starts_with('2') => Format::Rss20,
        _ => Format::Rss,
    };
    let mut feed = FeedDraft::default();
    body(r, &mut feed, &mut format);
    feed.finish(format, false)
}

/// `<rdf:RDF>`: RSS 1.0, or 0.90 when its elements are in the Netscape namespace.
pub(crate) fn parse_rdf(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let netscape = r.raw_attrs(root).contains("my.netscape.com/rdf/simple/0.9");
    let mut format = if netscape { Format::Rss090 } else { Format::Rss10 };
    let mut feed = FeedDraft::default();
    body(r, &mut feed, &mut format);
    feed.finish(format, false)
}

/// The children of the root element.
fn body(r: &mut XmlReader<'_>, feed: &mut FeedDraft, format: &mut Format) {
    loop {
        match r.next() {
            Ev::Start(e) => {
                if e.ns == Ns::Rss090 {
                    *format = Format::Rss090;
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

fn channel(r: &mut XmlReader<'_>, feed: &mut FeedDraft) {
    use rank::*;
    while let Some(e) = r.child() {
        if !core(e.ns) {
            if !(atom_in_channel(r, &e, feed) || feed_extension(r, &e, feed)) {
                r.skip();
            }
            continue;
        }
        match e.name.as_str() {
            "item" => item(r, &e, feed),
            "title" => text_into(r, &mut feed.title, OWN, Kind::Guess),
            "link" => match rss_link(r, &e) {
                RssLink::Alternate(href) => feed.link.offer_first(OWN, resolve(r, &href)),
                RssLink::SelfLink(href) => feed.self_link.offer(OWN, resolve(r, &href)),
                RssLink::Other => {}
            },
            "description" => text_into(r, &mut feed.description, OWN, Kind::Html),
            "lastbuilddate" => date_into(r, &mut feed.updated, OWN),
            "pubdate" => date_into(r, &mut feed.published, OWN),
            "language" => feed.language.offer(OWN, Some(read_string(r))),
            "managingeditor" | "author" => {
                feed.author.offer_person(OWN, person_from_string(&read_string(r)))
            }
            "ttl" => feed.hints.ttl_minutes = ttl_minutes(&read_string(r)),
            "image" => image(r, feed),
            _ => r.skip(),
        }
    }
}

/// An Atom element in an RSS channel; false when `e` is not one.
fn atom_in_channel(r: &mut XmlReader<'_>, e: &Elem<'_>, feed: &mut FeedDraft) -> bool {
    use rank::FOREIGN;
    if e.ns != Ns::Atom10 && e.ns != Ns::Atom03 {
        return false;
    }
    match e.name.as_str() {
        "link" => {
            let link = atom::read_link(r, e);
            match link.rel.as_str() {
                "self" => feed.self_link.offer(rank::OWN, link.href),
                "alternate" => feed.link.offer_first(FOREIGN + link.type_rank(), link.href),
                _ => {}
            }
        }
        "title" => feed.title.offer(FOREIGN, Some(atom::text_construct(r, e, false))),
        "subtitle" => feed.description.offer(FOREIGN, Some(atom::text_construct(r, e, false))),
        "updated" => date_into(r, &mut feed.updated, FOREIGN),
        "published" => date_into(r, &mut feed.published, FOREIGN),
        "author" => feed.author.offer_person(FOREIGN, Some(super::common::read_person(r))),
        "logo" => super::common::url_into(r, e, "href", &mut feed.image, FOREIGN),
        "icon" => super::common::url_into(r, e, "href", &mut feed.image, FOREIGN + 1),
        _ => return false,
    }
    true
}

/// What an RSS `<link>` is. Feeds write the URL as its text, but some write an Atom-style
/// `<link rel="…" href="…"/>` without the Atom namespace.
enum RssLink {
    Alternate(String),
    SelfLink(String),
    Other,
}

fn rss_link(r: &mut XmlReader<'_>, e: &Elem<'_>) -> RssLink {
    let rel = r.attr(e, "rel").map(|x| atom::normalize_rel(&x));
    let href = r.attr(e, "href");
    let text = read_string(r);
    let url = if text.is_empty() { href.unwrap_or_default() } else { text };
    if url.trim().is_empty() {
        return RssLink::Other;
    }
    match rel.as_deref() {
        None | Some("alternate") => RssLink::Alternate(url),
        Some("self") => RssLink::SelfLink(url),
        Some(_) => RssLink::Other,
    }
}

/// `<image>`: only its `url` is kept; its title and link must not become the channel's.
fn image(r: &mut XmlReader<'_>, feed: &mut FeedDraft) {
    loop {
        match r.next() {
            Ev::Start(e) if e.is("url") => {
                let u = read_string(r);
                if !u.is_empty() {
                    feed.image.offer_first(rank::OWN, resolve(r, &u));
                }
            }
            Ev::Start(_) => r.skip(),
            Ev::End | Ev::Eof => return,
        }
    }
}

fn item(r: &mut XmlReader<'_>, start: &Elem<'_>, feed: &mut FeedDraft) {
    use rank::*;
    let mut d = EntryDraft::default();
    // RSS 1.0: `rdf:about` is the item's identity.
    if let Some(about) = r.attr(start, "about") {
        d.source_id.offer(OWN_ALT, Some(about.trim().to_string()));
    }
    while let Some(e) = r.child() {
        if !core(e.ns) {
            if !(atom_in_item(r, &e, &mut d) || entry_extension(r, &e, &mut d)) {
                r.skip();
            }
            continue;
        }
        match e.name.as_str() {
            "title" => text_into(r, &mut d.title, OWN, Kind::Guess),
            "link" => {
                if let RssLink::Alternate(href) = rss_link(r, &e) {
                    d.link.offer(OWN, resolve(r, &href));
                }
            }
            "guid" => {
                let permalink = r.attr(&e, "ispermalink");
                let v = read_string(r);
                if !v.is_empty() && d.source_id.wants(OWN) {
                    let is_permalink =
                        permalink.is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
                    // Only a web address is a link: `at://…`, `urn:…` and `tag:…` guids
                    // are ids (NetNewsWire#4625).
                    if is_permalink && (v.starts_with("http://") || v.starts_with("https://")) {
                        d.permalink = resolve(r, &v);
                    }
                    d.source_id.offer(OWN, Some(v));
                }
            }
            "description" | "summary" => d.add_summary(OWN, read_text(r, Kind::Html)),
            // `<body>` without a namespace (XHTML in RSS 2.0) and Netscape's `<fullitem>`.
            "body" | "fullitem" => text_into(r, &mut d.content, LEGACY, Kind::Html),
            "pubdate" => date_into(r, &mut d.published, OWN),
            "author" => d.author.offer_person(OWN, person_from_string(&read_string(r))),
            "category" => d.add_category(&read_string(r)),
            "enclosure" => {
                let url = r.attr(&e, "url").filter(|u| !u.trim().is_empty());
                if let Some(url) = url.and_then(|u| resolve(r, &u)) {
                    enclosure(r, &e, url, &mut d);
                }
                r.skip();
            }
            _ => r.skip(),
        }
    }
    push_entry(feed, d);
}

/// An Atom element in an RSS item; false when `e` is not one.
fn atom_in_item(r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft) -> bool {
    use rank::FOREIGN;
    if e.ns != Ns::Atom10 && e.ns != Ns::Atom03 {
        return false;
    }
    match e.name.as_str() {
        "link" => {
            let link = atom::read_link(r, e);
            let type_rank = link.type_rank();
            match (link.rel.as_str(), link.href) {
                ("alternate", href) => d.link.offer_first(FOREIGN + type_rank, href),
                ("enclosure", Some(href)) => enclosure(r, e, href, d),
                _ => {}
            }
        }
        "id" => text_to_id(r, d),
        "title" => d.title.offer(FOREIGN, Some(atom::text_construct(r, e, false))),
        "summary" => d.add_summary(FOREIGN, atom::text_construct(r, e, false)),
        "content" => atom::content_into(r, e, d, FOREIGN, false),
        "published" | "issued" => date_into(r, &mut d.published, FOREIGN),
        "updated" | "modified" => date_into(r, &mut d.updated, FOREIGN),
        "author" => d.author.offer_person(FOREIGN, Some(super::common::read_person(r))),
        "category" => atom::category(r, e, d),
        _ => return false,
    }
    true
}

fn text_to_id(r: &mut XmlReader<'_>, d: &mut EntryDraft) {
    if d.source_id.wants(rank::FOREIGN) {
        let id = read_string(r);
        if !id.is_empty() {
            d.source_id.offer(rank::FOREIGN, Some(id));
        }
    } else {
        r.skip();
    }
}
