//! The pure core of Planet Reader: feed model and parsing, sanitizing, discovery, OPML,
//! entry identity, ingest of a fetched feed into what is stored, unread counts, refresh
//! scheduling and the sync state.
//!
//! Nothing here touches a browser, a clock, randomness or I/O: every function takes bytes,
//! values and the current time as arguments and returns values. That is what lets all of it
//! be tested natively with `cargo test`, fuzzed, and benchmarked against other parsers.

pub mod caps;
pub mod date;
pub mod discovery;
pub mod html_budget;
pub mod http;
pub mod identity;
pub mod ingest;
pub mod migrate;
pub mod model;
pub mod opml;
pub mod parse;
pub mod refresh;
pub mod sanitize;
pub mod schedule;
pub mod store;
pub mod sync;
pub mod title;
pub mod urls;
pub mod when;
