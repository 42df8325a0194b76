//! Intake from an IMAP mailbox: every message handed to the caller exactly once.
//!
//! The checkpoint is the caller's, not the server's. We fetch by UID above a [`Cursor`] the
//! caller keeps (RFC 3501 §2.3.1.1: UIDs only grow within one UIDVALIDITY) and hand each raw
//! message over with the cursor that includes it. The caller stores the raw message and that
//! cursor in one transaction, and only then do we move on. So a stop at any point either loses
//! nothing (the message was not stored, it is fetched again) or repeats nothing (it was stored
//! with its cursor, the next fetch starts after it). The mailbox is never modified (`BODY.PEEK`),
//! so a read-only account works and a person can still read the mailbox.
//!
//! When the server changes UIDVALIDITY, old UIDs mean nothing and we start the mailbox again
//! from its first message; the caller should ignore a raw message it already holds (by
//! Message-ID and content hash), as that is the one case where one can come twice.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Session;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, pki_types::ServerName};
use tokio_util::sync::CancellationToken;
use url::Url;

/// Where to read from: `imap://user:pass@host:143/INBOX` or `imaps://…:993/…`.
/// The password is kept out of `Debug` so that it never reaches a log.
#[derive(Clone)]
pub struct MailboxUrl {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: String,
    mailbox: String,
}

impl std::fmt::Debug for MailboxUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls { "imaps" } else { "imap" };
        write!(
            f,
            "{scheme}://{}:***@{}:{}/{}",
            self.user, self.host, self.port, self.mailbox
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("IMAP URL: {0}")]
    Url(String),
    #[error("could not connect to {address}: {source}")]
    Connect { address: String, source: std::io::Error },
    #[error("IMAP login as {user} failed: {source}")]
    Login {
        user: String,
        source: async_imap::error::Error,
    },
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("the server did not report a UIDVALIDITY for {0}, so UIDs cannot be trusted")]
    NoUidValidity(String),
    #[error("storing an inbound message failed: {0}")]
    Store(#[source] anyhow::Error),
}

impl MailboxUrl {
    pub fn parse(raw: &str) -> Result<MailboxUrl, IntakeError> {
        let url = Url::parse(raw).map_err(|e| IntakeError::Url(e.to_string()))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => return Err(IntakeError::Url(format!("scheme `{other}` is not imap or imaps"))),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or(IntakeError::Url("no host".into()))?;
        let decode = |s: &str| percent_decode(s);
        let user = decode(url.username());
        if user.is_empty() {
            return Err(IntakeError::Url("no user name".into()));
        }
        let mailbox = decode(url.path().trim_start_matches('/'));
        Ok(MailboxUrl {
            tls,
            host: host.trim_start_matches('[').trim_end_matches(']').to_string(),
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            user,
            password: url.password().map(decode).unwrap_or_default(),
            mailbox: if mailbox.is_empty() {
                "INBOX".to_string()
            } else {
                mailbox
            },
        })
    }

    pub fn mailbox(&self) -> &str {
        &self.mailbox
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// How far the caller has stored: the mailbox's UIDVALIDITY and the highest UID stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub uid_validity: u32,
    pub last_uid: u32,
}

/// One message as the mailbox holds it, with the cursor that includes it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub raw: Vec<u8>,
    pub cursor: Cursor,
}

trait Stream: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send> Stream for T {}

/// A logged-in session with the mailbox selected.
pub struct Intake {
    session: Session<Box<dyn Stream>>,
    url: MailboxUrl,
    uid_validity: u32,
}

impl Intake {
    pub async fn connect(url: &MailboxUrl) -> Result<Intake, IntakeError> {
        let address = format!("{}:{}", url.host, url.port);
        let tcp = TcpStream::connect(&address)
            .await
            .map_err(|source| IntakeError::Connect {
                address: address.clone(),
                source,
            })?;
        let stream: Box<dyn Stream> = if url.tls {
            Box::new(
                tls_connector()
                    .connect(server_name(&url.host)?, tcp)
                    .await
                    .map_err(|source| IntakeError::Connect {
                        address: address.clone(),
                        source,
                    })?,
            )
        } else {
            Box::new(tcp)
        };
        let mut client = async_imap::Client::new(stream);
        // The server speaks first (RFC 3501 §7.1.1); that greeting must be read before LOGIN.
        client
            .read_response()
            .await
            .map_err(|source| IntakeError::Connect {
                address: address.clone(),
                source,
            })?
            .ok_or(IntakeError::Imap(async_imap::error::Error::ConnectionLost))?;
        let mut session = client
            .login(&url.user, &url.password)
            .await
            .map_err(|(source, _)| IntakeError::Login {
                user: url.user.clone(),
                source,
            })?;
        let selected = session.select(&url.mailbox).await?;
        let uid_validity = selected
            .uid_validity
            .ok_or_else(|| IntakeError::NoUidValidity(url.mailbox.clone()))?;
        Ok(Intake {
            session,
            url: url.clone(),
            uid_validity,
        })
    }

    /// Hands every message after `cursor` to `store`, oldest first, and returns the cursor after
    /// the last one stored. `store` must persist the raw message with its cursor before it
    /// returns `Ok`; on its error we stop, and the same message comes again next time.
    pub async fn fetch_new<F, Fut>(&mut self, cursor: Option<Cursor>, mut store: F) -> Result<Cursor, IntakeError>
    where
        F: FnMut(Fetched) -> Fut,
        Fut: Future<Output = anyhow::Result<()>>,
    {
        let mut position = match cursor {
            Some(cursor) if cursor.uid_validity == self.uid_validity => cursor,
            _ => Cursor {
                uid_validity: self.uid_validity,
                last_uid: 0,
            },
        };
        // `n:*` always matches the highest UID, even below n (RFC 3501 §6.4.8), so filter too.
        let mut uids: Vec<u32> = self
            .session
            .uid_search(format!("UID {}:*", position.last_uid.saturating_add(1)))
            .await?
            .into_iter()
            .filter(|uid| *uid > position.last_uid)
            .collect();
        uids.sort_unstable();
        for uid in uids {
            let raw = self.fetch_one(uid).await?;
            let Some(raw) = raw else { continue };
            let next = Cursor {
                uid_validity: self.uid_validity,
                last_uid: uid,
            };
            store(Fetched { raw, cursor: next }).await.map_err(IntakeError::Store)?;
            position = next;
        }
        Ok(position)
    }

    /// `None` when the message was expunged between SEARCH and FETCH.
    async fn fetch_one(&mut self, uid: u32) -> Result<Option<Vec<u8>>, IntakeError> {
        let fetches: Vec<_> = self
            .session
            .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        Ok(fetches
            .into_iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.body().map(<[u8]>::to_vec)))
    }

    /// Waits until the mailbox may have news, `poll` passes, or `shutdown` fires: with IDLE
    /// (RFC 2177) when the server offers it, else by sleeping. Servers drop an IDLE after 30
    /// minutes, so `poll` should stay well below that.
    pub async fn wait_for_news(self, poll: Duration, shutdown: &CancellationToken) -> Result<Intake, IntakeError> {
        let Intake {
            mut session,
            url,
            uid_validity,
        } = self;
        let idle_offered = session.capabilities().await?.has_str("IDLE");
        if !idle_offered {
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = shutdown.cancelled() => {}
            }
            return Ok(Intake {
                session,
                url,
                uid_validity,
            });
        }
        let mut idle = session.idle();
        idle.init().await?;
        let (wait, interrupt) = idle.wait_with_timeout(poll);
        tokio::select! {
            result = wait => { result?; }
            () = shutdown.cancelled() => { drop(interrupt); }
        }
        let session = idle.done().await?;
        Ok(Intake {
            session,
            url,
            uid_validity,
        })
    }

    pub async fn logout(mut self) -> Result<(), IntakeError> {
        Ok(self.session.logout().await?)
    }
}

/// Fetches, stores, waits, until `shutdown`; returns the last cursor. Reconnecting after a
/// network error is the caller's loop, with its own back-off.
pub async fn run_until_stopped<F, Fut>(
    url: &MailboxUrl,
    mut cursor: Option<Cursor>,
    poll: Duration,
    mut store: F,
    shutdown: CancellationToken,
) -> Result<Option<Cursor>, IntakeError>
where
    F: FnMut(Fetched) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut intake = Intake::connect(url).await?;
    loop {
        cursor = Some(intake.fetch_new(cursor, &mut store).await?);
        if shutdown.is_cancelled() {
            break;
        }
        intake = intake.wait_for_news(poll, &shutdown).await?;
        if shutdown.is_cancelled() {
            break;
        }
    }
    intake.logout().await?;
    Ok(cursor)
}

fn tls_connector() -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

fn server_name(host: &str) -> Result<ServerName<'static>, IntakeError> {
    ServerName::try_from(host.to_string()).map_err(|e| IntakeError::Url(format!("host `{host}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_every_part_and_hide_the_password() {
        let url = MailboxUrl::parse("imap://testuser:p%40ss@127.0.0.1:10143/Replies").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.user.as_str()),
            ("127.0.0.1", 10143, "testuser")
        );
        assert_eq!((url.password.as_str(), url.mailbox()), ("p@ss", "Replies"));
        assert_eq!(format!("{url:?}"), "imap://testuser:***@127.0.0.1:10143/Replies");
        let secure = MailboxUrl::parse("imaps://u:p@mail.example.fi").unwrap();
        assert_eq!((secure.tls, secure.port, secure.mailbox()), (true, 993, "INBOX"));
    }

    #[test]
    fn bad_urls_say_why() {
        for bad in ["http://u:p@h/INBOX", "imap://h/INBOX", "not a url"] {
            assert!(MailboxUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
