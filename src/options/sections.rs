//! The sections of the options page but the rules: reading, refreshing (with each feed's
//! own settings), the badge, notifications, language and theme.

use super::Ctx;
use crate::browser::i18n::Messages;
use crate::core::i18n::key;
use crate::core::library::view::{Scope, View};
use crate::core::settings::{
    clamp_minutes, Choice, FeedSettings, Images, MarkRead, Settings, Theme, REFRESH_CHOICES,
};
use crate::core::store::FeedId;
use leptos::prelude::*;

/// "30 minutes", "2 hours".
pub fn interval_label(m: &Messages, minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        m.tr_plural("hours", (minutes / 60) as usize, &[])
    } else {
        m.tr_plural("minutes", minutes as usize, &[])
    }
}

/// The intervals to offer: the usual ones, and `current` if it is another.
fn interval_choices(current: Option<u32>) -> Vec<u32> {
    let mut all = REFRESH_CHOICES.to_vec();
    if let Some(c) = current.filter(|c| !all.contains(c)) {
        all.push(c);
        all.sort_unstable();
    }
    all
}

/// A group of radio buttons for one setting: `choices` are (the setting's value, its name
/// in the page, label key); `current` reads the setting, `set` writes it.
fn radios<T: Copy + PartialEq + Send + Sync + 'static>(
    ctx: Ctx,
    legend: &'static str,
    name: &'static str,
    choices: Vec<(T, &'static str, &'static str)>,
    current: impl Fn(&Settings) -> T + Copy + Send + Sync + 'static,
    set: impl Fn(&mut Settings, T) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{move || ctx.tr(legend)}</legend>
            {choices
                .into_iter()
                .map(|(choice, value, label)| {
                    let id = format!("{name}-{value}");
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                id=id.clone()
                                name=name
                                value=value
                                prop:checked=move || ctx.settings.with(|s| current(s) == choice)
                                on:change=move |_| ctx.change(|s| set(s, choice))
                            />
                            <label for=id>{move || ctx.tr(label)}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A view as the default-view menu names it.
fn view_value(view: &View) -> String {
    match (&view.scope, view.unread_only) {
        (Scope::All, true) => "unread".into(),
        (Scope::All, false) => "all".into(),
        (Scope::Starred, _) => "starred".into(),
        (Scope::Feed { feed }, _) => format!("feed:{}", feed.0),
        (Scope::Member { member }, _) => format!("member:{member}"),
    }
}

fn view_of(value: &str) -> View {
    match value {
        "all" => View::every(Scope::All),
        "starred" => View::every(Scope::Starred),
        v => match v.strip_prefix("feed:") {
            Some(feed) => View::unread(Scope::Feed { feed: FeedId(feed.to_string()) }),
            None => View::default(),
        },
    }
}

#[component]
pub fn Reading() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let mark_read = radios(
        ctx,
        key("mark_read_legend"),
        "mark-read",
        vec![
            (MarkRead::OnOpen, "on_open", key("mark_read_on_open")),
            (MarkRead::Manual, "manual", key("mark_read_manual")),
        ],
        |s| s.mark_read,
        |s, v| s.mark_read = v,
    );
    let images = radios(
        ctx,
        key("images_legend"),
        "images",
        vec![
            (Images::Load, "load", key("images_load")),
            (Images::Block, "block", key("images_block")),
        ],
        |s| s.images,
        |s, v| s.images = v,
    );
    let current = move || ctx.settings.with(|s| view_value(&s.default_view));
    view! {
        <section aria-labelledby="reading">
            <h2 id="reading">{move || ctx.tr("section_reading")}</h2>
            {mark_read}
            {images}
            <div class="field">
                <label for="default-view">{move || ctx.tr("default_view_label")}</label>
                <select
                    id="default-view"
                    prop:value=current
                    on:change=move |ev| {
                        let view = view_of(&event_target_value(&ev));
                        ctx.change(|s| s.default_view = view);
                    }
                >
                    <option value="unread" selected=move || current() == "unread">{move || ctx.tr("view_unread")}</option>
                    <option value="all" selected=move || current() == "all">{move || ctx.tr("view_all")}</option>
                    <option value="starred" selected=move || current() == "starred">{move || ctx.tr("view_starred")}</option>
                    {move || ctx.feeds.get().into_iter().map(|f| {
                        let value = format!("feed:{}", f.id.0);
                        let selected = value.clone();
                        view! {
                            <option value=value selected=move || current() == selected>
                                {move || ctx.tr_args("view_feed", &[&f.title])}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
        </section>
    }
}

#[component]
pub fn Refreshing() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let global = move || ctx.settings.with(|s| s.refresh_minutes);
    let next = move || match ctx.next_refresh.get() {
        Some(at) => ctx.tr_args("next_refresh", &[&ctx.date_time(at)]),
        None => ctx.tr("next_refresh_none"),
    };
    view! {
        <section aria-labelledby="refreshing">
            <h2 id="refreshing">{move || ctx.tr("section_refresh")}</h2>
            <div class="field">
                <label for="refresh-interval">{move || ctx.tr("refresh_label")}</label>
                <select
                    id="refresh-interval"
                    prop:value=move || global().to_string()
                    on:change=move |ev| {
                        if let Ok(minutes) = event_target_value(&ev).parse::<u32>() {
                            ctx.change(|s| s.refresh_minutes = clamp_minutes(minutes));
                        }
                    }
                >
                    {move || interval_choices(Some(global())).into_iter().map(|m| view! {
                        <option value=m.to_string() selected=move || global() == m>
                            {move || ctx.messages.with(|msgs| interval_label(msgs, m))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <p class="next-refresh">{next}</p>
            <FeedTable/>
        </section>
    }
}

/// Each feed's own interval, whether it counts on the badge and whether it notifies.
#[component]
fn FeedTable() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let row = move |feed: crate::protocol::FeedItem| {
        let id = feed.id.clone();
        let own = move || ctx.settings.with(|s| s.feed(&id));
        let title = feed.title.clone();
        let set = {
            let id = feed.id.clone();
            move |f: Box<dyn FnOnce(&mut FeedSettings)>| {
                let id = id.clone();
                ctx.change(move |s| {
                    let mut settings = s.feed(&id);
                    f(&mut settings);
                    s.set_feed(&id, settings);
                })
            }
        };
        let (set_interval, set_badge, set_notify) = (set.clone(), set.clone(), set);
        let own_interval = own.clone();
        let own_default = own.clone();
        let own_badge = own.clone();
        let own_notify = own;
        let checked = feed.checked;
        let (t1, t2, t3) = (title.clone(), title.clone(), title.clone());
        view! {
            <tr>
                <th scope="row">{title}</th>
                <td>
                    <select
                        aria-label=move || ctx.tr_args("feed_interval_label", &[&t1])
                        on:change=move |ev| {
                            let value = event_target_value(&ev).parse::<u32>().ok().map(clamp_minutes);
                            set_interval(Box::new(move |f| f.refresh_minutes = value));
                        }
                    >
                        <option value="" selected=move || own_default().refresh_minutes.is_none()>
                            {move || {
                                let global = ctx.settings.with(|s| s.refresh_minutes);
                                let label = ctx.messages.with(|m| interval_label(m, global));
                                ctx.tr_args("interval_default", &[&label])
                            }}
                        </option>
                        {
                            let own_interval = own_interval.clone();
                            move || interval_choices(own_interval().refresh_minutes).into_iter().map(|m| {
                                let own_interval = own_interval.clone();
                                view! {
                                    <option value=m.to_string() selected=move || own_interval().refresh_minutes == Some(m)>
                                        {move || ctx.messages.with(|msgs| interval_label(msgs, m))}
                                    </option>
                                }
                            }).collect_view()
                        }
                    </select>
                </td>
                <td>
                    <input
                        type="checkbox"
                        aria-label=move || ctx.tr_args("feed_badge_label", &[&t2])
                        prop:checked=move || own_badge().badge
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_badge(Box::new(move |f| f.badge = on));
                        }
                    />
                </td>
                <td>
                    <input
                        type="checkbox"
                        aria-label=move || ctx.tr_args("feed_notify_label", &[&t3])
                        prop:checked=move || own_notify().notify
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_notify(Box::new(move |f| f.notify = on));
                        }
                    />
                </td>
                <td class="checked">
                    {move || match checked {
                        Some(at) => ctx.date_time(at),
                        None => ctx.tr("never_checked"),
                    }}
                </td>
            </tr>
        }
    };
    view! {
        <table class="feeds">
            <caption>{move || ctx.tr("feeds_caption")}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || ctx.tr("feed_column")}</th>
                    <th scope="col">{move || ctx.tr("interval_column")}</th>
                    <th scope="col">{move || ctx.tr("badge_column")}</th>
                    <th scope="col">{move || ctx.tr("notify_column")}</th>
                    <th scope="col">{move || ctx.tr("checked_column")}</th>
                </tr>
            </thead>
            <tbody>{move || ctx.feeds.get().into_iter().map(row).collect_view()}</tbody>
        </table>
    }
}

#[component]
pub fn BadgeSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let group = radios(
        ctx,
        key("badge_legend"),
        "badge",
        vec![
            (Choice::All, "all", key("badge_all")),
            (Choice::Chosen, "chosen", key("badge_chosen")),
            (Choice::Off, "off", key("badge_off")),
        ],
        |s| s.badge,
        |s, v| s.badge = v,
    );
    view! {
        <section aria-labelledby="badge">
            <h2 id="badge">{move || ctx.tr("section_badge")}</h2>
            {group}
            <p class="note">{move || ctx.tr("badge_note")}</p>
        </section>
    }
}

#[component]
pub fn NotificationsSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let group = radios(
        ctx,
        key("notify_legend"),
        "notifications",
        vec![
            (Choice::Off, "off", key("notify_off")),
            (Choice::All, "all", key("notify_all")),
            (Choice::Chosen, "chosen", key("notify_chosen")),
        ],
        |s| s.notifications,
        |s, v| s.notifications = v,
    );
    view! {
        <section aria-labelledby="notifications">
            <h2 id="notifications">{move || ctx.tr("section_notifications")}</h2>
            {group}
            <p class="note">{move || ctx.tr("notify_note")}</p>
        </section>
    }
}

#[component]
pub fn Appearance() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let theme = radios(
        ctx,
        key("theme_legend"),
        "theme",
        vec![
            (Theme::System, "system", key("theme_system")),
            (Theme::Light, "light", key("theme_light")),
            (Theme::Dark, "dark", key("theme_dark")),
        ],
        |s| s.theme,
        |s, v| s.theme = v,
    );
    let current = move || ctx.settings.with(|s| s.language.clone().unwrap_or_default());
    let languages = [
        ("", key("language_browser")),
        ("en", key("language_en")),
        ("de", key("language_de")),
        ("fr", key("language_fr")),
    ];
    view! {
        <section aria-labelledby="appearance">
            <h2 id="appearance">{move || ctx.tr("section_appearance")}</h2>
            <div class="field">
                <label for="language">{move || ctx.tr("language_label")}</label>
                <select
                    id="language"
                    prop:value=current
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        ctx.change(|s| s.language = (!value.is_empty()).then_some(value));
                    }
                >
                    {languages.into_iter().map(|(value, label)| view! {
                        <option value=value selected=move || current() == value>{move || ctx.tr(label)}</option>
                    }).collect_view()}
                </select>
            </div>
            {theme}
        </section>
    }
}
