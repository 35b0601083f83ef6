//! What Planet Reader keeps in `storage.local`, as plain serde types.
//!
//! Content and status are stored apart (the NetNewsWire way): an entry's text lives under
//! `entries:<feed>` and may be dropped by retention, while its status (read or not, when it
//! arrived) lives under `status:<feed>` and outlives it, so an old item that re-appears in a
//! feed is not shown as new again. A read mark and a refresh never write the same key's
//! content at the same time: the worker serializes every read-modify-write.
//!
//! | key            | value                      | written by                   |
//! |----------------|----------------------------|------------------------------|
//! | `meta`         | [`Meta`] (schema version)  | migrations                   |
//! | `subs`         | `Vec<`[`Subscription`]`>`  | subscribe, rename, remove    |
//! | `feed:<id>`    | [`FeedState`]              | refresh                      |
//! | `entries:<id>` | `Vec<`[`StoredEntry`]`>`   | refresh (ingest, retention)  |
//! | `html:<id>:<entry id>` | sanitized HTML (a string) | refresh (ingest, retention) |
//! | `status:<id>`  | [`StatusMap`]              | refresh (arrivals), read marks |
//!
//! An entry's list data (`entries:`) and its sanitized HTML (`html:`) are apart too: the
//! badge and the popup's list read only the small list data; one entry's HTML is read when
//! it is opened, and a refresh writes the HTML of new and edited entries only.
//!
//! Times are milliseconds since the Unix epoch (what `Date.now()` gives), as `i64`.

use crate::core::i18n::key;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub const MINUTE: Millis = 60_000;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// The schema version this code writes. See [`migrate`].
pub const SCHEMA_VERSION: u32 = 4;

pub const KEY_META: &str = "meta";
pub const KEY_SUBS: &str = "subs";

pub fn feed_key(id: &FeedId) -> String {
    format!("feed:{}", id.0)
}
pub fn entries_key(id: &FeedId) -> String {
    format!("entries:{}", id.0)
}
pub fn status_key(id: &FeedId) -> String {
    format!("status:{}", id.0)
}
/// The key of one entry's sanitized HTML (shown when the entry is opened: its content,
/// else its summary).
pub fn html_key(feed: &FeedId, entry: &str) -> String {
    format!("html:{}:{entry}", feed.0)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub schema: u32,
}

/// A feed's identity: a short stable hash of the URL it was first subscribed at. It does not
/// change when a permanent redirect moves the feed's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FeedId(pub String);

impl FeedId {
    pub fn for_url(url: &str) -> FeedId {
        FeedId(crate::core::identity::short_hash(
            crate::core::identity::normalize_url(url).as_bytes(),
        ))
    }
}

impl std::fmt::Display for FeedId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One subscription, as the user sees and syncs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: FeedId,
    /// The URL fetched now (a permanent redirect updates it).
    pub url: String,
    /// The user's own name for the feed (rename); `None` shows the feed's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    pub added: Millis,
}

/// Why the last fetch of a feed failed, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeedError {
    /// No answer at all: DNS, refused connection, no network, CORS or permission refusal.
    Network { detail: String },
    /// The server took longer than the timeout.
    Timeout { seconds: u32 },
    /// An HTTP error status.
    Http { status: u16 },
    /// The answer was larger than the cap.
    TooLarge { limit: u64 },
    /// The answer was not a feed (an HTML page, say), or not parseable.
    Parse { detail: String },
    /// The server said 410 Gone: polling stopped.
    Gone,
    /// The extension has no host permission for the feed's origin.
    NoPermission,
    /// What is stored for the feed could not be read back (damaged storage).
    Damaged { detail: String },
    /// Reading the feed stopped the worker before it finished (it ran out of memory or
    /// time): that document is not read again.
    Stalled,
    /// What the fetch brought could not be written (the disk or the quota is full).
    Unsaved { detail: String },
}

impl FeedError {
    /// What [`Display`](std::fmt::Display) says, as a message of the extension's catalogs
    /// (`_locales`): its key and arguments, for a page to say in the reader's language (a
    /// test holds the English catalog to the same words). A parser's detail and the
    /// browser's own words (a network or a storage failure) stay as they came.
    pub fn message(&self) -> (&'static str, Vec<String>) {
        match self {
            FeedError::Network { detail } if detail.is_empty() => (key("error_network"), vec![]),
            FeedError::Network { detail } => (key("error_network_detail"), vec![detail.clone()]),
            FeedError::Timeout { seconds } => (key("error_timeout"), vec![seconds.to_string()]),
            FeedError::Http { status } => (key("error_http"), vec![status.to_string()]),
            FeedError::TooLarge { limit } => {
                (key("error_too_large"), vec![(limit / (1024 * 1024)).to_string()])
            }
            FeedError::Parse { detail } => (key("error_parse"), vec![detail.clone()]),
            FeedError::Gone => (key("error_gone"), vec![]),
            FeedError::NoPermission => (key("error_no_permission"), vec![]),
            FeedError::Stalled => (key("error_stalled"), vec![]),
            FeedError::Unsaved { detail } => (key("error_unsaved"), vec![detail.clone()]),
            FeedError::Damaged { .. } => (key("error_damaged"), vec![]),
        }
    }
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedError::Network { detail } if detail.is_empty() => {
                f.write_str("could not reach the server")
            }
            FeedError::Network { detail } => write!(f, "could not reach the server ({detail})"),
            FeedError::Timeout { seconds } => write!(f, "the server did not answer in {seconds} s"),
            FeedError::Http { status } => write!(f, "the server answered HTTP {status}"),
            FeedError::TooLarge { limit } => {
                write!(f, "the feed is larger than {} MB", limit / (1024 * 1024))
            }
            FeedError::Parse { detail } => f.write_str(detail),
            FeedError::Gone => f.write_str("the feed is gone (HTTP 410); no longer polled"),
            FeedError::NoPermission => f.write_str("Planet Reader may not read this site yet"),
            FeedError::Stalled => f.write_str(
                "reading this feed stopped Planet Reader before it finished (it is too big or too complex); it is read again when it changes",
            ),
            FeedError::Unsaved { detail } => {
                write!(f, "what the feed brought could not be saved ({detail}); trying again in a while")
            }
            FeedError::Damaged { .. } => {
                f.write_str("what is stored for this feed is unreadable; reset the feed to start it afresh")
            }
        }
    }
}

/// A feed's durable fetch state and health (`feed:<id>`): local to this profile, never
/// synced. It is written only when something in it changes, so a refresh in which every
/// feed answers "not modified" writes nothing to `storage.local`; when each feed was last
/// checked and is next due lives in [`Checks`], in `storage.session`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    /// The feed's own title, as plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The site the feed belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_link: Option<String>,
    /// The feed's image (RSS `image`, Atom `icon`/`logo`, JSON Feed `icon`): the popup
    /// shows it beside the feed's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Hash of the last body that was parsed, so an unchanged body is not parsed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hash: Option<String>,
    /// When a fetch last brought a changed document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<FeedError>,
    /// Failed fetches in a row (drives the backoff).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failures: u32,
    /// Not fetched again before this time: the backoff after a failure, or the server's
    /// `Retry-After`. Durable, so a browser restart does not hammer a failing server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<Millis>,
    /// The server said 410 Gone: the feed is no longer polled (a manual refresh still tries).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
    /// The polling interval the feed asked for (ttl, sy:*, max-age), in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hinted_minutes: Option<u32>,
    /// Hash of a body whose reading stopped the worker: not parsed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poison: Option<String>,
    /// When retention last looked at every entry of the feed (a refresh does, once a day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained: Option<Millis>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// When a feed was last checked and when it is next due: volatile, kept in
/// `storage.session` (memory), one key per feed ([`check_key`]), so recording one feed's
/// check writes a few bytes whatever the number of feeds. After a browser restart it is empty
/// and every feed is due, which is what a reader should do at start-up anyway.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// When the feed was last fetched (whatever the outcome).
    pub at: Millis,
    /// When it is due next.
    pub next: Millis,
}

/// A failure to write what a fetch brought (the library refused the transaction: a full
/// disk, say), kept in `storage.session` (not in the store that failed), one key per feed
/// ([`unsaved_key`]): the feed backs off and says why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsaved {
    pub at: Millis,
    /// Failures in a row (drives the backoff).
    pub failures: u32,
    pub detail: String,
}

/// Prefix of the `storage.session` keys of [`Unsaved`] failures.
pub const UNSAVED_PREFIX: &str = "unsaved:";

pub fn unsaved_key(id: &FeedId) -> String {
    format!("{UNSAVED_PREFIX}{}", id.0)
}

/// Prefix of the `storage.session` keys of attempt markers: written before a feed's body is
/// parsed and removed after, so a marker left by a worker that died says which feed did it.
pub const ATTEMPT_PREFIX: &str = "attempt:";

pub fn attempt_key(id: &FeedId) -> String {
    format!("{ATTEMPT_PREFIX}{}", id.0)
}

/// An attempt marker: when, and which body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: Millis,
    pub body_hash: String,
}

pub type Checks = BTreeMap<FeedId, Check>;

/// Prefix of the `storage.session` keys of [`Check`]s.
pub const CHECK_PREFIX: &str = "check:";

/// `storage.session` key of one feed's [`Check`].
pub fn check_key(id: &FeedId) -> String {
    format!("{CHECK_PREFIX}{}", id.0)
}

impl FeedState {
    /// When the feed may be fetched next, given its last [`Check`]; `None` when it is gone.
    pub fn due_at(&self, check: Option<&Check>) -> Option<Millis> {
        if self.gone {
            return None;
        }
        Some(check.map_or(0, |c| c.next).max(self.retry_at.unwrap_or(0)))
    }
}

/// `storage.local` key of the sync replica (`core::sync::SyncState`): everything this
/// profile knows of the synced state, including what the quota keeps out of `storage.sync`.
pub const KEY_SYNC_REPLICA: &str = "sync:replica";
/// `storage.local` key of the journal of local changes not yet in the replica
/// (`core::sync::Journal`).
pub const KEY_SYNC_JOURNAL: &str = "sync:journal";
/// `storage.local` key of [`SyncMeta`].
pub const KEY_SYNC_META: &str = "sync:meta";

/// Sync's bookkeeping on this profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// This profile's device id (random, made at the first start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// First and last local change not yet written to `storage.sync`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<(Millis, Millis)>,
    /// Times of the write calls of the last hour (the write-rate quotas).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub writes: Vec<Millis>,
    /// Write refusals for rate in a row.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refusals: u32,
    /// What the popup should say about sync (what the quota left out, or why sync stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// When the replica was last compacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compacted: Option<Millis>,
}

/// An enclosure as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEnclosure {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
}

/// An entry's content as stored: plain-text titles, sanitized HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEntry {
    pub id: String,
    /// The post title, plain text (on Planet feeds, without the member prefix).
    pub title: String,
    /// Who wrote it: the Planet member blog ("Real Python"), else the entry's author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The entry's date: published, else updated (what the list sorts by).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Millis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enclosures: Vec<StoredEnclosure>,
    /// Hash of what the parser gave for this entry: a change means it was edited upstream.
    pub hash: String,
}

/// An entry's status, kept apart from its content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryStatus {
    /// When the entry was first seen in this profile.
    pub arrived: Millis,
    pub read: bool,
    /// When `read` last changed (by the user or by sync): the newer change wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Millis>,
    /// Starred (saved for later): kept whatever retention says, listed in the Starred view.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub starred: bool,
    /// When `starred` last changed: the newer change wins, as for `read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub star_changed: Option<Millis>,
    /// Hidden by a rule when it arrived (`core::rules`): in no list and no count. It is
    /// read too, so it is never new again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

/// Entry id → status, for one feed.
pub type StatusMap = BTreeMap<String, EntryStatus>;

/// The number of unread entries among `entries`: an entry with no status (never happens
/// after ingest) counts as unread.
pub fn unread_count(entries: &[StoredEntry], status: &StatusMap) -> usize {
    entries.iter().filter(|e| status.get(&e.id).is_none_or(|s| !s.read)).count()
}

/// What the toolbar badge shows for `unread` entries: nothing at 0, "999+" above 999.
pub fn badge_text(unread: usize) -> String {
    match unread {
        0 => String::new(),
        1..=999 => unread.to_string(),
        _ => "999+".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> StoredEntry {
        StoredEntry {
            id: id.into(),
            title: id.into(),
            member: None,
            link: None,
            date: None,
            updated: None,
            enclosures: vec![],
            hash: String::new(),
        }
    }

    #[test]
    fn unread_counts_entries_without_a_read_status() {
        let entries = vec![entry("a"), entry("b"), entry("c")];
        let mut status = StatusMap::new();
        status.insert(
            "a".into(),
            EntryStatus { arrived: 1, read: true, changed: Some(2), ..Default::default() },
        );
        status.insert(
            "b".into(),
            EntryStatus { arrived: 1, read: false, changed: None, ..Default::default() },
        );
        // A status whose content is gone is not counted.
        status.insert(
            "zz".into(),
            EntryStatus { arrived: 1, read: false, changed: None, ..Default::default() },
        );
        assert_eq!(unread_count(&entries, &status), 2);
    }

    #[test]
    fn badge_is_blank_at_zero_and_capped_above_999() {
        assert_eq!(badge_text(0), "");
        assert_eq!(badge_text(1), "1");
        assert_eq!(badge_text(999), "999");
        assert_eq!(badge_text(1000), "999+");
    }
}
