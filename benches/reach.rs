//! The reach report at national scale: 1,000 briefs, 100,000 readers, 1,000,000 deliveries (ten
//! editions of a hundred briefs each, to everyone), 5,000 reported posts and 2,000 days of
//! clicks. Prints how long the report takes from the database to its figures (the store's facts
//! and their sum), the best and the median of five runs, on SQLite and, when
//! `BRIEFCAST_BENCH_DATABASE_URL` names a database, PostgreSQL (in a fresh schema, dropped after).
//!
//! The deliveries are marked sent in one statement: the report reads when each was sent, and
//! sending a million messages is the dispatch bench's work, not this one's.
//!
//! `cargo bench --bench reach`; `cargo bench --bench reach -- 20000` for 20,000 readers.

use std::fmt::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use briefcast::access::{Actor, Caller};
use briefcast::audience::SegmentFilter;
use briefcast::brief::Brief;
use briefcast::edition::{EditionBrief, EditionKind, NewEdition, Recipients};
use briefcast::ids::{BriefId, InfluencerId};
use briefcast::language::Language;
use briefcast::reach::{PostUrl, ReachQuery};
use briefcast::store::{NewPostReport, PgStore, SqliteStore, Store};
use chrono::{TimeDelta, Utc};

const BRIEFS: usize = 1_000;
const EDITIONS: usize = 10;
const POSTS: usize = 5_000;
const CLICK_DAYS: usize = 2_000;
const IMPORT_SLICE: usize = 50_000;

fn roster_slice(from: usize, to: usize) -> Vec<u8> {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    for i in from..to {
        writeln!(
            csv,
            "reader{i}@example.fi,Reader {i},{},instagram;tiktok,{},health,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,bench",
            ["fi", "sv", "en"][i % 3],
            (i * 7919) % 500_000,
        )
        .unwrap();
    }
    csv.into_bytes()
}

async fn seed(store: &dyn Store, database: &Database, readers: usize) -> Duration {
    store.migrate().await.expect("migrate");
    let started = Instant::now();
    let actor = Actor("bench".into());
    let now = Utc::now();
    for from in (0..readers).step_by(IMPORT_SLICE) {
        let file = roster_slice(from, (from + IMPORT_SLICE).min(readers));
        briefcast::service::audience::store_roster(store, &file, &actor, now)
            .await
            .expect("import");
    }
    let template = Brief::from_toml(include_str!("../tests/fixtures/briefs/storm-72h.toml")).expect("fixture");
    let topics = ["preparedness", "health", "energy", "water", "traffic"];
    let mut ids = Vec::new();
    for i in 0..BRIEFS {
        let mut brief = template.clone();
        brief.meta.slug = format!("bench-brief-{i}");
        brief.meta.topics = vec![topics[i % topics.len()].to_string()];
        ids.push(store.insert_brief(&brief, None, &actor, now).await.expect("brief").id);
    }
    for (e, chunk) in ids.chunks(BRIEFS / EDITIONS).enumerate() {
        let edition = NewEdition {
            kind: EditionKind::Scheduled,
            schedule: None,
            due_at: now - TimeDelta::weeks((EDITIONS - e) as i64),
            briefs: chunk
                .iter()
                .enumerate()
                .map(|(i, id)| EditionBrief {
                    brief: *id,
                    position: i as u32 + 1,
                    is_correction: false,
                })
                .collect(),
            recipients: Recipients::Segment(SegmentFilter::default()),
        };
        store.create_edition(&edition, &actor, now).await.expect("edition");
    }
    mark_sent(database).await;
    for i in 0..POSTS {
        let report = NewPostReport {
            influencer_id: InfluencerId((i * 17 % readers) as i64 + 1),
            brief_id: ids[i % BRIEFS],
            post: PostUrl::parse(&format!("https://www.tiktok.com/@reader/video/{i}")).expect("a post"),
            views: Some((i * 37 % 10_000) as u64),
            via: "form",
        };
        store.add_post_report(&report, now).await.expect("post");
    }
    for i in 0..CLICK_DAYS {
        let day = (now - TimeDelta::days((i % 70) as i64)).date_naive();
        let brief: BriefId = ids[i % BRIEFS];
        store
            .count_click(brief, Language::Fi, "https://72tuntia.fi/", day)
            .await
            .expect("click");
    }
    started.elapsed()
}

/// Where the bench's database is, to mark its deliveries sent behind the store's back.
enum Database {
    Sqlite(String),
    Postgres(String, String),
}

/// Every delivery sent when its edition was due: the editions a week apart.
async fn mark_sent(database: &Database) {
    const SQL: &str = "UPDATE deliveries SET status = 'sent', \
                       sent_at = (SELECT due_at FROM editions WHERE editions.id = deliveries.edition_id)";
    match database {
        Database::Sqlite(url) => {
            let pool = sqlx::SqlitePool::connect(url).await.expect("open SQLite");
            sqlx::query(SQL).execute(&pool).await.expect("mark sent");
            pool.close().await;
        }
        Database::Postgres(url, schema) => {
            use std::str::FromStr;
            let options = sqlx::postgres::PgConnectOptions::from_str(url)
                .expect("a PostgreSQL URL")
                .options([("search_path", schema.as_str())]);
            let pool = sqlx::PgPool::connect_with(options)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(SQL).execute(&pool).await.expect("mark sent");
            sqlx::query("ANALYZE").execute(&pool).await.expect("analyze");
            pool.close().await;
        }
    }
}

async fn measure(backend: &str, store: Arc<dyn Store>, database: Database, readers: usize) {
    let seeded = seed(store.as_ref(), &database, readers).await;
    let caller = Caller::cli();
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..5 {
        let started = Instant::now();
        report = Some(
            briefcast::service::reach::report(store.as_ref(), &caller, &ReachQuery::default())
                .await
                .expect("report"),
        );
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let report = report.expect("five runs");
    println!(
        "{backend:<8} {BRIEFS} briefs, {readers} readers, {} deliveries sent, {} posts: report in {:.0} ms best, {:.0} ms median (seeded in {:.0} s)",
        report.totals.readers_reached,
        report.totals.posts,
        times[0] * 1000.0,
        times[2] * 1000.0,
        seeded.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let readers: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir_in(std::env::var("BRIEFCAST_BENCH_TMP").unwrap_or_else(|_| "/tmp".into())).unwrap();
    let url = format!("sqlite://{}", dir.path().join("reach.db").display());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.unwrap());
    measure("sqlite", store, Database::Sqlite(url), readers).await;
    drop(dir);

    if let Ok(url) = std::env::var("BRIEFCAST_BENCH_DATABASE_URL") {
        use sqlx::Connection;
        let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap();
        let store: Arc<dyn Store> = Arc::new(PgStore::connect_in_schema(&url, &schema).await.unwrap());
        measure(
            "postgres",
            store,
            Database::Postgres(url.clone(), schema.clone()),
            readers,
        )
        .await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        println!("postgres skipped: set BRIEFCAST_BENCH_DATABASE_URL to measure it");
    }
}
