//! What the formats share: entry and feed drafts whose fields keep the best-ranked value
//! offered to them (the precedence table is in the module doc of [`super`]), text capture
//! rules, URL resolution, people, and the extension namespaces (Dublin Core, `content:`,
//! iTunes, Media RSS, XHTML, syndication) that appear inside RSS and Atom alike.

use super::xml::{Elem, Ns, XmlReader};
use super::MAX_ENTRIES;
use crate::core::date::parse_date;
use crate::core::identity::entry_id;
use crate::core::model::{Enclosure, Entry, Feed, Format, Person, Text, TextKind, UpdateHints};
use chrono::{DateTime, Utc};

/// The ranks of the precedence table: where a value comes from, lower is better. Every
/// field is filled from the best-ranked element that has a value, whatever the order of the
/// elements in the document; among elements of one rank, the last (links and people: the
/// first).
pub(crate) mod rank {
    /// The format's own element (RSS `description` in RSS, Atom `summary` in Atom).
    pub const OWN: u8 = 0;
    /// A second-choice element of the format itself (Atom 0.3 `created`, RSS 1.0
    /// `rdf:about`, an Atom `source`'s author, an Atom link without a type).
    pub const OWN_ALT: u8 = 1;
    /// A third choice of the format itself (an alternate Atom link of a non-HTML type, the
    /// `src` of out-of-line Atom content).
    pub const OWN_LAST: u8 = 2;
    /// `content:encoded`, RSS's content (the content module).
    pub const CONTENT: u8 = 5;
    /// `xhtml:body`.
    pub const XHTML: u8 = 6;
    /// The other major format's element: Atom inside RSS, RSS inside Atom.
    pub const FOREIGN: u8 = 10;
    /// Dublin Core (`dc:`), then DC terms (`dcterms:`).
    pub const DC: u8 = 20;
    pub const DCTERMS: u8 = 21;
    /// iTunes (`itunes:`), and its second choice (`subtitle` after `summary`, `owner`).
    pub const ITUNES: u8 = 30;
    pub const ITUNES_ALT: u8 = 31;
    /// Media RSS (`media:`), and its second choice (an image `media:content`).
    pub const MEDIA: u8 = 40;
    pub const MEDIA_ALT: u8 = 41;
    /// What is left: RSS's obsolete `body`/`fullitem`, a second summary-like element.
    pub const LEGACY: u8 = 50;
}

/// Whether a value says anything: an empty one is kept only while nothing better comes.
pub(crate) trait Filled {
    fn is_filled(&self) -> bool;
}

impl Filled for String {
    fn is_filled(&self) -> bool {
        !self.trim().is_empty()
    }
}

impl Filled for Text {
    fn is_filled(&self) -> bool {
        !self.value.trim().is_empty()
    }
}

impl Filled for Person {
    fn is_filled(&self) -> bool {
        self.name.is_some() || self.email.is_some() || self.uri.is_some()
    }
}

impl Filled for DateTime<Utc> {
    fn is_filled(&self) -> bool {
        true
    }
}

/// One field of a draft: the value offered at the best [`rank`] so far. A filled value
/// always beats an empty one; an empty one is kept when nothing else comes.
pub(crate) struct Ranked<T> {
    value: Option<T>,
    rank: u8,
}

impl<T> Default for Ranked<T> {
    fn default() -> Self {
        Ranked { value: None, rank: u8::MAX }
    }
}

impl<T: Filled> Ranked<T> {
    /// Whether a value offered at `rank` could be kept: callers skip reading (and parsing a
    /// date) when it cannot.
    pub fn wants(&self, rank: u8) -> bool {
        match &self.value {
            None => true,
            Some(v) => !v.is_filled() || rank <= self.rank,
        }
    }

    /// Whether `v` offered at `rank` beats what is there; at an equal rank, a later value
    /// wins only when `later_wins`.
    fn beats(&self, rank: u8, v: &T, later_wins: bool) -> bool {
        match &self.value {
            None => true,
            Some(cur) if cur.is_filled() => {
                v.is_filled() && (rank < self.rank || (later_wins && rank == self.rank))
            }
            Some(_) => v.is_filled() || rank <= self.rank,
        }
    }

    /// Keep `v` if it beats what is there. At an equal rank the later value wins: a
    /// repeated element overrides (feedparser's rule: `<updated>` twice is the second).
    pub fn offer(&mut self, rank: u8, v: Option<T>) {
        if let Some(v) = v {
            if self.beats(rank, &v, true) {
                self.value = Some(v);
                self.rank = rank;
            }
        }
    }

    /// [`Ranked::offer`], but at an equal rank the first value stays: for links, where the
    /// first alternate is the one meant.
    pub fn offer_first(&mut self, rank: u8, v: Option<T>) {
        if let Some(v) = v {
            if self.beats(rank, &v, false) {
                self.value = Some(v);
                self.rank = rank;
            }
        }
    }

    /// Whether a value at `rank` would replace what is there even when that was offered
    /// first at the same rank.
    pub fn lacks(&self, rank: u8) -> bool {
        match &self.value {
            None => true,
            Some(v) => !v.is_filled() || rank < self.rank,
        }
    }

    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    pub fn into_inner(self) -> Option<T> {
        self.value
    }
}

impl Ranked<Person> {
    /// [`Ranked::offer_first`] for people, who also merge: the person kept takes the
    /// other's name when it has none (`<author>me@example.com</author>` and
    /// `<dc:creator>Me</dc:creator>` are one person).
    pub fn offer_person(&mut self, rank: u8, p: Option<Person>) {
        let Some(mut p) = p else { return };
        if self.beats(rank, &p, false) {
            if p.name.is_none() {
                p.name = self.value.as_mut().and_then(|old| old.name.take());
            }
            self.value = Some(p);
            self.rank = rank;
        } else if let Some(kept) = self.value.as_mut() {
            if kept.name.is_none() {
                kept.name = p.name;
            }
        }
    }
}

/// An entry while it is being read; [`EntryDraft::finish`] applies the fallbacks.
#[derive(Default)]
pub(crate) struct EntryDraft {
    pub source_id: Ranked<String>,
    pub title: Ranked<Text>,
    pub link: Ranked<String>,
    /// A `<guid>` that is a permalink: the link when no element gives one.
    pub permalink: Option<String>,
    pub published: Ranked<DateTime<Utc>>,
    pub updated: Ranked<DateTime<Utc>>,
    pub author: Ranked<Person>,
    pub summary: Ranked<Text>,
    pub content: Ranked<Text>,
    pub image: Ranked<String>,
    pub enclosures: Vec<Enclosure>,
    pub categories: Vec<String>,
    pub duration: Option<u64>,
}

impl EntryDraft {
    pub fn finish(self) -> Entry {
        let mut enclosures = self.enclosures;
        if let (Some(first), Some(d)) = (enclosures.first_mut(), self.duration) {
            first.duration_seconds.get_or_insert(d);
        }
        let link = self.link.into_inner().filter(|l| !l.is_empty()).or(self.permalink);
        let source_id = self.source_id.into_inner();
        let title = self.title.into_inner();
        let id = entry_id(
            source_id.as_deref(),
            link.as_deref(),
            title.as_ref().map(|t| t.value.as_str()),
        );
        Entry {
            id,
            source_id: source_id.filter(|s| !s.trim().is_empty()),
            title,
            link,
            published: self.published.into_inner(),
            updated: self.updated.into_inner(),
            author: self.author.into_inner().filter(Filled::is_filled),
            // An empty summary or content says nothing, and would hide the other.
            summary: self.summary.into_inner().filter(Filled::is_filled),
            content: self.content.into_inner().filter(Filled::is_filled),
            image: self.image.into_inner().filter(|i| !i.is_empty()),
            enclosures,
            categories: self.categories,
        }
    }

    /// A summary-like element at `rank`: it fills `summary` if it beats what is there, and
    /// else goes to `content` as a last resort (feedparser keeps an RSS `description` and a
    /// `summary` so).
    pub fn add_summary(&mut self, rank: u8, t: Text) {
        if self.summary.lacks(rank) {
            self.summary.offer(rank, Some(t));
        } else if self.summary.get().is_some_and(|s| s.value != t.value) {
            self.content.offer(rank::LEGACY, Some(t));
        }
    }

    /// An enclosure, unless one with its URL is there already (whose missing type and
    /// length it then completes): RSS `enclosure` and `media:content` often repeat each
    /// other.
    pub fn add_enclosure(&mut self, enc: Enclosure) {
        if enc.url.is_empty() {
            return;
        }
        if let Some(same) = self.enclosures.iter_mut().find(|x| x.url == enc.url) {
            same.mime_type = same.mime_type.take().or(enc.mime_type);
            same.length = same.length.or(enc.length);
            same.duration_seconds = same.duration_seconds.or(enc.duration_seconds);
        } else if self.enclosures.len() < 64 {
            self.enclosures.push(enc);
        }
    }

    /// A category, unless empty or already there.
    pub fn add_category(&mut self, c: &str) {
        let c = c.trim();
        if !c.is_empty() && self.categories.len() < 64 && !self.categories.iter().any(|x| x == c) {
            self.categories.push(c.to_string());
        }
    }
}

/// A feed while it is being read; [`FeedDraft::finish`] makes the [`Feed`].
#[derive(Default)]
pub(crate) struct FeedDraft {
    pub title: Ranked<Text>,
    pub link: Ranked<String>,
    pub description: Ranked<Text>,
    pub self_link: Ranked<String>,
    pub updated: Ranked<DateTime<Utc>>,
    pub published: Ranked<DateTime<Utc>>,
    pub image: Ranked<String>,
    pub language: Ranked<String>,
    pub author: Ranked<Person>,
    pub hints: UpdateHints,
    pub entries: Vec<Entry>,
}

impl FeedDraft {
    /// The feed. With `authors_apply_to_entries` (Atom, RFC 4287 4.2.1; JSON Feed 1.1
    /// `authors`), an entry without an author gets the feed's.
    pub fn finish(self, format: Format, authors_apply_to_entries: bool) -> Feed {
        let author = self.author.into_inner().filter(Filled::is_filled);
        let mut entries = self.entries;
        if authors_apply_to_entries {
            if let Some(a) = &author {
                for e in entries.iter_mut().filter(|e| e.author.is_none()) {
                    e.author = Some(a.clone());
                }
            }
        }
        Feed {
            format,
            title: self.title.into_inner(),
            link: self.link.into_inner().filter(|l| !l.is_empty()),
            description: self.description.into_inner(),
            self_link: self.self_link.into_inner().filter(|l| !l.is_empty()),
            updated: self.updated.into_inner(),
            published: self.published.into_inner(),
            image: self.image.into_inner().filter(|l| !l.is_empty()),
            language: self.language.into_inner().filter(|l| !l.is_empty()),
            author,
            hints: self.hints,
            entries,
        }
    }
}

pub(crate) fn push_entry(feed: &mut FeedDraft, e: EntryDraft) {
    if feed.entries.len() < MAX_ENTRIES {
        feed.entries.push(e.finish());
    }
}

/// How to read a text element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Plain text, but turned to HTML when it looks like HTML (RSS titles: feeds put
    /// markup there without saying so).
    Guess,
    Plain,
    Html,
}

/// Read a text element into a [`Text`]: child elements make it markup whatever `kind` says.
pub(crate) fn read_text(r: &mut XmlReader<'_>, kind: Kind) -> Text {
    let base = r.base_string();
    let c = r.text();
    let kind = if c.markup {
        TextKind::Xhtml
    } else {
        match kind {
            Kind::Html => TextKind::Html,
            Kind::Plain => TextKind::Plain,
            Kind::Guess if looks_like_html(&c.value) => TextKind::Html,
            Kind::Guess => TextKind::Plain,
        }
    };
    let base = if kind == TextKind::Plain { None } else { base };
    Text { kind, value: c.value, base }
}

/// feedparser's test: a closing tag or a character/entity reference left in the text.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' if b.get(i + 1) == Some(&b'/') => {
                let n = b[i + 2..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                if n > 0 && b.get(i + 2 + n) == Some(&b'>') {
                    return true;
                }
            }
            b'&' => {
                let rest = &b[i + 1..];
                let rest = rest.strip_prefix(b"#").unwrap_or(rest);
                let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                if n > 0 && rest.get(n) == Some(&b';') {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The plain text content of an element, trimmed.
pub(crate) fn read_string(r: &mut XmlReader<'_>) -> String {
    r.text().value
}

pub(crate) fn read_date(r: &mut XmlReader<'_>) -> Option<DateTime<Utc>> {
    parse_date(&r.text().value)
}

/// Resolve `href` against the base in force, by the URL policy of `core::urls`: only
/// `http(s)` links are kept, an absolute URL as written (ids and links are compared as
/// strings: normalizing them would change identities).
pub(crate) fn resolve(r: &XmlReader<'_>, href: &str) -> Option<String> {
    resolve_against(r.base(), href)
}

pub(crate) fn resolve_against(base: Option<&url::Url>, href: &str) -> Option<String> {
    crate::core::urls::resolve(href, base, crate::core::urls::UrlUse::Web)
}

/// `me@example.com (Name)`, `Name <me@example.com>`, `Name`, as a [`Person`].
pub(crate) fn person_from_string(s: &str) -> Option<Person> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // Most authors are a bare name: without an `@` there is no address to look for.
    let email_tok = s.contains('@').then(|| email_token(s)).flatten();
    let (name, email) = match email_tok {
        Some(tok) => {
            let name = s.replacen(tok, "", 1);
            let name = name.replace("()", "").replace("<>", "").replace("[]", "");
            let name = name.trim().trim_matches(|c| matches!(c, '(' | ')' | '<' | '>'));
            (name.trim().to_string(), Some(tok.trim_start_matches("mailto:").to_string()))
        }
        None => (s.to_string(), None),
    };
    Some(Person { name: (!name.is_empty()).then_some(name), email, uri: None })
}

/// The first token of `s` that looks like an e-mail address (`mailto:` allowed).
fn email_token(s: &str) -> Option<&str> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']')).find(
        |t| {
            let t = t.trim_start_matches("mailto:");
            t.find('@').is_some_and(|at| at > 0 && t[at + 1..].contains('.'))
        },
    )
}

/// An Atom person construct (`<author><name/><email/><uri/></author>`); Atom 0.3 says
/// `url` for `uri`.
/// Written as bare text instead (`<author>Jane Doe</author>`, or an RSS-style
/// `jane@example.com (Jane Doe)`), the text is the person (node-feedparser#32, tnr.com).
pub(crate) fn read_person(r: &mut XmlReader<'_>) -> Person {
    let mut p = Person::default();
    let mut text = String::new();
    while let Some(e) = r.child_keeping_text(&mut text) {
        match e.name.as_str() {
            "name" => p.name = Some(read_string(r)).filter(|s| !s.is_empty()),
            "email" => p.email = Some(read_string(r)).filter(|s| !s.is_empty()),
            "uri" | "url" | "homepage" => {
                let v = read_string(r);
                p.uri = resolve(r, &v);
            }
            _ => r.skip(),
        }
    }
    if !p.is_filled() {
        if let Some(bare) = person_from_string(&text) {
            return bare;
        }
    }
    p
}

/// A `sy:updatePeriod` as seconds.
fn period_seconds(s: &str) -> Option<u64> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "hourly" => 3_600,
        "daily" => 86_400,
        "weekly" => 604_800,
        "monthly" => 2_592_000,
        "yearly" => 31_536_000,
        _ => return None,
    })
}

/// `hh:mm:ss`, `mm:ss` or seconds, as iTunes writes durations.
pub(crate) fn duration_seconds(s: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut parts = 0;
    for p in s.trim().split(':') {
        parts += 1;
        if parts > 3 {
            return None;
        }
        let p = p.split('.').next()?;
        total = total.checked_mul(60)?.checked_add(p.trim().parse::<u64>().ok()?)?;
    }
    Some(total)
}

/// Offer the date the element holds to `slot` at `rank`; not even parsed when it cannot win.
pub(crate) fn date_into(r: &mut XmlReader<'_>, slot: &mut Ranked<DateTime<Utc>>, rank: u8) {
    if slot.wants(rank) {
        slot.offer(rank, read_date(r));
    } else {
        r.skip();
    }
}

/// Offer the text the element holds to `slot` at `rank`; skipped when it cannot win.
pub(crate) fn text_into(r: &mut XmlReader<'_>, slot: &mut Ranked<Text>, rank: u8, kind: Kind) {
    if slot.wants(rank) {
        slot.offer(rank, Some(read_text(r, kind)));
    } else {
        r.skip();
    }
}

/// Offer the URL the element holds (or its `attr` attribute) to `slot` at `rank`.
pub(crate) fn url_into(
    r: &mut XmlReader<'_>,
    e: &Elem<'_>,
    attr: &str,
    slot: &mut Ranked<String>,
    rank: u8,
) {
    let href = match r.attr(e, attr) {
        Some(h) => {
            r.skip();
            h
        }
        // `<itunes:image>https://…</itunes:image>`: the URL as the text.
        None => read_string(r),
    };
    if !href.trim().is_empty() {
        slot.offer_first(rank, resolve(r, &href));
    }
}

/// Media RSS `media:title` / `media:description`: `type="html"` says markup, else plain.
fn media_text(r: &mut XmlReader<'_>, e: &Elem<'_>) -> Text {
    let html = r.attr(e, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("html"));
    read_text(r, if html { Kind::Html } else { Kind::Plain })
}

/// Elements of the extension namespaces at feed level. Returns false when `e` is not one.
pub(crate) fn feed_extension(r: &mut XmlReader<'_>, e: &Elem<'_>, feed: &mut FeedDraft) -> bool {
    use rank::*;
    match (e.ns, e.name.as_str()) {
        (Ns::Dc, "title") => text_into(r, &mut feed.title, DC, Kind::Guess),
        (Ns::Dc, "description") => text_into(r, &mut feed.description, DC, Kind::Html),
        (Ns::Dc, "date") => date_into(r, &mut feed.updated, DC),
        (Ns::Dcterms, "modified") => date_into(r, &mut feed.updated, DCTERMS),
        (Ns::Dcterms, "issued") => date_into(r, &mut feed.published, DCTERMS),
        (Ns::Dc, "language") => feed.language.offer(DC, Some(read_string(r))),
        (Ns::Dc, "creator" | "author") => {
            feed.author.offer_person(DC, person_from_string(&read_string(r)))
        }
        (Ns::Itunes, "author") => {
            feed.author.offer_person(ITUNES, person_from_string(&read_string(r)))
        }
        // `<itunes:owner><itunes:name/><itunes:email/></itunes:owner>`.
        (Ns::Itunes, "owner") => feed.author.offer_person(ITUNES_ALT, Some(read_person(r))),
        (Ns::Itunes, "image") => url_into(r, e, "href", &mut feed.image, ITUNES),
        (Ns::Itunes, "title") => text_into(r, &mut feed.title, ITUNES, Kind::Plain),
        (Ns::Itunes, "summary") => text_into(r, &mut feed.description, ITUNES, Kind::Plain),
        (Ns::Itunes, "subtitle") => text_into(r, &mut feed.description, ITUNES_ALT, Kind::Plain),
        (Ns::Media, "thumbnail") => url_into(r, e, "url", &mut feed.image, MEDIA),
        (Ns::Media, "title") => feed.title.offer(MEDIA, Some(media_text(r, e))),
        (Ns::Media, "description") => feed.description.offer(MEDIA, Some(media_text(r, e))),
        (Ns::Sy, "updateperiod") => feed.hints.period_seconds = period_seconds(&read_string(r)),
        (Ns::Sy, "updatefrequency") => feed.hints.frequency = read_string(r).trim().parse().ok(),
        _ => return false,
    }
    true
}

/// Elements of the extension namespaces inside an item/entry. False when `e` is not one.
pub(crate) fn entry_extension(r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft) -> bool {
    entry_extension_in(r, e, d, 0)
}

/// How deep `media:group` and `media:content` are read inside each other (the spec nests
/// them once): deeper ones are skipped, so a hostile nesting costs no stack.
const MEDIA_DEPTH: u8 = 3;

fn entry_extension_in(r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft, depth: u8) -> bool {
    use rank::*;
    match (e.ns, e.name.as_str()) {
        (Ns::Dc, "title") => text_into(r, &mut d.title, DC, Kind::Guess),
        (Ns::Dc, "description") => d.add_summary(DC, read_text(r, Kind::Html)),
        (Ns::Dc, "creator" | "author") => {
            d.author.offer_person(DC, person_from_string(&read_string(r)))
        }
        (Ns::Itunes, "author") => {
            d.author.offer_person(ITUNES, person_from_string(&read_string(r)))
        }
        (Ns::Dc, "date") => date_into(r, &mut d.updated, DC),
        (Ns::Dcterms, "modified") => date_into(r, &mut d.updated, DCTERMS),
        (Ns::Dcterms, "issued") => date_into(r, &mut d.published, DCTERMS),
        (Ns::Dcterms, "created") => date_into(r, &mut d.published, DCTERMS + 1),
        (Ns::Dc, "subject") => d.add_category(&read_string(r)),
        (Ns::Content, "encoded") => text_into(r, &mut d.content, CONTENT, Kind::Html),
        (Ns::Xhtml, "body") => text_into(r, &mut d.content, XHTML, Kind::Html),
        (Ns::Itunes, "title") => text_into(r, &mut d.title, ITUNES, Kind::Plain),
        (Ns::Itunes, "summary") => text_into(r, &mut d.summary, ITUNES, Kind::Plain),
        (Ns::Itunes, "subtitle") => text_into(r, &mut d.summary, ITUNES_ALT, Kind::Plain),
        (Ns::Itunes, "image") => url_into(r, e, "href", &mut d.image, ITUNES),
        (Ns::Itunes, "duration") => d.duration = duration_seconds(&read_string(r)),
        (Ns::Media, "title") => d.title.offer(MEDIA, Some(media_text(r, e))),
        (Ns::Media, "description") => d.summary.offer(MEDIA, Some(media_text(r, e))),
        (Ns::Media, "thumbnail") => url_into(r, e, "url", &mut d.image, MEDIA),
        (Ns::Media, "group" | "content") if depth >= MEDIA_DEPTH => r.skip(),
        (Ns::Media, "group") => {
            // One item in several representations (sizes, bitrates, formats): one is kept,
            // the one marked `isDefault`, else the first.
            let mut reps: Vec<(Enclosure, bool)> = Vec::new();
            while let Some(child) = r.child() {
                if child.ns == Ns::Media && child.is("content") {
                    reps.extend(media_content(r, &child, d, depth + 1));
                } else if !entry_extension_in(r, &child, d, depth + 1) {
                    r.skip();
                }
            }
            let pick = reps.iter().position(|(_, default)| *default).unwrap_or(0);
            if let Some((enc, _)) = reps.into_iter().nth(pick) {
                d.add_enclosure(enc);
            }
        }
        (Ns::Media, "content") => {
            if let Some((enc, _)) = media_content(r, e, d, depth + 1) {
                d.add_enclosure(enc);
            }
        }
        _ => return false,
    }
    true
}

/// A `media:content`: its enclosure (if it has a URL) and whether it is its group's
/// default. An image is also the entry's image (after `media:thumbnail`). Its children
/// (`media:title`, `media:thumbnail` ...) are read as the entry's.
fn media_content(
    r: &mut XmlReader<'_>,
    e: &Elem<'_>,
    d: &mut EntryDraft,
    depth: u8,
) -> Option<(Enclosure, bool)> {
    let enc = r.attr(e, "url").and_then(|u| resolve(r, &u)).map(|url| Enclosure {
        url,
        mime_type: r.attr(e, "type").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        length: r.attr(e, "filesize").and_then(|s| s.trim().parse().ok()),
        duration_seconds: r.attr(e, "duration").and_then(|s| duration_seconds(&s)),
    });
    let is_default = r.attr(e, "isdefault").is_some_and(|v| v.trim() == "true");
    if let Some(enc) = &enc {
        let medium = r.attr(e, "medium").unwrap_or_default();
        let image = medium.trim() == "image"
            || (medium.is_empty()
                && enc.mime_type.as_deref().is_some_and(|t| t.starts_with("image/")));
        if image {
            d.image.offer(rank::MEDIA_ALT, Some(enc.url.clone()));
        }
    }
    while let Some(child) = r.child() {
        if !entry_extension_in(r, &child, d, depth) {
            r.skip();
        }
    }
    enc.filter(|e| !e.url.is_empty()).map(|e| (e, is_default))
}

/// An RSS `<enclosure url length type>` or an Atom `link rel="enclosure"` whose URL is
/// `url` (already resolved).
pub(crate) fn enclosure(r: &XmlReader<'_>, e: &Elem<'_>, url: String, d: &mut EntryDraft) {
    d.add_enclosure(Enclosure {
        url,
        mime_type: r.attr(e, "type").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        length: r.attr(e, "length").and_then(|s| s.trim().parse().ok()),
        duration_seconds: None,
    });
}

/// Unused hint fields are filled by format modules; this keeps `ttl` parsing in one place.
pub(crate) fn ttl_minutes(s: &str) -> Option<u32> {
    s.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_author_strings_split_into_name_and_email() {
        let p = person_from_string("me@example.com (Example editor)").unwrap();
        assert_eq!(p.name.as_deref(), Some("Example editor"));
        assert_eq!(p.email.as_deref(), Some("me@example.com"));
        let p = person_from_string("Example editor <me@example.com>").unwrap();
        assert_eq!(p.name.as_deref(), Some("Example editor"));
        assert_eq!(p.email.as_deref(), Some("me@example.com"));
        let p = person_from_string("Just A Name").unwrap();
        assert_eq!((p.name.as_deref(), p.email), (Some("Just A Name"), None));
    }

    #[test]
    fn html_is_recognised_by_end_tags_and_references() {
        assert!(looks_like_html("a <b>b</b>"));
        assert!(looks_like_html("AT&amp;T"));
        assert!(!looks_like_html("1 < 2 and 3 > 2"));
        assert!(!looks_like_html("Q&A"));
    }

    #[test]
    fn resolution_keeps_absolute_urls_verbatim_and_drops_scripts() {
        let base = url::Url::parse("http://example.com/a/b").unwrap();
        assert_eq!(resolve_against(Some(&base), "c").as_deref(), Some("http://example.com/a/c"));
        assert_eq!(
            resolve_against(Some(&base), "HTTP://www.EXAMPLE.org/%7ebob").as_deref(),
            Some("HTTP://www.EXAMPLE.org/%7ebob")
        );
        assert_eq!(resolve_against(Some(&base), "javascript:alert(1)"), None);
    }

    #[test]
    fn itunes_durations() {
        assert_eq!(duration_seconds("1:02:03"), Some(3723));
        assert_eq!(duration_seconds("45:10"), Some(2710));
        assert_eq!(duration_seconds("3600"), Some(3600));
        assert_eq!(duration_seconds("soon"), None);
    }
}
