//! Send windows: reservations against each transport's limits, taken in turns.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{D, ThisStore};
use crate::store::dialect::Dialect;
use crate::store::{RateStore, SendLimit, StoreResult, window_start};

#[async_trait]
impl RateStore for ThisStore {
    async fn reserve_sends(
        &self,
        transport: &str,
        want: u32,
        limits: &[SendLimit],
        now: DateTime<Utc>,
    ) -> StoreResult<u32> {
        if limits.is_empty() || want == 0 {
            return Ok(want);
        }
        let mut tx = D::begin_write(&self.pool).await?;
        // Reservations take turns, so two daemons never both see room for the same sends.
        D::lock_send_windows(&mut tx).await?;
        let mut granted = u64::from(want);
        for limit in limits {
            let used: Option<i64> = sqlx::query_scalar(
                "SELECT used FROM send_windows WHERE transport = $1 AND span = $2 AND starts_at = $3",
            )
            .bind(transport)
            .bind(limit.span_seconds)
            .bind(window_start(limit, now))
            .fetch_optional(&mut *tx)
            .await?;
            granted = granted.min(limit.max.saturating_sub(used.unwrap_or(0).max(0) as u64));
        }
        if granted > 0 {
            for limit in limits {
                sqlx::query(
                    "INSERT INTO send_windows (transport, span, starts_at, used) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (transport, span, starts_at) DO UPDATE SET used = send_windows.used + excluded.used",
                )
                .bind(transport)
                .bind(limit.span_seconds)
                .bind(window_start(limit, now))
                .bind(granted as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        // Windows older than the longest span are done with; keeping the table small keeps this cheap.
        let longest = limits.iter().map(|l| l.span_seconds).max().unwrap_or(1);
        sqlx::query("DELETE FROM send_windows WHERE transport = $1 AND starts_at < $2")
            .bind(transport)
            .bind(now.timestamp() - 2 * longest)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(granted as u32)
    }

    async fn release_sends(
        &self,
        transport: &str,
        unused: u32,
        limits: &[SendLimit],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if limits.is_empty() || unused == 0 {
            return Ok(());
        }
        let mut tx = D::begin_write(&self.pool).await?;
        for limit in limits {
            sqlx::query(
                "UPDATE send_windows SET used = CASE WHEN used > $1 THEN used - $1 ELSE 0 END \
                 WHERE transport = $2 AND span = $3 AND starts_at = $4",
            )
            .bind(i64::from(unused))
            .bind(transport)
            .bind(limit.span_seconds)
            .bind(window_start(limit, now))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
