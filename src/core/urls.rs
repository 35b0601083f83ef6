//! The URL policy, in one place: which URLs Planet Reader stores, renders, follows or uses as
//! a base for others.
//!
//! | use | schemes | where |
//! |---|---|---|
//! | [`UrlUse::Web`] | `http`, `https` | every stored URL (entry and site links, enclosures, images), every base (`xml:base` on a feed or an entry, `Content-Location`, the entry link that HTML in an entry is resolved against), `src` and every other URL attribute of sanitized HTML, "open in tab" |
//! | [`UrlUse::Link`] | `http`, `https`, `mailto` | `href` of a link inside an entry's content, and a click on it in the popup |
//!
//! `data:`, `file:`, `chrome:`, `javascript:`, `vbscript:`, `blob:`, `about:` and every other
//! scheme never pass.
//!
//! The test is made on the URL as a browser reads it, **after resolution**: the WHATWG URL
//! parser (the `url` crate; the popup uses the browser's own `URL` with the same
//! [`scheme_allowed`]) removes TAB, LF and CR anywhere in a URL and leading or trailing
//! control characters and spaces, and folds the scheme's case, so `java&#x0A;script:`,
//! `java<TAB>script://` and ` JavaScript:` are all `javascript:` and refused; a relative URL
//! is resolved against its base first, so a base that is not `http(s)` cannot turn it into
//! one (a refused base is no base: the one around it stays in force).
//!
//! ```
//! use planet_reader::core::urls::{resolve, scheme_allowed, UrlUse};
//! use url::Url;
//!
//! let base = Url::parse("https://blog.example/post/").unwrap();
//! assert_eq!(resolve("img.png", Some(&base), UrlUse::Web).as_deref(), Some("https://blog.example/post/img.png"));
//! assert_eq!(resolve("java\nscript:alert(1)", Some(&base), UrlUse::Link), None);
//! assert_eq!(resolve("mailto:me@blog.example", None, UrlUse::Link).as_deref(), Some("mailto:me@blog.example"));
//! assert_eq!(resolve("mailto:me@blog.example", None, UrlUse::Web), None);
//! assert!(scheme_allowed("https:", UrlUse::Web) && !scheme_allowed("data", UrlUse::Link));
//! ```
//!
//! An allowed absolute URL is kept as the feed wrote it when its scheme is written plainly
//! and it holds no control character (ids and links are compared as strings, so rewriting
//! them would change identities); otherwise the parser's serialization is kept, so a stored
//! URL never carries a TAB or a line break. Without any base (the command-line parser
//! without `--url`), a relative URL is kept as written: it has no scheme to refuse.

use url::Url;

/// The longest URL kept (bytes): longer ones are refused. Real links are under 2 KB; a
/// `data:` image is refused anyway.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// What a URL is for; each use allows its own schemes (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// Stored, fetched, loaded, opened in a tab, or a base for other URLs: `http`, `https`.
    Web,
    /// A link in an entry's content, followed on a click: `http`, `https`, `mailto`.
    Link,
}

/// Whether a URL with this scheme may be used so. `scheme` is the parsed scheme, with or
/// without the colon the browser's `URL.protocol` gives (`"https:"`), in any case.
pub fn scheme_allowed(scheme: &str, use_: UrlUse) -> bool {
    let s = scheme.strip_suffix(':').unwrap_or(scheme);
    s.eq_ignore_ascii_case("http")
        || s.eq_ignore_ascii_case("https")
        || (use_ == UrlUse::Link && s.eq_ignore_ascii_case("mailto"))
}

/// `raw` parsed as a browser would, against `base` when given, if the result may be used as
/// `use_`. `None` for a refused scheme, an unparsable or overlong URL, and a relative URL
/// without a base.
pub fn parse(raw: &str, base: Option<&Url>, use_: UrlUse) -> Option<Url> {
    if raw.len() > MAX_URL_BYTES {
        return None;
    }
    let url = match base {
        Some(b) => b.join(raw),
        None => Url::parse(raw),
    }
    .ok()?;
    let web_host = !matches!(url.scheme(), "http" | "https") || url.host_str().is_some();
    (scheme_allowed(url.scheme(), use_) && web_host).then_some(url)
}

/// `raw` resolved against `base` and checked for `use_` (see the module doc for what is
/// kept as written). `None` when it is refused.
pub fn resolve(raw: &str, base: Option<&Url>, use_: UrlUse) -> Option<String> {
    let raw = raw.trim_matches(|c: char| c <= ' ');
    if raw.len() > MAX_URL_BYTES {
        return None;
    }
    let url = match parse(raw, base, use_) {
        Some(url) => url,
        None if base.is_none() && is_relative(raw) => return Some(raw.to_string()),
        None => return None,
    };
    // Written plainly: the scheme as it is read, its colon, and for a web URL the `//` that
    // every other reader expects too (`https:host/x` is read as `https://host/x` by the
    // URL parser alone).
    let n = url.scheme().len();
    let slashes = if url.scheme() == "mailto" { "" } else { "//" };
    let plain = raw
        .as_bytes()
        .get(..n + 1)
        .is_some_and(|s| s[..n].eq_ignore_ascii_case(url.scheme().as_bytes()) && s[n] == b':')
        && raw[n + 1..].starts_with(slashes);
    if plain && !raw.contains(|c: char| c.is_control()) {
        return Some(raw.to_string());
    }
    Some(keep_iri(raw, url.into()))
}

/// Whether `raw` is a relative reference (no scheme once parsed).
fn is_relative(raw: &str) -> bool {
    matches!(Url::parse(raw), Err(url::ParseError::RelativeUrlWithoutBase))
}

/// URL resolution percent-encodes non-ASCII characters; when the feed wrote them as
/// characters (an IRI), give them back as written (`/À`, not `/%C3%80`).
fn keep_iri(original: &str, resolved: String) -> String {
    if original.is_ascii() || !resolved.contains('%') {
        return resolved;
    }
    let b = resolved.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).filter(|v| *v >= 0x80)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://blog.example/a/b").unwrap()
    }

    #[test]
    fn script_and_local_schemes_never_pass_however_they_are_spelled() {
        for raw in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript://%0Aalert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox",
            "d\tata:text/html,<script>x</script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
            "chrome://settings",
            "chrome-extension://abc/popup.html",
            "blob:https://blog.example/1",
            "about:blank",
            "ftp://ftp.example/x",
        ] {
            for use_ in [UrlUse::Web, UrlUse::Link] {
                assert_eq!(resolve(raw, Some(&base()), use_), None, "{raw:?}");
                assert_eq!(resolve(raw, None, use_), None, "{raw:?}");
            }
        }
    }

    #[test]
    fn web_urls_resolve_and_are_kept_as_written_when_plain() {
        let b = base();
        assert_eq!(
            resolve("c", Some(&b), UrlUse::Web).as_deref(),
            Some("https://blog.example/a/c")
        );
        assert_eq!(
            resolve("HTTP://www.EXAMPLE.org/%7ebob", Some(&b), UrlUse::Web).as_deref(),
            Some("HTTP://www.EXAMPLE.org/%7ebob")
        );
        // A line break inside is removed by the parser, and what is stored is its reading.
        assert_eq!(
            resolve("https://blog.exa\nmple/x", None, UrlUse::Web).as_deref(),
            Some("https://blog.example/x")
        );
        assert_eq!(resolve("/rel", None, UrlUse::Web).as_deref(), Some("/rel"));
        assert_eq!(resolve("/À", Some(&b), UrlUse::Web).as_deref(), Some("https://blog.example/À"));
        // Found by fuzzing: a web URL without its `//` is kept as it is read.
        assert_eq!(resolve("https:1.0", None, UrlUse::Web).as_deref(), Some("https://1.0.0.0/"));
        // Found by fuzzing: a relative IRI whose bytes straddle the scheme's length.
        assert_eq!(
            resolve("ééé", Some(&b), UrlUse::Web).as_deref(),
            Some("https://blog.example/a/ééé")
        );
        assert_eq!(resolve("http://", None, UrlUse::Web), None);
        let long = format!("https://blog.example/{}", "x".repeat(MAX_URL_BYTES));
        assert_eq!(resolve(&long, None, UrlUse::Web), None);
    }

    #[test]
    fn a_refused_base_makes_nothing_absolute() {
        // `javascript://%0Aalert(1)//` as a base is refused by `parse`: callers keep the
        // base around it. Resolving against it directly is refused too.
        let evil = Url::parse("javascript://%0Aalert(document.domain)//").unwrap();
        assert_eq!(parse("javascript://%0Aalert(1)//", None, UrlUse::Web), None);
        assert_eq!(resolve("x", Some(&evil), UrlUse::Link), None);
    }

    #[test]
    fn the_scheme_rule_takes_browser_protocols() {
        assert!(scheme_allowed("https:", UrlUse::Web));
        assert!(scheme_allowed("HTTP", UrlUse::Web));
        assert!(scheme_allowed("mailto:", UrlUse::Link));
        assert!(!scheme_allowed("mailto:", UrlUse::Web));
        for s in ["javascript:", "data:", "file:", "chrome:", "vbscript:", "blob:", ""] {
            assert!(!scheme_allowed(s, UrlUse::Link), "{s}");
        }
    }
}
