//! The user's settings: exactly what is stored ([`RawSettings`], every field optional and
//! kept apart from the others) and what the extension runs on ([`Settings`], validated,
//! with defaults) — the ripgrep habit of low-level arguments turned into high-level ones.
//!
//! ```
//! use planet_reader::core::settings::{RawSettings, Settings, Images};
//! use serde_json::json;
//!
//! // What storage.sync holds: a bad value loses only itself.
//! let stored = json!({ "refresh_minutes": "often", "images": "block", "theme": 7 });
//! let settings = Settings::from_raw(&RawSettings::join(Some(&stored), None));
//! assert_eq!(settings.refresh_minutes, 30); // the default
//! assert_eq!(settings.images, Images::Block);
//! ```
//!
//! # Where each setting lives
//!
//! Settings are stored once, under the key [`KEY_SETTINGS`], in one of two areas:
//! `storage.sync`, for what should follow the user to their other browsers (everything
//! but one), and `storage.local`, for what belongs to this browser ([`LOCAL_FIELDS`]: whether
//! *this* browser shows notifications; which feeds notify is synced). A field found in the
//! other area is ignored. What comes from `storage.sync` was written by another profile,
//! maybe by another version: it is decoded like user input, field by field, and a value of
//! the wrong type or out of bounds falls back to the default or the nearest bound.
//!
//! Only values that differ from the defaults are written ([`Settings::to_raw`]), so a
//! default that changes in a later version reaches everyone who never chose otherwise.
//!
//! # Sizes
//!
//! The synced half is one `storage.sync` item, at most [`MAX_FEED_SETTINGS`] feeds with
//! their own settings, and never more than [`MAX_SYNC_BYTES`] (the browsers' 8 KB item
//! quota, with room to spare): [`Settings::to_raw`] leaves out the last feeds when it would
//! be larger. `sync`'s encoder counts this item among the area's other items
//! (`core::sync::Quota::without_others`).

use crate::core::library::view::{Scope, View};
use crate::core::schedule::{DEFAULT_INTERVAL, MAX_INTERVAL};
use crate::core::store::{FeedId, Millis, MINUTE};
use crate::core::sync::item_bytes;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The key of the settings, in `storage.sync` and in `storage.local`.
pub const KEY_SETTINGS: &str = "settings";

/// The fields kept in `storage.local` (this browser's); every other field is synced.
pub const LOCAL_FIELDS: &[&str] = &["notifications"];

/// The shortest refresh interval one may choose, in minutes: polite to servers.
pub const MIN_REFRESH_MINUTES: u32 = 10;
/// The longest, in minutes: every feed is checked at least daily.
pub const MAX_REFRESH_MINUTES: u32 = (MAX_INTERVAL / MINUTE) as u32;
/// The default, in minutes.
pub const DEFAULT_REFRESH_MINUTES: u32 = (DEFAULT_INTERVAL / MINUTE) as u32;
/// The intervals the options page offers, in minutes (any value within the bounds is kept).
pub const REFRESH_CHOICES: &[u32] = &[10, 15, 30, 60, 120, 240, 720, 1440];

/// Feeds with settings of their own, at most.
pub const MAX_FEED_SETTINGS: usize = 100;
/// The synced settings item, at most (bytes as the browsers count them, key included).
pub const MAX_SYNC_BYTES: usize = 7_168;
/// A string setting (a member's name in the default view, a search), at most, in characters.
pub const MAX_TEXT: usize = 200;

/// When an opened entry is marked read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkRead {
    /// Opening an entry marks it read.
    #[default]
    OnOpen,
    /// Only "Mark read" (or "mark all read") does.
    Manual,
}

/// What an opened entry may load from other sites.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Images {
    /// Its images (what the sanitizer and the pages' CSP allow).
    #[default]
    Load,
    /// Nothing: no request leaves the browser when an entry is opened.
    Block,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The system's (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

/// Which feeds something applies to (the badge's count, notifications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    All,
    /// The feeds chosen one by one ([`FeedSettings`]).
    Chosen,
    Off,
}

/// One feed's own settings, as stored: every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFeedSettings {
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub refresh_minutes: Option<u32>,
    /// Notifies when notifications are on for chosen feeds.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub notify: Option<bool>,
    /// Counted on the badge when it counts chosen feeds.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub badge: Option<bool>,
}

/// The settings exactly as stored (both areas joined): every field optional, each decoded
/// on its own, so a value that cannot be read is `None` and loses nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSettings {
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub refresh_minutes: Option<u32>,
    /// Feed id → that feed's settings.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub feeds: Option<BTreeMap<String, Value>>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub mark_read: Option<MarkRead>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub images: Option<Images>,
    /// This browser's (`storage.local`).
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Choice>,
    /// A locale of `_locales` (`core::i18n::LOCALES`) instead of the browser's.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// What the popup opens on.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub default_view: Option<View>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub badge: Option<Choice>,
}

/// A field's value, or `None` when it is missing or not of its type.
fn lenient<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

impl RawSettings {
    /// The settings from what each area holds under [`KEY_SETTINGS`] (either may be
    /// missing, or not an object): each field from its own area.
    pub fn join(sync: Option<&Value>, local: Option<&Value>) -> RawSettings {
        let mut fields = Map::new();
        for (area, local_area) in [(sync, false), (local, true)] {
            let Some(Value::Object(o)) = area else { continue };
            for (k, v) in o {
                if LOCAL_FIELDS.contains(&k.as_str()) == local_area {
                    fields.insert(k.clone(), v.clone());
                }
            }
        }
        serde_json::from_value(Value::Object(fields)).unwrap_or_default()
    }

    /// What to store in each area: (`storage.sync`'s value, `storage.local`'s value).
    pub fn split(&self) -> (Value, Value) {
        let Ok(Value::Object(all)) = serde_json::to_value(self) else {
            return (Value::Object(Map::new()), Value::Object(Map::new()));
        };
        let (mut sync, mut local) = (Map::new(), Map::new());
        for (k, v) in all {
            if LOCAL_FIELDS.contains(&k.as_str()) {
                local.insert(k, v);
            } else {
                sync.insert(k, v);
            }
        }
        (Value::Object(sync), Value::Object(local))
    }
}

/// One feed's settings, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedSettings {
    /// Its own refresh interval; `None`: the global one.
    pub refresh_minutes: Option<u32>,
    pub notify: bool,
    pub badge: bool,
}

/// The settings the extension runs on: validated, defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// How often feeds are fetched, in minutes (a feed may ask for longer: `ttl`...).
    pub refresh_minutes: u32,
    /// Feeds with settings of their own.
    pub feeds: BTreeMap<FeedId, FeedSettings>,
    pub mark_read: MarkRead,
    pub images: Images,
    /// Whether this browser shows notifications for new entries: never (the default), for
    /// every feed, or for chosen feeds (and entries a "notify" rule matches).
    pub notifications: Choice,
    pub language: Option<String>,
    pub theme: Theme,
    pub default_view: View,
    /// What the badge counts: every unread entry (the default), those of chosen feeds, or
    /// nothing.
    pub badge: Choice,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            refresh_minutes: DEFAULT_REFRESH_MINUTES,
            feeds: BTreeMap::new(),
            mark_read: MarkRead::default(),
            images: Images::default(),
            notifications: Choice::Off,
            language: None,
            theme: Theme::default(),
            default_view: View::default(),
            badge: Choice::All,
        }
    }
}

/// A refresh interval within the bounds.
pub fn clamp_minutes(minutes: u32) -> u32 {
    minutes.clamp(MIN_REFRESH_MINUTES, MAX_REFRESH_MINUTES)
}

/// Whether `key` is a feed id (what `FeedId::for_url` makes: 16 lower-case hex digits).
pub fn is_feed_id(key: &str) -> bool {
    key.len() == 16 && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The feed entries of a stored `feeds` object that are read at all: those whose key is a
/// feed id, the first [`MAX_FEED_SETTINGS`] in key order. (The lean readers below take the
/// same ones.)
fn feed_entries<'a>(
    feeds: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    feeds.into_iter().filter(|(k, _)| is_feed_id(k)).take(MAX_FEED_SETTINGS)
}

fn clean_text(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(MAX_TEXT).collect())
}

/// A stored view, made safe to open: its texts bounded, an empty search none.
fn clean_view(view: &View) -> View {
    let scope = match &view.scope {
        Scope::Feed { feed } if !is_feed_id(&feed.0) => Scope::All,
        Scope::Member { member } => match clean_text(member) {
            Some(member) => Scope::Member { member },
            None => Scope::All,
        },
        scope => scope.clone(),
    };
    View {
        scope,
        unread_only: view.unread_only,
        search: view.search.as_deref().and_then(clean_text),
    }
}

impl Settings {
    /// Validate what is stored: defaults for what is missing or unreadable, bounds for
    /// numbers, a language only if it ships, feed settings only under a feed id.
    pub fn from_raw(raw: &RawSettings) -> Settings {
        let defaults = Settings::default();
        let mut feeds = BTreeMap::new();
        for (id, value) in feed_entries(raw.feeds.iter().flatten()) {
            let f: RawFeedSettings = serde_json::from_value(value.clone()).unwrap_or_default();
            let settings = FeedSettings {
                refresh_minutes: f.refresh_minutes.map(clamp_minutes),
                notify: f.notify.unwrap_or(false),
                badge: f.badge.unwrap_or(false),
            };
            if settings != FeedSettings::default() {
                feeds.insert(FeedId(id.clone()), settings);
            }
        }
        Settings {
            refresh_minutes: raw.refresh_minutes.map_or(defaults.refresh_minutes, clamp_minutes),
            feeds,
            mark_read: raw.mark_read.unwrap_or(defaults.mark_read),
            images: raw.images.unwrap_or(defaults.images),
            notifications: raw.notifications.unwrap_or(defaults.notifications),
            language: raw
                .language
                .as_deref()
                .and_then(crate::core::i18n::supported)
                .map(str::to_string),
            theme: raw.theme.unwrap_or(defaults.theme),
            default_view: raw.default_view.as_ref().map_or(defaults.default_view, clean_view),
            badge: raw.badge.unwrap_or(defaults.badge),
        }
    }

    /// What to store: the values that differ from the defaults. The feeds' settings stop
    /// before the synced item would pass [`MAX_SYNC_BYTES`].
    pub fn to_raw(&self) -> RawSettings {
        let d = Settings::default();
        let differs = |yes: bool| yes.then_some(());
        let mut raw = RawSettings {
            refresh_minutes: differs(self.refresh_minutes != d.refresh_minutes)
                .map(|()| self.refresh_minutes),
            feeds: None,
            mark_read: differs(self.mark_read != d.mark_read).map(|()| self.mark_read),
            images: differs(self.images != d.images).map(|()| self.images),
            notifications: differs(self.notifications != d.notifications)
                .map(|()| self.notifications),
            language: self.language.clone(),
            theme: differs(self.theme != d.theme).map(|()| self.theme),
            default_view: differs(self.default_view != d.default_view)
                .map(|()| self.default_view.clone()),
            badge: differs(self.badge != d.badge).map(|()| self.badge),
        };
        let mut feeds = BTreeMap::new();
        for (id, f) in self.feeds.iter().take(MAX_FEED_SETTINGS) {
            let stored = RawFeedSettings {
                refresh_minutes: f.refresh_minutes,
                notify: f.notify.then_some(true),
                badge: f.badge.then_some(true),
            };
            if stored == RawFeedSettings::default() {
                continue;
            }
            feeds.insert(id.0.clone(), serde_json::to_value(stored).unwrap_or(Value::Null));
            raw.feeds = Some(feeds.clone());
            if sync_bytes(&raw) > MAX_SYNC_BYTES {
                feeds.remove(&id.0);
                raw.feeds = Some(feeds);
                break;
            }
        }
        if raw.feeds.as_ref().is_some_and(BTreeMap::is_empty) {
            raw.feeds = None;
        }
        raw
    }

    /// The settings of `feed` (the defaults when it has none of its own).
    pub fn feed(&self, feed: &FeedId) -> FeedSettings {
        self.feeds.get(feed).cloned().unwrap_or_default()
    }

    /// How long after a successful check `feed` is due again, before its own hints
    /// (`core::schedule::interval`).
    pub fn interval(&self, feed: &FeedId) -> Millis {
        let minutes = self.feed(feed).refresh_minutes.unwrap_or(self.refresh_minutes);
        Millis::from(minutes) * MINUTE
    }

    /// Whether new entries of `feed` are notified (in this browser).
    pub fn notifies(&self, feed: &FeedId) -> bool {
        match self.notifications {
            Choice::All => true,
            Choice::Chosen => self.feed(feed).notify,
            Choice::Off => false,
        }
    }

    /// Change one feed's settings (removing them when they are back to the defaults).
    pub fn set_feed(&mut self, feed: &FeedId, settings: FeedSettings) {
        if settings == FeedSettings::default() {
            self.feeds.remove(feed);
        } else {
            self.feeds.insert(feed.clone(), settings);
        }
    }
}

/// The bytes the synced half of `raw` costs as a `storage.sync` item.
pub fn sync_bytes(raw: &RawSettings) -> usize {
    item_bytes(KEY_SETTINGS, &raw.split().0)
}

/// What the badge counts, read straight from the synced settings object (the module every
/// wake instantiates reads only this, without decoding the rest). Always what
/// `Settings::from_raw` says of the same value (a test holds them together).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeChoice {
    pub count: Choice,
    /// The feeds counted when `count` is `Chosen`.
    pub feeds: Vec<FeedId>,
}

impl BadgeChoice {
    /// From `storage.sync`'s [`KEY_SETTINGS`] value, if any.
    pub fn of(sync: Option<&Value>) -> BadgeChoice {
        let count = match sync.and_then(|v| v.get("badge")).and_then(Value::as_str) {
            Some("chosen") => Choice::Chosen,
            Some("off") => Choice::Off,
            _ => Choice::All,
        };
        let feeds = sync
            .and_then(|v| v.get("feeds"))
            .and_then(Value::as_object)
            .map(|o| {
                feed_entries(o)
                    .filter(|(_, f)| f.get("badge") == Some(&Value::Bool(true)))
                    .map(|(id, _)| FeedId(id.clone()))
                    .collect()
            })
            .unwrap_or_default();
        BadgeChoice { count, feeds }
    }

    /// Whether `feed`'s unread entries are on the badge.
    pub fn counts(&self, feed: &FeedId) -> bool {
        match self.count {
            Choice::All => true,
            Choice::Chosen => self.feeds.contains(feed),
            Choice::Off => false,
        }
    }
}

/// The language override, read straight from the synced settings object (as
/// [`BadgeChoice::of`]; the same as `Settings::from_raw` says).
pub fn language_of(sync: Option<&Value>) -> Option<&'static str> {
    sync.and_then(|v| v.get("language"))
        .and_then(Value::as_str)
        .and_then(crate::core::i18n::supported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "0123456789abcdef";
    const B: &str = "fedcba9876543210";

    fn decode(sync: Value, local: Value) -> Settings {
        Settings::from_raw(&RawSettings::join(Some(&sync), Some(&local)))
    }

    #[test]
    fn nothing_stored_gives_the_defaults() {
        assert_eq!(Settings::from_raw(&RawSettings::join(None, None)), Settings::default());
        let d = Settings::default();
        assert_eq!(d.refresh_minutes, 30);
        assert_eq!(
            (d.mark_read, d.images, d.theme),
            (MarkRead::OnOpen, Images::Load, Theme::System)
        );
        assert_eq!((d.notifications, d.badge), (Choice::Off, Choice::All));
        assert_eq!(d.default_view, View::default());
        assert_eq!(d.language, None);
        // Not even an object.
        assert_eq!(decode(json!("garbage"), json!([1, 2])), d);
    }

    #[test]
    fn a_bad_value_falls_back_to_its_default_and_loses_nothing_else() {
        let s = decode(
            json!({
                "refresh_minutes": "hourly",
                "mark_read": "manual",
                "images": "sometimes",
                "theme": "dark",
                "badge": 3,
                "language": "de",
                "default_view": {"scope": {"starred": null}, "unread_only": false},
            }),
            json!({ "notifications": "loud" }),
        );
        assert_eq!(s.refresh_minutes, 30);
        assert_eq!(s.mark_read, MarkRead::Manual);
        assert_eq!(s.images, Images::Load);
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.badge, Choice::All);
        assert_eq!(s.notifications, Choice::Off);
        assert_eq!(s.language.as_deref(), Some("de"));
        assert_eq!(s.default_view, View::every(Scope::Starred));
    }

    #[test]
    fn numbers_are_held_within_bounds_and_languages_must_ship() {
        let s = decode(json!({ "refresh_minutes": 1, "language": "tlh" }), json!({}));
        assert_eq!(s.refresh_minutes, MIN_REFRESH_MINUTES);
        assert_eq!(s.language, None, "no Klingon in _locales");
        let s = decode(json!({ "refresh_minutes": 100_000, "language": "fr" }), json!({}));
        assert_eq!(s.refresh_minutes, MAX_REFRESH_MINUTES);
        assert_eq!(s.language.as_deref(), Some("fr"));
        let s = decode(json!({ "refresh_minutes": -5 }), json!({}));
        assert_eq!(s.refresh_minutes, 30, "not a u32: the default");
    }

    #[test]
    fn each_field_comes_from_its_own_area() {
        // Notifications are this browser's: a synced value is another browser's choice.
        let s =
            decode(json!({ "notifications": "all", "theme": "light" }), json!({ "theme": "dark" }));
        assert_eq!(s.notifications, Choice::Off);
        assert_eq!(s.theme, Theme::Light);
        let s = decode(json!({}), json!({ "notifications": "chosen" }));
        assert_eq!(s.notifications, Choice::Chosen);
    }

    #[test]
    fn feed_settings_need_a_feed_id_and_hold_their_bounds() {
        let s = decode(
            json!({ "feeds": {
                A: { "refresh_minutes": 5, "notify": true, "badge": "yes" },
                B: { "refresh_minutes": "x", "badge": true },
                "not-a-feed": { "notify": true },
                "0123456789ABCDEF": { "notify": true },
            }}),
            json!({}),
        );
        let a = s.feed(&FeedId(A.into()));
        assert_eq!(
            a,
            FeedSettings { refresh_minutes: Some(MIN_REFRESH_MINUTES), notify: true, badge: false }
        );
        assert_eq!(
            s.feed(&FeedId(B.into())),
            FeedSettings { refresh_minutes: None, notify: false, badge: true }
        );
        assert_eq!(s.feeds.len(), 2);
        assert_eq!(s.interval(&FeedId(A.into())), 10 * MINUTE);
        assert_eq!(s.interval(&FeedId(B.into())), 30 * MINUTE, "the global interval");
        // A feeds value of the wrong type: no feed settings, the rest kept.
        let s = decode(json!({ "feeds": [A], "images": "block" }), json!({}));
        assert!(s.feeds.is_empty());
        assert_eq!(s.images, Images::Block);
    }

    #[test]
    fn only_what_differs_from_the_defaults_is_stored_each_in_its_area() {
        assert_eq!(Settings::default().to_raw(), RawSettings::default());
        let mut s =
            Settings { refresh_minutes: 120, notifications: Choice::All, ..Settings::default() };
        s.set_feed(&FeedId(A.into()), FeedSettings { notify: true, ..FeedSettings::default() });
        s.set_feed(&FeedId(B.into()), FeedSettings::default());
        let (sync, local) = s.to_raw().split();
        assert_eq!(sync, json!({ "refresh_minutes": 120, "feeds": { A: { "notify": true } } }));
        assert_eq!(local, json!({ "notifications": "all" }));
        // And back.
        assert_eq!(decode(sync, local), s);
    }

    #[test]
    fn the_synced_item_stays_within_its_quota() {
        let mut s = Settings::default();
        for i in 0..150u64 {
            let id = FeedId(format!("{i:016x}"));
            s.set_feed(
                &id,
                FeedSettings { refresh_minutes: Some(1440), notify: true, badge: true },
            );
        }
        s.default_view = View {
            scope: Scope::Member { member: "é".repeat(200) },
            unread_only: true,
            search: Some("<".repeat(200)),
        };
        let raw = s.to_raw();
        assert!(sync_bytes(&raw) <= MAX_SYNC_BYTES, "{} bytes", sync_bytes(&raw));
        let kept = raw.feeds.as_ref().map_or(0, BTreeMap::len);
        assert!(kept > 30 && kept <= MAX_FEED_SETTINGS, "{kept} feeds kept");
        // What is read back is what was kept.
        let (sync, local) = raw.split();
        assert_eq!(decode(sync, local).feeds.len(), kept);
    }

    #[test]
    fn texts_in_the_default_view_are_bounded_and_bad_scopes_open_everything() {
        let s = decode(
            json!({ "default_view": { "scope": { "member": { "member": "x".repeat(500) } }, "unread_only": true, "search": "  " } }),
            json!({}),
        );
        assert_eq!(s.default_view.search, None);
        let Scope::Member { member } = &s.default_view.scope else {
            panic!("{:?}", s.default_view)
        };
        assert_eq!(member.chars().count(), MAX_TEXT);
        let s = decode(
            json!({ "default_view": { "scope": { "feed": { "feed": "../x" } } } }),
            json!({}),
        );
        assert_eq!(s.default_view.scope, Scope::All);
    }

    /// The lean readers of the module every wake instantiates agree with `from_raw`.
    #[test]
    fn the_badge_and_language_readers_agree_with_the_settings() {
        let mut many = Map::new();
        for i in 0..120u64 {
            many.insert(format!("{i:016x}"), json!({ "badge": i % 2 == 0 }));
        }
        let cases = [
            Value::Null,
            json!("x"),
            json!({ "badge": "chosen", "feeds": { A: { "badge": true }, B: { "badge": "true" }, "zz": { "badge": true } } }),
            json!({ "badge": "off", "language": "de-AT" }),
            json!({ "badge": "all", "language": "xx" }),
            json!({ "badge": "chosen", "feeds": many }),
            json!({ "badge": ["chosen"], "feeds": "none", "language": 4 }),
        ];
        for sync in cases {
            let settings = decode(sync.clone(), json!({}));
            let lean = BadgeChoice::of(Some(&sync));
            assert_eq!(lean.count, settings.badge, "{sync}");
            let chosen: Vec<FeedId> =
                settings.feeds.iter().filter(|(_, f)| f.badge).map(|(id, _)| id.clone()).collect();
            assert_eq!(lean.feeds, chosen, "{sync}");
            assert_eq!(language_of(Some(&sync)), settings.language.as_deref(), "{sync}");
        }
    }

    #[test]
    fn the_badge_counts_what_was_chosen() {
        let a = FeedId(A.into());
        let b = FeedId(B.into());
        let chosen = BadgeChoice { count: Choice::Chosen, feeds: vec![a.clone()] };
        assert!(chosen.counts(&a) && !chosen.counts(&b));
        assert!(BadgeChoice::of(None).counts(&b));
        assert!(!BadgeChoice { count: Choice::Off, feeds: vec![a.clone()] }.counts(&a));
    }

    #[test]
    fn notifications_are_off_unless_chosen() {
        let a = FeedId(A.into());
        let b = FeedId(B.into());
        let mut s = Settings::default();
        s.set_feed(&a, FeedSettings { notify: true, ..FeedSettings::default() });
        assert!(!s.notifies(&a), "off by default, whatever the feed says");
        s.notifications = Choice::Chosen;
        assert!(s.notifies(&a) && !s.notifies(&b));
        s.notifications = Choice::All;
        assert!(s.notifies(&b));
    }
}
