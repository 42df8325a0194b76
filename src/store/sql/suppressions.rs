//! Addresses that must not be written to, and why.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::common::{audit, push_list};
use super::{D, Db, ThisStore};
use crate::access::Actor;
use crate::audience::EmailAddress;
use crate::store::dialect::Dialect;
use crate::store::{StoreResult, SuppressionReason, SuppressionStore};

#[async_trait]
impl SuppressionStore for ThisStore {
    async fn suppress(
        &self,
        email: &EmailAddress,
        reason: SuppressionReason,
        detail: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        insert_suppression(&mut conn, email, reason, detail, now).await
    }

    async fn unsubscribe(&self, email: &EmailAddress, how: &str, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = D::begin_write(&self.pool).await?;
        insert_suppression(&mut tx, email, SuppressionReason::Unsubscribed, how, now).await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM influencers WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let subject = id.map_or_else(|| "influencer:unknown".to_string(), |id| format!("influencer:{id}"));
        audit(
            &mut tx,
            actor,
            "influencer.unsubscribe",
            &subject,
            json!({ "how": how }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn suppression(&self, email: &EmailAddress) -> StoreResult<Option<SuppressionReason>> {
        let reason: Option<String> = sqlx::query_scalar("SELECT reason FROM suppressions WHERE email_hash = $1")
            .bind(email.hash())
            .fetch_optional(&self.pool)
            .await?;
        Ok(reason.as_deref().map(SuppressionReason::from_stored))
    }

    async fn suppressions_among(&self, emails: &[EmailAddress]) -> StoreResult<Vec<(EmailAddress, SuppressionReason)>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Db>::new("SELECT email_hash, reason FROM suppressions WHERE email_hash IN (");
        push_list(&mut q, emails.iter().map(EmailAddress::hash));
        q.push(")");
        let mut found = Vec::new();
        for row in q.build().fetch_all(&self.pool).await? {
            let hash: String = row.try_get("email_hash")?;
            let reason: String = row.try_get("reason")?;
            if let Some(email) = emails.iter().find(|e| e.hash() == hash) {
                found.push((email.clone(), SuppressionReason::from_stored(&reason)));
            }
        }
        Ok(found)
    }
}

/// The first reason stands: an erased address must stay hashed-only whatever comes later.
pub(super) async fn insert_suppression(
    conn: &mut <Db as sqlx::Database>::Connection,
    email: &EmailAddress,
    reason: SuppressionReason,
    detail: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO suppressions (email_hash, email, reason, detail, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (email_hash) DO NOTHING",
    )
    .bind(email.hash())
    .bind(email.as_str())
    .bind(reason.as_str())
    .bind(detail)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
