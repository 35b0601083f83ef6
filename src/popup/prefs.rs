//! Small UI preferences kept in the popup page's own localStorage (gloo-storage): the last
//! screen and the last view. Feeds, entries and read state never go here: they live in the
//! library, owned by the worker.

use crate::core::library::view::View;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "planet-reader.prefs";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// The last screen shown ("entries" or "feeds").
    #[serde(default)]
    pub view: Option<String>,
    /// The last list shown.
    #[serde(default)]
    pub list: Option<View>,
}

pub fn load() -> Prefs {
    LocalStorage::get(KEY).unwrap_or_default()
}

pub fn save(prefs: &Prefs) {
    // A full or disabled localStorage only loses a preference.
    let _ = LocalStorage::set(KEY, prefs);
}
