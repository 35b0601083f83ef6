//! The badge: the number of unread entries, put right after every change.
//!
//! The count is the sum of the feeds' unread counts, which the library keeps in each feed's
//! record in the same transaction as the change itself, so showing it reads one small
//! record per feed, whatever the number of entries. Showing holds the extension-wide lock,
//! so two changes showing at once (in either worker module) land in order.

use super::{Platform, Result, Service};
use crate::core::store::badge_text;
use crate::ports::Badge;

impl<P: Platform> Service<P> {
    /// Show the total of unread entries on the badge; answers it. The caller does not hold
    /// the lock.
    pub async fn show_badge(&self) -> Result<usize> {
        let _guard = self.lock().await?;
        let unread = self.library().unread().await? as usize;
        self.platform.badge().set_text(&badge_text(unread)).await?;
        Ok(unread)
    }
}
