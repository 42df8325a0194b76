//! What the scheduler does at a given moment: pure decisions from recorded runs and the clock.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::{Schedule, ScheduleError};

/// How late a run may still fire. Later than this, a run is recorded as missed instead: an edition
/// that arrives hours after its slot, or a burst of them after an outage, helps nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grace(TimeDelta);

impl Grace {
    pub const DEFAULT: Grace = Grace(TimeDelta::hours(1));

    pub fn new(window: TimeDelta) -> Result<Self, ScheduleError> {
        if window < TimeDelta::zero() {
            return Err(ScheduleError::NegativeGrace);
        }
        Ok(Grace(window))
    }

    pub fn from_std(window: std::time::Duration) -> Result<Self, ScheduleError> {
        TimeDelta::from_std(window)
            .map_err(|_| ScheduleError::NegativeGrace)
            .and_then(Grace::new)
    }

    pub fn window(self) -> TimeDelta {
        self.0
    }
}

impl Default for Grace {
    fn default() -> Self {
        Grace::DEFAULT
    }
}

/// Missed runs listed per schedule and tick. An expression that fires every minute, after a week
/// down, would otherwise produce ten thousand rows at once; the next tick starts after the latest
/// one listed, so the older ones are only counted.
pub const MAX_LISTED_MISSES: usize = 1000;

/// The runs of one schedule that have come due and are not yet recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueRuns {
    /// The latest due run, if it is still within the grace window.
    pub fire: Option<DateTime<Utc>>,
    /// Every other due run, oldest first (at most [`MAX_LISTED_MISSES`], the latest ones).
    pub missed: Vec<DateTime<Utc>>,
    /// Missed runs older than those listed, counted only.
    pub unlisted_misses: u64,
}

impl Schedule {
    /// The runs due at `now` that come after `since` (the last recorded run, or the schedule's
    /// creation when none is recorded). At most one fires: the latest, and only within `grace`.
    pub fn due_runs(&self, since: DateTime<Utc>, now: DateTime<Utc>, grace: Grace) -> DueRuns {
        let mut due = VecDeque::new();
        let mut unlisted_misses = 0;
        for run in self.runs_after(since).take_while(|run| run.due_at <= now) {
            due.push_back(run.due_at);
            // One more than the listed misses, because the latest may yet fire.
            if due.len() > MAX_LISTED_MISSES + 1 {
                due.pop_front();
                unlisted_misses += 1;
            }
        }
        let latest = due.pop_back();
        let fire = latest.filter(|due_at| now - *due_at <= grace.window());
        let mut missed: Vec<_> = due.into();
        if let (Some(latest), None) = (latest, fire) {
            missed.push(latest);
        }
        if missed.len() > MAX_LISTED_MISSES {
            missed.remove(0);
            unlisted_misses += 1;
        }
        DueRuns {
            fire,
            missed,
            unlisted_misses,
        }
    }

    /// The first run strictly after `now`: when the scheduler next has something to do.
    pub fn next_due_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.runs_after(now).next().map(|run| run.due_at)
    }
}

/// A schedule as the scheduler loop sees it: its key in the store and what has been recorded.
#[derive(Debug, Clone)]
pub struct Tracked<'a, K> {
    pub key: K,
    pub schedule: &'a Schedule,
    pub created_at: DateTime<Utc>,
    /// The latest `due_at` in `schedule_runs` for this schedule, whatever its outcome.
    pub last_run: Option<DateTime<Utc>>,
}

impl<K> Tracked<'_, K> {
    /// Runs at or before this instant are settled. Runs from before the schedule existed are not
    /// owed, even if an older run is on record.
    pub fn since(&self) -> DateTime<Utc> {
        self.last_run.map_or(self.created_at, |last| last.max(self.created_at))
    }
}

/// One thing for the scheduler to record. Each is keyed by (schedule, due_at), the primary key of
/// `schedule_runs`: inserting it first and acting only if the insert took makes every run fire at
/// most once, however many daemons tick at the same moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "lowercase")]
pub enum Decision<K> {
    /// Create the edition for this run.
    Fire { schedule: K, due_at: DateTime<Utc> },
    /// Record that this run passed without an edition.
    Missed { schedule: K, due_at: DateTime<Utc> },
}

impl<K> Decision<K> {
    pub fn schedule(&self) -> &K {
        match self {
            Decision::Fire { schedule, .. } | Decision::Missed { schedule, .. } => schedule,
        }
    }

    pub fn due_at(&self) -> DateTime<Utc> {
        match self {
            Decision::Fire { due_at, .. } | Decision::Missed { due_at, .. } => *due_at,
        }
    }
}

/// Everything due at `now`, per schedule in the order given: its misses oldest first, then at most
/// one fire. Recording the decisions in that order keeps `last_run` moving forwards.
pub fn tick<K: Clone>(tracked: &[Tracked<'_, K>], now: DateTime<Utc>, grace: Grace) -> Vec<Decision<K>> {
    let mut decisions = Vec::new();
    for entry in tracked {
        let due = entry.schedule.due_runs(entry.since(), now, grace);
        if due.unlisted_misses > 0 {
            tracing::warn!(
                schedule = entry.schedule.name(),
                unlisted = due.unlisted_misses,
                "more runs were missed than are recorded one by one"
            );
        }
        decisions.extend(due.missed.into_iter().map(|due_at| Decision::Missed {
            schedule: entry.key.clone(),
            due_at,
        }));
        decisions.extend(due.fire.map(|due_at| Decision::Fire {
            schedule: entry.key.clone(),
            due_at,
        }));
    }
    decisions
}

/// When the scheduler should next call [`tick`]: the earliest run of any schedule after `now`.
/// `None` when no schedule will ever run again.
pub fn next_wake<K>(tracked: &[Tracked<'_, K>], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    tracked
        .iter()
        .filter_map(|entry| entry.schedule.next_due_after(now))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Cadence;
    use crate::schedule::NewSchedule;

    #[test]
    fn a_flood_of_misses_lists_the_latest_and_counts_the_rest() {
        let every_minute = Schedule::new(NewSchedule {
            name: "noisy".into(),
            cron: "* * * * *".into(),
            time_zone: None,
            cadence: Cadence::Daily,
            segment: "everyone".into(),
        })
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2026-03-30T12:00:00Z").unwrap().to_utc();
        let due = every_minute.due_runs(now - TimeDelta::days(2), now, Grace::DEFAULT);
        assert_eq!(due.fire, Some(now));
        assert_eq!(due.missed.len(), MAX_LISTED_MISSES);
        assert_eq!(due.unlisted_misses, 2 * 24 * 60 - 1 - MAX_LISTED_MISSES as u64);
        assert_eq!(due.missed.last(), Some(&(now - TimeDelta::minutes(1))));

        let stale = every_minute.due_runs(
            now - TimeDelta::days(2),
            now + TimeDelta::seconds(30),
            Grace::new(TimeDelta::zero()).unwrap(),
        );
        assert_eq!(stale.fire, None);
        assert_eq!(stale.missed.len(), MAX_LISTED_MISSES);
        assert_eq!(stale.missed.last(), Some(&now));
        assert_eq!(stale.unlisted_misses, 2 * 24 * 60 - MAX_LISTED_MISSES as u64);
    }
}
