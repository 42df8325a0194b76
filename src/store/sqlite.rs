//! The embedded default: one SQLite file in WAL mode.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Transaction};

use super::dialect::Dialect;
use super::leadership::{Lead, LeaderHold, Leadership};

type Db = sqlx::Sqlite;
type ThisStore = SqliteStore;
type D = Sqlite;
static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit that reported success survives a power cut, so a delivery recorded
            // as sent is never sent again after a reboot.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let file = options.get_filename().to_path_buf();
        if let Some(parent) = file.parent()
            && !parent.as_os_str().is_empty()
        {
            crate::files::create_private_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        // The roster lives here. SQLite gives the WAL and shared-memory files the database
        // file's own mode, so they follow.
        let mut wal = file.clone().into_os_string();
        wal.push("-wal");
        let mut shm = file.clone().into_os_string();
        shm.push("-shm");
        for path in [file.clone(), wal.into(), shm.into()] {
            crate::files::restrict(&path).map_err(sqlx::Error::Io)?;
        }
        Ok(SqliteStore { pool })
    }
}

/// SQLite's side of every difference between the backends: one writer at a time, and one
/// process per file.
pub(crate) struct Sqlite;

impl Dialect for Sqlite {
    type Db = Db;

    const BACKEND: &'static str = "sqlite";
    /// The claim's candidate query needs no row locks here: `BEGIN IMMEDIATE` already makes each
    /// claim the only writer until it commits.
    const CLAIM_LOCK: &'static str = "";
    /// Nor do rows read to be changed later in the same transaction: the write lock covers them.
    const ROW_LOCK: &'static str = "";
    /// Nor does reading a schedule to build its edition: the write lock serialises that too.
    const SCHEDULE_LOCK: &'static str = "";

    /// SQLite allows one writer: `BEGIN IMMEDIATE` takes the write lock up front, so two writers
    /// wait on the busy timeout instead of failing halfway with SQLITE_BUSY on upgrade.
    async fn begin_write(pool: &SqlitePool) -> sqlx::Result<Transaction<'static, Db>> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Writers already take turns under `BEGIN IMMEDIATE`.
    async fn lock_roster(_tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        Ok(())
    }

    /// Reservations already take turns under `BEGIN IMMEDIATE`.
    async fn lock_send_windows(_tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        Ok(())
    }

    /// SQLite plans by the shape of its indexes, not by gathered counts.
    async fn refresh_statistics(_tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        Ok(())
    }

    /// SQLite looks up each member of an `IN` list in the key's index.
    fn push_id_in<I: Copy + Into<i64>>(q: &mut QueryBuilder<Db>, column: &str, ids: &[I]) {
        q.push(format!("{column} IN ("));
        let mut separated = q.separated(", ");
        for id in ids {
            separated.push_bind((*id).into());
        }
        q.push(")");
    }

    /// One process owns a SQLite file, so it leads its scheduler.
    async fn lead(_pool: &SqlitePool, _work: Lead) -> sqlx::Result<Option<Leadership>> {
        Ok(Some(Leadership {
            inner: LeaderHold::Sole,
        }))
    }
}

// The SQL, one module per aggregate, shared with `postgres.rs` (see `dialect.rs`).
#[path = "sql/accounts.rs"]
mod accounts;
#[path = "sql/answers.rs"]
mod answers;
#[path = "sql/base.rs"]
mod base;
#[path = "sql/briefs.rs"]
mod briefs;
#[path = "sql/common.rs"]
mod common;
#[path = "sql/deliveries.rs"]
mod deliveries;
#[path = "sql/editions.rs"]
mod editions;
#[path = "sql/feeds.rs"]
mod feeds;
#[path = "sql/leadership.rs"]
mod leadership;
#[path = "sql/leases.rs"]
mod leases;
#[path = "sql/new_edition.rs"]
mod new_edition;
#[path = "sql/outcomes.rs"]
mod outcomes;
#[path = "sql/questions.rs"]
mod questions;
#[path = "sql/rate.rs"]
mod rate;
#[path = "sql/reach.rs"]
mod reach;
#[path = "sql/replies.rs"]
mod replies;
#[path = "sql/roster.rs"]
mod roster;
#[path = "sql/schedules.rs"]
mod schedules;
#[path = "sql/segments.rs"]
mod segments;
#[path = "sql/sessions.rs"]
mod sessions;
#[path = "sql/suppressions.rs"]
mod suppressions;
#[path = "sql/tokens.rs"]
mod tokens;
