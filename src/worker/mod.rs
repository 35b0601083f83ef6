//! The service worker's wasm entry points, called by the shim `extension/worker.js`.
//!
//! A dispatcher and nothing else: each function finds the one [`Service`] of this worker
//! and calls a use case. The shim registers every listener synchronously when the worker
//! script starts and awaits the wasm's ready promise inside each listener, so the event that
//! woke the worker is never missed. No state lives here between wakes except the service
//! itself, which holds nothing that is not in storage.

use crate::browser::action::ActionBadge;
use crate::browser::alarms::{BrowserAlarms, REFRESH_ALARM, SYNC_ALARM};
use crate::browser::clock::BrowserClock;
use crate::browser::fetch::BrowserFetcher;
use crate::browser::permissions::HostPermissions;
use crate::browser::scripting::TabPages;
use crate::browser::storage::{Area, LOCAL_AREA, SESSION_AREA, SYNC_AREA};
use crate::browser::{from_js, to_js};
use crate::core::refresh::Limits;
use crate::core::sync::Quota;
use crate::protocol::{Request, Response};
use crate::service::{Config, Platform, Service, ServiceError};
use serde::Deserialize;
use std::cell::OnceCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The browser's ports.
pub struct BrowserPlatform {
    store: Area,
    session: Area,
    sync: Area,
    fetcher: BrowserFetcher,
    badge: ActionBadge,
    alarms: BrowserAlarms,
    clock: BrowserClock,
    pages: TabPages,
    permissions: HostPermissions,
}

impl Platform for BrowserPlatform {
    type Store = Area;
    type Session = Area;
    type SyncArea = Area;
    type Fetcher = BrowserFetcher;
    type Badge = ActionBadge;
    type Alarms = BrowserAlarms;
    type Clock = BrowserClock;
    type Pages = TabPages;
    type Permissions = HostPermissions;
    fn store(&self) -> &Area {
        &self.store
    }
    fn session(&self) -> &Area {
        &self.session
    }
    fn sync_area(&self) -> &Area {
        &self.sync
    }
    fn fetcher(&self) -> &BrowserFetcher {
        &self.fetcher
    }
    fn badge(&self) -> &ActionBadge {
        &self.badge
    }
    fn alarms(&self) -> &BrowserAlarms {
        &self.alarms
    }
    fn clock(&self) -> &BrowserClock {
        &self.clock
    }
    fn pages(&self) -> &TabPages {
        &self.pages
    }
    fn permissions(&self) -> &HostPermissions {
        &self.permissions
    }
}

type BrowserService = Service<BrowserPlatform>;

thread_local! {
    static SERVICE: OnceCell<Rc<BrowserService>> = const { OnceCell::new() };
}

/// What the shim passes from `extension/config.js`. Only `defaultFeeds` is set in what
/// ships; the limits exist so the end-to-end tests can make a timeout take seconds.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShimConfig {
    default_feeds: Vec<String>,
    /// A fresh random id (`crypto.randomUUID()`), this profile's sync device id if it has none.
    device: String,
    timeout_ms: Option<u32>,
    max_bytes: Option<u64>,
    concurrency: Option<usize>,
    /// `storage.sync`'s byte quota as the writer plans for it (a test makes it larger than
    /// the browser's, so that the browser refuses a write).
    sync_quota_bytes: Option<usize>,
}

fn service() -> Result<Rc<BrowserService>, JsValue> {
    SERVICE
        .with(|s| s.get().cloned())
        .ok_or_else(|| JsValue::from_str("the worker's wasm was used before start()"))
}

fn js_error(e: ServiceError) -> JsValue {
    js_sys::Error::new(&e.0).into()
}

/// Called once per worker start, before any listener runs.
#[wasm_bindgen]
pub async fn start(config: JsValue) -> Result<(), JsValue> {
    console_error_panic_hook_install();
    let shim: ShimConfig = from_js(&config).map_err(|e| JsValue::from_str(&e.0))?;
    let defaults = Config::default();
    let config = Config {
        default_feeds: shim.default_feeds,
        device: shim.device,
        concurrency: shim.concurrency.unwrap_or(defaults.concurrency),
        limits: Limits {
            timeout_ms: shim.timeout_ms.unwrap_or(defaults.limits.timeout_ms),
            max_bytes: shim.max_bytes.unwrap_or(defaults.limits.max_bytes),
        },
        sync_quota: Quota {
            bytes: shim.sync_quota_bytes.unwrap_or(defaults.sync_quota.bytes),
            ..defaults.sync_quota
        },
        ..defaults
    };
    let platform = BrowserPlatform {
        store: LOCAL_AREA,
        session: SESSION_AREA,
        sync: SYNC_AREA,
        fetcher: BrowserFetcher,
        badge: ActionBadge,
        alarms: BrowserAlarms,
        clock: BrowserClock,
        pages: TabPages,
        permissions: HostPermissions,
    };
    let service =
        SERVICE.with(|s| s.get_or_init(|| Rc::new(Service::new(platform, config))).clone());
    service.start().await.map_err(js_error)
}

/// `runtime.onInstalled` and `runtime.onStartup`: fetch whatever is due (on a fresh
/// install, everything).
#[wasm_bindgen]
pub async fn on_wake() -> Result<(), JsValue> {
    service()?.refresh(false, None).await.map_err(js_error)?;
    Ok(())
}

/// `alarms.onAlarm`.
#[wasm_bindgen]
pub async fn on_alarm(name: String) -> Result<(), JsValue> {
    match name.as_str() {
        REFRESH_ALARM => service()?.refresh(false, None).await.map_err(js_error).map(drop),
        SYNC_ALARM => service()?.sync_write().await.map_err(js_error),
        _ => Ok(()),
    }
}

/// `storage.onChanged` for the sync area: another profile's changes arrived.
#[wasm_bindgen]
pub async fn on_sync_changed() -> Result<(), JsValue> {
    service()?.sync_pull().await.map_err(js_error)
}

/// `runtime.onMessage` from the popup: a [`Request`] in, a [`Response`] out.
#[wasm_bindgen]
pub async fn on_message(message: JsValue) -> Result<JsValue, JsValue> {
    let response = match from_js::<Request>(&message) {
        Ok(request) => {
            handle(&*service()?, request).await.unwrap_or_else(|e| Response::Error { message: e.0 })
        }
        Err(e) => Response::Error { message: format!("unreadable request: {e}") },
    };
    to_js(&response).map_err(|e| JsValue::from_str(&e.0))
}

async fn handle(service: &BrowserService, request: Request) -> Result<Response, ServiceError> {
    Ok(match request {
        Request::Snapshot { limit, member } => {
            Response::Snapshot(service.snapshot_page(limit, member.as_deref()).await?)
        }
        Request::GetEntry { feed, id } => Response::Entry(service.entry(&feed, &id).await?),
        Request::MarkRead { feed, id, read } => {
            service.mark_read(&feed, &id, read).await?;
            Response::Done
        }
        Request::MarkAllRead { arrived_by } => {
            service.mark_all_read(arrived_by).await?;
            Response::Done
        }
        Request::Refresh { feed } => {
            service.refresh(true, feed.as_ref()).await?;
            Response::Done
        }
        Request::Discover { tab_id } => Response::Found(service.discover_tab(tab_id).await?),
        Request::DiscoverUrl { url } => Response::Found(service.discover_url(&url).await?),
        Request::Subscribe { url, title } => {
            Response::Subscribed { feed: service.subscribe(&url, title).await? }
        }
        Request::Unsubscribe { feed } => {
            service.unsubscribe(&feed).await?;
            Response::Done
        }
        Request::Rename { feed, title } => {
            service.rename(&feed, title).await?;
            Response::Done
        }
        Request::PreviewOpml { text } => Response::OpmlPreview(service.preview_opml(&text).await?),
        Request::Import { feeds } => {
            let (added, skipped) = service.import(feeds).await?;
            Response::Imported { added, skipped }
        }
        Request::ExportOpml => Response::Opml { text: service.export_opml().await? },
    })
}

fn console_error_panic_hook_install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!(
            "Planet Reader worker panicked: {info}"
        )));
    }));
}
