//! `/api/v1/schedules`: when editions go out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::schedule::NewSchedule;
use crate::service::schedules::{self, ScheduleUseError};

impl From<ScheduleUseError> for ApiError {
    fn from(e: ScheduleUseError) -> Self {
        match e {
            ScheduleUseError::Denied(denied) => denied.into(),
            // A schedule for a segment that does not exist is bad input, not a missing resource.
            ScheduleUseError::NoSegment(_) => ApiError::invalid("segment", e.to_string()),
            ScheduleUseError::Invalid(e) => ApiError::invalid_named(&e),
            ScheduleUseError::NoSchedule(name) => ApiError::not_found(format!("schedule `{name}`")),
            ScheduleUseError::Store(e) => e.into(),
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new: NewSchedule =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("body", format!("not a schedule: {e}")))?;
    let view = schedules::add(state.store.as_ref(), &caller, new, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(json!(view))))
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let list = schedules::list(state.store.as_ref(), &caller, state.clock.now()).await?;
    Ok(Json(json!({ "schedules": list })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = schedules::show(state.store.as_ref(), &caller, &name, state.clock.now()).await?;
    Ok(Json(json!(view)))
}
