//! The records of the library's stores, and the index keys each carries.
//!
//! An entry record holds an entry's status always and its list data while retention keeps
//! it (the NetNewsWire way: a status outlives its article, so an old item that re-appears
//! is not new again). Its index fields are derived here from the rest of the record, on
//! every write, so no index can disagree with the record it points at:
//!
//! | index | key | holds |
//! |---|---|---|
//! | `unread` | `[-time, feed, id]` | entries with content, unread |
//! | `all` | `[-time, feed, id]` | entries with content |
//! | `feed_unread` / `feed_all` | `[feed, -time, id]` | the same, by feed |
//! | `member_unread` / `member_all` | `[member, -time, feed, id]` | the same, by Planet member (or author) |
//! | `starred` | `[-time, feed, id]` | starred entries (never without content: a star keeps it) |
//!
//! An entry a rule hid (`EntryStatus::hidden`) is in no index and no count, like a status
//! whose content is gone, but keeps its content, so the next fetch knows it unchanged.
//!
//! `time` is the entry's date, else when it arrived; negated, so that IndexedDB's ascending
//! order (the only one `getAll` reads in) is newest first, and a page is one `getAll` with a
//! limit. Each key ends in the record's identity, so keys are unique and a page starts
//! exactly after the last key of the one before.

use super::db::StoreName;
use super::key::Key;
use crate::core::store::{EntryStatus, FeedId, FeedState, Millis, StoredEntry};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One entry of one feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRecord {
    pub feed: FeedId,
    pub id: String,
    pub status: EntryStatus,
    /// The list data; `None` once retention dropped the content (the status stays).
    pub entry: Option<StoredEntry>,
}

/// An entry record as stored: identity, status, content (and, derived on write, the index
/// fields, which reading ignores).
#[derive(Serialize, Deserialize)]
struct Stored {
    k: (FeedId, String),
    s: EntryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<StoredEntry>,
}

impl EntryRecord {
    /// The primary key of entry `id` of `feed`.
    pub fn key(feed: &FeedId, id: &str) -> Key {
        Key::Array(vec![Key::str(feed.0.as_str()), Key::str(id)])
    }

    pub fn primary_key(&self) -> Key {
        EntryRecord::key(&self.feed, &self.id)
    }

    /// What the lists sort by: the entry's date, else when it arrived.
    pub fn time(&self) -> Millis {
        self.entry.as_ref().and_then(|e| e.date).unwrap_or(self.status.arrived)
    }

    /// Listed as unread: it has content and is not read (nor hidden).
    pub fn is_unread(&self) -> bool {
        self.is_listed() && !self.status.read
    }

    /// In the lists and counts at all: it has content and no rule hid it.
    pub fn is_listed(&self) -> bool {
        self.entry.is_some() && !self.status.hidden
    }

    pub fn member(&self) -> Option<&str> {
        self.entry.as_ref().and_then(|e| e.member.as_deref())
    }

    /// The record as stored, with its index fields.
    pub fn to_value(&self) -> Value {
        let stored = Stored {
            k: (self.feed.clone(), self.id.clone()),
            s: self.status.clone(),
            e: self.entry.clone(),
        };
        let mut v = serde_json::to_value(stored).expect("records serialize");
        for (name, key) in self.index_keys() {
            v[name] = key.to_value();
        }
        v
    }

    /// The record from what the store holds; an error says what is wrong with it.
    pub fn from_value(v: &Value) -> Result<EntryRecord, String> {
        let Stored { k: (feed, id), s, e } =
            Stored::deserialize(v).map_err(|e| format!("an entry record is unreadable: {e}"))?;
        Ok(EntryRecord { feed, id, status: s, entry: e })
    }

    /// The record's keys in each index it belongs to.
    pub fn index_keys(&self) -> Vec<(&'static str, Key)> {
        if !self.is_listed() {
            return vec![];
        }
        let t = Key::Num(neg_time(self.time()));
        let (feed, id) = (Key::str(self.feed.0.as_str()), Key::str(self.id.as_str()));
        let by_time = Key::Array(vec![t.clone(), feed.clone(), id.clone()]);
        let by_feed = Key::Array(vec![feed.clone(), t.clone(), id.clone()]);
        let unread = !self.status.read;
        let mut keys = vec![("all", by_time.clone()), ("feed_all", by_feed.clone())];
        if unread {
            keys.push(("unread", by_time.clone()));
            keys.push(("feed_unread", by_feed));
        }
        if let Some(member) = self.member() {
            let by_member = Key::Array(vec![Key::str(member), t, feed, id]);
            if unread {
                keys.push(("member_unread", by_member.clone()));
            }
            keys.push(("member_all", by_member));
        }
        if self.status.starred {
            keys.push(("starred", by_time));
        }
        keys
    }

    /// The record's key in `index` (the cursor after it), if it is in that index.
    pub fn index_key(&self, index: &str) -> Option<Key> {
        self.index_keys().into_iter().find(|(name, _)| *name == index).map(|(_, k)| k)
    }
}

/// `-time` as an index key number (never `-0`, which IndexedDB and `f64::total_cmp` order
/// differently).
fn neg_time(t: Millis) -> f64 {
    0.0 - t as f64
}

/// One entry's sanitized HTML, in [`StoreName::Html`].
pub fn html_value(feed: &FeedId, id: &str, html: &str) -> Value {
    json!({ "k": EntryRecord::key(feed, id).to_value(), "html": html })
}

pub fn html_of(v: &Value) -> Option<String> {
    v.get("html").and_then(Value::as_str).map(str::to_string)
}

/// One entry's search words, in [`StoreName::Search`]: each `[word, -time]`, so the
/// `words` index gives the entries holding a word newest first.
pub fn search_value(record: &EntryRecord, words: &[String]) -> Value {
    let t = neg_time(record.time());
    let words: Vec<Value> = words.iter().map(|w| json!([w, t])).collect();
    json!({ "k": record.primary_key().to_value(), "words": words })
}

/// The words of a search record, and the entry it belongs to.
pub fn search_words(v: &Value) -> Option<(Key, Vec<String>)> {
    let key = Key::from_value(v.get("k")?)?;
    let words = v
        .get("words")?
        .as_array()?
        .iter()
        .filter_map(|w| w.get(0).and_then(Value::as_str).map(str::to_string))
        .collect();
    Some((key, words))
}

/// The store a primary key belongs to is the caller's to know; this splits an entry key.
pub fn split_key(key: &Key) -> Option<(FeedId, String)> {
    match key {
        Key::Array(parts) => match parts.as_slice() {
            [Key::Str(feed), Key::Str(id)] => Some((FeedId(feed.clone()), id.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// Unread and total entries (with content).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub unread: u32,
    pub total: u32,
}

/// A feed's counts, kept up to date in the same transaction as every change to its
/// entries, so the badge and the popup's switcher read one small record per feed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub unread: u32,
    pub total: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub starred: u32,
    /// By Planet member (or author).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, Tally>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Counts {
    /// Count `record` in (`sign` 1) or out (`sign` -1).
    fn add(&mut self, record: &EntryRecord, sign: i64) {
        let step = |n: &mut u32, yes: bool| {
            if yes {
                *n = (i64::from(*n) + sign).max(0) as u32;
            }
        };
        let Some(entry) = record.entry.as_ref().filter(|_| !record.status.hidden) else { return };
        let unread = !record.status.read;
        step(&mut self.total, true);
        step(&mut self.unread, unread);
        step(&mut self.starred, record.status.starred);
        if let Some(member) = &entry.member {
            let tally = self.members.entry(member.clone()).or_default();
            step(&mut tally.total, true);
            step(&mut tally.unread, unread);
            if tally.total == 0 {
                self.members.remove(member);
            }
        }
    }

    /// Account for a record changing from `before` to `after` (either absent).
    pub fn change(&mut self, before: Option<&EntryRecord>, after: Option<&EntryRecord>) {
        if let Some(b) = before {
            self.add(b, -1);
        }
        if let Some(a) = after {
            self.add(a, 1);
        }
    }

    /// The counts of `records`, from scratch.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a EntryRecord>) -> Counts {
        let mut counts = Counts::default();
        for r in records {
            counts.add(r, 1);
        }
        counts
    }
}

/// One feed: its fetch state and health, and its counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRecord {
    pub id: FeedId,
    #[serde(default)]
    pub state: FeedState,
    #[serde(default)]
    pub counts: Counts,
    /// A tombstone: the feed was unsubscribed, and its data removed. A refresh of it that
    /// was already under way writes nothing (its transaction sees this), until the feed is
    /// subscribed again ([`crate::core::library::Library::revive`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

impl FeedRecord {
    pub fn new(id: FeedId) -> FeedRecord {
        FeedRecord { id, ..FeedRecord::default() }
    }

    pub fn key(id: &FeedId) -> Key {
        Key::str(id.0.as_str())
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("records serialize")
    }

    pub fn from_value(v: &Value) -> Result<FeedRecord, String> {
        FeedRecord::deserialize(v).map_err(|e| format!("a feed record is unreadable: {e}"))
    }
}

/// The id and counts of a stored feed record, read without its fetch state (`None` for a
/// tombstone).
pub fn counts_of(v: &Value) -> Option<(FeedId, Counts)> {
    #[derive(Deserialize)]
    struct Light {
        id: FeedId,
        #[serde(default)]
        counts: Counts,
        #[serde(default)]
        removed: bool,
    }
    Light::deserialize(v).ok().filter(|l| !l.removed).map(|l| (l.id, l.counts))
}

/// The stores a change to entries (with their counts) touches.
pub const ENTRY_STORES: [StoreName; 5] = StoreName::ALL;

/// A feed's entry hashes as stored in [`StoreName::Hashes`].
pub fn hashes_value(feed: &FeedId, hashes: &BTreeMap<String, String>) -> Value {
    json!({ "id": feed.0, "h": hashes })
}

/// The hashes of a stored hashes record (`None` when it is unreadable).
pub fn hashes_of(v: &Value) -> Option<BTreeMap<String, String>> {
    serde_json::from_value(v.get("h")?.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn record(id: &str, date: Option<Millis>, read: bool, member: Option<&str>) -> EntryRecord {
        EntryRecord {
            feed: FeedId("f1".into()),
            id: id.into(),
            status: EntryStatus { arrived: 5, read, ..Default::default() },
            entry: Some(StoredEntry {
                id: id.into(),
                title: format!("Title {id}"),
                member: member.map(str::to_string),
                link: None,
                date,
                updated: None,
                enclosures: vec![],
                hash: "h".into(),
            }),
        }
    }

    #[test]
    fn a_record_round_trips_and_carries_the_index_keys_it_belongs_to() {
        let r = record("a", Some(100), false, Some("Real Python"));
        let v = r.to_value();
        assert_eq!(EntryRecord::from_value(&v).unwrap(), r);
        assert_eq!(v["unread"], json!([-100.0, "f1", "a"]));
        assert_eq!(v["feed_unread"], json!(["f1", -100.0, "a"]));
        assert_eq!(v["member_unread"], json!(["Real Python", -100.0, "f1", "a"]));
        assert!(v.get("starred").is_none());
        let mut read = r.clone();
        read.status.read = true;
        read.status.starred = true;
        let v = read.to_value();
        assert!(v.get("unread").is_none() && v.get("member_unread").is_none());
        assert_eq!(v["all"], json!([-100.0, "f1", "a"]));
        assert_eq!(v["starred"], json!([-100.0, "f1", "a"]));
    }

    #[test]
    fn a_status_without_content_is_in_no_index_and_not_counted() {
        let mut r = record("a", Some(100), false, None);
        r.entry = None;
        assert!(r.index_keys().is_empty());
        assert_eq!(Counts::of([&r]), Counts::default());
        // Undated: sorted by arrival.
        let undated = record("b", None, false, None);
        assert_eq!(undated.time(), 5);
    }

    #[test]
    fn a_hidden_entry_is_in_no_index_and_not_counted_but_keeps_its_content() {
        let mut r = record("a", Some(100), true, Some("M"));
        r.status.hidden = true;
        r.status.starred = true;
        assert!(r.index_keys().is_empty());
        assert!(!r.is_listed() && !r.is_unread());
        assert_eq!(Counts::of([&r]), Counts::default());
        let v = r.to_value();
        assert_eq!(v["s"]["hidden"], json!(true));
        assert_eq!(EntryRecord::from_value(&v).unwrap(), r);
    }

    #[test]
    fn counts_follow_every_change_and_forget_members_with_nothing_left() {
        let a = record("a", Some(1), false, Some("M"));
        let b = record("b", Some(2), true, Some("M"));
        let mut c = Counts::of([&a, &b]);
        assert_eq!((c.unread, c.total), (1, 2));
        assert_eq!(c.members["M"], Tally { unread: 1, total: 2 });
        let mut a_read = a.clone();
        a_read.status.read = true;
        c.change(Some(&a), Some(&a_read));
        assert_eq!((c.unread, c.total), (0, 2));
        c.change(Some(&a_read), None);
        c.change(Some(&b), None);
        assert_eq!(c, Counts::default());
    }
}
