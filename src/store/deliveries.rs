//! The delivery log, resends on request, counts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::edition::{DeliveryRecord, DeliveryStatus, ResendTarget};
use crate::ids::{DeliveryId, EditionId};
use crate::language::Language;
use crate::store::StoreResult;

#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery {
    /// One delivery by its id.
    pub delivery: Option<DeliveryId>,
    pub edition: Option<EditionId>,
    pub status: Option<DeliveryStatus>,
    /// The reader's language the delivery was queued in.
    pub language: Option<Language>,
    /// Something happened to the delivery (queued, claimed, an outcome) at or after this…
    pub active_since: Option<DateTime<Utc>>,
    /// …and before this.
    pub active_until: Option<DateTime<Utc>>,
    pub limit: u64,
    pub offset: u64,
}

/// Outcomes recorded in one hour, for the ops view's chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HourOutcomes {
    pub hour: DateTime<Utc>,
    pub sent: u64,
    pub deferred: u64,
    pub failed: u64,
    pub bounced: u64,
}

/// How an edition's mail was received, for the lines mailbox providers hold senders to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditionRates {
    pub edition: EditionId,
    pub created_at: DateTime<Utc>,
    /// Deliveries the transport answered for: sent, bounced or failed.
    pub attempted: u64,
    pub bounced: u64,
    /// Complaint reports (feedback loops, ARF) that came back for its deliveries.
    pub complaints: u64,
}

#[async_trait]
pub trait DeliveryStore: Send + Sync {
    /// Requeues uncertain or failed deliveries on ops' request, audited. Returns how many.
    async fn resend(&self, target: &ResendTarget, actor: &Actor, now: DateTime<Utc>) -> StoreResult<u64>;

    async fn deliveries(&self, query: &DeliveryQuery) -> StoreResult<Vec<DeliveryRecord>>;

    /// Seconds from claim to "sent" recorded for each sent delivery of an edition, for the
    /// dispatch bench's percentiles. Streamed, so a million rows cost only their numbers.
    async fn send_latencies(&self, edition: EditionId) -> StoreResult<Vec<f64>>;

    /// Deliveries per status over all editions, for metrics.
    async fn delivery_counts(&self) -> StoreResult<Vec<(DeliveryStatus, u64)>>;

    /// Outcomes per hour for the `hours` hours before `now`, oldest first; read as a stream, so
    /// a busy day costs its counts, not its rows.
    async fn outcomes_by_hour(&self, now: DateTime<Utc>, hours: u32) -> StoreResult<Vec<HourOutcomes>>;

    /// Bounce and complaint counts of the newest `limit` editions, newest first.
    async fn edition_rates(&self, limit: u64) -> StoreResult<Vec<EditionRates>>;
}
