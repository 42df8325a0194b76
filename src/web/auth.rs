//! Bearer tokens on `/api/v1/`: 401 without a valid token, 403 for the wrong role.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::{ApiError, AppState};
use crate::access::Caller;
use crate::service::tokens;

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
        tokens::authenticate(state.store.as_ref(), token, state.clock.now())
            .await?
            .ok_or_else(|| ApiError::unauthorized("the token is not valid or has been revoked"))
    }
}
