//! The library: every entry, its status and content, and every feed's state and counts, in a
//! database built for reading (IndexedDB in the browser).
//!
//! ```text
//!   service (worker) ──┐                      ┌── popup (reads its views itself)
//!                      ▼                      ▼
//!              core::library::Library  (views, counts, ingest, retention, marks)
//!                      │
//!                      ▼
//!               db::Db  (the port)  ◄── browser::idb (IndexedDB)   memory::MemoryDb (tests)
//! ```
//!
//! Why this shape (measured in Chromium on the build before it, README "Figures"): the
//! popup assembled every view by asking the worker, which read and decoded every feed's
//! list (4.65 MB at 10,000 unread) on every open, and the worker's start read them all again
//! to count the badge. Here:
//!
//! - **Views are indexes.** Every list the reader shows (unread or all, by feed, by member,
//!   starred) is an index of the `entries` store ([`record`]), read a page at a time with one
//!   `getAll` and a limit ([`view`]), so opening the popup costs one page whatever the number
//!   of entries, and the popup reads it straight from IndexedDB without waking the worker.
//!   Search is a multi-entry index of words ([`search`]).
//! - **Counts are records.** Each feed's record holds its unread, total and starred counts
//!   and its members' ([`record::Counts`]), changed in the same transaction as the entries
//!   they count, so the badge and the switcher read one small record per feed.
//! - **Writes are transactions in proportion to the change.** A read mark rewrites one entry
//!   record and one feed record; a refresh of a feed writes its new and edited entries, their
//!   HTML and words, and its feed record, in one transaction, all or nothing ([`ingest`]).
//!
//! Content and status share a record but not a lifetime: retention drops an entry's content
//! (its list data, HTML and words) while its status stays, so an old item that re-appears is
//! not new again (README "Retention").

pub mod db;
pub mod ingest;
pub mod key;
pub mod memory;
pub mod record;
pub mod search;
pub mod view;

use self::db::{Db, Mode, Source, StoreName, Txn};
use self::ingest::{Policy, Prepared, Report};
use self::key::{Key, Range};
use self::record::{
    hashes_of, hashes_value, html_of, html_value, search_value, Counts, EntryRecord, FeedRecord,
};
use self::view::{Cursor, Page, View};
use crate::core::error::PortError;
use crate::core::store::{EntryStatus, FeedId, FeedState, Millis, StatusMap, StoredEntry};
use std::collections::{BTreeMap, HashMap};

pub use self::record::ENTRY_STORES;

/// One feed's records, as a migration brings them into the library.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedImport {
    pub feed: FeedRecord,
    pub entries: Vec<EntryRecord>,
    /// Entry id → sanitized HTML.
    pub html: BTreeMap<String, String>,
    /// Entry id → search words.
    pub words: BTreeMap<String, Vec<String>>,
}

/// The library over a database.
pub struct Library<'a, D: Db> {
    db: &'a D,
}

/// Every record of one feed: the primary keys `[feed, …]`.
fn feed_range(feed: &FeedId) -> Range {
    Range::prefix(vec![Key::str(feed.0.as_str())])
}

impl<'a, D: Db> Library<'a, D> {
    pub fn new(db: &'a D) -> Self {
        Library { db }
    }

    /// Every feed's record. A record the store cannot read is replaced by an empty one
    /// that says so in its state (its counts come back with the next refresh).
    pub async fn feeds(&self) -> Result<Vec<FeedRecord>, PortError> {
        let txn = self.db.begin(&[StoreName::Feeds], Mode::Read).await?;
        let values = txn.get_all(Source::Store(StoreName::Feeds), &Range::all(), None).await?;
        Ok(values.iter().filter_map(feed_or_damaged).filter(|f| !f.removed).collect())
    }

    /// The total of unread entries over every feed (what the badge shows). Reads only the
    /// counts of each feed record (the module every wake instantiates carries no decoder of
    /// fetch state).
    pub async fn unread(&self) -> Result<u32, PortError> {
        Ok(self.counts().await?.iter().map(|(_, c)| c.unread).sum())
    }

    /// Every feed's id and counts (its fetch state not read).
    pub async fn counts(&self) -> Result<Vec<(FeedId, Counts)>, PortError> {
        let txn = self.db.begin(&[StoreName::Feeds], Mode::Read).await?;
        let values = txn.get_all(Source::Store(StoreName::Feeds), &Range::all(), None).await?;
        Ok(values.iter().filter_map(record::counts_of).collect())
    }

    pub async fn feed(&self, id: &FeedId) -> Result<Option<FeedRecord>, PortError> {
        let txn = self.db.begin(&[StoreName::Feeds], Mode::Read).await?;
        Ok(txn
            .get(StoreName::Feeds, &FeedRecord::key(id))
            .await?
            .as_ref()
            .and_then(feed_or_damaged))
    }

    /// One page of `view`.
    pub async fn page(
        &self,
        view: &View,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page, PortError> {
        view::page(self.db, view, after, limit).await
    }

    /// One entry and its sanitized HTML.
    pub async fn entry(
        &self,
        feed: &FeedId,
        id: &str,
    ) -> Result<Option<(EntryRecord, Option<String>)>, PortError> {
        let txn = self.db.begin(&[StoreName::Entries, StoreName::Html], Mode::Read).await?;
        let key = EntryRecord::key(feed, id);
        let Some(v) = txn.get(StoreName::Entries, &key).await? else { return Ok(None) };
        let record = EntryRecord::from_value(&v).map_err(PortError)?;
        let html = txn.get(StoreName::Html, &key).await?.as_ref().and_then(html_of);
        Ok(Some((record, html)))
    }

    /// Some entries, by identity (those that exist).
    pub async fn entries(&self, keys: &[(FeedId, String)]) -> Result<Vec<EntryRecord>, PortError> {
        let txn = self.db.begin(&[StoreName::Entries], Mode::Read).await?;
        let mut out = Vec::with_capacity(keys.len());
        for (feed, id) in keys {
            if let Some(v) = txn.get(StoreName::Entries, &EntryRecord::key(feed, id)).await? {
                out.extend(EntryRecord::from_value(&v).ok());
            }
        }
        Ok(out)
    }

    /// Every record of `feed` (with content or not). Unreadable ones are left out.
    pub async fn records(&self, feed: &FeedId) -> Result<Vec<EntryRecord>, PortError> {
        let txn = self.db.begin(&[StoreName::Entries], Mode::Read).await?;
        read_records(&txn, feed).await
    }

    /// What is stored of `feed`'s entries as the sync rules take it: the list data of those
    /// with content, and every status.
    pub async fn lists(&self, feed: &FeedId) -> Result<(Vec<StoredEntry>, StatusMap), PortError> {
        Ok(split(&self.records(feed).await?))
    }

    /// Entry id → hash of the stored content of `feed`'s entries: what [`ingest::prepare`]
    /// needs to leave unchanged entries alone. One small record; when it is missing or
    /// unreadable, the entry records themselves.
    pub async fn known_hashes(&self, feed: &FeedId) -> Result<HashMap<String, String>, PortError> {
        let txn = self.db.begin(&[StoreName::Hashes, StoreName::Entries], Mode::Read).await?;
        if let Some(h) =
            txn.get(StoreName::Hashes, &FeedRecord::key(feed)).await?.as_ref().and_then(hashes_of)
        {
            return Ok(h.into_iter().collect());
        }
        Ok(read_records(&txn, feed)
            .await?
            .into_iter()
            .filter_map(|r| r.entry.map(|e| (r.id, e.hash)))
            .collect())
    }

    /// Write a feed's fetch state (its counts untouched). Nothing when it did not change, or
    /// when the feed was unsubscribed meanwhile (a tombstone).
    pub async fn put_state(&self, feed: &FeedId, state: &FeedState) -> Result<bool, PortError> {
        let txn = self.db.begin(&[StoreName::Feeds], Mode::Write).await?;
        let key = FeedRecord::key(feed);
        let mut record = match txn.get(StoreName::Feeds, &key).await? {
            Some(v) => FeedRecord::from_value(&v).unwrap_or_else(|_| FeedRecord::new(feed.clone())),
            None => FeedRecord::new(feed.clone()),
        };
        if &record.state == state || record.removed {
            return Ok(false);
        }
        record.state = state.clone();
        txn.put(StoreName::Feeds, &record.to_value())?;
        txn.commit().await?;
        Ok(true)
    }

    /// Merge a prepared document into `feed` and write it with the feed's new `state`, in
    /// one transaction. `initial` gives a new entry's status. `None` when the feed was
    /// unsubscribed meanwhile (a tombstone): nothing is written.
    ///
    /// What it reads is in proportion to the change: the records of the new and edited
    /// entries (the others' statuses stay as they are) and the feed's record, whose counts
    /// move by the difference. Retention needs every record of the feed; it runs when the
    /// feed holds more entries than the policy keeps, and otherwise once a day
    /// ([`FeedState::retained`]).
    pub async fn ingest(
        &self,
        feed: &FeedId,
        state: &FeedState,
        prepared: &Prepared,
        now: Millis,
        policy: &Policy,
        initial: impl Fn(&str, Option<Millis>, Millis) -> EntryStatus,
    ) -> Result<Option<Report>, PortError> {
        let txn = self.db.begin(&ENTRY_STORES, Mode::Write).await?;
        let feed_key = FeedRecord::key(feed);
        let stored = txn.get(StoreName::Feeds, &feed_key).await?;
        if stored.as_ref().and_then(|v| v.get("removed")).and_then(|r| r.as_bool()) == Some(true) {
            return Ok(None);
        }
        let mut counts = stored.as_ref().and_then(record::counts_of).map(|(_, c)| c);
        let mut hashes =
            match txn.get(StoreName::Hashes, &feed_key).await?.as_ref().and_then(hashes_of) {
                Some(h) => h,
                None => {
                    counts = None; // derived data missing: the whole pass rebuilds both
                    BTreeMap::new()
                }
            };
        let mut state = state.clone();
        let retained_long_ago = state.retained.is_none_or(|t| now - t >= crate::core::store::DAY);

        // The records of the new and edited entries, merged.
        let mut records = BTreeMap::new();
        for id in prepared.changed() {
            if let Some(v) = txn.get(StoreName::Entries, &EntryRecord::key(feed, id)).await? {
                if let Ok(r) = EntryRecord::from_value(&v) {
                    records.insert(r.id.clone(), r);
                }
            }
        }
        let before = records.clone();
        let mut report = ingest::merge(feed, &mut records, prepared, now, &initial);
        let mut fast = counts.clone().unwrap_or_default();
        for r in records.values() {
            fast.change(before.get(&r.id), Some(r));
        }
        let full =
            counts.is_none() || retained_long_ago || fast.total as usize > policy.max_entries;
        let report = if full {
            // Every record of the feed, the merged ones over them: the whole pass.
            let mut all: BTreeMap<String, EntryRecord> =
                read_records(&txn, feed).await?.into_iter().map(|r| (r.id.clone(), r)).collect();
            let all_before = all.clone();
            all.extend(records);
            ingest::retain(&mut all, &prepared.ids(), now, policy, &mut report);
            report.counts = Counts::of(all.values());
            report.put =
                all.values().filter(|r| all_before.get(&r.id) != Some(*r)).cloned().collect();
            hashes = all
                .values()
                .filter_map(|r| r.entry.as_ref().map(|e| (r.id.clone(), e.hash.clone())))
                .collect();
            state.retained = Some(now);
            report
        } else {
            report.counts = fast;
            report.put = records.into_values().filter(|r| before.get(&r.id) != Some(r)).collect();
            for r in &report.put {
                if let Some(e) = &r.entry {
                    hashes.insert(r.id.clone(), e.hash.clone());
                }
            }
            report
        };
        for r in &report.put {
            txn.put(StoreName::Entries, &r.to_value())?;
        }
        for id in &report.forget {
            txn.delete(StoreName::Entries, &EntryRecord::key(feed, id))?;
        }
        for (id, html) in &report.html {
            let key = EntryRecord::key(feed, id);
            match html {
                Some(html) => txn.put(StoreName::Html, &html_value(feed, id, html))?,
                None => txn.delete(StoreName::Html, &key)?,
            }
        }
        for (id, words) in &report.words {
            let key = EntryRecord::key(feed, id);
            match (words, report.put.iter().find(|r| &r.id == id)) {
                (Some(words), Some(record)) => {
                    txn.put(StoreName::Search, &search_value(record, words))?
                }
                _ => txn.delete(StoreName::Search, &key)?,
            }
        }
        let changed_hashes = full || !report.put.is_empty();
        if changed_hashes {
            txn.put(StoreName::Hashes, &hashes_value(feed, &hashes))?;
        }
        let record =
            FeedRecord { id: feed.clone(), state, counts: report.counts.clone(), removed: false }
                .to_value();
        if stored.as_ref() != Some(&record) {
            txn.put(StoreName::Feeds, &record)?;
        }
        txn.commit().await?;
        Ok(Some(report))
    }

    /// Change the statuses of some entries with `change` (which says whether it changed
    /// each), keeping every feed's counts; one transaction. Returns the records changed.
    pub async fn update(
        &self,
        keys: &[(FeedId, String)],
        mut change: impl FnMut(&mut EntryRecord) -> bool,
    ) -> Result<Vec<EntryRecord>, PortError> {
        let txn = self.db.begin(&[StoreName::Entries, StoreName::Feeds], Mode::Write).await?;
        let mut changed = Vec::new();
        // Each feed record as stored, and its counts: only the counts change here.
        let mut feeds: HashMap<FeedId, (serde_json::Value, Counts)> = HashMap::new();
        for (feed, id) in keys {
            let Some(v) = txn.get(StoreName::Entries, &EntryRecord::key(feed, id)).await? else {
                continue;
            };
            let Ok(before) = EntryRecord::from_value(&v) else { continue };
            let mut after = before.clone();
            if !change(&mut after) || after == before {
                continue;
            }
            if !feeds.contains_key(feed) {
                let stored = txn.get(StoreName::Feeds, &FeedRecord::key(feed)).await?;
                let stored = stored.unwrap_or_else(|| FeedRecord::new(feed.clone()).to_value());
                let counts = record::counts_of(&stored).map(|(_, c)| c).unwrap_or_default();
                feeds.insert(feed.clone(), (stored, counts));
            }
            if let Some((_, counts)) = feeds.get_mut(feed) {
                counts.change(Some(&before), Some(&after));
            }
            txn.put(StoreName::Entries, &after.to_value())?;
            changed.push(after);
        }
        if changed.is_empty() {
            return Ok(changed);
        }
        for (mut stored, counts) in feeds.into_values() {
            stored["counts"] = serde_json::to_value(counts).expect("counts serialize");
            txn.put(StoreName::Feeds, &stored)?;
        }
        txn.commit().await?;
        Ok(changed)
    }

    /// Replace the statuses of `feed` with what `change` makes of them (given its entries'
    /// list data), recounting the feed; one transaction. Returns the ids changed. This is
    /// how sync applies another profile's read state.
    pub async fn update_feed(
        &self,
        feed: &FeedId,
        change: impl FnOnce(&[StoredEntry], &mut StatusMap) -> Vec<String>,
    ) -> Result<Vec<String>, PortError> {
        let txn = self.db.begin(&[StoreName::Entries, StoreName::Feeds], Mode::Write).await?;
        let mut records = read_records(&txn, feed).await?;
        let (entries, mut status) = split(&records);
        let ids = change(&entries, &mut status);
        if ids.is_empty() {
            return Ok(ids);
        }
        for r in records.iter_mut().filter(|r| ids.contains(&r.id)) {
            if let Some(s) = status.remove(&r.id) {
                r.status = s;
                txn.put(StoreName::Entries, &r.to_value())?;
            }
        }
        let mut record = match txn.get(StoreName::Feeds, &FeedRecord::key(feed)).await? {
            Some(v) => FeedRecord::from_value(&v).unwrap_or_else(|_| FeedRecord::new(feed.clone())),
            None => FeedRecord::new(feed.clone()),
        };
        record.counts = Counts::of(&records);
        txn.put(StoreName::Feeds, &record.to_value())?;
        txn.commit().await?;
        Ok(ids)
    }

    /// Write one feed's records as a migration made them (replacing what is there), in one
    /// transaction.
    pub async fn import(&self, import: &FeedImport) -> Result<(), PortError> {
        let txn = self.db.begin(&ENTRY_STORES, Mode::Write).await?;
        let feed = &import.feed.id;
        for r in &import.entries {
            txn.put(StoreName::Entries, &r.to_value())?;
            if let Some(html) = import.html.get(&r.id) {
                txn.put(StoreName::Html, &html_value(feed, &r.id, html))?;
            }
            if let Some(words) = import.words.get(&r.id) {
                txn.put(StoreName::Search, &search_value(r, words))?;
            }
        }
        let hashes: BTreeMap<String, String> = import
            .entries
            .iter()
            .filter_map(|r| r.entry.as_ref().map(|e| (r.id.clone(), e.hash.clone())))
            .collect();
        txn.put(StoreName::Hashes, &hashes_value(feed, &hashes))?;
        txn.put(StoreName::Feeds, &import.feed.to_value())?;
        txn.commit().await
    }

    /// Remove everything of an unsubscribed `feed` (its entries, statuses, HTML and words)
    /// and leave a tombstone, so that a refresh of it already under way writes nothing.
    pub async fn remove_feed(&self, feed: &FeedId) -> Result<(), PortError> {
        self.clear(feed, true).await
    }

    /// Remove everything of `feed`, its record too: it starts afresh (a reset).
    pub async fn forget_feed(&self, feed: &FeedId) -> Result<(), PortError> {
        self.clear(feed, false).await
    }

    async fn clear(&self, feed: &FeedId, tombstone: bool) -> Result<(), PortError> {
        let txn = self.db.begin(&ENTRY_STORES, Mode::Write).await?;
        for store in [StoreName::Entries, StoreName::Html, StoreName::Search] {
            txn.delete_range(store, &feed_range(feed))?;
        }
        txn.delete(StoreName::Hashes, &FeedRecord::key(feed))?;
        if tombstone {
            let record = FeedRecord { removed: true, ..FeedRecord::new(feed.clone()) };
            txn.put(StoreName::Feeds, &record.to_value())?;
        } else {
            txn.delete(StoreName::Feeds, &FeedRecord::key(feed))?;
        }
        txn.commit().await
    }

    /// A feed subscribed (again): its tombstone, if any, goes.
    pub async fn revive(&self, feed: &FeedId) -> Result<(), PortError> {
        let txn = self.db.begin(&[StoreName::Feeds], Mode::Write).await?;
        let key = FeedRecord::key(feed);
        if let Some(v) = txn.get(StoreName::Feeds, &key).await? {
            if v.get("removed").and_then(|r| r.as_bool()) == Some(true) {
                txn.delete(StoreName::Feeds, &key)?;
                return txn.commit().await;
            }
        }
        Ok(())
    }
}

async fn read_records<T: Txn>(txn: &T, feed: &FeedId) -> Result<Vec<EntryRecord>, PortError> {
    let values = txn.get_all(Source::Store(StoreName::Entries), &feed_range(feed), None).await?;
    Ok(values.iter().filter_map(|v| EntryRecord::from_value(v).ok()).collect())
}

/// Records → (list data of those with content, every status), as the sync rules take them.
fn split(records: &[EntryRecord]) -> (Vec<StoredEntry>, StatusMap) {
    let entries = records.iter().filter_map(|r| r.entry.clone()).collect();
    let status = crate::core::btree_map(records.iter().map(|r| (r.id.clone(), r.status.clone())));
    (entries, status)
}

/// A stored feed record, or an empty one that says it was unreadable.
fn feed_or_damaged(v: &serde_json::Value) -> Option<FeedRecord> {
    match FeedRecord::from_value(v) {
        Ok(r) => Some(r),
        Err(detail) => {
            let id = FeedId(v.get("id")?.as_str()?.to_string());
            let state = FeedState {
                last_error: Some(crate::core::store::FeedError::Damaged { detail }),
                ..FeedState::default()
            };
            Some(FeedRecord { id, state, counts: Counts::default(), removed: false })
        }
    }
}
