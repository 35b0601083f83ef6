//! Microsoft's Channel Definition Format (1997): `<CHANNEL HREF LASTMOD>` with `<TITLE>`,
//! `<ABSTRACT>` and `<ITEM HREF LASTMOD>` children. Cheap to support, and old intranet
//! portals still serve it.

use super::common::{push_entry, read_text, resolve, EntryDraft, Kind};
use super::xml::{Elem, Ev, XmlReader};
use crate::core::date::parse_date;
use crate::core::model::{Feed, Format};

pub(crate) fn parse_cdf(r: &mut XmlReader<'_>, root: &Elem<'_>) -> Feed {
    let mut feed = Feed::new(Format::Cdf);
    feed.link = r.attr(root, "href").and_then(|h| resolve(r, &h));
    feed.updated = r.attr(root, "lastmod").and_then(|d| parse_date(&d));
    while let Some(e) = r.child() {
        match e.name.as_str() {
            "title" => feed.title = Some(read_text(r, Kind::Guess)),
            "abstract" => feed.description = Some(read_text(r, Kind::Html)),
            "item" => {
                let mut d = EntryDraft {
                    link: r.attr(&e, "href").and_then(|h| resolve(r, &h)),
                    updated: r.attr(&e, "lastmod").and_then(|d| parse_date(&d)),
                    ..EntryDraft::default()
                };
                loop {
                    match r.next() {
                        Ev::Start(c) if c.is("title") => d.title = Some(read_text(r, Kind::Guess)),
                        Ev::Start(c) if c.is("abstract") => {
                            d.summary = Some(read_text(r, Kind::Html))
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
    feed
}
