//! Editions: sent now by schedule, flashed for one urgent brief, listed, inspected with their
//! progress, paused, resumed and cancelled.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Caller, Denied};
use crate::edition::{BriefId, EditionAction, EditionId, EditionStatus, Progress};
use crate::edition::{EditionCreated, EditionSummary};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no schedule named `{0}`")]
    NoSchedule(String),
    #[error("edition {0} not found")]
    NotFound(EditionId),
    #[error("schedule `{0}` has no approved, unexpired brief it has not carried yet: nothing to send")]
    NothingToSend(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An edition with how far it has come.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    pub edition: EditionSummary,
    pub progress: Progress,
}

/// A schedule's edition now, outside its times, with the briefs it has not carried yet.
pub async fn send_now(
    store: &dyn Store,
    caller: &Caller,
    schedule: &str,
    now: DateTime<Utc>,
) -> Result<EditionCreated, EditionError> {
    caller.must_coordinate()?;
    let stored = store
        .schedule(schedule)
        .await?
        .ok_or_else(|| EditionError::NoSchedule(schedule.to_string()))?;
    store
        .send_now(stored.id, &caller.actor, now)
        .await?
        .ok_or_else(|| EditionError::NothingToSend(schedule.to_string()))
}

/// One urgent brief at once to every subscriber who has not had it.
pub async fn flash(
    store: &dyn Store,
    caller: &Caller,
    brief: BriefId,
    now: DateTime<Utc>,
) -> Result<EditionCreated, EditionError> {
    caller.must_coordinate()?;
    Ok(store.create_flash(brief, &caller.actor, now).await?)
}

/// Editions, newest first.
pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    limit: u64,
    offset: u64,
) -> Result<Vec<EditionSummary>, EditionError> {
    caller.must_operate()?;
    Ok(store.editions(limit, offset).await?)
}

/// An edition and its progress; for a caller who may not read the roster, the addresses in its
/// latest errors are masked.
pub async fn show(
    store: &dyn Store,
    caller: &Caller,
    id: EditionId,
    now: DateTime<Utc>,
) -> Result<EditionView, EditionError> {
    caller.must_operate()?;
    let edition = store.edition(id).await?.ok_or(EditionError::NotFound(id))?;
    let progress = store
        .edition_progress(id, now)
        .await?
        .ok_or(EditionError::NotFound(id))?;
    let progress = match caller.role.sees_personal_data() {
        true => progress,
        false => progress.without_personal_data(),
    };
    Ok(EditionView { edition, progress })
}

/// Pauses, resumes or cancels an edition; returns the status it is in now.
pub async fn change(
    store: &dyn Store,
    caller: &Caller,
    id: EditionId,
    action: EditionAction,
    now: DateTime<Utc>,
) -> Result<EditionStatus, EditionError> {
    caller.must_operate()?;
    Ok(store.change_edition(id, action, &caller.actor, now).await?)
}
