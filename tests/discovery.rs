//! Feed discovery on pages in the shape real blog engines write them: each test asserts the
//! exact candidate URLs, their order and where each came from.

use planet_reader::core::discovery::{
    candidates, links_from_html, page_text, well_known_candidates, Candidate, CandidateSource,
    PageLink,
};
use CandidateSource::{Anchor, LinkAlternate};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/discovery/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the worker does for a pasted URL: extract the links of the fetched page, rank them.
fn discover(name: &str, page_url: &str) -> Vec<Candidate> {
    candidates(page_url, &links_from_html(&fixture(name), page_url))
}

fn found(c: &[Candidate]) -> Vec<(&str, CandidateSource)> {
    c.iter().map(|c| (c.url.as_str(), c.source)).collect()
}

fn titles(c: &[Candidate]) -> Vec<Option<&str>> {
    c.iter().map(|c| c.title.as_deref()).collect()
}

#[test]
fn wordpress_post_offers_the_posts_feed_then_both_comments_feeds() {
    let c = discover("wordpress-post.html", "https://wpblog.example/2024/03/hello-world/");
    // Not the REST API or oEmbed alternates, nor the link written by a script.
    assert_eq!(
        found(&c),
        [
            ("https://wpblog.example/feed/", LinkAlternate),
            ("https://wpblog.example/comments/feed/", LinkAlternate),
            ("https://wpblog.example/2024/03/hello-world/feed/", LinkAlternate),
        ]
    );
    assert_eq!(
        titles(&c),
        [
            Some("Example WP Blog » Feed"),
            Some("Example WP Blog » Comments Feed"),
            Some("Example WP Blog » Hello world! Comments Feed"),
        ]
    );
    assert_eq!(c[0].mime_type.as_deref(), Some("application/rss+xml"));
}

#[test]
fn wordpress_without_automatic_feed_links_still_offers_the_site_feed_first() {
    // Only the post's comments feed is declared; the site's feeds are footer anchors. The
    // posts feed comes first although it is only an anchor: comments feeds rank last.
    let c =
        discover("wordpress-classic-theme.html", "https://classic.example/2024/03/hello-world/");
    assert_eq!(
        found(&c),
        [
            ("https://classic.example/feed/", Anchor),
            ("https://classic.example/2024/03/hello-world/feed/", LinkAlternate),
            ("https://classic.example/comments/feed/", Anchor),
        ]
    );
    assert_eq!(titles(&c)[0], Some("Entries RSS"));
}

#[test]
fn ghost_home_offers_rss_slash() {
    let c = discover("ghost-home.html", "https://ghost.example/");
    assert_eq!(found(&c), [("https://ghost.example/rss/", LinkAlternate)]);
    assert_eq!(titles(&c), [Some("Ghost Example")]);
}

#[test]
fn hugo_section_offers_its_own_feed_then_the_site_feed_from_the_footer() {
    let c = discover("hugo-section.html", "https://hugo.example/posts/");
    assert_eq!(
        found(&c),
        [
            ("https://hugo.example/posts/index.xml", LinkAlternate),
            ("https://hugo.example/index.xml", Anchor),
        ]
    );
    // The <link> has no title: the RSS icon's title fills it in.
    assert_eq!(titles(&c), [Some("RSS"), Some("Site RSS")]);
}

#[test]
fn jekyll_post_offers_feed_xml_once() {
    let c = discover(
        "jekyll-post.html",
        "https://jekyll.example/jekyll/update/2024/01/15/welcome-to-jekyll.html",
    );
    assert_eq!(found(&c), [("https://jekyll.example/feed.xml", LinkAlternate)]);
    assert_eq!(c[0].mime_type.as_deref(), Some("application/atom+xml"));
}

#[test]
fn substack_post_offers_slash_feed_and_not_the_post_links_whose_slug_mentions_feeds() {
    let c = discover("substack-post.html", "https://example.substack.com/p/issue-42-on-feeds");
    assert_eq!(found(&c), [("https://example.substack.com/feed", LinkAlternate)]);
}

#[test]
fn medium_post_offers_the_author_feed() {
    let c = discover("medium-post.html", "https://medium.com/@ada/on-engines-0123456789ab");
    assert_eq!(found(&c), [("https://medium.com/feed/@ada", LinkAlternate)]);
}

#[test]
fn blogger_post_offers_atom_then_rss_then_the_post_comments() {
    let c = discover("blogger-post.html", "https://someone.blogspot.com/2024/01/post.html");
    assert_eq!(
        found(&c),
        [
            ("https://someone.blogspot.com/feeds/posts/default", LinkAlternate),
            ("https://someone.blogspot.com/feeds/posts/default?alt=rss", LinkAlternate),
            (
                "https://someone.blogspot.com/feeds/9876543210987654321/comments/default",
                LinkAlternate
            ),
        ]
    );
    assert_eq!(titles(&c)[0], Some("Someone's Blog - Atom"));
}

#[test]
fn microblog_offers_rss_and_json_feed() {
    let c = discover("microblog-home.html", "https://microblog.example/");
    assert_eq!(
        found(&c),
        [
            ("https://microblog.example/feed.xml", LinkAlternate),
            ("https://microblog.example/feed.json", LinkAlternate),
        ]
    );
    assert_eq!(c[1].mime_type.as_deref(), Some("application/json"));
}

#[test]
fn a_page_whose_only_hint_is_an_anchor() {
    let c = discover("anchor-only.html", "https://plain.example/notes/");
    // The icon's alt text names the feed; the blogroll's feed comes after the site's own;
    // the validator badge and /feedback are not feeds.
    assert_eq!(
        found(&c),
        [
            ("https://plain.example/notes/atom.xml", Anchor),
            ("https://friend.example/rss.xml", Anchor)
        ]
    );
    assert_eq!(titles(&c), [Some("Atom feed"), Some("rss")]);
}

#[test]
fn a_page_with_feed_scheme_links() {
    let c = discover("feed-scheme.html", "https://old.example/");
    assert_eq!(
        found(&c),
        [("http://old.example/index.rdf", Anchor), ("https://old.example/atom.xml", Anchor)]
    );
}

#[test]
fn a_page_with_base_href_resolves_against_the_base() {
    let c = discover("base-href.html", "https://site.example/docs/release-notes.html");
    assert_eq!(
        found(&c),
        [
            ("https://site.example/blog/feed.atom", LinkAlternate),
            ("https://site.example/blog/rss.xml", Anchor),
        ]
    );
}

#[test]
fn a_page_with_no_feed_offers_nothing_but_well_known_paths_remain() {
    let c = discover("no-feed.html", "https://none.example/");
    assert_eq!(found(&c), []);

    let guesses = well_known_candidates("https://none.example/");
    let urls: Vec<&str> = guesses.iter().map(|c| c.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://none.example/feed/",
            "https://none.example/feed",
            "https://none.example/rss/",
            "https://none.example/rss",
            "https://none.example/rss.xml",
            "https://none.example/atom.xml",
            "https://none.example/feed.xml",
            "https://none.example/index.xml",
            "https://none.example/feed.json",
            "https://none.example/atom",
            "https://none.example/index.rss",
            "https://none.example/?feed=rss2",
        ]
    );
    assert!(guesses.iter().all(|c| c.source == CandidateSource::WellKnown));
}

#[test]
fn links_from_the_injected_script_rank_the_same_way() {
    // What the content script sends: the live DOM's links, hrefs already absolute.
    let links: Vec<PageLink> = serde_json::from_str(&fixture("injected-links.json")).unwrap();
    let c = candidates("https://news.example/world/", &links);
    assert_eq!(
        found(&c),
        [
            ("https://news.example/rss/world.xml", LinkAlternate),
            ("https://news.example/rss/all.xml", LinkAlternate),
            ("https://news.example/rss/", Anchor),
        ]
    );
    assert_eq!(titles(&c), [Some("World news"), Some("All news"), Some("RSS feeds")]);
}

#[test]
fn links_from_html_and_the_dom_agree_on_the_shape_of_a_link() {
    let links = links_from_html(&fixture("jekyll-post.html"), "https://jekyll.example/x.html");
    let feed_link = links.iter().find(|l| l.href == "https://jekyll.example/feed.xml").unwrap();
    assert_eq!(
        feed_link,
        &PageLink {
            rel: Some("alternate".into()),
            href: "https://jekyll.example/feed.xml".into(),
            mime_type: Some("application/atom+xml".into()),
            title: Some("Jekyll Example".into()),
            text: None,
        }
    );
    // The footer's anchor, whose text is spread over an <svg> and a <span>.
    let anchor = links
        .iter()
        .filter(|l| l.href == "https://jekyll.example/feed.xml")
        .find(|l| l.text.is_some())
        .unwrap();
    assert_eq!(
        anchor.text.as_deref().map(str::split_whitespace).unwrap().collect::<Vec<_>>(),
        ["Subscribe"]
    );
}

#[test]
fn a_latin1_page_names_its_feed_in_its_own_charset() {
    let page = b"<html><head><meta charset=\"iso-8859-1\">\
        <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Caf\xe9 \x96 Flux\" href=\"/rss\">";
    let html = page_text(page, Some("text/html"));
    let found =
        candidates("https://cafe.example/", &links_from_html(&html, "https://cafe.example/"));
    assert_eq!(titles(&found), [Some("Caf\u{e9} \u{2013} Flux")]);
}
