//! The public page behind the link in every message: change language or cadence, or leave.
//! `POST` on the same address is RFC 8058 one-click unsubscribe: no cookies, no login, no
//! confirmation step, because the mailbox provider makes the request on the reader's behalf.
//! A tampered or unknown token gets a 404 page that says nothing about anyone.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Value;
use serde::Serialize;

use super::error::RETRY_AFTER_SECONDS;
use super::{AppState, form};
use crate::audience::StoredInfluencer;
use crate::cadence::Cadence;
use crate::ids::DeliveryId;
use crate::language::Language;
use crate::reach::platform_name;
use crate::service::reach::{self, PostError, PostForm};
use crate::service::subscription::{self, Reader, reader};
use crate::store::StoreError;
use fluent_bundle::FluentValue;

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
    /// The "I posted this" form, for a reader who was sent briefs.
    posts: Option<Posts>,
}

/// One option of a select.
#[derive(Serialize)]
struct Pick {
    value: String,
    name: String,
    checked: bool,
}

#[derive(Serialize)]
struct Reported {
    title: String,
    platform: String,
    url: String,
    views: Option<String>,
}

#[derive(Serialize)]
struct Posts {
    action: String,
    briefs: Vec<Pick>,
    platforms: Vec<Pick>,
    url: String,
    views: String,
    /// What the last report did: saved, or why not.
    saved: Option<String>,
    error: Option<String>,
    reported: Vec<Reported>,
    counted: Vec<String>,
    t: std::collections::BTreeMap<&'static str, String>,
}

/// What the form said back, and what was typed, to show again after a refusal.
#[derive(Default)]
struct PostOutcome {
    form: PostForm,
    saved: bool,
    error: Option<String>,
}

/// The "I posted this" section: the briefs the reader was sent, the posts they reported.
async fn posts(
    state: &AppState,
    token: &str,
    person: &StoredInfluencer,
    language: Language,
    outcome: PostOutcome,
) -> Result<Option<Posts>, StoreError> {
    let store = state.store.as_ref();
    let sent = store.briefs_sent_to(person.id).await?;
    if sent.is_empty() {
        return Ok(None);
    }
    let mut titles = Vec::new();
    for id in sent.iter().take(30) {
        if let Some(stored) = store.brief(*id).await? {
            let brief = &stored.brief;
            let title = brief
                .block(language)
                .or_else(|| brief.languages().first().and_then(|l| brief.block(*l)))
                .map(|b| b.title.clone())
                .unwrap_or_else(|| brief.meta.slug.clone());
            titles.push((*id, title));
        }
    }
    let s = &state.content.strings;
    let t = |id: &str| s.get(language, id);
    let reported = store
        .post_reports_of(person.id)
        .await?
        .into_iter()
        .map(|r| Reported {
            title: titles
                .iter()
                .find(|(id, _)| *id == r.brief_id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            platform: r.platform,
            url: r.url,
            views: r.views.map(|v| {
                s.get_with(
                    language,
                    "posts-views-count",
                    &[("views", FluentValue::from(crate::pack::format_number(language, v)))],
                )
            }),
        })
        .collect();
    let chosen_brief = outcome.form.brief.trim().to_string();
    let mut counted = vec![t("posts-counted")];
    if state.config.count_source_clicks {
        counted.push(t("clicks-counted"));
    }
    let labels = [
        ("heading", "posts-heading"),
        ("intro", "posts-intro"),
        ("brief", "posts-brief"),
        ("platform", "posts-platform"),
        ("link", "posts-link"),
        ("views", "posts-views"),
        ("views_hint", "posts-views-hint"),
        ("submit", "posts-submit"),
        ("yours", "posts-yours"),
    ];
    Ok(Some(Posts {
        action: format!("/u/{token}/posts"),
        briefs: titles
            .iter()
            .map(|(id, title)| Pick {
                value: id.0.to_string(),
                name: title.clone(),
                checked: id.0.to_string() == chosen_brief,
            })
            .collect(),
        platforms: crate::reach::platforms()
            .map(|p| Pick {
                value: p.to_string(),
                name: platform_name(p).to_string(),
                // Their own first platform, until they choose another.
                checked: match outcome.form.platform.trim() {
                    "" => person
                        .influencer
                        .platforms
                        .first()
                        .is_some_and(|own| own.eq_ignore_ascii_case(p)),
                    chosen => chosen.eq_ignore_ascii_case(p),
                },
            })
            .collect(),
        url: outcome.form.url.clone(),
        views: outcome.form.views.clone(),
        saved: outcome.saved.then(|| t("posts-saved")),
        error: outcome.error,
        reported,
        counted,
        t: labels.into_iter().map(|(k, id)| (k, t(id))).collect(),
    }))
}

/// The database did not answer: 503 with `Retry-After`, so that a mailbox provider retries its
/// one-click request instead of taking the answer as final.
fn unavailable(state: &AppState, error: &StoreError) -> Response {
    tracing::error!(%error, "the reader's page could not reach the database");
    let mut response = for_anyone(state, StatusCode::SERVICE_UNAVAILABLE, "page-unavailable");
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    response
}

/// What a POST asks for. Only RFC 8058's `List-Unsubscribe=One-Click` (as the mailbox provider
/// or the page's own button sends it) unsubscribes; anything else that is not a valid choice of
/// language and cadence changes nothing.
enum Request {
    Unsubscribe { how: &'static str },
    Preferences { language: Language, cadence: Cadence },
    Invalid,
}

impl Request {
    fn read(headers: &HeaderMap, body: &[u8]) -> Request {
        let fields = form::fields(headers, body);
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
        let language = field("language");
        let cadence = field("cadence");
        if field("List-Unsubscribe") == Some("One-Click") && language.is_none() && cadence.is_none() {
            let how = if field("via") == Some("page") {
                "subscription page"
            } else {
                "one-click"
            };
            return Request::Unsubscribe { how };
        }
        match (language.map(str::parse), cadence.map(str::parse)) {
            (Some(Ok(language)), Some(Ok(cadence))) => Request::Preferences { language, cadence },
            _ => Request::Invalid,
        }
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
        languages: Language::ALL
            .into_iter()
            .map(|l| Choice {
                code: l.code(),
                name: l.own_name().into(),
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
        posts: None,
    }
}

/// The page of a subscribed reader, with their "I posted this" section.
async fn subscribed_page(
    state: &AppState,
    token: &str,
    person: &StoredInfluencer,
    language: Language,
    cadence: Cadence,
    notice: Option<&str>,
    outcome: PostOutcome,
) -> Result<Page, StoreError> {
    let mut shown = page(state, token, language, cadence, true, notice);
    shown.posts = posts(state, token, person, language, outcome).await?;
    Ok(shown)
}

fn invalid(state: &AppState) -> Response {
    for_anyone(state, StatusCode::NOT_FOUND, "page-invalid")
}

/// A page that knows nobody, so it speaks every language: its title is the message in each.
fn for_anyone(state: &AppState, status: StatusCode, message: &str) -> Response {
    let s = &state.content.strings;
    let mut page = page(state, "", Language::Fi, Cadence::Weekly, false, None);
    page.t.title = Language::ALL.map(|l| s.get(l, message)).join(" / ");
    render(state, status, &page)
}

pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match reader(state.store.as_ref(), &state.tokens, &token).await {
        Ok(Some(Reader::Subscribed { person, .. })) => {
            let p = &person.influencer;
            match subscribed_page(
                &state,
                &token,
                &person,
                p.language,
                p.cadence,
                None,
                PostOutcome::default(),
            )
            .await
            {
                Ok(shown) => render(&state, StatusCode::OK, &shown),
                Err(error) => unavailable(&state, &error),
            }
        }
        Ok(Some(Reader::Unsubscribed { person })) => {
            let p = &person.influencer;
            render(
                &state,
                StatusCode::OK,
                &page(&state, &token, p.language, p.cadence, false, Some("page-unsubscribed")),
            )
        }
        Ok(None) => invalid(&state),
        Err(error) => unavailable(&state, &error),
    }
}

/// The subscribed reader a form comes from, or the page that answers instead: they left the
/// list already, the link names nobody, or the database did not answer.
async fn subscribed_reader(state: &AppState, token: &str) -> Result<(DeliveryId, StoredInfluencer), Response> {
    match reader(state.store.as_ref(), &state.tokens, token).await {
        Ok(Some(Reader::Subscribed { delivery_id, person })) => Ok((delivery_id, person)),
        Ok(Some(Reader::Unsubscribed { person })) => {
            let p = &person.influencer;
            Err(render(
                state,
                StatusCode::OK,
                &page(state, token, p.language, p.cadence, false, Some("page-unsubscribed")),
            ))
        }
        Ok(None) => Err(invalid(state)),
        Err(error) => Err(unavailable(state, &error)),
    }
}

/// One address for both forms and for RFC 8058 one-click: see [`Request`].
pub async fn post(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (delivery_id, person) = match subscribed_reader(&state, &token).await {
        Ok(reader) => reader,
        Err(answer) => return answer,
    };
    let now = state.clock.now();
    let p = &person.influencer;
    let store = state.store.as_ref();
    match Request::read(&headers, &body) {
        Request::Preferences { language, cadence } => {
            if let Err(error) = subscription::set_preferences(store, delivery_id, &person, language, cadence, now).await
            {
                return unavailable(&state, &error);
            }
            let outcome = PostOutcome::default();
            match subscribed_page(&state, &token, &person, language, cadence, Some("page-saved"), outcome).await {
                Ok(shown) => render(&state, StatusCode::OK, &shown),
                Err(error) => unavailable(&state, &error),
            }
        }
        Request::Unsubscribe { how } => {
            if let Err(error) = subscription::unsubscribe(store, delivery_id, &person, how, now).await {
                return unavailable(&state, &error);
            }
            render(
                &state,
                StatusCode::OK,
                &page(&state, &token, p.language, p.cadence, false, Some("page-unsubscribed")),
            )
        }
        Request::Invalid => render(
            &state,
            StatusCode::BAD_REQUEST,
            &page(&state, &token, p.language, p.cadence, true, Some("page-invalid-choice")),
        ),
    }
}

/// The "I posted this" form: the post is stored, or the page says why not in the reader's
/// language, with what they typed kept.
pub async fn report(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let person = match subscribed_reader(&state, &token).await {
        Ok((_, person)) => person,
        Err(answer) => return answer,
    };
    let fields = form::fields(&headers, &body);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = PostForm {
        brief: field("brief"),
        platform: field("platform"),
        url: field("url"),
        views: field("views"),
    };
    let p = &person.influencer;
    let language = p.language;
    let strings = &state.content.strings;
    let (status, outcome) = match reach::report_post(state.store.as_ref(), &person, &form, state.clock.now()).await {
        Ok(()) => (
            StatusCode::OK,
            PostOutcome {
                saved: true,
                ..PostOutcome::default()
            },
        ),
        Err(PostError::Store(error)) => return unavailable(&state, &error),
        Err(refused) => {
            let said = match &refused {
                PostError::OtherPlatform { found, .. } => strings.get_with(
                    language,
                    refused.message_id(),
                    &[("found", FluentValue::from(platform_name(found)))],
                ),
                other => strings.get(language, other.message_id()),
            };
            let status = match refused {
                PostError::Duplicate => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (
                status,
                PostOutcome {
                    form,
                    saved: false,
                    error: Some(said),
                },
            )
        }
    };
    match subscribed_page(&state, &token, &person, language, p.cadence, None, outcome).await {
        Ok(shown) => render(&state, status, &shown),
        Err(error) => unavailable(&state, &error),
    }
}
