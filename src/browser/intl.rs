//! Dates, times, numbers and plurals in the user's language and time zone: `Intl`.
//!
//! <https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Intl>
//!
//! Every date is formatted by the browser, in its default time zone (the user's): a post
//! from the evening of 24 November in UTC+14 reads "24.11." in German, not the UTC date.
//! These are for the popup too (it replaces `core::when`'s English, UTC dates with them).

use crate::core::store::Millis;
use crate::core::when::{relative_unit, Relative};
use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

fn locales(locale: &str) -> Array {
    let out = Array::new();
    if !locale.is_empty() {
        out.push(&JsValue::from_str(locale));
    }
    out
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// The plural category of `n` in `locale` (`one`, `few`, `many`, `other`…).
pub fn plural_category(locale: &str, n: f64) -> String {
    Intl::PluralRules::new(&locales(locale), &Object::new()).select(n).into()
}

/// `n` written for `locale` ("1.234" in German).
pub fn number(locale: &str, n: f64) -> String {
    let format = Intl::NumberFormat::new(&locales(locale), &Object::new()).format();
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(n))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A date with its time ("24.11.2026, 10:00"), medium date and short time.
pub fn date_time(locale: &str, at: Millis) -> String {
    format_date(locale, at, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// A date without its time ("24.11.2026").
pub fn date(locale: &str, at: Millis) -> String {
    format_date(locale, at, &[("dateStyle", "medium")])
}

fn format_date(locale: &str, at: Millis, style: &[(&str, &str)]) -> String {
    let format = Intl::DateTimeFormat::new(&locales(locale), &options(style)).format();
    let date = Date::new(&JsValue::from_f64(at as f64));
    format.call1(&JsValue::NULL, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// How long before `now` the time `then` was: "vor 5 Minuten", "gestern", or, beyond a
/// week (or in the future), its date.
pub fn relative(locale: &str, now: Millis, then: Millis) -> String {
    match relative_unit(now, then) {
        Relative::Ago { value, unit } => {
            let format =
                Intl::RelativeTimeFormat::new(&locales(locale), &options(&[("numeric", "auto")]));
            String::from(format.format(-(value as f64), unit))
        }
        Relative::Date => date(locale, then),
    }
}
