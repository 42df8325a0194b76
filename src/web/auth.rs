//! Bearer tokens on `/api/v1/`: 401 without a valid token, 403 for the wrong role.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::{ApiError, AppState};
use crate::access::{Actor, Caller, token_hash};

/// The caller behind a valid token.
impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing `Authorization: Bearer TOKEN` header"))?;
        let token = header
            .to_str()
            .ok()
            // RFC 9110 §11.1: the scheme name is case-insensitive.
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer TOKEN`"))?;
        let record = state
            .store
            .find_token(&token_hash(token))
            .await?
            .ok_or_else(|| ApiError::unauthorized("the token is not valid or has been revoked"))?;
        // Written at most once a minute per token: every request writing would contend with the
        // dispatcher for SQLite's one writer.
        let now = state.clock.now();
        if record
            .last_used_at
            .is_none_or(|at| now - at >= chrono::TimeDelta::minutes(1))
            && let Err(error) = state.store.touch_token(record.id, now).await
        {
            tracing::warn!(%error, token = record.id, "recording the token's use failed");
        }
        Ok(Caller {
            actor: Actor::token(&record.label, record.id),
            role: record.role,
        })
    }
}
