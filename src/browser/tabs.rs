//! Opening an entry in a tab: `chrome.tabs.create`.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/tabs#method-create>

use super::{port_error, to_js};
use crate::ports::PortError;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    async fn create(properties: JsValue) -> Result<JsValue, JsValue>;
}

/// Open `url` in a new tab next to the current one, and focus it.
pub async fn open(url: &str) -> Result<(), PortError> {
    create(to_js(&json!({ "url": url, "active": true }))?).await.map_err(port_error)?;
    Ok(())
}
