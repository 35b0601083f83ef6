//! The popup's one door to the world: what it shows, read straight from the library
//! (IndexedDB) and `storage.local`/`storage.session` without waking the worker; what it
//! does, sent to the worker as typed requests; and what changed, told by the worker.
//! No other popup file knows the transport.

use crate::browser::i18n::Messages;
use crate::browser::idb::IndexedDb;
use crate::browser::storage::{LOCAL_AREA, SESSION_AREA};
use crate::browser::{broadcast, runtime};
use crate::core::library::view::{Cursor, Page, View};
use crate::core::library::Library;
use crate::core::notify::Address;
use crate::core::opml::OpmlFeed;
use crate::core::settings::Settings;
use crate::core::store::{
    Check, Checks, FeedId, Millis, Subscription, SyncMeta, Unsaved, CHECK_PREFIX, KEY_SUBS,
    KEY_SYNC_META, UNSAVED_PREFIX,
};
use crate::ports::Store;
use crate::protocol::{
    answer, feed_items, members, Change, Discovery, EntryContent, EntryItem, EntryKey, FeedItem,
    OpmlPreview, Request,
};
use leptos::prelude::{RwSignal, WithUntracked};
use serde_json::Value;
use std::cell::Cell;
use std::collections::BTreeMap;

pub use crate::browser::panels::Panel;
pub use crate::browser::permissions::request as request_access;
pub use crate::browser::tabs::ActiveTab;

/// An error to show: one sentence.
pub type Error = String;

thread_local! {
    /// The app's messages (the language chosen, once it is in), for the errors said here.
    static MESSAGES: Cell<Option<RwSignal<Messages>>> = const { Cell::new(None) };
}

/// Say this module's errors with `messages` (the app's, which follow the chosen language).
pub fn speak_with(messages: RwSignal<Messages>) {
    MESSAGES.with(|m| m.set(Some(messages)));
}

/// A message `f` picks, in the app's language (the browser's before the app has started).
fn said(f: impl Fn(&Messages) -> String) -> Error {
    MESSAGES
        .with(Cell::get)
        .and_then(|m| m.try_with_untracked(&f))
        .unwrap_or_else(|| f(&Messages::browser()))
}

fn library() -> Library<'static, IndexedDb> {
    static DB: IndexedDb = IndexedDb;
    Library::new(&DB)
}

fn storage_error(e: impl std::fmt::Display) -> Error {
    said(|m| m.tr_args("storage_failed", &[&e.to_string()]))
}

/// Every subscription with its counts and health, who wrote the unread entries, and what
/// sync has to say: one read of `storage.local`, one of `storage.session`, one of the
/// library's feed records.
pub struct Overview {
    pub feeds: Vec<FeedItem>,
    pub members: Vec<(String, usize)>,
    pub unread: usize,
    pub sync: Option<String>,
}

pub async fn overview() -> Result<Overview, Error> {
    let local = LOCAL_AREA
        .get(&[KEY_SUBS.to_string(), KEY_SYNC_META.to_string()])
        .await
        .map_err(storage_error)?;
    let subs: Vec<Subscription> = local
        .get(KEY_SUBS)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect())
        .unwrap_or_default();
    let sync = local
        .get(KEY_SYNC_META)
        .and_then(|v| serde_json::from_value::<SyncMeta>(v.clone()).ok())
        .and_then(|m| m.notice);
    let session = session_items().await?;
    let records = library().feeds().await.map_err(storage_error)?;
    let records: Vec<_> =
        records.into_iter().filter(|r| subs.iter().any(|s| s.id == r.id)).collect();
    let checks: Checks = prefixed::<Check>(&session, CHECK_PREFIX)
        .into_iter()
        .map(|(id, c)| (FeedId(id), c))
        .collect();
    let unsaved: BTreeMap<String, Unsaved> = prefixed(&session, UNSAVED_PREFIX);
    let feeds = feed_items(&subs, &records, &checks, &unsaved, |u| {
        Some(crate::browser::urls::host(u)).filter(|h| !h.is_empty() && h != u)
    });
    Ok(Overview {
        unread: feeds.iter().map(|f| f.unread).sum(),
        members: members(&records),
        feeds,
        sync,
    })
}

async fn session_items() -> Result<BTreeMap<String, Value>, Error> {
    SESSION_AREA.get_all().await.map_err(storage_error)
}

fn prefixed<T: serde::de::DeserializeOwned>(
    items: &BTreeMap<String, Value>,
    prefix: &str,
) -> BTreeMap<String, T> {
    items
        .iter()
        .filter_map(|(k, v)| {
            Some((k.strip_prefix(prefix)?.to_string(), serde_json::from_value(v.clone()).ok()?))
        })
        .collect()
}

/// One page of `view`.
pub async fn page(view: &View, after: Option<&Cursor>, limit: usize) -> Result<Page, Error> {
    library().page(view, after, limit).await.map_err(storage_error)
}

/// The list items of some entries (those that still exist with content).
pub async fn rows(keys: &[EntryKey]) -> Result<Vec<EntryItem>, Error> {
    let records = library().entries(keys).await.map_err(storage_error)?;
    Ok(records.iter().filter_map(EntryItem::of_record).collect())
}

/// One entry with its sanitized HTML.
pub async fn entry(feed: FeedId, id: String) -> Result<EntryContent, Error> {
    let (record, html) = library()
        .entry(&feed, &id)
        .await
        .map_err(storage_error)?
        .ok_or_else(|| said(|m| m.tr("entry_gone")))?;
    let item = EntryItem::of_record(&record).ok_or_else(|| said(|m| m.tr("entry_gone")))?;
    Ok(EntryContent { read: record.status.read, entry: item, html: html.unwrap_or_default() })
}

/// Send `request`; the answer, which must be of type `expected` (`protocol::answer`), as
/// JSON. The popup reads each answer's fields itself rather than deserializing the whole
/// `Response` enum, which would bring every answer's types into its wasm.
async fn call(request: Request, expected: &str) -> Result<Value, Error> {
    let answer = runtime::request(&request)
        .await
        .map_err(|e| said(|m| m.tr_args("worker_silent", &[&e.to_string()])))?;
    match answer.get("type").and_then(Value::as_str) {
        Some(t) if t == expected => Ok(answer),
        Some(answer::ERROR) => Err(field::<String>(&answer, "message").unwrap_or_default()),
        _ => Err(said(|m| m.tr_args("worker_unexpected", &[&answer.to_string()]))),
    }
}

/// The field `name` of an answer.
fn field<T: serde::de::DeserializeOwned>(answer: &Value, name: &str) -> Result<T, Error> {
    serde_json::from_value(answer.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| said(|m| m.tr_args("worker_unreadable", &[&e.to_string()])))
}

/// An answer that is a struct of its own (its fields beside `type`).
fn whole<T: serde::de::DeserializeOwned>(answer: Value) -> Result<T, Error> {
    serde_json::from_value(answer)
        .map_err(|e| said(|m| m.tr_args("worker_unreadable", &[&e.to_string()])))
}

pub async fn discover(tab_id: i32) -> Result<Discovery, Error> {
    whole(call(Request::Discover { tab_id }, answer::FOUND).await?)
}

pub async fn discover_url(url: String) -> Result<Discovery, Error> {
    whole(call(Request::DiscoverUrl { url }, answer::FOUND).await?)
}

pub async fn subscribe(url: String, title: Option<String>) -> Result<FeedId, Error> {
    field(&call(Request::Subscribe { url, title }, answer::SUBSCRIBED).await?, "feed")
}

pub async fn preview_opml(text: String) -> Result<OpmlPreview, Error> {
    whole(call(Request::PreviewOpml { text }, answer::OPML_PREVIEW).await?)
}

pub async fn import(feeds: Vec<OpmlFeed>) -> Result<(usize, usize), Error> {
    let answer = call(Request::Import { feeds }, answer::IMPORTED).await?;
    Ok((field(&answer, "added")?, field(&answer, "skipped")?))
}

pub async fn export_opml() -> Result<String, Error> {
    field(&call(Request::ExportOpml, answer::OPML).await?, "text")
}

/// Requests answered with `Marked`: the entries whose state changed.
pub async fn mark(request: Request) -> Result<Vec<EntryKey>, Error> {
    field(&call(request, answer::MARKED).await?, "entries")
}

/// The tab the popup is open over.
pub async fn active_tab() -> Result<Option<ActiveTab>, Error> {
    crate::browser::tabs::active()
        .await
        .map_err(|e| said(|m| m.tr_args("tab_unseen", &[&e.to_string()])))
}

/// Requests answered with `Done`.
pub async fn send(request: Request) -> Result<(), Error> {
    call(request, answer::DONE).await.map(drop)
}

pub async fn open_tab(url: String) -> Result<(), Error> {
    crate::browser::tabs::open(&url)
        .await
        .map_err(|e| said(|m| m.tr_args("tab_open_failed", &[&e.to_string()])))
}

pub async fn open_options() -> Result<(), Error> {
    crate::browser::runtime::open_options()
        .await
        .map_err(|e| said(|m| m.tr_args("options_open_failed", &[&e.to_string()])))
}

/// The settings the popup follows (language, marking read, the view it opens on).
pub async fn settings() -> Settings {
    // Unreadable settings are the defaults: the popup still opens.
    crate::browser::storage::settings().await.unwrap_or_default()
}

/// Call `f` when the settings change (in the options page, or synced from elsewhere).
pub fn on_settings_changed(f: impl Fn() + 'static) {
    crate::browser::storage::on_key_changed(crate::core::settings::KEY_SETTINGS, f);
}

/// Where the popup was asked to open: its address's fragment (`reader.html#view=…`, a
/// notification's click where the browser cannot open the popup), else what a click on a
/// notification left in `storage.session` within the last half minute (taken, so a later
/// opening starts as usual).
pub async fn asked_for() -> Option<Address> {
    use crate::browser::notifications::POPUP_TARGET_KEY;
    use crate::browser::storage::SESSION_AREA;
    use crate::ports::Store;
    let hash = web_sys::window()?.location().hash().unwrap_or_default();
    if !hash.is_empty() {
        return Address::parse(&hash);
    }
    let key = [POPUP_TARGET_KEY.to_string()];
    let stored = SESSION_AREA.get(&key).await.ok()?;
    let target = stored.get(POPUP_TARGET_KEY)?;
    let _ = SESSION_AREA.remove(&key).await;
    let at = target.get("at").and_then(Value::as_i64)?;
    if now() - at > 30_000 {
        return None;
    }
    Address::parse(target.get("fragment")?.as_str()?)
}

/// The panel this browser can show the reader in beside the page, if any.
pub fn panel() -> Option<Panel> {
    crate::browser::panels::available()
}

/// The window this page is in (where Chromium opens its side panel).
pub async fn current_window() -> Option<i32> {
    crate::browser::panels::current_window().await.ok()
}

/// Open the side panel (or Firefox's sidebar): call it in the click, before any await.
pub fn open_panel(
    panel: Panel,
    window: Option<i32>,
) -> impl std::future::Future<Output = Result<(), Error>> {
    let opened = crate::browser::panels::open(panel, window);
    async move {
        let failed = |e: String| said(|m| m.tr_args("panel_open_failed", &[&e]));
        let promise = opened.map_err(|e| failed(e.to_string()))?;
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|e| failed(crate::browser::js_message(&e)))
    }
}

/// Close this page's window (the popup, once the reader opened elsewhere).
pub fn close_window() {
    let _ = web_sys::window().map(|w| w.close());
}

/// Call `f` with what the worker changed.
pub fn on_change(f: impl Fn(Change) + 'static) {
    broadcast::on_change(f);
}

/// The current time, for "5 min ago".
pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}
