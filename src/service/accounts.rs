//! Accounts of the people who use the console: made, listed, disabled and given new passwords
//! by approvers (and at the command line, which acts as one).

use chrono::{DateTime, Utc};

use crate::access::{Caller, Denied, Role};
use crate::account::{
    AccountSummary, HashError, NameRejected, NewAccount, Password, PasswordRejected, check_name, typed_matches,
};
use crate::audience::{EmailAddress, InvalidEmail};
use crate::language::Language;
use crate::service::sessions::{self, Session};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("email: {0}")]
    Email(#[from] InvalidEmail),
    #[error("name: {0}")]
    Name(#[from] NameRejected),
    #[error("password: {0}")]
    Password(#[from] PasswordRejected),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("the current password is not right, or there were too many attempts")]
    WrongCurrentPassword,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an approver fills in to give someone an account.
#[derive(Debug)]
pub struct AccountRequest<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub language: Language,
    pub password: &'a str,
}

pub async fn add(
    store: &dyn Store,
    caller: &Caller,
    request: AccountRequest<'_>,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    caller.must_approve()?;
    let account = NewAccount {
        email: EmailAddress::parse(request.email)?,
        name: check_name(request.name)?,
        role: request.role,
        language: request.language,
    };
    let hash = Password::new(request.password)?.hash()?;
    Ok(store.create_account(&account, &hash, &caller.actor, now).await?)
}

/// Every account, never a password hash.
pub async fn list(store: &dyn Store, caller: &Caller) -> Result<Vec<AccountSummary>, AccountError> {
    caller.must_approve()?;
    Ok(store.accounts().await?)
}

/// One account, never its password hash.
pub async fn show(store: &dyn Store, caller: &Caller, email: &str) -> Result<AccountSummary, AccountError> {
    caller.must_approve()?;
    let email = EmailAddress::parse(email)?;
    let account = store.account(&email).await?.ok_or_else(|| StoreError::NotFound {
        what: format!("account {email}"),
    })?;
    Ok(account.summary)
}

/// Disables an account at once; its audit entries keep its name.
pub async fn disable(
    store: &dyn Store,
    caller: &Caller,
    email: &str,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    caller.must_approve()?;
    let email = EmailAddress::parse(email)?;
    Ok(store.disable_account(&email, &caller.actor, now).await?)
}

/// Sets a new password, checked by the same rules as a first one.
pub async fn reset_password(
    store: &dyn Store,
    caller: &Caller,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    caller.must_approve()?;
    let email = EmailAddress::parse(email)?;
    let hash = Password::new(password)?.hash()?;
    Ok(store.set_password(&email, &hash, &caller.actor, now).await?)
}

/// Takes away a person's authenticator app (a lost or replaced phone) and signs them out
/// everywhere; they set up a new one when they next sign in, if their role requires one.
pub async fn remove_second_factor(
    store: &dyn Store,
    caller: &Caller,
    email: &str,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    caller.must_approve()?;
    let email = EmailAddress::parse(email)?;
    Ok(store.set_totp(&email, None, &caller.actor, now).await?)
}

/// The person's own password, changed after they type the one they have: ASVS 2.1.5/2.1.6.
/// Every session of theirs ends, this one too. A wrong current password counts as a failed
/// sign-in; at the throttle's limit even the right one is refused.
pub async fn change_own_password(
    store: &dyn Store,
    session: &Session,
    current: &str,
    new: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    let email = EmailAddress::parse(&session.account.email)?;
    let stored = store.account(&email).await?.ok_or(AccountError::WrongCurrentPassword)?;
    let throttled = sessions::throttled(store, email.as_str(), address, now).await?;
    if throttled || !typed_matches(current, &stored.password_hash) {
        store.record_sign_in_failure(email.as_str(), address, now).await?;
        return Err(AccountError::WrongCurrentPassword);
    }
    let hash = Password::new(new)?.hash()?;
    Ok(store.set_password(&email, &hash, &session.caller.actor, now).await?)
}

/// The language of the person's own console.
pub async fn set_own_language(
    store: &dyn Store,
    session: &Session,
    language: Language,
    now: DateTime<Utc>,
) -> Result<AccountSummary, AccountError> {
    let email = EmailAddress::parse(&session.account.email)?;
    Ok(store.set_language(&email, language, &session.caller.actor, now).await?)
}
