//! The list of unread entries, newest first, with each feed's fetch error above it.

use super::{api, Ctx, Screen};
use crate::core::when;
use crate::protocol::{EntryItem, Request};
use leptos::prelude::*;

#[component]
pub fn Entries() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The worker filters by member (a member with nothing unread left no longer filters)
    // and sends the first `ctx.shown`.
    let entries =
        move || ctx.snapshot.with(|s| s.as_ref().map(|s| s.entries.clone()).unwrap_or_default());
    let members =
        move || ctx.snapshot.with(|s| s.as_ref().map(|s| s.members.clone()).unwrap_or_default());
    let unread = move || ctx.snapshot.with(|s| s.as_ref().map_or(0, |s| s.unread));
    let more = move || {
        ctx.snapshot.with(|s| s.as_ref().map_or(0, |s| s.matching.saturating_sub(s.entries.len())))
    };
    let loaded = move || ctx.snapshot.with(Option::is_some);
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        ctx.filter_member((!value.is_empty()).then_some(value));
    };
    view! {
        <super::feeds::FeedErrors/>
        <super::feeds::SyncNotice/>
        <Show when=move || { members().len() > 1 }>
            <div class="filter">
                <select aria-label="Show entries by" on:change=choose>
                    <option value="">{move || format!("Everyone ({})", unread())}</option>
                    {move || members().into_iter().map(|(m, n)| {
                        let selected = ctx.member.get().as_deref() == Some(m.as_str());
                        view! { <option value=m.clone() selected=selected>{format!("{m} ({n})")}</option> }
                    }).collect_view()}
                </select>
            </div>
        </Show>
        <Show when=loaded fallback=|| view! { <p class="empty">"Loading…"</p> }>
            <Show
                when=move || !entries().is_empty()
                fallback=|| view! {
                    <div class="empty" role="status">
                        <p class="big">"All caught up"</p>
                        <p>"No unread entries. New posts appear here when your feeds update."</p>
                    </div>
                }
            >
                <ul class="entries" aria-label="Unread entries">
                    <For
                        each=entries
                        key=|e| (e.feed.clone(), e.id.clone())
                        children=move |e| view! { <EntryRow entry=e/> }
                    />
                </ul>
                <Show when=move || { more() > 0 }>
                    <button class="more" on:click=move |_| ctx.show_more()>
                        {move || format!("Show {} more", more().min(super::PAGE))}
                    </button>
                </Show>
            </Show>
        </Show>
    }
}

#[component]
fn EntryRow(entry: EntryItem) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let now = api::now();
    let date = entry.date.map(|d| when::relative(now, d)).unwrap_or_default();
    let label = match &entry.member {
        Some(m) => format!("{m}: {}", entry.title),
        None => entry.title.clone(),
    };
    let open = move |_| {
        let (feed, id) = (entry.feed.clone(), entry.id.clone());
        ctx.error.set(None);
        leptos::task::spawn_local(async move {
            match api::entry(feed.clone(), id.clone()).await {
                Ok(mut content) => {
                    // Opening an entry marks it read.
                    if let Err(e) = api::send(Request::MarkRead { feed, id, read: true }).await {
                        ctx.error.set(Some(e));
                    } else {
                        content.read = true;
                    }
                    ctx.show(Screen::Entry(Box::new(content)));
                }
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="entry">
            <button class="open" aria-label=label on:click=open>
                <span class="member">{entry.member.clone()}</span>
                <span class="title">{entry.title.clone()}</span>
                <time>{date}</time>
            </button>
        </li>
    }
}
