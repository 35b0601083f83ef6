//! The pure core of Planet Reader: feed model and parsing, sanitizing, discovery, OPML,
//! entry identity, ingest of a fetched feed into what is stored, unread counts, refresh
//! scheduling and the sync state.
//!
//! Nothing here touches a browser, a clock, randomness or I/O: every function takes bytes,
//! values and the current time as arguments and returns values. That is what lets all of it
//! be tested natively with `cargo test`, fuzzed, and benchmarked against other parsers.

/// `iter` gathered into a `BTreeMap` by inserting one pair at a time. `collect()` sorts the
/// pairs first (std's bulk build), and each pair type's sort costs the wasm a few kilobytes:
/// the worker's modules use this instead where the data is small.
pub fn btree_map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in iter {
        map.insert(k, v);
    }
    map
}

/// [`btree_map`]'s counterpart for sets.
pub fn btree_set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for t in iter {
        set.insert(t);
    }
    set
}

use std::collections::{BTreeMap, BTreeSet};

pub mod badge;
pub mod caps;
pub mod date;
pub mod discovery;
pub mod error;
pub mod html_budget;
pub mod http;
pub mod i18n;
pub mod icon;
pub mod identity;
pub mod library;
pub mod migrate;
pub mod model;
pub mod notify;
pub mod opml;
pub mod parse;
pub mod refresh;
pub mod rules;
pub mod sanitize;
pub mod schedule;
pub mod settings;
pub mod store;
pub mod sync;
pub mod title;
pub mod urls;
pub mod when;
