//! The `Store` trait's own part: migrations, health and the audit log.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use sqlx::Row;

use sqlx::QueryBuilder;

use super::common::{like_escaped, sql_count};
use super::{D, Db, MIGRATOR, ThisStore};
use crate::store::dialect::Dialect;
use crate::store::{AuditEntry, AuditQuery, Store, StoreError, StoreResult};

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

    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let mut q = QueryBuilder::<Db>::new("SELECT id, at, actor, action, subject, detail FROM audit_log WHERE 1 = 1");
        if let Some(family) = &query.family {
            q.push(" AND action LIKE ")
                .push_bind(format!("{}.%", like_escaped(family)))
                .push(" ESCAPE '\\'");
        }
        for (column, text) in [("actor", &query.actor), ("subject", &query.subject)] {
            if let Some(text) = text {
                q.push(format!(" AND LOWER({column}) LIKE "))
                    .push_bind(format!("%{}%", like_escaped(&text.to_lowercase())))
                    .push(" ESCAPE '\\'");
            }
        }
        if let Some(before) = query.before {
            q.push(" AND id < ").push_bind(before);
        }
        q.push(" ORDER BY id DESC LIMIT ").push_bind(sql_count(query.limit));
        let rows = q.build().fetch_all(&self.pool).await?;
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
