//! `/api/v1/tokens`: approvers see every API token (never the token itself) and revoke them.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.must_approve()?;
    Ok(Json(json!({ "tokens": state.store.tokens().await? })))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    caller.must_approve()?;
    let revoked = state.store.revoke_token(id, &caller.actor, state.clock.now()).await?;
    Ok(Json(json!(revoked)))
}
