//! Sends one edition of the storm brief to generated recipients (fi, sv and en mixed) through the
//! real `Dispatcher` and SMTP transport into an SMTP peer, normally Postfix's `smtp-sink` started
//! by `bench/dispatch.sh`. Prints messages per second (edition created → all recorded sent), p50
//! and p99 from claim to "sent" recorded, the message size and peak memory (VmHWM).
//!
//! SQLite always; PostgreSQL when `BRIEFCAST_BENCH_DATABASE_URL` names a database (a fresh schema
//! is made inside it and dropped after). `BRIEFCAST_BENCH_SMTP` is the peer (default
//! `127.0.0.1:2525`); `BRIEFCAST_BENCH_POOL` the SMTP sessions (default 4), `BRIEFCAST_BENCH_BATCH`,
//! `BRIEFCAST_BENCH_CONCURRENCY` and `BRIEFCAST_BENCH_LANES` the dispatcher's pace (default the
//! daemon's: 200, 16 and 2).
//!
//! `BRIEFCAST_BENCH_DKIM_KEY` names PEM keys (RSA or Ed25519, comma-separated) that each sign
//! every message; the bench then also prints this machine's own signing rate per core for each.
//! `BRIEFCAST_BENCH_ONLY=sqlite` or `=postgres` measures one backend.
//!
//! `cargo bench --bench dispatch` sends to 100,000 and then 1,000,000 recipients per backend;
//! `cargo bench --bench dispatch -- 20000` sends to 20,000 only.

use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use briefcast::access::Actor;
use briefcast::audience::SegmentFilter;
use briefcast::brief::{Brief, BriefStatus};
use briefcast::clock::{Clock, SystemClock};
use briefcast::config::MissingLanguage;
use briefcast::dispatch::dispatcher::{Dispatcher, EditionCache, Pace};
use briefcast::dispatch::message::{DkimKey, DkimSigner, Letterhead, OutgoingMessage};
use briefcast::dispatch::transport::{SendError, SendReceipt, Transport, transport_from_url};
use briefcast::edition::EditionKind;
use briefcast::edition::{EditionBrief, NewEdition, Recipients};
use briefcast::language::Language;
use briefcast::metrics::Metrics;
use briefcast::pack::{Content, LanguagePolicy};
use briefcast::store::{PgStore, SqliteStore, Store};
use briefcast::token::TokenKey;
use chrono::{TimeDelta, Utc};

/// Rows per import transaction: the roster is seeded in slices so that seeding a million people
/// does not itself raise the peak memory the bench reports for sending.
const IMPORT_SLICE: usize = 50_000;

/// Counts what goes on the wire, for the message size, and passes everything else through.
struct Counted {
    inner: Arc<dyn Transport>,
    bytes: AtomicU64,
    messages: AtomicU64,
}

#[async_trait]
impl Transport for Counted {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    async fn send(&self, message: &OutgoingMessage) -> Result<SendReceipt, SendError> {
        self.bytes.fetch_add(message.bytes.len() as u64, Ordering::Relaxed);
        self.messages.fetch_add(1, Ordering::Relaxed);
        self.inner.send(message).await
    }
}

fn roster_slice(from: usize, to: usize) -> Vec<u8> {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    let languages = ["fi", "fi", "sv", "en", "fi"];
    let names = [
        "Aino Virtanen",
        "Elias Lindqvist",
        "Sara Korhonen",
        "Oskar Nyberg",
        "Emma Mäkinen",
    ];
    let cadences = ["daily", "weekly", "monthly"];
    for i in from..to {
        writeln!(
            csv,
            "person{i}@example.fi,{},{},instagram;tiktok,{},health;preparedness,Uusimaa,open,{},2026-03-02T10:15:00+02:00,bench",
            names[i % 5],
            languages[i % 5],
            (i * 7919) % 2_000_000,
            cadences[i % 3],
        )
        .unwrap();
    }
    csv.into_bytes()
}

/// Peak resident memory of this process so far, in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets VmHWM to the current resident size (Linux `clear_refs` value 5), so each run's peak
/// is its own and not the seeding's or an earlier run's.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The DKIM keys named by `BRIEFCAST_BENCH_DKIM_KEY`, to measure signing.
fn dkim_keys() -> Vec<DkimKey> {
    let Ok(paths) = std::env::var("BRIEFCAST_BENCH_DKIM_KEY") else {
        return Vec::new();
    };
    paths
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .enumerate()
        .map(|(i, path)| {
            let pem = std::fs::read_to_string(path.trim()).expect("BRIEFCAST_BENCH_DKIM_KEY names readable PEM files");
            DkimKey::from_pem(&format!("bench{i}"), "example.fi", &pem).expect("a DKIM key")
        })
        .collect()
}

fn dkim() -> Option<DkimSigner> {
    let keys = dkim_keys();
    (!keys.is_empty()).then(|| DkimSigner::new(keys))
}

/// Signatures per second on one core for each key alone, over a message of `size` bytes: the
/// ceiling of a signed send on this machine, to hold the dispatch rate against.
fn signing_ceiling(size: usize) {
    let message = format!("From: a@example.fi\r\nSubject: x\r\n\r\n{}\r\n", "x".repeat(size));
    for key in dkim_keys() {
        let algorithm = key.algorithm();
        let signer = DkimSigner::new(vec![key]);
        let started = Instant::now();
        let mut n = 0u32;
        while started.elapsed().as_millis() < 1000 {
            signer.sign(message.as_bytes()).expect("signing");
            n += 1;
        }
        println!(
            "signing alone, one core: {algorithm}: {:.0} messages/s",
            f64::from(n) / started.elapsed().as_secs_f64()
        );
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn measure(backend: &str, store: Arc<dyn Store>, recipients: usize, smtp: &str, pace: &Pace) {
    store.migrate().await.expect("migrate");
    let actor = Actor("bench".into());
    let seeding = Instant::now();
    for from in (0..recipients).step_by(IMPORT_SLICE) {
        let file = roster_slice(from, (from + IMPORT_SLICE).min(recipients));
        let report = briefcast::service::audience::store_roster(store.as_ref(), &file, &actor, Utc::now())
            .await
            .expect("import");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    }
    let seeded = seeding.elapsed();

    // The storm fixture, live now: embargo passed, expiry a day away.
    let mut brief = Brief::from_toml(include_str!("../tests/fixtures/briefs/storm-72h.toml")).unwrap();
    let now = Utc::now();
    brief.meta.embargo = Some((now - TimeDelta::hours(1)).fixed_offset());
    brief.meta.expires = Some((now + TimeDelta::days(1)).fixed_offset());
    let stored = store
        .insert_brief(&brief, None, &actor, now)
        .await
        .expect("insert brief");
    store
        .transition_brief(stored.id, BriefStatus::Draft, BriefStatus::Approved, &actor, now)
        .await
        .expect("approve brief");

    let secret = "bench-secret-bench-secret-bench-secret";
    let public_url = "https://briefcast.example.fi";
    let reply_domain = "example.fi";
    let transport = Arc::new(Counted {
        inner: transport_from_url(Some(smtp), std::path::Path::new("/nonexistent"), None).expect("SMTP transport"),
        bytes: AtomicU64::new(0),
        messages: AtomicU64::new(0),
    });
    let dispatcher = Arc::new(Dispatcher {
        editions: EditionCache::default(),
        pulse: Arc::default(),
        store: store.clone(),
        transport: transport.clone(),
        letterhead: Arc::new(
            Letterhead::new(
                "briefcast <news@example.fi>",
                reply_domain,
                public_url,
                TokenKey::new(secret),
                dkim(),
            )
            .unwrap(),
        ),
        content: Arc::new(Content::embedded()),
        policy: LanguagePolicy {
            missing: MissingLanguage::Hold,
            fallback: Language::En,
        },
        clock: Arc::new(SystemClock),
        metrics: Arc::new(Metrics::default()),
        worker: "bench".into(),
        pace: pace.clone(),
    });

    reset_peak();
    let started = Instant::now();
    let edition = NewEdition {
        kind: EditionKind::Scheduled,
        schedule: None,
        due_at: SystemClock.now(),
        briefs: vec![EditionBrief {
            brief: stored.id,
            position: 1,
            is_correction: false,
        }],
        recipients: Recipients::Segment(SegmentFilter::default()),
    };
    let created = store
        .create_edition(&edition, &actor, SystemClock.now())
        .await
        .expect("create edition");
    assert_eq!(created.recipients as usize, recipients);
    let created_in = started.elapsed();
    let claimed = dispatcher.drain().await.expect("dispatch");
    let elapsed = started.elapsed();
    let peak = peak_mb();
    let sent = transport.messages.load(Ordering::Relaxed);
    assert_eq!(claimed, recipients, "every delivery claimed once");

    let mut latencies = store.send_latencies(created.edition).await.expect("latencies");
    latencies.sort_by(f64::total_cmp);
    let counts = store.delivery_counts().await.expect("counts");
    let size = transport.bytes.load(Ordering::Relaxed) as f64 / sent.max(1) as f64;
    println!(
        "{backend:<8} {recipients:>9} recipients: {:>6.0} msg/s ({:.1} s, edition created in {:.1} s; seeded in {:.1} s) \
         claim→sent p50 {:.0} ms p99 {:.0} ms, {:.0} bytes/message, peak {:.0} MB; recorded sent {} of {sent} sent; {counts:?}",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        created_in.as_secs_f64(),
        seeded.as_secs_f64(),
        percentile(&latencies, 50.0) * 1000.0,
        percentile(&latencies, 99.0) * 1000.0,
        size,
        peak,
        latencies.len(),
    );
}

#[tokio::main]
async fn main() {
    let counts: Vec<usize> = match std::env::args().skip(1).find_map(|a| a.parse().ok()) {
        Some(n) => vec![n],
        None => vec![100_000, 1_000_000],
    };
    let peer: String = env_or("BRIEFCAST_BENCH_SMTP", "127.0.0.1:2525".to_string());
    let pool: u32 = env_or("BRIEFCAST_BENCH_POOL", 4);
    let smtp = format!("smtp://{peer}?pool={pool}");
    // The daemon's own defaults unless overridden: since claims read each edition's due range by
    // index and the bodies are encoded once per edition, batch 1000 and 16 per lane gain nothing
    // measurable over them (7,000-7,400 msg/s at 100,000 on PostgreSQL either way) and only
    // lengthen claim→sent.
    let defaults = Pace::default();
    let pace = Pace {
        batch: env_or("BRIEFCAST_BENCH_BATCH", defaults.batch),
        concurrency: env_or("BRIEFCAST_BENCH_CONCURRENCY", defaults.concurrency),
        lanes: env_or("BRIEFCAST_BENCH_LANES", defaults.lanes),
        ..defaults
    };
    println!(
        "dispatch: {smtp}, batch {}, concurrency {}, lanes {}, {} cores",
        pace.batch,
        pace.concurrency,
        pace.lanes,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // Messages of the edition's size (about 9 KB), signed alone, for the ceiling.
    signing_ceiling(9_000);

    let only: Option<String> = std::env::var("BRIEFCAST_BENCH_ONLY").ok();
    let runs = |backend: &str| only.as_deref().is_none_or(|o| o == backend);

    for &n in counts.iter().filter(|_| runs("sqlite")) {
        let dir = tempfile::tempdir_in(std::env::var("BRIEFCAST_BENCH_TMP").unwrap_or_else(|_| "/tmp".into())).unwrap();
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.unwrap());
        measure("sqlite", store, n, &smtp, &pace).await;
        // The database of a million deliveries is large: it goes before the next run.
        drop(dir);
    }

    if !runs("postgres") {
    } else if let Ok(url) = std::env::var("BRIEFCAST_BENCH_DATABASE_URL") {
        use sqlx::Connection;
        for &n in &counts {
            let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to PostgreSQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let store: Arc<dyn Store> = Arc::new(PgStore::connect_in_schema(&url, &schema).await.unwrap());
            measure("postgres", store, n, &smtp, &pace).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    } else {
        println!("postgres skipped: set BRIEFCAST_BENCH_DATABASE_URL to measure it");
    }
}
