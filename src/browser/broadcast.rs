//! What changed, told to the extension's open pages: a `BroadcastChannel`, which reaches
//! every context of the extension's origin (the popup, a reader tab) and costs nothing when
//! none is open.
//!
//! <https://developer.mozilla.org/docs/Web/API/BroadcastChannel>

use super::{from_js, to_js};
use crate::ports::{Change, Notifier};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "planet-reader";

thread_local! {
    static SENDER: Option<BroadcastChannel> = BroadcastChannel::new(CHANNEL).ok();
}

/// Posts each [`Change`] on the channel.
pub struct Broadcast;

impl Notifier for Broadcast {
    fn notify(&self, change: &Change) {
        let Ok(message) = to_js(change) else { return };
        SENDER.with(|c| {
            if let Some(c) = c {
                let _ = c.post_message(&message);
            }
        });
    }
}

/// Call `f` with every [`Change`] posted by another context (as long as the page lives).
pub fn on_change(f: impl Fn(Change) + 'static) {
    let Ok(channel) = BroadcastChannel::new(CHANNEL) else { return };
    let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Ok(change) = from_js::<Change>(&event.data()) {
            f(change);
        }
    });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    std::mem::forget(channel); // kept open for the page's life
}
