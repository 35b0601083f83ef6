//! The popup's one door to the world: typed requests to the worker, and change events.
//! No other popup file knows the transport.

use crate::browser::{runtime, storage};
use crate::core::opml::OpmlFeed;
use crate::core::store::FeedId;
use crate::protocol::{Discovery, EntryContent, OpmlPreview, Request, Response, Snapshot};

pub use crate::browser::permissions::request as request_access;
pub use crate::browser::tabs::ActiveTab;

/// An error to show: one sentence.
pub type Error = String;

async fn call(request: Request) -> Result<Response, Error> {
    match runtime::request(&request).await {
        Ok(Response::Error { message }) => Err(message),
        Ok(response) => Ok(response),
        Err(e) => Err(format!("Planet Reader's background worker is not answering: {e}")),
    }
}

fn unexpected(r: Response) -> Error {
    format!("unexpected answer from the background worker: {r:?}")
}

/// The snapshot with the newest `limit` unread entries, only `member`'s when given.
pub async fn snapshot(limit: usize, member: Option<String>) -> Result<Snapshot, Error> {
    match call(Request::Snapshot { limit: Some(limit), member }).await? {
        Response::Snapshot(s) => Ok(s),
        r => Err(unexpected(r)),
    }
}

pub async fn entry(feed: crate::core::store::FeedId, id: String) -> Result<EntryContent, Error> {
    match call(Request::GetEntry { feed, id }).await? {
        Response::Entry(e) => Ok(e),
        r => Err(unexpected(r)),
    }
}

pub async fn discover(tab_id: i32) -> Result<Discovery, Error> {
    match call(Request::Discover { tab_id }).await? {
        Response::Found(d) => Ok(d),
        r => Err(unexpected(r)),
    }
}

pub async fn discover_url(url: String) -> Result<Discovery, Error> {
    match call(Request::DiscoverUrl { url }).await? {
        Response::Found(d) => Ok(d),
        r => Err(unexpected(r)),
    }
}

pub async fn subscribe(url: String, title: Option<String>) -> Result<FeedId, Error> {
    match call(Request::Subscribe { url, title }).await? {
        Response::Subscribed { feed } => Ok(feed),
        r => Err(unexpected(r)),
    }
}

pub async fn preview_opml(text: String) -> Result<OpmlPreview, Error> {
    match call(Request::PreviewOpml { text }).await? {
        Response::OpmlPreview(p) => Ok(p),
        r => Err(unexpected(r)),
    }
}

pub async fn import(feeds: Vec<OpmlFeed>) -> Result<(usize, usize), Error> {
    match call(Request::Import { feeds }).await? {
        Response::Imported { added, skipped } => Ok((added, skipped)),
        r => Err(unexpected(r)),
    }
}

pub async fn export_opml() -> Result<String, Error> {
    match call(Request::ExportOpml).await? {
        Response::Opml { text } => Ok(text),
        r => Err(unexpected(r)),
    }
}

/// The tab the popup is open over.
pub async fn active_tab() -> Result<Option<ActiveTab>, Error> {
    crate::browser::tabs::active().await.map_err(|e| format!("could not see the current tab: {e}"))
}

/// Requests answered with `Done`.
pub async fn send(request: Request) -> Result<(), Error> {
    match call(request).await? {
        Response::Done => Ok(()),
        r => Err(unexpected(r)),
    }
}

pub async fn open_tab(url: String) -> Result<(), Error> {
    crate::browser::tabs::open(&url).await.map_err(|e| format!("could not open a tab: {e}"))
}

/// Call `f` whenever the worker changed what is stored locally.
pub fn on_store_changed(f: impl Fn() + 'static) {
    storage::on_changed(move |area| {
        if area == "local" {
            f()
        }
    });
}

/// The current time, for "5 min ago".
pub fn now() -> crate::core::store::Millis {
    js_sys::Date::now() as crate::core::store::Millis
}
