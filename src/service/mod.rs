//! The use cases: refresh, read marks, subscriptions, sync, start-up. Orchestration only;
//! every decision is a `core` function.
//!
//! [`Service`] is generic over a [`Platform`] (the ports), so the same code runs in the
//! service worker (with `browser::*`) and natively against in-memory fakes in `tests/`.
//!
//! Where things are: entries, statuses, HTML, search words and every feed's state and
//! counts are in the library (`core::library`, the [`Db`] port: IndexedDB); subscriptions
//! and sync's replica in `storage.local` ([`local`]); when each feed was checked in
//! `storage.session`.
//!
//! Concurrency: in the worker, an alarm and popup messages are handled at the same time
//! (interleaved at every `await`), and the two worker modules (see `worker`) run side by
//! side. A library write is one transaction, atomic by itself. Read-modify-writes of
//! `storage.local` items hold the extension-wide lock ([`Locks`]), which is never held
//! across a network fetch nor while a feed is parsed or sanitized, so a read mark made in
//! the popup during a refresh is neither lost nor delayed by a slow server or a big feed.

mod badge;
mod discover;
mod local;
mod marks;
mod refresh;
mod settings;
mod snapshot;
mod subscriptions;
mod sync;

pub use local::{Batch, Local};
pub use refresh::{RefreshReport, RESUME_AFTER};

use crate::core::library::db::Db;
use crate::core::library::ingest::Policy;
use crate::core::library::Library;
use crate::core::migrate::{migrate, schema_of};
use crate::core::refresh::Limits;
use crate::core::schedule::next_alarm;
use crate::core::store::{FeedId, Meta, Millis, Subscription, KEY_META, KEY_SUBS, SCHEMA_VERSION};
use crate::core::sync::Quota;
use crate::ports::{
    Alarms, Badge, Clock, Fetcher, Jobs, Locks, Notifications, Notifier, Pages, Permissions,
    PortError, Store,
};
use crate::protocol::Change;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

/// The ports a service runs on.
pub trait Platform {
    /// `storage.local`: durable.
    type Store: Store;
    /// `storage.session`: kept while the browser runs, across worker restarts.
    type Session: Store;
    /// `storage.sync`: copied by the browser between the user's profiles.
    type SyncArea: Store;
    /// The library's database (IndexedDB).
    type Db: Db;
    type Locks: Locks;
    type Notifier: Notifier;
    type Jobs: Jobs;
    type Fetcher: Fetcher;
    type Badge: Badge;
    type Notifications: Notifications;
    type Alarms: Alarms;
    type Clock: Clock;
    type Pages: Pages;
    type Permissions: Permissions;
    fn store(&self) -> &Self::Store;
    fn session(&self) -> &Self::Session;
    fn sync_area(&self) -> &Self::SyncArea;
    fn db(&self) -> &Self::Db;
    fn locks(&self) -> &Self::Locks;
    fn notifier(&self) -> &Self::Notifier;
    fn jobs(&self) -> &Self::Jobs;
    fn fetcher(&self) -> &Self::Fetcher;
    fn badge(&self) -> &Self::Badge;
    fn notifications(&self) -> &Self::Notifications;
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
    started: Cell<bool>,
    /// When this instance was made: an attempt marker older than this was left by a worker
    /// that died (see `refresh.rs`).
    born: Millis,
    /// Refresh runs in progress in this instance.
    running: Cell<usize>,
    /// Feeds this instance is parsing or ingesting now.
    in_hand: RefCell<BTreeSet<FeedId>>,
    /// When a refresh last showed the badge (see `Service::badge_soon`).
    badge_shown: Cell<Millis>,
    /// Feeds of a run between their answer and the end of their write.
    writing: Cell<usize>,
}

impl<P: Platform> Service<P> {
    pub fn new(platform: P, config: Config) -> Self {
        let born = platform.clock().now();
        Service {
            platform,
            config,
            started: Cell::new(false),
            born,
            running: Cell::new(0),
            in_hand: RefCell::new(BTreeSet::new()),
            badge_shown: Cell::new(0),
            writing: Cell::new(0),
        }
    }

    pub fn platform(&self) -> &P {
        &self.platform
    }

    fn now(&self) -> Millis {
        self.platform.clock().now()
    }

    /// `storage.local` and `storage.session`, typed.
    fn local(&self) -> Local<'_, P::Store, P::Session> {
        Local::new(self.platform.store(), self.platform.session())
    }

    /// The library.
    pub fn library(&self) -> Library<'_, P::Db> {
        Library::new(self.platform.db())
    }

    /// Hold the extension-wide lock.
    async fn lock(&self) -> Result<<P::Locks as Locks>::Guard<'_>> {
        Ok(self.platform.locks().lock().await?)
    }

    fn notify(&self, change: Change) {
        if !change.is_empty() {
            self.platform.notifier().notify(&change);
        }
    }

    /// Run once per worker start, before anything else: migrate older data (on the refresh
    /// module, through [`Jobs`]), and put the badge right from the library's counts. A fresh install (nothing stored) is set up by
    /// the refresh module ([`Service::install`], through [`Jobs`]), which has what
    /// subscribing needs. The browser may have stopped the previous worker at any point;
    /// nothing here assumes it finished anything.
    pub async fn start(&self) -> Result<()> {
        self.prepare().await?;
        self.settle().await
    }

    /// What [`Service::start`] must do before any request is served: migrations, the set-up
    /// of a fresh install. The worker answers requests after this and settles meanwhile.
    pub async fn prepare(&self) -> Result<()> {
        let meta = self.local().get_raw(KEY_META).await?;
        self.prepare_with(meta).await
    }

    /// [`Service::prepare`] with `meta` already read (the worker's shim reads it while the
    /// wasm is instantiated).
    pub async fn prepare_with(&self, meta: Option<serde_json::Value>) -> Result<()> {
        if self.started.get() {
            return Ok(());
        }
        self.platform.db().warm();
        match schema_of(meta.as_ref()) {
            None => {
                self.platform.jobs().install().await?;
            }
            Some(SCHEMA_VERSION) => {}
            Some(_) => self.platform.jobs().migrate().await?,
        }
        self.started.set(true);
        Ok(())
    }

    /// What a worker does once it has answered its first request: the badge put right from
    /// what is stored (it survives a worker's stop; this is a safety net), and the alarm set
    /// for the feed due first. A run cut short by the worker's stop left its feeds due and
    /// the alarm `RESUME_AFTER` away (2 minutes); the next wake, whatever
    /// woke it, brings that forward.
    pub async fn settle(&self) -> Result<()> {
        self.show_badge().await?;
        self.schedule_alarm().await
    }

    /// Bring older stored data to this schema (see `core::migrate`): the library's records
    /// first, one transaction per feed, then `storage.local`, then `meta`.
    pub async fn migrate(&self) -> Result<()> {
        let _guard = self.lock().await?;
        let everything = self.platform.store().get_all().await?;
        let plan = match migrate(&everything) {
            Ok(Some(plan)) => plan,
            Ok(None) => return Ok(()),
            Err(e) => return Err(ServiceError(e.to_string())),
        };
        let lib = self.library();
        for feed in &plan.feeds {
            lib.import(feed).await?;
        }
        if !plan.set.is_empty() {
            self.platform.store().set(plan.set).await?;
        }
        if !plan.remove.is_empty() {
            self.platform.store().remove(&plan.remove).await?;
        }
        let mut batch = self.local().batch();
        batch.put(KEY_META, &plan.meta);
        batch.commit().await?;
        self.notify(Change { everything: true, ..Change::default() });
        Ok(())
    }

    /// A fresh install: the default subscriptions and the current schema, and a first look
    /// at sync (another profile's subscriptions come in). The fetch follows (`onInstalled`).
    pub async fn install(&self) -> Result<()> {
        {
            let _guard = self.lock().await?;
            let local = self.local();
            if local.get_raw(KEY_META).await?.is_some() {
                return Ok(()); // installed meanwhile
            }
            let now = self.now();
            let mut subs: Vec<Subscription> = local.subscriptions().await?;
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
            let mut batch = local.batch();
            batch.put(KEY_SUBS, &subs);
            batch.put(KEY_META, &Meta { schema: SCHEMA_VERSION });
            batch.commit().await?;
        }
        self.started.set(true);
        self.notify(Change { subscriptions: true, ..Change::default() });
        self.sync_start().await?;
        Ok(())
    }

    /// (Re-)create the alarm at the earliest time a feed is due (a day away when no feed
    /// is polled at all, so the worker still wakes to look).
    pub async fn schedule_alarm(&self) -> Result<()> {
        let local = self.local();
        let subs = local.subscriptions().await?;
        let records = self.library().feeds().await?;
        let checks = local.checks().await?;
        let now = self.now();
        let default = crate::core::store::FeedState::default();
        let states = subs.iter().map(|s| {
            let state = records.iter().find(|r| r.id == s.id).map_or(&default, |r| &r.state);
            (state, checks.get(&s.id))
        });
        let due = next_alarm(states).unwrap_or(now + crate::core::schedule::MAX_INTERVAL);
        // An alarm in the past fires at once; a minimum delay keeps a failing start-up from
        // spinning.
        self.platform.alarms().schedule(due.max(now + 1_000)).await?;
        Ok(())
    }
}
