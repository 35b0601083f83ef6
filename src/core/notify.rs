//! Notifications of new entries, and the addresses of what the popup shows.
//!
//! After a refresh, [`notice`] gathers the entries worth telling about ([`worth_telling`]) (new in a feed that
//! notifies, or matched by a "notify" rule; never hidden ones, never a feed's first fetch)
//! into one notice for the whole refresh, not one per entry. A click on it goes to its
//! [`Address`]: the entry when there is one, the feed's unread entries when they are all
//! of one feed, else every unread entry.
//!
//! ```
//! use planet_reader::core::notify::Address;
//! use planet_reader::core::library::view::{Scope, View};
//! use planet_reader::core::store::FeedId;
//!
//! let a = Address::View(View::unread(Scope::Feed { feed: FeedId("0123456789abcdef".into()) }));
//! assert_eq!(a.fragment(), "view=feed:0123456789abcdef");
//! assert_eq!(Address::parse("#view=feed:0123456789abcdef"), Some(a));
//! ```

use crate::core::library::ingest::Report;
use crate::core::library::view::{Scope, View};
use crate::core::store::FeedId;

/// Entries named in a notice, at most (the rest are counted).
pub const MAX_LINES: usize = 5;
/// The prefix of this extension's notification ids.
pub const ID_PREFIX: &str = "planet-reader:";

/// Where the popup opens: a list (a view) or one entry. Written as the fragment of
/// the reader's pages (`popup.html#view=unread`, `reader.html#entry=<feed>/<id>`), which
/// is also how a notification names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    View(View),
    Entry { feed: FeedId, id: String },
}

/// `s` with everything but URL-unreserved characters percent-encoded (what
/// `encodeURIComponent` leaves alone, less `'()*!`).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding (`None` when the result is not UTF-8).
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Address {
    /// The fragment (without `#`).
    pub fn fragment(&self) -> String {
        match self {
            Address::Entry { feed, id } => format!("entry={}/{}", encode(&feed.0), encode(id)),
            Address::View(view) => {
                let scope = match &view.scope {
                    Scope::All if view.unread_only => "unread".to_string(),
                    Scope::All => "all".to_string(),
                    Scope::Starred => "starred".to_string(),
                    Scope::Feed { feed } => format!("feed:{}", encode(&feed.0)),
                    Scope::Member { member } => format!("member:{}", encode(member)),
                };
                // Feeds and members are unread lists unless `all` says otherwise.
                let every = !view.unread_only
                    && matches!(view.scope, Scope::Feed { .. } | Scope::Member { .. });
                format!("view={scope}{}", if every { "&all" } else { "" })
            }
        }
    }

    /// The page the address opens, relative to the extension's root.
    pub fn page(&self) -> String {
        format!("reader.html#{}", self.fragment())
    }

    /// The address a fragment (with or without `#`) names, if any.
    pub fn parse(fragment: &str) -> Option<Address> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if let Some(rest) = fragment.strip_prefix("entry=") {
            let (feed, id) = rest.split_once('/')?;
            return Some(Address::Entry { feed: FeedId(decode(feed)?), id: decode(id)? });
        }
        let rest = fragment.strip_prefix("view=")?;
        let (scope, every) = match rest.strip_suffix("&all") {
            Some(scope) => (scope, true),
            None => (rest, false),
        };
        let view = match scope {
            "unread" => View::default(),
            "all" => View::every(Scope::All),
            "starred" => View::every(Scope::Starred),
            s => {
                let scope = if let Some(feed) = s.strip_prefix("feed:") {
                    Scope::Feed { feed: FeedId(decode(feed)?) }
                } else {
                    Scope::Member { member: decode(s.strip_prefix("member:")?)? }
                };
                View { scope, unread_only: !every, search: None }
            }
        };
        Some(Address::View(view))
    }

    /// The id of a notification that goes here.
    pub fn notification_id(&self) -> String {
        format!("{ID_PREFIX}{}", self.fragment())
    }

    /// The address a notification id names (`None` for another's).
    pub fn of_notification(id: &str) -> Option<Address> {
        Address::parse(id.strip_prefix(ID_PREFIX)?)
    }
}

/// An entry a refresh brought, as a notice names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    pub feed: FeedId,
    pub id: String,
    pub title: String,
    /// Its Planet member or author, else its feed's title.
    pub by: String,
    /// What the list sorts by (newest first).
    pub time: i64,
}

/// The entries of one feed's ingest worth telling about: new ones, not hidden, and unread
/// in a feed that notifies (`notifies`) or flagged by a "notify" rule. None from a feed's
/// first fetch (a new subscription brings its whole past, not news).
pub fn worth_telling(
    feed: &FeedId,
    feed_title: &str,
    report: &Report,
    notifies: bool,
    first_fetch: bool,
) -> Vec<NewEntry> {
    if first_fetch {
        return vec![];
    }
    report
        .added
        .iter()
        .filter_map(|id| report.put.iter().find(|r| &r.id == id))
        .filter(|r| !r.status.hidden)
        .filter(|r| report.flagged.contains(&r.id) || (notifies && !r.status.read))
        .filter_map(|r| {
            let entry = r.entry.as_ref()?;
            Some(NewEntry {
                feed: feed.clone(),
                id: r.id.clone(),
                title: entry.title.clone(),
                by: entry.member.clone().unwrap_or_else(|| feed_title.to_string()),
                time: r.time(),
            })
        })
        .collect()
}

/// One notice for a whole refresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// How many entries it tells about.
    pub count: usize,
    /// How many feeds they came from.
    pub feeds: usize,
    /// The newest [`MAX_LINES`] as (by, title).
    pub lines: Vec<(String, String)>,
    pub address: Address,
}

/// The notice for `entries` (those a refresh brought that are worth telling about), or
/// `None` when there are none.
pub fn notice(mut entries: Vec<NewEntry>) -> Option<Notice> {
    if entries.is_empty() {
        return None;
    }
    entries.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    let mut feeds: Vec<&FeedId> = entries.iter().map(|e| &e.feed).collect();
    feeds.sort();
    feeds.dedup();
    let address = match (entries.as_slice(), feeds.as_slice()) {
        ([one], _) => Address::Entry { feed: one.feed.clone(), id: one.id.clone() },
        (_, [feed]) => Address::View(View::unread(Scope::Feed { feed: (*feed).clone() })),
        _ => Address::View(View::default()),
    };
    Some(Notice {
        count: entries.len(),
        feeds: feeds.len(),
        lines: entries.iter().take(MAX_LINES).map(|e| (e.by.clone(), e.title.clone())).collect(),
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(feed: &str, id: &str, time: i64) -> NewEntry {
        NewEntry {
            feed: FeedId(feed.into()),
            id: id.into(),
            title: format!("T {id}"),
            by: "M".into(),
            time,
        }
    }

    #[test]
    fn addresses_round_trip_through_their_fragment() {
        let all = [
            Address::View(View::default()),
            Address::View(View::every(Scope::All)),
            Address::View(View::every(Scope::Starred)),
            Address::View(View::unread(Scope::Feed { feed: FeedId("0123456789abcdef".into()) })),
            Address::View(View::every(Scope::Member { member: "Real Python & co/ü".into() })),
            Address::Entry {
                feed: FeedId("0123456789abcdef".into()),
                id: "https://x.example/a?b=c#d".into(),
            },
        ];
        for a in all {
            let f = a.fragment();
            assert!(!f.contains('#') && !f.contains(' '), "{f}");
            assert_eq!(Address::parse(&f), Some(a.clone()), "{f}");
            assert_eq!(Address::of_notification(&a.notification_id()), Some(a.clone()));
            assert_eq!(a.page(), format!("reader.html#{f}"));
        }
        assert_eq!(Address::parse("view=nonsense"), None);
        assert_eq!(Address::parse("entry=nofeed"), None);
        assert_eq!(Address::parse("view=feed:%ZZ"), None);
        assert_eq!(Address::of_notification("someone-else:view=unread"), None);
    }

    fn record(id: &str, read: bool, hidden: bool) -> crate::core::library::record::EntryRecord {
        use crate::core::store::{EntryStatus, StoredEntry};
        crate::core::library::record::EntryRecord {
            feed: FeedId("f".into()),
            id: id.into(),
            status: EntryStatus { arrived: 7, read, hidden, ..EntryStatus::default() },
            entry: Some(StoredEntry {
                id: id.into(),
                title: format!("T {id}"),
                member: (id != "plain").then(|| "Member".to_string()),
                link: None,
                date: None,
                updated: None,
                enclosures: vec![],
                hash: "h".into(),
            }),
        }
    }

    #[test]
    fn only_new_visible_entries_of_notifying_feeds_or_flagged_ones_are_told() {
        let report = Report {
            added: vec![
                "new".into(),
                "read".into(),
                "hidden".into(),
                "flagged".into(),
                "plain".into(),
            ],
            updated: vec!["old".into()],
            flagged: vec!["flagged".into()],
            put: vec![
                record("new", false, false),
                record("read", true, false),
                record("hidden", true, true),
                record("flagged", true, false),
                record("plain", false, false),
                record("old", false, false),
            ],
            ..Report::default()
        };
        let f = FeedId("f".into());
        let ids = |v: Vec<NewEntry>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(
            ids(worth_telling(&f, "Feed", &report, true, false)),
            ["new", "flagged", "plain"]
        );
        assert_eq!(ids(worth_telling(&f, "Feed", &report, false, false)), ["flagged"]);
        assert!(
            worth_telling(&f, "Feed", &report, true, true).is_empty(),
            "a first fetch tells nothing"
        );
        let plain = worth_telling(&f, "Feed", &report, true, false).pop().unwrap();
        assert_eq!(plain.by, "Feed", "no member: the feed's title");
    }

    #[test]
    fn one_notice_names_the_newest_entries_and_goes_where_they_are() {
        assert_eq!(notice(vec![]), None);
        let one = notice(vec![e("f", "a", 1)]).unwrap();
        assert_eq!(one.address, Address::Entry { feed: FeedId("f".into()), id: "a".into() });
        let same_feed = notice((0..8).map(|i| e("f", &format!("{i}"), i)).collect()).unwrap();
        assert_eq!((same_feed.count, same_feed.feeds), (8, 1));
        assert_eq!(same_feed.lines.len(), MAX_LINES);
        assert_eq!(same_feed.lines[0].1, "T 7", "newest first");
        assert_eq!(
            same_feed.address,
            Address::View(View::unread(Scope::Feed { feed: FeedId("f".into()) }))
        );
        let two_feeds = notice(vec![e("f", "a", 1), e("g", "b", 2)]).unwrap();
        assert_eq!(two_feeds.address, Address::View(View::default()));
        assert_eq!(two_feeds.feeds, 2);
    }
}
