//! Ingest: merge a freshly parsed feed into what the library holds for it.
//!
//! The parser's output (`core::model`) becomes stored records (`core::library::record`)
//! here and nowhere else, in two steps:
//!
//! 1. [`prepare`] (the heavy part, done before any transaction or lock): for each entry of
//!    the document that is new or edited since the hashes the caller read, convert it:
//!    plain-text title and member, sanitized HTML, search words. Unchanged entries are not
//!    sanitized again.
//! 2. [`apply`] (light, inside the transaction that writes): merge the prepared entries into
//!    the feed's records as they are *now* (a read mark made while step 1 ran is kept),
//!    apply retention, and say what to write.
//!
//! Both are pure functions of their arguments, so running a refresh twice on the same
//! document changes nothing the second time: a refresh the browser cut short and a later
//! run repeats neither loses nor doubles an entry.
//!
//! Status is never taken from the document: whether an entry is read belongs to the user;
//! a refresh only creates statuses for entries it has never seen (unread, unless sync knows
//! better: the caller's `initial`). The user's rules (`core::rules`) are matched in step 1,
//! where the entry's text is at hand, and act in step 2 on entries that are new: hidden,
//! read (unless another profile's mark says otherwise), starred, or flagged for a
//! notification ([`Report::flagged`]).

use super::record::{Counts, EntryRecord};
use super::search::entry_words;
use crate::core::identity::short_hash;
use crate::core::model::{Entry, Feed, Text, TextKind};
use crate::core::rules::{Rules, Subject, Verdict};
use crate::core::store::{EntryStatus, FeedId, Millis, StoredEnclosure, StoredEntry, DAY};
use crate::core::title;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The retention policy (see README "Retention"): what is kept of a feed's past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// A read entry no longer in the feed loses its content this long after it arrived.
    pub keep_read: Millis,
    /// At most this many entries with content per feed (the newest); read ones go first.
    /// Starred entries are kept whatever the cap.
    pub max_entries: usize,
    /// A status whose entry is gone is forgotten this long after the entry arrived. Until
    /// then an old item that re-appears in the feed is recognised and not shown as new.
    pub forget_status: Millis,
    /// At most this many statuses of gone entries per feed (the newest arrivals): a feed
    /// that changes every id on every fetch cannot grow its read state without bound.
    pub max_gone_statuses: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            keep_read: 30 * DAY,
            max_entries: 500,
            forget_status: 180 * DAY,
            max_gone_statuses: 2_000,
        }
    }
}

/// One entry of the document, converted if it needs to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub id: String,
    pub hash: String,
    /// The converted entry, when it was new or edited as far as the caller knew.
    pub converted: Option<Converted>,
}

/// A parsed entry as the library stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub entry: StoredEntry,
    /// Sanitized HTML: its content, else its summary.
    pub html: Option<String>,
    pub words: Vec<String>,
    /// What the rules do to it, should it be new.
    pub verdict: Verdict,
}

/// A document ready to merge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    /// In document order; a repeated id keeps its first occurrence.
    pub entries: Vec<Incoming>,
}

impl Prepared {
    /// The ids of the document's entries.
    pub fn ids(&self) -> HashSet<&str> {
        self.entries.iter().map(|e| e.id.as_str()).collect()
    }

    /// The ids of the entries that are new or edited (converted).
    pub fn changed(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter(|e| e.converted.is_some()).map(|e| e.id.as_str())
    }
}

/// Convert the entries of `feed` (parsed from a document whose base URL was `doc_base`)
/// that are not in `known` (entry id → hash of what is stored) with the same hash, and
/// match them against `rules` (those of this feed: `Rules::for_feed`).
pub fn prepare(
    feed: &Feed,
    doc_base: Option<&str>,
    known: &HashMap<String, String>,
    feed_title: Option<&str>,
    rules: &Rules,
) -> Prepared {
    // Does this feed title its entries "Member: Title" (a Planet)?
    let titles: Vec<String> =
        feed.entries.iter().filter_map(|e| e.title.as_ref().map(Text::to_plain)).collect();
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let own_title = feed.title.as_ref().map(Text::to_plain);
    let planet = title::is_planet(own_title.as_deref(), &title_refs);
    let feed_title = feed_title.or(own_title.as_deref());

    let mut seen = HashSet::new();
    let mut entries = Vec::with_capacity(feed.entries.len());
    for parsed in &feed.entries {
        if !seen.insert(parsed.id.as_str()) {
            continue;
        }
        let hash = entry_hash(parsed);
        let converted = (known.get(&parsed.id) != Some(&hash))
            .then(|| convert(parsed, hash.clone(), planet, doc_base, feed_title, rules));
        entries.push(Incoming { id: parsed.id.clone(), hash, converted });
    }
    Prepared { entries }
}

/// What an ingest changed, by entry id, and what to write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    /// Entries whose content retention had dropped, back in the document (not new: their
    /// status says whether they were read).
    pub restored: Vec<String>,
    pub unchanged: usize,
    /// Entries whose content retention dropped (their status stays a while).
    pub dropped: Vec<String>,
    /// New entries a "notify" rule matched (and no rule hid).
    pub flagged: Vec<String>,
    /// Records to write (new or changed).
    pub put: Vec<EntryRecord>,
    /// Statuses forgotten: records to delete.
    pub forget: Vec<String>,
    /// HTML to store (`Some`) or remove (`None`), by entry id.
    pub html: BTreeMap<String, Option<String>>,
    /// Search words to store (`Some`) or remove (`None`), by entry id.
    pub words: BTreeMap<String, Option<Vec<String>>>,
    /// The feed's counts after the ingest.
    pub counts: Counts,
}

impl Report {
    pub fn changed(&self) -> bool {
        !self.put.is_empty() || !self.forget.is_empty()
    }
}

/// Merge `prepared` into `current` (every record of feed `feed`, as the transaction reads
/// them), then apply retention: the whole pass, what a refresh runs now and then (and the
/// tests). `initial` gives a new entry's status from its id, date and arrival.
pub fn apply(
    feed: &FeedId,
    current: Vec<EntryRecord>,
    prepared: &Prepared,
    now: Millis,
    policy: &Policy,
    initial: impl Fn(&str, Option<Millis>, Millis) -> EntryStatus,
) -> Report {
    let mut records: BTreeMap<String, EntryRecord> =
        current.into_iter().map(|r| (r.id.clone(), r)).collect();
    let before = records.clone();
    let mut report = merge(feed, &mut records, prepared, now, initial);
    retain(&mut records, &prepared.ids(), now, policy, &mut report);
    report.counts = Counts::of(records.values());
    report.put = records.into_values().filter(|r| before.get(&r.id) != Some(r)).collect();
    report
}

/// Step 1 alone: merge `prepared` into `records` (those of its new and edited entries are
/// enough), changing them in place. The report's `put` and `counts` are left to the caller.
pub fn merge(
    feed: &FeedId,
    records: &mut BTreeMap<String, EntryRecord>,
    prepared: &Prepared,
    now: Millis,
    initial: impl Fn(&str, Option<Millis>, Millis) -> EntryStatus,
) -> Report {
    let mut report = Report::default();
    // Walk the document: new entries get a record, edited ones new content.
    for incoming in &prepared.entries {
        let known = records.get(&incoming.id);
        let same = known.and_then(|r| r.entry.as_ref()).is_some_and(|e| e.hash == incoming.hash);
        // Unchanged as far as the caller knew when it prepared (its record not read), or
        // unchanged indeed.
        if same || (incoming.converted.is_none() && known.is_none()) {
            report.unchanged += 1;
            continue;
        }
        // Edited, but converted by nobody: the caller's hashes were stale (another refresh
        // of this feed got there first). Left for the next document.
        let Some(c) = &incoming.converted else { continue };
        match records.get_mut(&incoming.id) {
            Some(r) => {
                if r.entry.is_some() {
                    report.updated.push(r.id.clone());
                } else {
                    report.restored.push(r.id.clone());
                }
                r.entry = Some(c.entry.clone());
            }
            None => {
                let mut status = initial(&incoming.id, c.entry.date, now);
                apply_verdict(&mut status, c.verdict, now);
                if c.verdict.notify && !status.hidden {
                    report.flagged.push(incoming.id.clone());
                }
                report.added.push(incoming.id.clone());
                records.insert(
                    incoming.id.clone(),
                    EntryRecord {
                        feed: feed.clone(),
                        id: incoming.id.clone(),
                        status,
                        entry: Some(c.entry.clone()),
                    },
                );
            }
        }
        report.html.insert(incoming.id.clone(), c.html.clone());
        report.words.insert(incoming.id.clone(), Some(c.words.clone()));
    }
    report
}

/// Step 2: retention over every record of a feed (`present`: the ids in the document).
pub fn retain(
    records: &mut BTreeMap<String, EntryRecord>,
    present: &HashSet<&str>,
    now: Millis,
    policy: &Policy,
    report: &mut Report,
) {
    // Content: read entries gone from the feed expire; over the cap the oldest read
    // entries go first, then the oldest unread; a star keeps an entry.
    let mut with_content: Vec<&mut EntryRecord> =
        records.values_mut().filter(|r| r.entry.is_some()).collect();
    with_content.sort_by_key(|r| std::cmp::Reverse((r.time(), r.id.clone())));
    let expired = |r: &EntryRecord| {
        r.status.read
            && !r.status.starred
            && !present.contains(r.id.as_str())
            && now - r.status.arrived > policy.keep_read
    };
    let mut drop: Vec<bool> = with_content.iter().map(|r| expired(r)).collect();
    let kept = drop.iter().filter(|d| !**d).count();
    let mut excess = kept.saturating_sub(policy.max_entries);
    for pass_read in [true, false] {
        for (i, r) in with_content.iter().enumerate().rev() {
            if excess == 0 {
                break;
            }
            if !drop[i] && !r.status.starred && r.status.read == pass_read {
                drop[i] = true;
                excess -= 1;
            }
        }
    }
    for (r, gone) in with_content.iter_mut().zip(drop) {
        if gone {
            r.entry = None;
            report.dropped.push(r.id.clone());
            report.html.insert(r.id.clone(), None);
            report.words.insert(r.id.clone(), None);
        }
    }

    // Statuses of gone entries: forgotten after a while, and at most so many per feed.
    let mut gone: Vec<&EntryRecord> = records.values().filter(|r| r.entry.is_none()).collect();
    gone.sort_by_key(|r| std::cmp::Reverse((r.status.arrived, r.id.clone())));
    let forget: Vec<String> = gone
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            *i >= policy.max_gone_statuses || now - r.status.arrived > policy.forget_status
        })
        .map(|(_, r)| r.id.clone())
        .collect();
    for id in &forget {
        records.remove(id);
    }
    report.forget.extend(forget);
}

/// What the rules do to a new entry's first status. A read mark that another profile made
/// (the status has a `changed` time) is the user's and stays; hiding reads it too, so that
/// it is never new again.
fn apply_verdict(status: &mut EntryStatus, verdict: Verdict, now: Millis) {
    if verdict.hide {
        status.hidden = true;
    }
    if (verdict.read || verdict.hide) && !status.read && (status.changed.is_none() || verdict.hide)
    {
        status.read = true;
        status.changed = Some(now);
    }
    if verdict.star && !status.starred {
        status.starred = true;
        status.star_changed = Some(now);
    }
}

/// A hash of everything the parser gave for an entry: when it changes, the entry was edited.
pub fn entry_hash(entry: &Entry) -> String {
    let json = serde_json::to_vec(entry).unwrap_or_default();
    short_hash(&json)
}

/// Before an entry's markup is sanitized (which removes every `<iframe>`): each embed with
/// a web address gets a link to it just before it, so an embedded video leaves a
/// placeholder the reader can follow rather than a hole. Plain text and markup without
/// embeds are returned as they are.
fn embeds_as_links(markup: &str) -> std::borrow::Cow<'_, str> {
    let lower = markup.to_ascii_lowercase();
    if !lower.contains("<iframe") {
        return markup.into();
    }
    let mut out = String::with_capacity(markup.len() + 64);
    let mut done = 0;
    for (at, _) in lower.match_indices("<iframe") {
        let Some(end) = lower[at..].find('>').map(|e| at + e) else { break };
        let tag = &markup[at..end];
        if let Some(src) = attribute(tag, "src").filter(|s| s.starts_with("http")) {
            // The host as written (no URL parser: this module stays small).
            let after = src.split_once("://").map_or("", |(_, rest)| rest);
            let authority = after.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("").split(':').next().unwrap_or("");
            let host = html_escape(host);
            let href = src.replace('"', "&quot;");
            out.push_str(&markup[done..at]);
            out.push_str(&format!(
                "<p><a href=\"{href}\">▶ Embedded content from {host} (not shown here): open it</a></p>"
            ));
            done = at;
        }
    }
    out.push_str(&markup[done..]);
    out.into()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The value of attribute `name` in a start tag's text (quoted or not), if any.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| from + i) {
        from = i + name.len();
        let before = lower[..i].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
        };
        return Some(value.to_string());
    }
    None
}

fn millis(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<Millis> {
    d.map(|d| d.timestamp_millis())
}

/// Parsed entry → stored list data, sanitized HTML and search words.
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
    feed_title: Option<&str>,
    rules: &Rules,
) -> Converted {
    let full_title = entry.title.as_ref().map(Text::to_plain).unwrap_or_default();
    let (member, title) = match title::split_member(&full_title) {
        Some((member, rest)) if planet => (Some(member.to_string()), rest.to_string()),
        _ => (entry.author.as_ref().and_then(|a| a.name.clone()), full_title.clone()),
    };
    let body = entry.content.as_ref().or(entry.summary.as_ref());
    let html = body.map(|text| {
        let mut text = text.clone();
        if text.kind != TextKind::Plain {
            text.value = embeds_as_links(&text.value).into_owned();
        }
        match &entry.link {
            Some(link) if text.base.is_none() || text.base.as_deref() == doc_base => {
                Text { base: Some(link.clone()), ..text }.to_safe_html()
            }
            _ => text.to_safe_html(),
        }
    });
    let body_text = body.map(Text::to_plain).unwrap_or_default();
    let verdict = if rules.is_empty() {
        Verdict::default()
    } else {
        rules.verdict(&Subject {
            title: &title,
            member: member.as_deref(),
            author: entry.author.as_ref().and_then(|a| a.name.as_deref()),
            content: &body_text,
        })
    };
    let words = entry_words([
        title.as_str(),
        member.as_deref().unwrap_or(""),
        feed_title.unwrap_or(""),
        body_text.as_str(),
    ]);
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
    Converted { entry: stored, html, words, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_leaves_a_link_to_it_and_nothing_else_changes() {
        let html = r#"<p>Watch:</p><IFRAME width=560 src='https://www.youtube.com/embed/x?a=1&amp;b=2' allowfullscreen></IFRAME><p>end</p>"#;
        let out = embeds_as_links(html);
        assert!(out.starts_with("<p>Watch:</p><p><a href=\"https://www.youtube.com/embed/x?a=1&amp;b=2\">▶ Embedded content from www.youtube.com"), "{out}");
        assert!(out.ends_with("<IFRAME width=560 src='https://www.youtube.com/embed/x?a=1&amp;b=2' allowfullscreen></IFRAME><p>end</p>"));
        assert!(matches!(embeds_as_links("<p>no embed</p>"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(
            embeds_as_links("<iframe src=javascript:alert(1)></iframe>"),
            "<iframe src=javascript:alert(1)></iframe>"
        );
        let text = Text::html(html, Some("https://example.org/".into())).to_safe_html();
        assert!(!text.contains("iframe"));
        let kept =
            Text::html(embeds_as_links(html), Some("https://example.org/".into())).to_safe_html();
        assert!(
            kept.contains(r#"<a href="https://www.youtube.com/embed/x?a=1&amp;b=2">"#),
            "{kept}"
        );
        assert!(!kept.contains("iframe"));
    }
    use crate::core::model::Format;
    use crate::core::rules::{Action, Field, Matcher, Rule};
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
            enclosures: vec![],
            categories: vec![],
            image: None,
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

    fn fid() -> FeedId {
        FeedId("f".into())
    }

    fn unread(_: &str, _: Option<Millis>, arrived: Millis) -> EntryStatus {
        EntryStatus { arrived, ..EntryStatus::default() }
    }

    /// Ingest `feed` into `records` as a refresh does (hashes read first, then applied).
    fn run(
        records: &[EntryRecord],
        feed: &Feed,
        now: Millis,
        policy: &Policy,
    ) -> (Vec<EntryRecord>, Report) {
        let known = records
            .iter()
            .filter_map(|r| r.entry.as_ref().map(|e| (r.id.clone(), e.hash.clone())))
            .collect();
        let prepared = prepare(feed, Some(DOC), &known, None, &Rules::default());
        let report = apply(&fid(), records.to_vec(), &prepared, now, policy, unread);
        let mut after: BTreeMap<String, EntryRecord> =
            records.iter().map(|r| (r.id.clone(), r.clone())).collect();
        for r in &report.put {
            after.insert(r.id.clone(), r.clone());
        }
        for id in &report.forget {
            after.remove(id);
        }
        (after.into_values().collect(), report)
    }

    fn find<'a>(records: &'a [EntryRecord], id: &str) -> &'a EntryRecord {
        records.iter().find(|r| r.id == id).expect("record")
    }

    fn set_read(records: &mut [EntryRecord], id: &str) {
        records.iter_mut().find(|r| r.id == id).unwrap().status.read = true;
    }

    /// The HTML an ingest writes for entry `id`.
    fn html<'a>(report: &'a Report, id: &str) -> &'a str {
        report.html[id].as_deref().expect("HTML written")
    }

    #[test]
    fn first_ingest_adds_every_entry_unread_with_planet_members_and_words() {
        let f = planet(vec![
            entry("a", "Real Python: One", 1, "x"),
            entry("b", "Talk Python: Two <b>bold</b>", 2, "<p>Decorators explained</p>"),
        ]);
        let (rs, r) = run(&[], &f, NOW, &Policy::default());
        assert_eq!(r.added, vec!["a", "b"]);
        let b = find(&rs, "b");
        assert_eq!(b.member(), Some("Talk Python"));
        assert_eq!(b.entry.as_ref().unwrap().title, "Two <b>bold</b>");
        assert_eq!((r.counts.unread, r.counts.total), (2, 2));
        let words = r.words["b"].as_ref().unwrap();
        for w in ["two", "talk", "python", "planet", "decorators", "explained"] {
            assert!(words.contains(&w.to_string()), "{w} in {words:?}");
        }
    }

    #[test]
    fn refetching_keeps_read_state_and_writes_nothing() {
        let f = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]);
        let (mut rs, _) = run(&[], &f, NOW, &Policy::default());
        set_read(&mut rs, "a");
        let (again, r) = run(&rs, &f, NOW + 1000, &Policy::default());
        assert_eq!(again, rs);
        assert!(!r.changed());
        assert!(r.html.is_empty() && r.words.is_empty(), "nothing is written again");
        assert_eq!(r.unchanged, 2);
        assert_eq!(r.counts.unread, 1);
    }

    #[test]
    fn unchanged_entries_are_not_converted_again() {
        let f = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]);
        let (rs, _) = run(&[], &f, NOW, &Policy::default());
        let known =
            rs.iter().map(|r| (r.id.clone(), r.entry.as_ref().unwrap().hash.clone())).collect();
        let edited = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two!", 2, "y")]);
        let p = prepare(&edited, Some(DOC), &known, None, &Rules::default());
        assert_eq!(p.entries.iter().filter(|e| e.converted.is_some()).count(), 1);
    }

    #[test]
    fn a_read_mark_made_while_the_document_was_prepared_is_kept() {
        let (mut rs, _) =
            run(&[], &planet(vec![entry("a", "A: One", 1, "old")]), NOW, &Policy::default());
        let known = HashMap::from([("a".to_string(), rs[0].entry.as_ref().unwrap().hash.clone())]);
        let edited = planet(vec![entry("a", "A: One (updated)", 1, "new")]);
        let prepared = prepare(&edited, Some(DOC), &known, None, &Rules::default());
        set_read(&mut rs, "a"); // the user reads it meanwhile
        let r = apply(&fid(), rs, &prepared, NOW + 1000, &Policy::default(), unread);
        assert_eq!(r.updated, vec!["a"]);
        assert!(r.put[0].status.read, "the mark survives the edit");
        assert_eq!(r.put[0].entry.as_ref().unwrap().title, "One (updated)");
        assert!(html(&r, "a").contains("new"));
        assert_eq!(r.counts.unread, 0);
    }

    #[test]
    fn an_entry_that_scrolls_off_the_feed_is_kept() {
        let two = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]);
        let (rs, _) = run(&[], &two, NOW, &Policy::default());
        let (rs, r) =
            run(&rs, &planet(vec![entry("c", "C: Three", 3, "z")]), NOW, &Policy::default());
        assert_eq!(r.added, vec!["c"]);
        assert_eq!(rs.iter().filter(|r| r.entry.is_some()).count(), 3);
    }

    #[test]
    fn a_repeated_id_in_one_document_is_stored_once() {
        let f = planet(vec![entry("a", "A: One", 1, "x"), entry("a", "A: One again", 1, "x")]);
        let (rs, r) = run(&[], &f, NOW, &Policy::default());
        assert_eq!(r.added, vec!["a"]);
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].entry.as_ref().unwrap().title, "One");
    }

    #[test]
    fn titles_are_not_split_on_an_ordinary_blog() {
        let f = feed("My blog", vec![entry("a", "Python: a retrospective", 1, "x")]);
        let (rs, _) = run(&[], &f, NOW, &Policy::default());
        assert_eq!(rs[0].entry.as_ref().unwrap().title, "Python: a retrospective");
        assert_eq!(rs[0].member(), None);
    }

    #[test]
    fn read_entries_gone_from_the_feed_expire_but_their_status_outlives_them() {
        let policy = Policy::default();
        let (mut rs, _) = run(&[], &planet(vec![entry("a", "A: One", 1, "x")]), NOW, &policy);
        set_read(&mut rs, "a");
        let later = NOW + policy.keep_read + DAY;
        let (rs, r) = run(&rs, &planet(vec![entry("b", "B: Two", 2, "y")]), later, &policy);
        assert_eq!(r.dropped, vec!["a"]);
        assert_eq!((r.html["a"].clone(), r.words["a"].clone()), (None, None));
        let a = find(&rs, "a");
        assert!(a.entry.is_none() && a.status.read, "the status outlives the content");
        // The old item re-appears: it is not shown as new.
        let both = planet(vec![entry("a", "A: One", 1, "x"), entry("b", "B: Two", 2, "y")]);
        let (rs, r) = run(&rs, &both, later, &policy);
        assert_eq!(r.counts.unread, 1);
        assert!(find(&rs, "a").status.read);
        assert_eq!(r.restored, vec!["a"], "content back, but not new");
        assert!(r.added.is_empty());
        // `forget_status` after it arrived, and gone from the feed: the status goes too.
        let much_later = NOW + policy.forget_status + DAY;
        let (rs, r) = run(&rs, &planet(vec![entry("c", "C", 3, "z")]), much_later, &policy);
        assert!(r.forget.contains(&"a".to_string()));
        assert!(rs.iter().all(|r| r.id != "a"));
    }

    #[test]
    fn the_cap_drops_read_entries_before_unread_ones_and_never_starred_ones() {
        let policy = Policy { max_entries: 2, ..Policy::default() };
        let f = planet(vec![entry("a", "A: 1", 1, "x"), entry("b", "B: 2", 2, "x")]);
        let (mut rs, _) = run(&[], &f, NOW, &policy);
        set_read(&mut rs, "b"); // the newest is read
        let (rs, r) = run(&rs, &planet(vec![entry("c", "C: 3", 3, "x")]), NOW, &policy);
        assert_eq!(r.dropped, vec!["b"]);
        assert!(r.html["b"].is_none() && r.html["c"].is_some());
        let mut kept: Vec<&str> =
            rs.iter().filter(|r| r.entry.is_some()).map(|r| r.id.as_str()).collect();
        kept.sort();
        assert_eq!(kept, ["a", "c"]);
        let mut rs = rs;
        rs.iter_mut().find(|r| r.id == "a").unwrap().status.starred = true;
        rs.iter_mut().find(|r| r.id == "a").unwrap().status.read = true;
        let (rs, r) = run(&rs, &planet(vec![entry("d", "D: 4", 4, "x")]), NOW, &policy);
        assert_eq!(r.dropped, vec!["c"], "the starred read entry stays, the unread one goes");
        assert!(find(&rs, "a").entry.is_some());
    }

    #[test]
    fn a_feed_that_changes_every_id_keeps_a_bounded_read_state() {
        let policy = Policy { max_entries: 10, max_gone_statuses: 30, ..Policy::default() };
        let mut rs = Vec::new();
        for round in 0..8 {
            let items = (0..10)
                .map(|i| entry(&format!("r{round}-{i}"), "X: y", 1 + (i % 20) as u32, "z"))
                .collect();
            let (after, _) = run(&rs, &planet(items), NOW + round * 1000, &policy);
            rs = after;
        }
        assert!(rs.len() <= 10 + 30, "{} records", rs.len());
    }

    fn rules(list: Vec<(Field, &str, Action)>) -> Rules {
        Rules::new(
            list.into_iter()
                .map(|(field, words, action)| Rule {
                    feed: None,
                    field,
                    matcher: Matcher::Words(words.into()),
                    action,
                })
                .collect(),
        )
    }

    /// Ingest with rules, as `run` does without.
    fn run_with(records: &[EntryRecord], feed: &Feed, now: Millis, rules: &Rules) -> Report {
        let known = records
            .iter()
            .filter_map(|r| r.entry.as_ref().map(|e| (r.id.clone(), e.hash.clone())))
            .collect();
        let prepared = prepare(feed, Some(DOC), &known, None, rules);
        apply(&fid(), records.to_vec(), &prepared, now, &Policy::default(), unread)
    }

    #[test]
    fn rules_act_on_new_entries_when_they_arrive() {
        let f = planet(vec![
            entry("a", "Real Python: One", 1, "x"),
            entry("b", "Talk Python: Two", 2, "about decorators"),
            entry("c", "Django Weblog: Three", 3, "y"),
        ]);
        let rules = rules(vec![
            (Field::Member, "real python", Action::Read),
            (Field::Content, "decorators", Action::Star),
            (Field::Content, "decorators", Action::Notify),
            (Field::Member, "django", Action::Hide),
        ]);
        let r = run_with(&[], &f, NOW, &rules);
        let get = |id: &str| r.put.iter().find(|x| x.id == id).unwrap();
        assert!(get("a").status.read && get("a").status.changed == Some(NOW));
        assert!(get("b").status.starred && !get("b").status.read);
        assert!(get("c").status.hidden && get("c").status.read);
        assert_eq!(r.flagged, vec!["b"]);
        // The hidden entry is in no count; the read one counts as read.
        assert_eq!((r.counts.unread, r.counts.total, r.counts.starred), (1, 2, 1));
        assert!(!r.counts.members.contains_key("Django Weblog"));
    }

    #[test]
    fn rules_leave_entries_already_stored_alone() {
        let f = planet(vec![entry("a", "Real Python: One", 1, "x")]);
        let (rs, _) = run(&[], &f, NOW, &Policy::default());
        let edited = planet(vec![entry("a", "Real Python: One, edited", 1, "x")]);
        let r =
            run_with(&rs, &edited, NOW + 1, &rules(vec![(Field::Member, "real", Action::Hide)]));
        assert_eq!(r.updated, vec!["a"]);
        assert!(!r.put[0].status.hidden && !r.put[0].status.read, "an edit is not an arrival");
        assert!(r.flagged.is_empty());
    }

    #[test]
    fn a_read_rule_keeps_another_profiles_unread_mark() {
        let f = planet(vec![entry("a", "Real Python: One", 1, "x")]);
        let prepared = prepare(
            &f,
            Some(DOC),
            &HashMap::new(),
            None,
            &rules(vec![(Field::Member, "real", Action::Read)]),
        );
        let marked_unread = |_: &str, _: Option<Millis>, arrived: Millis| EntryStatus {
            arrived,
            read: false,
            changed: Some(NOW - 5),
            ..EntryStatus::default()
        };
        let r = apply(&fid(), vec![], &prepared, NOW, &Policy::default(), marked_unread);
        assert!(!r.put[0].status.read, "the user's own mark elsewhere wins");
    }

    #[test]
    fn a_hidden_entry_stays_hidden_and_is_not_converted_again() {
        let f = planet(vec![entry("a", "Django Weblog: One", 1, "x")]);
        let hide = rules(vec![(Field::Member, "django", Action::Hide)]);
        let first = run_with(&[], &f, NOW, &hide);
        let stored = first.put.clone();
        let again = run_with(&stored, &f, NOW + 1, &hide);
        assert!(!again.changed(), "unchanged: nothing written");
        assert_eq!(again.unchanged, 1);
    }

    #[test]
    fn relative_urls_resolve_against_the_entry_link_unless_an_xml_base_is_set() {
        let body = r#"<p><img src="img/x.png" alt=""></p>"#;
        let plain = entry("a", "A: One", 1, body);
        let mut based = entry("b", "B: Two", 2, body);
        based.summary.as_mut().unwrap().base = Some("https://cdn.example.com/b/".into());
        let (_, r) = run(&[], &planet(vec![plain, based]), NOW, &Policy::default());
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
