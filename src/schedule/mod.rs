//! Schedules: when editions go out.
//!
//! A [`Schedule`] is a cron expression read on the wall clock of an IANA time zone (Europe/Helsinki
//! unless told otherwise), a cadence and the segment it sends to. "09:00 daily" means 09:00 in
//! Helsinki all year: 07:00 UTC in winter (EET, UTC+2) and 06:00 UTC in summer (EEST, UTC+3).
//!
//! # Cron expressions
//! Coordinators write standard 5-field cron, `min hour day-of-month month day-of-week`
//! (`0 9 * * 1` is Mondays at 09:00). Parsing is the `cron` crate's, which reads 6 or 7 fields
//! (`sec min hour dom month dow [year]`), so 5-field input is normalised before it is parsed:
//! - a `0` seconds field is put in front;
//! - day-of-week numbers, which standard cron counts 0–7 from Sunday (0 and 7 both Sunday) and
//!   the crate counts 1–7 from Sunday, are rewritten as day names, which both read alike;
//! - restricting both day-of-month and day-of-week is refused: standard cron fires when either
//!   matches, the crate when both do, and a coordinator should not find out which by waiting.
//!
//! 6- and 7-field input and shorthands such as `@daily` go to the crate as written, with its
//! meaning (days of week 1–7 from Sunday; both day fields must match). Anything else is refused
//! with an error that names the expression.
//!
//! # Daylight-saving changes
//! Each wall-clock time the expression names runs at the earliest instant whose local time is at
//! or after it:
//! - A time that does not exist, because the clocks sprang forward over it, runs at the first
//!   instant after the gap. In Helsinki on 2026-03-29 the clocks go from 03:00 to 04:00 at 01:00
//!   UTC, so a 03:30 schedule runs at 04:00 local (01:00 UTC) that day: once, as late as it must
//!   and no later. (Classic cron daemons do the same; shifting by the gap's length to 04:30 would
//!   also be defensible, but would make two skipped times, 03:00 and 03:30, run twice an hour.)
//!   Several skipped times of one expression collapse into that one run. [`Run::nominal`] keeps
//!   the time the expression named, so listings can say why a run moved.
//! - A time that happens twice, because the clocks fell back over it, runs at its first
//!   occurrence only. In Helsinki on 2026-10-25 the clocks go from 04:00 back to 03:00 at 01:00
//!   UTC, so a 03:30 schedule runs at 03:30 EEST (00:30 UTC) and not again at 03:30 EET.
//!
//! The `cron` crate, given a time zone, does neither: it skips the nonexistent 03:30 altogether and
//! yields the repeated 03:30 twice (a test in `wall_clock` pins that down). So the crate enumerates
//! wall-clock times in UTC, which has no gaps or repeats, and `wall_clock::resolve` maps each to an
//! instant by the rule above.
//!
//! # Due runs
//! [`tick`] turns "what is recorded" and "what time is it" into [`Decision`]s, without I/O: for each
//! schedule, the runs that came due since its last recorded run (or its creation) are all recorded
//! as missed, except the latest, which fires if it is no more than [`Grace`] late. A daemon back
//! after three days down records the misses and sends at most one edition per schedule.
//! [`next_wake`] says when to tick next.

mod cron_expr;
mod due;
mod stored;
mod wall_clock;

use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::cadence::Cadence;

pub use cron_expr::CronExpr;
pub use due::{Decision, DueRuns, Grace, MAX_LISTED_MISSES, Tracked, next_wake, tick};
pub use stored::{Fired, RunOutcome, StoredSchedule, UpcomingRun};
pub use wall_clock::Run;

/// The zone a schedule runs in when none is given: briefcast serves Finland.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Helsinki;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("name: `{0}` is not a schedule name (use letters, digits, `-` and `_`, at most 64)")]
    BadName(String),
    #[error("segment: `{0}` is not a segment name (use letters, digits, `-` and `_`, at most 64)")]
    BadSegment(String),
    #[error(
        "cron: `{expression}` has {found} fields; write 5 (min hour day month weekday) or 6-7 (sec min hour day month weekday [year])"
    )]
    FieldCount { expression: String, found: usize },
    #[error("cron: `{expression}` is not a cron expression: {reason}")]
    BadCron { expression: String, reason: String },
    #[error(
        "cron: `{expression}` restricts both the day of month and the day of week; keep one and set the other to `*`"
    )]
    BothDayFields { expression: String },
    #[error("cron: `{expression}` never runs")]
    NeverRuns { expression: String },
    #[error("time_zone: `{0}` is not an IANA time zone (for example Europe/Helsinki)")]
    UnknownTimeZone(String),
    #[error("grace: the grace window cannot be negative")]
    NegativeGrace,
}

/// A schedule as a coordinator submits it (CLI, API, demo data), before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    pub name: String,
    pub cron: String,
    /// An IANA zone name; Europe/Helsinki when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
    pub cadence: Cadence,
    pub segment: String,
}

/// A validated schedule. Serialises as a [`NewSchedule`] with every field filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NewSchedule", into = "NewSchedule")]
pub struct Schedule {
    name: String,
    cron: CronExpr,
    time_zone: Tz,
    cadence: Cadence,
    segment: String,
}

impl Schedule {
    pub fn new(input: NewSchedule) -> Result<Self, ScheduleError> {
        let name = input.name.trim();
        if !is_name(name) {
            return Err(ScheduleError::BadName(name.to_string()));
        }
        let segment = input.segment.trim();
        if !is_name(segment) {
            return Err(ScheduleError::BadSegment(segment.to_string()));
        }
        let time_zone = match input.time_zone.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_TIME_ZONE,
            Some(zone) => parse_time_zone(zone)?,
        };
        Ok(Schedule {
            name: name.to_string(),
            cron: CronExpr::parse(&input.cron)?,
            time_zone,
            cadence: input.cadence,
            segment: segment.to_string(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn cron(&self) -> &CronExpr {
        &self.cron
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    pub fn cadence(&self) -> Cadence {
        self.cadence
    }

    pub fn segment(&self) -> &str {
        &self.segment
    }

    /// The next `n` runs strictly after `after`, for listings and for the scheduler.
    pub fn next_runs(&self, after: DateTime<Utc>, n: usize) -> Vec<Run> {
        self.runs_after(after).take(n).collect()
    }

    /// Every run strictly after `after`, in order; ends only if the expression names a last year.
    pub fn runs_after(&self, after: DateTime<Utc>) -> impl Iterator<Item = Run> + '_ {
        wall_clock::runs_after(&self.cron, self.time_zone, after)
    }
}

impl TryFrom<NewSchedule> for Schedule {
    type Error = ScheduleError;

    fn try_from(input: NewSchedule) -> Result<Self, Self::Error> {
        Schedule::new(input)
    }
}

impl From<Schedule> for NewSchedule {
    fn from(schedule: Schedule) -> Self {
        NewSchedule {
            name: schedule.name,
            cron: schedule.cron.as_str().to_string(),
            time_zone: Some(schedule.time_zone.name().to_string()),
            cadence: schedule.cadence,
            segment: schedule.segment,
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` {} {} → {}",
            self.name,
            self.cron,
            self.time_zone.name(),
            self.cadence,
            self.segment
        )
    }
}

/// An IANA zone by its exact name (`Europe/Helsinki`). Case is forgiven: `europe/helsinki` is no
/// less clear, and a schedule is not the place to teach capitalisation.
pub fn parse_time_zone(name: &str) -> Result<Tz, ScheduleError> {
    let name = name.trim();
    name.parse::<Tz>()
        .ok()
        .or_else(|| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .copied()
                .find(|tz| tz.name().eq_ignore_ascii_case(name))
        })
        .ok_or_else(|| ScheduleError::UnknownTimeZone(name.to_string()))
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= 64 && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}
