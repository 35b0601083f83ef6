//! The view bar under the header: which entries (everything, starred, one subscription, one
//! Planet member), unread only or all, and a search, which is a view too (`View.search`).
//! Compact on purpose: a choice of scope with each one's unread count, two toggles and a
//! field, on one line where there is room for it.

use super::Ctx;
use crate::core::library::view::{Scope, View};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// A search starts this long after the last key typed.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// The name of a view's scope, as the reader says it ("Django Weblog", "Starred").
pub fn view_name(ctx: Ctx, view: &View) -> String {
    match &view.scope {
        Scope::All => ctx.tr("view_place_all"),
        Scope::Starred => ctx.tr("view_place_starred"),
        Scope::Member { member } => member.clone(),
        Scope::Feed { feed } => ctx
            .feeds
            .with_untracked(|fs| fs.iter().find(|f| &f.id == feed).map(|f| f.title.clone()))
            .unwrap_or_else(|| ctx.tr("view_place_feed")),
    }
}

/// The value of a scope in the `<select>`.
fn scope_value(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Starred => "starred".into(),
        Scope::Feed { feed } => format!("feed:{}", feed.0),
        Scope::Member { member } => format!("member:{member}"),
    }
}

fn scope_of(value: &str) -> Scope {
    if let Some(feed) = value.strip_prefix("feed:") {
        return Scope::Feed { feed: crate::core::store::FeedId(feed.to_string()) };
    }
    if let Some(member) = value.strip_prefix("member:") {
        return Scope::Member { member: member.to_string() };
    }
    match value {
        "starred" => Scope::Starred,
        _ => Scope::All,
    }
}

pub fn focus_search() {
    if let Some(input) = document()
        .query_selector("input.search")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = input.focus();
        input.select();
    }
}

#[component]
pub fn ViewBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let view = ctx.list.view;
    let scope = move || view.with(|v| scope_value(&v.scope));
    let unread_only = move || view.with(|v| v.unread_only);
    let set_unread = move |only: bool| {
        move |_| {
            let v = view.get_untracked();
            if v.unread_only != only {
                ctx.switch(View { unread_only: only, ..v });
            }
        }
    };
    let choose = move |ev: leptos::ev::Event| {
        let v = view.get_untracked();
        let scope = scope_of(&event_target_value(&ev));
        // Starred lists every starred entry, read or not, unless asked otherwise.
        let unread_only = if scope == Scope::Starred {
            false
        } else {
            v.unread_only || v.scope == Scope::Starred
        };
        ctx.switch(View { scope, unread_only, ..v });
    };
    // The search follows the field after a pause in typing; each key pushes it back.
    let typed = Rc::new(Cell::new(0u32));
    let before = StoredValue::new(view.with_untracked(|v| v.unread_only));
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        ctx.search.set(text);
        let generation = typed.get() + 1;
        typed.set(generation);
        let typed = typed.clone();
        set_timeout(
            move || {
                if typed.get() != generation {
                    return;
                }
                let text = ctx.search.get_untracked();
                let search = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                let v = view.get_untracked();
                if v.search == search {
                    return;
                }
                // A search looks through read entries too; clearing it brings back the
                // reader's choice.
                let unread_only = match (&v.search, &search) {
                    (None, Some(_)) => {
                        before.set_value(v.unread_only);
                        false
                    }
                    (Some(_), None) => before.get_value(),
                    _ => v.unread_only,
                };
                ctx.switch(View { search, unread_only, ..v });
            },
            DEBOUNCE,
        );
    };
    let count = |n: usize| if n == 0 { String::new() } else { format!(" ({n})") };
    let starred = move || ctx.feeds.with(|fs| fs.iter().map(|f| f.starred).sum::<usize>());
    // Who has unread entries; and the member shown, even when nothing of theirs is unread.
    let members = move || {
        let mut list = ctx.members.get();
        if let Scope::Member { member } = view.with(|v| v.scope.clone()) {
            if !list.iter().any(|(m, _)| *m == member) {
                list.push((member, 0));
            }
        }
        list
    };
    view! {
        <div class="viewbar">
            <div class="toggle" role="group" aria-label=move || ctx.tr("which_entries")>
                <button aria-pressed=move || unread_only().to_string() on:click=set_unread(true)>{move || ctx.tr("show_unread")}</button>
                <button aria-pressed=move || (!unread_only()).to_string() on:click=set_unread(false)>{move || ctx.tr("show_all")}</button>
            </div>
            <select class="scope" aria-label=move || ctx.tr("scope_label") on:change=choose prop:value=scope>
                <option value="all" selected=move || scope() == "all">
                    {move || format!("{}{}", ctx.tr("scope_all"), count(ctx.unread.get()))}
                </option>
                <option value="starred" selected=move || scope() == "starred">
                    {move || format!("★ {}{}", ctx.tr("scope_starred"), count(starred()))}
                </option>
                <optgroup label=move || ctx.tr("subscriptions")>
                    {move || ctx.feeds.get().into_iter().map(|f| {
                        let value = format!("feed:{}", f.id.0);
                        let chosen = value.clone();
                        view! {
                            <option value=value selected=move || scope() == chosen>
                                {format!("{}{}", f.title, count(f.unread))}
                            </option>
                        }
                    }).collect_view()}
                </optgroup>
                <Show when=move || !members().is_empty()>
                    <optgroup label=move || ctx.tr("scope_members")>
                        {move || members().into_iter().map(|(m, n)| {
                            let value = format!("member:{m}");
                            let chosen = value.clone();
                            view! {
                                <option value=value selected=move || scope() == chosen>
                                    {format!("{m}{}", count(n))}
                                </option>
                            }
                        }).collect_view()}
                    </optgroup>
                </Show>
            </select>
            <input
                class="search"
                type="search"
                aria-label=move || ctx.tr("search")
                placeholder=move || ctx.tr("search")
                prop:value=move || ctx.search.get()
                on:input=on_input
            />
        </div>
        <p class="viewname" aria-live="polite">{move || describe(ctx)}</p>
    }
}

/// What the list shows, in words ("12 unread in Django Weblog", "Search: “pep 750”").
fn describe(ctx: Ctx) -> String {
    let view = ctx.list.view.get();
    let name = view_name(ctx, &view);
    if let Some(q) = &view.search {
        let found = ctx.list.rows.with(Vec::len);
        let more = ctx.list.next.with(Option::is_some);
        return ctx.messages.with(|m| match more {
            true => m.tr_plural("search_found_more", found, &[q, &name]),
            false => m.tr_plural("search_found", found, &[q, &name]),
        });
    }
    let unread = view.unread_only;
    match ctx.view_count() {
        Some(n) => ctx.messages.with(|m| match unread {
            true => m.tr_plural("view_count_unread", n, &[&name]),
            false => m.tr_plural("view_count_entries", n, &[&name]),
        }),
        None if unread => ctx.tr_args("view_unread_in", &[&name]),
        None => ctx.tr_args("view_all_in", &[&name]),
    }
}
