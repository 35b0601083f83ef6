//! The options page, in Leptos (client-side rendering), with a wasm module of its own so
//! that the popup's does not grow: every setting of `core::settings` and the rules of
//! `core::rules`, in the user's language (`browser::i18n`: the browser's, or the one chosen
//! here), dates in the user's time zone (`browser::intl`).
//!
//! It reads what it shows from storage (`api`) and sends every change to the worker, which
//! validates, stores and applies it (the next alarm moves with an interval, the badge
//! changes with what it counts), then reads the next alarm again. Each change is saved at
//! once; a status line says so (or why not). Native controls only, each with a label, in
//! fieldsets where they belong together: the page works with the keyboard alone.

mod api;
mod rules;
mod sections;

use crate::browser::i18n::Messages;
use crate::core::rules::Rules;
use crate::core::settings::{Settings, Theme};
use crate::core::store::Millis;
use crate::protocol::FeedItem;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Shared state, handed to every section through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub messages: RwSignal<Messages>,
    pub settings: RwSignal<Settings>,
    pub rules: RwSignal<Rules>,
    pub feeds: RwSignal<Vec<FeedItem>>,
    pub next_refresh: RwSignal<Option<Millis>>,
    /// What the last change did: saved, or why not (`true`: an error).
    pub status: RwSignal<Option<(bool, String)>>,
    /// Everything is read and the messages are in.
    pub ready: RwSignal<bool>,
}

impl Ctx {
    /// A message (tracked: the page re-renders in a new language).
    pub fn tr(self, key: &str) -> String {
        self.messages.with(|m| m.tr(key))
    }

    pub fn tr_args(self, key: &str, args: &[&str]) -> String {
        self.messages.with(|m| m.tr_args(key, args))
    }

    /// A date and time in the user's language and time zone.
    pub fn date_time(self, at: Millis) -> String {
        self.messages.with(|m| m.date_time(at))
    }

    fn saved(self, result: Result<(), String>) {
        let status = match result {
            Ok(()) => (false, self.tr("saved")),
            Err(e) => (true, self.tr_args("save_failed", &[&e])),
        };
        self.status.set(Some(status));
    }

    /// Change the settings with `f`, show the change, and store it.
    pub fn change(self, f: impl FnOnce(&mut Settings)) {
        let before = self.settings.get_untracked();
        let mut settings = before.clone();
        f(&mut settings);
        if settings == before {
            return;
        }
        let language_changed = settings.language != before.language;
        self.settings.set(settings.clone());
        spawn_local(async move {
            if language_changed {
                self.messages.set(Messages::load(settings.language.as_deref()).await);
            }
            let result = api::put_settings(&settings).await;
            self.next_refresh.set(api::next_refresh().await);
            self.saved(result);
        });
    }

    /// Replace the rules, show them, and store them.
    pub fn set_rules(self, rules: Rules) {
        self.rules.set(rules.clone());
        spawn_local(async move {
            let result = api::put_rules(&rules).await;
            self.saved(result);
        });
    }

    /// Read what the page shows again (another page or profile changed it).
    fn reload(self) {
        spawn_local(async move {
            if let Ok(settings) = api::settings().await {
                if settings.language != self.settings.get_untracked().language {
                    self.messages.set(Messages::load(settings.language.as_deref()).await);
                }
                self.settings.set(settings);
            }
            if let Ok(rules) = api::rules().await {
                self.rules.set(rules);
            }
            if let Ok(feeds) = api::feeds().await {
                self.feeds.set(feeds);
            }
            self.next_refresh.set(api::next_refresh().await);
        });
    }
}

/// Mount the options page into the body.
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

fn set_page(lang: &str, title: &str, theme: Theme) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    document.set_title(title);
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang);
        let theme = match theme {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        let _ = root.set_attribute("data-theme", theme);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx {
        messages: RwSignal::new(Messages::browser()),
        settings: RwSignal::new(Settings::default()),
        rules: RwSignal::new(Rules::default()),
        feeds: RwSignal::new(Vec::new()),
        next_refresh: RwSignal::new(None),
        status: RwSignal::new(None),
        ready: RwSignal::new(false),
    };
    provide_context(ctx);
    spawn_local(async move {
        let settings = api::settings().await.unwrap_or_default();
        ctx.messages.set(Messages::load(settings.language.as_deref()).await);
        ctx.settings.set(settings);
        ctx.rules.set(api::rules().await.unwrap_or_default());
        match api::feeds().await {
            Ok(feeds) => ctx.feeds.set(feeds),
            Err(e) => ctx.status.set(Some((true, e))),
        }
        ctx.next_refresh.set(api::next_refresh().await);
        ctx.ready.set(true);
    });
    Effect::new(move |_| {
        let lang = ctx.messages.with(|m| m.language().to_string());
        set_page(&lang, &ctx.tr("options_title"), ctx.settings.with(|s| s.theme));
    });
    api::on_change(move |change| {
        if change.settings || change.subscriptions || change.everything || !change.feeds.is_empty()
        {
            ctx.reload();
        }
    });

    view! {
        <main aria-busy=move || (!ctx.ready.get()).to_string()>
            <Show when=move || ctx.ready.get()>
                <h1>{move || ctx.tr("options_title")}</h1>
                <p class="status" role="status" aria-live="polite">
                    {move || ctx.status.get().map(|(error, text)| view! {
                        <span class:error=error>{text}</span>
                    })}
                </p>
                <sections::Reading/>
                <sections::Refreshing/>
                <sections::BadgeSection/>
                <sections::NotificationsSection/>
                <rules::RulesSection/>
                <sections::Appearance/>
            </Show>
        </main>
    }
}
