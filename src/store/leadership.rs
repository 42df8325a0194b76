//! The one leader among daemons, per kind of work: the scheduler, the feed poller.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::store::StoreResult;

/// Work that one daemon at a time does for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// Firing schedules and keeping the delivery queue.
    Scheduler,
    /// Polling government feeds.
    Feeds,
}

/// Leadership of one kind of work. Dropping it gives leadership up.
pub struct Leadership {
    pub(super) inner: LeaderHold,
}

pub(super) enum LeaderHold {
    /// SQLite: one process owns the file, so it leads.
    Sole,
    /// PostgreSQL: a session-level advisory lock, held as long as this connection lives.
    Advisory(sqlx::PgConnection),
}

impl Leadership {
    /// Whether leadership still holds. On PostgreSQL a dropped connection loses the lock, so this
    /// asks the server; a false answer means step down and try to lead again later.
    pub async fn still_leads(&mut self) -> bool {
        match &mut self.inner {
            LeaderHold::Sole => true,
            LeaderHold::Advisory(conn) => sqlx::query("SELECT 1").execute(&mut *conn).await.is_ok(),
        }
    }
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.inner {
            LeaderHold::Sole => "Leadership(sole)",
            LeaderHold::Advisory(_) => "Leadership(advisory lock)",
        })
    }
}

#[async_trait]
pub trait LeadershipStore: Send + Sync {
    /// Tries to become the one daemon that does `work`. None: another daemon leads it.
    async fn try_lead(&self, work: Lead) -> StoreResult<Option<Leadership>>;

    /// The leader says it still leads, as `daemon`, at `now`.
    async fn note_leader(&self, daemon: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// The daemon that last said it leads, and when.
    async fn leader(&self) -> StoreResult<Option<(String, DateTime<Utc>)>>;
}
