//! An HTTP mail API: one JSON POST per message, authenticated with a bearer token.
//!
//! The request body is
//! `{"message_id": "…", "from": "bounces+…@reply.domain", "to": ["reader@example.fi"],
//!   "raw": "<the RFC 5322 message, base64>"}`
//! with `from` and `to` the SMTP envelope, and an `Idempotency-Key` header set to the
//! Message-ID, so that an API which honours it drops the duplicate when a timed-out request is
//! retried. A 2xx answer means accepted; 408, 429 and 5xx mean try later; any other 4xx means
//! the API will not take this message.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use super::{SendError, SendReceipt, Transport, TransportConfigError};
use crate::dispatch::message::OutgoingMessage;
use crate::mask::mask_url;

/// Where the API is and how to authenticate. `Debug` does not show the token.
#[derive(Clone)]
pub struct HttpApiSettings {
    pub url: String,
    pub token: String,
    pub timeout: Duration,
}

impl HttpApiSettings {
    /// The HTTP mail API, when configured; its token is required with its URL.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Option<Self>> {
        let Some(url) = &config.mail_api_url else {
            return Ok(None);
        };
        let token = config.mail_api_token().map(str::to_string).ok_or_else(|| {
            anyhow::anyhow!("mail_api_url is set but mail_api_token is not: the API needs its bearer token")
        })?;
        Ok(Some(HttpApiSettings {
            url: url.clone(),
            token,
            timeout: Duration::from_secs(30),
        }))
    }
}

impl fmt::Debug for HttpApiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpApiSettings")
            .field("url", &mask_url(&self.url))
            .field("token", &"********")
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub struct HttpApiTransport {
    client: reqwest::Client,
    url: reqwest::Url,
    token: String,
}

impl fmt::Debug for HttpApiTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpApiTransport")
            .field("url", &mask_url(self.url.as_str()))
            .finish()
    }
}

#[derive(Serialize)]
struct Request<'a> {
    message_id: &'a str,
    from: &'a str,
    to: [&'a str; 1],
    raw: String,
}

/// Longest answer text kept on a delivery; an HTML error page is no use to ops past this.
const MAX_RESPONSE: usize = 500;

impl HttpApiTransport {
    pub fn new(settings: HttpApiSettings) -> Result<HttpApiTransport, TransportConfigError> {
        let shown = mask_url(&settings.url);
        let url = reqwest::Url::parse(&settings.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| TransportConfigError(format!("mail API url `{shown}` must be an http(s) URL")))?;
        if settings.token.is_empty() {
            return Err(TransportConfigError("mail API token is empty".into()));
        }
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| TransportConfigError(format!("mail API client: {}", e.without_url())))?;
        Ok(HttpApiTransport {
            client,
            url,
            token: settings.token,
        })
    }
}

#[async_trait]
impl Transport for HttpApiTransport {
    fn name(&self) -> &'static str {
        "http"
    }

    async fn send(&self, message: &OutgoingMessage) -> Result<SendReceipt, SendError> {
        let body = Request {
            message_id: &message.message_id,
            from: &message.envelope.mail_from,
            to: [&message.envelope.rcpt_to],
            raw: STANDARD.encode(&message.bytes),
        };
        let answer = self
            .client
            .post(self.url.clone())
            .bearer_auth(&self.token)
            .header("Idempotency-Key", &message.message_id)
            .json(&body)
            .send()
            .await
            // without_url: the URL may carry a key in its query; the token is in a header and
            // reqwest never prints headers.
            .map_err(|e| SendError::Temporary {
                response: format!("mail API: {}", e.without_url()),
            })?;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        let mut excerpt: String = text.trim().chars().take(MAX_RESPONSE).collect();
        if excerpt.is_empty() {
            excerpt = status.canonical_reason().unwrap_or("").to_string();
        }
        let response = format!("{} {excerpt}", status.as_u16()).trim_end().to_string();
        if status.is_success() {
            Ok(SendReceipt { response })
        } else if status.is_server_error()
            || status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || status == reqwest::StatusCode::REQUEST_TIMEOUT
        {
            Err(SendError::Temporary { response })
        } else {
            Err(SendError::Permanent { response })
        }
    }
}
