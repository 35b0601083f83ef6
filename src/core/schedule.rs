//! When each feed is refreshed next: the polling policy.
//!
//! - Every feed is due its refresh interval after it was last checked ([`DEFAULT_INTERVAL`]
//!   unless the user chose another, for every feed or for one: `core::settings`), or later
//!   if it asks:
//!   RSS `ttl`, `sy:updatePeriod`/`sy:updateFrequency`, or the response's `Cache-Control:
//!   max-age`. Hints only lengthen the interval (a `ttl` of 5 minutes says the feed may be
//!   cached that long, not that it must be polled that often), and never beyond
//!   [`MAX_INTERVAL`]: a feed is checked at least daily.
//! - A failing feed backs off exponentially from [`DEFAULT_INTERVAL`] (30 min, 1 h, 2 h ...
//!   up to [`MAX_BACKOFF`]), with up to 25 % jitter so that feeds failing together (the
//!   network was down) do not retry together. The jitter is derived from the feed's id and
//!   failure count: core has no randomness, and the same inputs give the same schedule.
//! - `Retry-After` (on 429 and 503) is honoured within [`MIN_RETRY_AFTER`] and
//!   [`MAX_BACKOFF`]: a server cannot make us poll it every second, nor silence a feed for a
//!   month.
//! - 410 Gone stops polling (see [`FeedState::due_at`]).
//! - One alarm is set at the earliest due time of all feeds; it is re-created at every
//!   worker start. When the user changes an interval, every feed's next check is worked out
//!   again from its last one ([`reschedule`]), and the alarm moves with them.

use super::date::parse_date;
use super::identity::fnv1a64;
use super::model::UpdateHints;
use super::store::{Check, FeedId, FeedState, Millis, HOUR, MINUTE};

pub const DEFAULT_INTERVAL: Millis = 30 * MINUTE;
pub const MAX_INTERVAL: Millis = 24 * HOUR;
pub const MAX_BACKOFF: Millis = 24 * HOUR;
pub const MIN_RETRY_AFTER: Millis = MINUTE;

/// The polling interval a feed's own hints ask for, if any, in minutes: the longest of
/// `ttl`, `sy:updatePeriod / sy:updateFrequency` and `max-age` (seconds).
pub fn hinted_minutes(hints: &UpdateHints, max_age_seconds: Option<u64>) -> Option<u32> {
    let ttl = hints.ttl_minutes.filter(|&m| m > 0);
    let sy = hints.period_seconds.map(|period| {
        let per = u64::from(hints.frequency.unwrap_or(1).max(1));
        minutes(period / per)
    });
    let max_age = max_age_seconds.map(minutes);
    ttl.into_iter().chain(sy).chain(max_age).max().filter(|&m| m > 0)
}

fn minutes(seconds: u64) -> u32 {
    u32::try_from(seconds / 60).unwrap_or(u32::MAX)
}

/// `max-age` of a `Cache-Control` header, in seconds.
pub fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("max-age") {
            value.trim().trim_matches('"').parse().ok()
        } else {
            None
        }
    })
}

/// The wait a `Retry-After` header asks for at `now`: delay-seconds or an HTTP date.
pub fn retry_after(value: &str, now: Millis) -> Option<Millis> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Millis::try_from(seconds).ok()?.saturating_mul(1000),
        Err(_) => parse_date(value)?.timestamp_millis() - now,
    };
    Some(wait.clamp(MIN_RETRY_AFTER, MAX_BACKOFF))
}

/// The interval to wait after a successful fetch of a feed whose refresh interval is
/// `base` (the user's; [`DEFAULT_INTERVAL`] unless chosen): its hints only lengthen it.
pub fn interval(state: &FeedState, base: Millis) -> Millis {
    let hinted = state.hinted_minutes.map_or(0, |m| Millis::from(m) * MINUTE);
    hinted.max(base).min(MAX_INTERVAL)
}

/// A feed's next check once its refresh interval is `base`, from its last [`Check`]: a
/// feed whose last fetch worked is due `interval` after it; a failing one keeps its
/// backoff.
pub fn reschedule(state: &FeedState, check: &Check, base: Millis) -> Check {
    if state.failures > 0 || state.gone || state.last_error.is_some() {
        return *check;
    }
    Check { at: check.at, next: check.at + interval(state, base) }
}

/// The wait after the `failures`-th failure in a row of feed `id`: 30 min, 1 h, 2 h ... up
/// to a day, each plus 0–25 % jitter.
pub fn backoff(id: &FeedId, failures: u32) -> Millis {
    let doublings = failures.saturating_sub(1).min(16);
    let base = DEFAULT_INTERVAL.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    let seed = fnv1a64(format!("{}/{failures}", id.0).as_bytes());
    let jitter = base / 4 * Millis::try_from(seed % 1000).unwrap_or(0) / 1000;
    base + jitter
}

/// Whether a feed is due at `now`.
pub fn is_due(state: &FeedState, check: Option<&Check>, now: Millis) -> bool {
    state.due_at(check).is_some_and(|at| at <= now)
}

/// The earliest time any of these feeds is due (the alarm's time); `None` when none is
/// polled at all.
pub fn next_alarm<'a>(
    feeds: impl IntoIterator<Item = (&'a FeedState, Option<&'a Check>)>,
) -> Option<Millis> {
    feeds.into_iter().filter_map(|(state, check)| state.due_at(check)).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_take_the_longest_request_and_frequency_divides_the_period() {
        let h =
            UpdateHints { ttl_minutes: Some(60), period_seconds: Some(86_400), frequency: Some(2) };
        assert_eq!(hinted_minutes(&h, None), Some(720));
        assert_eq!(hinted_minutes(&h, Some(86_400)), Some(1440));
        assert_eq!(hinted_minutes(&UpdateHints::default(), None), None);
        assert_eq!(
            hinted_minutes(&UpdateHints { ttl_minutes: Some(0), ..Default::default() }, None),
            None
        );
    }

    #[test]
    fn interval_only_lengthens_and_is_bounded() {
        let mut s = FeedState::default();
        assert_eq!(interval(&s, DEFAULT_INTERVAL), DEFAULT_INTERVAL);
        s.hinted_minutes = Some(5);
        assert_eq!(interval(&s, DEFAULT_INTERVAL), DEFAULT_INTERVAL);
        s.hinted_minutes = Some(120);
        assert_eq!(interval(&s, DEFAULT_INTERVAL), 2 * HOUR);
        assert_eq!(interval(&s, 4 * HOUR), 4 * HOUR, "the user's interval is longer");
        assert_eq!(interval(&s, 10 * MINUTE), 2 * HOUR, "a hint lengthens a short one");
        s.hinted_minutes = Some(60 * 24 * 30);
        assert_eq!(interval(&s, DEFAULT_INTERVAL), MAX_INTERVAL);
    }

    #[test]
    fn a_new_interval_moves_the_next_check_of_working_feeds_only() {
        let check = Check { at: 1_000, next: 1_000 + DEFAULT_INTERVAL };
        let ok = FeedState::default();
        assert_eq!(reschedule(&ok, &check, 2 * HOUR), Check { at: 1_000, next: 1_000 + 2 * HOUR });
        assert_eq!(reschedule(&ok, &check, 10 * MINUTE).next, 1_000 + 10 * MINUTE);
        let failing = FeedState { failures: 2, retry_at: Some(99_999), ..FeedState::default() };
        let backoff = Check { at: 1_000, next: 99_999 };
        assert_eq!(reschedule(&failing, &backoff, 10 * MINUTE), backoff);
    }

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(max_age("public, max-age=3600"), Some(3600));
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("MAX-AGE = \"60\""), Some(60));
    }

    #[test]
    fn backoff_doubles_up_to_a_day_with_bounded_stable_jitter() {
        let id = FeedId("feed".into());
        for (failures, base) in [(1, 30 * MINUTE), (2, HOUR), (3, 2 * HOUR), (40, MAX_BACKOFF)] {
            let b = backoff(&id, failures);
            assert!(b >= base && b <= base + base / 4, "{failures}: {b}");
            assert_eq!(b, backoff(&id, failures), "stable");
        }
        // Feeds failing together spread out.
        let spread: std::collections::BTreeSet<Millis> =
            (0..20).map(|i| backoff(&FeedId(format!("f{i}")), 1)).collect();
        assert!(spread.len() > 10);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date_within_bounds() {
        let now = 1_000_000_000_000;
        assert_eq!(retry_after("120", now), Some(120_000));
        assert_eq!(retry_after("0", now), Some(MIN_RETRY_AFTER));
        assert_eq!(retry_after("99999999", now), Some(MAX_BACKOFF));
        // 2001-09-09T01:46:40Z is `now`; ten minutes later:
        assert_eq!(retry_after("Sun, 09 Sep 2001 01:56:40 GMT", now), Some(10 * MINUTE));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn gone_feeds_are_never_due_and_retry_at_holds_a_feed_back() {
        let check = Check { at: 0, next: 100 };
        let mut s = FeedState::default();
        assert!(is_due(&s, None, 0), "never checked: due at once");
        assert!(!is_due(&s, Some(&check), 99));
        assert!(is_due(&s, Some(&check), 100));
        s.retry_at = Some(500);
        assert!(!is_due(&s, Some(&check), 100));
        assert_eq!(next_alarm([(&s, Some(&check))]), Some(500));
        s.gone = true;
        assert!(!is_due(&s, Some(&check), 10_000));
        assert_eq!(next_alarm([(&s, Some(&check))]), None);
    }
}
