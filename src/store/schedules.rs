//! Schedules and their recorded runs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::cadence::Cadence;
use crate::edition::EditionCreated;
use crate::ids::{BriefId, ScheduleId};
use crate::schedule::{Fired, RunOutcome, Schedule, StoredSchedule};
use crate::store::StoreResult;

#[async_trait]
pub trait ScheduleStore: Send + Sync {
    /// Saves a schedule for an existing segment, with its audit entry.
    async fn add_schedule(&self, schedule: &Schedule, actor: &Actor, now: DateTime<Utc>)
    -> StoreResult<StoredSchedule>;

    async fn schedules(&self) -> StoreResult<Vec<StoredSchedule>>;

    async fn schedule(&self, name: &str) -> StoreResult<Option<StoredSchedule>>;

    /// Approved or queued, unexpired, past-embargo briefs for `cadence` that no edition of this
    /// schedule has carried yet and no flash edition has sent to everyone; urgent first, then
    /// oldest first.
    async fn briefs_due_for(
        &self,
        schedule: ScheduleId,
        cadence: Cadence,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<BriefId>>;

    /// Records a run that produced no edition. False when the run was already recorded.
    async fn record_run(
        &self,
        schedule: ScheduleId,
        due_at: DateTime<Utc>,
        outcome: RunOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Records the run and, in the same transaction, creates its edition from the briefs due, for
    /// the schedule's segment members subscribed at its cadence (or records the run as empty). However many daemons call this for one
    /// run, exactly one edition results.
    async fn fire_run(&self, schedule: ScheduleId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Fired>;

    /// A schedule's edition sent now, by hand: the briefs it has not carried yet, to its
    /// segment's readers of its cadence, chosen and queued in one transaction. None when no
    /// brief is due.
    async fn send_now(
        &self,
        schedule: ScheduleId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<EditionCreated>>;
}
