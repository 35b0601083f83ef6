//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>), read with serde_json.
//!
//! A JSON document is a JSON Feed when its `version` names jsonfeed.org, or when its shape
//! says so: an object with an `items` array and a `title` or a `feed_url`. Real generators
//! write `"version": "1.1"`, `"1.0"`, other URLs or nothing at all, and other readers read
//! them; the version is reported as written ([`Format::Json11`] for 1.1, [`Format::Json10`]
//! for 1 and 1.0, else [`Format::Json`]).
//!
//! Lenient like the XML formats: every field is optional, a field of the wrong JSON type is
//! ignored rather than failing the feed, empty strings count as missing, 1.0's `author` and
//! 1.1's `authors` both work (and an author written as a bare string), and an item without
//! an author has the feed's (1.1: "if not specified in an item, then the top-level authors,
//! if present, are the authors of the item").

use super::common::{push_entry, rank, resolve_against, EntryDraft, FeedDraft};
use super::{ParseError, ParseErrorKind};
use crate::core::date::parse_date;
use crate::core::model::{Enclosure, Feed, Format, Person, Text};
use serde_json::Value;
use url::Url;

pub(crate) fn parse_json(text: &str, base: Option<&Url>) -> Result<Feed, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ParseError {
        kind: ParseErrorKind::Malformed,
        detail: format!("invalid JSON: {e}"),
    })?;
    let format = format_of(&doc).ok_or_else(|| ParseError {
        kind: ParseErrorKind::NotAFeed,
        detail: "JSON that is not a JSON Feed (no items with a title or feed_url)".into(),
    })?;
    use rank::OWN;
    let s = |v: &Value, k: &str| {
        v.get(k).and_then(Value::as_str).map(str::to_string).filter(|s| !s.trim().is_empty())
    };
    let url = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|u| !u.trim().is_empty())
            .and_then(|u| resolve_against(base, u))
    };
    let mut feed = FeedDraft::default();
    feed.title.offer(OWN, s(&doc, "title").map(Text::plain));
    feed.link.offer(OWN, url(&doc, "home_page_url"));
    feed.self_link.offer(OWN, url(&doc, "feed_url"));
    feed.description.offer(OWN, s(&doc, "description").map(Text::plain));
    feed.image.offer(OWN, url(&doc, "icon"));
    feed.image.offer(rank::OWN_ALT, url(&doc, "favicon"));
    feed.language.offer(OWN, s(&doc, "language"));
    feed.author.offer_person(OWN, author(&doc, base));
    let base_string = base.map(|b| b.as_str().to_string());
    let items = doc.get("items").and_then(Value::as_array).into_iter().flatten();
    for item in items.filter(|i| i.is_object()) {
        let mut d = EntryDraft::default();
        d.source_id.offer(
            OWN,
            match item.get("id") {
                Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
        );
        d.title.offer(OWN, s(item, "title").map(Text::plain));
        d.link.offer(OWN, url(item, "url"));
        d.link.offer(rank::OWN_ALT, url(item, "external_url"));
        d.published.offer(OWN, s(item, "date_published").and_then(|d| parse_date(&d)));
        d.updated.offer(OWN, s(item, "date_modified").and_then(|d| parse_date(&d)));
        d.author.offer_person(OWN, author(item, base));
        d.summary.offer(OWN, s(item, "summary").map(Text::plain));
        d.content.offer(OWN, s(item, "content_html").map(|h| Text::html(h, base_string.clone())));
        d.content.offer(rank::OWN_ALT, s(item, "content_text").map(Text::plain));
        d.image.offer(OWN, url(item, "image"));
        d.image.offer(rank::OWN_ALT, url(item, "banner_image"));
        for a in item.get("attachments").and_then(Value::as_array).into_iter().flatten() {
            if let Some(u) = url(a, "url") {
                d.add_enclosure(Enclosure {
                    url: u,
                    mime_type: s(a, "mime_type"),
                    length: a.get("size_in_bytes").and_then(Value::as_u64),
                    duration_seconds: a.get("duration_in_seconds").and_then(Value::as_u64),
                });
            }
        }
        match item.get("tags") {
            Some(Value::Array(tags)) => {
                for t in tags.iter().filter_map(Value::as_str) {
                    d.add_category(t);
                }
            }
            // `"tags": "one"`: a tag written as a bare string.
            Some(Value::String(t)) => d.add_category(t),
            _ => {}
        }
        push_entry(&mut feed, d);
    }
    Ok(feed.finish(format, true))
}

/// The version of a JSON Feed as it is written, or `None` when the document is none.
fn format_of(doc: &Value) -> Option<Format> {
    let version = doc.get("version").and_then(Value::as_str).unwrap_or("").trim();
    let names_jsonfeed = version.contains("jsonfeed.org/version/");
    let has = |k: &str| doc.get(k).and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty());
    let shaped = doc.get("items").is_some_and(Value::is_array) && (has("title") || has("feed_url"));
    if !names_jsonfeed && !shaped {
        return None;
    }
    let number = version.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let number = number.trim_start_matches(['v', 'V']);
    Some(match number {
        "1.1" => Format::Json11,
        "1" | "1.0" => Format::Json10,
        _ => Format::Json,
    })
}

/// 1.1 `authors[0]`, else 1.0 `author`. Either may be a bare name (`"author": "Jane"`), and
/// `authors` a single object instead of an array.
fn author(v: &Value, base: Option<&Url>) -> Option<Person> {
    let first = match v.get("authors") {
        Some(Value::Array(a)) => a.iter().map(|a| person(a, base)).find(Option::is_some).flatten(),
        Some(a) => person(a, base),
        None => None,
    };
    first.or_else(|| v.get("author").and_then(|a| person(a, base)))
}

fn person(a: &Value, base: Option<&Url>) -> Option<Person> {
    if let Some(name) = a.as_str() {
        return super::common::person_from_string(name);
    }
    let name = a.get("name").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty());
    // A `mailto:` URL is the address, read before URL resolution (whose policy keeps mail
    // links out of stored URLs).
    let raw = a.get("url").and_then(Value::as_str).map(str::trim).filter(|u| !u.is_empty());
    let (uri, email) = match raw {
        Some(u) if u.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:")) => {
            (None, Some(u[7..].to_string()))
        }
        u => (u.and_then(|u| resolve_against(base, u)), None),
    };
    let name = name.map(str::to_string);
    (name.is_some() || uri.is_some() || email.is_some()).then_some(Person { name, email, uri })
}
