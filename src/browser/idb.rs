//! The library's database: IndexedDB, as the [`Db`] port.
//!
//! <https://developer.mozilla.org/docs/Web/API/IndexedDB_API>,
//! <https://www.w3.org/TR/IndexedDB/>
//!
//! One database, `planet-reader`, whose object stores and indexes are exactly
//! `core::library::db::SCHEMA` (created when the database is first opened, or when
//! [`DB_VERSION`] rises). Records and keys travel as JSON. A request is awaited as a
//! promise settled by its `success`/`error` event: the continuation runs as a microtask
//! while the transaction is still active, so a transaction can go on placing requests after
//! each `await` (and must await nothing else: see `core::library::db`).
//!
//! The worker (both modules) and the popup each open the database once and keep it; a
//! newer version opened elsewhere (an update) makes this one close, so the upgrade is never
//! blocked by an old page.

use super::{from_js, js_message, to_js};
use crate::core::library::db::{Db, Mode, Source, StoreName, Txn, DB_VERSION, SCHEMA};
use crate::core::library::key::{Key, Range};
use crate::ports::PortError;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbFactory, IdbIndexParameters, IdbKeyRange, IdbObjectStore,
    IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

/// The database's name.
pub const DB_NAME: &str = "planet-reader";

thread_local! {
    /// The database of this context, opened (or being opened).
    static OPEN: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

fn idb_error(e: JsValue) -> PortError {
    PortError(format!("IndexedDB: {}", js_message(&e)))
}

/// The library's database in this context.
#[derive(Clone, Copy, Default)]
pub struct IndexedDb;

/// Settle a promise with `request`'s result or error.
async fn done(request: &IdbRequest) -> Result<JsValue, PortError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            // Handled here: the transaction's own error says the rest.
            event.prevent_default();
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or_default();
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(idb_error)
}

fn factory() -> Result<IdbFactory, PortError> {
    // `indexedDB` on the global object: a worker has no `window`.
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"indexedDB".into())
        .ok()
        .and_then(|f| f.dyn_into::<IdbFactory>().ok())
        .ok_or_else(|| PortError("IndexedDB is not available here".into()))
}

/// Create what [`SCHEMA`] lists and the database lacks.
fn upgrade(request: &IdbOpenDbRequest) -> Result<(), JsValue> {
    let db: IdbDatabase = request.result()?.dyn_into()?;
    let txn = request.transaction().ok_or_else(|| JsValue::from_str("no upgrade transaction"))?;
    let names = db.object_store_names();
    for store in StoreName::ALL {
        if !names.contains(store.name()) {
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str(store.key_path()));
            db.create_object_store_with_optional_parameters(store.name(), &params)?;
        }
    }
    for index in SCHEMA {
        let store = txn.object_store(index.store.name())?;
        if !store.index_names().contains(index.name) {
            let params = IdbIndexParameters::new();
            params.set_multi_entry(index.multi_entry);
            store.create_index_with_str_and_optional_parameters(index.name, index.name, &params)?;
        }
    }
    Ok(())
}

/// Start opening the database: a promise of it, settled by the open request.
fn start_open() -> Result<js_sys::Promise, PortError> {
    let request = factory()?.open_with_u32(DB_NAME, DB_VERSION).map_err(idb_error)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn FnMut()>::new(move || {
        if let Err(e) = upgrade(&upgrading) {
            web_sys::console::error_2(&"Planet Reader: the database upgrade failed:".into(), &e);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    on_upgrade.forget(); // called at most once, while the open request lives
    let opened = request.clone();
    Ok(js_sys::Promise::new(&mut |resolve, reject| {
        let ok = opened.clone();
        let on_success = Closure::once_into_js(move || {
            let db = ok.result().unwrap_or(JsValue::UNDEFINED);
            if let Some(db) = db.dyn_ref::<IdbDatabase>() {
                // A newer version opened in another context (an update): step aside.
                let closing = db.clone();
                let on_version_change = Closure::<dyn FnMut()>::new(move || {
                    closing.close();
                    OPEN.with(|o| o.borrow_mut().take());
                });
                db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
                on_version_change.forget(); // lives as long as the connection
            }
            let _ = resolve.call1(&JsValue::NULL, &db);
        });
        let failed = opened.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or_default();
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        opened.set_onsuccess(Some(on_success.unchecked_ref()));
        opened.set_onerror(Some(on_error.unchecked_ref()));
    }))
}

/// The database, opened once per context: every caller awaits the same open.
async fn open() -> Result<IdbDatabase, PortError> {
    let promise = match OPEN.with(|o| o.borrow().clone()) {
        Some(p) => p,
        None => {
            let p = start_open()?;
            OPEN.with(|o| *o.borrow_mut() = Some(p.clone()));
            p
        }
    };
    match JsFuture::from(promise).await {
        Ok(db) => db.dyn_into().map_err(idb_error),
        Err(e) => {
            OPEN.with(|o| o.borrow_mut().take()); // a later call tries again
            Err(idb_error(e))
        }
    }
}

/// A key as IndexedDB takes it.
fn js_key(key: &Key) -> JsValue {
    match key {
        Key::Num(n) => JsValue::from_f64(*n),
        Key::Str(s) => JsValue::from_str(s),
        Key::Array(items) => items.iter().map(js_key).collect::<js_sys::Array>().into(),
    }
}

/// A range as IndexedDB takes it (`null` for every key).
fn js_range(range: &Range) -> Result<JsValue, PortError> {
    let range = match (&range.lower, &range.upper) {
        (None, None) => return Ok(JsValue::NULL),
        (Some(l), Some(u)) => IdbKeyRange::bound_with_lower_open_and_upper_open(
            &js_key(l),
            &js_key(u),
            range.lower_open,
            range.upper_open,
        ),
        (Some(l), None) => IdbKeyRange::lower_bound_with_open(&js_key(l), range.lower_open),
        (None, Some(u)) => IdbKeyRange::upper_bound_with_open(&js_key(u), range.upper_open),
    };
    range.map(JsValue::from).map_err(idb_error)
}

pub struct IdbTxn {
    txn: IdbTransaction,
    write: bool,
    committed: Cell<bool>,
}

impl Db for IndexedDb {
    type Txn = IdbTxn;

    fn warm(&self) {
        if OPEN.with(|o| o.borrow().is_none()) {
            if let Ok(p) = start_open() {
                OPEN.with(|o| *o.borrow_mut() = Some(p));
            }
        }
    }

    async fn begin(&self, stores: &[StoreName], mode: Mode) -> Result<IdbTxn, PortError> {
        let db = open().await?;
        let names: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s.name())).collect();
        let idb_mode = match mode {
            Mode::Read => IdbTransactionMode::Readonly,
            Mode::Write => IdbTransactionMode::Readwrite,
        };
        let txn = db.transaction_with_str_sequence_and_mode(&names, idb_mode).map_err(idb_error)?;
        Ok(IdbTxn { txn, write: mode == Mode::Write, committed: Cell::new(false) })
    }
}

impl IdbTxn {
    fn store(&self, store: StoreName) -> Result<IdbObjectStore, PortError> {
        self.txn.object_store(store.name()).map_err(idb_error)
    }

    fn get_all_request(
        &self,
        source: Source,
        range: &JsValue,
        limit: Option<u32>,
    ) -> Result<IdbRequest, JsValue> {
        let store = self.txn.object_store(source.store().name())?;
        match (source, limit) {
            (Source::Store(_), Some(n)) => store.get_all_with_key_and_limit(range, n),
            (Source::Store(_), None) => store.get_all_with_key(range),
            (Source::Index(_, name), Some(n)) => {
                store.index(name)?.get_all_with_key_and_limit(range, n)
            }
            (Source::Index(_, name), None) => store.index(name)?.get_all_with_key(range),
        }
    }
}

impl Txn for IdbTxn {
    async fn get(&self, store: StoreName, key: &Key) -> Result<Option<Value>, PortError> {
        let request = self.store(store)?.get(&js_key(key)).map_err(idb_error)?;
        let found = done(&request).await?;
        if found.is_undefined() {
            return Ok(None);
        }
        from_js(&found).map(Some)
    }

    async fn get_all(
        &self,
        source: Source,
        range: &Range,
        limit: Option<u32>,
    ) -> Result<Vec<Value>, PortError> {
        let request = self.get_all_request(source, &js_range(range)?, limit).map_err(idb_error)?;
        from_js(&done(&request).await?)
    }

    async fn count(&self, source: Source, range: &Range) -> Result<u64, PortError> {
        let store = self.store(source.store())?;
        let range = js_range(range)?;
        let request = match source {
            Source::Store(_) => store.count_with_key(&range),
            Source::Index(_, name) => store.index(name).and_then(|i| i.count_with_key(&range)),
        }
        .map_err(idb_error)?;
        Ok(done(&request).await?.as_f64().unwrap_or(0.0) as u64)
    }

    fn put(&self, store: StoreName, record: &Value) -> Result<(), PortError> {
        self.store(store)?.put(&to_js(record)?).map_err(idb_error)?;
        Ok(())
    }

    fn delete(&self, store: StoreName, key: &Key) -> Result<(), PortError> {
        self.store(store)?.delete(&js_key(key)).map_err(idb_error)?;
        Ok(())
    }

    fn delete_range(&self, store: StoreName, range: &Range) -> Result<(), PortError> {
        let range = js_range(range)?;
        if range.is_null() {
            self.store(store)?.clear().map_err(idb_error)?;
        } else {
            self.store(store)?.delete(&range).map_err(idb_error)?;
        }
        Ok(())
    }

    async fn commit(self) -> Result<(), PortError> {
        self.committed.set(true);
        if !self.write {
            return Ok(());
        }
        let txn = self.txn.clone();
        let ended = js_sys::Promise::new(&mut |resolve, reject| {
            let on_complete = Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            let aborted = txn.clone();
            let on_abort = Closure::once_into_js(move || {
                let why = aborted
                    .error()
                    .map(|e| format!("{}: {}", e.name(), e.message()))
                    .unwrap_or_else(|| "the transaction was aborted".into());
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
            });
            txn.set_oncomplete(Some(on_complete.unchecked_ref()));
            txn.set_onabort(Some(on_abort.unchecked_ref()));
        });
        // Commit now rather than when the event loop finds the transaction idle. (web-sys
        // marks `commit` deprecated; it is in IndexedDB 3.0 and in both browsers.)
        #[allow(deprecated)]
        let _ = self.txn.commit();
        JsFuture::from(ended).await.map(drop).map_err(idb_error)
    }
}

impl Drop for IdbTxn {
    fn drop(&mut self) {
        // A write transaction given up (an error returned half-way) is rolled back, not
        // committed by IndexedDB when it finds nothing left to do.
        if self.write && !self.committed.get() {
            let _ = self.txn.abort();
        }
    }
}
