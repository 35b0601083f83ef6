//! Typed access to what stays in `storage.local` (subscriptions, sync's replica and
//! bookkeeping, the schema version) and `storage.session` (when each feed was checked, and
//! the attempt markers of feeds being read), over any [`Store`].
//!
//! Reading fails soft: a stored value that cannot be read is kept under
//! `damaged:<its key>` (see `core::migrate::DAMAGED_PREFIX`) and its type's default is used
//! instead, so one damaged value never stops the extension; a list of subscriptions loses
//! only the entries that cannot be read.

use super::Result;
use crate::core::btree_map;
use crate::core::migrate::DAMAGED_PREFIX;
use crate::core::store::{check_key, Check, Checks, FeedId, Subscription, CHECK_PREFIX, KEY_SUBS};
use crate::ports::{PortError, Store};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// `storage.local` (`store`) and `storage.session` (`session`, volatile schedule data).
pub struct Local<'a, S: Store, V: Store> {
    store: &'a S,
    session: &'a V,
}

/// Writes collected to be made in one `set` call: one write operation, all or nothing.
pub struct Batch<'a, S: Store> {
    store: &'a S,
    items: BTreeMap<String, Value>,
    removals: Vec<String>,
}

impl<'a, S: Store, V: Store> Local<'a, S, V> {
    pub fn new(store: &'a S, session: &'a V) -> Self {
        Local { store, session }
    }

    pub fn batch(&self) -> Batch<'a, S> {
        Batch { store: self.store, items: BTreeMap::new(), removals: Vec::new() }
    }

    /// The value of `key`, as stored.
    pub async fn get_raw(&self, key: &str) -> Result<Option<Value>> {
        Ok(self.store.get(&[key.to_string()]).await?.remove(key))
    }

    /// The value of `key`; an unreadable one is set aside (`damaged:<key>`) and read as
    /// missing.
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let Some(raw) = self.get_raw(key).await? else { return Ok(None) };
        self.decode(key, raw).await
    }

    async fn decode<T: DeserializeOwned>(&self, key: &str, raw: Value) -> Result<Option<T>> {
        match serde_json::from_value(raw.clone()) {
            Ok(v) => Ok(Some(v)),
            Err(_) => {
                self.set_aside(key, raw).await?;
                Ok(None)
            }
        }
    }

    /// Keep an unreadable value of `key` under `damaged:<key>` and remove it.
    async fn set_aside(&self, key: &str, raw: Value) -> Result<()> {
        self.store.set(BTreeMap::from([(format!("{DAMAGED_PREFIX}{key}"), raw)])).await?;
        self.store.remove(&[key.to_string()]).await?;
        Ok(())
    }

    /// The values of two keys, in one storage call; a missing or unreadable key is its
    /// type's default.
    pub async fn pair<A, B>(&self, a: &str, b: &str) -> Result<(A, B)>
    where
        A: DeserializeOwned + Default,
        B: DeserializeOwned + Default,
    {
        let mut found = self.store.get(&[a.to_string(), b.to_string()]).await?;
        let first = match found.remove(a) {
            Some(raw) => self.decode(a, raw).await?.unwrap_or_default(),
            None => A::default(),
        };
        let second = match found.remove(b) {
            Some(raw) => self.decode(b, raw).await?.unwrap_or_default(),
            None => B::default(),
        };
        Ok((first, second))
    }

    /// The subscriptions. One that cannot be read is set aside (`damaged:subs`, with the
    /// others that could not) and the rest are kept.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let Some(raw) = self.get_raw(KEY_SUBS).await? else { return Ok(vec![]) };
        let items = match raw {
            Value::Array(items) => items,
            other => {
                self.set_aside(KEY_SUBS, other).await?;
                return Ok(vec![]);
            }
        };
        let mut subs = Vec::with_capacity(items.len());
        let mut bad = Vec::new();
        for item in items {
            match serde_json::from_value::<Subscription>(item.clone()) {
                Ok(s) => subs.push(s),
                Err(_) => bad.push(item),
            }
        }
        if !bad.is_empty() {
            let mut batch = self.batch();
            batch.put(&format!("{DAMAGED_PREFIX}{KEY_SUBS}"), &bad);
            batch.put(KEY_SUBS, &subs);
            batch.commit().await?;
        }
        Ok(subs)
    }

    /// When each feed was last checked and is next due (`storage.session`).
    pub async fn checks(&self) -> Result<Checks> {
        let all = self.session.get_all().await?;
        Ok(btree_map(all.into_iter().filter_map(|(key, value)| {
            let id = FeedId(key.strip_prefix(CHECK_PREFIX)?.to_string());
            Some((id, serde_json::from_value(value).ok()?))
        })))
    }

    /// Record one feed's check: one small key, whatever the number of feeds.
    pub async fn put_check(&self, id: &FeedId, check: Check) -> Result<()> {
        self.put_session(&check_key(id), &check).await
    }

    pub async fn put_session<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let value = serde_json::to_value(value).expect("session values serialize");
        self.session.set(BTreeMap::from([(key.to_string(), value)])).await?;
        Ok(())
    }

    pub async fn remove_session(&self, keys: &[String]) -> Result<()> {
        if !keys.is_empty() {
            self.session.remove(keys).await?;
        }
        Ok(())
    }

    /// Every `storage.session` value whose key starts with `prefix`, by the rest of its key.
    pub async fn session_prefixed<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<BTreeMap<String, T>> {
        let all = self.session.get_all().await?;
        Ok(btree_map(all.into_iter().filter_map(|(key, value)| {
            let rest = key.strip_prefix(prefix)?.to_string();
            Some((rest, serde_json::from_value(value).ok()?))
        })))
    }

    /// Every `storage.local` key that starts with `prefix`.
    pub async fn keys_with(&self, prefix: &str) -> Result<Vec<String>> {
        Ok(self.store.get_all().await?.into_keys().filter(|k| k.starts_with(prefix)).collect())
    }
}

impl<S: Store> Batch<'_, S> {
    pub fn put<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        // Serializing our own plain data types to JSON cannot fail.
        let value = serde_json::to_value(value).expect("stored types serialize to JSON");
        self.items.insert(key.to_string(), value);
    }

    pub fn remove(&mut self, key: &str) {
        self.removals.push(key.to_string());
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.removals.is_empty()
    }

    /// The JSON size of what this batch writes, in bytes.
    pub fn bytes(&self) -> usize {
        self.items.iter().map(|(k, v)| k.len() + v.to_string().len()).sum()
    }

    pub async fn commit(self) -> std::result::Result<(), PortError> {
        if !self.items.is_empty() {
            self.store.set(self.items).await?;
        }
        if !self.removals.is_empty() {
            self.store.remove(&self.removals).await?;
        }
        Ok(())
    }
}
