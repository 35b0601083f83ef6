//! What a list shows: a view (which entries) read one page at a time, newest first.
//!
//! Every view but a search is one index of [`super::record`] read with one `getAll` and a
//! limit, so a page costs the same whatever the number of entries. Searches are in
//! [`super::search`].

use super::db::{Db, Mode, Source, StoreName, Txn};
use super::key::{Key, Range};
use super::record::{EntryRecord, FeedRecord};
use super::search;
use crate::core::error::PortError;
use crate::core::store::FeedId;
use serde::{Deserialize, Serialize};

/// Which entries. (Externally tagged in JSON, `"all"` or `{"feed": {"feed": "…"}}`: an
/// internally tagged enum costs the popup's wasm a buffering deserializer.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every feed.
    #[default]
    All,
    /// One subscription.
    Feed { feed: FeedId },
    /// One Planet member blog (or author), in every feed.
    Member { member: String },
    /// The starred entries.
    Starred,
}

/// A list: a scope, unread only or every entry, and an optional search within it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct View {
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub unread_only: bool,
    /// Words to search title, member, feed and content for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

impl Default for View {
    /// What the popup opens on: every unread entry.
    fn default() -> Self {
        View { scope: Scope::All, unread_only: true, search: None }
    }
}

/// Where the next page starts: after the last key read (a search may have read `skip`
/// records under that same key already).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: Key,
    #[serde(default)]
    pub skip: u32,
}

/// One page of a view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub entries: Vec<EntryRecord>,
    /// Where the next page starts; `None` when this one is the last.
    pub next: Option<Cursor>,
}

impl View {
    pub fn unread(scope: Scope) -> View {
        View { scope, unread_only: true, search: None }
    }

    pub fn every(scope: Scope) -> View {
        View { scope, unread_only: false, search: None }
    }

    /// The index that lists this view, and the part of it that does.
    pub fn source(&self) -> (&'static str, Range) {
        let unread = self.unread_only;
        match &self.scope {
            Scope::All => (if unread { "unread" } else { "all" }, Range::all()),
            Scope::Feed { feed } => (
                if unread { "feed_unread" } else { "feed_all" },
                Range::prefix(vec![Key::str(feed.0.as_str())]),
            ),
            Scope::Member { member } => (
                if unread { "member_unread" } else { "member_all" },
                Range::prefix(vec![Key::str(member.as_str())]),
            ),
            Scope::Starred => ("starred", Range::all()),
        }
    }

    /// Whether `record` belongs in this view (what a search checks of each match, and what
    /// the popup checks of a changed row).
    pub fn admits(&self, record: &EntryRecord) -> bool {
        if record.entry.is_none() || (self.unread_only && record.status.read) {
            return false;
        }
        match &self.scope {
            Scope::All => true,
            Scope::Feed { feed } => &record.feed == feed,
            Scope::Member { member } => record.member() == Some(member.as_str()),
            Scope::Starred => record.status.starred,
        }
    }

    /// How many entries the view holds, from the feeds' counts; `None` for a search (and
    /// for unread starred entries, which are not counted apart).
    pub fn count(&self, feeds: &[FeedRecord]) -> Option<u32> {
        if self.search.is_some() {
            return None;
        }
        let pick = |c: &super::record::Counts| if self.unread_only { c.unread } else { c.total };
        match &self.scope {
            Scope::All => Some(feeds.iter().map(|f| pick(&f.counts)).sum()),
            Scope::Feed { feed } => {
                Some(feeds.iter().find(|f| &f.id == feed).map_or(0, |f| pick(&f.counts)))
            }
            Scope::Member { member } => Some(
                feeds
                    .iter()
                    .filter_map(|f| f.counts.members.get(member))
                    .map(|t| if self.unread_only { t.unread } else { t.total })
                    .sum(),
            ),
            Scope::Starred if self.unread_only => None,
            Scope::Starred => Some(feeds.iter().map(|f| f.counts.starred).sum()),
        }
    }
}

/// The page of `view` that starts at `after` (the first page without), at most `limit`
/// entries. Records the store cannot read are skipped.
pub async fn page<D: Db>(
    db: &D,
    view: &View,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Page, PortError> {
    match view.search.as_deref() {
        Some(query) => search::page(db, view, query, after, limit).await,
        None => index_page(db, view, after, limit).await,
    }
}

/// [`page`] for a view that is not a search (its search, if any, is ignored): one index.
async fn index_page<D: Db>(
    db: &D,
    view: &View,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Page, PortError> {
    let (index, range) = view.source();
    let range = match after {
        Some(c) => range.after(c.key.clone()),
        None => range,
    };
    let txn = db.begin(&[StoreName::Entries], Mode::Read).await?;
    let wanted = u32::try_from(limit).unwrap_or(u32::MAX - 1).saturating_add(1);
    let mut range = range;
    let mut entries = Vec::with_capacity(limit + 1);
    // The starred index holds read entries too: an unread-only view of it filters, and
    // reads on until it has a page (or the index ends).
    loop {
        let values =
            txn.get_all(Source::Index(StoreName::Entries, index), &range, Some(wanted)).await?;
        let exhausted = values.len() < wanted as usize;
        let mut last = None;
        for v in &values {
            let Ok(record) = EntryRecord::from_value(v) else { continue };
            last = record.index_key(index);
            if view.admits(&record) && entries.len() <= limit {
                entries.push(record);
            }
        }
        match last {
            Some(key) if !exhausted && entries.len() <= limit => range = range.after(key),
            _ => break,
        }
    }
    let next = if entries.len() > limit {
        entries.truncate(limit);
        entries.last().and_then(|r| r.index_key(index)).map(|key| Cursor { key, skip: 0 })
    } else {
        None
    };
    Ok(Page { entries, next })
}
