//! The toolbar popup, in Leptos (client-side rendering).
//!
//! It asks the worker for a snapshot, renders it, and sends every action as a message
//! (`api`); when the worker changes what is stored, `storage.onChanged` tells the popup to
//! ask again. One file per screen: `entries` (the unread list), `entry` (one entry),
//! `feeds` (subscriptions and their health).

mod api;
mod entries;
mod entry;
mod feeds;
mod prefs;
mod subscribe;

use crate::protocol::{EntryContent, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the popup shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Entries,
    Entry(Box<EntryContent>),
    Feeds,
    Subscribe,
}

/// Shared state, handed to every component through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub snapshot: RwSignal<Option<Snapshot>>,
    pub screen: RwSignal<Screen>,
    /// The last action's failure, shown until the next action.
    pub error: RwSignal<Option<String>>,
    /// A refresh asked for here is running.
    pub refreshing: RwSignal<bool>,
    /// Show only the entries of this member blog (or author).
    pub member: RwSignal<Option<String>>,
    /// How many entries the list shows ("Show more" adds a [`PAGE`]).
    pub shown: RwSignal<usize>,
    /// A snapshot request is on its way.
    loading: StoredValue<bool>,
    /// Something changed while it was: ask once more when it is back.
    stale: StoredValue<bool>,
}

/// Entries the list shows at first, and adds with "Show more".
pub const PAGE: usize = 100;

impl Ctx {
    /// Ask the worker for a fresh snapshot. A refresh changes storage once per feed; while
    /// one request is on its way, further reloads fold into one more request after it.
    pub fn reload(self) {
        if self.loading.get_value() {
            self.stale.set_value(true);
            return;
        }
        self.loading.set_value(true);
        spawn_local(async move {
            loop {
                self.stale.set_value(false);
                let (limit, member) = (self.shown.get_untracked(), self.member.get_untracked());
                match api::snapshot(limit, member).await {
                    Ok(s) => self.snapshot.set(Some(s)),
                    Err(e) => self.error.set(Some(e)),
                }
                if !self.stale.get_value() {
                    break;
                }
            }
            self.loading.set_value(false);
        });
    }

    /// Show another [`PAGE`] of entries.
    pub fn show_more(self) {
        self.shown.update(|n| *n += PAGE);
        self.reload();
    }

    /// Run an action; show its error; reload afterwards.
    pub fn act(self, action: impl std::future::Future<Output = Result<(), String>> + 'static) {
        self.error.set(None);
        spawn_local(async move {
            if let Err(e) = action.await {
                self.error.set(Some(e));
            }
            self.reload();
        });
    }

    pub fn show(self, screen: Screen) {
        if matches!(screen, Screen::Entries | Screen::Feeds) {
            let view = if screen == Screen::Feeds { "feeds" } else { "entries" };
            prefs::save(&prefs::Prefs { view: Some(view.to_string()), ..prefs::load() });
        }
        self.screen.set(screen);
    }

    pub fn filter_member(self, member: Option<String>) {
        prefs::save(&prefs::Prefs { member: member.clone(), ..prefs::load() });
        self.member.set(member);
        self.shown.set(PAGE);
        self.reload();
    }
}

/// Mount the popup into the page's body.
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let saved = prefs::load();
    let initial = match saved.view.as_deref() {
        Some("feeds") => Screen::Feeds,
        _ => Screen::Entries,
    };
    let ctx = Ctx {
        snapshot: RwSignal::new(None),
        screen: RwSignal::new(initial),
        error: RwSignal::new(None),
        refreshing: RwSignal::new(false),
        member: RwSignal::new(saved.member),
        shown: RwSignal::new(PAGE),
        loading: StoredValue::new(false),
        stale: StoredValue::new(false),
    };
    provide_context(ctx);
    ctx.reload();
    api::on_store_changed(move || ctx.reload());

    view! {
        <Header/>
        <Show when=move || ctx.error.get().is_some()>
            <p class="error" role="alert">{move || ctx.error.get()}</p>
        </Show>
        <main>
            {move || match ctx.screen.get() {
                Screen::Entries => view! { <entries::Entries/> }.into_any(),
                Screen::Entry(entry) => view! { <entry::EntryView content=*entry/> }.into_any(),
                Screen::Feeds => view! { <feeds::Feeds/> }.into_any(),
                Screen::Subscribe => view! { <subscribe::Subscribe/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let unread = move || ctx.snapshot.with(|s| s.as_ref().map_or(0, |s| s.unread));
    let refresh = move |_| {
        ctx.refreshing.set(true);
        ctx.act(async move {
            let result = api::send(crate::protocol::Request::Refresh { feed: None }).await;
            ctx.refreshing.set(false);
            result
        });
    };
    let mark_all = move |_| {
        let Some(arrived_by) = ctx.snapshot.with(|s| s.as_ref().map(|s| s.taken_at)) else {
            return;
        };
        ctx.act(api::send(crate::protocol::Request::MarkAllRead { arrived_by }));
    };
    let on_feeds = move || ctx.screen.with(|s| *s == Screen::Feeds);
    let toggle_feeds = move |_| {
        ctx.show(if on_feeds() { Screen::Entries } else { Screen::Feeds });
    };
    view! {
        <header>
            <h1>
                <button class="home" aria-label="Unread entries" on:click=move |_| ctx.show(Screen::Entries)>
                    "Planet Reader"
                </button>
            </h1>
            <span class="count" aria-live="polite">
                {move || match unread() { 0 => String::new(), n => format!("{n} unread") }}
            </span>
            <div class="tools">
                <button
                    aria-label="Refresh now"
                    title="Refresh now"
                    disabled=move || ctx.refreshing.get()
                    class:spinning=move || ctx.refreshing.get()
                    on:click=refresh
                >"⟳"</button>
                <button
                    aria-label="Mark all read"
                    title="Mark all read"
                    disabled=move || unread() == 0
                    on:click=mark_all
                >"✓"</button>
                <button
                    aria-label="Subscribe"
                    title="Subscribe to this page's feed"
                    aria-pressed=move || ctx.screen.with(|s| *s == Screen::Subscribe).to_string()
                    on:click=move |_| ctx.show(Screen::Subscribe)
                >"+"</button>
                <button
                    aria-label="Subscriptions"
                    title="Subscriptions"
                    aria-pressed=move || on_feeds().to_string()
                    on:click=toggle_feeds
                >"☰"</button>
            </div>
        </header>
    }
}
