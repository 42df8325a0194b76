//! Accounts of the people who sign in, with their password hashes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::account::{AccountSummary, NewAccount};
use crate::audience::EmailAddress;
use crate::ids::AccountId;
use crate::store::StoreResult;

/// An account with what signing in checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub summary: AccountSummary,
    pub password_hash: String,
    /// The authenticator app's shared secret, base32, when the person has set one up.
    pub totp_secret: Option<String>,
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

    /// Sets or (with `None`) removes the authenticator secret, audited (never the secret).
    /// Removing it ends the person's sessions. Not found when there is no such account.
    async fn set_totp(
        &self,
        email: &EmailAddress,
        secret: Option<&str>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary>;

    /// Records that the code of `step` was used: true only the first time a step at least that
    /// late is claimed, so that a code seen over someone's shoulder cannot be used again.
    async fn claim_totp_step(&self, account: AccountId, step: i64) -> StoreResult<bool>;

    /// Sets the language of the person's console, audited. Not found when there is no such
    /// account.
    async fn set_language(
        &self,
        email: &EmailAddress,
        language: crate::language::Language,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountSummary>;
}
