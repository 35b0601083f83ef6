//! The service worker's second wasm, instantiated only when a refresh (or subscribing,
//! discovery, OPML) needs the parser: `planet_reader::worker::refresh`'s entry points.

pub use planet_reader::worker::refresh::*;

fn main() {}
