//! Typed access to what is stored (the keys of `core::store`) over any [`Store`].

use super::Result;
use crate::core::ingest::Stored;
use crate::core::store::{
    check_key, entries_key, feed_key, html_key, status_key, Check, Checks, FeedId, FeedState,
    StatusMap, StoredEntry, Subscription, CHECK_PREFIX, KEY_SUBS,
};
use crate::ports::{PortError, Store};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// `storage.local` (`store`) and `storage.session` (`session`, volatile schedule data).
pub struct Library<'a, S: Store, V: Store> {
    store: &'a S,
    session: &'a V,
}

/// Writes collected to be made in one `set` call: one write operation, all or nothing.
pub struct Batch<'a, S: Store> {
    store: &'a S,
    items: BTreeMap<String, Value>,
    removals: Vec<String>,
}

fn decode<T: DeserializeOwned>(key: &str, value: Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|e| super::ServiceError(format!("stored value {key} is unreadable: {e}")))
}

/// Remove and decode `key` from what a `get` found; a missing key is the type's default.
fn take<T: DeserializeOwned + Default>(
    found: &mut BTreeMap<String, Value>,
    key: &str,
) -> Result<T> {
    found.remove(key).map_or_else(|| Ok(T::default()), |v| decode(key, v))
}

impl<'a, S: Store, V: Store> Library<'a, S, V> {
    pub fn new(store: &'a S, session: &'a V) -> Self {
        Library { store, session }
    }

    /// When each feed was last checked and is next due (`storage.session`).
    pub async fn checks(&self) -> Result<Checks> {
        let all = self.session.get_all().await?;
        all.into_iter()
            .filter_map(|(key, value)| {
                let id = FeedId(key.strip_prefix(CHECK_PREFIX)?.to_string());
                Some(decode(&key, value).map(|check| (id, check)))
            })
            .collect()
    }

    /// Record one feed's check: one small key, whatever the number of feeds.
    pub async fn put_check(&self, id: &FeedId, check: Check) -> Result<()> {
        let value = serde_json::to_value(check).expect("checks serialize");
        self.session.set(BTreeMap::from([(check_key(id), value)])).await?;
        Ok(())
    }

    /// Forget one feed's check (it was unsubscribed).
    pub async fn drop_check(&self, id: &FeedId) -> Result<()> {
        self.session.remove(&[check_key(id)]).await?;
        Ok(())
    }

    pub fn batch(&self) -> Batch<'a, S> {
        Batch { store: self.store, items: BTreeMap::new(), removals: Vec::new() }
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let mut found = self.store.get(&[key.to_string()]).await?;
        found.remove(key).map(|v| decode(key, v)).transpose()
    }

    /// Several keys at once (one storage call); missing keys are absent from the result.
    pub async fn get_many<T: DeserializeOwned>(
        &self,
        keys: Vec<String>,
    ) -> Result<BTreeMap<String, T>> {
        let found = self.store.get(&keys).await?;
        found.into_iter().map(|(k, v)| decode(&k, v).map(|t| (k, t))).collect()
    }

    pub async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        Ok(self.get(KEY_SUBS).await?.unwrap_or_default())
    }

    pub async fn feed_states(&self, subs: &[Subscription]) -> Result<BTreeMap<FeedId, FeedState>> {
        let mut found: BTreeMap<String, FeedState> =
            self.get_many(subs.iter().map(|s| feed_key(&s.id)).collect()).await?;
        Ok(subs
            .iter()
            .map(|s| (s.id.clone(), found.remove(&feed_key(&s.id)).unwrap_or_default()))
            .collect())
    }

    /// The subscriptions and one feed's state, in one storage call.
    pub async fn subscriptions_and_state(
        &self,
        id: &FeedId,
    ) -> Result<(Vec<Subscription>, FeedState)> {
        self.pair(KEY_SUBS, &feed_key(id)).await
    }

    /// Entries and status of one feed, as ingest takes them.
    pub async fn stored(&self, id: &FeedId) -> Result<Stored> {
        let (entries, status) = self.list(id).await?;
        Ok(Stored { entries, status })
    }

    /// One entry's sanitized HTML, if it has any.
    pub async fn html(&self, feed: &FeedId, entry: &str) -> Result<Option<String>> {
        self.get(&html_key(feed, entry)).await
    }

    /// Add to `batch` the removal of everything stored for `feed` but its subscription: its
    /// state, entries, statuses and every entry's HTML.
    pub async fn remove_feed(&self, batch: &mut Batch<'a, S>, feed: &FeedId) -> Result<()> {
        let (entries, _) = self.list(feed).await?;
        for key in [feed_key(feed), entries_key(feed), status_key(feed)] {
            batch.remove(&key);
        }
        for entry in &entries {
            batch.remove(&html_key(feed, &entry.id));
        }
        Ok(())
    }

    /// Entries and statuses of one feed, in one storage call.
    pub async fn list(&self, id: &FeedId) -> Result<(Vec<StoredEntry>, StatusMap)> {
        self.pair(&entries_key(id), &status_key(id)).await
    }

    /// The values of two keys, in one storage call; a missing key is its type's default.
    pub async fn pair<A, B>(&self, a: &str, b: &str) -> Result<(A, B)>
    where
        A: DeserializeOwned + Default,
        B: DeserializeOwned + Default,
    {
        let mut found = self.store.get(&[a.to_string(), b.to_string()]).await?;
        Ok((take(&mut found, a)?, take(&mut found, b)?))
    }

    /// Entries and statuses of every subscribed feed (the list data, not the content).
    pub async fn lists(
        &self,
        subs: &[Subscription],
    ) -> Result<BTreeMap<FeedId, (Vec<StoredEntry>, StatusMap)>> {
        let keys: Vec<String> =
            subs.iter().flat_map(|s| [entries_key(&s.id), status_key(&s.id)]).collect();
        let mut found = self.store.get(&keys).await?;
        subs.iter()
            .map(|s| {
                let entries = take(&mut found, &entries_key(&s.id))?;
                let status = take(&mut found, &status_key(&s.id))?;
                Ok((s.id.clone(), (entries, status)))
            })
            .collect()
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

    /// The JSON size of what this batch writes, in bytes (for the storage benchmark).
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
