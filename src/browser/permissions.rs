//! Host access: `chrome.permissions`. Planet Reader asks for a site only when the user
//! subscribes to a feed there, in the click handler (a permission request needs the user's
//! gesture, so nothing may be awaited before it).
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/permissions>

use super::to_js;
use super::urls::origin_pattern;
use crate::ports::Permissions;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = contains, catch)]
    async fn contains(permissions: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = request, catch)]
    fn request_js(permissions: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

pub struct HostPermissions;

impl Permissions for HostPermissions {
    async fn allows(&self, url: &str) -> bool {
        let Some(pattern) = origin_pattern(url) else { return false };
        let Ok(query) = to_js(&json!({ "origins": [pattern] })) else { return false };
        contains(query).await.map(|v| v.is_truthy()).unwrap_or(false)
    }
}

/// Ask the user for access to the origins of `urls`. Call it synchronously from a click
/// handler; await the returned future afterwards. Resolves to whether access was granted.
pub fn request(urls: &[String]) -> impl std::future::Future<Output = bool> {
    let origins: Vec<String> = urls.iter().filter_map(|u| origin_pattern(u)).collect();
    let promise =
        to_js(&json!({ "origins": origins })).ok().and_then(|query| request_js(&query).ok());
    async move {
        match promise {
            Some(p) => JsFuture::from(p).await.map(|v| v.is_truthy()).unwrap_or(false),
            None => false,
        }
    }
}
