//! Every format on a fixture modelled on a real feed (tests/fixtures/feeds/, named after it).

use planet_reader::core::model::{Format, TextKind};
use planet_reader::core::parse::{parse, ParseContext};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn at(url: &str) -> ParseContext<'_> {
    ParseContext { url: Some(url), ..Default::default() }
}

fn date(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn planet_python_rss20() {
    let feed =
        parse(&fixture("planet_python_rss20.xml"), &at("https://planetpython.org/rss20.xml"))
            .unwrap();
    assert_eq!(feed.format, Format::Rss20);
    assert_eq!(feed.title.as_ref().unwrap().value, "Planet Python");
    assert_eq!(feed.link.as_deref(), Some("https://planetpython.org/"));
    assert_eq!(feed.self_link.as_deref(), Some("https://planetpython.org/rss20.xml"));
    assert_eq!(feed.hints.ttl_minutes, Some(30));
    assert_eq!(feed.entries.len(), 3);

    let e = &feed.entries[0];
    // Planet titles are "Member Blog: Post Title"; &#x27; decoded.
    assert_eq!(
        e.title.as_ref().unwrap().value,
        "Real Python: Polars vs pandas: What's the Difference?"
    );
    assert_eq!(e.id, "https://realpython.com/polars-vs-pandas/");
    assert_eq!(e.published, Some(date("2025-10-15T14:00:00Z")));
    let summary = e.summary.as_ref().unwrap();
    assert_eq!(summary.kind, TextKind::Html);
    assert!(summary.value.starts_with("<div><p>Polars and pandas"), "escaped HTML is decoded once");
    // Relative image in the description resolves against the feed URL once sanitized.
    let safe = summary.to_safe_html();
    assert!(safe.contains(r#"src="https://planetpython.org/static/polars.png""#), "{safe}");

    // Double-escaped entities in a title are HTML and read as the characters.
    let t = feed.entries[2].title.as_ref().unwrap();
    assert_eq!(t.to_plain(), "PyCharm: Django 6.0 \u{2013} what\u{2019}s new");
    // No guid: the id is the stable hash of link and title, the same on every parse.
    let again =
        parse(&fixture("planet_python_rss20.xml"), &at("https://planetpython.org/rss20.xml"))
            .unwrap();
    assert!(feed.entries[2].id.starts_with("hash:"));
    assert_eq!(feed.entries[2].id, again.entries[2].id);
    assert!(feed.entries[2].source_id.is_none());
}

#[test]
fn wordpress_rss_with_content_encoded() {
    let feed = parse(
        &fixture("wordpress_content_encoded.xml"),
        &at("https://nedbatchelder.example/feed/"),
    )
    .unwrap();
    assert_eq!(feed.title.as_ref().unwrap().value, "Ned Batchelder\u{2019}s blog");
    assert_eq!(feed.updated, Some(date("2025-10-16T10:05:12Z")));
    assert_eq!(feed.language.as_deref(), Some("en-US"));
    assert_eq!(feed.hints.period_seconds, Some(3600));
    assert_eq!(feed.hints.frequency, Some(2));
    let e = &feed.entries[0];
    assert_eq!(e.author.as_ref().unwrap().name.as_deref(), Some("Ned Batchelder"));
    assert_eq!(e.categories, ["Python", "coverage"]);
    assert_eq!(e.source_id.as_deref(), Some("https://nedbatchelder.example/?p=4242"));
    // isPermaLink="false": the guid never stands in for the link.
    assert_eq!(e.link.as_deref(), Some("https://nedbatchelder.example/2025/10/coverage-7-11/"));
    // description and content:encoded are kept apart.
    assert!(e.summary.as_ref().unwrap().value.starts_with("Coverage.py 7.11 can measure"));
    let content = e.content.as_ref().unwrap();
    assert_eq!(content.kind, TextKind::Html);
    assert!(content.value.contains("<code>[run] patch</code>"));
    let safe = content.to_safe_html();
    assert!(
        safe.contains(r#"href="https://nedbatchelder.example/2025/09/coverage-7-10/""#),
        "{safe}"
    );
    assert!(safe
        .contains(r#"src="https://nedbatchelder.example/wp-content/uploads/2025/10/patch.png""#));
    assert!(!safe.contains("class="), "class attributes are dropped: {safe}");
}

#[test]
fn atom_blog_with_xml_base_and_inline_xhtml() {
    let feed =
        parse(&fixture("atom_blog.xml"), &at("https://snarky.example/blog/atom.xml")).unwrap();
    assert_eq!(feed.format, Format::Atom10);
    assert_eq!(feed.title.as_ref().unwrap().value, "Snarky & Co");
    assert_eq!(feed.description.as_ref().unwrap().kind, TextKind::Html);
    assert_eq!(feed.link.as_deref(), Some("https://snarky.example/blog/"));
    assert_eq!(feed.self_link.as_deref(), Some("https://snarky.example/blog/atom.xml"));
    assert_eq!(feed.language.as_deref(), Some("en"));
    let e = &feed.entries[0];
    assert_eq!(e.link.as_deref(), Some("https://snarky.example/blog/2025/10/why-pyproject.html"));
    assert_eq!(e.published, Some(date("2025-10-14T07:30:00Z")));
    assert_eq!(e.updated, Some(date("2025-10-15T18:00:00Z")));
    let author = e.author.as_ref().unwrap();
    assert_eq!(
        (author.name.as_deref(), author.email.as_deref()),
        (Some("Brett Cannon"), Some("brett@snarky.example"))
    );
    assert_eq!(e.enclosures[0].url, "https://snarky.example/media/episode-12.mp3");
    assert_eq!(e.enclosures[0].length, Some(1_234_567));
    assert_eq!(e.categories, ["packaging"]);
    // type="xhtml": the wrapping div is dropped; the content's own xml:base applies inside.
    let content = e.content.as_ref().unwrap();
    assert_eq!(content.kind, TextKind::Xhtml);
    assert!(content.value.starts_with("<p>See"), "{}", content.value);
    assert_eq!(content.base.as_deref(), Some("https://snarky.example/blog/2025/10/"));
    let safe = content.to_safe_html();
    assert!(
        safe.contains(r#"href="https://snarky.example/blog/2025/10/why-pyproject.html#history""#),
        "{safe}"
    );
    assert!(safe.contains(r#"src="https://snarky.example/blog/2025/10/diagram.svg""#), "{safe}");
    assert_eq!(e.summary.as_ref().unwrap().kind, TextKind::Plain);
    assert!(feed.entries[1].id.starts_with("hash:"));
}

#[test]
fn rdf_feed_like_slashdot() {
    let feed =
        parse(&fixture("rdf_slashdot.rdf"), &at("https://slashdot.example/index.rss")).unwrap();
    assert_eq!(feed.format, Format::Rss10);
    assert_eq!(feed.title.as_ref().unwrap().value, "Slashdot");
    assert_eq!(feed.language.as_deref(), Some("en-us"));
    assert_eq!(feed.hints.period_seconds, Some(3600));
    let e = &feed.entries[0];
    // rdf:about is the identity; dc:date is "updated"; &eacute; undeclared but decoded.
    assert_eq!(e.id, "https://slashdot.example/story/25/10/15/1/python-314");
    assert_eq!(e.updated, Some(date("2025-10-15T16:40:00Z")));
    assert_eq!(e.author.as_ref().unwrap().name.as_deref(), Some("msmash"));
    assert_eq!(e.categories, ["python"]);
    assert!(e.summary.as_ref().unwrap().value.ends_with("\u{2014} and the caf\u{e9} is open."));
}

#[test]
fn json_feed_1_1() {
    let feed = parse(
        &fixture("jsonfeed_daringfireball.json"),
        &at("https://daringfireball.example/feeds/json"),
    )
    .unwrap();
    assert_eq!(feed.format, Format::Json11);
    assert_eq!(feed.author.as_ref().unwrap().name.as_deref(), Some("John Gruber"));
    let e = &feed.entries[0];
    assert_eq!(e.published, Some(date("2025-10-15T21:01:00Z")));
    assert_eq!(e.categories, ["apple"]);
    let enc = &e.enclosures[0];
    assert_eq!(enc.url, "https://daringfireball.example/podcast/ep1.m4a");
    assert_eq!((enc.length, enc.duration_seconds), (Some(51_234_567), Some(5400)));
    let safe = e.content.as_ref().unwrap().to_safe_html();
    assert!(!safe.contains("script"), "{safe}");
    assert!(safe.contains(r#"href="https://daringfireball.example/2025/10/m4""#), "{safe}");
    // A numeric id is an id; external_url is the link when there is no url.
    assert_eq!(feed.entries[1].id, "42");
    assert_eq!(feed.entries[1].link.as_deref(), Some("https://example.org/elsewhere"));
    assert_eq!(feed.entries[1].content.as_ref().unwrap().kind, TextKind::Plain);
}

#[test]
fn podcast_with_enclosures_and_itunes() {
    let feed =
        parse(&fixture("podcast_itunes.xml"), &at("https://talkpython.example/rss")).unwrap();
    assert_eq!(feed.image.as_deref(), Some("https://talkpython.example/artwork.jpg"));
    assert_eq!(feed.author.as_ref().unwrap().name.as_deref(), Some("Michael Kennedy"));
    let e = &feed.entries[0];
    assert_eq!(e.published, Some(date("2025-10-13T16:00:00Z")));
    let mp3 = &e.enclosures[0];
    assert_eq!(mp3.url, "https://talkpython.example/episodes/download/520/pyx.mp3");
    assert_eq!(mp3.mime_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(mp3.length, Some(64_184_745));
    assert_eq!(mp3.duration_seconds, Some(4012));
    assert_eq!(e.summary.as_ref().unwrap().value, "Charlie Marsh on pyx.");
    assert_eq!(
        e.author.as_ref().unwrap().name.as_deref(),
        Some("Michael Kennedy and Charlie Marsh")
    );
    assert_eq!(
        e.enclosures[1].mime_type.as_deref(),
        Some("image/jpeg"),
        "media:content is an enclosure"
    );
}

#[test]
fn cdf_channel() {
    let doc = br#"<CHANNEL HREF="http://www.example.org/" LASTMOD="2004-04-07T04:05:43Z"><TITLE>Example feed</TITLE><ABSTRACT>About</ABSTRACT><ITEM HREF="/1" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>One</TITLE></ITEM></CHANNEL>"#;
    let feed = parse(doc, &ParseContext::default()).unwrap();
    assert_eq!(feed.format, Format::Cdf);
    assert_eq!(feed.link.as_deref(), Some("http://www.example.org/"));
    assert_eq!(feed.entries[0].updated, Some(date("2004-04-07T04:05:43Z")));
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "One");
}

#[test]
fn rss_versions_are_told_apart() {
    let v = |doc: &[u8]| parse(doc, &ParseContext::default()).unwrap().format;
    assert_eq!(v(b"<rss version='0.91'><channel/></rss>"), Format::Rss091U);
    assert_eq!(
        v(b"<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"http://my.netscape.com/publish/formats/rss-0.91.dtd\"><rss version='0.91'><channel/></rss>"),
        Format::Rss091N
    );
    assert_eq!(v(b"<rss version='0.92'><channel/></rss>"), Format::Rss092);
    assert_eq!(v(b"<rss><channel/></rss>"), Format::Rss);
    assert_eq!(
        v(b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://my.netscape.com/rdf/simple/0.9/'/>"),
        Format::Rss090
    );
    assert_eq!(v(b"<feed version='0.3' xmlns='http://purl.org/atom/ns#'/>"), Format::Atom03);
    assert_eq!(v(br#"{"version":"https://jsonfeed.org/version/1","items":[]}"#), Format::Json10);
}
