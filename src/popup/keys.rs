//! The keyboard: every action of the reader has a key, as in the readers people come from
//! (Google Reader's letters, which Feedly, Inoreader and NetNewsWire kept), and `?` lists
//! them. Keys are ignored while typing in a field (but Esc leaves it) and with Ctrl, Alt or
//! Meta held, so the browser's own shortcuts stay.
//!
//! Esc in the toolbar popup would close it: from an entry, a dialog or another screen it
//! goes back instead (its default is prevented); on the list it closes the popup, as the
//! browser users expect.

use super::{place, switcher, Ctx, Screen};
use crate::core::i18n::key;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

/// How a shortcut's keys are written: as they are (`m`, `/`), or in words (a message).
#[derive(Clone, Copy)]
pub enum Keys {
    Plain(&'static str),
    Said(&'static str),
}

/// The shortcuts, as `?` lists them: the keys, and the message saying what they do.
pub const SHORTCUTS: &[(Keys, &str)] = &[
    (Keys::Said(key("shortcut_next_keys")), key("shortcut_next")),
    (Keys::Said(key("shortcut_previous_keys")), key("shortcut_previous")),
    (Keys::Said(key("shortcut_open_keys")), key("shortcut_open")),
    (Keys::Said(key("shortcut_back_keys")), key("shortcut_back")),
    (Keys::Plain("m"), key("shortcut_read")),
    (Keys::Plain("s"), key("shortcut_star")),
    (Keys::Plain("v"), key("shortcut_tab")),
    (Keys::Plain("/"), key("search")),
    (Keys::Said(key("shortcut_mark_seen_keys")), key("shortcut_mark_seen")),
    (Keys::Plain("?"), key("shortcut_help")),
];

pub fn toggle_help(ctx: Ctx) {
    let shown = !ctx.help.get_untracked();
    ctx.help.set(shown);
    if shown {
        place::after_render(|| {
            if let Some(h) = document()
                .query_selector("#shortcuts h2")
                .ok()
                .flatten()
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
            {
                place::focus(&h);
            }
        });
    } else {
        place::after_render(move || place::focus_current(ctx));
    }
}

/// Whether the key event comes from a field the user types in.
fn typing(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.closest("[contenteditable]").ok().flatten().is_some()
}

/// Whether the focus is on something Enter already acts on (a button, a link).
fn on_control(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

pub fn listen(ctx: Ctx) {
    let _ = window_event_listener(leptos::ev::keydown, move |e: KeyboardEvent| {
        if e.ctrl_key() || e.alt_key() || e.meta_key() || e.is_composing() {
            return;
        }
        if handle(ctx, &e) {
            e.prevent_default();
        }
    });
}

/// Act on one key; whether it was the reader's.
fn handle(ctx: Ctx, e: &KeyboardEvent) -> bool {
    let key = e.key();
    if typing(e) {
        if key == "Escape" {
            // Leave the field (a search is kept); the next Esc goes back.
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.blur();
            }
            place::focus_current(ctx);
            return true;
        }
        return false;
    }
    let screen = ctx.screen.get_untracked();
    let in_entry = matches!(screen, Screen::Entry(_));
    let on_list = matches!(screen, Screen::Entries);
    if ctx.help.get_untracked() && matches!(key.as_str(), "Escape" | "?" | "u") {
        toggle_help(ctx);
        return true;
    }
    match key.as_str() {
        "?" => toggle_help(ctx),
        "Escape" | "u" if !on_list => ctx.back(),
        "Escape" => return false, // the popup closes, as the browser does
        "j" if in_entry => ctx.step(1),
        "k" if in_entry => ctx.step(-1),
        "j" | "ArrowDown" if on_list || ctx.wide.get_untracked() => place::move_focus(ctx, 1),
        "k" | "ArrowUp" if on_list || ctx.wide.get_untracked() => place::move_focus(ctx, -1),
        "o" | "Enter" if !in_entry || ctx.wide.get_untracked() => {
            if key == "Enter" && on_control(e) {
                return false; // the button itself acts
            }
            match ctx.list.current.get_untracked() {
                Some(k) => ctx.open(k),
                None => return false,
            }
        }
        "m" => match ctx.target() {
            Some(k) => ctx.toggle_read(&k),
            None => return false,
        },
        "s" => match ctx.target() {
            Some(k) => ctx.toggle_star(&k),
            None => return false,
        },
        "v" => {
            let link = ctx.target().and_then(|k| {
                let open = ctx.screen.with_untracked(|s| match s {
                    Screen::Entry(c) if (c.entry.feed.clone(), c.entry.id.clone()) == k => {
                        Some(c.entry.link.clone())
                    }
                    _ => None,
                });
                open.unwrap_or_else(|| {
                    ctx.row(&k).and_then(|r| r.item.with_untracked(|i| i.link.clone()))
                })
            });
            // The same URL policy as the button's (see `core::urls`).
            let allowed = link
                .and_then(|l| crate::browser::urls::allowed(&l, crate::core::urls::UrlUse::Web));
            match allowed {
                Some(url) => ctx.act(super::api::open_tab(url)),
                None => return false,
            }
        }
        "/" if on_list || in_entry => {
            if in_entry && !ctx.wide.get_untracked() {
                ctx.back();
            }
            place::after_render(switcher::focus_search);
        }
        "A" if e.shift_key() && (on_list || in_entry) => ctx.mark_seen(),
        _ => return false,
    }
    true
}

/// The list of shortcuts (`?`).
#[component]
pub fn Help() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <Show when=move || ctx.help.get()>
            <section id="shortcuts" class="help" role="dialog" aria-modal="false" aria-labelledby="shortcuts-title">
                <h2 id="shortcuts-title" tabindex="-1">{move || ctx.tr("shortcuts")}</h2>
                <dl>
                    {SHORTCUTS.iter().map(|&(keys, what)| {
                        let keys = move || match keys {
                            Keys::Plain(k) => k.to_string(),
                            Keys::Said(k) => ctx.tr(k),
                        };
                        view! {
                            <div><dt><kbd>{keys}</kbd></dt><dd>{move || ctx.tr(what)}</dd></div>
                        }
                    }).collect_view()}
                </dl>
                <button on:click=move |_| toggle_help(ctx)>{move || ctx.tr("close")}</button>
            </section>
        </Show>
    }
}
