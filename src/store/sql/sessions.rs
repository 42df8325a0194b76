//! Sessions and failed sign-ins.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::accounts::{SESSION_BY_HASH, account_summary};
use super::common::{Tx, audit};
use super::{D, ThisStore};
use crate::access::Actor;
use crate::ids::AccountId;
use crate::store::dialect::Dialect;
use crate::store::{NewSession, RecentFailures, SessionStage, SessionStore, StoreError, StoreResult, StoredSession};

#[async_trait]
impl SessionStore for ThisStore {
    async fn record_sign_in_failure(&self, email: &str, address: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(address)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let actor = Actor(format!("anonymous at {address}"));
        audit(
            &mut tx,
            &actor,
            "session.refused",
            &format!("account:{email}"),
            json!({}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn recent_sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<RecentFailures> {
        let (for_email, from_address): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN address = $2 THEN 1 ELSE 0 END), 0) \
             FROM sign_in_failures WHERE at >= $3 AND (email = $1 OR address = $2)",
        )
        .bind(email)
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(RecentFailures {
            for_email: u64::try_from(for_email).unwrap_or(0),
            from_address: u64::try_from(from_address).unwrap_or(0),
        })
    }

    async fn start_session(&self, session: &NewSession<'_>, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, csrf_token, address, stage, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(session.id_hash)
        .bind(session.account)
        .bind(session.csrf_token)
        .bind(session.address)
        .bind(session.stage.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let email = email_of(&mut tx, session.account).await?;
        let detail = json!({ "address": session.address, "stage": session.stage.as_str() });
        audit(
            &mut tx,
            actor,
            "session.start",
            &format!("account:{email}"),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<StoredSession>> {
        let row = sqlx::query(SESSION_BY_HASH)
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let stage: String = row.try_get("stage")?;
            Ok(StoredSession {
                stage: SessionStage::parse(&stage)
                    .ok_or_else(|| StoreError::Corrupt(format!("session stage `{stage}`")))?,
                account: account_summary(&row)?,
                csrf_token: row.try_get("csrf_token")?,
                created_at: row.try_get("session_created_at")?,
                last_seen_at: row.try_get("last_seen_at")?,
                ended_at: row.try_get("ended_at")?,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_session(&self, id_hash: &str, actor: &Actor, why: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = D::begin_write(&self.pool).await?;
        let account: Option<AccountId> = sqlx::query_scalar(
            "UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL RETURNING account_id",
        )
        .bind(now)
        .bind(id_hash)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(account) = account {
            let email = email_of(&mut tx, account).await?;
            audit(
                &mut tx,
                actor,
                "session.end",
                &format!("account:{email}"),
                json!({ "why": why }),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(account.is_some())
    }
}

async fn email_of(tx: &mut Tx, account: AccountId) -> StoreResult<String> {
    Ok(sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(&mut **tx)
        .await?)
}
