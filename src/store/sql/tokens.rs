//! API tokens: stored as hashes, listed without them, revoked at once.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::accounts::{TOKEN_BY_HASH, account_summary};
use super::common::{DbRow, audit};
use super::{D, ThisStore};
use crate::access::{Actor, Role};
use crate::ids::{AccountId, TokenId};
use crate::store::dialect::Dialect;
use crate::store::{StoreError, StoreResult, TokenRecord, TokenStore, TokenSummary};

/// A token as listed, with the name of the person it belongs to.
macro_rules! summary_select {
    () => {
        "SELECT t.id, t.label, t.role, t.created_at, t.last_used_at, t.revoked_at, t.account_id, a.name, a.email \
         FROM api_tokens t LEFT JOIN accounts a ON a.id = t.account_id"
    };
}

#[async_trait]
impl TokenStore for ThisStore {
    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        owner: Option<AccountId>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<TokenId> {
        let mut tx = D::begin_write(&self.pool).await?;
        let id: TokenId = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, role, label, account_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token_hash)
        .bind(role.as_str())
        .bind(label)
        .bind(owner)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "token.create",
            &format!("token:{id}"),
            json!({ "role": role, "label": label, "account": owner }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>> {
        let row = sqlx::query(TOKEN_BY_HASH)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let owner: Option<AccountId> = row.try_get("account_id")?;
        let role: String = row.try_get("token_role")?;
        Ok(Some(TokenRecord {
            id: row.try_get("token_id")?,
            role: role.parse().map_err(StoreError::Corrupt)?,
            label: row.try_get("label")?,
            last_used_at: row.try_get("last_used_at")?,
            owner: owner.map(|_| account_summary(&row)).transpose()?,
        }))
    }

    async fn touch_token(&self, id: TokenId, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn tokens(&self) -> StoreResult<Vec<TokenSummary>> {
        let rows = sqlx::query(concat!(summary_select!(), " ORDER BY t.id DESC"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_summary).collect()
    }

    async fn revoke_token(&self, id: TokenId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<TokenSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        let revoked = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let row = sqlx::query(concat!(summary_select!(), " WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("token {id}"),
            })?;
        let summary = token_summary(&row)?;
        if revoked > 0 {
            let detail = json!({ "label": summary.label, "role": summary.role });
            audit(&mut tx, actor, "token.revoke", &format!("token:{id}"), detail, now).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

fn token_summary(row: &DbRow) -> StoreResult<TokenSummary> {
    let role: String = row.try_get("role")?;
    Ok(TokenSummary {
        id: row.try_get("id")?,
        label: row.try_get("label")?,
        role: role.parse().map_err(StoreError::Corrupt)?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
        owner_id: row.try_get("account_id")?,
        owner: match (
            row.try_get::<Option<String>, _>("name")?,
            row.try_get::<Option<String>, _>("email")?,
        ) {
            (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
            _ => None,
        },
    })
}
