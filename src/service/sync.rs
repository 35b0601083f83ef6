//! Sync across the user's profiles through `storage.sync`: the service's side of
//! `core::sync` (read its module doc first; every decision is there).
//!
//! - Every local change to subscriptions or read state is recorded in the replica
//!   (`sync:replica` in `storage.local`) in the same `set` call as the change itself, and
//!   marked pending; the sync alarm is set for when `core::sync::when_to_write` says
//!   (a 3 s debounce, the write-rate quotas).
//! - The write ([`Service::sync_write`]) first merges what is in `storage.sync`, then writes
//!   only the items that changed. A quota error degrades: the encoder already trims read
//!   state oldest first to fit; if the browser still refuses, 10 % is held back and tried
//!   again; a rate refusal waits. What was left out, or why sync stopped, is kept for the
//!   popup. Local data is never touched by a failed write.
//! - A change from another profile (`storage.onChanged`, area "sync"; and every start) is
//!   merged into the replica and applied: subscriptions added, removed, renamed; read marks;
//!   the badge. Feeds subscribed elsewhere are fetched.

use super::local::Batch;
use super::{Platform, Result, Service, ServiceError};
use crate::core::store::DAY;
use crate::core::store::KEY_SYNC_JOURNAL;
use crate::core::store::{FeedId, Millis, SyncMeta, KEY_SUBS, KEY_SYNC_META, KEY_SYNC_REPLICA};
use crate::core::sync::{
    decode, plan_write, recent_writes, retry_after_rate_error, when_to_write, Cause, Device, Items,
    Journal, LocalChange, SyncErrorKind, SyncState, WriteLimits, WriteWhen, KEEP_MARKS,
};
use crate::ports::{Alarms, Jobs, PortError, Store};
use crate::protocol::Change;

impl<P: Platform> Service<P> {
    /// The replica and sync's bookkeeping (the caller holds the lock).
    async fn sync_load(&self) -> Result<(SyncState, SyncMeta)> {
        self.local().pair(KEY_SYNC_REPLICA, KEY_SYNC_META).await
    }

    fn device(&self, meta: &mut SyncMeta) -> Device {
        Device::new(meta.device.get_or_insert_with(|| self.config.device.clone()))
    }

    /// Record local changes for sync, as part of `batch` (the change's own write, or the
    /// one right after it): they go to the journal (`core::sync::journal`), which the
    /// module with the rest of sync folds into the replica, and sync is pending. The caller
    /// holds the lock, commits the batch, then calls [`Service::sync_schedule`].
    pub(super) async fn journal(
        &self,
        batch: &mut Batch<'_, P::Store>,
        changes: impl IntoIterator<Item = LocalChange>,
    ) -> Result<SyncMeta> {
        // Both in one storage call: this is on the path of every read mark.
        let keys = [KEY_SYNC_JOURNAL.to_string(), KEY_SYNC_META.to_string()];
        let mut found = self.platform.store().get(&keys).await?;
        let journal = Journal::append(found.remove(KEY_SYNC_JOURNAL), changes);
        let mut meta: SyncMeta = found
            .remove(KEY_SYNC_META)
            .and_then(|m| serde_json::from_value(m).ok())
            .unwrap_or_default();
        let now = self.now();
        meta.pending = Some(meta.pending.map_or((now, now), |(first, _)| (first, now)));
        batch.put(KEY_SYNC_JOURNAL, &journal);
        batch.put(KEY_SYNC_META, &meta);
        Ok(meta)
    }

    /// Fold the journal into the replica and empty it (the caller holds the lock).
    async fn fold_journal(&self) -> Result<()> {
        let local = self.local();
        let journal: Journal = local.get(KEY_SYNC_JOURNAL).await?.unwrap_or_default();
        if journal.changes.is_empty() && !journal.overflowed {
            return Ok(());
        }
        let (mut replica, mut meta) = self.sync_load().await?;
        let device = self.device(&mut meta);
        let mut lists = std::collections::BTreeMap::new();
        for feed in journal.all_read_feeds() {
            let list = self.library().lists(&feed).await?;
            lists.insert(feed, list);
        }
        let lists_of = |feed: &FeedId| lists.get(feed).cloned();
        for change in &journal.changes {
            replica.fold(change, device, &lists_of);
        }
        if journal.overflowed {
            for sub in local.subscriptions().await? {
                let (entries, status) = self.library().lists(&sub.id).await?;
                replica.record_local_read_state(&sub.id, &entries, &status);
                replica.record_local_star_state(&sub.id, &status);
            }
        }
        let mut batch = local.batch();
        batch.put(KEY_SYNC_REPLICA, &replica);
        batch.put(KEY_SYNC_META, &meta);
        batch.remove(KEY_SYNC_JOURNAL);
        batch.commit().await?;
        Ok(())
    }

    /// Change the replica directly, as part of `batch`, and mark sync pending (the module
    /// with all of sync; the caller holds the lock).
    async fn sync_record(
        &self,
        batch: &mut Batch<'_, P::Store>,
        change: impl FnOnce(&mut SyncState, Device, Millis),
    ) -> Result<()> {
        let (mut replica, mut meta) = self.sync_load().await?;
        let now = self.now();
        let device = self.device(&mut meta);
        change(&mut replica, device, now);
        meta.pending = Some(meta.pending.map_or((now, now), |(first, _)| (first, now)));
        batch.put(KEY_SYNC_REPLICA, &replica);
        batch.put(KEY_SYNC_META, &meta);
        Ok(())
    }

    /// Set the sync alarm for the pending changes, if any.
    pub(super) async fn sync_schedule(&self) -> Result<()> {
        let meta: SyncMeta = self.local().get(KEY_SYNC_META).await?.unwrap_or_default();
        self.sync_schedule_for(&meta).await
    }

    /// [`Service::sync_schedule`] with the bookkeeping the caller just wrote.
    pub(super) async fn sync_schedule_for(&self, meta: &SyncMeta) -> Result<()> {
        let Some((first, last)) = meta.pending else { return Ok(()) };
        let now = self.now();
        let at = match when_to_write(first, last, &meta.writes, 1, now, &WriteLimits::default()) {
            WriteWhen::Now => now,
            WriteWhen::At(t) => t,
        };
        self.platform.alarms().schedule_sync(at).await?;
        Ok(())
    }

    /// At worker start: a profile that has never synced records what it has; then whatever
    /// other profiles wrote meanwhile is merged in, and pending changes are scheduled.
    pub async fn sync_start(&self) -> Result<()> {
        {
            let _guard = self.lock().await?;
            let local = self.local();
            if local.get::<SyncState>(KEY_SYNC_REPLICA).await?.is_none() {
                let subs = local.subscriptions().await?;
                let mut lists = Vec::with_capacity(subs.len());
                for s in &subs {
                    lists.push((s.id.clone(), self.library().lists(&s.id).await?));
                }
                let mut batch = local.batch();
                self.sync_record(&mut batch, |replica, device, _now| {
                    replica.record_local_subscriptions(&subs, device);
                    for (feed, (entries, status)) in &lists {
                        replica.record_local_read_state(feed, entries, status);
                        replica.record_local_star_state(feed, status);
                    }
                })
                .await?;
                batch.commit().await?;
            }
        }
        self.sync_pull().await?;
        self.sync_schedule().await
    }

    /// Merge what `storage.sync` holds into the replica and apply it here (another profile
    /// wrote, or this worker started). This profile may hold what storage lost to a
    /// concurrent writer: that is written back (only what adds to storage; see
    /// `core::sync::plan_write`).
    pub async fn sync_pull(&self) -> Result<()> {
        self.sync_exchange(Cause::Remote).await
    }

    /// Write the pending changes (the sync alarm fired), after merging what is there.
    pub async fn sync_write(&self) -> Result<()> {
        self.sync_exchange(Cause::Local).await
    }

    /// Read `storage.sync`, merge it in, write what `cause` calls for; then fetch the feeds
    /// other profiles subscribed to.
    async fn sync_exchange(&self, cause: Cause) -> Result<()> {
        let change = {
            let _guard = self.lock().await?;
            self.fold_journal().await?;
            let items = self.platform.sync_area().get_all().await?;
            let change = self.merge_remote(&items).await?;
            self.write_items(&items, cause).await?;
            change
        };
        if let Some((change, added)) = change {
            self.show_badge().await?;
            self.notify(change);
            if added {
                // Feeds subscribed elsewhere: fetched by the module that parses.
                self.platform.jobs().refresh(false, None).await?;
            }
        }
        Ok(())
    }

    /// What the popup should say about sync, if anything.
    pub async fn sync_notice(&self) -> Result<Option<String>> {
        let meta: Option<SyncMeta> = self.local().get(KEY_SYNC_META).await?;
        Ok(meta.and_then(|m| m.notice))
    }

    /// Merge `items` into the replica and apply the result to local data: what changed
    /// (for the pages), and whether feeds were subscribed elsewhere (to fetch); `None` when
    /// nothing did. The caller holds the lock.
    async fn merge_remote(&self, items: &Items) -> Result<Option<(Change, bool)>> {
        let (mut replica, mut meta) = self.sync_load().await?;
        let decoded = match decode(items) {
            Ok(d) => d,
            Err(e) => {
                let SyncErrorKind::NewerVersion(_) = e.kind else {
                    return Err(ServiceError(format!("sync data is unreadable: {e}")));
                };
                meta.notice = Some(
                    "Sync is paused: another profile uses a newer Planet Reader. Update this one to sync again."
                        .into(),
                );
                let mut batch = self.local().batch();
                batch.put(KEY_SYNC_META, &meta);
                batch.commit().await?;
                return Ok(Some((Change { subscriptions: true, ..Change::default() }, false)));
            }
        };
        let before = replica.clone();
        replica.merge(&decoded.state);
        self.compact_replica(&mut replica, &mut meta).await?;
        if replica == before {
            return Ok(None);
        }
        let local = self.local();
        let mut batch = local.batch();
        let device = self.device(&mut meta);
        let mut change = Change::default();

        // Subscriptions.
        let subs = local.subscriptions().await?;
        let changes = replica.apply_subscriptions(&subs);
        if !changes.unknown.is_empty() {
            let unknown: Vec<_> =
                subs.iter().filter(|s| changes.unknown.contains(&s.id)).cloned().collect();
            replica.record_local_subscriptions(&unknown, device);
            meta.pending.get_or_insert((self.now(), self.now()));
        }
        if changes.changes_anything() {
            batch.put(KEY_SUBS, &changes.subscriptions);
            change.subscriptions = true;
        }

        // Read state and stars: the library applies them feed by feed, one transaction each.
        for sub in &changes.subscriptions {
            let feed = &sub.id;
            if before.feed_read(feed) == replica.feed_read(feed)
                && before.feed_stars(feed) == replica.feed_stars(feed)
            {
                continue;
            }
            let ids = self
                .library()
                .update_feed(feed, |entries, status| {
                    let mut ids = replica.apply_read_state(feed, entries, status);
                    ids.extend(replica.apply_star_state(feed, status));
                    ids.sort();
                    ids.dedup();
                    ids
                })
                .await?;
            if !ids.is_empty() {
                change.feeds.push(feed.clone());
                change.entries.extend(ids.into_iter().map(|id| (feed.clone(), id)));
            }
        }
        batch.put(KEY_SYNC_REPLICA, &replica);
        batch.put(KEY_SYNC_META, &meta);
        batch.commit().await?;
        for feed in &changes.removed {
            self.library().remove_feed(feed).await?;
            change.feeds.push(feed.clone());
        }
        for feed in &changes.added {
            self.library().revive(feed).await?;
        }
        Ok(Some((change, !changes.added.is_empty())))
    }

    /// Once a day: forget marks past the horizon and fold settled read prefixes into
    /// watermarks, so the replica (and what is synced) stays small.
    async fn compact_replica(&self, replica: &mut SyncState, meta: &mut SyncMeta) -> Result<()> {
        let now = self.now();
        if meta.compacted.is_some_and(|t| now - t < DAY) {
            return Ok(());
        }
        replica.compact(now, KEEP_MARKS);
        for sub in self.local().subscriptions().await? {
            let (entries, status) = self.library().lists(&sub.id).await?;
            replica.fold_read_prefix(&sub.id, &entries, &status, now, DAY);
        }
        meta.compacted = Some(now);
        Ok(())
    }

    /// Write the replica's items over `current` (what `storage.sync` holds), degrading on
    /// quota errors. The caller holds the lock and has merged `current` into the replica.
    async fn write_items(&self, current: &Items, cause: Cause) -> Result<()> {
        let (replica, mut meta) = self.sync_load().await?;
        if cause == Cause::Local && meta.pending.is_none() {
            return Ok(());
        }
        let now = self.now();
        let mut quota = self.config.sync_quota;
        let outcome = loop {
            let plan = plan_write(&replica, current, cause, &quota)
                .map_err(|e| ServiceError(format!("sync data is unreadable: {e}")))?;
            let Some(out) = plan else { break Ok(None) };
            match self.apply_diff(&out.diff).await {
                Ok(()) => break Ok(Some(out)),
                Err(e) if is_size_error(&e) && quota.bytes > self.config.sync_quota.bytes / 2 => {
                    quota = quota.shrunk(10); // the browser counts more than we do: hold back
                }
                Err(e) => break Err(e),
            }
        };
        match outcome {
            Ok(written) => {
                if let Some(out) = &written {
                    meta.writes.extend(std::iter::repeat_n(now, out.diff.operations()));
                    meta.notice = out.trimmed.summary();
                }
                meta.writes = recent_writes(&meta.writes, now);
                meta.pending = None;
                meta.refusals = 0;
            }
            Err(e) if is_rate_error(&e) => {
                meta.refusals += 1;
                let again = retry_after_rate_error(now, meta.refusals);
                self.platform.alarms().schedule_sync(again).await?;
            }
            Err(e) => {
                meta.notice = Some(format!(
                    "Sync failed: {e}. Your subscriptions and read state are kept here."
                ));
            }
        }
        let mut batch = self.local().batch();
        batch.put(KEY_SYNC_META, &meta);
        batch.commit().await?;
        Ok(())
    }

    async fn apply_diff(
        &self,
        diff: &crate::core::sync::Diff,
    ) -> std::result::Result<(), PortError> {
        let area = self.platform.sync_area();
        if !diff.set.is_empty() {
            area.set(diff.set.clone()).await?;
        }
        if !diff.remove.is_empty() {
            area.remove(&diff.remove).await?;
        }
        Ok(())
    }

    /// Record a feed's permanent move for sync (refresh follows a 301/308).
    pub(super) async fn sync_moved(
        &self,
        batch: &mut Batch<'_, P::Store>,
        feed: &FeedId,
        url: &str,
    ) -> Result<()> {
        let at = self.now();
        self.journal(batch, [LocalChange::Moved { feed: feed.clone(), url: url.to_string(), at }])
            .await
            .map(drop)
    }
}

/// A size quota exceeded (`QUOTA_BYTES`, `QUOTA_BYTES_PER_ITEM`, `MAX_ITEMS`), in each
/// browser's words: Chromium 156 says "Resource::kQuotaBytes quota exceeded" (and
/// `kQuotaBytesPerItem`, `kMaxItems`), older Chromium "QUOTA_BYTES quota exceeded", and
/// Firefox the same for all three: "QuotaExceededError: storage.sync API call exceeded its
/// quota limitations."
fn is_size_error(e: &PortError) -> bool {
    ["QUOTA_BYTES", "MAX_ITEMS", "kQuotaBytes", "kMaxItems", "QuotaExceededError"]
        .iter()
        .any(|q| e.0.contains(q))
}

/// `MAX_WRITE_OPERATIONS_PER_MINUTE` / `_PER_HOUR` quota exceeded: "This request exceeds
/// the MAX_WRITE_OPERATIONS_PER_MINUTE quota." (Chromium; Firefox has no rate quota).
fn is_rate_error(e: &PortError) -> bool {
    e.0.contains("MAX_WRITE_OPERATIONS")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As Chromium 156 and Firefox 153 word them (seen in the end-to-end tests), and as
    /// older Chromium did.
    const SIZE: [&str; 7] = [
        "Resource::kQuotaBytes quota exceeded",
        "Resource::kQuotaBytesPerItem quota exceeded",
        "Resource::kMaxItems quota exceeded",
        "QuotaExceededError: storage.sync API call exceeded its quota limitations.",
        "QUOTA_BYTES quota exceeded",
        "QUOTA_BYTES_PER_ITEM quota exceeded",
        "MAX_ITEMS quota exceeded",
    ];
    const RATE: [&str; 3] = [
        "This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.",
        "This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.",
        "MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded",
    ];

    fn error(message: &str) -> PortError {
        PortError(message.into())
    }

    #[test]
    fn size_errors_are_recognised_in_both_browsers_words() {
        for message in SIZE {
            assert!(is_size_error(&error(message)), "{message}");
            assert!(!is_rate_error(&error(message)), "{message}");
        }
    }

    #[test]
    fn rate_errors_are_not_size_errors() {
        for message in RATE {
            assert!(is_rate_error(&error(message)), "{message}");
            assert!(!is_size_error(&error(message)), "{message}");
        }
        assert!(!is_size_error(&error("NetworkError when attempting to fetch resource.")));
    }
}
