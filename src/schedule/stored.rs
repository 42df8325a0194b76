//! A schedule as stored, its coming runs, and what firing a run did.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Schedule;
use crate::ids::{EditionId, ScheduleId};

/// A schedule as stored, with what the scheduler needs to decide what is due.
#[derive(Debug, Clone, Serialize)]
pub struct StoredSchedule {
    pub id: ScheduleId,
    #[serde(flatten)]
    pub schedule: Schedule,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    /// The latest recorded run, whatever its outcome.
    pub last_run: Option<DateTime<Utc>>,
}

/// A coming run, as listings show it: in UTC and on the schedule's own clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpcomingRun {
    pub utc: DateTime<Utc>,
    /// RFC 3339 with the zone's offset at that instant, e.g. `2026-11-23T09:00:00+02:00`.
    pub local: String,
    /// The cron time did not exist that day (clocks sprang forward) and the run moved.
    pub moved_by_dst: bool,
}

impl StoredSchedule {
    pub fn upcoming(&self, now: DateTime<Utc>, n: usize) -> Vec<UpcomingRun> {
        self.schedule
            .next_runs(now, n)
            .into_iter()
            .map(|run| UpcomingRun {
                utc: run.due_at,
                local: run.local.to_rfc3339(),
                moved_by_dst: run.moved_by_dst(),
            })
            .collect()
    }
}

/// What happened to one due run of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOutcome {
    Fired,
    /// Nothing was due to carry: no edition.
    Empty,
    /// Too late to send when the scheduler got to it.
    Missed,
}

impl RunOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Fired => "fired",
            RunOutcome::Empty => "empty",
            RunOutcome::Missed => "missed",
        }
    }
}

/// The result of firing one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Fired {
    /// This call recorded the run and created its edition.
    Edition {
        edition: EditionId,
        briefs: usize,
        recipients: u64,
    },
    /// This call recorded the run; no brief was due, so there is no edition.
    Empty,
    /// Someone (another daemon, an earlier tick) had already recorded this run: nothing done.
    AlreadyRecorded,
}
