//! Feed autodiscovery: from a web page to the feeds it offers.
//!
//! The extension finds feeds in two ways, and both end here:
//!
//! 1. for the page in the current tab, a small injected script reads the live DOM and returns
//!    every `<link>` and `<a>` as a [`PageLink`] (its `href` already absolute);
//! 2. for a URL the user pastes, the worker fetches the HTML and [`links_from_html`] extracts
//!    the same [`PageLink`]s from it.
//!
//! [`candidates`] then ranks the links that may be feeds, [`well_known_candidates`] adds the
//! paths blog engines use when a page declares nothing, the worker fetches and parses each
//! candidate, and [`fold_verified`] folds the ones that turned out to be the same feed before
//! the popup shows them ([`mark_subscribed`] flags those the user already has). Nothing here
//! fetches: a candidate is only a guess until the parser accepted what its URL served.
//!
//! ```
//! use planet_reader::core::discovery::{candidates, links_from_html, CandidateSource};
//!
//! let html = r#"<head><link rel="alternate" type="application/rss+xml" href="/feed/"></head>"#;
//! let links = links_from_html(html, "https://example.com/blog/");
//! let found = candidates("https://example.com/blog/", &links);
//! assert_eq!(found[0].url, "https://example.com/feed/");
//! assert_eq!(found[0].source, CandidateSource::LinkAlternate);
//! ```
//!
//! # Why each heuristic exists
//!
//! - `<link rel="alternate">` with a feed media type is the declared, standard way (RSS
//!   autodiscovery, RFC 4287's Atom media type, JSON Feed's `application/feed+json`). Every
//!   engine emits it: WordPress (`/feed/` and its "Comments Feed" `/comments/feed/`, plus a
//!   per-post comments feed on post pages), Ghost (`/rss/`), Hugo (`/index.xml`), Jekyll's
//!   jekyll-feed (`/feed.xml`, Atom), Substack (`/feed`), Medium (`/feed/@user`), Blogger
//!   (`/feeds/posts/default`, Atom and `?alt=rss`). So it ranks first.
//! - Media types are compared on their essence, case-insensitively: real pages write
//!   `application/rss+xml; charset=utf-8` and `Application/RSS+XML`. Old sites say `text/xml`
//!   or `application/xml`; they are kept, verification weeds out the rest. `application/json`
//!   is kept only when the URL or title names a feed, because WordPress also emits a
//!   `rel="alternate" type="application/json"` link to its REST API (`/wp-json/...`) and
//!   oEmbed links (`application/json+oembed`, `text/xml+oembed`) that are not feeds.
//! - `rel` is a set of space-separated tokens (`rel="alternate feed"`), case-insensitive.
//!   `rel="feed"` (WHATWG) needs no type. A `rel="alternate"` without a feed type is a
//!   translation or a print version, not a feed.
//! - `<a>` links are the fallback for pages that declare nothing: an "RSS" icon in a footer,
//!   a "Subscribe via RSS" link. An anchor is a candidate when it uses the `feed:` scheme
//!   (`feed://host/path` means `http://host/path`, `feed:https://...` wraps a URL), carries a
//!   feed `type`, or when its URL or its text names a feed (`feed`, `rss`, `atom`...) as a
//!   whole word, so `/feedback` does not count (in a URL, a whole path segment must be made of
//!   such words, so a post slug like `/p/issue-42-on-feeds` does not count either). Anchors
//!   on the page's own site rank before others, because a blogroll or a planet lists other
//!   sites' feeds. Links to feed readers' subscribe pages ("Follow on Feedly") and to the W3C
//!   feed validator (the "Valid RSS" badge of older sites) are skipped: they name a feed but
//!   are HTML pages. At most [`MAX_ANCHOR_CANDIDATES`] anchors are kept, because each one
//!   costs a fetch.
//! - Comments feeds are kept (someone may want them) but ranked last: WordPress declares the
//!   site's comments feed next to the posts feed on every page, and a post's own comments
//!   feed first on post pages.
//! - Duplicates (the same feed in the `<head>` and in the footer) fold by normalized URL,
//!   keeping the best-ranked one; only `http` and `https` URLs are kept (no `javascript:`,
//!   `mailto:` or `data:`).
//! - Well-known paths are what engines serve without saying so, tried at the site root and
//!   in the page's directory: `/feed/` (WordPress; Substack answers `/feed`), `/rss/` (Ghost),
//!   `/index.xml` (Hugo), `/feed.xml` (Jekyll), `/atom.xml` (Hexo, Octopress), `/rss.xml`
//!   (Gatsby, Docusaurus), `/feed.json` (JSON Feed), `/index.rss`, `/?feed=rss2` (WordPress
//!   with plain permalinks); plus `/feed/@user` on Medium and `/feeds/posts/default` on
//!   Blogspot, whose feed paths are not at the root of the page's directory.
//! - Verified candidates fold when they are one feed at two URLs: the same normalized URL,
//!   the same `self` link (WordPress `/feed` and `/feed/`), or the same title and the same
//!   first entry ids (the RSS, Atom and JSON Feed versions of one blog). One row per blog
//!   keeps the list short, but the versions are not the same to everyone (Atom has real
//!   dates and XHTML, JSON Feed is what some tools want), so a folded version in another
//!   format is kept as an [`Alternative`] of the row and the popup lets the person pick it;
//!   the best-ranked version stays the default.

use serde::{Deserialize, Serialize};
use url::Url;

use super::caps;
use super::identity::normalize_url;
use super::model::{Feed, FormatFamily};
use super::urls::{self, UrlUse};

/// How much of an HTML page [`links_from_html`] reads. The `<head>`, where feeds are
/// declared, comes first; a page larger than this is not a blog page worth scanning whole.
pub const MAX_HTML_BYTES: usize = 4 * 1024 * 1024;

/// How many links [`links_from_html`] collects at most.
pub const MAX_LINKS: usize = 2_000;

/// How many `<a>` candidates [`candidates`] keeps: each one costs a fetch to verify.
pub const MAX_ANCHOR_CANDIDATES: usize = 10;

/// How many entry ids a [`Verified`] keeps to recognise one feed served at two URLs.
pub const FINGERPRINT_IDS: usize = 5;

/// CSS selectors of the `<link>`s that announce a feed, as the browser matches them on
/// every page for `declarativeContent` (the toolbar button's "this page has a feed", which
/// needs no access to the page: `browser::content`). Only compound selectors (no
/// combinators) are allowed there. `type*="rss"` and `"atom"` cover `application/rss+xml`
/// and `application/atom+xml`; `feed+json` is JSON Feed's (not every `…json`, which would
/// take oEmbed's `application/json+oembed` for a feed); `rel="feed"` is HTML's own keyword.
/// Discovery ([`candidates`]) accepts more: these are the ones that certainly are feeds.
/// Written as Chromium writes them back (double quotes), so a test can compare.
pub const FEED_LINK_SELECTORS: &[&str] = &[
    r#"link[rel~="alternate"][type*="rss"]"#,
    r#"link[rel~="alternate"][type*="atom"]"#,
    r#"link[rel~="alternate"][type*="feed+json"]"#,
    r#"link[rel~="feed"]"#,
];
/// How many candidates are checked (fetched and parsed) at most, best first; the others are
/// listed unchecked ([`to_check`]). A page that declares 300 feeds on another host must not
/// make the extension send 300 requests.
pub const MAX_CHECKED: usize = 20;

/// How many candidates [`candidates`] returns at most (checked or not, what the popup lists).
pub const MAX_CANDIDATES: usize = 100;

/// One `<link>` or `<a>` of a page, as the injected script (or [`links_from_html`]) reports
/// it. All attribute values are raw; `href` is absolute when the page could resolve it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    /// The `rel` attribute as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    pub href: String,
    /// The `type` attribute as written (parameters and case included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The `title` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For an `<a>`: its text content, with the `alt` text of images inside (an RSS icon is
    /// often only an image). `None` for a `<link>`: that is how the two are told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Where a candidate came from, best first. It decides the order the popup shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateSource {
    /// The URL the user gave is itself a feed (the worker found so by parsing it).
    PageIsFeed,
    /// `<link rel="alternate">` with a feed media type.
    LinkAlternate,
    /// `<link rel="feed">`.
    LinkFeed,
    /// An `<a>` that looks like a feed link.
    Anchor,
    /// A path blog engines serve by convention, not named by the page.
    WellKnown,
}

impl CandidateSource {
    fn rank(self) -> u8 {
        match self {
            CandidateSource::PageIsFeed => 0,
            CandidateSource::LinkAlternate => 1,
            CandidateSource::LinkFeed => 2,
            CandidateSource::Anchor => 3,
            CandidateSource::WellKnown => 4,
        }
    }
}

/// A URL that may serve a feed, not yet fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Absolute `http(s)` URL, normalized (see `core::identity::normalize_url`).
    pub url: String,
    /// What the page calls it: the link's `title`, else the anchor's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The declared media type's essence, lower-cased (`application/rss+xml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    pub source: CandidateSource,
}

/// The links of a page as the injected script reported them, keeping only what is a
/// [`PageLink`] (at most [`MAX_LINKS`]): the page's own scripts can make an element's
/// `href` anything (an SVG `<a>` reports an object), and one bad link must never make the
/// whole page unreadable. For `#[serde(deserialize_with)]`.
pub fn lenient_links<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PageLink>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let links = value.as_array().map(Vec::as_slice).unwrap_or_default();
    Ok(links
        .iter()
        .filter_map(|v| PageLink::deserialize(v).ok())
        .filter(|l| !l.href.is_empty())
        .take(MAX_LINKS)
        .collect())
}

/// The candidates to check, and those to list unchecked: the first [`MAX_CHECKED`].
pub fn to_check(mut found: Vec<Candidate>) -> (Vec<Candidate>, Vec<Candidate>) {
    let rest = found.split_off(found.len().min(MAX_CHECKED));
    (found, rest)
}

/// A fetched HTML page as text, in the charset it declares (a byte order mark, the HTTP
/// `Content-Type`, or a `<meta>` charset in its first 1,024 bytes), else UTF-8 when it is
/// valid UTF-8, else windows-1252.
pub fn page_text<'a>(bytes: &'a [u8], content_type: Option<&str>) -> std::borrow::Cow<'a, str> {
    super::parse::decode_html(bytes, content_type)
}

/// The links of an HTML page: every `<link>` and every `<a href>`, with `href` resolved
/// against the document's base URL (the first `<base href>`, else `page_url`).
///
/// Built on html5ever's tokenizer (already in the wasm for sanitizing), so broken markup is
/// read the way browsers read it, and `<script>`/`<style>` contents are not mistaken for
/// markup. Work is bounded: at most [`MAX_HTML_BYTES`] of input and [`MAX_LINKS`] links, and
/// tags with more than `core::html_budget::MAX_ATTRIBUTES` attributes are skipped.
/// Links whose `href` cannot be resolved are left out; other schemes are kept (as the DOM
/// would report them) and filtered by [`candidates`].
pub fn links_from_html(html: &str, page_url: &str) -> Vec<PageLink> {
    let html = truncate_at_char_boundary(html, MAX_HTML_BYTES);
    // html5ever's tokenizer is quadratic in the attributes of one tag.
    let html = super::html_budget::drop_crowded_tags(html);
    let collected = html_scan::scan(&html);

    let page = Url::parse(page_url.trim()).ok();
    let base = match (&collected.base, &page) {
        (Some(base_href), Some(page)) => {
            page.join(trim_url(base_href)).ok().filter(is_web_url).or(Some(page.clone()))
        }
        (Some(base_href), None) => Url::parse(trim_url(base_href)).ok().filter(is_web_url),
        (None, page) => page.clone(),
    };

    collected
        .links
        .into_iter()
        .filter_map(|raw| {
            let href = trim_url(&raw.href);
            if href.is_empty() {
                return None;
            }
            let resolved = match &base {
                Some(base) => base.join(href),
                None => Url::parse(href),
            };
            let href = resolved.ok()?.to_string();
            Some(PageLink { href, ..raw })
        })
        .collect()
}

/// The links among `links` that may be feeds, ranked: `<link rel="alternate">` first, then
/// `rel="feed"`, then anchors (same site before other sites), each group in document order,
/// comments feeds last of all. Duplicates fold by normalized URL, keeping the best-ranked
/// one. Relative hrefs are resolved against `page_url`; the page itself is never a candidate
/// (it is HTML: the worker adds [`CandidateSource::PageIsFeed`] when it parsed as a feed).
pub fn candidates(page_url: &str, links: &[PageLink]) -> Vec<Candidate> {
    let page = Url::parse(page_url.trim()).ok();
    let page_norm = page.as_ref().map(|u| normalize_url(u.as_str()));
    let page_host = page.as_ref().and_then(|u| u.host_str()).map(str::to_ascii_lowercase);

    // (rank key, candidate); the sort below is stable, so document order breaks ties.
    let mut found: Vec<((bool, u8, bool, u8), Candidate)> = Vec::new();
    for link in links {
        let Some(url) = feed_url(page.as_ref(), &link.href) else { continue };
        let norm = normalize_url(url.as_str());
        if Some(&norm) == page_norm.as_ref() {
            continue;
        }
        let mime = link.mime_type.as_deref().map(mime_essence).filter(|m| !m.is_empty());
        let title = link
            .title
            .as_deref()
            .and_then(clean_text)
            .or_else(|| link.text.as_deref().and_then(clean_text))
            .map(|t| caps::cap(&t, caps::NAME).into_owned());
        let Some((source, score)) = classify(link, &url, mime.as_deref(), title.as_deref()) else {
            continue;
        };
        let foreign = source == CandidateSource::Anchor
            && !page_host.as_deref().is_some_and(|page| same_site(page, url.host_str()));
        if source == CandidateSource::Anchor && is_feed_service(url.host_str()) {
            continue;
        }
        let comments = is_comments(title.as_deref(), &url);
        found.push((
            (comments, source.rank(), foreign, score),
            Candidate { url: norm, title, mime_type: mime, source },
        ));
    }
    found.sort_by_key(|(key, _)| *key);

    let mut out: Vec<Candidate> = Vec::new();
    let mut anchors = 0;
    for (_, candidate) in found {
        if let Some(kept) = out.iter_mut().find(|c| c.url == candidate.url) {
            if kept.title.is_none() {
                kept.title = candidate.title;
            }
            if kept.mime_type.is_none() {
                kept.mime_type = candidate.mime_type;
            }
            continue;
        }
        if candidate.source == CandidateSource::Anchor {
            if anchors == MAX_ANCHOR_CANDIDATES {
                continue;
            }
            anchors += 1;
        }
        if out.len() == MAX_CANDIDATES {
            break;
        }
        out.push(candidate);
    }
    out
}

/// Paths blog engines serve feeds at without always saying so, at the site root first and
/// then in the page's directory (the path up to its last `/`), without duplicates. Only for
/// `http(s)` pages. These are guesses to verify when the page names no feed; most answer 404.
pub fn well_known_candidates(page_url: &str) -> Vec<Candidate> {
    const PATHS: &[&str] = &[
        "feed/",
        "feed",
        "rss/",
        "rss",
        "rss.xml",
        "atom.xml",
        "feed.xml",
        "index.xml",
        "feed.json",
        "atom",
        "index.rss",
        "?feed=rss2",
    ];
    let Some(page) = Url::parse(page_url.trim()).ok().filter(is_web_url) else {
        return Vec::new();
    };
    let host = page.host_str().unwrap_or("").to_ascii_lowercase();
    let mut urls: Vec<String> = Vec::new();

    // Site-specific first: their feeds are not at the root nor in the page's directory.
    let mut segments = page.path_segments().into_iter().flatten().filter(|s| !s.is_empty());
    if host == "medium.com" || host == "www.medium.com" {
        match (segments.next(), segments.next()) {
            (Some(user), _) if user.starts_with('@') => urls.push(format!("/feed/{user}")),
            (Some("tag"), Some(tag)) => urls.push(format!("/feed/tag/{tag}")),
            (Some(publication), _) if !matches!(publication, "feed" | "m" | "p" | "tag") => {
                urls.push(format!("/feed/{publication}"))
            }
            _ => {}
        }
    }
    if host.ends_with(".blogspot.com") {
        urls.push("/feeds/posts/default".into());
    }

    let path = page.path();
    let directory = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    for dir in ["/", directory] {
        for tail in PATHS {
            urls.push(format!("{dir}{tail}"));
        }
    }

    let mut out: Vec<Candidate> = Vec::new();
    for path in urls {
        let Ok(url) = page.join(&path) else { continue };
        let url = normalize_url(url.as_str());
        if out.iter().all(|c| c.url != url) {
            out.push(Candidate {
                url,
                title: None,
                mime_type: None,
                source: CandidateSource::WellKnown,
            });
        }
    }
    out
}

/// A candidate the worker fetched and the parser accepted as a feed: what the popup lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub candidate: Candidate,
    /// The feed's own title, plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A name for people: "RSS 2.0", "Atom 1.0", "JSON Feed 1.1".
    pub format: String,
    pub entry_count: usize,
    /// The feed's own URL as it states it (`atom:link rel="self"`, JSON `feed_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
    /// The ids of the first [`FINGERPRINT_IDS`] entries: with the title, they recognise one
    /// feed served at two URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_ids: Vec<String>,
    /// RSS, Atom or JSON Feed: versions of other families fold in as [`Alternative`]s.
    #[serde(default)]
    pub family: FormatFamily,
    /// Other URLs the same feed was reached at, in the same format, folded into this one by
    /// [`fold_verified`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The same feed in the other formats (one per family), folded into this one by
    /// [`fold_verified`], for the person to pick instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    /// Whether the user already subscribes to it (see [`mark_subscribed`]).
    #[serde(default)]
    pub subscribed: bool,
}

/// The same feed in another format: where it is and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alternative {
    pub url: String,
    /// A name for people: "Atom 1.0", "JSON Feed 1.1".
    pub format: String,
    pub family: FormatFamily,
    pub entry_count: usize,
}

impl Alternative {
    fn of(v: &Verified) -> Alternative {
        Alternative {
            url: v.candidate.url.clone(),
            format: v.format.clone(),
            family: v.family,
            entry_count: v.entry_count,
        }
    }
}

impl Verified {
    /// What the popup needs to know of a candidate that parsed as `feed`.
    pub fn new(candidate: Candidate, feed: &Feed) -> Verified {
        Verified {
            candidate,
            title: feed.title.as_ref().map(|t| t.to_plain()).filter(|t| !t.is_empty()),
            format: feed.format.label().to_string(),
            entry_count: feed.entries.len(),
            self_link: feed.self_link.clone(),
            entry_ids: feed.entries.iter().take(FINGERPRINT_IDS).map(|e| e.id.clone()).collect(),
            family: feed.format.family(),
            aliases: Vec::new(),
            alternatives: Vec::new(),
            subscribed: false,
        }
    }
}

/// Folds verified candidates that are the same feed reached by different URLs: the same
/// normalized URL, the same `self` link (either's URL or self link matching the other's),
/// or the same title and the same first entry ids. The best-ranked one is kept (source rank,
/// comments feeds last, then the order of `verified`, which should be the order of the
/// candidates they came from); the others' URLs go to its `aliases`, except the first one
/// of each other format family, which becomes one of its `alternatives`.
pub fn fold_verified(verified: Vec<Verified>) -> Vec<Verified> {
    #[derive(PartialEq)]
    enum Key {
        Url(String),
        Content(Option<String>, Vec<String>),
    }
    fn keys(v: &Verified) -> Vec<Key> {
        let mut keys = vec![Key::Url(normalize_url(&v.candidate.url))];
        if let Some(self_link) = v.self_link.as_deref().filter(|s| Url::parse(s.trim()).is_ok()) {
            keys.push(Key::Url(normalize_url(self_link)));
        }
        if !v.entry_ids.is_empty() {
            keys.push(Key::Content(v.title.clone(), v.entry_ids.clone()));
        }
        keys
    }

    let mut verified = verified;
    verified.sort_by_key(|v| {
        let url = Url::parse(&v.candidate.url).ok();
        let comments = url.as_ref().is_some_and(|u| is_comments(v.candidate.title.as_deref(), u))
            || v.title.as_deref().is_some_and(|t| has_word(t, &["comments", "comment"]));
        (comments, v.candidate.source.rank())
    });

    let mut groups: Vec<(Verified, Vec<Key>)> = Vec::new();
    for v in verified {
        let new_keys = keys(&v);
        let matching: Vec<usize> = (0..groups.len())
            .filter(|&i| groups[i].1.iter().any(|k| new_keys.contains(k)))
            .collect();
        let Some(&first) = matching.first() else {
            groups.push((v, new_keys));
            continue;
        };
        // `v` may bridge groups found apart (one by self link, one by content): merge them
        // all into the best-ranked one, which is the first.
        for &i in matching[1..].iter().rev() {
            let (other, other_keys) = groups.remove(i);
            absorb(&mut groups[first], other, other_keys);
        }
        absorb(&mut groups[first], v, new_keys);
    }
    groups.into_iter().map(|(v, _)| v).collect()
}

fn absorb<K>(group: &mut (Verified, Vec<K>), other: Verified, other_keys: Vec<K>) {
    let (kept, keys) = group;
    let versions = std::iter::once(Alternative::of(&other)).chain(other.alternatives);
    for alt in versions {
        let family_offered =
            alt.family == kept.family || kept.alternatives.iter().any(|a| a.family == alt.family);
        if !family_offered {
            kept.alternatives.push(alt);
        } else if alt.url != kept.candidate.url
            && !kept.aliases.contains(&alt.url)
            && !kept.alternatives.iter().any(|a| a.url == alt.url)
        {
            kept.aliases.push(alt.url);
        }
    }
    for url in other.aliases {
        if url != kept.candidate.url && !kept.aliases.contains(&url) {
            kept.aliases.push(url);
        }
    }
    if kept.self_link.is_none() {
        kept.self_link = other.self_link;
    }
    keys.extend(other_keys);
}

/// Sets `subscribed` on each verified feed whose URL, aliases, alternatives or self link is
/// among `subscribed_urls` (compared normalized), so the popup can say "already subscribed".
pub fn mark_subscribed<'a>(
    verified: &mut [Verified],
    subscribed_urls: impl IntoIterator<Item = &'a str>,
) {
    let subscribed: Vec<String> = subscribed_urls.into_iter().map(normalize_url).collect();
    for v in verified {
        let mut urls = std::iter::once(&v.candidate.url)
            .chain(&v.aliases)
            .chain(v.alternatives.iter().map(|a| &a.url))
            .chain(v.self_link.as_ref());
        v.subscribed = urls.any(|u| subscribed.contains(&normalize_url(u)));
    }
}

// --- classification -------------------------------------------------------------------------

/// Whether a link may be a feed, and as what. The score orders anchors among themselves:
/// 0 = declared (`feed:` scheme or a feed type), 1 = its URL names a feed, 2 = its text does.
fn classify(
    link: &PageLink,
    url: &Url,
    mime: Option<&str>,
    title: Option<&str>,
) -> Option<(CandidateSource, u8)> {
    let rels: Vec<String> = link
        .rel
        .as_deref()
        .unwrap_or("")
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let names_feed = url_names_feed(url) || title.is_some_and(|t| has_word(t, FEED_WORDS));
    let feed_type = match mime.map(feed_media_type) {
        Some(MediaType::Feed) => true,
        Some(MediaType::FeedIfNamed) => names_feed,
        _ => false,
    };
    if rels.iter().any(|r| r == "alternate") && feed_type {
        return Some((CandidateSource::LinkAlternate, 0));
    }
    if rels.iter().any(|r| r == "feed") {
        return Some((CandidateSource::LinkFeed, 0));
    }
    // Only anchors past this point: a `<link rel="stylesheet" href="/feed.css">` is no feed.
    link.text.as_ref()?;
    if is_feed_scheme(&link.href) || feed_type {
        Some((CandidateSource::Anchor, 0))
    } else if url_names_feed(url) {
        Some((CandidateSource::Anchor, 1))
    } else if title.is_some_and(|t| has_word(t, FEED_WORDS)) {
        Some((CandidateSource::Anchor, 2))
    } else {
        None
    }
}

enum MediaType {
    Feed,
    /// `application/json` and friends: a feed only if the URL or title says so.
    FeedIfNamed,
    Other,
}

fn feed_media_type(essence: &str) -> MediaType {
    match essence {
        "application/rss+xml"
        | "application/atom+xml"
        | "application/rdf+xml"
        | "application/feed+json"
        | "application/x-rss+xml"
        | "application/x-atom+xml"
        | "application/x.atom+xml"
        | "application/rss+rdf"
        | "text/rss+xml"
        | "text/atom+xml"
        | "text/xml"
        | "application/xml" => MediaType::Feed,
        "application/json" | "text/json" => MediaType::FeedIfNamed,
        _ => MediaType::Other,
    }
}

/// `application/RSS+XML; charset=utf-8` → `application/rss+xml`.
fn mime_essence(raw: &str) -> String {
    raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Words that name a feed in a URL or a link's text.
const FEED_WORDS: &[&str] = &["feed", "feeds", "rss", "rss2", "atom", "rdf", "jsonfeed"];

/// Whether the URL names a feed: a path segment (or a dot-separated part of it) made only of
/// feed words (`/feed/`, `/feeds/posts/default`, `index.rss`, `rss-feed.xml`), a query key or
/// value made only of them (`?feed=rss2`, `?alt=rss`), or a host that starts with one
/// (`feeds.feedburner.com/name`). A slug that merely mentions feeds (`/p/issue-42-on-feeds`)
/// does not count: blogs about feeds would otherwise offer every post as a candidate.
fn url_names_feed(url: &Url) -> bool {
    fn only_feed_words(s: &str) -> bool {
        let mut parts = s.split(['-', '_']).filter(|p| !p.is_empty()).peekable();
        parts.peek().is_some()
            && parts.all(|p| FEED_WORDS.iter().any(|w| p.eq_ignore_ascii_case(w)))
    }
    let first_label = url.host_str().and_then(|h| h.split('.').next()).unwrap_or("");
    only_feed_words(first_label)
        || url.path_segments().into_iter().flatten().any(|seg| seg.split('.').any(only_feed_words))
        || url.query_pairs().any(|(k, v)| only_feed_words(&k) || only_feed_words(&v))
}

/// Whether `text` contains one of `words` (lower-case ASCII) as a whole word.
fn has_word(text: &str, words: &[&str]) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// A comments feed: its title or its URL's path/query says "comments".
fn is_comments(title: Option<&str>, url: &Url) -> bool {
    const WORDS: &[&str] = &["comments", "comment"];
    title.is_some_and(|t| has_word(t, WORDS))
        || has_word(url.path(), &["comments"])
        || has_word(url.query().unwrap_or(""), &["comments"])
}

/// The `http(s)` URL of an address the user typed: `feed:` unwrapped, and `https://`
/// assumed when no scheme is given (`example.org/blog`). `None` for anything else
/// (`javascript:`, `file:`, not a URL).
pub fn user_url(input: &str) -> Option<String> {
    let input = trim_url(input);
    if input.is_empty() {
        return None;
    }
    let has_scheme = input.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.chars().next().is_some_and(|c| c.is_ascii_digit()) // host:port
    });
    let url = if has_scheme {
        feed_url(None, input)?
    } else {
        Url::parse(&format!("https://{input}")).ok()?
    };
    Some(url).filter(is_web_url).map(|u| u.to_string())
}

fn is_feed_scheme(href: &str) -> bool {
    href.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("feed:"))
}

/// The `http(s)` URL a link points at: resolved against the page, with the `feed:` scheme
/// unwrapped; `None` for any other scheme.
fn feed_url(page: Option<&Url>, href: &str) -> Option<Url> {
    let href = trim_url(href);
    let url = if is_feed_scheme(href) {
        let rest = &href[5..];
        if rest.starts_with("//") {
            Url::parse(&format!("http:{rest}")).ok()?
        } else {
            Url::parse(rest).ok()?
        }
    } else {
        urls::parse(href, page, UrlUse::Web)?
    };
    Some(url).filter(is_web_url).filter(|u| u.as_str().len() <= urls::MAX_URL_BYTES)
}

fn is_web_url(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
}

/// Hosts equal, or one a subdomain of the other, `www.` aside.
fn same_site(page_host: &str, host: Option<&str>) -> bool {
    let Some(host) = host else { return false };
    let a = page_host.strip_prefix("www.").unwrap_or(page_host);
    let host = host.to_ascii_lowercase();
    let b = host.strip_prefix("www.").unwrap_or(&host);
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

/// Feed readers' "subscribe" pages and the feed validator: their URLs name a feed, but they
/// serve HTML about it.
fn is_feed_service(host: Option<&str>) -> bool {
    const SERVICES: &[&str] = &[
        "feedly.com",
        "inoreader.com",
        "newsblur.com",
        "theoldreader.com",
        "feedbin.com",
        "validator.w3.org",
    ];
    let host = host.unwrap_or("").to_ascii_lowercase();
    SERVICES.iter().any(|r| host == *r || host.ends_with(&format!(".{r}")))
}

/// Browsers strip ASCII white space around URL attribute values.
fn trim_url(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// White space collapsed; `None` when nothing is left.
fn clean_text(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn truncate_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

// --- HTML scanning ------------------------------------------------------------------------

/// The only place that sees html5ever: a token sink that keeps `<base>`, `<link>` and `<a>`.
mod html_scan {
    use super::{PageLink, MAX_LINKS};
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    };
    use std::cell::RefCell;

    /// Input is fed in chunks of this size, so scanning stops soon after [`MAX_LINKS`].
    const CHUNK: usize = 64 * 1024;
    /// The longest anchor text kept: enough for "Subscribe to the RSS feed of ...".
    const MAX_TEXT: usize = 200;

    #[derive(Default)]
    pub(super) struct Collected {
        pub base: Option<String>,
        /// Links with `href` still raw.
        pub links: Vec<PageLink>,
        /// The `<a>` whose text is being collected.
        open_anchor: Option<usize>,
    }

    struct Sink(RefCell<Collected>);

    fn attr(tag: &Tag, name: &str) -> Option<String> {
        tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string())
    }

    fn push_text(text: &mut String, s: &str) {
        for c in s.chars() {
            if text.len() >= MAX_TEXT {
                break;
            }
            text.push(c);
        }
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut c = self.0.borrow_mut();
            match token {
                Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                    match &*tag.name {
                        "base" if c.base.is_none() => c.base = attr(&tag, "href"),
                        "link" if c.links.len() < MAX_LINKS => {
                            if let Some(href) = attr(&tag, "href") {
                                c.links.push(PageLink {
                                    rel: attr(&tag, "rel"),
                                    href,
                                    mime_type: attr(&tag, "type"),
                                    title: attr(&tag, "title"),
                                    text: None,
                                });
                            }
                        }
                        "a" => {
                            // An `<a>` inside an `<a>` closes the first, as in browsers.
                            c.open_anchor = None;
                            if let (Some(href), true) =
                                (attr(&tag, "href"), c.links.len() < MAX_LINKS)
                            {
                                c.links.push(PageLink {
                                    rel: attr(&tag, "rel"),
                                    href,
                                    mime_type: attr(&tag, "type"),
                                    title: attr(&tag, "title"),
                                    text: Some(String::new()),
                                });
                                c.open_anchor = Some(c.links.len() - 1);
                            }
                        }
                        "img" => {
                            if let (Some(i), Some(alt)) = (c.open_anchor, attr(&tag, "alt")) {
                                let text = c.links[i].text.get_or_insert_with(String::new);
                                push_text(text, " ");
                                push_text(text, &alt);
                            }
                        }
                        _ => {}
                    }
                    // What a tree builder would tell the tokenizer: these elements hold text,
                    // not markup, so a `<link>` inside a script string is not a link.
                    return match &*tag.name {
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "plaintext" => TokenSinkResult::Plaintext,
                        _ => TokenSinkResult::Continue,
                    };
                }
                Token::TagToken(tag) if &*tag.name == "a" => c.open_anchor = None,
                Token::CharacterTokens(s) => {
                    if let Some(i) = c.open_anchor {
                        push_text(c.links[i].text.get_or_insert_with(String::new), &s);
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    pub(super) fn scan(html: &str) -> Collected {
        let tokenizer =
            Tokenizer::new(Sink(RefCell::new(Collected::default())), Default::default());
        let queue = BufferQueue::default();
        let mut rest = html;
        while !rest.is_empty() && tokenizer.sink.0.borrow().links.len() < MAX_LINKS {
            let mut end = rest.len().min(CHUNK);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            queue.push_back(StrTendril::from_slice(&rest[..end]));
            rest = &rest[end..];
            // The sink never asks to pause for a script, so this consumes the whole chunk.
            let _ = tokenizer.feed(&queue);
        }
        tokenizer.end();
        tokenizer.sink.0.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(rel: &str, href: &str, mime: Option<&str>, title: Option<&str>) -> PageLink {
        PageLink {
            rel: Some(rel.into()),
            href: href.into(),
            mime_type: mime.map(Into::into),
            title: title.map(Into::into),
            text: None,
        }
    }

    fn anchor(href: &str, text: &str) -> PageLink {
        PageLink { href: href.into(), text: Some(text.into()), ..PageLink::default() }
    }

    fn urls(c: &[Candidate]) -> Vec<&str> {
        c.iter().map(|c| c.url.as_str()).collect()
    }

    const PAGE: &str = "https://example.com/blog/post.html";

    #[test]
    fn relative_hrefs_resolve_against_the_page() {
        let links = [
            link("alternate", "feed.xml", Some("application/atom+xml"), None),
            link("alternate", "/rss.xml", Some("application/rss+xml"), None),
            link("alternate", "//cdn.example.com/f.xml", Some("application/rss+xml"), None),
        ];
        assert_eq!(
            urls(&candidates(PAGE, &links)),
            [
                "https://example.com/blog/feed.xml",
                "https://example.com/rss.xml",
                "https://cdn.example.com/f.xml"
            ]
        );
    }

    #[test]
    fn rel_and_type_are_case_insensitive_and_type_parameters_ignored() {
        let links = [
            link("ALTERNATE", "/a", Some("Application/RSS+XML"), None),
            link("alternate", "/b", Some("application/rss+xml; charset=utf-8"), None),
            link(" Alternate ", "/c", Some(" application/atom+xml ;charset=UTF-8"), None),
        ];
        let found = candidates(PAGE, &links);
        assert_eq!(
            urls(&found),
            ["https://example.com/a", "https://example.com/b", "https://example.com/c"]
        );
        assert_eq!(found[1].mime_type.as_deref(), Some("application/rss+xml"));
        assert!(found.iter().all(|c| c.source == CandidateSource::LinkAlternate));
    }

    #[test]
    fn rel_alternate_feed_is_a_link_alternate_and_rel_feed_alone_needs_no_type() {
        let links = [
            link("feed", "/only-feed", None, None),
            link("alternate feed", "/both", Some("application/atom+xml"), None),
        ];
        let found = candidates(PAGE, &links);
        assert_eq!(urls(&found), ["https://example.com/both", "https://example.com/only-feed"]);
        assert_eq!(found[0].source, CandidateSource::LinkAlternate);
        assert_eq!(found[1].source, CandidateSource::LinkFeed);
    }

    #[test]
    fn alternates_that_are_not_feeds_are_ignored() {
        let links = [
            link("alternate", "/fr/", Some("text/html"), None),
            link("alternate", "/fr/", None, None),
            link("alternate", "/wp-json/wp/v2/pages/2", Some("application/json"), None),
            link("alternate", "/oembed?url=x", Some("application/json+oembed"), None),
            link("alternate", "/oembed?url=x&format=xml", Some("text/xml+oembed"), None),
            link("stylesheet", "/feed.css", Some("text/css"), None),
            link("alternate", "/feed.json", Some("application/json"), None),
            link("alternate", "/api/latest", Some("application/json"), Some("JSON Feed")),
        ];
        assert_eq!(
            urls(&candidates(PAGE, &links)),
            ["https://example.com/feed.json", "https://example.com/api/latest"]
        );
    }

    #[test]
    fn duplicated_links_fold_to_the_best_ranked_and_keep_a_title() {
        let links = [
            anchor("https://example.com/feed/", "RSS"),
            link("alternate", "/feed/", Some("application/rss+xml"), None),
            link(
                "alternate",
                "https://EXAMPLE.com:443/feed/#x",
                Some("application/rss+xml"),
                Some("Posts"),
            ),
        ];
        let found = candidates(PAGE, &links);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url, "https://example.com/feed/");
        assert_eq!(found[0].source, CandidateSource::LinkAlternate);
        assert_eq!(found[0].title.as_deref(), Some("Posts"));
    }

    #[test]
    fn javascript_and_other_schemes_are_rejected() {
        let links = [
            anchor("javascript:subscribe('rss')", "RSS"),
            anchor("mailto:rss@example.com", "RSS"),
            anchor("data:application/rss+xml,<rss/>", "RSS"),
            anchor("ftp://example.com/feed.xml", "RSS"),
            link("alternate", "javascript:void(0)", Some("application/rss+xml"), None),
            anchor("/feed/", "RSS"),
        ];
        assert_eq!(urls(&candidates(PAGE, &links)), ["https://example.com/feed/"]);
    }

    #[test]
    fn feed_scheme_is_unwrapped() {
        let links = [
            anchor("feed://example.com/a.xml", "Subscribe"),
            anchor("feed:https://example.com/b.xml", "Subscribe"),
            anchor("FEED:http://example.com/c.xml", "Subscribe"),
            anchor("feed:javascript:alert(1)", "Subscribe"),
        ];
        let found = candidates(PAGE, &links);
        assert_eq!(
            urls(&found),
            ["http://example.com/a.xml", "https://example.com/b.xml", "http://example.com/c.xml"]
        );
        assert!(found.iter().all(|c| c.source == CandidateSource::Anchor));
    }

    #[test]
    fn anchor_words_must_be_whole_words() {
        let links = [
            anchor("/feedback", "Feedback"),
            anchor("/atomic-habits", "Atomic Habits"),
            anchor("/about", "About"),
            anchor("/subscribe", "Subscribe via RSS"),
            anchor("/index.rss", ""),
        ];
        assert_eq!(
            urls(&candidates(PAGE, &links)),
            ["https://example.com/index.rss", "https://example.com/subscribe"]
        );
    }

    #[test]
    fn anchors_on_other_sites_rank_after_the_page_site_and_readers_are_skipped() {
        let links = [
            anchor("https://other.org/feed/", "Other blog (RSS)"),
            anchor(
                "https://feedly.com/i/subscription/feed%2Fhttps%3A%2F%2Fexample.com%2Ffeed",
                "Feedly",
            ),
            anchor("https://www.example.com/rss.xml", "RSS"),
            anchor("https://feeds.example.com/main", "Feed"),
        ];
        assert_eq!(
            urls(&candidates(PAGE, &links)),
            [
                "https://www.example.com/rss.xml",
                "https://feeds.example.com/main",
                "https://other.org/feed/"
            ]
        );
    }

    #[test]
    fn anchors_are_capped() {
        let links: Vec<PageLink> =
            (0..30).map(|i| anchor(&format!("/feeds/{i}.xml"), "feed")).collect();
        let found = candidates(PAGE, &links);
        assert_eq!(found.len(), MAX_ANCHOR_CANDIDATES);
        assert_eq!(found[0].url, "https://example.com/feeds/0.xml");
    }

    #[test]
    fn comments_feeds_are_kept_but_ranked_last() {
        let links = [
            link(
                "alternate",
                "/comments/feed/",
                Some("application/rss+xml"),
                Some("Blog » Comments Feed"),
            ),
            link(
                "alternate",
                "/post/feed/",
                Some("application/rss+xml"),
                Some("Blog » Post Comments Feed"),
            ),
            link("alternate", "/feed/", Some("application/rss+xml"), Some("Blog » Feed")),
            anchor("/rss.xml", "RSS"),
        ];
        assert_eq!(
            urls(&candidates(PAGE, &links)),
            [
                "https://example.com/feed/",
                "https://example.com/rss.xml",
                "https://example.com/comments/feed/",
                "https://example.com/post/feed/"
            ]
        );
    }

    #[test]
    fn the_page_itself_is_not_a_candidate() {
        let links = [anchor("#rss", "RSS"), anchor(PAGE, "RSS")];
        assert!(candidates(PAGE, &links).is_empty());
    }

    #[test]
    fn links_from_html_reads_broken_markup_and_skips_script_text() {
        let html = r#"<html><head><title>a <link rel=alternate href=/no></title>
            <script>document.write('<link rel="alternate" type="application/rss+xml" href="/nope">')</script>
            <LINK REL=Alternate TYPE="application/rss+xml" HREF=" /yes ">
            <body><a href="/x">One <b>two<img alt="RSS icon"></b><a href=/y>three</a> <p>unclosed"#;
        let links = links_from_html(html, "https://example.com/dir/page");
        let hrefs: Vec<&str> = links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["https://example.com/yes", "https://example.com/x", "https://example.com/y"]
        );
        assert_eq!(links[0].rel.as_deref(), Some("Alternate"));
        assert_eq!(links[0].text, None);
        assert_eq!(links[1].text.as_deref(), Some("One two RSS icon"));
        assert_eq!(links[2].text.as_deref(), Some("three"));
    }

    #[test]
    fn links_from_html_honours_the_first_base_href_even_for_earlier_links() {
        let html = r#"<link rel="alternate" type="application/rss+xml" href="feed.xml">
            <base href="https://static.example.net/site/"><base href="https://ignored.example/">"#;
        let links = links_from_html(html, "https://example.com/a/b");
        assert_eq!(links[0].href, "https://static.example.net/site/feed.xml");
    }

    #[test]
    fn links_from_html_ignores_a_javascript_base() {
        let html = r#"<base href="javascript:alert(1)"><a href="feed.xml">RSS</a>"#;
        let links = links_from_html(html, "https://example.com/a/b");
        assert_eq!(links[0].href, "https://example.com/a/feed.xml");
    }

    #[test]
    fn links_from_html_stops_at_the_link_cap() {
        let html = "<a href=/x>x</a>".repeat(MAX_LINKS + 500);
        assert_eq!(links_from_html(&html, PAGE).len(), MAX_LINKS);
    }

    #[test]
    fn links_from_html_reads_at_most_max_html_bytes() {
        let filler = "é".repeat(MAX_HTML_BYTES / 2 - 1) + "x";
        let html = format!("{filler}<a href=/late>RSS</a>");
        assert!(links_from_html(&html, PAGE).is_empty());
        let html = format!("<a href=/early>RSS</a>{filler}");
        assert_eq!(links_from_html(&html, PAGE).len(), 1);
    }

    #[test]
    fn well_known_paths_cover_root_then_directory_without_duplicates() {
        let found = well_known_candidates("https://example.com/blog/2024/post.html?x=1");
        let urls = urls(&found);
        assert_eq!(urls.len(), 24);
        assert_eq!(urls[0], "https://example.com/feed/");
        assert_eq!(urls[11], "https://example.com/?feed=rss2");
        assert_eq!(urls[12], "https://example.com/blog/2024/feed/");
        assert!(urls.contains(&"https://example.com/blog/2024/index.xml"));
        assert!(found.iter().all(|c| c.source == CandidateSource::WellKnown));

        let root = well_known_candidates("https://example.com/");
        assert_eq!(root.len(), 12);
        assert!(well_known_candidates("ftp://example.com/").is_empty());
        assert!(well_known_candidates("not a url").is_empty());
    }

    #[test]
    fn well_known_knows_medium_and_blogspot() {
        let medium = well_known_candidates("https://medium.com/@ada/on-engines-1234");
        assert_eq!(medium[0].url, "https://medium.com/feed/@ada");
        let publication = well_known_candidates("https://medium.com/towards-x/a-post-99");
        assert_eq!(publication[0].url, "https://medium.com/feed/towards-x");
        let blogspot = well_known_candidates("https://someone.blogspot.com/2024/01/post.html");
        assert_eq!(blogspot[0].url, "https://someone.blogspot.com/feeds/posts/default");
    }

    fn verified(url: &str, source: CandidateSource, title: &str, ids: &[&str]) -> Verified {
        Verified {
            candidate: Candidate { url: url.into(), title: None, mime_type: None, source },
            title: Some(title.into()),
            format: "RSS 2.0".into(),
            entry_count: ids.len(),
            self_link: None,
            entry_ids: ids.iter().map(|s| s.to_string()).collect(),
            family: FormatFamily::Rss,
            aliases: vec![],
            alternatives: vec![],
            subscribed: false,
        }
    }

    #[test]
    fn verified_fold_by_url_self_link_and_content_keeping_the_best_ranked() {
        use CandidateSource::*;
        let mut slash = verified("https://example.com/feed/", WellKnown, "Blog", &["1", "2"]);
        slash.self_link = Some("https://example.com/feed/".into());
        let mut bare = verified("https://example.com/feed", WellKnown, "Blog (old)", &["9"]);
        bare.self_link = Some("https://EXAMPLE.com/feed/".into());
        let atom = verified("https://example.com/feed/atom/", LinkAlternate, "Blog", &["1", "2"]);
        let rss = verified("https://example.com/feed/", LinkAlternate, "Blog", &["1", "2"]);
        let other = verified("https://example.com/comments/feed/", LinkAlternate, "Blog", &["c1"]);
        let empty = verified("https://example.com/empty.xml", Anchor, "Blog", &[]);
        let empty2 = verified("https://example.com/empty2.xml", Anchor, "Blog", &[]);

        let folded = fold_verified(vec![slash, bare, atom, rss, other, empty, empty2]);
        let urls: Vec<&str> = folded.iter().map(|v| v.candidate.url.as_str()).collect();
        // Link alternates first (in input order), comments feed last; feeds without entries
        // are never folded by content.
        assert_eq!(
            urls,
            [
                "https://example.com/feed/atom/",
                "https://example.com/empty.xml",
                "https://example.com/empty2.xml",
                "https://example.com/comments/feed/"
            ]
        );
        assert_eq!(folded[0].candidate.source, LinkAlternate);
        assert_eq!(
            folded[0].aliases,
            ["https://example.com/feed/", "https://example.com/feed"],
            "the RSS twin by content, /feed/ by URL and /feed by self link"
        );
    }

    #[test]
    fn the_rss_atom_and_json_versions_of_one_blog_are_one_row_with_alternatives() {
        use CandidateSource::*;
        let version = |url: &str, source, family, format: &str| Verified {
            family,
            format: format.into(),
            ..verified(url, source, "Blog", &["1", "2"])
        };
        let rss = version("https://b.example/feed/", LinkAlternate, FormatFamily::Rss, "RSS 2.0");
        let atom =
            version("https://b.example/atom.xml", LinkAlternate, FormatFamily::Atom, "Atom 1.0");
        let json = version("https://b.example/feed.json", Anchor, FormatFamily::Json, "JSON Feed");
        // The same RSS at a second URL, and a second Atom URL: aliases, not alternatives.
        let rss_again = version("https://b.example/feed", WellKnown, FormatFamily::Rss, "RSS 2.0");
        let atom_again =
            version("https://b.example/atom", WellKnown, FormatFamily::Atom, "Atom 1.0");

        let folded = fold_verified(vec![json, rss_again, atom, rss, atom_again]);
        assert_eq!(folded.len(), 1);
        let row = &folded[0];
        assert_eq!(row.candidate.url, "https://b.example/atom.xml", "best-ranked, first declared");
        let alternatives: Vec<_> = row
            .alternatives
            .iter()
            .map(|a| (a.family, a.url.as_str(), a.format.as_str()))
            .collect();
        assert_eq!(
            alternatives,
            [
                (FormatFamily::Rss, "https://b.example/feed/", "RSS 2.0"),
                (FormatFamily::Json, "https://b.example/feed.json", "JSON Feed"),
            ]
        );
        assert_eq!(row.alternatives[0].entry_count, 2);
        let mut aliases = row.aliases.clone();
        aliases.sort();
        assert_eq!(aliases, ["https://b.example/atom", "https://b.example/feed"]);

        // Subscribed to the JSON version: the row says so.
        let mut rows = folded;
        mark_subscribed(&mut rows, ["https://b.example/feed.json"]);
        assert!(rows[0].subscribed);
    }

    #[test]
    fn a_later_candidate_can_bridge_two_groups() {
        use CandidateSource::*;
        let a = verified("https://example.com/a", LinkAlternate, "A", &["1"]);
        let mut b = verified("https://example.com/b", LinkAlternate, "B", &["2"]);
        b.self_link = Some("https://example.com/canonical".into());
        // Same content as `a`, same self link as `b`.
        let mut c = verified("https://example.com/c", Anchor, "A", &["1"]);
        c.self_link = Some("https://example.com/canonical".into());
        let folded = fold_verified(vec![a, b, c]);
        assert_eq!(folded.len(), 1);
        assert_eq!(folded[0].candidate.url, "https://example.com/a");
        assert_eq!(folded[0].aliases, ["https://example.com/b", "https://example.com/c"]);
    }

    #[test]
    fn mark_subscribed_compares_normalized_urls_aliases_and_self_links() {
        use CandidateSource::*;
        let mut list = vec![
            verified("https://example.com/feed/", LinkAlternate, "A", &["1"]),
            verified("https://example.com/other", LinkAlternate, "B", &["2"]),
            verified("https://example.com/third", LinkAlternate, "C", &["3"]),
            verified("https://example.com/fourth", LinkAlternate, "D", &["4"]),
        ];
        list[2].aliases.push("https://example.com/third-alias".into());
        list[3].self_link = Some("https://example.com/self".into());
        let subs = [
            "HTTPS://EXAMPLE.COM:443/feed/#top",
            "https://example.com/third-alias",
            "https://example.com/self",
        ];
        mark_subscribed(&mut list, subs);
        let marks: Vec<bool> = list.iter().map(|v| v.subscribed).collect();
        assert_eq!(marks, [true, false, true, true]);
    }

    #[test]
    fn verified_new_takes_title_format_count_self_link_and_first_ids() {
        use crate::core::parse::{parse, ParseContext};
        let entries: String = (0..8)
            .map(|i| format!("<entry><id>urn:e:{i}</id><title>Post {i}</title></entry>"))
            .collect();
        let atom = format!(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>  Example   Blog </title>
               <link rel="self" href="https://example.com/feed.xml"/>{entries}</feed>"#
        );
        let ctx = ParseContext { url: Some("https://example.com/feed"), ..Default::default() };
        let feed = parse(atom.as_bytes(), &ctx).expect("a valid Atom feed");
        let candidate = Candidate {
            url: "https://example.com/feed".into(),
            title: None,
            mime_type: None,
            source: CandidateSource::WellKnown,
        };
        let v = Verified::new(candidate, &feed);
        assert_eq!(v.title.as_deref(), Some("Example Blog"));
        assert_eq!(v.format, "Atom 1.0");
        assert_eq!(v.entry_count, 8);
        assert_eq!(v.self_link.as_deref(), Some("https://example.com/feed.xml"));
        assert_eq!(v.entry_ids, ["urn:e:0", "urn:e:1", "urn:e:2", "urn:e:3", "urn:e:4"]);
    }

    #[test]
    fn candidates_serialize_for_the_popup() {
        let c = Candidate {
            url: "https://example.com/feed/".into(),
            title: None,
            mime_type: None,
            source: CandidateSource::LinkAlternate,
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"url":"https://example.com/feed/","source":"link_alternate"}"#);
        assert_eq!(serde_json::from_str::<Candidate>(&json).unwrap(), c);
    }

    #[test]
    fn typed_addresses_become_web_urls() {
        assert_eq!(user_url(" example.org/blog ").as_deref(), Some("https://example.org/blog"));
        assert_eq!(user_url("http://a.test/feed").as_deref(), Some("http://a.test/feed"));
        assert_eq!(user_url("feed://a.test/rss").as_deref(), Some("http://a.test/rss"));
        assert_eq!(user_url("feed:https://a.test/rss").as_deref(), Some("https://a.test/rss"));
        assert_eq!(user_url("localhost:8080/feed").as_deref(), Some("https://localhost:8080/feed"));
        assert_eq!(user_url("javascript:alert(1)"), None);
        assert_eq!(user_url("file:///etc/passwd"), None);
        assert_eq!(user_url(""), None);
    }
}
