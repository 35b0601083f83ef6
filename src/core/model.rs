//! What the parser returns: one lenient model for every feed format.
//!
//! Every field a specification calls mandatory is still an `Option`, because real feeds omit
//! them. Each field's doc says which element fills it in RSS (0.9x, 1.0, 2.0), Atom (0.3,
//! 1.0) and JSON Feed. These are *parser output* types: what is stored in the browser is
//! `core::store`, and the conversion lives in `core::ingest`.
//!
//! Text that may hold markup is kept as [`Text`] with its kind and the base URL in force
//! where it was found; it is sanitized (and its relative URLs resolved) only when it is about
//! to be stored or printed, by [`Text::to_safe_html`]. Parsing and sanitizing are apart so
//! that an entry that did not change since the last fetch is never sanitized again.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The format and version a document was recognised as. The names are the ones feedparser
/// uses (`rss20`, `atom10` ...), which `parse-feed` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Format {
    Rss090,
    Rss091U,
    Rss091N,
    Rss092,
    Rss093,
    Rss094,
    Rss20,
    /// RSS 0.9x/2.0 whose `version` attribute is missing or unknown.
    Rss,
    Rss10,
    Atom03,
    Atom10,
    /// Atom with an unknown namespace.
    Atom,
    Cdf,
    Json10,
    Json11,
    /// JSON Feed whose `version` is missing or neither 1.0 nor 1.1 (a document is a JSON
    /// Feed by its shape, see `core::parse`).
    Json,
}

/// The three kinds of feed a site may offer of one blog, for a person to choose from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatFamily {
    /// RSS 0.9x, 1.0, 2.0 (and Microsoft's CDF, the same idea).
    #[default]
    Rss,
    Atom,
    Json,
}

impl FormatFamily {
    /// "RSS", "Atom", "JSON": what a person picks between.
    pub fn label(self) -> &'static str {
        match self {
            FormatFamily::Rss => "RSS",
            FormatFamily::Atom => "Atom",
            FormatFamily::Json => "JSON",
        }
    }
}

impl Format {
    /// The short name feedparser gives this version: `rss` and `atom` for an RSS or Atom
    /// document whose version is missing or unknown (feedparser says so too), and `json` for
    /// a JSON Feed whose `version` is (feedparser refuses those).
    pub fn name(self) -> &'static str {
        match self {
            Format::Rss090 => "rss090",
            Format::Rss091U => "rss091u",
            Format::Rss091N => "rss091n",
            Format::Rss092 => "rss092",
            Format::Rss093 => "rss093",
            Format::Rss094 => "rss094",
            Format::Rss20 => "rss20",
            Format::Rss => "rss",
            Format::Rss10 => "rss10",
            Format::Atom03 => "atom03",
            Format::Atom10 => "atom10",
            Format::Atom => "atom",
            Format::Cdf => "cdf",
            Format::Json10 => "json10",
            Format::Json11 => "json11",
            Format::Json => "json",
        }
    }

    /// A name for people: "RSS 2.0", "Atom 1.0", "JSON Feed 1.1".
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss090 => "RSS 0.90",
            Format::Rss091U | Format::Rss091N => "RSS 0.91",
            Format::Rss092 => "RSS 0.92",
            Format::Rss093 => "RSS 0.93",
            Format::Rss094 => "RSS 0.94",
            Format::Rss20 | Format::Rss => "RSS 2.0",
            Format::Rss10 => "RSS 1.0",
            Format::Atom03 => "Atom 0.3",
            Format::Atom10 | Format::Atom => "Atom 1.0",
            Format::Cdf => "CDF",
            Format::Json10 => "JSON Feed 1.0",
            Format::Json11 => "JSON Feed 1.1",
            Format::Json => "JSON Feed",
        }
    }

    /// RSS, Atom or JSON Feed.
    pub fn family(self) -> FormatFamily {
        match self {
            Format::Atom03 | Format::Atom10 | Format::Atom => FormatFamily::Atom,
            Format::Json10 | Format::Json11 | Format::Json => FormatFamily::Json,
            _ => FormatFamily::Rss,
        }
    }
}

/// Whether a [`Text`] is plain text or markup.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum TextKind {
    #[default]
    Plain,
    /// HTML (RSS descriptions, Atom `type="html"`, escaped or CDATA markup).
    Html,
    /// Inline XHTML (Atom `type="xhtml"`, `xhtml:body`), kept as serialized markup.
    Xhtml,
}

/// A piece of human-readable text from the feed, decoded from XML but not yet sanitized.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub kind: TextKind,
    /// For `Plain`: the text itself. For `Html`/`Xhtml`: the markup, unsanitized.
    pub value: String,
    /// The base URL in force where the text was found (`xml:base`, else the document URL),
    /// against which relative URLs inside markup are resolved.
    pub base: Option<String>,
}

impl Text {
    pub fn plain(value: impl Into<String>) -> Self {
        Text { kind: TextKind::Plain, value: value.into(), base: None }
    }

    pub fn html(value: impl Into<String>, base: Option<String>) -> Self {
        Text { kind: TextKind::Html, value: value.into(), base }
    }

    pub fn is_markup(&self) -> bool {
        self.kind != TextKind::Plain
    }

    /// The text as safe HTML: markup is sanitized by `core::sanitize` (with relative URLs
    /// resolved against `base`); plain text is escaped.
    pub fn to_safe_html(&self) -> String {
        match self.kind {
            TextKind::Plain => crate::core::sanitize::escape_text(&self.value),
            TextKind::Html | TextKind::Xhtml => {
                crate::core::sanitize::sanitize_html(&self.value, self.base.as_deref())
            }
        }
    }

    /// The text with markup removed and entities decoded, on one line: what a title shows,
    /// cut to `core::caps::TITLE` characters.
    pub fn to_plain(&self) -> String {
        let mut plain = match self.kind {
            TextKind::Plain => crate::core::sanitize::collapse_whitespace(&self.value),
            TextKind::Html | TextKind::Xhtml => crate::core::sanitize::html_to_text(&self.value),
        };
        crate::core::caps::cap_in_place(&mut plain, crate::core::caps::TITLE);
        plain
    }
}

/// A person: RSS `author`/`managingEditor`/`dc:creator`, Atom `author`, JSON Feed `authors`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// A media file attached to an entry: RSS `enclosure`, Atom `link rel="enclosure"`, JSON
/// Feed `attachments`, `media:content`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Enclosure {
    pub url: String,
    pub mime_type: Option<String>,
    pub length: Option<u64>,
    /// Playing time in seconds: iTunes `duration` of the item (`hh:mm:ss`, `mm:ss` or
    /// seconds; given to its first enclosure), JSON Feed `duration_in_seconds`.
    pub duration_seconds: Option<u64>,
}

/// Hints a feed gives about how often to poll it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateHints {
    /// RSS `ttl`, in minutes.
    pub ttl_minutes: Option<u32>,
    /// `sy:updatePeriod` (hourly, daily, weekly, monthly, yearly) as seconds.
    pub period_seconds: Option<u64>,
    /// `sy:updateFrequency`: how many times per period.
    pub frequency: Option<u32>,
}

/// One parsed feed. Each field's doc names the elements that fill it, best first; when a
/// feed has several, the first in that order that has a value wins, wherever it stands in the
/// document (the whole table, with its reasons: [`crate::core::parse`], "Precedence").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feed {
    pub format: Format,
    /// RSS `channel/title`; Atom `feed/title`; JSON `title`. Then `atom:title` (in RSS),
    /// `dc:title`, `itunes:title`, `media:title`.
    pub title: Option<Text>,
    /// The site (HTML) link, absolute. RSS `channel/link`; Atom `link rel="alternate"` (or no
    /// rel); JSON `home_page_url`. Then `atom:link rel="alternate"` (in RSS).
    pub link: Option<String>,
    /// RSS `channel/description`; Atom `subtitle` (0.3: `tagline`); JSON `description`. Then
    /// `atom:subtitle` (in RSS), `dc:description`, `itunes:summary`, `itunes:subtitle`,
    /// `media:description`.
    pub description: Option<Text>,
    /// The feed's own URL as it states it: Atom/RSS `atom:link rel="self"`; JSON `feed_url`.
    pub self_link: Option<String>,
    /// RSS `lastBuildDate`; Atom `updated`/`modified`. Then `atom:updated` (in RSS),
    /// `dc:date`, `dcterms:modified`.
    pub updated: Option<DateTime<Utc>>,
    /// RSS `pubDate`; Atom 0.3 `issued`. Then `atom:published` (in RSS), `dcterms:issued`.
    pub published: Option<DateTime<Utc>>,
    /// RSS `image/url`; Atom `logo`, then `icon`; JSON `icon`, then `favicon`. Then
    /// `atom:logo`/`atom:icon` (in RSS), `itunes:image`, `media:thumbnail`.
    pub image: Option<String>,
    /// RSS `language`; Atom `xml:lang` of the root; JSON `language`. Then `dc:language`.
    pub language: Option<String>,
    /// RSS `managingEditor`/`author`; Atom `author`; JSON `authors[0]`/`author`. Then
    /// `atom:author` (in RSS), `dc:creator`, `itunes:author`, `itunes:owner`.
    pub author: Option<Person>,
    pub hints: UpdateHints,
    pub entries: Vec<Entry>,
}

impl Feed {
    /// A feed of `format` with nothing in it yet.
    pub fn new(format: Format) -> Feed {
        Feed {
            format,
            title: None,
            link: None,
            description: None,
            self_link: None,
            updated: None,
            published: None,
            image: None,
            language: None,
            author: None,
            hints: UpdateHints::default(),
            entries: Vec::new(),
        }
    }
}

/// One parsed entry (RSS `item`, Atom `entry`, JSON `items[]`). As for [`Feed`], each
/// field names its elements best first (the table: [`crate::core::parse`], "Precedence").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable identity: `source_id` when present, else a stable hash of link and title (see
    /// `core::identity`). Never empty.
    pub id: String,
    /// The id exactly as the feed gave it: RSS `guid`, then RSS 1.0 `rdf:about`, then
    /// `atom:id`; Atom `id`, then an RSS `guid`; JSON `id`.
    pub source_id: Option<String>,
    /// RSS `title`; Atom `title`; JSON `title`. Then `atom:title` (in RSS), `dc:title`,
    /// `itunes:title`, `media:title`.
    pub title: Option<Text>,
    /// The alternate (HTML) link, absolute. RSS `link`, then `atom:link rel="alternate"`,
    /// then a permalink `guid`; Atom `link rel="alternate"` (an HTML one first, then one
    /// without a type, then any), then the `src` of out-of-line `content`; JSON `url`, then
    /// `external_url`.
    pub link: Option<String>,
    /// RSS `pubDate`, then `atom:published`; Atom `published` (0.3: `issued`, then
    /// `created`), then an RSS `pubDate`; JSON `date_published`. Then `dcterms:issued`,
    /// `dcterms:created`.
    pub published: Option<DateTime<Utc>>,
    /// Atom `updated` (0.3: `modified`), or `atom:updated` in RSS; JSON `date_modified`.
    /// Then `dc:date`, `dcterms:modified`.
    pub updated: Option<DateTime<Utc>>,
    /// RSS `author`, then `atom:author`; Atom `author`, then its `source`'s author; JSON
    /// `authors[0]`/`author`. Then `dc:creator`, `itunes:author`; for Atom and JSON Feed, the
    /// feed's author last. A person without a name takes the next one's.
    pub author: Option<Person>,
    /// RSS `description`, then `atom:summary`; Atom `summary`, then an RSS `description`;
    /// JSON `summary`. Then `dc:description`, `itunes:summary`, `itunes:subtitle`,
    /// `media:description`. Never empty.
    pub summary: Option<Text>,
    /// `content:encoded`, then `xhtml:body`, then `atom:content`, then RSS `body`/`fullitem`;
    /// Atom `content`, then `content:encoded`, `xhtml:body`; JSON `content_html`, then
    /// `content_text`. Never empty.
    pub content: Option<Text>,
    /// The entry's picture, absolute: JSON `image`, then `banner_image`; `itunes:image`,
    /// then `media:thumbnail`, then an image `media:content`.
    pub image: Option<String>,
    /// RSS `enclosure`, Atom `link rel="enclosure"`, `media:content` (one per
    /// `media:group`), JSON `attachments`; one per URL.
    pub enclosures: Vec<Enclosure>,
    /// RSS/Atom `category`, `dc:subject`, `atom:category` (in RSS), JSON `tags`; one each.
    pub categories: Vec<String>,
}
