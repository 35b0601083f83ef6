//! Feed discovery: the feeds of the page in the current tab, or of an address the user typed.
//!
//! Candidates come from `core::discovery` (the page's `<link>`s and `<a>`s, the page itself
//! when it is a feed); each is verified by fetching and parsing it, and the popup is shown
//! only what parsed, folded when one feed is reached at two URLs (its versions in other
//! formats ride along as the row's alternatives, for the person to pick). Well-known paths (`/feed`,
//! `/index.xml` ...) are probed only when the page leads to no feed: a blog that declares its
//! feed need not be sent fifteen guesses, and one that declares nothing still gets found.
//!
//! Verifying needs host access to the candidate's origin. The page's own origin is covered
//! by activeTab while the popup is open; a declared feed elsewhere (feeds.example.net) may
//! not be, and is then listed as declared but not checked. Subscribing asks for access.
//!
//! A hostile page cannot make discovery a flood: at most `MAX_CHECKED` candidates (20, the
//! best-ranked) are fetched, the others listed unchecked; every discovery request is sent
//! without credentials (no cookies, no HTTP authentication), since the user has granted
//! nothing yet.

use super::{Platform, Result, Service, ServiceError};
use crate::core::discovery::{
    candidates, fold_verified, links_from_html, mark_subscribed, page_text, to_check, user_url,
    well_known_candidates, Candidate, CandidateSource, Verified, MAX_CHECKED,
};
use crate::core::parse::{parse, ParseErrorKind};
use crate::ports::{FetchFailure, FetchRequest, FetchResponse, Fetcher, Pages, Permissions};
use crate::protocol::{Discovery, FoundFeed};
use futures::stream::{self, StreamExt};

/// A candidate's check.
const CHECK_TIMEOUT_MS: u32 = 10_000;
const CHECK_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Candidates checked at the same time.
const CHECK_CONCURRENCY: usize = 4;

/// What checking one candidate gave.
enum Checked {
    Feed(Box<Verified>),
    /// Not a feed (a 404, an HTML page): dropped.
    NotAFeed,
    /// Could not be checked (no access, no answer): kept only if the page declared it.
    Unchecked(Candidate, String),
}

impl<P: Platform> Service<P> {
    /// The feeds of the page in tab `tab_id`.
    pub async fn discover_tab(&self, tab_id: i32) -> Result<Discovery> {
        let page = self
            .platform
            .pages()
            .read_tab(tab_id)
            .await
            .map_err(|e| ServiceError(format!("Planet Reader cannot read this page ({e})")))?;
        let mut found = Vec::new();
        if page.content_type.as_deref().is_some_and(is_feed_type) {
            found.push(page_candidate(&page.url));
        }
        found.extend(candidates(&page.url, &page.links));
        self.discover(&page.url, found).await
    }

    /// The feeds of an address the user typed: a feed itself, or a page that leads to one.
    pub async fn discover_url(&self, input: &str) -> Result<Discovery> {
        let url = user_url(input)
            .ok_or_else(|| ServiceError(format!("“{}” is not a web address", input.trim())))?;
        let response = self.fetch_candidate(&url).await.map_err(|e| {
            ServiceError(match e {
                FetchFailure::Timeout => format!("{url} did not answer"),
                FetchFailure::Network(detail) => format!("could not reach {url} ({detail})"),
            })
        })?;
        let page_url = response.url(&url).to_string();
        if !(200..300).contains(&response.status) {
            // A site whose front page answers an error (a bare server, a 404 at the root)
            // may still serve a feed at a usual address: probe those before giving up.
            let probes = self.check_all(well_known_candidates(&page_url)).await;
            let found: Vec<Checked> =
                probes.into_iter().filter(|c| matches!(c, Checked::Feed(_))).collect();
            if found.is_empty() {
                return Err(ServiceError(format!(
                    "{url} answered HTTP {}, and no feed was found at the usual addresses",
                    response.status
                )));
            }
            return self.finish(&page_url, found).await;
        }
        match parse(&response.body, &response.parse_context(&url)) {
            Ok(feed) => {
                let verified = Verified::new(page_candidate(&page_url), &feed);
                self.finish(&page_url, vec![Checked::Feed(Box::new(verified))]).await
            }
            Err(e) if e.kind == ParseErrorKind::HtmlPage => {
                let html = page_text(&response.body, response.header("content-type"));
                let links = links_from_html(&html, &page_url);
                self.discover(&page_url, candidates(&page_url, &links)).await
            }
            Err(e) => Err(ServiceError(format!("{page_url}: {e}"))),
        }
    }

    /// Check `found` (at most `MAX_CHECKED`, the others are listed unchecked); if none is a
    /// feed, probe the well-known paths.
    async fn discover(&self, page_url: &str, found: Vec<Candidate>) -> Result<Discovery> {
        let (found, unchecked) = to_check(found);
        let mut checked = self.check_all(found).await;
        let why = format!("not checked: the page offers more than {MAX_CHECKED} feeds");
        checked.extend(unchecked.into_iter().map(|c| Checked::Unchecked(c, why.clone())));
        if !checked.iter().any(|c| matches!(c, Checked::Feed(_))) {
            let probes = self.check_all(well_known_candidates(page_url)).await;
            checked.extend(probes.into_iter().filter(|c| matches!(c, Checked::Feed(_))));
        }
        self.finish(page_url, checked).await
    }

    /// Check candidates, `CHECK_CONCURRENCY` at a time, keeping their order.
    async fn check_all(&self, found: Vec<Candidate>) -> Vec<Checked> {
        stream::iter(found).map(|c| self.check(c)).buffered(CHECK_CONCURRENCY).collect().await
    }

    async fn check(&self, candidate: Candidate) -> Checked {
        let response = match self.fetch_candidate(&candidate.url).await {
            Ok(r) if (200..300).contains(&r.status) => r,
            Ok(r) if matches!(r.status, 401 | 403) => {
                return Checked::Unchecked(
                    candidate,
                    format!("the server answered HTTP {}", r.status),
                )
            }
            Ok(_) => return Checked::NotAFeed,
            Err(e) => {
                let why = if !self.platform.permissions().allows(&candidate.url).await {
                    "not checked: Planet Reader may not read that site yet".to_string()
                } else if e == FetchFailure::Timeout {
                    "not checked: the server did not answer".to_string()
                } else {
                    "not checked: the server could not be reached".to_string()
                };
                return Checked::Unchecked(candidate, why);
            }
        };
        match parse(&response.body, &response.parse_context(&candidate.url)) {
            Ok(feed) => Checked::Feed(Box::new(Verified::new(candidate, &feed))),
            Err(_) => Checked::NotAFeed,
        }
    }

    async fn fetch_candidate(&self, url: &str) -> std::result::Result<FetchResponse, FetchFailure> {
        let request = FetchRequest {
            url: url.to_string(),
            etag: None,
            last_modified: None,
            timeout_ms: CHECK_TIMEOUT_MS,
            max_bytes: CHECK_MAX_BYTES,
            // The user has granted nothing yet: their cookies stay home.
            anonymous: true,
        };
        self.platform.fetcher().fetch(&request).await
    }

    /// Fold, mark what is subscribed, and keep declared feeds that could not be checked.
    async fn finish(&self, page_url: &str, checked: Vec<Checked>) -> Result<Discovery> {
        let subs = self.local().subscriptions().await?;
        let mut verified = Vec::new();
        let mut unchecked = Vec::new();
        for c in checked {
            match c {
                Checked::Feed(v) => verified.push(*v),
                Checked::Unchecked(c, why) if c.source != CandidateSource::WellKnown => {
                    unchecked.push((c, why))
                }
                _ => {}
            }
        }
        let mut verified = fold_verified(verified);
        mark_subscribed(&mut verified, subs.iter().map(|s| s.url.as_str()));
        let mut feeds: Vec<FoundFeed> = verified
            .into_iter()
            .map(|v| FoundFeed {
                url: v.candidate.url,
                title: v.title.or(v.candidate.title),
                format: Some(v.format),
                family: Some(v.family),
                entries: Some(v.entry_count),
                alternatives: v.alternatives,
                source: v.candidate.source,
                subscribed: v.subscribed,
                problem: None,
            })
            .collect();
        let subscribed: Vec<String> =
            subs.iter().map(|s| crate::core::identity::normalize_url(&s.url)).collect();
        for (c, why) in unchecked {
            if feeds.iter().any(|f| f.url == c.url) {
                continue;
            }
            feeds.push(FoundFeed {
                subscribed: subscribed.contains(&crate::core::identity::normalize_url(&c.url)),
                url: c.url,
                title: c.title,
                format: None,
                family: None,
                entries: None,
                alternatives: Vec::new(),
                source: c.source,
                problem: Some(why),
            });
        }
        Ok(Discovery { page_url: page_url.to_string(), feeds })
    }
}

fn page_candidate(url: &str) -> Candidate {
    Candidate {
        url: url.to_string(),
        title: None,
        mime_type: None,
        source: CandidateSource::PageIsFeed,
    }
}

/// Whether a document's content type is a feed's (a feed opened in a tab).
fn is_feed_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/rss+xml"
            | "application/atom+xml"
            | "application/rdf+xml"
            | "application/feed+json"
            | "application/xml"
            | "text/xml"
    )
}
