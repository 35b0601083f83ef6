//! The refresh and sync-write alarms: `chrome.alarms`.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/alarms>
//! Alarms may be cleared when the browser restarts, so the worker re-creates this one at
//! every start (see `service::Service::start`).

use super::{port_error, to_js};
use crate::core::store::Millis;
use crate::ports::{Alarms, PortError};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The name of the refresh alarm.
pub const REFRESH_ALARM: &str = "refresh";
/// The name of the alarm that writes pending changes to `storage.sync`.
pub const SYNC_ALARM: &str = "sync";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = create, catch)]
    async fn create(name: &str, info: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = get, catch)]
    async fn get(name: &str) -> Result<JsValue, JsValue>;
}

/// When the refresh alarm fires next, if it is set (the options page shows it).
pub async fn next_refresh() -> Option<Millis> {
    let alarm = get(REFRESH_ALARM).await.ok()?;
    js_sys::Reflect::get(&alarm, &JsValue::from_str("scheduledTime"))
        .ok()?
        .as_f64()
        .map(|t| t as Millis)
}

pub struct BrowserAlarms;

/// (Re-)create alarm `name` to fire at `at`: creating an alarm with a taken name replaces it.
async fn create_at(name: &str, at: Millis) -> Result<(), PortError> {
    create(name, to_js(&json!({ "when": at }))?).await.map_err(port_error)?;
    Ok(())
}

impl Alarms for BrowserAlarms {
    async fn schedule(&self, at: Millis) -> Result<(), PortError> {
        create_at(REFRESH_ALARM, at).await
    }

    async fn schedule_sync(&self, at: Millis) -> Result<(), PortError> {
        create_at(SYNC_ALARM, at).await
    }
}
