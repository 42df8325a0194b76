//! Signing in to the console, and the sessions that follow: kept on the server, ended by
//! signing out, by being idle, by growing old, or by a new password or a disabled account.
//!
//! OWASP ASVS 4 level 2 is the yardstick (V2.2, V3). A refusal says the same whatever the
//! reason (no such account, a wrong password, a disabled account, too many attempts), and takes
//! as long, so that it reveals nothing about who has an account.

use std::sync::LazyLock;

use chrono::{DateTime, TimeDelta, Utc};

use crate::access::{self, Actor, Caller};
use crate::account::{AccountSummary, Password, typed_matches};
use crate::audience::EmailAddress;
use crate::store::{NewSession, Store, StoreError};

/// A session unused this long is over.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// No session lasts longer than a working day, used or not.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// The window over which failed sign-ins are counted.
pub const THROTTLE_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failed sign-ins for one address typed, within the window, after which that account cannot
/// sign in until the window has passed: guessing gets five tries a quarter of an hour.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed sign-ins from one client address, within the window, whatever accounts were tried.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// A session's use is recorded at most this often.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// Compared against when there is no account, so an unknown address takes as long as a wrong
/// password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Password::new("no account has this password")
        .ok()
        .and_then(|p| p.hash().ok())
        .unwrap_or_default()
});

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(
        "signing in failed: the email address or the password is not right, or there were too many attempts; \
         check them, or wait 15 minutes and try again"
    )]
    Refused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session just begun. `cookie` goes to the browser and nowhere else; the store has only its
/// hash.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub cookie: String,
    pub session: Session,
}

/// A live session: who it is, and the token every state change must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub account: AccountSummary,
    pub csrf_token: String,
}

/// Signs a person in with their address and password. `address` is the client's network
/// address, for throttling and the audit log.
pub async fn sign_in(
    store: &dyn Store,
    email: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let typed = email.trim().to_lowercase();
    let recent = store
        .recent_sign_in_failures(&typed, address, now - THROTTLE_WINDOW)
        .await?;
    let throttled = recent.for_email >= MAX_FAILURES_PER_ACCOUNT || recent.from_address >= MAX_FAILURES_PER_ADDRESS;
    let account = match EmailAddress::parse(email) {
        Ok(email) => store.account(&email).await?,
        Err(_) => None,
    };
    let stored_hash = account
        .as_ref()
        .map_or(DUMMY_HASH.as_str(), |a| a.password_hash.as_str());
    let password_right = typed_matches(password, stored_hash);
    let account = account.filter(|a| password_right && a.summary.disabled_at.is_none() && !throttled);
    let Some(account) = account else {
        store.record_sign_in_failure(&typed, address, now).await?;
        return Err(SignInError::Refused);
    };
    let cookie = access::new_token();
    let csrf_token = access::new_token();
    let actor = Actor::person(&account.summary.name, &account.summary.email);
    let new = NewSession {
        id_hash: &access::token_hash(&cookie),
        account: account.summary.id,
        csrf_token: &csrf_token,
        address,
    };
    store.start_session(&new, &actor, now).await?;
    Ok(SignedIn {
        cookie,
        session: Session {
            caller: Caller {
                actor,
                role: account.summary.role,
            },
            account: account.summary,
            csrf_token,
        },
    })
}

/// The session a cookie stands for, if it is still live; one found idle or too old is ended
/// on the way.
pub async fn resume(store: &dyn Store, cookie: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
    let id_hash = access::token_hash(cookie);
    let Some(stored) = store.session(&id_hash).await? else {
        return Ok(None);
    };
    if stored.ended_at.is_some() || stored.account.disabled_at.is_some() {
        return Ok(None);
    }
    let actor = Actor::person(&stored.account.name, &stored.account.email);
    let over = if now - stored.created_at >= ABSOLUTE_TIMEOUT {
        Some("expired")
    } else if now - stored.last_seen_at >= IDLE_TIMEOUT {
        Some("idle")
    } else {
        None
    };
    if let Some(why) = over {
        store.end_session(&id_hash, &actor, why, now).await?;
        return Ok(None);
    }
    if now - stored.last_seen_at >= TOUCH_EVERY {
        store.touch_session(&id_hash, now).await?;
    }
    Ok(Some(Session {
        caller: Caller {
            actor,
            role: stored.account.role,
        },
        account: stored.account,
        csrf_token: stored.csrf_token,
    }))
}

/// Ends the session on the server, so the cookie is worth nothing even if it was copied.
pub async fn sign_out(
    store: &dyn Store,
    session: &Session,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store
        .end_session(&access::token_hash(cookie), &session.caller.actor, "signed out", now)
        .await?;
    Ok(())
}
