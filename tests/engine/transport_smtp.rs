//! The SMTP transport against an in-process SMTP server: what arrives, and how each kind of
//! refusal comes back to the dispatcher.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, OutgoingMessage, Part};
use briefcast::dispatch::transport::{SendError, SmtpOptions, SmtpTransport, Transport};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use mail_parser::MessageParser;
use mailin_embedded::{Handler, Response, Server};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Debug, Clone)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    bytes: Vec<u8>,
}

/// A server that accepts everyone except: `ghost@…` (550 5.1.1), `greylisted@…` (451 4.7.1)
/// and `blocked@…` (554 5.7.1 policy).
#[derive(Clone, Default)]
struct Peer {
    received: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Peer {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            mail_from: from.to_string(),
            rcpt_to: to.to_vec(),
            bytes: Vec::new(),
        });
        mailin_embedded::response::START_DATA
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if to.starts_with("ghost@") {
            Response::custom(550, format!("5.1.1 <{to}>: Recipient address rejected: User unknown"))
        } else if to.starts_with("greylisted@") {
            Response::custom(451, "4.7.1 Greylisted, try again in 5 minutes".into())
        } else if to.starts_with("blocked@") {
            Response::custom(554, "5.7.1 Rejected by policy".into())
        } else {
            mailin_embedded::response::OK
        }
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.bytes.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(done) = self.current.take() {
            self.received.lock().unwrap().push(done);
        }
        Response::custom(250, "2.0.0 Ok: queued".into())
    }
}

fn spawn_peer() -> (SocketAddr, Arc<Mutex<Vec<Received>>>) {
    let peer = Peer::default();
    let received = peer.received.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut server = Server::new(peer);
    server
        .with_name("peer.test")
        .with_num_threads(8)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (addr, received)
}

fn message(delivery_id: i64, to: &str) -> OutgoingMessage {
    let letterhead = Letterhead::new(
        "Koronafaktat <news@vnk.example.fi>",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-test"),
        None,
    )
    .unwrap();
    let to = EmailAddress::parse(to).unwrap();
    let letter = Letter {
        edition_id: briefcast::ids::EditionId(3),
        delivery_id: briefcast::ids::DeliveryId(delivery_id),
        to: &to,
        to_name: None,
        language: Language::Fi,
        subject: "Päivän faktat",
        text: Part::Text("Hei!\n"),
        html: Part::Text("<p>Hei!</p>"),
        list_name: "Koronafaktat daily (fi)",
        list_id: "daily.fi.news.example.fi",
    };
    letterhead
        .compose(
            &letter,
            chrono::Utc::now(),
            &mut StdRng::seed_from_u64(delivery_id as u64),
        )
        .unwrap()
}

fn transport(addr: SocketAddr) -> SmtpTransport {
    SmtpTransport::from_url(&format!("smtp://{addr}?pool=4&timeout=5"), SmtpOptions::default()).unwrap()
}

#[tokio::test]
async fn each_delivery_arrives_once_with_its_envelope_and_headers() {
    let (addr, received) = spawn_peer();
    let smtp = transport(addr);
    let sent: Vec<OutgoingMessage> = (1..=12).map(|i| message(i, &format!("reader{i}@example.fi"))).collect();
    let results = futures::future::join_all(sent.iter().map(|m| smtp.send(m))).await;
    for result in &results {
        let receipt = result.as_ref().unwrap();
        assert!(receipt.response.starts_with("250"), "{receipt:?}");
    }

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 12);
    for m in &sent {
        let got: Vec<_> = received
            .iter()
            .filter(|r| r.rcpt_to == vec![m.envelope.rcpt_to.clone()])
            .collect();
        assert_eq!(got.len(), 1, "one message per recipient for {}", m.envelope.rcpt_to);
        assert_eq!(got[0].mail_from, m.envelope.mail_from);
        let parsed = MessageParser::default().parse(&got[0].bytes).unwrap();
        assert_eq!(parsed.message_id(), Some(m.message_id.as_str()));
        assert_eq!(parsed.subject(), Some("Päivän faktat"));
        assert_eq!(
            parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
            Some("List-Unsubscribe=One-Click")
        );
    }
}

#[tokio::test]
async fn refusals_map_to_what_the_dispatcher_must_do() {
    let (addr, received) = spawn_peer();
    let smtp = transport(addr);

    let err = smtp.send(&message(1, "ghost@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::RecipientUnknown { .. }), "{err:?}");
    assert!(err.response().starts_with("550 5.1.1"), "{err:?}");
    assert!(err.response().contains("User unknown"), "{err:?}");

    let err = smtp.send(&message(2, "greylisted@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
    assert!(err.response().starts_with("451 4.7.1 Greylisted"), "{err:?}");

    let err = smtp.send(&message(3, "blocked@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Permanent { .. }), "{err:?}");
    assert!(err.response().starts_with("554 5.7.1"), "{err:?}");

    // The pooled connections survive refusals: the next message goes through.
    smtp.send(&message(4, "reader@example.fi")).await.unwrap();
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_temporary() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    let err = transport(addr)
        .send(&message(1, "reader@example.fi"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
}

/// How a scripted server misbehaves. All of them refuse `ghost@…` (550 5.1.1) and, like
/// Postfix, answer DATA with 554 when no recipient was accepted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quirk {
    /// Says 354 to DATA even when every recipient was refused, then waits for a message.
    DataWithoutRecipients,
    /// Reads each message's body and then never answers, keeping the connection open.
    SilentAfterBody,
    /// After reading the body of the n-th message (counted over all sessions), before replying:
    /// the message may or may not have been accepted (RFC 1047).
    AfterBody(usize),
    /// On every RCPT TO: no message ever reaches DATA.
    AtRcpt,
    /// Right after replying 250 to each message: a session the server closes between messages.
    AfterEachReply,
}

/// What a scripted server saw: sessions opened and message bodies read in full.
#[derive(Default)]
struct Seen {
    sessions: usize,
    bodies: usize,
}

/// A server that speaks just enough SMTP to misbehave in one chosen way.
async fn spawn_scripted_peer(quirk: Quirk) -> (SocketAddr, Arc<Mutex<Seen>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            shared.lock().unwrap().sessions += 1;
            let seen = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut recipients = 0;
                write.write_all(b"220 scripted.test ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-scripted.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
                        "RCPT" if quirk == Quirk::AtRcpt => return,
                        "RCPT" if line.contains("<ghost@") => b"550 5.1.1 <ghost@>: User unknown\r\n",
                        "RCPT" => {
                            recipients += 1;
                            b"250 2.1.5 Ok\r\n"
                        }
                        "MAIL" | "RSET" | "NOOP" => {
                            recipients = 0;
                            b"250 2.0.0 Ok\r\n"
                        }
                        "DATA" if recipients == 0 && quirk != Quirk::DataWithoutRecipients => {
                            b"554 5.5.1 Error: no valid recipients\r\n"
                        }
                        "QUIT" => b"221 2.0.0 Bye\r\n",
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            loop {
                                match lines.next_line().await {
                                    Ok(Some(body)) if body == "." => break,
                                    Ok(Some(_)) => {}
                                    // Closed before the final dot: no message (RFC 5321 §4.1.1.4).
                                    _ => return,
                                }
                            }
                            let n = {
                                let mut seen = seen.lock().unwrap();
                                seen.bodies += 1;
                                seen.bodies
                            };
                            if quirk == Quirk::SilentAfterBody {
                                while let Ok(Some(_)) = lines.next_line().await {}
                                return;
                            }
                            if quirk == Quirk::AfterBody(n) || quirk == Quirk::DataWithoutRecipients && recipients == 0
                            {
                                return;
                            }
                            if quirk == Quirk::AfterEachReply {
                                let _ = write.write_all(b"250 2.0.0 Ok: queued\r\n").await;
                                return;
                            }
                            b"250 2.0.0 Ok: queued\r\n"
                        }
                        _ => b"502 5.5.2 Not implemented\r\n",
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, seen)
}

fn transport_with_pool(addr: SocketAddr, pool: u32) -> SmtpTransport {
    SmtpTransport::from_url(&format!("smtp://{addr}?pool={pool}&timeout=5"), SmtpOptions::default()).unwrap()
}

#[tokio::test]
async fn a_connection_lost_after_the_body_is_uncertain_never_temporary() {
    let (addr, seen) = spawn_scripted_peer(Quirk::AfterBody(2)).await;
    let smtp = transport_with_pool(addr, 1);
    smtp.send(&message(1, "a@example.fi")).await.unwrap();

    // The server read the whole message and may have queued it: a retry could deliver it twice.
    let err = smtp.send(&message(2, "b@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Uncertain { .. }), "{err:?}");
    assert!(!err.is_temporary());
    assert_eq!(seen.lock().unwrap().bodies, 2, "sent once, not silently again");

    // The broken session is replaced and the next delivery goes through.
    smtp.send(&message(3, "c@example.fi")).await.unwrap();
    assert_eq!(seen.lock().unwrap().bodies, 3);
}

#[tokio::test]
async fn a_connection_lost_before_data_is_temporary() {
    let (addr, seen) = spawn_scripted_peer(Quirk::AtRcpt).await;
    let smtp = transport_with_pool(addr, 1);
    let err = smtp.send(&message(1, "a@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
    assert_eq!(seen.lock().unwrap().bodies, 0);
}

#[tokio::test]
async fn a_session_the_server_closed_is_replaced_without_failing_the_message() {
    let (addr, seen) = spawn_scripted_peer(Quirk::AfterEachReply).await;
    let smtp = transport_with_pool(addr, 1);
    for i in 1..=3 {
        // From the second message on, the pooled session is dead: MAIL FROM fails before any of
        // the message is sent, so the transport tries once more on a new session.
        let receipt = smtp.send(&message(i, "a@example.fi")).await.unwrap();
        assert!(receipt.response.starts_with("250"), "{receipt:?}");
    }
    let seen = seen.lock().unwrap();
    assert_eq!((seen.bodies, seen.sessions), (3, 3));
}

#[tokio::test]
async fn concurrent_sends_use_one_session_each_up_to_the_pool_size() {
    let (addr, seen) = spawn_scripted_peer(Quirk::AfterBody(usize::MAX)).await;
    let smtp = transport_with_pool(addr, 3);
    let sent: Vec<OutgoingMessage> = (1..=30).map(|i| message(i, &format!("r{i}@example.fi"))).collect();
    for batch in sent.chunks(10) {
        let results = futures::future::join_all(batch.iter().map(|m| smtp.send(m))).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.bodies, 30);
    // Ten sends in flight: three sessions opened at once, then reused, never a fourth.
    assert_eq!(seen.sessions, 3);
}

#[tokio::test]
async fn a_refused_recipient_in_a_pipelined_group_leaves_the_session_usable() {
    let (addr, seen) = spawn_scripted_peer(Quirk::AfterBody(usize::MAX)).await;
    let smtp = transport_with_pool(addr, 1);
    let err = smtp.send(&message(1, "ghost@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::RecipientUnknown { .. }), "{err:?}");
    assert!(err.response().starts_with("550 5.1.1"), "{err:?}");
    smtp.send(&message(2, "reader@example.fi")).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!((seen.bodies, seen.sessions), (1, 1), "RSET, then the same session");
}

#[tokio::test]
async fn a_server_that_says_go_ahead_after_refusing_every_recipient_gets_no_message() {
    let (addr, seen) = spawn_scripted_peer(Quirk::DataWithoutRecipients).await;
    let smtp = transport_with_pool(addr, 1);
    let err = smtp.send(&message(1, "ghost@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::RecipientUnknown { .. }), "{err:?}");
    // The session waits for data it must not get: it is closed, and a new one takes the next.
    smtp.send(&message(2, "reader@example.fi")).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!((seen.bodies, seen.sessions), (1, 2));
}

#[tokio::test]
async fn no_reply_to_the_final_dot_within_the_timeout_is_uncertain() {
    let (addr, seen) = spawn_scripted_peer(Quirk::SilentAfterBody).await;
    let smtp = SmtpTransport::from_url(&format!("smtp://{addr}?pool=1&timeout=1"), SmtpOptions::default()).unwrap();
    let err = smtp.send(&message(1, "a@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Uncertain { .. }), "{err:?}");
    assert!(err.response().contains("no reply within"), "{err:?}");
    assert_eq!(seen.lock().unwrap().bodies, 1);
}
