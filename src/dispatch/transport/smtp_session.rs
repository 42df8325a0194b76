//! One SMTP session: a TCP connection we open ourselves (with `TCP_NODELAY`, and TLS where
//! configured), handed to lettre for the protocol, reused for many transactions.
//!
//! We open the socket ourselves for two reasons. lettre writes the message body and the final
//! `CRLF.CRLF` in two writes; without `TCP_NODELAY`, Nagle's algorithm holds the small second
//! write until the peer's delayed ACK (up to 40 ms on Linux), which kept lettre's own pool near
//! 350 messages per second into a local smtp-sink whatever its size. And by owning the
//! outermost stream we can see whether the end of data left us, which decides whether a lost
//! connection is a safe retry or an unknown outcome (RFC 1047).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::commands::{Data, Mail, Noop, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

/// How the session is protected.
#[derive(Clone)]
pub(super) enum Security {
    Plain,
    /// STARTTLS is required (RFC 3207): a server that does not offer it is an error, never a
    /// silent fall-back to clear text.
    StartTls(TlsConnector, ServerName<'static>),
    /// TLS from the first byte (RFC 8314).
    Implicit(TlsConnector, ServerName<'static>),
}

/// Where and how to open sessions. No `Debug`: it holds the credentials.
#[derive(Clone)]
pub(super) struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<Credentials>,
    pub hello: ClientId,
    /// For opening a session as a whole, and for each command after that.
    pub timeout: Duration,
}

/// Why a transaction did not end with a positive reply.
#[derive(Debug)]
pub(super) enum TransactionError {
    /// The server answered with a negative reply; the session is still in step with it.
    Refused(lettre::transport::smtp::Error),
    /// We refused before sending, e.g. a UTF-8 address to a server without SMTPUTF8.
    Unsendable(String),
    /// The link failed (dropped, reset, timed out, unreadable reply) before the end of data
    /// left us. The server cannot have accepted the message: RFC 5321 §4.1.1.4 has it take
    /// responsibility only on the final `.`.
    LostBeforeEnd(String),
    /// The link failed after the end of data was written and before the server's reply. The
    /// message may have been accepted (RFC 1047); sending it again may deliver it twice.
    LostAfterEnd(String),
}

pub(super) struct Session {
    connection: AsyncSmtpConnection,
    marks: Arc<Marks>,
    /// The server offers PIPELINING (RFC 2920), which lettre does not record.
    pipelining: bool,
    /// The session is out of step with the server and must not carry another transaction.
    broken: bool,
    timeout: Duration,
    /// When the session last went back to the pool (or was opened).
    idle_since: Instant,
}

/// What the stream tells the session about the bytes that passed through it.
#[derive(Default)]
struct Marks {
    /// The end of data has been flushed to the socket.
    end_sent: AtomicBool,
    /// While set, a copy of everything read: the greeting and the EHLO reply.
    heard: Mutex<Option<Vec<u8>>>,
}

impl Session {
    /// Connects, greets (EHLO), secures and authenticates, all within the endpoint's timeout.
    pub async fn open(endpoint: &Endpoint) -> Result<Session, String> {
        tokio::time::timeout(endpoint.timeout, Self::open_unbounded(endpoint))
            .await
            .unwrap_or_else(|_| Err(format!("no SMTP session within {:?}", endpoint.timeout)))
    }

    async fn open_unbounded(endpoint: &Endpoint) -> Result<Session, String> {
        let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
            .await
            .map_err(|e| format!("connecting to {}:{}: {e}", endpoint.host, endpoint.port))?;
        tcp.set_nodelay(true).map_err(|e| format!("setting TCP_NODELAY: {e}"))?;
        let peer = tcp.peer_addr().map_err(|e| format!("connected socket: {e}"))?;
        let marks = Arc::new(Marks {
            heard: Mutex::new(Some(Vec::new())),
            ..Marks::default()
        });
        let stream: Box<dyn AsyncTokioStream> = match &endpoint.security {
            Security::Plain => Box::new(Wire::new(tcp, peer, Vec::new(), marks.clone())),
            Security::Implicit(connector, name) => {
                let tls = connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(|e| format!("TLS with {}: {e}", endpoint.host))?;
                Box::new(Wire::new(tls, peer, Vec::new(), marks.clone()))
            }
            Security::StartTls(connector, name) => {
                let (tcp, greeting) = starttls_prelude(tcp, &endpoint.hello).await?;
                let tls = connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(|e| format!("TLS with {}: {e}", endpoint.host))?;
                // lettre starts every connection by reading a greeting; this one was read before
                // TLS, so the stream replays it. lettre then sends EHLO again, which RFC 3207 §4.2
                // requires after the handshake since everything learnt before it is discarded.
                Box::new(Wire::new(tls, peer, greeting, marks.clone()))
            }
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &endpoint.hello)
            .await
            .map_err(|e| format!("greeting {}: {e}", endpoint.host))?;
        let heard = marks.heard.lock().expect("marks lock").take().unwrap_or_default();
        let pipelining = offers(&heard, "PIPELINING");
        if let Some(credentials) = &endpoint.credentials {
            // lettre's error holds the server's reply, never the credentials.
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| format!("authentication at {}: {e}", endpoint.host))?;
        }
        Ok(Session {
            connection,
            marks,
            pipelining,
            broken: false,
            timeout: endpoint.timeout,
            idle_since: Instant::now(),
        })
    }

    pub fn idle_for(&self) -> Duration {
        self.idle_since.elapsed()
    }

    /// Starts the idle clock: the session goes back to the pool now.
    pub fn rest(&mut self) {
        self.idle_since = Instant::now();
    }

    /// One mail transaction (RFC 5321 §3.3): MAIL, RCPT, DATA, the message, the final reply.
    pub async fn deliver(&mut self, envelope: &Envelope, message: &[u8]) -> Result<Response, TransactionError> {
        let info = self.connection.server_info();
        let mut parameters = Vec::new();
        let non_ascii = |a: &lettre::Address| !AsRef::<str>::as_ref(a).is_ascii();
        if envelope.from().is_some_and(non_ascii) || envelope.to().iter().any(non_ascii) {
            if !info.supports_feature(Extension::SmtpUtfEight) {
                return Err(TransactionError::Unsendable(
                    "the address needs SMTPUTF8 (RFC 6531), which the server does not offer".into(),
                ));
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !message.is_ascii() {
            if !info.supports_feature(Extension::EightBitMime) {
                return Err(TransactionError::Unsendable(
                    "the message has 8-bit text and the server does not offer 8BITMIME (RFC 6152)".into(),
                ));
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let mail = Mail::new(envelope.from().cloned(), parameters);
        let recipients = envelope.to().iter().map(|to| Rcpt::new(to.clone(), Vec::new()));
        if self.pipelining {
            self.pipelined_envelope(mail, recipients).await?;
        } else {
            self.command(mail).await?;
            for rcpt in recipients {
                self.command(rcpt).await?;
            }
            self.command(Data).await?;
        }

        self.marks.end_sent.store(false, Ordering::SeqCst);
        let outcome = tokio::time::timeout(self.timeout, self.connection.message(message)).await;
        let lost = |why: String| {
            if self.marks.end_sent.load(Ordering::SeqCst) {
                TransactionError::LostAfterEnd(why)
            } else {
                TransactionError::LostBeforeEnd(why)
            }
        };
        match outcome {
            Ok(Ok(response)) => Ok(response),
            // A reply to the final dot, even a negative one, is a definite answer.
            Ok(Err(error)) if error.status().is_some() => Err(TransactionError::Refused(error)),
            Ok(Err(error)) => Err(lost(error.to_string())),
            Err(_) => Err(lost(format!("no reply within {:?}", self.timeout))),
        }
    }

    /// MAIL, RCPT and DATA in one write, then their replies in order (RFC 2920 §3.1): one
    /// round trip where there were three, which is most of the time per message on a fast link.
    async fn pipelined_envelope(
        &mut self,
        mail: Mail,
        recipients: impl Iterator<Item = Rcpt>,
    ) -> Result<(), TransactionError> {
        let mut group = mail.to_string();
        let mut replies = 2;
        for rcpt in recipients {
            group.push_str(&rcpt.to_string());
            replies += 1;
        }
        group.push_str(&Data.to_string());
        // lettre writes the group at once and reads the first reply; the rest follow.
        let mut first_refusal = self.command(group).await.err();
        let mut data_accepted = false;
        for reply_number in 1..replies {
            let reply = match tokio::time::timeout(self.timeout, self.connection.read_response()).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(error)) if error.status().is_some() => Err(TransactionError::Refused(error)),
                Ok(Err(error)) => Err(TransactionError::LostBeforeEnd(error.to_string())),
                Err(_) => Err(TransactionError::LostBeforeEnd(format!(
                    "no reply within {:?}",
                    self.timeout
                ))),
            };
            data_accepted = reply_number == replies - 1 && reply.is_ok();
            match (reply, &first_refusal) {
                (Err(lost @ TransactionError::LostBeforeEnd(_)), _) => return Err(lost),
                (Err(refused), None) => first_refusal = Some(refused),
                _ => {}
            }
        }
        match first_refusal {
            Some(refused) => {
                // A server that said 354 to DATA after refusing MAIL or RCPT now waits for a
                // message we will not send; only closing the connection ends that without
                // delivering anything. Otherwise every reply is read and RSET can follow.
                self.broken = data_accepted;
                Err(refused)
            }
            None => Ok(()),
        }
    }

    /// Ends a transaction the server refused part of, so the session can carry the next one
    /// (RFC 5321 §4.1.1.5). False when the session is no longer usable.
    pub async fn reset(&mut self) -> bool {
        !self.broken && self.command(Rset).await.is_ok()
    }

    /// Whether a session that sat idle still answers (RFC 5321 §4.1.1.9).
    pub async fn probe(&mut self) -> bool {
        self.command(Noop).await.is_ok()
    }

    /// Says goodbye (RFC 5321 §4.1.1.10); the answer does not matter.
    pub async fn quit(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.connection.command(Quit)).await;
    }

    async fn command<C: fmt::Display>(&mut self, command: C) -> Result<Response, TransactionError> {
        match tokio::time::timeout(self.timeout, self.connection.command(command)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) if error.status().is_some() => Err(TransactionError::Refused(error)),
            Ok(Err(error)) => Err(TransactionError::LostBeforeEnd(error.to_string())),
            Err(_) => Err(TransactionError::LostBeforeEnd(format!(
                "no reply within {:?}",
                self.timeout
            ))),
        }
    }
}

/// Whether an EHLO reply among `heard` lists `keyword` (RFC 5321 §4.1.1.1: `250-KEYWORD params`).
fn offers(heard: &[u8], keyword: &str) -> bool {
    heard.split(|b| *b == b'\n').any(|line| {
        line.starts_with(b"250")
            && line
                .get(4..)
                .and_then(|rest| rest.split(u8::is_ascii_whitespace).next())
                .is_some_and(|k| k.eq_ignore_ascii_case(keyword.as_bytes()))
    })
}

/// The clear-text start of a STARTTLS session, up to the point where TLS begins: greeting,
/// EHLO, STARTTLS. Returns the socket and the greeting's bytes.
async fn starttls_prelude(tcp: TcpStream, hello: &ClientId) -> Result<(TcpStream, Vec<u8>), String> {
    let mut reader = BufReader::new(tcp);
    let greeting = read_reply(&mut reader).await?;
    if !greeting.starts_with(b"220") {
        return Err(format!("greeting: {}", String::from_utf8_lossy(&greeting).trim_end()));
    }
    reader
        .get_mut()
        .write_all(format!("EHLO {hello}\r\n").as_bytes())
        .await
        .map_err(|e| format!("EHLO: {e}"))?;
    let ehlo = read_reply(&mut reader).await?;
    let offers_starttls = ehlo.starts_with(b"250")
        && ehlo.split(|b| *b == b'\n').any(|line| {
            line.get(4..)
                .is_some_and(|k| k.trim_ascii().eq_ignore_ascii_case(b"STARTTLS"))
        });
    if !offers_starttls {
        return Err("the server does not offer STARTTLS, which the URL requires".into());
    }
    reader
        .get_mut()
        .write_all(b"STARTTLS\r\n")
        .await
        .map_err(|e| format!("STARTTLS: {e}"))?;
    let ready = read_reply(&mut reader).await?;
    if !ready.starts_with(b"220") {
        return Err(format!("STARTTLS: {}", String::from_utf8_lossy(&ready).trim_end()));
    }
    // Anything already buffered came in clear text after the 220 and would be taken as if it
    // came over TLS: the response injection of CVE-2011-0411. Refuse the session.
    if !reader.buffer().is_empty() {
        return Err("the server sent data after its STARTTLS reply".into());
    }
    Ok((reader.into_inner(), greeting))
}

/// One reply, all its lines (RFC 5321 §4.2.1: `250-` continues, `250 ` ends), with the same
/// size limits as lettre's reader so a hostile server cannot make us buffer without end.
async fn read_reply(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, String> {
    const MAX_LINE: u64 = 1000;
    const MAX_REPLY: usize = 100_000;
    let mut reply = Vec::new();
    loop {
        let start = reply.len();
        let read = (&mut *reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut reply)
            .await
            .map_err(|e| format!("reading the server's reply: {e}"))?;
        let line = &reply[start..];
        if read == 0 || !line.ends_with(b"\n") || reply.len() > MAX_REPLY {
            return Err("the server's reply was cut short or too long".into());
        }
        if line.len() < 4 || !line[..3].iter().all(u8::is_ascii_digit) {
            return Err("the server's reply is not SMTP".into());
        }
        if line[3] != b'-' {
            return Ok(reply);
        }
    }
}

/// The outermost stream lettre reads and writes: the socket, or TLS over it.
///
/// It notes when the end of data (`CRLF.CRLF`) has been flushed, i.e. handed to the kernel in
/// full. Dot-stuffing (RFC 5321 §4.5.2) means no command or message body ends with those five
/// bytes, so seeing them at the end of what was written before a flush is the end of data.
struct Wire<S> {
    inner: S,
    peer: SocketAddr,
    /// Bytes to hand to the first reads before the stream's own (a greeting read before TLS).
    replay: Vec<u8>,
    replayed: usize,
    /// The last five bytes written.
    tail: [u8; 5],
    marks: Arc<Marks>,
}

const END_OF_DATA: &[u8; 5] = b"\r\n.\r\n";

impl<S> Wire<S> {
    fn new(inner: S, peer: SocketAddr, replay: Vec<u8>, marks: Arc<Marks>) -> Self {
        Wire {
            inner,
            peer,
            replay,
            replayed: 0,
            tail: [0; 5],
            marks,
        }
    }

    fn note_written(&mut self, written: &[u8]) {
        let (n, size) = (written.len(), END_OF_DATA.len());
        if n >= size {
            self.tail.copy_from_slice(&written[n - size..]);
        } else {
            self.tail.rotate_left(n);
            self.tail[size - n..].copy_from_slice(written);
        }
    }
}

impl<S> fmt::Debug for Wire<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wire").field("peer", &self.peer).finish()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Wire<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let polled = if this.replayed < this.replay.len() {
            let rest = &this.replay[this.replayed..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.replayed += n;
            Poll::Ready(Ok(()))
        } else {
            Pin::new(&mut this.inner).poll_read(cx, buf)
        };
        if let Some(heard) = this.marks.heard.lock().expect("marks lock").as_mut() {
            heard.extend_from_slice(&buf.filled()[before..]);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Wire<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            this.note_written(&buf[..n]);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_flush(cx);
        // For TLS, a write only fills rustls' buffer; the flush puts the records on the socket.
        if let Poll::Ready(Ok(())) = polled
            && &this.tail == END_OF_DATA
        {
            this.marks.end_sent.store(true, Ordering::SeqCst);
        }
        polled
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Send + Sync + Unpin> AsyncTokioStream for Wire<S> {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_end_of_data_is_noted_only_once_flushed_whole() {
        let (client, mut server) = tokio::io::duplex(64);
        let marks = Arc::new(Marks {
            heard: Mutex::new(Some(Vec::new())),
            ..Marks::default()
        });
        let end_sent = |m: &Marks| m.end_sent.load(Ordering::SeqCst);
        let peer: SocketAddr = "127.0.0.1:25".parse().unwrap();
        let mut wire = Wire::new(client, peer, b"220 hi\r\n".to_vec(), marks.clone());

        // The replayed greeting is read first, and heard like anything else read.
        let mut greeting = [0u8; 8];
        wire.read_exact(&mut greeting).await.unwrap();
        assert_eq!(&greeting, b"220 hi\r\n");
        assert_eq!(marks.heard.lock().unwrap().as_deref(), Some(&b"220 hi\r\n"[..]));

        // A dot-stuffed line inside a body, then a command: neither is the end of data.
        wire.write_all(b"Subject: x\r\n\r\n..\r\n").await.unwrap();
        wire.flush().await.unwrap();
        assert!(!end_sent(&marks));
        wire.write_all(b"RSET\r\n").await.unwrap();
        wire.flush().await.unwrap();
        assert!(!end_sent(&marks));

        // The end of data split over writes (as lettre does) counts once flushed.
        wire.write_all(b"\r\n.").await.unwrap();
        wire.write_all(b"\r\n").await.unwrap();
        assert!(!end_sent(&marks), "written but not yet flushed");
        wire.flush().await.unwrap();
        assert!(end_sent(&marks));

        let mut seen = vec![0u8; 29];
        server.read_exact(&mut seen).await.unwrap();
        assert!(seen.ends_with(b"RSET\r\n\r\n.\r\n"));
    }

    #[test]
    fn extensions_are_read_from_the_ehlo_reply_only() {
        let heard = b"220 mx.example.fi ESMTP PIPELINING\r\n250-mx.example.fi\r\n250-SIZE 10240000\r\n250-pipelining\r\n250 8BITMIME\r\n";
        assert!(offers(heard, "PIPELINING"));
        assert!(offers(heard, "SIZE"));
        assert!(!offers(
            b"220 mx PIPELINING\r\n250-mx\r\n250-PIPELININGX\r\n250 8BITMIME\r\n",
            "PIPELINING"
        ));
    }
}
