//! Dispatch against an SMTP peer that misbehaves the ways real relays do: greylisting everything
//! for a while, refusing one address as unknown, and dropping the connection after a message's
//! final dot without answering. Each time: nothing lost, nothing doubled, every outcome logged.
//!
//! The peer is a small SMTP server written here, because the faults must be exact: a refusal at
//! RCPT for chosen addresses, and a connection closed after the end of data and before the reply,
//! which is the one case where the sender cannot know whether the message was taken.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestApp, json_of, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
/// Recipients per edition: enough for several sessions and a batch in flight, small on disk.
const READERS: usize = 24;

fn reader(i: usize) -> String {
    format!("reader{i:02}@example.fi")
}

/// What the peer does, and what it saw, per recipient address.
#[derive(Default)]
struct PeerState {
    /// Greylisting: every RCPT gets `451 4.7.1`.
    refuse_all: bool,
    /// These addresses get `550 5.1.1` at RCPT.
    unknown: HashSet<String>,
    /// After the final dot of a message to one of these, the connection is closed without a
    /// reply; once per address, so that a resend ops ask for goes through.
    drop_once: HashSet<String>,
    /// Messages taken: the final dot answered with 250.
    accepted: HashMap<String, u32>,
    /// Messages received whole, then the connection dropped before the reply.
    dropped: HashMap<String, u32>,
    /// RCPTs refused with a 4xx or 5xx.
    refused: HashMap<String, u32>,
}

#[derive(Clone)]
struct Peer {
    url: String,
    state: Arc<Mutex<PeerState>>,
}

impl Peer {
    async fn start() -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(PeerState::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_session(socket, shared.clone()));
            }
        });
        Peer { url, state }
    }

    fn with<R>(&self, f: impl FnOnce(&mut PeerState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    fn accepted(&self, address: &str) -> u32 {
        self.with(|s| s.accepted.get(address).copied().unwrap_or(0))
    }

    fn dropped(&self, address: &str) -> u32 {
        self.with(|s| s.dropped.get(address).copied().unwrap_or(0))
    }

    fn refused(&self, address: &str) -> u32 {
        self.with(|s| s.refused.get(address).copied().unwrap_or(0))
    }

    fn accepted_total(&self) -> u32 {
        self.with(|s| s.accepted.values().sum())
    }
}

/// One SMTP session (RFC 5321), answering pipelined commands in order (RFC 2920).
async fn serve_session(socket: tokio::net::TcpStream, state: Arc<Mutex<PeerState>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 peer.test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut rcpt: Option<String> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        let verb = text.split([' ', ':']).next().unwrap_or("").to_ascii_uppercase();
        let reply: String = match verb.as_str() {
            // 8BITMIME because the editions carry ä and ö; PIPELINING as real relays offer it.
            "EHLO" | "HELO" => "250-peer.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".into(),
            "MAIL" => {
                rcpt = None;
                "250 2.1.0 Ok\r\n".into()
            }
            "RCPT" => {
                let address = text
                    .split('<')
                    .nth(1)
                    .and_then(|rest| rest.split('>').next())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let mut s = state.lock().unwrap();
                let reply = if s.refuse_all {
                    Some("451 4.7.1 Greylisted, please try again later\r\n".to_string())
                } else if s.unknown.contains(&address) {
                    Some(format!(
                        "550 5.1.1 <{address}>: Recipient address rejected: User unknown\r\n"
                    ))
                } else {
                    None
                };
                match reply {
                    Some(refusal) => {
                        *s.refused.entry(address).or_default() += 1;
                        refusal
                    }
                    None => {
                        rcpt = Some(address);
                        "250 2.1.5 Ok\r\n".into()
                    }
                }
            }
            "DATA" if rcpt.is_none() => "554 5.5.1 Error: no valid recipients\r\n".into(),
            "DATA" => {
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                loop {
                    line.clear();
                    match lines.read_until(b'\n', &mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) if line == b".\r\n" => break,
                        Ok(_) => {}
                    }
                }
                let to = rcpt.take().expect("DATA only follows an accepted RCPT");
                let mut s = state.lock().unwrap();
                if s.drop_once.remove(&to) {
                    *s.dropped.entry(to).or_default() += 1;
                    // The whole message is here; the sender never hears whether it was taken.
                    return;
                }
                *s.accepted.entry(to).or_default() += 1;
                "250 2.0.0 Ok: queued\r\n".into()
            }
            "RSET" => {
                rcpt = None;
                "250 2.0.0 Ok\r\n".into()
            }
            "NOOP" => "250 2.0.0 Ok\r\n".into(),
            "QUIT" => {
                let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
                return;
            }
            _ => "502 5.5.2 Error: command not recognized\r\n".into(),
        };
        if write.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A second brief, so that a later edition of the same schedule has something to carry.
fn storm_follow_up() -> String {
    STORM.replace("slug = \"storm-72h-preparedness\"", "slug = \"storm-72h-follow-up\"")
}

/// READERS daily readers in Finnish, a segment of them, the storm brief approved, a schedule
/// that never comes due during the test (so only the editions the test fires exist), and the
/// clock past the brief's embargo.
async fn prepare(app: &TestApp) {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    for i in 0..READERS {
        csv.push_str(&format!(
            "{},Reader {i},fi,instagram,1000,health,Uusimaa,open,daily,2026-01-02T10:00:00+02:00,form\n",
            reader(i)
        ));
    }
    let (status, report) = json_of(
        app.post("/api/v1/influencers/import", &app.coordinator)
            .body(csv)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["new"], READERS, "{report}");
    let segment = json!({ "name": "daily-readers", "cadences": ["daily"] });
    let (status, body) = json_of(
        app.post("/api/v1/segments", &app.coordinator)
            .json(&segment)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.submit_and_approve("/api/v1/briefs", STORM).await;
    // New Year's Day only: the scheduler must not fire an edition of its own while the test
    // moves the clock by hours.
    let schedule = json!({ "name": "faults", "cron": "0 9 1 1 *", "cadence": "daily", "segment": "daily-readers" });
    let (status, body) = json_of(
        app.post("/api/v1/schedules", &app.coordinator)
            .json(&schedule)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+02:00")
            .unwrap()
            .to_utc(),
    );
}

async fn fire_edition(app: &TestApp) -> (i64, u64) {
    let (status, edition) = json_of(
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "faults" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {edition}", app.backend);
    (
        edition["edition"].as_i64().unwrap(),
        edition["recipients"].as_u64().unwrap(),
    )
}

/// The delivery log as a coordinator reads it: with addresses (ops see them masked), so that
/// each delivery can be matched with what the peer saw for its address.
async fn deliveries(app: &TestApp, edition: i64) -> Vec<Value> {
    let (status, log) = json_of(
        app.get(
            &format!("/api/v1/deliveries?edition={edition}&limit=1000"),
            &app.coordinator,
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    log["deliveries"].as_array().cloned().unwrap_or_default()
}

/// Reads the delivery log until `done` holds, failing after a deadline.
async fn log_until(app: &TestApp, edition: i64, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = deliveries(app, edition).await;
        if done(&log) {
            return log;
        }
        assert!(
            Instant::now() < deadline,
            "{}: timed out waiting for {what}: {log:#?}",
            app.backend
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn status_of(d: &Value) -> &str {
    d["status"].as_str().unwrap_or_default()
}

fn email_of(d: &Value) -> String {
    d["email"].as_str().unwrap_or_default().to_string()
}

/// Nothing left to attempt: no delivery queued, deferred or in flight.
fn settled(log: &[Value]) -> bool {
    !log.is_empty()
        && log
            .iter()
            .all(|d| !matches!(status_of(d), "queued" | "deferred" | "sending"))
}

fn events_with(d: &Value, status: &str) -> Vec<String> {
    d["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == status)
        .map(|e| e["detail"].as_str().unwrap_or_default().to_string())
        .collect()
}

each_backend! {
    multi_thread
    /// Greylisting for two rounds, then recovery: every delivery is deferred, each deferral with the
    /// peer's answer in its history, and in the end sent exactly once. The clock, not a sleep, carries
    /// the deliveries past their backoff.
    async fn a_greylisting_peer_defers_every_delivery_until_it_recovers_then_each_is_sent_once(b) {
        let peer = Peer::start().await;
        peer.with(|s| s.refuse_all = true);
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &peer.url)]).await;
        prepare(&app).await;
        let (edition, recipients) = fire_edition(&app).await;
        assert_eq!(recipients, READERS as u64);

        for round in 1..=2u32 {
            log_until(
                &app,
                edition,
                &format!("round {round}: every delivery deferred"),
                |log| log.len() == READERS && log.iter().all(|d| status_of(d) == "deferred" && d["attempts"] == round),
            )
            .await;
            for i in 0..READERS {
                assert_eq!(peer.refused(&reader(i)), round, "{}: {}", b.name, reader(i));
            }
            // The peer recovers before the clock moves, so no claim can meet it still refusing.
            if round == 2 {
                peer.with(|s| s.refuse_all = false);
            }
            // Past the longest backoff the default policy can draw (1 min + up to 2 h).
            app.clock.advance(chrono::Duration::hours(3));
        }

        let log = log_until(&app, edition, "every delivery sent after the recovery", settled).await;
        assert_eq!(peer.accepted_total(), READERS as u32, "{}: nothing doubled", b.name);
        for d in &log {
            let to = email_of(d);
            assert_eq!(status_of(d), "sent", "{}: {d:#}", b.name);
            assert_eq!(d["attempts"], 3, "{d:#}");
            assert_eq!(peer.accepted(&to), 1, "{}: {to} got exactly one message", b.name);
            let deferrals = events_with(d, "deferred");
            assert_eq!(deferrals.len(), 2, "{}: each deferral is in the history: {d:#}", b.name);
            assert!(
                deferrals
                    .iter()
                    .all(|detail| detail.contains("451 4.7.1") && detail.contains("next attempt")),
                "{deferrals:?}"
            );
        }
    }
}

each_backend! {
    multi_thread
    /// `550 5.1.1` for one address: that delivery bounces, the address is suppressed as bounced,
    /// everyone else gets the message once, and the next edition leaves the address out.
    async fn an_unknown_address_bounces_is_suppressed_and_skipped_by_the_next_edition(b) {
        let peer = Peer::start().await;
        let gone = reader(3);
        peer.with(|s| s.unknown.insert(gone.clone()));
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &peer.url)]).await;
        prepare(&app).await;
        let (first, _) = fire_edition(&app).await;

        let log = log_until(&app, first, "the first edition settled", settled).await;
        for d in &log {
            let to = email_of(d);
            if to == gone {
                assert_eq!(status_of(d), "bounced", "{}: {d:#}", b.name);
                assert!(
                    d["last_response"].as_str().unwrap_or_default().contains("550 5.1.1"),
                    "{d:#}"
                );
                assert_eq!(peer.accepted(&to), 0);
            } else {
                assert_eq!(status_of(d), "sent", "{}: {d:#}", b.name);
                assert_eq!(peer.accepted(&to), 1, "{}: {to}", b.name);
            }
        }
        let (status, shown) = json_of(
            app.get(&format!("/api/v1/influencers/{gone}"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        assert_eq!(shown["suppressed"], "bounced", "{}: {shown}", b.name);

        app.submit_and_approve("/api/v1/briefs", &storm_follow_up()).await;
        let (second, recipients) = fire_edition(&app).await;
        assert_eq!(
            recipients,
            READERS as u64 - 1,
            "{}: the bounced address is no recipient",
            b.name
        );
        let log = log_until(&app, second, "the second edition settled", settled).await;
        assert!(log.iter().all(|d| status_of(d) == "sent"), "{}: {log:#?}", b.name);
        assert!(log.iter().all(|d| email_of(d) != gone));
        for i in (0..READERS).filter(|i| reader(*i) != gone) {
            assert_eq!(peer.accepted(&reader(i)), 2, "{}: one per edition", b.name);
        }
        assert_eq!(peer.accepted(&gone), 0);
        assert_eq!(peer.refused(&gone), 1, "{}: never tried again", b.name);
    }
}

each_backend! {
    multi_thread
    /// The peer drops the connection after some messages' final dot without replying. Those
    /// deliveries are uncertain (they may have been taken), never resent on their own, and resent
    /// when ops ask; the rest of the batch is sent once.
    async fn a_connection_dropped_after_the_data_leaves_those_deliveries_uncertain_until_ops_resend(b) {
        let peer = Peer::start().await;
        let lost: Vec<String> = [5, 11, 17].into_iter().map(reader).collect();
        peer.with(|s| s.drop_once.extend(lost.iter().cloned()));
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &peer.url)]).await;
        prepare(&app).await;
        let (edition, _) = fire_edition(&app).await;

        let log = log_until(&app, edition, "the edition settled", settled).await;
        let mut uncertain_ids = HashMap::new();
        for d in &log {
            let to = email_of(d);
            if lost.contains(&to) {
                assert_eq!(status_of(d), "uncertain", "{}: {d:#}", b.name);
                assert!(
                    d["last_response"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("connection lost after the message was sent"),
                    "{d:#}"
                );
                assert_eq!((peer.dropped(&to), peer.accepted(&to)), (1, 0), "{to}");
                uncertain_ids.insert(to, d["id"].as_i64().unwrap());
            } else {
                assert_eq!(status_of(d), "sent", "{}: {d:#}", b.name);
                assert_eq!(peer.accepted(&to), 1, "{}: {to}", b.name);
            }
        }
        assert_eq!(uncertain_ids.len(), lost.len());

        // Hours later, ops resend one of them. Once it has gone out the dispatcher has run past
        // the others, which stay uncertain: only a person's request sends them again.
        app.clock.advance(chrono::Duration::hours(3));
        let (status, body) = json_of(
            app.post("/api/v1/deliveries/resend", &app.ops)
                .json(&json!({ "deliveries": [uncertain_ids[&lost[0]]] }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, body["requeued"].as_u64()), (StatusCode::OK, Some(1)), "{body}");
        let log = log_until(&app, edition, "the one resent delivery sent", |log| {
            log.iter().any(|d| email_of(d) == lost[0] && status_of(d) == "sent")
        })
        .await;
        assert_eq!(peer.accepted(&lost[0]), 1);
        for other in &lost[1..] {
            let d = log.iter().find(|d| &email_of(d) == other).unwrap();
            assert_eq!(status_of(d), "uncertain", "{}: {d:#}", b.name);
            assert_eq!(peer.accepted(other), 0, "{}: {other} was not resent on its own", b.name);
        }

        let (status, body) = json_of(
            app.post("/api/v1/deliveries/resend", &app.ops)
                .json(&json!({ "edition": edition, "status": "uncertain" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, body["requeued"].as_u64()), (StatusCode::OK, Some(2)), "{body}");
        let log = log_until(&app, edition, "the resent deliveries sent", |log| {
            settled(log) && log.iter().all(|d| status_of(d) == "sent")
        })
        .await;
        for d in &log {
            let to = email_of(d);
            assert_eq!(peer.accepted(&to), 1, "{}: {to} taken exactly once", b.name);
            if lost.contains(&to) {
                assert_eq!(events_with(d, "uncertain").len(), 1, "{d:#}");
                assert_eq!(
                    events_with(d, "queued")
                        .iter()
                        .filter(|e| e.contains("resent on request"))
                        .count(),
                    1,
                    "{d:#}"
                );
            }
        }
        assert_eq!(peer.accepted_total(), READERS as u32, "{}", b.name);
    }
}

each_backend! {
    multi_thread
    /// A reader whose name holds a line break, stored before import refused such names (or written
    /// by hand into the database): composing their message used to panic inside the To header and
    /// take a dispatch lane, or the whole daemon, with it. Now that one delivery fails with its
    /// reason, every other reader gets exactly one message, and the daemon stays up.
    async fn a_poisoned_row_fails_alone_and_every_other_reader_gets_one_message(b) {
        use briefcast::audience::roster::{RosterPart, RosterRow};
        use briefcast::audience::{EmailAddress, Influencer};
        let peer = Peer::start().await;
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &peer.url)]).await;
        prepare(&app).await;
        let poisoned = RosterPart::Rows(vec![RosterRow {
            line: 2,
            influencer: Influencer {
                email: EmailAddress::parse("poisoned@example.fi").unwrap(),
                name: "Lf\nonly".into(),
                language: briefcast::language::Language::Fi,
                platforms: vec!["instagram".into()],
                followers: 10,
                topics: vec![],
                region: "Uusimaa".into(),
                tier: "open".into(),
                cadence: briefcast::cadence::Cadence::Daily,
                consent_at: common::now(),
                consent_source: "form".into(),
            },
        }]);
        let (parts, mut received) = tokio::sync::mpsc::channel(2);
        parts.send(poisoned).await.unwrap();
        parts.send(RosterPart::Done(vec![])).await.unwrap();
        app.store
            .import_roster(&mut received, &common::actor(), common::now())
            .await
            .unwrap()
            .expect("the parts ended with Done");
        let (edition, recipients) = fire_edition(&app).await;
        assert_eq!(recipients, READERS as u64 + 1, "{}", b.name);

        let log = log_until(&app, edition, "every delivery settled", settled).await;
        let failed: Vec<&Value> = log.iter().filter(|d| status_of(d) == "failed").collect();
        assert_eq!(failed.len(), 1, "{}: {log:#?}", b.name);
        assert_eq!(email_of(failed[0]), "poisoned@example.fi");
        let reason = failed[0]["last_response"].as_str().unwrap_or_default();
        assert!(
            reason.contains("the reader's name contains U+000A"),
            "{}: {reason}",
            b.name
        );
        for i in 0..READERS {
            assert_eq!(peer.accepted(&reader(i)), 1, "{}: {}", b.name, reader(i));
        }
        assert_eq!(peer.accepted("poisoned@example.fi"), 0);
        assert_eq!(peer.accepted_total(), READERS as u32, "{}", b.name);

        let health = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK, "{}: the daemon is still up", b.name);
        assert!(!app.server.is_finished(), "{}: the daemon is still running", b.name);
        app.shutdown.cancel();
    }
}
