//! Signing in to the console, and the sessions that follow: kept on the server, ended by
//! signing out, by being idle, by growing old, or by a new password or a disabled account.
//!
//! OWASP ASVS 4 level 2 is the yardstick (V2.2, V2.8, V3). A refusal says the same whatever the
//! reason (no such account, a wrong password, a disabled account, too many attempts), and takes
//! as long, so that it reveals nothing about who has an account. An account with an
//! authenticator app gives its code after the password; one whose role requires an app and has
//! none sets one up before it can do anything else. Either way the session that held only the
//! password is ended and a new one, with a new id, begins.

use std::sync::LazyLock;

use chrono::{DateTime, TimeDelta, Utc};

use crate::access::{self, Actor, Caller, Role};
use crate::account::{AccountSummary, Password, typed_matches};
use crate::audience::EmailAddress;
use crate::config::Config;
use crate::store::{NewSession, SessionStage, Store, StoreError, StoredAccount};
use crate::totp::Secret;

/// The window over which failed sign-ins are counted.
pub const THROTTLE_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failed sign-ins (wrong passwords and wrong codes) for one address typed, within the window,
/// after which that account cannot sign in until the window has passed: guessing gets five
/// tries a quarter of an hour.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed sign-ins from one client address, within the window, whatever accounts were tried.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// A session that has only the password must give its second factor within this.
pub const SECOND_FACTOR_TIMEOUT: TimeDelta = TimeDelta::minutes(5);
/// A session's use is recorded at most this often.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// How long sessions last and who must have an authenticator: from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub idle_timeout: TimeDelta,
    pub max_age: TimeDelta,
    pub require_totp: Vec<Role>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            idle_timeout: TimeDelta::minutes(30),
            max_age: TimeDelta::hours(12),
            require_totp: Vec::new(),
        }
    }
}

impl Policy {
    pub fn of(config: &Config) -> Policy {
        let delta = |d: std::time::Duration| TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
        Policy {
            idle_timeout: delta(config.session_idle_timeout),
            max_age: delta(config.session_max_age),
            require_totp: config.require_totp.clone(),
        }
    }
}

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
    /// The password was right; the code was not, or had been used already. The session that
    /// holds the password stays, so the person can type the next code.
    #[error("the code is not right, or it has been used already; type the code your app shows now")]
    WrongCode,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session just begun. `cookie` goes to the browser and nowhere else; the store has only its
/// hash. A stage other than `Full` may only finish signing in (see [`pending`]).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub cookie: String,
    pub stage: SessionStage,
    pub session: Session,
}

/// A live session: who it is, and the token every state change must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub account: AccountSummary,
    pub csrf_token: String,
}

/// A session that has the password and still owes its second factor.
#[derive(Debug, Clone)]
pub struct Pending {
    pub session: Session,
    /// `Code` or `Enrol`.
    pub stage: SessionStage,
}

/// Signs a person in with their address and password. `address` is the client's network
/// address, for throttling and the audit log.
pub async fn sign_in(
    store: &dyn Store,
    policy: &Policy,
    email: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let typed = email.trim().to_lowercase();
    let throttled = throttled(store, &typed, address, now).await?;
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
    let stage = if account.totp_secret.is_some() {
        SessionStage::Code
    } else if policy.require_totp.contains(&account.summary.role) {
        SessionStage::Enrol
    } else {
        SessionStage::Full
    };
    start(store, account.summary, stage, address, now).await
}

/// Whether sign-ins for `email`, or from `address`, are refused for now.
pub(crate) async fn throttled(
    store: &dyn Store,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let recent = store
        .recent_sign_in_failures(email, address, now - THROTTLE_WINDOW)
        .await?;
    Ok(recent.for_email >= MAX_FAILURES_PER_ACCOUNT || recent.from_address >= MAX_FAILURES_PER_ADDRESS)
}

async fn start(
    store: &dyn Store,
    account: AccountSummary,
    stage: SessionStage,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let cookie = access::new_token();
    let csrf_token = access::new_token();
    let actor = Actor::person(&account.name, &account.email);
    let new = NewSession {
        id_hash: &access::token_hash(&cookie),
        account: account.id,
        csrf_token: &csrf_token,
        address,
        stage,
    };
    store.start_session(&new, &actor, now).await?;
    Ok(SignedIn {
        cookie,
        stage,
        session: Session {
            caller: Caller {
                actor,
                role: account.role,
            },
            account,
            csrf_token,
        },
    })
}

/// A live session as a cookie finds it: signed in all the way, or owing its second factor.
#[derive(Debug, Clone)]
pub enum Resumed {
    Full(Session),
    Pending(Pending),
}

/// The live session a cookie stands for, whatever its stage, in one read; one found idle or
/// too old is ended on the way.
pub async fn look_up(
    store: &dyn Store,
    policy: &Policy,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<Resumed>, StoreError> {
    Ok(live(store, policy, cookie, now)
        .await?
        .map(|(session, stage)| match stage {
            SessionStage::Full => Resumed::Full(session),
            stage => Resumed::Pending(Pending { session, stage }),
        }))
}

/// The session a cookie stands for, if it is live and signed in all the way.
pub async fn resume(
    store: &dyn Store,
    policy: &Policy,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    Ok(match look_up(store, policy, cookie, now).await? {
        Some(Resumed::Full(session)) => Some(session),
        _ => None,
    })
}

/// The session a cookie stands for if it has the password and owes its second factor.
pub async fn pending(
    store: &dyn Store,
    policy: &Policy,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<Pending>, StoreError> {
    Ok(match look_up(store, policy, cookie, now).await? {
        Some(Resumed::Pending(pending)) => Some(pending),
        _ => None,
    })
}

async fn live(
    store: &dyn Store,
    policy: &Policy,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Session, SessionStage)>, StoreError> {
    let id_hash = access::token_hash(cookie);
    let Some(stored) = store.session(&id_hash).await? else {
        return Ok(None);
    };
    if stored.ended_at.is_some() || stored.account.disabled_at.is_some() {
        return Ok(None);
    }
    let actor = Actor::person(&stored.account.name, &stored.account.email);
    let age = now - stored.created_at;
    let over = if stored.stage != SessionStage::Full && age >= SECOND_FACTOR_TIMEOUT {
        Some("second factor not given")
    } else if age >= policy.max_age {
        Some("expired")
    } else if now - stored.last_seen_at >= policy.idle_timeout {
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
    let session = Session {
        caller: Caller {
            actor,
            role: stored.account.role,
        },
        account: stored.account,
        csrf_token: stored.csrf_token,
    };
    Ok(Some((session, stored.stage)))
}

/// Finishes signing in with the code from the person's app: the session that held only the
/// password ends, and a full one begins. Wrong codes count as failed sign-ins; when they reach
/// the limit the half-made session ends too.
pub async fn confirm_code(
    store: &dyn Store,
    pending: &Pending,
    cookie: &str,
    code: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let account = pending_account(store, pending).await?;
    let secret = account.totp_secret.as_deref().and_then(|s| Secret::from_base32(s).ok());
    let Some(secret) = secret.filter(|_| pending.stage == SessionStage::Code) else {
        return Err(SignInError::Refused);
    };
    let step = secret.matching_step(code, now);
    let accepted = match step {
        Some(step) if !throttled(store, &account.summary.email, address, now).await? => {
            store.claim_totp_step(account.summary.id, step).await?
        }
        _ => false,
    };
    if !accepted {
        return Err(wrong_code(store, pending, cookie, address, now).await?);
    }
    finish(store, pending, cookie, address, now).await
}

/// Finishes signing in for a person whose role requires an authenticator app: the secret
/// shown to them, and a code their app made from it, which proves the app has it.
pub async fn confirm_enrolment(
    store: &dyn Store,
    pending: &Pending,
    cookie: &str,
    secret: &str,
    code: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    if pending.stage != SessionStage::Enrol {
        return Err(SignInError::Refused);
    }
    let account = pending_account(store, pending).await?;
    if !add_factor(store, &pending.session, &account, secret, code, now).await? {
        return Err(wrong_code(store, pending, cookie, address, now).await?);
    }
    finish(store, pending, cookie, address, now).await
}

/// Sets up an authenticator app for the person signed in, who had none: from then on signing
/// in asks for its code. False when the code does not come from that secret.
pub async fn add_second_factor(
    store: &dyn Store,
    session: &Session,
    secret: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let email = EmailAddress::parse(&session.account.email).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(account) = store.account(&email).await? else {
        return Ok(false);
    };
    if account.totp_secret.is_some() {
        return Ok(false);
    }
    add_factor(store, session, &account, secret, code, now).await
}

async fn add_factor(
    store: &dyn Store,
    session: &Session,
    account: &StoredAccount,
    secret: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let Ok(parsed) = Secret::from_base32(secret) else {
        return Ok(false);
    };
    let Some(step) = parsed.matching_step(code, now) else {
        return Ok(false);
    };
    let email = EmailAddress::parse(&account.summary.email).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store
        .set_totp(&email, Some(&parsed.base32()), &session.caller.actor, now)
        .await?;
    store.claim_totp_step(account.summary.id, step).await
}

async fn pending_account(store: &dyn Store, pending: &Pending) -> Result<StoredAccount, SignInError> {
    let email = EmailAddress::parse(&pending.session.account.email).map_err(|_| SignInError::Refused)?;
    store.account(&email).await?.ok_or(SignInError::Refused)
}

/// Records a wrong code; at the limit, ends the half-made session, so the person starts again
/// from the password once the window has passed.
async fn wrong_code(
    store: &dyn Store,
    pending: &Pending,
    cookie: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignInError, StoreError> {
    let email = &pending.session.account.email;
    store.record_sign_in_failure(email, address, now).await?;
    if throttled(store, email, address, now).await? {
        let actor = &pending.session.caller.actor;
        store
            .end_session(&access::token_hash(cookie), actor, "too many wrong codes", now)
            .await?;
        return Ok(SignInError::Refused);
    }
    Ok(SignInError::WrongCode)
}

async fn finish(
    store: &dyn Store,
    pending: &Pending,
    cookie: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let actor = &pending.session.caller.actor;
    store
        .end_session(&access::token_hash(cookie), actor, "second factor given", now)
        .await?;
    start(store, pending.session.account.clone(), SessionStage::Full, address, now).await
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
