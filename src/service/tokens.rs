//! API tokens: made at the command line, listed and revoked by approvers.

use chrono::{DateTime, Utc};

use crate::access::{self, Caller, Denied, Role};
use crate::ids::TokenId;
use crate::store::{Store, StoreError, TokenSummary};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A token made now: its id and the token itself, which is shown this once and stored only as
/// a hash.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: TokenId,
    pub token: String,
}

/// The caller a bearer token stands for, or `None` when it is unknown or revoked. The token's
/// use is recorded at most once a minute: every request writing would contend with the
/// dispatcher for SQLite's one writer.
pub async fn authenticate(store: &dyn Store, token: &str, now: DateTime<Utc>) -> Result<Option<Caller>, StoreError> {
    let Some(record) = store.find_token(&access::token_hash(token)).await? else {
        return Ok(None);
    };
    if record
        .last_used_at
        .is_none_or(|at| now - at >= chrono::TimeDelta::minutes(1))
        && let Err(error) = store.touch_token(record.id, now).await
    {
        tracing::warn!(%error, token = %record.id, "recording the token's use failed");
    }
    Ok(Some(Caller {
        actor: access::Actor::token(&record.label, record.id),
        role: record.role,
    }))
}

pub async fn create(
    store: &dyn Store,
    caller: &Caller,
    role: Role,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewToken, TokenError> {
    caller.must_approve()?;
    let token = access::new_token();
    let id = store
        .create_token(&access::token_hash(&token), role, label, &caller.actor, now)
        .await?;
    Ok(NewToken { id, token })
}

/// Every token with its label, role, creation, last use and revocation; never the token.
pub async fn list(store: &dyn Store, caller: &Caller) -> Result<Vec<TokenSummary>, TokenError> {
    caller.must_approve()?;
    Ok(store.tokens().await?)
}

/// Revokes a token at once: its next request gets 401.
pub async fn revoke(
    store: &dyn Store,
    caller: &Caller,
    id: TokenId,
    now: DateTime<Utc>,
) -> Result<TokenSummary, TokenError> {
    caller.must_approve()?;
    Ok(store.revoke_token(id, &caller.actor, now).await?)
}
