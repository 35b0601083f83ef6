//! Property tests of `core::sync`: the merge is a lattice join (commutative, associative,
//! idempotent, and every local operation moves a state up), replicas converge whatever
//! order states reach them in, the encodings round-trip, the sync encoding respects every
//! quota, never shows read what was not, and keeps stars before read marks, the diff is
//! exact and minimal, and the write loop between profiles goes quiet.

use planet_reader::core::store::{FeedId, Millis, Subscription, HOUR};
use planet_reader::core::sync::{
    decode, diff, encode, item_bytes, plan_write, within, Cause, Device, Items, Quota, SyncState,
};
use proptest::prelude::*;

const T: Millis = 1_760_000_000_000;
const FEEDS: u8 = 4;
const ENTRIES: u8 = 8;

fn url(feed: u8, variant: u8) -> String {
    if variant == 0 {
        format!("https://f{feed}.example.org/feed.xml")
    } else {
        format!("http://f{feed}.example.org/feed-{variant}.xml")
    }
}

fn feed(feed: u8) -> FeedId {
    FeedId::for_url(&url(feed, 0))
}

fn device(d: u8) -> Device {
    Device::new(&format!("device-{d}"))
}

fn date(d: u8) -> Millis {
    T + i64::from(d) * HOUR
}

/// One user action on one profile. Times are in half seconds over 20 s, so that same-second
/// ties are common; dates are hours.
#[derive(Clone, Debug)]
enum Op {
    Subscribe { feed: u8, title: Option<u8>, folder: Option<u8>, at: u8 },
    Unsubscribe { feed: u8, at: u8 },
    Rename { feed: u8, title: Option<u8>, at: u8 },
    Move { feed: u8, folder: Option<u8>, at: u8 },
    Redirect { feed: u8, url: u8, at: u8 },
    Mark { feed: u8, entry: u8, date: u8, read: bool, at: u8 },
    MarkUpTo { feed: u8, upto: u8, at: u8 },
    Star { feed: u8, entry: u8, starred: bool, at: u8 },
    Compact { now: u8 },
}

fn at(t: u8) -> Millis {
    T + 10 * HOUR + i64::from(t) * 500
}

fn op() -> impl Strategy<Value = Op> {
    let f = 0..FEEDS;
    let t = 0..40u8;
    let name = proptest::option::of(0..3u8);
    prop_oneof![
        2 => (f.clone(), name.clone(), name.clone(), t.clone())
            .prop_map(|(feed, title, folder, at)| Op::Subscribe { feed, title, folder, at }),
        2 => (f.clone(), t.clone()).prop_map(|(feed, at)| Op::Unsubscribe { feed, at }),
        1 => (f.clone(), name.clone(), t.clone()).prop_map(|(feed, title, at)| Op::Rename { feed, title, at }),
        1 => (f.clone(), name, t.clone()).prop_map(|(feed, folder, at)| Op::Move { feed, folder, at }),
        1 => (f.clone(), 0..3u8, t.clone()).prop_map(|(feed, url, at)| Op::Redirect { feed, url, at }),
        4 => (f.clone(), 0..ENTRIES, 0..12u8, any::<bool>(), t.clone())
            .prop_map(|(feed, entry, date, read, at)| Op::Mark { feed, entry, date, read, at }),
        2 => (f.clone(), 0..12u8, t.clone()).prop_map(|(feed, upto, at)| Op::MarkUpTo { feed, upto, at }),
        3 => (f, 0..ENTRIES, any::<bool>(), t)
            .prop_map(|(feed, entry, starred, at)| Op::Star { feed, entry, starred, at }),
        1 => (0..12u8).prop_map(|now| Op::Compact { now }),
    ]
}

fn apply(s: &mut SyncState, dev: u8, op: &Op) {
    let d = device(dev);
    match *op {
        Op::Subscribe { feed: f, title, folder, at: t } => {
            let sub = Subscription {
                id: feed(f),
                url: url(f, 0),
                title: title.map(|i| format!("Title {i}")),
                folder: folder.map(|i| format!("Folder <{i}>")),
                added: at(t),
            };
            s.subscribe(&sub, at(t), d);
        }
        Op::Unsubscribe { feed: f, at: t } => s.unsubscribe(&feed(f), at(t), d),
        Op::Rename { feed: f, title, at: t } => {
            s.rename(&feed(f), title.map(|i| format!("Näme {i}")).as_deref(), at(t), d)
        }
        Op::Move { feed: f, folder, at: t } => {
            s.move_to_folder(&feed(f), folder.map(|i| format!("F{i}")).as_deref(), at(t), d)
        }
        Op::Redirect { feed: f, url: u, at: t } => s.change_url(&feed(f), &url(f, u), at(t), d),
        Op::Mark { feed: f, entry, date: dt, read, at: t } => {
            s.mark(&feed(f), &format!("entry-{entry}"), date(dt), read, at(t))
        }
        Op::MarkUpTo { feed: f, upto, at: t } => s.mark_read_up_to(&feed(f), date(upto), at(t)),
        Op::Star { feed: f, entry, starred, at: t } => {
            s.star(&feed(f), &format!("entry-{entry}"), starred, at(t))
        }
        // Horizons between 1 and 12 hours: some marks (dated by the hour) fall under them.
        Op::Compact { now } => s.compact(date(now) + HOUR, 2 * HOUR),
    }
}

fn script() -> impl Strategy<Value = Vec<(u8, Op)>> {
    proptest::collection::vec((0..3u8, op()), 0..25)
}

fn state() -> impl Strategy<Value = SyncState> {
    script().prop_map(|ops| {
        let mut s = SyncState::new();
        for (d, o) in &ops {
            apply(&mut s, *d, o);
        }
        s
    })
}

/// Everything a user can observe of a state on the probe domain: subscriptions with their
/// fields, the read state of every (feed, entry, date), and every entry's star.
fn observe(s: &SyncState) -> (Vec<Subscription>, Vec<Option<bool>>, Vec<Option<bool>>) {
    let mut reads = Vec::new();
    let mut stars = Vec::new();
    for f in 0..FEEDS {
        for e in 0..ENTRIES {
            for dt in 0..12 {
                reads.push(s.read_state(&feed(f), &format!("entry-{e}"), date(dt)).map(|m| m.read));
            }
            stars.push(s.star_state(&feed(f), &format!("entry-{e}")).map(|m| m.starred));
        }
    }
    (s.subscriptions(), reads, stars)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn merge_is_commutative(a in state(), b in state()) {
        prop_assert_eq!(a.merged(&b), b.merged(&a));
    }

    #[test]
    fn merge_is_associative(a in state(), b in state(), c in state()) {
        prop_assert_eq!(a.merged(&b.merged(&c)), a.merged(&b).merged(&c));
    }

    #[test]
    fn merge_is_idempotent(a in state(), b in state()) {
        prop_assert_eq!(a.merged(&a), a.clone());
        let ab = a.merged(&b);
        prop_assert_eq!(ab.merged(&b), ab.clone());
        prop_assert!(a.is_covered_by(&ab) && b.is_covered_by(&ab));
    }

    #[test]
    fn every_local_operation_moves_the_state_up(s in state(), d in 0..3u8, o in op()) {
        let mut after = s.clone();
        apply(&mut after, d, &o);
        prop_assert!(s.is_covered_by(&after), "{:?}", o);
    }

    /// Three profiles act and exchange states in any interleaving; every state they ever
    /// had is then delivered to observers in different orders, some twice: all end equal,
    /// and equal to the profiles after a full exchange.
    #[test]
    fn replicas_converge_whatever_order_states_arrive_in(
        events in proptest::collection::vec((0..3u8, prop_oneof![3 => op().prop_map(Some), 1 => Just(None)], 0..3u8), 0..50),
        order in any::<u64>(),
    ) {
        let mut devices = vec![SyncState::new(); 3];
        let mut sent = Vec::new();
        for (d, o, from) in &events {
            let d = usize::from(*d);
            match o {
                Some(o) => apply(&mut devices[d], d as u8, o),
                None => {
                    let other = devices[usize::from(*from)].clone();
                    devices[d].merge(&other);
                }
            }
            sent.push(devices[d].clone());
        }
        let mut forward = SyncState::new();
        for s in &sent {
            forward.merge(s);
        }
        let mut shuffled = sent.clone();
        let mut x = order | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut other = SyncState::new();
        for s in shuffled.iter().chain(sent.iter().step_by(2)) {
            other.merge(s);
        }
        prop_assert_eq!(&forward, &other);
        let all = devices.iter().fold(SyncState::new(), |acc, s| acc.merged(s));
        for d in &mut devices {
            d.merge(&all);
        }
        prop_assert!(devices.iter().all(|d| d == &devices[0]));
        prop_assert_eq!(observe(&devices[0]), observe(&forward));
    }

    /// A horizon forgets old read marks but never a star: a saved entry stays saved
    /// however old it is.
    #[test]
    fn compaction_never_forgets_a_star(s in state(), now in 0..12u8) {
        let mut after = s.clone();
        after.compact(date(now) + HOUR, 2 * HOUR);
        prop_assert_eq!(after.star_feeds(), s.star_feeds());
    }

    #[test]
    fn the_local_form_round_trips(s in state()) {
        let json = serde_json::to_string(&s).unwrap();
        let back: SyncState = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, s);
    }

    /// Without quota pressure, what another profile reads back is everything a user can
    /// see (tombstones keep only their stamp, and an unsubscribed feed's read state stays
    /// home); re-encoding that is byte-identical.
    #[test]
    fn the_sync_encoding_round_trips(s in state()) {
        let enc = encode(&s, &Quota::default());
        prop_assert!(enc.trimmed.is_empty());
        let back = decode(&enc.items).unwrap();
        prop_assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        prop_assert_eq!(&back.state, &s.synced_view());
        prop_assert!(back.state.is_covered_by(&s));
        prop_assert_eq!(back.state.subscriptions(), s.subscriptions());
        for (id, rec) in s.records() {
            if !rec.is_tombstone() {
                prop_assert_eq!(back.state.record(id), Some(rec));
                prop_assert_eq!(back.state.feed_read(id), s.feed_read(id));
                prop_assert_eq!(back.state.feed_stars(id), s.feed_stars(id));
            } else {
                prop_assert!(back.state.record(id).unwrap().is_tombstone());
                prop_assert!(back.state.feed_read(id).is_none());
                prop_assert!(back.state.feed_stars(id).is_none());
            }
        }
        prop_assert_eq!(encode(&back.state, &Quota::default()).items, enc.items);
    }
}

/// Items as another (buggy, newer or hostile) writer might leave them: packed strings of
/// base64url characters, arrays and odd JSON, under sync's keys.
fn junk_items() -> impl Strategy<Value = Items> {
    let text = "[A-Za-z0-9_+?-]{0,40}";
    let value = prop_oneof![
        text.prop_map(serde_json::Value::from),
        proptest::collection::vec(
            prop_oneof![
                text.prop_map(serde_json::Value::from),
                Just(serde_json::Value::Null),
                Just(serde_json::Value::from(0)),
                any::<i64>().prop_map(serde_json::Value::from),
            ],
            0..6
        )
        .prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
    ];
    let feed_key = prop_oneof!["[A-Za-z0-9_-]{11}", "~[a-z]{0,5}", ".{0,12}"];
    let object = proptest::collection::btree_map(feed_key, value, 0..5)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()));
    let key =
        prop_oneof!["~[srt][A-Za-f](\\.[1-3])?", Just("~h".to_string()), "~[a-z]", "[a-z]{1,6}"];
    proptest::collection::btree_map(key, object, 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever is in storage, decoding neither panics nor returns a state that is not in
    /// normal form: re-encoding and decoding it gives it back.
    #[test]
    fn decoding_anything_is_safe_and_normal(items in junk_items()) {
        if let Ok(d) = decode(&items) {
            let again = decode(&encode(&d.state, &Quota::default()).items).unwrap();
            prop_assert_eq!(again.state, d.state.synced_view());
            prop_assert!(again.skipped.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `storage.sync` merges concurrent writers key by key: any mixture of two profiles'
    /// items (some keys from one, some from the other, some gone) decodes cleanly to part
    /// of what the two hold together. Read pieces cut short anywhere decode to part of the
    /// original or are refused.
    #[test]
    fn mixtures_and_cut_pieces_decode_to_part_of_the_whole(
        a in state(), b in state(), pick in any::<u64>(), cut in any::<usize>(),
    ) {
        let q = Quota { bytes_per_item: 300, ..Quota::default() }; // many items to mix
        let (ea, eb) = (encode(&a, &q).items, encode(&b, &q).items);
        let whole = a.synced_view().merged(&b.synced_view());
        let mut mixed = Items::new();
        for (i, k) in ea.keys().chain(eb.keys()).enumerate() {
            match (pick >> (i % 64)) & 3 {
                0 => {}
                1 => { if let Some(v) = ea.get(k) { mixed.insert(k.clone(), v.clone()); } }
                _ => { if let Some(v) = eb.get(k) { mixed.insert(k.clone(), v.clone()); } }
            }
        }
        let d = decode(&mixed).unwrap();
        prop_assert!(d.skipped.is_empty(), "{:?}", d.skipped);
        prop_assert!(d.state.is_covered_by(&whole));
        let mut cut_items = ea.clone();
        for (k, v) in cut_items.iter_mut().filter(|(k, _)| k.starts_with("~r") || k.starts_with("~t")) {
            let _ = k;
            for piece in v.as_object_mut().unwrap().values_mut() {
                let text = piece.as_str().unwrap().to_string();
                let at = cut % (text.len() + 1);
                *piece = serde_json::Value::from(&text[..at]);
            }
        }
        let d = decode(&cut_items).unwrap();
        prop_assert!(d.state.is_covered_by(&a.synced_view()));
    }
}

/// A large state from a seed: `feeds` feeds with up to `marks` marks each, long titles,
/// watermarks on some, unsubscriptions on some.
fn bulk(feeds: u32, marks: u32, seed: u64) -> SyncState {
    let mut x = seed | 1;
    let mut rnd = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n.max(1)
    };
    let mut s = SyncState::new();
    let d = device(0);
    for f in 0..feeds {
        let u = format!("https://blog-{f}.example.com/{}/feed.xml", "p".repeat(rnd(80) as usize));
        let id = FeedId::for_url(&u);
        let title = (rnd(2) == 0).then(|| "Ü<".repeat(rnd(120) as usize));
        s.subscribe(&Subscription { id: id.clone(), url: u, title, folder: None, added: T }, T, d);
        let n = rnd(u64::from(marks) + 1);
        for e in 0..n {
            let dt = T - rnd(400) as i64 * HOUR;
            s.mark(&id, &format!("{f}/{e}"), dt, rnd(5) != 0, T + rnd(1000) as i64 * 1000);
        }
        if rnd(3) == 0 {
            let upto = T - rnd(400) as i64 * HOUR;
            s.mark_read_up_to(&id, upto, T + rnd(1000) as i64 * 1000);
            // Exceptions: entries under the watermark marked unread again later.
            for e in 0..rnd(u64::from(marks) / 4 + 1) {
                let dt = upto - rnd(100) as i64 * HOUR;
                s.mark(
                    &id,
                    &format!("{f}/x{e}"),
                    dt,
                    false,
                    T + 2_000_000 + rnd(1000) as i64 * 1000,
                );
            }
        }
        // Stars on some entries, some taken off again.
        for e in 0..rnd(u64::from(marks) / 5 + 1) {
            let at = T + rnd(1000) as i64 * 1000;
            s.star(&id, &format!("{f}/s{e}"), true, at);
            if rnd(4) == 0 {
                s.star(&id, &format!("{f}/s{e}"), false, at + 60_000);
            }
        }
        if rnd(10) == 0 {
            s.unsubscribe(&id, T + 5_000_000, d);
        }
    }
    s
}

/// Star marks (stars and unstars) of unsubscribed feeds, which are not synced at all.
fn stars_staying_home(s: &SyncState) -> usize {
    s.star_feeds()
        .iter()
        .filter(|(id, _)| s.record(id).is_some_and(|r| r.is_tombstone()))
        .map(|(_, st)| st.len())
        .sum()
}

/// Read marks of unsubscribed feeds, which are not synced at all.
fn staying_home(s: &SyncState) -> usize {
    s.read_feeds()
        .iter()
        .filter(|(id, _)| s.record(id).is_some_and(|r| r.is_tombstone()))
        .map(|(_, fr)| fr.marks().values().filter(|m| m.read).count())
        .sum()
}

fn quota() -> impl Strategy<Value = Quota> {
    (64usize..=8192, 200usize..=102_400, 1usize..=512).prop_map(|(per_item, bytes, max_items)| {
        Quota { bytes, bytes_per_item: per_item, max_items }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the state and the quota, the items respect every limit (as the browsers
    /// count them: key bytes plus JSON, with escapes), and what is left out never makes
    /// anything read or subscribed that was not.
    #[test]
    fn the_encoding_always_stays_under_every_quota(
        feeds in 0u32..60, marks in 0u32..250, seed in any::<u64>(), q in quota(),
    ) {
        let s = bulk(feeds, marks, seed);
        let enc = encode(&s, &q);
        prop_assert!(within(&enc.items, &q), "{} bytes in {} items", enc.bytes, enc.items.len());
        let counted: usize = enc.items.iter().map(|(k, v)| item_bytes(k, v)).sum();
        prop_assert_eq!(counted, enc.bytes);
        for (k, v) in &enc.items {
            prop_assert!(k.len() + serde_json::to_string(v).unwrap().len() <= item_bytes(k, v));
        }
        let back = decode(&enc.items).unwrap().state;
        prop_assert!(back.is_covered_by(&s));
        // No advance: every read mark, watermark and subscription read back is the
        // original's verdict too.
        for sub in back.subscriptions() {
            prop_assert!(s.subscriptions().contains(&sub));
        }
        for (id, fr) in back.read_feeds() {
            let full = s.feed_read(id).unwrap();
            // Probe every entry the original knows, at its own date and at every step's
            // edge, and an entry nobody marked at each edge.
            let edges: Vec<i64> = full.steps().iter().flat_map(|st| [st.upto, st.upto + 1]).collect();
            let probes = full.marks().keys().flat_map(|k| {
                std::iter::once((k.entry, k.date)).chain(edges.iter().map(move |&d| (k.entry, d)))
            });
            let nobody = planet_reader::core::sync::EntryHash::of("nobody");
            for (entry, date) in probes.chain(edges.iter().map(|&d| (nobody, d))) {
                if fr.effective(entry, date).is_some_and(|m| m.read) {
                    prop_assert!(full.effective(entry, date).is_some_and(|m| m.read));
                }
            }
        }
        // Subscriptions go last: if one was left out for room, no read state nor
        // tombstone is left; the report says exactly what is missing.
        if !enc.trimmed.subscriptions.is_empty() {
            prop_assert!(back.read_feeds().is_empty());
            prop_assert_eq!(back.stats().tombstones, 0);
        }
        let missing: Vec<&FeedId> =
            s.records().keys().filter(|id| back.record(id).is_none()).collect();
        prop_assert_eq!(
            missing.len(),
            enc.trimmed.subscriptions.len() + enc.trimmed.too_large.len() + enc.trimmed.tombstones
        );
        prop_assert_eq!(
            back.stats().read_marks + enc.trimmed.read_marks,
            s.stats().read_marks - staying_home(&s)
        );
        // Stars are read back as they are, and kept before read state: once one is left
        // out, no read mark, watermark or unread mark is left.
        let (b, o) = (back.stats(), s.stats());
        prop_assert_eq!(b.stars + b.unstars + enc.trimmed.stars, o.stars + o.unstars - stars_staying_home(&s));
        for (id, stars) in back.star_feeds() {
            let full = s.feed_stars(id).unwrap();
            for (k, m) in stars {
                prop_assert_eq!(full.get(k), Some(m));
            }
        }
        if enc.trimmed.stars > 0 {
            prop_assert!(back.read_feeds().is_empty(), "read state kept while a star went");
        }
        // Unstars go before stars.
        if b.unstars > 0 {
            prop_assert_eq!(b.stars, o.stars - s.star_feeds().iter()
                .filter(|(id, _)| s.record(id).is_some_and(|r| r.is_tombstone()))
                .map(|(_, st)| st.values().filter(|m| m.starred).count()).sum::<usize>());
        }
    }

    /// The diff turns the stored items into the new ones exactly, leaves other keys alone,
    /// and sets no item whose value is unchanged.
    #[test]
    fn the_diff_is_exact_and_minimal(a in state(), b in state(), foreign in any::<bool>()) {
        let q = Quota::default();
        let mut current = encode(&a, &q).items;
        if foreign {
            current.insert("settings".into(), serde_json::json!({"theme": "dark"}));
        }
        let next = encode(&a.merged(&b), &q).items;
        let d = diff(&current, &next);
        for (k, v) in &d.set {
            prop_assert_ne!(current.get(k), Some(v));
        }
        let mut after = current.clone();
        for k in &d.remove {
            after.remove(k);
        }
        after.extend(d.set.clone());
        let mut expected = next.clone();
        if foreign {
            expected.insert("settings".into(), serde_json::json!({"theme": "dark"}));
        }
        prop_assert_eq!(after, expected);
        prop_assert!(diff(&next, &next).is_empty());
    }

    /// Profiles with different states and a quota too small for all of it write to one
    /// storage, which merges concurrent writes key by key (a random writer wins each key):
    /// the exchange goes quiet, and when nothing had to be trimmed every profile ends with
    /// the same synced state.
    #[test]
    fn the_write_loop_between_profiles_goes_quiet(
        seeds in proptest::collection::vec(any::<u64>(), 2..4),
        tight in any::<bool>(),
        mix in any::<u64>(),
    ) {
        let q = if tight { Quota { bytes: 1_500, bytes_per_item: 600, max_items: 512 } } else { Quota::default() };
        let mut replicas: Vec<SyncState> = seeds.iter().map(|&s| bulk(6, 30, s)).collect();
        let mut storage = Items::new();
        let mut x = mix | 1;
        let mut rounds = 0;
        let mut cause = Cause::Local;
        loop {
            rounds += 1;
            prop_assert!(rounds < 60, "the profiles keep overwriting each other");
            let mut writes = Vec::new();
            for r in &mut replicas {
                r.merge(&decode(&storage).unwrap().state);
                if let Some(out) = plan_write(r, &storage, cause, &q).unwrap() {
                    writes.push(out.diff);
                }
            }
            cause = Cause::Remote;
            if writes.is_empty() {
                break;
            }
            // Concurrent writes: for each key, one writer's version survives.
            let mut keys: Vec<String> = writes.iter().flat_map(|w| w.set.keys().chain(w.remove.iter()).cloned()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let touching: Vec<_> = writes.iter().filter(|w| w.set.contains_key(&k) || w.remove.contains(&k)).collect();
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                let w = touching[(x % touching.len() as u64) as usize];
                match w.set.get(&k) {
                    Some(v) => { storage.insert(k, v.clone()); }
                    None => { storage.remove(&k); }
                }
            }
            prop_assert!(within(&storage, &q) || writes.len() > 1);
        }
        if !tight {
            let views: Vec<_> = replicas.iter().map(|r| decode(&encode(r, &q).items).unwrap().state).collect();
            prop_assert!(views.iter().all(|v| v == &views[0]));
            prop_assert_eq!(&decode(&storage).unwrap().state, &views[0]);
        }
    }
}
