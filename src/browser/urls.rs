//! URLs read by the browser's own (WHATWG) parser, `URL`: the popup uses it instead of the
//! `url` crate, which with its IDNA tables would double the popup's wasm.
//!
//! <https://developer.mozilla.org/docs/Web/API/URL>

use crate::core::urls::{scheme_allowed, UrlUse};
use web_sys::Url;

/// `href` as the browser reads it (it must be absolute), if the URL policy of `core::urls`
/// lets it be used as `use_`: the serialized URL, which is what must be opened (the string
/// checked and the string opened are the same).
pub fn allowed(href: &str, use_: UrlUse) -> Option<String> {
    let url = Url::new(href).ok()?;
    scheme_allowed(&url.protocol(), use_).then(|| url.href())
}

/// The `http(s)` address a user typed, as `core::discovery::user_url` reads it (the worker
/// checks it again with that function): `https://` assumed when no scheme is given, the
/// `feed:` scheme unwrapped, anything but http(s) refused.
pub fn typed(input: &str) -> Option<String> {
    let input = input.trim();
    let unwrapped = match input.get(..5) {
        Some(scheme) if scheme.eq_ignore_ascii_case("feed:") => match &input[5..] {
            rest if rest.starts_with("//") => format!("http:{rest}"),
            rest => rest.to_string(),
        },
        _ => input.to_string(),
    };
    let full = if unwrapped.contains("://") { unwrapped } else { format!("https://{unwrapped}") };
    let url = Url::new(&full).ok()?;
    (matches!(url.protocol().as_str(), "http:" | "https:") && is_host(&url.hostname()))
        .then(|| url.href())
}

/// Whether a parsed URL's hostname names a host one can subscribe at: a domain of letters,
/// digits and hyphens (IDNs come punycoded) with a dot, `localhost`, or an IP address.
/// Chromium's parser lets "not a url" through as the host `not%20a%20url`.
fn is_host(host: &str) -> bool {
    if host.starts_with('[') {
        return host.ends_with(']');
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    labels_ok && (host.contains('.') || host == "localhost")
}

/// The host of `url` ("example.org"), or the text itself when it is not a URL.
pub fn host(url: &str) -> String {
    Url::new(url).map(|u| u.hostname()).unwrap_or_else(|_| url.to_string())
}

/// The match pattern for the origin of `url`: `https://example.org/*`.
pub fn origin_pattern(url: &str) -> Option<String> {
    let u = Url::new(url).ok()?;
    Some(format!("{}//{}/*", u.protocol(), u.hostname()))
}
