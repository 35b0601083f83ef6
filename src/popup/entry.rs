//! One entry: its sanitized content, "open in tab" and "mark unread".

use super::{api, Ctx, Screen};
use crate::browser::urls;
use crate::core::urls::UrlUse;
use crate::core::when;
use crate::protocol::{EntryContent, Request};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Every link in `root` opens in a new tab, without opener or referrer.
fn links_open_in_tabs(root: &web_sys::Element) {
    let Ok(links) = root.query_selector_all("a[href]") else { return };
    for i in 0..links.length() {
        if let Some(a) = links.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            let _ = a.set_attribute("target", "_blank");
            let _ = a.set_attribute("rel", "noopener noreferrer");
        }
    }
}

#[component]
pub fn EntryView(content: EntryContent) -> impl IntoView {
    let EntryContent { entry, html, read } = content;
    let ctx = expect_context::<Ctx>();
    let read = RwSignal::new(read);
    let date = entry.date.map(|d| when::relative(api::now(), d)).unwrap_or_default();
    // Only what the URL policy allows is opened (see `core::urls`): the stored link is
    // checked again as the browser reads it.
    let link = entry.link.as_deref().and_then(|l| urls::allowed(l, UrlUse::Web));
    let can_open = link.is_some();
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
    // Stored links are as the feed wrote them: give each a new-tab target without opener or
    // referrer (for middle clicks and "open in new tab"), and open plain clicks with
    // tabs.create, which keeps the popup out of the new page's reach.
    let content = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(div) = content.get() {
            links_open_in_tabs(&div);
        }
    });
    // A click on a link never navigates the popup: an allowed one (http, https, mailto)
    // opens in a tab, any other does nothing.
    let follow = move |ev: leptos::ev::MouseEvent| {
        let Some(href) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"))
        else {
            return;
        };
        ev.prevent_default();
        if let Some(url) = urls::allowed(&href, UrlUse::Link) {
            ctx.act(api::open_tab(url));
        }
    };
    view! {
        <article class="entry-view">
            <nav>
                <button aria-label="Back to the list" on:click=move |_| ctx.show(Screen::Entries)>"← Back"</button>
                <button aria-label="Open in tab" disabled=!can_open on:click=open_tab>"Open in tab"</button>
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
            // inline script besides. Links open in a new tab (see `links_open_in_tabs`).
            <div class="content" node_ref=content inner_html=html on:click=follow></div>
        </article>
    }
}
