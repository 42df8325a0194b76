//! What the scheduler does when the clock says so: fire on time, record misses after an outage,
//! never send a burst of stale editions. The clock is a ManualClock; nothing sleeps.

use std::collections::BTreeMap;

use briefcast::cadence::Cadence;
use briefcast::clock::{Clock, ManualClock};
use briefcast::schedule::{Decision, Grace, NewSchedule, Schedule, Tracked, next_wake, tick};
use chrono::{DateTime, TimeDelta, Utc};

fn schedule(name: &str, cron: &str) -> Schedule {
    Schedule::new(NewSchedule {
        name: name.into(),
        cron: cron.into(),
        time_zone: None,
        cadence: Cadence::Daily,
        segment: "everyone".into(),
    })
    .unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn tracked<'a>(
    key: &'static str,
    schedule: &'a Schedule,
    created: &str,
    last: Option<&str>,
) -> Tracked<'a, &'static str> {
    Tracked {
        key,
        schedule,
        created_at: utc(created),
        last_run: last.map(utc),
    }
}

fn fire(key: &'static str, at: &str) -> Decision<&'static str> {
    Decision::Fire {
        schedule: key,
        due_at: utc(at),
    }
}

fn missed(key: &'static str, at: &str) -> Decision<&'static str> {
    Decision::Missed {
        schedule: key,
        due_at: utc(at),
    }
}

#[test]
fn a_run_fires_once_it_is_due_and_not_before() {
    let daily = schedule("daily-fi", "0 9 * * *");
    let entry = [tracked("daily-fi", &daily, "2026-03-25T12:00:00Z", None)];
    let clock = ManualClock::at(utc("2026-03-26T06:59:59Z"));
    assert_eq!(tick(&entry, clock.now(), Grace::DEFAULT), []);
    assert_eq!(next_wake(&entry, clock.now()), Some(utc("2026-03-26T07:00:00Z")));

    clock.set(utc("2026-03-26T07:00:00Z"));
    assert_eq!(
        tick(&entry, clock.now(), Grace::DEFAULT),
        [fire("daily-fi", "2026-03-26T07:00:00Z")]
    );
}

#[test]
fn a_late_run_fires_inside_the_grace_window_and_is_missed_outside_it() {
    let daily = schedule("daily-fi", "0 9 * * *");
    let entry = [tracked("daily-fi", &daily, "2026-03-25T12:00:00Z", None)];
    let clock = ManualClock::at(utc("2026-03-26T07:00:00Z"));

    clock.advance(TimeDelta::minutes(60));
    assert_eq!(
        tick(&entry, clock.now(), Grace::DEFAULT),
        [fire("daily-fi", "2026-03-26T07:00:00Z")],
        "exactly one hour late is still inside the default grace"
    );

    clock.advance(TimeDelta::seconds(1));
    assert_eq!(
        tick(&entry, clock.now(), Grace::DEFAULT),
        [missed("daily-fi", "2026-03-26T07:00:00Z")]
    );

    let tight = Grace::new(TimeDelta::minutes(10)).unwrap();
    clock.set(utc("2026-03-26T07:15:00Z"));
    assert_eq!(
        tick(&entry, clock.now(), tight),
        [missed("daily-fi", "2026-03-26T07:00:00Z")]
    );
    let loose = Grace::from_std(std::time::Duration::from_secs(6 * 3600)).unwrap();
    clock.set(utc("2026-03-26T12:00:00Z"));
    assert_eq!(
        tick(&entry, clock.now(), loose),
        [fire("daily-fi", "2026-03-26T07:00:00Z")]
    );
    assert!(Grace::new(TimeDelta::minutes(-1)).is_err());
}

#[test]
fn after_three_days_down_the_misses_are_recorded_and_only_the_latest_fires() {
    // Last recorded run: Friday 2026-03-27 09:00 EET. Back up on Monday 09:20 EEST, after the change.
    let daily = schedule("daily-fi", "0 9 * * *");
    let entry = [tracked(
        "daily-fi",
        &daily,
        "2026-03-01T00:00:00Z",
        Some("2026-03-27T07:00:00Z"),
    )];
    let now = utc("2026-03-30T06:20:00Z");
    assert_eq!(
        tick(&entry, now, Grace::DEFAULT),
        [
            missed("daily-fi", "2026-03-28T07:00:00Z"),
            missed("daily-fi", "2026-03-29T06:00:00Z"),
            fire("daily-fi", "2026-03-30T06:00:00Z"),
        ]
    );

    // Back up at 11:00 local instead: even the latest is too stale to send.
    let now = utc("2026-03-30T08:00:00Z");
    let decisions = tick(&entry, now, Grace::DEFAULT);
    assert_eq!(decisions.len(), 3);
    assert!(decisions.iter().all(|d| matches!(d, Decision::Missed { .. })));
    assert_eq!(decisions[2].due_at(), utc("2026-03-30T06:00:00Z"));
}

#[test]
fn runs_from_before_the_schedule_existed_are_not_owed() {
    // Created at 09:30 local: today's 09:00 is not a miss, tomorrow's is the first run.
    let daily = schedule("daily-fi", "0 9 * * *");
    let entry = [tracked("daily-fi", &daily, "2026-03-26T07:30:00Z", None)];
    let now = utc("2026-03-26T07:31:00Z");
    assert_eq!(tick(&entry, now, Grace::DEFAULT), []);
    assert_eq!(next_wake(&entry, now), Some(utc("2026-03-27T07:00:00Z")));
}

#[test]
fn several_schedules_are_decided_together_and_wake_at_the_earliest() {
    let daily = schedule("daily-fi", "0 9 * * *");
    let weekly = schedule("weekly-sv", "30 8 * * 1");
    let monthly = schedule("monthly-en", "0 10 1 * *");
    let entries = [
        tracked("daily-fi", &daily, "2026-03-01T00:00:00Z", Some("2026-03-29T06:00:00Z")),
        tracked(
            "weekly-sv",
            &weekly,
            "2026-03-01T00:00:00Z",
            Some("2026-03-23T06:30:00Z"),
        ),
        tracked(
            "monthly-en",
            &monthly,
            "2026-03-01T00:00:00Z",
            Some("2026-03-01T08:00:00Z"),
        ),
    ];
    // Monday 2026-03-30 at 09:05 EEST.
    let now = utc("2026-03-30T06:05:00Z");
    assert_eq!(
        tick(&entries, now, Grace::DEFAULT),
        [
            fire("daily-fi", "2026-03-30T06:00:00Z"),
            fire("weekly-sv", "2026-03-30T05:30:00Z"),
        ]
    );
    assert_eq!(next_wake(&entries, now), Some(utc("2026-03-31T06:00:00Z")));
    assert_eq!(next_wake(&entries[2..], now), Some(utc("2026-04-01T07:00:00Z")));
}

/// A stand-in for `schedule_runs`: inserting a (schedule, due_at) that is already there does nothing,
/// as the primary key makes it do.
#[derive(Default)]
struct Recorded(BTreeMap<(&'static str, DateTime<Utc>), &'static str>);

impl Recorded {
    /// Records the decision; true when this caller's insert took and it should act on it.
    fn insert(&mut self, decision: &Decision<&'static str>) -> bool {
        let outcome = match decision {
            Decision::Fire { .. } => "fired",
            Decision::Missed { .. } => "missed",
        };
        let key = (*decision.schedule(), decision.due_at());
        if self.0.contains_key(&key) {
            return false;
        }
        self.0.insert(key, outcome);
        true
    }

    fn last_run(&self, schedule: &str) -> Option<DateTime<Utc>> {
        self.0.keys().filter(|(s, _)| *s == schedule).map(|(_, at)| *at).max()
    }

    fn outcomes(&self, schedule: &str) -> Vec<(String, &'static str)> {
        self.0
            .iter()
            .filter(|((s, _), _)| *s == schedule)
            .map(|((_, at), outcome)| (at.format("%Y-%m-%dT%H:%MZ").to_string(), *outcome))
            .collect()
    }
}

/// Drives a scheduler loop: wake when `next_wake` says (plus a small scheduling delay), tick, record.
fn run_loop(
    schedules: &[(&'static str, &Schedule)],
    clock: &ManualClock,
    until: DateTime<Utc>,
    recorded: &mut Recorded,
) {
    let created = clock.now();
    loop {
        let entries: Vec<_> = schedules
            .iter()
            .map(|(key, schedule)| Tracked {
                key: *key,
                schedule,
                created_at: created,
                last_run: recorded.last_run(key),
            })
            .collect();
        for decision in tick(&entries, clock.now(), Grace::DEFAULT) {
            recorded.insert(&decision);
        }
        match next_wake(&entries, clock.now()) {
            Some(wake) if wake < until => clock.set(wake + TimeDelta::seconds(2)),
            _ => break,
        }
    }
}

#[test]
fn a_scheduler_loop_fires_half_past_three_exactly_once_on_each_change_day() {
    let early = schedule("early", "30 3 * * *");
    let mut recorded = Recorded::default();

    let clock = ManualClock::at(utc("2026-03-27T00:00:00Z"));
    run_loop(&[("early", &early)], &clock, utc("2026-03-31T00:00:00Z"), &mut recorded);
    let clock = ManualClock::at(utc("2026-10-23T00:00:00Z"));
    run_loop(&[("early", &early)], &clock, utc("2026-10-27T00:00:00Z"), &mut recorded);

    let fired = |at: &str| (at.to_string(), "fired");
    assert_eq!(
        recorded.outcomes("early"),
        [
            fired("2026-03-27T01:30Z"),
            fired("2026-03-28T01:30Z"),
            fired("2026-03-29T01:00Z"),
            fired("2026-03-30T00:30Z"),
            fired("2026-10-23T00:30Z"),
            fired("2026-10-24T00:30Z"),
            fired("2026-10-25T00:30Z"),
            fired("2026-10-26T01:30Z"),
        ]
    );
}

#[test]
fn a_scheduler_loop_fires_every_daily_edition_once_through_a_month_with_a_change() {
    let daily = schedule("daily-fi", "0 9 * * *");
    let clock = ManualClock::at(utc("2026-03-15T00:00:00Z"));
    let mut recorded = Recorded::default();
    run_loop(
        &[("daily-fi", &daily)],
        &clock,
        utc("2026-04-15T00:00:00Z"),
        &mut recorded,
    );

    let outcomes = recorded.outcomes("daily-fi");
    assert_eq!(outcomes.len(), 31, "one per day from 15 March to 14 April");
    assert!(outcomes.iter().all(|(_, outcome)| *outcome == "fired"));
    assert_eq!(outcomes[13].0, "2026-03-28T07:00Z");
    assert_eq!(outcomes[14].0, "2026-03-29T06:00Z");
}

#[test]
fn two_daemons_ticking_together_decide_the_same_run_and_only_one_insert_takes() {
    let daily = schedule("daily-fi", "0 9 * * *");
    let entry = [tracked(
        "daily-fi",
        &daily,
        "2026-03-01T00:00:00Z",
        Some("2026-03-25T07:00:00Z"),
    )];
    let now = utc("2026-03-26T07:00:03Z");
    let first = tick(&entry, now, Grace::DEFAULT);
    let second = tick(&entry, now + TimeDelta::milliseconds(40), Grace::DEFAULT);
    assert_eq!(first, second);

    let mut recorded = Recorded::default();
    let acted: Vec<bool> = first.iter().chain(&second).map(|d| recorded.insert(d)).collect();
    assert_eq!(acted, [true, false]);
}
