//! PostgreSQL, for production and for several daemons sharing the work.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{QueryBuilder, Transaction};

use super::dialect::Dialect;
use super::leadership::{Lead, LeaderHold, Leadership};

type Db = sqlx::Postgres;
type ThisStore = PgStore;
type D = Postgres;
static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// Advisory lock key under which roster writers take turns, so two imports never count the
/// same new address twice.
const ROSTER_LOCK: i64 = 0x0062_726f_7374_6572;

/// Advisory lock key under which send-window reservations take turns across daemons.
const SEND_WINDOWS_LOCK: i64 = 0x0073_656e_6477_696e;

/// First half of the scheduler leader's advisory lock key ("bcsc"); the second half is the
/// schema's name hashed. Advisory locks are database-wide, so a key without the schema would let
/// one deployment (or one test) in a schema keep every other schema's scheduler from ever running.
/// Two names that hash alike only share a leader, which costs time, never a double send.
const SCHEDULER_LOCK: i32 = 0x6263_7363;

/// First half of the feed poller leader's advisory lock key ("bcfd"), paired like the scheduler's.
const FEEDS_LOCK: i32 = 0x6263_6664;

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with every table inside `schema`: a whole deployment, or one test, in isolation.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, sqlx::Error> {
        let options = PgConnectOptions::from_str(url)?.options([("search_path", schema)]);
        Self::connect_with(options).await
    }

    async fn connect_with(options: PgConnectOptions) -> Result<Self, sqlx::Error> {
        // One direct connection first: the pool would report only "timed out", while this
        // names the cause (refused, unknown host, authentication failed, no such database).
        PgConnection::connect_with(&options).await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Ok(PgStore { pool })
    }
}

/// PostgreSQL's side of every difference between the backends: many writers and many daemons,
/// kept apart by row locks and advisory locks.
pub(crate) struct Postgres;

impl Dialect for Postgres {
    type Db = Db;

    const BACKEND: &'static str = "postgres";
    /// Claimers skip each other's rows instead of waiting for them. `OF d` locks only the
    /// deliveries: locking the joined edition row too would make every other claimer skip the
    /// whole edition.
    const CLAIM_LOCK: &'static str = " FOR UPDATE OF d SKIP LOCKED";
    /// Rows read to be changed later in the same transaction are locked against other writers.
    const ROW_LOCK: &'static str = " FOR UPDATE";
    /// Building an edition of a schedule locks the schedule's row (only it, not its segment), so
    /// two editions of one schedule made at once take turns choosing their briefs.
    const SCHEDULE_LOCK: &'static str = " FOR UPDATE OF s";

    async fn begin_write(pool: &PgPool) -> sqlx::Result<Transaction<'static, Db>> {
        pool.begin().await
    }

    async fn lock_roster(tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        advisory_xact_lock(tx, ROSTER_LOCK).await
    }

    async fn lock_send_windows(tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        advisory_xact_lock(tx, SEND_WINDOWS_LOCK).await
    }

    /// Called once an edition's deliveries are inserted, in the same transaction. Until
    /// autovacuum comes round the planner counts the queued deliveries as they were before, and
    /// on those counts it read every delivery of a new edition of a million to claim a thousand
    /// of them (a bitmap scan, which cannot stop early). Analysing sees this transaction's own
    /// rows.
    async fn refresh_statistics(tx: &mut Transaction<'static, Db>) -> sqlx::Result<()> {
        sqlx::query("ANALYZE deliveries").execute(&mut **tx).await?;
        Ok(())
    }

    /// One array parameter. An `IN` list of a thousand parameters let the planner, trusting
    /// statistics from before an edition was made, scan every queued delivery and test each
    /// against the list; `= ANY` of an array is looked up in the key's index.
    fn push_id_in<I: Copy + Into<i64>>(q: &mut QueryBuilder<Db>, column: &str, ids: &[I]) {
        let ids: Vec<i64> = ids.iter().map(|&id| id.into()).collect();
        q.push(format!("{column} = ANY(")).push_bind(ids).push(")");
    }

    /// Leads while a session-level advisory lock is held on a connection of its own, outside the
    /// pool: the lock lives exactly as long as that session, so a daemon that dies (or loses its
    /// network) gives leadership up without anyone cleaning after it.
    async fn lead(pool: &PgPool, work: Lead) -> sqlx::Result<Option<Leadership>> {
        let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(COALESCE(current_schema(), '')))")
            .bind(match work {
                Lead::Scheduler => SCHEDULER_LOCK,
                Lead::Feeds => FEEDS_LOCK,
            })
            .fetch_one(&mut conn)
            .await?;
        if got {
            Ok(Some(Leadership {
                inner: LeaderHold::Advisory(conn),
            }))
        } else {
            conn.close().await?;
            Ok(None)
        }
    }
}

async fn advisory_xact_lock(tx: &mut Transaction<'static, Db>, key: i64) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// The SQL, one module per aggregate, shared with `sqlite.rs` (see `dialect.rs`).
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
