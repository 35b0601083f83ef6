//! Adapters: the ports implemented with the WebExtension and web platform APIs.
//!
//! One small file per browser API, each listing only the calls Planet Reader makes, with a
//! link to the API's documentation. Nothing outside this module calls `chrome.*`.
//! The `chrome` namespace is used in both browsers: Firefox provides it too, and in
//! Manifest V3 both return promises when no callback is given.

pub mod action;
pub mod alarms;
pub mod broadcast;
pub mod clock;
pub mod content;
pub mod fetch;
pub mod files;
pub mod i18n;
pub mod idb;
pub mod intl;
pub mod jobs;
pub mod locks;
pub mod notifications;
pub mod panels;
pub mod permissions;
pub mod runtime;
pub mod scripting;
pub mod storage;
pub mod tabs;
pub mod timing;
pub mod urls;

use crate::ports::PortError;
use wasm_bindgen::JsValue;

/// A rejected promise or thrown exception, as a port error with the JS message.
pub fn port_error(e: JsValue) -> PortError {
    PortError(js_message(&e))
}

/// The message of a JS error value (or its string form).
pub fn js_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// Rust value → JS value, through JSON (so maps become plain objects, which is what
/// `chrome.storage` and messaging can carry).
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, PortError> {
    let json = serde_json::to_string(value).map_err(|e| PortError(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(port_error)
}

/// JS value → Rust value, through JSON.
pub fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, PortError> {
    let json: String = js_sys::JSON::stringify(value).map_err(port_error)?.into();
    serde_json::from_str(&json).map_err(|e| PortError(e.to_string()))
}

use wasm_bindgen::JsCast;
