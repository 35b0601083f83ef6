//! `chrome.storage.local` / `chrome.storage.sync` as a [`Store`].
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/storage>,
//! <https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/storage/StorageArea>

use super::{from_js, port_error, to_js};
use crate::ports::{PortError, Store};
use serde_json::Value;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// A `StorageArea`: `storage.local`, `storage.sync` or `storage.session`.
    #[derive(Clone)]
    pub type StorageArea;

    #[wasm_bindgen(method, catch)]
    async fn get(this: &StorageArea, keys: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn set(this: &StorageArea, items: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn remove(this: &StorageArea, keys: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(thread_local_v2, js_namespace = ["chrome", "storage"], js_name = local)]
    static LOCAL: StorageArea;
    #[wasm_bindgen(thread_local_v2, js_namespace = ["chrome", "storage"], js_name = session)]
    static SESSION: StorageArea;
    #[wasm_bindgen(thread_local_v2, js_namespace = ["chrome", "storage"], js_name = sync)]
    static SYNC: StorageArea;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener)]
    fn add_on_changed_listener(listener: &js_sys::Function);
}

/// Call `f` whenever the stored `key` changes, in any area.
/// <https://developer.chrome.com/docs/extensions/reference/api/storage#event-onChanged>
pub fn on_key_changed(key: &'static str, f: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn(JsValue, JsValue)>::new(move |changes: JsValue, _area| {
        if js_sys::Reflect::has(&changes, &JsValue::from_str(key)).unwrap_or(false) {
            f()
        }
    });
    add_on_changed_listener(listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

/// A storage area as a [`Store`]: `storage.local` (durable) or `storage.session` (kept in
/// memory while the browser runs).
pub struct Area(fn() -> StorageArea);

/// `storage.local`.
pub const LOCAL_AREA: Area = Area(|| LOCAL.with(StorageArea::clone));
/// `storage.session`.
pub const SESSION_AREA: Area = Area(|| SESSION.with(StorageArea::clone));
/// `storage.sync`: what the browser copies between the user's profiles.
pub const SYNC_AREA: Area = Area(|| SYNC.with(StorageArea::clone));

impl Area {
    fn area(&self) -> StorageArea {
        (self.0)()
    }
}

impl Store for Area {
    async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, PortError> {
        let found = self.area().get(to_js(keys)?).await.map_err(port_error)?;
        from_js(&found)
    }

    async fn get_all(&self) -> Result<BTreeMap<String, Value>, PortError> {
        let found = self.area().get(JsValue::NULL).await.map_err(port_error)?;
        from_js(&found)
    }

    async fn set(&self, items: BTreeMap<String, Value>) -> Result<(), PortError> {
        self.area().set(to_js(&items)?).await.map_err(port_error)?;
        Ok(())
    }

    async fn remove(&self, keys: &[String]) -> Result<(), PortError> {
        self.area().remove(to_js(keys)?).await.map_err(port_error)?;
        Ok(())
    }
}

/// The settings (`core::settings`), from both areas (synced and this browser's), validated:
/// what the popup and the options page run on.
pub async fn settings() -> Result<crate::core::settings::Settings, String> {
    use crate::core::settings::{RawSettings, Settings, KEY_SETTINGS};
    let key = [KEY_SETTINGS.to_string()];
    let sync = SYNC_AREA.get(&key).await.map_err(|e| e.to_string())?;
    let local = LOCAL_AREA.get(&key).await.map_err(|e| e.to_string())?;
    Ok(Settings::from_raw(&RawSettings::join(sync.get(KEY_SETTINGS), local.get(KEY_SETTINGS))))
}
