//! `/api/v1/segments`: saved filters over the roster.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::audience::SegmentFilter;
use crate::service::audience as service;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSegment {
    name: String,
    #[serde(flatten)]
    filter: SegmentFilter,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new: NewSegment =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("body", format!("not a segment: {e}")))?;
    let summary = service::add_segment(state.store.as_ref(), &caller, &new.name, new.filter, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(json!(summary))))
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let segments = service::segments(state.store.as_ref(), &caller).await?;
    Ok(Json(json!({ "segments": segments })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        service::segment(state.store.as_ref(), &caller, &name).await?
    )))
}
