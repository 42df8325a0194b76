//! Storage: the only place that writes SQL. One trait per aggregate, gathered in [`Store`]; a
//! SQLite and a PostgreSQL implementation of them all, from one text of SQL (see `dialect.rs`);
//! and one conformance suite (`tests/engine/`) run against both.

mod accounts;
mod answers;
mod briefs;
mod deliveries;
mod dialect;
mod editions;
mod feeds;
mod leadership;
mod leases;
mod outcomes;
// Both backends declare the same `sql/` files as their own modules: see `dialect.rs`.
#[allow(clippy::duplicate_mod)]
mod postgres;
mod questions;
mod rate;
mod reach;
mod replies;
mod roster;
mod schedules;
mod segments;
mod sessions;
#[allow(clippy::duplicate_mod)]
mod sqlite;
mod suppressions;
mod tokens;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use accounts::{AccountStore, StoredAccount};
pub use answers::{AnswerStore, YouAsked};
pub use briefs::{BriefStore, StoredBrief};
pub use deliveries::{DeliveryQuery, DeliveryStore, EditionRates, HourOutcomes};
pub use editions::EditionStore;
pub use feeds::FeedStore;
pub use leadership::{Lead, Leadership, LeadershipStore};
pub use leases::LeaseStore;
pub use outcomes::OutcomeStore;
pub use postgres::PgStore;
pub use questions::{Assignment, BriefGroup, QuestionQuery, QuestionStore};
pub use rate::{RateStore, SendLimit, window_start};
pub use reach::{NewPostReport, PostReportRecord, ReachStore};
pub use replies::{
    DeliveryNote, DeliveryRef, NewQuestion, NewReply, PendingReply, PurgeReport, ReplyOutcome, ReplyRecord, ReplyStore,
};
pub use roster::{InfluencerQuery, PersonalData, RosterStore};
pub use schedules::ScheduleStore;
pub use segments::{SegmentStore, SegmentSummary};
pub use sessions::{NewSession, RecentFailures, SessionStage, SessionStore, StoredSession};
pub use sqlite::SqliteStore;
pub use suppressions::{SuppressionReason, SuppressionStore};
pub use tokens::{TokenRecord, TokenStore, TokenSummary};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{field}: {message}")]
    Conflict { field: &'static str, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the database did not answer (down, unreachable, out of connections, its file
    /// unreadable) rather than refused what was asked: a caller may retry later.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Database(error) = self else {
            return false;
        };
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLite: busy, locked, I/O error, corrupt, full, cannot open, not a database.
                    matches!(
                        code.parse::<i32>().map(|c| c & 0xff),
                        Ok(5 | 6 | 10 | 11 | 13 | 14 | 26)
                    )
                } else {
                    // PostgreSQL: connection exceptions, insufficient resources, operator
                    // intervention (shutdown), system errors.
                    ["08", "53", "57", "58"].iter().any(|class| code.starts_with(class))
                }
            }
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

/// Which audit entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Entries whose action is in this family: `session` finds `session.start` and the rest.
    pub family: Option<String>,
    /// Text found in who acted (a name, an address, `cli:`, `token:`).
    pub actor: Option<String>,
    /// Text found in what it was done to (an address, `brief:12`).
    pub subject: Option<String>,
    /// Only entries older than this one, for the next page.
    pub before: Option<i64>,
    pub limit: u64,
}

/// Everything briefcast stores, one aggregate per trait.
#[async_trait]
pub trait Store:
    TokenStore
    + AccountStore
    + SessionStore
    + RosterStore
    + SuppressionStore
    + SegmentStore
    + BriefStore
    + ScheduleStore
    + EditionStore
    + FeedStore
    + LeaseStore
    + OutcomeStore
    + DeliveryStore
    + LeadershipStore
    + ReplyStore
    + QuestionStore
    + AnswerStore
    + RateStore
    + ReachStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs and health output.
    fn backend(&self) -> &'static str;

    async fn migrate(&self) -> StoreResult<()>;

    async fn ping(&self) -> StoreResult<()>;

    /// Closes the pool: every later call fails as if the database had gone away.
    async fn close(&self);

    async fn audit_log(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_search(&AuditQuery {
            limit,
            ..AuditQuery::default()
        })
        .await
    }

    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
}

/// Opens the database a URL names: `sqlite://…` or `postgres://…`.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    use anyhow::Context;
    let store: Arc<dyn Store> = if url.starts_with("sqlite:") {
        Arc::new(
            SqliteStore::connect(url)
                .await
                .with_context(|| format!("opening SQLite database {}", crate::mask::mask_url(url)))?,
        )
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Arc::new(
            PgStore::connect(url)
                .await
                .with_context(|| format!("connecting to PostgreSQL at {}", crate::mask::mask_url(url)))?,
        )
    } else {
        anyhow::bail!(
            "database URL `{}` must start with sqlite: or postgres:",
            crate::mask::mask_url(url)
        );
    };
    Ok(store)
}
