//! The snapshot: unread entries and every feed's counts and health, as one answer. The
//! popup reads the library itself; this serves tests and diagnostics (`Request::Snapshot`),
//! through the same library views and the same [`feed_items`] the popup uses.

use super::{Platform, Result, Service, ServiceError};
use crate::core::library::record::FeedRecord;
use crate::core::library::view::{Scope, View};
use crate::core::store::{FeedId, Unsaved, UNSAVED_PREFIX};
use crate::protocol::{feed_items, EntryContent, EntryItem, Snapshot};
use std::collections::BTreeMap;

impl<P: Platform> Service<P> {
    /// Every unread entry newest first, and every feed's counts and health.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        self.snapshot_page(None, None).await
    }

    /// The snapshot with only the newest `limit` unread entries (all when `None`), and only
    /// `member`'s when given and that member has any unread.
    pub async fn snapshot_page(
        &self,
        limit: Option<usize>,
        member: Option<&str>,
    ) -> Result<Snapshot> {
        let local = self.local();
        let subs = local.subscriptions().await?;
        let records = self.library().feeds().await?;
        let checks = local.checks().await?;
        let unsaved: BTreeMap<String, Unsaved> = local.session_prefixed(UNSAVED_PREFIX).await?;
        let feeds = feed_items(&subs, &records, &checks, &unsaved, host);
        let subscribed: Vec<FeedRecord> =
            records.into_iter().filter(|r| subs.iter().any(|s| s.id == r.id)).collect();
        let members = crate::protocol::members(&subscribed);
        let scope = match member.filter(|m| members.iter().any(|(name, _)| name == m)) {
            Some(m) => Scope::Member { member: m.to_string() },
            None => Scope::All,
        };
        let view = View::unread(scope);
        let matching = view.count(&subscribed).unwrap_or(0) as usize;
        let page = self.library().page(&view, None, limit.unwrap_or(1_000_000)).await?;
        Ok(Snapshot {
            taken_at: self.now(),
            entries: page.entries.iter().filter_map(EntryItem::of_record).collect(),
            matching,
            members,
            feeds,
            unread: View::default().count(&subscribed).unwrap_or(0) as usize,
            sync: self.sync_notice().await?,
        })
    }

    /// One entry with its sanitized HTML.
    pub async fn entry(&self, feed: &FeedId, id: &str) -> Result<EntryContent> {
        let (record, html) = self
            .library()
            .entry(feed, id)
            .await?
            .ok_or_else(|| ServiceError(format!("no entry {id} in feed {feed}")))?;
        let entry = EntryItem::of_record(&record)
            .ok_or_else(|| ServiceError(format!("entry {id} of feed {feed} has no content")))?;
        Ok(EntryContent { read: record.status.read, entry, html: html.unwrap_or_default() })
    }
}

/// The host of a URL, by the `url` crate (the popup uses the browser's `URL` instead).
fn host(url: &str) -> Option<String> {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string))
}
