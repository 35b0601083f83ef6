//! The service worker's wasm that every wake instantiates: `planet_reader::worker::hot`'s
//! entry points; `extension/background.js` loads it.

pub use planet_reader::worker::hot::*;

fn main() {}
