//! Quirks of real feeds that other parsers' users reported, one test each, on a fixture in
//! tests/fixtures/feeds/quirks/ named after the feed it comes from. The comment above each
//! test names the thread (repository#number) or the spec it comes from; the fixture's first
//! comment says the same. The precedence they rely on is the table in `core::parse`.

use planet_reader::core::model::{Entry, Feed, Format, TextKind};
use planet_reader::core::parse::{parse, ParseContext, ParseErrorKind};

fn quirk(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/quirks/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn feed_at(name: &str, url: &str) -> Feed {
    parse(&quirk(name), &ParseContext { url: Some(url), ..Default::default() })
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn feed(name: &str) -> Feed {
    feed_at(name, "https://feed.example/feed")
}

fn date(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

fn title(e: &Entry) -> String {
    e.title.as_ref().map(|t| t.to_plain()).unwrap_or_default()
}

fn summary(e: &Entry) -> &str {
    e.summary.as_ref().map_or("", |t| t.value.as_str())
}

fn content(e: &Entry) -> &str {
    e.content.as_ref().map_or("", |t| t.value.as_str())
}

fn author(e: &Entry) -> (Option<&str>, Option<&str>) {
    let a = e.author.as_ref();
    (a.and_then(|a| a.name.as_deref()), a.and_then(|a| a.email.as_deref()))
}

// --- JSON Feed: a feed by its shape, its version as written ------------------------------

// The issue (#15); FeedKit#224: real generators write "version": "1.1".
#[test]
fn json_feed_with_version_1_1_as_a_number_string() {
    let f = feed("jsonfeed_version_1_1_string.json");
    assert_eq!(f.format, Format::Json11);
    assert_eq!(f.format.name(), "json11");
    assert_eq!(f.entries[0].link.as_deref(), Some("https://short.example/1"));
}

// The issue (#15): "version": "1.0".
#[test]
fn json_feed_with_version_1_0_as_a_number_string() {
    let f = feed("jsonfeed_version_1_0_string.json");
    assert_eq!(f.format, Format::Json10);
    assert_eq!(f.entries[0].content.as_ref().unwrap().kind, TextKind::Html);
}

// microdotblog/issues#51: micro.blog's feed.json had no version at first.
#[test]
fn json_feed_without_version_is_read_by_its_shape() {
    let f = feed("microblog_no_version.json");
    assert_eq!((f.format, f.format.name(), f.format.label()), (Format::Json, "json", "JSON Feed"));
    assert_eq!(f.self_link.as_deref(), Some("http://micro.thingelstad.example/feed.json"));
    assert_eq!(f.entries[0].published, Some(date("2017-05-19T02:05:00Z")));
}

// manton/JSONFeed#68: a reader should not refuse a version it does not know.
#[test]
fn json_feed_of_a_future_version_is_read() {
    let f = feed("jsonfeed_future_version.json");
    assert_eq!(f.format, Format::Json);
    assert_eq!(f.self_link.as_deref(), Some("https://future.example/feed.json"));
}

// The shape rule's other side: JSON with `items` but neither a title nor a feed_url (a
// WordPress REST answer, say) is not a feed.
#[test]
fn json_with_items_but_no_title_or_feed_url_is_not_a_feed() {
    let err = parse(&quirk("json_api_not_a_feed.json"), &ParseContext::default()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::NotAFeed);
}

// hnrss#43 ("author" as a bare string); miniflux#3991 ("authors" as one object).
#[test]
fn json_authors_written_as_a_string_or_as_one_object() {
    let f = feed("hnrss_author_string.json");
    assert_eq!(f.author.as_ref().unwrap().name.as_deref(), Some("hnrss.org"));
    assert_eq!(author(&f.entries[0]).0, Some("pg"));
    let dang = f.entries[1].author.as_ref().unwrap();
    assert_eq!(dang.name.as_deref(), Some("dang"));
    assert_eq!(dang.uri.as_deref(), Some("https://news.example/user?id=dang"));
    assert_eq!(author(&f.entries[2]).0, Some("hnrss.org"), "the feed's author");
}

// nextcloud/news#1803 and JSON Feed 1.1 ("if not specified in an item, then the top-level
// authors ... are the authors of the item"); FeedKit#224 (url-only authors, empty arrays).
#[test]
fn json_items_without_authors_have_the_feeds() {
    let f = feed("jsonfeed_11_feed_authors.json");
    let names: Vec<_> = f.entries.iter().map(|e| author(e).0).collect();
    assert_eq!(names, [Some("Guest Writer"), Some("Brent Simmons"), Some("Old Style"), None]);
    // An author with a URL and no name is an author (another person than the feed's).
    let url_only = f.entries[3].author.as_ref().unwrap();
    assert_eq!(url_only.uri.as_deref(), Some("https://someone.example/"));
}

// rubycocos/feedparser#9 (jvt.me): items without id or url, empty strings, a tag written
// as a string, images.
#[test]
fn json_empty_strings_are_missing_and_items_without_ids_are_kept() {
    let f = feed_at("jvt_sparse_items.json", "https://www.jvt.example/feed.json");
    assert_eq!(f.description, None, "\"description\": \"\" is no description");
    assert_eq!(f.entries.len(), 2);
    let first = &f.entries[0];
    assert!(first.id.starts_with("hash:"));
    assert_eq!(first.image.as_deref(), Some("https://www.jvt.example/img/profile.png"));
    let second = &f.entries[1];
    assert_eq!(second.summary, None);
    // `content_html` is empty: `content_text` is the content.
    assert_eq!(
        second.content.as_ref().map(|t| (t.kind, t.value.as_str())),
        Some((TextKind::Plain, "JWTs? JWKs?"))
    );
    assert_eq!(second.image.as_deref(), Some("https://www.jvt.example/img/profile.png"));
    assert_eq!(second.categories, ["jwt"]);
    assert_eq!(
        second.id,
        parse(
            &quirk("jvt_sparse_items.json"),
            &ParseContext { url: Some("https://www.jvt.example/feed.json"), ..Default::default() }
        )
        .unwrap()
        .entries[1]
            .id
    );
}

// --- Atom elements inside RSS ---------------------------------------------------------------

// The issue (#15): atom:author, atom:content, atom:published, atom:updated, atom:link,
// atom:summary, atom:id, atom:title, atom:category fill an RSS item that lacks the RSS ones.
#[test]
fn atom_elements_fill_an_rss_item() {
    let f = feed_at("rss_with_atom_elements.xml", "https://mixed.example/feed.rss");
    assert_eq!(f.self_link.as_deref(), Some("https://mixed.example/feed.rss"));
    assert_eq!(f.updated, Some(date("2025-10-16T08:00:00Z")));
    assert_eq!(f.author.as_ref().unwrap().name.as_deref(), Some("The Editors"));
    let e = &f.entries[0];
    assert_eq!(e.id, "tag:mixed.example,2025:1");
    assert_eq!(title(e), "Atom title");
    assert_eq!(e.title.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(e.link.as_deref(), Some("https://mixed.example/2025/10/one"));
    assert_eq!(e.published, Some(date("2025-10-15T10:00:00Z")));
    assert_eq!(e.updated, Some(date("2025-10-16T07:30:00Z")));
    assert_eq!(author(e), (Some("Ada"), Some("ada@mixed.example")));
    assert_eq!(summary(e), "A short summary.");
    // type="xhtml": unwrapped as in Atom itself.
    assert_eq!(content(e), "<p>The <b>whole</b> post.</p>");
    assert_eq!(e.content.as_ref().unwrap().kind, TextKind::Xhtml);
    assert_eq!(e.enclosures[0].url, "https://cdn.mixed.example/one.mp3");
    assert_eq!(e.enclosures[0].length, Some(1234));
    assert_eq!(e.categories, ["rust"]);
}

// NodePie#8 (Blogger's ?alt=rss): the summary is only in atom:summary.
#[test]
fn blogger_rss_summary_in_atom_summary() {
    let f = feed("blogger_alt_rss.xml");
    let e = &f.entries[0];
    assert_eq!(summary(e), "The competitions organizators can create now a special account.");
    assert_eq!(e.published, Some(date("2010-06-06T09:20:00Z")));
    assert_eq!(e.updated, Some(date("2010-06-06T09:24:20Z")));
    assert_eq!(author(e), (Some("Train&Race"), Some("noreply@blogger.com")));
}

// Precedence: the RSS element wins over the Atom one whichever comes first.
#[test]
fn rss_elements_win_over_atom_ones_in_either_order() {
    let f = feed("rss_and_atom_elements_both.xml");
    let e = &f.entries[0];
    assert_eq!(title(e), "RSS title");
    assert_eq!(e.link.as_deref(), Some("https://both.example/rss-link"));
    assert_eq!(e.published, Some(date("2025-10-15T10:00:00Z")));
    assert_eq!(summary(e), "RSS description");
    assert_eq!(author(e), (Some("RSS Author"), Some("rss@both.example")));
    assert_eq!(e.id, "rss-guid-1");
    // The Atom summary is not pushed into the content, as a second description would be.
    assert_eq!(e.content, None);
    let e = &f.entries[1];
    assert_eq!((title(e), summary(e)), ("RSS title".into(), "RSS description"));
}

// spaRSS#206 (nu.nl): an atom:link rel="related" names another article.
#[test]
fn atom_link_rel_related_in_an_rss_item_is_not_its_link() {
    let f = feed("nu_nl_atom_link_related.xml");
    assert_eq!(
        f.entries[0].link.as_deref(),
        Some("http://www.nu.nl/algemeen/4270751/vs-wijst-burgers-risico.html")
    );
    assert_eq!(f.entries[1].link, None);
}

// feed-io#409: `<link rel="alternate" href="…"></link>` in RSS, without the Atom namespace.
#[test]
fn rss_link_written_atom_style_without_namespace() {
    let f = feed("rss_link_atom_style.xml");
    assert_eq!(f.link.as_deref(), Some("https://atomstyle.example/"));
    assert_eq!(f.entries[0].link.as_deref(), Some("https://atomstyle.example/1"));
}

// rust-syndication/rss#141: `<link rel="self" href="…"/>` in an RSS channel is the feed.
#[test]
fn rss_channel_link_rel_self_without_namespace_is_the_self_link() {
    let f = feed("rss_link_rel_self_without_namespace.xml");
    assert_eq!(f.link.as_deref(), Some("https://selfish.example/"));
    assert_eq!(f.self_link.as_deref(), Some("https://selfish.example/rss.xml"));
}

// feed-rs#137 (CNN, Fox News through FeedBurner): `atom10:link rel="self"`.
#[test]
fn feedburner_atom10_prefixed_self_link() {
    let f = feed("feedburner_atom10_self.xml");
    assert_eq!(f.self_link.as_deref(), Some("http://rss.cnn.com/rss/cnn_topstories"));
    assert_eq!(f.link.as_deref(), Some("https://www.cnn.com/index.html"));
}

// SimplePie#237, #288 (YouTube uploads in RSS): pubDate and atom:updated are both kept.
#[test]
fn youtube_rss_pubdate_and_atom_updated_are_both_kept() {
    let e = &feed("youtube_rss_pubdate_and_atom_updated.xml").entries[0];
    assert_eq!(e.published, Some(date("2013-04-18T10:00:00Z")));
    assert_eq!(e.updated, Some(date("2013-04-20T12:34:56Z")));
}

// rome#125 (ROME-124): an item with both pubDate and dc:date.
#[test]
fn rss_pubdate_and_dc_date_are_both_kept() {
    let e = &feed("rss_pubdate_and_dc_date.xml").entries[0];
    assert_eq!(e.published, Some(date("2009-03-02T09:00:00Z")));
    assert_eq!(e.updated, Some(date("2009-03-03T14:00:00Z")));
}

// --- Dublin Core ----------------------------------------------------------------------------

// feedparser-clj#5, newsbeuter#143 (arXiv): the authors are in dc:creator only.
#[test]
fn arxiv_dc_creator_is_the_author() {
    let f = feed("arxiv_dc_creator.rdf");
    assert_eq!(f.format, Format::Rss10);
    assert_eq!(author(&f.entries[0]).0, Some("A. Author, B. Author"));
    assert_eq!(f.updated, Some(date("2014-07-22T01:30:00Z")));
}

// webfeed#6 (XenForo), jpmonette/feed#130: RSS `author` must be an e-mail address, so
// feeds add dc:creator; a bare address takes the dc:creator's name, in either order.
#[test]
fn an_author_address_takes_its_name_from_dc_creator() {
    let f = feed("xenforo_author_and_dc_creator.xml");
    assert_eq!(author(&f.entries[0]), (Some("Nico_DreamzZ"), Some("invalid@example.com")));
    assert_eq!(author(&f.entries[1]), (Some("Jane Editor"), Some("editor@forum.example")));
    assert_eq!(author(&f.entries[2]), (Some("Jane Editor"), Some("editor@forum.example")));
}

// feed-rs#173 (debian.org): `<dc:date>2022-09-10</dc:date>`, a date without a time.
#[test]
fn debian_dc_date_without_a_time() {
    let e = &feed("debian_date_without_time.rdf").entries[0];
    assert_eq!(e.updated, Some(date("2022-09-10T00:00:00Z")));
}

// feedjira#246 (Atypon journals): RSS 1.0 with every element prefixed (`rss:item`).
#[test]
fn rdf_with_prefixed_rss_elements() {
    let f = feed("atypon_prefixed_rdf.rdf");
    assert_eq!(f.title.as_ref().unwrap().value, "Journal of Water Law: Table of Contents");
    assert_eq!(f.link.as_deref(), Some("http://www.tandfonline.example/toc/wjwl20/current"));
    let e = &f.entries[0];
    assert_eq!(e.id, "http://www.tandfonline.example/doi/abs/10.1080/1");
    assert_eq!((summary(e), author(e).0), ("Its abstract.", Some("Someone")));
}

// Precedence: in an Atom entry a dc:date before `updated` and a content:encoded before
// `content` no longer win by coming last or first.
#[test]
fn atom_own_elements_win_over_dublin_core_and_the_content_module() {
    let e = &feed("atom_updated_and_dc_date.xml").entries[0];
    assert_eq!(e.updated, Some(date("2025-10-15T12:00:00Z")));
    assert_eq!(content(e), "<p>Atom content</p>");
}

// --- iTunes -------------------------------------------------------------------------------

// feedparser#324 (itunes:summary overwrote the item description), feedparser#126 and #34
// (Serial: itunes:subtitle overrode the channel description).
#[test]
fn itunes_summary_and_subtitle_never_override_a_description() {
    let f = feed("podcast_itunes_summary_and_description.xml");
    assert_eq!(
        f.description.as_ref().unwrap().value,
        "Serial is a podcast from the creators of This American Life."
    );
    let e = &f.entries[0];
    assert_eq!(summary(e), "<p>The description field</p>");
    assert_eq!(content(e), "<p>The content</p>");
}

// gofeed#208 (radiokawa), AntennaPod#998 (Al Jazeera): only iTunes elements.
#[test]
fn itunes_elements_fill_a_podcast_without_rss_ones() {
    let f = feed("podcast_itunes_only.xml");
    assert_eq!(f.description.as_ref().unwrap().value, "Le podcast des films de genre.");
    assert_eq!(f.author.as_ref().unwrap().name.as_deref(), Some("Radio Kawa"));
    assert_eq!(f.image.as_deref(), Some("https://radiokawa.example/cover.jpg"));
    let e = &f.entries[0];
    assert_eq!(summary(e), "The long summary of episode 1.", "itunes:summary before subtitle");
    assert_eq!(author(e).0, Some("Host Name"));
    assert_eq!(summary(&f.entries[1]), "Only a subtitle");
}

// pocket-casts-ios#595 (Lions Led By Donkeys on SoundCloud): the episode's own artwork is
// its itunes:image.
#[test]
fn itunes_episode_image_is_the_entry_image() {
    let f = feed("podcast_itunes_only.xml");
    assert_eq!(f.entries[0].image.as_deref(), Some("https://radiokawa.example/ep1.jpg"));
    assert_eq!(f.entries[1].image, None);
}

// --- Media RSS ------------------------------------------------------------------------------

// FeedKit#172, webfeed#74, rssmonster#262 (YouTube channel feeds, Atom): the description
// and the thumbnail are only in media:group.
#[test]
fn youtube_media_group_gives_summary_and_image() {
    let f = feed("youtube_atom_media_group.xml");
    let e = &f.entries[0];
    assert_eq!(title(e), "Can You Observe a Typical Universe?");
    assert!(summary(e).starts_with("The moment you started observing reality"));
    assert_eq!(e.image.as_deref(), Some("https://i2.ytimg.com/vi/q-6oU3jXAho/hqdefault.jpg"));
    assert_eq!(e.enclosures.len(), 1);
    assert_eq!(author(e).0, Some("PBS Space Time"), "the feed's author");
}

// feedparser#53: a media:description inside media:content is the photo's caption.
#[test]
fn media_description_inside_media_content_does_not_replace_the_description() {
    let e = &feed("media_description_inside_content.xml").entries[0];
    assert_eq!(summary(e), "Just like you sync your tablet, the full story text.");
    assert_eq!(e.content, None, "the caption is not pushed into the content either");
    assert_eq!(e.image.as_deref(), Some("https://garden.example/app.jpg"));
}

// FreshRSS#9009 (PeerTube): one media:group is one video in several representations.
#[test]
fn media_group_keeps_one_representation() {
    let f = feed("peertube_media_group.xml");
    let urls: Vec<_> = f.entries[0].enclosures.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(urls, ["https://pt.example/v-1080.mp4", "https://pt.example/v-1080-download.mp4"]);
    assert_eq!(f.entries[0].enclosures[0].length, Some(900));
    let urls: Vec<_> = f.entries[1].enclosures.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(urls, ["https://pt.example/w-720.mp4"], "without a default, the first");
}

// node-feedparser#45: media:content and enclosure of one file are one enclosure.
#[test]
fn media_content_and_enclosure_of_one_url_are_one_enclosure() {
    let e = &feed("media_content_and_enclosure_same_url.xml").entries[0];
    assert_eq!(e.enclosures.len(), 1);
    assert_eq!(e.enclosures[0].length, Some(4242), "the enclosure's length completes it");
    assert_eq!(e.enclosures[0].mime_type.as_deref(), Some("audio/mpeg"));
}

// FreshRSS#1920, #4216 (Hackaday): media:thumbnail is the post's picture, before the
// media:content images (an avatar first); an image media:content alone is the picture.
#[test]
fn media_thumbnail_is_the_picture_before_image_contents() {
    let f = feed("hackaday_thumbnail_and_images.xml");
    assert_eq!(
        f.entries[0].image.as_deref(),
        Some("https://hackaday.example/wp-content/uploads/2022/02/twist-feature.png")
    );
    assert_eq!(title(&f.entries[0]), "Twist", "media:title never replaces the title");
    assert_eq!(f.entries[1].image.as_deref(), Some("https://hackaday.example/only.jpg"));
}

// --- Atom -----------------------------------------------------------------------------------

// RFC 4287 4.2.1, newsboat#2278, feedbin/crawler#8: the entry's author, else its source's,
// else the feed's (even when the feed's comes after the entries).
#[test]
fn atom_entry_authors_fall_back_to_source_then_feed() {
    let f = feed("atom_feed_author_inherited.xml");
    let names: Vec<_> = f.entries.iter().map(|e| author(e).0).collect();
    assert_eq!(names, [Some("Entry Author"), Some("Source Author"), Some("Feed Author")]);
    // Nothing else of the source is the entry's (RFC 4287 4.2.11; liferea#1505).
    assert_eq!(title(&f.entries[1]), "From the source");
    assert_eq!(f.entries[1].id, "urn:p:2");
    assert_eq!(f.entries[1].link, None);
}

// node-feedparser#32 (tnr.com), fast-feed#12: `<author>Jane Writer</author>` in Atom.
#[test]
fn atom_author_written_as_bare_text() {
    let f = feed("tnr_atom_author_text.xml");
    assert_eq!(f.author.as_ref().unwrap().name.as_deref(), Some("TNR Staff"));
    assert_eq!(author(&f.entries[0]), (Some("Jane Writer"), None));
    assert_eq!(author(&f.entries[1]), (Some("The Editor"), Some("editor@tnr.example")));
    assert_eq!(author(&f.entries[2]), (Some("Proper Person"), Some("proper@tnr.example")));
}

// The issue (#15), fallbacks in every direction: RSS elements inside Atom entries.
#[test]
fn rss_elements_fill_an_atom_entry_but_never_override_it() {
    let f = feed("atom_with_rss_elements.xml");
    let e = &f.entries[0];
    assert_eq!(e.id, "rss-guid-in-atom");
    assert_eq!(e.published, Some(date("2025-10-15T10:00:00Z")));
    assert_eq!(summary(e), "<p>An RSS description</p>");
    assert_eq!(e.summary.as_ref().unwrap().kind, TextKind::Html);
    let e = &f.entries[1];
    assert_eq!(e.id, "urn:atom:2");
    assert_eq!(e.published, Some(date("2025-10-14T00:00:00Z")));
    assert_eq!(summary(e), "Atom summary");
}

// node-feedparser#146 (FeedBurner, Blogger: the text/html alternate, not the Atom one),
// feedbin#747 (an alternate of another type and scheme must not replace the web link),
// RFC 4287 4.2.7.2 (relations in the IANA IRI form).
#[test]
fn atom_alternate_links_html_first_then_untyped_then_others() {
    let f = feed("atom_link_preferences.xml");
    assert_eq!(f.link.as_deref(), Some("https://links.example/"));
    assert_eq!(f.self_link.as_deref(), Some("https://links.example/atom.xml"));
    assert_eq!(f.entries[0].link.as_deref(), Some("https://links.example/2025/10/1.html"));
    assert_eq!(f.entries[1].link.as_deref(), Some("https://links.example/2025/10/2.html"));
    let iana = &f.entries[2];
    assert_eq!(iana.link.as_deref(), Some("https://links.example/3.html"));
    assert_eq!(iana.enclosures[0].url, "https://links.example/3.mp3");
}

// feedparser#367, feedsmith#255 (dday.it): `<link rel="enclosure">URL</link>`.
#[test]
fn atom_enclosure_link_with_its_url_as_text() {
    let e = &feed("dday_enclosure_link_text.xml").entries[0];
    assert_eq!(e.link.as_deref(), Some("https://www.dmove.example/news/monopattini-xiaomi"));
    assert_eq!(e.enclosures[0].url, "https://dday.example/xiaomi.jpg?w=329&h=256");
    assert_eq!(e.enclosures[0].mime_type.as_deref(), Some("image/jpeg"));
}

// miniflux#3084, NetNewsWire#4492 (boehs.org): `<content src="…"/>` and no alternate link.
#[test]
fn atom_out_of_line_content_src_is_the_link_of_last_resort() {
    let f = feed_at("atom_content_src.xml", "https://boehs.example/in/blog.xml");
    let e = &f.entries[0];
    assert_eq!(e.link.as_deref(), Some("https://boehs.example/in/blog/elsewhere"));
    assert_eq!(e.content, None);
    assert_eq!(summary(e), "Read it on the site.");
    assert_eq!(f.entries[1].link.as_deref(), Some("https://boehs.example/in/blog/both"));
}

// gofeed#271: a title of an unknown type whose text is valid base64 ("test") was decoded
// into nonsense; base64 that decodes to text is still read (feedparser's
// atom10/entry_title_base64 does so for application/octet-stream).
#[test]
fn atom_unknown_type_text_is_decoded_only_when_it_is_base64_of_text() {
    let f = feed("atom_unknown_type_title.xml");
    assert_eq!(f.title.as_ref().unwrap().to_plain(), "test");
    let e = &f.entries[0];
    assert_eq!(title(e), "news");
    assert_eq!(e.summary.as_ref().unwrap().value, "Example <b>Atom</b>");
}

// feedsmith#329 (hickmanchurch.com): `<xhtml:div>` with prefixed tags inside.
#[test]
fn atom_xhtml_wrapper_bound_to_a_prefix_is_unwrapped() {
    let f = feed("atom_xhtml_prefixed_div.xml");
    assert_eq!(f.title.as_ref().unwrap().value, "Less: <em> &lt; </em>");
    assert_eq!(f.title.as_ref().unwrap().to_plain(), "Less: <");
    let safe = f.entries[0].content.as_ref().unwrap().to_safe_html();
    assert_eq!(safe, r#"<p>Join the <a href="https://church.example/live">livestream</a>.</p>"#);
}

// feedsmith#334 (sibling top-level divs lost their outer tags: `a</div><div>b`),
// feedjira#236 (divs inside the wrapper were repeated), RSParser#72 (an XHTML <summary>
// inside content emptied the entry), miniflux#1401 (type="xhtml" without a div).
#[test]
fn atom_xhtml_content_shapes() {
    let f = feed("atom_xhtml_div_shapes.xml");
    assert_eq!(content(&f.entries[0]), "<div>a</div><div>b</div>");
    assert_eq!(content(&f.entries[1]), r#"<div class="figure">fig</div><p>text</p>"#);
    let details = &f.entries[2];
    assert_eq!(content(details), "Test<details><summary>More</summary>Hidden</details>");
    assert_eq!(summary(details), "The summary");
    assert_eq!(title(&f.entries[3]), "No div here");
}

// gofeed#40 (terinstock.com): type="html" content is never unwrapped.
#[test]
fn atom_html_content_starting_with_a_div_keeps_it() {
    let e = &feed("atom_html_content_with_div.xml").entries[0];
    assert_eq!(e.content.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(content(e), r#"<div class="not-root"><p>This DIV is part of the post.</p></div>"#);
}

// The issue (#15): Atom 0.3 mode="escaped" and mode="base64" content and titles are
// decoded; `created` is the date of last resort. mode="xml" XHTML keeps its div (see the
// module doc of core::parse::atom and tests/conformance/README.md: the 0.3 draft never
// made the div a wrapper, and 33 corpus checks expect it).
#[test]
fn atom_0_3_content_modes() {
    let f = feed("atom03_modes.xml");
    assert_eq!(f.format, Format::Atom03);
    assert_eq!(f.title.as_ref().unwrap().to_plain(), "Atom 0.3");
    assert_eq!(f.title.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(f.description.as_ref().unwrap().value, "A tagline");
    let e = &f.entries[0];
    assert_eq!(e.title.as_ref().unwrap().value, "<i>Base64</i> title");
    assert_eq!(e.title.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(summary(e), "<p>Escaped &amp; summary</p>");
    assert_eq!(e.summary.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(content(e), "<div><p>Inline <b>XHTML</b></p></div>");
    assert_eq!(e.published, Some(date("2004-01-01T00:00:00Z")), "issued before created");
    let e = &f.entries[1];
    assert_eq!(e.title.as_ref().unwrap().value, "Plain &amp; escaped");
    assert_eq!(e.title.as_ref().unwrap().kind, TextKind::Plain);
    assert_eq!(content(e), "<p>Hello <b>world</b></p>");
    assert_eq!(e.content.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(e.published, Some(date("2003-12-30T00:00:00Z")), "created, without issued");
}

// --- RSS ------------------------------------------------------------------------------------

// NetNewsWire#529 (ATP): an empty content:encoded hid the description.
#[test]
fn empty_content_encoded_does_not_hide_the_description() {
    let e = &feed("atp_empty_content_encoded.xml").entries[0];
    assert_eq!(e.content, None);
    assert_eq!(summary(e), "<p>Show notes.</p>");
}

// feed-extractor#105, webfeed#4 (Medium): only content:encoded, no description.
#[test]
fn medium_items_with_only_content_encoded() {
    let e = &feed("medium_content_encoded_only.xml").entries[0];
    assert_eq!(e.summary, None);
    assert_eq!(content(e), "<p>The whole story.</p>");
    assert_eq!(author(e).0, Some("Amelia"));
    assert_eq!(e.link.as_deref(), Some("https://medium.example/@amelia/a-story-123"));
}

// NetNewsWire#4625 (a Bluesky feed generator): an `at://` guid is an id, never a link.
#[test]
fn a_guid_that_is_not_a_web_address_is_no_link() {
    let f = feed("bluesky_at_uri_guid.xml");
    assert!(f.entries[0].link.as_deref().unwrap().starts_with("https://bsky.app/"));
    assert_eq!(f.entries[1].link, None);
    assert!(f.entries[1].id.starts_with("at://"));
}

// weneedfeed#32 (NPCI circulars): empty link and guid; the ids must differ.
#[test]
fn items_with_an_empty_guid_and_link_get_distinct_ids() {
    let f = feed("npci_empty_guid_and_link.xml");
    let (a, b) = (&f.entries[0], &f.entries[1]);
    assert!(a.id.starts_with("hash:") && b.id.starts_with("hash:"));
    assert_ne!(a.id, b.id);
    assert_eq!((a.link.as_deref(), a.source_id.as_deref()), (None, None));
}

// huggingface/hub-docs#1676, fluent-reader#587: a permalink guid and no link.
#[test]
fn a_permalink_guid_is_the_link_when_there_is_none() {
    let e = &feed("huggingface_guid_only.xml").entries[0];
    assert_eq!(e.link.as_deref(), Some("https://huggingface.example/blog/a-post"));
}

// rome#472 (GameSpot): `<category />` is no category; one name counts once.
#[test]
fn empty_and_repeated_categories() {
    assert_eq!(feed("gamespot_empty_category.xml").entries[0].categories, ["News"]);
}

// FreshRSS#6218 (scripting.com writes items without titles), FreshRSS#2813 (empty titles):
// no title is kept as none; an empty one falls back to dc:title.
#[test]
fn untitled_items_and_an_empty_title_with_a_fallback() {
    let f = feed("scripting_untitled_items.xml");
    assert_eq!(f.entries[0].title, None);
    assert!(summary(&f.entries[0]).starts_with("A post without a title"));
    assert_eq!(title(&f.entries[1]), "The DC title");
}

// RSS 0.91 and 2.0 `<textInput>`: its title and link are the search box's.
#[test]
fn text_input_title_and_link_are_not_the_channels() {
    let f = feed("textinput_is_not_the_channel.xml");
    assert_eq!(f.title.as_ref().unwrap().value, "The channel");
    assert_eq!(f.link.as_deref(), Some("https://channel.example/"));
}
