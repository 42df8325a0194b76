//! Accounts: made, listed without their hashes, disabled, given a new password; each audited.
//!
//! Compiled once per backend; see `store/dialect.rs` for `D`, `Db` and `ThisStore`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::common::{DbRow, Tx, audit};
use super::{D, ThisStore};
use crate::access::Actor;
use crate::account::{AccountSummary, NewAccount};
use crate::audience::EmailAddress;
use crate::ids::AccountId;
use crate::store::dialect::Dialect;
use crate::store::{AccountStore, StoreError, StoreResult, StoredAccount};

/// An account's columns, with a table prefix, as a literal, so every query is a constant.
macro_rules! account_columns {
    ($p:literal) => {
        concat!(
            $p,
            "id, ",
            $p,
            "email, ",
            $p,
            "name, ",
            $p,
            "role, ",
            $p,
            "ui_language, ",
            $p,
            "password_hash, ",
            $p,
            "password_changed_at, ",
            $p,
            "created_at, ",
            $p,
            "disabled_at, ",
            $p,
            "totp_secret"
        )
    };
}

const ACCOUNT_BY_EMAIL: &str = concat!("SELECT ", account_columns!(""), " FROM accounts WHERE email = $1");

/// A live token with the account it belongs to, if any, as it is now (see `sql/tokens.rs`):
/// one read on every API request.
pub(super) const TOKEN_BY_HASH: &str = concat!(
    "SELECT t.id AS token_id, t.role AS token_role, t.label, t.last_used_at, t.account_id, ",
    account_columns!("a."),
    " FROM api_tokens t LEFT JOIN accounts a ON a.id = t.account_id \
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
);

/// A session with its account as it is now (see `sql/sessions.rs`).
pub(super) const SESSION_BY_HASH: &str = concat!(
    "SELECT ",
    account_columns!("a."),
    ", s.csrf_token, s.stage, s.created_at AS session_created_at, s.last_seen_at, s.ended_at \
     FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1"
);

#[async_trait]
impl AccountStore for ThisStore {
    async fn create_account(
        &self,
        account: &NewAccount,
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        let taken: Option<AccountId> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(account.email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict {
                field: "email",
                message: format!("an account for {} already exists", account.email),
            });
        }
        sqlx::query(
            "INSERT INTO accounts (email, name, role, ui_language, password_hash, password_changed_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(account.email.as_str())
        .bind(&account.name)
        .bind(account.role.as_str())
        .bind(account.language.code())
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let summary = summary_in(&mut tx, &account.email).await?;
        let detail = json!({ "name": account.name, "role": account.role, "language": account.language });
        audit(&mut tx, actor, "account.create", &subject(&account.email), detail, now).await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn account(&self, email: &EmailAddress) -> StoreResult<Option<StoredAccount>> {
        let row = sqlx::query(ACCOUNT_BY_EMAIL)
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(StoredAccount {
                summary: account_summary(&row)?,
                password_hash: row.try_get("password_hash")?,
                totp_secret: row.try_get("totp_secret")?,
            })
        })
        .transpose()
    }

    async fn accounts(&self) -> StoreResult<Vec<AccountSummary>> {
        let rows = sqlx::query(concat!("SELECT ", account_columns!(""), " FROM accounts ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_summary).collect()
    }

    async fn disable_account(
        &self,
        email: &EmailAddress,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        let disabled = sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE email = $2 AND disabled_at IS NULL")
            .bind(now)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let summary = summary_in(&mut tx, email).await?;
        end_sessions(&mut tx, summary.id, now).await?;
        if disabled > 0 {
            let detail = json!({ "name": summary.name, "role": summary.role });
            audit(&mut tx, actor, "account.disable", &subject(email), detail, now).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    async fn set_password(
        &self,
        email: &EmailAddress,
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE email = $3")
            .bind(password_hash)
            .bind(now)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
        let summary = summary_in(&mut tx, email).await?;
        let ended = end_sessions(&mut tx, summary.id, now).await?;
        let detail = json!({ "name": summary.name, "sessions_ended": ended });
        audit(&mut tx, actor, "account.password", &subject(email), detail, now).await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn set_totp(
        &self,
        email: &EmailAddress,
        secret: Option<&str>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query("UPDATE accounts SET totp_secret = $1, totp_last_step = NULL WHERE email = $2")
            .bind(secret)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
        let summary = summary_in(&mut tx, email).await?;
        // Taking the factor away (a lost phone) signs the person out everywhere; adding one
        // keeps the session it was added from.
        let ended = if secret.is_none() {
            end_sessions(&mut tx, summary.id, now).await?
        } else {
            0
        };
        let detail = json!({ "name": summary.name, "enabled": secret.is_some(), "sessions_ended": ended });
        audit(&mut tx, actor, "account.totp", &subject(email), detail, now).await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn set_language(
        &self,
        email: &EmailAddress,
        language: crate::language::Language,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary> {
        let mut tx = D::begin_write(&self.pool).await?;
        sqlx::query("UPDATE accounts SET ui_language = $1 WHERE email = $2")
            .bind(language.code())
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
        let summary = summary_in(&mut tx, email).await?;
        let detail = json!({ "name": summary.name, "language": language });
        audit(&mut tx, actor, "account.language", &subject(email), detail, now).await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn claim_totp_step(&self, account: AccountId, step: i64) -> StoreResult<bool> {
        let claimed = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 \
             WHERE id = $2 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(claimed > 0)
    }
}

/// A new password or a disabled account signs the person out everywhere at once.
async fn end_sessions(tx: &mut Tx, account: AccountId, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE account_id = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(account)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

fn subject(email: &EmailAddress) -> String {
    format!("account:{email}")
}

async fn summary_in(tx: &mut Tx, email: &EmailAddress) -> StoreResult<AccountSummary> {
    let row = sqlx::query(ACCOUNT_BY_EMAIL)
        .bind(email.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: format!("account {email}"),
        })?;
    account_summary(&row)
}

pub(super) fn account_summary(row: &DbRow) -> StoreResult<AccountSummary> {
    let role: String = row.try_get("role")?;
    let language: String = row.try_get("ui_language")?;
    Ok(AccountSummary {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: role.parse().map_err(StoreError::Corrupt)?,
        language: language.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        created_at: row.try_get("created_at")?,
        password_changed_at: row.try_get("password_changed_at")?,
        disabled_at: row.try_get("disabled_at")?,
        second_factor: row.try_get::<Option<String>, _>("totp_secret")?.is_some(),
    })
}
