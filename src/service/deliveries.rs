//! The delivery log, and sending uncertain or failed deliveries again.

use chrono::{DateTime, Utc};

use crate::access::{Caller, Denied};
use crate::edition::{DeliveryRecord, ResendTarget};
use crate::store::{DeliveryQuery, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("name the deliveries to resend, or an edition with a status (uncertain or failed)")]
    NothingToResend,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The log, newest first. A caller who may not read the roster sees each address masked,
/// here and in the SMTP responses that quote it.
pub async fn log(
    store: &dyn Store,
    caller: &Caller,
    query: &DeliveryQuery,
) -> Result<Vec<DeliveryRecord>, DeliveryError> {
    caller.must_operate()?;
    let deliveries = store.deliveries(query).await?;
    Ok(match caller.role.sees_personal_data() {
        true => deliveries,
        false => deliveries
            .into_iter()
            .map(DeliveryRecord::without_personal_data)
            .collect(),
    })
}

/// Queues uncertain or failed deliveries again, audited with who decided: an uncertain one may
/// have arrived, so its reader may get it twice. Returns how many were queued.
pub async fn resend(
    store: &dyn Store,
    caller: &Caller,
    target: &ResendTarget,
    now: DateTime<Utc>,
) -> Result<u64, DeliveryError> {
    caller.must_operate()?;
    if matches!(target, ResendTarget::Deliveries(ids) if ids.is_empty()) {
        return Err(DeliveryError::NothingToResend);
    }
    Ok(store.resend(target, &caller.actor, now).await?)
}
