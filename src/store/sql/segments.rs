//! Segments: named filters over the roster, and who they hold.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{DbRow, audit, push_segment_filter};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::audience::{Segment, SegmentFilter};
use crate::store::dialect::Dialect;
use crate::store::{SegmentStore, SegmentSummary, StoreError, StoreResult};

#[async_trait]
impl SegmentStore for ThisStore {
    async fn add_segment(&self, segment: &Segment, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()> {
        let filter = serde_json::to_string(&segment.filter).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = D::begin_write(&self.pool).await?;
        let inserted =
            sqlx::query("INSERT INTO segments (name, filter, created_by, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&segment.name)
                .bind(&filter)
                .bind(&actor.0)
                .bind(now)
                .execute(&mut *tx)
                .await;
        if let Err(sqlx::Error::Database(e)) = &inserted
            && e.is_unique_violation()
        {
            return Err(StoreError::Conflict {
                field: "name",
                message: format!("a segment named `{}` already exists", segment.name),
            });
        }
        inserted?;
        audit(
            &mut tx,
            actor,
            "segment.add",
            &format!("segment:{}", segment.name),
            json!(segment.filter),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn segments(&self) -> StoreResult<Vec<SegmentSummary>> {
        let rows = sqlx::query("SELECT name, filter, created_by, created_at FROM segments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.summarise_segment(row).await?);
        }
        Ok(out)
    }

    async fn segment(&self, name: &str) -> StoreResult<Option<SegmentSummary>> {
        let row = sqlx::query("SELECT name, filter, created_by, created_at FROM segments WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.summarise_segment(&row).await?)),
            None => Ok(None),
        }
    }

    async fn count_members(&self, filter: &SegmentFilter) -> StoreResult<u64> {
        let mut q = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM influencers WHERE 1 = 1");
        push_segment_filter(&mut q, filter);
        let count: i64 = q.build().fetch_one(&self.pool).await?.try_get(0)?;
        Ok(count as u64)
    }
}

impl ThisStore {
    async fn summarise_segment(&self, row: &DbRow) -> StoreResult<SegmentSummary> {
        let filter: String = row.try_get("filter")?;
        let filter: SegmentFilter =
            serde_json::from_str(&filter).map_err(|e| StoreError::Corrupt(format!("segment filter: {e}")))?;
        let members = self.count_members(&filter).await?;
        Ok(SegmentSummary {
            segment: Segment {
                name: row.try_get("name")?,
                filter,
            },
            members,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
        })
    }
}
