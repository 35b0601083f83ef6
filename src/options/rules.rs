//! The rules: a table of them, each with its remove button, and a form that adds one.

use super::Ctx;
use crate::core::i18n::key;
use crate::core::rules::{Action, Field, Matcher, Rule, Rules, MAX_TEXT};
use crate::core::store::FeedId;
use leptos::prelude::*;

const FIELDS: [(Field, &str, &str); 5] = [
    (Field::Title, "title", key("field_title")),
    (Field::Member, "member", key("field_member")),
    (Field::Author, "author", key("field_author")),
    (Field::Content, "content", key("field_content")),
    (Field::Any, "any", key("field_any")),
];

const ACTIONS: [(Action, &str, &str); 4] = [
    (Action::Read, "read", key("action_read")),
    (Action::Hide, "hide", key("action_hide")),
    (Action::Star, "star", key("action_star")),
    (Action::Notify, "notify", key("action_notify")),
];

fn field_label(f: Field) -> &'static str {
    FIELDS.iter().find(|(x, _, _)| *x == f).map_or("", |(_, _, l)| l)
}

fn action_label(a: Action) -> &'static str {
    ACTIONS.iter().find(|(x, _, _)| *x == a).map_or("", |(_, _, l)| l)
}

#[component]
pub fn RulesSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let feed = RwSignal::new(String::new());
    let field = RwSignal::new("member".to_string());
    let kind = RwSignal::new("words".to_string());
    let text = RwSignal::new(String::new());
    let action = RwSignal::new("read".to_string());
    let feed_title = move |id: &Option<FeedId>| match id {
        None => ctx.tr("rule_every_feed"),
        Some(id) => ctx
            .feeds
            .with(|feeds| feeds.iter().find(|f| &f.id == id).map(|f| f.title.clone()))
            .unwrap_or_else(|| id.0.clone()),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let words = text.get_untracked();
        let rule = Rule {
            feed: Some(feed.get_untracked()).filter(|f| !f.is_empty()).map(FeedId),
            field: FIELDS
                .iter()
                .find(|(_, v, _)| *v == field.get_untracked())
                .map_or(Field::Any, |(f, _, _)| *f),
            matcher: if kind.get_untracked() == "pattern" {
                Matcher::Pattern(words.trim().to_string())
            } else {
                Matcher::Words(words.trim().to_string())
            },
            action: ACTIONS
                .iter()
                .find(|(_, v, _)| *v == action.get_untracked())
                .map_or(Action::Read, |(a, _, _)| *a),
        };
        let mut all = ctx.rules.get_untracked().rules().to_vec();
        all.push(rule);
        let kept = Rules::new(all);
        if kept.rules().len() == ctx.rules.get_untracked().rules().len() {
            ctx.status.set(Some((true, ctx.tr("rule_rejected"))));
            return;
        }
        text.set(String::new());
        ctx.set_rules(kept);
    };
    let remove = move |index: usize| {
        let mut all = ctx.rules.get_untracked().rules().to_vec();
        if index < all.len() {
            all.remove(index);
            ctx.set_rules(Rules::new(all));
        }
    };
    let rows = move || {
        ctx.rules
            .get()
            .rules()
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, rule)| {
                let matcher = match &rule.matcher {
                    Matcher::Words(w) => ctx.tr_args("rule_words", &[w]),
                    Matcher::Pattern(p) => ctx.tr_args("rule_pattern", &[p]),
                };
                let summary = format!("{} · {} · {matcher}", feed_title(&rule.feed), ctx.tr(field_label(rule.field)));
                view! {
                    <tr>
                        <td>{feed_title(&rule.feed)}</td>
                        <td>{ctx.tr(field_label(rule.field))}</td>
                        <td>{matcher}</td>
                        <td>{ctx.tr(action_label(rule.action))}</td>
                        <td>
                            <button type="button" aria-label=ctx.tr_args("rule_remove_label", &[&summary]) on:click=move |_| remove(i)>
                                {ctx.tr("rule_remove")}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="rules">
            <h2 id="rules">{move || ctx.tr("section_rules")}</h2>
            <p class="note">{move || ctx.tr("rules_intro")}</p>
            <Show
                when=move || !ctx.rules.with(Rules::is_empty)
                fallback=move || view! { <p class="empty">{move || ctx.tr("rules_empty")}</p> }
            >
                <table class="rules">
                    <caption>{move || ctx.tr("rules_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || ctx.tr("rule_feed_label")}</th>
                            <th scope="col">{move || ctx.tr("rule_field_label")}</th>
                            <th scope="col">{move || ctx.tr("rule_text_label")}</th>
                            <th scope="col">{move || ctx.tr("rule_action_label")}</th>
                            <th scope="col">{move || ctx.tr("rule_remove_column")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </Show>
            <form class="add-rule" on:submit=add>
                <fieldset>
                    <legend>{move || ctx.tr("rule_add_legend")}</legend>
                    <div class="field">
                        <label for="rule-feed">{move || ctx.tr("rule_feed_label")}</label>
                        <select id="rule-feed" on:change=move |ev| feed.set(event_target_value(&ev)) prop:value=move || feed.get()>
                            <option value="">{move || ctx.tr("rule_every_feed")}</option>
                            {move || ctx.feeds.get().into_iter().map(|f| view! {
                                <option value=f.id.0.clone()>{f.title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="rule-field">{move || ctx.tr("rule_field_label")}</label>
                        <select id="rule-field" on:change=move |ev| field.set(event_target_value(&ev)) prop:value=move || field.get()>
                            {FIELDS.iter().map(|(_, value, label)| view! {
                                <option value=*value selected=move || field.get() == *value>{move || ctx.tr(label)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="rule-kind">{move || ctx.tr("rule_match_label")}</label>
                        <select id="rule-kind" on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                            <option value="words" selected=move || kind.get() == "words">{move || ctx.tr("match_words")}</option>
                            <option value="pattern" selected=move || kind.get() == "pattern">{move || ctx.tr("match_pattern")}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="rule-text">{move || ctx.tr("rule_text_label")}</label>
                        <input
                            id="rule-text"
                            type="text"
                            required
                            maxlength=MAX_TEXT.to_string()
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="rule-action">{move || ctx.tr("rule_action_label")}</label>
                        <select id="rule-action" on:change=move |ev| action.set(event_target_value(&ev)) prop:value=move || action.get()>
                            {ACTIONS.iter().map(|(_, value, label)| view! {
                                <option value=*value selected=move || action.get() == *value>{move || ctx.tr(label)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">{move || ctx.tr("rule_add")}</button>
                </fieldset>
            </form>
        </section>
    }
}
