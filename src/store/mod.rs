//! Storage: the only place that writes SQL. One narrow trait, a SQLite and a PostgreSQL
//! implementation, and one conformance suite (`tests/engine/`) run against both.

mod briefs;
mod dispatch;
mod postgres;
mod questions;
mod rate;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Actor, Role};
use crate::audience::roster::RosterPart;
use crate::audience::{EmailAddress, ImportReport, Segment, SegmentFilter, StoredInfluencer};
use crate::language::{Cadence, Language};

pub use briefs::{BriefStore, StoredBrief};
pub use dispatch::*;
pub use postgres::PgStore;
pub use questions::*;
pub use rate::{RateStore, SendLimit, window_start};
pub use sqlite::SqliteStore;

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

/// Which influencers a listing shows.
#[derive(Debug, Clone, Default)]
pub struct InfluencerQuery {
    pub language: Option<Language>,
    pub cadence: Option<Cadence>,
    pub segment: Option<SegmentFilter>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// A token found by its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub role: Role,
    pub label: String,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A token as listed: never the token, nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenSummary {
    pub id: i64,
    pub label: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SegmentSummary {
    #[serde(flatten)]
    pub segment: Segment,
    pub members: u64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

/// Everything held on one person, for a GDPR access request.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    pub influencer: StoredInfluencer,
    pub deliveries: Vec<serde_json::Value>,
    pub replies: Vec<serde_json::Value>,
    pub questions: Vec<serde_json::Value>,
}

/// A reply as it arrived, stored before anything else is done with it so a crash never loses it.
#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    /// `imap` or `webhook`.
    pub channel: &'static str,
    /// What makes the message unique within its channel (mailbox, UIDVALIDITY and UID for
    /// IMAP), so a message fetched twice is stored once. None for the webhook.
    pub channel_ref: Option<String>,
    pub raw: &'a [u8],
    pub from_address: Option<EmailAddress>,
    pub message_id: Option<String>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionReason {
    Erased,
    Unsubscribed,
    Bounced,
    Complained,
    Manual,
}

impl SuppressionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Erased => "erased",
            SuppressionReason::Unsubscribed => "unsubscribed",
            SuppressionReason::Bounced => "bounced",
            SuppressionReason::Complained => "complained",
            SuppressionReason::Manual => "manual",
        }
    }
}

#[async_trait]
pub trait Store: BriefStore + DispatchStore + InboundStore + RateStore + Send + Sync + 'static {
    /// Which backend this is, for logs and health output.
    fn backend(&self) -> &'static str;
    async fn migrate(&self) -> StoreResult<()>;
    async fn ping(&self) -> StoreResult<()>;
    /// Closes the pool: every later call fails as if the database had gone away.
    async fn close(&self);

    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// A token that is not revoked.
    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>>;
    /// Notes that the token was used at `now`.
    async fn touch_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
    /// Every token, newest first.
    async fn tokens(&self) -> StoreResult<Vec<TokenSummary>>;
    /// Revokes a token at once, audited. Not found when there is no such token; a token already
    /// revoked stays revoked as it was.
    async fn revoke_token(&self, id: i64, actor: &Actor, now: DateTime<Utc>) -> StoreResult<TokenSummary>;

    /// Stores a roster as its reader sends it, in one transaction with its audit entry: the whole
    /// file or nothing. `None` when the parts ended before `Done` (the reader refused the file):
    /// nothing was changed.
    async fn import_roster(
        &self,
        parts: &mut tokio::sync::mpsc::Receiver<RosterPart>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ImportReport>>;
    async fn list_influencers(&self, query: &InfluencerQuery) -> StoreResult<Vec<StoredInfluencer>>;
    async fn influencer(&self, email: &EmailAddress) -> StoreResult<Option<StoredInfluencer>>;
    async fn personal_data(&self, email: &EmailAddress) -> StoreResult<Option<PersonalData>>;
    /// Removes the person, anonymises their replies and keeps only a hashed suppression.
    /// Returns false when nobody had that address.
    async fn erase_influencer(&self, email: &EmailAddress, actor: &Actor, now: DateTime<Utc>) -> StoreResult<bool>;

    /// The person a delivery went to, while they are on the roster.
    async fn subscriber(&self, delivery_id: i64) -> StoreResult<Option<StoredInfluencer>>;
    /// Changes the language and cadence a person receives, as they chose on their page.
    async fn set_preferences(
        &self,
        email: &EmailAddress,
        language: Language,
        cadence: Cadence,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Stores a raw reply; returns its id and whether it was new (false: seen before, kept once).
    async fn store_reply(&self, reply: &NewReply<'_>) -> StoreResult<(i64, bool)>;

    async fn suppress(
        &self,
        email: &EmailAddress,
        reason: SuppressionReason,
        detail: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn suppression(&self, email: &EmailAddress) -> StoreResult<Option<SuppressionReason>>;
    /// The reader asked to leave (one-click or their page): suppressed and audited as `actor`, in
    /// one transaction.
    async fn unsubscribe(&self, email: &EmailAddress, how: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()>;

    async fn add_segment(&self, segment: &Segment, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()>;
    async fn segments(&self) -> StoreResult<Vec<SegmentSummary>>;
    async fn segment(&self, name: &str) -> StoreResult<Option<SegmentSummary>>;
    async fn count_members(&self, filter: &SegmentFilter) -> StoreResult<u64>;

    async fn audit_log(&self, limit: u64) -> StoreResult<Vec<AuditEntry>>;
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

/// List fields are stored as `;a;b;` so that `LIKE '%;b;%'` finds a member on both backends.
fn list_column(items: &[String]) -> String {
    format!(";{};", items.join(";"))
}

fn list_from_column(column: &str) -> Vec<String> {
    column
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
