//! Keys as IndexedDB orders them, so the in-memory store ([`super::memory`]) sorts exactly
//! as the browser's does.
//!
//! A key is a number, a string or an array of keys. IndexedDB orders numbers before strings
//! before arrays; numbers numerically; strings by their UTF-16 code units (not by code
//! points: a character above U+FFFF sorts below U+E000 there); arrays element by element,
//! a shorter prefix first.
//! <https://www.w3.org/TR/IndexedDB/#compare-two-keys>

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;

/// An IndexedDB key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Key {
    Num(f64),
    Str(String),
    Array(Vec<Key>),
}

impl Key {
    pub fn str(s: impl Into<String>) -> Key {
        Key::Str(s.into())
    }

    /// The key a JSON value is, as IndexedDB reads a key path: numbers (not NaN), strings
    /// and arrays of keys; anything else (null, a boolean, an object) is no key, so the
    /// record is not in that index.
    pub fn from_value(value: &Value) -> Option<Key> {
        match value {
            Value::Number(n) => n.as_f64().filter(|f| !f.is_nan()).map(Key::Num),
            Value::String(s) => Some(Key::Str(s.clone())),
            Value::Array(items) => {
                items.iter().map(Key::from_value).collect::<Option<_>>().map(Key::Array)
            }
            _ => None,
        }
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("keys serialize")
    }

    fn rank(&self) -> u8 {
        match self {
            Key::Num(_) => 0,
            Key::Str(_) => 1,
            Key::Array(_) => 2,
        }
    }
}

impl Eq for Key {}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.total_cmp(b),
            (Key::Str(a), Key::Str(b)) => a.encode_utf16().cmp(b.encode_utf16()),
            (Key::Array(a), Key::Array(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::Str(s.to_string())
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key::Str(s)
    }
}

impl From<i64> for Key {
    fn from(n: i64) -> Key {
        Key::Num(n as f64)
    }
}

/// A key range: `IDBKeyRange`. Both bounds optional; each open (excluded) or closed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<Key>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lower_open: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<Key>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub upper_open: bool,
}

impl Range {
    /// Every key.
    pub fn all() -> Range {
        Range::default()
    }

    /// Exactly `key`.
    pub fn only(key: Key) -> Range {
        Range { lower: Some(key.clone()), upper: Some(key), ..Range::default() }
    }

    /// Every array key that starts with the elements of `prefix`: `[prefix…]` up to
    /// `[prefix…, []]` (an array sorts above any number or string).
    pub fn prefix(prefix: Vec<Key>) -> Range {
        let mut upper = prefix.clone();
        upper.push(Key::Array(vec![]));
        Range {
            lower: Some(Key::Array(prefix)),
            upper: Some(Key::Array(upper)),
            ..Range::default()
        }
    }

    /// This range with its lower bound raised past `key` (the next page after `key`).
    pub fn after(mut self, key: Key) -> Range {
        if self.lower.as_ref().is_none_or(|l| *l <= key) {
            self.lower = Some(key);
            self.lower_open = true;
        }
        self
    }

    pub fn contains(&self, key: &Key) -> bool {
        let above = match &self.lower {
            None => true,
            Some(l) if self.lower_open => key > l,
            Some(l) => key >= l,
        };
        let below = match &self.upper {
            None => true,
            Some(u) if self.upper_open => key < u,
            Some(u) => key <= u,
        };
        above && below
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn k(v: Value) -> Key {
        Key::from_value(&v).unwrap()
    }

    #[test]
    fn keys_order_as_indexeddb_orders_them() {
        let sorted = [
            k(json!(-5)),
            k(json!(3.5)),
            k(json!("")),
            k(json!("a")),
            k(json!("b")),
            k(json!([])),
            k(json!([-1])),
            k(json!([-1, "a"])),
            k(json!([0])),
            k(json!(["a"])),
            k(json!([[]])),
        ];
        for pair in sorted.windows(2) {
            assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn strings_compare_by_utf16_code_units() {
        // U+1F600 is D83D DE00 in UTF-16, below U+FF01; in UTF-8 (code points) it is above.
        assert!(Key::str("\u{1F600}") < Key::str("\u{FF01}"));
    }

    #[test]
    fn non_keys_are_not_in_an_index() {
        for v in [json!(null), json!(true), json!({"a": 1}), json!([1, null])] {
            assert_eq!(Key::from_value(&v), None, "{v}");
        }
    }

    #[test]
    fn a_prefix_range_holds_exactly_the_arrays_that_start_with_it() {
        let r = Range::prefix(vec![Key::str("feed")]);
        assert!(r.contains(&k(json!(["feed"]))));
        assert!(r.contains(&k(json!(["feed", -3, "x"]))));
        assert!(r.contains(&k(json!(["feed", "zzz"]))));
        assert!(!r.contains(&k(json!(["feeds", 1]))));
        assert!(!r.contains(&k(json!(["fee", 1]))));
        assert!(!r.contains(&k(json!("feed"))));
    }

    #[test]
    fn after_a_key_the_range_excludes_it_and_everything_below() {
        let r = Range::prefix(vec![Key::str("f")]).after(k(json!(["f", 2])));
        assert!(!r.contains(&k(json!(["f", 1]))));
        assert!(!r.contains(&k(json!(["f", 2]))));
        assert!(r.contains(&k(json!(["f", 3]))));
        // A cursor below the range's own start changes nothing.
        let r = Range::prefix(vec![Key::str("f")]).after(k(json!(["a"])));
        assert_eq!(r, Range::prefix(vec![Key::str("f")]));
    }
}
