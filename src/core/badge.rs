//! What the toolbar button shows: the badge's count (of every feed, of chosen feeds, or
//! none) and whether every feed is failing (the error state: a red badge, "!" when there
//! is no count, and a title that says so).

use crate::core::library::record::FeedRecord;
use crate::core::settings::BadgeChoice;
use crate::core::store::badge_text;

/// The badge's colours: Planet Python's blue, and red for the error state.
pub const COLOR: &str = "#306998";
pub const ERROR_COLOR: &str = "#B3261E";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeState {
    /// The unread entries counted.
    pub count: usize,
    /// What the badge says ("" for nothing).
    pub text: String,
    /// Every feed failed its last fetch.
    pub failing: bool,
}

/// The badge over the feeds' records (every subscribed feed fetched at least once has one).
pub fn state(records: &[FeedRecord], choice: &BadgeChoice) -> BadgeState {
    let count: usize =
        records.iter().filter(|r| choice.counts(&r.id)).map(|r| r.counts.unread as usize).sum();
    let failing = !records.is_empty() && records.iter().all(|r| r.state.last_error.is_some());
    let mut text = badge_text(count);
    if failing && text.is_empty() {
        text = "!".to_string();
    }
    BadgeState { count, text, failing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::Choice;
    use crate::core::store::{FeedError, FeedId};

    fn feed(id: &str, unread: u32, failing: bool) -> FeedRecord {
        let mut r = FeedRecord::new(FeedId(id.into()));
        r.counts.unread = unread;
        if failing {
            r.state.last_error = Some(FeedError::Http { status: 500 });
        }
        r
    }

    #[test]
    fn the_badge_counts_what_was_chosen() {
        let feeds = [feed("a", 3, false), feed("b", 4, false)];
        let all = state(&feeds, &BadgeChoice::of(None));
        assert_eq!((all.count, all.text.as_str(), all.failing), (7, "7", false));
        let chosen = BadgeChoice { count: Choice::Chosen, feeds: vec![FeedId("b".into())] };
        assert_eq!(state(&feeds, &chosen).text, "4");
        let off = BadgeChoice { count: Choice::Off, feeds: vec![] };
        assert_eq!(state(&feeds, &off).text, "");
    }

    #[test]
    fn every_feed_failing_is_an_error_even_with_the_badge_off() {
        let off = BadgeChoice { count: Choice::Off, feeds: vec![] };
        let some = [feed("a", 3, true), feed("b", 0, false)];
        assert!(!state(&some, &off).failing, "one feed still works");
        let all = [feed("a", 3, true), feed("b", 0, true)];
        assert_eq!(state(&all, &off).text, "!");
        let counted = state(&all, &BadgeChoice::of(None));
        assert_eq!((counted.text.as_str(), counted.failing), ("3", true));
        assert!(!state(&[], &off).failing, "no feed is no error");
    }
}
