//! What the dispatch and scheduler suites share: the same two backends as `common`, each with a
//! direct line to its database, for seeding briefs in states no use case reaches in one step and
//! for proving the schema's constraints.
#![allow(dead_code)]

use std::sync::Arc;

use briefcast::access::Actor;
use briefcast::audience::{EmailAddress, Segment, SegmentFilter};
use briefcast::ids::{BriefId, EditionId, InfluencerId};
use briefcast::store::{PgStore, SqliteStore, Store};
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::sqlite::SqlitePool;

use crate::common::Backend;

pub enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub struct Db {
    pub backend: Backend,
    pub raw: Raw,
    /// Opens another store on the same database: a second daemon.
    pub url: String,
    pub schema: Option<String>,
}

impl Db {
    pub fn name(&self) -> &'static str {
        self.backend.name
    }

    pub fn store(&self) -> &dyn Store {
        self.backend.store.as_ref()
    }

    pub async fn second_daemon(&self) -> Arc<dyn Store> {
        match &self.schema {
            None => Arc::new(SqliteStore::connect(&self.url).await.unwrap()),
            Some(schema) => Arc::new(PgStore::connect_in_schema(&self.url, schema).await.unwrap()),
        }
    }
}

/// A fresh, migrated SQLite database, with a direct line to it.
pub async fn sqlite_database() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("briefcast.db").display());
    let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    sqlite.migrate().await.expect("migrate SQLite");
    let raw = SqlitePool::connect(&url).await.unwrap();
    Db {
        backend: Backend {
            name: "sqlite",
            store: sqlite,
            dir,
        },
        raw: Raw::Sqlite(raw),
        url,
        schema: None,
    }
}

/// A fresh, migrated PostgreSQL schema, with a direct line to it, when one is configured.
pub async fn postgres_database() -> Option<Db> {
    let url = crate::common::database_url()?;
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = PgPool::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("BRIEFCAST_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let pg: Arc<dyn Store> = Arc::new(PgStore::connect_in_schema(&url, &schema).await.unwrap());
    pg.migrate().await.expect("migrate PostgreSQL");
    let options: PgConnectOptions = url
        .parse::<PgConnectOptions>()
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let raw = PgPool::connect_with(options).await.unwrap();
    Some(Db {
        backend: Backend {
            name: "postgres",
            store: pg,
            dir: tempfile::tempdir().unwrap(),
        },
        raw: Raw::Postgres(raw),
        url,
        schema: Some(schema),
    })
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

pub fn actor() -> Actor {
    Actor("test:ops".into())
}

pub fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

/// One roster line: `email,language,platforms,cadence`.
pub async fn roster(db: &Db, people: &[(&str, &str, &str, &str)]) {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    for (email, language, platforms, cadence) in people {
        csv.push_str(&format!(
            "{email},Someone,{language},{platforms},1000,health,Uusimaa,open,{cadence},2026-01-02T10:00:00+02:00,form\n"
        ));
    }
    let report =
        briefcast::service::audience::store_roster(db.store(), csv.as_bytes(), &actor(), at("2026-01-05T00:00:00Z"))
            .await
            .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
}

/// `n` generated weekly readers, `person00000@example.fi` on, languages in turn fi, sv, en.
pub async fn generated_roster(db: &Db, n: usize) {
    subscribers(db, "person", n, "weekly").await;
}

/// `n` generated readers at one cadence, `{prefix}00000@example.fi` on, languages in turn.
pub async fn subscribers(db: &Db, prefix: &str, n: usize, cadence: &str) {
    let languages = ["fi", "sv", "en"];
    let people: Vec<(String, &str)> = (0..n)
        .map(|i| (format!("{prefix}{i:05}@example.fi"), languages[i % 3]))
        .collect();
    let rows: Vec<(&str, &str, &str, &str)> = people
        .iter()
        .map(|(e, l)| (e.as_str(), *l, "instagram", cadence))
        .collect();
    roster(db, &rows).await;
}

pub async fn segment(db: &Db, name: &str, filter: SegmentFilter) {
    db.store()
        .add_segment(
            &Segment::new(name, filter).unwrap(),
            &actor(),
            at("2026-01-05T00:00:00Z"),
        )
        .await
        .unwrap();
}

/// A brief as the brief intake would have stored it.
pub struct NewBrief<'a> {
    pub slug: &'a str,
    pub status: &'a str,
    pub priority: &'a str,
    pub cadences: &'a str,
    pub embargo_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl<'a> NewBrief<'a> {
    pub fn approved(slug: &'a str, cadences: &'a str) -> Self {
        NewBrief {
            slug,
            status: "approved",
            priority: "routine",
            cadences,
            embargo_at: None,
            expires_at: None,
        }
    }
}

const INSERT_BRIEF: &str = "INSERT INTO briefs (slug, status, priority, embargo_at, expires_at, cadences, languages, \
     document, author, approved_by, approved_at, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, ';fi;sv;en;', $8, 'test', 'approver', $7, $7, $7) RETURNING id";

/// The storm fixture with the meta of the row, so the dispatcher can render what it sends.
fn document(b: &NewBrief<'_>) -> String {
    let mut brief = briefcast::brief::Brief::from_toml(include_str!("../fixtures/briefs/storm-72h.toml")).unwrap();
    brief.meta.slug = b.slug.to_string();
    brief.meta.priority = if b.priority == "urgent" {
        briefcast::brief::Priority::Urgent
    } else {
        briefcast::brief::Priority::Routine
    };
    brief.meta.embargo = b.embargo_at.map(|t| t.fixed_offset());
    brief.meta.expires = b.expires_at.map(|t| t.fixed_offset());
    brief.meta.cadences = b
        .cadences
        .split([',', ';'])
        .filter(|c| !c.is_empty())
        .map(|c| c.parse().unwrap())
        .collect();
    serde_json::to_string(&brief).unwrap()
}

pub async fn brief(db: &Db, b: NewBrief<'_>) -> BriefId {
    let created = at("2026-01-05T00:00:00Z");
    let cadences = format!(";{};", b.cadences.replace(',', ";"));
    let document = document(&b);
    let id: i64 = match &db.raw {
        Raw::Sqlite(pool) => sqlx::query_scalar(INSERT_BRIEF)
            .bind(b.slug)
            .bind(b.status)
            .bind(b.priority)
            .bind(b.embargo_at)
            .bind(b.expires_at)
            .bind(&cadences)
            .bind(created)
            .bind(&document)
            .fetch_one(pool)
            .await
            .unwrap(),
        Raw::Postgres(pool) => sqlx::query_scalar(INSERT_BRIEF)
            .bind(b.slug)
            .bind(b.status)
            .bind(b.priority)
            .bind(b.embargo_at)
            .bind(b.expires_at)
            .bind(&cadences)
            .bind(created)
            .bind(&document)
            .fetch_one(pool)
            .await
            .unwrap(),
    };
    BriefId(id)
}

pub async fn set_brief_status(db: &Db, id: BriefId, status: &str) {
    let sql = "UPDATE briefs SET status = $1 WHERE id = $2";
    match &db.raw {
        Raw::Sqlite(pool) => {
            sqlx::query(sql).bind(status).bind(id.0).execute(pool).await.unwrap();
        }
        Raw::Postgres(pool) => {
            sqlx::query(sql).bind(status).bind(id.0).execute(pool).await.unwrap();
        }
    }
}

/// Tries to add a second delivery for the same edition and influencer, as a buggy writer would.
pub async fn duplicate_delivery(db: &Db, edition: EditionId, influencer: InfluencerId) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO deliveries (edition_id, influencer_id, language, status, attempts, next_attempt_at) \
               VALUES ($1, $2, 'fi', 'queued', 0, $3)";
    let now = at("2026-01-05T00:00:00Z");
    match &db.raw {
        Raw::Sqlite(pool) => {
            sqlx::query(sql)
                .bind(edition)
                .bind(influencer)
                .bind(now)
                .execute(pool)
                .await?;
        }
        Raw::Postgres(pool) => {
            sqlx::query(sql)
                .bind(edition)
                .bind(influencer)
                .bind(now)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// Every recorded run of a schedule: (due_at, outcome, whether it has an edition).
pub async fn runs(db: &Db, schedule: i64) -> Vec<(DateTime<Utc>, String, bool)> {
    let sql = "SELECT due_at, outcome, edition_id FROM schedule_runs WHERE schedule_id = $1 ORDER BY due_at";
    let rows: Vec<(DateTime<Utc>, String, Option<i64>)> = match &db.raw {
        Raw::Sqlite(pool) => sqlx::query_as(sql).bind(schedule).fetch_all(pool).await.unwrap(),
        Raw::Postgres(pool) => sqlx::query_as(sql).bind(schedule).fetch_all(pool).await.unwrap(),
    };
    rows.into_iter().map(|(d, o, e)| (d, o, e.is_some())).collect()
}

/// Runs one statement directly, for damage no store method would do.
pub async fn execute(db: &Db, sql: &'static str) {
    match &db.raw {
        Raw::Sqlite(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        Raw::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
    }
}
