//! One entry: its sanitized content, "open in tab" and "mark unread".

use super::{api, Ctx, Screen};
use crate::core::when;
use crate::protocol::{EntryContent, Request};
use leptos::prelude::*;

#[component]
pub fn EntryView(entry: EntryContent) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let read = RwSignal::new(entry.read);
    let date = entry.date.map(|d| when::relative(api::now(), d)).unwrap_or_default();
    let link = entry.link.clone();
    let open_tab = move |_| {
        if let Some(url) = link.clone() {
            ctx.act(api::open_tab(url));
        }
    };
    let toggle_read = {
        let (feed, id) = (entry.feed.clone(), entry.id.clone());
        move |_| {
            let next = !read.get();
            let (feed, id) = (feed.clone(), id.clone());
            ctx.act(async move {
                api::send(Request::MarkRead { feed, id, read: next }).await?;
                read.set(next);
                Ok(())
            });
        }
    };
    view! {
        <article class="entry-view">
            <nav>
                <button aria-label="Back to the list" on:click=move |_| ctx.show(Screen::Entries)>"← Back"</button>
                <button aria-label="Open in tab" disabled=entry.link.is_none() on:click=open_tab>"Open in tab"</button>
                <button
                    aria-label=move || if read.get() { "Mark unread" } else { "Mark read" }
                    on:click=toggle_read
                >
                    {move || if read.get() { "Mark unread" } else { "Mark read" }}
                </button>
            </nav>
            <h2>{entry.title.clone()}</h2>
            <p class="byline">
                {entry.member.clone().map(|m| view! { <span class="member">{m}</span> " · " })}
                <time>{date}</time>
            </p>
            // Sanitized by core::sanitize when the worker stored it; the page's CSP forbids
            // inline script besides.
            <div class="content" inner_html=entry.html.clone()></div>
        </article>
    }
}
