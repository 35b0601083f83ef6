//! Subscriptions and their health (each can be opened to read that feed); OPML import and
//! export; and the per-feed error banners of the list, which name the subscription (its
//! title, and its address, since four failing feeds of one host must not look alike).

use super::{api, place, Ctx, Screen};
use crate::core::i18n::key;
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
                    " "{move || ctx.tr("feed_error")}" "{let problem = f.problem.clone(); move || problem.as_ref().map(|p| ctx.feed_error(p))}
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
                <h2 id="manage-title" tabindex="-1">{move || {
                    ctx.tr_plural("subscription_count", ctx.feeds.with(Vec::len))
                }}</h2>
                <button on:click=move |_| {
                    ctx.show(Screen::Subscribe);
                    place::after_render(place::focus_heading);
                }>{move || ctx.tr("add_feed")}</button>
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
    let health = {
        let (problem, checked, changed) = (feed.problem.clone(), feed.checked, feed.changed);
        move || match (&problem.as_ref().map(|p| ctx.feed_error(p)), checked) {
            (Some(e), _) => ctx.tr_args("feed_health_error", &[e]),
            (None, Some(t)) => ctx.tr_args("checked", &[&ctx.relative(t)]),
            (None, None) => match changed {
                Some(t) => ctx.tr_args("updated", &[&ctx.relative(t)]),
                None => ctx.tr("feed_never_fetched"),
            },
        }
    };
    let next_due = feed.next_due;
    let next = move || match next_due {
        None => ctx.tr("feed_not_polled"),
        Some(t) if t > now => {
            ctx.tr_args("feed_next_refresh", &[&((t - now + 59_999) / 60_000).to_string()])
        }
        Some(_) => ctx.tr("feed_refresh_due"),
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
                    return Err(ctx.messages.with_untracked(|m| m.tr("feed_access_refused")));
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
                        aria-label=move || ctx.tr("rename_label")
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <button type="submit" aria-label=move || ctx.tr("rename_save_label")>{move || ctx.tr("rename_save")}</button>
                </form>
            </Show>
            <div class="url">{url.clone()}</div>
            <div class="counts">
                {move || {
                    let total = feed.total.to_string();
                    ctx.messages.with(|m| m.tr_plural("feed_counts", feed.unread, &[&total]))
                }}
                {feed.folder.clone().map(|f| move || format!(" · {}", ctx.tr_args("feed_folder", &[&f])))}
            </div>
            <div class="health">{health} {move || format!(" · {}", next())}</div>
            <div class="actions">
                {no_access.then(|| view! {
                    <button aria-label=label(ctx, key("allow_access_label"), &feed.title) on:click=grant.clone()>{move || ctx.tr("allow_access")}</button>
                })}
                {damaged.then(|| view! {
                    <button aria-label=label(ctx, key("reset_feed_label"), &feed.title) on:click=reset.clone()>{move || ctx.tr("reset_feed")}</button>
                })}
                <button aria-label=label(ctx, key("refresh_feed_label"), &feed.title) on:click=refresh>{move || ctx.tr("refresh_feed")}</button>
                <button aria-label=label(ctx, key("rename_feed_label"), &feed.title) on:click=move |_| editing.update(|e| *e = !*e)>{move || ctx.tr("rename_feed")}</button>
                <Show
                    when=move || confirming.get()
                    fallback={
                        let title = feed.title.clone();
                        move || view! {
                            <button aria-label=label(ctx, key("unsubscribe_label"), &title) on:click=move |_| confirming.set(true)>{move || ctx.tr("unsubscribe")}</button>
                        }
                    }
                >
                    <span class="confirm">
                        {move || ctx.tr("unsubscribe_warning")}" "
                        <button class="danger" aria-label=move || ctx.tr("unsubscribe_confirm_label") on:click=unsubscribe.clone()>{move || ctx.tr("unsubscribe")}</button>
                        <button aria-label=move || ctx.tr("unsubscribe_keep_label") on:click=move |_| confirming.set(false)>{move || ctx.tr("unsubscribe_keep")}</button>
                    </span>
                </Show>
            </div>
        </li>
    }
}

/// A button's name that says which subscription it acts on: message `key` with the feed's
/// `title` (following the language).
fn label(ctx: Ctx, key: &'static str, title: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let title = title.to_string();
    move || ctx.tr_args(key, &[&title])
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
            crate::browser::files::save_text("planet-reader.opml", "text/x-opml", &text).map_err(
                |e| {
                    ctx.messages
                        .with_untracked(|m| m.tr_args("file_save_failed", &[&e.to_string()]))
                },
            )
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
                Err(e) => {
                    let text = ctx
                        .messages
                        .with_untracked(|m| m.tr_args("file_read_failed", &[&e.to_string()]));
                    return ctx.error.set(Some(text));
                }
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
                return Err(ctx.messages.with_untracked(|m| m.tr("import_access_refused")));
            }
            api::import(p.new).await?;
            preview.set(None);
            Ok(())
        });
    };
    view! {
        <div class="opml">
            <button on:click=export>{move || ctx.tr("export_opml")}</button>
            <label class="file">
                {move || ctx.tr("import_opml_ellipsis")}" "
                <input type="file" accept=".opml,.xml,text/xml,text/x-opml" aria-label=move || ctx.tr("import_opml_label") on:change=chosen/>
            </label>
            {move || preview.get().map(|p| {
                let new = p.new.len();
                view! {
                    <div class="preview" role="status">
                        <p>{move || {
                            let skipped = p.skipped.to_string();
                            ctx.messages.with(|m| m.tr_plural("opml_preview", new, &[&skipped]))
                        }}</p>
                        <ul class="problems">
                            {p.problems.iter().map(|problem| view! { <li>{problem.to_string()}</li> }).collect_view()}
                        </ul>
                        <button aria-label=move || ctx.tr_plural("opml_import_label", new) disabled=new == 0 on:click=import>
                            {move || ctx.tr_args("opml_import", &[&new.to_string()])}
                        </button>
                        <button aria-label=move || ctx.tr("opml_cancel_label") on:click=move |_| preview.set(None)>{move || ctx.tr("cancel")}</button>
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
                    <button on:click=move |_| confirming.set(true)>{move || ctx.tr("reset_all")}</button>
                }
            >
                <span class="confirm">
                    {move || ctx.tr("reset_all_warning")}" "
                    <button class="danger" aria-label=move || ctx.tr("reset_all_confirm_label") on:click=move |_| {
                        confirming.set(false);
                        ctx.act(api::send(Request::ResetAll));
                    }>{move || ctx.tr("reset_all_confirm")}</button>
                    <button aria-label=move || ctx.tr("reset_all_cancel_label") on:click=move |_| confirming.set(false)>{move || ctx.tr("cancel")}</button>
                </span>
            </Show>
        </div>
    }
}
