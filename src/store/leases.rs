//! Deliveries under lease: claims, fenced outcomes, heartbeats and what becomes uncertain.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use crate::edition::ClaimedDelivery;
use crate::store::StoreResult;

#[async_trait]
pub trait LeaseStore: Send + Sync {
    /// Claims up to `batch` due deliveries of sending editions for `worker` until `now + lease`,
    /// and commits before returning: the caller sends after this, outside any transaction.
    /// Due deliveries to suppressed or erased addresses become `suppressed`, and those whose
    /// briefs have all expired or been withdrawn become `expired`, instead of being claimed.
    async fn claim_due(
        &self,
        worker: &str,
        batch: u32,
        lease: TimeDelta,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ClaimedDelivery>>;

    /// Deliveries still `sending` after their lease ran out become `uncertain`: they may have
    /// been sent, so they wait for ops. Returns how many.
    async fn expire_leases(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Every daemon with a heartbeat on record and its latest beat, newest first.
    async fn daemons(&self) -> StoreResult<Vec<(String, DateTime<Utc>)>>;

    /// Records that `worker`'s daemon is alive at `now`.
    async fn beat(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// A daemon that stops takes its heartbeat with it.
    async fn stop_beating(&self, worker: &str) -> StoreResult<()>;

    /// Deliveries still `sending` that were claimed before `silent_since` by a daemon not heard
    /// from since then become `uncertain`: that daemon crashed or lost the database, so an
    /// outcome will not be recorded. Returns how many.
    async fn expire_silent_claims(&self, silent_since: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Every delivery `worker` still holds becomes `uncertain`: for a daemon whose own lane
    /// died in the middle of a batch, once nothing of it is in flight any more.
    async fn abandon_claims(&self, worker: &str, now: DateTime<Utc>) -> StoreResult<u64>;
}
