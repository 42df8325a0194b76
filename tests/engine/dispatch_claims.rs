//! Claims with leases on both backends: the checkpoint that makes every message go out at most
//! once. On PostgreSQL the concurrent test is the proof of `FOR UPDATE SKIP LOCKED`.

use crate::common::dispatch_support;

use std::collections::HashSet;
use std::sync::Arc;

use briefcast::audience::SegmentFilter;
use briefcast::edition::{BriefId, DeliveryStatus, EditionId, EditionKind, Outcome};
use briefcast::edition::{ClaimedDelivery, EditionBrief, NewEdition, Recipients, Recorded, ResendTarget};
use briefcast::store::{DeliveryQuery, Store, StoreError, SuppressionReason};
use chrono::{DateTime, TimeDelta, Utc};
use dispatch_support::{Db, NewBrief, actor, at, brief, email, generated_roster, set_brief_status};

const LEASE: TimeDelta = TimeDelta::minutes(5);

fn start() -> DateTime<Utc> {
    at("2026-11-21T08:00:00Z")
}

async fn edition(db: &Db, briefs: &[BriefId]) -> EditionId {
    let new = NewEdition {
        kind: EditionKind::Manual,
        schedule: None,
        due_at: start(),
        briefs: briefs
            .iter()
            .enumerate()
            .map(|(i, b)| EditionBrief {
                brief: *b,
                position: i as u32 + 1,
                is_correction: false,
            })
            .collect(),
        recipients: Recipients::Segment(SegmentFilter::default()),
    };
    db.store()
        .create_edition(&new, &actor(), start())
        .await
        .unwrap()
        .edition
}

fn sent(id: &ClaimedDelivery) -> Outcome {
    Outcome::Sent {
        message_id: format!("<{}@briefcast.test>", id.lease.delivery),
        response: "250 2.0.0 Ok: queued".into(),
    }
}

async fn one_of(
    store: &dyn Store,
    edition: EditionId,
    status: DeliveryStatus,
) -> Vec<briefcast::edition::DeliveryRecord> {
    store
        .deliveries(&DeliveryQuery {
            edition: Some(edition),
            status: Some(status),
            limit: 1000,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap()
}

each_backend! {
    with_sql
    multi_thread
    async fn two_claimers_never_claim_the_same_delivery(db) {
        generated_roster(&db, 240).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        // Two daemons: separate stores, separate connection pools, one database.
        let stores = [db.backend.store.clone(), db.second_daemon().await];
        let mut workers = Vec::new();
        for (n, store) in stores.into_iter().enumerate() {
            workers.push(tokio::spawn(claim_until_empty(store, format!("worker-{n}"))));
        }
        let mut seen = HashSet::new();
        let mut per_worker = Vec::new();
        for worker in workers {
            let claimed = worker.await.unwrap();
            per_worker.push(claimed.len());
            for id in claimed {
                assert!(seen.insert(id), "{}: delivery {id} was claimed twice", db.name());
            }
        }
        assert_eq!(
            seen.len(),
            240,
            "{}: every delivery claimed once ({per_worker:?})",
            db.name()
        );
        let progress = db.store().edition_progress(edition, start()).await.unwrap().unwrap();
        assert_eq!(progress.count(DeliveryStatus::Sent), 240);
        assert_eq!(progress.sent_last_minute, 240);
    }
}

async fn claim_until_empty(store: Arc<dyn Store>, worker: String) -> Vec<i64> {
    let mut mine = Vec::new();
    loop {
        let batch = store.claim_due(&worker, 7, LEASE, start()).await.unwrap();
        if batch.is_empty() {
            return mine;
        }
        for claimed in &batch {
            assert_eq!(claimed.lease.worker, worker);
            let recorded = store
                .record_outcome(&claimed.lease, "smtp", &sent(claimed), start())
                .await
                .unwrap();
            assert_eq!(
                recorded,
                Recorded::Recorded {
                    status: DeliveryStatus::Sent
                }
            );
            mine.push(claimed.lease.delivery.0);
        }
        tokio::task::yield_now().await;
    }
}

each_backend! {
    with_sql
    async fn a_claim_carries_what_the_message_needs(db) {
        generated_roster(&db, 3).await;
        let storm = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let heat = brief(&db, NewBrief::approved("heat", "weekly")).await;
        let edition = edition(&db, &[storm, heat]).await;
        set_brief_status(&db, heat, "withdrawn").await;
        let claimed = db.store().claim_due("w", 10, LEASE, start()).await.unwrap();
        assert_eq!(claimed.len(), 3, "{}", db.name());
        let first = &claimed[0];
        assert_eq!(first.edition, edition);
        assert_eq!(first.email, "person00000@example.fi");
        assert_eq!(first.language, briefcast::language::Language::Fi);
        assert_eq!(claimed[1].language, briefcast::language::Language::Sv);
        assert_eq!(first.lease.attempt, 1);
        assert_eq!(first.lease_until, start() + LEASE);
        let briefs: Vec<BriefId> = first.briefs.iter().map(|b| b.brief).collect();
        assert_eq!(briefs, vec![storm], "{}: a withdrawn brief is left out", db.name());
        let history = &one_of(db.store(), edition, DeliveryStatus::Sending).await[0].events;
        assert_eq!(history.last().unwrap().status, "sending");
        assert!(history.last().unwrap().detail.starts_with("claimed by w until"));
    }
}

each_backend! {
    with_sql
    async fn a_lease_that_runs_out_leaves_the_delivery_uncertain_until_ops_resend_it(db) {
        let store = db.store();
        generated_roster(&db, 2).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        let claimed = store.claim_due("crashed", 1, LEASE, start()).await.unwrap();
        assert_eq!(claimed.len(), 1);

        // Nothing expires while the lease holds.
        assert_eq!(
            store
                .expire_leases(start() + LEASE - TimeDelta::seconds(1))
                .await
                .unwrap(),
            0
        );
        let later = start() + LEASE + TimeDelta::seconds(1);
        assert_eq!(store.expire_leases(later).await.unwrap(), 1, "{}", db.name());
        assert_eq!(store.expire_leases(later).await.unwrap(), 0);

        // The other delivery goes; the uncertain one is never claimed again by itself.
        let next = store.claim_due("w2", 10, LEASE, later).await.unwrap();
        assert_eq!(next.len(), 1);
        assert_ne!(next[0].lease.delivery, claimed[0].lease.delivery);
        store
            .record_outcome(&next[0].lease, "smtp", &sent(&next[0]), later)
            .await
            .unwrap();
        let much_later = later + TimeDelta::days(2);
        assert!(store.claim_due("w2", 10, LEASE, much_later).await.unwrap().is_empty());

        let uncertain = one_of(store, edition, DeliveryStatus::Uncertain).await;
        assert_eq!(uncertain.len(), 1);
        assert!(
            uncertain[0]
                .last_response
                .as_deref()
                .unwrap()
                .contains("may have been sent")
        );
        let statuses: Vec<&str> = uncertain[0].events.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(statuses, vec!["queued", "sending", "uncertain"]);
        let progress = store.edition_progress(edition, later).await.unwrap().unwrap();
        assert_eq!(progress.last_errors[0].status, DeliveryStatus::Uncertain);

        // Settling closes the edition: only ops can reopen it, by resending.
        assert_eq!(store.settle_editions(much_later).await.unwrap(), vec![edition]);
        let target = ResendTarget::Edition {
            edition,
            status: DeliveryStatus::Uncertain,
        };
        assert_eq!(
            store.resend(&target, &actor(), much_later).await.unwrap(),
            1,
            "{}",
            db.name()
        );
        let again = store.claim_due("w3", 10, LEASE, much_later).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].lease.delivery, claimed[0].lease.delivery);
        assert_eq!(again[0].lease.attempt, 2);
        assert!(
            store
                .audit_log(5)
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "deliveries.resend"),
            "{}",
            db.name()
        );

        let refused = ResendTarget::Edition {
            edition,
            status: DeliveryStatus::Sent,
        };
        assert!(matches!(
            store.resend(&refused, &actor(), much_later).await,
            Err(StoreError::Conflict { field: "status", .. })
        ));
    }
}

each_backend! {
    with_sql
    async fn an_outcome_is_refused_once_the_lease_has_moved_on(db) {
        let store = db.store();
        generated_roster(&db, 1).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        edition(&db, &[b]).await;
        let first = store.claim_due("slow", 1, LEASE, start()).await.unwrap().remove(0);
        let later = start() + LEASE * 2;
        store.expire_leases(later).await.unwrap();
        let target = ResendTarget::Deliveries(vec![first.lease.delivery]);
        assert_eq!(store.resend(&target, &actor(), later).await.unwrap(), 1);
        let second = store.claim_due("fast", 1, LEASE, later).await.unwrap().remove(0);
        assert_eq!(second.lease.delivery, first.lease.delivery);

        let late = store
            .record_outcome(&first.lease, "smtp", &sent(&first), later)
            .await
            .unwrap();
        assert_eq!(
            late,
            Recorded::LeaseLost {
                status: DeliveryStatus::Sending
            },
            "{}",
            db.name()
        );
        let on_time = store
            .record_outcome(&second.lease, "smtp", &sent(&second), later)
            .await
            .unwrap();
        assert_eq!(
            on_time,
            Recorded::Recorded {
                status: DeliveryStatus::Sent
            }
        );
        // Once sent, nothing moves it: not a stale report, not a resend.
        let stale = Outcome::Failed { response: "550".into() };
        assert!(matches!(
            store
                .record_outcome(&second.lease, "smtp", &stale, later)
                .await
                .unwrap(),
            Recorded::LeaseLost {
                status: DeliveryStatus::Sent
            }
        ));
        assert_eq!(store.resend(&target, &actor(), later).await.unwrap(), 0);
    }
}

each_backend! {
    with_sql
    async fn a_late_report_from_the_uncertain_attempt_settles_it(db) {
        let store = db.store();
        generated_roster(&db, 1).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        let claimed = store.claim_due("slow", 1, LEASE, start()).await.unwrap().remove(0);
        let later = start() + LEASE * 2;
        store.expire_leases(later).await.unwrap();
        let recorded = store
            .record_outcome(&claimed.lease, "smtp", &sent(&claimed), later)
            .await
            .unwrap();
        assert_eq!(
            recorded,
            Recorded::Recorded {
                status: DeliveryStatus::Sent
            },
            "{}",
            db.name()
        );
        let record = &one_of(store, edition, DeliveryStatus::Sent).await[0];
        assert_eq!(
            record.message_id.as_deref(),
            Some(format!("<{}@briefcast.test>", claimed.lease.delivery).as_str())
        );
        assert_eq!(record.sent_at, Some(later));
        assert_eq!(record.transport.as_deref(), Some("smtp"));
    }
}

each_backend! {
    with_sql
    async fn deferred_deliveries_wait_for_their_next_attempt(db) {
        let store = db.store();
        generated_roster(&db, 1).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        let claimed = store.claim_due("w", 1, LEASE, start()).await.unwrap().remove(0);
        let retry_at = start() + TimeDelta::minutes(10);
        let deferred = Outcome::Deferred {
            next_attempt_at: retry_at,
            response: "451 4.7.1 try again later".into(),
        };
        store
            .record_outcome(&claimed.lease, "smtp", &deferred, start())
            .await
            .unwrap();
        assert!(
            store
                .claim_due("w", 1, LEASE, retry_at - TimeDelta::seconds(1))
                .await
                .unwrap()
                .is_empty()
        );
        let retried = store.claim_due("w", 1, LEASE, retry_at).await.unwrap();
        assert_eq!(retried.len(), 1, "{}", db.name());
        assert_eq!(retried[0].lease.attempt, 2);
        let progress = store.edition_progress(edition, retry_at).await.unwrap().unwrap();
        assert!(
            progress.last_errors[0].detail.contains("451 4.7.1"),
            "{:?}",
            progress.last_errors
        );
    }
}

each_backend! {
    with_sql
    async fn suppressed_erased_and_outdated_deliveries_are_never_sent(db) {
        let store = db.store();
        generated_roster(&db, 4).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        store
            .suppress(
                &email("person00000@example.fi"),
                SuppressionReason::Unsubscribed,
                "",
                start(),
            )
            .await
            .unwrap();
        store
            .erase_influencer(&email("person00001@example.fi"), &actor(), start())
            .await
            .unwrap();
        let claimed = store.claim_due("w", 10, LEASE, start()).await.unwrap();
        let emails: Vec<&str> = claimed.iter().map(|c| c.email.as_str()).collect();
        assert_eq!(
            emails,
            vec!["person00002@example.fi", "person00003@example.fi"],
            "{}",
            db.name()
        );
        let suppressed = one_of(store, edition, DeliveryStatus::Suppressed).await;
        assert_eq!(suppressed.len(), 2);
        assert!(
            suppressed.iter().any(|d| d.email.is_none()),
            "the erased person is not named"
        );

        // A brief that expires before its edition's turn is not sent at all.
        let soon = brief(
            &db,
            NewBrief {
                expires_at: Some(start() + TimeDelta::hours(1)),
                ..NewBrief::approved("soon-stale", "weekly")
            },
        )
        .await;
        let stale = edition_with(&db, soon).await;
        assert!(
            store
                .claim_due("w", 10, LEASE, start() + TimeDelta::hours(2))
                .await
                .unwrap()
                .is_empty(),
            "{}",
            db.name()
        );
        let progress = store.edition_progress(stale, start()).await.unwrap().unwrap();
        assert_eq!(progress.count(DeliveryStatus::Expired), 2);
    }
}

async fn edition_with(db: &Db, b: BriefId) -> EditionId {
    edition(db, &[b]).await
}

each_backend! {
    with_sql
    async fn a_bounce_suppresses_the_address(db) {
        let store = db.store();
        generated_roster(&db, 1).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        edition(&db, &[b]).await;
        let claimed = store.claim_due("w", 1, LEASE, start()).await.unwrap().remove(0);
        let bounce = Outcome::Bounced {
            response: "550 5.1.1 no such user".into(),
        };
        store
            .record_outcome(&claimed.lease, "smtp", &bounce, start())
            .await
            .unwrap();
        assert_eq!(
            store.suppression(&email(&claimed.email)).await.unwrap(),
            Some(SuppressionReason::Bounced),
            "{}",
            db.name()
        );
        let counts = store.delivery_counts().await.unwrap();
        assert_eq!(counts, vec![(DeliveryStatus::Bounced, 1)]);
    }
}

each_backend! {
    with_sql
    async fn a_batch_of_outcomes_is_recorded_at_once_each_fenced_by_its_own_lease(db) {
        let store = db.store();
        generated_roster(&db, 3).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        let claimed = store.claim_due("w", 3, LEASE, start()).await.unwrap();
        let sent_one = sent(&claimed[0]);
        let deferred = Outcome::Deferred {
            next_attempt_at: start() + TimeDelta::minutes(1),
            response: "421 busy".into(),
        };
        // A report for an attempt that was never claimed: refused, the others still count.
        let forged = briefcast::edition::Lease {
            attempt: claimed[2].lease.attempt + 1,
            ..claimed[2].lease.clone()
        };
        let sent_three = sent(&claimed[2]);
        let recorded = store
            .record_outcomes(
                "smtp",
                &[
                    (&claimed[0].lease, &sent_one),
                    (&claimed[1].lease, &deferred),
                    (&forged, &sent_three),
                ],
                start(),
            )
            .await
            .unwrap();
        assert_eq!(
            recorded,
            vec![
                Recorded::Recorded {
                    status: DeliveryStatus::Sent
                },
                Recorded::Recorded {
                    status: DeliveryStatus::Deferred
                },
                Recorded::LeaseLost {
                    status: DeliveryStatus::Sending
                },
            ],
            "{}",
            db.name()
        );
        let progress = store.edition_progress(edition, start()).await.unwrap().unwrap();
        assert_eq!(
            (
                progress.count(DeliveryStatus::Sent),
                progress.count(DeliveryStatus::Deferred),
                progress.count(DeliveryStatus::Sending)
            ),
            (1, 1, 1)
        );
    }
}

each_backend! {
    with_sql
    /// An urgent brief's flash edition overtakes an edition already under way: its readers do not
    /// wait behind a national weekly.
    async fn a_flash_edition_is_claimed_before_an_older_edition_still_sending(db) {
        generated_roster(&db, 6).await;
        let weekly = brief(&db, NewBrief::approved("weekly", "weekly")).await;
        let storm = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let older = edition(&db, &[weekly]).await;
        let flash = NewEdition {
            kind: EditionKind::Flash,
            schedule: None,
            due_at: start(),
            briefs: vec![EditionBrief {
                brief: storm,
                position: 1,
                is_correction: false,
            }],
            recipients: Recipients::Segment(SegmentFilter::default()),
        };
        let flash = db
            .store()
            .create_edition(&flash, &actor(), start())
            .await
            .unwrap()
            .edition;

        let first = db.store().claim_due("w", 4, LEASE, start()).await.unwrap();
        let editions: Vec<EditionId> = first.iter().map(|d| d.edition).collect();
        assert_eq!(editions, vec![flash; 4], "{}: the flash edition goes first", db.name());
        let next = db.store().claim_due("w", 4, LEASE, start()).await.unwrap();
        let editions: Vec<EditionId> = next.iter().map(|d| d.edition).collect();
        assert_eq!(
            editions,
            vec![flash, flash, older, older],
            "{}: then the older one",
            db.name()
        );
    }
}

each_backend! {
    with_sql
    /// A daemon that stops beating (killed) has its claims turn uncertain once it has been silent
    /// long enough, long before their lease runs out; a daemon that keeps beating keeps its claims.
    async fn the_claims_of_a_silent_daemon_turn_uncertain_and_those_of_a_beating_one_stay(db) {
        let store = db.store();
        generated_roster(&db, 4).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        store.beat("alive", start()).await.unwrap();
        store.beat("killed", start()).await.unwrap();
        assert_eq!(store.claim_due("alive", 2, LEASE, start()).await.unwrap().len(), 2);
        assert_eq!(store.claim_due("killed", 2, LEASE, start()).await.unwrap().len(), 2);

        // 20 s on, both beat as recently as the silence allows: nothing changes.
        let silence = TimeDelta::seconds(50);
        let now = start() + TimeDelta::seconds(20);
        assert_eq!(store.expire_silent_claims(now - silence, now).await.unwrap(), 0);

        // A minute on, only "alive" has beaten since: "killed"'s two claims wait for ops.
        let now = start() + TimeDelta::seconds(60);
        store.beat("alive", now - TimeDelta::seconds(3)).await.unwrap();
        assert_eq!(
            store.expire_silent_claims(now - silence, now).await.unwrap(),
            2,
            "{}",
            db.name()
        );
        let uncertain = one_of(store, edition, DeliveryStatus::Uncertain).await;
        assert_eq!(uncertain.len(), 2);
        assert!(uncertain.iter().all(|d| d.lease_owner.as_deref() == Some("killed")));
        assert!(
            uncertain[0]
                .last_response
                .as_deref()
                .unwrap()
                .contains("stopped before recording"),
            "{:?}",
            uncertain[0].last_response
        );
        assert_eq!(one_of(store, edition, DeliveryStatus::Sending).await.len(), 2);

        // A daemon whose own lane failed gives its claims up at once.
        assert_eq!(store.abandon_claims("alive", now).await.unwrap(), 2, "{}", db.name());
        assert_eq!(one_of(store, edition, DeliveryStatus::Sending).await.len(), 0);
        store.stop_beating("alive").await.unwrap();
        store.stop_beating("alive").await.unwrap();
    }
}

/// A transport that panics, as a bug deep in a send path would.
struct PanickingTransport;

#[async_trait::async_trait]
impl briefcast::dispatch::transport::Transport for PanickingTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(
        &self,
        _message: &briefcast::dispatch::message::OutgoingMessage,
    ) -> Result<briefcast::dispatch::transport::SendReceipt, briefcast::dispatch::transport::SendError> {
        panic!("a bug in the transport")
    }
}

each_backend! {
    with_sql
    /// A lane that fails stops the whole daemon at once (never half-alive), and its batch waits for
    /// ops as uncertain, as a crashed daemon's would.
    async fn a_failed_lane_stops_the_daemon_and_its_claims_turn_uncertain(db) {
        use briefcast::dispatch::dispatcher::{Dispatcher, EditionCache, Pace};
        generated_roster(&db, 3).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition(&db, &[b]).await;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dispatcher = Dispatcher {
            store: db.backend.store.clone(),
            transport: Arc::new(PanickingTransport),
            letterhead: Arc::new(
                briefcast::dispatch::message::Letterhead::new(
                    "briefcast <news@example.fi>",
                    "example.fi",
                    "http://127.0.0.1:1",
                    briefcast::token::TokenKey::new("a secret for this test only"),
                    None,
                )
                .unwrap(),
            ),
            content: Arc::new(briefcast::pack::Content::load(&root.join("content"), &root.join("locales")).unwrap()),
            policy: briefcast::pack::LanguagePolicy {
                missing: briefcast::config::MissingLanguage::Hold,
                fallback: briefcast::language::Language::Fi,
            },
            clock: Arc::new(briefcast::clock::ManualClock::at(start())),
            metrics: Arc::default(),
            worker: "doomed".into(),
            pace: Pace {
                lanes: 2,
                ..Pace::default()
            },
            editions: EditionCache::default(),
            pulse: Arc::default(),
        };
        let shutdown = tokio_util::sync::CancellationToken::new();
        let stopped = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            dispatcher.run_until_stopped(shutdown.clone()),
        )
        .await
        .expect("the dispatcher stops by itself");
        let error = stopped.expect_err("a failed lane is an error");
        assert!(
            error.to_string().contains("a dispatch lane stopped abnormally"),
            "{error}"
        );
        assert!(shutdown.is_cancelled(), "the rest of the daemon is told to stop");
        let store = db.store();
        assert_eq!(
            one_of(store, edition, DeliveryStatus::Sending).await.len(),
            0,
            "{}",
            db.name()
        );
        assert_eq!(
            one_of(store, edition, DeliveryStatus::Uncertain).await.len(),
            3,
            "{}",
            db.name()
        );
    }
}
