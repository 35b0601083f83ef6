//! The user's language: `chrome.i18n`, and the extension's own catalogs for a language
//! chosen in the options page (the browser's `getMessage` knows only the browser's).
//!
//! <https://developer.chrome.com/docs/extensions/reference/api/i18n>,
//! <https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/i18n>
//!
//! Every user-visible string goes through [`Messages`]: [`Messages::tr`],
//! [`Messages::tr_args`], [`Messages::tr_plural`], with the message key written out as a
//! literal, or [`key`] for a key handed around first (`tests/locales.rs` finds them so: a
//! key in `_locales` that no source names fails it, as does a key named but missing from a
//! locale). Counted messages have one key
//! per plural category (`core::i18n`), chosen with `Intl.PluralRules` in the catalog's own
//! language.

use super::intl;
use crate::core::i18n::{plural_key, supported, Catalog};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    fn get_message(key: &str, substitutions: &js_sys::Array) -> String;
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getUILanguage)]
    fn get_ui_language() -> String;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    fn get_url(path: &str) -> String;
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str) -> js_sys::Promise;
}

/// The browser's own language (what `Intl` formats dates in when no language is chosen).
pub fn ui_language() -> String {
    get_ui_language()
}

/// The messages in one language.
#[derive(Clone, Debug)]
pub struct Messages {
    /// The catalog of the chosen language; `None`: the browser's (`chrome.i18n`).
    catalog: Option<Catalog>,
    /// The language of the messages (`en`, `de`…): for plurals.
    language: String,
    /// The language dates and numbers are written in: the chosen one, else the browser's.
    format_language: String,
}

async fn fetch_catalog(locale: &str) -> Result<Catalog, JsValue> {
    let url = get_url(&format!("_locales/{locale}/messages.json"));
    let response: web_sys::Response = JsFuture::from(global_fetch(&url)).await?.dyn_into()?;
    let json = JsFuture::from(response.json()?).await?;
    let value = super::from_js(&json).map_err(|e| JsValue::from_str(&e.0))?;
    Ok(Catalog::from_value(value))
}

impl Messages {
    /// The browser's language's messages.
    pub fn browser() -> Messages {
        let language = get_message("locale", &js_sys::Array::new());
        Messages { catalog: None, language, format_language: ui_language() }
    }

    /// The messages of `language` (a locale of `_locales`), else the browser's.
    pub async fn load(language: Option<&str>) -> Messages {
        let Some(locale) = language.and_then(supported) else { return Messages::browser() };
        match fetch_catalog(locale).await {
            Ok(catalog) => Messages {
                catalog: Some(catalog),
                language: locale.to_string(),
                format_language: locale.to_string(),
            },
            Err(_) => Messages::browser(),
        }
    }

    /// The language of the messages (for `<html lang>` and plurals).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The language dates, times and numbers are written in.
    pub fn format_language(&self) -> &str {
        &self.format_language
    }

    /// Message `key` with no arguments.
    pub fn tr(&self, key: &str) -> String {
        self.tr_args(key, &[])
    }

    /// Message `key` with `args` for its `$1`… (the key itself if no catalog has it: a gap
    /// shows, it does not blank the page).
    pub fn tr_args(&self, key: &str, args: &[&str]) -> String {
        if let Some(m) = self.catalog.as_ref().and_then(|c| c.get(key, args)) {
            return m;
        }
        let subs: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
        let m = get_message(key, &subs);
        if m.is_empty() {
            key.to_string()
        } else {
            m
        }
    }

    /// The counted message `key` for `n` (its `$1` is `n`, written in the format language),
    /// with `more` arguments after it.
    pub fn tr_plural(&self, key: &str, n: usize, more: &[&str]) -> String {
        let category = intl::plural_category(&self.language, n as f64);
        let count = intl::number(&self.format_language, n as f64);
        let mut args = vec![count.as_str()];
        args.extend_from_slice(more);
        let m = self.tr_args(&plural_key(key, &category), &args);
        if m == plural_key(key, &category) {
            self.tr_args(&plural_key(key, "other"), &args)
        } else {
            m
        }
    }

    /// A date and time, for people, in the user's time zone.
    pub fn date_time(&self, at: crate::core::store::Millis) -> String {
        intl::date_time(&self.format_language, at)
    }

    /// How long before `now` the time `then` was ("5 minutes ago", "yesterday"), or its date.
    pub fn relative(
        &self,
        now: crate::core::store::Millis,
        then: crate::core::store::Millis,
    ) -> String {
        intl::relative(&self.format_language, now, then)
    }
}
