//! Two daemons on one database share an edition: every recipient gets exactly one message, both
//! daemons send part of it, and (on PostgreSQL, where several daemons are the way to scale) one
//! of them at a time runs the scheduler.
//!
//! Both are whole `App`s in this process, each with its own store connections, clock and HTTP
//! port, sending into one SMTP peer, as two `briefcast serve` would.
//!
//! On SQLite each process leads its own scheduler by design (one process is expected to own the
//! file, and a run fires once through its unique key whoever ticks), so "exactly one leader" is
//! asserted on PostgreSQL only; on both, some daemon must lead, or the edition is never closed.

use crate::common;
use crate::common::dispatch_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use briefcast::app::App;
use briefcast::audience::SegmentFilter;
use briefcast::clock::ManualClock;
use briefcast::config::Config;
use briefcast::edition::{DeliveryStatus, EditionId, EditionKind, EditionStatus};
use briefcast::edition::{EditionBrief, NewEdition, Recipients};
use briefcast::store::{DeliveryQuery, PgStore, Store};
use common::spawn_gated_smtp_pair;
use dispatch_support::{Db, NewBrief, Raw, actor, at, brief, generated_roster};
use tokio_util::sync::CancellationToken;

const READERS: usize = 1_000;

struct Daemon {
    name: &'static str,
    addr: std::net::SocketAddr,
    shutdown: CancellationToken,
    running: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Builds a daemon over `store`. Not yet running: both start together, so that neither has the
/// edition to itself before the other is up.
async fn build(db: &Db, store: Arc<dyn Store>, smtp_url: &str) -> App {
    let env = [
        ("BRIEFCAST_DATA_DIR", db.backend.dir.path().display().to_string()),
        ("BRIEFCAST_HTTP_ADDR", "127.0.0.1:0".to_string()),
        ("BRIEFCAST_SMTP_URL", smtp_url.to_string()),
        // Small batches, so that the edition is many claims the two daemons compete for.
        ("BRIEFCAST_DISPATCH_BATCH", "25".to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v));
    briefcast::telemetry::init(briefcast::config::LogFormat::Human, "warn");
    let config = Config::from_sources(None, env).unwrap();
    let clock = ManualClock::at(at("2026-11-21T08:00:00Z"));
    App::build_with_store(config, store, Arc::new(clock)).await.unwrap()
}

fn run(name: &'static str, app: App) -> Daemon {
    let addr = app.local_addr();
    let shutdown = CancellationToken::new();
    let running = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    Daemon {
        name,
        addr,
        shutdown,
        running,
    }
}

/// What this daemon's own counters say it sent.
async fn sent_by(daemon: &Daemon) -> u64 {
    let text = reqwest::get(format!("http://{}/metrics", daemon.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with("briefcast_delivery_outcomes_total{") && l.contains("status=\"sent\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// PostgreSQL: the `application_name` of each session holding the scheduler's advisory lock
/// for `schema`. The daemons' stores are opened with names of their own, so the holder says
/// which leads.
async fn scheduler_holders(db: &Db, schema: &str) -> Vec<String> {
    let Raw::Postgres(pool) = &db.raw else {
        unreachable!("advisory locks are PostgreSQL's")
    };
    // The store's key (src/store/postgres.rs) is the pair ("bcsc", hashtext(schema)); pg_locks
    // shows a two-part key as classid and objid, the latter as an unsigned oid.
    sqlx::query_scalar(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
         AND l.classid::bigint = $1 AND l.objid::bigint = (hashtext($2)::bigint & 4294967295)",
    )
    .bind(0x6263_7363_i64)
    .bind(schema)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn named(url: &str, name: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}application_name={name}")
}

each_backend! {
    with_sql
    multi_thread
    async fn two_daemons_share_an_edition_each_recipient_once_and_one_leads_the_scheduler(db) {
        // Each daemon its own peer, each holding its first message until the other daemon has
        // begun one: both take part however fast the machine (on SQLite under CI the first daemon
        // up once sent all 1,000 before the second made its first claim).
        let ([smtp_a, smtp_b], received) = spawn_gated_smtp_pair();
        generated_roster(&db, READERS).await;
        let storm = brief(&db, NewBrief::approved("storm", "weekly")).await;

        let (first, second): (Arc<dyn Store>, Arc<dyn Store>) = match &db.schema {
            None => (db.backend.store.clone(), db.second_daemon().await),
            Some(schema) => (
                Arc::new(
                    PgStore::connect_in_schema(&named(&db.url, "daemon-a"), schema)
                        .await
                        .unwrap(),
                ),
                Arc::new(
                    PgStore::connect_in_schema(&named(&db.url, "daemon-b"), schema)
                        .await
                        .unwrap(),
                ),
            ),
        };
        // Another deployment in another schema of the same database leads its own scheduler
        // all along: it must not keep these daemons from leading theirs.
        let neighbour = match &db.schema {
            None => None,
            Some(schema) => {
                let Raw::Postgres(pool) = &db.raw else { unreachable!() };
                let other = format!("{schema}_neighbour");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {other}")))
                    .execute(pool)
                    .await
                    .unwrap();
                let store: Arc<dyn Store> = Arc::new(
                    PgStore::connect_in_schema(&named(&db.url, "neighbour"), &other)
                        .await
                        .unwrap(),
                );
                let leads = store.try_lead(briefcast::store::Lead::Scheduler).await.unwrap();
                assert!(leads.is_some(), "the neighbour leads its own schema");
                Some((other, store, leads))
            }
        };
        let a = build(&db, first, &smtp_a).await;
        let b = build(&db, second, &smtp_b).await;
        let edition: EditionId = db
            .store()
            .create_edition(
                &NewEdition {
                    kind: EditionKind::Manual,
                    schedule: None,
                    due_at: at("2026-11-21T08:00:00Z"),
                    briefs: vec![EditionBrief {
                        brief: storm,
                        position: 1,
                        is_correction: false,
                    }],
                    recipients: Recipients::Segment(SegmentFilter::default()),
                },
                &actor(),
                at("2026-11-21T08:00:00Z"),
            )
            .await
            .unwrap()
            .edition;
        let daemons = [run("daemon-a", a), run("daemon-b", b)];

        // While the edition goes out, at most one daemon holds the scheduler's lock.
        let mut leaders: Vec<Vec<String>> = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(schema) = &db.schema {
                leaders.push(scheduler_holders(&db, schema).await);
            }
            let done = db
                .store()
                .deliveries(&DeliveryQuery {
                    edition: Some(edition),
                    status: Some(DeliveryStatus::Sent),
                    limit: READERS as u64 + 1,
                    offset: 0,
                    ..Default::default()
                })
                .await
                .unwrap()
                .len();
            if done == READERS {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{}: only {done} of {READERS} sent",
                db.name()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let messages = received.lock().unwrap().clone();
        let mut per_recipient: HashMap<String, u32> = HashMap::new();
        for m in &messages {
            for to in &m.rcpt_to {
                *per_recipient.entry(to.clone()).or_default() += 1;
            }
        }
        assert_eq!(messages.len(), READERS, "{}: one message per delivery", db.name());
        assert_eq!(per_recipient.len(), READERS, "{}: every recipient reached", db.name());
        assert!(per_recipient.values().all(|n| *n == 1), "{}: nobody twice", db.name());

        // Who sent what: each delivery keeps the lease owner that recorded it, and each daemon
        // counts its own outcomes.
        let log = db
            .store()
            .deliveries(&DeliveryQuery {
                edition: Some(edition),
                status: None,
                limit: READERS as u64 + 1,
                offset: 0,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut by_owner: HashMap<String, usize> = HashMap::new();
        for d in &log {
            assert_eq!(d.status, DeliveryStatus::Sent, "{}: {d:?}", db.name());
            assert_eq!(d.attempts, 1, "{}: claimed once: {d:?}", db.name());
            *by_owner.entry(d.lease_owner.clone().unwrap_or_default()).or_default() += 1;
        }
        let mut counted = Vec::new();
        for daemon in &daemons {
            counted.push((daemon.name, sent_by(daemon).await));
        }
        println!(
            "{}: sent per lease owner {by_owner:?}, per daemon's metrics {counted:?}",
            db.name()
        );
        assert_eq!(by_owner.len(), 2, "{}: both daemons claimed: {by_owner:?}", db.name());
        assert!(
            counted.iter().all(|(_, n)| *n > 0),
            "{}: both daemons sent some: {counted:?}",
            db.name()
        );
        assert_eq!(
            counted.iter().map(|(_, n)| n).sum::<u64>(),
            READERS as u64,
            "{}: {counted:?}",
            db.name()
        );

        // Only a leader closes finished editions: the edition becoming `done` shows that one
        // of the two runs the scheduler for this schema, neighbour or not.
        let deadline = Instant::now() + Duration::from_secs(60);
        while db.store().edition(edition).await.unwrap().unwrap().status != EditionStatus::Done {
            assert!(
                Instant::now() < deadline,
                "{}: the edition was never closed: no daemon leads the scheduler",
                db.name()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Some(schema) = &db.schema {
            let leader = scheduler_holders(&db, schema).await;
            println!(
                "{}: scheduler led by {leader:?}; samples while sending {leaders:?}",
                db.name()
            );
            assert_eq!(leader.len(), 1, "{}: exactly one leader: {leader:?}", db.name());
            assert!(
                ["daemon-a", "daemon-b"].contains(&leader[0].as_str()),
                "{}: the leader is one of the two daemons: {leader:?}",
                db.name()
            );
            assert!(
                leaders.iter().all(|l| l.is_empty() || *l == leader),
                "{}: one leader throughout: {leaders:?}",
                db.name()
            );
        }

        for daemon in daemons {
            daemon.shutdown.cancel();
            daemon.running.await.unwrap().unwrap();
        }
        if let Some((other, store, leads)) = neighbour {
            drop(leads);
            drop(store);
            if let Raw::Postgres(pool) = &db.raw {
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {other} CASCADE")))
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
    }
}
