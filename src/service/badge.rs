//! The badge: the number of unread entries (of every feed, of chosen feeds, or none, as the
//! settings say), red when every feed is failing, put right after every change.
//!
//! The count is the sum of the feeds' unread counts, which the library keeps in each feed's
//! record in the same transaction as the change itself, so showing it reads one small
//! record per feed, whatever the number of entries. The badge's part of the settings is
//! read without decoding the rest (`core::settings::BadgeChoice`): this runs in the module
//! every wake instantiates. Showing holds the extension-wide lock, so two changes showing
//! at once (in either worker module) land in order.

use super::{Platform, Result, Service};
use crate::core::badge::state;
use crate::core::settings::{language_of, BadgeChoice, KEY_SETTINGS};
use crate::ports::{Badge, Store};

impl<P: Platform> Service<P> {
    /// Show the badge; answers the unread entries it counts. The caller does not hold the
    /// lock.
    pub async fn show_badge(&self) -> Result<usize> {
        let _guard = self.lock().await?;
        let records = self.library().feeds().await?;
        let settings = self.platform.sync_area().get(&[KEY_SETTINGS.to_string()]).await?;
        let settings = settings.get(KEY_SETTINGS);
        let shown = state(&records, &BadgeChoice::of(settings));
        self.platform.badge().show(&shown, language_of(settings)).await?;
        Ok(shown.count)
    }
}
