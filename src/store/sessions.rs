//! Console sessions, kept on the server, and the failed sign-ins that throttle new ones.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::account::AccountSummary;
use crate::ids::AccountId;
use crate::store::StoreResult;

/// How far a session has come. A password alone gives `Code` to an account with an
/// authenticator, and `Enrol` to one whose role requires an authenticator it does not have yet;
/// such a session may only finish signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    Full,
    Code,
    Enrol,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::Full => "full",
            SessionStage::Code => "code",
            SessionStage::Enrol => "enrol",
        }
    }

    pub fn parse(text: &str) -> Option<SessionStage> {
        [SessionStage::Full, SessionStage::Code, SessionStage::Enrol]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A session to start: the cookie's id only as its hash.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub account: AccountId,
    pub csrf_token: &'a str,
    /// The client's address at sign-in, for the audit log.
    pub address: &'a str,
    pub stage: SessionStage,
}

/// A session as stored, with the account it belongs to as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub account: AccountSummary,
    pub csrf_token: String,
    pub stage: SessionStage,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Failed sign-ins within a window: for the address typed, and from the client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecentFailures {
    pub for_email: u64,
    pub from_address: u64,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Notes a refused sign-in, audited under the address typed (which may be nobody's).
    async fn record_sign_in_failure(&self, email: &str, address: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// Refused sign-ins since `since`.
    async fn recent_sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<RecentFailures>;

    /// Starts a session, audited as the person's sign-in.
    async fn start_session(&self, session: &NewSession<'_>, actor: &Actor, now: DateTime<Utc>) -> StoreResult<()>;

    async fn session(&self, id_hash: &str) -> StoreResult<Option<StoredSession>>;

    /// Notes that the session was used at `now`.
    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// Ends a session once, audited with why (`signed out`, `idle`, `expired`); false when it
    /// had already ended or never existed.
    async fn end_session(&self, id_hash: &str, actor: &Actor, why: &str, now: DateTime<Utc>) -> StoreResult<bool>;
}
