//! The refresh use case: fetch the due feeds, ingest, write, badge, alarm.

use super::{Platform, Result, Service};
use crate::core::ingest::ingest;
use crate::core::refresh::{interpret, record, Outcome};
use crate::core::store::{content_key, entries_key, feed_key, status_key, FeedId, Subscription};
use crate::ports::{FetchRequest, Fetcher};
use futures::stream::{self, StreamExt};

/// What one refresh run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Feeds fetched.
    pub fetched: usize,
    /// Feeds whose fetch failed.
    pub failed: usize,
    /// New entries, over all feeds.
    pub added: usize,
    /// JSON bytes written to storage.
    pub bytes_written: usize,
}

impl<P: Platform> Service<P> {
    /// Fetch every feed that is due (all of them when `force`; only `only` when given),
    /// `config.concurrency` at a time; then update the badge and the alarm. One feed's
    /// failure never stops the others: it is recorded in that feed's state.
    pub async fn refresh(&self, force: bool, only: Option<&FeedId>) -> Result<RefreshReport> {
        let lib = self.library();
        let subs = lib.subscriptions().await?;
        let states = lib.feed_states(&subs).await?;
        let now = self.now();
        let due: Vec<&Subscription> = subs
            .iter()
            .filter(|s| only.is_none_or(|o| &s.id == o))
            .filter(|s| force || states.get(&s.id).is_none_or(|st| st.next_due <= now))
            .collect();
        let results: Vec<Result<(bool, usize, usize)>> = stream::iter(due)
            .map(|sub| self.refresh_feed(sub))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        let mut report = RefreshReport::default();
        for r in results {
            let (ok, added, bytes) = r?;
            report.fetched += 1;
            report.failed += usize::from(!ok);
            report.added += added;
            report.bytes_written += bytes;
        }
        self.update_badge().await?;
        self.schedule_alarm().await?;
        Ok(report)
    }

    /// Fetch and store one feed: (fetch worked, entries added, bytes written).
    async fn refresh_feed(&self, sub: &Subscription) -> Result<(bool, usize, usize)> {
        let lib = self.library();
        let limits = self.config.limits;
        let validators = lib.feed_state(&sub.id).await?;
        let request = FetchRequest {
            url: sub.url.clone(),
            etag: validators.etag.clone(),
            last_modified: validators.last_modified.clone(),
            timeout_ms: limits.timeout_ms,
            max_bytes: limits.max_bytes,
        };
        let result = self.platform.fetcher().fetch(&request).await;

        // Everything from here is one read-modify-write under the lock, so a read mark or a
        // second refresh in between cannot be overwritten.
        let _guard = self.lock.lock().await;
        if !lib.subscriptions().await?.iter().any(|s| s.id == sub.id) {
            return Ok((true, 0, 0)); // unsubscribed while fetching
        }
        let mut state = lib.feed_state(&sub.id).await?;
        let now = self.now();
        let outcome = interpret(&result, &state, &sub.url, limits);
        record(&mut state, &outcome, result.as_ref().ok(), now);
        let mut batch = lib.batch();
        let mut added = 0;
        if let Outcome::Feed { feed, base, .. } = &outcome {
            let before = lib.stored(&sub.id).await?;
            let (after, report) =
                ingest(before.clone(), feed, base.as_deref(), now, &self.config.retention);
            added = report.added.len();
            if after.entries != before.entries {
                batch.put(&entries_key(&sub.id), &after.entries);
            }
            if after.content != before.content {
                batch.put(&content_key(&sub.id), &after.content);
            }
            if after.status != before.status {
                batch.put(&status_key(&sub.id), &after.status);
            }
        }
        batch.put(&feed_key(&sub.id), &state);
        let bytes = batch.bytes();
        batch.commit().await?;
        Ok((!matches!(outcome, Outcome::Failed(_)), added, bytes))
    }
}
