//! Where the reader is: the list's scroll, the focus, the size of the page, and where the
//! reader was when the page last closed (kept in `prefs`).
//!
//! The list scrolls in the document (the popup, the side panel, a narrow tab), so the
//! sticky header stays at the top of the viewport; or, with two panes, in its own pane.
//! Every DOM reading happens after the next frame ([`after_render`]), once Leptos has
//! applied the change that called for it.

use super::{prefs, Ctx, Mode};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, FocusOptions, HtmlElement};

const ROWS: &str = "ul.entries > li > button.open";

/// Run `f` once the DOM shows the latest changes.
pub fn after_render(f: impl FnOnce() + 'static) {
    request_animation_frame(f);
}

/// Run `f` once the list is in the page again (not hidden), a frame at a time, at most ten.
pub fn when_list_shown(f: impl FnOnce() + 'static) {
    fn attempt(f: Box<dyn FnOnce()>, left: u32) {
        request_animation_frame(move || {
            let hidden = document()
                .query_selector(".list-pane")
                .ok()
                .flatten()
                .is_none_or(|p| p.has_attribute("hidden"));
            if hidden && left > 0 {
                attempt(f, left - 1);
            } else {
                f();
            }
        });
    }
    attempt(Box::new(f), 10);
}

fn query(selector: &str) -> Option<HtmlElement> {
    document().query_selector(selector).ok().flatten()?.dyn_into().ok()
}

/// Focus `el` without scrolling to it.
pub fn focus(el: &HtmlElement) {
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = el.focus_with_options(&options);
}

/// What scrolls the list: its own pane with two panes, else the document.
fn scroller(ctx: Ctx) -> Option<Element> {
    if ctx.wide.get_untracked() {
        document().query_selector(".list-pane").ok().flatten()
    } else {
        document().scrolling_element()
    }
}

pub fn scroll_of(ctx: Ctx) -> f64 {
    scroller(ctx).map_or(0.0, |s| f64::from(s.scroll_top()))
}

pub fn scroll_list_to(ctx: Ctx, top: f64) {
    if let Some(s) = scroller(ctx) {
        s.set_scroll_top(top as i32);
    }
}

/// The list from its top (a new view).
pub fn list_to_top(ctx: Ctx) {
    after_render(move || scroll_list_to(ctx, 0.0));
}

/// Where the visible part of the list starts: under the sticky header, or the pane's top.
fn top_edge(ctx: Ctx) -> f64 {
    if ctx.wide.get_untracked() {
        return document()
            .query_selector(".list-pane")
            .ok()
            .flatten()
            .map_or(0.0, |p| p.get_bounding_client_rect().top());
    }
    query("header").map_or(0.0, |h| h.get_bounding_client_rect().bottom())
}

/// The open buttons of the rows, in list order.
fn row_buttons() -> Vec<HtmlElement> {
    let Ok(list) = document().query_selector_all(ROWS) else { return vec![] };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

fn index_of(ctx: Ctx, key: &crate::protocol::EntryKey) -> Option<usize> {
    ctx.list.rows.with_untracked(|rows| rows.iter().position(|r| &r.key == key))
}

/// Focus the list's current row (the one last opened or moved to), else the first row in
/// view.
pub fn focus_current(ctx: Ctx) {
    let top = top_edge(ctx);
    let buttons = row_buttons();
    let i =
        ctx.list.current.get_untracked().and_then(|key| index_of(ctx, &key)).unwrap_or_else(|| {
            buttons
                .iter()
                .position(|b| b.get_bounding_client_rect().bottom() > top + 1.0)
                .unwrap_or(0)
        });
    if let Some(b) = buttons.into_iter().nth(i) {
        focus(&b);
        scroll_into_view(ctx, &b);
    }
}

/// Scroll the least that shows `el` whole below the header.
fn scroll_into_view(ctx: Ctx, el: &HtmlElement) {
    let Some(s) = scroller(ctx) else { return };
    let r = el.get_bounding_client_rect();
    let top = top_edge(ctx);
    let bottom = if ctx.wide.get_untracked() {
        s.get_bounding_client_rect().bottom()
    } else {
        f64::from(window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0) as i32)
    };
    let by = if r.top() < top {
        r.top() - top
    } else if r.bottom() > bottom {
        (r.bottom() - bottom).min(r.top() - top)
    } else {
        return;
    };
    s.set_scroll_top(s.scroll_top() + by as i32);
}

/// Move the keyboard's row by `delta` (j/k, ↓/↑) and focus it.
pub fn move_focus(ctx: Ctx, delta: isize) {
    let buttons = row_buttons();
    if buttons.is_empty() {
        return;
    }
    let at = ctx.list.current.get_untracked().and_then(|k| index_of(ctx, &k));
    let focused_row = document()
        .active_element()
        .and_then(|a| buttons.iter().position(|b| b.unchecked_ref::<Element>() == &a));
    let next = match focused_row.or(at) {
        None => 0,
        Some(i) => (i as isize + delta).clamp(0, buttons.len() as isize - 1) as usize,
    };
    let key = ctx.list.rows.with_untracked(|rows| rows.get(next).map(|r| r.key.clone()));
    ctx.list.current.set(key);
    focus(&buttons[next]);
    scroll_into_view(ctx, &buttons[next]);
}

/// An entry was opened: its top in view, and the focus on its title.
pub fn entry_opened(ctx: Ctx) {
    if ctx.wide.get_untracked() {
        if let Some(pane) = query(".entry-pane") {
            pane.set_scroll_top(0);
        }
        if let Some(b) = ctx.list.current.get_untracked().and_then(|k| index_of(ctx, &k)) {
            if let Some(button) = row_buttons().into_iter().nth(b) {
                scroll_into_view(ctx, &button);
            }
        }
    } else {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
    if let Some(h) = query("article.entry-view h2") {
        focus(&h);
    }
}

/// Focus the heading of the screen shown (subscriptions, subscribing).
pub fn focus_heading() {
    if let Some(h) = query("main section:not([hidden]) h2") {
        focus(&h);
    }
}

/// How many rows after the top one a place keeps, to fall back on.
const PLACE_AFTER: usize = 10;

/// Where the list is now: the first row showing below the header, how far past it, and
/// the rows after it.
fn place_now(ctx: Ctx) -> prefs::Place {
    let top = top_edge(ctx);
    let loaded = ctx.list.rows.with_untracked(Vec::len);
    let view = Some(ctx.list.view.get_untracked());
    for (i, b) in row_buttons().iter().enumerate() {
        let r = b.get_bounding_client_rect();
        if r.bottom() > top + 1.0 {
            let (row, after) = ctx.list.rows.with_untracked(|rows| {
                let key = |r: &super::Row| r.key.clone();
                (rows.get(i).map(key), rows.iter().skip(i + 1).take(PLACE_AFTER).map(key).collect())
            });
            return prefs::Place { view, row, offset: (top - r.top()).max(0.0), after, loaded };
        }
    }
    prefs::Place { view, loaded, ..prefs::Place::default() }
}

/// The row of `place` still listed, and how far past its top the list was: the row that
/// was at the top, else the first of those after it that is left (at its top).
fn still_listed(ctx: Ctx, place: &prefs::Place) -> Option<(crate::protocol::EntryKey, usize, f64)> {
    let top = place.row.iter().map(|k| (k, place.offset));
    top.chain(place.after.iter().map(|k| (k, 0.0)))
        .find_map(|(key, offset)| index_of(ctx, key).map(|i| (key.clone(), i, offset)))
}

/// Bring the list back to `place` (rows just loaded): the row that was at the top is at
/// the top again, with the focus (so the keyboard goes on from there).
pub fn restore(ctx: Ctx, place: prefs::Place) {
    restore_within(ctx, place, 10);
}

/// [`restore`], tried again on the next frame (up to `left` times) while the row is not
/// in the page yet or not where it belongs: a page opened in the background (Firefox's
/// popup in a tab) may not be rendered or laid out to its full height yet, and the scroll
/// stops short.
fn restore_within(ctx: Ctx, place: prefs::Place, left: u32) {
    after_render(move || {
        // The reader has moved on (an entry opened meanwhile): its scroll is not the list's.
        if !ctx.list_shown_now() {
            return;
        }
        let Some((key, i, offset)) = still_listed(ctx, &place) else {
            return scroll_list_to(ctx, 0.0);
        };
        let Some(b) = row_buttons().into_iter().nth(i) else {
            // Listed, but its row is not in the page yet (Firefox may give a frame first).
            return match left {
                0 => scroll_list_to(ctx, 0.0),
                _ => restore_within(ctx, place, left - 1),
            };
        };
        let by = b.get_bounding_client_rect().top() - top_edge(ctx) + offset;
        scroll_list_to(ctx, scroll_of(ctx) + by);
        let off = b.get_bounding_client_rect().top() - top_edge(ctx) + offset;
        if off.abs() > 2.0 && left > 0 {
            return restore_within(ctx, place, left - 1);
        }
        focus(&b);
        if ctx.list.current.get_untracked().is_none() {
            ctx.list.current.set(Some(key));
        }
    });
}

impl Ctx {
    fn list_shown_now(self) -> bool {
        self.screen.with_untracked(|s| self.list_shown(s))
    }
}

/// Keep the place saved as the reader scrolls (debounced), and the layout fitted to the
/// page: two panes in a wide tab; in the popup, no wider than the browser lets it be.
pub fn watch_layout(ctx: Ctx) {
    let pending = Rc::new(Cell::new(false));
    let save = move || {
        if pending.get() || !ctx.list.ready.get_untracked() || !ctx.list_shown_now() {
            return;
        }
        pending.set(true);
        let pending = pending.clone();
        set_timeout(
            move || {
                pending.set(false);
                let place = place_now(ctx);
                prefs::update(ctx.mode, |p| p.place = place);
            },
            Duration::from_millis(150),
        );
    };
    // Scroll events of the list pane do not bubble: listen in the capture phase.
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    options.set_passive(true);
    let on_scroll = wasm_bindgen::closure::Closure::<dyn Fn()>::new(save);
    let _ = document().add_event_listener_with_callback_and_add_event_listener_options(
        "scroll",
        on_scroll.as_ref().unchecked_ref(),
        &options,
    );
    on_scroll.forget();

    // Fitted at start, then whenever the page's own box changes: the window resizes or
    // zooms, or a vertical scrollbar that comes with a longer list takes room (Firefox's are
    // not overlaid), which no resize event tells of.
    fit(ctx);
    let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || fit(ctx));
    if let (Ok(observer), Some(root)) = (
        web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()),
        document().document_element(),
    ) {
        observer.observe(&root);
    }
    on_resize.forget();
}

thread_local! {
    /// The zoom (device pixel ratio) the popup's width was last fitted at.
    static FITTED_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// Fit the layout to the page's size.
///
/// - A tab at a wide size shows two panes.
/// - The popup is as wide as its content asks (23.75rem), but the browser caps a popup
///   at 800 px on screen, so at 250 % zoom (or with a large font) it shows only 320 CSS px
///   of it: the app then takes the width it was given, and everything reflows in it.
fn fit(ctx: Ctx) {
    let w = window();
    if ctx.mode == Mode::Tab {
        let wide = w.match_media("(min-width: 56rem)").ok().flatten().is_some_and(|m| m.matches());
        if wide != ctx.wide.get_untracked() {
            ctx.wide.set(wide);
        }
        return;
    }
    if ctx.mode != Mode::Popup {
        return;
    }
    let Some(root) = document().document_element() else { return };
    let Ok(root) = root.dyn_into::<HtmlElement>() else { return };
    let dpr = w.device_pixel_ratio();
    let fitted = FITTED_AT.with(Cell::get);
    let style = root.style();
    if fitted != 0.0 && fitted != dpr {
        // The zoom changed: let the popup take its natural width again, then see.
        let _ = style.remove_property("--popup-width");
        FITTED_AT.with(|f| f.set(0.0));
    }
    after_render(move || {
        // The width the page may fill: the viewport's, less a scrollbar that takes room.
        let inner = root.client_width();
        let content = root.scroll_width();
        // A popup narrower than 200 px is still being sized by the browser.
        if inner >= 200 && content > inner {
            let _ = style.set_property("--popup-width", &format!("{inner}px"));
            FITTED_AT.with(|f| f.set(dpr));
        }
    });
}
