//! The store port in memory: what the native tests (and benchmarks) run the library on.
//!
//! It follows IndexedDB where the library can tell: keys ordered as [`Key`] orders them,
//! indexes read from the same fields with the same rules (a record whose field is missing
//! or not a key is not in the index; a multi-entry index holds each distinct element of an
//! array once), write transactions one at a time, each applied whole at its commit and not
//! at all when dropped or when a commit is made to fail. A read transaction sees the data
//! as it was when it began.

use super::db::{Db, IndexDef, Mode, Source, StoreName, Txn, SCHEMA};
use super::key::{Key, Range};
use crate::core::error::PortError;
use futures::lock::{Mutex, OwnedMutexGuard};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

type Table = BTreeMap<Key, Value>;
type Tables = BTreeMap<StoreName, Table>;

#[derive(Default)]
struct State {
    committed: RefCell<Rc<Tables>>,
    writer: Arc<Mutex<()>>,
    /// (commits of write transactions, records written, JSON bytes written).
    writes: Cell<(usize, usize, usize)>,
    fail_commits: RefCell<Option<String>>,
}

/// An in-memory database. Clones share the same data.
#[derive(Clone, Default)]
pub struct MemoryDb {
    state: Rc<State>,
}

impl MemoryDb {
    pub fn new() -> Self {
        MemoryDb::default()
    }

    /// (commits, records written, JSON bytes written) so far.
    pub fn writes(&self) -> (usize, usize, usize) {
        self.state.writes.get()
    }

    /// Make every commit fail with `message` (a full disk, say), or work again with `None`.
    pub fn fail_commits(&self, message: Option<&str>) {
        *self.state.fail_commits.borrow_mut() = message.map(str::to_string);
    }

    /// Every record of `store`, by primary key.
    pub fn dump(&self, store: StoreName) -> Vec<Value> {
        let tables = self.state.committed.borrow();
        tables.get(&store).map(|t| t.values().cloned().collect()).unwrap_or_default()
    }

    /// Replace a stored record with `record` as is, past every check (a test writes a
    /// damaged value this way).
    pub fn poke(&self, store: StoreName, key: Key, record: Value) {
        let mut tables = self.state.committed.borrow_mut();
        Rc::make_mut(&mut tables).entry(store).or_default().insert(key, record);
    }
}

pub struct MemoryTxn {
    state: Rc<State>,
    tables: RefCell<Rc<Tables>>,
    stores: Vec<StoreName>,
    /// Held by a write transaction until it ends.
    guard: Option<OwnedMutexGuard<()>>,
    written: Cell<(usize, usize)>,
}

impl Db for MemoryDb {
    type Txn = MemoryTxn;

    async fn begin(&self, stores: &[StoreName], mode: Mode) -> Result<MemoryTxn, PortError> {
        let guard = match mode {
            Mode::Read => None,
            Mode::Write => Some(self.state.writer.clone().lock_owned().await),
        };
        Ok(MemoryTxn {
            state: self.state.clone(),
            tables: RefCell::new(self.state.committed.borrow().clone()),
            stores: stores.to_vec(),
            guard,
            written: Cell::new((0, 0)),
        })
    }
}

/// The keys under which `record` is in `index`.
fn index_keys(index: &IndexDef, record: &Value) -> Vec<Key> {
    let Some(field) = record.get(index.name) else { return vec![] };
    match field {
        Value::Array(items) if index.multi_entry => {
            let mut keys: Vec<Key> = items.iter().filter_map(Key::from_value).collect();
            keys.sort();
            keys.dedup();
            keys
        }
        _ => Key::from_value(field).into_iter().collect(),
    }
}

fn index_def(store: StoreName, name: &str) -> Result<&'static IndexDef, PortError> {
    SCHEMA
        .iter()
        .find(|i| i.store == store && i.name == name)
        .ok_or_else(|| PortError(format!("no index {name} on {}", store.name())))
}

fn primary_key(store: StoreName, record: &Value) -> Result<Key, PortError> {
    record.get(store.key_path()).and_then(Key::from_value).ok_or_else(|| {
        PortError(format!("a record of {} has no valid key at {}", store.name(), store.key_path()))
    })
}

impl MemoryTxn {
    fn check_scope(&self, store: StoreName) -> Result<(), PortError> {
        if self.stores.contains(&store) {
            Ok(())
        } else {
            Err(PortError(format!("{} is not in the transaction's scope", store.name())))
        }
    }

    fn check_write(&self, store: StoreName) -> Result<(), PortError> {
        self.check_scope(store)?;
        if self.guard.is_none() {
            return Err(PortError("a read-only transaction cannot write".into()));
        }
        Ok(())
    }

    /// `(key in source, primary key, record)` in range, in order.
    fn select(&self, source: Source, range: &Range) -> Result<Vec<(Key, Key, Value)>, PortError> {
        self.check_scope(source.store())?;
        let tables = self.tables.borrow();
        let Some(table) = tables.get(&source.store()) else { return Ok(vec![]) };
        let mut out = Vec::new();
        match source {
            Source::Store(_) => {
                for (k, v) in table {
                    if range.contains(k) {
                        out.push((k.clone(), k.clone(), v.clone()));
                    }
                }
            }
            Source::Index(store, name) => {
                let index = index_def(store, name)?;
                for (pk, v) in table {
                    for ik in index_keys(index, v) {
                        if range.contains(&ik) {
                            out.push((ik, pk.clone(), v.clone()));
                        }
                    }
                }
                out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            }
        }
        Ok(out)
    }

    fn write(&self, store: StoreName, f: impl FnOnce(&mut Table)) {
        let mut tables = self.tables.borrow_mut();
        f(Rc::make_mut(&mut tables).entry(store).or_default());
    }
}

impl Txn for MemoryTxn {
    async fn get(&self, store: StoreName, key: &Key) -> Result<Option<Value>, PortError> {
        self.check_scope(store)?;
        Ok(self.tables.borrow().get(&store).and_then(|t| t.get(key)).cloned())
    }

    async fn get_all(
        &self,
        source: Source,
        range: &Range,
        limit: Option<u32>,
    ) -> Result<Vec<Value>, PortError> {
        let rows = self.select(source, range)?;
        let limit = limit.map_or(usize::MAX, |l| l as usize);
        Ok(rows.into_iter().take(limit).map(|(_, _, v)| v).collect())
    }

    async fn count(&self, source: Source, range: &Range) -> Result<u64, PortError> {
        Ok(self.select(source, range)?.len() as u64)
    }

    fn put(&self, store: StoreName, record: &Value) -> Result<(), PortError> {
        self.check_write(store)?;
        let key = primary_key(store, record)?;
        let (n, bytes) = self.written.get();
        self.written.set((n + 1, bytes + record.to_string().len()));
        self.write(store, |t| {
            t.insert(key, record.clone());
        });
        Ok(())
    }

    fn delete(&self, store: StoreName, key: &Key) -> Result<(), PortError> {
        self.check_write(store)?;
        self.write(store, |t| {
            t.remove(key);
        });
        Ok(())
    }

    fn delete_range(&self, store: StoreName, range: &Range) -> Result<(), PortError> {
        self.check_write(store)?;
        self.write(store, |t| t.retain(|k, _| !range.contains(k)));
        Ok(())
    }

    async fn commit(mut self) -> Result<(), PortError> {
        let Some(guard) = self.guard.take() else { return Ok(()) };
        if let Some(message) = self.state.fail_commits.borrow().clone() {
            return Err(PortError(message));
        }
        *self.state.committed.borrow_mut() = self.tables.borrow().clone();
        let (commits, records, bytes) = self.state.writes.get();
        let (n, b) = self.written.get();
        self.state.writes.set((commits + 1, records + n, bytes + b));
        drop(guard);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use serde_json::json;

    fn rec(id: &str, unread: Option<Value>) -> Value {
        let mut v = json!({ "k": ["f", id] });
        if let Some(u) = unread {
            v["unread"] = u;
        }
        v
    }

    #[test]
    fn an_index_lists_only_records_whose_field_is_a_key_in_key_order() {
        block_on(async {
            let db = MemoryDb::new();
            let t = db.begin(&[StoreName::Entries], Mode::Write).await.unwrap();
            t.put(StoreName::Entries, &rec("a", Some(json!([-2, "f", "a"])))).unwrap();
            t.put(StoreName::Entries, &rec("b", Some(json!([-3, "f", "b"])))).unwrap();
            t.put(StoreName::Entries, &rec("c", None)).unwrap();
            t.put(StoreName::Entries, &rec("d", Some(json!(null)))).unwrap();
            t.commit().await.unwrap();
            let t = db.begin(&[StoreName::Entries], Mode::Read).await.unwrap();
            let got = t
                .get_all(Source::Index(StoreName::Entries, "unread"), &Range::all(), None)
                .await
                .unwrap();
            let ids: Vec<&str> = got.iter().map(|v| v["k"][1].as_str().unwrap()).collect();
            assert_eq!(ids, ["b", "a"]);
            let n = t.count(Source::Store(StoreName::Entries), &Range::all()).await.unwrap();
            assert_eq!(n, 4);
        });
    }

    #[test]
    fn a_multi_entry_index_holds_a_record_once_per_distinct_element() {
        block_on(async {
            let db = MemoryDb::new();
            let t = db.begin(&[StoreName::Search], Mode::Write).await.unwrap();
            let mut r = rec("a", None);
            r["words"] = json!([["py", -1], ["go", -1], ["py", -1], {"no": "key"}]);
            t.put(StoreName::Search, &r).unwrap();
            t.commit().await.unwrap();
            let t = db.begin(&[StoreName::Search], Mode::Read).await.unwrap();
            let words = Source::Index(StoreName::Search, "words");
            assert_eq!(t.count(words, &Range::all()).await.unwrap(), 2);
            let py = Range::prefix(vec![Key::str("py")]);
            assert_eq!(t.get_all(words, &py, None).await.unwrap().len(), 1);
        });
    }

    #[test]
    fn a_write_transaction_applies_whole_at_commit_and_not_at_all_when_dropped() {
        block_on(async {
            let db = MemoryDb::new();
            let t = db.begin(&[StoreName::Entries], Mode::Write).await.unwrap();
            t.put(StoreName::Entries, &rec("a", None)).unwrap();
            drop(t);
            assert!(db.dump(StoreName::Entries).is_empty());
            db.fail_commits(Some("QuotaExceededError"));
            let t = db.begin(&[StoreName::Entries], Mode::Write).await.unwrap();
            t.put(StoreName::Entries, &rec("a", None)).unwrap();
            assert_eq!(t.commit().await.unwrap_err().0, "QuotaExceededError");
            assert!(db.dump(StoreName::Entries).is_empty());
            db.fail_commits(None);
            let t = db.begin(&[StoreName::Entries], Mode::Write).await.unwrap();
            t.put(StoreName::Entries, &rec("a", None)).unwrap();
            t.put(StoreName::Entries, &rec("b", None)).unwrap();
            t.delete(StoreName::Entries, &Key::Array(vec!["f".into(), "a".into()])).unwrap();
            t.commit().await.unwrap();
            assert_eq!(db.dump(StoreName::Entries), vec![rec("b", None)]);
        });
    }

    #[test]
    fn a_transaction_keeps_to_its_scope_and_mode_and_records_need_keys() {
        block_on(async {
            let db = MemoryDb::new();
            let t = db.begin(&[StoreName::Feeds], Mode::Read).await.unwrap();
            assert!(t.get(StoreName::Entries, &Key::str("x")).await.is_err());
            assert!(t.put(StoreName::Feeds, &json!({"id": "f"})).is_err());
            let t = db.begin(&[StoreName::Feeds], Mode::Write).await.unwrap();
            assert!(t.put(StoreName::Feeds, &json!({"title": "no id"})).is_err());
        });
    }
}
