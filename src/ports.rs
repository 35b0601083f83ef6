//! Ports: the small traits through which `service` reaches the world, in core terms.
//!
//! `browser::*` implements them with the WebExtension APIs; `tests/support` implements them
//! in memory, so every use case runs natively. The methods are `async fn`: the browser's
//! APIs are promises. Everything runs on one thread (wasm has one; the native tests use a
//! single-threaded executor), so no `Send` bound is wanted.
#![allow(async_fn_in_trait)]

pub use crate::core::badge::BadgeState;
use crate::core::discovery::PageLink;
pub use crate::core::notify::Notice;
use crate::core::store::{FeedId, Millis};
use serde_json::Value;
use std::collections::BTreeMap;

pub use crate::core::error::PortError;
pub use crate::core::library::db::{Db, Txn};
pub use crate::protocol::Change;

/// A key-value area (`storage.local`, `storage.sync`): JSON values by string key.
pub trait Store {
    /// The values of those `keys` that exist.
    async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, PortError>;
    /// Every key and value.
    async fn get_all(&self) -> Result<BTreeMap<String, Value>, PortError>;
    /// Write all `items` in one call (one write operation for the browser).
    async fn set(&self, items: BTreeMap<String, Value>) -> Result<(), PortError>;
    async fn remove(&self, keys: &[String]) -> Result<(), PortError>;
}

/// What the refresh (or discovery) asks of the network for one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: String,
    /// Conditional GET: `If-None-Match`.
    pub etag: Option<String>,
    /// Conditional GET: `If-Modified-Since`.
    pub last_modified: Option<String>,
    pub timeout_ms: u32,
    /// Stop reading the body after this many bytes.
    pub max_bytes: u64,
    /// Send no cookies or HTTP authentication (`credentials: "omit"`): for requests to
    /// hosts the user has not granted (feed discovery).
    pub anonymous: bool,
}

pub use crate::core::http::{FetchFailure, FetchResponse};

pub trait Fetcher {
    async fn fetch(&self, request: &FetchRequest) -> Result<FetchResponse, FetchFailure>;
}

/// The toolbar button's badge (and title).
pub trait Badge {
    /// Show `state`; words (the error state's title) in `language`, or the browser's.
    async fn show(&self, state: &BadgeState, language: Option<&str>) -> Result<(), PortError>;
}

/// The system's notifications.
pub trait Notifications {
    /// Show `notice`, in place of this extension's earlier ones; its words in `language`,
    /// or the browser's.
    async fn show(&self, notice: &Notice, language: Option<&str>) -> Result<(), PortError>;
}

/// The two alarms: the refresh, and the write to `storage.sync`.
pub trait Alarms {
    /// (Re-)create the refresh alarm to fire at `at`.
    async fn schedule(&self, at: Millis) -> Result<(), PortError>;
    /// (Re-)create the sync-write alarm to fire at `at`.
    async fn schedule_sync(&self, at: Millis) -> Result<(), PortError>;
}

/// The current time. Kept out of `core`: core functions take it as an argument.
pub trait Clock {
    fn now(&self) -> Millis;
}

/// What a page in a tab offers for feed discovery, as the injected script reads it from the
/// live DOM.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TabPage {
    /// The page's URL.
    pub url: String,
    /// `document.contentType`: a feed opened in a tab is `application/rss+xml`, `text/xml`...
    #[serde(default)]
    pub content_type: Option<String>,
    /// Every `<link>` and `<a href>`, `href` absolute; what is not a link is left out.
    #[serde(default, deserialize_with = "crate::core::discovery::lenient_links")]
    pub links: Vec<PageLink>,
}

/// Reading the page in a tab (activeTab + scripting).
pub trait Pages {
    async fn read_tab(&self, tab_id: i32) -> Result<TabPage, PortError>;
}

/// The user's grants of host access (optional host permissions).
pub trait Permissions {
    /// Whether the extension may fetch `url` (its origin is granted).
    async fn allows(&self, url: &str) -> bool;
}

/// A lock shared by every context of the extension (both worker modules, and pages): the
/// read-modify-writes of `storage.local` items (subscriptions, the sync replica) hold it.
/// The library's own writes are transactions and need none.
pub trait Locks {
    type Guard<'a>
    where
        Self: 'a;
    async fn lock(&self) -> Result<Self::Guard<'_>, PortError>;
}

/// Tells the extension's open pages (the popup) what changed, so they update the rows
/// affected instead of reading everything again.
pub trait Notifier {
    fn notify(&self, change: &Change);
}

/// Work that runs in the worker module that has the parser (the refresh module), asked for
/// by the one that does not: a fetch of due (or all, or one) feeds, the set-up of a fresh
/// install, and a migration (rare, and large: kept out of the module every wake loads).
pub trait Jobs {
    async fn refresh(&self, force: bool, feed: Option<&FeedId>) -> Result<(), PortError>;
    async fn install(&self) -> Result<(), PortError>;
    /// Bring data stored by an older Planet Reader to this schema (once, at a worker start).
    async fn migrate(&self) -> Result<(), PortError>;
}
