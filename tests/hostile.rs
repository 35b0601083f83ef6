//! Hostile feeds, pages, files and sync data (issue 11): one regression test per finding,
//! named after it (`finding_<n>_…`, numbered as in the issue), plus variants of each class.
//! Nothing here asserts on time: the worst cases are timed by `cargo bench --bench hostile`.

#[path = "support/promises.rs"]
mod promises;
mod support;

use futures::executor::block_on;
use planet_reader::core::discovery::{self, PageLink};
use planet_reader::core::opml::{self, read_opml, OpmlErrorKind};
use planet_reader::core::store::{FeedId, Subscription};
use planet_reader::core::sync::{self, SyncState};
use planet_reader::ports::TabPage;
use planet_reader::service::Config;

use planet_reader::core::model::Text;
use planet_reader::core::parse::{parse, ParseContext, ParseErrorKind};
use planet_reader::core::sanitize::sanitize_html;
use planet_reader::core::urls::{scheme_allowed, UrlUse};
use planet_reader::core::{caps, html_budget, identity};
use promises::{broken_promises, nesting_depth};

const FEED_URL: &str = "https://evil.example/feed.xml";

fn ctx() -> ParseContext<'static> {
    ParseContext { url: Some(FEED_URL), ..Default::default() }
}

/// Every text of the feed, sanitized as ingest stores it, must keep the promises.
fn assert_all_safe(feed: &planet_reader::core::model::Feed) {
    let texts = feed.entries.iter().flat_map(|e| [&e.title, &e.summary, &e.content]);
    for t in [&feed.title, &feed.description].into_iter().chain(texts).flatten() {
        let html = t.to_safe_html();
        assert_eq!(broken_promises(&html, false), Vec::<String>::new(), "{html}");
    }
}

/// URLs written the ways that got past the old prefix test (entities, TAB, LF, case).
const SCRIPT_URLS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt&#x3A;alert(2)",
    "java&#x09;script:alert(3)",
    "java&#x0A;script://%0Aalert(4)//",
    "java&#x0D;script:alert(5)",
    "&#x20;&#x01;javascript:alert(6)",
    "vbscript:msgbox(7)",
    "d&#x09;ata:text/html,&lt;script&gt;document.title='ran'&lt;/script&gt;",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "chrome://settings/",
    "chrome-extension://abcdefghijklmnop/popup.html",
    "blob:https://evil.example/1",
];

// ---- findings 3 and 4: the URL policy, after resolution ------------------------------------

#[test]
fn finding_3_xml_base_with_a_script_scheme_is_no_base() {
    let evil = "javascript://%0Aalert(document.domain)//";
    let rss = format!(
        r#"<rss version="2.0" xml:base="{evil}"><channel xml:base="{evil}"><title>t</title>
        <item xml:base="java&#x0A;script://%0Aalert(1)//"><title>x</title><link>/post</link>
        <description>&lt;a href="rel"&gt;a&lt;/a&gt;&lt;img src="i.png"&gt;</description>
        <enclosure url="ep.mp3" type="audio/mpeg" length="1"/></item></channel></rss>"#
    );
    let atom = format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{evil}"><title>t</title>
        <link href="/site"/><logo>logo.png</logo>
        <entry xml:base="java&#9;script://%0Aalert(1)//"><id>1</id><title>x</title>
        <link href="/post"/><content type="html">&lt;a href="rel"&gt;a&lt;/a&gt;</content>
        </entry></feed>"#
    );
    for doc in [rss, atom] {
        let feed = parse(doc.as_bytes(), &ctx()).unwrap();
        assert_all_safe(&feed);
        let e = &feed.entries[0];
        // Relative URLs resolve against the document, the base around the refused ones.
        assert_eq!(e.link.as_deref(), Some("https://evil.example/post"), "{doc}");
        let html = e.content.as_ref().or(e.summary.as_ref()).unwrap().to_safe_html();
        assert!(html.contains(r#"href="https://evil.example/rel""#), "{html}");
        for url in feed.link.iter().chain(&feed.image).chain(e.enclosures.iter().map(|x| &x.url)) {
            assert!(url.starts_with("https://evil.example/"), "{url}");
        }
    }
}

#[test]
fn finding_3_content_location_with_a_script_scheme_is_no_base() {
    let doc = br#"<rss version="2.0"><channel><title>t</title><item><title>x</title>
        <link>post</link><description>&lt;a href="rel"&gt;a&lt;/a&gt;</description></item>
        </channel></rss>"#;
    for location in
        ["java\tscript://x/%0Aalert(1)//", "javascript:alert(1)", "data:,x", "file:///x/"]
    {
        let ctx = ParseContext { content_location: Some(location), ..ctx() };
        let feed = parse(doc, &ctx).unwrap();
        assert_all_safe(&feed);
        assert_eq!(feed.entries[0].link.as_deref(), Some("https://evil.example/post"));
    }
}

#[test]
fn finding_3_an_entry_link_with_a_script_scheme_is_no_link_and_no_base() {
    for url in SCRIPT_URLS {
        let doc = format!(
            r#"<rss version="2.0"><channel><title>t</title><link>{url}</link>
            <image><url>{url}</url></image><item><title>x</title><link>{url}</link>
            <guid isPermaLink="true">{url}</guid><enclosure url="{url}" length="1"/>
            <description>&lt;a href="rel"&gt;a&lt;/a&gt;</description></item></channel></rss>"#
        );
        let feed = parse(doc.as_bytes(), &ctx()).unwrap();
        let e = &feed.entries[0];
        assert_eq!((&feed.link, &feed.image, &e.link), (&None, &None, &None), "{url}");
        assert!(e.enclosures.is_empty(), "{url}");
        assert_all_safe(&feed);
    }
    // Stored or as a base (ingest resolves an entry's HTML against its link): refused too.
    for url in SCRIPT_URLS.iter().map(|u| u.replace("&#x09;", "\t").replace("&#x0A;", "\n")) {
        let html =
            Text::html(r#"<a href="x">a</a><img src="y">"#, Some(url.clone())).to_safe_html();
        assert_eq!(broken_promises(&html, true), Vec::<String>::new(), "{url}: {html}");
        assert!(!html.contains(':'), "{url}: {html}");
    }
}

#[test]
fn finding_3_json_feed_urls_pass_the_same_test() {
    let doc = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
        "home_page_url": "java\tscript:alert(1)", "icon": "data:image/png,x",
        "items": [{"id": "1", "url": "java\nscript:alert(2)", "content_html": "<a href=x>a</a>",
        "attachments": [{"url": "file:///etc/passwd"}]}]}"#;
    let feed = parse(doc.as_bytes(), &ctx()).unwrap();
    assert_eq!((&feed.link, &feed.image, &feed.entries[0].link), (&None, &None, &None));
    assert!(feed.entries[0].enclosures.is_empty());
    assert_all_safe(&feed);
}

#[test]
fn finding_3_every_url_attribute_is_checked_after_resolution() {
    for url in SCRIPT_URLS {
        for (tag, attr) in [
            ("a", "href"),
            ("area", "href"),
            ("img", "src"),
            ("input type=image", "src"),
            ("blockquote", "cite"),
            ("img", "longdesc"),
            ("img", "usemap"),
            ("span", "action"),
            ("span", "data"),
            ("span", "datasrc"),
            ("span", "icon"),
            ("span", "vrml"),
        ] {
            let html = format!(r#"<{tag} {attr}="{url}">x</{}>"#, tag.split(' ').next().unwrap());
            for base in [Some("https://blog.example/post/"), None] {
                let out = sanitize_html(&html, base);
                assert_eq!(broken_promises(&out, base.is_none()), Vec::<String>::new(), "{out}");
                assert!(!out.to_ascii_lowercase().contains("script:"), "{out}");
            }
        }
    }
    // What the policy keeps: web links, resolved; mail links in `href` only.
    let out = sanitize_html(
        r#"<a href="/x">x</a><a href="mailto:me@blog.example">m</a><img src="mailto:me@blog.example">"#,
        Some("https://blog.example/post/"),
    );
    assert_eq!(
        out,
        r#"<a href="https://blog.example/x">x</a><a href="mailto:me@blog.example">m</a><img src="">"#
    );
}

#[test]
fn finding_4_open_in_tab_refuses_what_core_refuses() {
    // The popup reads the link with the browser's `URL` and asks this rule of its protocol.
    for protocol in ["javascript:", "data:", "file:", "chrome:", "vbscript:", "about:", "blob:"] {
        assert!(!scheme_allowed(protocol, UrlUse::Web), "{protocol}");
        assert!(!scheme_allowed(protocol, UrlUse::Link), "{protocol}");
    }
    assert!(scheme_allowed("https:", UrlUse::Web) && scheme_allowed("http:", UrlUse::Web));
    assert!(!scheme_allowed("mailto:", UrlUse::Web) && scheme_allowed("mailto:", UrlUse::Link));
    // And the stored link it would open never has another scheme (finding 3's test).
    let doc = br#"<rss version="2.0"><channel><title>t</title><item><title>x</title>
        <link>d&#x09;ata:text/html,&lt;script&gt;document.title='ran'&lt;/script&gt;</link>
        </item></channel></rss>"#;
    assert_eq!(parse(doc, &ctx()).unwrap().entries[0].link, None);
}

// ---- finding 11: remote content ------------------------------------------------------------

#[test]
fn finding_11_only_images_load_when_an_entry_opens() {
    let out = sanitize_html(
        r#"<img src="a.png" srcset="b.png 2x, data:image/png,x 3x" lowsrc="c.png" dynsrc="d.avi">
        <video src="v.mp4" poster="p.jpg" autoplay preload="auto" controls><source src="v.webm"></video>
        <audio src="a.mp3" autoplay><source src="a.ogg"></audio>
        <table background="bg.png"><tr><td background="t.png">x</td></tr></table>
        <a href="/p" ping="https://tracker.example/">p</a>"#,
        Some("https://blog.example/post/"),
    );
    assert_eq!(broken_promises(&out, false), Vec::<String>::new(), "{out}");
    assert!(out.contains(r#"<img src="https://blog.example/post/a.png""#), "{out}");
    // A video's poster is its placeholder image: it loads as images do.
    assert!(out.contains(r#"poster="https://blog.example/post/p.jpg""#), "{out}");
    for gone in ["srcset", "b.png", "v.mp4", "v.webm", "a.mp3", "a.ogg", "bg.png", "ping"] {
        assert!(!out.contains(gone), "{gone} in {out}");
    }
    // The media elements stay, inert: the post opens in a tab to play them.
    assert!(out.contains("<video") && out.contains("<audio"), "{out}");
}

// ---- finding 1: entity amplification -------------------------------------------------------

/// A feed whose DOCTYPE declares `a` as `value`, with `items` items that reference it.
fn amplified(value: &str, items: usize, item: &str) -> Vec<u8> {
    let mut doc = format!(r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{value}">]>"#);
    doc.push_str("<rss version=\"2.0\"><channel><title>amp</title>");
    for i in 0..items {
        doc.push_str(&format!("<item><guid>{i}</guid>{item}</item>"));
    }
    doc.push_str("</channel></rss>");
    doc.into_bytes()
}

#[test]
fn finding_1_entity_amplification_is_a_clear_error() {
    // The reproduction: one 1 MiB entity, 500 items with five references each.
    let big = "A".repeat(1 << 20);
    let doc = amplified(&big, 500, "<title>&a;</title><description>&a;&a;&a;&a;</description>");
    let err = parse(&doc, &ctx()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::EntityExpansion);
    assert_eq!(
        err.to_string(),
        "the feed declares entities that expand too far: past 64 KB in one value"
    );
}

#[test]
fn finding_1_many_small_references_hit_the_document_budget() {
    // 1 KB each, 4 references an item: no value is large, the document is (4 MB).
    let doc = amplified(
        &"b".repeat(1024),
        1_000,
        "<title>x</title><description>&a;&a;&a;&a;</description>",
    );
    let err = parse(&doc, &ctx()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::EntityExpansion);
    assert!(err.to_string().ends_with("past 1 MB in the whole feed"), "{err}");
    // In attributes too (an enclosure URL).
    let doc = amplified(
        &"b".repeat(1024),
        1_100,
        r#"<enclosure url="https://x.example/&a;" length="1"/>"#,
    );
    assert_eq!(parse(&doc, &ctx()).unwrap_err().kind, ParseErrorKind::EntityExpansion);
}

#[test]
fn finding_1_nested_entities_expand_nothing_and_honest_ones_work() {
    // Billion laughs: entities made of entities are not defined at all.
    let doc = br#"<!DOCTYPE rss [<!ENTITY l "lol"><!ENTITY l1 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">
        <!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">]><rss version="2.0"><channel>
        <title>&l2;&l2;</title><item><title>&l;</title></item></channel></rss>"#;
    let feed = parse(doc, &ctx()).unwrap();
    assert_eq!(feed.title.unwrap().value, "&l2;&l2;");
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "lol");
    // A small entity used in every item of a large feed stays well inside the budgets.
    let doc = amplified("Planet Reader Authors", 5_000, "<title>&a;</title><author>&a;</author>");
    let feed = parse(&doc, &ctx()).unwrap();
    assert_eq!(feed.entries.len(), 5_000);
    assert_eq!(feed.entries[4_999].title.as_ref().unwrap().value, "Planet Reader Authors");
}

// ---- finding 14: display strings, control characters -------------------------------------

#[test]
fn finding_14_display_strings_are_capped_where_they_are_made() {
    let huge = "W".repeat(10_000);
    let mut doc =
        format!("<rss version=\"2.0\"><channel><title>{huge}</title><language>{huge}</language>");
    for i in 0..90 {
        doc.push_str(&format!(
            "<item><guid>{i}{huge}</guid><title>&lt;b&gt;{huge}&lt;/b&gt;</title>\
             <author>{huge}@x.example ({huge})</author><category>{huge}</category>\
             <enclosure url=\"https://x.example/{i}.mp3\" type=\"{huge}\" length=\"1\"/></item>"
        ));
    }
    doc.push_str("</channel></rss>");
    let feed = parse(doc.as_bytes(), &ctx()).unwrap();
    let chars = |s: &str| s.chars().count();
    assert_eq!(chars(&feed.title.as_ref().unwrap().to_plain()), caps::TITLE);
    assert!(chars(feed.language.as_deref().unwrap()) <= caps::NAME);
    assert_eq!(feed.entries.len(), 90);
    for e in &feed.entries {
        let title = e.title.as_ref().unwrap().to_plain();
        assert!(title.starts_with("WWW") && title.ends_with('…'), "{title}");
        assert_eq!(chars(&title), caps::TITLE);
        let author = e.author.as_ref().unwrap();
        assert!(chars(author.name.as_deref().unwrap()) <= caps::NAME);
        assert!(chars(author.email.as_deref().unwrap()) <= caps::NAME);
        assert!(chars(&e.categories[0]) <= caps::NAME);
        assert!(chars(e.enclosures[0].mime_type.as_deref().unwrap()) <= caps::NAME);
        assert!(e.id.len() <= identity::MAX_ID_BYTES, "{}", e.id.len());
    }
    // Distinct long guids stay distinct ids.
    assert_ne!(feed.entries[0].id, feed.entries[1].id);
}

#[test]
fn finding_14_a_nul_byte_does_not_reject_a_feed() {
    let rss = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Ti\0tle</title>\
        <item><title>One\x01\x0b\x0c\x1f</title><description>a\0b</description></item>\
        </channel></rss>";
    let feed = parse(rss, &ctx()).unwrap();
    assert_eq!(feed.title.as_ref().unwrap().value, "Title");
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "One");
    assert_eq!(feed.entries[0].summary.as_ref().unwrap().value, "ab");
    let noncharacters =
        "<rss version=\"2.0\"><channel><title>a\u{fffe}b\u{ffff}c</title></channel></rss>";
    assert_eq!(parse(noncharacters.as_bytes(), &ctx()).unwrap().title.unwrap().value, "abc");
    let json = b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"J\0SON\",
        \"items\": [{\"id\": \"1\", \"title\": \"x\0y\"}]}";
    let feed = parse(json, &ctx()).unwrap();
    assert_eq!(feed.title.as_ref().unwrap().value, "JSON");
    assert_eq!(feed.entries[0].title.as_ref().unwrap().value, "xy");
}

#[test]
fn finding_14_binary_data_is_still_not_text() {
    let kind = |b: &[u8]| parse(b, &ctx()).unwrap_err().kind;
    assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), ParseErrorKind::Binary);
    assert_eq!(kind(b"\x1f\x8b\x08\0\0\0\0\0"), ParseErrorKind::Binary);
    assert_eq!(kind(b"abc\0def"), ParseErrorKind::Binary);
    // Markup-looking bytes that are mostly control bytes are binary too.
    let mut noise = b"<x".to_vec();
    noise.extend((0..600u32).map(|i| (i % 7) as u8));
    assert_eq!(kind(&noise), ParseErrorKind::Binary);
    // UTF-16 (NUL in every other byte) is text.
    let utf16: Vec<u8> = "<rss version=\"2.0\"><channel><title>u16</title></channel></rss>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(parse(&utf16, &ctx()).unwrap().title.unwrap().value, "u16");
}

// ---- finding 2: quadratic sanitizing -------------------------------------------------------

#[test]
fn finding_2_deep_markup_is_cut_to_a_bounded_depth() {
    // The reproduction: 40,000 unclosed `<div>` in one description, and other shapes of
    // the same class (formatting elements, lists, tables, spans with stray end tags).
    let cases = [
        "<div>".repeat(40_000) + "the end",
        "<b><i>".repeat(20_000) + "the end",
        "<ul><li>".repeat(20_000) + "the end",
        "<table><td>".repeat(20_000) + "the end",
        "<span>".repeat(500) + &"</q>".repeat(50_000) + "the end",
    ];
    for html in &cases {
        let out = sanitize_html(html, Some("https://blog.example/"));
        let depth = nesting_depth(&out);
        assert!(depth <= 2 * html_budget::MAX_DEPTH, "{depth} deep");
        assert!(out.contains("the end"), "the text is kept");
        assert!(out.len() <= 2 * html.len(), "{} bytes", out.len());
    }
}

#[test]
fn finding_2_attributes_and_reconstructions_are_budgeted() {
    // 100,000 attributes on one tag: the tag is dropped, its text stays.
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let out = sanitize_html(&format!("<p{attrs}>kept</p>"), None);
    assert_eq!(out, "kept");
    // Formatting elements closed by accident are re-created for every paragraph; the
    // growth that may add is bounded by the input.
    let bold: String = (0..500).map(|i| format!("<b title=\"{i:0>200}\">")).collect();
    let html = format!("<p>{bold}</p>{}", "<p>x</p>".repeat(20_000));
    let out = sanitize_html(&html, None);
    let cap = html_budget::GROWTH_PER_BYTE * html.len() + html_budget::GROWTH_SLACK;
    assert!(out.len() <= html.len() + cap, "{} bytes from {}", out.len(), html.len());
    assert_eq!(out.matches('x').count(), 20_000);
}

#[test]
fn finding_2_real_entries_are_not_touched_by_the_budgets() {
    let doc =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/planetpython.xml"));
    let feed = parse(&doc.unwrap(), &ctx()).unwrap();
    for e in &feed.entries {
        let html = &e.summary.as_ref().unwrap().value;
        assert_eq!(html_budget::bound(html), html.as_str());
    }
}

// ---- findings 10 and 12: discovery ----------------------------------------------------------

fn rss_feed(title: &str) -> String {
    format!("<rss version=\"2.0\"><channel><title>{title}</title><item><guid>1</guid></item></channel></rss>")
}

#[test]
fn finding_10_a_page_cannot_make_discovery_a_flood() {
    let fakes = support::Fakes::default();
    let config = Config { default_feeds: vec![], ..Config::default() };
    let service = fakes.service_with(config);
    block_on(service.start()).unwrap();
    let links: Vec<PageLink> = (0..300)
        .map(|i| {
            let url = format!("https://other.example/{i}.xml");
            fakes.net.answer(&url, support::Answer::ok(&rss_feed(&format!("Feed {i}"))));
            PageLink {
                rel: Some("alternate".into()),
                href: url,
                mime_type: Some("application/rss+xml".into()),
                title: Some(format!("Feed {i}")),
                text: None,
            }
        })
        .collect();
    let page = TabPage { url: "https://blog.example/".into(), content_type: None, links };
    fakes.tabs.0.borrow_mut().insert(1, page);
    let found = block_on(service.discover_tab(1)).unwrap();
    let requests = fakes.net.requests.borrow();
    assert_eq!(requests.len(), discovery::MAX_CHECKED, "one request per checked candidate");
    // The user has granted nothing: no cookies, no HTTP authentication.
    assert!(requests.iter().all(|r| r.anonymous));
    let checked = found.feeds.iter().filter(|f| f.problem.is_none()).count();
    assert_eq!(checked, discovery::MAX_CHECKED);
    assert_eq!(found.feeds.len(), discovery::MAX_CANDIDATES);
    assert_eq!(
        found.feeds[discovery::MAX_CHECKED].problem.as_deref(),
        Some("not checked: the page offers more than 20 feeds")
    );
}

#[test]
fn finding_12_an_svg_link_on_a_page_does_not_break_discovery() {
    // What `discover.js` returned for a page with an inline SVG `<a>` before it was fixed:
    // its `href` is an SVGAnimatedString, an object. Such links are skipped.
    let page = serde_json::json!({
        "url": "https://blog.example/",
        "contentType": "text/html",
        "links": [
            {"rel": "alternate", "href": {"baseVal": "/feed", "animVal": "/feed"}, "text": ""},
            {"rel": "alternate", "href": "https://blog.example/feed", "mime_type": "application/rss+xml"},
            "not a link",
            {"href": 42},
            {"rel": ["alternate"], "href": "https://blog.example/x"},
        ],
    });
    let page: TabPage = serde_json::from_value(page).unwrap();
    assert_eq!(page.links.len(), 1);
    assert_eq!(page.links[0].href, "https://blog.example/feed");
    let page: TabPage =
        serde_json::from_value(serde_json::json!({"url": "u", "links": 7})).unwrap();
    assert!(page.links.is_empty());
}

// ---- finding 8: OPML -----------------------------------------------------------------------

fn opml_doc(body: &str) -> Vec<u8> {
    format!("<opml version=\"2.0\"><head><title>t</title></head><body>{body}</body></opml>")
        .into_bytes()
}

#[test]
fn finding_8_nested_folders_times_feeds_stay_small() {
    // The reproduction's shape: folders nested 700 deep, 2,000 feeds at the bottom.
    let depth = 700;
    let mut body: String = (0..depth).map(|i| format!("<outline text=\"folder {i}\">")).collect();
    for i in 0..2_000 {
        body.push_str(&format!("<outline type=\"rss\" xmlUrl=\"https://f{i}.example/feed\"/>"));
    }
    body.push_str(&"</outline>".repeat(depth));
    let import = read_opml(&opml_doc(&body)).unwrap();
    assert_eq!(import.feeds.len(), 2_000);
    let folder = import.feeds[0].folder.as_deref().unwrap();
    assert!(folder.starts_with("folder 0 / folder 1 / "), "{folder}");
    for f in &import.feeds {
        assert!(f.folder.as_ref().unwrap().chars().count() <= caps::FOLDER);
    }
    assert_eq!(
        import.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        [format!(
            "folders nested deeper than {} levels are merged into the 16th",
            opml::MAX_FOLDER_DEPTH
        )]
    );
}

#[test]
fn finding_8_outline_count_lengths_and_size_are_capped() {
    let many: String = (0..opml::MAX_OUTLINES + 500)
        .map(|i| format!("<outline type=\"rss\" xmlUrl=\"https://f{i}.example/\"/>\n"))
        .collect();
    let import = read_opml(&opml_doc(&many)).unwrap();
    assert_eq!(import.feeds.len(), opml::MAX_OUTLINES);
    assert_eq!(import.problems.len(), 1);
    assert!(import.problems[0].message.starts_with("the file has more than 10000 outlines"));

    let long = "T".repeat(10_000);
    let url = format!("https://x.example/{}", "u".repeat(10_000));
    let body = format!(
        "<outline text=\"{long}\" type=\"rss\" xmlUrl=\"https://ok.example/\"/>\
         <outline text=\"long url\" type=\"rss\" xmlUrl=\"{url}\"/>"
    );
    let import = read_opml(&opml_doc(&body)).unwrap();
    assert_eq!(import.feeds[0].title.as_ref().unwrap().chars().count(), caps::USER_TITLE);
    assert_eq!(import.feeds.len(), 1);
    assert!(import.problems[0].message.ends_with("is longer than 8 KB"), "{:?}", import.problems);

    let bad: String = (0..500).map(|_| "<outline type=\"rss\"/>\n").collect();
    let import = read_opml(&opml_doc(&bad)).unwrap();
    assert_eq!(import.problems.len(), opml::MAX_PROBLEMS + 1);
    assert_eq!(import.problems.last().unwrap().message, "and 400 more problems, not listed");

    let huge = vec![b' '; opml::MAX_FILE_BYTES + 1];
    assert_eq!(read_opml(&huge).unwrap_err().kind, OpmlErrorKind::TooLarge);
}

// ---- finding 13: subscriptions from storage.sync ------------------------------------------

fn synced(url: &str, title: &str) -> sync::Items {
    let sub = Subscription {
        id: FeedId::for_url(url),
        url: url.into(),
        title: Some(title.into()),
        folder: None,
        added: 1_760_000_000_000,
    };
    let mut state = SyncState::new();
    state.subscribe(&sub, 1_760_000_000_000, sync::Device::new("other-profile"));
    sync::encode(&state, &sync::Quota::default()).items
}

#[test]
fn finding_13_synced_subscriptions_pass_the_typed_url_test() {
    // Another profile (or anything that can write storage.sync) offers these.
    let mut items = sync::Items::new();
    for url in
        SCRIPT_URLS.iter().chain(&["feed:https://x.example/", "https://", "ftp://x.example/f"])
    {
        items.extend(synced(&url.replace("&#x09;", "\t").replace("&#x0A;", "\n"), "evil"));
    }
    items.extend(synced("https://good.example/feed", "good"));
    let decoded = sync::decode(&items).unwrap();
    let subs = decoded.state.subscriptions();
    assert_eq!(
        subs.iter().map(|s| s.url.as_str()).collect::<Vec<_>>(),
        ["https://good.example/feed"]
    );
    // Each refused one is counted, and none is synced on or exported.
    assert!(decoded.skipped.len() >= SCRIPT_URLS.len(), "{:?}", decoded.skipped);
    let again = sync::encode(&decoded.state, &sync::Quota::default()).items;
    assert_eq!(sync::decode(&again).unwrap().state.subscriptions(), subs);
    let replica = serde_json::to_value(&decoded.state).unwrap();
    let back: SyncState = serde_json::from_value(replica).unwrap();
    assert_eq!(back.subscriptions(), subs);
}

#[test]
fn finding_13_synced_titles_and_folders_are_capped_like_user_input() {
    let mut items = synced("https://good.example/feed", "t");
    // Rewrite the record as a hostile writer would: a 7 KB title, a 500-character folder.
    for value in items.values_mut().filter_map(|v| v.as_object_mut()) {
        for rec in value.values_mut().filter_map(|r| r.as_array_mut()) {
            rec.truncate(2);
            rec.push(serde_json::Value::String(format!("\u{1}{}", "T".repeat(7_000))));
            rec.push(serde_json::Value::String("F".repeat(500)));
        }
    }
    let subs = sync::decode(&items).unwrap().state.subscriptions();
    let sub = &subs[0];
    assert_eq!(sub.title.as_ref().unwrap().chars().count(), sync::MAX_TITLE_CHARS);
    assert!(sub.title.as_ref().unwrap().starts_with("TTT"), "control characters dropped");
    assert_eq!(sub.folder.as_ref().unwrap().chars().count(), sync::MAX_FOLDER_CHARS);
}

#[test]
fn finding_13_a_stored_replica_with_an_invalid_url_loses_only_that_record() {
    let mut state = SyncState::new();
    for url in ["javascript:alert(1)", "https://good.example/feed"] {
        let sub = Subscription {
            id: FeedId::for_url(url),
            url: url.into(),
            title: None,
            folder: None,
            added: 0,
        };
        state.subscribe(&sub, 1_760_000_000_000, sync::Device::new("old-version"));
    }
    let stored = serde_json::to_value(&state).unwrap();
    let loaded: SyncState = serde_json::from_value(stored).unwrap();
    let urls: Vec<String> = loaded.subscriptions().into_iter().map(|s| s.url).collect();
    assert_eq!(urls, ["https://good.example/feed"]);
}

// ---- found by the fuzz targets ---------------------------------------------------------------

#[test]
fn fuzz_a_relative_iri_against_a_base_does_not_panic() {
    // fuzz/sanitize and fuzz/parse: the "kept as written" test sliced a URL at a byte that
    // was inside a character.
    let out = sanitize_html(r#"<a href="ééé">x</a>"#, Some("https://blog.example/a/"));
    assert_eq!(out, r#"<a href="https://blog.example/a/ééé">x</a>"#);
}

#[test]
fn fuzz_an_opml_url_with_control_characters_round_trips() {
    // fuzz/opml: a URL ending in control characters was kept as written, and the export
    // (which cannot write them in XML) gave another URL back.
    let doc =
        opml_doc("<outline type=\"rss\" xmlUrl=\"https://planetpython.org/rss20\u{10}\u{0}\"/>");
    let import = read_opml(&doc).unwrap();
    assert_eq!(import.feeds[0].xml_url, "https://planetpython.org/rss20");
    let back = read_opml(opml::write_opml(&import.feeds, "t", "d").as_bytes()).unwrap();
    assert_eq!(back.feeds, import.feeds);
}

#[test]
fn finding_3_a_json_author_mail_address_is_still_an_address() {
    // The URL policy keeps `mailto:` out of stored links; a JSON Feed author's `mailto:` URL
    // is read as the e-mail address it is, before that.
    let doc = br#"{"version": "https://jsonfeed.org/version/1", "title": "t",
        "author": {"name": "Me", "url": "mailto:me@blog.example"}, "items": []}"#;
    let author = parse(doc, &ctx()).unwrap().author.unwrap();
    assert_eq!((author.email.as_deref(), author.uri), (Some("me@blog.example"), None));
}

#[test]
fn fuzz_an_opml_url_without_slashes_is_one_a_user_could_type() {
    // fuzz/opml: `https:1.0` was imported as written, which the typed-address test (used
    // again when subscribing) reads as a host and a port, and refuses.
    let import = read_opml(&opml_doc("<outline type=\"rss\" xmlUrl=\"https:1.0\"/>")).unwrap();
    assert_eq!(import.feeds[0].xml_url, "https://1.0.0.0/");
    assert!(discovery::user_url(&import.feeds[0].xml_url).is_some());
}
