//! Subscriptions and their health (each can be opened to read that feed); OPML import and
//! export; and the per-feed error banners of the list, which name the subscription (its
//! title, and its address, since four failing feeds of one host must not look alike).

use super::{api, place, Ctx, Screen};
use crate::core::library::view::{Scope, View};
use crate::protocol::{FeedItem, OpmlPreview, Request};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

fn feeds(ctx: Ctx) -> Vec<FeedItem> {
    ctx.feeds.get()
}

/// What sync has to say (the quota left something out, or sync stopped), if anything.
#[component]
pub fn SyncNotice() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let notice = move || ctx.sync.get();
    move || notice().map(|text| view! { <p class="sync-notice" role="status">{text}</p> })
}

/// One alert per feed whose last fetch failed. Stored entries stay listed below.
#[component]
pub fn FeedErrors() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let failing = move || feeds(ctx).into_iter().filter(|f| f.error.is_some()).collect::<Vec<_>>();
    view! {
        <For
            each=failing
            key=|f| (f.id.clone(), f.error.clone())
            children=move |f| view! {
                <p class="feed-error" role="alert">
                    <strong>{f.title.clone()}</strong>
                    " could not be fetched: "{f.error.clone()}
                    <span class="url">{f.url.clone()}</span>
                </p>
            }
        />
    }
}

#[component]
pub fn Feeds() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <section class="manage" aria-labelledby="manage-title">
            <div class="bar">
                <h2 id="manage-title" tabindex="-1">{move || match feeds(ctx).len() {
                    1 => "1 subscription".to_string(),
                    n => format!("{n} subscriptions"),
                }}</h2>
                <button on:click=move |_| {
                    ctx.show(Screen::Subscribe);
                    place::after_render(place::focus_heading);
                }>"+ Add"</button>
            </div>
            <SyncNotice/>
            <ul class="feeds">
                <For each=move || feeds(ctx) key=|f| f.id.clone() children=move |f| {
                    let id = f.id.clone();
                    let feed = Memo::new(move |_| {
                        ctx.feeds.with(|fs| fs.iter().find(|x| x.id == id).cloned())
                    });
                    move || feed.get().map(|f| view! { <FeedRow feed=f/> })
                }/>
            </ul>
            <Opml/>
            <ResetAll/>
        </section>
    }
}

#[component]
fn FeedRow(feed: FeedItem) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let now = api::now();
    let health = match (&feed.error, feed.checked) {
        (Some(e), _) => format!("Error: {e}"),
        (None, Some(t)) => ctx.tr_args("checked", &[&ctx.relative(t)]),
        (None, None) => match feed.changed {
            Some(t) => ctx.tr_args("updated", &[&ctx.relative(t)]),
            None => "Not fetched yet".to_string(),
        },
    };
    let next = match feed.next_due {
        None => Some("no longer polled".to_string()),
        Some(t) if t > now => Some(format!("next refresh in {} min", (t - now + 59_999) / 60_000)),
        Some(_) => Some("refresh due".to_string()),
    };
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let name = RwSignal::new(feed.title.clone());
    let (id, url, title) = (feed.id.clone(), feed.url.clone(), feed.title.clone());
    let no_access = feed.no_access;
    let feed_item = feed.clone();

    let refresh = {
        let id = id.clone();
        move |_| ctx.act(api::send(Request::Refresh { feed: Some(id.clone()) }))
    };
    let grant = {
        let (id, url) = (id.clone(), url.clone());
        move |_| {
            let granted = api::request_access(std::slice::from_ref(&url));
            let id = id.clone();
            ctx.act(async move {
                if !granted.await {
                    return Err("Access was not given; the feed cannot be fetched.".to_string());
                }
                api::send(Request::Refresh { feed: Some(id) }).await
            });
        }
    };
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            editing.set(false);
            let (feed, title) = (id.clone(), Some(name.get_untracked()));
            ctx.act(api::send(Request::Rename { feed, title }));
        }
    };
    let unsubscribe = {
        let id = id.clone();
        move |_| {
            // The row goes: the focus moves to the next one (or the heading).
            let next = ctx.feeds.with_untracked(|fs| {
                let i = fs.iter().position(|f| f.id == id)?;
                fs.get(i + 1)
                    .or_else(|| i.checked_sub(1).and_then(|j| fs.get(j)))
                    .map(|f| f.id.clone())
            });
            let id = id.clone();
            ctx.act(async move {
                api::send(Request::Unsubscribe { feed: id }).await?;
                place::after_render(move || focus_feed(next.as_ref()));
                Ok(())
            })
        }
    };
    let read = {
        let id = id.clone();
        move |_| {
            ctx.switch(View {
                scope: Scope::Feed { feed: id.clone() },
                unread_only: false,
                search: None,
            });
            ctx.search.set(String::new());
            ctx.show(Screen::Entries);
        }
    };
    let reset = {
        let id = id.clone();
        move |_| ctx.act(api::send(Request::ResetFeed { feed: id.clone() }))
    };
    let damaged = feed.damaged;
    view! {
        <li class="feed" class:failing=feed.error.is_some() data-feed=id.0.clone()>
            <Show
                when=move || editing.get()
                fallback={
                    let title = title.clone();
                    let read = read.clone();
                    move || view! {
                        <div class="name">
                            <super::entries::FeedIcon feed=Some(feed_item.clone())/>
                            <button class="link" on:click=read.clone()>{title.clone()}</button>
                        </div>
                    }
                }
            >
                <form class="rename" on:submit=save.clone()>
                    <input
                        type="text"
                        aria-label="New name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <button type="submit" aria-label="Save name">"Save"</button>
                </form>
            </Show>
            <div class="url">{url.clone()}</div>
            <div class="counts">
                {format!("{} unread of {}", feed.unread, feed.total)}
                {feed.folder.clone().map(|f| format!(" · in {f}"))}
            </div>
            <div class="health">{health} {next.map(|n| format!(" · {n}"))}</div>
            <div class="actions">
                {no_access.then(|| view! {
                    <button aria-label=format!("Allow access to {}", feed.title) on:click=grant.clone()>"Allow access"</button>
                })}
                {damaged.then(|| view! {
                    <button aria-label=format!("Reset this feed: {}", feed.title) on:click=reset.clone()>"Reset this feed"</button>
                })}
                <button aria-label=format!("Refresh {}", feed.title) on:click=refresh>"Refresh"</button>
                <button aria-label=format!("Rename {}", feed.title) on:click=move |_| editing.update(|e| *e = !*e)>"Rename"</button>
                <Show
                    when=move || confirming.get()
                    fallback={
                        let label = format!("Unsubscribe from {}", feed.title);
                        move || view! {
                            <button aria-label=label.clone() on:click=move |_| confirming.set(true)>"Unsubscribe"</button>
                        }
                    }
                >
                    <span class="confirm">
                        "Its entries go too. "
                        <button class="danger" aria-label="Confirm unsubscribe" on:click=unsubscribe.clone()>"Unsubscribe"</button>
                        <button aria-label="Keep the subscription" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </span>
                </Show>
            </div>
        </li>
    }
}

/// Focus the subscription `id`'s name (or the screen's heading).
fn focus_feed(id: Option<&crate::core::store::FeedId>) {
    let target = id.and_then(|id| {
        let rows = document().query_selector_all("li.feed").ok()?;
        (0..rows.length())
            .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
            .find(|li| li.get_attribute("data-feed").as_deref() == Some(id.0.as_str()))?
            .query_selector(".name button")
            .ok()
            .flatten()?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()
    });
    match target {
        Some(b) => place::focus(&b),
        None => place::focus_heading(),
    }
}

/// Export every subscription as OPML; import an OPML file (preview first, then subscribe,
/// asking for access to the feeds' sites in the click).
#[component]
fn Opml() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let preview = RwSignal::new(None::<OpmlPreview>);
    let export = move |_| {
        ctx.act(async move {
            let text = api::export_opml().await?;
            crate::browser::files::save_text("planet-reader.opml", "text/x-opml", &text)
                .map_err(|e| format!("could not save the file: {e}"))
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        ctx.error.set(None);
        spawn_local(async move {
            let text = match crate::browser::files::read_chosen(&input).await {
                Ok(Some(text)) => text,
                Ok(None) => return,
                Err(e) => return ctx.error.set(Some(format!("could not read the file: {e}"))),
            };
            match api::preview_opml(text).await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    };
    let import = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        let urls: Vec<String> = p.new.iter().map(|f| f.xml_url.clone()).collect();
        let granted = api::request_access(&urls);
        ctx.act(async move {
            if !granted.await {
                return Err("Access to the feeds' sites was not given, so nothing was imported."
                    .to_string());
            }
            api::import(p.new).await?;
            preview.set(None);
            Ok(())
        });
    };
    view! {
        <div class="opml">
            <button on:click=export>"Export OPML"</button>
            <label class="file">
                "Import OPML… "
                <input type="file" accept=".opml,.xml,text/xml,text/x-opml" aria-label="Import an OPML file" on:change=chosen/>
            </label>
            {move || preview.get().map(|p| {
                let new = p.new.len();
                view! {
                    <div class="preview" role="status">
                        <p>{format!("{new} new {}, {} already there or repeated.", if new == 1 { "feed" } else { "feeds" }, p.skipped)}</p>
                        <ul class="problems">
                            {p.problems.iter().map(|problem| view! { <li>{problem.to_string()}</li> }).collect_view()}
                        </ul>
                        <button aria-label=format!("Import {new} feeds") disabled=new == 0 on:click=import>
                            {format!("Import {new}")}
                        </button>
                        <button aria-label="Cancel the import" on:click=move |_| preview.set(None)>"Cancel"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// The last resort when stored data is beyond repair: forget every entry and read state
/// kept here and fetch everything again (subscriptions stay; sync brings read state back).
#[component]
fn ResetAll() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let confirming = RwSignal::new(false);
    view! {
        <div class="reset">
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button on:click=move |_| confirming.set(true)>"Reset everything…"</button>
                }
            >
                <span class="confirm">
                    "Every stored entry and read mark here goes; subscriptions stay. "
                    <button class="danger" aria-label="Confirm reset" on:click=move |_| {
                        confirming.set(false);
                        ctx.act(api::send(Request::ResetAll));
                    }>"Reset"</button>
                    <button aria-label="Cancel the reset" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </span>
            </Show>
        </div>
    }
}
