//! Sync of subscriptions and read state across browser profiles, through `storage.sync`.
//!
//! (Design notes: see the sections below.)

mod codec;
mod items;
mod local;
mod records;
mod schedule;
mod state;

pub use codec::item_bytes;
pub use items::{
    decode, diff, encode, is_sync_key, plan_write, within, Cause, Decoded, Diff, Encoded, Items,
    Outgoing, Quota, Trimmed, FORMAT_VERSION, HEADER_KEY,
};
pub use local::{entry_date, SubscriptionChanges};
pub use schedule::{recent_writes, retry_after_rate_error, when_to_write, WriteLimits, WriteWhen};
pub use state::{
    Device, EntryHash, FeedRead, FeedView, Mark, MarkKey, Reg, Stamp, Stats, Step, SubRecord,
    SyncState, MAX_FOLDER_CHARS, MAX_TITLE_CHARS,
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
