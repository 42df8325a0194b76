//! The roster: influencers as imported, listed, asked for and erased.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::Actor;
use crate::audience::roster::RosterPart;
use crate::audience::{EmailAddress, ImportReport, SegmentFilter, StoredInfluencer};
use crate::cadence::Cadence;
use crate::ids::DeliveryId;
use crate::language::Language;
use crate::store::StoreResult;

/// Which influencers a listing shows.
#[derive(Debug, Clone, Default)]
pub struct InfluencerQuery {
    pub language: Option<Language>,
    pub cadence: Option<Cadence>,
    pub segment: Option<SegmentFilter>,
    /// People on this platform.
    pub platform: Option<String>,
    /// Only those never mailed (`true`), or only those who are (`false`).
    pub suppressed: Option<bool>,
    /// Words found in the name or the address, whatever their case.
    pub search: Option<String>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Everything held on one person, for a GDPR access request.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    pub influencer: StoredInfluencer,
    pub deliveries: Vec<serde_json::Value>,
    pub replies: Vec<serde_json::Value>,
    pub questions: Vec<serde_json::Value>,
    /// What they reported they posted.
    pub post_reports: Vec<crate::store::PostReportRecord>,
}

#[async_trait]
pub trait RosterStore: Send + Sync {
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
    async fn subscriber(&self, delivery_id: DeliveryId) -> StoreResult<Option<StoredInfluencer>>;

    /// Changes the language and cadence a person receives, as they chose on their page.
    async fn set_preferences(
        &self,
        email: &EmailAddress,
        language: Language,
        cadence: Cadence,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}
