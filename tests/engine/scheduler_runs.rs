//! The scheduler's tick on both backends, with injected time and no sleeping: runs fire once,
//! across the 2026 daylight-saving changes, across downtime and across daemons.

use crate::common::dispatch_support;

use briefcast::audience::SegmentFilter;
use briefcast::cadence::Cadence;
use briefcast::edition::BriefId;
use briefcast::schedule::{Fired, StoredSchedule};
use briefcast::schedule::{Grace, NewSchedule, Schedule};
use briefcast::scheduler::{self, RunResult};
use briefcast::store::StoreError;
use chrono::{DateTime, TimeDelta, Utc};
use dispatch_support::{Db, NewBrief, actor, at, brief, runs, segment, subscribers};

async fn schedule(db: &Db, name: &str, cron: &str, cadence: Cadence, created: DateTime<Utc>) -> StoredSchedule {
    let schedule = Schedule::new(NewSchedule {
        name: name.into(),
        cron: cron.into(),
        time_zone: None,
        cadence,
        segment: "everyone".into(),
    })
    .unwrap();
    db.store().add_schedule(&schedule, &actor(), created).await.unwrap()
}

/// Three daily readers, two weekly, one monthly: a schedule reaches its own cadence's readers.
async fn setup(db: &Db) {
    subscribers(db, "daily", 3, "daily").await;
    subscribers(db, "weekly", 2, "weekly").await;
    subscribers(db, "monthly", 1, "monthly").await;
    segment(db, "everyone", SegmentFilter::default()).await;
}

/// A daily brief that may go out from `from` on.
async fn daily_brief_from(db: &Db, slug: &str, from: DateTime<Utc>) -> BriefId {
    brief(
        db,
        NewBrief {
            embargo_at: Some(from),
            ..NewBrief::approved(slug, "daily")
        },
    )
    .await
}

/// Ticks every ten minutes from `from` to `to`, as a daemon polling would, and returns the
/// editions created with their due times.
async fn tick_through(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, u64)> {
    let mut fired = Vec::new();
    let mut now = from;
    while now <= to {
        let report = scheduler::run_once(db.store(), now, Grace::DEFAULT).await.unwrap();
        for run in report.runs {
            if let RunResult::Fired(Fired::Edition { recipients, .. }) = run.result {
                fired.push((run.due_at, recipients));
            }
        }
        now += TimeDelta::minutes(10);
    }
    fired
}

each_backend! {
    with_sql
    async fn a_0330_edition_fires_once_on_the_spring_forward_day(db) {
        setup(&db).await;
        schedule(&db, "night", "30 3 * * *", Cadence::Daily, at("2026-03-27T12:00:00Z")).await;
        for day in ["2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"] {
            daily_brief_from(&db, day, at(day)).await;
        }
        let fired = tick_through(&db, at("2026-03-27T12:00:00Z"), at("2026-03-30T12:00:00Z")).await;
        assert_eq!(
            fired,
            vec![
                // 03:30 EET
                (at("2026-03-28T01:30:00Z"), 3),
                // 03:30 does not exist: the clocks jump from 03:00 to 04:00 EEST
                (at("2026-03-29T01:00:00Z"), 3),
                // 03:30 EEST
                (at("2026-03-30T00:30:00Z"), 3),
            ],
            "{}",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    async fn a_0330_edition_fires_once_on_the_fall_back_day(db) {
        setup(&db).await;
        let night = schedule(&db, "night", "30 3 * * *", Cadence::Daily, at("2026-10-23T12:00:00Z")).await;
        for day in ["2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z"] {
            daily_brief_from(&db, day, at(day)).await;
        }
        // One more brief becomes sendable between the two 03:30s of 2026-10-25: it must wait
        // for the next day's run, not trigger a second edition at 03:30 EET.
        daily_brief_from(&db, "between", at("2026-10-25T01:00:00Z")).await;
        let fired = tick_through(&db, at("2026-10-23T12:00:00Z"), at("2026-10-26T12:00:00Z")).await;
        assert_eq!(
            fired,
            vec![
                (at("2026-10-24T00:30:00Z"), 3),
                // 03:30 EEST; the repeated 03:30 EET (01:30 UTC) is not a second run
                (at("2026-10-25T00:30:00Z"), 3),
                (at("2026-10-26T01:30:00Z"), 3),
            ],
            "{}",
            db.name()
        );
        let outcomes: Vec<String> = runs(&db, night.id.0).await.into_iter().map(|r| r.1).collect();
        assert_eq!(outcomes, vec!["fired", "fired", "fired"]);
        let editions = db.store().editions(10, 0).await.unwrap();
        assert_eq!(
            editions[0].briefs.len(),
            2,
            "{}: the brief released in between goes next day",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    async fn two_daemons_ticking_at_the_same_moment_make_one_edition(db) {
        setup(&db).await;
        schedule(&db, "morning", "0 9 * * *", Cadence::Daily, at("2026-11-20T00:00:00Z")).await;
        brief(&db, NewBrief::approved("storm", "daily")).await;
        let now = at("2026-11-21T07:00:00Z"); // 09:00 in Helsinki
        let other = db.second_daemon().await;
        let (a, b) = tokio::join!(
            scheduler::run_once(db.store(), now, Grace::DEFAULT),
            scheduler::run_once(other.as_ref(), now, Grace::DEFAULT),
        );
        let total = a.unwrap().editions() + b.unwrap().editions();
        assert_eq!(total, 1, "{}", db.name());
        let again = scheduler::run_once(db.store(), now + TimeDelta::minutes(1), Grace::DEFAULT)
            .await
            .unwrap();
        assert!(again.runs.is_empty(), "{}: {:?}", db.name(), again.runs);
        assert_eq!(again.next_wake, Some(at("2026-11-22T07:00:00Z")));
        assert_eq!(db.store().editions(10, 0).await.unwrap().len(), 1);

        // Firing the same run directly is refused as already recorded, not doubled.
        let schedule = db.store().schedule("morning").await.unwrap().unwrap();
        assert_eq!(schedule.last_run, Some(now));
        let twice = db.store().fire_run(schedule.id, now, now).await.unwrap();
        assert_eq!(twice, Fired::AlreadyRecorded);
    }
}

each_backend! {
    with_sql
    async fn after_downtime_older_runs_are_missed_and_only_the_latest_may_fire(db) {
        setup(&db).await;
        let morning = schedule(&db, "morning", "0 9 * * *", Cadence::Daily, at("2026-11-01T12:00:00Z")).await;
        brief(&db, NewBrief::approved("storm", "daily")).await;
        // Back at 09:30 on 2026-11-05 after four days down.
        let back = at("2026-11-05T07:30:00Z");
        scheduler::run_once(db.store(), back, Grace::DEFAULT).await.unwrap();
        let recorded = runs(&db, morning.id.0).await;
        assert_eq!(
            recorded,
            vec![
                (at("2026-11-02T07:00:00Z"), "missed".to_string(), false),
                (at("2026-11-03T07:00:00Z"), "missed".to_string(), false),
                (at("2026-11-04T07:00:00Z"), "missed".to_string(), false),
                (at("2026-11-05T07:00:00Z"), "fired".to_string(), true),
            ],
            "{}",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    async fn a_run_past_the_grace_window_is_recorded_as_missed(db) {
        setup(&db).await;
        let strict = schedule(&db, "strict", "0 9 * * *", Cadence::Daily, at("2026-11-01T12:00:00Z")).await;
        brief(&db, NewBrief::approved("storm", "daily")).await;
        let report = scheduler::run_once(
            db.store(),
            at("2026-11-02T07:30:00Z"),
            Grace::new(TimeDelta::minutes(15)).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(report.runs.len(), 1);
        assert_eq!(report.runs[0].result, RunResult::Missed(true));
        assert_eq!(
            runs(&db, strict.id.0).await,
            vec![(at("2026-11-02T07:00:00Z"), "missed".to_string(), false)],
            "{}",
            db.name()
        );
        assert!(db.store().editions(10, 0).await.unwrap().is_empty());
    }
}

each_backend! {
    with_sql
    async fn a_run_with_nothing_new_to_carry_is_recorded_empty(db) {
        setup(&db).await;
        let weekly = schedule(&db, "weekly", "0 9 * * 1", Cadence::Weekly, at("2026-11-01T00:00:00Z")).await;
        // Mondays at 09:00 in Helsinki: 2026-11-02, 2026-11-09, 2026-11-16.
        scheduler::run_once(db.store(), at("2026-11-02T07:00:00Z"), Grace::DEFAULT)
            .await
            .unwrap();
        let b = brief(&db, NewBrief::approved("storm", "weekly;daily")).await;
        brief(&db, NewBrief::approved("daily-only", "daily")).await;
        assert_eq!(
            db.store()
                .briefs_due_for(weekly.id, Cadence::Weekly, at("2026-11-09T07:00:00Z"))
                .await
                .unwrap(),
            vec![b]
        );
        scheduler::run_once(db.store(), at("2026-11-09T07:00:00Z"), Grace::DEFAULT)
            .await
            .unwrap();
        scheduler::run_once(db.store(), at("2026-11-16T07:00:00Z"), Grace::DEFAULT)
            .await
            .unwrap();
        let outcomes: Vec<(String, bool)> = runs(&db, weekly.id.0).await.into_iter().map(|r| (r.1, r.2)).collect();
        assert_eq!(
            outcomes,
            vec![("empty".into(), false), ("fired".into(), true), ("empty".into(), false)],
            "{}: a brief goes once per schedule",
            db.name()
        );
        let editions = db.store().editions(10, 0).await.unwrap();
        assert_eq!(editions.len(), 1);
        assert_eq!(editions[0].schedule.as_deref(), Some("weekly"));
        assert_eq!(editions[0].deliveries, 2, "{}: the weekly readers only", db.name());
        assert_eq!(editions[0].briefs[0].brief, b);
    }
}

each_backend! {
    with_sql
    async fn only_live_briefs_of_the_cadence_not_yet_carried_are_due(db) {
        setup(&db).await;
        let weekly = schedule(&db, "weekly", "0 9 * * 1", Cadence::Weekly, at("2026-11-01T00:00:00Z")).await;
        let now = at("2026-11-09T07:00:00Z");
        let approved = brief(&db, NewBrief::approved("approved", "weekly")).await;
        let queued = brief(
            &db,
            NewBrief {
                status: "queued",
                ..NewBrief::approved("queued", "daily;weekly")
            },
        )
        .await;
        let urgent = brief(
            &db,
            NewBrief {
                priority: "urgent",
                ..NewBrief::approved("urgent", "weekly")
            },
        )
        .await;
        for (slug, status) in [("draft", "draft"), ("withdrawn", "withdrawn")] {
            brief(
                &db,
                NewBrief {
                    status,
                    ..NewBrief::approved(slug, "weekly")
                },
            )
            .await;
        }
        // Sent by another schedule's edition: still due here, where it has not been carried.
        let sent = brief(
            &db,
            NewBrief {
                status: "sent",
                ..NewBrief::approved("sent", "weekly")
            },
        )
        .await;
        brief(&db, NewBrief::approved("monthly", "monthly")).await;
        brief(
            &db,
            NewBrief {
                expires_at: Some(now),
                ..NewBrief::approved("expired", "weekly")
            },
        )
        .await;
        brief(
            &db,
            NewBrief {
                embargo_at: Some(now + TimeDelta::seconds(1)),
                ..NewBrief::approved("embargoed", "weekly")
            },
        )
        .await;
        // An urgent brief already flashed to everyone is not carried again by the weekly letter.
        let flashed = brief(
            &db,
            NewBrief {
                priority: "urgent",
                ..NewBrief::approved("flashed", "weekly")
            },
        )
        .await;
        db.store().create_flash(flashed, &actor(), now).await.unwrap();
        let due = db
            .store()
            .briefs_due_for(weekly.id, Cadence::Weekly, now)
            .await
            .unwrap();
        assert_eq!(
            due,
            vec![urgent, approved, queued, sent],
            "{}: urgent first, then oldest",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    async fn schedules_are_stored_for_existing_segments_under_unique_names(db) {
        setup(&db).await;
        let created = at("2026-11-01T00:00:00Z");
        let stored = schedule(&db, "weekly", "0 9 * * 1", Cadence::Weekly, created).await;
        assert_eq!(stored.schedule.time_zone().name(), "Europe/Helsinki");
        let listed = db.store().schedules().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].schedule, stored.schedule);
        assert_eq!(listed[0].created_at, created);
        assert_eq!(listed[0].last_run, None);

        let again = Schedule::new(NewSchedule {
            name: "weekly".into(),
            cron: "0 10 * * 1".into(),
            time_zone: None,
            cadence: Cadence::Weekly,
            segment: "everyone".into(),
        })
        .unwrap();
        assert!(matches!(
            db.store().add_schedule(&again, &actor(), created).await,
            Err(StoreError::Conflict { field: "name", .. })
        ));
        let nowhere = Schedule::new(NewSchedule {
            name: "other".into(),
            segment: "nobody".into(),
            ..again.into()
        })
        .unwrap();
        match db.store().add_schedule(&nowhere, &actor(), created).await {
            Err(StoreError::NotFound { what }) => assert_eq!(what, "segment `nobody`"),
            other => panic!("{}: {other:?}", db.name()),
        }
        assert!(
            db.store()
                .audit_log(5)
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "schedule.add")
        );
    }
}

each_backend! {
    with_sql
    async fn one_daemon_leads_the_scheduler_at_a_time(db) {
        let first = db.store().try_lead(briefcast::store::Lead::Scheduler).await.unwrap();
        assert!(first.is_some(), "{}", db.name());
        let other = db.second_daemon().await;
        let second = other.try_lead(briefcast::store::Lead::Scheduler).await.unwrap();
        if db.name() == "postgres" {
            assert!(second.is_none(), "two leaders on one PostgreSQL database");
            drop(first);
            // The lock goes with the session; the server notices the closed connection quickly
            // but not instantly, so wait for it with a deadline rather than a fixed sleep.
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
            let mut took_over = None;
            while took_over.is_none() && tokio::time::Instant::now() < deadline {
                took_over = other.try_lead(briefcast::store::Lead::Scheduler).await.unwrap();
                tokio::task::yield_now().await;
            }
            let mut leader = took_over.expect("the second daemon takes over once the first lets go");
            assert!(leader.still_leads().await);
        } else {
            // A SQLite file belongs to one process: it always leads.
            assert!(second.is_some());
        }
    }
}

each_backend! {
    with_sql
    async fn a_broken_schedule_does_not_silence_the_others(db) {
        setup(&db).await;
        segment(&db, "damaged", SegmentFilter::default()).await;
        let created = at("2026-11-20T12:00:00Z");
        let good = schedule(&db, "morning", "0 9 * * *", Cadence::Daily, created).await;
        let broken = Schedule::new(NewSchedule {
            name: "broken".into(),
            cron: "0 9 * * *".into(),
            time_zone: None,
            cadence: Cadence::Daily,
            segment: "damaged".into(),
        })
        .unwrap();
        let broken = db.store().add_schedule(&broken, &actor(), created).await.unwrap();
        dispatch_support::execute(&db, "UPDATE segments SET filter = 'not json' WHERE name = 'damaged'").await;
        brief(&db, NewBrief::approved("storm", "daily")).await;

        let now = at("2026-11-21T07:00:00Z");
        let report = scheduler::run_once(db.store(), now, Grace::DEFAULT).await.unwrap();
        assert_eq!(report.editions(), 1, "{}: {:?}", db.name(), report.runs);
        let failed: Vec<&str> = report
            .runs
            .iter()
            .filter(|r| matches!(r.result, RunResult::Failed(_)))
            .map(|r| r.schedule.as_str())
            .collect();
        assert_eq!(failed, vec!["broken"]);
        assert_eq!(runs(&db, good.id.0).await.len(), 1);
        assert!(
            runs(&db, broken.id.0).await.is_empty(),
            "{}: the failed run was rolled back and stays due",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    async fn a_schedule_sent_by_hand_carries_each_brief_once_however_many_press_at_once(db) {
        setup(&db).await;
        let morning = schedule(&db, "morning", "0 9 * * *", Cadence::Daily, at("2026-11-20T12:00:00Z")).await;
        let storm = brief(&db, NewBrief::approved("storm", "daily")).await;
        let now = at("2026-11-21T05:00:00Z");
        let other = db.second_daemon().await;
        let coordinator = actor();
        let (a, b) = tokio::join!(
            db.store().send_now(morning.id, &coordinator, now),
            other.send_now(morning.id, &coordinator, now),
        );
        let sent: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
        assert_eq!(sent.len(), 1, "{}: two presses, one edition", db.name());
        assert_eq!(sent[0].recipients, 3, "the daily readers");
        let editions = db.store().editions(10, 0).await.unwrap();
        assert_eq!(editions.len(), 1);
        assert_eq!(editions[0].kind, briefcast::edition::EditionKind::Manual);
        assert_eq!(editions[0].briefs[0].brief, storm);

        // The 09:00 run that follows has nothing left to carry.
        let report = scheduler::run_once(db.store(), at("2026-11-21T07:00:00Z"), Grace::DEFAULT)
            .await
            .unwrap();
        assert_eq!(report.runs[0].result, RunResult::Fired(Fired::Empty), "{}", db.name());
    }
}
