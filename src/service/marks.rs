//! Read marks and stars: the user's own state of entries.
//!
//! Each change is one library transaction (the entries' records and their feeds' counts),
//! then one `storage.local` write of sync's replica under the lock, then the badge (for
//! read marks), then a [`Change`] for the open pages.

use super::{Platform, Result, Service, ServiceError};
use crate::core::btree_set;
use crate::core::library::record::EntryRecord;
use crate::core::library::view::{Cursor, Scope, View};
use crate::core::store::{FeedId, Millis};
use crate::core::sync::{entry_date, LocalChange};
use crate::protocol::{Change, EntryKey};
use std::collections::BTreeSet;

/// Entries read per page when a whole view is marked.
const MARK_PAGE: usize = 500;

impl<P: Platform> Service<P> {
    /// Mark one entry read or unread.
    pub async fn mark_read(&self, feed: &FeedId, id: &str, read: bool) -> Result<()> {
        let key = (feed.clone(), id.to_string());
        if self.library().entries(std::slice::from_ref(&key)).await?.is_empty() {
            return Err(ServiceError(format!("no entry {id} in feed {feed}")));
        }
        self.mark_entries(&[key], read, None).await?;
        Ok(())
    }

    /// Mark `keys` read or unread (only those that arrived by `arrived_by`, when given);
    /// answers those whose state changed.
    pub async fn mark_entries(
        &self,
        keys: &[EntryKey],
        read: bool,
        arrived_by: Option<Millis>,
    ) -> Result<Vec<EntryKey>> {
        let now = self.now();
        let changed = self
            .library()
            .update(keys, |r| {
                let seen = arrived_by.is_none_or(|t| r.status.arrived <= t);
                if r.status.read == read || !seen || r.entry.is_none() {
                    return false;
                }
                r.status.read = read;
                r.status.changed = Some(now);
                true
            })
            .await?;
        self.after_marks(&changed, read, false).await
    }

    /// Mark every unread entry of `view` that had arrived by `arrived_by` read: what the
    /// user saw when they last looked at the view, not what arrived since. Answers the
    /// entries marked, which an undo marks unread again.
    pub async fn mark_view_read(&self, view: &View, arrived_by: Millis) -> Result<Vec<EntryKey>> {
        let view = View { unread_only: true, ..view.clone() };
        let lib = self.library();
        let mut keys = Vec::new();
        let mut after: Option<Cursor> = None;
        loop {
            let page = lib.page(&view, after.as_ref(), MARK_PAGE).await?;
            keys.extend(
                page.entries
                    .iter()
                    .filter(|r| r.status.arrived <= arrived_by)
                    .map(|r| (r.feed.clone(), r.id.clone())),
            );
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let now = self.now();
        let changed = lib
            .update(&keys, |r| {
                if r.status.read || r.status.arrived > arrived_by || r.entry.is_none() {
                    return false;
                }
                r.status.read = true;
                r.status.changed = Some(now);
                true
            })
            .await?;
        // A whole feed marked (every entry, or one feed's) travels as a watermark, not
        // entry by entry (see `core::sync`).
        let whole = view.search.is_none() && matches!(view.scope, Scope::All | Scope::Feed { .. });
        self.after_marks(&changed, true, whole).await
    }

    /// Mark every unread entry that had arrived by `arrived_by` read; answers how many.
    pub async fn mark_all_read(&self, arrived_by: Millis) -> Result<usize> {
        Ok(self.mark_view_read(&View::default(), arrived_by).await?.len())
    }

    /// Star (save for later) or unstar one entry. A starred entry is kept whatever the
    /// retention policy says, and listed in the Starred view.
    pub async fn star(&self, feed: &FeedId, id: &str, starred: bool) -> Result<()> {
        let now = self.now();
        let key = (feed.clone(), id.to_string());
        let changed = self
            .library()
            .update(std::slice::from_ref(&key), |r| {
                if r.status.starred == starred || r.entry.is_none() {
                    return false;
                }
                r.status.starred = starred;
                r.status.star_changed = Some(now);
                true
            })
            .await?;
        if changed.is_empty() {
            if self.library().entries(&[key]).await?.is_empty() {
                return Err(ServiceError(format!("no entry {id} in feed {feed}")));
            }
            return Ok(());
        }
        {
            let _guard = self.lock().await?;
            let mut batch = self.local().batch();
            let change =
                LocalChange::Star { feed: feed.clone(), id: id.to_string(), starred, at: now };
            self.journal(&mut batch, [change]).await?;
            batch.commit().await?;
        }
        self.sync_schedule().await?;
        self.notify(changes(&changed));
        Ok(())
    }

    /// After a mark: record it for sync, show the badge, tell the pages. `whole`: every
    /// unread entry of each feed concerned was marked read.
    async fn after_marks(
        &self,
        changed: &[EntryRecord],
        read: bool,
        whole: bool,
    ) -> Result<Vec<EntryKey>> {
        if changed.is_empty() {
            return Ok(vec![]);
        }
        let feeds: BTreeSet<FeedId> = btree_set(changed.iter().map(|r| r.feed.clone()));
        let meta = {
            let _guard = self.lock().await?;
            let mut batch = self.local().batch();
            let at = self.now();
            let journal: Vec<LocalChange> = if whole {
                feeds.iter().map(|feed| LocalChange::AllRead { feed: feed.clone(), at }).collect()
            } else {
                changed
                    .iter()
                    .map(|rec| LocalChange::Mark {
                        feed: rec.feed.clone(),
                        id: rec.id.clone(),
                        date: entry_date(rec.entry.as_ref(), &rec.status),
                        read,
                        at,
                    })
                    .collect()
            };
            let meta = self.journal(&mut batch, journal).await?;
            batch.commit().await?;
            meta
        };
        self.sync_schedule_for(&meta).await?;
        self.show_badge().await?;
        self.notify(changes(changed));
        Ok(changed.iter().map(|r| (r.feed.clone(), r.id.clone())).collect())
    }
}

/// The change a set of changed records makes.
fn changes(records: &[EntryRecord]) -> Change {
    let feeds: BTreeSet<FeedId> = btree_set(records.iter().map(|r| r.feed.clone()));
    Change {
        entries: records.iter().map(|r| (r.feed.clone(), r.id.clone())).collect(),
        feeds: feeds.into_iter().collect(),
        ..Change::default()
    }
}
