//! Planet Reader: a feed reader that lives in the browser toolbar.
//!
//! Layers, and the one direction of dependency between them:
//!
//! ```text
//! popup (Leptos) ──► protocol ◄── worker glue ──► service ──► core (pure)
//!      │                               │             │
//!      └─► browser::runtime            └─► browser ──┴─► ports (traits) ◄── browser::*
//! ```
//!
//! `core`, `ports`, `service` and `protocol` build natively with no browser crate; the
//! `worker` and `popup` features add the wasm-bindgen adapters and the UI.

pub mod core;
pub mod ports;
pub mod protocol;
pub mod service;

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "popup")]
pub mod popup;
#[cfg(any(feature = "worker", feature = "refresher"))]
pub mod worker;
