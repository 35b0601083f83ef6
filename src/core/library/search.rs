//! Search: the words of an entry (its title, member, feed and content text) in a
//! multi-entry index, each word paired with the entry's time, so the entries holding a word
//! come newest first from one range of the index.
//!
//! - Words are lower-cased runs of letters and digits, 2 to [`MAX_WORD`] characters, but
//!   for the commonest English words ([`STOP_WORDS`]), which find nothing; an entry keeps
//!   its first [`MAX_WORDS`] distinct words, title, member and feed first, so a post is
//!   found by everything that names it and by the opening of its text (about its first
//!   200 words: every index entry costs IndexedDB about 13 µs to write, measured in
//!   Chromium 156, so 400 words an entry made a refresh of 200 changed feeds last minutes).
//! - A query's words must all be in the entry; the last one may be the start of a word
//!   ("pyth" finds "python"), the others are whole words. The longest whole word drives the
//!   scan (fewest candidates); a query of one unfinished word scans that word's range when
//!   it is a whole word somewhere, else the words it starts (a bounded first page, sorted
//!   by time).
//! - Every scan has a budget ([`SCAN_BUDGET`] index entries a page), so a search never
//!   reads the whole store for one page.

use super::db::{Db, Mode, Source, StoreName, Txn};
use super::key::{Key, Range};
use super::record::{search_words, EntryRecord};
use super::view::{Cursor, Page, View};
use crate::core::error::PortError;
use std::collections::HashSet;

/// The longest word kept, in characters.
pub const MAX_WORD: usize = 40;
/// Distinct words kept per entry.
pub const MAX_WORDS: usize = 96;

/// Words too common to search by: neither indexed nor looked for.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "do", "for", "from", "had", "has", "have", "he", "her", "his", "how", "if",
    "in", "into", "is", "it", "its", "just", "more", "most", "not", "of", "on", "one", "or", "our",
    "out", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "up", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with",
    "would", "you", "your",
];
/// Index entries one page of a search may read.
pub const SCAN_BUDGET: usize = 20_000;
/// How many index entries a query of one unfinished word looks at.
const PREFIX_SCAN: u32 = 600;

/// The words of `text`, lower-cased, in order (repeats kept; stop words left out).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(|w| w.chars().take(MAX_WORD).flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
}

/// An entry's search words: the distinct words of `parts`, in order, at most [`MAX_WORDS`].
pub fn entry_words<'a>(parts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for part in parts {
        for w in words(part) {
            if out.len() == MAX_WORDS {
                return out;
            }
            if seen.insert(w.clone()) {
                out.push(w);
            }
        }
    }
    out
}

/// The text of sanitized HTML (what the library stores), for its search words: tags
/// dropped, the references a sanitizer writes decoded. Not for arbitrary HTML (the parser
/// has its own, complete, conversion): it is small enough for the worker that serves marks
/// and migrations without the HTML stack.
pub fn text_of_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            out.push(' ');
            rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
            continue;
        }
        let end = rest.find(';').filter(|&j| j <= 10);
        let decoded = end.and_then(|j| match &rest[1..j] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            n => n
                .strip_prefix("#x")
                .or_else(|| n.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| n.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        });
        match (decoded, end) {
            (Some(c), Some(j)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A query: whole words, and the last word as typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub whole: Vec<String>,
    pub last: Option<String>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut all: Vec<String> = words(text).collect();
        // A query that ends in a space has no unfinished word.
        let finished = text.ends_with(|c: char| !c.is_alphanumeric());
        let last = if finished { None } else { all.pop() };
        all.sort_unstable();
        all.dedup();
        Query { whole: all, last }
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.last.is_none()
    }

    /// Whether an entry with `words` matches.
    pub fn matches(&self, words: &[String]) -> bool {
        self.whole.iter().all(|w| words.contains(w))
            && self.last.as_ref().is_none_or(|p| words.iter().any(|w| w.starts_with(p.as_str())))
    }
}

/// The part of the `words` index under one whole word.
fn word_range(word: &str) -> Range {
    Range::prefix(vec![Key::str(word)])
}

/// The part of the `words` index under every word that starts with `prefix`.
fn prefix_range(prefix: &str) -> Range {
    Range {
        lower: Some(Key::Array(vec![Key::str(prefix)])),
        upper: Some(Key::Array(vec![Key::Str(format!("{prefix}\u{FFFF}"))])),
        ..Range::default()
    }
}

const WORDS: Source = Source::Index(StoreName::Search, "words");

/// One page of the entries of `view` that match `text`, newest first.
pub async fn page<D: Db>(
    db: &D,
    view: &View,
    text: &str,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Page, PortError> {
    let query = Query::parse(text);
    if query.is_empty() {
        return Ok(Page::default());
    }
    let txn = db.begin(&[StoreName::Search, StoreName::Entries], Mode::Read).await?;
    // The whole word with the fewest entries drives the scan (the longest, as a guess
    // that costs nothing); an unfinished word alone drives it as a whole word when it is
    // one somewhere.
    let mut driving = query.whole.iter().max_by_key(|w| w.chars().count()).cloned();
    if driving.is_none() {
        let last = query.last.clone().unwrap_or_default();
        if txn.count(WORDS, &word_range(&last)).await? > 0 {
            driving = Some(last);
        } else {
            return prefix_page(&txn, view, &query, &last, limit).await;
        }
    }
    let word = driving.unwrap_or_default();
    let mut range = word_range(&word);
    let mut skip = 0u32;
    if let Some(c) = after {
        range.lower = Some(c.key.clone());
        range.lower_open = false;
        skip = c.skip;
    }
    let mut found: Vec<EntryRecord> = Vec::new();
    // The key of the last index entry looked at, and how many were under it.
    let mut at: Option<(Key, u32)> = None;
    let mut scanned = 0;
    const CHUNK: u32 = 200;
    'scan: loop {
        let values = txn.get_all(WORDS, &range, Some(CHUNK + skip)).await?;
        let exhausted = values.len() < (CHUNK + skip) as usize;
        for v in values.iter().skip(skip as usize) {
            scanned += 1;
            let Some((key, words)) = search_words(v) else { continue };
            let time = v["words"]
                .as_array()
                .and_then(|ws| ws.iter().find(|w| w[0] == word.as_str()))
                .map(|w| w[1].clone())
                .and_then(|t| Key::from_value(&t))
                .unwrap_or(Key::Num(0.0));
            let index_key = Key::Array(vec![Key::str(word.as_str()), time]);
            at = match at {
                Some((k, n)) if k == index_key => Some((k, n + 1)),
                _ => Some((index_key, 1)),
            };
            if !query.matches(&words) {
                continue;
            }
            let Some(record) = txn.get(StoreName::Entries, &key).await? else { continue };
            let Ok(record) = EntryRecord::from_value(&record) else { continue };
            if view.admits(&record) {
                found.push(record);
                if found.len() == limit {
                    break 'scan;
                }
            }
        }
        if exhausted {
            at = None;
            break;
        }
        if scanned >= SCAN_BUDGET {
            break; // the next page goes on from here
        }
        // Go on from the last key looked at (closed: keys repeat), past what was seen there.
        let Some((key, n)) = &at else { break };
        range.lower = Some(key.clone());
        range.lower_open = false;
        skip = *n;
    }
    let next = at.map(|(key, skip)| Cursor { key, skip });
    Ok(Page { entries: found, next })
}

/// A query of one unfinished word that is no whole word: the newest matches among the
/// first index entries of every word it starts. One page; no next.
async fn prefix_page<T: Txn>(
    txn: &T,
    view: &View,
    query: &Query,
    prefix: &str,
    limit: usize,
) -> Result<Page, PortError> {
    let values = txn.get_all(WORDS, &prefix_range(prefix), Some(PREFIX_SCAN)).await?;
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for v in &values {
        let Some((key, words)) = search_words(v) else { continue };
        if !query.matches(&words) || !seen.insert(key.to_value().to_string()) {
            continue;
        }
        let Some(record) = txn.get(StoreName::Entries, &key).await? else { continue };
        let Ok(record) = EntryRecord::from_value(&record) else { continue };
        if view.admits(&record) {
            found.push(record);
        }
    }
    found.sort_unstable_by_key(|r| std::cmp::Reverse((r.time(), r.id.clone())));
    found.truncate(limit);
    Ok(Page { entries: found, next: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_letter_and_digit_runs_of_two_or_more() {
        let w: Vec<String> = words("Python 3.14: a T-string PEP-750 Überblick").collect();
        assert_eq!(w, ["python", "14", "string", "pep", "750", "überblick"]);
    }

    #[test]
    fn the_text_of_sanitized_html_has_no_tags_and_decoded_references() {
        assert_eq!(
            text_of_html("<p>Caf&#xE9; &amp; <b>bar</b>&nbsp;&#8212;&bogus; a&b</p>"),
            " Café &  bar  \u{2014}&bogus; a&b "
        );
    }

    #[test]
    fn entry_words_are_distinct_in_order_and_capped() {
        let w = entry_words(["Django news", "Django Weblog", "news of django", "async views"]);
        assert_eq!(w, ["django", "news", "weblog", "async", "views"], "\"of\" is a stop word");
        let long: String = (0..1000).map(|i| format!("w{i} ")).collect();
        assert_eq!(entry_words([long.as_str()]).len(), MAX_WORDS);
    }

    #[test]
    fn a_query_has_whole_words_and_an_unfinished_last_one() {
        let q = Query::parse("Django  templ");
        assert_eq!(q.whole, ["django"]);
        assert_eq!(q.last.as_deref(), Some("templ"));
        let done = Query::parse("django templates ");
        assert_eq!(done.last, None);
        assert!(done.matches(&["templates".into(), "django".into(), "x".into()]));
        assert!(!done.matches(&["templates".into()]));
        assert!(q.matches(&["django".into(), "templating".into()]));
        assert!(Query::parse("  -- ").is_empty());
    }
}
