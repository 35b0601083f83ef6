//! Messages in the user's language: the extension's `_locales/<lang>/messages.json`
//! catalogs, read the way `chrome.i18n` reads them, for the language override (the browser
//! picks its own language for `chrome.i18n.getMessage`; a chosen one needs its own lookup).
//!
//! ```
//! use planet_reader::core::i18n::{plural_key, supported, Catalog};
//!
//! let catalog = Catalog::parse(r#"{
//!   "new_entries_one": { "message": "$COUNT$ new entry",
//!                        "placeholders": { "count": { "content": "$1" } } },
//!   "new_entries_other": { "message": "$COUNT$ new entries",
//!                          "placeholders": { "count": { "content": "$1" } } }
//! }"#).unwrap();
//! // The plural category comes from `Intl.PluralRules` in the browser.
//! let key = plural_key("new_entries", "other");
//! assert_eq!(catalog.get(&key, &["3"]).as_deref(), Some("3 new entries"));
//! assert_eq!(supported("de-AT"), Some("de"));
//! ```
//!
//! Plurals: `chrome.i18n` has none, so a counted message is one message per CLDR plural
//! category the language uses, `<key>_<category>` (`unread_one`, `unread_other`; French
//! also has `many`), picked with `Intl.PluralRules`; `_other` is the fallback and every
//! locale has it. A test (`tests/locales.rs`) checks that every locale has every message
//! (each counted one in each of its language's categories) and that every message is used.

use serde_json::Value;

/// The locales shipped in `_locales`, the default first.
pub const LOCALES: &[&str] = &["en", "de", "fr"];
/// `default_locale` of the manifest.
pub const DEFAULT_LOCALE: &str = "en";

/// A message key handed around before it is looked up (a choice's label, say): written
/// `key("…")` so that `tests/locales.rs` sees it used.
pub const fn key(k: &'static str) -> &'static str {
    k
}

/// The shipped locale for a language tag (`de`, `de-AT`, `de_CH`), if any.
pub fn supported(tag: &str) -> Option<&'static str> {
    let lang = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    LOCALES.iter().copied().find(|l| *l == lang)
}

/// The key of a counted message's form for a plural `category` (`one`, `few`, `other`…).
pub fn plural_key(base: &str, category: &str) -> String {
    format!("{base}_{category}")
}

/// One `messages.json`: key → `{message, placeholders}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog(Value);

impl Catalog {
    pub fn parse(json: &str) -> Result<Catalog, String> {
        match serde_json::from_str(json) {
            Ok(v @ Value::Object(_)) => Ok(Catalog(v)),
            Ok(_) => Err("a messages.json is not an object".into()),
            Err(e) => Err(format!("a messages.json is unreadable: {e}")),
        }
    }

    /// A catalog from its parsed JSON (as the browser's `fetch().json()` gives it).
    pub fn from_value(v: Value) -> Catalog {
        Catalog(v)
    }

    /// Every message key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.as_object().into_iter().flat_map(|o| o.keys().map(String::as_str))
    }

    /// The message `key` with `args` for `$1`… (as `chrome.i18n.getMessage(key, args)`).
    /// Keys are case-insensitive there; here they are written in lower case.
    pub fn get(&self, key: &str, args: &[&str]) -> Option<String> {
        let entry = self.0.get(key)?;
        let message = entry.get("message")?.as_str()?;
        let placeholders = entry.get("placeholders");
        Some(substitute(
            message,
            |name| {
                let lower = name.to_ascii_lowercase();
                placeholders
                    .and_then(|p| p.get(&lower))
                    .and_then(|p| p.get("content"))
                    .and_then(Value::as_str)
                    .map(|content| substitute(content, |_| None, args))
            },
            args,
        ))
    }
}

/// `message` with `$$` → `$`, `$1`…`$9` → `args`, and `$name$` → `placeholder(name)`
/// (`chrome.i18n`'s rules; an unknown placeholder or a missing argument is left empty).
pub fn substitute(
    message: &str,
    placeholder: impl Fn(&str) -> Option<String>,
    args: &[&str],
) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let next = rest.chars().next();
        match next {
            Some('$') => {
                out.push('$');
                rest = &rest[1..];
            }
            Some(d @ '1'..='9') => {
                let n = d as usize - '1' as usize;
                out.push_str(args.get(n).copied().unwrap_or(""));
                rest = &rest[1..];
            }
            _ => match rest.find('$') {
                Some(end)
                    if end > 0
                        && rest[..end]
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@') =>
                {
                    out.push_str(&placeholder(&rest[..end]).unwrap_or_default());
                    rest = &rest[end + 1..];
                }
                _ => out.push('$'),
            },
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_arguments_and_dollars_are_substituted_as_chrome_does() {
        let c = Catalog::parse(
            r#"{ "greet": { "message": "Hello $Who$, you owe $$$AMOUNT$ ($2)",
                            "placeholders": { "who": { "content": "$1" }, "amount": { "content": "$2.00" } } },
                 "plain": { "message": "No $ sign here $" } }"#,
        )
        .unwrap();
        assert_eq!(c.get("greet", &["Ada", "5"]).unwrap(), "Hello Ada, you owe $5.00 (5)");
        assert_eq!(c.get("greet", &[]).unwrap(), "Hello , you owe $.00 ()");
        assert_eq!(c.get("plain", &[]).unwrap(), "No $ sign here $");
        assert_eq!(c.get("missing", &[]), None);
        assert_eq!(c.keys().collect::<Vec<_>>(), ["greet", "plain"]);
    }

    #[test]
    fn a_catalog_must_be_an_object() {
        assert!(Catalog::parse("[]").is_err());
        assert!(Catalog::parse("{").is_err());
    }

    #[test]
    fn language_tags_find_their_locale() {
        assert_eq!(supported("en-US"), Some("en"));
        assert_eq!(supported("DE"), Some("de"));
        assert_eq!(supported("fr_CA"), Some("fr"));
        assert_eq!(supported("pt-BR"), None);
        assert_eq!(supported(""), None);
    }
}
