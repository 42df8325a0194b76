//! From wall-clock times in a zone to instants, across daylight-saving changes.

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::cron_expr::CronExpr;

/// One run of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    /// When the run is due. This is the instant stored in `schedule_runs.due_at`.
    pub due_at: DateTime<Utc>,
    /// The same instant on the schedule's local clock.
    pub local: DateTime<Tz>,
    /// The wall-clock time the cron expression named. It differs from `local` only when that time
    /// did not exist (skipped by a spring-forward change) and the run moved to the end of the gap.
    pub nominal: NaiveDateTime,
}

impl Run {
    /// True when the cron time fell into a spring-forward gap and the run was moved.
    pub fn moved_by_dst(&self) -> bool {
        self.local.naive_local() != self.nominal
    }
}

/// The instant briefcast runs a wall-clock time at: the earliest instant whose local time is at or
/// after `wall`. For an ordinary time that is the time itself; for a repeated time (fall back) it
/// is the first occurrence; for a skipped time (spring forward) it is the first instant after the
/// gap. The mapping never goes backwards as `wall` moves forwards, which the run iterator relies on.
pub(crate) fn resolve(zone: Tz, wall: NaiveDateTime) -> DateTime<Tz> {
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(at) => at,
        LocalResult::Ambiguous(first, _second) => first,
        LocalResult::None => end_of_gap(zone, wall),
    }
}

/// The first instant after the gap that `wall` falls in. chrono-tz does not expose transitions,
/// so the transition is found by bisection on the instants that could hold it.
fn end_of_gap(zone: Tz, wall: NaiveDateTime) -> DateTime<Tz> {
    // UTC offsets lie within -12h..+14h, so the transition is within a day of `wall` read as UTC;
    // no zone has two transitions within those two days, so local time only rises in between.
    // Transitions fall on whole seconds, so bisecting Unix seconds finds the exact instant.
    let reached =
        |secs: i64| DateTime::from_timestamp(secs, 0).is_some_and(|at| at.with_timezone(&zone).naive_local() >= wall);
    let window = TimeDelta::hours(26).num_seconds();
    let centre = wall.and_utc().timestamp();
    let (mut before, mut at_or_after) = (centre - window, centre + window);
    while at_or_after - before > 1 {
        let middle = before + (at_or_after - before) / 2;
        if reached(middle) {
            at_or_after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(at_or_after, 0)
        .unwrap_or_else(|| wall.and_utc())
        .with_timezone(&zone)
}

/// Runs of `cron` in `zone` strictly after `after`, in order, each instant once.
pub(crate) fn runs_after(cron: &CronExpr, zone: Tz, after: DateTime<Utc>) -> impl Iterator<Item = Run> + '_ {
    // The cron crate, given a zone, drops skipped times and yields repeated times twice. Given UTC,
    // which has neither, it enumerates wall-clock times exactly; `resolve` then applies our rules.
    let start = after.with_timezone(&zone).naive_local();
    let mut last: Option<DateTime<Utc>> = None;
    cron.fields()
        .after_owned(start.and_utc())
        .map(move |wall_as_utc| {
            let nominal = wall_as_utc.naive_utc();
            let local = resolve(zone, nominal);
            Run {
                due_at: local.with_timezone(&Utc),
                local,
                nominal,
            }
        })
        // After a fall-back change `after` can lie in the repeated hour, whose wall times resolve
        // to their first, earlier occurrence; and several skipped times share one end of gap.
        .filter(move |run| {
            let fresh = run.due_at > after && last.is_none_or(|l| run.due_at > l);
            if fresh {
                last = Some(run.due_at);
            }
            fresh
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::Europe::Helsinki;

    fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        wall(y, m, d, h, min).and_utc()
    }

    #[test]
    fn skipped_times_run_when_the_clock_reaches_them() {
        // 2026-03-29 in Helsinki: 03:00 EET becomes 04:00 EEST at 01:00 UTC.
        assert_eq!(resolve(Helsinki, wall(2026, 3, 29, 3, 0)), utc(2026, 3, 29, 1, 0));
        assert_eq!(resolve(Helsinki, wall(2026, 3, 29, 3, 30)), utc(2026, 3, 29, 1, 0));
        assert_eq!(resolve(Helsinki, wall(2026, 3, 29, 3, 59)), utc(2026, 3, 29, 1, 0));
        assert_eq!(resolve(Helsinki, wall(2026, 3, 29, 4, 0)), utc(2026, 3, 29, 1, 0));
        assert_eq!(resolve(Helsinki, wall(2026, 3, 29, 2, 59)), utc(2026, 3, 29, 0, 59));
    }

    #[test]
    fn repeated_times_resolve_to_their_first_occurrence() {
        // 2026-10-25 in Helsinki: 04:00 EEST becomes 03:00 EET at 01:00 UTC.
        assert_eq!(resolve(Helsinki, wall(2026, 10, 25, 3, 30)), utc(2026, 10, 25, 0, 30));
        assert_eq!(resolve(Helsinki, wall(2026, 10, 25, 4, 0)), utc(2026, 10, 25, 2, 0));
    }

    #[test]
    fn the_cron_crate_alone_drops_skipped_times_and_repeats_repeated_ones() {
        // Why runs_after does not hand the zone to the cron crate. If this starts failing, the crate
        // changed its DST handling and runs_after may be simplified.
        let daily_0330: cron::Schedule = "0 30 3 * * *".parse().unwrap();
        let spring: Vec<_> = daily_0330
            .after(&utc(2026, 3, 28, 12, 0).with_timezone(&Helsinki))
            .take(1)
            .map(|t| t.with_timezone(&Utc))
            .collect();
        assert_eq!(spring, vec![utc(2026, 3, 30, 0, 30)], "29 March is skipped");
        let autumn: Vec<_> = daily_0330
            .after(&utc(2026, 10, 24, 12, 0).with_timezone(&Helsinki))
            .take(2)
            .map(|t| t.with_timezone(&Utc))
            .collect();
        assert_eq!(
            autumn,
            vec![utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)],
            "25 October twice"
        );
    }

    #[test]
    fn starting_inside_the_repeated_hour_does_not_go_back() {
        let every_15: CronExpr = "*/15 * * * *".parse().unwrap();
        // 01:20 UTC is 03:20 EET, the second pass through 03:00-04:00. The 03:30 run was 00:30 UTC.
        let next: Vec<_> = runs_after(&every_15, Helsinki, utc(2026, 10, 25, 1, 20))
            .take(2)
            .map(|r| r.due_at)
            .collect();
        assert_eq!(next, vec![utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 15)]);
    }

    #[test]
    fn several_skipped_times_make_one_run() {
        let twice_an_hour: CronExpr = "0,30 3,4 29 3 *".parse().unwrap();
        let runs: Vec<_> = runs_after(&twice_an_hour, Helsinki, utc(2026, 3, 28, 0, 0))
            .take(2)
            .collect();
        assert_eq!(runs[0].due_at, utc(2026, 3, 29, 1, 0));
        assert!(runs[0].moved_by_dst());
        assert_eq!(runs[0].nominal, wall(2026, 3, 29, 3, 0));
        assert_eq!(runs[1].due_at, utc(2026, 3, 29, 1, 30));
        assert!(!runs[1].moved_by_dst());
    }
}
