//! The use cases: refresh, popup snapshot, read marks, start-up. Orchestration only; every
//! decision is a `core` function.
//!
//! [`Service`] is generic over a [`Platform`] (the ports), so the same code runs in the
//! service worker (with `browser::*`) and natively against in-memory fakes in `tests/`.
//!
//! Concurrency: in the worker, an alarm and popup messages may be handled at the same time
//! (interleaved at every `await`). Every read-modify-write of stored keys holds `self.lock`,
//! which is never held across a network fetch, so a read mark made in the popup during a
//! refresh is neither lost nor delayed by a slow server.

mod badge;
mod discover;
mod library;
mod refresh;
mod snapshot;
mod subscriptions;
mod sync;

pub use library::Library;
pub use refresh::{RefreshReport, RESUME_AFTER};

use crate::core::ingest::Policy;
use crate::core::migrate::migrate;
use crate::core::refresh::Limits;
use crate::core::schedule::next_alarm;
use crate::core::store::{
    status_key, unread_count, FeedId, Meta, Millis, Subscription, KEY_META, KEY_SUBS,
    SCHEMA_VERSION,
};
use crate::core::sync::{entry_date, Quota};
use crate::ports::{Alarms, Badge, Clock, Fetcher, Pages, Permissions, PortError, Store};
use futures::lock::Mutex;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// The ports a service runs on.
pub trait Platform {
    /// `storage.local`: durable.
    type Store: Store;
    /// `storage.session`: kept while the browser runs, across worker restarts.
    type Session: Store;
    /// `storage.sync`: copied by the browser between the user's profiles.
    type SyncArea: Store;
    type Fetcher: Fetcher;
    type Badge: Badge;
    type Alarms: Alarms;
    type Clock: Clock;
    type Pages: Pages;
    type Permissions: Permissions;
    fn store(&self) -> &Self::Store;
    fn session(&self) -> &Self::Session;
    fn sync_area(&self) -> &Self::SyncArea;
    fn fetcher(&self) -> &Self::Fetcher;
    fn badge(&self) -> &Self::Badge;
    fn alarms(&self) -> &Self::Alarms;
    fn clock(&self) -> &Self::Clock;
    fn pages(&self) -> &Self::Pages;
    fn permissions(&self) -> &Self::Permissions;
}

/// Settings fixed at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Subscribed on first install.
    pub default_feeds: Vec<String>,
    /// Feeds fetched at the same time.
    pub concurrency: usize,
    pub limits: Limits,
    pub retention: Policy,
    /// A fresh random id, taken as this profile's sync device id if it has none yet (core
    /// has no randomness: the shim passes `crypto.randomUUID()`).
    pub device: String,
    /// `storage.sync`'s quotas as the writer plans for them (the browsers' own; tests set a
    /// larger one to see how a refusal from the browser is handled).
    pub sync_quota: Quota,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_feeds: vec!["https://planetpython.org/rss20.xml".to_string()],
            concurrency: 4,
            limits: Limits::default(),
            retention: Policy::default(),
            device: "device".to_string(),
            sync_quota: Quota::default(),
        }
    }
}

/// An error of a use case, as a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError(pub String);

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<PortError> for ServiceError {
    fn from(e: PortError) -> Self {
        ServiceError(format!("browser storage failed: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

pub struct Service<P: Platform> {
    platform: P,
    config: Config,
    lock: Mutex<()>,
    started: Cell<bool>,
    /// Refresh runs in progress in this worker.
    running: Cell<usize>,
    /// Unread entries per feed, as last counted (see `badge.rs`).
    counts: RefCell<Option<BTreeMap<FeedId, usize>>>,
}

impl<P: Platform> Service<P> {
    pub fn new(platform: P, config: Config) -> Self {
        Service {
            platform,
            config,
            lock: Mutex::new(()),
            started: Cell::new(false),
            running: Cell::new(0),
            counts: RefCell::new(None),
        }
    }

    pub fn platform(&self) -> &P {
        &self.platform
    }

    fn now(&self) -> Millis {
        self.platform.clock().now()
    }

    fn library(&self) -> Library<'_, P::Store, P::Session> {
        Library::new(self.platform.store(), self.platform.session())
    }

    /// Run once per worker start, before anything else: set up a fresh install (the default
    /// subscriptions), then put the badge and the alarm right from what is stored. The
    /// browser may have stopped the previous worker at any point; nothing here assumes it
    /// finished anything.
    pub async fn start(&self) -> Result<()> {
        let _guard = self.lock.lock().await;
        if self.started.get() {
            return Ok(());
        }
        let lib = self.library();
        let meta: Option<Meta> = lib.get(KEY_META).await?;
        // Only an older schema needs everything read (a worker start must not read every
        // entry's HTML to find that out).
        if meta.as_ref().is_some_and(|m| m.schema != SCHEMA_VERSION) {
            let everything = self.platform.store().get_all().await?;
            match migrate(&everything) {
                Ok(None) => {}
                Ok(Some(m)) => {
                    if !m.set.is_empty() {
                        self.platform.store().set(m.set).await?;
                    }
                    if !m.remove.is_empty() {
                        self.platform.store().remove(&m.remove).await?;
                    }
                    let mut batch = lib.batch();
                    batch.put(KEY_META, &m.meta);
                    batch.commit().await?;
                }
                Err(e) => return Err(ServiceError(e.to_string())),
            }
        }
        if meta.is_none() {
            let now = self.now();
            let mut subs: Vec<Subscription> = lib.get(KEY_SUBS).await?.unwrap_or_default();
            for url in &self.config.default_feeds {
                let id = FeedId::for_url(url);
                if !subs.iter().any(|s| s.id == id) {
                    subs.push(Subscription {
                        id,
                        url: url.clone(),
                        title: None,
                        folder: None,
                        added: now,
                    });
                }
            }
            let mut batch = lib.batch();
            batch.put(KEY_SUBS, &subs);
            batch.put(KEY_META, &Meta { schema: SCHEMA_VERSION });
            batch.commit().await?;
        }
        self.started.set(true);
        drop(_guard);
        self.update_badge().await?;
        self.schedule_alarm().await?;
        self.sync_start().await
    }

    /// (Re-)create the alarm at the earliest time a feed is due (a day away when no feed
    /// is polled at all, so the worker still wakes to look).
    pub async fn schedule_alarm(&self) -> Result<()> {
        let lib = self.library();
        let subs = lib.subscriptions().await?;
        let states = lib.feed_states(&subs).await?;
        let checks = lib.checks().await?;
        let now = self.now();
        let due = next_alarm(states.iter().map(|(id, s)| (s, checks.get(id))))
            .unwrap_or(now + crate::core::schedule::MAX_INTERVAL);
        // An alarm in the past fires at once; a minimum delay keeps a failing start-up from
        // spinning.
        self.platform.alarms().schedule(due.max(now + 1_000)).await?;
        Ok(())
    }

    /// Mark one entry read or unread.
    pub async fn mark_read(&self, feed: &FeedId, id: &str, read: bool) -> Result<()> {
        let _guard = self.lock.lock().await;
        let lib = self.library();
        let (entries, mut status) = lib.list(feed).await?;
        let now = self.now();
        let Some(s) = status.get_mut(id) else {
            return Err(ServiceError(format!("no entry {id} in feed {feed}")));
        };
        if s.read == read {
            return Ok(());
        }
        s.read = read;
        s.changed = Some(now);
        let date = entry_date(entries.iter().find(|e| e.id == id), s);
        let mut batch = lib.batch();
        batch.put(&status_key(feed), &status);
        self.sync_record(&mut batch, |r, _device, now| r.mark(feed, id, date, read, now)).await?;
        batch.commit().await?;
        self.sync_schedule().await?;
        self.set_count(feed, unread_count(&entries, &status));
        self.show_badge().await?;
        Ok(())
    }

    /// Mark every unread entry that had arrived by `arrived_by` read.
    pub async fn mark_all_read(&self, arrived_by: Millis) -> Result<usize> {
        let _guard = self.lock.lock().await;
        let lib = self.library();
        let now = self.now();
        let subs = lib.subscriptions().await?;
        let mut lists = lib.lists(&subs).await?;
        let mut batch = lib.batch();
        let mut marked = 0;
        for (feed, (entries, status)) in &mut lists {
            let mut changed = false;
            for e in entries.iter() {
                if let Some(s) = status.get_mut(&e.id) {
                    if !s.read && s.arrived <= arrived_by {
                        s.read = true;
                        s.changed = Some(now);
                        changed = true;
                        marked += 1;
                    }
                }
            }
            if changed {
                batch.put(&status_key(feed), status);
            }
        }
        if marked > 0 {
            self.sync_record(&mut batch, |r, _device, now| {
                for (feed, (entries, status)) in &lists {
                    r.mark_all_read(feed, entries, status, now);
                }
            })
            .await?;
        }
        batch.commit().await?;
        self.sync_schedule().await?;
        for (feed, (entries, status)) in &lists {
            self.set_count(feed, unread_count(entries, status));
        }
        self.show_badge().await?;
        Ok(marked)
    }
}
