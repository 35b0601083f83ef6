//! Local changes waiting to be folded into the replica.
//!
//! The worker module that every wake instantiates (marks, renames, unsubscribes) does not
//! carry sync's encoding, merge and quota code: it records each change it makes as a
//! [`LocalChange`] in a short journal (`sync:journal` in `storage.local`, written with the
//! change itself or right after it, under the extension-wide lock), and marks sync pending.
//! When the sync alarm fires (or another profile's changes arrive) the module with the
//! rest of sync folds the journal into the replica ([`SyncState::fold`]), empties it,
//! and goes on as before. A change is stamped when it was made, not when it is folded, so
//! folding later changes no conflict's outcome.

use super::state::{Device, SyncState};
use crate::core::store::{FeedId, Millis, StatusMap, StoredEntry, Subscription};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The journal's length at most: past it, the oldest changes make way (their effect on
/// read state is found again by the safety net that compares local statuses with the
/// replica, `SyncState::record_local_read_state`, which a full journal asks for).
pub const MAX_JOURNAL: usize = 5_000;

/// One local change, as the module that made it knew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocalChange {
    /// One entry, dated `date`, marked read or unread.
    Mark {
        feed: FeedId,
        id: String,
        date: Millis,
        read: bool,
        at: Millis,
    },
    /// Every unread entry of the feed marked read (a watermark, worked out when folded).
    AllRead {
        feed: FeedId,
        at: Millis,
    },
    Subscribe {
        sub: Subscription,
        at: Millis,
    },
    Unsubscribe {
        feed: FeedId,
        at: Millis,
    },
    Rename {
        feed: FeedId,
        title: Option<String>,
        at: Millis,
    },
    /// One entry starred or unstarred.
    Star {
        feed: FeedId,
        id: String,
        starred: bool,
        at: Millis,
    },
    /// A permanent redirect moved the feed.
    Moved {
        feed: FeedId,
        url: String,
        at: Millis,
    },
}

/// The journal as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default)]
    pub changes: Vec<LocalChange>,
    /// Changes were dropped for room: compare every feed's statuses with the replica.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overflowed: bool,
}

impl Journal {
    /// Add `changes` at the end, keeping at most [`MAX_JOURNAL`].
    pub fn push(&mut self, changes: impl IntoIterator<Item = LocalChange>) {
        self.changes.extend(changes);
        if self.changes.len() > MAX_JOURNAL {
            let excess = self.changes.len() - MAX_JOURNAL;
            self.changes.drain(..excess);
            self.overflowed = true;
        }
    }

    /// [`Journal::push`] on the journal as stored (`None`: there is none yet), without
    /// reading its changes: the module that only appends does not carry their decoder. A
    /// stored value that is not a journal is replaced.
    pub fn append(stored: Option<Value>, changes: impl IntoIterator<Item = LocalChange>) -> Value {
        let mut stored = match stored {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        let mut list = match stored.remove("changes") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        list.extend(
            changes.into_iter().map(|c| serde_json::to_value(c).expect("changes serialize")),
        );
        if list.len() > MAX_JOURNAL {
            let excess = list.len() - MAX_JOURNAL;
            list.drain(..excess);
            stored.insert("overflowed".into(), Value::Bool(true));
        }
        stored.insert("changes".into(), Value::Array(list));
        Value::Object(stored)
    }

    /// The feeds whose read state an [`LocalChange::AllRead`] folds from their entries.
    pub fn all_read_feeds(&self) -> Vec<FeedId> {
        let mut feeds: Vec<FeedId> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                LocalChange::AllRead { feed, .. } => Some(feed.clone()),
                _ => None,
            })
            .collect();
        feeds.sort_unstable();
        feeds.dedup();
        feeds
    }
}

impl SyncState {
    /// Fold one local change made on `device` into the state. `lists` gives a feed's
    /// entries and statuses as they are now (what an [`LocalChange::AllRead`] needs).
    pub fn fold(
        &mut self,
        change: &LocalChange,
        device: Device,
        lists: &impl Fn(&FeedId) -> Option<(Vec<StoredEntry>, StatusMap)>,
    ) {
        match change {
            LocalChange::Mark { feed, id, date, read, at } => {
                self.mark(feed, id, *date, *read, *at)
            }
            LocalChange::AllRead { feed, at } => {
                if let Some((entries, status)) = lists(feed) {
                    self.mark_all_read(feed, &entries, &status, *at);
                }
            }
            LocalChange::Subscribe { sub, at } => self.subscribe(sub, *at, device),
            LocalChange::Unsubscribe { feed, at } => self.unsubscribe(feed, *at, device),
            LocalChange::Rename { feed, title, at } => {
                self.rename(feed, title.as_deref(), *at, device)
            }
            LocalChange::Moved { feed, url, at } => self.change_url(feed, url, *at, device),
            LocalChange::Star { feed, id, starred, at } => self.star(feed, id, *starred, *at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(n: u32) -> LocalChange {
        LocalChange::Mark {
            feed: FeedId("f".into()),
            id: n.to_string(),
            date: 0,
            read: true,
            at: 1,
        }
    }

    #[test]
    fn a_full_journal_drops_its_oldest_changes_and_says_so() {
        let mut j = Journal::default();
        j.push((0..MAX_JOURNAL as u32).map(mark));
        assert!(!j.overflowed);
        j.push([mark(99_999)]);
        assert!(j.overflowed);
        assert_eq!(j.changes.len(), MAX_JOURNAL);
        assert_eq!(j.changes.first(), Some(&mark(1)));
        assert_eq!(j.changes.last(), Some(&mark(99_999)));
    }

    #[test]
    fn appending_to_the_stored_journal_is_pushing_to_the_journal() {
        let mut j = Journal::default();
        j.push((0..3).map(mark));
        let mut stored = Journal::append(None, (0..3).map(mark));
        assert_eq!(serde_json::from_value::<Journal>(stored.clone()).unwrap(), j);
        j.push((3..MAX_JOURNAL as u32 + 2).map(mark));
        stored = Journal::append(Some(stored), (3..MAX_JOURNAL as u32 + 2).map(mark));
        assert_eq!(serde_json::from_value::<Journal>(stored).unwrap(), j);
        assert!(j.overflowed);
        let replaced = Journal::append(Some(Value::from("damaged")), [mark(7)]);
        assert_eq!(serde_json::from_value::<Journal>(replaced).unwrap().changes, [mark(7)]);
    }

    #[test]
    fn folding_a_change_later_gives_the_same_state_as_making_it_at_once() {
        let feed = FeedId("f".into());
        let device = Device::new("laptop");
        let sub = Subscription {
            id: feed.clone(),
            url: "https://a.test/feed".into(),
            title: None,
            folder: None,
            added: 0,
        };
        let mut direct = SyncState::new();
        direct.subscribe(&sub, 1_000, device);
        direct.mark(&feed, "e1", 500, true, 2_000);
        direct.rename(&feed, Some("Mine"), 3_000, device);
        direct.star(&feed, "e1", true, 4_000);
        let mut folded = SyncState::new();
        let none = |_: &FeedId| None;
        for change in [
            LocalChange::Subscribe { sub: sub.clone(), at: 1_000 },
            LocalChange::Mark {
                feed: feed.clone(),
                id: "e1".into(),
                date: 500,
                read: true,
                at: 2_000,
            },
            LocalChange::Rename { feed: feed.clone(), title: Some("Mine".into()), at: 3_000 },
            LocalChange::Star { feed: feed.clone(), id: "e1".into(), starred: true, at: 4_000 },
        ] {
            folded.fold(&change, device, &none);
        }
        assert_eq!(folded, direct);
    }
}
