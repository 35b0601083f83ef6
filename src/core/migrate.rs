//! Migrations of what is stored in `storage.local`, from any earlier schema to
//! [`SCHEMA_VERSION`]. Pure: the stored items in, the writes to make out. The service runs
//! them at worker start, before anything else reads storage: `set`, then `remove`, then the
//! new `meta` last. Every step is idempotent on partly migrated data, so a migration cut
//! short (the old `meta` still stored) is simply run again.
//!
//! | version | change |
//! |---|---|
//! | 1 | first schema: `feed:<id>` held `next_due`, `last_attempt`, `last_success` |
//! | 2 | those three are volatile and move to `storage.session` (`check:<id>`), so a refresh where nothing changed writes nothing; a failing feed's `next_due` becomes the durable `retry_at`; `last_success` becomes `changed` |
//! | 3 | `content:<id>` (every entry's HTML in one map) is split into one `html:<id>:<entry id>` key per entry, so a refresh writes only the HTML of new and edited entries |

use super::store::{html_key, FeedId, Meta, KEY_META, SCHEMA_VERSION};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// What a migration writes: `set`, then `remove`, then `meta`.
#[derive(Clone, Debug, PartialEq)]
pub struct Migration {
    pub from: u32,
    pub set: BTreeMap<String, Value>,
    pub remove: Vec<String>,
    /// Written last: until it is, the data counts as the old schema.
    pub meta: Meta,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrateError {
    /// Written by a newer Planet Reader: not touched, rather than mangled.
    Newer(u32),
    Unreadable(String),
}

impl fmt::Display for MigrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrateError::Newer(v) => write!(
                f,
                "the stored data is from a newer Planet Reader (schema {v}, this one knows {SCHEMA_VERSION})"
            ),
            MigrateError::Unreadable(e) => write!(f, "the stored schema version is unreadable: {e}"),
        }
    }
}

/// The migration that brings `stored` (every key of `storage.local`) to the current schema;
/// `None` when it is current already, or empty (a fresh install).
pub fn migrate(stored: &BTreeMap<String, Value>) -> Result<Option<Migration>, MigrateError> {
    let Some(meta) = stored.get(KEY_META) else { return Ok(None) };
    let meta: Meta = serde_json::from_value(meta.clone())
        .map_err(|e| MigrateError::Unreadable(e.to_string()))?;
    if meta.schema == SCHEMA_VERSION {
        return Ok(None);
    }
    if meta.schema > SCHEMA_VERSION {
        return Err(MigrateError::Newer(meta.schema));
    }
    let mut m = Migration {
        from: meta.schema,
        set: BTreeMap::new(),
        remove: Vec::new(),
        meta: Meta { schema: SCHEMA_VERSION },
    };
    if meta.schema < 2 {
        v1_to_v2(stored, &mut m);
    }
    if meta.schema < 3 {
        v2_to_v3(stored, &mut m);
    }
    Ok(Some(m))
}

fn v2_to_v3(stored: &BTreeMap<String, Value>, m: &mut Migration) {
    for (key, value) in stored {
        let Some(feed) = key.strip_prefix("content:") else { continue };
        let feed = FeedId(feed.to_string());
        for (entry, html) in value.as_object().into_iter().flatten() {
            m.set.insert(html_key(&feed, entry), html.clone());
        }
        m.remove.push(key.clone());
    }
}

fn v1_to_v2(stored: &BTreeMap<String, Value>, m: &mut Migration) {
    for (key, value) in stored.iter().filter(|(k, _)| k.starts_with("feed:")) {
        let Some(old) = value.as_object() else { continue };
        let mut new: Map<String, Value> = old.clone();
        let next_due = new.remove("next_due").and_then(|v| v.as_i64());
        new.remove("last_attempt");
        if let Some(success) = new.remove("last_success") {
            new.insert("changed".into(), success);
        }
        let failing = new.get("failures").and_then(Value::as_u64).unwrap_or(0) > 0;
        if let (true, Some(due)) = (failing, next_due) {
            new.insert("retry_at".into(), Value::from(due));
        }
        m.set.insert(key.clone(), Value::Object(new));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::FeedState;
    use serde_json::json;

    fn items(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn version_1_data_moves_its_volatile_fields_out_and_keeps_a_backoff() {
        let v1 = items(json!({
            "meta": {"schema": 1},
            "subs": [{"id": "a", "url": "https://a.test/feed", "added": 1}],
            "feed:a": {"title": "A", "etag": "\"x\"", "next_due": 5000, "last_attempt": 100,
                       "last_success": 90, "failures": 0},
            "feed:b": {"title": "B", "next_due": 9000, "last_attempt": 200, "failures": 3,
                       "last_error": {"kind": "http", "status": 503}},
            "entries:a": []
        }));
        let m = migrate(&v1).unwrap().expect("a migration");
        assert_eq!(m.from, 1);
        assert_eq!(m.meta, Meta { schema: SCHEMA_VERSION });
        assert!(!m.set.contains_key("meta"), "meta is written last, apart");
        let a: FeedState = serde_json::from_value(m.set["feed:a"].clone()).unwrap();
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.etag.as_deref(), Some("\"x\""));
        assert_eq!((a.changed, a.retry_at), (Some(90), None));
        assert!(m.set["feed:a"].get("next_due").is_none());
        let b: FeedState = serde_json::from_value(m.set["feed:b"].clone()).unwrap();
        assert_eq!((b.failures, b.retry_at), (3, Some(9000)), "a failing feed keeps backing off");
        assert!(!m.set.contains_key("subs") && !m.set.contains_key("entries:a"), "untouched");
    }

    #[test]
    fn version_2_content_maps_become_one_html_key_per_entry() {
        let v2 = items(json!({
            "meta": {"schema": 2},
            "entries:f1": [],
            "content:f1": {"https://a.test/1": "<p>one</p>", "guid:2": "<p>two</p>"},
            "content:f2": {},
            "status:f1": {}
        }));
        let m = migrate(&v2).unwrap().expect("a migration");
        assert_eq!(m.from, 2);
        let set: Vec<(&str, &Value)> = m.set.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            set,
            [
                ("html:f1:guid:2", &json!("<p>two</p>")),
                ("html:f1:https://a.test/1", &json!("<p>one</p>")),
            ]
        );
        assert_eq!(m.remove, ["content:f1", "content:f2"]);
        // Cut short after `set` and `remove`: run again on what is left, it finishes.
        let mut left = v2.clone();
        left.retain(|k, _| !m.remove.contains(k));
        left.extend(m.set.clone());
        let again = migrate(&left).unwrap().expect("still schema 2");
        assert!(again.set.is_empty() && again.remove.is_empty());
        assert_eq!(again.meta.schema, SCHEMA_VERSION);
    }

    #[test]
    fn current_and_fresh_data_need_nothing_and_newer_data_is_refused() {
        assert_eq!(migrate(&items(json!({}))).unwrap(), None);
        assert_eq!(migrate(&items(json!({"meta": {"schema": SCHEMA_VERSION}}))).unwrap(), None);
        assert_eq!(
            migrate(&items(json!({"meta": {"schema": 99}}))).unwrap_err(),
            MigrateError::Newer(99)
        );
    }
}
