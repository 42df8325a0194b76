//! Reach: reported posts, counted source clicks, and the facts the reach report adds up.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::ids::{BriefId, InfluencerId};
use crate::language::Language;
use crate::reach::{PostUrl, ReachFacts};
use crate::store::StoreResult;

/// A post an influencer reported, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPostReport {
    pub influencer_id: InfluencerId,
    pub brief_id: BriefId,
    pub post: PostUrl,
    pub views: Option<u64>,
    /// `reply` or `form`.
    pub via: &'static str,
}

/// A stored post report, as its author sees it in their page and export.
#[derive(Debug, Clone, Serialize)]
pub struct PostReportRecord {
    pub brief_id: BriefId,
    pub platform: String,
    pub url: String,
    pub views: Option<u64>,
    pub via: String,
    pub reported_at: DateTime<Utc>,
}

#[async_trait]
pub trait ReachStore: Send + Sync {
    /// Stores a report; false when the post was reported already (by anyone), which changes
    /// nothing. The followers are the roster's now.
    async fn add_post_report(&self, report: &NewPostReport, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Whether `influencer` was delivered an edition that carried `brief`.
    async fn was_sent(&self, influencer: InfluencerId, brief: BriefId) -> StoreResult<bool>;

    /// The briefs delivered to `influencer`, newest first.
    async fn briefs_sent_to(&self, influencer: InfluencerId) -> StoreResult<Vec<BriefId>>;

    /// A person's own post reports, newest first.
    async fn post_reports_of(&self, influencer: InfluencerId) -> StoreResult<Vec<PostReportRecord>>;

    /// One click on a fact's source, counted for its day (Finnish time).
    async fn count_click(&self, brief: BriefId, language: Language, source: &str, day: NaiveDate) -> StoreResult<()>;

    /// Everything the reach report is made from.
    async fn reach_facts(&self) -> StoreResult<ReachFacts>;
}
