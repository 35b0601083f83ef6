//! What the XML formats share: entry drafts, text capture rules, URL resolution, people,
//! and the extension namespaces (Dublin Core, `content:`, iTunes, Media RSS, XHTML,
//! syndication) that appear inside RSS and Atom alike.

use super::xml::{Elem, Ns, XmlReader};
use super::MAX_ENTRIES;
use crate::core::date::parse_date;
use crate::core::identity::entry_id;
use crate::core::model::{Enclosure, Entry, Feed, Person, Text, TextKind};

/// An entry while it is being read; [`EntryDraft::finish`] applies the fallbacks.
#[derive(Default)]
pub(crate) struct EntryDraft {
    pub source_id: Option<String>,
    pub title: Option<Text>,
    /// The title came from `media:title`: a real `<title>` replaces it.
    pub title_is_media: bool,
    pub link: Option<String>,
    /// A `<guid>` that is a permalink: the link when there is no `<link>`.
    pub permalink: Option<String>,
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    pub author: Option<Person>,
    pub summary: Option<Text>,
    pub content: Option<Text>,
    pub enclosures: Vec<Enclosure>,
    pub categories: Vec<String>,
    pub duration: Option<u64>,
}

impl EntryDraft {
    pub fn finish(mut self) -> Entry {
        if let (Some(first), Some(d)) = (self.enclosures.first_mut(), self.duration) {
            first.duration_seconds.get_or_insert(d);
        }
        let link = self.link.or(self.permalink);
        let id = entry_id(
            self.source_id.as_deref(),
            link.as_deref(),
            self.title.as_ref().map(|t| t.value.as_str()),
        );
        Entry {
            id,
            source_id: self.source_id.filter(|s| !s.trim().is_empty()),
            title: self.title,
            link,
            published: self.published,
            updated: self.updated,
            author: self.author,
            summary: self.summary,
            content: self.content,
            enclosures: self.enclosures,
            categories: self.categories,
        }
    }

    /// A summary-like element: the first fills `summary`, a second different one goes to
    /// `content` when that is empty (feedparser keeps RSS `description` and `summary` so).
    pub fn add_summary(&mut self, t: Text) {
        if self.summary.is_none() {
            self.summary = Some(t);
        } else if self.content.is_none() {
            self.content = Some(t);
        }
    }
}

pub(crate) fn push_entry(feed: &mut Feed, e: EntryDraft) {
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

pub(crate) fn read_date(r: &mut XmlReader<'_>) -> Option<chrono::DateTime<chrono::Utc>> {
    parse_date(&r.text().value)
}

/// Whether `s` starts with a URL scheme (`http:`, `tag:`, `mailto:`).
fn has_scheme(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.first().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    for &c in &b[1..] {
        match c {
            b':' => return true,
            c if c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b'.' => {}
            _ => return false,
        }
    }
    false
}

/// Schemes a link may not have: following them runs code or shows attacker-made pages.
pub(crate) fn is_unsafe_scheme(s: &str) -> bool {
    let lower = s.trim_start().get(..11).unwrap_or(s.trim_start()).to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:")
}

/// Resolve `href` against the base in force; an absolute URL is kept exactly as written
/// (ids and links are compared as strings: normalizing them would change identities).
/// Links with a script scheme are dropped.
pub(crate) fn resolve(r: &XmlReader<'_>, href: &str) -> Option<String> {
    resolve_against(r.base(), href)
}

pub(crate) fn resolve_against(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if is_unsafe_scheme(href) {
        return None;
    }
    if has_scheme(href) {
        return Some(href.to_string());
    }
    match base {
        Some(b) => match b.join(href) {
            Ok(u) => Some(crate::core::sanitize::keep_iri(href, String::from(u))),
            Err(_) => Some(href.to_string()),
        },
        None => Some(href.to_string()),
    }
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
pub(crate) fn read_person(r: &mut XmlReader<'_>) -> Person {
    let mut p = Person::default();
    loop {
        match r.next() {
            super::xml::Ev::Start(e) => match e.name.as_str() {
                "name" => p.name = Some(read_string(r)).filter(|s| !s.is_empty()),
                "email" => p.email = Some(read_string(r)).filter(|s| !s.is_empty()),
                "uri" | "url" | "homepage" => {
                    let v = read_string(r);
                    p.uri = resolve(r, &v);
                }
                _ => r.skip(),
            },
            _ => return p,
        }
    }
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

/// Elements of the extension namespaces at feed level. Returns false when `e` is not one.
pub(crate) fn feed_extension(r: &mut XmlReader<'_>, e: &Elem<'_>, feed: &mut Feed) -> bool {
    match (e.ns, e.name.as_str()) {
        (Ns::Dc, "title") if feed.title.is_none() => feed.title = Some(read_text(r, Kind::Guess)),
        (Ns::Dc, "description") if feed.description.is_none() => {
            feed.description = Some(read_text(r, Kind::Html))
        }
        (Ns::Dc, "date") | (Ns::Dcterms, "modified") => {
            if let Some(d) = read_date(r) {
                feed.updated = Some(d);
            }
        }
        (Ns::Dcterms, "issued") => {
            if let Some(d) = read_date(r) {
                feed.published = Some(d);
            }
        }
        (Ns::Dc, "language") if feed.language.is_none() => {
            feed.language = Some(read_string(r)).filter(|s| !s.is_empty())
        }
        (Ns::Dc, "creator" | "author") | (Ns::Itunes, "author") if feed.author.is_none() => {
            feed.author = person_from_string(&read_string(r))
        }
        (Ns::Itunes, "image") => {
            if let Some(href) = r.attr(e, "href") {
                feed.image = resolve(r, &href);
            }
            r.skip();
        }
        (Ns::Itunes, "summary" | "subtitle") if feed.description.is_none() => {
            feed.description = Some(read_text(r, Kind::Plain))
        }
        (Ns::Sy, "updateperiod") => feed.hints.period_seconds = period_seconds(&read_string(r)),
        (Ns::Sy, "updatefrequency") => feed.hints.frequency = read_string(r).trim().parse().ok(),
        (Ns::Atom10, "link") => {
            let rel = r.attr(e, "rel").unwrap_or_default();
            if let Some(href) = r.attr(e, "href") {
                if rel == "self" {
                    feed.self_link = resolve(r, &href);
                } else if (rel.is_empty() || rel == "alternate") && feed.link.is_none() {
                    feed.link = resolve(r, &href);
                }
            }
            r.skip();
        }
        _ => return false,
    }
    true
}

/// Elements of the extension namespaces inside an item/entry. False when `e` is not one.
pub(crate) fn entry_extension(r: &mut XmlReader<'_>, e: &Elem<'_>, d: &mut EntryDraft) -> bool {
    match (e.ns, e.name.as_str()) {
        (Ns::Dc, "title") if d.title.is_none() || d.title_is_media => {
            d.title = Some(read_text(r, Kind::Guess));
            d.title_is_media = false;
        }
        (Ns::Dc, "description") => d.add_summary(read_text(r, Kind::Html)),
        (Ns::Dc, "creator" | "author") if d.author.is_none() => {
            d.author = person_from_string(&read_string(r))
        }
        (Ns::Itunes, "author") if d.author.is_none() => {
            d.author = person_from_string(&read_string(r))
        }
        (Ns::Dc, "date") | (Ns::Dcterms, "modified") => {
            if let Some(t) = read_date(r) {
                d.updated = Some(t);
            }
        }
        (Ns::Dcterms, "issued") => {
            if let Some(t) = read_date(r) {
                d.published = Some(t);
            }
        }
        (Ns::Dc, "subject") => {
            let s = read_string(r);
            if !s.is_empty() && d.categories.len() < 64 {
                d.categories.push(s);
            }
        }
        (Ns::Content, "encoded") => d.content = Some(read_text(r, Kind::Html)),
        (Ns::Xhtml, "body") => {
            let mut t = read_text(r, Kind::Html);
            if t.kind == TextKind::Plain {
                t.kind = TextKind::Html;
            }
            d.content = Some(t);
        }
        (Ns::Itunes, "summary") if d.summary.is_none() => {
            d.summary = Some(read_text(r, Kind::Plain))
        }
        (Ns::Itunes, "duration") => d.duration = duration_seconds(&read_string(r)),
        (Ns::Media, "title") if d.title.is_none() => {
            d.title = Some(read_text(r, Kind::Plain));
            d.title_is_media = true;
        }
        (Ns::Media, "description") if d.summary.is_none() => {
            d.summary = Some(read_text(r, Kind::Plain))
        }
        (Ns::Media, "group") => {
            while let Some(child) = r.child() {
                if !entry_extension(r, &child, d) {
                    r.skip();
                }
            }
        }
        (Ns::Media, "content") => {
            if let Some(url) = r.attr(e, "url").and_then(|u| resolve(r, &u)) {
                if !d.enclosures.iter().any(|x| x.url == url) && d.enclosures.len() < 64 {
                    d.enclosures.push(Enclosure {
                        url,
                        mime_type: r.attr(e, "type").filter(|s| !s.is_empty()),
                        length: r.attr(e, "filesize").and_then(|s| s.trim().parse().ok()),
                        duration_seconds: r.attr(e, "duration").and_then(|s| duration_seconds(&s)),
                    });
                }
            }
            // media:content may hold media:title/description: read them.
            while let Some(child) = r.child() {
                if !entry_extension(r, &child, d) {
                    r.skip();
                }
            }
        }
        _ => return false,
    }
    true
}

/// An RSS `<enclosure url length type>` or an Atom `link rel="enclosure"`.
pub(crate) fn enclosure(
    r: &XmlReader<'_>,
    e: &Elem<'_>,
    url_attr: &str,
    d: &mut EntryDraft,
) -> Option<()> {
    let url = resolve(r, &r.attr(e, url_attr)?)?;
    if url.is_empty() || d.enclosures.len() >= 64 {
        return None;
    }
    d.enclosures.push(Enclosure {
        url,
        mime_type: r.attr(e, "type").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        length: r.attr(e, "length").and_then(|s| s.trim().parse().ok()),
        duration_seconds: None,
    });
    Some(())
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
