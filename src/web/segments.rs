//! `/api/v1/segments`: saved filters over the roster.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::audience::{Segment, SegmentFilter};

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
    caller.must_coordinate()?;
    let new: NewSegment =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("body", format!("not a segment: {e}")))?;
    let segment = Segment::new(&new.name, new.filter).map_err(|e| {
        let message = e.to_string();
        let field = message.split(':').next().unwrap_or("body").to_string();
        ApiError::invalid(&field, message)
    })?;
    state
        .store
        .add_segment(&segment, &caller.actor, state.clock.now())
        .await?;
    let summary = state
        .store
        .segment(&segment.name)
        .await?
        .ok_or_else(|| ApiError::not_found("segment"))?;
    Ok((StatusCode::CREATED, Json(json!(summary))))
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.must_coordinate()?;
    Ok(Json(json!({ "segments": state.store.segments().await? })))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.must_coordinate()?;
    let summary = state
        .store
        .segment(&name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("segment `{name}`")))?;
    Ok(Json(json!(summary)))
}
