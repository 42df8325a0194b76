//! Briefs as stored: the document as submitted, its status and who moved it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::access::Actor;
use crate::brief::{Brief, BriefStatus};
use crate::ids::BriefId;

/// A brief with the bookkeeping the store adds.
#[derive(Debug, Clone, Serialize)]
pub struct StoredBrief {
    pub id: BriefId,
    pub version: i32,
    pub supersedes_id: Option<BriefId>,
    pub status: BriefStatus,
    pub author: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub brief: Brief,
}

#[async_trait]
pub trait BriefStore: Send + Sync {
    /// Stores a new draft. Its version is one more than any brief with the same slug; a brief
    /// that supersedes another names it.
    async fn insert_brief(
        &self,
        brief: &Brief,
        supersedes_id: Option<BriefId>,
        author: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief>;

    async fn brief(&self, id: BriefId) -> StoreResult<Option<StoredBrief>>;

    /// Briefs newest first, optionally only those with one status.
    async fn briefs(&self, status: Option<BriefStatus>) -> StoreResult<Vec<StoredBrief>>;

    /// What came after a brief, newest first: its corrections (briefs that supersede it) and
    /// the later versions of its slug.
    async fn later_versions(&self, id: BriefId) -> StoreResult<Vec<StoredBrief>>;

    /// Replaces the document of a brief that is still `expected` and returns it to draft, with
    /// its approval cleared: what was approved is no longer what would be sent.
    async fn replace_brief(
        &self,
        id: BriefId,
        expected: BriefStatus,
        brief: &Brief,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief>;

    /// Moves a brief from `from` to `to`, recording who did it; a `Conflict` when someone else
    /// moved it first.
    async fn transition_brief(
        &self,
        id: BriefId,
        from: BriefStatus,
        to: BriefStatus,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredBrief>;
}
