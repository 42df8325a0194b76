//! The SMTP transport over TLS: `smtps://` (TLS from the first byte) and STARTTLS, with
//! authentication, against an in-process server holding a certificate from a throwaway CA.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, OutgoingMessage, Part};
use briefcast::dispatch::transport::{SendError, SmtpOptions, SmtpTransport, Transport};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

// Made for these tests only (openssl, P-256, valid until 2126); the key protects nothing.
const TEST_CA: &str = "\
-----BEGIN CERTIFICATE-----
MIIBjzCCATWgAwIBAgIUNFKVG8BRIcheascyhCFtD+MKmBcwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRYnJpZWZjYXN0IHRlc3QgQ0EwIBcNMjYxMTIxMDY0NjEyWhgP
MjEyNjEwMjgwNjQ2MTJaMBwxGjAYBgNVBAMMEWJyaWVmY2FzdCB0ZXN0IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9SemVn0VQuX98mcB54xeLZhTvBkxBsy6
FQgx1XCwXXr9wqzh12ExQW30E0L1lFsyxa5aw/vgSpNg74XyVY0Zu6NTMFEwHQYD
VR0OBBYEFKlSVgWhJjS7SPvqt+KZ6diHIs8GMB8GA1UdIwQYMBaAFKlSVgWhJjS7
SPvqt+KZ6diHIs8GMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIh
AIt02tiMtiVB3k33D4+xqzSEaL26koP8O77+y7jaKRF5AiB7TlnSp0vVOhjO2uFQ
6QZan+QBDmwEV7kVM5DszbSC3g==
-----END CERTIFICATE-----
";
const SERVER_CERTIFICATE: &str = "\
-----BEGIN CERTIFICATE-----
MIIBwjCCAWegAwIBAgIUUcLShwzd9F67voh34ENxwrO9VU8wCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRYnJpZWZjYXN0IHRlc3QgQ0EwIBcNMjYxMTIxMDY0NjEyWhgP
MjEyNjEwMjgwNjQ2MTJaMBQxEjAQBgNVBAMMCTEyNy4wLjAuMTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABBbFCHV4OXenEK+Fqfbn3tz85felCRm+wQuqoMLQoyB+
MXnLiNXsTMK/DD1rkbjBIVvXCNxXssaGAUJbr8rZrLGjgYwwgYkwGgYDVR0RBBMw
EYcEfwAAAYIJbG9jYWxob3N0MAkGA1UdEwQCMAAwCwYDVR0PBAQDAgeAMBMGA1Ud
JQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQWBBTmzHTx097rV/fSBvZL1k8/m69avzAf
BgNVHSMEGDAWgBSpUlYFoSY0u0j76rfimenYhyLPBjAKBggqhkjOPQQDAgNJADBG
AiEAmUkikUZnjFPSGn1ZCh+neA9qAVfUTl/6zzOYHywf8tUCIQCZqgprjI3khbNQ
IeV9ZMH1NaY1TQy3l34ZGQfTsBCuRw==
-----END CERTIFICATE-----
";
const SERVER_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwbORrELNvWBjFxSn
dXP6yY5FiQHLneS26J+zRsNWyJ+hRANCAAQWxQh1eDl3pxCvhan2597c/OX3pQkZ
vsELqqDC0KMgfjF5y4jV7EzCvww9a5G4wSFb1wjcV7LGhgFCW6/K2ayx
-----END PRIVATE KEY-----
";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Implicit,
    StartTls,
    /// Offers STARTTLS, then after its 220 sends a forged reply in clear text before TLS.
    StartTlsInjecting,
    /// Does not offer STARTTLS at all.
    NoStartTls,
}

/// What the server saw after TLS: the login and the envelope of each message taken.
#[derive(Default, Debug)]
struct Seen {
    logins: Vec<String>,
    mail_from: Vec<String>,
    bodies: usize,
}

fn acceptor() -> TlsAcceptor {
    let chain = vec![CertificateDer::from_pem_slice(SERVER_CERTIFICATE.as_bytes()).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    TlsAcceptor::from(Arc::new(config))
}

async fn spawn_tls_peer(mode: Mode) -> (SocketAddr, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    let acceptor = acceptor();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let (seen, acceptor) = (shared.clone(), acceptor.clone());
            tokio::spawn(async move {
                if mode == Mode::Implicit {
                    let Ok(tls) = acceptor.accept(socket).await else { return };
                    converse(tls, b"220 tls.test ESMTP\r\n", &seen).await;
                } else if let Some(socket) = clear_text_start(socket, mode).await {
                    let Ok(tls) = acceptor.accept(socket).await else { return };
                    converse(tls, b"", &seen).await;
                }
            });
        }
    });
    (addr, seen)
}

/// Greeting, EHLO and STARTTLS in clear text; the socket once TLS may begin.
async fn clear_text_start(socket: TcpStream, mode: Mode) -> Option<TcpStream> {
    let mut socket = BufReader::new(socket);
    socket.write_all(b"220 tls.test ESMTP\r\n").await.ok()?;
    let mut line = String::new();
    loop {
        line.clear();
        if socket.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
            "EHLO" if mode == Mode::NoStartTls => socket.write_all(b"250-tls.test\r\n250 8BITMIME\r\n").await.ok()?,
            "EHLO" => socket
                .write_all(b"250-tls.test\r\n250-8BITMIME\r\n250 STARTTLS\r\n")
                .await
                .ok()?,
            "STAR" if mode == Mode::StartTlsInjecting => {
                socket
                    .write_all(b"220 2.0.0 Ready\r\n250 2.0.0 forged\r\n")
                    .await
                    .ok()?;
                return Some(socket.into_inner());
            }
            "STAR" => {
                socket.write_all(b"220 2.0.0 Ready\r\n").await.ok()?;
                return Some(socket.into_inner());
            }
            "QUIT" => {
                let _ = socket.write_all(b"221 2.0.0 Bye\r\n").await;
                return None;
            }
            _ => socket
                .write_all(b"530 5.7.0 Must issue a STARTTLS command first\r\n")
                .await
                .ok()?,
        }
    }
}

/// The part of the session under TLS: EHLO, AUTH PLAIN, transactions.
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(stream: S, greeting: &[u8], seen: &Mutex<Seen>) {
    let mut stream = BufReader::new(stream);
    if stream.write_all(greeting).await.is_err() {
        return;
    }
    let mut line = String::new();
    let mut logged_in = false;
    loop {
        line.clear();
        if !matches!(stream.read_line(&mut line).await, Ok(n) if n > 0) {
            return;
        }
        let command = line.trim_end().to_string();
        let verb = command.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-tls.test\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n",
            "AUTH" => {
                let encoded = command.rsplit(' ').next().unwrap_or("");
                let decoded = STANDARD.decode(encoded).unwrap_or_default();
                let parts: Vec<String> = decoded
                    .split(|b| *b == 0)
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect();
                seen.lock().unwrap().logins.push(parts.join("|"));
                logged_in = parts.get(1..) == Some(&["news@vnk".to_string(), "päss wörd".to_string()][..]);
                if logged_in {
                    b"235 2.7.0 Authentication successful\r\n"
                } else {
                    b"535 5.7.8 Authentication credentials invalid\r\n"
                }
            }
            "MAIL" if !logged_in => b"530 5.7.0 Authentication required\r\n",
            "MAIL" => {
                seen.lock().unwrap().mail_from.push(command.clone());
                b"250 2.1.0 Ok\r\n"
            }
            "RCPT" | "RSET" | "NOOP" => b"250 2.0.0 Ok\r\n",
            "DATA" => {
                if stream.write_all(b"354 go ahead\r\n").await.is_err() {
                    return;
                }
                loop {
                    line.clear();
                    if !matches!(stream.read_line(&mut line).await, Ok(n) if n > 0) {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                }
                seen.lock().unwrap().bodies += 1;
                b"250 2.0.0 Ok: queued\r\n"
            }
            "QUIT" => {
                let _ = stream.write_all(b"221 2.0.0 Bye\r\n").await;
                return;
            }
            _ => b"502 5.5.2 Not implemented\r\n",
        };
        if stream.write_all(reply).await.is_err() || stream.flush().await.is_err() {
            return;
        }
    }
}

fn options() -> SmtpOptions {
    SmtpOptions {
        extra_root_certificates: vec![CertificateDer::from_pem_slice(TEST_CA.as_bytes()).unwrap()],
        ..SmtpOptions::default()
    }
}

fn message(delivery_id: i64) -> OutgoingMessage {
    let letterhead = Letterhead::new(
        "Koronafaktat <news@vnk.example.fi>",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-test"),
        None,
    )
    .unwrap();
    let to = EmailAddress::parse(&format!("reader{delivery_id}@example.fi")).unwrap();
    let letter = Letter {
        edition_id: briefcast::ids::EditionId(5),
        delivery_id: briefcast::ids::DeliveryId(delivery_id),
        to: &to,
        to_name: None,
        language: Language::En,
        subject: "Today's facts",
        text: Part::Text("Hello!\n"),
        html: Part::Text("<p>Hello!</p>"),
        list_name: "Daily (en)",
        list_id: "daily.en.news.example.fi",
    };
    letterhead
        .compose(
            &letter,
            chrono::Utc::now(),
            &mut StdRng::seed_from_u64(delivery_id as u64),
        )
        .unwrap()
}

// The password has a space and non-ASCII letters, percent-encoded in the URL as documented.
const USER_INFO: &str = "news%40vnk:p%C3%A4ss%20w%C3%B6rd";

#[tokio::test]
async fn smtps_authenticates_and_delivers_over_tls() {
    let (addr, seen) = spawn_tls_peer(Mode::Implicit).await;
    let url = format!("smtps://{USER_INFO}@{addr}?pool=2&timeout=5");
    let smtp = SmtpTransport::from_url(&url, options()).unwrap();
    for i in 1..=3 {
        let receipt = smtp.send(&message(i)).await.unwrap();
        assert!(receipt.response.starts_with("250"), "{receipt:?}");
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.bodies, 3);
    assert_eq!(seen.logins, vec!["|news@vnk|päss wörd"], "one session, one login");
    assert!(seen.mail_from[0].starts_with("MAIL FROM:<bounces+"), "{seen:?}");
}

#[tokio::test]
async fn starttls_upgrades_then_authenticates_and_delivers() {
    let (addr, seen) = spawn_tls_peer(Mode::StartTls).await;
    let url = format!("smtp+starttls://{USER_INFO}@{addr}?timeout=5");
    let smtp = SmtpTransport::from_url(&url, options()).unwrap();
    smtp.send(&message(1)).await.unwrap();
    smtp.send(&message(2)).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.bodies, 2);
    assert_eq!(seen.logins.len(), 1);
}

#[tokio::test]
async fn a_server_certificate_from_an_unknown_authority_is_refused() {
    let (addr, seen) = spawn_tls_peer(Mode::Implicit).await;
    let url = format!("smtps://{USER_INFO}@{addr}?timeout=5");
    let err = SmtpTransport::from_url(&url, SmtpOptions::default())
        .unwrap()
        .send(&message(1))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
    assert!(!err.response().contains("päss"), "{err:?}");
    assert!(
        seen.lock().unwrap().logins.is_empty(),
        "no credentials to an unverified server"
    );
}

#[tokio::test]
async fn starttls_is_required_when_the_url_asks_for_it() {
    let (addr, seen) = spawn_tls_peer(Mode::NoStartTls).await;
    let url = format!("smtp+starttls://{USER_INFO}@{addr}?timeout=5");
    let err = SmtpTransport::from_url(&url, options())
        .unwrap()
        .send(&message(1))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
    assert!(err.response().contains("STARTTLS"), "{err:?}");
    assert!(seen.lock().unwrap().logins.is_empty());
}

#[tokio::test]
async fn clear_text_sent_after_the_starttls_reply_is_refused() {
    // CVE-2011-0411: a reply injected before TLS would be read as if the server sent it over TLS.
    let (addr, seen) = spawn_tls_peer(Mode::StartTlsInjecting).await;
    let url = format!("smtp+starttls://{USER_INFO}@{addr}?timeout=5");
    let err = SmtpTransport::from_url(&url, options())
        .unwrap()
        .send(&message(1))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
    assert!(err.response().contains("after its STARTTLS reply"), "{err:?}");
    assert_eq!(seen.lock().unwrap().bodies, 0);
}
