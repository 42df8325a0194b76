//! Government feeds and the items taken from them: an item's mark is written in the transaction
//! that stores its brief, so it becomes a brief exactly once.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::briefs::insert_brief_in;
use super::common::{DbRow, Tx, audit};
use super::{D, ThisStore};
use crate::access::Actor;
use crate::brief::Brief;
use crate::feed::{NewFeed, PollRecord, StoredFeed, Take, Validators};
use crate::ids::BriefId;
use crate::store::dialect::Dialect;
use crate::store::{BriefStore, FeedStore, StoreError, StoreResult, StoredBrief};

const FEED_COLUMNS: &str = "id, name, url, kind, etag, last_modified, last_poll_at, last_success_at, last_error, \
                            failures, items_taken, created_at";

fn feed_from_row(row: &DbRow) -> StoreResult<StoredFeed> {
    let kind: String = row.try_get("kind")?;
    let failures: i64 = row.try_get::<i32, _>("failures").map(i64::from)?;
    let taken: i64 = row.try_get("items_taken")?;
    Ok(StoredFeed {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        kind: kind.parse().map_err(StoreError::Corrupt)?,
        validators: Validators {
            etag: row.try_get("etag")?,
            last_modified: row.try_get("last_modified")?,
        },
        last_poll_at: row.try_get("last_poll_at")?,
        last_success_at: row.try_get("last_success_at")?,
        last_error: row.try_get("last_error")?,
        failures: u32::try_from(failures).unwrap_or(0),
        items_taken: u64::try_from(taken).unwrap_or(0),
        created_at: row.try_get("created_at")?,
    })
}

#[async_trait]
impl FeedStore for ThisStore {
    async fn add_feed(&self, feed: &NewFeed, actor: &Actor, now: DateTime<Utc>) -> StoreResult<StoredFeed> {
        let mut tx = D::begin_write(&self.pool).await?;
        let inserted = sqlx::query("INSERT INTO feeds (name, url, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&feed.name)
            .bind(&feed.url)
            .bind(feed.kind.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict {
                    field: "name",
                    message: format!("a feed named `{}` already exists", feed.name),
                });
            }
            other => other?,
        };
        let detail = json!({ "url": feed.url, "kind": feed.kind });
        audit(&mut tx, actor, "feed.add", &format!("feed:{}", feed.name), detail, now).await?;
        tx.commit().await?;
        self.feed(&feed.name).await?.ok_or_else(|| StoreError::NotFound {
            what: format!("feed `{}`", feed.name),
        })
    }

    async fn feeds(&self) -> StoreResult<Vec<StoredFeed>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(feed_from_row).collect()
    }

    async fn feed(&self, name: &str) -> StoreResult<Option<StoredFeed>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE name = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(feed_from_row).transpose()
    }

    async fn remove_feed(&self, name: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        let removed = sqlx::query("DELETE FROM feeds WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Ok(false);
        }
        audit(&mut tx, actor, "feed.remove", &format!("feed:{name}"), json!({}), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn record_poll(&self, feed: i64, record: &PollRecord, at: DateTime<Utc>) -> StoreResult<()> {
        match record {
            PollRecord::Succeeded(validators) => {
                // A 304 keeps the validators it was asked with.
                sqlx::query(
                    "UPDATE feeds SET last_poll_at = $2, last_success_at = $2, last_error = NULL, failures = 0, \
                     etag = CASE WHEN $3 THEN $4 ELSE etag END, \
                     last_modified = CASE WHEN $3 THEN $5 ELSE last_modified END WHERE id = $1",
                )
                .bind(feed)
                .bind(at)
                .bind(validators.is_some())
                .bind(validators.as_ref().and_then(|v| v.etag.clone()))
                .bind(validators.as_ref().and_then(|v| v.last_modified.clone()))
                .execute(&self.pool)
                .await?;
            }
            PollRecord::Failed(error) => {
                sqlx::query(
                    "UPDATE feeds SET last_poll_at = $2, last_error = $3, failures = failures + 1 WHERE id = $1",
                )
                .bind(feed)
                .bind(at)
                .bind(error)
                .execute(&self.pool)
                .await?;
            }
        }
        Ok(())
    }

    async fn is_taken(&self, key: &str) -> StoreResult<bool> {
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM feed_items WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    async fn insert_taken_brief(
        &self,
        brief: &Brief,
        supersedes_id: Option<BriefId>,
        take: &Take,
        author: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<StoredBrief>> {
        let mut tx = D::begin_write(&self.pool).await?;
        // The mark first: a second taker waits here for the first to commit, then finds it.
        let marked = sqlx::query(
            "INSERT INTO feed_items (key, feed_id, taken_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        )
        .bind(&take.key)
        .bind(take.feed)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked == 0 {
            return Ok(None);
        }
        let id = insert_brief_in(&mut tx, brief, supersedes_id, author, now).await?;
        sqlx::query("UPDATE feed_items SET brief_id = $2 WHERE key = $1")
            .bind(&take.key)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        count_taken(&mut tx, take).await?;
        tx.commit().await?;
        Ok(Some(self.brief(id).await?.ok_or_else(|| StoreError::NotFound {
            what: format!("brief {id}"),
        })?))
    }

    async fn mark_taken(&self, take: &Take, brief: Option<BriefId>, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        let marked = sqlx::query(
            "INSERT INTO feed_items (key, feed_id, brief_id, taken_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(&take.key)
        .bind(take.feed)
        .bind(brief.map(|b| b.0))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked == 1 {
            count_taken(&mut tx, take).await?;
        }
        tx.commit().await?;
        Ok(marked == 1)
    }
}

async fn count_taken(tx: &mut Tx, take: &Take) -> StoreResult<()> {
    if take.counts {
        sqlx::query("UPDATE feeds SET items_taken = items_taken + 1 WHERE id = $1")
            .bind(take.feed)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
