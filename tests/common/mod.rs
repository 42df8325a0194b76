//! Shared test harness: every test runs on SQLite, and on PostgreSQL too when
//! `BRIEFCAST_TEST_DATABASE_URL` is set (then an unreachable server fails the test, never skips it).
#![allow(dead_code)]

pub mod dispatch_support;
pub mod intake_seed;
pub mod pack;

use std::net::SocketAddr;
use std::sync::Arc;

use briefcast::access::{self, Actor, Role};
use briefcast::app::App;
use briefcast::clock::ManualClock;
use briefcast::config::Config;
use briefcast::store::{PgStore, SqliteStore, Store};
use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

pub const SAMPLE_ROSTER: &[u8] = include_bytes!("../fixtures/rosters/influencers-sample.csv");

pub struct Backend {
    pub name: &'static str,
    pub store: Arc<dyn Store>,
    pub dir: TempDir,
}

/// Whether this run is CI's (`CI=true`): there a suite that needs a service never skips.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A real service's address from `var`, for the suites that need one. Unset, the test skips and
/// says so; under `CI=true` a missing service fails it instead.
pub fn service(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if ci() => panic!("CI=true but {var} is not set: the suite that needs it must run, not skip"),
        _ => {
            eprintln!("{var} is not set: skipped");
            None
        }
    }
}

/// The PostgreSQL the store suites also run on; unset, they run on SQLite alone (not under CI).
pub fn database_url() -> Option<String> {
    match std::env::var("BRIEFCAST_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if ci() => panic!("CI=true but BRIEFCAST_TEST_DATABASE_URL is not set: the PostgreSQL suites must run"),
        _ => None,
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap()
}

/// A brief fixture as a ministry would send it at `now`: out of embargo a minute ago, valid for
/// a week. Fixtures carry absolute dates; a test that runs the real binary on the real clock reads
/// them through this, so that it passes on any date.
pub fn brief_valid_at(fixture: &str, now: DateTime<Utc>) -> String {
    let mut document: toml::Table = toml::from_str(fixture).expect("a TOML brief fixture");
    let meta = document
        .get_mut("meta")
        .and_then(toml::Value::as_table_mut)
        .expect("a [meta] table");
    let stamp = |t: DateTime<Utc>| toml::Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    meta.insert("embargo".into(), stamp(now - chrono::TimeDelta::minutes(1)));
    meta.insert("expires".into(), stamp(now + chrono::TimeDelta::days(7)));
    toml::to_string(&document).expect("TOML out")
}

pub fn actor() -> Actor {
    Actor("test:coordinator".into())
}

/// A fresh, migrated SQLite store in a folder of its own.
pub async fn sqlite_backend() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("briefcast.db").display());
    let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    sqlite.migrate().await.expect("migrate SQLite");
    Backend {
        name: "sqlite",
        store: sqlite,
        dir,
    }
}

/// A fresh, migrated PostgreSQL store in a schema of its own; None when no PostgreSQL is
/// configured (never under CI: `database_url` fails there instead).
pub async fn postgres_backend() -> Option<Backend> {
    let url = database_url()?;
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = PgStore::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("BRIEFCAST_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    drop(admin);
    create_schema(&url, &schema).await;
    let pg: Arc<dyn Store> = Arc::new(
        PgStore::connect_in_schema(&url, &schema)
            .await
            .expect("connect to schema"),
    );
    pg.migrate().await.expect("migrate PostgreSQL");
    Some(Backend {
        name: "postgres",
        store: pg,
        dir: tempfile::tempdir().unwrap(),
    })
}

/// Declares a test once and runs it on each backend, as two tests: `NAME::sqlite` and
/// `NAME::postgres` (which passes at once, saying so, when no PostgreSQL is configured outside
/// CI). The body gets its fresh `Backend` as the name in the brackets; after `seeded`, a
/// `Seedable` with the sample roster imported (see `intake_seed`); after `with_sql`, a
/// `dispatch_support::Db`, which has a direct line to the database. After `multi_thread`, the
/// tests run on a runtime of four worker threads, for those that drive a daemon and a peer.
#[allow(unused_macros)]
macro_rules! each_backend {
    (@with [$sqlite:path] [$postgres:path] [$test:meta]
        $( $(#[$meta:meta])* async fn $name:ident($b:ident) $body:block )+) => { $(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[$test]
            async fn sqlite() {
                let $b = $sqlite().await;
                $body
            }

            #[$test]
            async fn postgres() {
                let Some($b) = $postgres().await else {
                    eprintln!("BRIEFCAST_TEST_DATABASE_URL is not set: skipped");
                    return;
                };
                $body
            }
        }
    )+ };
    (seeded $($rest:tt)+) => {
        each_backend!(@with
            [crate::common::intake_seed::sqlite_seedable]
            [crate::common::intake_seed::postgres_seedable]
            [tokio::test]
            $($rest)+);
    };
    (with_sql multi_thread $($rest:tt)+) => {
        each_backend!(@with
            [crate::common::dispatch_support::sqlite_database]
            [crate::common::dispatch_support::postgres_database]
            [tokio::test(flavor = "multi_thread", worker_threads = 4)]
            $($rest)+);
    };
    (with_sql $($rest:tt)+) => {
        each_backend!(@with
            [crate::common::dispatch_support::sqlite_database]
            [crate::common::dispatch_support::postgres_database]
            [tokio::test]
            $($rest)+);
    };
    (multi_thread $($rest:tt)+) => {
        each_backend!(@with
            [crate::common::sqlite_backend]
            [crate::common::postgres_backend]
            [tokio::test(flavor = "multi_thread", worker_threads = 4)]
            $($rest)+);
    };
    ($($rest:tt)+) => {
        each_backend!(@with
            [crate::common::sqlite_backend]
            [crate::common::postgres_backend]
            [tokio::test]
            $($rest)+);
    };
}

async fn create_schema(url: &str, schema: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
}

/// A running daemon on port 0 over one backend, with a token per role.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub clock: ManualClock,
    pub coordinator: String,
    pub approver: String,
    pub ops: String,
    pub shutdown: CancellationToken,
    pub server: tokio::task::JoinHandle<anyhow::Result<()>>,
    pub backend: &'static str,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn get(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(token)
    }

    pub fn post(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(token)
    }

    pub fn delete(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path)).bearer_auth(token)
    }

    /// Posts a brief (TOML) to `path` as the coordinator, has the approver approve it, and
    /// returns its id.
    pub async fn submit_and_approve(&self, path: &str, toml: &str) -> i64 {
        let (status, brief) = json_of(
            self.post(path, &self.coordinator)
                .header("content-type", "application/toml")
                .body(toml.to_string())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{brief}");
        let id = brief["id"].as_i64().unwrap();
        let (status, body) = json_of(
            self.post(&format!("/api/v1/briefs/{id}/approve"), &self.approver)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        id
    }
}

/// The password every test person signs in to the console with.
pub const PASSWORD: &str = "correct horse battery staple";

/// A console account, made as an approver at the server's command line would.
pub async fn add_person(app: &TestApp, email: &str, name: &str, role: Role, language: briefcast::language::Language) {
    let request = briefcast::service::accounts::AccountRequest {
        email,
        name,
        role,
        language,
        password: PASSWORD,
    };
    briefcast::service::accounts::add(app.store.as_ref(), &briefcast::access::Caller::cli(), request, now())
        .await
        .unwrap();
}

/// The command line as a newcomer runs it in `dir`: on the defaults there (SQLite in
/// `./briefcast-data`), whatever database the test run itself was pointed at.
pub fn briefcast(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_briefcast"))
        .args(args)
        .current_dir(dir)
        .env_remove("BRIEFCAST_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run briefcast")
}

/// A response's status and JSON body.
pub async fn json_of(response: reqwest::Response) -> (reqwest::StatusCode, serde_json::Value) {
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

pub async fn spawn_app(backend: &Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// A daemon with extra settings, such as `BRIEFCAST_SMTP_URL`.
pub async fn spawn_app_with(backend: &Backend, settings: &[(&str, &str)]) -> TestApp {
    spawn(backend, settings, Parts::All).await
}

/// The HTTP API alone, for a test that claims and records deliveries itself: a running
/// dispatcher would claim the same deliveries at a moment of its own choosing.
pub async fn spawn_api_only(backend: &Backend) -> TestApp {
    spawn(backend, &[], Parts::HttpOnly).await
}

enum Parts {
    All,
    HttpOnly,
}

async fn spawn(backend: &Backend, settings: &[(&str, &str)], parts: Parts) -> TestApp {
    let mut env = vec![
        (
            "BRIEFCAST_DATA_DIR".to_string(),
            backend.dir.path().display().to_string(),
        ),
        ("BRIEFCAST_HTTP_ADDR".to_string(), "127.0.0.1:0".to_string()),
    ];
    env.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    briefcast::telemetry::init(briefcast::config::LogFormat::Human, "warn");
    let config = Config::from_sources(None, env).unwrap();
    let clock = ManualClock::at(now());
    let app = App::build_with_store(config, backend.store.clone(), Arc::new(clock.clone()))
        .await
        .unwrap();
    let addr = app.local_addr();
    let mut tokens = Vec::new();
    for role in [Role::Coordinator, Role::Approver, Role::Ops] {
        let token = access::new_token();
        backend
            .store
            .create_token(&access::token_hash(&token), role, role.as_str(), None, &actor(), now())
            .await
            .unwrap();
        tokens.push(token);
    }
    let shutdown = CancellationToken::new();
    let server = match parts {
        Parts::All => tokio::spawn(app.run_until_stopped(shutdown.clone())),
        Parts::HttpOnly => tokio::spawn(app.run_http_until_stopped(shutdown.clone())),
    };
    TestApp {
        addr,
        client: reqwest::Client::new(),
        store: backend.store.clone(),
        clock,
        coordinator: tokens[0].clone(),
        approver: tokens[1].clone(),
        ops: tokens[2].clone(),
        shutdown,
        server,
        backend: backend.name,
    }
}

/// One message as an SMTP peer received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt_to: Vec<String>,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Default)]
struct Peer {
    received: Arc<std::sync::Mutex<Vec<Received>>>,
    current: Option<Received>,
    gate: Option<Gate>,
    /// A reply code and text that refuses every recipient (`{to}` stands for the address).
    refuse: Option<(u16, String)>,
}

/// Two peers that each hold their first message until the other has begun one: a test of two
/// senders then knows both took part, whatever the machine's speed.
#[derive(Clone)]
struct Gate {
    me: usize,
    started: Arc<(std::sync::Mutex<[bool; 2]>, std::sync::Condvar)>,
}

impl Gate {
    fn pass(&self) {
        let (lock, turned) = &*self.started;
        let mut started = lock.lock().unwrap();
        started[self.me] = true;
        turned.notify_all();
        // Bounded, so that a test whose other sender never comes fails on its assertions.
        let _ = turned
            .wait_timeout_while(started, std::time::Duration::from_secs(30), |s| !s[1 - self.me])
            .unwrap();
    }
}

impl mailin_embedded::Handler for Peer {
    fn rcpt(&mut self, to: &str) -> mailin_embedded::Response {
        match &self.refuse {
            Some((code, text)) => mailin_embedded::Response::custom(*code, text.replace("{to}", to)),
            None => mailin_embedded::response::OK,
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        if let Some(gate) = &self.gate {
            gate.pass();
        }
        self.current = Some(Received {
            rcpt_to: to.to_vec(),
            bytes: Vec::new(),
        });
        mailin_embedded::response::START_DATA
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.bytes.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let Some(done) = self.current.take() {
            self.received.lock().unwrap().push(done);
        }
        mailin_embedded::response::OK
    }
}

/// An in-process SMTP server on a free loopback port; returns its `smtp://` URL and what it got.
pub fn spawn_smtp_peer() -> (String, Arc<std::sync::Mutex<Vec<Received>>>) {
    let peer = Peer::default();
    let received = peer.received.clone();
    (serve_peer(peer), received)
}

/// An in-process SMTP server that refuses every recipient with `code` and `text`, e.g. 550 and
/// `5.1.1 <{to}>: Recipient address rejected: User unknown`; its `smtp://` URL.
pub fn spawn_refusing_smtp_peer(code: u16, text: &str) -> String {
    serve_peer(Peer {
        refuse: Some((code, text.to_string())),
        ..Peer::default()
    })
}

/// Two in-process SMTP servers, one per sender, that record into one list and hold their first
/// message until the other server has begun one (see [`Gate`]); their URLs and what they got.
pub fn spawn_gated_smtp_pair() -> ([String; 2], Arc<std::sync::Mutex<Vec<Received>>>) {
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let started = Arc::new((std::sync::Mutex::new([false; 2]), std::sync::Condvar::new()));
    let urls = [0, 1].map(|me| {
        serve_peer(Peer {
            received: received.clone(),
            current: None,
            gate: Some(Gate {
                me,
                started: started.clone(),
            }),
            refuse: None,
        })
    });
    (urls, received)
}

fn serve_peer(peer: Peer) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut server = mailin_embedded::Server::new(peer);
    // mailin serves one connection per thread and the transport keeps its connections open, so
    // the peer needs more threads than the dispatcher has messages in flight.
    server
        .with_name("peer.test")
        .with_num_threads(32)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    format!("smtp://{addr}")
}

/// Waits for a condition, checking often, failing after a deadline: tests never sleep blindly.
pub async fn eventually<F: FnMut() -> bool>(what: &str, mut done: F) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Waits for an asynchronous check to give a value, checking often, failing after a deadline.
pub async fn eventually_async<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A reader's reply to `received`, as their mail app would write it from `template` (a file of
/// `content/demo/replies/` with `{{TOKEN}}` and `{{MESSAGE_ID}}`): to the message's own reply
/// address, in reply to its Message-ID.
pub fn reply_to(received: &Received, template: &str) -> String {
    let parsed = mail_parser::MessageParser::default()
        .parse(&received.bytes)
        .expect("a message the peer received");
    let reply_to = parsed
        .reply_to()
        .and_then(|r| r.first())
        .and_then(|a| a.address())
        .expect("a Reply-To address")
        .to_string();
    let token = reply_to
        .trim_start_matches("questions+")
        .split('@')
        .next()
        .unwrap_or_default()
        .to_string();
    let message_id = parsed.message_id().expect("a Message-ID");
    template
        .replace("{{TOKEN}}", &token)
        .replace("{{MESSAGE_ID}}", &format!("<{message_id}>"))
}
