//! Editions go out at the local time the coordinator chose, across both 2026 EU daylight-saving
//! changes (2026-03-29 01:00 UTC and 2026-10-25 01:00 UTC) and in other zones.

use briefcast::cadence::Cadence;
use briefcast::schedule::{NewSchedule, Run, Schedule};
use chrono::{DateTime, Datelike, Utc, Weekday};

fn schedule(cron: &str, zone: Option<&str>) -> Schedule {
    Schedule::new(NewSchedule {
        name: "test".into(),
        cron: cron.into(),
        time_zone: zone.map(str::to_string),
        cadence: Cadence::Daily,
        segment: "everyone".into(),
    })
    .unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Runs strictly after `from` and before `to`.
fn runs_between(schedule: &Schedule, from: &str, to: &str) -> Vec<Run> {
    let to = utc(to);
    schedule
        .runs_after(utc(from))
        .take_while(|run| run.due_at < to)
        .collect()
}

fn instants(runs: &[Run]) -> Vec<String> {
    runs.iter()
        .map(|run| run.due_at.format("%Y-%m-%dT%H:%MZ").to_string())
        .collect()
}

fn local_times(runs: &[Run]) -> Vec<String> {
    runs.iter()
        .map(|run| run.local.format("%Y-%m-%d %H:%M %Z").to_string())
        .collect()
}

#[test]
fn daily_nine_oclock_is_seven_utc_in_winter_and_six_in_summer() {
    let daily = schedule("0 9 * * *", None);

    let spring = runs_between(&daily, "2026-03-26T22:00:00Z", "2026-03-31T21:00:00Z");
    assert_eq!(
        instants(&spring),
        [
            "2026-03-27T07:00Z",
            "2026-03-28T07:00Z",
            "2026-03-29T06:00Z",
            "2026-03-30T06:00Z",
            "2026-03-31T06:00Z"
        ]
    );
    assert!(
        spring
            .iter()
            .all(|run| run.local.format("%H:%M").to_string() == "09:00")
    );

    let autumn = runs_between(&daily, "2026-10-22T21:00:00Z", "2026-10-27T22:00:00Z");
    assert_eq!(
        instants(&autumn),
        [
            "2026-10-23T06:00Z",
            "2026-10-24T06:00Z",
            "2026-10-25T07:00Z",
            "2026-10-26T07:00Z",
            "2026-10-27T07:00Z"
        ]
    );
    assert_eq!(local_times(&autumn[2..3]), ["2026-10-25 09:00 EET"]);
}

#[test]
fn half_past_three_runs_once_on_the_spring_forward_day_at_the_end_of_the_gap() {
    // Helsinki, 2026-03-29: the clocks jump from 03:00 EET to 04:00 EEST, so 03:30 never happens.
    let early = schedule("30 3 * * *", None);
    let runs = runs_between(&early, "2026-03-26T22:00:00Z", "2026-03-30T21:00:00Z");
    assert_eq!(
        instants(&runs),
        [
            "2026-03-27T01:30Z",
            "2026-03-28T01:30Z",
            "2026-03-29T01:00Z",
            "2026-03-30T00:30Z"
        ]
    );
    assert_eq!(
        local_times(&runs),
        [
            "2026-03-27 03:30 EET",
            "2026-03-28 03:30 EET",
            "2026-03-29 04:00 EEST",
            "2026-03-30 03:30 EEST"
        ]
    );
    let moved: Vec<_> = runs.iter().map(Run::moved_by_dst).collect();
    assert_eq!(moved, [false, false, true, false]);
    assert_eq!(runs[2].nominal.format("%H:%M").to_string(), "03:30");
}

#[test]
fn half_past_three_runs_once_on_the_fall_back_day_at_its_first_occurrence() {
    // Helsinki, 2026-10-25: the clocks fall from 04:00 EEST to 03:00 EET, so 03:30 happens twice.
    let early = schedule("30 3 * * *", None);
    let runs = runs_between(&early, "2026-10-22T21:00:00Z", "2026-10-26T22:00:00Z");
    assert_eq!(
        instants(&runs),
        [
            "2026-10-23T00:30Z",
            "2026-10-24T00:30Z",
            "2026-10-25T00:30Z",
            "2026-10-26T01:30Z"
        ]
    );
    assert_eq!(
        local_times(&runs[2..]),
        ["2026-10-25 03:30 EEST", "2026-10-26 03:30 EET"]
    );
    assert!(runs.iter().all(|run| !run.moved_by_dst()));
}

#[test]
fn listing_from_inside_the_repeated_hour_does_not_offer_its_second_half_past_three() {
    // 01:15 UTC is 03:15 EET, the second pass through the hour; 03:30 already ran at 00:30 UTC.
    let early = schedule("30 3 * * *", None);
    let next = early.next_runs(utc("2026-10-25T01:15:00Z"), 1);
    assert_eq!(instants(&next), ["2026-10-26T01:30Z"]);
}

#[test]
fn weekly_monday_nine_oclock_follows_local_time_across_both_changes() {
    let weekly = schedule("0 9 * * 1", None);
    let spring = runs_between(&weekly, "2026-03-16T00:00:00Z", "2026-04-07T00:00:00Z");
    assert_eq!(
        instants(&spring),
        [
            "2026-03-16T07:00Z",
            "2026-03-23T07:00Z",
            "2026-03-30T06:00Z",
            "2026-04-06T06:00Z"
        ]
    );
    let autumn = runs_between(&weekly, "2026-10-12T00:00:00Z", "2026-11-03T00:00:00Z");
    assert_eq!(
        instants(&autumn),
        [
            "2026-10-12T06:00Z",
            "2026-10-19T06:00Z",
            "2026-10-26T07:00Z",
            "2026-11-02T07:00Z"
        ]
    );
    assert!(
        spring
            .iter()
            .chain(&autumn)
            .all(|run| run.local.weekday() == Weekday::Mon)
    );
}

#[test]
fn monthly_first_day_nine_oclock_follows_local_time_through_the_year() {
    let monthly = schedule("0 9 1 * *", None);
    let year = monthly.next_runs(utc("2026-01-01T00:00:00Z"), 12);
    assert_eq!(
        instants(&year),
        [
            "2026-01-01T07:00Z",
            "2026-02-01T07:00Z",
            "2026-03-01T07:00Z",
            "2026-04-01T06:00Z",
            "2026-05-01T06:00Z",
            "2026-06-01T06:00Z",
            "2026-07-01T06:00Z",
            "2026-08-01T06:00Z",
            "2026-09-01T06:00Z",
            "2026-10-01T06:00Z",
            "2026-11-01T07:00Z",
            "2026-12-01T07:00Z"
        ]
    );
}

#[test]
fn the_same_expression_runs_at_each_zones_own_nine_oclock() {
    let at = |zone: &str| {
        let runs = schedule("0 9 * * *", Some(zone)).next_runs(utc("2026-01-15T00:00:00Z"), 1);
        instants(&runs)[0].clone()
    };
    assert_eq!(at("Europe/Helsinki"), "2026-01-15T07:00Z");
    assert_eq!(at("Europe/Stockholm"), "2026-01-15T08:00Z");
    assert_eq!(at("America/New_York"), "2026-01-15T14:00Z");
}

#[test]
fn new_york_follows_its_own_daylight_saving_dates() {
    // The US changes on 2026-03-08 and 2026-11-01, weeks apart from the EU.
    let daily = schedule("0 9 * * *", Some("America/New_York"));
    let spring = runs_between(&daily, "2026-03-07T00:00:00Z", "2026-03-09T23:00:00Z");
    assert_eq!(
        instants(&spring),
        ["2026-03-07T14:00Z", "2026-03-08T13:00Z", "2026-03-09T13:00Z"]
    );

    // 02:30 does not exist on 2026-03-08 (02:00 EST → 03:00 EDT): it runs at 03:00 EDT.
    let early = schedule("30 2 * * *", Some("America/New_York"));
    let gap_day = runs_between(&early, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z");
    assert_eq!(instants(&gap_day), ["2026-03-08T07:00Z", "2026-03-09T06:30Z"]);
    assert_eq!(local_times(&gap_day[..1]), ["2026-03-08 03:00 EDT"]);

    // 01:30 happens twice on 2026-11-01 (02:00 EDT → 01:00 EST): it runs at the first, EDT.
    let late = schedule("30 1 * * *", Some("America/New_York"));
    let repeat_day = runs_between(&late, "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z");
    assert_eq!(instants(&repeat_day), ["2026-11-01T05:30Z", "2026-11-02T06:30Z"]);
}

#[test]
fn stockholm_changes_at_the_same_instant_as_helsinki_but_an_hour_behind() {
    let early = schedule("30 2 * * *", Some("Europe/Stockholm"));
    // Stockholm jumps 02:00 CET → 03:00 CEST at 01:00 UTC on 2026-03-29.
    let runs = runs_between(&early, "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z");
    assert_eq!(
        instants(&runs),
        ["2026-03-28T01:30Z", "2026-03-29T01:00Z", "2026-03-30T00:30Z"]
    );
    assert_eq!(local_times(&runs[1..2]), ["2026-03-29 03:00 CEST"]);
}

#[test]
fn half_hourly_runs_leave_no_hole_in_spring_and_skip_the_repeated_hour_in_autumn() {
    let half_hourly = schedule("0,30 * * * *", None);
    let gaps = |runs: &[Run]| -> Vec<i64> {
        runs.windows(2)
            .map(|w| (w[1].due_at - w[0].due_at).num_minutes())
            .collect()
    };

    // Local 03:00 and 03:30 do not exist on 2026-03-29; they run with 04:00 at 01:00 UTC, so the
    // runs keep their half-hour rhythm in UTC.
    let spring = runs_between(&half_hourly, "2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z");
    assert_eq!(spring.len(), 47);
    assert!(gaps(&spring).iter().all(|&minutes| minutes == 30));
    let at_gap = spring
        .iter()
        .find(|run| run.due_at == utc("2026-03-29T01:00:00Z"))
        .unwrap();
    assert_eq!(local_times(std::slice::from_ref(at_gap)), ["2026-03-29 04:00 EEST"]);
    assert!(at_gap.moved_by_dst());

    // Local 03:00-04:00 happens twice on 2026-10-25; its times run on the first pass only.
    let autumn = runs_between(&half_hourly, "2026-10-24T21:00:00Z", "2026-10-25T21:00:00Z");
    assert_eq!(autumn.len(), 45);
    assert_eq!(
        local_times(&autumn[5..9]),
        [
            "2026-10-25 03:00 EEST",
            "2026-10-25 03:30 EEST",
            "2026-10-25 04:00 EET",
            "2026-10-25 04:30 EET"
        ]
    );
    assert_eq!(gaps(&autumn[5..9]), [30, 90, 30]);
    let mut wall_times: Vec<_> = autumn.iter().map(|run| run.nominal).collect();
    wall_times.dedup();
    assert_eq!(wall_times.len(), autumn.len(), "no wall-clock time runs twice");
}
