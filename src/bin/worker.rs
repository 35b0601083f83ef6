//! The background service worker's wasm. Its entry points are `planet_reader::worker`'s
//! `#[wasm_bindgen]` functions; `extension/worker.js` loads it.

pub use planet_reader::worker::*;

fn main() {}
