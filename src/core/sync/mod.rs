//! Sync of subscriptions, read state and stars across browser profiles, through
//! `storage.sync`.
//!
//! Pure: no browser, no clock (every time is an argument, in milliseconds), no randomness,
//! no I/O. The service keeps one [`SyncState`] per profile (its *replica*, in
//! `storage.local`), records every local change into it, merges what other profiles wrote,
//! applies the result to the local store, and writes the replica back to `storage.sync` as
//! items that fit its quotas.
//!
//! ```
//! use planet_reader::core::store::{FeedId, Subscription};
//! use planet_reader::core::sync::{decode, encode, Device, Quota, SyncState};
//!
//! let url = "https://planetpython.org/rss20.xml";
//! let sub = Subscription { id: FeedId::for_url(url), url: url.into(), title: None, folder: None, added: 0 };
//! let t = 1_760_000_000_000; // milliseconds, from the caller's clock
//!
//! // Two profiles act at once: one subscribes and reads an entry, the other marks it unread later.
//! let mut laptop = SyncState::new();
//! laptop.subscribe(&sub, t, Device::new("laptop-id"));
//! laptop.mark(&sub.id, "tag:post-1", t - 3_600_000, true, t + 1_000);
//! let mut desktop = SyncState::new();
//! desktop.mark(&sub.id, "tag:post-1", t - 3_600_000, false, t + 5_000);
//!
//! // In whatever order they hear of each other, they agree: the newer mark wins.
//! let merged = laptop.merged(&desktop);
//! assert_eq!(merged, desktop.merged(&laptop));
//! assert_eq!(merged.read_state(&sub.id, "tag:post-1", t - 3_600_000).map(|m| m.read), Some(false));
//!
//! // The state travels as storage.sync items within its quotas, and back.
//! let items = encode(&merged, &Quota::default()).items;
//! assert_eq!(decode(&items).unwrap().state, merged);
//! ```
//!
//! # Why a state-based merge
//!
//! `storage.sync` is a key-value store that the browser copies between the profiles signed
//! in to one account; it is eventually consistent, resolves concurrent writes *per key* (the
//! last writer of a key wins) and may be absent (sync off: it is then a local area). So
//! sync is built as a join-semilattice: every part of the state only grows under
//! [`SyncState::merge`], which is commutative, associative and idempotent. Whatever arrives,
//! in any order, any number of times, mixed key by key from several writers, replicas that
//! have seen the same changes are equal. `storage.sync` is only the meeting point; each
//! profile's replica keeps everything, including what the quota leaves out of the items.
//!
//! # Identity
//!
//! - A feed is its [`FeedId`](crate::core::store::FeedId): `FeedId::for_url`, the FNV-1a
//!   hash of the normalized URL of first subscription. Two profiles subscribing to one URL
//!   (in any spelling that normalizes alike) meet at one key. In sync the 64-bit id is 11
//!   base64url characters.
//! - An entry is its id (the feed's guid, or the stable hash of link and title), hashed to
//!   48 bits ([`EntryHash`]: FNV-1a, top 48 bits, 8 characters). Two entries of one feed of
//!   1,000 share a hash with odds of about 2⁻²⁹; they would then share read state.
//! - A profile is a [`Device`]: a 24-bit tag of an id the caller keeps (random at install).
//!
//! # Times
//!
//! Sync keeps seconds ([`Secs`]): arguments in milliseconds are rounded down. Every local
//! change is stamped *after* everything its replica has seen for that field or entry (the
//! clock time, or one second past the newest stamp there, whichever is later), so the
//! user's latest action wins even against a device whose clock runs ahead, and two toggles
//! in one second keep their order.
//!
//! # Conflict rules
//!
//! | what | rule |
//! |------|------|
//! | subscribed / unsubscribed | last writer wins on `(second, device tag)`: an unsubscribe newer than the subscribe wins (a tombstone), a re-subscribe newer than the tombstone wins |
//! | URL, title, folder | each its own last-writer-wins register: a rename on one profile and a move on another both apply; renaming after an unsubscribe does not resurrect the feed |
//! | same second, two devices | the greater device tag wins, then the greater value (subscribed over unsubscribed) |
//! | one entry read / unread | the newest mark wins; in the same second, read wins |
//! | "mark all read" | a watermark step `(upto, at)`: every entry dated up to `upto` is read as of `at`, and an entry's verdict is the newest of its own marks and the step covering its date. So an unread mark newer than the watermark survives; an older one is overridden (and dropped) |
//! | two watermarks | steps are merged as a staircase (neither dominating the other is kept): a later "mark all read" over fewer entries and an earlier one over more keep their exact meanings |
//! | an entry's date changed upstream | marks are found by entry hash under any date, so both profiles decide alike |
//! | an entry arriving later | [`SyncState::initial_status`]: a mark made elsewhere, else read if a watermark covers its date (or its arrival, when undated), else unread; starred if a star made elsewhere says so |
//! | one entry starred / unstarred | the newest wins; in the same second, the star wins. Stars are filed by entry (no date) and never forgotten by the horizon: a saved entry stays saved however old |
//!
//! # Keeping the state small
//!
//! - A mark that the watermark implies (dated under it and not newer than it) is dropped.
//! - [`SyncState::fold_read_prefix`] raises a feed's watermark over the oldest entries this
//!   profile has all read, once sync has known them read for a settle period (a day), stamped
//!   with the newest of those marks, so a later unread from elsewhere still wins. This keeps a
//!   user who reads one by one and never marks all read at one watermark per feed. Its one
//!   assumption is every watermark's: an entry dated under it that this profile never had
//!   counts as read too.
//! - [`SyncState::compact`] forgets marks of entries dated before a horizon
//!   ([`KEEP_MARKS`], 90 days); the horizon is part of the state, merged by maximum, so every
//!   replica forgets the same marks and a stale replica cannot bring them back.
//! - A tombstone is kept in the replica (a few bytes, one per feed ever unsubscribed); in
//!   `storage.sync` it carries only its stamp, and the unsubscribed feed's read state stays
//!   home.
//!
//! # Encoding
//!
//! Items (every key starts with `~`; see `items.rs` for the table): `~h` the header
//! (`{"v":2}`, and the horizon), `~s<b>` the subscriptions, `~r<b>` the read state and
//! `~t<b>` the stars of the feeds in bucket `<b>` (32 buckets by the top bits of the feed
//! id, so a change rewrites one item), with `~s<b>.<n>`, `~r<b>.<n>`, `~t<b>.<n>` for what
//! does not fit in 8 KB. Every item is a valid state on its own, because a mixture of two
//! profiles' items must still decode. Version 2 added the stars; a version 1 profile reads
//! the header as newer and pauses its sync (it would take `~t` items for damage and remove
//! them).
//!
//! - A subscription: `"<feed key>":["+<stamp>","<url without https://>"]`, plus the title and
//!   folder when set (`null` for none), plus a stamp per field set at another time. A
//!   tombstone is `"<feed key>":"-<stamp>"`. A stamp is the time (VLQ, relative to
//!   2025-01-01) and the 4-character device tag.
//! - A feed's read state is one packed string of base64url characters (no JSON escapes):
//!   the number of watermark steps and the steps, then each mark as its 8-character hash,
//!   its date as a delta from the previous mark's (marks go by date), and its time relative
//!   to the date with the read bit. Numbers are VLQ, 5 bits a character.
//! - A feed's stars are one packed string too: each entry's 8-character hash and its time
//!   (relative to 2025-01-01) with the star bit, by hash; about 14 characters a star.
//! - Sizes are counted as the browsers count them (key bytes plus JSON of the value),
//!   conservatively: every character some writer escapes (`<`, U+2028, non-ASCII...) counts
//!   as its escape.
//!
//! Sizes, measured by `tests/sync_quota.rs` (`cargo test --test sync_quota -- --nocapture`):
//!
//! | state | bytes |
//! |-------|-------|
//! | 500 subscriptions, 45-byte URLs, no title or folder | 35,137 (70 a feed) |
//! | 500 subscriptions, 60-byte URLs, a 33-character title and a folder each (the heavy case used below) | 64,878 (129 a feed) |
//! | + a watermark on each feed | 77,515 (25 a feed for the watermark) |
//! | + 20 read marks and 2 unread exceptions a feed | 248,748 untrimmed; trimmed to 102,397 in 65 items, 9,662 oldest read marks left out, every watermark and unread mark kept |
//! | worst case: 500 feeds × 1,000 entries, every entry read one by one, no watermark | about 7,540,000 untrimmed (74 × the quota; about 15 bytes a mark); trimmed to 102,391 in 65 items: all 500 subscriptions and the newest 1,805 marks (20.8 bytes each with their feeds' keys), 498,195 left out and reported |
//! | the same worst case after `fold_read_prefix`, one feed in ten with an entry marked unread again | 82,141, nothing trimmed |
//! | the worst case with 2,000 stars besides (4 a feed) | trimmed to 102,387 in 67 items: every subscription and star (36,628 bytes, 18.3 a star with its feed's key), 24 read marks |
//!
//! # Under quota pressure
//!
//! [`encode`] never exceeds the quota (8,192 bytes an item, 102,400 in all, 512 items,
//! less what other keys in the area use: [`Quota::without_others`]). When the state does
//! not fit it leaves out, as few as needed and in this order: single read marks, the
//! oldest entries first; whole feeds' read state (watermark and unread marks together), the
//! least recently used first; stars of single entries (the oldest unstars, then the oldest
//! stars: a star is kept before any read state); tombstones, the oldest first;
//! subscriptions, the newest first.
//! Unread marks and watermarks never go alone, so trimming never makes another profile
//! show something read that the user did not read. [`Trimmed`] says what was left out
//! ([`Trimmed::summary`] is a sentence for the popup). Nothing is lost on this profile.
//!
//! # Writing
//!
//! [`plan_write`] encodes the replica and returns the [`Diff`] against what is in storage:
//! only items whose value changed are set (in one `set()` call), only sync keys that are no
//! longer used are removed (one `remove()` call). After a local change ([`Cause::Local`])
//! any difference is written. After a remote one ([`Cause::Remote`]) a profile writes only
//! if that adds to storage without taking anything away, so that two profiles whose states
//! exceed the quota together do not replace each other's trimmed choice forever.
//!
//! [`when_to_write`] schedules: 3 s after the last local change (debounce), at most 30 s
//! after the first, and within 120 writes a minute and 1,800 an hour. Assumption (Chromium's
//! quota service): every `set()`, `remove()` or `clear()` call counts one write whatever the
//! number of keys, so a write costs [`Diff::operations`] (1 or 2); rolling windows are
//! counted, which is never looser than Chromium's fixed intervals. Firefox has the same
//! per-item and total quotas.
//!
//! # How the service uses it
//!
//! The replica is stored in `storage.local` (it implements `Serialize`/`Deserialize`, in a
//! lossless compact form), beside the device id, the pending-change times and the times of
//! the last hour's writes. Everything below runs under the service's lock.
//!
//! - **A local change**: change the local data as now, record it in the replica in the same
//!   `storage.local` batch ([`SyncState::subscribe`], [`SyncState::unsubscribe`],
//!   [`SyncState::rename`], [`SyncState::move_to_folder`], [`SyncState::change_url`] on a
//!   permanent redirect, [`SyncState::mark`] with [`entry_date`] for one entry,
//!   [`SyncState::mark_all_read`] with the feed's entries and statuses after marking them,
//!   [`SyncState::star`] for a star or unstar),
//!   note the change time, and ask [`when_to_write`].
//! - **Time to write** (now, or at the time it said, by timer or alarm): `get_all` of the
//!   sync area, [`decode`] it and merge it into the replica (applying it as below if it
//!   changed anything), then [`plan_write`] with [`Cause::Local`]; make the `set()` and
//!   `remove()` calls of the diff, record their times, keep [`Trimmed`] for the popup.
//! - **`storage.onChanged` from the sync area** (a key for which [`is_sync_key`] holds): the
//!   same `get_all` and merge; then [`SyncState::apply_subscriptions`] on the local list
//!   (fetch the `added`, delete the data of the `removed`, record the `unknown` with
//!   [`SyncState::record_local_subscriptions`]); for each feed whose read state changed,
//!   [`SyncState::apply_read_state`] on its entries and statuses, and for each feed whose
//!   stars changed [`SyncState::apply_star_state`]; badge; and
//!   [`plan_write`] with [`Cause::Remote`] (this profile may hold what storage lost to a
//!   concurrent writer). The echo of our own write merges to no change.
//! - **Ingest of a new entry**: its status is [`SyncState::initial_status`] instead of plain
//!   unread (or run [`SyncState::apply_read_state`] on the feed after ingest).
//! - **First sync on a profile with data**: [`SyncState::record_local_subscriptions`] and,
//!   per feed, [`SyncState::record_local_read_state`] and
//!   [`SyncState::record_local_star_state`], then merge storage and write.
//! - **Once a day**: [`SyncState::compact`] with [`KEEP_MARKS`] and, per feed,
//!   [`SyncState::fold_read_prefix`] with a day's settle time; then write as after a local
//!   change.
//! - **A quota error** from `set()`: bytes or items (our count and the browser's disagree,
//!   or another writer filled the area) — plan again with [`Quota::shrunk`] (10%) and give
//!   up with a message if that fails too; write rate — keep the change pending and try again
//!   at [`retry_after_rate_error`].
//! - **Storage written by a newer version** ([`decode`] fails with
//!   [`SyncErrorKind::NewerVersion`]): neither read nor write; tell the user to update.

mod codec;
mod items;
mod journal;
mod local;
mod records;
mod schedule;
mod state;

pub use codec::item_bytes;
pub use items::{
    decode, diff, encode, is_sync_key, plan_write, within, Cause, Decoded, Diff, Encoded, Items,
    Outgoing, Quota, Trimmed, FORMAT_VERSION, HEADER_KEY,
};
pub use journal::{Journal, LocalChange, MAX_JOURNAL};
pub use local::{entry_date, SubscriptionChanges};
pub use schedule::{recent_writes, retry_after_rate_error, when_to_write, WriteLimits, WriteWhen};
pub use state::{
    Device, EntryHash, FeedRead, FeedStars, FeedView, Mark, MarkKey, Reg, Stamp, StarMark,
    StarState, Stats, Step, SubRecord, SyncState, MAX_FOLDER_CHARS, MAX_TITLE_CHARS,
};

use crate::core::store::{Millis, DAY};
use std::fmt;

/// Seconds since the Unix epoch: sync keeps times to the second (milliseconds would cost a
/// character more in every mark).
pub type Secs = i64;

/// The range of times sync keeps (±2⁴⁰ s, about ±35,000 years); times beyond are clamped.
pub const MAX_SECS: Secs = 1 << 40;

/// How long marks of single entries are kept by [`SyncState::compact`] by default: past
/// this, an entry is off every feed's window and out of every profile's retention.
pub const KEEP_MARKS: Millis = 90 * DAY;

/// Milliseconds → sync's seconds (rounded down, clamped).
pub fn to_secs(ms: Millis) -> Secs {
    ms.div_euclid(1000).clamp(-MAX_SECS, MAX_SECS)
}

/// Sync's seconds → milliseconds.
pub fn to_millis(s: Secs) -> Millis {
    s * 1000
}

/// What sync says of one entry: read or not, and since when (milliseconds, a whole second).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadMark {
    pub read: bool,
    pub at: Millis,
}

/// A sync item that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncError {
    /// The `storage.sync` key it is about.
    pub key: String,
    pub kind: SyncErrorKind,
}

#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncErrorKind {
    /// Written by a newer version of Planet Reader, whose format this one cannot read; it
    /// must not be overwritten either.
    NewerVersion(u64),
    /// Not in the format: the item (or one feed's entry in it) is left out.
    Malformed(String),
}

impl SyncError {
    pub(crate) fn newer(key: &str, version: u64) -> Self {
        SyncError { key: key.to_string(), kind: SyncErrorKind::NewerVersion(version) }
    }

    pub(crate) fn malformed(key: &str, detail: &str) -> Self {
        SyncError { key: key.to_string(), kind: SyncErrorKind::Malformed(detail.to_string()) }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SyncErrorKind::NewerVersion(v) => write!(
                f,
                "sync item {} was written by a newer Planet Reader (format {v}); update it to sync",
                self.key
            ),
            SyncErrorKind::Malformed(detail) => {
                write!(f, "sync item {} is unreadable: {detail}", self.key)
            }
        }
    }
}

impl std::error::Error for SyncError {}

/// The replica is stored in `storage.local` in the lossless form of `records::state_to_json`.
impl serde::Serialize for SyncState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        records::state_to_json(self).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for SyncState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        records::state_from_json(&v).map_err(serde::de::Error::custom)
    }
}
