//! The service worker's two wasm modules and what they share, called by the shim
//! `extension/background.js`.
//!
//! The worker is woken for marks, stars, the badge or an alarm far more often than for a
//! refresh, and instantiates its wasm on every wake; so the code that needs the parser, the
//! sanitizer and the URL and charset tables (a refresh, subscribing, discovery, OPML), and
//! sync's encoding and merge, is a second module ([`refresh`], bin `refresher`),
//! instantiated only when such work comes. The first module ([`hot`], bin `worker`) does everything else and asks for that
//! work through [`RefreshModule`] (the shim's bridge). Both run the same `Service` on the
//! same ports; they share the library (IndexedDB transactions), `storage.local` (under the
//! extension-wide lock) and nothing in memory.
//!
//! A dispatcher and nothing else: each entry point finds its module's [`Service`] and calls
//! a use case. No state lives here between wakes but the service itself, which holds
//! nothing that is not in storage.

#[cfg(feature = "worker")]
pub mod hot;
#[cfg(feature = "refresher")]
pub mod refresh;

use crate::browser::action::ActionBadge;
use crate::browser::alarms::BrowserAlarms;
use crate::browser::broadcast::Broadcast;
use crate::browser::clock::BrowserClock;
use crate::browser::fetch::BrowserFetcher;
use crate::browser::from_js;
use crate::browser::idb::IndexedDb;
use crate::browser::jobs::RefreshModule;
use crate::browser::locks::WebLocks;
use crate::browser::permissions::HostPermissions;
use crate::browser::scripting::TabPages;
use crate::browser::storage::{Area, LOCAL_AREA, SESSION_AREA, SYNC_AREA};
use crate::core::refresh::Limits;
use crate::core::sync::Quota;
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
    db: IndexedDb,
    locks: WebLocks,
    notifier: Broadcast,
    jobs: RefreshModule,
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
    type Db = IndexedDb;
    type Locks = WebLocks;
    type Notifier = Broadcast;
    type Jobs = RefreshModule;
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
    fn db(&self) -> &IndexedDb {
        &self.db
    }
    fn locks(&self) -> &WebLocks {
        &self.locks
    }
    fn notifier(&self) -> &Broadcast {
        &self.notifier
    }
    fn jobs(&self) -> &RefreshModule {
        &self.jobs
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

pub type BrowserService = Service<BrowserPlatform>;

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

/// Make this module's service from the shim's configuration (once).
fn make_service(config: &JsValue) -> Result<Rc<BrowserService>, JsValue> {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!(
            "Planet Reader worker panicked: {info}"
        )));
    }));
    let shim: ShimConfig = from_js(config).map_err(|e| JsValue::from_str(&e.0))?;
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
        db: IndexedDb,
        locks: WebLocks,
        notifier: Broadcast,
        jobs: RefreshModule,
        fetcher: BrowserFetcher,
        badge: ActionBadge,
        alarms: BrowserAlarms,
        clock: BrowserClock,
        pages: TabPages,
        permissions: HostPermissions,
    };
    Ok(SERVICE.with(|s| s.get_or_init(|| Rc::new(Service::new(platform, config))).clone()))
}

const NOT_STARTED: &str = "the worker's wasm was used before start()";

fn service() -> Result<Rc<BrowserService>, JsValue> {
    SERVICE.with(|s| s.get().cloned()).ok_or_else(|| JsValue::from_str(NOT_STARTED))
}

fn js_error(e: ServiceError) -> JsValue {
    js_sys::Error::new(&e.0).into()
}
