//! `core::sync` against `storage.sync`'s limits: the worst case of 500 feeds of 1,000
//! entries, trimming under pressure, minimal diffs, the write guard between profiles, and
//! the write scheduler. Run with `--nocapture` to see the sizes quoted in the module docs.

use planet_reader::core::store::{
    EntryStatus, FeedId, Millis, StatusMap, StoredEntry, Subscription, DAY, HOUR, MINUTE,
};
use planet_reader::core::sync::item_bytes;
use planet_reader::core::sync::{
    decode, diff, encode, plan_write, when_to_write, within, Cause, Device, Items, Quota,
    SyncState, WriteLimits, WriteWhen, FORMAT_VERSION,
};

const T: Millis = 1_760_000_000_000;
const FEEDS: usize = 500;
const ENTRIES: usize = 1000;

fn dev() -> Device {
    Device::new("b0f3e1d2-profile")
}

/// A heavy subscription: a 60-byte URL, a user title and a folder on every feed.
fn subscription(i: usize) -> Subscription {
    let url = format!("https://blog-{i:03}.example-planet.org/feeds/posts/default.rss2");
    assert_eq!(url.len(), 60);
    Subscription {
        id: FeedId::for_url(&url),
        url,
        title: Some(format!("A blog about Python, number {i:03}")),
        folder: Some(format!("Folder {}", i % 20)),
        added: T - 400 * DAY,
    }
}

fn subscribed() -> (SyncState, Vec<Subscription>) {
    let mut s = SyncState::new();
    let subs: Vec<Subscription> = (0..FEEDS).map(subscription).collect();
    for sub in &subs {
        s.subscribe(sub, sub.added, dev());
    }
    (s, subs)
}

/// Entry `e` of a feed is dated `e` × 6 hours back (1,000 entries span 250 days) and was
/// read a few hours after it appeared.
fn entry_date(e: usize) -> Millis {
    T - e as Millis * 6 * HOUR
}

fn read_at(f: usize, e: usize) -> Millis {
    entry_date(e) + ((f * 7 + e * 13) % 48) as Millis * HOUR + 1234
}

fn unlimited() -> Quota {
    Quota { bytes: usize::MAX, bytes_per_item: 8192, max_items: usize::MAX }
}

/// Encode within the quota, check it, and print the sizes (with the untrimmed size, unless
/// it is measured apart: encoding 7 MB takes seconds in a debug build).
fn report(name: &str, s: &SyncState) -> planet_reader::core::sync::Encoded {
    let full = encode(s, &unlimited());
    eprintln!("{name}: untrimmed {} bytes in {} items", full.bytes, full.items.len());
    report_trimmed(name, s)
}

fn report_trimmed(name: &str, s: &SyncState) -> planet_reader::core::sync::Encoded {
    let enc = encode(s, &Quota::default());
    eprintln!(
        "{name}: {:?}\n  encoded {} bytes in {} items; trimmed {:?}",
        s.stats(),
        enc.bytes,
        enc.items.len(),
        enc.trimmed
    );
    assert!(within(&enc.items, &Quota::default()));
    enc
}

fn subscription_bytes(items: &Items) -> usize {
    items
        .iter()
        .filter(|(k, _)| k.starts_with("~s"))
        .map(|(k, v)| planet_reader::core::sync::item_bytes(k, v))
        .sum()
}

#[test]
fn five_hundred_subscriptions_alone_fit_with_room_to_spare() {
    let (s, subs) = subscribed();
    let enc = report("500 subscriptions", &s);
    assert!(enc.trimmed.is_empty());
    let bytes = subscription_bytes(&enc.items);
    eprintln!("  subscriptions: {bytes} bytes, {} per feed", bytes / FEEDS);
    // Heavy subscriptions (every one renamed and in a folder) take under two thirds of
    // the quota: the rest is for read state.
    assert!(bytes < 68_000, "{bytes}");
    // Typical ones (45-byte URL, no user title nor folder) take about half that.
    let mut typical = SyncState::new();
    for i in 0..FEEDS {
        let url = format!("https://blog-{i:03}.example.org/feeds/atom10.xml");
        assert_eq!(url.len(), 45);
        let id = FeedId::for_url(&url);
        typical.subscribe(&Subscription { id, url, title: None, folder: None, added: T }, T, dev());
    }
    let t = report("500 typical subscriptions", &typical);
    eprintln!("  {} per feed", t.bytes / FEEDS);
    assert!(t.bytes < 40_000);
    assert_eq!(decode(&enc.items).unwrap().state.subscriptions(), {
        let mut v: Vec<Subscription> =
            subs.iter().map(|s| Subscription { added: s.added, ..s.clone() }).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    });
}

/// The first `feeds` of the 500, every one of their 1,000 entries read one by one.
fn read_one_by_one(feeds: usize) -> (SyncState, Vec<Subscription>) {
    let mut subs: Vec<Subscription> = (0..FEEDS).map(subscription).collect();
    subs.truncate(feeds);
    let mut s = SyncState::new();
    for (f, sub) in subs.iter().enumerate() {
        s.subscribe(sub, sub.added, dev());
        for e in 0..ENTRIES {
            let id = format!("tag:blog-{f},2025:post-{e}");
            s.mark(&sub.id, &id, entry_date(e), true, read_at(f, e));
        }
    }
    (s, subs)
}

/// The worst case: 500 feeds of 1,000 entries, every entry read one by one (no "mark all
/// read", so no watermark implies any of them): 500,000 read marks.
#[test]
fn the_worst_case_of_500_feeds_of_1000_entries_read_one_by_one_fits() {
    let (s, subs) = read_one_by_one(FEEDS);
    assert_eq!(s.stats().read_marks, FEEDS * ENTRIES);
    // Untrimmed it would take about 74 times the quota (measured on the first 10 feeds).
    let (ten, _) = read_one_by_one(10);
    let untrimmed = encode(&ten, &unlimited()).bytes * FEEDS / 10;
    eprintln!("worst case: untrimmed about {untrimmed} bytes");
    assert!(untrimmed > 70 * Quota::default().bytes, "{untrimmed}");
    let enc = report_trimmed("worst case", &s);
    let back = decode(&enc.items).unwrap().state;
    // Every subscription is kept, with its fields.
    assert_eq!(back.subscriptions().len(), FEEDS);
    assert!(enc.trimmed.subscriptions.is_empty() && enc.trimmed.feeds.is_empty());
    // The newest read marks are kept, the oldest left out, and the report says how many.
    let kept = back.stats().read_marks;
    assert_eq!(kept + enc.trimmed.read_marks, FEEDS * ENTRIES);
    assert!(kept > 1_500, "{kept}");
    let cut = enc.trimmed.read_marks_up_to.unwrap();
    for (f, sub) in subs.iter().enumerate().step_by(50) {
        let newest = back.read_state(&sub.id, &format!("tag:blog-{f},2025:post-0"), entry_date(0));
        assert!(newest.is_some_and(|m| m.read), "the newest entry's mark is kept");
        let oldest =
            back.read_state(&sub.id, &format!("tag:blog-{f},2025:post-999"), entry_date(999));
        assert_eq!(oldest, None, "the oldest entry's mark is left out, not turned unread");
    }
    let kept_dates =
        back.read_feeds().values().flat_map(|r| r.marks().keys().map(|k| k.date * 1000));
    assert!(kept_dates.min().unwrap() >= cut);
    let read_bytes: usize = enc.bytes - subscription_bytes(&enc.items);
    eprintln!(
        "  read state: {read_bytes} bytes for {kept} marks, {:.1} bytes a mark",
        read_bytes as f64 / kept as f64
    );
    eprintln!("  summary: {}", enc.trimmed.summary().unwrap());
}

/// The worst case with 2,000 stars besides (four a feed): every star is
/// kept, and read marks make the room for them.
#[test]
fn stars_are_kept_before_read_marks_when_the_quota_trims() {
    let (mut s, subs) = read_one_by_one(FEEDS);
    for (f, sub) in subs.iter().enumerate() {
        for e in 0..4 {
            let id = format!("tag:blog-{f},2025:post-{}", 200 + e * 100);
            s.star(&sub.id, &id, true, read_at(f, e));
        }
    }
    assert_eq!(s.stats().stars, FEEDS * 4);
    let enc = report_trimmed("worst case with stars", &s);
    let back = decode(&enc.items).unwrap().state;
    assert_eq!(back.stats().stars, FEEDS * 4, "every star is kept");
    assert_eq!(enc.trimmed.stars, 0);
    assert!(enc.trimmed.read_marks > 0 && back.stats().read_marks > 0);
    assert_eq!(back.subscriptions().len(), FEEDS);
    let star_bytes: usize =
        enc.items.iter().filter(|(k, _)| k.starts_with("~t")).map(|(k, v)| item_bytes(k, v)).sum();
    eprintln!("  stars: {star_bytes} bytes for {} stars", FEEDS * 4);
    assert!(enc.trimmed.summary().unwrap().contains("older entries"));
}

/// The same worst case on a profile that folds settled read marks into the watermark
/// (`fold_read_prefix`, once a day), where one feed in ten has a recent entry marked
/// unread again: nothing needs trimming.
#[test]
fn folding_settled_read_marks_makes_the_worst_case_fit_whole() {
    let (mut s, subs) = subscribed();
    let mut folded = 0;
    let unread = |f: usize, e: usize| f.is_multiple_of(10) && e == 3;
    for (f, sub) in subs.iter().enumerate() {
        let mut entries = Vec::new();
        let mut status = StatusMap::new();
        for e in 0..ENTRIES {
            let id = format!("tag:blog-{f},2025:post-{e}");
            s.mark(&sub.id, &id, entry_date(e), true, read_at(f, e));
            if unread(f, e) {
                s.mark(&sub.id, &id, entry_date(e), false, T);
            }
            entries.push(stored(&id, entry_date(e)));
            let st = EntryStatus {
                arrived: entry_date(e),
                read: !unread(f, e),
                changed: Some(T),
                ..Default::default()
            };
            status.insert(id, st);
        }
        folded += usize::from(s.fold_read_prefix(&sub.id, &entries, &status, T + 3 * DAY, DAY));
    }
    assert_eq!(folded, FEEDS);
    let enc = report("worst case, folded", &s);
    assert!(enc.trimmed.is_empty());
    // What is left: a watermark per feed, and in one feed in ten the marks above the
    // unread entry 3.
    assert_eq!(s.stats().watermark_steps, FEEDS);
    assert_eq!(s.stats().read_marks, FEEDS / 10 * 3);
    assert_eq!(s.stats().unread_marks, FEEDS / 10);
    let back = decode(&enc.items).unwrap().state;
    assert_eq!(back, s);
    for (f, sub) in subs.iter().enumerate().step_by(5) {
        for e in [0, 2, 3, 4, 999] {
            let m = back.read_state(&sub.id, &format!("tag:blog-{f},2025:post-{e}"), entry_date(e));
            assert_eq!(m.map(|m| m.read), Some(!unread(f, e)), "feed {f} entry {e}");
        }
    }
}

fn stored(id: &str, date: Millis) -> StoredEntry {
    StoredEntry {
        id: id.into(),
        title: String::new(),
        member: None,
        link: None,
        date: Some(date),
        updated: None,
        enclosures: vec![],
        hash: String::new(),
    }
}

/// The same feeds after "mark all read" on each, then a day of reading: 20 entries read
/// one by one above the watermark and 2 marked unread below it, per feed. The watermarks
/// and unread marks all stay; only the oldest single read marks are left out.
#[test]
fn with_watermarks_only_the_oldest_single_read_marks_are_trimmed() {
    let (mut s, subs) = subscribed();
    for (f, sub) in subs.iter().enumerate() {
        s.mark_read_up_to(&sub.id, entry_date(20), T - DAY);
        for e in 0..20 {
            s.mark(
                &sub.id,
                &format!("tag:blog-{f},2025:post-{e}"),
                entry_date(e),
                true,
                read_at(f, e).max(T - DAY + 1000),
            );
        }
        for e in [30, 40] {
            s.mark(&sub.id, &format!("tag:blog-{f},2025:post-{e}"), entry_date(e), false, T - HOUR);
        }
    }
    let enc = report("watermark + 20 read + 2 unread per feed", &s);
    let per_feed = (enc.bytes - subscription_bytes(&enc.items)) / FEEDS;
    eprintln!("  read state per feed: {per_feed} bytes");
    assert!(enc.trimmed.read_marks > 0 && enc.trimmed.feeds.is_empty(), "{:?}", enc.trimmed);
    let back = decode(&enc.items).unwrap().state;
    assert_eq!(back.stats().watermark_steps, FEEDS);
    assert_eq!(back.stats().unread_marks, 2 * FEEDS);
    assert_eq!(back.stats().read_marks + enc.trimmed.read_marks, 20 * FEEDS);
    // One watermark per feed, and nothing else, fits with room to spare.
    let (mut w, subs) = subscribed();
    for sub in &subs {
        w.mark_read_up_to(&sub.id, T, T);
    }
    let enc = report("watermark only", &w);
    assert!(enc.trimmed.is_empty());
    assert!(enc.bytes < 80_000, "{}", enc.bytes);
}

/// Adversarial: every entry of every feed marked unread after a watermark. Unread marks
/// are never left out alone (dropping one would make an entry read elsewhere): whole
/// feeds' read state goes, the least recently used first, and subscriptions stay.
#[test]
fn under_pressure_unread_marks_go_only_with_their_whole_feed() {
    let (mut s, subs) = subscribed();
    for (f, sub) in subs.iter().enumerate() {
        s.mark_read_up_to(&sub.id, T, T - 10 * DAY + f as Millis * MINUTE);
        for e in 0..100 {
            let at = T - 5 * DAY + f as Millis * MINUTE;
            s.mark(&sub.id, &format!("p{f}-{e}"), entry_date(e), false, at);
        }
    }
    let enc = report("watermark + 100 unread per feed", &s);
    let back = decode(&enc.items).unwrap().state;
    assert_eq!(back.subscriptions().len(), FEEDS);
    assert!(!enc.trimmed.feeds.is_empty());
    // The feeds left out are the least recently used (lowest index here).
    let dropped: Vec<usize> =
        enc.trimmed.feeds.iter().map(|id| subs.iter().position(|s| &s.id == id).unwrap()).collect();
    let max_dropped = *dropped.iter().max().unwrap();
    assert_eq!(dropped.len(), max_dropped + 1, "a prefix of the oldest feeds");
    // A kept feed is whole; a dropped one has nothing (so its entries are unread, not read).
    for (f, sub) in subs.iter().enumerate() {
        let fr = back.feed_read(&sub.id);
        if f <= max_dropped {
            assert!(fr.is_none());
            assert_eq!(back.read_state(&sub.id, &format!("p{f}-3"), entry_date(3)), None);
        } else {
            assert_eq!(fr, s.feed_read(&sub.id));
            assert_eq!(
                back.read_state(&sub.id, &format!("p{f}-3"), entry_date(3)).map(|m| m.read),
                Some(false)
            );
        }
    }
}

#[test]
fn trimming_takes_only_as_much_as_needed() {
    let (mut s, subs) = subscribed();
    for (f, sub) in subs.iter().enumerate().take(50) {
        for e in 0..200 {
            s.mark(&sub.id, &format!("{f}/{e}"), entry_date(e), true, read_at(f, e));
        }
    }
    let enc = encode(&s, &Quota::default());
    assert!(enc.trimmed.read_marks > 0);
    // One more byte of room than needed changes nothing; far less room trims more.
    let roomy = Quota { bytes: enc.bytes, ..Quota::default() };
    assert_eq!(encode(&s, &roomy).trimmed, enc.trimmed);
    let tighter = Quota { bytes: enc.bytes - 2_000, ..Quota::default() };
    assert!(encode(&s, &tighter).trimmed.read_marks > enc.trimmed.read_marks);
    // And with the one mark more that was just left out, it would not have fitted.
    let back = decode(&enc.items).unwrap().state;
    assert!(back.stats().read_marks + enc.trimmed.read_marks == s.stats().read_marks);
    assert!(enc.bytes > Quota::default().bytes - 100, "the quota is used, {} bytes", enc.bytes);
}

#[test]
fn other_items_in_the_area_shrink_the_budget() {
    let (mut s, subs) = subscribed();
    for (f, sub) in subs.iter().enumerate().take(40) {
        for e in 0..200 {
            s.mark(&sub.id, &format!("{f}/{e}"), entry_date(e), true, read_at(f, e));
        }
    }
    let mut current = Items::new();
    current.insert("settings".into(), serde_json::json!({"blob": "x".repeat(8000)}));
    let out = plan_write(&s, &current, Cause::Local, &Quota::default()).unwrap().unwrap();
    let mut after = current.clone();
    after.extend(out.diff.set);
    assert!(within(&after, &Quota::default()));
    assert!(!out.diff.remove.contains(&"settings".to_string()));
}

#[test]
fn a_too_large_subscription_is_reported_and_never_blocks_the_rest() {
    let (mut s, _) = subscribed();
    let url = format!("https://huge.example.org/{}", "x".repeat(9000));
    s.subscribe(
        &Subscription { id: FeedId::for_url(&url), url, title: None, folder: None, added: T },
        T,
        dev(),
    );
    let enc = encode(&s, &Quota::default());
    assert_eq!(enc.trimmed.too_large.len(), 1);
    assert!(within(&enc.items, &Quota::default()));
    assert_eq!(decode(&enc.items).unwrap().state.subscriptions().len(), FEEDS);
}

// ---- diff -----------------------------------------------------------------------------

#[test]
fn one_changed_mark_rewrites_one_item() {
    let (mut s, subs) = subscribed();
    for sub in &subs {
        s.mark_read_up_to(&sub.id, T - DAY, T - DAY);
    }
    let before = encode(&s, &Quota::default()).items;
    s.mark(&subs[7].id, "one more", T, true, T);
    let d = diff(&before, &encode(&s, &Quota::default()).items);
    assert_eq!(d.set.len(), 1, "{:?}", d.set.keys());
    assert!(d.set.keys().next().unwrap().starts_with("~r"));
    assert!(d.remove.is_empty());
    assert_eq!(d.operations(), 1);
    assert!(d.bytes() < 8192);
}

#[test]
fn unsubscribing_rewrites_its_bucket_and_removes_emptied_items() {
    let mut s = SyncState::new();
    let sub = subscription(1);
    s.subscribe(&sub, T, dev());
    s.mark(&sub.id, "e", T, true, T);
    let before = encode(&s, &Quota::default()).items;
    assert_eq!(before.len(), 3, "{:?}", before.keys());
    s.unsubscribe(&sub.id, T + 1000, dev());
    let d = diff(&before, &encode(&s, &Quota::default()).items);
    assert_eq!(d.set.len(), 1, "only the subscription bucket: {:?}", d.set);
    assert_eq!(d.remove.len(), 1, "the read item, now empty: {:?}", d.remove);
    assert_eq!(d.operations(), 2);
}

// ---- the write guard ------------------------------------------------------------------

/// Two profiles whose states together exceed the quota. Both hold the newest marks of one
/// feed; A also an old mark `e` of it, B a mark `y` (between the two in age) in a feed of
/// its own, which costs more room than `e`. Once B has `e` from storage, the most B can
/// keep is the newest marks alone, while A keeps them and `e`: without the guard each
/// would keep replacing the other's choice.
#[test]
fn profiles_over_quota_do_not_overwrite_each_other_forever() {
    let sub = subscription(0);
    let mut a = SyncState::new();
    a.subscribe(&sub, T, dev());
    for e in 0..100 {
        a.mark(&sub.id, &format!("t{e}"), T - e * HOUR, true, T);
    }
    let mut b = a.clone();
    a.mark(&sub.id, "e", T - 30 * DAY, true, T);
    let other = FeedId::for_url("https://other.example.org/feed");
    b.mark(&other, "y", T - 20 * DAY, true, T);
    let q = Quota { bytes: encode(&a, &Quota::default()).bytes, ..Quota::default() };
    assert!(encode(&a, &q).trimmed.is_empty());
    assert_eq!(encode(&a.merged(&b), &q).trimmed.read_marks, 2, "B keeps neither e nor y");

    let mut storage = Items::new();
    let mut writes = 0;
    let mut cause = Cause::Local;
    for _round in 0..10 {
        let mut wrote = false;
        for r in [&mut a, &mut b] {
            r.merge(&decode(&storage).unwrap().state);
            if let Some(out) = plan_write(r, &storage, cause, &q).unwrap() {
                for k in &out.diff.remove {
                    storage.remove(k);
                }
                storage.extend(out.diff.set);
                writes += 1;
                wrote = true;
            }
        }
        cause = Cause::Remote;
        if !wrote {
            break;
        }
    }
    // A's first write, B's (trimming e), then A's putting e back, which B leaves alone.
    assert_eq!(writes, 3);
    assert!(within(&storage, &q));
    assert_eq!(decode(&storage).unwrap().state, a.synced_view().merged(&SyncState::new()));
    // A local change is always written, trimmed as needed.
    b.mark(&sub.id, "new", T + DAY, true, T + DAY);
    let out = plan_write(&b, &storage, Cause::Local, &q).unwrap().unwrap();
    assert!(out.trimmed.read_marks > 0);
}

#[test]
fn a_remote_change_is_written_back_only_when_it_adds_something() {
    let (s, _) = subscribed();
    let storage = encode(&s, &Quota::default()).items;
    assert!(plan_write(&s, &storage, Cause::Remote, &Quota::default()).unwrap().is_none());
    let mut more = s.clone();
    more.mark(&subscription(3).id, "x", T, true, T);
    assert!(plan_write(&more, &storage, Cause::Remote, &Quota::default()).unwrap().is_some());
    // Unreadable sync items are rewritten.
    let mut broken = storage.clone();
    broken.insert("~rZ".into(), serde_json::json!({"not a feed": "?"}));
    let out = plan_write(&s, &broken, Cause::Remote, &Quota::default()).unwrap().unwrap();
    assert_eq!(out.diff.remove, ["~rZ"]);
    assert!(out.diff.set.is_empty());
}

/// An unsubscribe learned from another profile (not made here) is passed on, although
/// the write drops the feed's fields and read state that storage still holds: those are
/// left out by design, not lost.
#[test]
fn an_unsubscribe_arriving_by_merge_is_passed_on() {
    let sub = subscription(0);
    let mut b = SyncState::new();
    b.subscribe(&sub, T, dev());
    b.mark(&sub.id, "e", T, true, T);
    let storage = encode(&b, &Quota::default()).items;
    let mut a = b.clone();
    let mut c = b.clone();
    c.unsubscribe(&sub.id, T + HOUR, Device::new("c"));
    a.merge(&c); // heard from c directly; c's own write was lost to a concurrent one
    let out = plan_write(&a, &storage, Cause::Remote, &Quota::default()).unwrap();
    let out = out.expect("the tombstone is news to storage");
    let mut after = storage.clone();
    for k in &out.diff.remove {
        after.remove(k);
    }
    after.extend(out.diff.set);
    let back = decode(&after).unwrap().state;
    assert!(back.record(&sub.id).unwrap().is_tombstone());
    assert!(back.feed_read(&sub.id).is_none(), "an unsubscribed feed's read state is cleaned up");
    assert!(plan_write(&a, &after, Cause::Remote, &Quota::default()).unwrap().is_none());
}

#[test]
fn storage_written_by_a_newer_version_is_neither_read_nor_overwritten() {
    let mut storage = Items::new();
    storage.insert("~h".into(), serde_json::json!({"v": FORMAT_VERSION + 1}));
    let err = decode(&storage).unwrap_err();
    assert!(err.to_string().contains("newer Planet Reader"), "{err}");
    assert!(plan_write(&SyncState::new(), &storage, Cause::Local, &Quota::default()).is_err());
}

// ---- the scheduler --------------------------------------------------------------------

#[test]
fn writes_wait_for_the_user_to_pause_but_not_forever() {
    let l = WriteLimits::default();
    assert_eq!(when_to_write(T, T, &[], 1, T, &l), WriteWhen::At(T + 3_000));
    assert_eq!(when_to_write(T, T, &[], 1, T + 3_000, &l), WriteWhen::Now);
    // Marking an entry every second: the debounce keeps moving, the cap does not.
    assert_eq!(when_to_write(T, T + 20_000, &[], 1, T + 20_000, &l), WriteWhen::At(T + 23_000));
    assert_eq!(when_to_write(T, T + 29_000, &[], 1, T + 29_000, &l), WriteWhen::At(T + 30_000));
    assert_eq!(when_to_write(T, T + 40_000, &[], 1, T + 40_000, &l), WriteWhen::Now);
}

#[test]
fn writes_respect_the_per_minute_and_per_hour_rates() {
    let l = WriteLimits::default();
    let now = T + 2 * HOUR;
    // 120 calls in the last minute: the next waits until the oldest is a minute old.
    let minute: Vec<Millis> = (0..120).map(|i| now - 59_000 + i * 100).collect();
    assert_eq!(when_to_write(0, 0, &minute, 1, now, &l), WriteWhen::At(now - 59_000 + MINUTE));
    // Two calls (set and remove) need two free places.
    assert_eq!(
        when_to_write(0, 0, &minute, 2, now, &l),
        WriteWhen::At(now - 59_000 + 100 + MINUTE)
    );
    // 1,800 calls spread over the last hour, none in the last minute.
    let hour: Vec<Millis> = (0..1800).map(|i| now - HOUR + 1 + i * 1_900).collect();
    assert_eq!(when_to_write(0, 0, &hour, 1, now, &l), WriteWhen::At(now + 1));
    // Under both limits: now.
    assert_eq!(when_to_write(0, 0, &hour[..1000], 1, now, &l), WriteWhen::Now);
    // The answer always respects both limits.
    let WriteWhen::At(t) =
        when_to_write(0, 0, &minute.iter().chain(&hour).copied().collect::<Vec<_>>(), 2, now, &l)
    else {
        panic!("must wait")
    };
    let all: Vec<Millis> = minute.iter().chain(&hour).copied().collect();
    assert!(all.iter().filter(|&&w| w > t - MINUTE).count() + 2 <= 120);
    assert!(all.iter().filter(|&&w| w > t - HOUR).count() + 2 <= 1800);
}
