//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>), read with serde_json.
//!
//! Lenient like the XML formats: every field is optional, a field of the wrong JSON type is
//! ignored rather than failing the feed, and 1.0's `author` and 1.1's `authors` both work.

use super::common::{push_entry, resolve_against, EntryDraft};
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
    let version = doc.get("version").and_then(Value::as_str).unwrap_or("");
    let format = if version.contains("jsonfeed.org/version/1.1") {
        Format::Json11
    } else if version.contains("jsonfeed.org/version/1") {
        Format::Json10
    } else {
        return Err(ParseError {
            kind: ParseErrorKind::NotAFeed,
            detail: "JSON without a jsonfeed.org version".into(),
        });
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let url = |v: &Value, k: &str| {
        v.get(k).and_then(Value::as_str).and_then(|u| resolve_against(base, u))
    };
    let mut feed = Feed::new(format);
    feed.title = s(&doc, "title").map(Text::plain);
    feed.link = url(&doc, "home_page_url");
    feed.self_link = url(&doc, "feed_url");
    feed.description = s(&doc, "description").map(Text::plain);
    feed.image = url(&doc, "icon").or_else(|| url(&doc, "favicon"));
    feed.language = s(&doc, "language");
    feed.author = author(&doc, base);
    let base_string = base.map(|b| b.as_str().to_string());
    for item in doc.get("items").and_then(Value::as_array).into_iter().flatten() {
        let mut d = EntryDraft {
            source_id: match item.get("id") {
                Some(Value::String(id)) => Some(id.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
            title: s(item, "title").map(Text::plain),
            link: url(item, "url").or_else(|| url(item, "external_url")),
            published: s(item, "date_published").and_then(|d| parse_date(&d)),
            updated: s(item, "date_modified").and_then(|d| parse_date(&d)),
            author: author(item, base),
            summary: s(item, "summary").map(Text::plain),
            ..EntryDraft::default()
        };
        d.content = match (s(item, "content_html"), s(item, "content_text")) {
            (Some(html), _) => Some(Text::html(html, base_string.clone())),
            (None, Some(text)) => Some(Text::plain(text)),
            _ => None,
        };
        for a in item.get("attachments").and_then(Value::as_array).into_iter().flatten() {
            if let Some(u) = url(a, "url") {
                if d.enclosures.len() < 64 {
                    d.enclosures.push(Enclosure {
                        url: u,
                        mime_type: s(a, "mime_type"),
                        length: a.get("size_in_bytes").and_then(Value::as_u64),
                        duration_seconds: a.get("duration_in_seconds").and_then(Value::as_u64),
                    });
                }
            }
        }
        for t in item.get("tags").and_then(Value::as_array).into_iter().flatten() {
            if let Some(t) = t.as_str() {
                if d.categories.len() < 64 {
                    d.categories.push(t.to_string());
                }
            }
        }
        push_entry(&mut feed, d);
    }
    Ok(feed)
}

/// 1.1 `authors[0]`, else 1.0 `author`.
fn author(v: &Value, base: Option<&Url>) -> Option<Person> {
    let a = v
        .get("authors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .or_else(|| v.get("author"))?;
    let name = a.get("name").and_then(Value::as_str).map(str::to_string);
    let uri = a.get("url").and_then(Value::as_str).and_then(|u| resolve_against(base, u));
    let (uri, email) = match uri {
        Some(u) if u.starts_with("mailto:") => (None, Some(u["mailto:".len()..].to_string())),
        u => (u, None),
    };
    (name.is_some() || uri.is_some() || email.is_some()).then_some(Person { name, email, uri })
}
