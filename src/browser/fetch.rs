//! Fetching a feed: the global `fetch()`, with a timeout and a size cap.
//!
//! <https://developer.mozilla.org/docs/Web/API/Window/fetch>,
//! <https://developer.mozilla.org/docs/Web/API/AbortController>,
//! <https://developer.mozilla.org/docs/Web/API/ReadableStreamDefaultReader/read>
//!
//! `fetch` is bound on the global object, not on `Window`: the Chrome service worker has no
//! window (Firefox's background page does).
//!
//! Whether a redirect was permanent: `fetch` follows redirects and tells only that one
//! happened (`Response.redirected`), and `redirect: "manual"` hides the status even from an
//! extension. `webRequest.onBeforeRedirect` (the `webRequest` permission, no blocking)
//! reports each hop of the extension's own requests with its status code
//! (<https://developer.chrome.com/docs/extensions/reference/api/webRequest#event-onBeforeRedirect>).
//! A fetch counts as moved permanently when every hop was a 301 or 308. Without the API,
//! every redirect counts as temporary and the subscription keeps its URL.

use super::js_message;
use crate::ports::{FetchFailure, FetchRequest, FetchResponse, Fetcher};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, Request, RequestCache,
    RequestCredentials, RequestInit, Response,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &Request) -> js_sys::Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    #[wasm_bindgen(js_namespace = ["chrome", "webRequest", "onBeforeRedirect"], js_name = addListener, catch)]
    fn add_redirect_listener(listener: &js_sys::Function, filter: &JsValue) -> Result<(), JsValue>;
}

thread_local! {
    /// Redirect hops seen by `webRequest`, by the URL redirected from: (status, to).
    static HOPS: RefCell<HashMap<String, (u16, String)>> = RefCell::new(HashMap::new());
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Start recording the redirects of this extension's own requests (once per worker).
fn listen_for_redirects() {
    if LISTENING.with(Cell::get) {
        return;
    }
    LISTENING.with(|l| l.set(true));
    let listener = Closure::<dyn Fn(JsValue)>::new(|details: JsValue| {
        let get = |name: &str| js_sys::Reflect::get(&details, &name.into()).unwrap_or_default();
        // Requests of tabs (tabId ≥ 0) are the user's browsing, not ours.
        if get("tabId").as_f64() != Some(-1.0) {
            return;
        }
        let (Some(from), Some(to), Some(status)) =
            (get("url").as_string(), get("redirectUrl").as_string(), get("statusCode").as_f64())
        else {
            return;
        };
        HOPS.with(|h| h.borrow_mut().insert(from, (status as u16, to)));
    });
    let filter = js_sys::JSON::parse(r#"{"urls": ["http://*/*", "https://*/*"]}"#)
        .expect("a constant JSON filter");
    if add_redirect_listener(listener.as_ref().unchecked_ref(), &filter).is_ok() {
        listener.forget(); // lives as long as the worker
    }
}

/// Follow the recorded hops from `url`: whether every one was permanent (301/308) and led
/// to `final_url`.
fn permanent_chain(url: &str, final_url: &str) -> Option<bool> {
    HOPS.with(|hops| {
        let mut hops = hops.borrow_mut();
        let mut at = url.to_string();
        let mut permanent = true;
        for _ in 0..20 {
            if at == final_url {
                return Some(permanent);
            }
            let (status, to) = hops.remove(&at)?;
            permanent &= matches!(status, 301 | 308);
            at = to;
        }
        None
    })
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
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
        listen_for_redirects();
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
        if req.anonymous {
            init.set_credentials(RequestCredentials::Omit);
        }
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
        let (mut response, redirected) =
            result.map_err(|e| if timed_out.get() { FetchFailure::Timeout } else { network(e) })?;
        if redirected {
            // The webRequest event may be dispatched just after the response: give it a moment.
            for _ in 0..5 {
                if let Some(permanent) = permanent_chain(&req.url, &response.final_url) {
                    response.permanent_redirect = permanent;
                    break;
                }
                sleep(20).await;
            }
        }
        Ok(response)
    }
}

/// The request's response, its body read up to `max_bytes`, and whether it was redirected.
async fn exchange(request: &Request, max_bytes: u64) -> Result<(FetchResponse, bool), JsValue> {
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
    let redirected = response.redirected();
    let Some(stream) = response.body() else { return Ok((out, redirected)) };
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
    Ok((out, redirected))
}
