//! `/api/v1/editions`: send, list, inspect, pause, resume and cancel editions.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::edition::{BriefId, EditionAction, EditionId, Progress};

impl Caller {
    /// Ops, coordinators and approvers: watching editions and deliveries, pausing, resuming,
    /// cancelling and resending. Today every role may; the match is exhaustive so that a role
    /// added later (a read-only viewer, say) must be placed here on purpose.
    pub fn must_operate(&self) -> Result<(), ApiError> {
        match self.role {
            crate::access::Role::Ops | crate::access::Role::Coordinator | crate::access::Role::Approver => Ok(()),
        }
    }
}

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

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.must_coordinate()?;
    let request: NewEditionRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "body",
            format!("expected {{\"schedule\": NAME}} or {{\"flash\": BRIEF_ID}}: {e}"),
        )
    })?;
    let now = state.clock.now();
    let created = match request {
        NewEditionRequest::Flash(brief) => state.store.create_flash(brief, &caller.actor, now).await?,
        NewEditionRequest::Schedule(name) => {
            let stored = state
                .store
                .schedule(&name)
                .await?
                .ok_or_else(|| ApiError::invalid("schedule", format!("schedule: no schedule named `{name}`")))?;
            state
                .store
                .send_now(stored.id, &caller.actor, now)
                .await?
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::CONFLICT,
                        "nothing_to_send",
                        format!("schedule `{name}` has no approved, unexpired brief it has not carried yet"),
                    )
                })?
        }
    };
    Ok((StatusCode::CREATED, Json(json!(created))))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> Result<Json<Value>, ApiError> {
    caller.must_operate()?;
    let editions = state
        .store
        .editions(page.limit.unwrap_or(50).min(1000), page.offset.unwrap_or(0))
        .await?;
    Ok(Json(json!({ "editions": editions })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.must_operate()?;
    let id = edition_id(&id)?;
    let summary = state
        .store
        .edition(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("edition {id}")))?;
    let progress = state.store.edition_progress(id, state.clock.now()).await?;
    let progress = match caller.role.sees_personal_data() {
        true => progress,
        false => progress.map(Progress::without_personal_data),
    };
    Ok(Json(json!({ "edition": summary, "progress": progress })))
}

pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    caller.must_operate()?;
    let id = edition_id(&id)?;
    let action: EditionAction = action.parse().map_err(|_| ApiError::not_found("route"))?;
    let status = state
        .store
        .change_edition(id, action, &caller.actor, state.clock.now())
        .await?;
    Ok(Json(json!({ "edition": id, "status": status })))
}

fn edition_id(raw: &str) -> Result<EditionId, ApiError> {
    raw.parse().map_err(|e: String| ApiError::bad_request("id", e))
}
