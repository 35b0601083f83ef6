//! The text primitives of the sync encoding: base64url digits, fixed-width numbers,
//! variable-length numbers, compact feed ids and URLs, and the size a browser charges for
//! an item.
//!
//! Every number is written with the 64 URL-safe base64 characters, which JSON never escapes,
//! so the size of a packed string is its length plus two quotes.
//!
//! - Fixed width, six bits a character, most significant first: an entry hash (48 bits, 8
//!   characters), a device tag (24 bits, 4), a feed id (64 bits, 11).
//! - Variable length (VLQ): five bits a character, most significant group first; the
//!   characters of every group but the last have 32 added (so `A`..`f` end a number and
//!   `g`..`_` continue it). 0..=31 take one character, up to 1,023 two, up to 32,767 three.
//! - Signed numbers are zigzagged first (0, -1, 1, -2 ... → 0, 1, 2, 3 ...).

use crate::core::identity::fnv1a64;
use crate::core::store::FeedId;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of one base64url character.
fn digit(c: u8) -> Option<u64> {
    Some(u64::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    }))
}

/// Append `value` as `width` base64url characters (its low `6 * width` bits).
pub fn put_fixed(out: &mut String, value: u64, width: usize) {
    for i in (0..width).rev() {
        let shift = 6 * i;
        let d = if shift >= 64 { 0 } else { (value >> shift) & 63 };
        out.push(ALPHABET[d as usize] as char);
    }
}

/// Append `value` as a VLQ.
pub fn put_vlq(out: &mut String, value: u64) {
    let mut groups = [0u8; 13];
    let mut n = 0;
    let mut v = value;
    loop {
        groups[n] = (v & 31) as u8;
        n += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let d = groups[i] + if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[d as usize] as char);
    }
}

pub fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

pub fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Append a signed number as a zigzagged VLQ.
pub fn put_signed(out: &mut String, value: i64) {
    put_vlq(out, zigzag(value));
}

/// The number of characters `put_vlq` writes for `value`.
pub fn vlq_len(value: u64) -> usize {
    let bits = 64 - value.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

/// A reader over a packed string.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Why a packed string could not be read.
pub type ReadError = &'static str;

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { bytes: text.as_bytes(), pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn byte(&mut self) -> Result<u8, ReadError> {
        let b = self.peek().ok_or("ends too early")?;
        self.pos += 1;
        Ok(b)
    }

    pub fn fixed(&mut self, width: usize) -> Result<u64, ReadError> {
        let mut v: u64 = 0;
        for _ in 0..width {
            let d = digit(self.byte()?).ok_or("not a base64url character")?;
            if v >> 58 != 0 {
                return Err("number too large");
            }
            v = (v << 6) | d;
        }
        Ok(v)
    }

    pub fn vlq(&mut self) -> Result<u64, ReadError> {
        let mut v: u64 = 0;
        loop {
            let d = digit(self.byte()?).ok_or("not a base64url character")?;
            if v >> 59 != 0 {
                return Err("number too large");
            }
            v = (v << 5) | (d & 31);
            if d < 32 {
                return Ok(v);
            }
        }
    }

    pub fn signed(&mut self) -> Result<i64, ReadError> {
        self.vlq().map(unzigzag)
    }
}

/// A feed id in sync: the 64-bit hash of `FeedId::for_url` as 11 base64url characters (5
/// fewer than its hex form). An id that is not 16 hex digits (never made by this code) is
/// written as `~` and the id itself.
pub fn feed_key(id: &FeedId) -> String {
    match parse_hex(&id.0) {
        Some(v) => {
            let mut s = String::with_capacity(11);
            put_fixed(&mut s, v, 11);
            s
        }
        None => format!("~{}", id.0),
    }
}

pub fn parse_feed_key(key: &str) -> Result<FeedId, ReadError> {
    if let Some(raw) = key.strip_prefix('~') {
        return Ok(FeedId(raw.to_string()));
    }
    if key.len() != 11 {
        return Err("a feed key is 11 characters");
    }
    let mut r = Reader::new(key);
    let v = r.fixed(11)?;
    Ok(FeedId(format!("{v:016x}")))
}

fn parse_hex(s: &str) -> Option<u64> {
    let lower = s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if s.len() == 16 && lower {
        u64::from_str_radix(s, 16).ok()
    } else {
        None
    }
}

/// Which of the 32 buckets of items a feed's records live in: the top five bits of its id.
pub fn bucket(id: &FeedId) -> usize {
    let v = parse_hex(&id.0).unwrap_or_else(|| fnv1a64(id.0.as_bytes()));
    (v >> 59) as usize
}

/// The one character that names a bucket in item keys.
pub fn bucket_char(bucket: usize) -> char {
    ALPHABET[bucket & 63] as char
}

/// A URL in sync: `https://` is dropped (most feeds), anything else gets a leading `/`
/// (which a URL without its `https://` can never start with, so the two never collide).
pub fn compact_url(url: &str) -> String {
    match url.strip_prefix("https://") {
        Some(rest) if !rest.starts_with('/') => rest.to_string(),
        _ => format!("/{url}"),
    }
}

pub fn expand_url(compact: &str) -> String {
    match compact.strip_prefix('/') {
        Some(raw) => raw.to_string(),
        None => format!("https://{compact}"),
    }
}

/// The bytes a browser charges for `value` written as JSON, counted for the most escaping
/// JSON writer among the browsers: Chromium's writer turns `<`, U+2028 and U+2029 into
/// `\uXXXX`, and some writers escape every non-ASCII character. Never less than what
/// Chromium (`key.size() + JSONWriter` output) or Firefox (`serde_json` output) count.
pub fn json_bytes(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => string_bytes(s),
        Value::Array(a) => 2 + a.len().saturating_sub(1) + a.iter().map(json_bytes).sum::<usize>(),
        Value::Object(o) => {
            2 + o.len().saturating_sub(1)
                + o.iter().map(|(k, v)| string_bytes(k) + 1 + json_bytes(v)).sum::<usize>()
        }
    }
}

/// A JSON string's size with the quotes, every character at its largest escaped form.
pub fn string_bytes(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            '\0'..='\u{1f}' | '\u{7f}' | '<' | '>' | '&' | '\'' => 6,
            ' '..='~' => 1,
            c => 6 * c.len_utf16(),
        })
        .sum::<usize>()
}

/// What an item costs against the quotas: its key's bytes plus its value's JSON.
pub fn item_bytes(key: &str, value: &serde_json::Value) -> usize {
    key.len() + json_bytes(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vlq_round_trips_and_is_short_for_small_numbers() {
        for v in [0u64, 1, 31, 32, 1023, 1024, 32_767, 1 << 40, u64::MAX] {
            let mut s = String::new();
            put_vlq(&mut s, v);
            assert_eq!(s.len(), vlq_len(v), "{v}");
            let mut r = Reader::new(&s);
            assert_eq!(r.vlq().unwrap(), v);
            assert!(r.at_end());
        }
        let mut s = String::new();
        put_vlq(&mut s, 31);
        assert_eq!(s, "f");
        for n in [0i64, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(n)), n);
        }
    }

    #[test]
    fn feed_keys_are_eleven_characters_and_reversible() {
        let id = FeedId::for_url("https://planetpython.org/rss20.xml");
        let key = feed_key(&id);
        assert_eq!(key.len(), 11);
        assert_eq!(parse_feed_key(&key).unwrap(), id);
        let odd = FeedId("not-hex".into());
        assert_eq!(parse_feed_key(&feed_key(&odd)).unwrap(), odd);
        assert!(parse_feed_key("__________A").is_err(), "more than 64 bits");
    }

    #[test]
    fn compact_urls_drop_https_and_never_collide() {
        for url in ["https://a.org/feed", "http://a.org/feed", "https:///x", "", "/odd", "a.org"] {
            assert_eq!(expand_url(&compact_url(url)), url);
        }
        assert_eq!(compact_url("https://a.org/feed"), "a.org/feed");
    }

    #[test]
    fn json_bytes_is_at_least_serde_json_and_counts_escapes() {
        let v = serde_json::json!({"k": ["a<b", null, 0, "é\u{2028}", "\n"]});
        assert!(json_bytes(&v) >= serde_json::to_string(&v).unwrap().len());
        assert_eq!(string_bytes("a<b"), 2 + 1 + 6 + 1);
        assert_eq!(json_bytes(&serde_json::json!({"ab": "xyz"})), r#"{"ab":"xyz"}"#.len());
    }
}
