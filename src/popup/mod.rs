//! The reader, in Leptos (client-side rendering): the toolbar popup, the full-tab reader
//! (`reader.html`, two panes at wide sizes) and the side panel (`panel.html`) are one app,
//! told apart by the page's `data-mode`.
//!
//! It reads what it shows straight from the library (`api`: IndexedDB and `storage.*`,
//! no message to the worker, no worker wake): the feeds' counts and health, and the pages of
//! the current view. Every action is a message to the worker; what the worker then changed
//! comes back as a `Change`, and the app updates the rows and counts affected instead of
//! reading everything again. One file per screen or part: `entries` (a list and its
//! states), `entry` (one entry), `switcher` (the view bar: which entries, search), `feeds`
//! (subscriptions and their health), `subscribe`, `keys` (the keyboard and its help),
//! `place` (scrolling, focus, and where the reader was).
//!
//! Never losing the reader's place: the list stays in the page (hidden) while an entry, the
//! subscriptions or subscribing is shown, so Back finds it as it was; an entry opens at its
//! top; new entries are announced, never shifted in above the reader; and where the reader
//! was (view, scroll, the row last opened) is kept in `prefs` for the next time the page
//! opens, which shows the list there (or the subscriptions, if they were shown).

mod api;
mod entries;
mod entry;
mod feeds;
mod keys;
mod place;
mod prefs;
mod subscribe;
mod switcher;

use crate::browser::i18n::Messages;
use crate::core::library::view::{Cursor, Scope, View};
use crate::core::notify::Address;
use crate::core::settings::{MarkRead, Settings};
use crate::core::store::{FeedError, Millis};
use crate::protocol::{Change, EntryContent, EntryItem, EntryKey, FeedItem, Request};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which page the app is: the toolbar popup, the full-tab reader or the side panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Popup,
    Tab,
    Panel,
}

impl Mode {
    /// The page's `<html data-mode>`: `reader.html` and `panel.html` say theirs.
    fn of_page() -> Mode {
        let mode = document().document_element().and_then(|e| e.get_attribute("data-mode"));
        match mode.as_deref() {
            Some("tab") => Mode::Tab,
            Some("panel") => Mode::Panel,
            _ => Mode::Popup,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Popup => "popup",
            Mode::Tab => "tab",
            Mode::Panel => "panel",
        }
    }
}

/// What the app shows (besides the list, which stays in the page).
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Entries,
    Entry(Box<EntryContent>),
    Feeds,
    Subscribe,
}

/// One row of the list: its identity, and its item as a signal of its own, so that a
/// change to one entry (read, starred) updates that row in place (and keeps its focus).
#[derive(Clone)]
pub struct Row {
    pub key: EntryKey,
    pub item: ArcRwSignal<EntryItem>,
}

impl Row {
    fn of(item: EntryItem) -> Row {
        Row { key: (item.feed.clone(), item.id.clone()), item: ArcRwSignal::new(item) }
    }
}

/// The list: a view, the rows read so far, where the next page starts.
#[derive(Clone, Copy)]
pub struct List {
    pub view: RwSignal<View>,
    pub rows: RwSignal<Vec<Row>>,
    pub next: RwSignal<Option<Cursor>>,
    /// When the view was read: "mark all read" marks what had arrived by then.
    pub looked_at: RwSignal<Millis>,
    /// The first page is in.
    pub ready: RwSignal<bool>,
    /// New entries arrived since (announced, not shifted in).
    pub arrived: RwSignal<usize>,
    /// The row the keyboard is on (focused, or last opened).
    pub current: RwSignal<Option<EntryKey>>,
    /// Where the page opened in this list, until its first page is in: a read of the list
    /// started meanwhile (entries arrived) goes back there too, not to the top.
    pub opening: StoredValue<Option<prefs::Place>>,
}

/// The last "mark all read": what it marked (Undo marks exactly those unread again) and
/// what to say.
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub entries: Vec<EntryKey>,
    pub text: String,
}

/// Shared state, handed to every component through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub mode: Mode,
    /// Two panes (the full-tab reader at a wide size): the list stays beside an entry.
    pub wide: RwSignal<bool>,
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
    /// The open entry's identity, read and starred, as they change (the screen itself
    /// holds what does not).
    pub entry_state: RwSignal<Option<(EntryKey, bool, bool)>>,
    /// The last action's failure, shown until the next action.
    pub error: RwSignal<Option<String>>,
    /// A refresh asked for here is running.
    pub refreshing: RwSignal<bool>,
    pub undo: RwSignal<Option<Undo>>,
    /// The keyboard shortcuts are shown.
    pub help: RwSignal<bool>,
    /// What the search field holds (the view's search follows it, debounced).
    pub search: RwSignal<String>,
    /// Where the list was scrolled when it was hidden (Back puts it there again).
    pub list_scroll: StoredValue<f64>,
    /// The messages in the user's language (the browser's, or the one chosen in the
    /// options page), and the dates in it.
    pub messages: RwSignal<Messages>,
    pub settings: StoredValue<Settings>,
}

/// The User Timing mark set each time a list's first page has been painted.
pub const LIST_PAINTED: &str = "planet-reader:list-painted";

/// Entries a page of the list holds.
pub const PAGE: usize = 100;
/// Pages read at most to bring back where the reader was.
const RESTORE_PAGES: usize = 5;

impl Ctx {
    /// A message (tracked: it changes when the language's messages are in).
    pub fn tr(self, key: &str) -> String {
        self.messages.with(|m| m.tr(key))
    }

    /// Show the page in `language` (else the browser's).
    async fn set_language(self, language: Option<&str>) {
        let messages = Messages::load(language).await;
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", messages.language());
        }
        self.messages.set(messages);
    }

    pub fn tr_args(self, key: &str, args: &[&str]) -> String {
        self.messages.with(|m| m.tr_args(key, args))
    }

    pub fn tr_plural(self, key: &str, n: usize) -> String {
        self.messages.with(|m| m.tr_plural(key, n, &[]))
    }

    /// Why a feed's last fetch failed, in the reader's language (tracked, as `tr`).
    pub fn feed_error(self, problem: &FeedError) -> String {
        let (key, args) = problem.message();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.tr_args(key, &args)
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

    /// Read the current view from its first page (enough pages to hold `place`, when
    /// given, which is then scrolled back into view; else the list starts at its top).
    pub fn load_list(self, place: Option<prefs::Place>) {
        let view = self.list.view.get_untracked();
        spawn_local(async move {
            let looked_at = api::now();
            let wanted =
                place.as_ref().map_or(1, |p| p.loaded.div_ceil(PAGE).clamp(1, RESTORE_PAGES));
            let mut rows = Vec::new();
            let mut next = None;
            for i in 0..wanted {
                if i > 0 && next.is_none() {
                    break;
                }
                match api::page(&view, next.as_ref(), PAGE).await {
                    Ok(page) => {
                        rows.extend(page.entries.iter().filter_map(EntryItem::of_record));
                        next = page.next;
                    }
                    Err(e) => return self.error.set(Some(e)),
                }
            }
            if self.list.view.get_untracked() != view {
                return; // another view was chosen meanwhile
            }
            self.list.rows.set(rows.into_iter().map(Row::of).collect());
            self.list.next.set(next);
            self.list.looked_at.set(looked_at);
            self.list.arrived.set(0);
            self.list.ready.set(true);
            self.list.opening.set_value(None);
            // When the list is on screen (what the store benchmark measures).
            crate::browser::timing::mark_after_paint(LIST_PAINTED);
            match place {
                Some(p) => place::restore(self, p),
                None => place::list_to_top(self),
            }
        });
    }

    /// The current view again, from its top (after "N new", say).
    pub fn reload_list(self) {
        self.load_list(None);
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
                    let more = page.entries.iter().filter_map(EntryItem::of_record).map(Row::of);
                    self.list.rows.update(|rows| rows.extend(more));
                    self.list.next.set(page.next);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// The row of `key`, if it is listed.
    pub fn row(self, key: &EntryKey) -> Option<Row> {
        self.list.rows.with_untracked(|rows| rows.iter().find(|r| &r.key == key).cloned())
    }

    /// Change the item of a listed row in place.
    fn update_row(self, key: &EntryKey, f: impl FnOnce(&mut EntryItem)) {
        if let Some(row) = self.row(key) {
            row.item.update(f);
        }
    }

    /// What the worker changed: counts again, the rows affected in place; new entries are
    /// announced, not pushed into the list under the reader's eyes.
    pub fn changed(self, change: Change) {
        if change.everything {
            return self.reload();
        }
        self.reload_feeds();
        if change.added > 0 {
            // Into an empty list they come at once: there is no place to lose, but the one
            // the page is still reading its way back to.
            if self.list.rows.with_untracked(Vec::is_empty) {
                return self.load_list(self.list.opening.get_value());
            }
            self.list.arrived.update(|n| *n += change.added);
        }
        let mut shown: Vec<EntryKey> = self.list.rows.with_untracked(|rows| {
            rows.iter().map(|r| r.key.clone()).filter(|k| change.entries.contains(k)).collect()
        });
        shown.extend(self.opened().filter(|k| change.entries.contains(k) && !shown.contains(k)));
        if shown.is_empty() {
            return;
        }
        spawn_local(async move {
            let Ok(fresh) = api::rows(&shown).await else { return };
            for item in fresh {
                let key = (item.feed.clone(), item.id.clone());
                self.update_open(&key, |read, starred| {
                    (*read, *starred) = (item.read, item.starred)
                });
                self.update_row(&key, |row| *row = item);
            }
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

    /// Whether the list is on screen with `screen`.
    fn list_shown(self, screen: &Screen) -> bool {
        match screen {
            Screen::Entries => true,
            Screen::Entry(_) => self.wide.get_untracked(),
            _ => false,
        }
    }

    /// Show `screen`, keeping the list's place while it is hidden and putting it back
    /// when it is shown again.
    pub fn show(self, screen: Screen) {
        let before = self.screen.with_untracked(|s| self.list_shown(s));
        let after = self.list_shown(&screen);
        if before && !after {
            self.list_scroll.set_value(place::scroll_of(self));
        }
        let name = match &screen {
            Screen::Entries => "entries",
            Screen::Entry(_) => "entry",
            Screen::Feeds => "feeds",
            Screen::Subscribe => "subscribe",
        };
        prefs::update(self.mode, |p| p.screen = Some(name.to_string()));
        self.screen.set(screen);
        if !before && after {
            let top = self.list_scroll.get_value();
            place::when_list_shown(move || {
                place::scroll_list_to(self, top);
                place::focus_current(self);
            });
        }
    }

    /// Back to the list from wherever the app is (the row last opened keeps the focus).
    pub fn back(self) {
        self.help.set(false);
        self.show(Screen::Entries);
        if self.wide.get_untracked() {
            place::after_render(move || place::focus_current(self));
        }
    }

    /// Show another view (from its first page).
    pub fn switch(self, view: View) {
        prefs::update(self.mode, |p| {
            p.list = Some(view.clone());
            p.place = prefs::Place::default();
        });
        self.undo.set(None);
        self.list.view.set(view);
        self.list.ready.set(false);
        self.list.current.set(None);
        self.list.opening.set_value(None);
        self.reload_list();
    }

    /// Open entry `key`: shown at once, at its top, and marked read (the default; "Keep
    /// unread" is in the entry's bar), unless the settings say: only by hand.
    pub fn open(self, key: EntryKey) {
        self.error.set(None);
        self.list.current.set(Some(key.clone()));
        spawn_local(async move {
            match api::entry(key.0.clone(), key.1.clone()).await {
                Ok(content) => {
                    let unread = !content.read;
                    self.entry_state.set(Some((key.clone(), content.read, content.entry.starred)));
                    self.show(Screen::Entry(Box::new(content)));
                    place::after_render(move || place::entry_opened(self));
                    if unread && self.marks_on_open() {
                        self.set_read(&key, true);
                    }
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// The entry open now, if any.
    pub fn opened(self) -> Option<EntryKey> {
        self.screen.with_untracked(|s| match s {
            Screen::Entry(c) => Some((c.entry.feed.clone(), c.entry.id.clone())),
            _ => None,
        })
    }

    /// Open the entry `delta` rows after (or before) the one open or current; past the
    /// last row read, the next page is read first.
    pub fn step(self, delta: isize) {
        let Some(at) = self.opened().or_else(|| self.list.current.get_untracked()) else {
            return;
        };
        let keys: Vec<EntryKey> =
            self.list.rows.with_untracked(|rows| rows.iter().map(|r| r.key.clone()).collect());
        let Some(i) = keys.iter().position(|k| *k == at) else { return };
        let j = i as isize + delta;
        if j >= 0 && (j as usize) < keys.len() {
            return self.open(keys[j as usize].clone());
        }
        if delta > 0 && self.list.next.with_untracked(Option::is_some) {
            let (view, next) = (self.list.view.get_untracked(), self.list.next.get_untracked());
            spawn_local(async move {
                let Ok(page) = api::page(&view, next.as_ref(), PAGE).await else { return };
                let more: Vec<Row> =
                    page.entries.iter().filter_map(EntryItem::of_record).map(Row::of).collect();
                let first = more.first().map(|r| r.key.clone());
                self.list.rows.update(|rows| rows.extend(more));
                self.list.next.set(page.next);
                if let Some(k) = first {
                    self.open(k);
                }
            });
        }
    }

    /// The entry the keyboard acts on: the open one, else the list's current row.
    pub fn target(self) -> Option<EntryKey> {
        self.opened().or_else(|| self.list.current.get_untracked())
    }

    /// Change the open entry's state, if `key` is open.
    fn update_open(self, key: &EntryKey, f: impl FnOnce(&mut bool, &mut bool)) {
        self.entry_state.update(|s| {
            if let Some((k, read, starred)) = s {
                if k == key {
                    f(read, starred);
                }
            }
        });
    }

    /// Mark `key` read or unread (the row and an open entry follow at once).
    pub fn set_read(self, key: &EntryKey, read: bool) {
        self.update_row(key, |r| r.read = read);
        self.update_open(key, |r, _| *r = read);
        let (feed, id) = key.clone();
        self.act(api::send(Request::MarkRead { feed, id, read }));
    }

    /// Star or unstar `key`.
    pub fn set_starred(self, key: &EntryKey, starred: bool) {
        self.update_row(key, |r| r.starred = starred);
        self.update_open(key, |_, s| *s = starred);
        let (feed, id) = key.clone();
        self.act(api::send(Request::Star { feed, id, starred }));
    }

    /// Whether `key` is read and starred, as shown.
    pub fn state_of(self, key: &EntryKey) -> Option<(bool, bool)> {
        let open = self.entry_state.with_untracked(|s| {
            s.as_ref().filter(|(k, _, _)| k == key).map(|(_, r, st)| (*r, *st))
        });
        open.or_else(|| self.row(key).map(|r| r.item.with_untracked(|i| (i.read, i.starred))))
    }

    pub fn toggle_read(self, key: &EntryKey) {
        if let Some((read, _)) = self.state_of(key) {
            self.set_read(key, !read);
        }
    }

    pub fn toggle_star(self, key: &EntryKey) {
        if let Some((_, starred)) = self.state_of(key) {
            self.set_starred(key, !starred);
        }
    }

    /// Mark what the reader has seen of the current view read: every unread row listed
    /// (the whole view when every page is in, as a watermark for sync; else the rows
    /// shown, not the ones beyond them), and never what arrived since the view was read.
    /// Undo marks exactly those unread again.
    pub fn mark_seen(self) {
        let view = self.list.view.get_untracked();
        let unread: Vec<EntryKey> = self.list.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| !r.item.with_untracked(|i| i.read))
                .map(|r| r.key.clone())
                .collect()
        });
        if unread.is_empty() {
            return;
        }
        let request = if self.list.next.with_untracked(Option::is_none) {
            Request::MarkViewRead {
                view: view.clone(),
                arrived_by: self.list.looked_at.get_untracked(),
            }
        } else {
            Request::MarkEntries { entries: unread, read: true }
        };
        let place = switcher::view_name(self, &view);
        self.act(async move {
            let marked = api::mark(request).await?;
            for key in &marked {
                self.update_row(key, |r| r.read = true);
            }
            let n = marked.len();
            let text = self.messages.with_untracked(|m| m.tr_plural("marked_read", n, &[&place]));
            self.undo.set(Some(Undo { entries: marked, text }));
            Ok(())
        });
    }

    /// Undo the last "mark all read": exactly the entries it marked are unread again.
    pub fn undo_marks(self) {
        let Some(undo) = self.undo.get_untracked() else { return };
        self.undo.set(None);
        self.act(async move {
            let entries = undo.entries.clone();
            api::mark(Request::MarkEntries { entries: undo.entries, read: false }).await?;
            for key in &entries {
                self.update_row(key, |r| r.read = false);
            }
            Ok(())
        });
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
}

/// Mount the app into the page's body.
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let mode = Mode::of_page();
    let saved = prefs::load(mode);
    let initial = match saved.screen.as_deref() {
        Some("feeds") => Screen::Feeds,
        _ => Screen::Entries,
    };
    let view = saved.list.clone().unwrap_or_default();
    let ctx = Ctx {
        mode,
        wide: RwSignal::new(false),
        feeds: RwSignal::new(Vec::new()),
        members: RwSignal::new(Vec::new()),
        unread: RwSignal::new(0),
        sync: RwSignal::new(None),
        loaded: RwSignal::new(false),
        list: List {
            view: RwSignal::new(view.clone()),
            rows: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            looked_at: RwSignal::new(0),
            ready: RwSignal::new(false),
            arrived: RwSignal::new(0),
            current: RwSignal::new(saved.place.row.clone()),
            opening: StoredValue::new(Some(saved.place.clone())),
        },
        screen: RwSignal::new(initial),
        entry_state: RwSignal::new(None),
        error: RwSignal::new(None),
        refreshing: RwSignal::new(false),
        undo: RwSignal::new(None),
        help: RwSignal::new(false),
        search: RwSignal::new(view.search.clone().unwrap_or_default()),
        list_scroll: StoredValue::new(0.0),
        messages: RwSignal::new(Messages::browser()),
        settings: StoredValue::new(Settings::default()),
    };
    provide_context(ctx);
    api::speak_with(ctx.messages);
    place::watch_layout(ctx);
    ctx.reload_feeds();
    // The settings first (one small storage read): the view to open on when none was left
    // open, the language chosen, if any, and where a notification's click asked to go.
    let saved_list = saved.list.is_some();
    let place = saved.place.clone();
    spawn_local(async move {
        // Two independent reads: at once.
        let (settings, asked) = futures::join!(api::settings(), api::asked_for());
        let view = match &asked {
            Some(Address::View(view)) => {
                ctx.screen.set(Screen::Entries);
                Some(view.clone())
            }
            _ if !saved_list => Some(settings.default_view.clone()),
            _ => None,
        };
        // The view the settings or a notification name: its own search, and the place only
        // if it was left in that view (the default view, never switched from, keeps it).
        let place = match view {
            Some(view) => {
                ctx.search.set(view.search.clone().unwrap_or_default());
                let place = (place.view.as_ref() == Some(&view)).then_some(place);
                ctx.list.view.set(view);
                ctx.list.opening.set_value(place.clone());
                place
            }
            None => Some(place),
        };
        if settings.language.is_some() {
            ctx.set_language(settings.language.as_deref()).await;
        }
        ctx.settings.set_value(settings);
        ctx.load_list(place);
        if let Some(Address::Entry { feed, id }) = asked {
            ctx.open((feed, id));
        }
        // Settings changed in the options page while this page is open (a full-tab reader
        // stays open for long) apply at once: the language here, the theme in
        // popup-init.js; the images' policy is fixed once the page has loaded.
        api::on_settings_changed(move || {
            spawn_local(async move {
                let settings = api::settings().await;
                let before = ctx.settings.with_value(|s| s.language.clone());
                if settings.language != before {
                    ctx.set_language(settings.language.as_deref()).await;
                }
                ctx.settings.set_value(settings);
            })
        });
    });
    api::on_change(move |change| ctx.changed(change));
    keys::listen(ctx);

    let list_shown = move || {
        ctx.wide.track(); // two panes or one: the list beside an entry, or not
        ctx.screen.with(|s| ctx.list_shown(s))
    };
    let on_list = move || ctx.screen.with(|s| matches!(s, Screen::Entries | Screen::Entry(_)));
    view! {
        <Header/>
        <main>
            <Show when=move || ctx.error.get().is_some()>
                <p class="error" role="alert">{move || ctx.error.get()}</p>
            </Show>
            <UndoBar/>
            <div class="panes" class:two=move || ctx.wide.get() && on_list()>
                <section class="list-pane" aria-label=move || ctx.tr("entries_label") hidden=move || !list_shown()>
                    <entries::Entries/>
                </section>
                {move || match ctx.screen.get() {
                    Screen::Entries => ().into_any(),
                    Screen::Entry(content) => view! {
                        <section class="entry-pane" aria-label=move || ctx.tr("entry_label")>
                            <entry::EntryView content=*content/>
                        </section>
                    }.into_any(),
                    Screen::Feeds => view! { <feeds::Feeds/> }.into_any(),
                    Screen::Subscribe => view! { <subscribe::Subscribe/> }.into_any(),
                }}
            </div>
            <keys::Help/>
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
            let result = api::send(Request::Refresh { feed: None }).await;
            ctx.refreshing.set(false);
            result
        });
    };
    let on = move |name: &'static str| {
        move || {
            ctx.screen.with(|s| match s {
                Screen::Feeds => name == "feeds",
                Screen::Subscribe => name == "subscribe",
                _ => false,
            })
        }
    };
    let toggle = move |screen: Screen| {
        move |_| {
            if ctx.screen.with_untracked(|s| *s == screen) {
                ctx.back();
            } else {
                ctx.show(screen.clone());
                place::after_render(place::focus_heading);
            }
        }
    };
    let on_list = move || ctx.screen.with(|s| matches!(s, Screen::Entries | Screen::Entry(_)));
    let panel = api::panel();
    let window = StoredValue::new(None::<i32>);
    if ctx.mode == Mode::Popup && panel.is_some() {
        spawn_local(async move { window.set_value(api::current_window().await) });
    }
    let open_panel = move |_| {
        let Some(panel) = panel else { return };
        let opened = api::open_panel(panel, window.get_value());
        ctx.act(async move {
            opened.await?;
            api::close_window();
            Ok(())
        });
    };
    view! {
        <header>
            <div class="bar">
                <h1>
                    <button class="home" title=move || ctx.tr("view_unread") on:click=move |_| ctx.back()>{move || ctx.tr("extension_name")}</button>
                </h1>
                <span class="count">
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
                        title=move || ctx.tr("mark_all_read_title")
                        disabled=move || !on_list() || !entries::has_unread(ctx)
                        on:click=move |_| ctx.mark_seen()
                    >"✓"</button>
                    <button
                        aria-label=move || ctx.tr("subscribe")
                        title=move || ctx.tr("subscribe_title")
                        aria-pressed=move || on("subscribe")().to_string()
                        on:click=toggle(Screen::Subscribe)
                    >"+"</button>
                    <button
                        aria-label=move || ctx.tr("subscriptions")
                        title=move || ctx.tr("subscriptions")
                        aria-pressed=move || on("feeds")().to_string()
                        on:click=toggle(Screen::Feeds)
                    >"☰"</button>
                    <button
                        class="settings"
                        aria-label=move || ctx.tr("settings")
                        title=move || ctx.tr("settings")
                        on:click=move |_| ctx.act(api::open_options())
                    >"⚙"</button>
                    {(ctx.mode != Mode::Tab).then(|| view! {
                        <button
                            aria-label=move || ctx.tr("open_tab")
                            title=move || ctx.tr("open_tab_title")
                            on:click=move |_| ctx.act(async move {
                                api::open_tab("reader.html".into()).await?;
                                if ctx.mode == Mode::Popup {
                                    api::close_window();
                                }
                                Ok(())
                            })
                        >"⤢"</button>
                    })}
                    {(ctx.mode == Mode::Popup && panel.is_some()).then(|| view! {
                        <button
                            aria-label=move || ctx.tr("open_panel")
                            title=move || ctx.tr("open_panel_title")
                            on:click=open_panel
                        >"◨"</button>
                    })}
                    <button
                        aria-label=move || ctx.tr("shortcuts")
                        title=move || ctx.tr("shortcuts_title")
                        aria-pressed=move || ctx.help.get().to_string()
                        on:click=move |_| keys::toggle_help(ctx)
                    >"?"</button>
                </div>
            </div>
            <Show when=on_list>
                <switcher::ViewBar/>
            </Show>
        </header>
    }
}

/// After "mark all read": how many, and Undo, which marks exactly those unread again.
#[component]
fn UndoBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <div class="snackbar-slot" role="status">
            {move || ctx.undo.get().map(|undo| view! {
                <div class="snackbar">
                    <span>{undo.text}</span>
                    <button on:click=move |_| ctx.undo_marks()>{ctx.tr("undo")}</button>
                    <button aria-label=ctx.tr("dismiss") title=ctx.tr("dismiss") on:click=move |_| ctx.undo.set(None)>"✕"</button>
                </div>
            })}
        </div>
    }
}
