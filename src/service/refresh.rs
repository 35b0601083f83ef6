//! The refresh use case: fetch the due feeds, parse, ingest, write, badge, alarm.
//!
//! Each feed is one unit of work: fetch; check the answer (`core::refresh::precheck`); if
//! there is a changed body, write an attempt marker, parse it and prepare its new and
//! edited entries (sanitizing them: the heavy part, under no lock), remove the marker; then,
//! under the lock, one library transaction writes its entries, HTML, words, counts and
//! state (all or nothing), and one `storage.session` write records its check. A worker
//! stopped in the middle leaves every feed either done or still due; the next run (the
//! alarm is re-created at the earliest due time on every start) finishes the rest, and
//! ingest is idempotent, so nothing is lost or doubled.
//!
//! A feed whose body stops the worker (out of memory, or past the browser's time limit for
//! one event) leaves its attempt marker behind: the next run finds it, records the feed as
//! stalled with that body's hash (`FeedState::poison`), so that body is never parsed
//! again, and the feed backs off like any failure. A library write that fails (a full
//! disk) is recorded in `storage.session`, which does not share the library's quota, and
//! backs the feed off too, instead of fetching it again at every wake.
//!
//! The user's settings are read once a run: each feed's refresh interval, the rules that
//! act on new entries (matched while the entries are prepared), and which feeds notify.
//! The entries worth telling about, from every feed of the run, make one notification at
//! its end (`core::notify`).

use super::{Platform, Result, Service};
use crate::core::library::ingest::{prepare, Prepared, Report};
use crate::core::notify::{notice, worth_telling, NewEntry};
use crate::core::refresh::{
    moved_to, parse_body, precheck, record, record_stall, Outcome, Precheck,
};
use crate::core::rules::Rules;
use crate::core::schedule::{backoff, is_due};
use crate::core::settings::{Choice, Settings};
use crate::core::store::{
    attempt_key, unsaved_key, Attempt, Check, FeedError, FeedId, FeedState, Millis, Subscription,
    Unsaved, ATTEMPT_PREFIX, KEY_SUBS, KEY_SYNC_REPLICA, MINUTE, UNSAVED_PREFIX,
};
use crate::core::sync::SyncState;
use crate::ports::{Alarms, FetchFailure, FetchRequest, Fetcher, Notifications, Permissions};
use crate::protocol::Change;
use futures::stream::{self, StreamExt};
use std::cell::Cell;
use std::collections::BTreeMap;

/// What one refresh run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Feeds fetched.
    pub fetched: usize,
    /// Feeds whose fetch failed.
    pub failed: usize,
    /// Feeds that answered "not modified" (a 304, or the same bytes as last time).
    pub unchanged: usize,
    /// New entries, over all feeds.
    pub added: usize,
    /// Entries the notification of the run told about.
    pub notified: usize,
    /// JSON bytes written to the library.
    pub bytes_written: usize,
}

/// How soon an interrupted refresh resumes when nothing else wakes the worker.
pub const RESUME_AFTER: Millis = 2 * MINUTE;

/// Counts a refresh run while it lives (also when its future is dropped half-way).
struct Running<'a>(&'a Cell<usize>);

impl<'a> Running<'a> {
    fn enter(count: &'a Cell<usize>) -> Self {
        count.set(count.get() + 1);
        Running(count)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// What a run reads once for all its feeds.
struct RunData {
    /// Sync's replica: new entries start as other profiles left them.
    replica: Option<SyncState>,
    /// Feeds whose last write failed (by feed id).
    unsaved: BTreeMap<String, Unsaved>,
}

/// One feed's part of a report.
#[derive(Default)]
struct FeedRun {
    failed: bool,
    unchanged: bool,
    added: usize,
    bytes: usize,
    change: Change,
    /// New entries worth a notification.
    news: Vec<NewEntry>,
}

impl<P: Platform> Service<P> {
    /// Fetch every feed that is due (all of them when `force`; only `only` when given),
    /// `config.concurrency` at a time; then update the badge and the alarm. One feed's
    /// failure never stops the others: it is recorded in that feed's state.
    ///
    /// A scheduled refresh (not `force`) while another runs in this worker does nothing: the
    /// running one covers what is due. Before fetching, the alarm is set a little ahead
    /// ([`RESUME_AFTER`]) so that if the browser stops the worker in the middle, the rest
    /// is done soon after; the end of the run sets it to the next due time.
    pub async fn refresh(&self, force: bool, only: Option<&FeedId>) -> Result<RefreshReport> {
        if !force && self.running.get() > 0 {
            return Ok(RefreshReport::default());
        }
        let _running = Running::enter(&self.running);
        self.platform.alarms().schedule(self.now() + RESUME_AFTER).await?;
        self.record_stalls().await?;
        let local = self.local();
        let subs = local.subscriptions().await?;
        let records = self.library().feeds().await?;
        let checks = local.checks().await?;
        let unsaved: BTreeMap<String, Unsaved> = local.session_prefixed(UNSAVED_PREFIX).await?;
        let settings = self.settings().await?;
        let rules = self.rules().await?;
        let now = self.now();
        let state_of = |id: &FeedId| {
            records.iter().find(|r| &r.id == id).map(|r| r.state.clone()).unwrap_or_default()
        };
        let due: Vec<(&Subscription, FeedState)> = subs
            .iter()
            .filter(|s| only.is_none_or(|o| &s.id == o))
            .map(|s| (s, state_of(&s.id)))
            .filter(|(s, state)| {
                let waiting = unsaved.get(&s.id.0).is_some_and(|u| now < unsaved_retry(s, u));
                force || (is_due(state, checks.get(&s.id), now) && !waiting)
            })
            .collect();
        let run_data = RunData {
            replica: match due.is_empty() {
                true => None,
                false => local.get(KEY_SYNC_REPLICA).await?,
            },
            unsaved,
        };
        let runs: Vec<Result<FeedRun>> = stream::iter(due)
            .map(|(sub, state)| self.refresh_feed(sub, state, &run_data, &settings, &rules))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        let mut report = RefreshReport::default();
        let mut first_error = None;
        let mut change = Change::default();
        let mut news = Vec::new();
        for run in runs {
            match run {
                Ok(run) => {
                    report.fetched += 1;
                    report.failed += usize::from(run.failed);
                    report.unchanged += usize::from(run.unchanged);
                    report.added += run.added;
                    report.bytes_written += run.bytes;
                    change.merge(run.change);
                    news.extend(run.news);
                }
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        // A feed whose state changed may have started or ceased failing (the error state).
        if report.added > 0 || !change.entries.is_empty() || !change.feeds.is_empty() {
            self.badge_shown.set(self.now());
            self.show_badge().await?;
        }
        self.schedule_alarm().await?;
        if let Some(notice) = notice(news).filter(|_| settings.notifications != Choice::Off) {
            report.notified = notice.count;
            let shown = self.platform.notifications().show(&notice, settings.language.as_deref());
            if let Err(e) = shown.await {
                first_error = first_error.or(Some(e.into()));
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Attempt markers left by a worker that died while reading a feed: that feed stalls.
    async fn record_stalls(&self) -> Result<()> {
        let local = self.local();
        let markers: BTreeMap<String, Attempt> = local.session_prefixed(ATTEMPT_PREFIX).await?;
        for (id, attempt) in markers {
            let feed = FeedId(id);
            if attempt.at >= self.born || self.in_hand.borrow().contains(&feed) {
                continue; // this worker's own, in progress
            }
            let mut state = self.library().feed(&feed).await?.map(|r| r.state).unwrap_or_default();
            let check = record_stall(&mut state, &feed, &attempt.body_hash, self.now());
            self.library().put_state(&feed, &state).await?;
            local.put_check(&feed, check).await?;
            local.remove_session(&[attempt_key(&feed)]).await?;
            self.notify(Change { feeds: vec![feed], ..Change::default() });
        }
        Ok(())
    }

    /// Fetch, parse and store one feed. `state` is its state as the run found it (stale
    /// validators cost at most a full answer instead of a 304); `run` what the run read
    /// once for every feed, with the user's settings and rules.
    async fn refresh_feed(
        &self,
        sub: &Subscription,
        state: FeedState,
        run_data: &RunData,
        settings: &Settings,
        rules: &Rules,
    ) -> Result<FeedRun> {
        let local = self.local();
        let limits = self.config.limits;
        let request = FetchRequest {
            url: sub.url.clone(),
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
            timeout_ms: limits.timeout_ms,
            max_bytes: limits.max_bytes,
            anonymous: false,
        };
        // Without host access the fetch would fail as a CORS error; say what is wrong instead.
        let allowed = self.platform.permissions().allows(&sub.url).await;
        let result = if allowed {
            self.platform.fetcher().fetch(&request).await
        } else {
            Err(FetchFailure::Network("no host permission".into()))
        };
        let writing = Running::enter(&self.writing);
        let outcome = match precheck(&result, &state, limits) {
            _ if !allowed => Outcome::Failed(FeedError::NoPermission),
            Precheck::Done(outcome) => outcome,
            Precheck::Parse { body_hash } => {
                let response = result.as_ref().expect("a body to parse came from a response");
                self.parse_marked(&sub.id, response, &sub.url, body_hash).await?
            }
        };
        // The heavy part, before any write: sanitize what is new or edited.
        let prepared = match &outcome {
            Outcome::Feed { feed, base, .. } => {
                let known = self.library().known_hashes(&sub.id).await?;
                let title = feed.title.as_ref().map(|t| t.to_plain());
                let rules = rules.for_feed(&sub.id);
                Some(prepare(feed, base.as_deref(), &known, title.as_deref(), &rules))
            }
            _ => None,
        };

        let now = self.now();
        let mut after = state.clone();
        let interval = settings.interval(&sub.id);
        let check = record(&mut after, &sub.id, &outcome, result.as_ref().ok(), now, interval);
        let mut run = FeedRun {
            failed: matches!(outcome, Outcome::Failed(_)),
            unchanged: outcome == Outcome::NotModified,
            ..FeedRun::default()
        };
        if let Some(url) = moved_to(&result, &sub.url) {
            // A permanent redirect moves the subscription (under the lock: `subs`).
            let _guard = self.lock().await?;
            let mut subs = local.subscriptions().await?;
            if let Some(current) = subs.iter_mut().find(|s| s.id == sub.id) {
                current.url.clone_from(&url);
                let mut batch = local.batch();
                batch.put(KEY_SUBS, &subs);
                self.sync_moved(&mut batch, &sub.id, &url).await?;
                batch.commit().await?;
                run.change.subscriptions = true;
            }
        }
        // One library transaction; it writes nothing for a feed unsubscribed meanwhile (the
        // unsubscribe left a tombstone it sees), so no lock is needed around it.
        let written = match &prepared {
            Some(prepared) => {
                self.ingest(sub, &after, prepared, run_data.replica.as_ref(), now).await
            }
            None => self.library().put_state(&sub.id, &after).await.map(|changed| {
                changed.then(|| {
                    let change = Change { feeds: vec![sub.id.clone()], ..Change::default() };
                    (Report::default(), 0, change)
                })
            }),
        };
        match written {
            Ok(Some((report, bytes, change))) => {
                run.added = report.added.len();
                run.bytes = bytes;
                run.change.merge(change);
                if !report.added.is_empty() {
                    let title = sub.title.as_deref().or(after.title.as_deref()).unwrap_or(&sub.url);
                    let first = state.changed.is_none();
                    run.news =
                        worth_telling(&sub.id, title, &report, settings.notifies(&sub.id), first);
                }
            }
            Ok(None) => {}
            Err(e) => {
                return self.unsaved(&sub.id, &e.0, now).await.map(|()| FeedRun {
                    failed: true,
                    change: Change { feeds: vec![sub.id.clone()], ..Change::default() },
                    ..FeedRun::default()
                });
            }
        }
        if run_data.unsaved.contains_key(&sub.id.0) {
            local.remove_session(&[unsaved_key(&sub.id)]).await?;
        }
        local.put_check(&sub.id, check).await?;
        drop(writing);
        // New entries change the count; a feed starting or ceasing to fail may change the
        // error state (every feed failing).
        let failing_changed = state.last_error.is_some() != after.last_error.is_some();
        if run.added > 0 || !run.change.entries.is_empty() || failing_changed {
            self.badge_soon().await?;
        }
        self.notify(run.change.clone());
        Ok(run)
    }

    /// Show the badge during a run after a feed added entries: at once when no other feed
    /// of the run is being parsed or written (the others may wait on a slow server for
    /// minutes, or the worker may be stopped before the run ends), else at most once a
    /// second, since a feed still being written shows it when it is done.
    async fn badge_soon(&self) -> Result<()> {
        let now = self.now();
        if self.writing.get() == 0 || now - self.badge_shown.get() >= 1_000 {
            self.badge_shown.set(now);
            self.show_badge().await?;
        }
        Ok(())
    }

    /// Parse a body with the feed's attempt marker written around it (see the module doc).
    async fn parse_marked(
        &self,
        feed: &FeedId,
        response: &crate::ports::FetchResponse,
        url: &str,
        body_hash: String,
    ) -> Result<Outcome> {
        let local = self.local();
        let marker = Attempt { at: self.now(), body_hash: body_hash.clone() };
        self.in_hand.borrow_mut().insert(feed.clone());
        local.put_session(&attempt_key(feed), &marker).await?;
        let outcome = parse_body(response, url, body_hash);
        local.remove_session(&[attempt_key(feed)]).await?;
        self.in_hand.borrow_mut().remove(feed);
        Ok(outcome)
    }

    /// The library write of a parsed feed: (what the ingest did, bytes, the change), or
    /// `None` when the feed was unsubscribed meanwhile.
    async fn ingest(
        &self,
        sub: &Subscription,
        state: &FeedState,
        prepared: &Prepared,
        replica: Option<&SyncState>,
        now: Millis,
    ) -> std::result::Result<Option<(Report, usize, Change)>, crate::ports::PortError> {
        // New entries start as other profiles left them (read there, or under a "mark all
        // read" made there).
        let initial = |id: &str, date: Option<Millis>, arrived: Millis| match replica {
            Some(r) => r.initial_status(&sub.id, id, date, arrived),
            None => crate::core::store::EntryStatus { arrived, ..Default::default() },
        };
        let Some(report) = self
            .library()
            .ingest(&sub.id, state, prepared, now, &self.config.retention, initial)
            .await?
        else {
            return Ok(None);
        };
        let bytes = report.put.iter().map(|r| r.to_value().to_string().len()).sum::<usize>()
            + report.html.values().flatten().map(String::len).sum::<usize>();
        let change = Change {
            entries: report.put.iter().map(|r| (r.feed.clone(), r.id.clone())).collect(),
            added: report.added.len(),
            feeds: vec![sub.id.clone()],
            ..Change::default()
        };
        Ok(Some((report, bytes, change)))
    }

    /// A library write failed: back the feed off and say why, in `storage.session`.
    async fn unsaved(&self, feed: &FeedId, detail: &str, now: Millis) -> Result<()> {
        let local = self.local();
        let before: BTreeMap<String, Unsaved> = local.session_prefixed(UNSAVED_PREFIX).await?;
        let failures = before.get(&feed.0).map_or(0, |u| u.failures) + 1;
        let unsaved = Unsaved { at: now, failures, detail: detail.to_string() };
        local.put_session(&unsaved_key(feed), &unsaved).await?;
        let wait = backoff(feed, failures);
        local.put_check(feed, Check { at: now, next: now + wait }).await?;
        Ok(())
    }
}

/// When a feed whose write failed may be tried again.
fn unsaved_retry(sub: &Subscription, unsaved: &Unsaved) -> Millis {
    unsaved.at + backoff(&sub.id, unsaved.failures)
}
