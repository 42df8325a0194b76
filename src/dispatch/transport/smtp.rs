//! SMTP with our own pool of sessions, lettre speaking the protocol on each.
//!
//! URL forms (the password never appears in logs or errors):
//! - `smtp://host[:25]`: plain text, for a relay on the same host or tests;
//! - `smtp+starttls://host[:587]` or `smtp://host?tls=starttls`: STARTTLS required;
//! - `smtps://host[:465]`: TLS from the first byte (RFC 8314);
//! - `user:pass@` before the host: authentication (percent-encode reserved characters);
//! - query `pool=N` (sessions open at once, default 4), `timeout=SECONDS` per command
//!   (default 30), `helo=NAME` (name sent in EHLO).
//!
//! Each concurrent `send` gets a session of its own, so N sends in flight use N connections.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use lettre::address::{Address, Envelope as LettreEnvelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use super::smtp_pool::Pool;
use super::smtp_session::{Endpoint, Security, TransactionError};
use super::{SendError, SendReceipt, Transport, TransportConfigError};
use crate::dispatch::message::OutgoingMessage;
use crate::mask::mask_url;

/// Settings that the URL may override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpOptions {
    pub pool_size: u32,
    pub timeout: Duration,
    pub hello_name: Option<String>,
    /// Certificate authorities trusted for TLS besides the system's: an organisation's own CA
    /// on an internal relay, or a throwaway one in tests.
    pub extra_root_certificates: Vec<CertificateDer<'static>>,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        SmtpOptions {
            // Two cores saturate at about four sessions against a local smtp-sink; a remote relay
            // usually caps concurrent sessions per client near there too.
            pool_size: 4,
            // RFC 5321 §4.5.3.2 allows servers minutes per command; a relay that slow is better
            // retried later than waited on with a lease running out.
            timeout: Duration::from_secs(30),
            hello_name: None,
            extra_root_certificates: Vec::new(),
        }
    }
}

/// Sends each message over a pooled SMTP session. A `send` cancelled part-way (its future
/// dropped) closes its session, and if the message had already gone out its outcome is unknown:
/// shut down by letting the sends in flight finish, each bounded by the command timeout.
pub struct SmtpTransport {
    pool: Arc<Pool>,
    /// For Debug and logs: the URL with its password masked.
    shown: String,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport").field("url", &self.shown).finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protection {
    Plain,
    StartTls,
    Implicit,
}

impl SmtpTransport {
    /// Opens no connection yet. Inside a Tokio runtime it starts a task that closes sessions
    /// left idle; outside one, idle sessions are closed when next used.
    pub fn from_url(raw: &str, defaults: SmtpOptions) -> Result<SmtpTransport, TransportConfigError> {
        let shown = mask_url(raw);
        let fail = |why: &str| TransportConfigError(format!("smtp_url `{shown}`: {why}"));
        let url = url::Url::parse(raw).map_err(|_| fail("is not a URL"))?;
        let mut protection = match url.scheme() {
            "smtp" => Protection::Plain,
            "smtp+starttls" => Protection::StartTls,
            "smtps" => Protection::Implicit,
            _ => return Err(fail("scheme must be smtp, smtp+starttls or smtps")),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| fail("has no host"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        let mut options = defaults;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "tls" => {
                    protection = match value.as_ref() {
                        "starttls" | "required" => Protection::StartTls,
                        "implicit" | "wrapper" => Protection::Implicit,
                        "none" => Protection::Plain,
                        _ => return Err(fail("tls must be none, starttls or implicit")),
                    }
                }
                "pool" => {
                    options.pool_size = value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| fail("pool must be a positive number"))?
                }
                "timeout" => {
                    options.timeout = value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .map(Duration::from_secs)
                        .ok_or_else(|| fail("timeout must be a positive number of seconds"))?
                }
                "helo" => options.hello_name = Some(value.into_owned()),
                other => {
                    return Err(fail(&format!(
                        "unknown option `{other}` (known: tls, pool, timeout, helo)"
                    )));
                }
            }
        }
        let port = url.port().unwrap_or(match protection {
            Protection::Plain => 25,
            Protection::StartTls => 587,
            Protection::Implicit => 465,
        });
        let security = match protection {
            Protection::Plain => Security::Plain,
            Protection::StartTls | Protection::Implicit => {
                let name = ServerName::try_from(host.clone()).map_err(|_| fail("host is not a TLS server name"))?;
                let connector = tls_connector(&options.extra_root_certificates);
                if protection == Protection::StartTls {
                    Security::StartTls(connector, name)
                } else {
                    Security::Implicit(connector, name)
                }
            }
        };
        let credentials = if url.username().is_empty() {
            None
        } else {
            let decode = |s: &str| {
                percent_decode(s).ok_or_else(|| fail("user name or password is not valid percent-encoded UTF-8"))
            };
            let user = decode(url.username())?;
            let password = decode(url.password().unwrap_or(""))?;
            if protection == Protection::Plain {
                // Credentials in clear text over the network would be readable by anyone on path.
                return Err(fail("a user name needs tls=starttls, smtp+starttls:// or smtps://"));
            }
            Some(Credentials::new(user, password))
        };
        let endpoint = Endpoint {
            host,
            port,
            security,
            credentials,
            hello: options.hello_name.map(ClientId::Domain).unwrap_or_default(),
            timeout: options.timeout,
        };
        Ok(SmtpTransport {
            pool: Pool::new(endpoint, options.pool_size),
            shown,
        })
    }
}

/// Server certificates are checked against the system's roots (and any extra ones), as a mail
/// client would: with credentials on the line, an unauthenticated server is not good enough.
fn tls_connector(extra_roots: &[CertificateDer<'static>]) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    roots.add_parsable_certificates(extra_roots.iter().cloned());
    let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[async_trait]
impl Transport for SmtpTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, message: &OutgoingMessage) -> Result<SendReceipt, SendError> {
        let parse = |a: &str| {
            a.parse::<Address>().map_err(|_| SendError::Permanent {
                response: format!("`{a}` is not an address SMTP can carry"),
            })
        };
        let envelope = LettreEnvelope::new(
            Some(parse(&message.envelope.mail_from)?),
            vec![parse(&message.envelope.rcpt_to)?],
        )
        .map_err(|e| SendError::Permanent {
            response: e.to_string(),
        })?;
        // A reused session may have been closed by the server since its last use; if it fails
        // before the end of data nothing was delivered, so one more try on a new session is safe
        // and saves the delivery a retry hours later.
        let mut fresh_only = false;
        loop {
            let mut lease = self
                .pool
                .lease()
                .await
                .map_err(|response| SendError::Temporary { response })?;
            let outcome = lease.session.deliver(&envelope, &message.bytes).await;
            match outcome {
                Ok(response) => {
                    self.pool.keep(lease);
                    let text = response.message().collect::<Vec<_>>().join(" ");
                    return Ok(SendReceipt {
                        response: format!("{} {text}", response.code()),
                    });
                }
                // 421: the server is closing the session (RFC 5321 §3.8), e.g. after its limit
                // of messages per connection; like a dead session, nothing was taken.
                Err(TransactionError::Refused(error)) if is_closing(&error) && lease.reused && !fresh_only => {
                    fresh_only = true;
                }
                Err(TransactionError::LostBeforeEnd(_)) if lease.reused && !fresh_only => fresh_only = true,
                Err(TransactionError::Refused(error)) => {
                    if !is_closing(&error) && lease.session.reset().await {
                        self.pool.keep(lease);
                    }
                    return Err(classify(&error));
                }
                Err(TransactionError::Unsendable(response)) => {
                    self.pool.keep(lease);
                    return Err(SendError::Permanent { response });
                }
                Err(TransactionError::LostBeforeEnd(response)) => return Err(SendError::Temporary { response }),
                Err(TransactionError::LostAfterEnd(response)) => {
                    return Err(SendError::Uncertain {
                        response: format!("connection lost after the message was sent, before the reply: {response}"),
                    });
                }
            }
        }
    }
}

fn is_closing(error: &lettre::transport::smtp::Error) -> bool {
    error.status().is_some_and(|code| code.to_string() == "421")
}

/// Maps the server's negative reply to what the dispatcher does next.
fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    // lettre keeps the server's reply text as the error's source.
    let text = std::error::Error::source(error)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let Some(code) = error.status() else {
        // Only replies reach here; anything else is no answer at all, which a retry may fix.
        return SendError::Temporary {
            response: error.to_string(),
        };
    };
    let response = format!("{code} {text}").trim_end().to_string();
    if error.is_transient() {
        return SendError::Temporary { response };
    }
    // RFC 3463 §3.2: X.1.X is the addressing subject; 5.1.1 bad mailbox, 5.1.2 bad domain,
    // 5.1.3 bad syntax, 5.1.6 moved, 5.1.10 null MX. Without an enhanced code a 550 may as
    // well be a policy refusal, so only the enhanced code marks the address as unknown.
    if text.starts_with("5.1.") {
        return SendError::RecipientUnknown { response };
    }
    SendError::Permanent { response }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_forms_are_understood() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.fi?tls=starttls&pool=8&timeout=10&helo=briefcast.example.fi",
            "smtp+starttls://news:pa55@smtp.example.fi",
            "smtps://news%40vnk:p%C3%A4ss@smtp.example.fi:465",
            "smtp://[::1]:2525",
        ] {
            assert!(SmtpTransport::from_url(url, SmtpOptions::default()).is_ok(), "{url}");
        }
    }

    #[test]
    fn bad_urls_are_named_without_their_password() {
        for (url, why) in [
            ("smtp://news:hunter2@smtp.example.fi", "a user name needs tls=starttls"),
            (
                "smtps://news:hunter2@smtp.example.fi?pool=0",
                "pool must be a positive number",
            ),
            ("smtps://news:hunter2@smtp.example.fi?tls=maybe", "tls must be none"),
            ("smtps://news:hunter2@smtp.example.fi?speed=9", "unknown option `speed`"),
            ("imap://news:hunter2@smtp.example.fi", "scheme must be"),
        ] {
            let err = SmtpTransport::from_url(url, SmtpOptions::default())
                .unwrap_err()
                .to_string();
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let transport =
            SmtpTransport::from_url("smtps://news:hunter2@smtp.example.fi", SmtpOptions::default()).unwrap();
        assert!(!format!("{transport:?}").contains("hunter2"));
    }
}
