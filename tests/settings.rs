//! Settings, rules and notifications through the service, against in-memory ports: an
//! interval that moves the next alarm, what comes from another profile's sync checked
//! like input, rules acting on arrival, one notification a refresh (and none when off or
//! on a first fetch), the badge's choices and its error state.

mod support;

use futures::executor::block_on;
use planet_reader::core::library::view::{Scope, View};
use planet_reader::core::notify::Address;
use planet_reader::core::rules::KEY_RULES;
use planet_reader::core::settings::{Choice, Images, KEY_SETTINGS};
use planet_reader::core::store::{FeedId, HOUR, MINUTE};
use planet_reader::service::{Config, Service};
use serde_json::{json, Value};
use std::rc::Rc;
use support::{Answer, Fakes};

/// An RSS feed whose items are `(guid, "Member: Title")`, newest first.
fn feed(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .enumerate()
        .map(|(i, (id, title))| {
            format!(
                "<item><title>{title}</title><guid>{id}</guid><link>https://blog.example/{id}</link>\
                 <description>&lt;p&gt;About {id}&lt;/p&gt;</description>\
                 <pubDate>Tue, 28 Apr 2026 {:02}:00:00 GMT</pubDate></item>",
                20 - i
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Planet Test</title>\
         <link>https://blog.example/</link>{items}</channel></rss>"
    )
}

const URL: &str = "http://127.0.0.1:8000/planet.xml";
const OTHER: &str = "http://127.0.0.1:8000/other.xml";

fn first_items() -> Vec<(&'static str, &'static str)> {
    vec![("a", "Real Python: One"), ("b", "Django Weblog: Two"), ("c", "Talk Python: Three")]
}

fn with_new_items() -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("d", "Real Python: Four"), ("e", "Django Weblog: Five")];
    items.extend(first_items());
    items
}

/// A service subscribed to `urls`, each fetched once (serving `first_items`).
fn installed(fakes: &Fakes, urls: &[&str]) -> Rc<Service<Fakes>> {
    for url in urls {
        fakes.net.answer(url, Answer::ok(&feed(&first_items())));
    }
    let config =
        Config { default_feeds: urls.iter().map(|u| u.to_string()).collect(), ..Config::default() };
    let service = fakes.service_with(config);
    block_on(service.start()).unwrap();
    block_on(service.refresh(false, None)).unwrap();
    service
}

fn put(service: &Service<Fakes>, raw: Value) {
    block_on(service.put_settings(&raw)).unwrap();
}

#[test]
fn a_new_refresh_interval_moves_the_next_alarm_and_each_later_check() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL]);
    let checked = fakes.clock.0.get();
    assert_eq!(fakes.alarms.0.get(), Some(checked + 30 * MINUTE));
    put(&service, json!({ "refresh_minutes": 120 }));
    assert_eq!(fakes.alarms.0.get(), Some(checked + 2 * HOUR), "the alarm moved");
    assert_eq!(fakes.sync.data.borrow()[KEY_SETTINGS], json!({ "refresh_minutes": 120 }));
    // The next fetch is due two hours after the last, and the one after that too.
    fakes.advance(HOUR);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(URL), 1, "not due after an hour");
    fakes.advance(HOUR);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(URL), 2);
    assert_eq!(fakes.alarms.0.get(), Some(fakes.clock.0.get() + 2 * HOUR));
    // A feed of its own: 10 minutes.
    let id = FeedId::for_url(URL);
    put(
        &service,
        json!({ "refresh_minutes": 120, "feeds": { id.0.clone(): { "refresh_minutes": 10 } } }),
    );
    assert_eq!(fakes.alarms.0.get(), Some(fakes.clock.0.get() + 10 * MINUTE));
}

#[test]
fn settings_from_another_profile_are_checked_like_input() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL]);
    let checked = fakes.clock.0.get();
    // Another profile (or version) wrote nonsense and an interval below the bounds.
    fakes.sync.data.borrow_mut().insert(
        KEY_SETTINGS.into(),
        json!({ "refresh_minutes": 1, "images": "block", "badge": { "x": 1 }, "notifications": "all" }),
    );
    block_on(service.apply_settings()).unwrap();
    let s = block_on(service.settings()).unwrap();
    assert_eq!((s.refresh_minutes, s.images, s.badge), (10, Images::Block, Choice::All));
    assert_eq!(s.notifications, Choice::Off, "whether this browser notifies is its own");
    assert_eq!(fakes.alarms.0.get(), Some(checked + 10 * MINUTE));
    assert!(fakes.changes().iter().any(|c| c.settings), "the pages are told");
}

#[test]
fn settings_are_stored_each_in_its_area_and_only_where_they_differ() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL]);
    put(
        &service,
        json!({ "notifications": "all", "theme": "dark", "language": "de", "mark_read": "nonsense" }),
    );
    assert_eq!(
        fakes.sync.data.borrow()[KEY_SETTINGS],
        json!({ "theme": "dark", "language": "de" })
    );
    assert_eq!(fakes.store.data.borrow()[KEY_SETTINGS], json!({ "notifications": "all" }));
    put(&service, json!({}));
    assert!(
        !fakes.sync.data.borrow().contains_key(KEY_SETTINGS),
        "back to the defaults: nothing stored"
    );
    assert!(!fakes.store.data.borrow().contains_key(KEY_SETTINGS));
}

#[test]
fn a_rule_marks_a_members_new_entries_read_on_arrival_and_leaves_the_old_ones() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL]);
    assert_eq!(fakes.badge(), "3");
    let rules = json!({ "rules": [
        { "field": "member", "words": "real python", "action": "read" },
        { "field": "member", "words": "django", "action": "hide" },
        { "field": "content", "words": "not there", "action": "star" },
    ]});
    let stored = block_on(service.put_rules(&rules)).unwrap();
    assert_eq!(stored.rules().len(), 3);
    assert_eq!(fakes.sync.data.borrow()[KEY_RULES], rules);
    fakes.net.answer(URL, Answer::ok(&feed(&with_new_items())));
    block_on(service.refresh(true, None)).unwrap();
    let id = FeedId::for_url(URL);
    let lib = service.library();
    let records = block_on(lib.records(&id)).unwrap();
    let status = |e: &str| records.iter().find(|r| r.id == e).unwrap().status.clone();
    assert!(status("d").read, "Real Python's new entry arrived read");
    assert!(status("e").hidden, "Django's new entry is hidden");
    assert!(!status("a").read, "the old entries are left alone");
    assert!(!status("b").hidden);
    // The badge counts the three old entries: the new ones are read or hidden.
    assert_eq!(fakes.badge(), "3");
    let page = block_on(lib.page(&View::every(Scope::All), None, 50)).unwrap();
    assert!(page.entries.iter().all(|r| r.id != "e"), "no view lists a hidden entry");
}

#[test]
fn one_notification_a_refresh_for_feeds_that_notify_and_none_when_off() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL, OTHER]);
    assert!(fakes.notifications.0.borrow().is_empty(), "the first fetch notifies nothing");
    // Off (the default): nothing.
    fakes.net.answer(URL, Answer::ok(&feed(&with_new_items())));
    block_on(service.refresh(true, None)).unwrap();
    assert!(fakes.notifications.0.borrow().is_empty(), "notifications are off");

    // Every feed, in German: one notice for the new entries of both feeds.
    put(&service, json!({ "notifications": "all", "language": "de" }));
    let mut more = vec![("f", "Real Python: Six"), ("g", "PyCoder: Seven")];
    more.extend(with_new_items());
    fakes.net.answer(URL, Answer::ok(&feed(&more)));
    fakes.net.answer(OTHER, Answer::ok(&feed(&with_new_items())));
    let report = block_on(service.refresh(true, None)).unwrap();
    let shown = fakes.notifications.0.borrow().clone();
    assert_eq!(shown.len(), 1, "one notice for the whole refresh");
    let (notice, language) = &shown[0];
    assert_eq!((notice.count, notice.feeds, report.notified), (4, 2, 4));
    assert_eq!(language.as_deref(), Some("de"));
    assert_eq!(notice.address, Address::View(View::default()), "two feeds: every unread entry");

    // Chosen feeds: only the chosen one, and where a click goes is its list.
    let id = FeedId::for_url(OTHER);
    put(
        &service,
        json!({ "notifications": "chosen", "feeds": { id.0.clone(): { "notify": true } } }),
    );
    let mut newer = vec![("h", "Real Python: Eight"), ("i", "Talk Python: Nine")];
    newer.extend(with_new_items());
    fakes.net.answer(URL, Answer::ok(&feed(&newer)));
    fakes.net.answer(OTHER, Answer::ok(&feed(&newer)));
    block_on(service.refresh(true, None)).unwrap();
    let shown = fakes.notifications.0.borrow().clone();
    assert_eq!(shown.len(), 2);
    let notice = &shown[1].0;
    assert_eq!(notice.count, 2);
    assert_eq!(notice.address, Address::View(View::unread(Scope::Feed { feed: id })));
    assert_eq!(notice.lines[0], ("Real Python".to_string(), "Eight".to_string()));
}

#[test]
fn a_notify_rule_tells_of_its_entries_only_unless_their_feed_notifies() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL]);
    put(&service, json!({ "notifications": "chosen" }));
    block_on(service.put_rules(&json!({ "rules": [
        { "field": "title", "pattern": "four*", "action": "notify" }
    ]})))
    .unwrap();
    fakes.net.answer(URL, Answer::ok(&feed(&with_new_items())));
    block_on(service.refresh(true, None)).unwrap();
    let shown = fakes.notifications.0.borrow().clone();
    assert_eq!(shown.len(), 1);
    let id = FeedId::for_url(URL);
    assert_eq!(
        shown[0].0.address,
        Address::Entry { feed: id, id: "d".into() },
        "one entry: a click opens it"
    );
}

#[test]
fn the_badge_counts_chosen_feeds_or_nothing_and_turns_red_when_every_feed_fails() {
    let fakes = Fakes::default();
    let service = installed(&fakes, &[URL, OTHER]);
    assert_eq!(fakes.badge(), "6");
    let id = FeedId::for_url(OTHER);
    put(&service, json!({ "badge": "chosen", "feeds": { id.0.clone(): { "badge": true } } }));
    assert_eq!(fakes.badge(), "3");
    put(&service, json!({ "badge": "off", "language": "fr" }));
    assert_eq!(fakes.badge(), "");
    // Both feeds fail: the error state, even with the badge off.
    fakes.net.answer(URL, Answer::status(500));
    fakes.net.answer(OTHER, Answer::status(503));
    block_on(service.refresh(true, None)).unwrap();
    assert_eq!(fakes.badge(), "!");
    let (state, language) = fakes.badge.1.borrow().clone().unwrap();
    assert!(state.failing);
    assert_eq!(language.as_deref(), Some("fr"), "the error's title in the chosen language");
    // One recovers: no error any more.
    fakes.net.answer(OTHER, Answer::ok(&feed(&first_items())));
    block_on(service.refresh(true, None)).unwrap();
    assert!(!fakes.badge.1.borrow().clone().unwrap().0.failing);
}
