//! Managing subscriptions: subscribe, unsubscribe, rename, OPML import and export.

use super::{Platform, Result, Service, ServiceError};
use crate::core::caps::{self, user_text};
use crate::core::discovery::user_url;
use crate::core::identity::normalize_url;
use crate::core::opml::{read_opml, write_opml, OpmlFeed};
use crate::core::store::{
    attempt_key, check_key, unsaved_key, FeedId, Millis, Subscription, KEY_SUBS,
};
use crate::core::sync::LocalChange;
use crate::ports::{Jobs, Store};

use crate::protocol::{Change, OpmlPreview};

impl<P: Platform> Service<P> {
    /// Subscribe to the feed at `url` (typed or found by discovery) and fetch it at once.
    /// Subscribing to a feed already there changes nothing and answers its id.
    pub async fn subscribe(&self, url: &str, title: Option<String>) -> Result<FeedId> {
        let url =
            user_url(url).ok_or_else(|| ServiceError(format!("“{url}” is not a web address")))?;
        let (id, new) = {
            let _guard = self.lock().await?;
            let lib = self.local();
            let mut subs = lib.subscriptions().await?;
            if let Some(existing) = find(&subs, &url) {
                (existing.id.clone(), false)
            } else {
                let sub = new_subscription(&url, title, None, self.now());
                let id = sub.id.clone();
                let mut batch = lib.batch();
                let at = self.now();
                self.journal(&mut batch, [LocalChange::Subscribe { sub: sub.clone(), at }]).await?;
                subs.push(sub);
                batch.put(KEY_SUBS, &subs);
                batch.commit().await?;
                self.sync_schedule().await?;
                (id, true)
            }
        };
        if new {
            self.library().revive(&id).await?;
            self.notify(Change { subscriptions: true, ..Change::default() });
            // Its entries appear, and the badge grows, before the popup's answer comes.
            self.refresh(true, Some(&id)).await?;
        }
        Ok(id)
    }

    /// Unsubscribe from a feed: its entries, content, read state and fetch state go too.
    pub async fn unsubscribe(&self, feed: &FeedId) -> Result<()> {
        let _guard = self.lock().await?;
        let lib = self.local();
        let mut subs = lib.subscriptions().await?;
        let before = subs.len();
        subs.retain(|s| &s.id != feed);
        if subs.len() == before {
            return Err(ServiceError(format!("no subscription {feed}")));
        }
        let mut batch = lib.batch();
        batch.put(KEY_SUBS, &subs);
        let at = self.now();
        self.journal(&mut batch, [LocalChange::Unsubscribe { feed: feed.clone(), at }]).await?;
        batch.commit().await?;
        self.library().remove_feed(feed).await?;
        lib.remove_session(&[check_key(feed), unsaved_key(feed), attempt_key(feed)]).await?;
        drop(_guard);
        self.sync_schedule().await?;
        self.show_badge().await?;
        self.notify(Change { subscriptions: true, feeds: vec![feed.clone()], ..Change::default() });
        Ok(())
    }

    /// Forget everything stored for `feed` (entries, read state, fetch state, damaged or
    /// not) and fetch it afresh; the subscription stays. Read state that sync holds comes
    /// back with the entries.
    pub async fn reset_feed(&self, feed: &FeedId) -> Result<()> {
        {
            let _guard = self.lock().await?;
            let lib = self.local();
            if !lib.subscriptions().await?.iter().any(|s| &s.id == feed) {
                return Err(ServiceError(format!("no subscription {feed}")));
            }
            self.library().forget_feed(feed).await?;
            lib.remove_session(&[check_key(feed), unsaved_key(feed), attempt_key(feed)]).await?;
        }
        self.show_badge().await?;
        self.notify(Change { everything: true, ..Change::default() });
        self.platform.jobs().refresh(true, Some(feed)).await?;
        Ok(())
    }

    /// The last resort: forget every entry, read state and fetch state and everything set
    /// aside as damaged; keep the subscriptions and sync's replica, and fetch everything.
    pub async fn reset_all(&self) -> Result<()> {
        {
            let _guard = self.lock().await?;
            let lib = self.local();
            let subs = lib.subscriptions().await?;
            for (feed, _) in self.library().counts().await? {
                self.library().forget_feed(&feed).await?;
            }
            for s in &subs {
                self.library().forget_feed(&s.id).await?;
            }
            let damaged = lib.keys_with(crate::core::migrate::DAMAGED_PREFIX).await?;
            if !damaged.is_empty() {
                self.platform.store().remove(&damaged).await?;
            }
            let session: Vec<String> =
                self.platform.session().get_all().await?.into_keys().collect();
            lib.remove_session(&session).await?;
        }
        self.show_badge().await?;
        self.notify(Change { everything: true, subscriptions: true, ..Change::default() });
        self.platform.jobs().refresh(true, None).await?;
        Ok(())
    }

    /// Give a feed the user's own name; `None` or blank goes back to the feed's own title.
    pub async fn rename(&self, feed: &FeedId, title: Option<String>) -> Result<()> {
        let _guard = self.lock().await?;
        let lib = self.local();
        let mut subs = lib.subscriptions().await?;
        let sub = subs
            .iter_mut()
            .find(|s| &s.id == feed)
            .ok_or_else(|| ServiceError(format!("no subscription {feed}")))?;
        sub.title = title.and_then(|t| user_text(&t, caps::USER_TITLE));
        let title = sub.title.clone();
        let mut batch = lib.batch();
        batch.put(KEY_SUBS, &subs);
        let at = self.now();
        self.journal(&mut batch, [LocalChange::Rename { feed: feed.clone(), title, at }]).await?;
        batch.commit().await?;
        self.sync_schedule().await?;
        self.notify(Change { subscriptions: true, ..Change::default() });
        Ok(())
    }

    /// What importing an OPML file would do: the feeds not subscribed yet, how many are
    /// skipped (already subscribed, or repeated in the file), and the outlines that are wrong.
    pub async fn preview_opml(&self, text: &str) -> Result<OpmlPreview> {
        let import = read_opml(text.as_bytes()).map_err(|e| ServiceError(e.to_string()))?;
        let subs = self.local().subscriptions().await?;
        let (new, known): (Vec<OpmlFeed>, Vec<OpmlFeed>) =
            import.feeds.into_iter().partition(|f| find(&subs, &f.xml_url).is_none());
        Ok(OpmlPreview { new, skipped: known.len() + import.duplicates, problems: import.problems })
    }

    /// Subscribe to `feeds` (title and folder kept), skipping those already subscribed, and
    /// fetch the new ones. Answers (added, skipped).
    pub async fn import(&self, feeds: Vec<OpmlFeed>) -> Result<(usize, usize)> {
        let (added, skipped, new_subs) = {
            let _guard = self.lock().await?;
            let lib = self.local();
            let mut subs = lib.subscriptions().await?;
            let now = self.now();
            let (mut added, mut skipped) = (0, 0);
            let mut new = Vec::new();
            for f in feeds {
                match user_url(&f.xml_url) {
                    Some(url) if find(&subs, &url).is_none() => {
                        let sub = new_subscription(&url, f.title, f.folder, now);
                        subs.push(sub.clone());
                        new.push(sub);
                        added += 1;
                    }
                    _ => skipped += 1,
                }
            }
            if added > 0 {
                let mut batch = lib.batch();
                batch.put(KEY_SUBS, &subs);
                let at = self.now();
                let subscribed =
                    new.iter().map(|sub| LocalChange::Subscribe { sub: sub.clone(), at });
                self.journal(&mut batch, subscribed).await?;
                batch.commit().await?;
                self.sync_schedule().await?;
            }
            (added, skipped, new)
        };
        if added > 0 {
            for sub in &new_subs {
                self.library().revive(&sub.id).await?;
            }
            self.notify(Change { subscriptions: true, ..Change::default() });
            self.refresh(false, None).await?;
        }
        Ok((added, skipped))
    }

    /// Every subscription as OPML 2.0, folders as nested outlines.
    pub async fn export_opml(&self) -> Result<String> {
        let subs = self.local().subscriptions().await?;
        let records = self.library().feeds().await?;
        let feeds: Vec<OpmlFeed> = subs
            .iter()
            .map(|s| {
                let state = records.iter().find(|r| r.id == s.id).map(|r| &r.state);
                OpmlFeed {
                    xml_url: s.url.clone(),
                    title: s.title.clone().or_else(|| state.and_then(|st| st.title.clone())),
                    html_url: state.and_then(|st| st.site_link.clone()),
                    folder: s.folder.clone(),
                }
            })
            .collect();
        Ok(write_opml(&feeds, "Planet Reader subscriptions", &rfc822(self.now())))
    }
}

/// The subscription whose URL is `url` (compared normalized).
fn find<'a>(subs: &'a [Subscription], url: &str) -> Option<&'a Subscription> {
    let url = normalize_url(url);
    let id = FeedId::for_url(&url);
    subs.iter().find(|s| s.id == id || normalize_url(&s.url) == url)
}

/// A new subscription; its title and folder are kept as user input is (`caps::user_text`).
fn new_subscription(
    url: &str,
    title: Option<String>,
    folder: Option<String>,
    now: Millis,
) -> Subscription {
    Subscription {
        id: FeedId::for_url(url),
        url: url.to_string(),
        title: title.and_then(|t| user_text(&t, caps::USER_TITLE)),
        folder: folder.and_then(|f| user_text(&f, caps::FOLDER)),
        added: now,
    }
}

/// OPML's dateCreated is an RFC 822 date.
fn rfc822(at: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .map(|d| d.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or_default()
}
