//! The refresh use case: fetch the due feeds, ingest, write, badge, alarm.
//!
//! Each feed is one unit of work, finished by one `storage.local` write of everything that
//! changed for it (its entries, the HTML of new and edited ones, statuses and state: one
//! `set` call, so the browser applies all or none of it), the removal of the HTML of
//! entries retention dropped, and one `storage.session` write of its check time. A worker
//! stopped in the middle leaves every feed either done or still due; the next run (the alarm
//! is re-created at the earliest due time on every start) finishes the rest, and ingest is
//! idempotent, so nothing is lost or doubled.

use super::{Platform, Result, Service};
use crate::core::ingest::ingest;
use crate::core::refresh::{interpret, moved_to, record, Outcome};
use crate::core::schedule::is_due;
use crate::core::store::{
    entries_key, feed_key, html_key, status_key, unread_count, FeedError, FeedId, FeedState,
    Millis, Subscription, KEY_SUBS, MINUTE,
};
use crate::ports::{Alarms, FetchFailure, FetchRequest, Fetcher, Permissions};
use futures::stream::{self, StreamExt};
use std::cell::Cell;

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
    /// JSON bytes written to `storage.local`.
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

/// One feed's part of a report.
#[derive(Default)]
struct FeedRun {
    failed: bool,
    unchanged: bool,
    added: usize,
    bytes: usize,
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
        let lib = self.library();
        let subs = lib.subscriptions().await?;
        let states = lib.feed_states(&subs).await?;
        let checks = lib.checks().await?;
        let now = self.now();
        let due: Vec<&Subscription> = subs
            .iter()
            .filter(|s| only.is_none_or(|o| &s.id == o))
            .filter(|s| force || is_due(&states[&s.id], checks.get(&s.id), now))
            .collect();
        let runs: Vec<Result<FeedRun>> = stream::iter(due)
            .map(|sub| self.refresh_feed(sub, &states[&sub.id]))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        let mut report = RefreshReport::default();
        let mut first_error = None;
        for run in runs {
            match run {
                Ok(run) => {
                    report.fetched += 1;
                    report.failed += usize::from(run.failed);
                    report.unchanged += usize::from(run.unchanged);
                    report.added += run.added;
                    report.bytes_written += run.bytes;
                }
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        self.schedule_alarm().await?;
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Fetch and store one feed. `validators` is its state as the run found it (stale
    /// validators cost at most a full answer instead of a 304).
    async fn refresh_feed(&self, sub: &Subscription, validators: &FeedState) -> Result<FeedRun> {
        let lib = self.library();
        let limits = self.config.limits;
        let request = FetchRequest {
            url: sub.url.clone(),
            etag: validators.etag.clone(),
            last_modified: validators.last_modified.clone(),
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

        // Everything from here is one read-modify-write under the lock, so a read mark or a
        // second refresh in between cannot be overwritten.
        let _guard = self.lock.lock().await;
        let (mut subs, before) = lib.subscriptions_and_state(&sub.id).await?;
        let Some(current) = subs.iter_mut().find(|s| s.id == sub.id) else {
            return Ok(FeedRun::default()); // unsubscribed while fetching
        };
        let mut state = before.clone();
        let now = self.now();
        let outcome = if allowed {
            interpret(&result, &state, &sub.url, limits)
        } else {
            Outcome::Failed(FeedError::NoPermission)
        };
        let check = record(&mut state, &sub.id, &outcome, result.as_ref().ok(), now);
        let mut batch = lib.batch();
        let mut run = FeedRun {
            failed: matches!(outcome, Outcome::Failed(_)),
            unchanged: outcome == Outcome::NotModified,
            ..FeedRun::default()
        };
        if let Some(url) = moved_to(&result, &sub.url) {
            current.url.clone_from(&url);
            batch.put(KEY_SUBS, &subs);
            self.sync_moved(&mut batch, &sub.id, &url).await?;
        }
        let mut unread = None;
        if let Outcome::Feed { feed, base, .. } = &outcome {
            let stored = lib.stored(&sub.id).await?;
            let (mut after, report) =
                ingest(stored.clone(), feed, base.as_deref(), now, &self.config.retention);
            // New entries start as other profiles left them (read there, or under a
            // "mark all read" made there).
            if !report.added.is_empty() {
                self.sync_arrivals(&sub.id, &after.entries, &mut after.status).await?;
            }
            run.added = report.added.len();
            unread = Some(unread_count(&after.entries, &after.status));
            if after.entries != stored.entries {
                batch.put(&entries_key(&sub.id), &after.entries);
            }
            for (entry, html) in &report.html {
                match html {
                    Some(html) => batch.put(&html_key(&sub.id, entry), html),
                    None => batch.remove(&html_key(&sub.id, entry)),
                }
            }
            if after.status != stored.status {
                batch.put(&status_key(&sub.id), &after.status);
            }
        }
        if state != before {
            batch.put(&feed_key(&sub.id), &state);
        }
        run.bytes = batch.bytes();
        batch.commit().await?;
        lib.put_check(&sub.id, check).await?;
        if let Some(unread) = unread {
            self.set_count(&sub.id, unread);
            self.show_badge().await?;
        }
        Ok(run)
    }
}
