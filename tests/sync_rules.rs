//! One test per conflict rule of `core::sync`, and the conversions with the local model.
//! Each scenario merges in both orders: the rule must not depend on who hears first.

use planet_reader::core::store::{
    EntryStatus, FeedId, Millis, StatusMap, StoredEntry, Subscription, HOUR,
};
use planet_reader::core::sync::{Device, SyncState};

const T: Millis = 1_760_000_000_000; // some time in October 2025
const S: Millis = 1_000;

fn a() -> Device {
    Device::new("profile-a")
}
fn b() -> Device {
    Device::new("profile-b")
}

fn sub(url: &str, added: Millis) -> Subscription {
    Subscription { id: FeedId::for_url(url), url: url.into(), title: None, folder: None, added }
}

const PLANET: &str = "https://planetpython.org/rss20.xml";

fn feed() -> FeedId {
    FeedId::for_url(PLANET)
}

/// Merge in both orders; they must agree.
fn both(x: &SyncState, y: &SyncState) -> SyncState {
    let xy = x.merged(y);
    assert_eq!(xy, y.merged(x), "merge depends on order");
    xy
}

fn live(s: &SyncState) -> Vec<String> {
    s.subscriptions().into_iter().map(|s| s.url).collect()
}

fn read(s: &SyncState, id: &str, date: Millis) -> Option<bool> {
    s.read_state(&feed(), id, date).map(|m| m.read)
}

// ---- subscriptions ------------------------------------------------------------------------

#[test]
fn two_profiles_subscribing_one_url_meet_at_one_feed() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T), T, a());
    let mut y = SyncState::new();
    // Another spelling of the same URL: the id is of the normalized URL.
    y.subscribe(&sub("HTTPS://PlanetPython.org:443/rss20.xml#top", T + S), T + S, b());
    let m = both(&x, &y);
    assert_eq!(m.subscriptions().len(), 1);
    assert_eq!(m.stats().subscriptions, 1);
}

#[test]
fn an_unsubscribe_newer_than_the_subscribe_wins() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T), T, a());
    let mut y = x.clone();
    y.unsubscribe(&feed(), T + 10 * S, b());
    x.rename(&feed(), Some("Python"), T + 5 * S, a()); // older than the unsubscribe
    let m = both(&x, &y);
    assert!(live(&m).is_empty());
    assert!(m.record(&feed()).unwrap().is_tombstone());
}

#[test]
fn a_subscribe_newer_than_the_tombstone_wins() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T), T, a());
    x.unsubscribe(&feed(), T + 10 * S, a());
    let mut y = x.clone();
    y.subscribe(&sub(PLANET, T + 20 * S), T + 20 * S, b());
    x.unsubscribe(&feed(), T + 15 * S, a()); // again, but older than the re-subscribe
    let m = both(&x, &y);
    assert_eq!(live(&m), [PLANET]);
    assert_eq!(m.subscriptions()[0].added, T + 20 * S);
}

#[test]
fn subscribe_and_unsubscribe_in_the_same_second_have_one_winner_everywhere() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T), T, a());
    let mut y = SyncState::new();
    y.unsubscribe(&feed(), T + 400, b()); // same second
    let m = both(&x, &y);
    // The device tag breaks the tie; whichever wins, it wins on both sides.
    let winner = if a().tag() > b().tag() { 1 } else { 0 };
    assert_eq!(live(&m).len(), winner);
}

#[test]
fn rename_and_move_are_separate_fields_each_newest_wins() {
    let mut base = SyncState::new();
    base.subscribe(&sub(PLANET, T), T, a());
    let mut x = base.clone();
    let mut y = base.clone();
    x.rename(&feed(), Some("Old name"), T + S, a());
    y.rename(&feed(), Some("New name"), T + 2 * S, b());
    x.move_to_folder(&feed(), Some("Python"), T + 3 * S, a());
    let m = both(&x, &y);
    let s = &m.subscriptions()[0];
    assert_eq!(s.title.as_deref(), Some("New name"));
    assert_eq!(s.folder.as_deref(), Some("Python"));
    // Moving out of a folder later is a change too, not an absence.
    y.move_to_folder(&feed(), None, T + 4 * S, b());
    assert_eq!(both(&m, &y).subscriptions()[0].folder, None);
}

#[test]
fn a_redirect_moves_the_url_but_not_the_identity() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T), T, a());
    let mut y = x.clone();
    y.change_url(&feed(), "https://planetpython.org/rss.xml", T + S, b());
    let m = both(&x, &y);
    assert_eq!(live(&m), ["https://planetpython.org/rss.xml"]);
    assert_eq!(m.subscriptions()[0].id, feed());
}

#[test]
fn a_local_change_wins_over_a_clock_that_runs_ahead() {
    let mut x = SyncState::new();
    x.subscribe(&sub(PLANET, T + HOUR), T + HOUR, a()); // a's clock is an hour fast
    let mut y = x.clone();
    y.unsubscribe(&feed(), T, b()); // b, after seeing it, unsubscribes
    assert!(live(&both(&x, &y)).is_empty());
    y.mark(&feed(), "e1", T, true, T + HOUR);
    let mut z = y.clone();
    z.mark(&feed(), "e1", T, false, T); // seen, then undone "earlier"
    assert_eq!(read(&both(&y, &z), "e1", T), Some(false));
}

#[test]
fn titles_are_capped() {
    let mut x = SyncState::new();
    let long = "x".repeat(1000);
    x.subscribe(&Subscription { title: Some(long.clone()), ..sub(PLANET, T) }, T, a());
    let t = x.subscriptions()[0].title.clone().unwrap();
    assert_eq!(t.chars().count(), planet_reader::core::sync::MAX_TITLE_CHARS);
}

// ---- read state ---------------------------------------------------------------------------

#[test]
fn the_newest_mark_wins_read_against_unread() {
    let mut x = SyncState::new();
    x.mark(&feed(), "e1", T, true, T + 10 * S);
    let mut y = SyncState::new();
    y.mark(&feed(), "e1", T, false, T + 20 * S);
    assert_eq!(read(&both(&x, &y), "e1", T), Some(false));
    x.mark(&feed(), "e1", T, true, T + 30 * S);
    assert_eq!(read(&both(&x, &y), "e1", T), Some(true));
}

#[test]
fn read_wins_a_tie_in_the_same_second() {
    let mut x = SyncState::new();
    x.mark(&feed(), "e1", T, true, T + 100);
    let mut y = SyncState::new();
    y.mark(&feed(), "e1", T, false, T + 900);
    assert_eq!(read(&both(&x, &y), "e1", T), Some(true));
}

#[test]
fn toggling_twice_in_one_second_keeps_the_last_toggle() {
    let mut x = SyncState::new();
    x.mark(&feed(), "e1", T, true, T);
    x.mark(&feed(), "e1", T, false, T + 200);
    assert_eq!(read(&x, "e1", T), Some(false));
    x.mark(&feed(), "e1", T, true, T + 400);
    assert_eq!(read(&x, "e1", T), Some(true));
    // The stamps moved at most a second or two ahead of the clock.
    assert!(x.read_state(&feed(), "e1", T).unwrap().at <= T + 2 * S);
}

#[test]
fn a_watermark_reads_everything_dated_up_to_it_and_compacts_the_marks_it_implies() {
    let mut x = SyncState::new();
    for i in 0..10 {
        x.mark(&feed(), &format!("e{i}"), T + i * HOUR, i % 2 == 0, T + 20 * HOUR);
    }
    assert_eq!(x.stats().read_marks + x.stats().unread_marks, 10);
    x.mark_read_up_to(&feed(), T + 5 * HOUR, T + 21 * HOUR);
    for i in 0..=5 {
        assert_eq!(read(&x, &format!("e{i}"), T + i * HOUR), Some(true), "e{i}");
    }
    assert_eq!(read(&x, "e7", T + 7 * HOUR), Some(false));
    // Only the marks above the watermark are left.
    assert_eq!(x.stats().read_marks + x.stats().unread_marks, 4);
    // An entry never seen before but dated under the watermark is read.
    assert_eq!(read(&x, "later", T + HOUR), Some(true));
    assert_eq!(read(&x, "later", T + 6 * HOUR), None);
}

#[test]
fn an_unread_exception_newer_than_the_watermark_survives_an_older_one_does_not() {
    let mut x = SyncState::new();
    x.mark_read_up_to(&feed(), T + 10 * HOUR, T + 20 * HOUR);
    let mut y = SyncState::new();
    y.mark(&feed(), "newer", T + HOUR, false, T + 21 * HOUR);
    y.mark(&feed(), "older", T + HOUR, false, T + 19 * HOUR);
    let m = both(&x, &y);
    assert_eq!(read(&m, "newer", T + HOUR), Some(false));
    assert_eq!(read(&m, "older", T + HOUR), Some(true));
    assert_eq!(m.stats().unread_marks, 1, "the overridden exception is compacted away");
}

#[test]
fn concurrent_watermarks_keep_both_meanings() {
    // a: everything up to day 10 read at hour 30; b (an older view): up to day 20 at hour 25.
    let day = 24 * HOUR;
    let mut x = SyncState::new();
    x.mark_read_up_to(&feed(), T + 10 * day, T + 30 * HOUR);
    let mut y = SyncState::new();
    y.mark_read_up_to(&feed(), T + 20 * day, T + 25 * HOUR);
    let mut z = SyncState::new();
    z.mark(&feed(), "low", T + 5 * day, false, T + 27 * HOUR);
    z.mark(&feed(), "high", T + 15 * day, false, T + 27 * HOUR);
    let m = both(&both(&x, &y), &z);
    assert_eq!(m.merged(&x.merged(&y.merged(&z))), m);
    // Under day 10, a's later step overrides the unread made at hour 27.
    assert_eq!(read(&m, "low", T + 5 * day), Some(true));
    // Between day 10 and 20 only b's earlier step covers it: the unread survives.
    assert_eq!(read(&m, "high", T + 15 * day), Some(false));
    assert_eq!(m.feed_read(&feed()).unwrap().steps().len(), 2);
}

#[test]
fn mark_all_read_beats_an_unread_mark_from_a_clock_ahead() {
    let mut x = SyncState::new();
    x.mark(&feed(), "e1", T, false, T + HOUR); // stamped an hour ahead
    x.mark_read_up_to(&feed(), T + S, T);
    assert_eq!(read(&x, "e1", T), Some(true));
}

#[test]
fn an_entry_whose_date_changed_upstream_is_still_one_entry() {
    let mut x = SyncState::new();
    x.mark(&feed(), "e1", T, true, T + 10 * S);
    let mut y = SyncState::new();
    y.mark(&feed(), "e1", T + HOUR, false, T + 20 * S); // b saw it with another date
    let m = both(&x, &y);
    assert_eq!(read(&m, "e1", T), Some(false));
    assert_eq!(read(&m, "e1", T + HOUR), Some(false));
}

#[test]
fn compaction_forgets_old_marks_on_every_replica_but_keeps_the_watermark() {
    let day = 24 * HOUR;
    let mut x = SyncState::new();
    x.mark(&feed(), "old", T, true, T);
    x.mark(&feed(), "new", T + 100 * day, true, T + 100 * day);
    x.mark_read_up_to(&feed(), T - day, T);
    let y = x.clone();
    x.compact(T + 120 * day, 90 * day);
    assert_eq!(read(&x, "old", T), None);
    assert_eq!(read(&x, "new", T + 100 * day), Some(true));
    assert_eq!(read(&x, "older", T - 2 * day), Some(true));
    // The horizon travels with the state: merging an uncompacted replica brings nothing back.
    assert_eq!(both(&x, &y), x);
}

// ---- the local model ----------------------------------------------------------------------

fn entry(id: &str, date: Option<Millis>) -> StoredEntry {
    StoredEntry {
        id: id.into(),
        title: id.into(),
        member: None,
        link: None,
        date,
        updated: None,
        enclosures: vec![],
        hash: String::new(),
    }
}

fn status(read: bool, changed: Option<Millis>) -> EntryStatus {
    EntryStatus { arrived: T, read, changed, ..Default::default() }
}

#[test]
fn applying_subscriptions_adds_removes_updates_and_keeps_unknown_ones() {
    let mut s = SyncState::new();
    s.subscribe(&sub("https://a.org/feed", T), T, b());
    s.subscribe(&sub("https://b.org/feed", T), T, b());
    s.unsubscribe(&FeedId::for_url("https://b.org/feed"), T + S, b());
    s.subscribe(&sub("https://c.org/feed", T), T, b());
    s.rename(&FeedId::for_url("https://c.org/feed"), Some("C"), T + S, b());
    let local = vec![
        sub("https://b.org/feed", T - HOUR),
        sub("https://c.org/feed", T - HOUR),
        sub("https://d.org/feed", T - HOUR),
    ];
    let ch = s.apply_subscriptions(&local);
    assert_eq!(ch.added, [FeedId::for_url("https://a.org/feed")]);
    assert_eq!(ch.removed, [FeedId::for_url("https://b.org/feed")]);
    assert_eq!(ch.updated, [FeedId::for_url("https://c.org/feed")]);
    assert_eq!(ch.unknown, [FeedId::for_url("https://d.org/feed")]);
    let urls: Vec<&str> = ch.subscriptions.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://c.org/feed", "https://d.org/feed", "https://a.org/feed"]);
    assert_eq!(ch.subscriptions[0].title.as_deref(), Some("C"));
    assert_eq!(ch.subscriptions[0].added, T - HOUR, "a local field sync does not carry stays");
    // Recording the unknown one makes the next apply a no-op.
    let mut s2 = s.clone();
    assert_eq!(s2.record_local_subscriptions(&ch.subscriptions, a()), 1);
    let again = s2.apply_subscriptions(&ch.subscriptions);
    assert!(!again.changes_anything() && again.unknown.is_empty(), "{again:?}");
}

#[test]
fn recording_local_subscriptions_does_not_undo_a_newer_unsubscribe() {
    let mut s = SyncState::new();
    s.unsubscribe(&feed(), T, b());
    s.record_local_subscriptions(&[sub(PLANET, T - HOUR)], a());
    assert!(s.subscriptions().is_empty());
    s.record_local_subscriptions(&[sub(PLANET, T + HOUR)], a());
    assert_eq!(s.subscriptions().len(), 1, "a later local subscribe wins");
}

#[test]
fn applying_read_state_changes_only_what_sync_knows_newer() {
    let mut s = SyncState::new();
    s.mark(&feed(), "remote-read", T, true, T + 10 * S);
    s.mark(&feed(), "local-newer", T, true, T + 10 * S);
    s.mark_read_up_to(&feed(), T - HOUR, T + 5 * S);
    let entries = vec![
        entry("remote-read", Some(T)),
        entry("local-newer", Some(T)),
        entry("covered", Some(T - 2 * HOUR)),
        entry("untouched", Some(T)),
    ];
    let mut local = StatusMap::new();
    local.insert("remote-read".into(), status(false, None));
    local.insert("local-newer".into(), status(false, Some(T + 20 * S)));
    local.insert("covered".into(), status(false, None));
    local.insert("untouched".into(), status(false, None));
    local.insert(
        "gone".into(),
        EntryStatus { arrived: T - 3 * HOUR, read: false, changed: None, ..Default::default() },
    );
    let changed = s.apply_read_state(&feed(), &entries, &mut local);
    assert_eq!(changed, ["covered", "gone", "remote-read"]);
    assert!(local["remote-read"].read && local["covered"].read);
    assert_eq!(local["remote-read"].changed, Some(T + 10 * S));
    assert!(!local["local-newer"].read && !local["untouched"].read);
    // The newer local change is what recording picks up.
    assert_eq!(s.record_local_read_state(&feed(), &entries, &local), 1);
    assert!(!s.read_state(&feed(), "local-newer", T).unwrap().read);
    assert!(s.apply_read_state(&feed(), &entries, &mut local).is_empty());
}

#[test]
fn mark_all_read_never_puts_the_watermark_over_an_unread_entry() {
    // Local state after "mark all read" of what had arrived: one entry arrived later and
    // is still unread, dated in the same second as a read one.
    let entries = vec![
        entry("e1", Some(T)),
        entry("e2", Some(T + HOUR)),
        entry("e3", Some(T + 2 * HOUR + 100)),
        entry("late", Some(T + 2 * HOUR + 900)),
        entry("e4", Some(T + 3 * HOUR)),
        entry("undated", None),
    ];
    let mut local = StatusMap::new();
    for e in &entries {
        local.insert(e.id.clone(), status(e.id != "late", Some(T + 4 * HOUR)));
    }
    let mut s = SyncState::new();
    s.mark_all_read(&feed(), &entries, &local, T + 4 * HOUR);
    let steps = s.feed_read(&feed()).unwrap().steps().to_vec();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].upto * 1000, T + HOUR, "stops a second before the first unread");
    // Another profile with the same entries, all unread, ends with the same read set.
    let mut other = StatusMap::new();
    for e in &entries {
        other.insert(e.id.clone(), status(false, None));
    }
    s.apply_read_state(&feed(), &entries, &mut other);
    for e in &entries {
        assert_eq!(other[&e.id].read, local[&e.id].read, "{}", e.id);
    }
    // Only the two entries above the watermark needed a mark of their own.
    // (the undated one is dated by its arrival, T, which the watermark covers).
    assert_eq!(s.stats().read_marks, 2, "e3 and e4");
}

#[test]
fn folding_raises_the_watermark_only_over_settled_reads_with_no_gap() {
    let entries: Vec<StoredEntry> =
        (0..6).map(|i| entry(&format!("e{i}"), Some(T + i * HOUR))).collect();
    let mut local = StatusMap::new();
    let mut s = SyncState::new();
    for (i, e) in entries.iter().enumerate() {
        let read = i != 4;
        let at = T + 10 * HOUR + i as Millis * S;
        local.insert(e.id.clone(), status(read, Some(at)));
        if read {
            s.mark(&feed(), &e.id, T + i as Millis * HOUR, true, at);
        }
    }
    // Too recent: an unread made elsewhere in the meantime may still be on its way.
    assert!(!s.fold_read_prefix(&feed(), &entries, &local, T + 10 * HOUR + 30 * S, HOUR));
    let mut other = s.clone();
    other.mark(&feed(), "e1", T + HOUR, false, T + 10 * HOUR + 20 * S); // newer than its read
    let now = T + 12 * HOUR;
    assert!(s.fold_read_prefix(&feed(), &entries, &local, now, HOUR));
    assert!(!s.fold_read_prefix(&feed(), &entries, &local, now, HOUR), "nothing more to fold");
    let steps = s.feed_read(&feed()).unwrap().steps().to_vec();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].upto * 1000, T + 3 * HOUR, "up to the entry below the unread one");
    assert_eq!(steps[0].at * 1000, T + 10 * HOUR + 3 * S, "stamped with the newest folded mark");
    assert_eq!(s.stats().read_marks, 1, "only e5 is left above the unread e4");
    // A later unread from elsewhere still wins over the folded watermark.
    assert_eq!(read(&both(&s, &other), "e1", T + HOUR), Some(false));
    assert_eq!(read(&both(&s, &other), "e2", T + 2 * HOUR), Some(true));
    // A read entry that sync does not know of stops the fold.
    let mut unknown = SyncState::new();
    unknown.mark(&feed(), "e1", T + HOUR, true, T);
    assert!(!unknown.fold_read_prefix(&feed(), &entries, &local, now, HOUR));
}

#[test]
fn a_new_entry_starts_with_what_sync_knows() {
    let mut s = SyncState::new();
    s.mark_read_up_to(&feed(), T, T + HOUR);
    s.mark(&feed(), "marked-elsewhere", T + 2 * HOUR, true, T + 3 * HOUR);
    let st = s.initial_status(&feed(), "old", Some(T - HOUR), T + 5 * HOUR);
    assert!(st.read);
    assert_eq!(st.changed, Some(T + HOUR));
    assert!(s.initial_status(&feed(), "marked-elsewhere", Some(T + 2 * HOUR), T + 5 * HOUR).read);
    let fresh = s.initial_status(&feed(), "fresh", Some(T + 4 * HOUR), T + 5 * HOUR);
    assert_eq!(
        fresh,
        EntryStatus { arrived: T + 5 * HOUR, read: false, changed: None, ..Default::default() }
    );
    // Undated: its arrival is its date, so a watermark from before does not cover it.
    assert!(!s.initial_status(&feed(), "undated", None, T + 5 * HOUR).read);
}

#[test]
fn the_replica_round_trips_through_storage_local_json_without_loss() {
    let mut s = SyncState::new();
    s.subscribe(
        &Subscription {
            title: Some("Py <3".into()),
            folder: Some("Ünïcode".into()),
            ..sub(PLANET, T)
        },
        T,
        a(),
    );
    s.subscribe(&sub("http://x.org/rss", T), T, a());
    s.unsubscribe(&FeedId::for_url("http://x.org/rss"), T + S, b());
    s.mark(&feed(), "e1", T, true, T + S);
    s.mark(&feed(), "e2", T - HOUR, false, T + S);
    s.mark_read_up_to(&feed(), T - 2 * HOUR, T);
    s.compact(T, 1000 * HOUR);
    let json = serde_json::to_value(&s).unwrap();
    let back: SyncState = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, s);
    // The tombstone keeps its fields locally (they are only left out of storage.sync).
    assert!(back.record(&FeedId::for_url("http://x.org/rss")).unwrap().url().is_some());
    let newer = serde_json::json!({"v": 99});
    assert!(serde_json::from_value::<SyncState>(newer).is_err());
}

// ---- stars --------------------------------------------------------------------------------

fn starred(s: &SyncState, id: &str) -> Option<bool> {
    s.star_state(&feed(), id).map(|m| m.starred)
}

#[test]
fn the_newest_star_or_unstar_wins_and_in_one_second_the_star_wins() {
    let mut x = SyncState::new();
    x.star(&feed(), "post", true, T);
    let mut y = SyncState::new();
    y.star(&feed(), "post", false, T + 5 * S);
    assert_eq!(starred(&both(&x, &y), "post"), Some(false), "the later unstar wins");
    x.star(&feed(), "post", true, T + 9 * S);
    assert_eq!(starred(&both(&x, &y), "post"), Some(true), "a star again after it wins");
    let (mut p, mut q) = (SyncState::new(), SyncState::new());
    p.star(&feed(), "tie", true, T);
    q.star(&feed(), "tie", false, T + 300); // the same second
    assert_eq!(starred(&both(&p, &q), "tie"), Some(true));
}

#[test]
fn a_star_toggled_twice_in_one_second_keeps_its_order() {
    let mut s = SyncState::new();
    s.star(&feed(), "post", true, T);
    s.star(&feed(), "post", false, T + 10);
    assert_eq!(starred(&s, "post"), Some(false));
    s.star(&feed(), "post", true, T + 20);
    assert_eq!(starred(&s, "post"), Some(true));
}

#[test]
fn stars_of_an_unsubscribed_feed_stay_home_and_old_stars_are_never_compacted() {
    let mut s = SyncState::new();
    s.subscribe(&sub(PLANET, T), T, a());
    s.star(&feed(), "old", true, T);
    s.mark(&feed(), "old", T - 400 * 24 * HOUR, true, T);
    s.compact(T + 365 * 24 * HOUR, 90 * 24 * HOUR);
    assert_eq!(starred(&s, "old"), Some(true), "a saved entry stays saved");
    assert!(s.read_state(&feed(), "old", T - 400 * 24 * HOUR).is_none(), "its read mark went");
    s.unsubscribe(&feed(), T + S, a());
    assert!(s.synced_view().feed_stars(&feed()).is_none());
    assert!(s.feed_stars(&feed()).is_some(), "kept in the replica");
}

#[test]
fn applying_stars_changes_only_what_sync_knows_newer_and_new_entries_arrive_starred() {
    let mut s = SyncState::new();
    s.star(&feed(), "remote-star", true, T + 10 * S);
    s.star(&feed(), "local-newer", true, T + 10 * S);
    s.star(&feed(), "unstarred-elsewhere", false, T + 10 * S);
    let mut local = StatusMap::new();
    local.insert("remote-star".into(), status(false, None));
    local.insert(
        "local-newer".into(),
        EntryStatus { star_changed: Some(T + 20 * S), ..status(false, None) },
    );
    local.insert(
        "unstarred-elsewhere".into(),
        EntryStatus { starred: true, star_changed: Some(T), ..status(false, None) },
    );
    local.insert("untouched".into(), status(false, None));
    let changed = s.apply_star_state(&feed(), &mut local);
    assert_eq!(changed, ["remote-star", "unstarred-elsewhere"]);
    assert!(local["remote-star"].starred && !local["unstarred-elsewhere"].starred);
    assert_eq!(local["remote-star"].star_changed, Some(T + 10 * S));
    assert!(!local["local-newer"].starred && !local["untouched"].starred);
    // The newer local change is what recording picks up.
    assert_eq!(s.record_local_star_state(&feed(), &local), 1);
    assert_eq!(starred(&s, "local-newer"), Some(false));
    assert!(s.apply_star_state(&feed(), &mut local).is_empty());
    // An entry that arrives later (fetched on this profile after the star was made
    // elsewhere) starts starred, whatever its read state.
    let fresh = s.initial_status(&feed(), "remote-star", Some(T), T + HOUR);
    assert!(fresh.starred && !fresh.read);
    assert_eq!(fresh.star_changed, Some(T + 10 * S));
    assert!(!s.initial_status(&feed(), "nobody", Some(T), T + HOUR).starred);
}
