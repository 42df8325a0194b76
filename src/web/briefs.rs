//! `/api/v1/briefs`: the brief use cases over HTTP.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::brief::{BriefFormat, BriefStatus, LifecycleError};
use crate::ids::BriefId;
use crate::language::Language;
use crate::pack::LanguagePolicy;
use crate::service::briefs::{self as service, BriefError};

impl From<BriefError> for ApiError {
    fn from(e: BriefError) -> Self {
        match e {
            BriefError::Parse(e) => {
                let field = e.path.clone().unwrap_or_else(|| "body".into());
                ApiError::invalid(&field, e.to_string())
            }
            BriefError::Denied(denied) => denied.into(),
            BriefError::NotFound(id) => ApiError::not_found(format!("brief {id}")),
            e @ BriefError::Problems { .. } => ApiError::invalid("brief", e.to_string()),
            BriefError::Lifecycle {
                error: error @ (LifecycleError::NotAnApprover { .. } | LifecycleError::OwnBrief { .. }),
                ..
            } => ApiError::forbidden(error.to_string()),
            e @ (BriefError::Lifecycle { .. } | BriefError::Stale { .. } | BriefError::AlreadyTaken(_)) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()).with_field("status")
            }
            BriefError::Store(e) => e.into(),
            BriefError::Render(e) => ApiError::internal(&e),
        }
    }
}

/// JSON by default; TOML, or a CAP alert (`application/cap+xml`, `application/xml`), when the
/// request says so.
fn body_text(headers: &HeaderMap, body: &Bytes) -> Result<(String, BriefFormat), ApiError> {
    let text =
        std::str::from_utf8(body).map_err(|e| ApiError::bad_request("body", format!("the body is not UTF-8: {e}")))?;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match kind.as_str() {
        k if k.contains("toml") => BriefFormat::Toml,
        "application/cap+xml" | "application/xml" | "text/xml" => BriefFormat::Cap,
        _ => BriefFormat::Json,
    };
    Ok((text.to_string(), format))
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (text, format) = body_text(&headers, &body)?;
    let checked = service::submit(
        state.store.as_ref(),
        &state.content,
        &text,
        format,
        &caller,
        state.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(checked))))
}

#[derive(Deserialize)]
pub struct ListParams {
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let status = match p.status {
        Some(raw) => Some(serde_json::from_value::<BriefStatus>(json!(raw)).map_err(|_| {
            ApiError::bad_request(
                "status",
                format!("status `{raw}` does not exist (draft, approved, queued, sent, withdrawn, expired)"),
            )
        })?),
        None => None,
    };
    let briefs = service::list(state.store.as_ref(), &caller, status, state.clock.now()).await?;
    Ok(Json(json!({ "briefs": briefs })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        service::show(state.store.as_ref(), &state.content, &caller, id, state.clock.now()).await?
    )))
}

pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (text, format) = body_text(&headers, &body)?;
    let checked = service::edit(
        state.store.as_ref(),
        &state.content,
        id,
        (&text, format),
        None,
        &caller,
        state.clock.now(),
    )
    .await?;
    Ok(Json(json!(checked)))
}

pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
) -> Result<Json<Value>, ApiError> {
    let approved = service::approve(
        state.store.as_ref(),
        &state.content,
        id,
        None,
        &caller,
        state.config.two_person_rule,
        state.clock.now(),
    )
    .await?;
    Ok(Json(json!(approved)))
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        service::withdraw(state.store.as_ref(), id, None, &caller, state.clock.now()).await?
    )))
}

pub async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (text, format) = body_text(&headers, &body)?;
    let checked = service::correct(
        state.store.as_ref(),
        &state.content,
        id,
        &text,
        format,
        &caller,
        state.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(checked))))
}

#[derive(Deserialize)]
pub struct PreviewParams {
    lang: String,
    format: Option<String>,
}

pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<BriefId>,
    Query(p): Query<PreviewParams>,
) -> Result<Response, ApiError> {
    let language: Language = p
        .lang
        .parse()
        .map_err(|e: crate::language::UnknownLanguage| ApiError::bad_request("lang", e.to_string()))?;
    let policy = LanguagePolicy::from_config(&state.config);
    let preview = service::preview(
        state.store.as_ref(),
        &state.content,
        &caller,
        id,
        language,
        policy,
        state.clock.now(),
    )
    .await?;
    let held = || {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "held",
            preview.held.clone().unwrap_or_default(),
        )
        .with_field("lang")
    };
    Ok(match p.format.as_deref().unwrap_or("json") {
        "json" => Json(json!(preview)).into_response(),
        "html" => {
            let html = preview.html.clone().ok_or_else(held)?;
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        "text" => {
            let text = preview.text.clone().ok_or_else(held)?;
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
        }
        other => {
            return Err(ApiError::bad_request(
                "format",
                format!("format `{other}` does not exist (html, text or json)"),
            ));
        }
    })
}
