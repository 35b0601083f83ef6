//! Small UI preferences kept in the popup page's own localStorage (gloo-storage). Feeds,
//! entries and read state never go here: they live in `storage.local`, owned by the worker.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "planet-reader.prefs";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// The last screen shown ("entries" or "feeds").
    #[serde(default)]
    pub view: Option<String>,
    /// The member blog the list is filtered to.
    #[serde(default)]
    pub member: Option<String>,
}

pub fn load() -> Prefs {
    LocalStorage::get(KEY).unwrap_or_default()
}

pub fn save(prefs: &Prefs) {
    // A full or disabled localStorage only loses a preference.
    let _ = LocalStorage::set(KEY, prefs);
}
