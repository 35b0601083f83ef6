//! What one fetch of a feed means, and how it changes the feed's stored state.
//!
//! The service fetches; everything it then decides is here: whether the answer is "not
//! modified" (a 304, or a body identical to the last one parsed: not parsed again), a feed to
//! ingest, or a failure a user can read; and when the feed is due next.

use super::http::{FetchFailure, FetchResponse};
use super::identity::short_hash;
use super::model::Feed;
use super::parse::{parse, ParseContext};
use super::schedule;
use super::store::{FeedError, FeedState, Millis};

/// The limits a fetch runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub timeout_ms: u32,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        // 20 s keeps a slow server from outliving the service worker (Chrome stops a worker
        // whose fetch takes longer than 30 s). 10 MB is larger than any sane feed.
        Limits { timeout_ms: 20_000, max_bytes: 10 * 1024 * 1024 }
    }
}

/// The meaning of one fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 304, or the same bytes as last time: nothing to parse.
    NotModified,
    /// A feed to ingest; `base` is the document's base URL (for `ingest`).
    Feed {
        feed: Box<Feed>,
        body_hash: String,
        base: Option<String>,
    },
    Failed(FeedError),
}

/// Interpret a fetch of `url` given the feed's stored `state`.
pub fn interpret(
    result: &Result<FetchResponse, FetchFailure>,
    state: &FeedState,
    url: &str,
    limits: Limits,
) -> Outcome {
    let response = match result {
        Ok(r) => r,
        Err(FetchFailure::Timeout) => {
            return Outcome::Failed(FeedError::Timeout { seconds: limits.timeout_ms / 1000 })
        }
        Err(FetchFailure::Network(detail)) => {
            return Outcome::Failed(FeedError::Network { detail: detail.clone() })
        }
    };
    match response.status {
        304 => return Outcome::NotModified,
        410 => return Outcome::Failed(FeedError::Gone),
        200..=299 => {}
        status => return Outcome::Failed(FeedError::Http { status }),
    }
    if response.truncated {
        return Outcome::Failed(FeedError::TooLarge { limit: limits.max_bytes });
    }
    let body_hash = short_hash(&response.body);
    if state.body_hash.as_deref() == Some(body_hash.as_str()) {
        return Outcome::NotModified;
    }
    let final_url = if response.final_url.is_empty() { url } else { &response.final_url };
    let ctx = ParseContext {
        url: Some(final_url),
        content_type: response.header("content-type"),
        content_location: response.header("content-location"),
    };
    match parse(&response.body, &ctx) {
        Ok(feed) => Outcome::Feed {
            feed: Box::new(feed),
            body_hash,
            base: ctx.base().map(|u| u.to_string()),
        },
        Err(e) => Outcome::Failed(FeedError::Parse { detail: e.to_string() }),
    }
}

/// Record in `state` what a fetch at `now` gave; `response` supplies the validators.
pub fn record(
    state: &mut FeedState,
    outcome: &Outcome,
    response: Option<&FetchResponse>,
    now: Millis,
) {
    state.last_attempt = Some(now);
    match outcome {
        Outcome::Failed(error) => {
            state.failures = state.failures.saturating_add(1);
            state.last_error = Some(error.clone());
            state.next_due = now + schedule::backoff(state.failures);
        }
        Outcome::NotModified | Outcome::Feed { .. } => {
            state.failures = 0;
            state.last_error = None;
            state.last_success = Some(now);
            if let Some(r) = response.filter(|r| r.status != 304) {
                state.etag = r.header("etag").map(str::to_string);
                state.last_modified = r.header("last-modified").map(str::to_string);
            }
            if let Outcome::Feed { feed, body_hash, .. } = outcome {
                state.body_hash = Some(body_hash.clone());
                state.title = feed.title.as_ref().map(|t| t.to_plain()).filter(|t| !t.is_empty());
                state.site_link = feed.link.clone();
                state.format = Some(feed.format.label().to_string());
                state.hinted_minutes = schedule::hinted_minutes(&feed.hints);
            }
            state.next_due = now + schedule::interval(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Result<FetchResponse, FetchFailure> {
        Ok(FetchResponse {
            status,
            final_url: "https://example.org/feed".into(),
            body: body.as_bytes().to_vec(),
            ..Default::default()
        })
    }

    #[test]
    fn errors_are_stated_in_words() {
        let s = FeedState::default();
        let l = Limits::default();
        assert_eq!(
            interpret(&response(500, ""), &s, "u", l),
            Outcome::Failed(FeedError::Http { status: 500 })
        );
        assert_eq!(interpret(&response(410, ""), &s, "u", l), Outcome::Failed(FeedError::Gone));
        assert_eq!(
            interpret(&Err(FetchFailure::Timeout), &s, "u", l),
            Outcome::Failed(FeedError::Timeout { seconds: 20 })
        );
        assert_eq!(interpret(&response(304, ""), &s, "u", l), Outcome::NotModified);
    }

    #[test]
    fn a_body_identical_to_the_last_one_parsed_is_not_parsed_again() {
        let body = "<not even a feed>";
        let s = FeedState { body_hash: Some(short_hash(body.as_bytes())), ..Default::default() };
        assert_eq!(
            interpret(&response(200, body), &s, "u", Limits::default()),
            Outcome::NotModified
        );
    }

    #[test]
    fn a_cut_body_is_too_large() {
        let mut r = response(200, "<rss>").unwrap();
        r.truncated = true;
        assert_eq!(
            interpret(&Ok(r), &FeedState::default(), "u", Limits { timeout_ms: 1, max_bytes: 5 }),
            Outcome::Failed(FeedError::TooLarge { limit: 5 })
        );
    }

    #[test]
    fn failures_back_off_and_success_resets() {
        let mut s = FeedState::default();
        let failed = Outcome::Failed(FeedError::Http { status: 500 });
        record(&mut s, &failed, None, 0);
        record(&mut s, &failed, None, 0);
        assert_eq!(s.failures, 2);
        assert_eq!(s.next_due, schedule::backoff(2));
        record(&mut s, &Outcome::NotModified, None, 10);
        assert_eq!((s.failures, s.last_error.clone(), s.last_success), (0, None, Some(10)));
        assert_eq!(s.next_due, 10 + schedule::DEFAULT_INTERVAL);
    }
}
