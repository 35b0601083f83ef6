//! The options page's one door to the world: what it shows, read from storage and the
//! library (no worker wake), and what it changes, sent to the worker as typed requests (the
//! worker validates, stores and applies: intervals, the alarm, the badge).

use crate::browser::idb::IndexedDb;
use crate::browser::storage::{LOCAL_AREA, SESSION_AREA, SYNC_AREA};
use crate::browser::{broadcast, runtime};
use crate::core::library::Library;
use crate::core::rules::{Rules, KEY_RULES};
use crate::core::settings::Settings;
use crate::core::store::{Check, Checks, FeedId, Millis, Subscription, CHECK_PREFIX, KEY_SUBS};
use crate::ports::Store;
use crate::protocol::{answer, feed_items, Change, FeedItem, Request};
use serde_json::Value;
use std::collections::BTreeMap;

pub type Error = String;

fn storage_error(e: impl std::fmt::Display) -> Error {
    format!("{e}")
}

/// The settings, from both areas, validated.
pub async fn settings() -> Result<Settings, Error> {
    crate::browser::storage::settings().await
}

/// The rules, validated.
pub async fn rules() -> Result<Rules, Error> {
    let stored = SYNC_AREA.get(&[KEY_RULES.to_string()]).await.map_err(storage_error)?;
    Ok(stored.get(KEY_RULES).map(Rules::from_value).unwrap_or_default())
}

/// Every subscription with its title and when it was last checked.
pub async fn feeds() -> Result<Vec<FeedItem>, Error> {
    static DB: IndexedDb = IndexedDb;
    let local = LOCAL_AREA.get(&[KEY_SUBS.to_string()]).await.map_err(storage_error)?;
    let subs: Vec<Subscription> = local
        .get(KEY_SUBS)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect())
        .unwrap_or_default();
    let records = Library::new(&DB).feeds().await.map_err(storage_error)?;
    let session = SESSION_AREA.get_all().await.map_err(storage_error)?;
    let checks: Checks = session
        .iter()
        .filter_map(|(k, v)| {
            let id = k.strip_prefix(CHECK_PREFIX)?;
            Some((FeedId(id.to_string()), serde_json::from_value::<Check>(v.clone()).ok()?))
        })
        .collect();
    Ok(feed_items(&subs, &records, &checks, &BTreeMap::new(), |u| {
        Some(crate::browser::urls::host(u)).filter(|h| !h.is_empty() && h != u)
    }))
}

/// When feeds are checked next.
pub async fn next_refresh() -> Option<Millis> {
    crate::browser::alarms::next_refresh().await
}

async fn call(request: Request) -> Result<(), Error> {
    let answer = runtime::request(&request).await.map_err(|e| e.0)?;
    match answer.get("type").and_then(Value::as_str) {
        Some(answer::DONE) => Ok(()),
        _ => Err(answer.get("message").and_then(Value::as_str).unwrap_or("?").to_string()),
    }
}

/// Store `settings` (the worker validates and applies them).
pub async fn put_settings(settings: &Settings) -> Result<(), Error> {
    let raw = serde_json::to_value(settings.to_raw()).map_err(|e| e.to_string())?;
    call(Request::PutSettings { settings: raw }).await
}

/// Store `rules`.
pub async fn put_rules(rules: &Rules) -> Result<(), Error> {
    call(Request::PutRules { rules: rules.to_value() }).await
}

/// Call `f` with what the worker changed.
pub fn on_change(f: impl Fn(Change) + 'static) {
    broadcast::on_change(f);
}
