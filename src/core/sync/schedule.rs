//! When to write to `storage.sync`: after the user pauses (debounce), not later than a
//! bound while they keep going, and never faster than the write-rate quotas allow.
//!
//! Assumption, from Chromium's quota service (`extensions/browser/quota_service.h`, the
//! `TimedLimit` heuristics `storage.sync` registers): every call of `set()`, `remove()` or
//! `clear()` is one write operation, however many keys it carries, and the limits are counted
//! per fixed interval. A rolling window (what is counted here) never lets more calls through
//! than fixed intervals would, so it is safe under either reading. Other code that writes to
//! `storage.sync` (settings) shares the quota: its calls belong in `past_writes` too.

use crate::core::store::{Millis, HOUR, MINUTE};

/// The limits the scheduler keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLimits {
    /// Wait this long after the last local change (the user marking entries one by one).
    pub debounce: Millis,
    /// But never longer than this after the first change not yet written.
    pub max_delay: Millis,
    /// `MAX_WRITE_OPERATIONS_PER_MINUTE`.
    pub per_minute: usize,
    /// `MAX_WRITE_OPERATIONS_PER_HOUR`.
    pub per_hour: usize,
}

impl Default for WriteLimits {
    fn default() -> Self {
        WriteLimits { debounce: 3_000, max_delay: 30_000, per_minute: 120, per_hour: 1_800 }
    }
}

/// The scheduler's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteWhen {
    Now,
    /// Ask again at this time (milliseconds).
    At(Millis),
}

/// When to make a write of `operations` calls (1 or 2: see `Diff::operations`) for changes
/// pending since `first_change`, the last at `last_change`, given the times of past write
/// calls (any order; older than an hour they no longer matter).
pub fn when_to_write(
    first_change: Millis,
    last_change: Millis,
    past_writes: &[Millis],
    operations: usize,
    now: Millis,
    limits: &WriteLimits,
) -> WriteWhen {
    let mut writes = past_writes.to_vec();
    writes.sort_unstable();
    let ready = (last_change + limits.debounce).min(first_change + limits.max_delay);
    let mut t = now.max(ready);
    loop {
        let next = earliest(t, &writes, operations, MINUTE, limits.per_minute);
        let next = earliest(next, &writes, operations, HOUR, limits.per_hour);
        if next == t {
            break;
        }
        t = next;
    }
    if t <= now {
        WriteWhen::Now
    } else {
        WriteWhen::At(t)
    }
}

/// The first time from `t` at which `operations` more calls keep every window of `window`
/// ending then at `limit` calls or fewer.
fn earliest(
    t: Millis,
    sorted: &[Millis],
    operations: usize,
    window: Millis,
    limit: usize,
) -> Millis {
    let operations = operations.min(limit);
    // Calls in (t - window, ...]: later ones (a clock set back) count as well.
    let start = sorted.partition_point(|&w| w <= t - window);
    let counted = sorted.len() - start;
    match (counted + operations).checked_sub(limit) {
        Some(excess) if excess > 0 => sorted[start + excess - 1] + window,
        _ => t,
    }
}

/// The write times worth keeping (the last hour's), for the service to store.
pub fn recent_writes(past_writes: &[Millis], now: Millis) -> Vec<Millis> {
    let mut w: Vec<Millis> = past_writes.iter().copied().filter(|&w| w > now - HOUR).collect();
    w.sort_unstable();
    w
}

/// When to try again after the browser refused a write for its rate (`MAX_WRITE_OPERATIONS_*`
/// exceeded: someone else wrote too): one minute, doubling with each refusal in a row, up to
/// an hour.
pub fn retry_after_rate_error(now: Millis, refusals_in_a_row: u32) -> Millis {
    let doublings = refusals_in_a_row.saturating_sub(1).min(6);
    now + (MINUTE << doublings).min(HOUR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_waits_for_the_oldest_call_to_leave_the_window() {
        let writes = [0, 10, 20];
        assert_eq!(earliest(30, &writes, 1, 100, 4), 30);
        assert_eq!(earliest(30, &writes, 1, 100, 3), 100);
        assert_eq!(earliest(30, &writes, 2, 100, 3), 110);
        assert_eq!(earliest(150, &writes, 2, 100, 3), 150);
    }
}
