//! Fetching a feed: the global `fetch()`, with a timeout and a size cap.
//!
//! <https://developer.mozilla.org/docs/Web/API/Window/fetch>,
//! <https://developer.mozilla.org/docs/Web/API/AbortController>,
//! <https://developer.mozilla.org/docs/Web/API/ReadableStreamDefaultReader/read>
//!
//! `fetch` is bound on the global object, not on `Window`: the Chrome service worker has no
//! window (Firefox's background page does).

use super::js_message;
use crate::ports::{FetchFailure, FetchRequest, FetchResponse, Fetcher};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, Request, RequestCache, RequestInit,
    Response,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &Request) -> js_sys::Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The response headers the refresh uses.
const HEADERS: [&str; 7] = [
    "content-type",
    "content-location",
    "etag",
    "last-modified",
    "retry-after",
    "cache-control",
    "date",
];

const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";

pub struct BrowserFetcher;

impl Fetcher for BrowserFetcher {
    async fn fetch(&self, req: &FetchRequest) -> Result<FetchResponse, FetchFailure> {
        let network = |e: JsValue| FetchFailure::Network(js_message(&e));
        let controller = AbortController::new().map_err(network)?;
        let headers = Headers::new().map_err(network)?;
        headers.set("Accept", ACCEPT).map_err(network)?;
        if let Some(etag) = &req.etag {
            headers.set("If-None-Match", etag).map_err(network)?;
        }
        if let Some(date) = &req.last_modified {
            headers.set("If-Modified-Since", date).map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_headers(&headers);
        init.set_signal(Some(&controller.signal()));
        // The validators are ours: the HTTP cache must neither answer nor revalidate for us.
        init.set_cache(RequestCache::NoStore);
        let request = Request::new_with_str_and_init(&req.url, &init).map_err(network)?;

        // The timeout covers the whole exchange, body included.
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (timed_out, controller) = (timed_out.clone(), controller.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), req.timeout_ms as i32);
        let result = exchange(&request, req.max_bytes).await;
        clear_timeout(&timer);
        drop(on_timeout);
        result.map_err(|e| if timed_out.get() { FetchFailure::Timeout } else { network(e) })
    }
}

async fn exchange(request: &Request, max_bytes: u64) -> Result<FetchResponse, JsValue> {
    let response: Response = JsFuture::from(global_fetch(request)).await?.dyn_into()?;
    let mut out = FetchResponse {
        status: response.status(),
        final_url: response.url(),
        ..Default::default()
    };
    let headers = response.headers();
    for name in HEADERS {
        if let Some(value) = headers.get(name)? {
            out.headers.insert(name.to_string(), value);
        }
    }
    let Some(stream) = response.body() else { return Ok(out) };
    let reader: ReadableStreamDefaultReader = stream.get_reader().dyn_into()?;
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())?.is_truthy();
        if done {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into())?;
        let bytes = js_sys::Uint8Array::new(&value);
        if out.body.len() as u64 + u64::from(bytes.length()) > max_bytes {
            out.truncated = true;
            let _ = JsFuture::from(reader.cancel()).await;
            break;
        }
        out.body.extend_from_slice(&bytes.to_vec());
    }
    Ok(out)
}
