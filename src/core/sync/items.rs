//! The sync state as `storage.sync` items, within its quotas; back; and what to write.
//!
//! Layout (every key starts with `~`, which nothing else in Planet Reader uses in
//! `storage.sync`):
//!
//! | key             | value                                   |
//! |-----------------|-----------------------------------------|
//! | `~h`            | `{"v":2}`, plus `"f":floor` once compacted |
//! | `~s<b>`, `~s<b>.<n>` | `{feed key: subscription record, ...}` |
//! | `~r<b>`, `~r<b>.<n>` | `{feed key: read piece, ...}`        |
//! | `~t<b>`, `~t<b>.<n>` | `{feed key: star piece, ...}`        |
//!
//! `<b>` is one of 32 buckets (one base64url character: the top five bits of the feed id),
//! so a change to one feed rewrites only its bucket's items; `.<n>` items take what does not
//! fit in 8 KB. Every item is a valid state on its own (a feed's read state too long for one
//! item is split into pieces that each carry whole marks), because `storage.sync` merges
//! concurrent writers key by key: a mixture of two profiles' items must still decode.

use super::codec::{
    bucket, bucket_char, feed_key, item_bytes, json_bytes, parse_feed_key, string_bytes,
};
use super::records::{
    by_date, put_star, read_piece, read_star_piece, star_cost, sub_from_json, sub_to_json,
    PieceWriter,
};
use super::state::{join_stars, EntryHash, FeedRead, FeedStars, MarkKey, SubRecord, SyncState};
use super::{to_millis, Secs, SyncError, MAX_SECS};
use crate::core::store::{FeedId, Millis};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Items of a storage area, by key (what `Store::get_all` returns and `Store::set` takes).
pub type Items = BTreeMap<String, Value>;

/// The version of this layout; a profile refuses to overwrite a newer one. Version 2 added
/// the stars (`~t` items), which a version 1 reader would take for damage and remove.
pub const FORMAT_VERSION: u64 = 2;
/// The key of the header item.
pub const HEADER_KEY: &str = "~h";
const BUCKETS: usize = 32;
/// The longest item key the layout makes (`~r<b>.<n>` with n < 10,000).
const MAX_KEY_LEN: usize = 8;
/// The fewest bytes a read mark can take (hash, one-character date delta and time).
const MIN_MARK_BYTES: usize = 10;

/// Whether `key` is one of sync's items.
pub fn is_sync_key(key: &str) -> bool {
    key.starts_with('~')
}

/// The limits of `storage.sync` (the same in Chrome and Firefox).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// `QUOTA_BYTES`: every item's key and JSON value, together.
    pub bytes: usize,
    /// `QUOTA_BYTES_PER_ITEM`: one item's key and JSON value.
    pub bytes_per_item: usize,
    /// `MAX_ITEMS`.
    pub max_items: usize,
}

impl Default for Quota {
    fn default() -> Self {
        Quota { bytes: 102_400, bytes_per_item: 8_192, max_items: 512 }
    }
}

impl Quota {
    /// What is left for sync's items next to the other items in the area (settings...).
    pub fn without_others(&self, current: &Items) -> Quota {
        let others = current.iter().filter(|(k, _)| !is_sync_key(k));
        let (count, bytes) = others.fold((0, 0), |(n, b), (k, v)| (n + 1, b + item_bytes(k, v)));
        Quota {
            bytes: self.bytes.saturating_sub(bytes),
            bytes_per_item: self.bytes_per_item,
            max_items: self.max_items.saturating_sub(count),
        }
    }

    /// The same quota with `percent` of the total held back (after a quota error that our
    /// own count did not foresee).
    pub fn shrunk(&self, percent: usize) -> Quota {
        Quota { bytes: self.bytes * (100 - percent.min(100)) / 100, ..*self }
    }
}

/// What the encoder had to leave out to fit the quota, least valuable first. Nothing here
/// is lost on this profile: it only is not carried to the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trimmed {
    /// Read marks of single entries left out (those of the oldest entries go first).
    pub read_marks: usize,
    /// The date (milliseconds) of the newest entry whose read mark was left out.
    pub read_marks_up_to: Option<Millis>,
    /// Feeds whose whole read state (watermark and unread marks) was left out, least
    /// recently used first.
    pub feeds: Vec<FeedId>,
    /// Stars (and unstars) of single entries left out: after all read state, the oldest
    /// unstars first, then the oldest stars.
    pub stars: usize,
    /// Unsubscriptions left out, oldest first (another profile may still show the feed).
    pub tombstones: usize,
    /// Subscriptions left out for room, last of all (the newest first).
    pub subscriptions: Vec<FeedId>,
    /// Subscriptions never synced because one alone is larger than an item (a URL of
    /// kilobytes).
    pub too_large: Vec<FeedId>,
}

impl Trimmed {
    pub fn is_empty(&self) -> bool {
        self == &Trimmed::default()
    }

    /// A sentence for the popup, or `None` when everything fits.
    pub fn summary(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if self.read_marks > 0 {
            parts.push(format!("the read state of {} older entries", self.read_marks));
        }
        if !self.feeds.is_empty() {
            parts.push(format!("the read state of {} feeds", self.feeds.len()));
        }
        if self.stars > 0 {
            parts.push(format!("the stars of {} entries", self.stars));
        }
        if self.tombstones > 0 {
            parts.push(format!("{} old unsubscriptions", self.tombstones));
        }
        let subs = self.subscriptions.len() + self.too_large.len();
        if subs > 0 {
            parts.push(format!("{subs} subscriptions"));
        }
        Some(format!(
            "Browser sync storage is full, so this stays on this browser only: {}.",
            parts.join(", ")
        ))
    }
}

/// The state as items.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded {
    pub items: Items,
    /// What the items cost against `Quota::bytes`.
    pub bytes: usize,
    pub trimmed: Trimmed,
}

/// One thing the encoder may leave out, in the order it does so.
enum Unit {
    ReadMark(MarkKey),
    FeedRead(usize),
    Star,
    Tombstone,
    Subscription(usize),
}

/// A subscription record ready to pack.
struct SubEntry<'a> {
    id: &'a FeedId,
    /// The feed's key in sync.
    key: String,
    value: Value,
    /// Its place in the drop order.
    rank: usize,
}

/// A feed's read state ready to pack.
struct ReadEntry<'a> {
    id: &'a FeedId,
    key: String,
    read: &'a FeedRead,
    /// The place of the whole feed's read state in the drop order.
    rank: usize,
    /// The places of its marks, in the map's order; `usize::MAX` for those never dropped
    /// on their own (unread marks).
    mark_ranks: Vec<usize>,
}

/// A feed's stars ready to pack.
struct StarEntry<'a> {
    id: &'a FeedId,
    key: String,
    stars: &'a FeedStars,
    /// The places of its marks in the drop order, in the map's order.
    ranks: Vec<usize>,
}

/// What is encodable of a state, with each droppable part's rank in the drop order.
struct Ranked<'a> {
    subs: Vec<SubEntry<'a>>,
    reads: Vec<ReadEntry<'a>>,
    stars: Vec<StarEntry<'a>>,
    units: Vec<Unit>,
    /// Subscriptions too large for any item.
    oversize: Vec<FeedId>,
    /// How many of the first units are read marks.
    read_mark_units: usize,
}

fn rank<'a>(state: &'a SyncState, quota: &Quota) -> Ranked<'a> {
    let mut subs = Vec::new();
    let mut oversize = Vec::new();
    for (id, rec) in &state.subs {
        let key = feed_key(id);
        let value = sub_to_json(&rec.synced());
        let mut alone = Map::new();
        alone.insert(key.clone(), value.clone());
        let bytes = MAX_KEY_LEN + json_bytes(&Value::Object(alone));
        if bytes > quota.bytes_per_item {
            oversize.push(id.clone());
        } else {
            subs.push(SubEntry { id, key, value, rank: usize::MAX });
        }
    }
    // An unsubscribed feed's read state stays on this profile.
    let tombstoned = |id: &FeedId| state.subs.get(id).is_some_and(SubRecord::is_tombstone);
    let mut reads: Vec<_> = state
        .read
        .iter()
        .filter(|(id, _)| !tombstoned(id))
        .map(|(id, read)| ReadEntry {
            id,
            key: feed_key(id),
            read,
            rank: usize::MAX,
            mark_ranks: vec![usize::MAX; read.marks.len()],
        })
        .collect();

    let mut units = Vec::new();
    // 1. Read marks, the oldest entries first.
    let mut marks: Vec<(Secs, usize, MarkKey, usize)> = Vec::new();
    for (fi, r) in reads.iter().enumerate() {
        for (mi, (k, m)) in r.read.marks.iter().enumerate() {
            if m.read {
                marks.push((k.date, fi, *k, mi));
            }
        }
    }
    marks.sort_unstable_by_key(|&(date, fi, k, _)| (date, fi, k.entry));
    for (_, fi, k, mi) in marks {
        reads[fi].mark_ranks[mi] = units.len();
        units.push(Unit::ReadMark(k));
    }
    let read_mark_units = units.len();
    // 2. Whole feeds' read state (watermark, unread marks), least recently used first.
    let mut feeds: Vec<(Secs, usize)> = reads
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.read.steps.is_empty() || r.read.marks.values().any(|m| !m.read))
        .map(|(fi, r)| (r.read.newest(), fi))
        .collect();
    feeds.sort_unstable();
    for (_, fi) in feeds {
        reads[fi].rank = units.len();
        units.push(Unit::FeedRead(fi));
    }
    // 3. Stars, after all read state: a star is the user's deliberate choice. The oldest
    //    unstars first (they only correct a profile that saw the star), then the oldest
    //    stars. An unsubscribed feed's stars stay home.
    let mut stars: Vec<StarEntry> = state
        .stars
        .iter()
        .filter(|(id, _)| !tombstoned(id))
        .map(|(id, stars)| StarEntry {
            id,
            key: feed_key(id),
            stars,
            ranks: vec![usize::MAX; stars.len()],
        })
        .collect();
    let mut order: Vec<(bool, Secs, usize, EntryHash, usize)> = Vec::new();
    for (fi, e) in stars.iter().enumerate() {
        for (mi, (k, m)) in e.stars.iter().enumerate() {
            order.push((m.starred, m.at, fi, *k, mi));
        }
    }
    order.sort_unstable();
    for (_, _, fi, _, mi) in order {
        stars[fi].ranks[mi] = units.len();
        units.push(Unit::Star);
    }
    // 4. Tombstones, oldest first; 5. subscriptions, the newest first.
    let mut tombs = Vec::new();
    let mut lives = Vec::new();
    for (si, sub) in subs.iter().enumerate() {
        let rec = &state.subs[sub.id];
        let stamp = rec.subscribed.as_ref().map(|r| r.stamp);
        if rec.is_tombstone() {
            tombs.push((stamp, si));
        } else {
            lives.push((std::cmp::Reverse(stamp), si));
        }
    }
    tombs.sort_unstable();
    lives.sort_unstable();
    for (_, si) in tombs {
        subs[si].rank = units.len();
        units.push(Unit::Tombstone);
    }
    for (_, si) in lives {
        subs[si].rank = units.len();
        units.push(Unit::Subscription(si));
    }
    Ranked { subs, reads, stars, units, oversize, read_mark_units }
}

/// Packs entries (a feed key and its value) into the items of one bucket.
struct Packer<'q> {
    quota: &'q Quota,
    prefix: char,
    bucket: usize,
    items: Vec<(String, Map<String, Value>, usize)>,
}

impl<'q> Packer<'q> {
    fn new(quota: &'q Quota, prefix: char, bucket: usize) -> Self {
        Packer { quota, prefix, bucket, items: Vec::new() }
    }

    fn push(&mut self, key: &str, value: Value) {
        let cost = string_bytes(key) + 1 + json_bytes(&value);
        let room = |(_, map, size): &(String, Map<String, Value>, usize)| {
            !map.contains_key(key) && size + 1 + cost <= self.quota.bytes_per_item
        };
        if !self.items.last().is_some_and(room) {
            let n = self.items.len();
            let name = if n == 0 {
                format!("~{}{}", self.prefix, bucket_char(self.bucket))
            } else {
                format!("~{}{}.{n}", self.prefix, bucket_char(self.bucket))
            };
            let base = name.len() + 2;
            self.items.push((name, Map::new(), base - 1)); // the first entry adds no comma
        }
        let last = self.items.last_mut().expect("an item was just made");
        last.1.insert(key.to_string(), value);
        last.2 += 1 + cost;
    }

    fn finish(self, out: &mut Items) -> usize {
        let mut bytes = 0;
        for (name, map, size) in self.items {
            let value = Value::Object(map);
            debug_assert_eq!(size, item_bytes(&name, &value), "{name}");
            bytes += size;
            out.insert(name, value);
        }
        bytes
    }
}

/// The pieces of one feed's read state, without the marks whose rank is below `cut`: each
/// piece fits in an item beside the feed's key.
fn pieces(
    key: &str,
    read: &FeedRead,
    mark_ranks: &[usize],
    cut: usize,
    quota: &Quota,
) -> Vec<String> {
    let room = quota.bytes_per_item.saturating_sub(MAX_KEY_LEN + 2 + string_bytes(key) + 1 + 2);
    let mut out = Vec::new();
    // A staircase longer than an item (hundreds of concurrent "mark all read") loses its
    // lowest steps: less is read elsewhere, nothing more.
    let mut steps = read.steps.as_slice();
    let mut w = PieceWriter::new(steps);
    while w.text.len() > room {
        steps = &steps[1..];
        w = PieceWriter::new(steps);
    }
    let mut has_content = !steps.is_empty();
    let kept =
        read.marks.iter().zip(mark_ranks).filter(|(_, &r)| r >= cut).map(|((k, m), _)| (k, m));
    for (k, m) in by_date(kept) {
        if w.text.len() + w.cost(k, m) > room && has_content {
            out.push(std::mem::replace(&mut w, PieceWriter::new(&[])).text);
        }
        w.push(k, m);
        has_content = true;
    }
    if has_content && w.text.len() <= room {
        out.push(w.text);
    }
    out
}

/// The pieces of one feed's stars, without those whose rank is below `cut`: each fits in
/// an item beside the feed's key.
fn star_pieces(key: &str, e: &StarEntry, cut: usize, quota: &Quota) -> Vec<String> {
    let room = quota.bytes_per_item.saturating_sub(MAX_KEY_LEN + 2 + string_bytes(key) + 1 + 2);
    let mut out = Vec::new();
    let mut piece = String::new();
    for ((k, m), _) in e.stars.iter().zip(&e.ranks).filter(|(_, &r)| r >= cut) {
        if piece.len() + star_cost(m) > room && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
        }
        put_star(&mut piece, *k, m);
    }
    if !piece.is_empty() && piece.len() <= room {
        out.push(piece);
    }
    out
}

fn layout(state: &SyncState, ranked: &Ranked, cut: usize, quota: &Quota) -> (Items, usize) {
    let mut items = Items::new();
    let mut header = Map::new();
    header.insert("v".into(), Value::from(FORMAT_VERSION));
    if let Some(f) = state.floor {
        header.insert("f".into(), Value::from(f));
    }
    let header = Value::Object(header);
    let mut bytes = item_bytes(HEADER_KEY, &header);
    items.insert(HEADER_KEY.to_string(), header);

    let mut subs: Vec<Vec<(&String, &Value)>> = vec![Vec::new(); BUCKETS];
    for sub in ranked.subs.iter().filter(|s| s.rank >= cut) {
        subs[bucket(sub.id)].push((&sub.key, &sub.value));
    }
    for (b, mut entries) in subs.into_iter().enumerate() {
        entries.sort_unstable_by(|x, y| x.0.cmp(y.0));
        let mut p = Packer::new(quota, 's', b);
        for (key, value) in entries {
            p.push(key, value.clone());
        }
        bytes += p.finish(&mut items);
    }

    // Read marks rank below every feed unit: when the feed is cut, so are they.
    let reads = ranked
        .reads
        .iter()
        .filter(|r| r.rank >= cut)
        .map(|r| (r.id, &r.key, pieces(&r.key, r.read, &r.mark_ranks, cut, quota)));
    bytes += pack_pieces(quota, 'r', reads, &mut items);
    let stars = ranked.stars.iter().map(|e| (e.id, &e.key, star_pieces(&e.key, e, cut, quota)));
    bytes += pack_pieces(quota, 't', stars, &mut items);
    (items, bytes)
}

/// Pack each feed's pieces (`(feed, its key, pieces)`) into the items of its bucket, under
/// `prefix`; the bytes they take.
fn pack_pieces<'a>(
    quota: &Quota,
    prefix: char,
    feeds: impl Iterator<Item = (&'a FeedId, &'a String, Vec<String>)>,
    items: &mut Items,
) -> usize {
    let mut by_bucket: Vec<Vec<(&String, Vec<String>)>> = vec![Vec::new(); BUCKETS];
    for (id, key, ps) in feeds.filter(|(_, _, ps)| !ps.is_empty()) {
        by_bucket[bucket(id)].push((key, ps));
    }
    let mut bytes = 0;
    for (b, mut entries) in by_bucket.into_iter().enumerate() {
        entries.sort_unstable_by(|x, y| x.0.cmp(y.0));
        let mut p = Packer::new(quota, prefix, b);
        for (key, ps) in entries {
            for piece in ps {
                p.push(key, Value::String(piece));
            }
        }
        bytes += p.finish(items);
    }
    bytes
}

fn fits(items: &Items, bytes: usize, quota: &Quota) -> bool {
    bytes <= quota.bytes && items.len() <= quota.max_items
}

/// Encode `state` into items that respect `quota`. When it does not fit, the least valuable
/// parts are left out, in this order, as few as needed: read marks of single entries (the
/// oldest entries first); whole feeds' read state (least recently used first); old
/// unsubscriptions; last, subscriptions (the newest first). Nothing is ever advanced: a
/// left-out read mark makes an entry unread elsewhere, never the reverse, because unread
/// marks and watermarks go only with their whole feed.
pub fn encode(state: &SyncState, quota: &Quota) -> Encoded {
    let ranked = rank(state, quota);
    let n = ranked.units.len();
    // However they pack, more than this many read marks cannot fit: start the search there.
    let most_marks = quota.bytes / MIN_MARK_BYTES;
    let mut lo = ranked.read_mark_units.saturating_sub(most_marks);
    let mut best = None;
    if lo == 0 {
        let (items, bytes) = layout(state, &ranked, 0, quota);
        if fits(&items, bytes, quota) {
            best = Some((0, items, bytes));
        }
        lo = 1;
    }
    if best.is_none() {
        // The smallest cut that fits; with every unit cut only the header is left.
        let mut hi = n;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (items, bytes) = layout(state, &ranked, mid, quota);
            if fits(&items, bytes, quota) {
                hi = mid;
                best = Some((mid, items, bytes));
            } else {
                lo = mid + 1;
            }
        }
        if best.as_ref().is_none_or(|(cut, _, _)| *cut != hi) {
            let (items, bytes) = layout(state, &ranked, hi, quota);
            best = Some((hi, items, bytes));
        }
    }
    let (cut, items, bytes) = best.expect("a cut was chosen");
    let mut trimmed = Trimmed { too_large: ranked.oversize.clone(), ..Trimmed::default() };
    for unit in &ranked.units[..cut] {
        match unit {
            Unit::ReadMark(k) => {
                trimmed.read_marks += 1;
                trimmed.read_marks_up_to = trimmed.read_marks_up_to.max(Some(to_millis(k.date)));
            }
            &Unit::FeedRead(fi) => trimmed.feeds.push(ranked.reads[fi].id.clone()),
            Unit::Star => trimmed.stars += 1,
            Unit::Tombstone => trimmed.tombstones += 1,
            &Unit::Subscription(si) => trimmed.subscriptions.push(ranked.subs[si].id.clone()),
        }
    }
    Encoded { items, bytes, trimmed }
}

/// The state read back from items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decoded {
    pub state: SyncState,
    /// Items or entries that could not be read (left out; the rest still counts).
    pub skipped: Vec<SyncError>,
}

/// Read sync's items (other keys are ignored). Fails only when the items were written by a
/// newer version of the layout, which this one must neither read nor overwrite.
pub fn decode(items: &Items) -> Result<Decoded, SyncError> {
    let mut out = Decoded::default();
    if let Some(h) = items.get(HEADER_KEY) {
        let version = h.get("v").and_then(Value::as_u64);
        match version {
            Some(v) if v > FORMAT_VERSION => return Err(SyncError::newer(HEADER_KEY, v)),
            Some(_) => {}
            None => out.skipped.push(SyncError::malformed(HEADER_KEY, "no version")),
        }
        match h.get("f").map(Value::as_i64) {
            None => {}
            Some(Some(f)) if (-MAX_SECS..=MAX_SECS).contains(&f) => out.state.floor = Some(f),
            Some(_) => out.skipped.push(SyncError::malformed(HEADER_KEY, "a bad floor")),
        }
    }
    for (key, value) in items.iter().filter(|(k, _)| is_sync_key(k) && *k != HEADER_KEY) {
        let kind = key.as_bytes().get(1).copied();
        let Some(map) = value.as_object().filter(|_| matches!(kind, Some(b's' | b'r' | b't')))
        else {
            out.skipped.push(SyncError::malformed(key, "not an item of this layout"));
            continue;
        };
        for (fk, v) in map {
            let state = &mut out.state;
            let entry = parse_feed_key(fk).and_then(|id| {
                if kind == Some(b's') {
                    let rec = sub_from_json(v)?;
                    state.subs.entry(id).or_default().join(&rec);
                } else if kind == Some(b't') {
                    let stars = read_star_piece(v.as_str().ok_or("a star piece is a string")?)?;
                    join_stars(state.stars.entry(id).or_default(), &stars);
                } else {
                    let piece = read_piece(v.as_str().ok_or("a read piece is a string")?)?;
                    // Normalized once at the end, when the floor is known.
                    state.read.entry(id).or_default().join(&piece);
                }
                Ok(())
            });
            if let Err(e) = entry {
                out.skipped.push(SyncError::malformed(key, &format!("{fk}: {e}")));
            }
        }
    }
    out.state.normalize();
    Ok(out)
}

/// The calls that turn the items in storage into new ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    /// Items to write, in one `set()` call.
    pub set: Items,
    /// Keys to remove, in one `remove()` call.
    pub remove: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }

    /// The write operations it costs: each `set()` and each `remove()` call counts one,
    /// however many keys it carries.
    pub fn operations(&self) -> usize {
        usize::from(!self.set.is_empty()) + usize::from(!self.remove.is_empty())
    }

    /// The bytes it writes.
    pub fn bytes(&self) -> usize {
        self.set.iter().map(|(k, v)| item_bytes(k, v)).sum()
    }
}

/// The fewest changes that turn `current` (the whole area, other keys included) into
/// `next`: only items whose value changed are set, only sync keys that `next` lacks are
/// removed; other keys are left alone.
pub fn diff(current: &Items, next: &Items) -> Diff {
    let set = crate::core::btree_map(
        next.iter()
            .filter(|(k, v)| current.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let remove =
        current.keys().filter(|k| is_sync_key(k) && !next.contains_key(*k)).cloned().collect();
    Diff { set, remove }
}

/// Why the service considers writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The user changed something on this profile.
    Local,
    /// Items from another profile were merged in (`storage.onChanged`, start-up).
    Remote,
}

/// A write to make.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub diff: Diff,
    /// What the quota left out (for the popup).
    pub trimmed: Trimmed,
    /// Sync's items' total size after the write.
    pub bytes: usize,
}

/// What to write to `storage.sync` so that it carries `replica` (this profile's state,
/// already merged with `current`), or `None` when nothing should be written.
///
/// After a local change anything that differs is written. After a remote change a profile
/// writes only what adds to the storage without taking anything from it (what the encoding
/// leaves out by design, an unsubscribed feed's fields and read state, does not count as
/// taken, and is cleaned up): when two profiles hold more than the quota, each could
/// otherwise keep replacing the other's trimmed choice with its own, forever. Storage that
/// could not be read is always rewritten.
pub fn plan_write(
    replica: &SyncState,
    current: &Items,
    cause: Cause,
    quota: &Quota,
) -> Result<Option<Outgoing>, SyncError> {
    let stored = decode(current)?;
    let encoded = encode(replica, &quota.without_others(current));
    let diff = diff(current, &encoded.items);
    if diff.is_empty() {
        return Ok(None);
    }
    if cause == Cause::Remote && stored.skipped.is_empty() {
        let written = decode(&encoded.items)?.state;
        if written == stored.state || !stored.state.seen_through(replica).is_covered_by(&written) {
            return Ok(None);
        }
    }
    Ok(Some(Outgoing { diff, trimmed: encoded.trimmed, bytes: encoded.bytes }))
}

/// `true` when an item set respects every quota (for tests and assertions).
pub fn within(items: &Items, quota: &Quota) -> bool {
    let sizes: Vec<usize> = items.iter().map(|(k, v)| item_bytes(k, v)).collect();
    items.len() <= quota.max_items
        && sizes.iter().all(|&s| s <= quota.bytes_per_item)
        && sizes.iter().sum::<usize>() <= quota.bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_feed_never_appears_twice_in_an_item() {
        // A feed's read state split in pieces: each piece must land in its own item, or
        // the JSON object would keep only the last.
        let q = Quota::default();
        let mut p = Packer::new(&q, 'r', 3);
        p.push("feed-one", Value::String("A1".into()));
        p.push("feed-one", Value::String("A2".into()));
        p.push("feed-two", Value::String("A3".into()));
        let mut out = Items::new();
        let bytes = p.finish(&mut out);
        assert_eq!(out.keys().collect::<Vec<_>>(), ["~rD", "~rD.1"]);
        assert_eq!(out["~rD.1"].as_object().unwrap().len(), 2);
        assert_eq!(bytes, out.iter().map(|(k, v)| item_bytes(k, v)).sum::<usize>());
    }

    #[test]
    fn items_are_filled_up_to_the_per_item_quota_and_no_further() {
        let q = Quota { bytes_per_item: 40, ..Quota::default() };
        let mut p = Packer::new(&q, 's', 0);
        for i in 0..5 {
            p.push(&format!("k{i}"), Value::String("x".repeat(10)));
        }
        let mut out = Items::new();
        p.finish(&mut out);
        assert!(out.iter().all(|(k, v)| item_bytes(k, v) <= 40));
        // `~sA` + `{}` + two `"kN":"xxxxxxxxxx"` and a comma is exactly 40 bytes.
        assert_eq!(item_bytes("~sA", &out["~sA"]), 40);
        // The longer keys of overflow items leave room for one each.
        assert_eq!(out.len(), 4);
    }
}
