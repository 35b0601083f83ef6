//! Subscribing: the feeds of the page in the current tab, found in one click, and a field
//! for a site or feed address, checked before anything is asked of the browser. Host
//! access to a feed's site is asked for in the click handler of "Subscribe" (nothing is
//! awaited before the request: it needs the gesture). A feed the site offers in several
//! formats is one row with RSS / Atom / JSON buttons; the preferred version is pressed
//! until the person picks another.

use super::{api, place, Ctx, Screen};
use crate::browser::urls::host;
use crate::core::discovery::CandidateSource;
use crate::core::i18n::key;
use crate::core::library::view::{Scope, View};
use crate::core::model::FormatFamily;
use crate::protocol::{Discovery, FoundFeed};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the search stands.
#[derive(Clone, Debug, PartialEq)]
enum Search {
    Idle,
    Looking(String),
    Found(Discovery),
    Failed(String),
    /// Nothing to look at here: a message (its key), said in the language as it changes.
    Hint(&'static str),
}

/// Why a feed cannot be fetched when access to its site was refused.
fn declined(ctx: Ctx, url: &str) -> String {
    ctx.messages.with_untracked(|m| m.tr_args("subscribe_declined", &[&host(url)]))
}

#[component]
pub fn Subscribe() -> impl IntoView {
    let search = RwSignal::new(Search::Idle);
    let address = RwSignal::new(String::new());

    // Look at the current tab at once: subscribing to its feed is one click. The full-tab
    // reader is itself the current tab: it offers the field only.
    let ctx = expect_context::<Ctx>();
    let in_tab = ctx.mode == super::Mode::Tab;
    if in_tab {
        search.set(Search::Hint(key("subscribe_in_tab")));
    }
    spawn_local(async move {
        if in_tab {
            return;
        }
        match api::active_tab().await {
            Ok(Some(tab)) if tab.url.as_deref().is_some_and(|u| u.starts_with("http")) => {
                let url = tab.url.clone().unwrap_or_default();
                search.set(Search::Looking(host(&url)));
                search.set(match api::discover(tab.id).await {
                    Ok(found) => Search::Found(found),
                    Err(e) => Search::Failed(e),
                });
            }
            Ok(_) => search.set(Search::Hint(key("subscribe_no_page"))),
            Err(e) => search.set(Search::Failed(e)),
        }
    });

    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = address.get_untracked();
        let Some(url) = crate::browser::urls::typed(&typed) else {
            let text =
                ctx.messages.with_untracked(|m| m.tr_args("not_an_address", &[typed.trim()]));
            search.set(Search::Failed(text));
            return;
        };
        // Reading a typed site needs access to it: asked for here, in the gesture.
        let granted = api::request_access(std::slice::from_ref(&url));
        search.set(Search::Looking(host(&url)));
        spawn_local(async move {
            if !granted.await {
                search.set(Search::Failed(declined(ctx, &url)));
                return;
            }
            search.set(match api::discover_url(url).await {
                Ok(found) => Search::Found(found),
                Err(e) => Search::Failed(e),
            });
        });
    };

    view! {
        <section class="subscribe" aria-labelledby="subscribe-title">
            <h2 id="subscribe-title" tabindex="-1">{move || ctx.tr("subscribe")}</h2>
            {move || match search.get() {
                Search::Idle => view! { <p class="muted">{move || ctx.tr("looking_at_tab")}</p> }.into_any(),
                Search::Looking(h) => view! {
                    <p class="muted" role="status">{move || ctx.tr_args("looking_for_feeds", &[&h])}</p>
                }.into_any(),
                Search::Failed(e) => view! { <p class="notice" role="status">{e}</p> }.into_any(),
                Search::Hint(k) => view! { <p class="notice" role="status">{move || ctx.tr(k)}</p> }.into_any(),
                Search::Found(found) if found.feeds.is_empty() => {
                    let h = host(&found.page_url);
                    view! {
                        <p class="notice" role="status">
                            {move || ctx.tr_args("no_feed_found", &[&h])}
                        </p>
                    }.into_any()
                }
                Search::Found(found) => view! {
                    <ul class="found" aria-label={
                        let h = host(&found.page_url);
                        move || ctx.tr_args("found_feeds_label", &[&h])
                    }>
                        {found.feeds.into_iter().map(|f| view! { <FoundRow feed=f/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <form class="address" on:submit=find>
                <input
                    type="text"
                    inputmode="url"
                    placeholder=move || ctx.tr("address_label")
                    aria-label=move || ctx.tr("address_label")
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                />
                <button type="submit" aria-label=move || ctx.tr("find_feeds")>{move || ctx.tr("find_feeds")}</button>
            </form>
        </section>
    }
}

/// One version of a found feed the person may subscribe to: the row's own or one of its
/// alternatives.
#[derive(Clone, Debug, PartialEq)]
struct Version {
    url: String,
    family: Option<FormatFamily>,
    format: Option<String>,
    entries: Option<usize>,
}

/// The versions a row offers, RSS, Atom, JSON in that order, and which is the preferred one.
fn versions(feed: &FoundFeed) -> (Vec<Version>, usize) {
    let own = Version {
        url: feed.url.clone(),
        family: feed.family,
        format: feed.format.clone(),
        entries: feed.entries,
    };
    let others = feed.alternatives.iter().map(|a| Version {
        url: a.url.clone(),
        family: Some(a.family),
        format: Some(a.format.clone()),
        entries: Some(a.entry_count),
    });
    let found: Vec<Version> = std::iter::once(own).chain(others).collect();
    // In family order; not with a sort, whose code would weigh more than this in the wasm.
    let order = [None, Some(FormatFamily::Rss), Some(FormatFamily::Atom), Some(FormatFamily::Json)];
    let all: Vec<Version> =
        order.iter().flat_map(|f| found.iter().filter(move |v| v.family == *f)).cloned().collect();
    let preferred = all.iter().position(|v| v.url == feed.url).unwrap_or(0);
    (all, preferred)
}

#[component]
fn FoundRow(feed: FoundFeed) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let subscribed = RwSignal::new(feed.subscribed);
    let busy = RwSignal::new(false);
    let feed_id = RwSignal::new(None::<crate::core::store::FeedId>);
    let read_button = NodeRef::<leptos::html::Button>::new();
    let name = feed.title.clone().unwrap_or_else(|| host(&feed.url));
    let (versions, preferred) = versions(&feed);
    let versions = StoredValue::new(versions);
    // The version the person picked; the preferred one until then.
    let chosen = RwSignal::new(preferred);
    let problem = feed.problem.clone();
    let what = move || {
        versions.with_value(|all| {
            let v = &all[chosen.get()];
            match (&v.format, v.entries, &problem) {
                (Some(format), Some(n), _) => {
                    format!("{format} · {}", ctx.tr_plural("found_entries", n))
                }
                (_, _, Some(problem)) => problem.clone(),
                _ => String::new(),
            }
        })
    };
    let url = move || versions.with_value(|all| all[chosen.get()].url.clone());
    let source = match feed.source {
        CandidateSource::PageIsFeed => key("source_page_is_feed"),
        CandidateSource::LinkAlternate | CandidateSource::LinkFeed => key("source_announced"),
        CandidateSource::Anchor => key("source_linked"),
        CandidateSource::WellKnown => key("source_well_known"),
    };
    let source = move || ctx.tr(source);
    let title = feed.title.clone();
    let subscribe = move |_| {
        let url = versions.with_value(|all| all[chosen.get_untracked()].url.clone());
        // The permission request must be the first thing the click does (nothing awaited).
        let granted = api::request_access(std::slice::from_ref(&url));
        let title = title.clone();
        busy.set(true);
        ctx.error.set(None);
        spawn_local(async move {
            let result = if granted.await {
                api::subscribe(url, title).await.map(|id| feed_id.set(Some(id)))
            } else {
                Err(declined(ctx, &url))
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    subscribed.set(true);
                    ctx.reload_feeds();
                    // The button went: the focus goes to "Read", beside "Subscribed ✓".
                    place::after_render(move || {
                        if let Some(b) = read_button.get_untracked() {
                            place::focus(&b);
                        }
                    });
                }
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    };
    // RSS / Atom / JSON, when the site offers this feed in more than one format.
    let formats = versions.with_value(|all| all.len() > 1).then(|| {
        let buttons = versions.with_value(|all| {
            all.iter()
                .enumerate()
                .map(|(i, v)| {
                    let label = v.family.map_or("?", FormatFamily::label);
                    view! {
                        <button
                            type="button"
                            title=v.format.clone().unwrap_or_default()
                            aria-pressed=move || (chosen.get() == i).to_string()
                            disabled=move || subscribed.get() || busy.get()
                            on:click=move |_| chosen.set(i)
                        >{label}</button>
                    }
                })
                .collect_view()
        });
        let name = name.clone();
        let label = move || ctx.tr_args("format_label", &[&name]);
        view! { <div class="formats" role="group" aria-label=label>{buttons}</div> }
    });
    let label = {
        let name = name.clone();
        move || ctx.tr_args("subscribe_to", &[&name])
    };
    let read_label = {
        let name = name.clone();
        move || ctx.tr_args("read_feed_label", &[&name])
    };
    let read = {
        let url = feed.url.clone();
        move |_| {
            // The id subscribing answered (the popup has no URL normalizer of its own: the
            // `url` crate's tables would double its size), else the feed listed at `url`.
            let id = feed_id.get_untracked().or_else(|| {
                ctx.feeds
                    .with_untracked(|fs| fs.iter().find(|f| f.url == url).map(|f| f.id.clone()))
            });
            let Some(id) = id else { return ctx.show(Screen::Entries) };
            ctx.switch(View { scope: Scope::Feed { feed: id }, unread_only: false, search: None });
            ctx.show(Screen::Entries);
        }
    };
    view! {
        <li class="found-feed">
            <div class="name">{name.clone()}</div>
            <div class="url">{url}</div>
            <div class="what">{what} " · " {source}</div>
            {formats}
            <Show
                when=move || subscribed.get()
                fallback=move || view! {
                    <button aria-label=label.clone() disabled=move || busy.get() on:click=subscribe.clone()>
                        {move || if busy.get() { ctx.tr("subscribing") } else { ctx.tr("subscribe") }}
                    </button>
                }
            >
                <span class="done">
                    <span class="subscribed" role="status">{move || ctx.tr("subscribed")}</span>
                    <button node_ref=read_button aria-label=read_label.clone() on:click=read.clone()>{move || ctx.tr("read_feed")}</button>
                </span>
            </Show>
        </li>
    }
}
