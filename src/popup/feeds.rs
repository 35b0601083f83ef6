//! Subscriptions and their health; and the per-feed error banners of the list.

use super::{api, Ctx};
use crate::core::when;
use crate::protocol::{FeedItem, Request};
use leptos::prelude::*;

fn feeds(ctx: Ctx) -> Vec<FeedItem> {
    ctx.snapshot.with(|s| s.as_ref().map(|s| s.feeds.clone()).unwrap_or_default())
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
                    <strong>{f.title.clone()}</strong>": "{f.error.clone()}
                </p>
            }
        />
    }
}

#[component]
pub fn Feeds() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <ul class="feeds" aria-label="Subscriptions">
            <For each=move || feeds(ctx) key=|f| f.clone() children=move |f| view! { <FeedRow feed=f/> }/>
        </ul>
    }
}

#[component]
fn FeedRow(feed: FeedItem) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let now = api::now();
    let health = match (&feed.error, feed.checked) {
        (Some(e), _) => format!("Error: {e}"),
        (None, Some(t)) => format!("Checked {}", when::relative(now, t)),
        (None, None) => match feed.changed {
            Some(t) => format!("Updated {}", when::relative(now, t)),
            None => "Not fetched yet".to_string(),
        },
    };
    let next = feed.next_due.filter(|&t| t > now).map(|t| {
        let minutes = (t - now + 59_999) / 60_000;
        format!("next refresh in {minutes} min")
    });
    let id = feed.id.clone();
    let refresh = move |_| {
        let feed = Some(id.clone());
        ctx.act(api::send(Request::Refresh { feed }));
    };
    view! {
        <li class="feed" class:failing=feed.error.is_some()>
            <div class="name">{feed.title.clone()}</div>
            <div class="counts">{format!("{} unread of {}", feed.unread, feed.total)}</div>
            <div class="health">{health} {next.map(|n| format!(" · {n}"))}</div>
            <button aria-label=format!("Refresh {}", feed.title) on:click=refresh>"Refresh"</button>
        </li>
    }
}
