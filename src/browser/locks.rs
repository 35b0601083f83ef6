//! The extension-wide lock: the Web Locks API, shared by every context of the extension's
//! origin (both worker modules and the pages).
//!
//! <https://developer.mozilla.org/docs/Web/API/LockManager/request>
//!
//! The lock is held while the promise the request's callback returned is pending; a
//! [`LockGuard`] resolves it when dropped. A holder that can no longer let go (its wasm
//! trapped in the middle) would keep it forever, so a wait longer than [`STEAL_AFTER_MS`]
//! takes the lock over (`steal`): every holder's critical section is milliseconds long.

use super::port_error;
use crate::ports::{Locks, PortError};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The lock's name.
const NAME: &str = "planet-reader";
/// How long a wait may last before the lock is taken over.
pub const STEAL_AFTER_MS: u32 = 15_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn request_lock(
        name: &str,
        options: &JsValue,
        callback: &JsValue,
    ) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(ms: u32) -> JsValue;
}

/// `navigator.locks`.
pub struct WebLocks;

/// Holds the lock until dropped.
pub struct LockGuard {
    release: js_sys::Function,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// Ask for the lock (`steal`: take it from its holder) and wait until it is ours, or the
/// request fails (it was aborted by `options.signal`).
async fn acquire(options: &js_sys::Object) -> Result<LockGuard, JsValue> {
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut granted_resolve = None;
    let granted = js_sys::Promise::new(&mut |resolve, _| granted_resolve = Some(resolve));
    let granted_resolve = granted_resolve.expect("a promise's executor runs at once");
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        let _ = granted_resolve.call0(&JsValue::NULL);
        held
    });
    let request = request_lock(NAME, options, &callback)?;
    // The request's own promise settles only after release, or fails when aborted.
    let race = js_sys::Promise::race(&js_sys::Array::of2(&granted, &request));
    JsFuture::from(race).await?;
    Ok(LockGuard { release: release.expect("a promise's executor runs at once") })
}

impl Locks for WebLocks {
    type Guard<'a> = LockGuard;

    async fn lock(&self) -> Result<LockGuard, PortError> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"signal".into(), &abort_after(STEAL_AFTER_MS))
            .map_err(port_error)?;
        match acquire(&options).await {
            Ok(guard) => Ok(guard),
            Err(_) => {
                let options = js_sys::Object::new();
                js_sys::Reflect::set(&options, &"steal".into(), &true.into())
                    .map_err(port_error)?;
                web_sys::console::warn_1(
                    &"Planet Reader: a lock holder did not let go; taking it over".into(),
                );
                acquire(&options).await.map_err(port_error)
            }
        }
    }
}
