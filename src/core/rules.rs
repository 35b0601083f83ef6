//! Rules: what happens to a new entry on arrival, decided by what it says.
//!
//! A rule applies to one feed or to every feed, looks at one field of an entry (its title,
//! its Planet member blog, its author, its content, or all of them), matches it by words or
//! by a simple pattern, and does one thing: hide the entry, mark it read, star it, or
//! notify it. Rules run at ingest (`core::library::ingest`), on entries a feed brings for
//! the first time only: an edit of an entry already seen, or a rule added later, changes
//! nothing already stored.
//!
//! ```
//! use planet_reader::core::rules::{Action, Field, Matcher, Rule, Rules, Subject};
//!
//! let rules = Rules::new(vec![Rule {
//!     feed: None,
//!     field: Field::Member,
//!     matcher: Matcher::Words("real python".into()),
//!     action: Action::Read,
//! }]);
//! let entry = Subject { title: "Decorators", member: Some("Real Python"), author: None, content: "" };
//! assert!(rules.verdict(&entry).read);
//! ```
//!
//! # Matching
//!
//! - **Words** (`Matcher::Words`): every word of the rule is a word of the field, in any
//!   order, whatever their case ("python release" matches
//!   "Release of Python 3.14"). Words are runs of letters and digits, as the search splits
//!   them (two characters or more), but with search's stop words kept: "not there" is a
//!   rule of two words (the search index leaves such words out).
//! - **Pattern** (`Matcher::Pattern`): a glob over the whole field, case-insensitive: `*`
//!   any run of characters, `?` one character, every other character itself ("*PEP ???*").
//!   No regular expressions: the `regex` crate would triple the refresh module's size, and
//!   a glob cannot be made to run for long (at most the field's length times the pattern's).
//!
//! Content is matched on its first [`MAX_CONTENT`] characters of text.
//!
//! # Stored form and sync
//!
//! Rules sync with the subscriptions, as one `storage.sync` item ([`KEY_RULES`]):
//! `{"rules": [{"feed": "<id>", "field": "title", "words": "…", "action": "read"}, …]}`
//! (`pattern` instead of `words` for a pattern; no `feed` for every feed). What comes back
//! is read like user input ([`Rules::from_value`]): a rule that is not whole, or whose text
//! is empty or too long, is dropped; at most [`MAX_RULES`], and never more than
//! [`MAX_SYNC_BYTES`] in all (the item quota is 8 KB).

use crate::core::library::search::MAX_WORD;
use crate::core::settings::is_feed_id;
use crate::core::store::FeedId;
use crate::core::sync::item_bytes;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The words of `text` for a rule: lower-cased runs of letters and digits of 2 to
/// [`MAX_WORD`] characters, as search reads them, but every word counts (search leaves
/// out its stop words; a rule of "not there" means those two words).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(|w| w.chars().take(MAX_WORD).flat_map(char::to_lowercase).collect::<String>())
}

/// The key of the rules in `storage.sync`.
pub const KEY_RULES: &str = "rules";
/// Rules kept, at most.
pub const MAX_RULES: usize = 50;
/// A rule's words or pattern, at most, in characters.
pub const MAX_TEXT: usize = 100;
/// The rules item, at most (bytes as the browsers count them, key included).
pub const MAX_SYNC_BYTES: usize = 7_168;
/// Content text matched, at most, in characters.
pub const MAX_CONTENT: usize = 20_000;

/// Which part of an entry a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    /// The Planet member blog ("Real Python"), else the entry's author.
    Member,
    /// The entry's own author, as the feed names it.
    Author,
    /// The entry's content (or summary), as text.
    Content,
    /// Any of them.
    Any,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// Every one of these words is in the field.
    Words(String),
    /// The whole field matches this glob (`*`, `?`).
    Pattern(String),
}

/// What a rule does to an entry it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Never listed nor counted (kept, read, so it is not new again).
    Hide,
    /// Arrives read.
    Read,
    /// Arrives starred.
    Star,
    /// Notified when it arrives, whatever its feed's notification setting (when this
    /// browser notifies at all).
    Notify,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Only entries of this feed; `None`: every feed's.
    pub feed: Option<FeedId>,
    pub field: Field,
    pub matcher: Matcher,
    pub action: Action,
}

/// What an entry offers to the rules, as plain text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Subject<'a> {
    pub title: &'a str,
    pub member: Option<&'a str>,
    pub author: Option<&'a str>,
    pub content: &'a str,
}

/// What the rules decided for one entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub hide: bool,
    pub read: bool,
    pub star: bool,
    pub notify: bool,
}

impl Verdict {
    pub fn is_none(&self) -> bool {
        *self == Verdict::default()
    }
}

/// Every rule, in the order the user made them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rules(Vec<Rule>);

/// Lower-cased, for case-insensitive matching.
fn lower(s: &str) -> Vec<char> {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Whether `text` matches `pattern` (both lower-cased): `*` any run, `?` one character.
/// The classic two-pointer walk, which backs up only to the last `*`: at most
/// `text.len() × pattern.len()` steps.
pub fn glob(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

impl Matcher {
    /// The rule's text as written.
    pub fn text(&self) -> &str {
        match self {
            Matcher::Words(s) | Matcher::Pattern(s) => s,
        }
    }

    fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Words(wanted) => {
                let have: std::collections::HashSet<String> = words(text).collect();
                let mut wanted = words(wanted).peekable();
                wanted.peek().is_some() && wanted.all(|w| have.contains(&w))
            }
            Matcher::Pattern(pattern) => {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                glob(&lower(pattern.trim()), &lower(&text))
            }
        }
    }
}

impl Rule {
    /// Whether this rule matches `entry` of `feed`.
    pub fn matches(&self, feed: &FeedId, entry: &Subject) -> bool {
        self.feed.as_ref().is_none_or(|f| f == feed) && self.matches_entry(entry)
    }

    /// Whether this rule matches `entry`, whatever its feed.
    pub fn matches_entry(&self, entry: &Subject) -> bool {
        let content: String;
        let content = if entry.content.chars().nth(MAX_CONTENT).is_some() {
            content = entry.content.chars().take(MAX_CONTENT).collect();
            content.as_str()
        } else {
            entry.content
        };
        let field = |f: Field| match f {
            Field::Title => Some(entry.title),
            Field::Member => entry.member,
            Field::Author => entry.author,
            Field::Content => Some(content),
            Field::Any => None,
        };
        match self.field {
            Field::Any => [Field::Title, Field::Member, Field::Author, Field::Content]
                .into_iter()
                .filter_map(field)
                .any(|text| self.matcher.matches(text)),
            f => field(f).is_some_and(|text| self.matcher.matches(text)),
        }
    }

    fn to_value(&self) -> Value {
        let mut o = Map::new();
        if let Some(feed) = &self.feed {
            o.insert("feed".into(), json!(feed.0));
        }
        o.insert("field".into(), json!(self.field));
        match &self.matcher {
            Matcher::Words(w) => o.insert("words".into(), json!(w)),
            Matcher::Pattern(p) => o.insert("pattern".into(), json!(p)),
        };
        o.insert("action".into(), json!(self.action));
        Value::Object(o)
    }

    /// A stored rule, if it is whole and sane.
    fn from_value(v: &Value) -> Option<Rule> {
        let text = |name: &str| {
            let s = v.get(name)?.as_str()?.trim();
            (!s.is_empty() && s.chars().count() <= MAX_TEXT).then(|| s.to_string())
        };
        let matcher = match (text("words"), text("pattern")) {
            (Some(w), None) if words(&w).next().is_some() => Matcher::Words(w),
            (None, Some(p)) => Matcher::Pattern(p),
            _ => return None,
        };
        let feed = match v.get("feed") {
            None | Some(Value::Null) => None,
            Some(Value::String(id)) if is_feed_id(id) => Some(FeedId(id.clone())),
            Some(_) => return None,
        };
        Some(Rule {
            feed,
            field: serde_json::from_value(v.get("field")?.clone()).ok()?,
            matcher,
            action: serde_json::from_value(v.get("action")?.clone()).ok()?,
        })
    }
}

impl Rules {
    /// Rules as the user made them, bounded as [`Rules::to_value`] stores them.
    pub fn new(rules: Vec<Rule>) -> Rules {
        Rules::from_value(&Rules(rules).unbounded_value())
    }

    pub fn rules(&self) -> &[Rule] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Those that apply to `feed`'s entries.
    pub fn for_feed(&self, feed: &FeedId) -> Rules {
        Rules(
            self.0.iter().filter(|r| r.feed.as_ref().is_none_or(|f| f == feed)).cloned().collect(),
        )
    }

    /// What these rules do to `entry`, whatever its feed: narrow them to its feed first
    /// ([`Rules::for_feed`]).
    pub fn verdict(&self, entry: &Subject) -> Verdict {
        let mut v = Verdict::default();
        for rule in self.0.iter().filter(|r| r.matches_entry(entry)) {
            match rule.action {
                Action::Hide => v.hide = true,
                Action::Read => v.read = true,
                Action::Star => v.star = true,
                Action::Notify => v.notify = true,
            }
        }
        v
    }

    fn unbounded_value(&self) -> Value {
        json!({ "rules": self.0.iter().map(Rule::to_value).collect::<Vec<_>>() })
    }

    /// The stored form (what [`Rules::from_value`] reads).
    pub fn to_value(&self) -> Value {
        self.unbounded_value()
    }

    /// Rules from what is stored (or sent by the options page, or another profile): every
    /// rule that is whole and sane, in order, at most [`MAX_RULES`] and [`MAX_SYNC_BYTES`].
    pub fn from_value(v: &Value) -> Rules {
        let mut kept = Vec::new();
        let items = v.get("rules").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        for rule in items.iter().filter_map(Rule::from_value) {
            if kept.len() == MAX_RULES {
                break;
            }
            kept.push(rule);
            if item_bytes(KEY_RULES, &Rules(kept.clone()).unbounded_value()) > MAX_SYNC_BYTES {
                kept.pop();
                break;
            }
        }
        Rules(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(field: Field, matcher: Matcher, action: Action) -> Rule {
        Rule { feed: None, field, matcher, action }
    }

    fn words(s: &str) -> Matcher {
        Matcher::Words(s.into())
    }

    fn pattern(s: &str) -> Matcher {
        Matcher::Pattern(s.into())
    }

    const POST: Subject<'static> = Subject {
        title: "Python 3.14 release candidate",
        member: Some("Real Python"),
        author: Some("Guido van Rossum"),
        content: "<p>We are pleased to announce the Release.</p>",
    };

    #[test]
    fn words_match_every_word_in_any_order_and_case_but_whole() {
        let m = |w: &str| rule(Field::Title, words(w), Action::Read).matches_entry(&POST);
        assert!(m("release python"));
        assert!(m("PYTHON"));
        assert!(m("3 14"));
        assert!(!m("pyth"), "whole words only");
        assert!(!m("python django"), "every word");
        assert!(
            !rule(Field::Title, words("!!!"), Action::Read).matches_entry(&POST),
            "no words: matches nothing"
        );
    }

    #[test]
    fn patterns_match_the_whole_field_with_stars_and_question_marks() {
        let m = |p: &str| rule(Field::Title, pattern(p), Action::Read).matches_entry(&POST);
        assert!(m("python*"));
        assert!(m("*3.1? RELEASE*"));
        assert!(m("*"));
        assert!(!m("release*"), "anchored at the start");
        assert!(!m("python"), "and at the end");
        assert!(m("python 3.14 release candidate"));
        assert!(glob(&lower("a*b*c"), &lower("aXbYbZc")));
        assert!(!glob(&lower("a*b*c"), &lower("aXbYbZ")));
        assert!(glob(&[], &[]));
    }

    #[test]
    fn a_glob_on_a_long_text_stays_quick() {
        let text: Vec<char> = "a".repeat(MAX_CONTENT).chars().collect();
        let pattern: Vec<char> = format!("{}b", "*a".repeat(50)).chars().collect();
        assert!(!glob(&pattern, &text));
    }

    #[test]
    fn each_field_is_its_own_and_any_is_all_of_them() {
        let m = |f: Field, w: &str| rule(f, words(w), Action::Read).matches_entry(&POST);
        assert!(m(Field::Member, "real python"));
        assert!(!m(Field::Title, "real"));
        assert!(m(Field::Author, "guido"));
        assert!(!m(Field::Member, "guido"));
        assert!(m(Field::Content, "pleased"));
        assert!(m(Field::Any, "guido"));
        assert!(m(Field::Any, "pleased"));
        let no_member = Subject { member: None, ..POST };
        assert!(!rule(Field::Member, pattern("*"), Action::Read).matches_entry(&no_member));
    }

    #[test]
    fn a_rule_for_one_feed_leaves_the_others_alone() {
        let a = FeedId("aaaaaaaaaaaaaaaa".into());
        let b = FeedId("bbbbbbbbbbbbbbbb".into());
        let r = Rule { feed: Some(a.clone()), ..rule(Field::Title, words("python"), Action::Hide) };
        assert!(r.matches(&a, &POST));
        assert!(!r.matches(&b, &POST));
        let rules = Rules::new(vec![r, rule(Field::Member, words("real"), Action::Star)]);
        assert_eq!(rules.for_feed(&b).verdict(&POST), Verdict { star: true, ..Verdict::default() });
        assert_eq!(
            rules.for_feed(&a).verdict(&POST),
            Verdict { hide: true, star: true, ..Verdict::default() }
        );
        assert_eq!(rules.for_feed(&b).rules().len(), 1);
    }

    #[test]
    fn every_matching_rule_adds_its_action() {
        let rules = Rules::new(vec![
            rule(Field::Any, words("python"), Action::Read),
            rule(Field::Content, words("announce"), Action::Notify),
            rule(Field::Title, words("django"), Action::Hide),
        ]);
        assert_eq!(
            rules.verdict(&POST),
            Verdict { read: true, notify: true, ..Verdict::default() }
        );
        assert!(Rules::default().verdict(&POST).is_none());
    }

    #[test]
    fn rules_round_trip_through_their_stored_form() {
        let rules = Rules::new(vec![
            Rule {
                feed: Some(FeedId("0123456789abcdef".into())),
                ..rule(Field::Title, words("ab cd"), Action::Hide)
            },
            rule(Field::Author, pattern("*smith"), Action::Notify),
        ]);
        let v = rules.to_value();
        assert_eq!(
            v["rules"][0],
            json!({"feed": "0123456789abcdef", "field": "title", "words": "ab cd", "action": "hide"})
        );
        assert_eq!(
            v["rules"][1],
            json!({"field": "author", "pattern": "*smith", "action": "notify"})
        );
        assert_eq!(Rules::from_value(&v), rules);
    }

    #[test]
    fn what_comes_from_sync_is_checked_like_user_input() {
        let v = json!({ "rules": [
            {"field": "title", "words": "ok", "action": "read"},
            {"field": "title", "words": "  ", "action": "read"},
            {"field": "title", "words": "x", "pattern": "y", "action": "read"},
            {"field": "title", "words": "x".repeat(MAX_TEXT + 1), "action": "read"},
            {"field": "colour", "words": "x", "action": "read"},
            {"field": "title", "words": "x", "action": "delete"},
            {"feed": "../etc", "field": "title", "words": "x", "action": "read"},
            {"feed": 5, "field": "title", "words": "x", "action": "read"},
            {"field": "title", "words": "x"},
            "not a rule",
            {"field": "any", "pattern": "*", "action": "star"},
        ]});
        let rules = Rules::from_value(&v);
        assert_eq!(rules.rules().len(), 2, "{rules:?}");
        assert_eq!(rules.rules()[1].action, Action::Star);
        assert!(Rules::from_value(&json!("nonsense")).is_empty());
        assert!(Rules::from_value(&json!({"rules": {}})).is_empty());
    }

    #[test]
    fn rules_stay_within_their_count_and_the_sync_item_quota() {
        let many: Vec<Rule> =
            (0..80).map(|i| rule(Field::Title, words(&format!("w{i}")), Action::Read)).collect();
        assert_eq!(Rules::new(many).rules().len(), MAX_RULES);
        // Long texts of characters every writer escapes: the bytes bound first.
        let heavy: Vec<Rule> = (0..MAX_RULES)
            .map(|_| Rule {
                feed: Some(FeedId("0123456789abcdef".into())),
                ..rule(Field::Content, pattern(&"é<".repeat(50)), Action::Notify)
            })
            .collect();
        let kept = Rules::new(heavy);
        assert!(kept.rules().len() < MAX_RULES && !kept.is_empty());
        assert!(item_bytes(KEY_RULES, &kept.to_value()) <= MAX_SYNC_BYTES);
    }
}
