//! The typed messages between the popup and the worker.
//!
//! The popup reads what it shows straight from the library (`core::library`, IndexedDB)
//! and asks the worker only to act: it sends a [`Request`] with `runtime.sendMessage`; the
//! worker answers with a [`Response`]. Both travel as JSON (`{"type": "mark_read", ...}`).
//! What changed is broadcast to every open page as a [`Change`], so the popup updates the
//! rows affected.

use crate::core::discovery::{Alternative, CandidateSource};
use crate::core::library::record::{EntryRecord, FeedRecord};
use crate::core::library::view::View;
use crate::core::model::FormatFamily;
use crate::core::opml::{OpmlFeed, OpmlProblem};
use crate::core::store::{Checks, FeedError, Subscription, Unsaved};
use crate::core::store::{FeedId, Millis, StoredEntry};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An entry's identity: its feed and its id in that feed.
pub type EntryKey = (FeedId, String);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// The newest `limit` unread entries (all when `None`), only those by `member` when
    /// given, and every feed's counts and health. The popup reads the library itself; this
    /// is for tests and diagnostics.
    Snapshot {
        #[serde(default)]
        limit: Option<usize>,
        #[serde(default)]
        member: Option<String>,
    },
    /// One entry's sanitized HTML.
    GetEntry { feed: FeedId, id: String },
    /// Mark one entry read or unread.
    MarkRead { feed: FeedId, id: String, read: bool },
    /// Mark every unread entry that had arrived by `arrived_by` read (entries that arrive
    /// while the popup is open are not swept away unseen).
    MarkAllRead { arrived_by: Millis },
    /// Mark these entries read or unread (the undo of a "mark all read", say): answers
    /// `Marked` with those whose state changed.
    MarkEntries { entries: Vec<EntryKey>, read: bool },
    /// Mark every unread entry of `view` read that had arrived by `arrived_by` (when the
    /// user last looked at it): answers `Marked`, which undo marks unread again.
    MarkViewRead { view: View, arrived_by: Millis },
    /// Star (save for later) or unstar one entry.
    Star { feed: FeedId, id: String, starred: bool },
    /// Fetch every feed now (or one).
    Refresh { feed: Option<FeedId> },
    /// The feeds of the page in tab `tab_id` (its links, well-known paths, or itself).
    Discover { tab_id: i32 },
    /// The feeds of a site or feed address the user typed.
    DiscoverUrl { url: String },
    /// Subscribe to the feed at `url` (fetched at once).
    Subscribe { url: String, title: Option<String> },
    /// Unsubscribe: the feed's entries and read state go with it.
    Unsubscribe { feed: FeedId },
    /// Give a feed the user's own name (`None` or empty: the feed's own title again).
    Rename { feed: FeedId, title: Option<String> },
    /// Read an OPML file and say what importing it would do.
    PreviewOpml { text: String },
    /// Subscribe to these feeds (from an OPML file), skipping those already subscribed.
    Import { feeds: Vec<OpmlFeed> },
    /// Every subscription as an OPML 2.0 document.
    ExportOpml,
    /// Forget everything stored for one feed (its entries, read state and fetch state,
    /// damaged or not) and fetch it afresh; the subscription stays.
    ResetFeed { feed: FeedId },
    /// The last resort: forget every entry, read state and fetch state and start afresh
    /// from the subscriptions (kept; synced ones come back from sync).
    ResetAll,
    /// Store these settings (their stored form, `core::settings::RawSettings`; validated by
    /// the worker like anything stored) and apply them. Carried as JSON, so that the
    /// module every wake instantiates does not decode them.
    PutSettings { settings: serde_json::Value },
    /// Store these rules (their stored form, `core::rules::Rules::to_value`; validated).
    PutRules { rules: serde_json::Value },
}

/// The requests the worker's module that every wake instantiates answers itself: those of
/// [`Request`] of the same names and fields, decoded without the others (`Elsewhere`: the
/// refresh module answers them), so that this module carries no decoder for what it never
/// handles (an OPML import, settings…). A test holds the two enums together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HotRequest {
    GetEntry {
        feed: FeedId,
        id: String,
    },
    MarkRead {
        feed: FeedId,
        id: String,
        read: bool,
    },
    MarkAllRead {
        arrived_by: Millis,
    },
    MarkEntries {
        entries: Vec<EntryKey>,
        read: bool,
    },
    MarkViewRead {
        view: View,
        arrived_by: Millis,
    },
    Star {
        feed: FeedId,
        id: String,
        starred: bool,
    },
    Unsubscribe {
        feed: FeedId,
    },
    Rename {
        feed: FeedId,
        title: Option<String>,
    },
    ResetFeed {
        feed: FeedId,
    },
    ResetAll,
    /// Any other request: for the refresh module.
    #[serde(other)]
    Elsewhere,
}

/// The answers the module every wake gives: those of [`Response`] of the same names,
/// written by an encoder that knows no others (a test holds the two together).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HotResponse {
    Entry(EntryContent),
    Marked { entries: Vec<EntryKey> },
    Done,
    Error { message: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    Snapshot(Snapshot),
    Entry(EntryContent),
    Found(Discovery),
    Subscribed {
        feed: FeedId,
    },
    OpmlPreview(OpmlPreview),
    Imported {
        added: usize,
        skipped: usize,
    },
    /// The entries a mark changed.
    Marked {
        entries: Vec<EntryKey>,
    },
    Opml {
        text: String,
    },
    Done,
    Error {
        message: String,
    },
}

/// The `type` of each [`Response`] as it travels. A page that reads answers by their type
/// and fields, without deserializing the whole enum (the popup, to stay small), looks for
/// these; a test keeps them equal to the serialized tags.
pub mod answer {
    pub const FOUND: &str = "found";
    pub const SUBSCRIBED: &str = "subscribed";
    pub const OPML_PREVIEW: &str = "opml_preview";
    pub const IMPORTED: &str = "imported";
    pub const MARKED: &str = "marked";
    pub const OPML: &str = "opml";
    pub const DONE: &str = "done";
    pub const ERROR: &str = "error";
}

/// One entry in the list (and the head of an opened one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryItem {
    pub feed: FeedId,
    pub id: String,
    pub title: String,
    /// The Planet member blog, or the author.
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub date: Option<Millis>,
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub starred: bool,
}

impl EntryItem {
    /// The list item of a stored entry of `feed`.
    pub fn of(feed: &FeedId, entry: &StoredEntry) -> EntryItem {
        EntryItem {
            feed: feed.clone(),
            id: entry.id.clone(),
            title: entry.title.clone(),
            member: entry.member.clone(),
            link: entry.link.clone(),
            date: entry.date,
            read: false,
            starred: false,
        }
    }

    /// The list item of a library record (`None` for a status whose content is gone).
    pub fn of_record(record: &EntryRecord) -> Option<EntryItem> {
        let entry = record.entry.as_ref()?;
        Some(EntryItem {
            read: record.status.read,
            starred: record.status.starred,
            ..EntryItem::of(&record.feed, entry)
        })
    }
}

/// One subscription's counts and health.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FeedItem {
    pub id: FeedId,
    pub url: String,
    pub title: String,
    #[serde(default)]
    pub site_link: Option<String>,
    /// The feed's image, for its icon.
    #[serde(default)]
    pub image: Option<String>,
    pub unread: usize,
    pub total: usize,
    #[serde(default)]
    pub starred: usize,
    /// When the feed was last fetched, whatever the outcome.
    #[serde(default)]
    pub checked: Option<Millis>,
    /// When a fetch last brought changes.
    #[serde(default)]
    pub changed: Option<Millis>,
    /// Why the last fetch failed, in words for people; `None` when it worked.
    #[serde(default)]
    pub error: Option<String>,
    /// The same, as it is stored: what a page says in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<FeedError>,
    /// When it is fetched next; `None` when it is not polled (gone).
    #[serde(default)]
    pub next_due: Option<Millis>,
    /// The server said the feed is gone (410); it is no longer polled.
    #[serde(default)]
    pub gone: bool,
    /// The extension may not read the feed's site yet: the popup offers "Allow access".
    #[serde(default)]
    pub no_access: bool,
    /// What is stored for the feed is unreadable: the popup offers "Reset this feed".
    #[serde(default)]
    pub damaged: bool,
    #[serde(default)]
    pub folder: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When the worker took it.
    pub taken_at: Millis,
    /// Unread entries, newest first: the first `limit` of those that match.
    pub entries: Vec<EntryItem>,
    /// How many unread entries match the request's member filter (all of them without one,
    /// or when that member has nothing unread left).
    #[serde(default)]
    pub matching: usize,
    /// Who wrote the unread entries (Planet member blogs or authors), most unread first.
    #[serde(default)]
    pub members: Vec<(String, usize)>,
    pub feeds: Vec<FeedItem>,
    pub unread: usize,
    /// What the popup should say about sync (what the quota left out, or why it stopped).
    #[serde(default)]
    pub sync: Option<String>,
}

/// One entry, opened: its list item, its sanitized HTML, and whether it is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryContent {
    pub entry: EntryItem,
    /// Sanitized HTML: safe to put into the page as is.
    pub html: String,
    pub read: bool,
}

/// What discovery found for a page or an address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// The page the feeds were looked for on.
    pub page_url: String,
    /// Feeds, best first; the same feed reached at two URLs appears once.
    pub feeds: Vec<FoundFeed>,
}

/// One feed discovery offers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FoundFeed {
    pub url: String,
    /// The feed's own title (else what the page calls it).
    #[serde(default)]
    pub title: Option<String>,
    /// "RSS 2.0", "Atom 1.0" ... when it was fetched and parsed.
    #[serde(default)]
    pub format: Option<String>,
    /// RSS, Atom or JSON Feed, when it was fetched and parsed.
    #[serde(default)]
    pub family: Option<FormatFamily>,
    #[serde(default)]
    pub entries: Option<usize>,
    /// The same feed in other formats (one per family), folded into this row: the person
    /// may pick one instead of `url`, which is the preferred one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    pub source: CandidateSource,
    pub subscribed: bool,
    /// Why it could not be checked (only for feeds the page declares).
    #[serde(default)]
    pub problem: Option<String>,
}

/// What importing an OPML file would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpmlPreview {
    /// Feeds not subscribed yet.
    pub new: Vec<OpmlFeed>,
    /// Feeds in the file already subscribed, and outlines repeating a feed.
    pub skipped: usize,
    pub problems: Vec<OpmlProblem>,
}

/// Every subscription's counts and health, in subscription order. `host` names a feed
/// by its host when it has no title (the popup passes the browser's `URL`, the worker the
/// `url` crate).
pub fn feed_items(
    subs: &[Subscription],
    records: &[FeedRecord],
    checks: &Checks,
    unsaved: &BTreeMap<String, Unsaved>,
    host: impl Fn(&str) -> Option<String>,
) -> Vec<FeedItem> {
    let empty = FeedRecord::default();
    subs.iter()
        .map(|sub| {
            let record = records.iter().find(|r| r.id == sub.id).unwrap_or(&empty);
            let state = &record.state;
            let check = checks.get(&sub.id);
            let problem = match unsaved.get(&sub.id.0) {
                Some(u) => Some(FeedError::Unsaved { detail: u.detail.clone() }),
                None => state.last_error.clone(),
            };
            FeedItem {
                id: sub.id.clone(),
                url: sub.url.clone(),
                title: display_title(sub.title.as_deref(), state.title.as_deref(), &sub.url, &host),
                site_link: state.site_link.clone(),
                image: state.image.clone(),
                unread: record.counts.unread as usize,
                total: record.counts.total as usize,
                starred: record.counts.starred as usize,
                checked: check.map(|c| c.at),
                changed: state.changed,
                error: problem.as_ref().map(FeedError::to_string),
                problem,
                next_due: state.due_at(check),
                gone: state.gone,
                no_access: state.last_error == Some(FeedError::NoPermission),
                damaged: matches!(state.last_error, Some(FeedError::Damaged { .. })),
                folder: sub.folder.clone(),
            }
        })
        .collect()
}

/// Who wrote the unread entries (Planet member blogs or authors) over `records`, with their
/// unread counts, most unread first.
pub fn members(records: &[FeedRecord]) -> Vec<(String, usize)> {
    let mut counts = BTreeMap::<&str, usize>::new();
    for r in records {
        for (m, t) in &r.counts.members {
            if t.unread > 0 {
                *counts.entry(m).or_default() += t.unread as usize;
            }
        }
    }
    let mut out: Vec<(String, usize)> =
        counts.into_iter().map(|(m, n)| (m.to_string(), n)).collect();
    out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The name a feed is shown by: the user's, else the feed's own, else its host.
pub fn display_title(
    user: Option<&str>,
    feed: Option<&str>,
    url: &str,
    host: impl Fn(&str) -> Option<String>,
) -> String {
    user.or(feed).map(str::to_string).or_else(|| host(url)).unwrap_or_else(|| url.to_string())
}

/// What the worker changed, broadcast to the extension's open pages (the popup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Entries whose record changed (read, starred, content), by identity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<EntryKey>,
    /// How many new entries arrived.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub added: usize,
    /// Feeds whose record (state, counts) changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<FeedId>,
    /// The subscriptions, or what sync has to say, changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subscriptions: bool,
    /// Everything may have changed (a migration, a reset): read it all again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub everything: bool,
    /// The settings or the rules changed (`core::settings`, `core::rules`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub settings: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Change {
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }

    /// Both changes in one.
    pub fn merge(&mut self, other: Change) {
        self.entries.extend(other.entries);
        self.added += other.added;
        self.feeds.extend(other.feeds);
        self.feeds.sort_unstable();
        self.feeds.dedup();
        self.subscriptions |= other.subscriptions;
        self.everything |= other.everything;
        self.settings |= other.settings;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request, once.
    fn every_request() -> Vec<Request> {
        let feed = FeedId("0123456789abcdef".into());
        vec![
            Request::Snapshot { limit: Some(3), member: None },
            Request::GetEntry { feed: feed.clone(), id: "e".into() },
            Request::MarkRead { feed: feed.clone(), id: "e".into(), read: true },
            Request::MarkAllRead { arrived_by: 5 },
            Request::MarkEntries { entries: vec![(feed.clone(), "e".into())], read: false },
            Request::MarkViewRead { view: View::default(), arrived_by: 5 },
            Request::Star { feed: feed.clone(), id: "e".into(), starred: true },
            Request::Refresh { feed: None },
            Request::Discover { tab_id: 1 },
            Request::DiscoverUrl { url: "https://x.example/".into() },
            Request::Subscribe { url: "https://x.example/feed".into(), title: None },
            Request::Unsubscribe { feed: feed.clone() },
            Request::Rename { feed: feed.clone(), title: Some("T".into()) },
            Request::PreviewOpml { text: "<opml/>".into() },
            Request::Import { feeds: vec![] },
            Request::ExportOpml,
            Request::ResetFeed { feed },
            Request::ResetAll,
            Request::PutSettings { settings: serde_json::json!({ "theme": "dark" }) },
            Request::PutRules { rules: serde_json::json!({ "rules": [] }) },
        ]
    }

    #[test]
    fn the_hot_module_reads_its_requests_as_sent_and_passes_on_the_rest() {
        let mut hot = 0;
        for request in every_request() {
            let sent = serde_json::to_value(&request).unwrap();
            let read: HotRequest = serde_json::from_value(sent.clone()).unwrap();
            if read == HotRequest::Elsewhere {
                continue;
            }
            hot += 1;
            assert_eq!(serde_json::to_value(&read).unwrap(), sent, "the same request");
        }
        assert_eq!(hot, 10, "the requests the hot module answers");
        let elsewhere = |r: Request| {
            serde_json::from_value::<HotRequest>(serde_json::to_value(r).unwrap()).unwrap()
        };
        assert_eq!(elsewhere(Request::ExportOpml), HotRequest::Elsewhere);
        assert_eq!(elsewhere(Request::Import { feeds: vec![] }), HotRequest::Elsewhere);
    }

    #[test]
    fn the_hot_modules_answers_are_written_as_the_responses_they_stand_for() {
        let item = EntryItem::of(
            &FeedId("f".into()),
            &StoredEntry {
                id: "e".into(),
                title: "T".into(),
                member: None,
                link: None,
                date: Some(1),
                updated: None,
                enclosures: vec![],
                hash: "h".into(),
            },
        );
        let content = EntryContent { entry: item, html: "<p>x</p>".into(), read: true };
        let keys = vec![(FeedId("f".into()), "e".into())];
        let pairs = [
            (HotResponse::Entry(content.clone()), Response::Entry(content)),
            (HotResponse::Marked { entries: keys.clone() }, Response::Marked { entries: keys }),
            (HotResponse::Done, Response::Done),
            (HotResponse::Error { message: "m".into() }, Response::Error { message: "m".into() }),
        ];
        for (hot, full) in pairs {
            assert_eq!(serde_json::to_value(hot).unwrap(), serde_json::to_value(full).unwrap());
        }
    }

    #[test]
    fn answer_types_are_the_serialized_tags() {
        let tag =
            |r: Response| serde_json::to_value(r).unwrap()["type"].as_str().unwrap().to_string();
        assert_eq!(tag(Response::Found(Discovery::default())), answer::FOUND);
        assert_eq!(tag(Response::Subscribed { feed: FeedId("f".into()) }), answer::SUBSCRIBED);
        assert_eq!(tag(Response::OpmlPreview(OpmlPreview::default())), answer::OPML_PREVIEW);
        assert_eq!(tag(Response::Imported { added: 1, skipped: 0 }), answer::IMPORTED);
        assert_eq!(tag(Response::Marked { entries: vec![] }), answer::MARKED);
        assert_eq!(tag(Response::Opml { text: String::new() }), answer::OPML);
        assert_eq!(tag(Response::Done), answer::DONE);
        assert_eq!(tag(Response::Error { message: String::new() }), answer::ERROR);
    }
}
