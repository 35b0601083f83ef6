//! The store port: a database shaped like IndexedDB, and only as much of it as the library
//! uses.
//!
//! Object stores hold JSON records under a key taken from each record (its key path);
//! indexes, declared once in [`SCHEMA`], order the records by another key path, and a
//! multi-entry index puts a record under every element of an array. A transaction covers
//! named stores, reads and writes them, and is applied entirely or not at all: [`Txn::commit`]
//! applies it; a write transaction dropped without a commit is aborted.
//!
//! `browser::idb` implements it with IndexedDB; [`super::memory::MemoryDb`] in memory, with
//! the same ordering and the same index rules, for the native tests. Everything the store
//! decides (which index serves a view, counts, retention) is in `core::library` over this
//! trait, so it runs the same in both.
//!
//! A transaction is used without awaiting anything but its own requests: IndexedDB commits a
//! transaction as soon as it has nothing left to do, so a fetch or a timer awaited in the
//! middle would end it. The library's functions keep to that; so must any caller holding a
//! [`Txn`].
#![allow(async_fn_in_trait)]

use super::key::{Key, Range};
use crate::core::error::PortError;
use serde_json::Value;

/// An object store of the library's database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreName {
    /// One record per entry: its status always, its list data while it is kept
    /// ([`super::record::EntryRecord`]).
    Entries,
    /// One entry's sanitized HTML, apart from its list data so lists never read it.
    Html,
    /// One entry's search words, apart from its list data for the same reason.
    Search,
    /// One record per feed: fetch state and health, and its counts
    /// ([`super::record::FeedRecord`]).
    Feeds,
    /// One record per feed: the content hash of each of its entries, what a refresh
    /// compares a new document with before it sanitizes anything (one small read instead of
    /// every entry record).
    Hashes,
}

impl StoreName {
    pub fn name(self) -> &'static str {
        match self {
            StoreName::Entries => "entries",
            StoreName::Html => "html",
            StoreName::Search => "search",
            StoreName::Feeds => "feeds",
            StoreName::Hashes => "hashes",
        }
    }

    /// The record field that holds its primary key.
    pub fn key_path(self) -> &'static str {
        match self {
            StoreName::Entries | StoreName::Html | StoreName::Search => "k",
            StoreName::Feeds | StoreName::Hashes => "id",
        }
    }

    pub const ALL: [StoreName; 5] = [
        StoreName::Entries,
        StoreName::Html,
        StoreName::Search,
        StoreName::Feeds,
        StoreName::Hashes,
    ];
}

/// An index of an object store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexDef {
    pub store: StoreName,
    /// The index's name, and the record field holding its key.
    pub name: &'static str,
    /// One index entry per element of the (array) field.
    pub multi_entry: bool,
}

/// Every index, by store. The IndexedDB adapter creates exactly these; adding one is a new
/// database version there.
pub const SCHEMA: &[IndexDef] = &[
    IndexDef { store: StoreName::Entries, name: "unread", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "all", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "feed_unread", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "feed_all", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "member_unread", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "member_all", multi_entry: false },
    IndexDef { store: StoreName::Entries, name: "starred", multi_entry: false },
    IndexDef { store: StoreName::Search, name: "words", multi_entry: true },
];

/// The database's version in IndexedDB terms: raised whenever [`SCHEMA`] changes.
pub const DB_VERSION: u32 = 1;

/// Where a read looks: a store itself (by primary key) or one of its indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Store(StoreName),
    Index(StoreName, &'static str),
}

impl Source {
    pub fn store(self) -> StoreName {
        match self {
            Source::Store(s) | Source::Index(s, _) => s,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// The database.
pub trait Db {
    type Txn: Txn;
    /// Get ready for the first transaction (open the database) without waiting for it:
    /// a worker's start calls it so the opening overlaps what else it does.
    fn warm(&self) {}
    /// A transaction over `stores`.
    async fn begin(&self, stores: &[StoreName], mode: Mode) -> Result<Self::Txn, PortError>;
}

/// One transaction.
pub trait Txn {
    /// The record stored under `key`.
    async fn get(&self, store: StoreName, key: &Key) -> Result<Option<Value>, PortError>;
    /// Up to `limit` records of `source` whose (index or primary) key is in `range`, in key
    /// order (a record under several keys of a multi-entry index comes once per key).
    async fn get_all(
        &self,
        source: Source,
        range: &Range,
        limit: Option<u32>,
    ) -> Result<Vec<Value>, PortError>;
    /// How many records (index entries) `source` has in `range`.
    async fn count(&self, source: Source, range: &Range) -> Result<u64, PortError>;
    /// Store `record` under the key its key path holds (replacing what was there).
    fn put(&self, store: StoreName, record: &Value) -> Result<(), PortError>;
    fn delete(&self, store: StoreName, key: &Key) -> Result<(), PortError>;
    /// Remove every record whose primary key is in `range`.
    fn delete_range(&self, store: StoreName, range: &Range) -> Result<(), PortError>;
    /// Apply every write of the transaction, or none (the error says why).
    async fn commit(self) -> Result<(), PortError>;
}
