//! API tokens, kept as hashes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Actor, Role};
use crate::account::AccountSummary;
use crate::ids::{AccountId, TokenId};
use crate::store::StoreResult;

/// A token found by its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub role: Role,
    pub label: String,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The person it belongs to, as their account is now; none for a service token.
    pub owner: Option<AccountSummary>,
}

/// A token as listed: never the token, nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenSummary {
    pub id: TokenId,
    pub label: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The person it belongs to; none for a service token.
    pub owner_id: Option<AccountId>,
    /// Their name and address, as the audit log names them.
    pub owner: Option<String>,
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn create_token(
        &self,
        token_hash: &str,
        role: Role,
        label: &str,
        owner: Option<AccountId>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<TokenId>;

    /// A token that is not revoked.
    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>>;

    /// Notes that the token was used at `now`.
    async fn touch_token(&self, id: TokenId, now: DateTime<Utc>) -> StoreResult<()>;

    /// Every token, newest first.
    async fn tokens(&self) -> StoreResult<Vec<TokenSummary>>;

    /// Revokes a token at once, audited. Not found when there is no such token; a token already
    /// revoked stays revoked as it was.
    async fn revoke_token(&self, id: TokenId, actor: &Actor, now: DateTime<Utc>) -> StoreResult<TokenSummary>;
}
