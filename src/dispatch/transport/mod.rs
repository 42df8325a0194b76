//! Transports: how an outgoing message leaves briefcast. SMTP for real use, an HTTP mail API as
//! the alternative, and an outbox folder of `.eml` files when nothing is configured.

pub mod http;
pub mod outbox;
pub mod retry;
pub mod smtp;
mod smtp_pool;
mod smtp_session;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

use crate::dispatch::message::OutgoingMessage;

pub use http::{HttpApiSettings, HttpApiTransport};
pub use outbox::OutboxTransport;
pub use retry::RetryPolicy;
pub use smtp::{SmtpOptions, SmtpTransport};

/// What the receiving side said when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// The server's reply (`250 2.0.0 Ok: queued as 4Xk…`), the file written, or the API's
    /// answer; kept on the delivery for ops.
    pub response: String,
}

/// Why a message was not taken. Each kind tells the dispatcher what to do with the delivery;
/// `response` is the other side's text, never one of our secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later: a 4xx reply, a refused or dropped connection, a timeout, a full disk.
    /// A retry cannot deliver twice: nothing was taken, or (the HTTP API) the other side drops
    /// a repeat by its idempotency key.
    #[error("temporary failure: {response}")]
    Temporary { response: String },
    /// The message was handed over whole but the answer never came: for SMTP, the connection
    /// was lost after the final `.` and before the server's reply. The server may well have
    /// accepted it (RFC 1047), so sending again may deliver it twice; record the delivery as
    /// uncertain and leave any resend to a person, never to the retry loop.
    #[error("outcome unknown: {response}")]
    Uncertain { response: String },
    /// Do not retry this message: a 5xx reply other than an unknown recipient, or a request
    /// the API refused.
    #[error("permanent failure: {response}")]
    Permanent { response: String },
    /// The address does not exist (RFC 3463 enhanced status 5.1.x, e.g. `550 5.1.1`): suppress it.
    #[error("recipient unknown: {response}")]
    RecipientUnknown { response: String },
}

impl SendError {
    pub fn response(&self) -> &str {
        match self {
            SendError::Temporary { response }
            | SendError::Uncertain { response }
            | SendError::Permanent { response }
            | SendError::RecipientUnknown { response } => response,
        }
    }

    pub fn is_temporary(&self) -> bool {
        matches!(self, SendError::Temporary { .. })
    }
}

/// Something that takes outgoing messages. One call, one message, one recipient.
#[async_trait]
pub trait Transport: Send + Sync {
    /// What the delivery row records as its transport: `smtp`, `http` or `outbox`.
    fn name(&self) -> &'static str;

    async fn send(&self, message: &OutgoingMessage) -> Result<SendReceipt, SendError>;
}

/// A transport setting that cannot work; the text names the setting and never shows a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportConfigError(pub String);

/// The configured transport: the HTTP mail API when its settings are given, else SMTP when a URL
/// is given, else the outbox folder (the zero-configuration default). Call it inside a Tokio
/// runtime: the SMTP pool starts a background task.
pub fn transport_from_url(
    smtp_url: Option<&str>,
    outbox_dir: &Path,
    http_api: Option<HttpApiSettings>,
) -> Result<Arc<dyn Transport>, TransportConfigError> {
    match (smtp_url, http_api) {
        (Some(_), Some(_)) => Err(TransportConfigError(
            "both an SMTP URL and an HTTP mail API are configured; set only one".into(),
        )),
        (None, Some(api)) => Ok(Arc::new(HttpApiTransport::new(api)?)),
        (Some(url), None) => Ok(Arc::new(SmtpTransport::from_url(url, SmtpOptions::default())?)),
        (None, None) => Ok(Arc::new(OutboxTransport::new(outbox_dir))),
    }
}
