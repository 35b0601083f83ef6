//! The toolbar button's badge: `chrome.action`.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/action#method-setBadgeText>

use super::{port_error, to_js};
use crate::ports::{Badge, PortError};
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeText, catch)]
    async fn set_badge_text(details: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeBackgroundColor, catch)]
    async fn set_badge_background_color(details: JsValue) -> Result<JsValue, JsValue>;
}

/// The badge: Planet Python's blue behind white digits.
pub struct ActionBadge;

impl Badge for ActionBadge {
    async fn set_text(&self, text: &str) -> Result<(), PortError> {
        set_badge_background_color(to_js(&json!({ "color": "#306998" }))?)
            .await
            .map_err(port_error)?;
        set_badge_text(to_js(&json!({ "text": text }))?).await.map_err(port_error)?;
        Ok(())
    }
}
