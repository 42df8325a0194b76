//! `/api/v1/tokens`: approvers see every API token (never the token itself) and revoke them.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::ids::TokenId;
use crate::service::tokens::{self as service, TokenError};

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Denied(denied) => denied.into(),
            TokenError::NoAccount(message) => ApiError::not_found(message),
            TokenError::Store(e) => e.into(),
        }
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let tokens = service::list(state.store.as_ref(), &caller).await?;
    Ok(Json(json!({ "tokens": tokens })))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<TokenId>,
) -> Result<Json<Value>, ApiError> {
    let revoked = service::revoke(state.store.as_ref(), &caller, id, state.clock.now()).await?;
    Ok(Json(json!(revoked)))
}
