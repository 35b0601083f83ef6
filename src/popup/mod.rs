//! The toolbar popup, in Leptos (client-side rendering).
//!
//! It reads what it shows straight from the library (`api`: IndexedDB and `storage.*`,
//! no message to the worker, no worker wake): the feeds' counts and health, and the first
//! page of the current view. Every action is a message to the worker; what the worker then
//! changed comes back as a `Change`, and the popup updates the rows and counts affected
//! instead of reading everything again. One file per screen: `entries` (a list), `entry`
//! (one entry), `feeds` (subscriptions and their health), `subscribe`.

mod api;
mod entries;
mod entry;
mod feeds;
mod prefs;
mod subscribe;

use crate::browser::i18n::Messages;
use crate::core::library::view::{Cursor, Scope, View};
use crate::core::notify::Address;
use crate::core::settings::{MarkRead, Settings};
use crate::core::store::Millis;
use crate::protocol::{Change, EntryContent, EntryItem, EntryKey, FeedItem};
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

/// The list on screen: a view, the rows read so far, where the next page starts.
#[derive(Clone, Copy)]
pub struct List {
    pub view: RwSignal<View>,
    pub rows: RwSignal<Vec<EntryItem>>,
    pub next: RwSignal<Option<Cursor>>,
    /// When the view was read: "mark all read" marks what had arrived by then.
    pub looked_at: RwSignal<Millis>,
    /// The first page is in.
    pub ready: RwSignal<bool>,
    /// New entries arrived since (announced, not shifted in).
    pub arrived: RwSignal<usize>,
}

/// Shared state, handed to every component through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub feeds: RwSignal<Vec<FeedItem>>,
    /// Who wrote the unread entries, with their counts.
    pub members: RwSignal<Vec<(String, usize)>>,
    pub unread: RwSignal<usize>,
    /// What sync has to say, if anything.
    pub sync: RwSignal<Option<String>>,
    /// The feeds are in.
    pub loaded: RwSignal<bool>,
    pub list: List,
    pub screen: RwSignal<Screen>,
    /// The last action's failure, shown until the next action.
    pub error: RwSignal<Option<String>>,
    /// A refresh asked for here is running.
    pub refreshing: RwSignal<bool>,
    /// The last "mark all read", which Undo marks unread again.
    pub undo: RwSignal<Option<Vec<EntryKey>>>,
    /// The messages in the user's language (the browser's, or the one chosen in the
    /// options page), and the dates in it.
    pub messages: RwSignal<Messages>,
    pub settings: StoredValue<Settings>,
}

/// The User Timing mark set each time a list's first page has been painted.
pub const LIST_PAINTED: &str = "planet-reader:list-painted";

/// Entries a page of the list holds.
pub const PAGE: usize = 100;

impl Ctx {
    /// A message (tracked: it changes when the language's messages are in).
    pub fn tr(self, key: &str) -> String {
        self.messages.with(|m| m.tr(key))
    }

    pub fn tr_args(self, key: &str, args: &[&str]) -> String {
        self.messages.with(|m| m.tr_args(key, args))
    }

    pub fn tr_plural(self, key: &str, n: usize) -> String {
        self.messages.with(|m| m.tr_plural(key, n, &[]))
    }

    /// "5 minutes ago", "yesterday", or its date, in the user's language and time zone.
    pub fn relative(self, then: Millis) -> String {
        self.messages.with(|m| m.relative(api::now(), then))
    }

    /// Whether opening an entry marks it read (the options page's choice).
    pub fn marks_on_open(self) -> bool {
        self.settings.with_value(|s| s.mark_read == MarkRead::OnOpen)
    }

    /// Read the feeds' counts and health again (one small read each of `storage.local`,
    /// `storage.session` and the library's feed records).
    pub fn reload_feeds(self) {
        spawn_local(async move {
            match api::overview().await {
                Ok(o) => {
                    self.feeds.set(o.feeds);
                    self.members.set(o.members);
                    self.unread.set(o.unread);
                    self.sync.set(o.sync);
                    self.loaded.set(true);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Read the first page of the current view.
    pub fn reload_list(self) {
        let view = self.list.view.get_untracked();
        spawn_local(async move {
            let looked_at = api::now();
            match api::page(&view, None, PAGE).await {
                Ok(page) => {
                    self.list
                        .rows
                        .set(page.entries.iter().filter_map(EntryItem::of_record).collect());
                    self.list.next.set(page.next);
                    self.list.looked_at.set(looked_at);
                    self.list.arrived.set(0);
                    self.list.ready.set(true);
                    // When the list is on screen (what the store benchmark measures).
                    crate::browser::timing::mark_after_paint(LIST_PAINTED);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Everything again (after a subscription, say).
    pub fn reload(self) {
        self.reload_feeds();
        self.reload_list();
    }

    /// Show the next page of the list.
    pub fn show_more(self) {
        let (view, next) = (self.list.view.get_untracked(), self.list.next.get_untracked());
        let Some(next) = next else { return };
        spawn_local(async move {
            match api::page(&view, Some(&next), PAGE).await {
                Ok(page) => {
                    self.list.rows.update(|rows| {
                        rows.extend(page.entries.iter().filter_map(EntryItem::of_record))
                    });
                    self.list.next.set(page.next);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// What the worker changed: counts again, the rows affected in place; new entries are
    /// announced, not pushed into the list under the reader's eyes.
    pub fn changed(self, change: Change) {
        if change.everything {
            return self.reload();
        }
        self.reload_feeds();
        if change.added > 0 {
            self.list.arrived.update(|n| *n += change.added);
        }
        let shown: Vec<EntryKey> = self.list.rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| (r.feed.clone(), r.id.clone()))
                .filter(|k| change.entries.contains(k))
                .collect()
        });
        if shown.is_empty() {
            return;
        }
        spawn_local(async move {
            let Ok(fresh) = api::rows(&shown).await else { return };
            self.list.rows.update(|rows| {
                for row in rows.iter_mut() {
                    if let Some(f) = fresh.iter().find(|f| f.feed == row.feed && f.id == row.id) {
                        *row = f.clone();
                    }
                }
            });
        });
    }

    /// Run an action; show its error.
    pub fn act(self, action: impl std::future::Future<Output = Result<(), String>> + 'static) {
        self.error.set(None);
        spawn_local(async move {
            if let Err(e) = action.await {
                self.error.set(Some(e));
            }
        });
    }

    pub fn show(self, screen: Screen) {
        if matches!(screen, Screen::Entries | Screen::Feeds) {
            let view = if screen == Screen::Feeds { "feeds" } else { "entries" };
            prefs::save(&prefs::Prefs { view: Some(view.to_string()), ..prefs::load() });
        }
        self.screen.set(screen);
    }

    /// How many entries the current view holds, from the feeds' counts (`None` for a
    /// search, and where the counts do not say).
    pub fn view_count(self) -> Option<usize> {
        let view = self.list.view.get();
        if view.search.is_some() {
            return None;
        }
        let feeds = self.feeds.get();
        let pick = |f: &FeedItem| if view.unread_only { f.unread } else { f.total };
        match &view.scope {
            Scope::All => Some(feeds.iter().map(pick).sum()),
            Scope::Feed { feed } => feeds.iter().find(|f| &f.id == feed).map(pick),
            Scope::Member { member } if view.unread_only => {
                Some(self.members.get().iter().find(|(m, _)| m == member).map_or(0, |(_, n)| *n))
            }
            Scope::Starred if !view.unread_only => Some(feeds.iter().map(|f| f.starred).sum()),
            _ => None,
        }
    }

    /// Show another view (from its first page).
    pub fn switch(self, view: View) {
        prefs::save(&prefs::Prefs { list: Some(view.clone()), ..prefs::load() });
        self.list.view.set(view);
        self.list.ready.set(false);
        self.reload_list();
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
    let saved_list = saved.list.is_some();
    let initial = match saved.view.as_deref() {
        Some("feeds") => Screen::Feeds,
        _ => Screen::Entries,
    };
    let ctx = Ctx {
        feeds: RwSignal::new(Vec::new()),
        members: RwSignal::new(Vec::new()),
        unread: RwSignal::new(0),
        sync: RwSignal::new(None),
        loaded: RwSignal::new(false),
        list: List {
            view: RwSignal::new(saved.list.unwrap_or_default()),
            rows: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            looked_at: RwSignal::new(0),
            ready: RwSignal::new(false),
            arrived: RwSignal::new(0),
        },
        screen: RwSignal::new(initial),
        error: RwSignal::new(None),
        refreshing: RwSignal::new(false),
        undo: RwSignal::new(None),
        messages: RwSignal::new(Messages::browser()),
        settings: StoredValue::new(Settings::default()),
    };
    provide_context(ctx);
    // The settings first (one small storage read): the view to open on when none was left
    // open, and the language chosen, if any.

    leptos::task::spawn_local(async move {
        let settings = api::settings().await;
        let asked = api::asked_for().await;
        match &asked {
            Some(Address::View(view)) => {
                ctx.list.view.set(view.clone());
                ctx.screen.set(Screen::Entries);
            }
            _ if !saved_list => ctx.list.view.set(settings.default_view.clone()),
            _ => {}
        }
        if settings.language.is_some() {
            let messages = Messages::load(settings.language.as_deref()).await;
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", messages.language());
            }
            ctx.messages.set(messages);
        }
        ctx.settings.set_value(settings);
        ctx.reload();
        if let Some(Address::Entry { feed, id }) = asked {
            entries::open_entry(ctx, feed, id);
        }
    });
    api::on_change(move |change| ctx.changed(change));

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
    let unread = move || ctx.unread.get();
    let refresh = move |_| {
        ctx.refreshing.set(true);
        ctx.act(async move {
            let result = api::send(crate::protocol::Request::Refresh { feed: None }).await;
            ctx.refreshing.set(false);
            result
        });
    };
    let mark_all = move |_| {
        let (view, arrived_by) =
            (ctx.list.view.get_untracked(), ctx.list.looked_at.get_untracked());
        ctx.act(async move {
            let marked =
                api::mark(crate::protocol::Request::MarkViewRead { view, arrived_by }).await?;
            ctx.undo.set(Some(marked));
            ctx.reload_list();
            Ok(())
        });
    };
    let on_feeds = move || ctx.screen.with(|s| *s == Screen::Feeds);
    let toggle_feeds = move |_| {
        ctx.show(if on_feeds() { Screen::Entries } else { Screen::Feeds });
    };
    view! {
        <header>
            <h1>
                <button class="home" aria-label=move || ctx.tr("view_unread") on:click=move |_| ctx.show(Screen::Entries)>
                    {move || ctx.tr("extension_name")}
                </button>
            </h1>
            <span class="count" aria-live="polite">
                {move || match unread() { 0 => String::new(), n => ctx.tr_plural("unread_count", n) }}
            </span>
            <div class="tools">
                <button
                    aria-label=move || ctx.tr("refresh_now")
                    title=move || ctx.tr("refresh_now")
                    disabled=move || ctx.refreshing.get()
                    class:spinning=move || ctx.refreshing.get()
                    on:click=refresh
                >"⟳"</button>
                <button
                    aria-label=move || ctx.tr("mark_all_read")
                    title=move || ctx.tr("mark_all_read")
                    disabled=move || unread() == 0
                    on:click=mark_all
                >"✓"</button>
                <button
                    aria-label=move || ctx.tr("subscribe")
                    title=move || ctx.tr("subscribe_title")
                    aria-pressed=move || ctx.screen.with(|s| *s == Screen::Subscribe).to_string()
                    on:click=move |_| ctx.show(Screen::Subscribe)
                >"+"</button>
                <button
                    aria-label=move || ctx.tr("subscriptions")
                    title=move || ctx.tr("subscriptions")
                    aria-pressed=move || on_feeds().to_string()
                    on:click=toggle_feeds
                >"☰"</button>
                <button
                    class="settings"
                    aria-label=move || ctx.tr("settings")
                    title=move || ctx.tr("settings")
                    on:click=move |_| ctx.act(api::open_options())
                >"⚙"</button>
            </div>
        </header>
        <Undo/>
    }
}

/// After "mark all read": how many, and Undo, which marks exactly those unread again.
#[component]
fn Undo() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let undo = move |_| {
        let Some(entries) = ctx.undo.get_untracked() else { return };
        ctx.undo.set(None);
        ctx.act(async move {
            api::mark(crate::protocol::Request::MarkEntries { entries, read: false }).await?;
            ctx.reload_list();
            Ok(())
        });
    };
    move || {
        ctx.undo.get().map(|marked| {
            view! {
                <div class="snackbar" role="status">
                    {ctx.tr_plural("marked_read", marked.len())}
                    <button on:click=undo>{move || ctx.tr("undo")}</button>
                    <button aria-label=move || ctx.tr("dismiss") on:click=move |_| ctx.undo.set(None)>"✕"</button>
                </div>
            }
        })
    }
}
