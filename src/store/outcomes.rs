//! What sends did, recorded against the lease that sent them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::edition::{Lease, Outcome, Recorded};
use crate::store::StoreResult;

#[async_trait]
pub trait OutcomeStore: Send + Sync {
    /// Records what a send did, only while `lease` is still this attempt's. A bounce, or a
    /// refusal that suppresses, also suppresses the address (reason `bounced`) in the same
    /// transaction.
    async fn record_outcome(
        &self,
        lease: &Lease,
        transport: &str,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> StoreResult<Recorded>;

    /// Records a batch of one transport's outcomes in one transaction, each as `record_outcome`
    /// would: one commit per batch instead of one per message is what lets the log keep pace
    /// with the transport.
    async fn record_outcomes(
        &self,
        transport: &str,
        reports: &[(&Lease, &Outcome)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Recorded>>;
}
