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
}

impl Format {
    /// The short name feedparser gives this version: `rss` and `atom` for an RSS or Atom
    /// document whose version is missing or unknown (feedparser says so too).
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

    /// The text with markup removed and entities decoded, on one line: what a title shows.
    pub fn to_plain(&self) -> String {
        match self.kind {
            TextKind::Plain => crate::core::sanitize::collapse_whitespace(&self.value),
            TextKind::Html | TextKind::Xhtml => crate::core::sanitize::html_to_text(&self.value),
        }
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

/// One parsed feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feed {
    pub format: Format,
    /// RSS `channel/title`; Atom `feed/title`; JSON `title`.
    pub title: Option<Text>,
    /// The site (HTML) link, absolute. RSS `channel/link`; Atom `link rel="alternate"` (or no
    /// rel); JSON `home_page_url`.
    pub link: Option<String>,
    /// RSS `channel/description`; Atom `subtitle` (0.3: `tagline`); JSON `description`.
    pub description: Option<Text>,
    /// The feed's own URL as it states it: Atom/RSS `atom:link rel="self"`; JSON `feed_url`.
    pub self_link: Option<String>,
    /// RSS `lastBuildDate`, `dc:date`; Atom `updated`/`modified`.
    pub updated: Option<DateTime<Utc>>,
    /// RSS `pubDate`; Atom 0.3 `issued`.
    pub published: Option<DateTime<Utc>>,
    /// RSS `image/url`, iTunes `image`; Atom `logo`/`icon`; JSON `icon`/`favicon`.
    pub image: Option<String>,
    pub language: Option<String>,
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

/// One parsed entry (RSS `item`, Atom `entry`, JSON `items[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable identity: `guid`/`id` when present, else a stable hash of link and title (see
    /// `core::identity`). Never empty.
    pub id: String,
    /// The id exactly as the feed gave it (RSS `guid`, Atom `id`, JSON `id`), if any.
    pub source_id: Option<String>,
    /// RSS `title`; Atom `title`; JSON `title`.
    pub title: Option<Text>,
    /// The alternate (HTML) link, absolute. RSS `link` (or a permalink `guid`); Atom `link
    /// rel="alternate"`; JSON `url`.
    pub link: Option<String>,
    /// RSS `pubDate`, `dcterms:issued`; Atom `published`/`issued`; JSON `date_published`.
    pub published: Option<DateTime<Utc>>,
    /// Atom `updated`/`modified`, `dc:date`, `dcterms:modified`; JSON `date_modified`.
    pub updated: Option<DateTime<Utc>>,
    /// RSS `author`/`dc:creator`; Atom `author`; JSON `authors[0]`.
    pub author: Option<Person>,
    /// RSS `description`; Atom `summary`; iTunes `summary`; JSON `summary`.
    pub summary: Option<Text>,
    /// `content:encoded`; Atom `content`; `xhtml:body`; JSON `content_html`/`content_text`.
    pub content: Option<Text>,
    pub enclosures: Vec<Enclosure>,
    /// RSS/Atom `category`, JSON `tags`.
    pub categories: Vec<String>,
}
