//! The list of unread entries, newest first, with each feed's fetch error above it.

use super::{api, Ctx, Screen};
use crate::core::when;
use crate::protocol::{EntryItem, Request};
use leptos::prelude::*;

/// Who wrote the unread entries (Planet members or authors), most prolific first.
fn members(entries: &[EntryItem]) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for m in entries.iter().filter_map(|e| e.member.as_deref()) {
        *counts.entry(m).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> =
        counts.into_iter().map(|(m, n)| (m.to_string(), n)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[component]
pub fn Entries() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let all =
        move || ctx.snapshot.with(|s| s.as_ref().map(|s| s.entries.clone()).unwrap_or_default());
    let entries = move || {
        let mut list = all();
        // A member with nothing unread left no longer filters (the choice would be stuck).
        if let Some(m) =
            ctx.member.get().filter(|m| list.iter().any(|e| e.member.as_ref() == Some(m)))
        {
            list.retain(|e| e.member.as_deref() == Some(m.as_str()));
        }
        list
    };
    let loaded = move || ctx.snapshot.with(Option::is_some);
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        ctx.filter_member((!value.is_empty()).then_some(value));
    };
    view! {
        <super::feeds::FeedErrors/>
        <super::feeds::SyncNotice/>
        <Show when=move || { members(&all()).len() > 1 }>
            <div class="filter">
                <select aria-label="Show entries by" on:change=choose>
                    <option value="">{move || format!("Everyone ({})", all().len())}</option>
                    {move || members(&all()).into_iter().map(|(m, n)| {
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
