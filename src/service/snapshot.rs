//! What the popup shows: the snapshot of unread entries and feed health, and one entry.

use super::{Platform, Result, Service, ServiceError};
use crate::core::store::{unread_count, FeedError, FeedId};
use crate::protocol::{EntryContent, EntryItem, FeedItem, Snapshot};
use std::collections::BTreeMap;

impl<P: Platform> Service<P> {
    /// Every unread entry newest first (undated ones by arrival), and every feed's counts
    /// and health.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        self.snapshot_page(None, None).await
    }

    /// The snapshot with only the newest `limit` unread entries (all when `None`), and only
    /// `member`'s when given and that member has any unread: what the popup shows, without
    /// sending it thousands of entries it would not show.
    pub async fn snapshot_page(
        &self,
        limit: Option<usize>,
        member: Option<&str>,
    ) -> Result<Snapshot> {
        let lib = self.library();
        let subs = lib.subscriptions().await?;
        let states = lib.feed_states(&subs).await?;
        let checks = lib.checks().await?;
        let lists = lib.lists(&subs).await?;
        let mut entries = Vec::new();
        let mut feeds = Vec::new();
        for sub in &subs {
            let state = &states[&sub.id];
            let (list, status) = &lists[&sub.id];
            for e in list {
                let Some(s) = status.get(&e.id) else { continue };
                if !s.read {
                    entries.push((e.date.unwrap_or(s.arrived), &sub.id, e));
                }
            }
            feeds.push(FeedItem {
                id: sub.id.clone(),
                url: sub.url.clone(),
                title: display_title(sub.title.as_deref(), state.title.as_deref(), &sub.url),
                site_link: state.site_link.clone(),
                unread: unread_count(list, status),
                total: list.len(),
                checked: checks.get(&sub.id).map(|c| c.at),
                changed: state.changed,
                error: state.last_error.as_ref().map(|e| e.to_string()),
                next_due: state.due_at(checks.get(&sub.id)),
                gone: state.gone,
                no_access: state.last_error == Some(FeedError::NoPermission),
                folder: sub.folder.clone(),
            });
        }
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.id.cmp(&b.2.id)));
        let unread = entries.len();
        let members = members(entries.iter().filter_map(|(_, _, e)| e.member.as_deref()));
        if let Some(m) = member.filter(|m| members.iter().any(|(name, _)| name == m)) {
            entries.retain(|(_, _, e)| e.member.as_deref() == Some(m));
        }
        let matching = entries.len();
        // Only the entries sent become list items (the others are only counted).
        let page = entries.iter().take(limit.unwrap_or(usize::MAX));
        Ok(Snapshot {
            taken_at: self.now(),
            entries: page.map(|(_, feed, e)| EntryItem::of(feed, e)).collect(),
            matching,
            members,
            feeds,
            unread,
            sync: self.sync_notice().await?,
        })
    }

    /// One entry with its sanitized HTML.
    pub async fn entry(&self, feed: &FeedId, id: &str) -> Result<EntryContent> {
        let lib = self.library();
        let (entries, status) = lib.list(feed).await?;
        let entry = entries
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| ServiceError(format!("no entry {id} in feed {feed}")))?;
        Ok(EntryContent {
            entry: EntryItem::of(feed, entry),
            html: lib.html(feed, id).await?.unwrap_or_default(),
            read: status.get(id).is_some_and(|s| s.read),
        })
    }
}

/// How many entries each member (Planet member blog or author) wrote, most prolific first.
fn members<'a>(of_entries: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts = BTreeMap::<&str, usize>::new();
    for m in of_entries {
        *counts.entry(m).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> =
        counts.into_iter().map(|(m, n)| (m.to_string(), n)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The name a feed is shown by: the user's, else the feed's own, else its host.
pub fn display_title(user: Option<&str>, feed: Option<&str>, url: &str) -> String {
    user.or(feed)
        .map(str::to_string)
        .or_else(|| url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)))
        .unwrap_or_else(|| url.to_string())
}
