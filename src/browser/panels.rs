//! The reader beside the page: Chromium's side panel (`chrome.sidePanel`) and Firefox's
//! sidebar (`browser.sidebarAction`), each opened from a click in the popup (both need the
//! user's gesture, so nothing is awaited before the call).
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/sidePanel#method-open>
//! <https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/sidebarAction/open>
//! <https://developer.chrome.com/docs/extensions/reference/api/windows#method-getCurrent>

use super::port_error;
use crate::ports::PortError;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `globalThis.<a>.<b>`, when it exists.
fn api(a: &str, b: &str) -> Option<Object> {
    let ns = Reflect::get(&js_sys::global(), &a.into()).ok()?;
    let api = Reflect::get(&ns, &b.into()).ok()?;
    api.dyn_into::<Object>().ok()
}

fn method(on: &Object, name: &str) -> Option<Function> {
    Reflect::get(on, &name.into()).ok()?.dyn_into::<Function>().ok()
}

/// Which panel this browser has, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Chromium's `sidePanel`.
    SidePanel,
    /// Firefox's `sidebarAction`.
    Sidebar,
}

pub fn available() -> Option<Panel> {
    if api("chrome", "sidePanel").is_some_and(|p| method(&p, "open").is_some()) {
        return Some(Panel::SidePanel);
    }
    if api("browser", "sidebarAction").is_some_and(|p| method(&p, "open").is_some()) {
        return Some(Panel::Sidebar);
    }
    None
}

/// The id of the window this page belongs to (Chromium's side panel opens in a window).
pub async fn current_window() -> Result<i32, PortError> {
    let windows = api("chrome", "windows").ok_or_else(|| PortError("no windows API".into()))?;
    let get = method(&windows, "getCurrent").ok_or_else(|| PortError("no getCurrent".into()))?;
    let promise: Promise = get.call0(&windows).map_err(port_error)?.unchecked_into();
    let window = JsFuture::from(promise).await.map_err(port_error)?;
    Reflect::get(&window, &"id".into())
        .ok()
        .and_then(|id| id.as_f64())
        .map(|id| id as i32)
        .ok_or_else(|| PortError("the window has no id".into()))
}

/// Open the panel now (call it in the click handler): in window `window` for Chromium's
/// side panel. The promise it returns settles when the panel is open.
pub fn open(panel: Panel, window: Option<i32>) -> Result<Promise, PortError> {
    let (on, args) = match panel {
        Panel::SidePanel => {
            let p = api("chrome", "sidePanel").ok_or_else(|| PortError("no sidePanel".into()))?;
            let options = Object::new();
            let id = window.ok_or_else(|| PortError("no window to open the panel in".into()))?;
            Reflect::set(&options, &"windowId".into(), &JsValue::from(id)).map_err(port_error)?;
            (p, js_sys::Array::of1(&options))
        }
        Panel::Sidebar => {
            let p =
                api("browser", "sidebarAction").ok_or_else(|| PortError("no sidebar".into()))?;
            (p, js_sys::Array::new())
        }
    };
    let open = method(&on, "open").ok_or_else(|| PortError("no open()".into()))?;
    let result = open.apply(&on, &args).map_err(port_error)?;
    Ok(result.dyn_into::<Promise>().unwrap_or_else(|v| Promise::resolve(&v)))
}
