//! Ingests generated replies through the inbound webhook (over HTTP, as a mail provider posts
//! them) and, when `BRIEFCAST_BENCH_IMAP_URL` names a test mailbox, through the IMAP intake,
//! and prints the rates. SQLite always; PostgreSQL too when `BRIEFCAST_BENCH_DATABASE_URL`
//! names a database (a fresh schema is made inside it).
//!
//! `cargo bench --bench intake` (add `-- 2000` for another message count).

use std::sync::Arc;
use std::time::{Duration, Instant};

use briefcast::access::{self, Actor, Role};
use briefcast::app::App;
use briefcast::clock::SystemClock;
use briefcast::config::Config;
use briefcast::inbound::imap::MailboxUrl;
use briefcast::intake::NoTokens;
use briefcast::store::{PgStore, QuestionQuery, SqliteStore, Store};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

const REPLY: &[u8] = include_bytes!("../tests/golden/replies/01-plain-fi-quoted/message.eml");
const AUTO_REPLY: &[u8] = include_bytes!("../tests/golden/replies/03-autoreply-fi-header/message.eml");

/// Distinct messages, nine questions to one auto-reply, from a sender in the demo roster.
fn message(n: usize) -> Vec<u8> {
    let mut raw = format!("X-Bench-Sequence: {n}\r\n").into_bytes();
    raw.extend_from_slice(if n % 10 == 9 { AUTO_REPLY } else { REPLY });
    raw
}

async fn prepared(store: &Arc<dyn Store>) {
    store.migrate().await.expect("migrate");
    let actor = briefcast::access::Actor("bench".into());
    briefcast::service::audience::store_roster(
        store.as_ref(),
        briefcast::demo::SAMPLE_ROSTER,
        &actor,
        chrono::Utc::now(),
    )
    .await
    .expect("sample roster");
}

async fn webhook(name: &str, store: Arc<dyn Store>, count: usize) {
    prepared(&store).await;
    let dir = tempfile::tempdir().unwrap();
    let env = vec![
        ("BRIEFCAST_DATA_DIR".to_string(), dir.path().display().to_string()),
        ("BRIEFCAST_HTTP_ADDR".to_string(), "127.0.0.1:0".to_string()),
    ];
    let config = Config::from_sources(None, env).unwrap();
    let app = App::build_with_store(config, store.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let addr = app.local_addr();
    let token = access::new_token();
    store
        .create_token(
            &access::token_hash(&token),
            Role::Ops,
            "bench",
            None,
            &Actor("bench".into()),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/api/v1/inbound");
    let start = Instant::now();
    // A provider posts with some concurrency; 8 requests in flight.
    let statuses: Vec<u16> = futures::stream::iter(0..count)
        .map(|n| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .body(message(n))
                    .send()
                    .await
                    .unwrap();
                response.status().as_u16()
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let elapsed = start.elapsed();
    assert!(statuses.iter().all(|s| *s == 201), "every post is a new reply");
    shutdown.cancel();
    server.await.unwrap().unwrap();
    report(name, "webhook", &store, count, elapsed).await;
}

async fn imap(name: &str, store: Arc<dyn Store>, base: &str, count: usize) {
    prepared(&store).await;
    let mut url = url::Url::parse(base).unwrap();
    let mailbox = format!("briefcast-bench-{}", uuid::Uuid::new_v4().simple());
    let address = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(143));
    let mut client = async_imap::Client::new(tokio::net::TcpStream::connect(&address).await.unwrap());
    client.read_response().await.unwrap();
    let mut admin = client
        .login(url.username(), url.password().unwrap_or(""))
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    admin.create(&mailbox).await.unwrap();
    for n in 0..count {
        admin.append(&mailbox, None, None, &message(n)).await.unwrap();
    }
    url.set_path(&format!("/{mailbox}"));
    let shutdown = CancellationToken::new();
    let start = Instant::now();
    let task = tokio::spawn(briefcast::intake::workers::run_imap(
        MailboxUrl::parse(url.as_str()).unwrap(),
        store.clone(),
        Arc::new(NoTokens),
        Arc::new(SystemClock),
        Duration::from_secs(60),
        shutdown.clone(),
    ));
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let cursor = store.imap_cursor(&mailbox).await.unwrap();
        if cursor.is_some_and(|c| c.last_uid as usize >= count) {
            break;
        }
        assert!(Instant::now() < deadline, "IMAP intake did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = start.elapsed();
    shutdown.cancel();
    task.await.unwrap();
    admin.delete(&mailbox).await.unwrap();
    report(name, "imap", &store, count, elapsed).await;
}

async fn report(name: &str, channel: &str, store: &Arc<dyn Store>, count: usize, elapsed: Duration) {
    let questions = store.questions(&QuestionQuery::default()).await.unwrap().len();
    assert_eq!(questions, count - count / 10, "nine in ten are questions");
    println!(
        "{name:<10} {channel:<8} {count} replies stored and processed in {:>6.2} s ({:>6.0} replies/s)",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
}

async fn sqlite() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    (dir, Arc::new(SqliteStore::connect(&url).await.unwrap()))
}

async fn postgres(url: &str) -> Arc<dyn Store> {
    use sqlx::Connection;
    let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .unwrap();
    Arc::new(PgStore::connect_in_schema(url, &schema).await.unwrap())
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let pg = std::env::var("BRIEFCAST_BENCH_DATABASE_URL").ok();
    let imap_url = std::env::var("BRIEFCAST_BENCH_IMAP_URL").ok();

    let (_dir, store) = sqlite().await;
    webhook("sqlite", store, count).await;
    if let Some(url) = &pg {
        webhook("postgres", postgres(url).await, count).await;
    }
    if let Some(base) = &imap_url {
        let (_dir, store) = sqlite().await;
        imap("sqlite", store, base, count).await;
        if let Some(url) = &pg {
            imap("postgres", postgres(url).await, base, count).await;
        }
    }
}
