//! What coordinators type: cron in 5 or 6 fields, zone names, and the errors for what is wrong.

use briefcast::cadence::Cadence;
use briefcast::schedule::{NewSchedule, Schedule, ScheduleError};
use chrono::{DateTime, Datelike, Utc, Weekday};

fn input(cron: &str, zone: Option<&str>) -> NewSchedule {
    NewSchedule {
        name: "weekly-fi".into(),
        cron: cron.into(),
        time_zone: zone.map(str::to_string),
        cadence: Cadence::Weekly,
        segment: "finnish-creators".into(),
    }
}

fn first_run(cron: &str) -> DateTime<Utc> {
    let after = DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Schedule::new(input(cron, None)).unwrap().next_runs(after, 1)[0].due_at
}

fn error(cron: &str, zone: Option<&str>) -> String {
    Schedule::new(input(cron, zone)).unwrap_err().to_string()
}

#[test]
fn five_and_six_field_forms_of_the_same_time_agree() {
    assert_eq!(first_run("0 9 * * *"), first_run("0 0 9 * * *"));
    assert_eq!(first_run("0 9 * * *").to_rfc3339(), "2026-05-01T06:00:00+00:00");
    assert_eq!(first_run("30 0 9 * * *").to_rfc3339(), "2026-05-01T06:00:30+00:00");
    assert_eq!(first_run("0 0 9 * * * 2027").to_rfc3339(), "2027-01-01T07:00:00+00:00");
}

#[test]
fn five_field_weekdays_count_from_sunday_as_zero_like_standard_cron() {
    // 2026-05-01 is a Friday.
    let day = |cron: &str| first_run(cron).with_timezone(&chrono_tz::Europe::Helsinki).weekday();
    assert_eq!(day("0 9 * * 1"), Weekday::Mon);
    assert_eq!(day("0 9 * * 0"), Weekday::Sun);
    assert_eq!(day("0 9 * * 7"), Weekday::Sun);
    assert_eq!(day("0 9 * * 6"), Weekday::Sat);
    assert_eq!(day("0 9 * * MON"), Weekday::Mon);
    assert_eq!(day("0 9 * * 1-5"), Weekday::Fri);
    assert_eq!(day("0 9 * * 6-7"), Weekday::Sat);
    assert_eq!(first_run("0 9 * * 6-7").to_rfc3339(), "2026-05-02T06:00:00+00:00");
}

#[test]
fn the_cron_text_is_kept_as_written() {
    let schedule = Schedule::new(input("  0  9 * * 1 ", None)).unwrap();
    assert_eq!(schedule.cron().as_str(), "0 9 * * 1");
}

#[test]
fn garbage_cron_is_refused_with_the_expression_named() {
    assert_eq!(
        error("every day at nine", None),
        "cron: `every day at nine` has 4 fields; write 5 (min hour day month weekday) or 6-7 (sec min hour day month weekday [year])"
    );
    assert!(error("", None).starts_with("cron: `` has 0 fields"));
    let hour_25 = error("0 25 * * *", None);
    assert!(
        hour_25.starts_with("cron: `0 25 * * *` is not a cron expression: "),
        "{hour_25}"
    );
    let letters = error("0 nine * * *", None);
    assert!(
        letters.starts_with("cron: `0 nine * * *` is not a cron expression: "),
        "{letters}"
    );
    assert_eq!(error("0 9 30 2 *", None), "cron: `0 9 30 2 *` never runs");
}

#[test]
fn both_day_fields_in_standard_cron_are_refused_rather_than_guessed() {
    assert_eq!(
        error("0 9 1 * 1", None),
        "cron: `0 9 1 * 1` restricts both the day of month and the day of week; keep one and set the other to `*`"
    );
}

#[test]
fn time_zone_defaults_to_helsinki_and_unknown_zones_are_refused() {
    let helsinki = Schedule::new(input("0 9 * * *", None)).unwrap();
    assert_eq!(helsinki.time_zone().name(), "Europe/Helsinki");
    let blank = Schedule::new(input("0 9 * * *", Some(" "))).unwrap();
    assert_eq!(blank.time_zone().name(), "Europe/Helsinki");
    let stockholm = Schedule::new(input("0 9 * * *", Some("europe/stockholm"))).unwrap();
    assert_eq!(stockholm.time_zone().name(), "Europe/Stockholm");
    assert_eq!(
        error("0 9 * * *", Some("Europe/Espoo")),
        "time_zone: `Europe/Espoo` is not an IANA time zone (for example Europe/Helsinki)"
    );
    assert!(matches!(
        Schedule::new(input("0 9 * * *", Some("EEST"))),
        Err(ScheduleError::UnknownTimeZone(_))
    ));
}

#[test]
fn names_are_checked() {
    let mut bad_name = input("0 9 * * *", None);
    bad_name.name = "weekly fi".into();
    assert!(matches!(Schedule::new(bad_name), Err(ScheduleError::BadName(_))));
    let mut bad_segment = input("0 9 * * *", None);
    bad_segment.segment = "".into();
    assert_eq!(
        Schedule::new(bad_segment).unwrap_err().to_string(),
        "segment: `` is not a segment name (use letters, digits, `-` and `_`, at most 64)"
    );
}

#[test]
fn schedules_read_and_write_json_with_the_zone_filled_in() {
    let schedule: Schedule =
        serde_json::from_str(r#"{"name":"daily-fi","cron":"0 9 * * *","cadence":"daily","segment":"fi"}"#).unwrap();
    assert_eq!(schedule.cadence(), Cadence::Daily);
    assert_eq!(
        serde_json::to_value(&schedule).unwrap(),
        serde_json::json!({
            "name": "daily-fi", "cron": "0 9 * * *", "time_zone": "Europe/Helsinki",
            "cadence": "daily", "segment": "fi"
        })
    );
    let bad = serde_json::from_str::<Schedule>(
        r#"{"name":"daily-fi","cron":"0 9 * * *","time_zone":"Mars/Olympus","cadence":"daily","segment":"fi"}"#,
    )
    .unwrap_err();
    assert!(
        bad.to_string().contains("`Mars/Olympus` is not an IANA time zone"),
        "{bad}"
    );
}
