//! The list of unread entries, newest first, with each feed's fetch error above it.

use super::{api, Ctx, Screen};
use crate::core::when;
use crate::protocol::{EntryItem, Request};
use leptos::prelude::*;

#[component]
pub fn Entries() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let entries =
        move || ctx.snapshot.with(|s| s.as_ref().map(|s| s.entries.clone()).unwrap_or_default());
    let loaded = move || ctx.snapshot.with(Option::is_some);
    view! {
        <super::feeds::FeedErrors/>
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
