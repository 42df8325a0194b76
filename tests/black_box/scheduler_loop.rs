//! The scheduler loop as the daemon runs it: it fires what is due on its first pass, keeps the
//! queue, and stops cleanly when told to.

use crate::common::dispatch_support;

use std::sync::Arc;

use briefcast::audience::SegmentFilter;
use briefcast::cadence::Cadence;
use briefcast::clock::{Clock, ManualClock};
use briefcast::edition::{DeliveryStatus, EditionStatus};
use briefcast::metrics::Metrics;
use briefcast::schedule::{Grace, NewSchedule, Schedule};
use briefcast::scheduler;
use chrono::TimeDelta;
use dispatch_support::{NewBrief, actor, at, brief, segment, subscribers};
use tokio_util::sync::CancellationToken;

each_backend! {
    with_sql
    async fn the_loop_fires_what_is_due_expires_leases_and_stops_when_told(db) {
        subscribers(&db, "daily", 4, "daily").await;
        segment(&db, "everyone", SegmentFilter::default()).await;
        let schedule = Schedule::new(NewSchedule {
            name: "morning".into(),
            cron: "0 9 * * *".into(),
            time_zone: None,
            cadence: Cadence::Daily,
            segment: "everyone".into(),
        })
        .unwrap();
        db.store()
            .add_schedule(&schedule, &actor(), at("2026-11-20T12:00:00Z"))
            .await
            .unwrap();
        brief(&db, NewBrief::approved("storm", "daily")).await;

        // An earlier worker died holding a lease on another edition's delivery.
        let urgent = brief(
            &db,
            NewBrief {
                priority: "urgent",
                ..NewBrief::approved("boil", "weekly")
            },
        )
        .await;
        let flash = db
            .store()
            .create_flash(urgent, &actor(), at("2026-11-21T06:00:00Z"))
            .await
            .unwrap();
        let claimed = db
            .store()
            .claim_due("dead-worker", 4, TimeDelta::minutes(5), at("2026-11-21T06:00:00Z"))
            .await
            .unwrap();
        assert_eq!(claimed.len(), 4);

        let clock = ManualClock::at(at("2026-11-21T07:00:30Z"));
        let metrics = Arc::new(Metrics::default());
        let shutdown = CancellationToken::new();
        let running = tokio::spawn(scheduler::run_until_stopped(
            db.backend.store.clone(),
            Arc::new(clock.clone()),
            Grace::DEFAULT,
            metrics.clone(),
            "scheduler-test".into(),
            shutdown.clone(),
        ));

        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let editions = db.store().editions(10, 0).await.unwrap();
            let uncertain = db
                .store()
                .edition_progress(flash.edition, clock.now())
                .await
                .unwrap()
                .unwrap()
                .count(DeliveryStatus::Uncertain);
            if editions.len() == 2 && uncertain == 4 && metrics.render().contains("briefcast_delivery_queue_depth 4") {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{}: the loop did not fire and keep the queue: {editions:?}",
                db.name()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let flash_edition = db.store().edition(flash.edition).await.unwrap().unwrap();
        assert_eq!(
            flash_edition.status,
            EditionStatus::Done,
            "{}: only uncertain deliveries were left, so the edition is done until ops resend",
            db.name()
        );

        shutdown.cancel();
        let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), running).await;
        assert!(
            matches!(stopped, Ok(Ok(Ok(())))),
            "{}: the loop did not stop cleanly: {stopped:?}",
            db.name()
        );
    }
}
