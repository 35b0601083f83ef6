//! An HTTP answer as core sees it: what the fetch adapter hands over, without the browser.

use super::parse::ParseContext;
use std::collections::BTreeMap;

/// What came back for one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchResponse {
    pub status: u16,
    /// The URL the body came from, after redirects.
    pub final_url: String,
    /// Whether a redirect that the browser marked permanent (301/308) was followed.
    pub permanent_redirect: bool,
    /// Lower-cased header names.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// The body was longer than the cap and was cut there.
    pub truncated: bool,
}

impl FetchResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The URL the body came from: after redirects, else `requested`.
    pub fn url<'a>(&'a self, requested: &'a str) -> &'a str {
        if self.final_url.is_empty() {
            requested
        } else {
            &self.final_url
        }
    }

    /// How to parse the body of this answer to a request for `requested`: its URL, charset
    /// and `Content-Location`.
    pub fn parse_context<'a>(&'a self, requested: &'a str) -> ParseContext<'a> {
        ParseContext {
            url: Some(self.url(requested)),
            content_type: self.header("content-type"),
            content_location: self.header("content-location"),
        }
    }
}

/// Why a fetch produced no response at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// DNS, refused connection, offline, blocked by the browser.
    Network(String),
    Timeout,
}
