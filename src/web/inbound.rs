//! `POST /api/v1/inbound`: a raw RFC 5322 message from a mail provider's inbound webhook.
//!
//! It takes an **ops** token: the token sits in a mail provider's configuration, so it should be
//! one that cannot read the roster or the question log if it leaks. Coordinators get 403. The
//! answer names the reply and what it was, never the sender's address.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{ApiError, AppState, Caller};
use crate::service::inbound::{self as service, InboundError};

/// Mail with attachments is large; 25 MB is what common providers accept per message.
pub const MAX_MESSAGE_BYTES: usize = 25 * 1024 * 1024;

impl From<InboundError> for ApiError {
    fn from(e: InboundError) -> Self {
        match e {
            InboundError::Denied(denied) => denied.into(),
            InboundError::Empty => ApiError::bad_request("body", e.to_string()),
            InboundError::Intake(e) => ApiError::internal(&format!("{e:#}")),
        }
    }
}

pub async fn receive(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let received = service::receive(
        state.store.as_ref(),
        state.tokens.as_ref(),
        &caller,
        &body,
        state.clock.now(),
    )
    .await?;
    let reply = &received.reply;
    let status = if received.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "reply": reply.id,
            "new": received.new,
            "kind": reply.kind,
            "question": reply.question_id,
            "delivery": reply.delivery_id,
            // The ops token cannot read the roster: no address in what it gets back.
            "note": reply.note.as_deref().map(crate::audience::mask_addresses),
        })),
    ))
}
