//! "This page has a feed" on the toolbar button, without access to the page:
//! `chrome.declarativeContent`. The browser itself matches CSS selectors
//! (`core::discovery::FEED_LINK_SELECTORS`) on every page and, where one matches, shows the
//! orange icon (`core::icon`) on that tab; the extension learns nothing of the pages.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/declarativeContent>
//!
//! Rules persist across browser restarts; they are set again (removed, then added) at
//! install and at every browser start, so an update's new selectors replace old ones.
//! Firefox has no `declarativeContent`: there the button looks the same on every page,
//! and the popup finds a page's feeds when it is opened (README, "Firefox").

use crate::core::discovery::FEED_LINK_SELECTORS;
use crate::core::icon::{rgba, FEED_ORANGE, WHITE};
use crate::ports::PortError;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
}

fn object(pairs: &[(&str, &JsValue)]) -> Result<JsValue, JsValue> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v)?;
    }
    Ok(o.into())
}

fn construct(api: &JsValue, class: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let ctor: Function = get(api, class)?.dyn_into()?;
    Reflect::construct(&ctor, &Array::of1(arg))
}

/// `onPageChanged.<method>(first, callback)`, as a promise of its completion.
async fn with_callback(event: &JsValue, method: &str, first: &JsValue) -> Result<(), JsValue> {
    let f: Function = get(event, method)?.dyn_into()?;
    let mut error = None;
    let promise = Promise::new(&mut |resolve, _| {
        if let Err(e) = f.call2(event, first, &resolve) {
            error = Some(e);
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    JsFuture::from(promise).await.map(drop)
}

fn image(size: u32) -> Result<JsValue, JsValue> {
    let pixels = rgba(size, FEED_ORANGE, WHITE);
    web_sys::ImageData::new_with_u8_clamped_array(Clamped(&pixels), size).map(Into::into)
}

async fn set_up() -> Result<bool, JsValue> {
    let chrome = get(&js_sys::global(), "chrome")?;
    let api = get(&chrome, "declarativeContent")?;
    if api.is_undefined() || api.is_null() {
        return Ok(false); // Firefox
    }
    let conditions = Array::new();
    for css in FEED_LINK_SELECTORS {
        let selectors = Array::of1(&JsValue::from_str(css));
        conditions.push(&construct(&api, "PageStateMatcher", &object(&[("css", &selectors)])?)?);
    }
    let images = object(&[("16", &image(16)?), ("32", &image(32)?)])?;
    let set_icon = construct(&api, "SetIcon", &object(&[("imageData", &images)])?)?;
    let rule = object(&[("conditions", &conditions), ("actions", &Array::of1(&set_icon))])?;
    let event = get(&api, "onPageChanged")?;
    with_callback(&event, "removeRules", &JsValue::UNDEFINED).await?;
    with_callback(&event, "addRules", &Array::of1(&rule)).await?;
    Ok(true)
}

/// Set the rule that gives pages with a feed link the orange icon. `false` where the
/// browser has no `declarativeContent` (Firefox).
pub async fn show_feed_pages() -> Result<bool, PortError> {
    set_up().await.map_err(super::port_error)
}
