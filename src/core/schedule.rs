//! When each feed is refreshed next.
//!
//! Policy: every feed is due `DEFAULT_INTERVAL` after its last fetch, or later if the feed
//! asks for it (RSS `ttl`, `sy:updatePeriod`/`sy:updateFrequency`), but never more often than
//! `MIN_INTERVAL` nor less often than `MAX_INTERVAL`. A failing feed backs off exponentially
//! (doubling from `DEFAULT_INTERVAL`, up to `MAX_BACKOFF`). One alarm is set at the earliest
//! due time of all feeds; it is re-created at every worker start.

use super::model::UpdateHints;
use super::store::{FeedState, Millis, HOUR, MINUTE};

pub const DEFAULT_INTERVAL: Millis = 30 * MINUTE;
pub const MIN_INTERVAL: Millis = 15 * MINUTE;
pub const MAX_INTERVAL: Millis = 24 * HOUR;
pub const MAX_BACKOFF: Millis = 24 * HOUR;

/// The polling interval a feed's own hints ask for, if any, in minutes.
pub fn hinted_minutes(hints: &UpdateHints) -> Option<u32> {
    let ttl = hints.ttl_minutes.filter(|&m| m > 0);
    let sy = hints.period_seconds.map(|period| {
        let per = u64::from(hints.frequency.unwrap_or(1).max(1));
        u32::try_from(period / per / 60).unwrap_or(u32::MAX)
    });
    ttl.into_iter().chain(sy).max()
}

/// The interval to wait after a successful fetch.
pub fn interval(state: &FeedState) -> Millis {
    let hinted = state.hinted_minutes.map_or(0, |m| Millis::from(m) * MINUTE);
    hinted.max(DEFAULT_INTERVAL).clamp(MIN_INTERVAL, MAX_INTERVAL)
}

/// The wait after the `failures`-th failure in a row: 30 min, 1 h, 2 h ... up to a day.
pub fn backoff(failures: u32) -> Millis {
    let doublings = failures.saturating_sub(1).min(16);
    DEFAULT_INTERVAL.saturating_mul(1 << doublings).min(MAX_BACKOFF)
}

/// The earliest time any of these feeds is due (the alarm's time).
pub fn next_alarm<'a>(states: impl IntoIterator<Item = &'a FeedState>) -> Option<Millis> {
    states.into_iter().map(|s| s.next_due).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_take_the_longest_request_and_frequency_divides_the_period() {
        let h =
            UpdateHints { ttl_minutes: Some(60), period_seconds: Some(86_400), frequency: Some(2) };
        assert_eq!(hinted_minutes(&h), Some(720));
        assert_eq!(hinted_minutes(&UpdateHints::default()), None);
        assert_eq!(
            hinted_minutes(&UpdateHints { ttl_minutes: Some(0), ..Default::default() }),
            None
        );
    }

    #[test]
    fn interval_is_bounded() {
        let mut s = FeedState::default();
        assert_eq!(interval(&s), DEFAULT_INTERVAL);
        s.hinted_minutes = Some(5);
        assert_eq!(interval(&s), DEFAULT_INTERVAL);
        s.hinted_minutes = Some(60 * 24 * 30);
        assert_eq!(interval(&s), MAX_INTERVAL);
    }

    #[test]
    fn backoff_doubles_up_to_a_day() {
        assert_eq!(backoff(1), 30 * MINUTE);
        assert_eq!(backoff(2), HOUR);
        assert_eq!(backoff(3), 2 * HOUR);
        assert_eq!(backoff(40), MAX_BACKOFF);
    }
}
