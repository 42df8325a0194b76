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
use crate::access::Role;
use crate::inbound::intake;

/// Mail with attachments is large; 25 MB is what common providers accept per message.
pub const MAX_MESSAGE_BYTES: usize = 25 * 1024 * 1024;

pub async fn receive(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if caller.role != Role::Ops {
        return Err(ApiError::forbidden(format!(
            "posting inbound mail needs an ops token; this token has the {} role",
            caller.role
        )));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "body",
            "the body must be the raw RFC 5322 message, and it is empty",
        ));
    }
    let received = intake::receive(
        state.store.as_ref(),
        state.tokens.as_ref(),
        "webhook",
        Some(intake::content_ref(&body)),
        &body,
        state.clock.now(),
    )
    .await
    .map_err(|e| ApiError::internal(&format!("{e:#}")))?;
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
