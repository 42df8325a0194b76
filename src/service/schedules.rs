//! Schedules: saved with a segment that exists, listed and shown with their coming runs.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::access::{Caller, Denied};
use crate::schedule::{NewSchedule, Schedule, ScheduleError};
use crate::schedule::{StoredSchedule, UpcomingRun};
use crate::store::{Store, StoreError};

/// How many coming runs each schedule shows.
pub const SHOWN_RUNS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum ScheduleUseError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Invalid(#[from] ScheduleError),
    #[error("segment: no segment named `{0}`")]
    NoSegment(String),
    #[error("no schedule named `{0}`")]
    NoSchedule(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A schedule with its next runs, in UTC and on its own clock.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    #[serde(flatten)]
    pub stored: StoredSchedule,
    pub next_runs: Vec<UpcomingRun>,
}

impl ScheduleView {
    fn at(stored: StoredSchedule, now: DateTime<Utc>) -> Self {
        let next_runs = stored.upcoming(now, SHOWN_RUNS);
        ScheduleView { stored, next_runs }
    }
}

/// Saves a schedule. Its segment must exist: editions of a schedule for nobody would fire empty.
pub async fn add(
    store: &dyn Store,
    caller: &Caller,
    new: NewSchedule,
    now: DateTime<Utc>,
) -> Result<ScheduleView, ScheduleUseError> {
    caller.must_coordinate()?;
    let schedule = Schedule::new(new)?;
    if store.segment(schedule.segment()).await?.is_none() {
        return Err(ScheduleUseError::NoSegment(schedule.segment().to_string()));
    }
    let stored = store.add_schedule(&schedule, &caller.actor, now).await?;
    Ok(ScheduleView::at(stored, now))
}

pub async fn list(
    store: &dyn Store,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<ScheduleView>, ScheduleUseError> {
    caller.must_coordinate()?;
    let stored = store.schedules().await?;
    Ok(stored.into_iter().map(|s| ScheduleView::at(s, now)).collect())
}

pub async fn show(
    store: &dyn Store,
    caller: &Caller,
    name: &str,
    now: DateTime<Utc>,
) -> Result<ScheduleView, ScheduleUseError> {
    caller.must_coordinate()?;
    let stored = store
        .schedule(name)
        .await?
        .ok_or_else(|| ScheduleUseError::NoSchedule(name.to_string()))?;
    Ok(ScheduleView::at(stored, now))
}
