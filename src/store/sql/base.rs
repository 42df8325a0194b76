//! The `Store` trait's own part: migrations, health and the audit log.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use sqlx::Row;

use super::common::sql_count;
use super::{D, MIGRATOR, ThisStore};
use crate::store::dialect::Dialect;
use crate::store::{AuditEntry, Store, StoreError, StoreResult};

#[async_trait]
impl Store for ThisStore {
    fn backend(&self) -> &'static str {
        D::BACKEND
    }

    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        // A table, not `SELECT 1`: SQLite answers that without reading the file at all.
        sqlx::query("SELECT MAX(version) FROM _sqlx_migrations")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn audit_log(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        let rows =
            sqlx::query("SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1")
                .bind(sql_count(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: serde_json::from_str(&detail).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
