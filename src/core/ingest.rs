//! Ingest: merge a freshly parsed feed into what is stored for it.
//!
//! The parser's output (`core::model`) is converted to stored records (`core::store`) here
//! and nowhere else. Ingest is a pure function of (stored, parsed, now, policy), so running
//! it twice on the same document changes nothing the second time: a refresh that the
//! browser cut short and a later run repeats neither loses nor doubles an entry.
//!
//! Status is never taken from the document: whether an entry is read belongs to the user,
//! and a refresh only adds statuses for entries it has never seen.

use super::identity::short_hash;
use super::model::{Entry, Feed, Text};
use super::store::{EntryStatus, Millis, StatusMap, StoredEnclosure, StoredEntry, DAY};
use super::title;
use std::collections::{BTreeMap, HashSet};

/// The retention policy (see README "Retention"): what is kept of a feed's past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// A read entry no longer in the feed is dropped this long after it arrived.
    pub keep_read: Millis,
    /// At most this many entries are kept per feed (the newest); read ones go first.
    pub max_entries: usize,
    /// A status whose entry is gone is forgotten this long after the entry arrived. Until
    /// then an old item that re-appears in the feed is recognised and not shown as new.
    pub forget_status: Millis,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { keep_read: 30 * DAY, max_entries: 500, forget_status: 180 * DAY }
    }
}

/// What ingest reads and rewrites of one feed: its entries' list data and statuses. Their
/// HTML is stored one key per entry and only written ([`Report::html`]), never read here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// Newest first.
    pub entries: Vec<StoredEntry>,
    pub status: StatusMap,
}

/// What an ingest changed, by entry id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Entries dropped by the retention policy.
    pub dropped: Vec<String>,
    /// The sanitized HTML to store, by entry id, for new and edited entries; `None` where
    /// it is to be removed (an entry dropped, or edited to have none).
    pub html: BTreeMap<String, Option<String>>,
}

impl Report {
    pub fn changed(&self) -> bool {
        !self.added.is_empty() || !self.updated.is_empty() || !self.dropped.is_empty()
    }
}

/// Merge `feed`, parsed from a document whose base URL was `doc_base`, into `stored`.
pub fn ingest(
    stored: Stored,
    feed: &Feed,
    doc_base: Option<&str>,
    now: Millis,
    policy: &Policy,
) -> (Stored, Report) {
    let Stored { entries: old_entries, mut status } = stored;
    let mut report = Report::default();

    // 1. Does this feed title its entries "Member: Title" (a Planet)?
    let titles: Vec<String> =
        feed.entries.iter().filter_map(|e| e.title.as_ref().map(|t| t.to_plain())).collect();
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let feed_title = feed.title.as_ref().map(|t| t.to_plain());
    let planet = title::is_planet(feed_title.as_deref(), &title_refs);

    // 2. Index what is stored by id.
    let mut old: BTreeMap<String, StoredEntry> =
        old_entries.into_iter().map(|e| (e.id.clone(), e)).collect();

    // 3. Walk the document in order; a feed that repeats an id keeps its first occurrence.
    let mut seen = HashSet::new();
    let mut current = Vec::with_capacity(feed.entries.len());
    for parsed in &feed.entries {
        if !seen.insert(parsed.id.as_str()) {
            continue;
        }
        let hash = entry_hash(parsed);
        match old.remove(&parsed.id) {
            // 3a. Unchanged: keep what is stored; nothing is sanitized again.
            Some(kept) if kept.hash == hash => {
                report.unchanged += 1;
                current.push(kept);
            }
            // 3b. Edited upstream, or new: convert (this is where HTML is sanitized).
            previous => {
                let (entry, html) = convert(parsed, hash, planet, doc_base);
                // A new entry without HTML has none stored to remove either.
                if html.is_some() || previous.is_some() {
                    report.html.insert(entry.id.clone(), html);
                }
                if previous.is_some() {
                    report.updated.push(entry.id.clone());
                } else {
                    report.added.push(entry.id.clone());
                }
                current.push(entry);
            }
        }
        // 4. A status is created only for an entry never seen before; an old item that
        //    re-appears keeps its status (read stays read).
        status.entry(parsed.id.clone()).or_insert(EntryStatus {
            arrived: now,
            read: false,
            changed: None,
        });
    }

    // 5. Entries no longer in the document stay: a feed is a window on its recent items.
    let present: HashSet<String> = current.iter().map(|e| e.id.clone()).collect();
    let mut all: Vec<StoredEntry> = current.into_iter().chain(old.into_values()).collect();

    // 6. Retention: newest first; read entries gone from the feed expire; over the cap the
    //    oldest read entries go first, then the oldest unread.
    let arrived = |id: &str| status.get(id).map_or(now, |s| s.arrived);
    let is_read = |id: &str| status.get(id).is_some_and(|s| s.read);
    all.sort_by_key(|e| std::cmp::Reverse(e.date.unwrap_or_else(|| arrived(&e.id))));
    let (mut kept, mut gone): (Vec<StoredEntry>, Vec<StoredEntry>) =
        all.into_iter().partition(|e| {
            !(is_read(&e.id) && !present.contains(&e.id) && now - arrived(&e.id) > policy.keep_read)
        });
    let excess = kept.len().saturating_sub(policy.max_entries);
    if excess > 0 {
        let read_victims = excess.min(kept.iter().filter(|e| is_read(&e.id)).count());
        let mut drop_read = read_victims;
        let mut drop_unread = excess - read_victims;
        // Walk from the oldest end, choosing victims; everything else stays in order.
        let mut victim = vec![false; kept.len()];
        for (i, e) in kept.iter().enumerate().rev() {
            let budget = if is_read(&e.id) { &mut drop_read } else { &mut drop_unread };
            if *budget > 0 {
                *budget -= 1;
                victim[i] = true;
            }
        }
        let mut flags = victim.into_iter();
        let (stay, go): (Vec<_>, Vec<_>) =
            kept.into_iter().partition(|_| !flags.next().unwrap_or(false));
        kept = stay;
        gone.extend(go);
    }
    report.dropped = gone.into_iter().map(|e| e.id).collect();
    for id in &report.dropped {
        report.html.insert(id.clone(), None);
    }
    let kept_ids: HashSet<&str> = kept.iter().map(|e| e.id.as_str()).collect();
    status
        .retain(|id, s| kept_ids.contains(id.as_str()) || now - s.arrived <= policy.forget_status);

    (Stored { entries: kept, status }, report)
}

/// A hash of everything the parser gave for an entry: when it changes, the entry was edited.
pub fn entry_hash(entry: &Entry) -> String {
    let json = serde_json::to_vec(entry).unwrap_or_default();
    short_hash(&json)
}

fn millis(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<Millis> {
    d.map(|d| d.timestamp_millis())
}

/// Parsed entry → stored list record and sanitized HTML.
///
/// Relative URLs in an entry's HTML are resolved against the entry's own link unless the
/// feed set an `xml:base` for it: an RSS description is written at the post's address, not
/// at the feed's (Planet Python's items come from many sites), so the document URL is the
/// wrong base for it.
fn convert(
    entry: &Entry,
    hash: String,
    planet: bool,
    doc_base: Option<&str>,
) -> (StoredEntry, Option<String>) {
    let full_title = entry.title.as_ref().map(|t| t.to_plain()).unwrap_or_default();
    let (member, title) = match title::split_member(&full_title) {
        Some((member, rest)) if planet => (Some(member.to_string()), rest.to_string()),
        _ => (entry.author.as_ref().and_then(|a| a.name.clone()), full_title.clone()),
    };
    let html = entry.content.as_ref().or(entry.summary.as_ref()).map(|text| match &entry.link {
        Some(link) if text.base.is_none() || text.base.as_deref() == doc_base => {
            Text { base: Some(link.clone()), ..text.clone() }.to_safe_html()
        }
        _ => text.to_safe_html(),
    });
    let stored = StoredEntry {
        id: entry.id.clone(),
        title: if title.is_empty() { entry.link.clone().unwrap_or_default() } else { title },
        member,
        link: entry.link.clone(),
        date: millis(entry.published.or(entry.updated)),
        updated: millis(entry.updated),
        enclosures: entry
            .enclosures
            .iter()
            .map(|e| StoredEnclosure {
                url: e.url.clone(),
                mime_type: e.mime_type.clone(),
                length: e.length,
            })
            .collect(),
        hash,
    };
    (stored, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Format;
    use crate::core::store::unread_count;
    use chrono::TimeZone;

    fn entry(id: &str, title: &str, day: u32, body: &str) -> Entry {
        Entry {
            id: id.into(),
            source_id: Some(id.into()),
            title: Some(Text::plain(title)),
            link: Some(format!("https://{id}.example.net/post/")),
            published: Some(chrono::Utc.with_ymd_and_hms(2025, 10, day, 12, 0, 0).unwrap()),
            updated: None,
            author: None,
            summary: Some(Text::html(body, Some("https://example.org/".into()))),
            content: None,
            image: None,
            enclosures: vec![],
            categories: vec![],
        }
    }

    fn feed(title: &str, entries: Vec<Entry>) -> Feed {
        Feed { title: Some(Text::plain(title)), entries, ..Feed::new(Format::Rss20) }
    }

    fn planet(entries: Vec<Entry>) -> Feed {
        feed("Planet Python", entries)
    }

    const NOW: Millis = 1_760_000_000_000;
    const DOC: &str = "https://example.org/";

    fn run(stored: Stored, feed: &Feed, now: Millis, policy: &Policy) -> (Stored, Report) {
        ingest(stored, feed, Some(DOC), now, policy)
    }

    /// The HTML an ingest writes for entry `id`.
    fn html<'a>(report: &'a Report, id: &str) -> &'a str {
        report.html[id].as_deref().expect("HTML written")
    }

    #[test]
    fn first_ingest_adds_every_entry_unread_newest_first() {
        let f = planet(vec![
            entry("a", "Real Python: One", 1, "x"),
            entry("b", "Talk Python: Two", 2, "y"),
        ]);
        let (s, r) = run(Stored::default(), &f, NOW, &Policy::default());
        assert_eq!(r.added, vec!["a", "b"]);
        assert_eq!(s.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(s.entries[0].member.as_deref(), Some("Talk Python"));
        assert_eq!(s.entries[0].title, "Two");
        assert_eq!(unread_count(&s.entries, &s.status), 2);
    }

    #[test]
    fn refetching_keeps_read_state_and_changes_nothing() {
        let f = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]);
        let (mut s, _) = run(Stored::default(), &f, NOW, &Policy::default());
        s.status.get_mut("a").unwrap().read = true;
        let before = s.clone();
        let (again, r) = run(s, &f, NOW + 1000, &Policy::default());
        assert_eq!(again, before);
        assert!(!r.changed());
        assert!(r.html.is_empty(), "no HTML is written again");
        assert_eq!(r.unchanged, 2);
        assert_eq!(unread_count(&again.entries, &again.status), 1);
    }

    #[test]
    fn an_edited_entry_is_updated_not_duplicated_and_stays_read() {
        let (mut s, _) = run(
            Stored::default(),
            &planet(vec![entry("a", "A: One", 1, "old")]),
            NOW,
            &Policy::default(),
        );
        s.status.get_mut("a").unwrap().read = true;
        let edited = planet(vec![entry("a", "A: One (updated)", 1, "new")]);
        let (s, r) = run(s, &edited, NOW + 1000, &Policy::default());
        assert_eq!(r.updated, vec!["a"]);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].title, "One (updated)");
        assert_eq!(r.html.len(), 1, "only the edited entry's HTML is written");
        assert!(html(&r, "a").contains("new"));
        assert!(s.status["a"].read);
    }

    #[test]
    fn an_entry_that_scrolls_off_the_feed_is_kept() {
        let (s, _) = run(
            Stored::default(),
            &planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]),
            NOW,
            &Policy::default(),
        );
        let (s, r) = run(s, &planet(vec![entry("c", "C: Three", 3, "z")]), NOW, &Policy::default());
        assert_eq!(r.added, vec!["c"]);
        assert_eq!(s.entries.len(), 3);
    }

    #[test]
    fn a_repeated_id_in_one_document_is_stored_once() {
        let f = planet(vec![entry("a", "A: One", 1, "x"), entry("a", "A: One again", 1, "x")]);
        let (s, r) = run(Stored::default(), &f, NOW, &Policy::default());
        assert_eq!(r.added, vec!["a"]);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].title, "One");
    }

    #[test]
    fn titles_are_not_split_on_an_ordinary_blog() {
        let f = feed("My blog", vec![entry("a", "Python: a retrospective", 1, "x")]);
        let (s, _) = run(Stored::default(), &f, NOW, &Policy::default());
        assert_eq!(s.entries[0].title, "Python: a retrospective");
        assert_eq!(s.entries[0].member, None);
    }

    #[test]
    fn read_entries_gone_from_the_feed_expire_but_their_status_outlives_them() {
        let policy = Policy::default();
        let (mut s, _) =
            run(Stored::default(), &planet(vec![entry("a", "A: One", 1, "x")]), NOW, &policy);
        s.status.get_mut("a").unwrap().read = true;
        let later = NOW + policy.keep_read + DAY;
        let (s, r) = run(s, &planet(vec![entry("b", "B: Two", 2, "y")]), later, &policy);
        assert_eq!(r.dropped, vec!["a"]);
        assert_eq!(r.html["a"], None, "its HTML is removed");
        assert!(s.status["a"].read, "the status outlives the content");
        // The old item re-appears: it is not shown as new.
        let (s, _) = run(
            s,
            &planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]),
            later,
            &policy,
        );
        assert_eq!(unread_count(&s.entries, &s.status), 1);
        assert!(s.status["a"].read);
    }

    #[test]
    fn the_cap_drops_read_entries_before_unread_ones() {
        let policy = Policy { max_entries: 2, ..Policy::default() };
        let f = planet(vec![entry("a", "A: 1", 1, "x"), entry("b", "B: 2", 2, "x")]);
        let (mut s, _) = run(Stored::default(), &f, NOW, &policy);
        s.status.get_mut("b").unwrap().read = true; // the newest is read
        let (s, r) = run(s, &planet(vec![entry("c", "C: 3", 3, "x")]), NOW, &policy);
        assert_eq!(r.dropped, vec!["b"]);
        assert_eq!((r.html["b"].is_none(), r.html["c"].is_some()), (true, true));
        let ids: Vec<&str> = s.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "a"]);
    }

    #[test]
    fn relative_urls_resolve_against_the_entry_link_unless_an_xml_base_is_set() {
        let body = r#"<p><img src="img/x.png" alt=""></p>"#;
        let plain = entry("a", "A: One", 1, body);
        let mut based = entry("b", "B: Two", 2, body);
        based.summary.as_mut().unwrap().base = Some("https://cdn.example.com/b/".into());
        let (_, r) = run(Stored::default(), &planet(vec![plain, based]), NOW, &Policy::default());
        assert!(
            html(&r, "a").contains(r#"src="https://a.example.net/post/img/x.png""#),
            "{}",
            html(&r, "a")
        );
        assert!(
            html(&r, "b").contains(r#"src="https://cdn.example.com/b/img/x.png""#),
            "{}",
            html(&r, "b")
        );
    }
}
