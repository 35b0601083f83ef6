//! Settings and rules: read, stored, and applied.
//!
//! The options page sends what the user chose ([`Service::put_settings`],
//! [`Service::put_rules`]); another profile's choices arrive through `storage.sync`
//! ([`Service::apply_settings`] after `storage.onChanged`). Either way what is stored is
//! validated first (`core::settings`, `core::rules`: like user input, whoever wrote it),
//! then applied: each feed's next check worked out again from its last one with the new
//! intervals, the alarm moved to the earliest, the badge shown as it now counts, and the
//! open pages told. This runs in the refresh module: the module every wake instantiates
//! reads only the badge's part of the settings.

use super::{Platform, Result, Service};
use crate::core::rules::{Rules, KEY_RULES};
use crate::core::schedule::reschedule;
use crate::core::settings::{RawSettings, Settings, KEY_SETTINGS};
use crate::ports::Store;
use crate::protocol::Change;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Write `value` under `key` in `area`, or remove the key when `value` is an empty object;
/// nothing when that is what the area holds already.
async fn put<S: Store>(area: &S, key: &str, value: Value, before: Option<&Value>) -> Result<()> {
    let empty = value == Value::Object(Map::new());
    if before == Some(&value) || (empty && before.is_none()) {
        return Ok(());
    }
    if empty {
        area.remove(&[key.to_string()]).await?;
    } else {
        area.set(BTreeMap::from([(key.to_string(), value)])).await?;
    }
    Ok(())
}

impl<P: Platform> Service<P> {
    async fn stored_settings(&self) -> Result<(Option<Value>, Option<Value>)> {
        let sync = self.platform.sync_area().get(&[KEY_SETTINGS.to_string()]).await?;
        let local = self.local().get_raw(KEY_SETTINGS).await?;
        Ok((sync.get(KEY_SETTINGS).cloned(), local))
    }

    /// The settings, from both areas, validated.
    pub async fn settings(&self) -> Result<Settings> {
        let (sync, local) = self.stored_settings().await?;
        Ok(Settings::from_raw(&RawSettings::join(sync.as_ref(), local.as_ref())))
    }

    /// The rules (`storage.sync`), validated.
    pub async fn rules(&self) -> Result<Rules> {
        let stored = self.platform.sync_area().get(&[KEY_RULES.to_string()]).await?;
        Ok(stored.get(KEY_RULES).map(Rules::from_value).unwrap_or_default())
    }

    /// Store the settings in `raw` (the stored form, as the options page sends it),
    /// validated, each in its area, and apply them. Answers what was stored.
    pub async fn put_settings(&self, raw: &Value) -> Result<Settings> {
        let raw: RawSettings = serde_json::from_value(raw.clone()).unwrap_or_default();
        let settings = Settings::from_raw(&raw);
        let (sync, local) = settings.to_raw().split();
        let (sync_before, local_before) = self.stored_settings().await?;
        put(self.platform.sync_area(), KEY_SETTINGS, sync, sync_before.as_ref()).await?;
        put(self.platform.store(), KEY_SETTINGS, local, local_before.as_ref()).await?;
        self.apply_settings().await?;
        Ok(settings)
    }

    /// Store the rules in `raw` (their stored form), validated. They act on entries that
    /// arrive from now on. Answers what was stored.
    pub async fn put_rules(&self, raw: &Value) -> Result<Rules> {
        let rules = Rules::from_value(raw);
        let stored = self.platform.sync_area().get(&[KEY_RULES.to_string()]).await?;
        let value = if rules.is_empty() { Value::Object(Map::new()) } else { rules.to_value() };
        put(self.platform.sync_area(), KEY_RULES, value, stored.get(KEY_RULES)).await?;
        self.notify(Change { settings: true, ..Change::default() });
        Ok(rules)
    }

    /// The settings changed (here or in another profile): every feed's next check from its
    /// last one at its interval now, the alarm at the earliest, the badge, the pages told.
    pub async fn apply_settings(&self) -> Result<()> {
        let settings = self.settings().await?;
        let local = self.local();
        let subs = local.subscriptions().await?;
        let records = self.library().feeds().await?;
        let checks = local.checks().await?;
        let default = crate::core::store::FeedState::default();
        for sub in &subs {
            let Some(check) = checks.get(&sub.id) else { continue };
            let state = records.iter().find(|r| r.id == sub.id).map_or(&default, |r| &r.state);
            let next = reschedule(state, check, settings.interval(&sub.id));
            if next != *check {
                local.put_check(&sub.id, next).await?;
            }
        }
        self.schedule_alarm().await?;
        self.show_badge().await?;
        self.notify(Change { settings: true, ..Change::default() });
        Ok(())
    }
}
