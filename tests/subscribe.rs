//! Subscribing: discovery on a tab or a typed address, subscribe, unsubscribe, rename,
//! OPML export and import, and host access.

mod support;

use futures::executor::block_on;
use planet_reader::core::discovery::{CandidateSource, PageLink};
use planet_reader::core::model::FormatFamily;
use planet_reader::ports::TabPage;
use planet_reader::service::{Config, Service};
use std::rc::Rc;
use support::{Answer, Fakes};

const SITE: &str = "http://127.0.0.1:8000";

fn rss(title: &str, n: usize) -> String {
    let title = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item><title>{title} {i}</title><guid>{title}-{i}</guid>\
                 <description>Post {i}</description></item>"
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>")
}

fn alternate(href: &str, title: &str) -> PageLink {
    PageLink {
        rel: Some("alternate".into()),
        href: href.into(),
        mime_type: Some("application/rss+xml".into()),
        title: Some(title.into()),
        text: None,
    }
}

/// A fresh profile with no subscriptions.
fn empty(fakes: &Fakes) -> Rc<Service<Fakes>> {
    let service = fakes.service_with(Config { default_feeds: vec![], ..Config::default() });
    block_on(service.start()).unwrap();
    service
}

fn tab(fakes: &Fakes, id: i32, url: &str, links: Vec<PageLink>) {
    fakes
        .tabs
        .0
        .borrow_mut()
        .insert(id, TabPage { url: url.into(), content_type: Some("text/html".into()), links });
}

#[test]
fn a_page_declaring_its_feeds_offers_them_checked_posts_before_comments() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    let blog = format!("{SITE}/blog/");
    tab(
        &fakes,
        7,
        &blog,
        vec![
            alternate(&format!("{SITE}/blog/comments/feed/"), "Blog » Comments Feed"),
            alternate(&format!("{SITE}/blog/feed/"), "Blog » Feed"),
        ],
    );
    fakes.net.answer(&format!("{SITE}/blog/feed/"), Answer::ok(&rss("My Blog", 4)));
    fakes
        .net
        .answer(&format!("{SITE}/blog/comments/feed/"), Answer::ok(&rss("Comments on My Blog", 9)));
    let found = block_on(service.discover_tab(7)).unwrap();
    assert_eq!(found.page_url, blog);
    let summary: Vec<_> =
        found.feeds.iter().map(|f| (f.url.as_str(), f.title.as_deref(), f.entries)).collect();
    assert_eq!(
        summary,
        [
            (format!("{SITE}/blog/feed/").as_str(), Some("My Blog"), Some(4)),
            (format!("{SITE}/blog/comments/feed/").as_str(), Some("Comments on My Blog"), Some(9)),
        ]
    );
    assert_eq!(found.feeds[0].format.as_deref(), Some("RSS 2.0"));
    assert!(found.feeds.iter().all(|f| !f.subscribed));
    // No guessing when the page says where its feeds are.
    assert_eq!(fakes.net.requests.borrow().len(), 2);
}

#[test]
fn a_page_that_declares_nothing_is_probed_at_the_usual_addresses() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    tab(&fakes, 1, &format!("{SITE}/blog/"), vec![]);
    fakes.net.answer(&format!("{SITE}/feed.xml"), Answer::ok(&rss("Jekyll site", 3)));
    let found = block_on(service.discover_tab(1)).unwrap();
    assert_eq!(found.feeds.len(), 1);
    assert_eq!(found.feeds[0].url, format!("{SITE}/feed.xml"));
    assert_eq!(found.feeds[0].source, CandidateSource::WellKnown);
}

#[test]
fn a_page_with_no_feed_anywhere_finds_none_and_a_restricted_page_says_so() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    tab(&fakes, 1, &format!("{SITE}/about/"), vec![]);
    assert!(block_on(service.discover_tab(1)).unwrap().feeds.is_empty());
    let err = block_on(service.discover_tab(99)).unwrap_err();
    assert!(err.0.starts_with("Planet Reader cannot read this page"), "{err}");
}

#[test]
fn a_feed_open_in_a_tab_is_offered_itself() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    let url = format!("{SITE}/rss.xml");
    fakes.tabs.0.borrow_mut().insert(
        3,
        TabPage { url: url.clone(), content_type: Some("text/xml".into()), links: vec![] },
    );
    fakes.net.answer(&url, Answer::ok(&rss("Raw", 2)));
    let found = block_on(service.discover_tab(3)).unwrap();
    assert_eq!(found.feeds[0].url, url);
    assert_eq!(found.feeds[0].source, CandidateSource::PageIsFeed);
}

#[test]
fn a_declared_feed_on_a_site_without_access_is_listed_unchecked() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    fakes.permissions.denied.borrow_mut().push("https://feeds.example.net".into());
    tab(
        &fakes,
        1,
        &format!("{SITE}/blog/"),
        vec![alternate("https://feeds.example.net/blog", "Blog")],
    );
    let found = block_on(service.discover_tab(1)).unwrap();
    assert_eq!(found.feeds.len(), 1);
    assert_eq!(
        found.feeds[0].problem.as_deref(),
        Some("not checked: Planet Reader may not read that site yet")
    );
    assert_eq!(found.feeds[0].title.as_deref(), Some("Blog"));
}

#[test]
fn a_typed_address_is_a_feed_or_a_page_leading_to_one() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    fakes.net.answer(&format!("{SITE}/atom.xml"), Answer::ok(&rss("Typed", 1)));
    let found = block_on(service.discover_url(&format!("{SITE}/atom.xml"))).unwrap();
    assert_eq!(found.feeds[0].source, CandidateSource::PageIsFeed);
    let page = r#"<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>"#;
    fakes.net.answer(&format!("{SITE}/"), Answer::ok(page));
    let found = block_on(service.discover_url(&format!("{SITE}/"))).unwrap();
    assert_eq!(found.feeds[0].url, format!("{SITE}/atom.xml"));
    assert_eq!(found.feeds[0].source, CandidateSource::LinkAlternate);
    assert!(block_on(service.discover_url("javascript:alert(1)")).is_err());
}

#[test]
fn a_typed_site_whose_front_page_answers_404_is_probed_at_the_usual_addresses() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    fakes.net.answer(&format!("{SITE}/"), Answer::status(404));
    fakes.net.answer(&format!("{SITE}/index.xml"), Answer::ok(&rss("Hugo Site", 3)));
    let found = block_on(service.discover_url(&format!("{SITE}/"))).unwrap();
    assert_eq!(found.feeds.len(), 1, "{found:?}");
    assert_eq!(found.feeds[0].url, format!("{SITE}/index.xml"));
    assert_eq!(found.feeds[0].source, CandidateSource::WellKnown);
    // Nothing anywhere: the error says both.
    fakes.net.answer(&format!("{SITE}/index.xml"), Answer::status(404));
    let err = block_on(service.discover_url(&format!("{SITE}/"))).unwrap_err();
    assert!(err.0.contains("HTTP 404") && err.0.contains("usual addresses"), "{err}");
}

#[test]
fn a_typed_latin1_page_leads_to_its_feed_at_a_non_ascii_address() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    // "é" is one byte in Latin-1; the URL holds its UTF-8 percent-encoded, as browsers do.
    let page = b"<head><meta charset=iso-8859-1><link rel=alternate \
        type=application/rss+xml href=/caf\xe9/feed.xml></head>";
    let body = Answer::Body { status: 200, body: page.to_vec(), headers: vec![] };
    fakes.net.answer(&format!("{SITE}/"), body);
    fakes.net.answer(&format!("{SITE}/caf%C3%A9/feed.xml"), Answer::ok(&rss("Café", 2)));
    let found = block_on(service.discover_url(&format!("{SITE}/"))).unwrap();
    assert_eq!(found.feeds.len(), 1, "{found:?}");
    assert_eq!(found.feeds[0].url, format!("{SITE}/caf%C3%A9/feed.xml"));
    assert_eq!(found.feeds[0].title.as_deref(), Some("Café"));
}

/// One blog's posts as Atom and as JSON Feed, with the same ids as `rss` gives them.
fn atom(title: &str, n: usize) -> String {
    let entries: String = (0..n)
        .map(|i| format!("<entry><id>{title}-{i}</id><title>{title} {i}</title></entry>"))
        .collect();
    format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{title}</title>{entries}</feed>")
}

fn json_feed(title: &str, n: usize) -> String {
    let items: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"id": format!("{title}-{i}"), "title": format!("{title} {i}")}))
        .collect();
    serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items})
        .to_string()
}

#[test]
fn one_blog_in_rss_atom_and_json_is_one_row_offering_the_three_and_the_pick_is_subscribed() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    let (rss_url, atom_url, json_url) = (
        format!("{SITE}/blog/feed/"),
        format!("{SITE}/blog/atom.xml"),
        format!("{SITE}/blog/feed.json"),
    );
    let typed = |href: &str, mime: &str| PageLink {
        mime_type: Some(mime.into()),
        ..alternate(href, "The Blog")
    };
    tab(
        &fakes,
        3,
        &format!("{SITE}/blog/"),
        vec![
            typed(&rss_url, "application/rss+xml"),
            typed(&atom_url, "application/atom+xml"),
            typed(&json_url, "application/feed+json"),
        ],
    );
    fakes.net.answer(&rss_url, Answer::ok(&rss("The Blog", 3)));
    fakes.net.answer(&atom_url, Answer::ok(&atom("The Blog", 3)));
    fakes.net.answer(&json_url, Answer::ok(&json_feed("The Blog", 3)));

    let found = block_on(service.discover_tab(3)).unwrap();
    assert_eq!(found.feeds.len(), 1, "{found:?}");
    let row = &found.feeds[0];
    assert_eq!((row.url.as_str(), row.format.as_deref()), (rss_url.as_str(), Some("RSS 2.0")));
    assert_eq!(row.family, Some(FormatFamily::Rss));
    let offered: Vec<_> =
        row.alternatives.iter().map(|a| (a.url.as_str(), a.format.as_str())).collect();
    assert_eq!(offered, [(atom_url.as_str(), "Atom 1.0"), (json_url.as_str(), "JSON Feed 1.1")]);

    // The person picks Atom: the subscription is the Atom URL, and the row is subscribed.
    block_on(service.subscribe(&atom_url, row.title.clone())).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    let urls: Vec<_> = snap.feeds.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(urls, [atom_url.as_str()]);
    assert!(block_on(service.discover_tab(3)).unwrap().feeds[0].subscribed);
}

#[test]
fn subscribing_fetches_at_once_and_twice_is_once() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    let url = format!("{SITE}/blog/feed/");
    fakes.net.answer(&url, Answer::ok(&rss("My Blog", 4)));
    let id = block_on(service.subscribe(&url, None)).unwrap();
    assert_eq!(fakes.badge(), "4");
    assert_eq!(block_on(service.subscribe(&format!("{SITE}/blog/feed/#x"), None)).unwrap(), id);
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.feeds.len(), 1);
    assert_eq!(snap.feeds[0].title, "My Blog");
    // Discovery now marks it subscribed.
    tab(&fakes, 1, &format!("{SITE}/blog/"), vec![alternate(&url, "Feed")]);
    assert!(block_on(service.discover_tab(1)).unwrap().feeds[0].subscribed);
}

#[test]
fn unsubscribing_removes_entries_and_read_state_and_the_badge_follows() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    let a = block_on(service.subscribe(&format!("{SITE}/a.xml"), None));
    assert!(a.is_ok()); // no answer configured: subscribed, with a fetch error
    fakes.net.answer(&format!("{SITE}/b.xml"), Answer::ok(&rss("B", 3)));
    let b = block_on(service.subscribe(&format!("{SITE}/b.xml"), None)).unwrap();
    assert_eq!(fakes.badge(), "3");
    let of_b = |store: &str| {
        fakes.db_keys().iter().filter(|k| k.starts_with(store) && k.contains(&b.0)).count()
    };
    assert_eq!((of_b("entries"), of_b("html"), of_b("search"), of_b("feeds")), (3, 3, 3, 1));
    block_on(service.unsubscribe(&b)).unwrap();
    // No unread entry is left, and a, the one feed left, fails: the error state.
    assert_eq!(fakes.badge(), "!");
    let keys = fakes.db_keys();
    let left: Vec<&String> = keys.iter().filter(|k| k.contains(&b.0)).collect();
    assert_eq!(left.len(), 1, "nothing of b is left but its tombstone: {keys:?}");
    let tombstone = fakes.db.dump(planet_reader::core::library::db::StoreName::Feeds);
    assert!(tombstone.iter().any(|f| f["id"] == b.0.as_str() && f["removed"] == true));
    let local: Vec<String> = fakes.store.data.borrow().keys().cloned().collect();
    assert!(local.iter().all(|k| !k.contains(&b.0)), "nor in storage.local: {local:?}");
    assert_eq!(block_on(service.snapshot()).unwrap().feeds.len(), 1);
}

#[test]
fn rename_shows_the_users_name_and_blank_goes_back() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    fakes.net.answer(&format!("{SITE}/b.xml"), Answer::ok(&rss("B", 1)));
    let b = block_on(service.subscribe(&format!("{SITE}/b.xml"), None)).unwrap();
    block_on(service.rename(&b, Some("  My B  ".into()))).unwrap();
    assert_eq!(block_on(service.snapshot()).unwrap().feeds[0].title, "My B");
    block_on(service.rename(&b, Some(" ".into()))).unwrap();
    assert_eq!(block_on(service.snapshot()).unwrap().feeds[0].title, "B");
}

#[test]
fn opml_round_trip_into_a_fresh_profile_keeps_every_subscription() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    for (path, title) in [("a.xml", "Alpha & Co"), ("b.xml", "Beta <β>"), ("c.xml", "Gamma")] {
        fakes.net.answer(&format!("{SITE}/{path}"), Answer::ok(&rss(title, 1)));
        block_on(service.subscribe(&format!("{SITE}/{path}"), None)).unwrap();
    }
    let ids: Vec<_> =
        block_on(service.snapshot()).unwrap().feeds.iter().map(|f| f.id.clone()).collect();
    block_on(service.rename(&ids[2], Some("My gamma".into()))).unwrap();
    let opml = block_on(service.export_opml()).unwrap();

    let other = Fakes::default();
    for (path, title) in [("a.xml", "Alpha & Co"), ("b.xml", "Beta <β>"), ("c.xml", "Gamma")] {
        other.net.answer(&format!("{SITE}/{path}"), Answer::ok(&rss(title, 1)));
    }
    let fresh = empty(&other);
    let preview = block_on(fresh.preview_opml(&opml)).unwrap();
    assert_eq!((preview.new.len(), preview.skipped, preview.problems.len()), (3, 0, 0));
    assert_eq!(block_on(fresh.import(preview.new)).unwrap(), (3, 0));
    let mine = block_on(service.snapshot()).unwrap();
    let theirs = block_on(fresh.snapshot()).unwrap();
    let view = |s: &planet_reader::protocol::Snapshot| {
        s.feeds.iter().map(|f| (f.url.clone(), f.title.clone())).collect::<Vec<_>>()
    };
    assert_eq!(view(&mine), view(&theirs));
    assert_eq!(theirs.unread, 3, "imported feeds are fetched");
    // Importing again skips all of them.
    let again = block_on(fresh.preview_opml(&opml)).unwrap();
    assert_eq!((again.new.len(), again.skipped), (0, 3));
}

#[test]
fn a_feed_without_host_access_says_so_instead_of_failing_obscurely() {
    let fakes = Fakes::default();
    let service = empty(&fakes);
    fakes.permissions.denied.borrow_mut().push(SITE.into());
    block_on(service.subscribe(&format!("{SITE}/a.xml"), None)).unwrap();
    let snap = block_on(service.snapshot()).unwrap();
    assert_eq!(snap.feeds[0].error.as_deref(), Some("Planet Reader may not read this site yet"));
    assert!(snap.feeds[0].no_access, "the popup offers \"Allow access\"");
    assert_eq!(fakes.net.requests.borrow().len(), 0, "no request that would fail anyway");
}
