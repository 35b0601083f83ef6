//! In-memory ports for running the service natively: a store that counts its writes, a
//! fetcher with scripted answers (and a gate to hold a fetch open), a badge, an alarm and a
//! clock that tests move by hand.
#![allow(dead_code)]

use futures::channel::oneshot;
use futures::lock::{Mutex, MutexGuard};
use planet_reader::core::library::memory::MemoryDb;
use planet_reader::core::store::{FeedId, Millis};
use planet_reader::ports::{
    Alarms, Badge, Change, Clock, FetchFailure, FetchRequest, FetchResponse, Fetcher, Jobs, Locks,
    Notifier, Pages, Permissions, PortError, Store, TabPage,
};
use planet_reader::service::{Config, Platform, Service};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::{Rc, Weak};

pub const FIXTURE: &str = include_str!("../fixtures/planetpython.xml");
pub const PLANET_URL: &str = "https://planetpython.org/rss20.xml";

#[derive(Default)]
pub struct MemoryStore {
    pub data: RefCell<BTreeMap<String, Value>>,
    /// (`set` calls, JSON bytes written).
    pub writes: Cell<(usize, usize)>,
    /// When set, every `set` fails with this message (a full quota, say).
    pub fail_writes: RefCell<Option<String>>,
    /// When set, a `set` that would leave the area holding more bytes than this (every key
    /// and JSON value, as the browsers count) fails with this message: a browser whose quota
    /// is smaller than the one the service plans for.
    pub refuse_over: RefCell<Option<(usize, String)>>,
}

impl Store for MemoryStore {
    async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, PortError> {
        let data = self.data.borrow();
        Ok(keys.iter().filter_map(|k| data.get(k).map(|v| (k.clone(), v.clone()))).collect())
    }
    async fn get_all(&self) -> Result<BTreeMap<String, Value>, PortError> {
        Ok(self.data.borrow().clone())
    }
    async fn set(&self, items: BTreeMap<String, Value>) -> Result<(), PortError> {
        if let Some(message) = self.fail_writes.borrow().clone() {
            return Err(PortError(message));
        }
        if let Some((limit, message)) = self.refuse_over.borrow().clone() {
            let mut after = self.data.borrow().clone();
            after.extend(items.clone());
            if after.iter().map(|(k, v)| k.len() + v.to_string().len()).sum::<usize>() > limit {
                return Err(PortError(message));
            }
        }
        let bytes: usize = items.iter().map(|(k, v)| k.len() + v.to_string().len()).sum();
        let (calls, total) = self.writes.get();
        self.writes.set((calls + 1, total + bytes));
        self.data.borrow_mut().extend(items);
        Ok(())
    }
    async fn remove(&self, keys: &[String]) -> Result<(), PortError> {
        let mut data = self.data.borrow_mut();
        for k in keys {
            data.remove(k);
        }
        Ok(())
    }
}

/// What the fake network answers for a URL.
#[derive(Clone)]
pub enum Answer {
    Body {
        status: u16,
        body: Vec<u8>,
        headers: Vec<(String, String)>,
    },
    Fail(FetchFailure),
    /// A redirect to another URL (followed, as `fetch` does).
    Redirect {
        to: String,
        permanent: bool,
    },
    /// Like a server: 304 when the request's `If-None-Match` matches `etag`.
    Tagged {
        body: Vec<u8>,
        etag: String,
    },
}

impl Answer {
    pub fn ok(body: &str) -> Answer {
        Answer::Body { status: 200, body: body.as_bytes().to_vec(), headers: vec![] }
    }
    pub fn status(status: u16) -> Answer {
        Answer::Body { status, body: b"error".to_vec(), headers: vec![] }
    }
    pub fn with_header(status: u16, name: &str, value: &str) -> Answer {
        Answer::Body { status, body: vec![], headers: vec![(name.into(), value.into())] }
    }
    pub fn tagged(body: &str, etag: &str) -> Answer {
        Answer::Tagged { body: body.as_bytes().to_vec(), etag: etag.into() }
    }
}

#[derive(Default)]
pub struct FakeNet {
    pub answers: RefCell<HashMap<String, Answer>>,
    pub requests: RefCell<Vec<FetchRequest>>,
    /// A fetch of this URL waits until the sender is used (or dropped).
    pub gates: RefCell<HashMap<String, oneshot::Receiver<()>>>,
}

impl FakeNet {
    pub fn answer(&self, url: &str, answer: Answer) {
        self.answers.borrow_mut().insert(url.to_string(), answer);
    }
    /// Hold the next fetch of `url` open until the returned sender fires.
    pub fn gate(&self, url: &str) -> oneshot::Sender<()> {
        let (tx, rx) = oneshot::channel();
        self.gates.borrow_mut().insert(url.to_string(), rx);
        tx
    }
    pub fn count(&self, url: &str) -> usize {
        self.requests.borrow().iter().filter(|r| r.url == url).count()
    }
}

impl Fetcher for FakeNet {
    async fn fetch(&self, request: &FetchRequest) -> Result<FetchResponse, FetchFailure> {
        self.requests.borrow_mut().push(request.clone());
        let gate = self.gates.borrow_mut().remove(&request.url);
        if let Some(gate) = gate {
            let _ = gate.await;
        }
        let mut url = request.url.clone();
        let mut permanent = true;
        let mut redirected = false;
        for _ in 0..10 {
            let answer = self.answers.borrow().get(&url).cloned();
            let (status, body, headers) = match answer {
                None => return Err(FetchFailure::Network("no route to host".into())),
                Some(Answer::Fail(f)) => return Err(f),
                Some(Answer::Redirect { to, permanent: p }) => {
                    permanent &= p;
                    redirected = true;
                    url = to;
                    continue;
                }
                Some(Answer::Tagged { body, etag }) => {
                    let tag = vec![("etag".to_string(), etag.clone())];
                    if request.etag.as_deref() == Some(etag.as_str()) {
                        (304, vec![], tag)
                    } else {
                        (200, body, tag)
                    }
                }
                Some(Answer::Body { status, body, headers }) => (status, body, headers),
            };
            let truncated = body.len() as u64 > request.max_bytes;
            let mut body = body;
            body.truncate(request.max_bytes as usize);
            return Ok(FetchResponse {
                status,
                final_url: url,
                permanent_redirect: redirected && permanent,
                headers: headers.into_iter().collect(),
                body,
                truncated,
            });
        }
        Err(FetchFailure::Network("too many redirects".into()))
    }
}

#[derive(Default)]
pub struct FakeBadge(pub RefCell<String>);

impl Badge for FakeBadge {
    async fn set_text(&self, text: &str) -> Result<(), PortError> {
        *self.0.borrow_mut() = text.to_string();
        Ok(())
    }
}

/// The refresh alarm (`.0`) and the sync alarm (`.1`).
#[derive(Default)]
pub struct FakeAlarms(pub Cell<Option<Millis>>, pub Cell<Option<Millis>>);

impl Alarms for FakeAlarms {
    async fn schedule(&self, at: Millis) -> Result<(), PortError> {
        self.0.set(Some(at));
        Ok(())
    }
    async fn schedule_sync(&self, at: Millis) -> Result<(), PortError> {
        self.1.set(Some(at));
        Ok(())
    }
}

pub struct FakeClock(pub Cell<Millis>);

impl Clock for FakeClock {
    fn now(&self) -> Millis {
        self.0.get()
    }
}

/// Tabs by id, as the injected script would read them.
#[derive(Default)]
pub struct FakeTabs(pub RefCell<HashMap<i32, TabPage>>);

impl Pages for FakeTabs {
    async fn read_tab(&self, tab_id: i32) -> Result<TabPage, PortError> {
        self.0
            .borrow()
            .get(&tab_id)
            .cloned()
            .ok_or_else(|| PortError("Cannot access contents of the page".into()))
    }
}

/// Host access: every origin, unless `denied` lists it.
#[derive(Default)]
pub struct FakePermissions {
    pub denied: RefCell<Vec<String>>,
}

impl Permissions for FakePermissions {
    async fn allows(&self, url: &str) -> bool {
        !self.denied.borrow().iter().any(|origin| url.starts_with(origin.as_str()))
    }
}

/// The extension-wide lock, in memory.
#[derive(Default)]
pub struct FakeLocks(Mutex<()>);

impl Locks for FakeLocks {
    type Guard<'a> = MutexGuard<'a, ()>;
    async fn lock(&self) -> Result<MutexGuard<'_, ()>, PortError> {
        Ok(self.0.lock().await)
    }
}

/// Every change the service announced.
#[derive(Default)]
pub struct FakeNotifier(pub RefCell<Vec<Change>>);

impl Notifier for FakeNotifier {
    fn notify(&self, change: &Change) {
        self.0.borrow_mut().push(change.clone());
    }
}

/// A job asked of the refresh module: a refresh (force, only this feed), or an install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    Refresh(bool, Option<FeedId>),
    Install,
    Migrate,
}

/// The refresh module, natively: the same service (set by `Fakes::service_with`).
#[derive(Default)]
pub struct FakeJobs {
    pub service: RefCell<Option<Weak<Service<Fakes>>>>,
    pub asked: RefCell<Vec<Job>>,
}

impl FakeJobs {
    fn service(&self) -> Result<Rc<Service<Fakes>>, PortError> {
        self.service
            .borrow()
            .as_ref()
            .and_then(Weak::upgrade)
            .ok_or_else(|| PortError("no refresh module".into()))
    }
}

impl Jobs for FakeJobs {
    async fn refresh(&self, force: bool, feed: Option<&FeedId>) -> Result<(), PortError> {
        self.asked.borrow_mut().push(Job::Refresh(force, feed.cloned()));
        let service = self.service()?;
        Box::pin(service.refresh(force, feed)).await.map_err(|e| PortError(e.0))?;
        Ok(())
    }
    async fn install(&self) -> Result<(), PortError> {
        self.asked.borrow_mut().push(Job::Install);
        let service = self.service()?;
        Box::pin(service.install()).await.map_err(|e| PortError(e.0))
    }
    async fn migrate(&self) -> Result<(), PortError> {
        self.asked.borrow_mut().push(Job::Migrate);
        let service = self.service()?;
        Box::pin(service.migrate()).await.map_err(|e| PortError(e.0))
    }
}

/// 2026-04-29T08:00:00Z, shortly after the fixture's newest item.
pub const START: Millis = 1_777_449_600_000;

#[derive(Clone)]
pub struct Fakes {
    pub store: Rc<MemoryStore>,
    pub session: Rc<MemoryStore>,
    pub sync: Rc<MemoryStore>,
    pub db: MemoryDb,
    pub locks: Rc<FakeLocks>,
    pub notifier: Rc<FakeNotifier>,
    pub jobs: Rc<FakeJobs>,
    pub net: Rc<FakeNet>,
    pub badge: Rc<FakeBadge>,
    pub alarms: Rc<FakeAlarms>,
    pub clock: Rc<FakeClock>,
    pub tabs: Rc<FakeTabs>,
    pub permissions: Rc<FakePermissions>,
}

impl Default for Fakes {
    fn default() -> Self {
        Fakes {
            store: Rc::default(),
            session: Rc::default(),
            sync: Rc::default(),
            db: MemoryDb::new(),
            locks: Rc::default(),
            notifier: Rc::default(),
            jobs: Rc::default(),
            net: Rc::default(),
            badge: Rc::default(),
            alarms: Rc::default(),
            clock: Rc::new(FakeClock(Cell::new(START))),
            tabs: Rc::default(),
            permissions: Rc::default(),
        }
    }
}

impl Fakes {
    pub fn badge(&self) -> String {
        self.badge.0.borrow().clone()
    }
    pub fn advance(&self, by: Millis) {
        self.clock.0.set(self.clock.0.get() + by);
    }
    pub fn service(&self) -> Rc<Service<Fakes>> {
        self.service_with(Config {
            default_feeds: vec![PLANET_URL.to_string()],
            ..Config::default()
        })
    }
    /// A service (a worker start): the refresh module's jobs run on it.
    pub fn service_with(&self, config: Config) -> Rc<Service<Fakes>> {
        let service = Rc::new(Service::new(self.clone(), config));
        *self.jobs.service.borrow_mut() = Some(Rc::downgrade(&service));
        service
    }
    /// Every record key of the library, store by store ("entries [\"feed\",\"id\"]").
    pub fn db_keys(&self) -> Vec<String> {
        use planet_reader::core::library::db::StoreName;
        let mut keys = Vec::new();
        for store in StoreName::ALL {
            for v in self.db.dump(store) {
                keys.push(format!("{} {}", store.name(), v[store.key_path()]));
            }
        }
        keys
    }

    /// Every change announced so far (and forget them).
    pub fn changes(&self) -> Vec<Change> {
        self.notifier.0.take()
    }
}

// The service owns a clone of `Fakes`; the ports are shared (`Rc`) so a test can look inside.
impl Platform for Fakes {
    type Store = MemoryStore;
    type Session = MemoryStore;
    type SyncArea = MemoryStore;
    type Db = MemoryDb;
    type Locks = FakeLocks;
    type Notifier = FakeNotifier;
    type Jobs = FakeJobs;
    type Fetcher = FakeNet;
    type Badge = FakeBadge;
    type Alarms = FakeAlarms;
    type Clock = FakeClock;
    type Pages = FakeTabs;
    type Permissions = FakePermissions;
    fn store(&self) -> &MemoryStore {
        &self.store
    }
    fn session(&self) -> &MemoryStore {
        &self.session
    }
    fn sync_area(&self) -> &MemoryStore {
        &self.sync
    }
    fn db(&self) -> &MemoryDb {
        &self.db
    }
    fn locks(&self) -> &FakeLocks {
        &self.locks
    }
    fn notifier(&self) -> &FakeNotifier {
        &self.notifier
    }
    fn jobs(&self) -> &FakeJobs {
        &self.jobs
    }
    fn fetcher(&self) -> &FakeNet {
        &self.net
    }
    fn badge(&self) -> &FakeBadge {
        &self.badge
    }
    fn alarms(&self) -> &FakeAlarms {
        &self.alarms
    }
    fn clock(&self) -> &FakeClock {
        &self.clock
    }
    fn pages(&self) -> &FakeTabs {
        &self.tabs
    }
    fn permissions(&self) -> &FakePermissions {
        &self.permissions
    }
}
