//! `/api/v1/editions`: send, list, inspect, pause, resume and cancel editions.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::edition::{BriefId, EditionAction, EditionId};
use crate::service::editions::{self, EditionError};
use crate::store::StoreError;

/// Either a schedule's edition, sent now, or a flash edition of one urgent brief.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum NewEditionRequest {
    Schedule(String),
    Flash(BriefId),
}

#[derive(Debug, Deserialize)]
pub struct Page {
    limit: Option<u64>,
    offset: Option<u64>,
}

impl From<EditionError> for ApiError {
    fn from(e: EditionError) -> Self {
        match e {
            EditionError::Denied(denied) => denied.into(),
            EditionError::NoSchedule(_) => ApiError::invalid("schedule", format!("schedule: {e}")),
            EditionError::NotFound(id) => ApiError::not_found(format!("edition {id}")),
            EditionError::NothingToSend(_) => ApiError::new(StatusCode::CONFLICT, "nothing_to_send", e.to_string()),
            EditionError::NoBrief(id) => StoreError::NotFound {
                what: format!("brief {id}"),
            }
            .into(),
            EditionError::FlashRefused { .. } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()).with_field("brief")
            }
            EditionError::Changed { .. } | EditionError::Moved { .. } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            EditionError::Store(e) => e.into(),
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request: NewEditionRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "body",
            format!("expected {{\"schedule\": NAME}} or {{\"flash\": BRIEF_ID}}: {e}"),
        )
    })?;
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let created = match request {
        NewEditionRequest::Flash(brief) => editions::flash(store, &caller, brief, now).await?,
        NewEditionRequest::Schedule(name) => editions::send_now(store, &caller, &name, None, now).await?,
    };
    Ok((StatusCode::CREATED, Json(json!(created))))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> Result<Json<Value>, ApiError> {
    let limit = page.limit.unwrap_or(50).min(1000);
    let list = editions::list(state.store.as_ref(), &caller, limit, page.offset.unwrap_or(0)).await?;
    Ok(Json(json!({ "editions": list })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = edition_id(&id)?;
    let view = editions::show(state.store.as_ref(), &caller, id, state.clock.now()).await?;
    Ok(Json(json!(view)))
}

pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let id = edition_id(&id)?;
    let action: EditionAction = action.parse().map_err(|_| ApiError::not_found("route"))?;
    let status = editions::change(state.store.as_ref(), &caller, id, action, None, state.clock.now()).await?;
    Ok(Json(json!({ "edition": id, "status": status })))
}

fn edition_id(raw: &str) -> Result<EditionId, ApiError> {
    raw.parse().map_err(|e: String| ApiError::bad_request("id", e))
}
