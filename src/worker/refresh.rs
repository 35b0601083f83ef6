//! The module instantiated when a refresh, a subscription, discovery or OPML needs the
//! parser, or sync exchanges with `storage.sync` (bin `refresher`). The shim starts it after the hot module's `start` (so a
//! migration is done before it reads anything).

use super::{js_error, make_service, service, NOT_STARTED};
use crate::browser::{from_js, to_js};
use crate::core::store::FeedId;
use crate::protocol::{Request, Response};
use crate::service::ServiceError;
use wasm_bindgen::prelude::*;

/// Make this module's service.
#[wasm_bindgen]
pub fn refresher_start(config: JsValue) -> Result<(), JsValue> {
    make_service(&config).map(drop)
}

/// Fetch what is due (`force`: everything; `feed`: only it).
#[wasm_bindgen]
pub async fn refresh(force: bool, feed: JsValue) -> Result<(), JsValue> {
    let feed: Option<FeedId> = from_js(&feed).unwrap_or(None);
    service()?.refresh(force, feed.as_ref()).await.map(drop).map_err(js_error)
}

/// A fresh install: the default subscriptions.
#[wasm_bindgen]
pub async fn install() -> Result<(), JsValue> {
    service()?.install().await.map_err(js_error)
}

/// `runtime.onInstalled` and `runtime.onStartup`: a look at what other profiles synced.
#[wasm_bindgen]
pub async fn sync_start() -> Result<(), JsValue> {
    service()?.sync_start().await.map_err(js_error)
}

/// The sync alarm: fold the journal in and write pending changes to `storage.sync`.
#[wasm_bindgen]
pub async fn sync_alarm() -> Result<(), JsValue> {
    service()?.sync_write().await.map_err(js_error)
}

/// `storage.onChanged` for the sync area: another profile's changes arrived.
#[wasm_bindgen]
pub async fn sync_changed() -> Result<(), JsValue> {
    service()?.sync_pull().await.map_err(js_error)
}

/// Bring older stored data to this schema (the hot module's start asks).
#[wasm_bindgen]
pub async fn migrate() -> Result<(), JsValue> {
    service()?.migrate().await.map_err(js_error)
}

/// The requests the hot module passes on.
#[wasm_bindgen]
pub async fn refresher_on_message(message: JsValue) -> Result<JsValue, JsValue> {
    let response = match from_js::<Request>(&message) {
        Ok(request) => handle(request).await.unwrap_or_else(|e| Response::Error { message: e.0 }),
        Err(e) => Response::Error { message: format!("unreadable request: {e}") },
    };
    to_js(&response).map_err(|e| JsValue::from_str(&e.0))
}

async fn handle(request: Request) -> Result<Response, ServiceError> {
    let service = service().map_err(|_| ServiceError(NOT_STARTED.into()))?;
    Ok(match request {
        Request::Snapshot { limit, member } => {
            Response::Snapshot(service.snapshot_page(limit, member.as_deref()).await?)
        }
        Request::Refresh { feed } => {
            service.refresh(true, feed.as_ref()).await?;
            Response::Done
        }
        Request::Discover { tab_id } => Response::Found(service.discover_tab(tab_id).await?),
        Request::DiscoverUrl { url } => Response::Found(service.discover_url(&url).await?),
        Request::Subscribe { url, title } => {
            Response::Subscribed { feed: service.subscribe(&url, title).await? }
        }
        Request::PreviewOpml { text } => Response::OpmlPreview(service.preview_opml(&text).await?),
        Request::Import { feeds } => {
            let (added, skipped) = service.import(feeds).await?;
            Response::Imported { added, skipped }
        }
        Request::ExportOpml => Response::Opml { text: service.export_opml().await? },
        _ => return Err(ServiceError("the refresh module does not answer that request".into())),
    })
}
