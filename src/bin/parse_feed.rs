//! `parse-feed`: the extension's feed parser as a command, for the conformance corpus and
//! for people. The contract is `shared/conformance/SCHEMA.md`:
//!
//! ```text
//! parse-feed FILE...                              one JSON object per line, per FILE
//! parse-feed --url URL [--header 'K: V']... FILE  as if fetched from URL with those headers
//! parse-feed --date STRING                        the date as "YYYY-MM-DDTHH:MM:SSZ" or null
//! ```
//!
//! HTML values are printed after the same sanitizing the extension applies before it stores
//! an entry (see `core::sanitize`).

use planet_reader::core::date::{parse_date, to_rfc3339_seconds};
use planet_reader::core::model::{Feed, Person, Text, TextKind};
use planet_reader::core::parse::{parse, ParseContext};
use serde_json::{json, Value};
use std::io::Write;

const USAGE: &str = "usage: parse-feed FILE...\n       \
    parse-feed --url URL [--header 'K: V']... FILE\n       \
    parse-feed --date STRING";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut url = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--url" => url = it.next(),
            "--header" => {
                let h = it.next().unwrap_or_default();
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            "--date" => {
                let s = it.next().unwrap_or_default();
                let v =
                    parse_date(&s).map_or(Value::Null, |d| Value::String(to_rfc3339_seconds(&d)));
                println!("{v}");
                return;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        std::process::exit(2);
    }
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let ctx = ParseContext {
        url: url.as_deref(),
        content_type: header("content-type"),
        content_location: header("content-location"),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for f in files {
        let doc = match std::fs::read(&f) {
            Ok(bytes) => match parse(&bytes, &ctx) {
                Ok(feed) => to_json(&feed),
                Err(e) => json!({ "error": e.to_string() }),
            },
            Err(e) => json!({ "error": format!("{f}: {e}") }),
        };
        let _ = writeln!(out, "{doc}");
    }
}

fn text(t: &Option<Text>) -> Value {
    match t {
        None => Value::Null,
        Some(t) if t.kind == TextKind::Plain => Value::String(t.value.clone()),
        Some(t) => Value::String(t.to_safe_html()),
    }
}

fn date(d: &Option<chrono::DateTime<chrono::Utc>>) -> Value {
    d.as_ref().map_or(Value::Null, |d| Value::String(to_rfc3339_seconds(d)))
}

fn person(p: &Option<Person>) -> Value {
    match p {
        None => Value::Null,
        Some(p) => json!({ "name": p.name, "email": p.email, "uri": p.uri }),
    }
}

fn to_json(feed: &Feed) -> Value {
    let entries: Vec<Value> = feed
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "title": text(&e.title),
                "link": e.link,
                "published": date(&e.published),
                "updated": date(&e.updated),
                "author": person(&e.author),
                "summary": text(&e.summary),
                "content": text(&e.content),
                "enclosures": e.enclosures.iter().map(|x| json!({
                    "url": x.url, "type": x.mime_type, "length": x.length,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "version": feed.format.name(),
        "feed": {
            "title": text(&feed.title),
            "link": feed.link,
            "description": text(&feed.description),
            "updated": date(&feed.updated),
        },
        "entries": entries,
    })
}
