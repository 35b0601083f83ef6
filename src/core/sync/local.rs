//! Between the sync state and what `core::store` keeps locally: recording local changes
//! that are not single operations (mark all read, a first sync of an existing profile), and
//! applying a merged state to local subscriptions, statuses and stars.

use super::state::{
    cap, join_reg, live_subscription, Device, Reg, Stamp, Step, SyncState, MAX_FOLDER_CHARS,
    MAX_TITLE_CHARS,
};
use super::{to_secs, ReadMark, Secs, StarState};
use crate::core::store::{EntryStatus, FeedId, Millis, StatusMap, StoredEntry, Subscription};
use std::collections::{HashMap, HashSet};

/// The date sync files an entry under: its own date, else when it arrived on this profile
/// (what the list sorts by too).
pub fn entry_date(entry: Option<&StoredEntry>, status: &EntryStatus) -> Millis {
    entry.and_then(|e| e.date).unwrap_or(status.arrived)
}

/// What applying the sync state does to the local subscription list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionChanges {
    /// The local list after the changes (local order kept, new ones at the end).
    pub subscriptions: Vec<Subscription>,
    /// Subscribed on another profile: to fetch.
    pub added: Vec<FeedId>,
    /// Unsubscribed on another profile: their entries, content and status can go.
    pub removed: Vec<FeedId>,
    /// URL, title or folder changed on another profile.
    pub updated: Vec<FeedId>,
    /// Local subscriptions sync knows nothing of (made before sync, or not recorded): see
    /// [`SyncState::record_local_subscriptions`].
    pub unknown: Vec<FeedId>,
}

impl SubscriptionChanges {
    /// Whether the local list changes.
    pub fn changes_anything(&self) -> bool {
        !(self.added.is_empty() && self.removed.is_empty() && self.updated.is_empty())
    }
}

impl SyncState {
    /// The local subscription list as sync says it should be: a tombstone removes, a live
    /// record adds, each register sync has overrides the local field. A local subscription
    /// sync has no record of is kept (and listed as `unknown`).
    pub fn apply_subscriptions(&self, local: &[Subscription]) -> SubscriptionChanges {
        let mut out = SubscriptionChanges::default();
        let mut seen = HashSet::new();
        for sub in local {
            seen.insert(&sub.id);
            let Some(rec) = self.subs.get(&sub.id) else {
                out.unknown.push(sub.id.clone());
                out.subscriptions.push(sub.clone());
                continue;
            };
            if rec.is_tombstone() {
                out.removed.push(sub.id.clone());
                continue;
            }
            if rec.subscribed.is_none() {
                out.unknown.push(sub.id.clone());
            }
            let mut s = sub.clone();
            if let Some(u) = &rec.url {
                s.url.clone_from(&u.value);
            }
            if let Some(t) = &rec.title {
                s.title.clone_from(&t.value);
            }
            if let Some(f) = &rec.folder {
                s.folder.clone_from(&f.value);
            }
            if &s != sub {
                out.updated.push(s.id.clone());
            }
            out.subscriptions.push(s);
        }
        for (id, rec) in &self.subs {
            if !seen.contains(id) {
                if let Some(s) = live_subscription(id, rec) {
                    out.added.push(id.clone());
                    out.subscriptions.push(s);
                }
            }
        }
        out
    }

    /// Record local subscriptions as of when they were added: for a first sync of a profile
    /// that already has subscriptions, or for ones `apply_subscriptions` found `unknown`.
    /// Nothing newer in sync is overridden (an unsubscribe made elsewhere after `added`
    /// still wins). Returns how many records changed.
    pub fn record_local_subscriptions(&mut self, local: &[Subscription], device: Device) -> usize {
        let mut changed = 0;
        for sub in local {
            let stamp = Stamp { at: to_secs(sub.added), device: device.tag() };
            let rec = self.subs.entry(sub.id.clone()).or_default();
            let before = rec.clone();
            join_reg(&mut rec.subscribed, &Some(Reg { stamp, value: true }));
            if rec.url.is_none() {
                rec.url = Some(Reg { stamp, value: sub.url.clone() });
            }
            if rec.title.is_none() {
                rec.title = Some(Reg { stamp, value: cap(sub.title.as_deref(), MAX_TITLE_CHARS) });
            }
            if rec.folder.is_none() {
                let folder = cap(sub.folder.as_deref(), MAX_FOLDER_CHARS);
                rec.folder = Some(Reg { stamp, value: folder });
            }
            changed += usize::from(*rec != before);
        }
        changed
    }

    /// Apply the state to one feed's local statuses: an entry whose sync read state differs
    /// from its local one takes it, unless the local change is newer (a whole second newer:
    /// sync keeps seconds). Statuses whose entry is gone count too (their date is their
    /// arrival). Returns the ids whose `read` changed.
    pub fn apply_read_state(
        &self,
        feed: &FeedId,
        entries: &[StoredEntry],
        status: &mut StatusMap,
    ) -> Vec<String> {
        let view = self.feed_view(feed);
        let by_id: HashMap<&str, &StoredEntry> =
            entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut changed = Vec::new();
        for (id, st) in status.iter_mut() {
            let date = entry_date(by_id.get(id.as_str()).copied(), st);
            let Some(m) = view.read_state(id, date) else { continue };
            if m.read == st.read || st.changed.is_some_and(|c| to_secs(c) > to_secs(m.at)) {
                continue;
            }
            st.read = m.read;
            st.changed = Some(st.changed.map_or(m.at, |c| c.max(m.at)));
            changed.push(id.clone());
        }
        changed
    }

    /// Apply the state's stars to one feed's local statuses: an entry whose sync star
    /// differs from its local one takes it, unless the local change is newer (a whole
    /// second newer). Returns the ids whose `starred` changed.
    pub fn apply_star_state(&self, feed: &FeedId, status: &mut StatusMap) -> Vec<String> {
        let Some(stars) = self.stars.get(feed) else { return vec![] };
        let mut changed = Vec::new();
        for (id, st) in status.iter_mut() {
            let Some(m) = stars.get(&super::EntryHash::of(id)) else { continue };
            let at = super::to_millis(m.at);
            if m.starred == st.starred || st.star_changed.is_some_and(|c| to_secs(c) > m.at) {
                continue;
            }
            st.starred = m.starred;
            st.star_changed = Some(st.star_changed.map_or(at, |c| c.max(at)));
            changed.push(id.clone());
        }
        changed
    }

    /// Record the local stars of one feed where they are newer than what sync says: for a
    /// first sync of a profile that already has starred entries. Only statuses with a
    /// `star_changed` time say anything. Returns how many were recorded.
    pub fn record_local_star_state(&mut self, feed: &FeedId, status: &StatusMap) -> usize {
        let mut todo = Vec::new();
        for (id, st) in status {
            let Some(changed) = st.star_changed else { continue };
            let newer = match self.star_state(feed, id) {
                None => st.starred,
                Some(m) => m.starred != st.starred && to_secs(changed) > to_secs(m.at),
            };
            if newer {
                todo.push((id.clone(), st.starred, changed));
            }
        }
        for (id, starred, at) in &todo {
            self.star(feed, id, *starred, *at);
        }
        todo.len()
    }

    /// Record the local read state of one feed where it is newer than what sync says: for a
    /// first sync of a profile that already has read entries, and as a safety net. Only
    /// statuses with a `changed` time say anything. Returns how many marks were made.
    pub fn record_local_read_state(
        &mut self,
        feed: &FeedId,
        entries: &[StoredEntry],
        status: &StatusMap,
    ) -> usize {
        let by_id: HashMap<&str, &StoredEntry> =
            entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let view = self.feed_view(feed);
        let mut todo = Vec::new();
        for (id, st) in status {
            let Some(changed) = st.changed else { continue };
            let date = entry_date(by_id.get(id.as_str()).copied(), st);
            let newer = match view.read_state(id, date) {
                None => st.read,
                Some(m) => m.read != st.read && to_secs(changed) > to_secs(m.at),
            };
            if newer {
                todo.push((id.clone(), date, st.read, changed));
            }
        }
        for (id, date, read, at) in &todo {
            self.mark(feed, id, *date, *read, *at);
        }
        todo.len()
    }

    /// Record "mark all read" of one feed at `at`, given the local entries and statuses
    /// after it: the watermark rises to the newest date up to which every local entry is
    /// read (never over an unread one), and read entries above it are marked one by one.
    pub fn mark_all_read(
        &mut self,
        feed: &FeedId,
        entries: &[StoredEntry],
        status: &StatusMap,
        at: Millis,
    ) {
        let by_id: HashMap<&str, &StoredEntry> =
            entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let dated: Vec<(&String, Millis, bool)> = status
            .iter()
            .map(|(id, st)| (id, entry_date(by_id.get(id.as_str()).copied(), st), st.read))
            .collect();
        // Sync keeps seconds: an unread entry in the same second as the watermark would be
        // covered by it, so the watermark stops a whole second before the first unread.
        let first_unread = dated.iter().filter(|d| !d.2).map(|d| to_secs(d.1)).min();
        let upto = dated
            .iter()
            .filter(|d| d.2 && first_unread.is_none_or(|u| to_secs(d.1) < u))
            .map(|d| to_secs(d.1))
            .max();
        if let Some(upto) = upto {
            self.mark_read_up_to(feed, upto * 1000, at);
        }
        let view = self.feed_view(feed);
        let todo: Vec<(&String, Millis)> = dated
            .iter()
            .filter(|d| d.2 && upto.is_none_or(|u| to_secs(d.1) > u))
            .filter(|d| !view.read_state(d.0, d.1).is_some_and(|m| m.read))
            .map(|d| (d.0, d.1))
            .collect();
        for (id, date) in todo {
            self.mark(feed, id, date, true, at);
        }
    }

    /// Fold the oldest read marks of a feed into its watermark: where every local entry
    /// dated up to some date is read, and sync has known each of them read for at least
    /// `settle` (so that an unread made on another profile meanwhile would have arrived and
    /// shown here), the watermark rises to that date, stamped with the newest of those
    /// marks, and the marks it now implies are dropped. Returns whether anything changed.
    ///
    /// This is how the read state of a user who reads entries one by one and never marks
    /// all read stays small. Its one assumption is the watermark's own: an entry dated
    /// before the new watermark that this profile never had counts as read too.
    pub fn fold_read_prefix(
        &mut self,
        feed: &FeedId,
        entries: &[StoredEntry],
        status: &StatusMap,
        now: Millis,
        settle: Millis,
    ) -> bool {
        let by_id: HashMap<&str, &StoredEntry> =
            entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let settled = to_secs(now.saturating_sub(settle));
        let view = self.feed_view(feed);
        // (date, the sync stamp that makes it read and settled, if there is one)
        let dated: Vec<(Secs, Option<Secs>)> = status
            .iter()
            .map(|(id, st)| {
                let date = entry_date(by_id.get(id.as_str()).copied(), st);
                let ok = view
                    .read_state(id, date)
                    .filter(|m| st.read && m.read && to_secs(m.at) <= settled)
                    .map(|m| to_secs(m.at));
                (to_secs(date), ok)
            })
            .collect();
        let first_not = dated.iter().filter(|d| d.1.is_none()).map(|d| d.0).min();
        let covered = || dated.iter().filter(|d| first_not.is_none_or(|f| d.0 < f));
        let Some(upto) = covered().map(|d| d.0).max() else { return false };
        let at = covered().filter_map(|d| d.1).max().expect("covered entries have stamps");
        let Some(fr) = self.read.get_mut(feed) else { return false };
        if fr.watermark_at(upto).is_some_and(|t| t >= at) {
            return false;
        }
        fr.steps.push(Step { upto, at });
        fr.normalize(self.floor);
        true
    }

    /// The status a newly ingested entry starts with: what sync knows of it (a mark made
    /// elsewhere, or a watermark that covers its date; a star made elsewhere), else unread
    /// and not starred.
    pub fn initial_status(
        &self,
        feed: &FeedId,
        entry_id: &str,
        date: Option<Millis>,
        arrived: Millis,
    ) -> EntryStatus {
        let mut status = match self.read_state(feed, entry_id, date.unwrap_or(arrived)) {
            Some(ReadMark { read, at }) => {
                EntryStatus { arrived, read, changed: Some(at), ..Default::default() }
            }
            None => EntryStatus { arrived, read: false, changed: None, ..Default::default() },
        };
        if let Some(StarState { starred, at }) = self.star_state(feed, entry_id) {
            status.starred = starred;
            status.star_changed = Some(at);
        }
        status
    }
}
