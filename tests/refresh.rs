//! The refresh engine against a fake network: conditional requests, faults, redirects,
//! the worker's death in the middle of a run, and the schema migration.

mod support;

use futures::executor::block_on;
use planet_reader::core::schedule::DEFAULT_INTERVAL;
use planet_reader::core::store::{
    FeedId, Subscription, DAY, HOUR, KEY_SUBS, MINUTE, SCHEMA_VERSION,
};
use planet_reader::ports::FetchFailure;
use planet_reader::service::{Config, Service, RESUME_AFTER};
use serde_json::json;
use std::future::Future;
use std::rc::Rc;
use support::{Answer, Fakes, START};

/// An RSS 2.0 feed titled `title` with `n` items whose guids start with `prefix`.
fn rss(title: &str, n: usize, prefix: &str) -> String {
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item><title>Post {i}</title><guid>{prefix}-{i}</guid>\
                 <link>https://blog.example/{prefix}/{i}</link>\
                 <description>&lt;p&gt;Body {i}&lt;/p&gt;</description>\
                 <pubDate>Tue, 28 Apr 2026 {:02}:00:00 GMT</pubDate></item>",
                i % 24
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
             <link>https://blog.example/</link>{items}</channel></rss>"
    )
}

fn url(n: usize) -> String {
    format!("http://127.0.0.1:8000/feed/{n}.xml")
}

/// A service subscribed to `n` feeds at `url(0..n)` (as a fresh install with those defaults).
fn subscribed(fakes: &Fakes, n: usize) -> Rc<Service<Fakes>> {
    let service = fakes
        .service_with(Config { default_feeds: (0..n).map(url).collect(), ..Config::default() });
    block_on(service.start()).unwrap();
    service
}

fn error_of(service: &Service<Fakes>, n: usize) -> Option<String> {
    let snap = block_on(service.snapshot()).unwrap();
    snap.feeds
        .iter()
        .find(|f| f.url == url(n) || f.id == FeedId::for_url(&url(n)))
        .unwrap()
        .error
        .clone()
}

#[test]
fn the_second_refresh_is_conditional_and_a_304_writes_nothing() {
    let fakes = Fakes::default();
    fakes.net.answer(&url(0), Answer::tagged(&rss("A", 5, "a"), "\"v1\""));
    let service = subscribed(&fakes, 1);
    block_on(service.refresh(false, None)).unwrap();
    let (writes, bytes) = fakes.store.writes.get();

    fakes.advance(DEFAULT_INTERVAL);
    let report = block_on(service.refresh(false, None)).unwrap();
    let requests = fakes.net.requests.borrow();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].etag.as_deref(), Some("\"v1\""));
    assert_eq!((report.fetched, report.unchanged, report.bytes_written), (1, 1, 0));
    assert_eq!(fakes.store.writes.get(), (writes, bytes), "no storage.local write at all");
    // The check time went to storage.session, so a new worker knows the feed is not due.
    drop(requests);
    let again = fakes.service();
    block_on(again.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&url(0)), 2);
}

#[test]
fn a_500_backs_off_and_the_feed_recovers() {
    let fakes = Fakes::default();
    fakes.net.answer(&url(0), Answer::status(500));
    let service = subscribed(&fakes, 1);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(error_of(&service, 0).as_deref(), Some("the server answered HTTP 500"));
    // Not retried before the backoff (30 min + jitter) has passed.
    fakes.advance(29 * MINUTE);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&url(0)), 1);
    fakes.advance(10 * MINUTE);
    fakes.net.answer(&url(0), Answer::ok(&rss("A", 3, "a")));
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!((report.fetched, report.added), (1, 3));
    assert_eq!(error_of(&service, 0), None);
}

#[test]
fn retry_after_on_429_is_honoured() {
    let fakes = Fakes::default();
    fakes.net.answer(&url(0), Answer::with_header(429, "retry-after", "7200"));
    let service = subscribed(&fakes, 1);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(error_of(&service, 0).as_deref(), Some("the server answered HTTP 429"));
    assert_eq!(fakes.alarms.0.get(), Some(START + 2 * HOUR));
    fakes.advance(2 * HOUR - MINUTE);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&url(0)), 1, "still waiting as asked");
    fakes.advance(MINUTE);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&url(0)), 2);
}

#[test]
fn a_permanent_redirect_moves_the_subscription_and_a_temporary_one_does_not() {
    let fakes = Fakes::default();
    let moved = "https://new.example/feed.xml".to_string();
    fakes.net.answer(&url(0), Answer::Redirect { to: moved.clone(), permanent: true });
    fakes.net.answer(&url(1), Answer::Redirect { to: url(2), permanent: false });
    fakes.net.answer(&moved, Answer::ok(&rss("Moved", 2, "m")));
    fakes.net.answer(&url(2), Answer::ok(&rss("Elsewhere", 2, "e")));
    let service = subscribed(&fakes, 2);
    block_on(service.refresh(false, None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    let urls: Vec<&str> = snap.feeds.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(urls, [moved.as_str(), url(1).as_str()]);
    assert_eq!(snap.feeds[0].id, FeedId::for_url(&url(0)), "same feed, same entries");
    assert_eq!(snap.unread, 4);
    fakes.advance(DEFAULT_INTERVAL);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&moved), 1, "the next refresh goes straight to the new URL");
}

#[test]
fn gone_stops_polling_but_keeps_the_entries() {
    let fakes = Fakes::default();
    fakes.net.answer(&url(0), Answer::ok(&rss("A", 3, "a")));
    let service = subscribed(&fakes, 1);
    block_on(service.refresh(false, None)).unwrap();
    fakes.net.answer(&url(0), Answer::status(410));
    fakes.advance(DEFAULT_INTERVAL);
    block_on(service.refresh(false, None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert!(snap.feeds[0].gone);
    assert_eq!(snap.feeds[0].next_due, None);
    assert_eq!(snap.unread, 3);
    fakes.advance(7 * DAY);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(fakes.net.count(&url(0)), 2, "not polled any more");
    // A refresh by hand still tries; the feed is back when it answers.
    fakes.net.answer(&url(0), Answer::ok(&rss("A", 4, "a")));
    block_on(service.refresh(true, Some(&FeedId::for_url(&url(0))))).unwrap();
    assert!(!block_on(service.snapshot()).unwrap().feeds[0].gone);
}

#[test]
fn a_silent_server_times_out_while_the_other_feeds_refresh() {
    let fakes = Fakes::default();
    fakes.net.answer(&url(0), Answer::Fail(FetchFailure::Timeout));
    fakes.net.answer(&url(1), Answer::ok(&rss("B", 2, "b")));
    fakes.net.answer(&url(2), Answer::ok(&rss("C", 3, "c")));
    let service = subscribed(&fakes, 3);
    let report = block_on(service.refresh(false, None)).unwrap();
    assert_eq!((report.fetched, report.failed, report.added), (3, 1, 5));
    assert_eq!(error_of(&service, 0).as_deref(), Some("the server did not answer in 20 s"));
    assert_eq!(fakes.badge(), "5");
}

#[test]
fn a_huge_body_is_cut_at_the_cap_and_stated() {
    let fakes = Fakes::default();
    let huge = format!("<rss version=\"2.0\"><channel>{}</channel></rss>", " ".repeat(20 << 20));
    fakes.net.answer(&url(0), Answer::ok(&huge));
    let service = subscribed(&fakes, 1);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(error_of(&service, 0).as_deref(), Some("the feed is larger than 10 MB"));
    assert!(fakes.net.requests.borrow()[0].max_bytes == 10 << 20);
}

#[test]
fn an_html_page_is_said_to_be_one_and_does_not_stop_other_feeds() {
    let fakes = Fakes::default();
    fakes.net.answer(
        &url(0),
        Answer::ok("<!doctype html><html><head><title>Blog</title></head></html>"),
    );
    fakes.net.answer(&url(1), Answer::ok("{\"error\": \"rate limited\"}"));
    fakes.net.answer(&url(2), Answer::ok(&rss("C", 2, "c")));
    let service = subscribed(&fakes, 3);
    block_on(service.refresh(false, None)).unwrap();
    assert_eq!(error_of(&service, 0).as_deref(), Some("this is an HTML page, not a feed"));
    assert!(error_of(&service, 1).unwrap().contains("not a feed"), "{:?}", error_of(&service, 1));
    assert_eq!(fakes.badge(), "2");
}

#[test]
fn a_worker_stopped_halfway_through_50_feeds_loses_and_doubles_nothing() {
    let fakes = Fakes::default();
    for n in 0..50 {
        fakes.net.answer(&url(n), Answer::ok(&rss(&format!("Feed {n}"), 7, &format!("f{n}"))));
    }
    let service = subscribed(&fakes, 50);
    // The second half of the feeds answer slowly.
    let gates: Vec<_> = (25..50).map(|n| fakes.net.gate(&url(n))).collect();
    {
        let refresh = service.refresh(false, None);
        futures::pin_mut!(refresh);
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(refresh.as_mut().poll(&mut cx).is_pending());
        // While the slow half is awaited, the badge already counts the first half.
        assert_eq!(fakes.badge(), (25 * 7).to_string());
    } // the worker is stopped: the refresh future is gone mid-flight
    drop(gates);
    // Even if nothing wakes the worker, the alarm set before fetching brings it back soon.
    assert_eq!(fakes.alarms.0.get(), Some(START + RESUME_AFTER));
    let done = block_on(service.snapshot()).unwrap();
    assert_eq!(done.unread, 25 * 7, "the first half was stored, feed by feed");
    // Read marks made meanwhile.
    for e in done.entries.iter().take(10) {
        block_on(service.mark_read(&e.feed, &e.id, true)).unwrap();
    }
    // A new worker: only the unfinished feeds are due, and all of them complete.
    let again = fakes.service();
    block_on(again.start()).unwrap();
    let report = block_on(again.refresh(false, None)).unwrap();
    assert_eq!((report.fetched, report.added), (25, 25 * 7));
    let snap = block_on(again.snapshot()).unwrap();
    assert_eq!(snap.unread, 50 * 7 - 10);
    assert!(snap.feeds.iter().all(|f| f.error.is_none() && f.checked.is_some()));
    assert_eq!(fakes.badge(), (50 * 7 - 10).to_string());
    assert_eq!(fakes.net.requests.borrow().len(), 50 + 4, "25 done + 4 cut short, then 25");
}

#[test]
fn version_1_data_is_migrated_at_start() {
    let fakes = Fakes::default();
    let id = FeedId::for_url(&url(0));
    let sub = Subscription { id: id.clone(), url: url(0), title: None, folder: None, added: 1 };
    fakes.store.data.borrow_mut().extend([
        ("meta".to_string(), json!({"schema": 1})),
        (KEY_SUBS.to_string(), json!([sub])),
        (
            format!("feed:{id}"),
            json!({"title": "Old", "etag": "\"e\"", "next_due": START + HOUR,
            "last_attempt": START - HOUR, "last_success": START - HOUR, "failures": 2}),
        ),
    ]);
    let service = fakes.service();
    block_on(service.start()).unwrap();
    assert_eq!(fakes.store.data.borrow()["meta"], json!({"schema": SCHEMA_VERSION}));
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.feeds.len(), 1, "the default is not added to a migrated profile");
    assert_eq!(snap.feeds[0].title, "Old");
    // The failing feed's backoff survived: it is not due until v1's next_due.
    assert_eq!(snap.feeds[0].next_due, Some(START + HOUR));
}

#[test]
fn version_2_content_maps_are_split_at_start_and_entries_still_open() {
    let fakes = Fakes::default();
    let id = FeedId::for_url(&url(0));
    let sub = Subscription { id: id.clone(), url: url(0), title: None, folder: None, added: 1 };
    fakes.store.data.borrow_mut().extend([
        ("meta".to_string(), json!({"schema": 2})),
        (KEY_SUBS.to_string(), json!([sub])),
        (format!("entries:{id}"), json!([{"id": "e1", "title": "One", "hash": "h"}])),
        (format!("status:{id}"), json!({"e1": {"arrived": START, "read": false}})),
        (format!("content:{id}"), json!({"e1": "<p>Hello</p>"})),
    ]);
    let service = fakes.service();
    block_on(service.start()).unwrap();
    {
        let data = fakes.store.data.borrow();
        assert_eq!(data["meta"], json!({"schema": SCHEMA_VERSION}));
        assert!(!data.contains_key(&format!("content:{id}")), "the old map is gone");
    }
    let opened = block_on(service.entry(&id, "e1")).unwrap();
    assert_eq!(opened.html, "<p>Hello</p>");
    assert_eq!(fakes.badge(), "1");
}
