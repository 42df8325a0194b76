//! The IMAP intake against a real mailbox, end to end into the question log. Runs when
//! `BRIEFCAST_TEST_IMAP_URL` is set (for example `imap://testuser:testpass@127.0.0.1:31143/INBOX`,
//! a private Dovecot; see `inbound_imap.rs` beside this file) and then fails if the server is unreachable.

use crate::common;
use crate::common::intake_seed;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use briefcast::audience::EmailAddress;
use briefcast::clock::ManualClock;
use briefcast::inbound::ReplyClass;
use briefcast::inbound::imap::MailboxUrl;
use briefcast::intake;
use briefcast::store::{QuestionQuery, Store, SuppressionReason};
use intake_seed::{fixture, fixture_tokens};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

/// Ten distinct messages: questions, the bounce and an auto-reply, each made unique by a header
/// (identical bytes would rightly be taken as one message).
fn messages() -> Vec<Vec<u8>> {
    let names = [
        "01-plain-fi-quoted",
        "05-bounce-dsn",
        "03-autoreply-fi-header",
        "02-outlook-sv-html",
        "12-android-fi-signature",
        "21-bottom-posted-en",
        "22-outlook-mobile-sv",
        "08-latin1-qp-fi-signature",
        "20-outlook-en-automatic-reply",
        "07-outlook-fi-header-block",
    ];
    names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let mut raw = format!("X-Test-Sequence: {n}\r\n").into_bytes();
            raw.extend(fixture(name));
            raw
        })
        .collect()
}

const QUESTIONS: usize = 7;

async fn fresh_mailbox(base: &url::Url) -> (MailboxUrl, async_imap::Session<TcpStream>) {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("briefcast-intake-{}-{nanos}", std::process::id());
    let address = format!("{}:{}", base.host_str().unwrap(), base.port().unwrap_or(143));
    let tcp = TcpStream::connect(&address)
        .await
        .unwrap_or_else(|e| panic!("IMAP server {address}: {e}"));
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    let mut admin = client
        .login(base.username(), base.password().unwrap_or(""))
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    admin.create(&name).await.unwrap();
    let mut url = base.clone();
    url.set_path(&format!("/{name}"));
    (MailboxUrl::parse(url.as_str()).unwrap(), admin)
}

/// Stored replies (processed or not), probed by id: ids start at 1 in every fresh database,
/// and PostgreSQL may skip some (a refused insert still takes a number), so probing stops only
/// after a long run of misses, wherever a copy stored twice would have landed.
async fn stored(store: &dyn Store) -> Vec<briefcast::store::ReplyRecord> {
    let (mut out, mut misses, mut id) = (Vec::new(), 0, 0);
    while misses < 50 {
        id += 1;
        match store.reply(briefcast::ids::ReplyId(id)).await.unwrap() {
            Some(reply) => {
                out.push(reply);
                misses = 0;
            }
            None => misses += 1,
        }
    }
    out
}

async fn wait_until<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

each_backend! {
    seeded
    async fn messages_appended_over_imap_are_ingested_once_across_a_restart_mid_poll(db) {
        let Some(raw_url) = common::service("BRIEFCAST_TEST_IMAP_URL") else {
            return;
        };
        let base = url::Url::parse(&raw_url).expect("BRIEFCAST_TEST_IMAP_URL is a URL");
        let seeded = db.seed_edition().await;
        let (url, mut admin) = fresh_mailbox(&base).await;
        let all = messages();
        for raw in &all {
            admin.append(url.mailbox(), None, None, raw).await.unwrap();
        }
        let store = db.backend.store.clone();
        let verifier: Arc<dyn intake::ReplyTokens> = Arc::new(fixture_tokens(seeded.delivery));
        let clock = Arc::new(ManualClock::at(common::now()));
        let spawn = |shutdown: CancellationToken| {
            tokio::spawn(briefcast::intake::workers::run_imap(
                url.clone(),
                store.clone(),
                verifier.clone(),
                clock.clone(),
                Duration::from_secs(60),
                shutdown,
            ))
        };

        // The daemon dies in the middle of a poll: the task is dropped at whatever await it
        // has reached once the first message is stored, as a killed process would stop.
        let first = spawn(CancellationToken::new());
        wait_until("the first message is stored", || async {
            !stored(store.as_ref()).await.is_empty()
        })
        .await;
        first.abort();
        let _ = first.await;
        let before = stored(store.as_ref()).await.len();
        eprintln!(
            "{}: {before} of {} stored when the intake died",
            db.backend.name,
            all.len()
        );
        assert!(before >= 1 && before <= all.len(), "{before}");

        // Restarted: it resumes from the stored cursor and finishes what was left unprocessed.
        let shutdown = CancellationToken::new();
        let second = spawn(shutdown.clone());
        wait_until("every message is stored and processed", || async {
            let replies = stored(store.as_ref()).await;
            replies.len() >= all.len() && replies.iter().all(|r| r.processed_at.is_some())
        })
        .await;
        // New mail while it waits (IDLE) is picked up too.
        admin
            .append(url.mailbox(), None, None, &fixture("10-base64-en-dash-signature"))
            .await
            .unwrap();
        wait_until("the late message is processed", || async {
            let replies = stored(store.as_ref()).await;
            replies.len() > all.len() && replies.iter().all(|r| r.processed_at.is_some())
        })
        .await;
        shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(30), second)
            .await
            .expect("the intake stops on shutdown")
            .unwrap();

        let replies = stored(store.as_ref()).await;
        assert_eq!(
            replies.len(),
            all.len() + 1,
            "{}: each message exactly once",
            db.backend.name
        );
        let uids: std::collections::HashSet<String> = replies.iter().map(|r| r.channel_ref.clone().unwrap()).collect();
        assert_eq!(uids.len(), replies.len(), "{}: no UID stored twice", db.backend.name);
        let cursor = store.imap_cursor(url.mailbox()).await.unwrap().unwrap();
        assert_eq!(cursor.last_uid as usize, all.len() + 1);
        let questions = store.questions(&QuestionQuery::default()).await.unwrap();
        assert_eq!(questions.len(), QUESTIONS + 1, "{}", db.backend.name);
        let auto = replies.iter().filter(|r| r.kind == Some(ReplyClass::AutoReply)).count();
        assert_eq!(auto, 2);
        assert_eq!(
            store
                .suppression(&EmailAddress::parse("priya.nair@example.org").unwrap())
                .await
                .unwrap(),
            Some(SuppressionReason::Bounced)
        );

        admin.delete(url.mailbox()).await.unwrap();
        admin.logout().await.unwrap();
    }
}

each_backend! {
    seeded
    /// `serve` with `imap_url` set polls the mailbox, and stops polling when the daemon stops.
    async fn the_daemon_polls_the_configured_mailbox(db) {
        let Ok(raw_url) = std::env::var("BRIEFCAST_TEST_IMAP_URL") else {
            eprintln!("BRIEFCAST_TEST_IMAP_URL is not set: skipping the IMAP daemon test");
            return;
        };
        let base = url::Url::parse(&raw_url).expect("BRIEFCAST_TEST_IMAP_URL is a URL");
        db.seed_edition().await;
        let (url, mut admin) = fresh_mailbox(&base).await;
        admin
            .append(url.mailbox(), None, None, &fixture("15-no-token-in-reply-to"))
            .await
            .unwrap();
        let mut imap_url = base.clone();
        imap_url.set_path(&format!("/{}", url.mailbox()));
        let env = vec![
            (
                "BRIEFCAST_DATA_DIR".to_string(),
                db.backend.dir.path().display().to_string(),
            ),
            ("BRIEFCAST_HTTP_ADDR".to_string(), "127.0.0.1:0".to_string()),
            ("BRIEFCAST_IMAP_URL".to_string(), imap_url.to_string()),
        ];
        let config = briefcast::config::Config::from_sources(None, env).unwrap();
        let app = briefcast::app::App::build_with_store(
            config,
            db.backend.store.clone(),
            Arc::new(ManualClock::at(common::now())),
        )
        .await
        .unwrap();
        let shutdown = CancellationToken::new();
        let daemon = tokio::spawn(app.run_until_stopped(shutdown.clone()));
        let store = db.backend.store.clone();
        wait_until("the daemon ingested the message", || async {
            store.questions(&QuestionQuery::default()).await.unwrap().len() == 1
        })
        .await;
        shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(30), daemon)
            .await
            .expect("the daemon stops with its intake")
            .unwrap()
            .unwrap();
        // Matched by the Message-ID it answers: the daemon has no token verifier wired yet.
        let question = &store.questions(&QuestionQuery::default()).await.unwrap()[0];
        assert_eq!(question.influencer_email.as_deref(), Some("priya.nair@example.org"));
        admin.delete(url.mailbox()).await.unwrap();
        admin.logout().await.unwrap();
    }
}
