//! OPML import and export on files in the shape real readers write them, and round trips.

use planet_reader::core::opml::{
    read_opml, write_opml, OpmlErrorKind, OpmlFeed, OpmlImport, OpmlProblem,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/opml/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(name: &str) -> OpmlImport {
    read_opml(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn feed(
    xml_url: &str,
    title: Option<&str>,
    html_url: Option<&str>,
    folder: Option<&str>,
) -> OpmlFeed {
    OpmlFeed {
        xml_url: xml_url.into(),
        title: title.map(Into::into),
        html_url: html_url.map(Into::into),
        folder: folder.map(Into::into),
    }
}

fn problem(line: usize, message: &str) -> OpmlProblem {
    OpmlProblem { line, message: message.into() }
}

#[test]
fn feedly_export_with_categories_and_a_feed_in_two_of_them() {
    let got = import("feedly.opml");
    assert_eq!(got.title.as_deref(), Some("Alice subscriptions in feedly Cloud"));
    assert_eq!(
        got.feeds,
        [
            feed(
                "https://planetpython.org/rss20.xml",
                Some("Planet Python"),
                Some("https://planetpython.org/"),
                Some("Python")
            ),
            feed(
                "https://realpython.com/atom.xml",
                Some("Real Python"),
                Some("https://realpython.com/"),
                Some("Python")
            ),
            feed(
                "https://feeds.arstechnica.com/arstechnica/index",
                Some("Ars Technica - All content"),
                Some("https://arstechnica.com"),
                Some("Tech")
            ),
            feed(
                "https://lwn.net/headlines/rss",
                Some("LWN.net"),
                Some("https://lwn.net"),
                Some("Tech")
            ),
            feed(
                "https://jvns.ca/atom.xml",
                Some("Julia Evans"),
                Some("https://jvns.ca"),
                Some("Must Read")
            ),
        ]
    );
    // Planet Python is listed under Python and again under Tech: kept at its first place.
    assert_eq!(got.duplicates, 1);
    assert_eq!(got.problems, []);
}

#[test]
fn netnewswire_style_export_with_nested_folders_entities_and_non_ascii() {
    let got = import("netnewswire-nested.opml");
    let folders: Vec<(&str, Option<&str>, Option<&str>)> = got
        .feeds
        .iter()
        .map(|f| (f.xml_url.as_str(), f.title.as_deref(), f.folder.as_deref()))
        .collect();
    assert_eq!(
        folders,
        [
            ("https://daringfireball.net/feeds/main", Some("Daring Fireball"), None),
            (
                "https://this-week-in-rust.org/rss.xml",
                Some("This Week in Rust"),
                Some("Programming / Rust")
            ),
            (
                "https://blog.rust-lang.org/inside-rust/feed.xml",
                Some("Inside Rust Blog"),
                Some("Programming / Rust / Compiler & Tools")
            ),
            (
                "https://simonwillison.net/atom/everything/",
                Some("Simon Willison's Weblog"),
                Some("Programming")
            ),
            (
                "https://www.lemonde.fr/rss/une.xml",
                Some("Le Monde.fr - Actualités et Infos en France et dans le monde"),
                Some("Français")
            ),
            ("https://www3.nhk.or.jp/rss/news/cat0.xml", Some("NHKニュース"), Some("日本語")),
        ]
    );
    assert_eq!(got.feeds[0].html_url.as_deref(), Some("https://daringfireball.net/"));
    assert_eq!((got.duplicates, got.problems.len()), (0, 0));
}

#[test]
fn opml_1_0_without_type_with_bom_crlf_html_entities_and_an_inert_doctype() {
    let got = import("opml1-no-type.opml");
    assert_eq!(got.title.as_deref(), Some("mySubscriptions — exported"));
    assert_eq!(
        got.feeds,
        [
            feed(
                "http://scripting.com/rss.xml",
                Some("Scripting News"),
                Some("http://scripting.com/"),
                None
            ),
            // `title` when there is no `text`; HTML entities XML does not define.
            feed("http://cafe.example/index.rdf", Some("Café & Crème\u{a0}Blog"), None, None),
            // An entity declared in the DOCTYPE is never expanded.
            feed("http://lol.example/rss", Some("&lol2;"), None, None),
            // Attribute names in any case.
            feed(
                "http://feeds.bbci.co.uk/news/rss.xml",
                Some("BBC News — Home"),
                Some("https://www.bbc.co.uk/news/"),
                Some("News")
            ),
        ]
    );
    assert_eq!(got.problems, []);
}

#[test]
fn invalid_outlines_are_reported_by_line_and_the_rest_imports() {
    let got = import("invalid-outlines.opml");
    assert_eq!(
        got.feeds,
        [
            feed("https://good.example/feed.xml", Some("Good one"), None, None),
            feed("http://good2.example/rss", Some("Good two"), None, Some("Folder")),
        ]
    );
    assert_eq!(
        got.problems,
        [
            problem(8, "outline \"No URL at all\" is marked type=\"rss\" but has no xmlUrl"),
            problem(
                9,
                "outline \"Script\": its xmlUrl \"javascript:alert(document.cookie)\" is not an \
                 http(s) URL"
            ),
            problem(11, "outline \"Relative\": its xmlUrl \"/feed.xml\" is not an absolute URL"),
            problem(13, "outline \"Empty URL\": its xmlUrl is empty"),
            problem(
                18,
                "outline \"Mail\": its xmlUrl \"mailto:someone@example.com\" is not an http(s) URL"
            ),
        ]
    );
    assert_eq!(
        got.problems[0].to_string(),
        "line 8: outline \"No URL at all\" is marked type=\"rss\" but has no xmlUrl"
    );
}

#[test]
fn duplicates_are_folded_by_normalized_url_and_counted() {
    let got = import("duplicates.opml");
    let urls: Vec<&str> = got.feeds.iter().map(|f| f.xml_url.as_str()).collect();
    // Case, default port and fragment do not make another feed; http and https do.
    assert_eq!(
        urls,
        [
            "https://planetpython.org/rss20.xml",
            "http://planetpython.org/rss20.xml",
            "https://other.example/feed"
        ]
    );
    assert_eq!(got.feeds[0].title.as_deref(), Some("Planet Python"));
    assert_eq!(got.duplicates, 3);
}

#[test]
fn a_malformed_file_is_an_error_at_the_line_it_breaks() {
    let err = read_opml(&fixture("malformed.opml")).unwrap_err();
    assert_eq!(err.kind, OpmlErrorKind::Malformed);
    assert_eq!(err.line, Some(10));
    assert_eq!(
        err.to_string(),
        "the OPML file is malformed at line 10: <outline> from line 9 is not closed before </body>"
    );
}

#[test]
fn a_file_cut_short_is_malformed() {
    let cut = b"<?xml version=\"1.0\"?>\n<opml version=\"2.0\">\n<body>\n<outline text=\"x\">\n";
    let err = read_opml(cut).unwrap_err();
    assert_eq!(err.kind, OpmlErrorKind::Malformed);
    assert!(err.detail.contains("<outline> from line 4"), "{err}");
}

#[test]
fn a_feed_is_not_an_opml_file() {
    let err = read_opml(&fixture("rss-feed.xml")).unwrap_err();
    assert_eq!(err.kind, OpmlErrorKind::NotOpml);
    assert_eq!(err.line, Some(2));
    assert_eq!(
        err.to_string(),
        "this file is not an OPML subscription list at line 2: it is a feed (<rss>), not a list \
         of feeds: subscribe to its URL instead"
    );
}

#[test]
fn other_files_are_not_opml_or_empty() {
    let html =
        read_opml(b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>hi").unwrap_err();
    assert_eq!((html.kind, html.line), (OpmlErrorKind::NotOpml, Some(2)));
    let json = read_opml(br#"{"feeds": []}"#).unwrap_err();
    assert_eq!(json.kind, OpmlErrorKind::NotOpml);
    for empty in
        [&b""[..], b"  \n\t ", b"\xEF\xBB\xBF", b"<?xml version=\"1.0\"?>\n<!-- nothing -->"]
    {
        assert_eq!(read_opml(empty).unwrap_err().kind, OpmlErrorKind::Empty, "{empty:?}");
    }
    assert_eq!(read_opml(b"").unwrap_err().to_string(), "the file is empty");
}

#[test]
fn an_empty_opml_imports_nothing() {
    assert_eq!(read_opml(b"<opml version=\"2.0\"/>").unwrap(), OpmlImport::default());
    let got = read_opml(b"<opml><head/><body></body></opml>").unwrap();
    assert!(got.feeds.is_empty() && got.problems.is_empty());
}

#[test]
fn a_latin1_file_declared_as_such_decodes() {
    let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<opml><body>\
        <outline text=\"Caf\xe9\" xmlUrl=\"https://cafe.example/feed\"/></body></opml>";
    assert_eq!(read_opml(bytes).unwrap().feeds[0].title.as_deref(), Some("Café"));
}

#[test]
fn attribute_values_are_normalized_as_xml_says() {
    // A hand-wrapped attribute: each literal line break or tab is one space; escaped ones
    // stay (that is how the export keeps them).
    let bytes = b"<opml><body><outline text=\"Wrapped\r\n\tname&#10;kept\"\n xmlUrl=\"\n  https://w.example/feed\n\"/></body></opml>";
    let got = read_opml(bytes).unwrap();
    assert_eq!(
        got.feeds,
        [feed("https://w.example/feed", Some("Wrapped  name\nkept"), None, None)]
    );
}

#[test]
fn export_is_opml_2_with_folders_as_nested_outlines() {
    let feeds = [
        feed(
            "https://a.example/feed",
            Some("A & B <\"quoted\">"),
            Some("https://a.example/"),
            None,
        ),
        feed("https://r.example/rss?x=1&y=2", Some("Rust"), None, Some("Tech / Rust")),
        feed("https://t.example/atom", None, None, Some("Tech")),
        feed("https://r2.example/rss", Some("Rust 2"), None, Some("Tech / Rust")),
    ];
    let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Planet Reader &amp; friends</title>
    <dateCreated>Mon, 03 Mar 2025 10:00:00 GMT</dateCreated>
  </head>
  <body>
    <outline type="rss" text="A &amp; B &lt;&quot;quoted&quot;&gt;" title="A &amp; B &lt;&quot;quoted&quot;&gt;" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
    <outline text="Tech" title="Tech">
      <outline text="Rust" title="Rust">
        <outline type="rss" text="Rust" title="Rust" xmlUrl="https://r.example/rss?x=1&amp;y=2"/>
        <outline type="rss" text="Rust 2" title="Rust 2" xmlUrl="https://r2.example/rss"/>
      </outline>
      <outline type="rss" text="https://t.example/atom" xmlUrl="https://t.example/atom"/>
    </outline>
  </body>
</opml>
"#;
    assert_eq!(
        write_opml(&feeds, "Planet Reader & friends", "Mon, 03 Mar 2025 10:00:00 GMT"),
        expected
    );
}

/// Feeds ordered as the export groups them (folders where they first appear), for comparing
/// a round trip.
fn sorted(mut feeds: Vec<OpmlFeed>) -> Vec<OpmlFeed> {
    feeds.sort_by(|a, b| a.xml_url.cmp(&b.xml_url));
    feeds
}

#[test]
fn a_round_trip_keeps_every_subscription_and_odd_characters() {
    let feeds = vec![
        feed(
            "https://planetpython.org/rss20.xml",
            Some("Planet Python"),
            Some("https://planetpython.org/"),
            None,
        ),
        feed(
            "https://x.example/feed?a=1&b=<2>",
            Some("Tom & Jerry's \"<cartoons>\""),
            None,
            Some("Fun & Games"),
        ),
        feed(
            "https://y.example/ñ/feed",
            Some("Ñandú — 日本語 🦀"),
            Some("https://y.example/ñ/"),
            Some("Ünïcödé / 日本"),
        ),
        feed("https://z.example/feed", None, None, Some("Fun & Games / Deep / Deeper")),
        feed("https://w.example/feed", Some("Tabs\tand\nnew lines"), None, None),
    ];
    let written = write_opml(&feeds, "Round <trip>", "Mon, 03 Mar 2025 10:00:00 GMT");
    let back = read_opml(written.as_bytes()).unwrap();
    assert_eq!(back.title.as_deref(), Some("Round <trip>"));
    assert_eq!((back.duplicates, back.problems.len()), (0, 0));
    assert_eq!(sorted(back.feeds), sorted(feeds));
}

fn name() -> impl Strategy<Value = String> {
    // Mostly awkward characters: markup, quotes, entities, white space, controls, non-ASCII,
    // and the folder separator itself.
    prop::collection::vec(
        prop_oneof![
            Just("&".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("&amp;".to_string()),
            Just("&eacute".to_string()),
            Just(" / ".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("\u{1}".to_string()),
            Just("é".to_string()),
            Just("日本".to_string()),
            Just("🦀".to_string()),
            "[a-zA-Z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

/// What an export then import keeps of a name: no characters XML cannot carry, trimmed,
/// empty means none.
fn kept(name: &str) -> Option<String> {
    let cleaned: String = name
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect();
    let trimmed = cleaned.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

fn kept_folder(folder: &str) -> Option<String> {
    let names: Vec<String> = folder.split(" / ").filter_map(kept).collect();
    let path = names.join(" / ");
    // A name that had the separator inside it splits the same way on the way back.
    let names: Vec<String> = path.split(" / ").filter_map(kept).collect();
    (!names.is_empty()).then(|| names.join(" / "))
}

proptest! {
    #[test]
    fn any_subscription_list_survives_a_round_trip(
        entries in prop::collection::vec(
            (prop::option::of(name()), prop::option::of(name()), any::<bool>(), "[a-z0-9&<>'\"é~]{0,10}"),
            0..12,
        )
    ) {
        let feeds: Vec<OpmlFeed> = entries
            .iter()
            .enumerate()
            .map(|(i, (title, folder, html, path))| OpmlFeed {
                xml_url: format!("https://feed{i}.example/{path}"),
                title: title.clone(),
                html_url: html.then(|| format!("https://site{i}.example/")),
                folder: folder.clone(),
            })
            .collect();
        let back = read_opml(write_opml(&feeds, "t", "d").as_bytes()).unwrap();
        prop_assert_eq!(back.problems.len(), 0);
        prop_assert_eq!(back.duplicates, 0);
        let expected: Vec<OpmlFeed> = feeds
            .into_iter()
            .map(|f| OpmlFeed {
                title: f.title.as_deref().and_then(kept).filter(|t| *t != f.xml_url),
                folder: f.folder.as_deref().and_then(kept_folder),
                ..f
            })
            .collect();
        prop_assert_eq!(sorted(back.feeds), sorted(expected));
    }
}
