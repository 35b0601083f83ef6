//! What one fetch of a feed means, and how it changes the feed's stored state.
//!
//! The service fetches; everything it then decides is here: whether the answer is "not
//! modified" (a 304, or a body identical to the last one parsed: not parsed again), a feed to
//! ingest, or a failure a user can read; and when the feed is due next.

use super::http::{FetchFailure, FetchResponse};
use super::identity::short_hash;
use super::model::Feed;
use super::parse::parse;
use super::schedule;
use super::store::{Check, FeedError, FeedId, FeedState, Millis};

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

/// What a fetch means before anything is parsed: a final outcome, or a body to parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Precheck {
    Done(Outcome),
    /// A changed body: parse it ([`parse_body`]).
    Parse {
        body_hash: String,
    },
}

/// The cheap part of interpreting a fetch: its status, size and body hash against the
/// feed's stored `state`. A body that stopped the worker before ([`FeedState::poison`]) is
/// not parsed again.
pub fn precheck(
    result: &Result<FetchResponse, FetchFailure>,
    state: &FeedState,
    limits: Limits,
) -> Precheck {
    let response = match result {
        Ok(r) => r,
        Err(FetchFailure::Timeout) => {
            return Precheck::Done(Outcome::Failed(FeedError::Timeout {
                seconds: limits.timeout_ms / 1000,
            }))
        }
        Err(FetchFailure::Network(detail)) => {
            return Precheck::Done(Outcome::Failed(FeedError::Network { detail: detail.clone() }))
        }
    };
    let fail = |e| Precheck::Done(Outcome::Failed(e));
    match response.status {
        304 => return Precheck::Done(Outcome::NotModified),
        410 => return fail(FeedError::Gone),
        200..=299 => {}
        status => return fail(FeedError::Http { status }),
    }
    if response.truncated {
        return fail(FeedError::TooLarge { limit: limits.max_bytes });
    }
    let body_hash = short_hash(&response.body);
    if state.body_hash.as_deref() == Some(body_hash.as_str()) {
        return Precheck::Done(Outcome::NotModified);
    }
    if state.poison.as_deref() == Some(body_hash.as_str()) {
        return fail(FeedError::Stalled);
    }
    Precheck::Parse { body_hash }
}

/// The heavy part: parse the body of `response` (fetched for `url`).
pub fn parse_body(response: &FetchResponse, url: &str, body_hash: String) -> Outcome {
    let ctx = response.parse_context(url);
    match parse(&response.body, &ctx) {
        Ok(feed) => Outcome::Feed {
            feed: Box::new(feed),
            body_hash,
            base: ctx.base().map(|u| u.to_string()),
        },
        Err(e) => Outcome::Failed(FeedError::Parse { detail: e.to_string() }),
    }
}

/// Interpret a fetch of `url` given the feed's stored `state`: [`precheck`], then
/// [`parse_body`] when there is something to parse.
pub fn interpret(
    result: &Result<FetchResponse, FetchFailure>,
    state: &FeedState,
    url: &str,
    limits: Limits,
) -> Outcome {
    match (precheck(result, state, limits), result) {
        (Precheck::Parse { body_hash }, Ok(response)) => parse_body(response, url, body_hash),
        (Precheck::Done(outcome), _) => outcome,
        (Precheck::Parse { .. }, Err(_)) => unreachable!("a failed fetch has nothing to parse"),
    }
}

/// Record that reading the body `body_hash` of a feed stopped the worker (its attempt
/// marker outlived the worker): it is not parsed again, and the feed backs off like any
/// failure. Returns its next [`Check`].
pub fn record_stall(state: &mut FeedState, id: &FeedId, body_hash: &str, now: Millis) -> Check {
    state.poison = Some(body_hash.to_string());
    record(state, id, &Outcome::Failed(FeedError::Stalled), None, now, schedule::DEFAULT_INTERVAL)
}

/// The URL a feed has moved to, when the fetch followed only permanent redirects (301,
/// 308) to a working answer: the subscription takes the new URL.
pub fn moved_to(result: &Result<FetchResponse, FetchFailure>, url: &str) -> Option<String> {
    let r = result.as_ref().ok()?;
    let works = (200..300).contains(&r.status) || r.status == 304;
    (works && r.permanent_redirect && !r.final_url.is_empty() && r.final_url != url)
        .then(|| r.final_url.clone())
}

/// Record in `state` what a fetch of feed `id` at `now` gave, and return the feed's new
/// [`Check`] (when it was checked, when it is due next: `base`, its refresh interval, after
/// a fetch that worked). `response` supplies the validators and the server's timing
/// headers.
pub fn record(
    state: &mut FeedState,
    id: &FeedId,
    outcome: &Outcome,
    response: Option<&FetchResponse>,
    now: Millis,
    base: Millis,
) -> Check {
    match outcome {
        Outcome::Failed(error) => {
            state.failures = state.failures.saturating_add(1);
            state.last_error = Some(error.clone());
            if *error == FeedError::Gone {
                state.gone = true;
                state.retry_at = None;
                return Check { at: now, next: now };
            }
            let asked = response
                .filter(|r| matches!(r.status, 429 | 503))
                .and_then(|r| r.header("retry-after"))
                .and_then(|v| schedule::retry_after(v, now));
            let wait = asked.unwrap_or_else(|| schedule::backoff(id, state.failures));
            state.retry_at = Some(now + wait);
            Check { at: now, next: now + wait }
        }
        Outcome::NotModified | Outcome::Feed { .. } => {
            state.failures = 0;
            state.last_error = None;
            state.retry_at = None;
            state.gone = false;
            if let Some(r) = response {
                // A 304 may carry fresh validators; a 200 replaces them (or drops them).
                if r.status != 304 || r.header("etag").is_some() {
                    state.etag = r.header("etag").map(str::to_string);
                }
                if r.status != 304 || r.header("last-modified").is_some() {
                    state.last_modified = r.header("last-modified").map(str::to_string);
                }
            }
            if let Outcome::Feed { feed, body_hash, .. } = outcome {
                state.poison = None;
                let max_age =
                    response.and_then(|r| r.header("cache-control")).and_then(schedule::max_age);
                state.body_hash = Some(body_hash.clone());
                state.title = feed.title.as_ref().map(|t| t.to_plain()).filter(|t| !t.is_empty());
                state.site_link = feed.link.clone();
                state.image = feed.image.clone();
                state.format = Some(feed.format.label().to_string());
                state.hinted_minutes = schedule::hinted_minutes(&feed.hints, max_age);
                state.changed = Some(now);
            }
            Check { at: now, next: now + schedule::interval(state, base) }
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

    fn id() -> FeedId {
        FeedId("f".into())
    }

    #[test]
    fn failures_back_off_and_success_resets() {
        let mut s = FeedState::default();
        let failed = Outcome::Failed(FeedError::Http { status: 500 });
        record(&mut s, &id(), &failed, None, 0, schedule::DEFAULT_INTERVAL);
        let check = record(&mut s, &id(), &failed, None, 0, schedule::DEFAULT_INTERVAL);
        assert_eq!(s.failures, 2);
        assert_eq!(check.next, schedule::backoff(&id(), 2));
        assert_eq!(s.retry_at, Some(check.next));
        let check =
            record(&mut s, &id(), &Outcome::NotModified, None, 10, schedule::DEFAULT_INTERVAL);
        assert_eq!((s.failures, s.last_error.clone(), s.retry_at), (0, None, None));
        assert_eq!(check, Check { at: 10, next: 10 + schedule::DEFAULT_INTERVAL });
    }

    #[test]
    fn retry_after_is_honoured_on_429_and_503_only() {
        let mut r = response(429, "").unwrap();
        r.headers.insert("retry-after".into(), "600".into());
        let mut s = FeedState::default();
        let outcome = interpret(&Ok(r.clone()), &s, "u", Limits::default());
        let check = record(&mut s, &id(), &outcome, Some(&r), 0, schedule::DEFAULT_INTERVAL);
        assert_eq!(check.next, 600_000);
        r.status = 500;
        let mut s = FeedState::default();
        let outcome = interpret(&Ok(r.clone()), &s, "u", Limits::default());
        assert_eq!(
            record(&mut s, &id(), &outcome, Some(&r), 0, schedule::DEFAULT_INTERVAL).next,
            schedule::backoff(&id(), 1)
        );
    }

    #[test]
    fn a_body_that_stopped_the_worker_is_not_parsed_again_but_a_new_one_is() {
        let body = "<rss version='2.0'><channel><title>T</title></channel></rss>";
        let mut s = FeedState::default();
        let check = record_stall(&mut s, &id(), &short_hash(body.as_bytes()), 0);
        assert_eq!(s.last_error, Some(FeedError::Stalled));
        assert_eq!(check.next, schedule::backoff(&id(), 1));
        let l = Limits::default();
        assert_eq!(
            precheck(&response(200, body), &s, l),
            Precheck::Done(Outcome::Failed(FeedError::Stalled))
        );
        let changed = format!("{body} ");
        let outcome = interpret(&response(200, &changed), &s, "u", l);
        assert!(matches!(outcome, Outcome::Feed { .. }), "{outcome:?}");
        record(&mut s, &id(), &outcome, None, 5, schedule::DEFAULT_INTERVAL);
        assert_eq!((s.poison, s.last_error), (None, None));
    }

    #[test]
    fn a_parsed_feed_leaves_its_title_site_and_image_in_the_state() {
        let body = "<rss version='2.0'><channel><title>T</title><link>https://example.org/</link>\
                    <image><url>https://example.org/logo.png</url></image></channel></rss>";
        let mut s = FeedState::default();
        let outcome = interpret(&response(200, body), &s, "u", Limits::default());
        record(&mut s, &id(), &outcome, None, 5, schedule::DEFAULT_INTERVAL);
        assert_eq!(s.title.as_deref(), Some("T"));
        assert_eq!(s.site_link.as_deref(), Some("https://example.org/"));
        assert_eq!(s.image.as_deref(), Some("https://example.org/logo.png"));
    }

    #[test]
    fn gone_stops_polling_until_a_fetch_works_again() {
        let mut s = FeedState::default();
        record(
            &mut s,
            &id(),
            &Outcome::Failed(FeedError::Gone),
            None,
            0,
            schedule::DEFAULT_INTERVAL,
        );
        assert!(s.gone);
        assert_eq!(s.due_at(None), None);
        record(&mut s, &id(), &Outcome::NotModified, None, 5, schedule::DEFAULT_INTERVAL);
        assert!(!s.gone);
    }

    #[test]
    fn a_304_changes_nothing_durable() {
        let mut ok =
            response(200, "<rss version='2.0'><channel><title>T</title></channel></rss>").unwrap();
        ok.headers.insert("etag".into(), "\"v1\"".into());
        let mut s = FeedState::default();
        let outcome = interpret(&Ok(ok.clone()), &s, "u", Limits::default());
        record(&mut s, &id(), &outcome, Some(&ok), 0, schedule::DEFAULT_INTERVAL);
        assert_eq!(s.etag.as_deref(), Some("\"v1\""));
        let before = s.clone();
        let not_modified = response(304, "").unwrap();
        let outcome = interpret(&Ok(not_modified.clone()), &s, "u", Limits::default());
        let check = record(
            &mut s,
            &id(),
            &outcome,
            Some(&not_modified),
            60_000,
            schedule::DEFAULT_INTERVAL,
        );
        assert_eq!(s, before, "nothing to write");
        assert_eq!(check.at, 60_000);
    }

    #[test]
    fn only_a_permanent_redirect_to_a_working_answer_moves_the_feed() {
        let mut r = response(200, "").unwrap();
        r.final_url = "https://new.example/feed".into();
        assert_eq!(moved_to(&Ok(r.clone()), "https://old.example/feed"), None, "temporary");
        r.permanent_redirect = true;
        assert_eq!(
            moved_to(&Ok(r.clone()), "https://old.example/feed").as_deref(),
            Some("https://new.example/feed")
        );
        r.status = 404;
        assert_eq!(moved_to(&Ok(r), "https://old.example/feed"), None);
    }
}
