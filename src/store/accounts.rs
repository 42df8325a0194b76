//! Accounts of the people who sign in, with their password hashes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::account::{AccountSummary, NewAccount};
use crate::audience::EmailAddress;
use crate::store::StoreResult;

/// An account with what signing in checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub summary: AccountSummary,
    pub password_hash: String,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account, audited, and returns it as stored. Conflict on `email` when someone already has that address
    /// (a disabled account keeps its address: the audit log's names must stay unambiguous).
    async fn create_account(
        &self,
        account: &NewAccount,
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary>;

    /// The account with this address, enabled or not.
    async fn account(&self, email: &EmailAddress) -> StoreResult<Option<StoredAccount>>;

    /// Every account, in the order they were made.
    async fn accounts(&self) -> StoreResult<Vec<AccountSummary>>;

    /// Disables an account at once, audited; one already disabled stays as it was. Not found
    /// when there is no such account.
    async fn disable_account(
        &self,
        email: &EmailAddress,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary>;

    /// Replaces the password hash, audited (never the hash itself). Not found when there is no
    /// such account.
    async fn set_password(
        &self,
        email: &EmailAddress,
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary>;
}
