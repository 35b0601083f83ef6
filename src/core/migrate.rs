//! Migrations of what Planet Reader stores, from any earlier schema to [`SCHEMA_VERSION`].
//! Pure: every item of `storage.local` in, a [`Plan`] out. The service carries it out at
//! worker start, before anything else reads storage: the library's records (one
//! transaction per feed), then the `storage.local` writes and removals, then the new
//! `meta` last. Every step is idempotent on partly migrated data, so a migration cut short
//! (the old `meta` still stored) is simply run again.
//!
//! | version | change |
//! |---|---|
//! | 1 | first schema: `feed:<id>` held `next_due`, `last_attempt`, `last_success` |
//! | 2 | those three are volatile and move to `storage.session` (`check:<id>`), so a refresh where nothing changed writes nothing; a failing feed's `next_due` becomes the durable `retry_at`; `last_success` becomes `changed` |
//! | 3 | `content:<id>` (every entry's HTML in one map) is split into one `html:<id>:<entry id>` key per entry, so a refresh writes only the HTML of new and edited entries |
//! | 4 | entries, statuses, HTML and feed states leave `storage.local` for the library (IndexedDB, `core::library`): `feed:`, `entries:`, `status:`, `html:` become feed and entry records, with counts and search words |
//!
//! A value that cannot be read is not dropped: it is kept under `damaged:<its key>` and its
//! feed says so (`FeedError::Damaged`), so start-up goes on and the user can reset that
//! feed (and nothing is lost that could still be recovered by hand).

use super::library::ingest::Policy;
use super::library::record::{Counts, EntryRecord, FeedRecord};
use super::library::search::{entry_words, text_of_html};
pub use super::library::FeedImport;
use super::store::{
    FeedError, FeedId, FeedState, Meta, StatusMap, StoredEntry, KEY_META, SCHEMA_VERSION,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Prefix under which an unreadable value is kept.
pub const DAMAGED_PREFIX: &str = "damaged:";

/// What a migration does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub from: u32,
    /// Feeds to write into the library, each in one transaction.
    pub feeds: Vec<FeedImport>,
    /// `storage.local` items to write (after the library).
    pub set: BTreeMap<String, Value>,
    /// `storage.local` keys to remove (after `set`).
    pub remove: Vec<String>,
    /// Written last: until it is, the data counts as the old schema.
    pub meta: Meta,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrateError {
    /// Written by a newer Planet Reader: not touched, rather than mangled.
    Newer(u32),
}

impl fmt::Display for MigrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrateError::Newer(v) => write!(
                f,
                "the stored data is from a newer Planet Reader (schema {v}, this one knows {SCHEMA_VERSION})"
            ),
        }
    }
}

/// The schema `stored` is at: `None` for a fresh install (no `meta`). An unreadable `meta`
/// counts as the oldest schema: migrating current data again changes nothing.
pub fn schema_of(meta: Option<&Value>) -> Option<u32> {
    meta.map(|m| serde_json::from_value::<Meta>(m.clone()).map_or(1, |m| m.schema))
}

/// The plan that brings `stored` (every item of `storage.local`) to the current schema;
/// `None` when it is current already, or empty (a fresh install).
pub fn migrate(stored: &BTreeMap<String, Value>) -> Result<Option<Plan>, MigrateError> {
    let Some(schema) = schema_of(stored.get(KEY_META)) else { return Ok(None) };
    if schema == SCHEMA_VERSION {
        return Ok(None);
    }
    if schema > SCHEMA_VERSION {
        return Err(MigrateError::Newer(schema));
    }
    // The old steps rewrite storage.local items; run them on a copy, then move the result
    // into the library.
    let mut items = stored.clone();
    if schema < 2 {
        v1_to_v2(&mut items);
    }
    if schema < 3 {
        v2_to_v3(&mut items);
    }
    let mut plan = Plan { from: schema, meta: Meta { schema: SCHEMA_VERSION }, ..Plan::default() };
    v3_to_v4(stored, &items, &mut plan);
    Ok(Some(plan))
}

fn v1_to_v2(items: &mut BTreeMap<String, Value>) {
    for (_, value) in items.iter_mut().filter(|(k, _)| k.starts_with("feed:")) {
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
        *value = Value::Object(new);
    }
}

fn v2_to_v3(items: &mut BTreeMap<String, Value>) {
    let contents: Vec<String> =
        items.keys().filter(|k| k.starts_with("content:")).cloned().collect();
    for key in contents {
        let Some(value) = items.remove(&key) else { continue };
        let feed = &key["content:".len()..];
        for (entry, html) in value.as_object().into_iter().flatten() {
            items.insert(format!("html:{feed}:{entry}"), html.clone());
        }
    }
}

/// Every feed with anything stored under `feed:`, `entries:` or `status:` becomes one
/// [`FeedImport`]; those keys, and every `html:` and `content:` key, are removed.
fn v3_to_v4(original: &BTreeMap<String, Value>, items: &BTreeMap<String, Value>, plan: &mut Plan) {
    let mut feeds: BTreeMap<String, ()> = BTreeMap::new();
    for key in items.keys() {
        for prefix in ["feed:", "entries:", "status:"] {
            if let Some(id) = key.strip_prefix(prefix) {
                feeds.insert(id.to_string(), ());
            }
        }
    }
    let damage = |key: &str, plan: &mut Plan| {
        if let Some(v) = original.get(key).or_else(|| items.get(key)) {
            plan.set.insert(format!("{DAMAGED_PREFIX}{key}"), v.clone());
        }
    };
    for id in feeds.keys() {
        let feed = FeedId(id.clone());
        let mut damaged = Vec::new();
        let read = |key: String| items.get(&key).cloned();
        let state: FeedState = match read(format!("feed:{id}")) {
            None => FeedState::default(),
            Some(v) => serde_json::from_value(v).unwrap_or_else(|e| {
                damaged.push((format!("feed:{id}"), e.to_string()));
                FeedState::default()
            }),
        };
        let entries: Vec<StoredEntry> = match read(format!("entries:{id}")) {
            None => vec![],
            Some(v) => serde_json::from_value(v).unwrap_or_else(|e| {
                damaged.push((format!("entries:{id}"), e.to_string()));
                vec![]
            }),
        };
        let status: StatusMap = match read(format!("status:{id}")) {
            None => StatusMap::new(),
            Some(v) => serde_json::from_value(v).unwrap_or_else(|e| {
                damaged.push((format!("status:{id}"), e.to_string()));
                StatusMap::new()
            }),
        };
        let mut import = FeedImport::default();
        let mut by_id: BTreeMap<String, EntryRecord> = BTreeMap::new();
        for e in entries {
            // An entry without a status (never happens after an ingest) arrived unread.
            let s = status.get(&e.id).cloned().unwrap_or_else(|| crate::core::store::EntryStatus {
                arrived: e.date.unwrap_or(0),
                ..Default::default()
            });
            let html = items.get(&format!("html:{id}:{}", e.id)).and_then(Value::as_str);
            if let Some(html) = html {
                import.html.insert(e.id.clone(), html.to_string());
            }
            let text = html.map(text_of_html).unwrap_or_default();
            let words = entry_words([
                e.title.as_str(),
                e.member.as_deref().unwrap_or(""),
                state.title.as_deref().unwrap_or(""),
                text.as_str(),
            ]);
            import.words.insert(e.id.clone(), words);
            by_id.insert(
                e.id.clone(),
                EntryRecord { feed: feed.clone(), id: e.id.clone(), status: s, entry: Some(e) },
            );
        }
        // Statuses whose entry is gone, bounded as ingest bounds them.
        let gone = Policy::default().max_gone_statuses;
        let mut rest: Vec<(&String, &crate::core::store::EntryStatus)> =
            status.iter().filter(|(k, _)| !by_id.contains_key(*k)).collect();
        rest.sort_by_key(|(k, s)| std::cmp::Reverse((s.arrived, (*k).clone())));
        for (k, s) in rest.into_iter().take(gone) {
            by_id.insert(
                k.clone(),
                EntryRecord { feed: feed.clone(), id: k.clone(), status: s.clone(), entry: None },
            );
        }
        import.entries = by_id.into_values().collect();
        let mut state = state;
        if let Some((_, detail)) = damaged.first() {
            state.last_error = Some(FeedError::Damaged { detail: detail.clone() });
        }
        for (key, _) in &damaged {
            damage(key, plan);
        }
        import.feed =
            FeedRecord { id: feed, state, counts: Counts::of(&import.entries), removed: false };
        plan.feeds.push(import);
    }
    plan.remove = original
        .keys()
        .filter(|k| {
            ["feed:", "entries:", "status:", "html:", "content:"].iter().any(|p| k.starts_with(p))
        })
        .cloned()
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn items(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    fn import<'a>(plan: &'a Plan, id: &str) -> &'a FeedImport {
        plan.feeds.iter().find(|f| f.feed.id.0 == id).expect("feed imported")
    }

    #[test]
    fn version_3_data_becomes_library_records_with_counts_and_words() {
        let v3 = items(json!({
            "meta": {"schema": 3},
            "subs": [{"id": "f1", "url": "https://a.test/feed", "added": 1}],
            "feed:f1": {"title": "Planet Python", "etag": "\"x\""},
            "entries:f1": [
                {"id": "e1", "title": "One", "member": "Real Python", "date": 2000, "hash": "h1"},
                {"id": "e2", "title": "Two", "date": 1000, "hash": "h2"}
            ],
            "status:f1": {
                "e1": {"arrived": 10, "read": true, "changed": 20},
                "e2": {"arrived": 10, "read": false},
                "gone": {"arrived": 5, "read": true, "changed": 6}
            },
            "html:f1:e1": "<p>Decorators &amp; descriptors</p>",
            "sync:replica": {"keep": "me"}
        }));
        let plan = migrate(&v3).unwrap().expect("a plan");
        assert_eq!((plan.from, plan.meta.schema), (3, SCHEMA_VERSION));
        let f = import(&plan, "f1");
        assert_eq!(f.feed.state.etag.as_deref(), Some("\"x\""));
        assert_eq!((f.feed.counts.unread, f.feed.counts.total), (1, 2));
        assert_eq!(f.entries.len(), 3, "the status of a gone entry is kept");
        let gone = f.entries.iter().find(|r| r.id == "gone").unwrap();
        assert!(gone.entry.is_none() && gone.status.read);
        assert_eq!(f.html["e1"], "<p>Decorators &amp; descriptors</p>");
        for w in ["real", "python", "planet", "decorators", "descriptors"] {
            assert!(f.words["e1"].contains(&w.to_string()), "{w}");
        }
        let mut removed = plan.remove.clone();
        removed.sort();
        assert_eq!(removed, ["entries:f1", "feed:f1", "html:f1:e1", "status:f1"]);
        assert!(plan.set.is_empty());
    }

    #[test]
    fn version_1_and_2_data_migrate_through_every_step() {
        let v1 = items(json!({
            "meta": {"schema": 1},
            "feed:b": {"title": "B", "next_due": 9000, "last_attempt": 200, "failures": 3,
                       "last_success": 90, "last_error": {"kind": "http", "status": 503}},
            "entries:b": [{"id": "x", "title": "X", "hash": "h"}],
            "status:b": {"x": {"arrived": 1, "read": false}},
            "content:b": {"x": "<p>x</p>"}
        }));
        let plan = migrate(&v1).unwrap().unwrap();
        let b = import(&plan, "b");
        assert_eq!((b.feed.state.failures, b.feed.state.retry_at), (3, Some(9000)));
        assert_eq!(b.feed.state.changed, Some(90));
        assert_eq!(b.html["x"], "<p>x</p>", "the v2 content map reached the record");
        assert!(plan.remove.contains(&"content:b".to_string()));
    }

    #[test]
    fn an_unreadable_value_is_kept_aside_and_its_feed_says_so() {
        let v3 = items(json!({
            "meta": {"schema": 3},
            "entries:f1": {"not": "a list"},
            "status:f1": {"e1": {"arrived": 10, "read": true}},
            "entries:f2": [{"id": "a", "title": "A", "hash": "h"}]
        }));
        let plan = migrate(&v3).unwrap().unwrap();
        let f1 = import(&plan, "f1");
        assert!(matches!(f1.feed.state.last_error, Some(FeedError::Damaged { .. })));
        assert_eq!(f1.entries.len(), 1, "its readable statuses still come");
        assert_eq!(plan.set["damaged:entries:f1"], json!({"not": "a list"}));
        let f2 = import(&plan, "f2");
        assert_eq!(f2.feed.state.last_error, None);
        assert_eq!(f2.feed.counts.unread, 1);
    }

    #[test]
    fn current_and_fresh_data_need_nothing_and_newer_data_is_refused() {
        assert_eq!(migrate(&items(json!({}))).unwrap(), None);
        assert_eq!(migrate(&items(json!({"meta": {"schema": SCHEMA_VERSION}}))).unwrap(), None);
        assert_eq!(
            migrate(&items(json!({"meta": {"schema": 99}}))).unwrap_err(),
            MigrateError::Newer(99)
        );
        // An unreadable meta is migrated as the oldest schema (idempotent on current data).
        let plan = migrate(&items(json!({"meta": "??"}))).unwrap().unwrap();
        assert_eq!(plan.from, 1);
    }
}
