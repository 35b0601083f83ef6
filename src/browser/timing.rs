//! User Timing marks: what benchmarks read to know when the popup showed something.
//!
//! <https://developer.mozilla.org/docs/Web/API/Performance/mark>,
//! <https://developer.mozilla.org/docs/Web/API/Window/requestAnimationFrame>

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Mark `name` on the page's timeline once what was just rendered has been painted: the
/// next animation frame runs before that paint, a task queued from it after.
pub fn mark_after_paint(name: &'static str) {
    let Some(window) = web_sys::window() else { return };
    let after_frame = Closure::once_into_js(move || {
        let mark = Closure::once_into_js(move || {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark(name);
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(mark.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(after_frame.unchecked_ref());
}
