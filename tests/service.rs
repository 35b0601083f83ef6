//! The use cases run natively against in-memory ports: install, refresh, read marks, the
//! badge, failures, and a read mark made while a refresh is in flight.

mod support;

use futures::executor::block_on;
use futures::future::join;
use planet_reader::core::schedule::DEFAULT_INTERVAL;
use planet_reader::core::store::{FeedId, MINUTE};
use planet_reader::ports::FetchFailure;
use std::future::Future;
use support::{Answer, Fakes, FIXTURE, PLANET_URL, START};

fn items() -> usize {
    FIXTURE.matches("<item>").count()
}

/// The fixture without its `n` newest items.
fn without_newest(n: usize) -> String {
    let mut out = String::new();
    let mut rest = FIXTURE;
    let mut dropped = 0;
    while let Some(start) = rest.find("<item>") {
        let end = rest[start..].find("</item>").unwrap() + start + "</item>".len();
        out.push_str(&rest[..start]);
        if dropped >= n {
            out.push_str(&rest[start..end]);
        }
        dropped += 1;
        rest = &rest[end..];
    }
    out + rest
}

fn planet() -> FeedId {
    FeedId::for_url(PLANET_URL)
}

#[test]
fn a_fresh_install_subscribes_to_planet_python_and_schedules_a_refresh() {
    let fakes = Fakes::default();
    let service = fakes.service();
    block_on(service.start()).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.feeds.len(), 1);
    assert_eq!(snap.feeds[0].url, PLANET_URL);
    assert_eq!(snap.feeds[0].title, "planetpython.org", "named by host until fetched");
    assert_eq!(fakes.badge(), "");
    assert!(fakes.alarms.0.get().is_some());
}

#[test]
fn starting_twice_or_after_a_restart_does_not_add_the_default_again() {
    let fakes = Fakes::default();
    block_on(fakes.service().start()).unwrap();
    block_on(fakes.service().start()).unwrap(); // a new worker, same storage
    assert_eq!(block_on(fakes.service().snapshot()).unwrap().feeds.len(), 1);
}

#[test]
fn refresh_stores_every_entry_unread_and_the_badge_counts_them() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!((report.fetched, report.failed, report.added), (1, 0, items()));
    assert_eq!(fakes.badge(), items().to_string());
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.unread, items());
    assert_eq!(snap.feeds[0].title, "Planet Python");
    let first = &snap.entries[0];
    assert_eq!(first.member.as_deref(), Some("Python GUIs"));
    assert!(first.title.starts_with("Actions in one thread"), "{}", first.title);
    let dates: Vec<_> = snap.entries.iter().map(|e| e.date.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // The next refresh is due one interval later, and the alarm is set for it.
    assert_eq!(fakes.alarms.0.get(), Some(START + DEFAULT_INTERVAL));
}

#[test]
fn the_popup_page_holds_the_newest_entries_and_a_member_filter_narrows_them() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let all = block_on(service.snapshot()).unwrap();

    let page = block_on(service.snapshot_page(Some(10), None)).unwrap();
    assert_eq!(page.entries, all.entries[..10], "the newest 10, in order");
    assert_eq!((page.matching, page.unread), (items(), items()));

    // Members are counted over every unread entry, most prolific first.
    let (top, count) = page.members[0].clone();
    assert_eq!(count, all.entries.iter().filter(|e| e.member.as_ref() == Some(&top)).count());
    assert!(page.members.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(page.members.iter().map(|(_, n)| n).sum::<usize>(), items());

    let theirs = block_on(service.snapshot_page(Some(1), Some(&top))).unwrap();
    assert_eq!(theirs.matching, count);
    assert_eq!(theirs.entries.len(), 1);
    assert_eq!(theirs.entries[0].member.as_ref(), Some(&top));
    assert_eq!(theirs.unread, items(), "the badge's count stays the total");

    // A member with nothing unread no longer filters (the choice would be stuck).
    let nobody = block_on(service.snapshot_page(None, Some("Nobody's Blog"))).unwrap();
    assert_eq!(nobody.entries, all.entries);
}

#[test]
fn refetching_keeps_read_state_and_writes_no_entries_when_nothing_changed() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let first = block_on(service.snapshot()).unwrap().entries[0].clone();
    block_on(service.mark_read(&first.feed, &first.id, true)).unwrap();
    assert_eq!(fakes.badge(), (items() - 1).to_string());

    fakes.advance(DEFAULT_INTERVAL);
    let writes = fakes.store.writes.get();
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!((report.added, report.unchanged), (0, 1));
    assert_eq!(report.bytes_written, 0, "the same bytes again: nothing to write");
    assert_eq!(fakes.store.writes.get(), writes);
    assert_eq!(fakes.badge(), (items() - 1).to_string());
    let entry = block_on(service.entry(&first.feed, &first.id)).unwrap();
    assert!(entry.read);
}

#[test]
fn new_items_arrive_unread_and_old_ones_keep_their_state() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(&without_newest(3)));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.badge(), (items() - 3).to_string());
    assert_eq!(block_on(service.mark_all_read(START)).unwrap(), items() - 3);
    assert_eq!(fakes.badge(), "");

    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    fakes.advance(DEFAULT_INTERVAL);
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(fakes.badge(), "3");
}

#[test]
fn mark_all_read_spares_entries_that_arrived_after_the_popup_looked() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(&without_newest(3)));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let looked = fakes.clock.0.get();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    fakes.advance(DEFAULT_INTERVAL);
    block_on(service.refresh(false, None)).unwrap();
    block_on(service.mark_all_read(looked)).unwrap();
    assert_eq!(fakes.badge(), "3");
}

#[test]
fn a_failing_server_is_reported_and_the_stored_entries_stay() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();

    fakes.net.answer(PLANET_URL, Answer::status(500));
    let report = block_on(service.refresh(true, None)).unwrap();
    assert_eq!(report.failed, 1);
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.feeds[0].error.as_deref(), Some("the server answered HTTP 500"));
    assert_eq!(snap.unread, items());
    assert_eq!(fakes.badge(), items().to_string());
}

#[test]
fn no_network_is_a_clear_error_on_a_feed_never_fetched() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::Fail(FetchFailure::Network("Failed to fetch".into())));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(
        snap.feeds[0].error.as_deref(),
        Some("could not reach the server (Failed to fetch)")
    );
    assert!(snap.entries.is_empty());
    // Backed off: not retried before the backoff has passed.
    fakes.advance(MINUTE);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(PLANET_URL), 1);
}

#[test]
fn a_read_mark_made_during_a_refresh_is_not_overwritten() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(&without_newest(3)));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let entry = block_on(service.snapshot()).unwrap().entries[0].clone();

    // A refresh is in flight (its fetch held open) when the user marks the entry read.
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let gate = fakes.net.gate(PLANET_URL);
    let refresh = service.refresh(true, None);
    let mark = async {
        service.mark_read(&entry.feed, &entry.id, true).await.unwrap();
        gate.send(()).unwrap();
    };
    let (report, ()) = block_on(join(refresh, mark));
    assert_eq!(report.unwrap().added, 3);
    assert!(block_on(service.entry(&planet(), &entry.id)).unwrap().read);
    assert_eq!(fakes.badge(), (items() - 3 + 3 - 1).to_string());
}

#[test]
fn a_refresh_cut_short_before_its_write_is_finished_by_the_next_run() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    // The worker is stopped during the fetch: the future is dropped before it stores a thing.
    {
        let _gate = fakes.net.gate(PLANET_URL);
        let refresh = service.refresh(false, None);
        futures::pin_mut!(refresh);
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(refresh.as_mut().poll(&mut cx).is_pending());
    }
    // A new worker: the feed is still due, and the next run stores every entry once.
    let again = fakes.service();
    block_on(again.start()).unwrap();
    let report = block_on(again.refresh(false, None)).unwrap();
    assert_eq!(report.added, items());
    assert_eq!(block_on(again.snapshot()).unwrap().unread, items());
}

/// Finding 7 of the security review: a feed whose write fails was refetched every second.
#[test]
fn a_failing_library_write_is_reported_and_backs_off_instead_of_looping() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    fakes.db.fail_commits(Some("QuotaExceededError: the disk is full"));
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!(report.failed, 1);
    let snap = block_on(service.snapshot()).unwrap();
    let error = snap.feeds[0].error.clone().unwrap_or_default();
    assert!(error.contains("could not be saved") && error.contains("disk is full"), "{error}");
    // Due again at once? No: the failure backs it off, even with every check forgotten.
    fakes.advance(5 * 60_000);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(PLANET_URL), 1, "not fetched again within the backoff");
    // The store works again: after the backoff the feed is stored and the error is gone.
    fakes.db.fail_commits(None);
    fakes.advance(24 * 60 * 60_000);
    block_on(service.refresh(false, None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!((snap.unread, snap.feeds[0].error.clone()), (items(), None));
}

/// Finding 1 of the security review: a feed that killed the worker was fetched and read
/// again on every wake, forever. Here the previous worker died with the feed's attempt
/// marker still written.
#[test]
fn a_feed_whose_reading_killed_the_worker_stalls_instead_of_being_read_again() {
    use planet_reader::core::identity::short_hash;
    use planet_reader::core::store::{attempt_key, Attempt};
    let fakes = Fakes::default();
    let other = "https://other.example/feed.xml";
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    fakes.net.answer(other, Answer::ok(&without_newest(45)));
    let service = fakes.service_with(planet_reader::service::Config {
        default_feeds: vec![PLANET_URL.into(), other.into()],
        ..Default::default()
    });
    block_on(service.start()).unwrap();
    // The previous worker wrote the marker of Planet's body, then died reading it.
    let marker = Attempt { at: START - 1, body_hash: short_hash(FIXTURE.as_bytes()) };
    fakes
        .session
        .data
        .borrow_mut()
        .insert(attempt_key(&planet()), serde_json::to_value(&marker).unwrap());
    let report = block_on(service.refresh(false, None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    let planet_row = snap.feeds.iter().find(|f| f.id == planet()).unwrap();
    assert!(
        planet_row.error.as_deref().unwrap_or("").contains("stopped Planet Reader"),
        "{planet_row:?}"
    );
    assert_eq!(planet_row.total, 0, "its body was not read");
    assert_eq!(snap.unread, 5, "the other feed updated");
    assert_eq!(report.fetched, 1, "only the other feed: the stalled one backs off");
    assert!(
        !fakes.session.data.borrow().contains_key(&attempt_key(&planet())),
        "the marker is gone"
    );
    // The same body again, once the backoff has passed: still not read.
    fakes.advance(7 * 24 * 60 * MINUTE);
    block_on(service.refresh(true, Some(&planet()))).unwrap();
    assert_eq!(block_on(service.snapshot()).unwrap().unread, 5);
    // A new body is read.
    fakes.net.answer(PLANET_URL, Answer::ok(&without_newest(1)));
    block_on(service.refresh(true, Some(&planet()))).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.unread, 5 + items() - 1);
    assert_eq!(snap.feeds.iter().find(|f| f.id == planet()).unwrap().error, None);
}

/// Finding 6 of the security review: one unreadable stored value locked the extension.
#[test]
fn an_unreadable_subscription_is_set_aside_and_the_others_keep_working() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let bad = serde_json::json!({"id": 7, "url": ["not", "a", "url"]});
    fakes
        .store
        .data
        .borrow_mut()
        .get_mut("subs")
        .unwrap()
        .as_array_mut()
        .unwrap()
        .push(bad.clone());
    let again = fakes.service();
    block_on(again.start()).unwrap();
    let snap = block_on(again.snapshot()).unwrap();
    assert_eq!((snap.feeds.len(), snap.unread), (1, items()));
    assert_eq!(fakes.store.data.borrow()["damaged:subs"], serde_json::json!([bad]), "kept aside");
    // And a damaged sync replica does not stop sync: it starts afresh, the old one kept.
    fakes.store.data.borrow_mut().insert("sync:replica".into(), serde_json::json!("garbage"));
    block_on(again.sync_pull()).unwrap();
    assert_eq!(fakes.store.data.borrow()["damaged:sync:replica"], serde_json::json!("garbage"));
}

#[test]
fn reset_feed_forgets_its_entries_and_fetches_it_again_and_reset_all_every_feed() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let first = block_on(service.snapshot()).unwrap().entries[0].clone();
    block_on(service.mark_read(&first.feed, &first.id, true)).unwrap();
    assert_eq!(fakes.badge(), (items() - 1).to_string());
    let fetches = fakes.net.count(PLANET_URL);
    block_on(service.reset_feed(&planet())).unwrap();
    assert_eq!(fakes.net.count(PLANET_URL), fetches + 1, "fetched again at once");
    assert_eq!(fakes.badge(), items().to_string(), "its read state went too");
    block_on(service.reset_all()).unwrap();
    assert_eq!(fakes.net.count(PLANET_URL), fetches + 2);
    assert_eq!(block_on(service.snapshot()).unwrap().feeds.len(), 1, "subscriptions stay");
}

#[test]
fn mark_view_read_marks_only_that_view_and_what_had_arrived_and_undo_restores_it() {
    use planet_reader::core::library::view::{Scope, View};
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(&without_newest(3)));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    let looked_at = fakes.clock.0.get();
    let snap = block_on(service.snapshot()).unwrap();
    let (member, n) = snap.members[0].clone();
    // Three entries arrive after the user looked.
    fakes.advance(MINUTE);
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    block_on(service.refresh(true, None)).unwrap();
    let view = View::unread(Scope::Member { member: member.clone() });
    let marked = block_on(service.mark_view_read(&view, looked_at)).unwrap();
    assert_eq!(marked.len(), n, "every unread entry of that member that had arrived");
    let after = block_on(service.snapshot()).unwrap();
    assert_eq!(after.unread, items() - n, "the rest is untouched, new arrivals included");
    let undone = block_on(service.mark_entries(&marked, false, None)).unwrap();
    assert_eq!(undone.len(), n);
    assert_eq!(block_on(service.snapshot()).unwrap().unread, items());
}

#[test]
fn a_feed_unsubscribed_while_its_fetch_is_in_flight_writes_nothing_afterwards() {
    let fakes = Fakes::default();
    fakes.net.answer(PLANET_URL, Answer::ok(FIXTURE));
    let service = fakes.service();
    block_on(service.start()).unwrap();
    let gate = fakes.net.gate(PLANET_URL);
    let refresh = service.refresh(true, None);
    let unsubscribe = async {
        service.unsubscribe(&planet()).await.unwrap();
        gate.send(()).unwrap(); // the server answers only now
    };
    let (report, ()) = block_on(join(refresh, unsubscribe));
    report.unwrap();
    let entries = fakes.db.dump(planet_reader::core::library::db::StoreName::Entries);
    assert!(entries.is_empty(), "the answer that came after the unsubscribe was not stored");
    assert_eq!(fakes.badge(), "");
    // Subscribing again brings it back.
    block_on(service.subscribe(PLANET_URL, None)).unwrap();
    assert_eq!(fakes.badge(), items().to_string());
}
