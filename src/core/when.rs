//! Dates for people: "5 min ago", "yesterday", "Oct 12". The popup passes the current time.
//!
//! [`relative`] and [`absolute`] write English and UTC. [`relative_unit`] is the choice
//! alone (which unit, how many), for `browser::intl::relative`, which writes it in the
//! user's language and time zone with `Intl`.

use super::store::{Millis, DAY, HOUR, MINUTE};
use chrono::{DateTime, Datelike};

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// How long before `now` the time `then` was, in words.
pub fn relative(now: Millis, then: Millis) -> String {
    let age = now - then;
    if !(-MINUTE..7 * DAY).contains(&age) {
        absolute(then, now)
    } else if age < MINUTE {
        "just now".to_string()
    } else if age < HOUR {
        format!("{} min ago", age / MINUTE)
    } else if age < DAY {
        format!("{} h ago", age / HOUR)
    } else if age < 2 * DAY {
        "yesterday".to_string()
    } else {
        format!("{} days ago", age / DAY)
    }
}

/// How a time is told relative to `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relative {
    /// `value` `unit`s ago (`unit` as `Intl.RelativeTimeFormat` names it: "second",
    /// "minute", "hour", "day"); 0 seconds is "now".
    Ago { value: i64, unit: &'static str },
    /// Beyond a week, or in the future: its date.
    Date,
}

/// Which unit tells how long before `now` the time `then` was (the same steps as
/// [`relative`]).
pub fn relative_unit(now: Millis, then: Millis) -> Relative {
    let age = now - then;
    let (value, unit) = if !(-MINUTE..7 * DAY).contains(&age) {
        return Relative::Date;
    } else if age < MINUTE {
        (0, "second")
    } else if age < HOUR {
        (age / MINUTE, "minute")
    } else if age < DAY {
        (age / HOUR, "hour")
    } else {
        (age / DAY, "day")
    };
    Relative::Ago { value, unit }
}

/// "Oct 12", with the year when it is not the year of `now`. UTC.
pub fn absolute(then: Millis, now: Millis) -> String {
    let (Some(t), Some(n)) =
        (DateTime::from_timestamp_millis(then), DateTime::from_timestamp_millis(now))
    else {
        return String::new();
    };
    let month = MONTHS[t.month0() as usize];
    if t.year() == n.year() {
        format!("{month} {}", t.day())
    } else {
        format!("{month} {}, {}", t.day(), t.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2025-10-16T13:43:00Z
    const NOW: Millis = 1_760_622_180_000;

    #[test]
    fn recent_times_are_relative() {
        assert_eq!(relative(NOW, NOW - 10_000), "just now");
        assert_eq!(relative(NOW, NOW - 5 * MINUTE), "5 min ago");
        assert_eq!(relative(NOW, NOW - 3 * HOUR - 1), "3 h ago");
        assert_eq!(relative(NOW, NOW - 30 * HOUR), "yesterday");
        assert_eq!(relative(NOW, NOW - 3 * DAY), "3 days ago");
    }

    #[test]
    fn the_unit_follows_the_same_steps() {
        assert_eq!(relative_unit(NOW, NOW - 10_000), Relative::Ago { value: 0, unit: "second" });
        assert_eq!(
            relative_unit(NOW, NOW - 5 * MINUTE),
            Relative::Ago { value: 5, unit: "minute" }
        );
        assert_eq!(
            relative_unit(NOW, NOW - 3 * HOUR - 1),
            Relative::Ago { value: 3, unit: "hour" }
        );
        assert_eq!(relative_unit(NOW, NOW - 30 * HOUR), Relative::Ago { value: 1, unit: "day" });
        assert_eq!(relative_unit(NOW, NOW - 10 * DAY), Relative::Date);
        assert_eq!(relative_unit(NOW, NOW + DAY), Relative::Date);
    }

    #[test]
    fn old_and_future_times_are_dates() {
        assert_eq!(relative(NOW, NOW - 10 * DAY), "Oct 6");
        assert_eq!(relative(NOW, NOW - 400 * DAY), "Sep 11, 2024");
        assert_eq!(relative(NOW, NOW + DAY), "Oct 17");
    }
}
