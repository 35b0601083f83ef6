//! A list of entries, newest first (the unread ones of every feed unless another view is
//! chosen), with each feed's fetch error above it.

use super::{api, Ctx, Screen};
use crate::core::library::view::{Scope, View};
use crate::core::store::FeedId;
use crate::protocol::{EntryItem, Request};
use leptos::prelude::*;

#[component]
pub fn Entries() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || ctx.list.rows.get();
    let members = move || ctx.members.get();
    let unread = move || ctx.unread.get();
    let more = move || ctx.list.next.with(Option::is_some);
    let ready = move || ctx.list.ready.get();
    let member = move || match ctx.list.view.with(|v| v.scope.clone()) {
        Scope::Member { member } => Some(member),
        _ => None,
    };
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let scope = if value.is_empty() { Scope::All } else { Scope::Member { member: value } };
        ctx.switch(View::unread(scope));
    };
    view! {
        <super::feeds::FeedErrors/>
        <super::feeds::SyncNotice/>
        <Show when=move || { members().len() > 1 }>
            <div class="filter">
                <select aria-label=move || ctx.tr("show_entries_by") on:change=choose>
                    <option value="">{move || ctx.tr_args("everyone", &[&unread().to_string()])}</option>
                    {move || members().into_iter().map(|(m, n)| {
                        let selected = member().as_deref() == Some(m.as_str());
                        view! { <option value=m.clone() selected=selected>{format!("{m} ({n})")}</option> }
                    }).collect_view()}
                </select>
            </div>
        </Show>
        <Show when=move || { ctx.list.arrived.get() > 0 }>
            <button class="arrived" on:click=move |_| ctx.reload_list()>
                {move || match ctx.list.arrived.get() {
                    1 => "1 new entry: show".to_string(),
                    n => format!("{n} new entries: show"),
                }}
            </button>
        </Show>
        <Show when=ready fallback=|| view! { <p class="empty">"Loading…"</p> }>
            <Show
                when=move || !rows().is_empty()
                fallback=|| view! {
                    <div class="empty" role="status">
                        <p class="big">"All caught up"</p>
                        <p>"No unread entries. New posts appear here when your feeds update."</p>
                    </div>
                }
            >
                <ul class="entries" aria-label="Unread entries">
                    <For
                        each=rows
                        key=|e| (e.feed.clone(), e.id.clone(), e.read, e.starred)
                        children=move |e| view! { <EntryRow entry=e/> }
                    />
                </ul>
                <Show when=more>
                    <button class="more" on:click=move |_| ctx.show_more()>
                        {move || {
                            let shown = ctx.list.rows.with(Vec::len);
                            match ctx.view_count() {
                                Some(n) if n > shown => format!("Show {} more", (n - shown).min(super::PAGE)),
                                _ => "Show more".to_string(),
                            }
                        }}
                    </button>
                </Show>
            </Show>
        </Show>
    }
}

#[component]
fn EntryRow(entry: EntryItem) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let date = entry.date.map(|d| ctx.relative(d)).unwrap_or_default();
    let label = match &entry.member {
        Some(m) => format!("{m}: {}", entry.title),
        None => entry.title.clone(),
    };
    let read = entry.read;
    let open = move |_| open_entry(ctx, entry.feed.clone(), entry.id.clone());
    view! {
        <li class="entry" class:read=read>
            <button class="open" aria-label=label on:click=open>
                <span class="member">{entry.member.clone()}</span>
                <span class="title">{entry.title.clone()}</span>
                <time>{date}</time>
            </button>
        </li>
    }
}

/// Show entry `id` of `feed` (from its row, or a notification's click).
pub fn open_entry(ctx: Ctx, feed: FeedId, id: String) {
    ctx.error.set(None);
    leptos::task::spawn_local(async move {
        match api::entry(feed.clone(), id.clone()).await {
            Ok(mut content) => {
                // Opening an entry marks it read (unless the settings say: only by hand).
                if !content.read && ctx.marks_on_open() {
                    if let Err(e) = api::send(Request::MarkRead { feed, id, read: true }).await {
                        ctx.error.set(Some(e));
                    } else {
                        content.read = true;
                    }
                }
                ctx.show(Screen::Entry(Box::new(content)));
            }
            Err(e) => ctx.error.set(Some(e)),
        }
    });
}
