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
    /// The reason as stored; anything unknown reads as a manual suppression.
    pub fn from_stored(text: &str) -> SuppressionReason {
        match text {
            "erased" => SuppressionReason::Erased,
            "unsubscribed" => SuppressionReason::Unsubscribed,
            "bounced" => SuppressionReason::Bounced,
            "complained" => SuppressionReason::Complained,
            _ => SuppressionReason::Manual,
        }
    }

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

    /// The suppressed among `emails`, each with why, by address; one query for a listing's page.
    async fn suppressions_among(&self, emails: &[EmailAddress]) -> StoreResult<Vec<(EmailAddress, SuppressionReason)>>;

    /// The reader asked to leave (one-click or their page): suppressed and audited as `actor`, in
    /// one transaction.
    async fn unsubscribe(&self, email: &EmailAddress, how: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()>;
}
