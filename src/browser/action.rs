//! The toolbar button: its badge, colour and title (`chrome.action`).
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/action>

use super::i18n::Messages;
use super::{port_error, to_js};
use crate::core::badge::{BadgeState, COLOR, ERROR_COLOR};
use crate::ports::{Badge, PortError};
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeText, catch)]
    async fn set_badge_text(details: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeBackgroundColor, catch)]
    async fn set_badge_background_color(details: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setTitle, catch)]
    async fn set_title(details: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = openPopup, catch)]
    async fn open_popup_js() -> Result<JsValue, JsValue>;
}

/// The badge: white digits on Planet Python's blue, or on red when every feed is failing,
/// and the button's title saying so.
pub struct ActionBadge;

impl Badge for ActionBadge {
    async fn show(&self, state: &BadgeState, language: Option<&str>) -> Result<(), PortError> {
        let color = if state.failing { ERROR_COLOR } else { COLOR };
        set_badge_background_color(to_js(&json!({ "color": color }))?).await.map_err(port_error)?;
        set_badge_text(to_js(&json!({ "text": state.text }))?).await.map_err(port_error)?;
        let title = if state.failing {
            Messages::load(language).await.tr("action_title_failing")
        } else {
            Messages::browser().tr("extension_name")
        };
        set_title(to_js(&json!({ "title": title }))?).await.map_err(port_error)?;
        Ok(())
    }
}

/// Open the toolbar popup (where the browser allows it without a click on the button).
pub async fn open_popup() -> Result<(), PortError> {
    open_popup_js().await.map(drop).map_err(port_error)
}
