//! Messaging between the popup and the worker: `chrome.runtime.sendMessage`.
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/runtime#method-sendMessage>
//! The worker side is registered in the service-worker shim (`extension/background.js`),
//! which hands each message to the worker's wasm.

use super::{from_js, port_error, to_js};
use crate::ports::PortError;
use crate::protocol::Request;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    async fn send_message(message: JsValue) -> Result<JsValue, JsValue>;
}

/// Send a request to the worker and wait for its answer (a `protocol::Response`, as JSON:
/// the popup reads the fields it expects, see `protocol::answer`).
pub async fn request(req: &Request) -> Result<Value, PortError> {
    let answer = send_message(to_js(req)?).await.map_err(port_error)?;
    if answer.is_undefined() {
        return Err(PortError("the background worker did not answer".into()));
    }
    from_js(&answer)
}
