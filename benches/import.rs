//! Imports 100,000 generated roster rows into an empty database, then the same file again
//! (all unchanged), and prints the times. SQLite always; PostgreSQL when
//! `BRIEFCAST_BENCH_DATABASE_URL` names a database (a fresh schema is made inside it).
//!
//! `cargo bench --bench import` (add `-- 20000` for another row count).

use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;

use briefcast::access::Actor;
use briefcast::store::{PgStore, SqliteStore, Store};

fn roster(rows: usize) -> Vec<u8> {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    let languages = ["fi", "fi", "fi", "sv", "en"];
    let platforms = ["instagram", "tiktok;youtube", "instagram;tiktok", "youtube"];
    let regions = ["Uusimaa", "Pirkanmaa", "Pohjois-Savo", "Österbotten", "Lappi"];
    let cadences = ["daily", "weekly", "monthly", ""];
    for i in 0..rows {
        writeln!(
            csv,
            "person{i}@example.fi,\"Henkilö {i}, Testi\",{},{},{},health;preparedness,{},open,{},2026-03-02T10:15:00+02:00,bench",
            languages[i % 5],
            platforms[i % 4],
            (i * 7919) % 2_000_000,
            regions[i % 5],
            cadences[i % 4],
        )
        .unwrap();
    }
    csv.into_bytes()
}

async fn measure(name: &str, store: Arc<dyn Store>, file: &[u8], rows: usize) {
    store.migrate().await.expect("migrate");
    let actor = Actor("bench".into());
    let start = Instant::now();
    let first = briefcast::service::audience::store_roster(store.as_ref(), file, &actor, chrono::Utc::now())
        .await
        .expect("first import");
    let first_time = start.elapsed();
    assert_eq!(first.new as usize, rows);
    let start = Instant::now();
    let again = briefcast::service::audience::store_roster(store.as_ref(), file, &actor, chrono::Utc::now())
        .await
        .expect("second import");
    let again_time = start.elapsed();
    assert_eq!(again.unchanged as usize, rows);
    println!(
        "{name:<10} {rows} rows: empty database {:>6.2} s ({:>7.0} rows/s); again, all unchanged {:>6.2} s ({:>7.0} rows/s)",
        first_time.as_secs_f64(),
        rows as f64 / first_time.as_secs_f64(),
        again_time.as_secs_f64(),
        rows as f64 / again_time.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let file = roster(rows);
    println!("roster import: {rows} rows, {:.1} MB of CSV", file.len() as f64 / 1e6);

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    measure(
        "sqlite",
        Arc::new(SqliteStore::connect(&url).await.unwrap()),
        &file,
        rows,
    )
    .await;

    if let Ok(url) = std::env::var("BRIEFCAST_BENCH_DATABASE_URL") {
        use sqlx::Connection;
        let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap();
        measure(
            "postgres",
            Arc::new(PgStore::connect_in_schema(&url, &schema).await.unwrap()),
            &file,
            rows,
        )
        .await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        println!("postgres   skipped: set BRIEFCAST_BENCH_DATABASE_URL to measure it");
    }
}
