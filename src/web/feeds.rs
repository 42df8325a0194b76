//! `/api/v1/feeds`: government feeds whose alerts and press releases become draft briefs.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::feed::{Fetcher, NewFeed};
use crate::service::feeds::{self, FeedError};

impl From<FeedError> for ApiError {
    fn from(e: FeedError) -> Self {
        match e {
            FeedError::Denied(denied) => denied.into(),
            FeedError::Invalid(invalid) => ApiError::invalid(invalid.field, invalid.message),
            FeedError::NoFeed(name) => ApiError::not_found(format!("feed `{name}`")),
            FeedError::Store(e) => e.into(),
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new: NewFeed = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("body", format!("not a feed (name, url, kind cap|rss): {e}")))?;
    let feed = feeds::add(state.store.as_ref(), &caller, new, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(json!(feed))))
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let list = feeds::list(state.store.as_ref(), &caller).await?;
    Ok(Json(json!({ "feeds": list })))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    feeds::remove(state.store.as_ref(), &caller, &name, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Polls the feed now and answers with what the poll did; a feed that could not be read is
/// still a 200, with its `error`, as the feed's status line shows it.
pub async fn poll(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let fetcher = Fetcher::from_config(&state.config).map_err(|e| ApiError::internal(&*e))?;
    let report = feeds::poll(
        state.store.as_ref(),
        &state.content,
        &fetcher,
        &caller,
        &name,
        state.clock.now(),
    )
    .await?;
    Ok(Json(json!(report)))
}
