//! Government feeds and the items taken from them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::brief::Brief;
use crate::feed::{NewFeed, PollRecord, StoredFeed, Take};
use crate::ids::BriefId;
use crate::store::{StoreResult, StoredBrief};

#[async_trait]
pub trait FeedStore: Send + Sync {
    /// Saves a feed, with its audit entry; a `Conflict` on `name` when one has it already.
    async fn add_feed(&self, feed: &NewFeed, actor: &Actor, now: DateTime<Utc>) -> StoreResult<StoredFeed>;

    /// Every feed, by name.
    async fn feeds(&self) -> StoreResult<Vec<StoredFeed>>;

    async fn feed(&self, name: &str) -> StoreResult<Option<StoredFeed>>;

    /// Removes a feed, with its audit entry. What it took stays taken: added again, it does not
    /// draft the same items twice. False when there was no such feed.
    async fn remove_feed(&self, name: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<bool>;

    /// What a poll at `at` found.
    async fn record_poll(&self, feed: i64, record: &PollRecord, at: DateTime<Utc>) -> StoreResult<()>;

    /// Whether an item was taken already, by any feed.
    async fn is_taken(&self, key: &str) -> StoreResult<bool>;

    /// Stores `brief` as a new draft taken under `take`, in one transaction with the mark and the
    /// feed's count; None, writing nothing, when the item was taken already.
    async fn insert_taken_brief(
        &self,
        brief: &Brief,
        supersedes_id: Option<BriefId>,
        take: &Take,
        author: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<StoredBrief>>;

    /// Marks an item taken that leaves no new brief (a cancellation of a brief never sent, an
    /// alert's link once its alert is in); false when it was taken already.
    async fn mark_taken(&self, take: &Take, brief: Option<BriefId>, now: DateTime<Utc>) -> StoreResult<bool>;
}
