//! Length caps on the strings Planet Reader shows or keeps from feeds, pages, files and sync.
//!
//! A feed decides how long its titles are, and a hostile one makes them 100 KB each: 90 such
//! titles once made a 9 MB popup snapshot and a 3.6 s render. Every displayed string is
//! therefore capped where it is made, in characters, with an ellipsis when cut:
//!
//! | what | cap | where it is applied |
//! |---|---|---|
//! | a title from a feed (entry, feed, a found feed's) | [`TITLE`] | `Text::to_plain` |
//! | a name from a feed or a page (author, e-mail, category, a link's title or text) | [`NAME`] | `core::parse` on its output, `core::discovery` |
//! | a subscription's title (typed, from OPML, from sync) | [`USER_TITLE`] | [`user_text`]: `service::subscriptions`, `core::opml`, `core::sync` |
//! | a folder path (from OPML, from sync) | [`FOLDER`] | [`user_text`]: `core::opml`, `core::sync` |
//!
//! The member blog of a Planet entry is at most 60 characters already (`core::title`), and
//! URLs are capped by the URL policy (`core::urls::MAX_URL_BYTES`).

use std::borrow::Cow;

/// Characters of a title a feed gives (entries, the feed itself).
pub const TITLE: usize = 300;
/// Characters of a name: an author, a category, a link's text on a page.
pub const NAME: usize = 100;
/// Characters of a subscription's own title.
pub const USER_TITLE: usize = 200;
/// Characters of a folder path.
pub const FOLDER: usize = 100;

/// `s` cut to at most `max` characters, the last of them an ellipsis when it was cut.
pub fn cap(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let end = s.char_indices().nth(max.saturating_sub(1)).map_or(0, |(i, _)| i);
            let mut out = s[..end].trim_end().to_string();
            out.push('…');
            Cow::Owned(out)
        }
    }
}

/// Text a user gives (or another profile synced, or a file brought) for a title or a
/// folder: control characters dropped, white space trimmed, cut to `max` characters;
/// `None` when nothing is left. Applying it twice changes nothing more.
pub fn user_text(s: &str, max: usize) -> Option<String> {
    let clean: Cow<'_, str> = if s.contains(char::is_control) {
        Cow::Owned(s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    };
    let trimmed = clean.trim();
    (!trimmed.is_empty()).then(|| cap(trimmed, max).into_owned())
}

/// [`cap`] on an owned string, in place.
pub fn cap_in_place(s: &mut String, max: usize) {
    if let Cow::Owned(capped) = cap(s, max) {
        *s = capped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_characters_with_an_ellipsis() {
        assert_eq!(cap("short", 10), "short");
        assert_eq!(cap("exactly10!", 10), "exactly10!");
        assert_eq!(cap("eleven chars", 10), "eleven ch…");
        assert_eq!(cap("ééééééééééé", 5), "éééé…");
        assert_eq!(cap("a     b", 3), "a…");
        assert_eq!(user_text("  a\u{0}b\tc \n", 10).as_deref(), Some("a b c"));
        assert_eq!(user_text(" \u{1} ", 10), None);
        let long = user_text(&"é".repeat(500), USER_TITLE).unwrap();
        assert_eq!(user_text(&long, USER_TITLE).as_deref(), Some(long.as_str()));
        let mut s = "x".repeat(1_000);
        cap_in_place(&mut s, TITLE);
        assert_eq!(s.chars().count(), TITLE);
    }
}
