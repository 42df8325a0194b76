//! The public page behind the link in every message: change language or cadence, or leave.
//! `POST` on the same address is RFC 8058 one-click unsubscribe: no cookies, no login, no
//! confirmation step, because the mailbox provider makes the request on the reader's behalf.
//! A tampered or unknown token gets a 404 page that says nothing about anyone.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::Value;
use serde::Serialize;

use super::AppState;
use crate::access::Actor;
use crate::audience::StoredInfluencer;
use crate::language::{Cadence, Language};
use crate::store::SuppressionReason;
use crate::token::Purpose;

#[derive(Serialize)]
struct Choice {
    code: &'static str,
    name: String,
    checked: bool,
}

#[derive(Serialize)]
struct Labels {
    title: String,
    intro: String,
    language: String,
    cadence: String,
    save: String,
    unsubscribe_intro: String,
    unsubscribe_button: String,
}

#[derive(Serialize)]
struct Page {
    lang: &'static str,
    action: String,
    subscribed: bool,
    notice: Option<String>,
    t: Labels,
    languages: Vec<Choice>,
    cadences: Vec<Choice>,
}

/// What the reader's delivery token leads to.
enum Reader {
    Subscribed { delivery_id: i64, person: StoredInfluencer },
    Unsubscribed { person: StoredInfluencer },
}

async fn reader(state: &AppState, token: &str) -> Option<Reader> {
    let delivery_id = state.tokens.verify(Purpose::Unsubscribe, token).ok()?;
    let person = state.store.subscriber(delivery_id).await.ok()??;
    match state.store.suppression(&person.influencer.email).await.ok()? {
        Some(_) => Some(Reader::Unsubscribed { person }),
        None => Some(Reader::Subscribed { delivery_id, person }),
    }
}

fn render(state: &AppState, status: StatusCode, page: &Page) -> Response {
    match state
        .content
        .templates
        .render("subscription.html", &Value::from(minijinja::value::Serde(page)))
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering the subscription page failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn page(
    state: &AppState,
    token: &str,
    language: Language,
    cadence: Cadence,
    subscribed: bool,
    notice: Option<&str>,
) -> Page {
    let s = &state.content.strings;
    let t = |id: &str| s.get(language, id);
    Page {
        lang: language.code(),
        action: format!("/u/{token}"),
        subscribed,
        notice: notice.map(t),
        t: Labels {
            title: t("page-title"),
            intro: t("page-intro"),
            language: t("page-language"),
            cadence: t("page-cadence"),
            save: t("page-save"),
            unsubscribe_intro: t("page-unsubscribe-intro"),
            unsubscribe_button: t("page-unsubscribe-button"),
        },
        // Each language is named in itself, so a reader finds their own whatever the page's language.
        languages: [
            (Language::Fi, "suomi"),
            (Language::Sv, "svenska"),
            (Language::En, "English"),
        ]
        .into_iter()
        .map(|(l, name)| Choice {
            code: l.code(),
            name: name.into(),
            checked: l == language,
        })
        .collect(),
        cadences: Cadence::ALL
            .into_iter()
            .map(|c| Choice {
                code: c.as_str(),
                name: t(&format!("cadence-{c}")),
                checked: c == cadence,
            })
            .collect(),
    }
}

fn invalid(state: &AppState) -> Response {
    let s = &state.content.strings;
    let title = Language::ALL.map(|l| s.get(l, "page-invalid")).join(" / ");
    let mut page = page(state, "", Language::Fi, Cadence::Weekly, false, None);
    page.t.title = title;
    render(state, StatusCode::NOT_FOUND, &page)
}

pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match reader(&state, &token).await {
        Some(Reader::Subscribed { person, .. }) => {
            let p = &person.influencer;
            render(
                &state,
                StatusCode::OK,
                &page(&state, &token, p.language, p.cadence, true, None),
            )
        }
        Some(Reader::Unsubscribed { person }) => {
            let p = &person.influencer;
            render(
                &state,
                StatusCode::OK,
                &page(&state, &token, p.language, p.cadence, false, Some("page-unsubscribed")),
            )
        }
        None => invalid(&state),
    }
}

/// One address for both forms: a body with a language and a cadence saves them; anything
/// else, including RFC 8058's `List-Unsubscribe=One-Click` in either encoding it allows, unsubscribes.
pub async fn post(State(state): State<AppState>, Path(token): Path<String>, body: Bytes) -> Response {
    let (delivery_id, person) = match reader(&state, &token).await {
        Some(Reader::Subscribed { delivery_id, person }) => (delivery_id, person),
        Some(Reader::Unsubscribed { person }) => {
            let p = &person.influencer;
            return render(
                &state,
                StatusCode::OK,
                &page(&state, &token, p.language, p.cadence, false, Some("page-unsubscribed")),
            );
        }
        None => return invalid(&state),
    };
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let chosen = (
        field("language").map(str::parse::<Language>),
        field("cadence").map(str::parse::<Cadence>),
    );
    let now = state.clock.now();
    let p = &person.influencer;
    if let (Some(Ok(language)), Some(Ok(cadence))) = chosen {
        let actor = Actor(format!("subscriber:delivery:{delivery_id}"));
        if let Err(error) = state
            .store
            .set_preferences(&p.email, language, cadence, &actor, now)
            .await
        {
            tracing::error!(%error, "saving preferences failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        return render(
            &state,
            StatusCode::OK,
            &page(&state, &token, language, cadence, true, Some("page-saved")),
        );
    }
    let how = if field("List-Unsubscribe") == Some("One-Click") {
        "one-click"
    } else {
        "subscription page"
    };
    let detail = format!("{how}, delivery {delivery_id}");
    if let Err(error) = state
        .store
        .suppress(&p.email, SuppressionReason::Unsubscribed, &detail, now)
        .await
    {
        tracing::error!(%error, "unsubscribing failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    tracing::info!(delivery = delivery_id, how, "unsubscribed");
    render(
        &state,
        StatusCode::OK,
        &page(&state, &token, p.language, p.cadence, false, Some("page-unsubscribed")),
    )
}
