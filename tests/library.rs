//! The library over the in-memory store: every view, its pages and counts, search, marks,
//! stars, retention through ingest, and the counts kept equal to a recount whatever
//! happens (a property test).

mod support;

use futures::executor::block_on;
use planet_reader::core::library::ingest::{prepare, Policy};
use planet_reader::core::library::memory::MemoryDb;
use planet_reader::core::library::record::{Counts, EntryRecord};
use planet_reader::core::library::view::{Cursor, Page, Scope, View};
use planet_reader::core::library::Library;
use planet_reader::core::parse::{parse, ParseContext};
use planet_reader::core::store::{EntryStatus, FeedId, Millis};
use proptest::prelude::*;
use std::collections::HashMap;
use support::{FIXTURE, START};

/// An RSS feed `title` whose items are `(guid, "Member: Title", day of April, body)`.
fn rss(title: &str, items: &[(&str, &str, u32, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, t, day, body)| {
            format!(
                "<item><title>{t}</title><guid>{guid}</guid><link>https://x.example/{guid}</link>\
                 <description>&lt;p&gt;{body}&lt;/p&gt;</description>\
                 <pubDate>{day:02} Apr 2026 10:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>")
}

fn unread(_: &str, _: Option<Millis>, arrived: Millis) -> EntryStatus {
    EntryStatus { arrived, ..EntryStatus::default() }
}

/// Ingest `body` into `feed` as a refresh does.
fn ingest(db: &MemoryDb, feed: &str, body: &str, now: Millis) {
    let lib = Library::new(db);
    let feed = FeedId(feed.into());
    let parsed = parse(body.as_bytes(), &ParseContext::default()).expect("a feed");
    let known = block_on(lib.known_hashes(&feed)).unwrap();
    let prepared =
        prepare(&parsed, None, &known, None, &planet_reader::core::rules::Rules::default());
    // The feed's state as a successful fetch records it (`core::refresh::record`).
    let mut state = block_on(lib.feed(&feed)).unwrap().map(|f| f.state).unwrap_or_default();
    state.last_error = None;
    block_on(lib.ingest(&feed, &state, &prepared, now, &Policy::default(), unread)).unwrap();
}

fn ids(page: &Page) -> Vec<String> {
    page.entries.iter().map(|r| r.id.clone()).collect()
}

/// Two Planet feeds: "p" with 5 entries by two members, "q" ("Planet Pythonistas") with 3.
fn two_feeds() -> MemoryDb {
    let db = MemoryDb::new();
    let p = rss(
        "Planet P",
        &[
            ("p1", "Real Python: Decorators", 1, "wrapping functions"),
            ("p2", "Django Weblog: Release 6.0", 2, "async views arrive"),
            ("p3", "Real Python: Walrus", 3, "assignment expressions"),
            ("p4", "Django Weblog: Security", 4, "a patch release"),
            ("p5", "Real Python: Typing", 5, "protocols and generics"),
        ],
    );
    let q = rss(
        "Planet Pythonistas",
        &[
            ("q1", "Talk Python: Episode 1", 6, "an interview"),
            ("q2", "Talk Python: Episode 2", 7, "about walrus operators"),
            ("q3", "Real Python: Testing", 8, "pytest fixtures"),
        ],
    );
    ingest(&db, "p", &p, START);
    ingest(&db, "q", &q, START);
    db
}

fn page(db: &MemoryDb, view: &View, after: Option<&Cursor>, limit: usize) -> Page {
    block_on(Library::new(db).page(view, after, limit)).unwrap()
}

#[test]
fn every_view_lists_its_entries_newest_first() {
    let db = two_feeds();
    let all = page(&db, &View::default(), None, 100);
    assert_eq!(ids(&all), ["q3", "q2", "q1", "p5", "p4", "p3", "p2", "p1"]);
    let feed = View::unread(Scope::Feed { feed: FeedId("p".into()) });
    assert_eq!(ids(&page(&db, &feed, None, 100)), ["p5", "p4", "p3", "p2", "p1"]);
    let member = View::unread(Scope::Member { member: "Real Python".into() });
    assert_eq!(ids(&page(&db, &member, None, 100)), ["q3", "p5", "p3", "p1"]);
    let starred = View::every(Scope::Starred);
    assert!(page(&db, &starred, None, 100).entries.is_empty());
}

#[test]
fn pages_follow_each_other_without_a_gap_or_a_repeat() {
    let db = two_feeds();
    let view = View::default();
    let first = page(&db, &view, None, 3);
    assert_eq!(ids(&first), ["q3", "q2", "q1"]);
    let second = page(&db, &view, first.next.as_ref(), 3);
    assert_eq!(ids(&second), ["p5", "p4", "p3"]);
    let third = page(&db, &view, second.next.as_ref(), 3);
    assert_eq!(ids(&third), ["p2", "p1"]);
    assert_eq!(third.next, None, "the last page says so");
}

#[test]
fn read_entries_leave_unread_views_and_stay_in_every_entry_views() {
    let db = two_feeds();
    let lib = Library::new(&db);
    let key = (FeedId("p".into()), "p3".to_string());
    let changed = block_on(lib.update(std::slice::from_ref(&key), |r| {
        r.status.read = true;
        true
    }))
    .unwrap();
    assert_eq!(changed.len(), 1);
    assert!(!ids(&page(&db, &View::default(), None, 100)).contains(&"p3".to_string()));
    assert!(ids(&page(&db, &View::every(Scope::All), None, 100)).contains(&"p3".to_string()));
    let member = View::every(Scope::Member { member: "Real Python".into() });
    assert_eq!(ids(&page(&db, &member, None, 100)), ["q3", "p5", "p3", "p1"]);
    // The counts moved with it, in the same transaction.
    let feeds = block_on(lib.feeds()).unwrap();
    let p = feeds.iter().find(|f| f.id.0 == "p").unwrap();
    assert_eq!((p.counts.unread, p.counts.total), (4, 5));
    assert_eq!(p.counts.members["Real Python"].unread, 2);
    assert_eq!(View::default().count(&feeds), Some(7));
    assert_eq!(View::unread(Scope::Member { member: "Real Python".into() }).count(&feeds), Some(3));
}

#[test]
fn starred_entries_form_a_view_and_unread_starred_ones_are_filtered() {
    let db = two_feeds();
    let lib = Library::new(&db);
    for (feed, id, read) in [("p", "p1", true), ("q", "q2", false)] {
        let key = (FeedId(feed.into()), id.to_string());
        block_on(lib.update(&[key], |r| {
            r.status.starred = true;
            r.status.read = read;
            true
        }))
        .unwrap();
    }
    assert_eq!(ids(&page(&db, &View::every(Scope::Starred), None, 100)), ["q2", "p1"]);
    assert_eq!(ids(&page(&db, &View::unread(Scope::Starred), None, 1)), ["q2"]);
    let feeds = block_on(lib.feeds()).unwrap();
    assert_eq!(View::every(Scope::Starred).count(&feeds), Some(2));
}

#[test]
fn search_finds_words_of_the_title_member_feed_and_content() {
    let db = two_feeds();
    let search = |text: &str| {
        let view = View { search: Some(text.into()), ..View::every(Scope::All) };
        ids(&page(&db, &view, None, 100))
    };
    assert_eq!(search("walrus "), ["q2", "p3"], "title of one, content of the other");
    assert_eq!(search("fixtures"), ["q3"], "a word only in the content");
    assert_eq!(search("talk python"), ["q2", "q1"], "two words, the member's");
    assert_eq!(search("pythonistas"), ["q3", "q2", "q1"], "the feed's title");
    assert_eq!(search("deco"), ["p1"], "the word being typed matches its start");
    assert_eq!(search("walrus episode"), ["q2"], "every word must match");
    assert!(search("nothing-like-this").is_empty());
    // Within a view: unread only, one member.
    let view = View {
        search: Some("walrus".into()),
        ..View::unread(Scope::Member { member: "Real Python".into() })
    };
    assert_eq!(ids(&page(&db, &view, None, 100)), ["p3"]);
}

#[test]
fn search_results_come_in_pages_too() {
    let db = MemoryDb::new();
    let items: Vec<(String, String, u32, String)> = (1..=25)
        .map(|i| (format!("e{i}"), format!("M: post {i}"), i, "common words".to_string()))
        .collect();
    let refs: Vec<(&str, &str, u32, &str)> =
        items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), *c, d.as_str())).collect();
    ingest(&db, "f", &rss("F", &refs), START);
    let view = View { search: Some("common ".into()), ..View::every(Scope::All) };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let p = page(&db, &view, after.as_ref(), 10);
        seen.extend(ids(&p));
        match p.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let expected: Vec<String> = (1..=25).rev().map(|i| format!("e{i}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_planet_python_fixture_goes_in_whole_and_is_counted() {
    let db = MemoryDb::new();
    ingest(&db, "planet", FIXTURE, START);
    let lib = Library::new(&db);
    let feeds = block_on(lib.feeds()).unwrap();
    let total = page(&db, &View::default(), None, 1000).entries.len() as u32;
    assert_eq!(total, 50);
    assert_eq!(
        feeds[0].counts,
        Counts::of(&block_on(lib.records(&FeedId("planet".into()))).unwrap())
    );
    let members: u32 = feeds[0].counts.members.values().map(|t| t.unread).sum();
    assert_eq!(members, 50, "every Planet entry has its member");
    // Ingesting the same document again writes nothing.
    let writes = db.writes();
    ingest(&db, "planet", FIXTURE, START + 1000);
    assert_eq!(db.writes().1, writes.1, "no record is written again");
}

#[test]
fn a_damaged_feed_record_says_so_and_an_ingest_heals_it() {
    let db = two_feeds();
    db.poke(
        planet_reader::core::library::db::StoreName::Feeds,
        planet_reader::core::library::record::FeedRecord::key(&FeedId("p".into())),
        serde_json::json!({"id": "p", "state": {"failures": "many"}}),
    );
    let feeds = block_on(Library::new(&db).feeds()).unwrap();
    let p = feeds.iter().find(|f| f.id.0 == "p").unwrap();
    assert!(matches!(
        p.state.last_error,
        Some(planet_reader::core::store::FeedError::Damaged { .. })
    ));
    // Its entries still list; the next ingest writes a good record with true counts.
    assert_eq!(
        page(&db, &View::unread(Scope::Feed { feed: p.id.clone() }), None, 9).entries.len(),
        5
    );
    ingest(&db, "p", &rss("Planet P", &[("p6", "Real Python: New", 9, "x")]), START + 1);
    let feeds = block_on(Library::new(&db).feeds()).unwrap();
    let p = feeds.iter().find(|f| f.id.0 == "p").unwrap();
    assert_eq!((p.counts.unread, p.state.last_error.clone()), (6, None));
}

/// What the property test does to the library.
#[derive(Clone, Debug)]
enum Op {
    /// Ingest feed `f` with entries `0..n` of generation `g` (an edit changes bodies).
    Ingest {
        f: u8,
        n: u8,
        g: u8,
    },
    Mark {
        f: u8,
        e: u8,
        read: bool,
    },
    Star {
        f: u8,
        e: u8,
        on: bool,
    },
    Remove {
        f: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3u8, 0..12u8, 0..3u8).prop_map(|(f, n, g)| Op::Ingest { f, n, g }),
        (0..3u8, 0..12u8, any::<bool>()).prop_map(|(f, e, read)| Op::Mark { f, e, read }),
        (0..3u8, 0..12u8, any::<bool>()).prop_map(|(f, e, on)| Op::Star { f, e, on }),
        (0..3u8).prop_map(|f| Op::Remove { f }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever happens, each feed's counts and hashes are its records', every view lists
    /// exactly the records it admits, and a small retention cap holds.
    #[test]
    fn counts_and_views_always_agree_with_the_records(ops in proptest::collection::vec(op(), 1..40)) {
        let db = MemoryDb::new();
        let lib = Library::new(&db);
        let policy = Policy { max_entries: 8, ..Policy::default() };
        let mut now = START;
        for op in ops {
            now += 60_000;
            match op {
                Op::Ingest { f, n, g } => {
                    let items: Vec<(String, String, u32, String)> = (0..n)
                        .map(|e| (format!("{f}-{e}"), format!("M{}: T{e}", e % 3), 1 + e as u32, format!("b{g}")))
                        .collect();
                    let refs: Vec<(&str, &str, u32, &str)> =
                        items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), *c, d.as_str())).collect();
                    let feed = FeedId(format!("f{f}"));
                    let parsed = parse(rss("F", &refs).as_bytes(), &ParseContext::default()).unwrap();
                    let known = block_on(lib.known_hashes(&feed)).unwrap();
                    let prepared = prepare(&parsed, None, &known, None, &planet_reader::core::rules::Rules::default());
                    let state = block_on(lib.feed(&feed)).unwrap().map(|f| f.state).unwrap_or_default();
                    block_on(lib.ingest(&feed, &state, &prepared, now, &policy, unread)).unwrap();
                }
                Op::Mark { f, e, read } => {
                    let key = (FeedId(format!("f{f}")), format!("{f}-{e}"));
                    block_on(lib.update(&[key], |r| { r.status.read = read; true })).unwrap();
                }
                Op::Star { f, e, on } => {
                    let key = (FeedId(format!("f{f}")), format!("{f}-{e}"));
                    block_on(lib.update(&[key], |r| { r.status.starred = on && r.entry.is_some(); true })).unwrap();
                }
                Op::Remove { f } => block_on(lib.remove_feed(&FeedId(format!("f{f}")))).unwrap(),
            }
            let feeds = block_on(lib.feeds()).unwrap();
            let mut all: HashMap<String, Vec<EntryRecord>> = HashMap::new();
            for f in &feeds {
                let records = block_on(lib.records(&f.id)).unwrap();
                prop_assert_eq!(&f.counts, &Counts::of(&records));
                let hashes: HashMap<String, String> = records
                    .iter()
                    .filter_map(|r| r.entry.as_ref().map(|e| (r.id.clone(), e.hash.clone())))
                    .collect();
                prop_assert_eq!(block_on(lib.known_hashes(&f.id)).unwrap(), hashes);
                let kept = records.iter().filter(|r| r.entry.is_some() && !r.status.starred).count();
                prop_assert!(kept <= policy.max_entries, "{} kept", kept);
                all.insert(f.id.0.clone(), records);
            }
            for view in [View::default(), View::every(Scope::All), View::every(Scope::Starred),
                         View::unread(Scope::Member { member: "M1".into() }),
                         View::every(Scope::Feed { feed: FeedId("f1".into()) })] {
                let listed = ids(&page(&db, &view, None, 1000));
                let mut expected: Vec<&EntryRecord> =
                    all.values().flatten().filter(|r| view.admits(r)).collect();
                expected.sort_by_key(|r| (std::cmp::Reverse(r.time()), r.feed.clone(), r.id.clone()));
                let expected: Vec<String> = expected.iter().map(|r| r.id.clone()).collect();
                prop_assert_eq!(listed, expected, "{:?}", view);
            }
        }
    }
}
