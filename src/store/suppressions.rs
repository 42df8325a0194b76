//! Addresses never written to again, and why.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::store::StoreResult;

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
pub trait SuppressionStore: Send + Sync {
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
}
