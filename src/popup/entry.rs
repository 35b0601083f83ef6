//! One entry: its sanitized content, at its top, with its bar: back, previous and next,
//! star, keep unread (opening marked it read), open in a tab. Media that cannot show here
//! (an image that does not load, a video the browser cannot play) leave a placeholder with
//! a link, not a hole.

use super::{api, Ctx};
use crate::browser::urls;
use crate::core::urls::UrlUse;
use crate::protocol::EntryContent;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Every link in `root` opens in a new tab, without opener or referrer; media that fail to
/// load are replaced by a placeholder (said in the user's language).
fn prepare_content(root: &web_sys::Element, ctx: Ctx) {
    if let Ok(links) = root.query_selector_all("a[href]") {
        for i in 0..links.length() {
            if let Some(a) = links.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = a.set_attribute("target", "_blank");
                let _ = a.set_attribute("rel", "noopener noreferrer");
            }
        }
    }
    let Ok(media) = root.query_selector_all("img, video, audio") else { return };
    for i in 0..media.length() {
        let Some(el) = media.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let target = el.clone();
        let on_error = Closure::once_into_js(move || placeholder(&target, ctx));
        let _ = el.add_event_listener_with_callback("error", on_error.unchecked_ref());
        // An image may have failed before the listener was there.
        if let Some(img) = el.dyn_ref::<web_sys::HtmlImageElement>() {
            if img.complete() && img.natural_width() == 0 && !img.src().is_empty() {
                placeholder(&el, ctx);
            }
        }
    }
}

/// Replace a medium that cannot show with what it was and a link to it.
fn placeholder(el: &web_sys::Element, ctx: Ctx) {
    let Some(doc) = el.owner_document() else { return };
    let tag = el.tag_name().to_lowercase();
    let src = el
        .get_attribute("src")
        .or_else(|| {
            el.query_selector("source[src]").ok().flatten().and_then(|s| s.get_attribute("src"))
        })
        .unwrap_or_default();
    // With remote images blocked in the settings (`<html data-images="block">`, set with
    // the page's policy by popup-init.js), that is why it is not shown.
    let blocked = doc
        .document_element()
        .and_then(|root| root.get_attribute("data-images"))
        .is_some_and(|v| v == "block");
    let alt = el.get_attribute("alt").filter(|a| !a.trim().is_empty());
    let Ok(p) = doc.create_element("span") else { return };
    p.set_class_name("media-placeholder");
    let label = ctx.messages.with_untracked(|m| match (tag.as_str(), blocked, &alt) {
        ("video", false, Some(alt)) => m.tr_args("media_video_alt", &[alt]),
        ("video", false, None) => m.tr("media_video"),
        ("video", true, Some(alt)) => m.tr_args("media_video_blocked_alt", &[alt]),
        ("video", true, None) => m.tr("media_video_blocked"),
        ("audio", false, Some(alt)) => m.tr_args("media_audio_alt", &[alt]),
        ("audio", false, None) => m.tr("media_audio"),
        ("audio", true, Some(alt)) => m.tr_args("media_audio_blocked_alt", &[alt]),
        ("audio", true, None) => m.tr("media_audio_blocked"),
        (_, false, Some(alt)) => m.tr_args("media_image_alt", &[alt]),
        (_, false, None) => m.tr("media_image"),
        (_, true, Some(alt)) => m.tr_args("media_image_blocked_alt", &[alt]),
        (_, true, None) => m.tr("media_image_blocked"),
    });
    p.set_text_content(Some(&label));
    if src.starts_with("http://") || src.starts_with("https://") {
        if let Ok(a) = doc.create_element("a") {
            let _ = a.set_attribute("href", &src);
            let _ = a.set_attribute("target", "_blank");
            let _ = a.set_attribute("rel", "noopener noreferrer");
            a.set_text_content(Some(&ctx.messages.with_untracked(|m| m.tr("media_open"))));
            let _ = p.append_with_str_1(" · ");
            let _ = p.append_child(&a);
        }
    }
    let _ = el.replace_with_with_node_1(&p);
}

#[component]
pub fn EntryView(content: EntryContent) -> impl IntoView {
    let EntryContent { entry, html, read } = content;
    let ctx = expect_context::<Ctx>();
    let key = (entry.feed.clone(), entry.id.clone());
    let state = {
        let key = key.clone();
        Memo::new(move |_| {
            ctx.entry_state
                .with(|s| s.as_ref().filter(|(k, _, _)| *k == key).map(|(_, r, st)| (*r, *st)))
        })
    };
    let read = move || state.get().map_or(read, |(r, _)| r);
    let starred = {
        let s = entry.starred;
        move || state.get().map_or(s, |(_, st)| st)
    };
    let date = entry.date.map(|d| ctx.relative(d)).unwrap_or_default();
    let feed_title = ctx
        .feeds
        .with_untracked(|fs| fs.iter().find(|f| f.id == entry.feed).map(|f| f.title.clone()));
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
        let key = key.clone();
        move |_| ctx.toggle_read(&key)
    };
    let toggle_star = {
        let key = key.clone();
        move |_| ctx.toggle_star(&key)
    };
    let index = {
        let key = key.clone();
        move || ctx.list.rows.with(|rows| rows.iter().position(|r| r.key == key))
    };
    let has_prev = {
        let index = index.clone();
        move || index().is_some_and(|i| i > 0)
    };
    let has_next = move || {
        index().is_some_and(|i| {
            i + 1 < ctx.list.rows.with(Vec::len) || ctx.list.next.with(Option::is_some)
        })
    };
    let content = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(div) = content.get() {
            prepare_content(&div, ctx);
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
            <nav class="entry-bar" aria-label=move || ctx.tr("entry_label")>
                <button class="back" on:click=move |_| ctx.back()>{move || ctx.tr("back")}</button>
                <button aria-label=move || ctx.tr("previous_entry") title=move || ctx.tr("previous_entry_title") disabled=move || !has_prev() on:click=move |_| ctx.step(-1)>"↑"</button>
                <button aria-label=move || ctx.tr("next_entry") title=move || ctx.tr("next_entry_title") disabled=move || !has_next() on:click=move |_| ctx.step(1)>"↓"</button>
                <button
                    class="star"
                    aria-pressed=move || starred().to_string()
                    title=move || ctx.tr("star_title")
                    on:click=toggle_star
                >{move || if starred() { format!("★ {}", ctx.tr("starred")) } else { format!("☆ {}", ctx.tr("star")) }}</button>
                <button title="m" on:click=toggle_read>
                    {move || if read() { ctx.tr("keep_unread") } else { ctx.tr("mark_read") }}
                </button>
                <button title="v" disabled=!can_open on:click=open_tab>{move || ctx.tr("open_entry_tab")}</button>
            </nav>
            <h2 tabindex="-1">{entry.title.clone()}</h2>
            <p class="byline">
                {feed_title.map(|t| view! { <span class="feed">{t}</span> })}
                {entry.member.clone().map(|m| view! { <span class="member">{m}</span> })}
                <time>{date}</time>
            </p>
            // Sanitized by core::sanitize when the worker stored it; the page's CSP forbids
            // inline script besides. Links open in a new tab (see `prepare_content`).
            <div class="content" node_ref=content inner_html=html on:click=follow></div>
        </article>
    }
}
