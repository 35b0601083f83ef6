//! Small UI preferences kept in the page's own localStorage (gloo-storage): where the reader
//! was, so that reopening the popup returns to it. Feeds, entries and read state never go
//! here: they live in the library, owned by the worker.
//!
//! The popup, the full-tab reader and the side panel share one origin and so one
//! localStorage: each keeps its own place, under its own key.

use super::Mode;
use crate::core::library::view::View;
use crate::protocol::EntryKey;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

fn key(mode: Mode) -> String {
    format!("planet-reader.prefs.{}", mode.name())
}

/// Where the list was scrolled to: in which view, the row at the top of the viewport and
/// how far it was scrolled past (so new rows above it do not move the reader's place), the
/// rows after it (the place when that row is no longer listed: read since, in a list of
/// unread entries), and how many rows were loaded then.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    #[serde(default)]
    pub view: Option<View>,
    pub row: Option<EntryKey>,
    #[serde(default)]
    pub offset: f64,
    #[serde(default)]
    pub after: Vec<EntryKey>,
    #[serde(default)]
    pub loaded: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefs {
    /// The last screen shown: "entries", "entry" or "feeds".
    #[serde(default)]
    pub screen: Option<String>,
    /// The last list shown.
    #[serde(default)]
    pub list: Option<View>,
    /// Where in it.
    #[serde(default)]
    pub place: Place,
}

pub fn load(mode: Mode) -> Prefs {
    LocalStorage::get(key(mode)).unwrap_or_default()
}

/// Change the saved preferences with `f`.
pub fn update(mode: Mode, f: impl FnOnce(&mut Prefs)) {
    let mut prefs = load(mode);
    f(&mut prefs);
    // A full or disabled localStorage only loses a preference.
    let _ = LocalStorage::set(key(mode), &prefs);
}
