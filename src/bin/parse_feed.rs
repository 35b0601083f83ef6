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
//! an entry. `--links-as-written` leaves out the one thing that sanitizing *adds* (the
//! `target="_blank" rel="noopener noreferrer"` on every link), so that markup can be
//! compared with other parsers' output; see `tests/conformance/README.md`.

use planet_reader::core::date::{parse_date, to_rfc3339_seconds};
use planet_reader::core::model::{Feed, Person, Text, TextKind};
use planet_reader::core::parse::{parse, ParseContext};
use planet_reader::core::sanitize::{sanitize_html_with, LinkTargets};
use serde_json::{json, Value};
use std::io::Write;

const USAGE: &str = "usage: parse-feed [--links-as-written] FILE...\n       \
    parse-feed [--links-as-written] --url URL [--header 'K: V']... FILE\n       \
    parse-feed --date STRING";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut links = LinkTargets::NewTab;
    let mut url = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--links-as-written" => links = LinkTargets::AsWritten,
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
                Ok(feed) => to_json(&feed, links),
                Err(e) => json!({ "error": e.to_string() }),
            },
            Err(e) => json!({ "error": format!("{f}: {e}") }),
        };
        let _ = writeln!(out, "{doc}");
    }
}

fn text(t: &Option<Text>, links: LinkTargets) -> Value {
    match t {
        None => Value::Null,
        Some(t) if t.kind == TextKind::Plain => Value::String(t.value.clone()),
        Some(t) => Value::String(sanitize_html_with(&t.value, t.base.as_deref(), links)),
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

fn to_json(feed: &Feed, links: LinkTargets) -> Value {
    let entries: Vec<Value> = feed
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "title": text(&e.title, links),
                "link": e.link,
                "published": date(&e.published),
                "updated": date(&e.updated),
                "author": person(&e.author),
                "summary": text(&e.summary, links),
                "content": text(&e.content, links),
                "enclosures": e.enclosures.iter().map(|x| json!({
                    "url": x.url, "type": x.mime_type, "length": x.length,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "version": feed.format.name(),
        "feed": {
            "title": text(&feed.title, links),
            "link": feed.link,
            "description": text(&feed.description, links),
            "updated": date(&feed.updated),
        },
        "entries": entries,
    })
}
