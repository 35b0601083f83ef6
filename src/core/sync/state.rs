//! The sync state: a join-semilattice of subscriptions, read state and stars.
//!
//! Every part is a lattice whose join is a maximum, so [`SyncState::merge`] is commutative,
//! associative and idempotent, and every local operation only moves the state up (it is
//! inflationary): whatever order states arrive in, replicas that have seen the same
//! operations are equal.

use super::{to_millis, to_secs, ReadMark, Secs, MAX_SECS};
use crate::core::identity::fnv1a64;
use crate::core::store::{FeedId, Millis, Subscription};
use std::collections::{BTreeMap, HashMap};

/// The longest user title (in characters) sync carries; longer names are cut (the cap
/// on every subscription title, `core::caps::USER_TITLE`).
pub const MAX_TITLE_CHARS: usize = crate::core::caps::USER_TITLE;
/// The longest folder path (in characters) sync carries (`core::caps::FOLDER`).
pub const MAX_FOLDER_CHARS: usize = crate::core::caps::FOLDER;

/// This profile, as it signs its subscription changes: a 24-bit tag of the device id the
/// caller keeps (for example random at install, stored in `storage.local`). It only breaks
/// ties between changes made in the same second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Device(u32);

impl Device {
    pub fn new(id: &str) -> Device {
        Device((fnv1a64(id.as_bytes()) >> 40) as u32)
    }

    pub fn tag(self) -> u32 {
        self.0
    }
}

/// When a subscription field was set, and by which device: ordered by time, then device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// Seconds since the Unix epoch.
    pub at: Secs,
    pub device: u32,
}

/// A last-writer-wins register: the greater `(stamp, value)` wins, so even two writes with
/// the same stamp have one winner.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reg<T> {
    pub stamp: Stamp,
    pub value: T,
}

pub(super) fn join_reg<T: Ord + Clone>(mine: &mut Option<Reg<T>>, theirs: &Option<Reg<T>>) {
    if theirs > mine {
        mine.clone_from(theirs);
    }
}

/// One feed's subscription: four registers, each absent until some device sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubRecord {
    pub(super) subscribed: Option<Reg<bool>>,
    pub(super) url: Option<Reg<String>>,
    pub(super) title: Option<Reg<Option<String>>>,
    pub(super) folder: Option<Reg<Option<String>>>,
}

impl SubRecord {
    /// Subscribed (`true`) or unsubscribed (a tombstone, `false`), and since when.
    pub fn subscribed(&self) -> Option<&Reg<bool>> {
        self.subscribed.as_ref()
    }
    pub fn url(&self) -> Option<&Reg<String>> {
        self.url.as_ref()
    }
    pub fn title(&self) -> Option<&Reg<Option<String>>> {
        self.title.as_ref()
    }
    pub fn folder(&self) -> Option<&Reg<Option<String>>> {
        self.folder.as_ref()
    }

    pub fn is_tombstone(&self) -> bool {
        self.subscribed.as_ref().is_some_and(|r| !r.value)
    }

    pub fn is_live(&self) -> bool {
        self.subscribed.as_ref().is_some_and(|r| r.value)
    }

    pub(super) fn join(&mut self, other: &SubRecord) {
        join_reg(&mut self.subscribed, &other.subscribed);
        join_reg(&mut self.url, &other.url);
        join_reg(&mut self.title, &other.title);
        join_reg(&mut self.folder, &other.folder);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.subscribed.is_none()
            && self.url.is_none()
            && self.title.is_none()
            && self.folder.is_none()
    }

    /// The newest stamp of any register.
    pub(super) fn newest(&self) -> Option<Stamp> {
        [
            self.subscribed.as_ref().map(|r| r.stamp),
            self.url.as_ref().map(|r| r.stamp),
            self.title.as_ref().map(|r| r.stamp),
            self.folder.as_ref().map(|r| r.stamp),
        ]
        .into_iter()
        .flatten()
        .max()
    }

    /// The record as it is written to `storage.sync`: a tombstone keeps only its stamp.
    pub(super) fn synced(&self) -> SubRecord {
        if self.is_tombstone() {
            SubRecord { subscribed: self.subscribed.clone(), ..SubRecord::default() }
        } else {
            self.clone()
        }
    }
}

/// A 48-bit hash of an entry id (FNV-1a, the top 48 bits): 8 characters in sync. Two ids of
/// one feed share a hash with odds of about 2⁻²⁹ for a feed of 1,000 entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryHash(pub(super) u64);

impl EntryHash {
    pub fn of(entry_id: &str) -> EntryHash {
        EntryHash(fnv1a64(entry_id.as_bytes()) >> 16)
    }

    pub fn value(self) -> u64 {
        self.0
    }
}

/// Which entry a mark is about: its id hash and date (seconds). The date is part of the key
/// so that "is this mark under the watermark?" never depends on which replica is asked.
/// Ordered by entry first, so that an entry's marks (one, unless its date changed upstream)
/// are found together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MarkKey {
    pub entry: EntryHash,
    pub date: Secs,
}

/// A read or unread mark: the later one wins; at the same second, read wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark {
    pub at: Secs,
    pub read: bool,
}

/// A star (saved for later) or its removal: the later one wins; at the same second, the
/// star wins. Stars are filed by entry alone (no date): nothing covers them the way a
/// watermark covers read marks, and no horizon forgets them, since a saved entry is kept
/// however old it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StarMark {
    pub at: Secs,
    pub starred: bool,
}

/// One feed's stars and unstars, by entry.
pub type FeedStars = BTreeMap<EntryHash, StarMark>;

/// What sync says of one entry's star: starred or not, and since when (milliseconds, a
/// whole second).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StarState {
    pub starred: bool,
    pub at: Millis,
}

/// "Every entry dated up to `upto` was read at `at`" (mark all read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Step {
    pub upto: Secs,
    pub at: Secs,
}

/// One feed's read state: the watermark and the marks that are not implied by it.
///
/// The watermark is a staircase of [`Step`]s, none dominating another (higher `upto` means
/// lower `at`), so that two "mark all read" made at once on two profiles with different
/// views both keep their exact meaning. Almost always it is a single step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedRead {
    pub(super) steps: Vec<Step>,
    pub(super) marks: BTreeMap<MarkKey, Mark>,
}

impl FeedRead {
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn marks(&self) -> &BTreeMap<MarkKey, Mark> {
        &self.marks
    }

    /// When the watermark says an entry dated `date` was read: the newest step covering it.
    pub fn watermark_at(&self, date: Secs) -> Option<Secs> {
        let i = self.steps.partition_point(|s| s.upto < date);
        self.steps.get(i).map(|s| s.at)
    }

    /// The newest time anything in this feed's read state was set.
    pub(super) fn newest(&self) -> Secs {
        let steps = self.steps.iter().map(|s| s.at);
        steps.chain(self.marks.values().map(|m| m.at)).max().unwrap_or(Secs::MIN)
    }

    pub(super) fn join(&mut self, other: &FeedRead) {
        if !other.steps.is_empty() {
            self.steps.extend_from_slice(&other.steps);
        }
        for (k, m) in &other.marks {
            let mine = self.marks.entry(*k).or_insert(*m);
            if m > mine {
                *mine = *m;
            }
        }
    }

    /// The canonical form: the staircase reduced to its undominated steps, and the marks
    /// that say something the watermark does not (dated before `floor`, or not newer than
    /// the step covering them, a mark can change nothing and is dropped).
    pub(super) fn normalize(&mut self, floor: Option<Secs>) {
        self.steps = frontier(std::mem::take(&mut self.steps));
        let steps = &self.steps;
        let covered_at = |date: Secs| {
            let i = steps.partition_point(|s| s.upto < date);
            steps.get(i).map(|s| s.at)
        };
        self.marks.retain(|k, m| {
            floor.is_none_or(|f| k.date >= f) && covered_at(k.date).is_none_or(|t| m.at > t)
        });
    }

    pub(super) fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.marks.is_empty()
    }

    /// The newest opinion on an entry: its newest mark (under any date: an entry's date may
    /// differ between profiles), against the watermark at `date`.
    pub fn effective(&self, entry: EntryHash, date: Secs) -> Option<Mark> {
        let all = MarkKey { entry, date: Secs::MIN }..=MarkKey { entry, date: Secs::MAX };
        let mark = self.marks.range(all).map(|(_, m)| *m).max();
        let wm = self.watermark_at(date).map(|at| Mark { at, read: true });
        mark.max(wm)
    }
}

/// The undominated steps, by `upto` ascending (so `at` descending).
fn frontier(mut steps: Vec<Step>) -> Vec<Step> {
    if steps.len() <= 1 {
        return steps;
    }
    steps.sort_unstable_by(|a, b| b.cmp(a)); // upto descending, then at descending
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for s in steps {
        if out.last().is_none_or(|last| s.at > last.at) {
            out.push(s);
        }
    }
    out.reverse();
    out
}

/// Subscriptions and read state as synced, with every stamp needed to merge them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    pub(super) subs: BTreeMap<FeedId, SubRecord>,
    pub(super) read: BTreeMap<FeedId, FeedRead>,
    pub(super) stars: BTreeMap<FeedId, FeedStars>,
    /// Marks on entries dated before this are forgotten (see [`SyncState::compact`]).
    pub(super) floor: Option<Secs>,
}

/// A quick index of one feed's read state, for deciding many entries at once.
pub struct FeedView<'a> {
    read: Option<&'a FeedRead>,
    newest: HashMap<EntryHash, Mark>,
}

impl FeedView<'_> {
    /// The read state sync knows for an entry dated `date` (milliseconds), if any.
    pub fn read_state(&self, entry_id: &str, date: Millis) -> Option<ReadMark> {
        let read = self.read?;
        let mark = self.newest.get(&EntryHash::of(entry_id)).copied();
        let wm = read.watermark_at(to_secs(date)).map(|at| Mark { at, read: true });
        mark.max(wm).map(|m| ReadMark { read: m.read, at: to_millis(m.at) })
    }
}

/// A title or folder as user input is kept (`core::caps::user_text`).
pub(super) fn cap(s: Option<&str>, chars: usize) -> Option<String> {
    s.and_then(|s| crate::core::caps::user_text(s, chars))
}

/// A stamp for a local change at `at` that is newer than `beat` (so the change wins over
/// everything this replica has seen, even stamps from a device whose clock runs ahead).
fn after(at: Millis, beat: Option<Secs>) -> Secs {
    let now = to_secs(at);
    match beat {
        Some(b) if b >= now => (b + 1).min(MAX_SECS),
        _ => now,
    }
}

impl SyncState {
    pub fn new() -> Self {
        Self::default()
    }

    // ---- merge ----------------------------------------------------------------------

    /// Merge another replica's state into this one (the lattice join).
    pub fn merge(&mut self, other: &SyncState) {
        for (id, rec) in &other.subs {
            self.subs.entry(id.clone()).or_default().join(rec);
        }
        let floor_rose = other.floor > self.floor;
        self.floor = self.floor.max(other.floor);
        for (id, fr) in &other.read {
            self.read.entry(id.clone()).or_default().join(fr);
        }
        for (id, stars) in &other.stars {
            join_stars(self.stars.entry(id.clone()).or_default(), stars);
        }
        if floor_rose {
            self.normalize();
        } else {
            for id in other.read.keys() {
                self.normalize_feed(id);
            }
        }
    }

    /// The join of two states, as a new value.
    pub fn merged(&self, other: &SyncState) -> SyncState {
        let mut s = self.clone();
        s.merge(other);
        s
    }

    /// Whether everything `self` knows, `other` knows too (`self ⊑ other`).
    pub fn is_covered_by(&self, other: &SyncState) -> bool {
        &self.merged(other) == other
    }

    pub(super) fn normalize(&mut self) {
        let floor = self.floor;
        self.read.retain(|_, fr| {
            fr.normalize(floor);
            !fr.is_empty()
        });
        self.subs.retain(|_, r| !r.is_empty());
        self.stars.retain(|_, s| !s.is_empty());
    }

    fn normalize_feed(&mut self, id: &FeedId) {
        if let Some(fr) = self.read.get_mut(id) {
            fr.normalize(self.floor);
            if fr.is_empty() {
                self.read.remove(id);
            }
        }
    }

    /// What of this state goes to `storage.sync` when nothing has to be trimmed: all of it,
    /// except an unsubscribed feed's fields (its tombstone keeps only its stamp) and its
    /// read state (which stays on this profile).
    pub fn synced_view(&self) -> SyncState {
        self.seen_through(self)
    }

    /// This state as `by`'s encoding would carry it: without the fields and read state of
    /// the feeds that `by` knows as unsubscribed.
    pub(super) fn seen_through(&self, by: &SyncState) -> SyncState {
        let gone = |id: &FeedId| by.subs.get(id).is_some_and(SubRecord::is_tombstone);
        let mut out = self.clone();
        for (id, rec) in &mut out.subs {
            if gone(id) {
                *rec = SubRecord { subscribed: rec.subscribed.take(), ..SubRecord::default() };
            }
        }
        out.subs.retain(|_, r| !r.is_empty());
        out.read.retain(|id, _| !gone(id));
        out.stars.retain(|id, _| !gone(id));
        out
    }

    // ---- local subscription changes --------------------------------------------------

    fn record_mut(&mut self, id: &FeedId) -> &mut SubRecord {
        self.subs.entry(id.clone()).or_default()
    }

    /// Subscribed to `sub` at `at` (milliseconds) on `device`: URL, title and folder are set
    /// too, with the same stamp.
    pub fn subscribe(&mut self, sub: &Subscription, at: Millis, device: Device) {
        let rec = self.record_mut(&sub.id);
        let stamp = Stamp { at: after(at, rec.newest().map(|s| s.at)), device: device.tag() };
        join_reg(&mut rec.subscribed, &Some(Reg { stamp, value: true }));
        join_reg(&mut rec.url, &Some(Reg { stamp, value: sub.url.clone() }));
        let title = cap(sub.title.as_deref(), MAX_TITLE_CHARS);
        join_reg(&mut rec.title, &Some(Reg { stamp, value: title }));
        let folder = cap(sub.folder.as_deref(), MAX_FOLDER_CHARS);
        join_reg(&mut rec.folder, &Some(Reg { stamp, value: folder }));
    }

    /// Unsubscribed from `feed` at `at`: a tombstone, which a later subscribe overrides.
    pub fn unsubscribe(&mut self, feed: &FeedId, at: Millis, device: Device) {
        let rec = self.record_mut(feed);
        let stamp = Stamp { at: after(at, rec.newest().map(|s| s.at)), device: device.tag() };
        join_reg(&mut rec.subscribed, &Some(Reg { stamp, value: false }));
    }

    /// The user renamed the feed (`None`: back to the feed's own title).
    pub fn rename(&mut self, feed: &FeedId, title: Option<&str>, at: Millis, device: Device) {
        let rec = self.record_mut(feed);
        let stamp =
            Stamp { at: after(at, rec.title.as_ref().map(|r| r.stamp.at)), device: device.tag() };
        join_reg(&mut rec.title, &Some(Reg { stamp, value: cap(title, MAX_TITLE_CHARS) }));
    }

    /// The user moved the feed to `folder` (`None`: out of any folder).
    pub fn move_to_folder(
        &mut self,
        feed: &FeedId,
        folder: Option<&str>,
        at: Millis,
        device: Device,
    ) {
        let rec = self.record_mut(feed);
        let stamp =
            Stamp { at: after(at, rec.folder.as_ref().map(|r| r.stamp.at)), device: device.tag() };
        join_reg(&mut rec.folder, &Some(Reg { stamp, value: cap(folder, MAX_FOLDER_CHARS) }));
    }

    /// The feed's URL changed (a permanent redirect); its id does not.
    pub fn change_url(&mut self, feed: &FeedId, url: &str, at: Millis, device: Device) {
        let rec = self.record_mut(feed);
        let stamp =
            Stamp { at: after(at, rec.url.as_ref().map(|r| r.stamp.at)), device: device.tag() };
        join_reg(&mut rec.url, &Some(Reg { stamp, value: url.to_string() }));
    }

    // ---- local read-state changes ----------------------------------------------------

    /// The user marked one entry (dated `date`, milliseconds) read or unread at `at`.
    pub fn mark(&mut self, feed: &FeedId, entry_id: &str, date: Millis, read: bool, at: Millis) {
        let key = MarkKey { entry: EntryHash::of(entry_id), date: to_secs(date) };
        if self.floor.is_some_and(|f| key.date < f) {
            return; // forgotten at once, as a merge would
        }
        let fr = self.read.entry(feed.clone()).or_default();
        let beat = fr.effective(key.entry, key.date).map(|m| m.at);
        // Newer than the watermark over it, so it is never implied by it: the state stays
        // normal without a pass over the feed.
        let mark = Mark { at: after(at, beat), read };
        let slot = fr.marks.entry(key).or_insert(mark);
        if mark > *slot {
            *slot = mark;
        }
    }

    /// The user starred (`true`) or unstarred one entry at `at`.
    pub fn star(&mut self, feed: &FeedId, entry_id: &str, starred: bool, at: Millis) {
        let stars = self.stars.entry(feed.clone()).or_default();
        let entry = EntryHash::of(entry_id);
        let beat = stars.get(&entry).map(|m| m.at);
        let mark = StarMark { at: after(at, beat), starred };
        let slot = stars.entry(entry).or_insert(mark);
        if mark > *slot {
            *slot = mark;
        }
    }

    /// Every entry of `feed` dated up to `upto` (milliseconds) is read as of `at`: a
    /// watermark step, newer than any mark it covers.
    pub fn mark_read_up_to(&mut self, feed: &FeedId, upto: Millis, at: Millis) {
        let upto = to_secs(upto);
        let fr = self.read.entry(feed.clone()).or_default();
        let beat = fr.marks.iter().filter(|(k, _)| k.date <= upto).map(|(_, m)| m.at).max();
        fr.steps.push(Step { upto, at: after(at, beat) });
        self.normalize_feed(feed);
    }

    /// Forget the marks of entries dated more than `keep` before `now` (the watermarks stay):
    /// bounds the state of a user who never marks all read. The horizon is itself merged (by
    /// maximum), so replicas forget the same marks.
    pub fn compact(&mut self, now: Millis, keep: Millis) {
        let floor = Some(to_secs(now.saturating_sub(keep)));
        if floor > self.floor {
            self.floor = floor;
            self.normalize();
        }
    }

    // ---- queries --------------------------------------------------------------------

    pub fn records(&self) -> &BTreeMap<FeedId, SubRecord> {
        &self.subs
    }

    pub fn record(&self, feed: &FeedId) -> Option<&SubRecord> {
        self.subs.get(feed)
    }

    pub fn feed_read(&self, feed: &FeedId) -> Option<&FeedRead> {
        self.read.get(feed)
    }

    pub fn read_feeds(&self) -> &BTreeMap<FeedId, FeedRead> {
        &self.read
    }

    pub fn feed_stars(&self, feed: &FeedId) -> Option<&FeedStars> {
        self.stars.get(feed)
    }

    pub fn star_feeds(&self) -> &BTreeMap<FeedId, FeedStars> {
        &self.stars
    }

    /// What sync knows of an entry's star: `None` when nothing (the entry keeps its local
    /// state; a new one arrives unstarred).
    pub fn star_state(&self, feed: &FeedId, entry_id: &str) -> Option<StarState> {
        let m = self.stars.get(feed)?.get(&EntryHash::of(entry_id))?;
        Some(StarState { starred: m.starred, at: to_millis(m.at) })
    }

    /// The horizon before which marks are forgotten, in milliseconds.
    pub fn floor(&self) -> Option<Millis> {
        self.floor.map(to_millis)
    }

    /// The subscriptions sync says are live (subscribed, with a URL), as local records;
    /// `added` is when the subscription was (last) made.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        self.subs.iter().filter_map(|(id, r)| live_subscription(id, r)).collect()
    }

    /// What sync knows of an entry's read state: `None` when nothing (the entry keeps its
    /// local state; a new one arrives unread).
    pub fn read_state(&self, feed: &FeedId, entry_id: &str, date: Millis) -> Option<ReadMark> {
        let m = self.read.get(feed)?.effective(EntryHash::of(entry_id), to_secs(date))?;
        Some(ReadMark { read: m.read, at: to_millis(m.at) })
    }

    /// An index of one feed's read state for deciding many entries.
    pub fn feed_view(&self, feed: &FeedId) -> FeedView<'_> {
        let read = self.read.get(feed);
        let mut newest: HashMap<EntryHash, Mark> = HashMap::new();
        for (k, m) in read.into_iter().flat_map(|r| r.marks.iter()) {
            let slot = newest.entry(k.entry).or_insert(*m);
            if m > slot {
                *slot = *m;
            }
        }
        FeedView { read, newest }
    }

    /// Counts, for reports and tests.
    pub fn stats(&self) -> Stats {
        Stats {
            subscriptions: self.subs.values().filter(|r| r.is_live()).count(),
            tombstones: self.subs.values().filter(|r| r.is_tombstone()).count(),
            watermark_steps: self.read.values().map(|r| r.steps.len()).sum(),
            read_marks: self
                .read
                .values()
                .flat_map(|r| r.marks.values())
                .filter(|m| m.read)
                .count(),
            unread_marks: self
                .read
                .values()
                .flat_map(|r| r.marks.values())
                .filter(|m| !m.read)
                .count(),
            stars: self.stars.values().flat_map(|s| s.values()).filter(|m| m.starred).count(),
            unstars: self.stars.values().flat_map(|s| s.values()).filter(|m| !m.starred).count(),
        }
    }
}

/// The join of two feeds' stars: the newer mark of each entry.
pub(super) fn join_stars(mine: &mut FeedStars, theirs: &FeedStars) {
    for (k, m) in theirs {
        let slot = mine.entry(*k).or_insert(*m);
        if m > slot {
            *slot = *m;
        }
    }
}

pub(super) fn live_subscription(id: &FeedId, r: &SubRecord) -> Option<Subscription> {
    let on = r.subscribed.as_ref().filter(|on| on.value)?;
    Some(Subscription {
        id: id.clone(),
        url: r.url.as_ref()?.value.clone(),
        title: r.title.as_ref().and_then(|t| t.value.clone()),
        folder: r.folder.as_ref().and_then(|f| f.value.clone()),
        added: to_millis(on.stamp.at),
    })
}

/// How much a state holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub subscriptions: usize,
    pub tombstones: usize,
    pub watermark_steps: usize,
    pub read_marks: usize,
    pub unread_marks: usize,
    /// Entries starred, and entries whose star was taken off (both kept, by entry).
    pub stars: usize,
    pub unstars: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontier_keeps_only_undominated_steps() {
        let s = |upto, at| Step { upto, at };
        assert_eq!(frontier(vec![s(10, 5), s(5, 3), s(20, 1)]), vec![s(10, 5), s(20, 1)]);
        assert_eq!(frontier(vec![s(10, 5), s(10, 5)]), vec![s(10, 5)]);
        assert_eq!(frontier(vec![s(5, 9), s(10, 5)]), vec![s(5, 9), s(10, 5)]);
    }

    #[test]
    fn a_local_change_beats_a_stamp_from_a_clock_that_runs_ahead() {
        assert_eq!(after(5_000, Some(9)), 10);
        assert_eq!(after(5_000, Some(2)), 5);
        assert_eq!(after(5_999, None), 5);
    }
}
