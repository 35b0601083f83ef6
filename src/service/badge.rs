//! The badge: the number of unread entries, kept right at every change.
//!
//! Counting from storage means reading every feed's list; doing that after each feed of a
//! 200-feed refresh would be quadratic. So the service keeps each feed's unread count in
//! memory, counted from storage once per worker start, and whoever changes a feed's entries
//! or statuses (always under the service lock) updates that feed's count and shows the sum,
//! also under the lock, so badge updates cannot land out of order.

use super::{Platform, Result, Service};
use crate::core::store::{badge_text, unread_count, FeedId};
use crate::ports::Badge;

impl<P: Platform> Service<P> {
    /// Count every feed's unread entries from storage and show the total (at worker start).
    pub async fn update_badge(&self) -> Result<usize> {
        let _guard = self.lock.lock().await;
        self.recount_all().await?;
        self.show_badge().await
    }

    /// The caller holds the lock.
    async fn recount_all(&self) -> Result<()> {
        let lib = self.library();
        let subs = lib.subscriptions().await?;
        let lists = lib.lists(&subs).await?;
        let counts = lists.iter().map(|(id, (e, s))| (id.clone(), unread_count(e, s))).collect();
        *self.counts.borrow_mut() = Some(counts);
        Ok(())
    }

    /// Record a feed's new unread count (the caller holds the lock).
    pub(super) fn set_count(&self, feed: &FeedId, unread: usize) {
        if let Some(counts) = self.counts.borrow_mut().as_mut() {
            counts.insert(feed.clone(), unread);
        }
    }

    /// Show the total on the badge (the caller holds the lock).
    pub(super) async fn show_badge(&self) -> Result<usize> {
        if self.counts.borrow().is_none() {
            self.recount_all().await?;
        }
        let total: usize = self.counts.borrow().as_ref().map_or(0, |c| c.values().sum());
        self.platform.badge().set_text(&badge_text(total)).await?;
        Ok(total)
    }
}
