//! SMTP through lettre, with a pool of connections kept open between messages.
//!
//! URL forms (the password never appears in logs or errors):
//! - `smtp://host[:25]`: plain text, for a relay on the same host or tests;
//! - `smtp+starttls://host[:587]` or `smtp://host?tls=starttls`: STARTTLS required;
//! - `smtps://host[:465]`: TLS from the first byte (RFC 8314);
//! - `user:pass@` before the host: authentication (percent-encode reserved characters);
//! - query `pool=N` (connections kept open, default 4), `timeout=SECONDS` per command
//!   (default 30), `helo=NAME` (name sent in EHLO).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::address::{Address, Envelope as LettreEnvelope};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{SendError, SendReceipt, Transport, TransportConfigError};
use crate::config::mask_url;
use crate::dispatch::message::OutgoingMessage;

/// Settings that the URL may override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpOptions {
    pub pool_size: u32,
    pub timeout: Duration,
    pub hello_name: Option<String>,
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
        }
    }
}

pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    /// For Debug and logs: the URL with its password masked.
    shown: String,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport").field("url", &self.shown).finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    Plain,
    StartTls,
    Implicit,
}

impl SmtpTransport {
    /// Must be called inside a Tokio runtime: lettre's pool spawns its idle-connection reaper.
    pub fn from_url(raw: &str, defaults: SmtpOptions) -> Result<SmtpTransport, TransportConfigError> {
        let shown = mask_url(raw);
        let fail = |why: &str| TransportConfigError(format!("smtp_url `{shown}`: {why}"));
        let url = url::Url::parse(raw).map_err(|_| fail("is not a URL"))?;
        let mut security = match url.scheme() {
            "smtp" => Security::Plain,
            "smtp+starttls" => Security::StartTls,
            "smtps" => Security::Implicit,
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
                    security = match value.as_ref() {
                        "starttls" | "required" => Security::StartTls,
                        "implicit" | "wrapper" => Security::Implicit,
                        "none" => Security::Plain,
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
        let port = url.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Implicit => 465,
        });
        let tls = match security {
            Security::Plain => Tls::None,
            Security::StartTls | Security::Implicit => {
                let parameters = TlsParameters::new(host.clone()).map_err(|_| fail("cannot set up TLS"))?;
                if security == Security::StartTls {
                    Tls::Required(parameters)
                } else {
                    Tls::Wrapper(parameters)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(options.timeout))
            .pool_config(PoolConfig::new().max_size(options.pool_size));
        if let Some(name) = options.hello_name {
            builder = builder.hello_name(ClientId::Domain(name));
        }
        if !url.username().is_empty() {
            let decode = |s: &str| {
                percent_decode(s).ok_or_else(|| fail("user name or password is not valid percent-encoded UTF-8"))
            };
            let user = decode(url.username())?;
            let password = decode(url.password().unwrap_or(""))?;
            if security == Security::Plain {
                // Credentials in clear text over the network would be readable by anyone on path.
                return Err(fail("a user name needs tls=starttls, smtp+starttls:// or smtps://"));
            }
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(SmtpTransport {
            inner: builder.build(),
            shown,
        })
    }
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
        match self.inner.send_raw(&envelope, &message.bytes).await {
            Ok(response) => {
                let text = response.message().collect::<Vec<_>>().join(" ");
                Ok(SendReceipt {
                    response: format!("{} {text}", response.code()),
                })
            }
            Err(error) => Err(classify(&error)),
        }
    }
}

/// Maps lettre's error to what the dispatcher does next.
fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    // lettre keeps the server's reply text as the error's source.
    let text = std::error::Error::source(error)
        .map(|s| s.to_string())
        .unwrap_or_default();
    if let Some(code) = error.status() {
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
        return SendError::Permanent { response };
    }
    if error.is_timeout() {
        return SendError::Temporary {
            response: "timed out waiting for the SMTP server".into(),
        };
    }
    if error.is_client() {
        // lettre refuses before sending, e.g. a UTF-8 address to a server without SMTPUTF8:
        // the same message would be refused again.
        return SendError::Permanent {
            response: error.to_string(),
        };
    }
    // Connection refused or dropped, TLS failure, an unreadable reply: the server may be back later.
    SendError::Temporary {
        response: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // lettre's pool starts its idle reaper on the runtime, so building needs one.
    #[tokio::test]
    async fn url_forms_are_understood() {
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

    #[tokio::test]
    async fn bad_urls_are_named_without_their_password() {
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
