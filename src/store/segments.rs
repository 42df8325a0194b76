//! Segments: named filters over the roster.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::Actor;
use crate::audience::{Segment, SegmentFilter};
use crate::store::StoreResult;

#[derive(Debug, Clone, Serialize)]
pub struct SegmentSummary {
    #[serde(flatten)]
    pub segment: Segment,
    pub members: u64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

#[async_trait]
pub trait SegmentStore: Send + Sync {
    async fn add_segment(&self, segment: &Segment, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()>;

    async fn segments(&self) -> StoreResult<Vec<SegmentSummary>>;

    async fn segment(&self, name: &str) -> StoreResult<Option<SegmentSummary>>;

    async fn count_members(&self, filter: &SegmentFilter) -> StoreResult<u64>;
}
