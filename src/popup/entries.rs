//! The list: the current view's entries, newest first, each with its feed (and the feed's
//! icon), its Planet member or author, its title and date; above it what is wrong with a
//! feed, and new entries announced (never shifted in); when it is empty, why, in its own
//! words: the first fetch, no subscriptions, a failing feed, all read, nothing found.

use super::{api, Ctx, Screen};
use crate::core::library::view::Scope;
use crate::protocol::{EntryItem, FeedItem};
use leptos::prelude::*;

/// Whether an unread row is listed (what "mark all read" would mark).
pub fn has_unread(ctx: Ctx) -> bool {
    ctx.list.rows.with(|rows| rows.iter().any(|r| !r.item.with(|i| i.read)))
}

/// A feed that has not been fetched yet (the first fetch is under way).
fn pending(f: &FeedItem) -> bool {
    f.checked.is_none() && f.changed.is_none() && f.error.is_none()
}

/// A feed's icon: its own image, else its initial.
#[component]
pub fn FeedIcon(feed: Option<FeedItem>) -> impl IntoView {
    let image = feed.as_ref().and_then(|f| f.image.clone()).filter(|u| u.starts_with("http"));
    let initial = feed
        .as_ref()
        .and_then(|f| f.title.chars().find(|c| c.is_alphanumeric()))
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_else(|| "•".into());
    let broken = RwSignal::new(false);
    move || {
        match image.clone().filter(|_| !broken.get()) {
        Some(src) => view! {
            <img class="icon" src=src alt="" width="16" height="16" loading="lazy" referrerpolicy="no-referrer" on:error=move |_| broken.set(true)/>
        }
        .into_any(),
        None => view! { <span class="icon letter" aria-hidden="true">{initial.clone()}</span> }.into_any(),
    }
    }
}

#[component]
pub fn Entries() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || ctx.list.rows.get();
    let more = move || ctx.list.next.with(Option::is_some);
    let ready = move || ctx.list.ready.get() && ctx.loaded.get();
    view! {
        <super::feeds::FeedErrors/>
        <super::feeds::SyncNotice/>
        <div class="arrived-slot" role="status">
            <Show when=move || { ctx.list.arrived.get() > 0 }>
                <button class="arrived" on:click=move |_| ctx.reload_list()>
                    {move || ctx.tr_plural("arrived", ctx.list.arrived.get())}
                </button>
            </Show>
        </div>
        <Show when=ready fallback=move || view! { <p class="empty" role="status">{move || ctx.tr("loading")}</p> }>
            <Show when=move || ctx.list.rows.with(|r| !r.is_empty()) fallback=move || view! { <Empty/> }>
                <ul class="entries" aria-label=move || super::switcher::view_name(ctx, &ctx.list.view.get())>
                    <For each=rows key=|r| r.key.clone() children=move |r| view! { <EntryRow row=r/> }/>
                </ul>
                <Show when=more>
                    <button class="more" on:click=move |_| ctx.show_more()>
                        {move || {
                            let shown = ctx.list.rows.with(Vec::len);
                            match ctx.view_count() {
                                Some(n) if n > shown => {
                                    ctx.tr_plural("show_more_count", (n - shown).min(super::PAGE))
                                }
                                _ => ctx.tr("show_more"),
                            }
                        }}
                    </button>
                </Show>
            </Show>
        </Show>
    }
}

/// Why the list is empty, said plainly.
#[component]
fn Empty() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        let view = ctx.list.view.get();
        let feeds = ctx.feeds.get();
        let name = super::switcher::view_name(ctx, &view);
        let (big, small, action): (String, String, bool) = if feeds.is_empty() {
            (ctx.tr("empty_no_feeds"), ctx.tr("empty_no_feeds_hint"), true)
        } else if let Some(q) = &view.search {
            (ctx.tr_args("empty_search", &[q]), ctx.tr_args("empty_search_hint", &[&name]), false)
        } else if feeds.iter().any(pending) && feeds.iter().all(|f| f.total == 0) {
            let fetching: Vec<&str> =
                feeds.iter().filter(|f| pending(f)).map(|f| f.title.as_str()).collect();
            let big = match fetching.as_slice() {
                [one] => ctx.tr_args("empty_fetching_feed", &[one]),
                many => ctx.tr_plural("empty_fetching_feeds", many.len()),
            };
            (big, ctx.tr("empty_fetching_hint"), false)
        } else if feeds.iter().all(|f| f.error.is_some()) && feeds.iter().all(|f| f.total == 0) {
            (ctx.tr("empty_failing"), ctx.tr("empty_failing_hint"), false)
        } else if view.scope == Scope::Starred {
            (ctx.tr("empty_starred"), ctx.tr("empty_starred_hint"), false)
        } else if view.unread_only {
            let failing = feeds.iter().filter(|f| f.error.is_some()).count();
            let small = match failing {
                0 => ctx.tr("empty_unread_hint"),
                n => ctx.tr_plural("empty_unread_failing", n),
            };
            (ctx.tr_args("empty_unread", &[&name]), small, false)
        } else {
            (ctx.tr_args("empty_view", &[&name]), ctx.tr("empty_view_hint"), false)
        };
        view! {
            <div class="empty" role="status">
                <p class="big">{big}</p>
                <p>{small}</p>
                {action.then(|| view! {
                    <p class="actions">
                        <button on:click=move |_| ctx.show(Screen::Subscribe)>{move || ctx.tr("subscribe_ellipsis")}</button>
                        <button on:click=move |_| ctx.show(Screen::Feeds)>{move || ctx.tr("import_opml_ellipsis")}</button>
                    </p>
                })}
            </div>
        }
    }
}

#[component]
fn EntryRow(row: super::Row) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let item = RwSignal::from(row.item);
    let key = row.key.clone();
    let now = api::now();
    let one_feed = move || ctx.list.view.with(|v| matches!(v.scope, Scope::Feed { .. }));
    let feed_id = key.0.clone();
    let feed =
        Memo::new(move |_| ctx.feeds.with(|fs| fs.iter().find(|f| f.id == feed_id).cloned()));
    let get = move |f: fn(&EntryItem) -> String| move || item.with(f);
    let read = move || item.with(|i| i.read);
    let starred = move || item.with(|i| i.starred);
    let date = move || {
        item.with(|i| i.date.map(|d| ctx.messages.with(|m| m.relative(now, d))).unwrap_or_default())
    };
    let current = {
        let key = key.clone();
        Memo::new(move |_| ctx.list.current.with(|c| c.as_ref() == Some(&key)))
    };
    let open = {
        let key = key.clone();
        move |_| ctx.open(key.clone())
    };
    let focused = {
        let key = key.clone();
        move |_| {
            if ctx.list.current.with_untracked(|c| c.as_ref() != Some(&key)) {
                ctx.list.current.set(Some(key.clone()));
            }
        }
    };
    let star = {
        let key = key.clone();
        move |_| ctx.set_starred(&key, !starred())
    };
    view! {
        <li class="entry" class:read=read class:current=move || current.get()>
            <button class="open" aria-current=move || current.get().then_some("true") on:click=open on:focus=focused>
                <span class="meta">
                    <Show when=move || !one_feed()>
                        {move || view! { <FeedIcon feed=feed.get()/> }}
                        <span class="feed">{move || feed.with(|f| f.as_ref().map(|f| f.title.clone()))}</span>
                    </Show>
                    <span class="member">{get(|i| i.member.clone().unwrap_or_default())}</span>
                    <time>{date}</time>
                </span>
                <span class="title"><span class="dot" aria-hidden="true"></span>{get(|i| i.title.clone())}</span>
                <span class="sr-only">{move || if read() { String::new() } else { format!(" {}", ctx.tr("row_unread")) }}</span>
            </button>
            <button
                class="star"
                tabindex="-1"
                aria-label=move || ctx.tr("star")
                title=move || ctx.tr("star_title")
                aria-pressed=move || starred().to_string()
                on:click=star
            >{move || if starred() { "★" } else { "☆" }}</button>
        </li>
    }
}
