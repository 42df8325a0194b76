//! The ops view: whether the database answers, which daemons are alive, how much waits to be
//! sent, what the transport answered hour by hour, and each edition's bounces and complaints.

use chrono::{DateTime, Utc};

use crate::access::{Caller, Denied};
use crate::edition::DeliveryStatus;
use crate::store::{EditionRates, HourOutcomes, Store, StoreError};

/// Hours the outcome chart covers.
pub const HOURS: u32 = 12;
/// Editions whose rates are shown.
pub const EDITIONS: u64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone)]
pub struct Overview {
    /// False when the database did not answer; then nothing else could be read.
    pub database_ok: bool,
    /// Each daemon's latest heartbeat, newest first.
    pub daemons: Vec<(String, DateTime<Utc>)>,
    /// The daemon that last said it runs the scheduler, and when.
    pub leader: Option<(String, DateTime<Utc>)>,
    pub queue: Vec<(DeliveryStatus, u64)>,
    pub hours: Vec<HourOutcomes>,
    pub editions: Vec<EditionRates>,
    /// Government feeds with what their last polls found.
    pub feeds: Vec<crate::feed::StoredFeed>,
}

pub async fn overview(store: &dyn Store, caller: &Caller, now: DateTime<Utc>) -> Result<Overview, OpsError> {
    caller.must_operate()?;
    if let Err(error) = store.ping().await {
        tracing::warn!(%error, "ops view: the database does not answer");
        return Ok(Overview {
            database_ok: false,
            daemons: Vec::new(),
            leader: None,
            queue: Vec::new(),
            hours: Vec::new(),
            editions: Vec::new(),
            feeds: Vec::new(),
        });
    }
    Ok(Overview {
        database_ok: true,
        daemons: store.daemons().await?,
        leader: store.leader().await?,
        queue: store.delivery_counts().await?,
        hours: store.outcomes_by_hour(now, HOURS).await?,
        editions: store.edition_rates(EDITIONS).await?,
        feeds: store.feeds().await?,
    })
}
