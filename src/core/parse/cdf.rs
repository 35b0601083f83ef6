//! Microsoft's Channel Definition Format (1997): `<CHANNEL HREF LASTMOD>` with `<TITLE>`,
//! `<ABSTRACT>` and `<ITEM HREF LASTMOD>` children. Cheap to support, and old intranet
//! portals still serve it.

use super::common::{push_entry, rank::OWN, read_text, resolve, EntryDraft, FeedDraft, Kind};
use super::xml::{Elem, Ev, XmlReader};
use crate::core::date::parse_date;
use crate::core::model::{Feed, Format};

pub(crate) fn parse_cdf(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let mut feed = FeedDraft::default();
    feed.link.offer(OWN, r.attr(root, "href").and_then(|h| resolve(r, &h)));
    feed.updated.offer(OWN, r.attr(root, "lastmod").and_then(|d| parse_date(&d)));
    while let Some(e) = r.child() {
        match e.name.as_str() {
            "title" => feed.title.offer(OWN, Some(read_text(r, Kind::Guess))),
            "abstract" => feed.description.offer(OWN, Some(read_text(r, Kind::Html))),
            "item" => {
                let mut d = EntryDraft::default();
                d.link.offer(OWN, r.attr(&e, "href").and_then(|h| resolve(r, &h)));
                d.updated.offer(OWN, r.attr(&e, "lastmod").and_then(|d| parse_date(&d)));
                loop {
                    match r.next() {
                        Ev::Start(c) if c.is("title") => {
                            d.title.offer(OWN, Some(read_text(r, Kind::Guess)))
                        }
                        Ev::Start(c) if c.is("abstract") => {
                            d.summary.offer(OWN, Some(read_text(r, Kind::Html)))
                        }
                        Ev::Start(_) => r.skip(),
                        Ev::End | Ev::Eof => break,
                    }
                }
                push_entry(&mut feed, d);
            }
            _ => r.skip(),
        }
    }
    feed.finish(Format::Cdf, false)
}
