//! The module every wake instantiates (bin `worker`): start-up, read marks, stars,
//! unsubscribe and rename, resets, the badge and the alarm. Local changes are journaled for
//! sync (`core::sync::journal`); the exchange with `storage.sync`, like everything that
//! needs the parser, runs in the refresh module.

use super::{js_error, make_service, service, NOT_STARTED};
use crate::browser::{from_js, to_js};
use crate::protocol::{HotRequest as Request, HotResponse as Response};
use crate::service::ServiceError;
use wasm_bindgen::prelude::*;

/// Called once per worker start, before any listener runs: migrations (requests wait for
/// them); then the badge and the alarm are put right while requests are already served.
#[wasm_bindgen]
pub async fn start(config: JsValue, meta: JsValue) -> Result<(), JsValue> {
    let service = make_service(&config)?;
    // `meta` as `storage.local` gave it (undefined: none stored).
    let meta = if meta.is_undefined() || meta.is_null() { None } else { from_js(&meta).ok() };
    service.prepare_with(meta).await.map_err(js_error)?;
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = service.settle().await {
            web_sys::console::error_1(
                &format!("Planet Reader: settling after start failed: {e}").into(),
            );
        }
    });
    Ok(())
}

/// `runtime.onMessage` from an extension page: a request in (`protocol::HotRequest`, the
/// part of `protocol::Request` this module answers), a response out (`HotResponse`, the
/// part of `Response` it gives); `null` for a request the refresh module answers (the shim
/// passes it on).
#[wasm_bindgen]
pub async fn on_message(message: JsValue) -> Result<JsValue, JsValue> {
    let response = match from_js::<Request>(&message) {
        Ok(request) => match handle(request).await {
            Ok(Some(response)) => response,
            Ok(None) => return Ok(JsValue::NULL),
            Err(e) => Response::Error { message: e.0 },
        },
        Err(e) => Response::Error { message: format!("unreadable request: {e}") },
    };
    to_js(&response).map_err(|e| JsValue::from_str(&e.0))
}

async fn handle(request: Request) -> Result<Option<Response>, ServiceError> {
    let service = service().map_err(|_| ServiceError(NOT_STARTED.into()))?;
    Ok(Some(match request {
        Request::GetEntry { feed, id } => Response::Entry(service.entry(&feed, &id).await?),
        Request::MarkRead { feed, id, read } => {
            service.mark_read(&feed, &id, read).await?;
            Response::Done
        }
        Request::MarkAllRead { arrived_by } => {
            service.mark_all_read(arrived_by).await?;
            Response::Done
        }
        Request::MarkEntries { entries, read } => {
            Response::Marked { entries: service.mark_entries(&entries, read, None).await? }
        }
        Request::MarkViewRead { view, arrived_by } => {
            Response::Marked { entries: service.mark_view_read(&view, arrived_by).await? }
        }
        Request::Star { feed, id, starred } => {
            service.star(&feed, &id, starred).await?;
            Response::Done
        }
        Request::Unsubscribe { feed } => {
            service.unsubscribe(&feed).await?;
            Response::Done
        }
        Request::Rename { feed, title } => {
            service.rename(&feed, title).await?;
            Response::Done
        }
        Request::ResetFeed { feed } => {
            service.reset_feed(&feed).await?;
            Response::Done
        }
        Request::ResetAll => {
            service.reset_all().await?;
            Response::Done
        }
        Request::Elsewhere => return Ok(None),
    }))
}
