//! Inbound mail posted by a mail provider's webhook.

use chrono::{DateTime, Utc};

use crate::access::{Caller, Denied};
use crate::intake::{self, ReplyTokens};
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("the body must be the raw RFC 5322 message, and it is empty")]
    Empty,
    #[error(transparent)]
    Intake(#[from] anyhow::Error),
}

/// Stores one raw message and processes it; the same bytes posted again (a provider retrying)
/// are one reply.
pub async fn receive(
    store: &dyn Store,
    tokens: &dyn ReplyTokens,
    caller: &Caller,
    raw: &[u8],
    now: DateTime<Utc>,
) -> Result<intake::Received, InboundError> {
    caller.must_post_inbound()?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(InboundError::Empty);
    }
    Ok(intake::receive(store, tokens, "webhook", Some(intake::content_ref(raw)), raw, now).await?)
}
