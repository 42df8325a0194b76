//! API tokens. A person's token acts as that person, with their role as it is now, and stops
//! with their account; anyone signed in makes and revokes their own. A service token (for a
//! mail provider's webhook, a feed reader) has no owner and is known by its label; approvers
//! make, list and revoke those, and anyone's.

use chrono::{DateTime, Utc};

use crate::access::{self, Caller, Denied, Role};
use crate::account::AccountSummary;
use crate::audience::EmailAddress;
use crate::ids::{AccountId, TokenId};
use crate::store::{Store, StoreError, TokenSummary};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("{0}")]
    NoAccount(String),
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
    match record.owner {
        Some(owner) if owner.disabled_at.is_some() => Ok(None),
        Some(owner) => Ok(Some(Caller {
            actor: access::Actor::person(&owner.name, &owner.email),
            role: owner.role,
        })),
        None => Ok(Some(Caller {
            actor: access::Actor::token(&record.label, record.id),
            role: record.role,
        })),
    }
}

pub async fn create(
    store: &dyn Store,
    caller: &Caller,
    role: Role,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewToken, TokenError> {
    caller.must_approve()?;
    make(store, caller, role, label, None, now).await
}

async fn make(
    store: &dyn Store,
    caller: &Caller,
    role: Role,
    label: &str,
    owner: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<NewToken, TokenError> {
    let token = access::new_token();
    let id = store
        .create_token(&access::token_hash(&token), role, label, owner, &caller.actor, now)
        .await?;
    Ok(NewToken { id, token })
}

/// A token of the person's own, for scripts they run: it acts as them.
pub async fn create_own(
    store: &dyn Store,
    caller: &Caller,
    account: &AccountSummary,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewToken, TokenError> {
    make(store, caller, account.role, label, Some(account.id), now).await
}

/// A token for someone else, made by an approver (at the command line).
pub async fn create_for(
    store: &dyn Store,
    caller: &Caller,
    email: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<NewToken, TokenError> {
    caller.must_approve()?;
    let address = EmailAddress::parse(email).map_err(|e| TokenError::NoAccount(e.to_string()))?;
    let account = store
        .account(&address)
        .await?
        .ok_or_else(|| TokenError::NoAccount(format!("no account has the address {address}")))?;
    make(
        store,
        caller,
        account.summary.role,
        label,
        Some(account.summary.id),
        now,
    )
    .await
}

/// The person's own tokens, newest first.
pub async fn own(store: &dyn Store, account: &AccountSummary) -> Result<Vec<TokenSummary>, TokenError> {
    let all = store.tokens().await?;
    Ok(all.into_iter().filter(|t| t.owner_id == Some(account.id)).collect())
}

/// Revokes one of the person's own tokens; another's is not found, to them.
pub async fn revoke_own(
    store: &dyn Store,
    caller: &Caller,
    account: &AccountSummary,
    id: TokenId,
    now: DateTime<Utc>,
) -> Result<TokenSummary, TokenError> {
    let theirs = own(store, account).await?.iter().any(|t| t.id == id);
    if !theirs {
        return Err(TokenError::Store(StoreError::NotFound {
            what: format!("token {id}"),
        }));
    }
    Ok(store.revoke_token(id, &caller.actor, now).await?)
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
