//! One feed's records as text: a subscription as a short JSON array, a feed's read state
//! and its stars each as packed strings ("pieces"). The formats are described in the module
//! docs of `core::sync`; this file is their only reader and writer.

use super::codec::{
    compact_url, expand_url, put_fixed, put_signed, put_vlq, unzigzag, zigzag, ReadError, Reader,
};
use super::state::{
    EntryHash, FeedRead, FeedStars, Mark, MarkKey, Reg, Stamp, StarMark, Step, SubRecord, SyncState,
};
use super::{Secs, MAX_FOLDER_CHARS, MAX_SECS, MAX_TITLE_CHARS};
use crate::core::caps::user_text;
use crate::core::discovery::user_url;
use crate::core::store::FeedId;
use crate::core::urls::{self, UrlUse};
use serde_json::{Map, Value};

fn check(v: i64) -> Result<Secs, ReadError> {
    if (-MAX_SECS..=MAX_SECS).contains(&v) {
        Ok(v)
    } else {
        Err("time out of range")
    }
}

/// Absolute times are written relative to 2025-01-01 (six characters for ±17 years of it,
/// where seconds since 1970 take seven).
const EPOCH: Secs = 1_735_689_600;

fn put_time(out: &mut String, t: Secs) {
    put_signed(out, t - EPOCH);
}

fn read_time(r: &mut Reader) -> Result<Secs, ReadError> {
    check(r.signed()?.checked_add(EPOCH).ok_or("time out of range")?)
}

fn put_stamp(out: &mut String, s: Stamp) {
    put_time(out, s.at);
    put_fixed(out, u64::from(s.device), 4);
}

fn read_stamp(r: &mut Reader) -> Result<Stamp, ReadError> {
    let at = read_time(r)?;
    let device = r.fixed(4)? as u32;
    Ok(Stamp { at, device })
}

// ---- subscriptions ----------------------------------------------------------------------

/// Why a subscription record with a URL that a user could not have typed is refused.
pub const INVALID_URL: ReadError = "the url is not a web address";

/// A synced URL passes the test a typed one does (`core::discovery::user_url`), and is the
/// absolute `http(s)` URL it stands for, as written (no scheme to guess, no `feed:`, no
/// white space or control character).
fn valid_url(url: &str) -> bool {
    user_url(url).is_some()
        && urls::parse(url, None, UrlUse::Web).is_some()
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
}

/// A subscription record as JSON.
///
/// - Only the membership register: a string, `+` (subscribed) or `-` (unsubscribed) and its
///   stamp. This is how a tombstone is synced.
/// - Otherwise `[S, url, title, folder]`. `S` is the membership flag (`+`, `-`, or `?` when
///   unknown) and its stamp (the base), then `u`, `t` or `f` and a stamp for each field set
///   at another time than the base. `url` is the compact URL or `0` (unknown); `title` and
///   `folder` are a string, `null` (none) or `0` (unknown). Trailing `null`s set with the
///   base stamp are left out.
pub fn sub_to_json(rec: &SubRecord) -> Value {
    let base = rec.subscribed.as_ref().map(|r| r.stamp);
    let mut s = String::new();
    match &rec.subscribed {
        Some(r) => {
            s.push(if r.value { '+' } else { '-' });
            put_stamp(&mut s, r.stamp);
        }
        None => s.push('?'),
    }
    if rec.url.is_none() && rec.title.is_none() && rec.folder.is_none() && base.is_some() {
        return Value::String(s);
    }
    let stamps = [
        ('u', rec.url.as_ref().map(|r| r.stamp)),
        ('t', rec.title.as_ref().map(|r| r.stamp)),
        ('f', rec.folder.as_ref().map(|r| r.stamp)),
    ];
    for (letter, stamp) in stamps {
        if let Some(st) = stamp.filter(|st| Some(*st) != base) {
            s.push(letter);
            put_stamp(&mut s, st);
        }
    }
    let text = |r: &Option<Reg<Option<String>>>| match r {
        None => Value::from(0),
        Some(Reg { value: None, .. }) => Value::Null,
        Some(Reg { value: Some(t), .. }) => Value::String(t.clone()),
    };
    let mut arr = vec![
        Value::String(s),
        rec.url.as_ref().map_or(Value::from(0), |u| Value::String(compact_url(&u.value))),
        text(&rec.title),
        text(&rec.folder),
    ];
    let default = |r: &Option<Reg<Option<String>>>| {
        base.is_some() && r.as_ref().is_some_and(|r| r.value.is_none() && Some(r.stamp) == base)
    };
    if default(&rec.folder) {
        arr.pop();
        if default(&rec.title) {
            arr.pop();
        }
    }
    Value::Array(arr)
}

pub fn sub_from_json(v: &Value) -> Result<SubRecord, ReadError> {
    let (head, arr) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Array(a) if (2..=4).contains(&a.len()) => {
            (a[0].as_str().ok_or("the first element is not a string")?, Some(a))
        }
        _ => return Err("a subscription is a string or an array of 2 to 4 elements"),
    };
    let mut r = Reader::new(head);
    let mut rec = SubRecord::default();
    let base = match r.byte()? {
        flag @ (b'+' | b'-') => {
            let stamp = read_stamp(&mut r)?;
            rec.subscribed = Some(Reg { stamp, value: flag == b'+' });
            Some(stamp)
        }
        b'?' if arr.is_some() => None,
        _ => return Err("a subscription starts with +, - or ?"),
    };
    let Some(arr) = arr else {
        return if r.at_end() { Ok(rec) } else { Err("text after the stamp") };
    };
    let (mut su, mut st, mut sf) = (None, None, None);
    while !r.at_end() {
        let slot = match r.byte()? {
            b'u' => &mut su,
            b't' => &mut st,
            b'f' => &mut sf,
            _ => return Err("unknown field letter"),
        };
        if slot.is_some() {
            return Err("a field stamped twice");
        }
        *slot = Some(read_stamp(&mut r)?);
    }
    let stamp_of = |own: Option<Stamp>| own.or(base).ok_or("a field without a stamp");
    let unused = |own: Option<Stamp>| {
        if own.is_some() {
            Err("a stamp for an unknown field")
        } else {
            Ok(())
        }
    };
    match &arr[1] {
        Value::String(u) => {
            let url = expand_url(u);
            if !valid_url(&url) {
                return Err(INVALID_URL);
            }
            rec.url = Some(Reg { stamp: stamp_of(su)?, value: url })
        }
        Value::Number(n) if n.as_u64() == Some(0) => unused(su)?,
        _ => return Err("the url is not a string or 0"),
    }
    let text = |i: usize, own: Option<Stamp>| -> Result<Option<Reg<Option<String>>>, ReadError> {
        match arr.get(i) {
            None if own.is_none() => {
                Ok(Some(Reg { stamp: base.ok_or("a missing field")?, value: None }))
            }
            None => Err("a stamp for a missing field"),
            Some(Value::Null) => Ok(Some(Reg { stamp: stamp_of(own)?, value: None })),
            // Capped as user input is (a title or a folder, by their caps).
            Some(Value::String(t)) => {
                let max = if i == 2 { MAX_TITLE_CHARS } else { MAX_FOLDER_CHARS };
                Ok(Some(Reg { stamp: stamp_of(own)?, value: user_text(t, max) }))
            }
            Some(Value::Number(n)) if n.as_u64() == Some(0) => unused(own).map(|()| None),
            Some(_) => Err("a title or folder is not a string, null or 0"),
        }
    };
    rec.title = text(2, st)?;
    rec.folder = text(3, sf)?;
    Ok(rec)
}

// ---- read state -------------------------------------------------------------------------

/// Writes a feed's read state as a piece:
///
/// ```text
/// piece := steps:VLQ step* mark*
/// step  := upto (the first: ZZ(upto - EPOCH), then VLQ delta)  ZZ(at - upto)
/// mark  := hash:8  date (the first: ZZ(date - EPOCH), then VLQ delta)  VLQ(ZZ(at - date) * 2 + read)
/// ```
///
/// Marks go by date, so dates are small deltas; the mark's time is written relative to the
/// entry's date (how long after it appeared it was read).
pub struct PieceWriter {
    pub text: String,
    prev_date: Option<Secs>,
}

impl PieceWriter {
    pub fn new(steps: &[Step]) -> Self {
        let mut text = String::new();
        put_vlq(&mut text, steps.len() as u64);
        let mut prev: Option<Secs> = None;
        for s in steps {
            match prev {
                None => put_time(&mut text, s.upto),
                Some(p) => put_vlq(&mut text, (s.upto - p) as u64),
            }
            put_signed(&mut text, s.at - s.upto);
            prev = Some(s.upto);
        }
        PieceWriter { text, prev_date: None }
    }

    /// Append a mark (marks must come by date).
    pub fn push(&mut self, key: &MarkKey, mark: &Mark) {
        put_fixed(&mut self.text, key.entry.0, 8);
        match self.prev_date {
            None => put_time(&mut self.text, key.date),
            Some(p) => put_vlq(&mut self.text, (key.date - p) as u64),
        }
        put_vlq(&mut self.text, zigzag(mark.at - key.date) * 2 + u64::from(mark.read));
        self.prev_date = Some(key.date);
    }

    /// The length the next mark would add.
    pub fn cost(&self, key: &MarkKey, mark: &Mark) -> usize {
        let date = match self.prev_date {
            None => super::codec::vlq_len(zigzag(key.date - EPOCH)),
            Some(p) => super::codec::vlq_len((key.date - p) as u64),
        };
        8 + date + super::codec::vlq_len(zigzag(mark.at - key.date) * 2 + u64::from(mark.read))
    }
}

/// The whole read state of one feed as a single piece.
pub fn piece(read: &FeedRead) -> String {
    let mut w = PieceWriter::new(&read.steps);
    for (k, m) in by_date(read.marks.iter()) {
        w.push(k, m);
    }
    w.text
}

/// Marks in the order pieces write them: by date, then entry.
pub fn by_date<'a, T>(marks: impl Iterator<Item = (&'a MarkKey, T)>) -> Vec<(&'a MarkKey, T)> {
    let mut v: Vec<_> = marks.collect();
    v.sort_unstable_by_key(|(k, _)| (k.date, k.entry));
    v
}

pub fn read_piece(text: &str) -> Result<FeedRead, ReadError> {
    let mut r = Reader::new(text);
    let n = r.vlq()?;
    if n > 4096 {
        return Err("too many watermark steps");
    }
    let mut out = FeedRead::default();
    let mut prev: Option<Secs> = None;
    for _ in 0..n {
        let upto = match prev {
            None => read_time(&mut r)?,
            Some(p) => check(p.saturating_add(r.vlq()?.min(u64::MAX >> 2) as i64))?,
        };
        let at = check(upto.checked_add(r.signed()?).ok_or("time out of range")?)?;
        out.steps.push(Step { upto, at });
        prev = Some(upto);
    }
    let mut prev: Option<Secs> = None;
    while !r.at_end() {
        let entry = EntryHash(r.fixed(8)?);
        let date = match prev {
            None => read_time(&mut r)?,
            Some(p) => check(p.saturating_add(r.vlq()?.min(u64::MAX >> 2) as i64))?,
        };
        let v = r.vlq()?;
        let at = check(date.checked_add(unzigzag(v >> 1)).ok_or("time out of range")?)?;
        let mark = Mark { at, read: v & 1 == 1 };
        let slot = out.marks.entry(MarkKey { entry, date }).or_insert(mark);
        if mark > *slot {
            *slot = mark;
        }
        prev = Some(date);
    }
    Ok(out)
}

// ---- stars ------------------------------------------------------------------------------

/// One star or unstar of a feed's star piece:
///
/// ```text
/// stars := star*            (by entry hash)
/// star  := hash:8  VLQ(ZZ(at - EPOCH) * 2 + starred)
/// ```
pub fn put_star(out: &mut String, entry: EntryHash, mark: &StarMark) {
    put_fixed(out, entry.0, 8);
    put_vlq(out, zigzag(mark.at - EPOCH) * 2 + u64::from(mark.starred));
}

/// The length [`put_star`] writes.
pub fn star_cost(mark: &StarMark) -> usize {
    8 + super::codec::vlq_len(zigzag(mark.at - EPOCH) * 2 + u64::from(mark.starred))
}

/// A feed's stars as one piece.
pub fn star_piece(stars: &FeedStars) -> String {
    let mut out = String::new();
    for (k, m) in stars {
        put_star(&mut out, *k, m);
    }
    out
}

pub fn read_star_piece(text: &str) -> Result<FeedStars, ReadError> {
    let mut r = Reader::new(text);
    let mut out = FeedStars::new();
    while !r.at_end() {
        let entry = EntryHash(r.fixed(8)?);
        let v = r.vlq()?;
        let at = check(unzigzag(v >> 1).checked_add(EPOCH).ok_or("time out of range")?)?;
        let mark = StarMark { at, starred: v & 1 == 1 };
        let slot = out.entry(entry).or_insert(mark);
        if mark > *slot {
            *slot = mark;
        }
    }
    Ok(out)
}

// ---- the local form --------------------------------------------------------------------

/// The whole state as one JSON value, without loss (tombstones keep their fields, nothing
/// is trimmed): what a profile keeps in `storage.local` as its replica.
///
/// `{"v":2, "floor":n, "subs":{feed id: record}, "read":{feed id: piece}, "stars":{feed id:
/// star piece}}`
pub fn state_to_json(state: &SyncState) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("v".into(), Value::from(super::items::FORMAT_VERSION));
    if let Some(f) = state.floor {
        out.insert("floor".into(), Value::from(f));
    }
    let mut subs = Map::new();
    for (id, r) in &state.subs {
        subs.insert(id.0.clone(), sub_to_json(r));
    }
    out.insert("subs".into(), Value::Object(subs));
    let mut read = Map::new();
    for (id, r) in &state.read {
        read.insert(id.0.clone(), Value::String(piece(r)));
    }
    out.insert("read".into(), Value::Object(read));
    if !state.stars.is_empty() {
        let stars = state
            .stars
            .iter()
            .map(|(id, s)| (id.0.clone(), Value::String(star_piece(s))))
            .collect();
        out.insert("stars".into(), Value::Object(stars));
    }
    Value::Object(out)
}

pub fn state_from_json(v: &Value) -> Result<SyncState, String> {
    let version = v.get("v").and_then(Value::as_u64).ok_or("no version")?;
    if version > super::items::FORMAT_VERSION {
        return Err(format!("written by a newer version (format {version})"));
    }
    let mut state = SyncState::default();
    match v.get("floor") {
        None => {}
        Some(f) => state.floor = Some(check(f.as_i64().ok_or("a bad floor")?)?),
    }
    let empty = serde_json::Map::new();
    let object = |name: &str| match v.get(name) {
        None => Ok(&empty),
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(format!("{name} is not an object")),
    };
    for (id, rec) in object("subs")? {
        let rec = match sub_from_json(rec) {
            // Stored by a version that did not check synced URLs: left out, never re-synced.
            Err(INVALID_URL) => continue,
            rec => rec.map_err(|e| format!("subscription {id}: {e}"))?,
        };
        state.subs.insert(FeedId(id.clone()), rec);
    }
    for (id, text) in object("read")? {
        let text = text.as_str().ok_or_else(|| format!("read state {id} is not a string"))?;
        let piece = read_piece(text).map_err(|e| format!("read state {id}: {e}"))?;
        state.read.insert(FeedId(id.clone()), piece);
    }
    for (id, text) in object("stars")? {
        let text = text.as_str().ok_or_else(|| format!("stars {id} is not a string"))?;
        let stars = read_star_piece(text).map_err(|e| format!("stars {id}: {e}"))?;
        state.stars.insert(FeedId(id.clone()), stars);
    }
    state.normalize();
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(at: Secs, device: u32) -> Stamp {
        Stamp { at, device }
    }

    #[test]
    fn a_fresh_subscription_is_its_stamp_and_url() {
        let s = stamp(1_760_000_000, 7);
        let rec = SubRecord {
            subscribed: Some(Reg { stamp: s, value: true }),
            url: Some(Reg { stamp: s, value: "https://planetpython.org/rss20.xml".into() }),
            title: Some(Reg { stamp: s, value: None }),
            folder: Some(Reg { stamp: s, value: None }),
        };
        let json = sub_to_json(&rec);
        assert_eq!(json.as_array().unwrap().len(), 2, "{json}");
        assert_eq!(json[1], "planetpython.org/rss20.xml");
        assert_eq!(sub_from_json(&json).unwrap(), rec);
    }

    #[test]
    fn fields_set_later_carry_their_own_stamp() {
        let rec = SubRecord {
            subscribed: Some(Reg { stamp: stamp(10, 1), value: true }),
            url: Some(Reg { stamp: stamp(10, 1), value: "http://a/".into() }),
            title: Some(Reg { stamp: stamp(20, 2), value: Some("Mine".into()) }),
            folder: None,
        };
        let json = sub_to_json(&rec);
        assert_eq!(json[3], 0);
        assert!(json[0].as_str().unwrap().contains('t'));
        assert_eq!(sub_from_json(&json).unwrap(), rec);
        let tomb = SubRecord {
            subscribed: Some(Reg { stamp: stamp(-5, 3), value: false }),
            ..Default::default()
        };
        assert!(sub_to_json(&tomb).is_string());
        assert_eq!(sub_from_json(&sub_to_json(&tomb)).unwrap(), tomb);
    }

    #[test]
    fn malformed_subscriptions_are_refused() {
        for bad in [
            r#""+""#,
            r#"["?", 0]"#,
            r#"["+AAAAAA", "x", 1]"#,
            r#"["+AAAAA", 0, null, null, 5]"#,
            r#"["?uAAAAA", 0]"#,
            "7",
        ] {
            let v: Value = serde_json::from_str(bad).unwrap();
            assert!(sub_from_json(&v).is_err(), "{bad}");
        }
    }

    #[test]
    fn pieces_round_trip_and_cost_predicts_length() {
        let mut read = FeedRead {
            steps: vec![Step { upto: 100, at: 500 }, Step { upto: 300, at: 400 }],
            ..FeedRead::default()
        };
        for (i, d) in [(1u64, 350i64), (2, 350), (3, 10_000), (4, -7)] {
            read.marks.insert(
                MarkKey { entry: EntryHash(i << 40), date: d },
                Mark { at: d + 60, read: i % 2 == 0 },
            );
        }
        let mut w = PieceWriter::new(&read.steps);
        for (k, m) in by_date(read.marks.iter()) {
            let before = w.text.len();
            let cost = w.cost(k, m);
            w.push(k, m);
            assert_eq!(w.text.len() - before, cost);
        }
        assert_eq!(read_piece(&w.text).unwrap(), read);
        assert!(read_piece("B").is_err(), "a step announced but missing");
        assert!(read_piece("A AAAAAAAA").is_err());
    }

    #[test]
    fn star_pieces_round_trip_and_cost_predicts_length() {
        let mut stars = FeedStars::new();
        for (i, at, starred) in
            [(1u64, EPOCH + 5, true), (9, EPOCH - 1_000_000, false), (3, 0, true)]
        {
            stars.insert(EntryHash(i << 30), StarMark { at, starred });
        }
        let text = star_piece(&stars);
        assert_eq!(text.len(), stars.values().map(star_cost).sum::<usize>());
        assert_eq!(read_star_piece(&text).unwrap(), stars);
        assert!(read_star_piece("AAAAAAAA").is_err(), "a hash without its time");
        assert!(read_star_piece("AAAAAAA").is_err());
        assert_eq!(read_star_piece("").unwrap(), FeedStars::new());
    }
}
