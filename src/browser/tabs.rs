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
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    async fn query(info: JsValue) -> Result<JsValue, JsValue>;
}

/// The tab the popup was opened over.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct ActiveTab {
    pub id: i32,
    /// Absent for pages the extension may not see (no access and no activeTab grant).
    #[serde(default)]
    pub url: Option<String>,
}

/// The active tab of the window the popup belongs to.
/// <https://developer.chrome.com/docs/extensions/reference/api/tabs#method-query>
pub async fn active() -> Result<Option<ActiveTab>, PortError> {
    let tabs = query(to_js(&json!({ "active": true, "currentWindow": true }))?)
        .await
        .map_err(port_error)?;
    let tabs: Vec<ActiveTab> = super::from_js(&tabs)?;
    Ok(tabs.into_iter().next())
}

/// Open `url` in a new tab next to the current one, and focus it.
pub async fn open(url: &str) -> Result<(), PortError> {
    create(to_js(&json!({ "url": url, "active": true }))?).await.map_err(port_error)?;
    Ok(())
}
