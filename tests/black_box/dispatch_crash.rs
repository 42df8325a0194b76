//! The daemon killed with SIGKILL in the middle of an edition to a few thousand recipients, then
//! started again: every recipient gets exactly one message, except those whose delivery is
//! recorded as uncertain, who get at most one. This runs the real binary, as ops would, against
//! an SMTP peer inside the test that counts what it took per recipient.
//!
//! SQLite always; PostgreSQL too when `BRIEFCAST_TEST_DATABASE_URL` is set (in a fresh schema,
//! dropped at the end).

use crate::common;

use std::collections::HashMap;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefcast::edition::{DeliveryStatus, EditionId};
use briefcast::store::{DeliveryQuery, Store};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
/// A few thousand, as the issue asks; small enough on disk to leave no trace worth the name.
const READERS: usize = 3_000;
/// Kill once the peer has taken this many: well inside the edition.
const KILL_AFTER: usize = 300;

/// Counts messages the peer took (the final dot answered 250), per recipient.
#[derive(Clone, Default)]
struct CountingPeer {
    taken: Arc<Mutex<HashMap<String, u32>>>,
    total: Arc<AtomicUsize>,
    rcpt: Vec<String>,
}

impl mailin_embedded::Handler for CountingPeer {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.rcpt = to.iter().map(|t| t.to_ascii_lowercase()).collect();
        mailin_embedded::response::START_DATA
    }

    fn data(&mut self, _buf: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let mut taken = self.taken.lock().unwrap();
        for to in self.rcpt.drain(..) {
            *taken.entry(to).or_default() += 1;
            self.total.fetch_add(1, Ordering::SeqCst);
        }
        mailin_embedded::response::OK
    }
}

fn spawn_peer() -> (String, CountingPeer) {
    let peer = CountingPeer::default();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut server = mailin_embedded::Server::new(peer.clone());
    // One thread per connection: the daemon's pool holds four, and the killed daemon's sessions
    // linger until the kernel closes them.
    server
        .with_name("peer.test")
        .with_num_threads(16)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://{addr}"), peer)
}

/// A running `briefcast serve`; killed if the test fails with it still running, so that no
/// daemon outlives its test.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// One backend's daemon environment: where it keeps its files and which database it uses.
struct Site {
    name: &'static str,
    dir: tempfile::TempDir,
    database_url: String,
}

impl Site {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_briefcast"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("BRIEFCAST_DATABASE_URL", &self.database_url)
            .env("BRIEFCAST_TWO_PERSON_RULE", "false")
            .env("RUST_LOG", "warn");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().expect("run briefcast");
        assert!(
            out.status.success(),
            "{}: briefcast {args:?}: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// `briefcast serve` on its defaults: a ten-minute lease, so that only the heartbeat can turn
    /// a killed daemon's claims uncertain within the minute.
    fn serve(&self, smtp_url: &str) -> Daemon {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut daemon = self
            .command(&["serve"])
            .env("BRIEFCAST_HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("BRIEFCAST_SMTP_URL", smtp_url)
            .stdout(Stdio::null())
            .spawn()
            .map(Daemon)
            .expect("start briefcast serve");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{}: the daemon did not start listening",
                self.name
            );
            assert!(
                daemon.0.try_wait().unwrap().is_none(),
                "{}: the daemon exited early",
                self.name
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        daemon
    }
}

/// A roster, an approved brief, a segment and a schedule, set up at the command line; then the
/// edition, queued before any daemon runs. Returns the edition.
fn prepare(site: &Site) -> EditionId {
    let roster = site.dir.path().join("roster.csv");
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    for i in 0..READERS {
        let language = ["fi", "sv", "en"][i % 3];
        csv.push_str(&format!(
            "reader{i:04}@example.fi,Reader {i},{language},instagram,1000,health,Uusimaa,open,daily,2026-01-02T10:00:00+02:00,form\n"
        ));
    }
    std::fs::write(&roster, csv).unwrap();
    let report = site.json(&["influencers", "import", roster.to_str().unwrap()]);
    assert_eq!(report["new"], READERS, "{report}");

    // The daemon runs on the real clock: the brief must be past its embargo and far from expiry.
    let brief_file = site.dir.path().join("storm.toml");
    std::fs::write(&brief_file, common::brief_valid_at(STORM, chrono::Utc::now())).unwrap();
    let added = site.json(&["brief", "add", brief_file.to_str().unwrap()]);
    let id = added["id"].as_i64().expect("a brief id").to_string();
    site.run(&["brief", "approve", &id]);
    site.run(&["segments", "add", "crash-readers", "--cadence", "daily"]);
    // New Year's Day only: the scheduler adds no edition of its own while the test runs.
    site.run(&[
        "schedules",
        "add",
        "crash",
        "--cron",
        "0 9 1 1 *",
        "--cadence",
        "daily",
        "--segment",
        "crash-readers",
    ]);
    let created = site.json(&["edition", "send", "crash", "--now"]);
    assert_eq!(created["recipients"], READERS, "{created}");
    EditionId(created["edition"].as_i64().unwrap())
}

fn count(counts: &[(DeliveryStatus, u64)], status: DeliveryStatus) -> u64 {
    counts.iter().filter(|(s, _)| *s == status).map(|(_, n)| n).sum()
}

async fn with_status(store: &dyn Store, edition: EditionId, status: DeliveryStatus) -> Vec<String> {
    store
        .deliveries(&DeliveryQuery {
            edition: Some(edition),
            status: Some(status),
            limit: READERS as u64 + 1,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.email.expect("nobody was erased"))
        .collect()
}

fn kill_and_reap(daemon: &mut Daemon) {
    // Child::kill is SIGKILL on Unix: no shutdown path runs, as in a power cut or the OOM killer.
    daemon.0.kill().unwrap();
    daemon.0.wait().unwrap();
}

fn crash_and_recover(site: &Site, runtime: &tokio::runtime::Runtime) {
    let (smtp_url, peer) = spawn_peer();
    let edition = prepare(site);

    let mut first = site.serve(&smtp_url);
    let deadline = Instant::now() + Duration::from_secs(120);
    while peer.total.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            Instant::now() < deadline,
            "{}: the peer never got {KILL_AFTER} messages",
            site.name
        );
        assert!(
            first.0.try_wait().unwrap().is_none(),
            "{}: the daemon exited",
            site.name
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    kill_and_reap(&mut first);
    let killed_at = chrono::Utc::now();
    let at_kill = peer.total.load(Ordering::SeqCst);
    assert!(
        at_kill < READERS,
        "{}: killed too late to prove anything ({at_kill})",
        site.name
    );

    let store = runtime.block_on(briefcast::store::connect(&site.database_url)).unwrap();
    let mut second = site.serve(&smtp_url);
    // The killed daemon's claims become uncertain once its heartbeat has been silent for 50 s,
    // on the restarted daemon's next beat (every 5 s).
    let deadline = Instant::now() + Duration::from_secs(120);
    let counts = loop {
        let counts = runtime.block_on(store.delivery_counts()).unwrap();
        let open = [
            DeliveryStatus::Queued,
            DeliveryStatus::Deferred,
            DeliveryStatus::Sending,
        ]
        .into_iter()
        .map(|s| count(&counts, s))
        .sum::<u64>();
        if open == 0 {
            break counts;
        }
        assert!(
            Instant::now() < deadline,
            "{}: deliveries still open: {counts:?}",
            site.name
        );
        assert!(
            second.0.try_wait().unwrap().is_none(),
            "{}: the restarted daemon exited",
            site.name
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let stopped = Command::new("kill")
        .args(["-TERM", &second.0.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        second.0.wait().unwrap().success(),
        "{}: a clean stop after recovery",
        site.name
    );

    let sent = runtime.block_on(with_status(store.as_ref(), edition, DeliveryStatus::Sent));
    let uncertain = runtime.block_on(with_status(store.as_ref(), edition, DeliveryStatus::Uncertain));
    let taken = peer.taken.lock().unwrap().clone();
    let duplicates = taken.values().filter(|n| **n > 1).count();
    let uncertain_taken = uncertain.iter().filter(|to| taken.contains_key(*to)).count();
    println!(
        "{}: killed after {at_kill} messages; {} sent, {} uncertain ({uncertain_taken} of them reached the peer), \
         {} taken by the peer in all, duplicates = {duplicates}",
        site.name,
        sent.len(),
        uncertain.len(),
        peer.total.load(Ordering::SeqCst)
    );

    assert_eq!(count(&counts, DeliveryStatus::Sending), 0, "{}: {counts:?}", site.name);
    // Ops know within a minute what may have gone out, and never while a send could still be
    // completing: the killed daemon beat at most 5 s before it died, and gave up on new sends
    // 10 s after its last beat, each send bounded to 35 s.
    let records = runtime.block_on(store.deliveries(&DeliveryQuery {
        edition: Some(edition),
        status: Some(DeliveryStatus::Uncertain),
        limit: READERS as u64 + 1,
        offset: 0,
        ..Default::default()
    }));
    for record in records.unwrap() {
        let turned = record
            .events
            .iter()
            .find(|e| e.status == "uncertain")
            .expect("an uncertain event")
            .at;
        let after = (turned - killed_at).num_milliseconds() as f64 / 1000.0;
        assert!(
            (40.0..=60.0).contains(&after),
            "{}: delivery {} turned uncertain {after} s after the kill",
            site.name,
            record.id
        );
    }
    assert_eq!(
        sent.len() + uncertain.len(),
        READERS,
        "{}: every delivery is sent or uncertain: {counts:?}",
        site.name
    );
    assert_eq!(duplicates, 0, "{}: nobody got a message twice", site.name);
    for to in &sent {
        assert_eq!(taken.get(to), Some(&1), "{}: {to} was recorded sent", site.name);
    }
    for to in &uncertain {
        assert!(taken.get(to).copied().unwrap_or(0) <= 1, "{}: {to}", site.name);
    }
    assert_eq!(
        peer.total.load(Ordering::SeqCst),
        sent.len() + uncertain_taken,
        "{}: the peer took nothing the log cannot account for",
        site.name
    );
    assert!(
        peer.total.load(Ordering::SeqCst) > at_kill,
        "{}: the restarted daemon carried on with the edition",
        site.name
    );
}

#[test]
fn a_daemon_killed_mid_edition_resumes_without_doubling_anyone() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Site {
        name: "sqlite",
        database_url: format!("sqlite://{}", dir.path().join("briefcast.db").display()),
        dir,
    };
    crash_and_recover(&sqlite, &runtime);
    drop(sqlite);

    if let Some(url) = common::database_url() {
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = |sql: String| {
            runtime.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url)
                    .await
                    .unwrap_or_else(|e| panic!("BRIEFCAST_TEST_DATABASE_URL is set but unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
            })
        };
        admin(format!("CREATE SCHEMA {schema}"));
        // The daemon takes a URL: libpq's `options` puts its every table in the fresh schema.
        let separator = if url.contains('?') { '&' } else { '?' };
        let postgres = Site {
            name: "postgres",
            dir: tempfile::tempdir().unwrap(),
            database_url: format!("{url}{separator}options=-csearch_path%3D{schema}"),
        };
        run_then_drop_schema(&postgres, &runtime, || admin(format!("DROP SCHEMA {schema} CASCADE")));
    }
}

/// Drops the test's schema even when the scenario fails, so no failed run leaves tables behind.
fn run_then_drop_schema(site: &Site, runtime: &tokio::runtime::Runtime, drop_schema: impl FnOnce()) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crash_and_recover(site, runtime)));
    drop_schema();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
