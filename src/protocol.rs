//! The typed messages between the popup and the worker.
//!
//! The popup sends a [`Request`] with `runtime.sendMessage`; the worker answers with a
//! [`Response`]. Both travel as JSON (`{"type": "mark_read", ...}`). "Something changed" is
//! not a message: the popup listens to `storage.onChanged` and asks for a new snapshot.

use crate::core::discovery::{Alternative, CandidateSource};
use crate::core::model::FormatFamily;
use crate::core::opml::{OpmlFeed, OpmlProblem};
use crate::core::store::{FeedId, Millis, StoredEntry};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Everything the popup's first screen shows: the newest `limit` unread entries (all
    /// when `None`), only those by `member` when given.
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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    Snapshot(Snapshot),
    Entry(EntryContent),
    Found(Discovery),
    Subscribed { feed: FeedId },
    OpmlPreview(OpmlPreview),
    Imported { added: usize, skipped: usize },
    Opml { text: String },
    Done,
    Error { message: String },
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
        }
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
    pub unread: usize,
    pub total: usize,
    /// When the feed was last fetched, whatever the outcome.
    #[serde(default)]
    pub checked: Option<Millis>,
    /// When a fetch last brought changes.
    #[serde(default)]
    pub changed: Option<Millis>,
    /// Why the last fetch failed, in words for people; `None` when it worked.
    #[serde(default)]
    pub error: Option<String>,
    /// When it is fetched next; `None` when it is not polled (gone).
    #[serde(default)]
    pub next_due: Option<Millis>,
    /// The server said the feed is gone (410); it is no longer polled.
    #[serde(default)]
    pub gone: bool,
    /// The extension may not read the feed's site yet: the popup offers "Allow access".
    #[serde(default)]
    pub no_access: bool,
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
