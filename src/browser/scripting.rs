//! Reading the page in a tab for feed discovery: `chrome.scripting.executeScript` with the
//! packaged `discover.js`, allowed by activeTab while the popup is open (or by host access).
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/scripting#method-executeScript>

use super::{from_js, port_error, to_js};
use crate::ports::{Pages, PortError, TabPage};
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = executeScript, catch)]
    async fn execute_script(injection: JsValue) -> Result<JsValue, JsValue>;
}

pub struct TabPages;

impl Pages for TabPages {
    async fn read_tab(&self, tab_id: i32) -> Result<TabPage, PortError> {
        let injection = json!({ "target": { "tabId": tab_id }, "files": ["discover.js"] });
        let results = execute_script(to_js(&injection)?).await.map_err(port_error)?;
        // One InjectionResult per frame; the top frame's comes first.
        let results: Vec<serde_json::Value> = from_js(&results)?;
        let page = results
            .into_iter()
            .next()
            .and_then(|r| r.get("result").cloned())
            .ok_or_else(|| PortError("the page gave no answer".into()))?;
        serde_json::from_value(page).map_err(|e| PortError(e.to_string()))
    }
}
