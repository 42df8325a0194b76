//! `/api/v1/deliveries`: the delivery log, and resending on ops' request.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::edition::ResendTarget;
use crate::edition::{DeliveryId, DeliveryStatus, EditionId};
use crate::service::deliveries::{self as service, DeliveryError};
use crate::store::DeliveryQuery;

impl From<DeliveryError> for ApiError {
    fn from(e: DeliveryError) -> Self {
        match e {
            DeliveryError::Denied(denied) => denied.into(),
            DeliveryError::NothingToResend => ApiError::invalid("body", e.to_string()),
            DeliveryError::Store(e) => e.into(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LogParams {
    edition: Option<String>,
    status: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<LogParams>,
) -> Result<Json<Value>, ApiError> {
    let edition = p
        .edition
        .filter(|e| !e.is_empty())
        .map(|e| e.parse::<EditionId>())
        .transpose()
        .map_err(|e| ApiError::bad_request("edition", e))?;
    let status = p
        .status
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<DeliveryStatus>())
        .transpose()
        .map_err(|e| ApiError::bad_request("status", e.to_string()))?;
    let query = DeliveryQuery {
        edition,
        status,
        limit: p.limit.unwrap_or(100).clamp(1, 1000),
        offset: p.offset.unwrap_or(0),
        ..Default::default()
    };
    let deliveries = service::log(state.store.as_ref(), &caller, &query).await?;
    Ok(Json(json!({ "deliveries": deliveries })))
}

/// `{"edition": ID, "status": "uncertain"}` or `{"deliveries": [ID, …]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResendRequest {
    edition: Option<EditionId>,
    status: Option<DeliveryStatus>,
    deliveries: Option<Vec<DeliveryId>>,
}

pub async fn resend(State(state): State<AppState>, caller: Caller, body: Bytes) -> Result<Json<Value>, ApiError> {
    let request: ResendRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("body", format!("not a resend request: {e}")))?;
    let target = match request {
        ResendRequest {
            edition: Some(edition),
            status: Some(status),
            deliveries: None,
        } => ResendTarget::Edition { edition, status },
        ResendRequest {
            edition: None,
            status: None,
            deliveries: Some(ids),
        } => ResendTarget::Deliveries(ids),
        _ => {
            return Err(ApiError::invalid(
                "body",
                "give either `edition` with `status` (uncertain or failed), or a non-empty `deliveries` list",
            ));
        }
    };
    let requeued = service::resend(state.store.as_ref(), &caller, &target, state.clock.now()).await?;
    Ok(Json(json!({ "requeued": requeued })))
}
