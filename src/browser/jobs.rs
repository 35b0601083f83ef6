//! Jobs for the refresh module (the worker's second wasm module, with the parser): the
//! service-worker shim (`extension/background.js`) defines `globalThis.planetReader`, whose
//! functions instantiate that module on first use and run the job there.

use super::{port_error, to_js};
use crate::core::store::FeedId;
use crate::ports::{Jobs, PortError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = planetReader, js_name = refresh, catch)]
    async fn bridge_refresh(force: bool, feed: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = planetReader, js_name = install, catch)]
    async fn bridge_install() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = planetReader, js_name = migrate, catch)]
    async fn bridge_migrate() -> Result<JsValue, JsValue>;
}

pub struct RefreshModule;

impl Jobs for RefreshModule {
    async fn refresh(&self, force: bool, feed: Option<&FeedId>) -> Result<(), PortError> {
        bridge_refresh(force, to_js(&feed)?).await.map(drop).map_err(port_error)
    }

    async fn install(&self) -> Result<(), PortError> {
        bridge_install().await.map(drop).map_err(port_error)
    }

    async fn migrate(&self) -> Result<(), PortError> {
        bridge_migrate().await.map(drop).map_err(port_error)
    }
}
