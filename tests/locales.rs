//! The locales in `public/_locales` are complete and nothing in them is dead: every message
//! the sources name is in every locale (a counted message in each plural category of that
//! locale's language), every message of a locale is named somewhere, and each translation
//! takes the same placeholders as the English one.
//!
//! The sources name a message as `tr("key")`, `tr_args("key", …)`, `tr_plural("key", …)`
//! (a counted one: `key_one`, `key_other`…), `key("key")` (handed around before it is
//! looked up), `get_message("key"` (the browser's own lookup), `getMessage("key"` (the
//! same, from the pages' JavaScript) or `__MSG_key__` (the manifest). A key written any other way is not seen, and fails this test.

use planet_reader::core::i18n::{Catalog, DEFAULT_LOCALE, LOCALES};
use planet_reader::core::store::FeedError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// CLDR's plural categories for cardinal numbers, by language (what `Intl.PluralRules`
/// answers): <https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html>.
fn categories(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" | "de" => &["one", "other"],
        "fr" => &["one", "many", "other"],
        other => panic!("no plural categories written down for {other}: add them here"),
    }
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "js" | "html" | "json")
        ) {
            out.push(path);
        }
    }
}

/// The message keys `text` names: plain keys into `plain`, counted bases into `counted`,
/// each with `name` (where it was seen).
fn scan(
    text: &str,
    name: &str,
    plain: &mut BTreeMap<String, String>,
    counted: &mut BTreeMap<String, String>,
) {
    let is_key =
        |k: &str| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    for (call, plural) in [
        ("tr(\"", false),
        ("tr_args(\"", false),
        ("tr_plural(\"", true),
        ("key(\"", false),
        ("get_message(\"", false),
        ("getMessage(\"", false),
    ] {
        for (at, _) in text.match_indices(call) {
            // Not `xtr(` (another function whose name ends so).
            let before = text[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at + call.len()..];
            let Some(end) = rest.find('"') else { continue };
            let key = &rest[..end];
            if is_key(key) {
                let map = if plural { &mut *counted } else { &mut *plain };
                map.entry(key.to_string()).or_insert_with(|| name.to_string());
            }
        }
    }
    for (at, _) in text.match_indices("__MSG_") {
        let rest = &text[at + 6..];
        if let Some(end) = rest.find("__") {
            if is_key(&rest[..end]) {
                plain.entry(rest[..end].to_string()).or_insert_with(|| name.to_string());
            }
        }
    }
}

/// The message keys the sources name: (plain keys, counted bases), each with a file that
/// names it.
fn used() -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut files = Vec::new();
    sources(&Path::new(ROOT).join("src"), &mut files);
    sources(&Path::new(ROOT).join("extension"), &mut files);
    files.push(Path::new(ROOT).join("manifest.json"));
    let (mut plain, mut counted) = (BTreeMap::new(), BTreeMap::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(ROOT).unwrap().display().to_string();
        scan(&text, &name, &mut plain, &mut counted);
    }
    (plain, counted)
}

fn catalog(locale: &str) -> Value {
    let path = Path::new(ROOT).join(format!("public/_locales/{locale}/messages.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Catalog::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The `$NAME$` placeholders a message uses, lower-cased.
fn placeholders(message: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut parts = message.split('$');
    parts.next();
    let parts: Vec<&str> = parts.collect();
    let mut i = 0;
    while i < parts.len() {
        let p = parts[i];
        if !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && i + 1 < parts.len()
        {
            out.insert(p.to_ascii_lowercase());
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn every_locale_has_every_message_and_nothing_else() {
    let (plain, counted) = used();
    assert!(
        plain.len() > 50,
        "the scan found {} keys: is it looking in the right place?",
        plain.len()
    );
    assert!(LOCALES.contains(&DEFAULT_LOCALE));
    let mut problems = Vec::new();
    for locale in LOCALES {
        let messages = catalog(locale);
        let have: BTreeSet<&str> =
            messages.as_object().unwrap().keys().map(String::as_str).collect();
        let mut wanted: BTreeSet<String> = plain.keys().cloned().collect();
        for base in counted.keys() {
            for category in categories(locale) {
                wanted.insert(format!("{base}_{category}"));
            }
        }
        for key in &wanted {
            if !have.contains(key.as_str()) {
                let by = plain
                    .get(key)
                    .or_else(|| counted.get(key.rsplit_once('_').map_or("", |(b, _)| b)));
                problems.push(format!(
                    "{locale}: missing {key} (named in {})",
                    by.map_or("?", String::as_str)
                ));
            }
        }
        for key in &have {
            if !wanted.contains(*key) {
                problems.push(format!("{locale}: {key} is named by no source (unused)"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn translations_take_the_placeholders_of_the_english_messages() {
    let english = catalog(DEFAULT_LOCALE);
    let base = |key: &str| -> String {
        for cat in ["zero", "one", "two", "few", "many", "other"] {
            if let Some(b) = key.strip_suffix(&format!("_{cat}")) {
                return format!("{b}_other");
            }
        }
        key.to_string()
    };
    let mut problems = Vec::new();
    for locale in LOCALES {
        let messages = catalog(locale);
        for (key, entry) in messages.as_object().unwrap() {
            let message = entry["message"]
                .as_str()
                .unwrap_or_else(|| panic!("{locale}: {key} has no message"));
            let defined: BTreeSet<String> = entry
                .get("placeholders")
                .and_then(Value::as_object)
                .map(|p| p.keys().map(|k| k.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            let used = placeholders(message);
            if !used.is_subset(&defined) {
                problems.push(format!("{locale}: {key} uses {used:?} but defines {defined:?}"));
            }
            let reference = &english[base(key)];
            let wanted = placeholders(reference["message"].as_str().unwrap_or(""));
            if used != wanted {
                problems.push(format!("{locale}: {key} uses {used:?}, English {wanted:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn each_locale_names_itself() {
    for locale in LOCALES {
        assert_eq!(catalog(locale)["locale"]["message"], *locale);
    }
}

#[test]
fn the_scan_sees_each_way_of_naming_a_message() {
    let text = r#"ctx.tr("one") m.tr_plural("two", n, &[]) key("three") xtr("no") "__MSG_four__"
                  tr_args("five", &[a]) get_message("six", &subs) tr("not a key")
                  chrome.i18n.getMessage("seven", [e])"#;
    let (mut plain, mut counted) = (BTreeMap::new(), BTreeMap::new());
    scan(text, "made-up", &mut plain, &mut counted);
    assert_eq!(plain.keys().collect::<Vec<_>>(), ["five", "four", "one", "seven", "six", "three"]);
    assert_eq!(counted.keys().collect::<Vec<_>>(), ["two"]);
    // And on the sources: the manifest's name and a counted message.
    let (plain, counted) = used();
    assert!(plain.contains_key("extension_name"));
    assert!(counted.contains_key("notification_title"));
}

/// One of each kind of feed error, with its details filled in.
fn every_feed_error() -> Vec<FeedError> {
    let detail = || "Failed to fetch".to_string();
    vec![
        FeedError::Network { detail: String::new() },
        FeedError::Network { detail: detail() },
        FeedError::Timeout { seconds: 20 },
        FeedError::Http { status: 503 },
        FeedError::TooLarge { limit: 5 * 1024 * 1024 },
        FeedError::Parse { detail: "this is an HTML page, not a feed".into() },
        FeedError::Gone,
        FeedError::NoPermission,
        FeedError::Damaged { detail: detail() },
        FeedError::Stalled,
        FeedError::Unsaved { detail: detail() },
    ]
}

#[test]
fn a_feed_error_in_english_is_what_it_displays_and_each_locale_says_it() {
    let catalogs: Vec<(&str, Catalog)> =
        LOCALES.iter().map(|l| (*l, Catalog::from_value(catalog(l)))).collect();
    for error in every_feed_error() {
        let (key, args) = error.message();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for (locale, catalog) in &catalogs {
            let said = catalog.get(key, &args).unwrap_or_else(|| panic!("{locale}: no {key}"));
            if *locale == DEFAULT_LOCALE {
                assert_eq!(said, error.to_string(), "{key}");
            } else if !matches!(error, FeedError::Parse { .. }) {
                // Translated, with its details: only a parser's own words stay English.
                assert_ne!(said, error.to_string(), "{locale}: {key} is not translated");
            }
            for arg in &args {
                assert!(said.contains(arg), "{locale}: {key} leaves out {arg}: {said}");
            }
        }
    }
}
