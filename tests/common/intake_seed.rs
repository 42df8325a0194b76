//! Editions and deliveries for the intake and question-log suites to reply to.
//!
//! A sent edition with a delivery is seeded with SQL of its own rather than by sending one: the
//! suites that reply to it need a delivery with a known Message-ID, sent a day before the
//! test's clock, which sending cannot produce. The backends are those of `common` (kept with
//! their connection, so they can seed).
#![allow(dead_code)]

use std::sync::Arc;

use briefcast::audience;
use briefcast::ids::{BriefId, DeliveryId, EditionId};
use briefcast::store::{PgStore, SqliteStore, Store};
use chrono::{DateTime, Utc};
use sqlx::Connection;

use crate::common::{Backend, SAMPLE_ROSTER, actor, now};

/// The Message-ID every fixture reply answers (In-Reply-To or returned headers).
pub const FIXTURE_MESSAGE_ID: &str = "ed1.del42@news.example.fi";
/// The token in every fixture's `questions+…@`, `bounces+…@` or `unsubscribe+…@` address.
pub const FIXTURE_TOKEN: &str = "AbC123xyz";

enum Db {
    Sqlite(String),
    Postgres { url: String, schema: String },
}

/// A backend the test can also seed.
pub struct Seedable {
    pub backend: Backend,
    db: Db,
}

/// What `seed_edition` created.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub edition: EditionId,
    /// The edition's lead brief (position 0): "Power cuts".
    pub lead_brief: BriefId,
    /// The storm brief (position 1), whose titles the fixture subjects mention.
    pub storm_brief: BriefId,
    /// Priya Nair's delivery, Message-ID [`FIXTURE_MESSAGE_ID`], in English.
    pub delivery: DeliveryId,
}

/// A fresh SQLite store with the sample roster imported.
pub async fn sqlite_seedable() -> Seedable {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("briefcast.db").display());
    let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    let seedable = Seedable {
        backend: Backend {
            name: "sqlite",
            store: sqlite,
            dir,
        },
        db: Db::Sqlite(url),
    };
    with_roster(seedable).await
}

/// A fresh PostgreSQL store in a schema of its own with the sample roster imported; None when
/// no PostgreSQL is configured (never under CI).
pub async fn postgres_seedable() -> Option<Seedable> {
    let url = crate::common::database_url()?;
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("BRIEFCAST_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
    let pg: Arc<dyn Store> = Arc::new(
        PgStore::connect_in_schema(&url, &schema)
            .await
            .expect("connect to schema"),
    );
    let seedable = Seedable {
        backend: Backend {
            name: "postgres",
            store: pg,
            dir: tempfile::tempdir().unwrap(),
        },
        db: Db::Postgres { url, schema },
    };
    Some(with_roster(seedable).await)
}

async fn with_roster(seedable: Seedable) -> Seedable {
    let store = seedable.backend.store.as_ref();
    store.migrate().await.expect("migrate");
    briefcast::service::audience::store_roster(store, SAMPLE_ROSTER, &actor(), now())
        .await
        .expect("import the sample roster");
    seedable
}

/// Runs the same statements on either backend: both accept `$n` parameters.
macro_rules! on_db {
    ($db:expr, |$conn:ident| $body:block) => {
        match $db {
            Db::Sqlite(url) => {
                let mut $conn = sqlx::SqliteConnection::connect(url).await.unwrap();
                $body
            }
            Db::Postgres { url, schema } => {
                let mut $conn = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("SET search_path TO {schema}")))
                    .execute(&mut $conn)
                    .await
                    .unwrap();
                $body
            }
        }
    };
}

impl Seedable {
    pub fn store(&self) -> &dyn Store {
        self.backend.store.as_ref()
    }

    /// An edition that carried two briefs, and a sent delivery of it to priya.nair@example.org.
    pub async fn seed_edition(&self) -> Seeded {
        let at: DateTime<Utc> = now() - chrono::Duration::days(1);
        let priya = self
            .store()
            .influencer(&audience::EmailAddress::parse("priya.nair@example.org").unwrap())
            .await
            .unwrap()
            .expect("priya is in the sample roster")
            .id;
        on_db!(&self.db, |conn| {
            let brief = |slug: &'static str, document: serde_json::Value| {
                sqlx::query_scalar::<_, BriefId>(
                    "INSERT INTO briefs (slug, status, priority, cadences, languages, document, author, created_at, updated_at) \
                     VALUES ($1, 'sent', 'routine', ';daily;', ';fi;sv;en;', $2, 'test', $3, $3) RETURNING id",
                )
                .bind(slug)
                .bind(document.to_string())
                .bind(at)
            };
            let lead_brief = brief(
                "power-cuts",
                serde_json::json!({ "fi": { "title": "Sähkökatkot" }, "en": { "title": "Power cuts" } }),
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            let storm_brief = brief(
                "storm",
                serde_json::json!({
                    "fi": { "title": "Varaudu myrskyyn" },
                    "sv": { "title": "Förbered dig på stormen" },
                    "en": { "title": "Get ready for the storm" }
                }),
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            let edition: EditionId = sqlx::query_scalar(
                "INSERT INTO editions (kind, status, due_at, created_at) VALUES ('manual', 'done', $1, $1) RETURNING id",
            )
            .bind(at)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            for (position, brief) in [lead_brief, storm_brief].into_iter().enumerate() {
                sqlx::query("INSERT INTO edition_briefs (edition_id, brief_id, position) VALUES ($1, $2, $3)")
                    .bind(edition)
                    .bind(brief)
                    .bind(position as i32)
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            let delivery: DeliveryId = sqlx::query_scalar(
                "INSERT INTO deliveries (edition_id, influencer_id, language, status, message_id, attempts, next_attempt_at, sent_at) \
                 VALUES ($1, $2, 'en', 'sent', $3, 1, $4, $4) RETURNING id",
            )
            .bind(edition)
            .bind(priya)
            .bind(FIXTURE_MESSAGE_ID)
            .bind(at)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            Seeded {
                edition,
                lead_brief,
                storm_brief,
                delivery,
            }
        })
    }

    /// The delivery's status and the statuses of its events, oldest first: what ops would see.
    pub async fn delivery_history(&self, delivery: DeliveryId) -> (String, Vec<String>) {
        on_db!(&self.db, |conn| {
            let status: String = sqlx::query_scalar("SELECT status FROM deliveries WHERE id = $1")
                .bind(delivery)
                .fetch_one(&mut conn)
                .await
                .unwrap();
            let events: Vec<String> =
                sqlx::query_scalar("SELECT status FROM delivery_events WHERE delivery_id = $1 ORDER BY id")
                    .bind(delivery)
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            (status, events)
        })
    }
}

/// The verifier the daemon will have: here it knows exactly the fixtures' token.
pub fn fixture_tokens(
    delivery: DeliveryId,
) -> impl Fn(&str, briefcast::inbound::Mailbox) -> Option<DeliveryId> + Send + Sync + 'static {
    move |token: &str, _mailbox| (token == FIXTURE_TOKEN).then_some(delivery)
}

/// Every fixture reply, by folder name, sorted.
pub fn fixture_replies() -> Vec<(String, Vec<u8>, serde_json::Value)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/replies");
    let mut out: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let raw = std::fs::read(p.join("message.eml")).unwrap();
            let expected = serde_json::from_str(&std::fs::read_to_string(p.join("expected.json")).unwrap()).unwrap();
            (name, raw, expected)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn fixture(name: &str) -> Vec<u8> {
    fixture_replies()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
        .1
}
