//! Sync between two profiles, natively: each profile's `storage.sync` is relayed to the other
//! as the browser's sync service would copy it (key by key, last writer wins), and the
//! receiving profile is told (`storage.onChanged`).

mod support;

use futures::executor::block_on;
use planet_reader::core::store::{FeedId, DAY, MINUTE};
use planet_reader::core::sync::{is_sync_key, within, Quota};
use planet_reader::protocol::Snapshot;
use planet_reader::service::{Config, Service};
use std::rc::Rc;
use support::{Answer, Fakes};

const SITE: &str = "http://127.0.0.1:8000";

fn rss(title: &str, n: usize) -> String {
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item><title>{title} {i}</title><guid>{title}-{i}</guid>\
                 <pubDate>Tue, 28 Apr 2026 {:02}:00:00 GMT</pubDate></item>",
                i % 24
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>")
}

struct Profile {
    fakes: Fakes,
    service: Rc<Service<Fakes>>,
}

fn profile(device: &str) -> Profile {
    let fakes = Fakes::default();
    for (path, title) in [("a.xml", "Alpha"), ("b.xml", "Beta")] {
        fakes.net.answer(&format!("{SITE}/{path}"), Answer::ok(&rss(title, 4)));
    }
    let config = Config { default_feeds: vec![], device: device.into(), ..Config::default() };
    let service = fakes.service_with(config);
    block_on(service.start()).unwrap();
    Profile { fakes, service }
}

impl Profile {
    /// Let time pass and write what is pending (the sync alarm fires).
    fn write(&self) {
        self.fakes.advance(MINUTE);
        block_on(self.service.sync_write()).unwrap();
    }
    fn snapshot(&self) -> Snapshot {
        block_on(self.service.snapshot()).unwrap()
    }
    fn feeds(&self) -> Vec<(String, String)> {
        self.snapshot().feeds.iter().map(|f| (f.url.clone(), f.title.clone())).collect()
    }
}

/// The browser's sync service copies `from`'s items to `to`, and `to` hears of it.
fn relay(from: &Profile, to: &Profile) {
    let items = from.fakes.sync.data.borrow().clone();
    {
        let mut theirs = to.fakes.sync.data.borrow_mut();
        theirs.retain(|k, _| !is_sync_key(k) || items.contains_key(k));
        theirs.extend(items);
    }
    block_on(to.service.sync_pull()).unwrap();
}

#[test]
fn a_subscription_made_on_one_profile_appears_on_the_other_with_its_entries() {
    let (a, b) = (profile("laptop"), profile("desktop"));
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    assert!(a.fakes.alarms.1.get().is_some(), "a sync write is scheduled");
    a.write();
    relay(&a, &b);
    assert_eq!(b.feeds(), a.feeds());
    assert_eq!(b.snapshot().unread, 4, "fetched on arrival");
    assert_eq!(b.fakes.badge(), "4");
}

#[test]
fn reading_on_one_profile_lowers_the_badge_of_the_other() {
    let (a, b) = (profile("laptop"), profile("desktop"));
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    a.write();
    relay(&a, &b);
    let entry = b.snapshot().entries[0].clone();
    block_on(b.service.mark_read(&entry.feed, &entry.id, true)).unwrap();
    b.write();
    relay(&b, &a);
    assert_eq!(a.fakes.badge(), "3");
    assert!(block_on(a.service.entry(&entry.feed, &entry.id)).unwrap().read);
}

#[test]
fn a_star_on_one_profile_stars_the_entry_on_the_other_and_an_unstar_follows() {
    let (a, b) = (profile("laptop"), profile("desktop"));
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    a.write();
    relay(&a, &b);
    let entry = b.snapshot().entries[1].clone();
    block_on(b.service.star(&entry.feed, &entry.id, true)).unwrap();
    assert!(b.fakes.alarms.1.get().is_some(), "a sync write is scheduled for the star");
    b.write();
    relay(&b, &a);
    let starred = |p: &Profile| {
        let records =
            block_on(p.service.library().entries(&[(entry.feed.clone(), entry.id.clone())]));
        records.unwrap()[0].status.starred
    };
    assert!(starred(&a), "the star travelled");
    assert_eq!(a.fakes.badge(), "4", "a star is not a read mark");
    a.fakes.advance(MINUTE);
    block_on(a.service.star(&entry.feed, &entry.id, false)).unwrap();
    a.write();
    relay(&a, &b);
    assert!(!starred(&b), "the later unstar wins");
}

#[test]
fn mark_all_read_on_one_profile_covers_the_other_and_later_entries_stay_unread() {
    let (a, b) = (profile("laptop"), profile("desktop"));
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    a.write();
    relay(&a, &b);
    a.fakes.advance(MINUTE);
    block_on(a.service.mark_all_read(a.fakes.clock.0.get())).unwrap();
    a.write();
    relay(&a, &b);
    assert_eq!(b.fakes.badge(), "");
}

#[test]
fn conflicting_edits_converge_whatever_the_order() {
    for a_first in [true, false] {
        let (a, b) = (profile("laptop"), profile("desktop"));
        for p in [&a, &b] {
            block_on(p.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
            block_on(p.service.subscribe(&format!("{SITE}/b.xml"), None)).unwrap();
        }
        a.write();
        relay(&a, &b);
        b.write();
        relay(&b, &a);
        let alpha = FeedId::for_url(&format!("{SITE}/a.xml"));
        let beta = FeedId::for_url(&format!("{SITE}/b.xml"));
        let entry = a.snapshot().entries.iter().find(|e| e.feed == alpha).unwrap().clone();
        // Before either hears of the other: A unsubscribes Beta and reads the entry; B
        // renames Beta and, later, marks the same entry unread after reading it.
        block_on(a.service.unsubscribe(&beta)).unwrap();
        block_on(a.service.mark_read(&alpha, &entry.id, true)).unwrap();
        b.fakes.advance(10_000);
        block_on(b.service.rename(&beta, Some("My Beta".into()))).unwrap();
        block_on(b.service.mark_read(&alpha, &entry.id, true)).unwrap();
        b.fakes.advance(10_000);
        block_on(b.service.mark_read(&alpha, &entry.id, false)).unwrap();
        a.write();
        b.write();
        let (first, second) = if a_first { (&a, &b) } else { (&b, &a) };
        relay(first, second);
        second.write();
        relay(second, first);
        first.write();
        relay(first, second);
        assert_eq!(a.feeds(), b.feeds(), "order {a_first}");
        assert_eq!(a.snapshot().unread, b.snapshot().unread);
        // The unsubscribe wins over the older subscribe; a rename does not resurrect it.
        assert!(a.feeds().iter().all(|(url, _)| !url.ends_with("b.xml")));
        // The newest mark (B's unread) wins.
        assert!(!block_on(a.service.entry(&alpha, &entry.id)).unwrap().read);
        assert_eq!(a.fakes.badge(), b.fakes.badge());
    }
}

/// Subscribe `a` to 500 feeds (about 56 KB of `storage.sync`).
fn import_500(a: &Profile) {
    let feeds: Vec<_> = (0..500)
        .map(|i| planet_reader::core::opml::OpmlFeed {
            xml_url: format!("https://blog-{i:03}.example.org/feed.xml"),
            title: Some(format!("Blog number {i} about Python")),
            html_url: None,
            folder: Some(if i % 2 == 0 { "Python".into() } else { "Rust / Tools".into() }),
        })
        .collect();
    assert_eq!(block_on(a.service.import(feeds)).unwrap(), (500, 0));
}

#[test]
fn a_profile_with_500_feeds_stays_within_the_quota() {
    let a = profile("laptop");
    import_500(&a);
    a.write();
    let items = a.fakes.sync.data.borrow().clone();
    assert!(within(&items, &Quota::default()), "{} items", items.len());
    assert_eq!(block_on(a.service.sync_notice()).unwrap(), None, "nothing had to be left out");
    let b = profile("desktop");
    relay(&a, &b);
    assert_eq!(b.snapshot().feeds.len(), 500);
}

#[test]
fn a_full_sync_area_is_reported_and_nothing_local_is_lost() {
    let a = profile("laptop");
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    *a.fakes.sync.fail_writes.borrow_mut() = Some("QUOTA_BYTES quota exceeded".into());
    a.write();
    let notice = block_on(a.service.sync_notice()).unwrap().unwrap();
    assert!(notice.starts_with("Sync failed: QUOTA_BYTES quota exceeded"), "{notice}");
    assert_eq!(a.snapshot().unread, 4);
    // Once there is room again, the pending change is written.
    *a.fakes.sync.fail_writes.borrow_mut() = None;
    block_on(a.service.rename(&FeedId::for_url(&format!("{SITE}/a.xml")), Some("A".into())))
        .unwrap();
    a.write();
    assert!(!a.fakes.sync.data.borrow().is_empty());
}

#[test]
fn a_quota_refusal_in_either_browsers_words_shrinks_the_write_and_says_what_stays_here() {
    // The browser holds less than the service planned for, and refuses the write in its
    // own words: Chromium names the quota (its wording changed over the versions), Firefox
    // says the same for every quota.
    for refusal in [
        "Resource::kQuotaBytes quota exceeded",
        "QUOTA_BYTES quota exceeded",
        "QuotaExceededError: storage.sync API call exceeded its quota limitations.",
    ] {
        let a = profile("laptop");
        import_500(&a);
        const ROOM: usize = 52_000;
        *a.fakes.sync.refuse_over.borrow_mut() = Some((ROOM, refusal.into()));
        a.write();
        let notice = block_on(a.service.sync_notice()).unwrap().unwrap_or_default();
        assert!(
            notice
                .starts_with("Browser sync storage is full, so this stays on this browser only: ")
                && notice.ends_with(" subscriptions."),
            "{refusal}: {notice}"
        );
        let items = a.fakes.sync.data.borrow().clone();
        assert!(within(&items, &Quota { bytes: ROOM, ..Quota::default() }), "{refusal}");
        let b = profile("desktop");
        relay(&a, &b);
        let synced = b.snapshot().feeds.len();
        assert!(synced > 400 && synced < 500, "{refusal}: {synced} of 500 synced");
        assert_eq!(a.snapshot().feeds.len(), 500, "{refusal}: nothing local is lost");
    }
}

#[test]
fn a_write_refused_for_its_rate_waits_and_keeps_the_change() {
    let a = profile("laptop");
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    *a.fakes.sync.fail_writes.borrow_mut() =
        Some("MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded".into());
    a.write();
    let now = a.fakes.clock.0.get();
    assert_eq!(a.fakes.alarms.1.get(), Some(now + MINUTE), "tried again in a minute");
    *a.fakes.sync.fail_writes.borrow_mut() = None;
    a.write();
    let b = profile("desktop");
    relay(&a, &b);
    assert_eq!(b.snapshot().feeds.len(), 1);
}

#[test]
fn a_profile_that_never_synced_brings_its_subscriptions_along() {
    // Subscriptions made before sync existed (a schema-1 profile): recorded at first start.
    let a = profile("laptop");
    block_on(a.service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    a.fakes.store.data.borrow_mut().retain(|k, _| !k.starts_with("sync:"));
    let again = a.fakes.service_with(Config {
        default_feeds: vec![],
        device: "laptop".into(),
        ..Config::default()
    });
    block_on(again.start()).unwrap();
    a.fakes.advance(DAY);
    block_on(again.sync_write()).unwrap();
    let b = profile("desktop");
    relay(&a, &b);
    assert_eq!(b.feeds(), a.feeds());
}
