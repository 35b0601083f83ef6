//! System notifications of new entries: `chrome.notifications`.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/notifications>,
//! <https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/notifications>
//!
//! One notification at a time: a new one replaces this extension's earlier ones. Its id
//! names where a click goes (`core::notify::Address`). Only the `basic` type, which both
//! browsers have (Firefox has no `list`).

use super::i18n::Messages;
use super::{from_js, port_error, to_js};
use crate::core::notify::{Address, Notice, ID_PREFIX};
use crate::ports::{Notifications, PortError};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = create, catch)]
    async fn create(id: &str, options: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = getAll, catch)]
    async fn get_all() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = clear, catch)]
    async fn clear(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    fn get_url(path: &str) -> String;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    async fn create_tab(properties: JsValue) -> Result<JsValue, JsValue>;
}

/// The `storage.session` key that tells the popup where to open when a notification opened
/// it (`{"fragment": "view=…", "at": <ms>}`; the popup takes it if it is a few seconds old
/// at most, and removes it).
pub const POPUP_TARGET_KEY: &str = "popup:open";

pub struct SystemNotifications;

/// This extension's notifications now shown.
async fn ours() -> Result<Vec<String>, PortError> {
    let all: BTreeMap<String, Value> = from_js(&get_all().await.map_err(port_error)?)?;
    Ok(all.into_keys().filter(|id| id.starts_with(ID_PREFIX)).collect())
}

impl Notifications for SystemNotifications {
    async fn show(&self, notice: &Notice, language: Option<&str>) -> Result<(), PortError> {
        let m = Messages::load(language).await;
        let title = m.tr_plural("notification_title", notice.count, &[]);
        let mut lines: Vec<String> = notice
            .lines
            .iter()
            .map(|(by, entry)| m.tr_args("notification_line", &[by, entry]))
            .collect();
        let more = notice.count.saturating_sub(notice.lines.len());
        if more > 0 {
            lines.push(m.tr_plural("notification_more", more, &[]));
        }
        for id in ours().await? {
            clear(&id).await.map_err(port_error)?;
        }
        let options = json!({
            "type": "basic",
            "iconUrl": get_url("icons/icon-128.png"),
            "title": title,
            "message": lines.join("\n"),
        });
        create(&notice.address.notification_id(), to_js(&options)?).await.map_err(port_error)?;
        Ok(())
    }
}

/// A click on notification `id`: if it is one of ours, close it and open where it goes:
/// the toolbar popup (told where through `storage.session`), or, where the browser does
/// not let an extension open its popup, the full-tab reader at `reader.html#…`.
pub async fn clicked(id: &str, now: crate::core::store::Millis) -> Result<(), PortError> {
    use crate::ports::Store;
    let Some(address) = Address::of_notification(id) else { return Ok(()) };
    clear(id).await.map_err(port_error)?;
    let session = super::storage::SESSION_AREA;
    let target = json!({ "fragment": address.fragment(), "at": now });
    session.set(BTreeMap::from([(POPUP_TARGET_KEY.to_string(), target)])).await?;
    if super::action::open_popup().await.is_err() {
        session.remove(&[POPUP_TARGET_KEY.to_string()]).await?;
        let url = get_url(&address.page());
        create_tab(to_js(&json!({ "url": url, "active": true }))?).await.map_err(port_error)?;
    }
    Ok(())
}
