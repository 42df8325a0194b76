//! Editions, made whole with their deliveries in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::edition::{
    EditionAction, EditionBrief, EditionCreated, EditionHealth, EditionStatus, EditionSummary, NewEdition, PauseReason,
    Progress, Recipients,
};
use crate::ids::{BriefId, EditionId};
use crate::language::Language;
use crate::store::StoreResult;

#[async_trait]
pub trait EditionStore: Send + Sync {
    /// Creates an edition, its briefs and one queued delivery per recipient in one transaction,
    /// without loading the recipients into memory. Each delivery is in its influencer's language.
    async fn create_edition(
        &self,
        edition: &NewEdition,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionCreated>;

    /// A flash edition of one urgent brief: at once, to every subscriber who has not had it.
    /// Refused (conflict) unless the brief is urgent, approved, past its embargo and unexpired.
    async fn create_flash(&self, brief: BriefId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<EditionCreated>;

    /// How many readers, by language, an edition of `briefs` to `recipients` would be queued for
    /// now; nothing is written. For the confirmation before a send.
    async fn count_recipients(
        &self,
        recipients: &Recipients,
        briefs: &[EditionBrief],
    ) -> StoreResult<Vec<(Language, u64)>>;

    /// How an edition fares, for the sender guard: hard bounces among its first `sample`
    /// attempted deliveries, and its latest `latest` outcomes, newest first.
    async fn edition_health(&self, id: EditionId, sample: u64, latest: u32) -> StoreResult<EditionHealth>;

    /// Pauses a sending edition to protect the sender, keeping why; audited as the daemon's own
    /// act. False when it was no longer sending.
    async fn pause_to_protect(&self, id: EditionId, reason: &PauseReason, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Sending editions with nothing left to attempt become `done`.
    async fn settle_editions(&self, now: DateTime<Utc>) -> StoreResult<Vec<EditionId>>;

    async fn editions(&self, limit: u64, offset: u64) -> StoreResult<Vec<EditionSummary>>;

    async fn edition(&self, id: EditionId) -> StoreResult<Option<EditionSummary>>;

    async fn edition_progress(&self, id: EditionId, now: DateTime<Utc>) -> StoreResult<Option<Progress>>;

    /// Pauses, resumes or cancels an edition, audited; cancelling turns its queued and deferred
    /// deliveries into `cancelled`. A move the edition's status does not allow is a conflict.
    async fn change_edition(
        &self,
        id: EditionId,
        action: EditionAction,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<EditionStatus>;
}
