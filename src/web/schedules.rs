//! `/api/v1/schedules`: when editions go out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::schedule::{NewSchedule, Schedule};

/// How many coming runs each schedule shows.
const SHOWN_RUNS: usize = 3;

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.must_coordinate()?;
    let new: NewSchedule =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("body", format!("not a schedule: {e}")))?;
    let schedule = Schedule::new(new).map_err(|e| {
        let message = e.to_string();
        let field = message.split(':').next().unwrap_or("body").to_string();
        ApiError::invalid(&field, message)
    })?;
    // A schedule for a segment that does not exist is bad input, not a missing resource.
    if state.store.segment(schedule.segment()).await?.is_none() {
        return Err(ApiError::invalid(
            "segment",
            format!("segment: no segment named `{}`", schedule.segment()),
        ));
    }
    let now = state.clock.now();
    let stored = state.store.add_schedule(&schedule, &caller.actor, now).await?;
    Ok((StatusCode::CREATED, Json(stored.describe(now, SHOWN_RUNS))))
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.must_coordinate()?;
    let now = state.clock.now();
    let schedules: Vec<Value> = state
        .store
        .schedules()
        .await?
        .iter()
        .map(|s| s.describe(now, SHOWN_RUNS))
        .collect();
    Ok(Json(json!({ "schedules": schedules })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.must_coordinate()?;
    let stored = state
        .store
        .schedule(&name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("schedule `{name}`")))?;
    Ok(Json(stored.describe(state.clock.now(), SHOWN_RUNS)))
}
