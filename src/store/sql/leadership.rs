//! The scheduler's one leader among daemons.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{D, ThisStore};
use crate::store::dialect::Dialect;
use crate::store::{Lead, Leadership, LeadershipStore, StoreResult};

#[async_trait]
impl LeadershipStore for ThisStore {
    async fn try_lead(&self, work: Lead) -> StoreResult<Option<Leadership>> {
        Ok(D::lead(&self.pool, work).await?)
    }

    async fn note_leader(&self, daemon: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO scheduler_leader (id, daemon, beat_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET daemon = excluded.daemon, beat_at = excluded.beat_at",
        )
        .bind(daemon)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn leader(&self) -> StoreResult<Option<(String, DateTime<Utc>)>> {
        let row = sqlx::query("SELECT daemon, beat_at FROM scheduler_leader WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((row.try_get("daemon")?, row.try_get("beat_at")?)))
            .transpose()
    }
}
