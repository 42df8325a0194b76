//! Intake against a real IMAP server. Runs when `BRIEFCAST_TEST_IMAP_URL` is set (for example
//! `imap://testuser:testpass@127.0.0.1:31143/INBOX`, a private Dovecot) and then fails if the
//! server is unreachable; skipped when it is unset. Each run works in a mailbox of its own.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use briefcast::inbound::Reply;
use briefcast::inbound::imap::{Cursor, Fetched, Intake, MailboxUrl};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

const REPLY: &[u8] = include_bytes!("../golden/replies/01-plain-fi-quoted/message.eml");
const BOUNCE: &[u8] = include_bytes!("../golden/replies/05-bounce-dsn/message.eml");
const AUTO_REPLY: &[u8] = include_bytes!("../golden/replies/03-autoreply-fi-header/message.eml");

fn server_url() -> Option<url::Url> {
    let raw = common::service("BRIEFCAST_TEST_IMAP_URL")?;
    Some(url::Url::parse(&raw).expect("BRIEFCAST_TEST_IMAP_URL is a URL"))
}

/// A fresh mailbox on the test server, and the URL that selects it.
async fn fresh_mailbox(base: &url::Url) -> (MailboxUrl, async_imap::Session<TcpStream>) {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("briefcast-test-{}-{nanos}", std::process::id());
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

async fn deliver(admin: &mut async_imap::Session<TcpStream>, mailbox: &str, raw: &[u8]) {
    admin.append(mailbox, None, None, raw).await.unwrap();
}

type Stored = Arc<Mutex<Vec<Fetched>>>;

fn store_into(stored: &Stored) -> impl FnMut(Fetched) -> std::future::Ready<anyhow::Result<()>> + use<> {
    let stored = stored.clone();
    move |fetched| {
        stored.lock().unwrap().push(fetched);
        std::future::ready(Ok(()))
    }
}

#[tokio::test]
async fn every_message_is_handed_over_once_in_order_even_after_a_failed_store() {
    let Some(base) = server_url() else {
        return;
    };
    let (url, mut admin) = fresh_mailbox(&base).await;
    for raw in [REPLY, BOUNCE, AUTO_REPLY] {
        deliver(&mut admin, url.mailbox(), raw).await;
    }

    // The store fails on the second message, as a database outage would: the intake stops
    // there and reports it, and what was stored stays stored.
    let mut intake = Intake::connect(&url).await.unwrap();
    let stored: Stored = Arc::default();
    let mut calls = 0;
    let failing = |fetched: Fetched| {
        calls += 1;
        let stored = stored.clone();
        async move {
            if calls == 2 {
                anyhow::bail!("database unavailable");
            }
            stored.lock().unwrap().push(fetched);
            Ok(())
        }
    };
    let error = intake.fetch_new(None, failing).await.unwrap_err();
    assert!(error.to_string().contains("database unavailable"), "{error}");
    let after_first: Cursor = stored.lock().unwrap()[0].cursor;
    assert_eq!(stored.lock().unwrap().len(), 1);

    // Restart from the stored cursor, as the daemon does after a crash.
    drop(intake);
    let mut intake = Intake::connect(&url).await.unwrap();
    let cursor = intake.fetch_new(Some(after_first), store_into(&stored)).await.unwrap();
    let raws: Vec<Vec<u8>> = stored.lock().unwrap().iter().map(|f| f.raw.clone()).collect();
    assert_eq!(raws.len(), 3, "each message exactly once");
    let message_ids: Vec<_> = raws
        .iter()
        .map(|raw| Reply::parse(raw).unwrap().headers.message_id.unwrap_or_default())
        .collect();
    assert_eq!(
        message_ids,
        [
            "CAF1x9q=reply01@mail.example.com",
            "dsn-05@mx.example.org",
            "ooo-03@example.net"
        ]
    );
    assert_eq!(cursor.last_uid, stored.lock().unwrap()[2].cursor.last_uid);

    // Nothing new: nothing handed over, the cursor stays.
    let again = intake.fetch_new(Some(cursor), store_into(&stored)).await.unwrap();
    assert_eq!((again, stored.lock().unwrap().len()), (cursor, 3));

    // A cursor from another UIDVALIDITY means nothing: the mailbox is read from the start.
    let foreign = Cursor {
        uid_validity: cursor.uid_validity.wrapping_add(1),
        last_uid: cursor.last_uid,
    };
    let fresh: Stored = Arc::default();
    intake.fetch_new(Some(foreign), store_into(&fresh)).await.unwrap();
    assert_eq!(fresh.lock().unwrap().len(), 3);

    // IDLE wakes the intake when a message arrives, long before the poll interval.
    let shutdown = CancellationToken::new();
    let waiting = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { intake.wait_for_news(Duration::from_secs(600), &shutdown).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    deliver(&mut admin, url.mailbox(), REPLY).await;
    let mut intake = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("IDLE reported the new message")
        .unwrap()
        .unwrap();
    intake.fetch_new(Some(cursor), store_into(&stored)).await.unwrap();
    assert_eq!(stored.lock().unwrap().len(), 4);
    intake.logout().await.unwrap();
    admin.delete(url.mailbox()).await.unwrap();
    admin.logout().await.unwrap();
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_not_a_hang() {
    let url = MailboxUrl::parse("imap://u:p@127.0.0.1:1/INBOX").unwrap();
    let error = Intake::connect(&url).await.err().expect("nothing listens on port 1");
    assert!(
        error.to_string().contains("could not connect to 127.0.0.1:1"),
        "{error}"
    );
}
