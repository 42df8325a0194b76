//! Editions on both backends: who they reach, in which language, which briefs they carry, and
//! what pausing, resuming and cancelling do.

use crate::common::dispatch_support;

use briefcast::audience::SegmentFilter;
use briefcast::cadence::Cadence;
use briefcast::edition::{DeliveryStatus, EditionAction, EditionKind, EditionStatus};
use briefcast::edition::{EditionBrief, NewEdition, Recipients};
use briefcast::store::{DeliveryQuery, StoreError, SuppressionReason};
use chrono::TimeDelta;
use dispatch_support::{NewBrief, actor, at, brief, duplicate_delivery, email, roster, segment};

fn edition_for(filter: SegmentFilter, briefs: &[briefcast::edition::BriefId]) -> NewEdition {
    NewEdition {
        kind: EditionKind::Manual,
        schedule: None,
        due_at: at("2026-11-21T08:00:00Z"),
        briefs: briefs
            .iter()
            .enumerate()
            .map(|(i, b)| EditionBrief {
                brief: *b,
                position: i as u32 + 1,
                is_correction: false,
            })
            .collect(),
        recipients: Recipients::Segment(filter),
    }
}

fn all(edition: briefcast::edition::EditionId) -> DeliveryQuery {
    DeliveryQuery {
        edition: Some(edition),
        limit: 1000,
        ..Default::default()
    }
}

each_backend! {
    with_sql
    async fn an_edition_reaches_each_segment_member_once_in_their_own_language(db) {
        let store = db.store();
        let now = at("2026-11-21T08:00:00Z");
        roster(
            &db,
            &[
                ("aino@example.fi", "fi", "instagram", "weekly"),
                ("linnea@example.fi", "sv", "instagram;tiktok", "daily"),
                ("oliver@example.fi", "en", "instagram", "monthly"),
                ("pekka@example.fi", "fi", "instagram", "weekly"),
                ("unsub@example.fi", "sv", "instagram", "weekly"),
                ("youtuber@example.fi", "fi", "youtube", "weekly"),
            ],
        )
        .await;
        store
            .suppress(&email("unsub@example.fi"), SuppressionReason::Unsubscribed, "link", now)
            .await
            .unwrap();
        store
            .erase_influencer(&email("pekka@example.fi"), &actor(), now)
            .await
            .unwrap();
        let instagram = SegmentFilter {
            platforms: vec!["instagram".into()],
            ..Default::default()
        };
        segment(&db, "instagram", instagram.clone()).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;

        let created = store
            .create_edition(&edition_for(instagram, &[b]), &actor(), now)
            .await
            .unwrap();
        assert_eq!(
            created.recipients,
            3,
            "{}: members minus the suppressed and the erased",
            db.name()
        );

        let deliveries = store.deliveries(&all(created.edition)).await.unwrap();
        let mut got: Vec<(String, String)> = deliveries
            .iter()
            .map(|d| (d.email.clone().unwrap(), d.language.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("aino@example.fi".into(), "fi".into()),
                ("linnea@example.fi".into(), "sv".into()),
                ("oliver@example.fi".into(), "en".into()),
            ],
            "{}",
            db.name()
        );
        assert!(deliveries.iter().all(|d| d.status == DeliveryStatus::Queued));
        assert_eq!(
            deliveries[0].events[0].status, "queued",
            "the history starts with the queueing"
        );

        let summary = store.edition(created.edition).await.unwrap().unwrap();
        assert_eq!(
            (summary.kind, summary.status, summary.deliveries),
            (EditionKind::Manual, EditionStatus::Sending, 3)
        );
        assert_eq!(summary.briefs.len(), 1);
        let audit = store.audit_log(5).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "edition.create" && e.detail["recipients"] == 3)
        );
    }
}

each_backend! {
    with_sql
    async fn the_database_refuses_a_second_delivery_for_one_person_in_one_edition(db) {
        let store = db.store();
        roster(&db, &[("aino@example.fi", "fi", "instagram", "weekly")]).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let created = store
            .create_edition(
                &edition_for(SegmentFilter::default(), &[b]),
                &actor(),
                at("2026-11-21T08:00:00Z"),
            )
            .await
            .unwrap();
        let influencer = store.influencer(&email("aino@example.fi")).await.unwrap().unwrap().id;
        let err = duplicate_delivery(&db, created.edition, influencer).await.unwrap_err();
        assert!(
            matches!(&err, sqlx::Error::Database(e) if e.is_unique_violation()),
            "{}: {err}",
            db.name()
        );
        assert_eq!(store.deliveries(&all(created.edition)).await.unwrap().len(), 1);
    }
}

each_backend! {
    with_sql
    async fn a_flash_edition_reaches_everyone_who_has_not_had_the_brief(db) {
        let store = db.store();
        let now = at("2026-11-21T08:00:00Z");
        roster(
            &db,
            &[
                ("daily@example.fi", "fi", "instagram", "daily"),
                ("weekly@example.fi", "sv", "tiktok", "weekly"),
                ("monthly@example.fi", "en", "youtube", "monthly"),
                ("gone@example.fi", "fi", "youtube", "monthly"),
            ],
        )
        .await;
        store
            .suppress(&email("gone@example.fi"), SuppressionReason::Complained, "", now)
            .await
            .unwrap();
        let urgent = brief(
            &db,
            NewBrief {
                priority: "urgent",
                ..NewBrief::approved("boil-water", "daily,weekly,monthly")
            },
        )
        .await;
        // The daily readers already had it in their edition.
        let daily = SegmentFilter {
            cadences: vec![Cadence::Daily],
            ..Default::default()
        };
        store
            .create_edition(&edition_for(daily, &[urgent]), &actor(), now)
            .await
            .unwrap();

        let flash = store.create_flash(urgent, &actor(), now).await.unwrap();
        assert_eq!(
            flash.recipients,
            2,
            "{}: every cadence, minus who had it and the suppressed",
            db.name()
        );
        let mut languages: Vec<String> = store
            .deliveries(&all(flash.edition))
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.language)
            .collect();
        languages.sort();
        assert_eq!(languages, vec!["en", "sv"]);
        assert_eq!(
            store.edition(flash.edition).await.unwrap().unwrap().kind,
            EditionKind::Flash
        );

        let again = store.create_flash(urgent, &actor(), now).await.unwrap();
        assert_eq!(again.recipients, 0, "{}: at most once per brief", db.name());
    }
}

each_backend! {
    with_sql
    async fn a_flash_edition_is_refused_for_a_brief_that_may_not_go_out(db) {
        let store = db.store();
        let now = at("2026-11-21T08:00:00Z");
        let routine = brief(&db, NewBrief::approved("routine", "daily")).await;
        let draft = brief(
            &db,
            NewBrief {
                status: "draft",
                priority: "urgent",
                ..NewBrief::approved("draft", "daily")
            },
        )
        .await;
        let embargoed = brief(
            &db,
            NewBrief {
                priority: "urgent",
                embargo_at: Some(now + TimeDelta::hours(2)),
                ..NewBrief::approved("embargoed", "daily")
            },
        )
        .await;
        let expired = brief(
            &db,
            NewBrief {
                priority: "urgent",
                expires_at: Some(now - TimeDelta::hours(2)),
                ..NewBrief::approved("expired", "daily")
            },
        )
        .await;
        for (id, why) in [
            (routine, "only urgent briefs"),
            (draft, "only an approved brief"),
            (embargoed, "under embargo until"),
            (expired, "expired at"),
        ] {
            match store.create_flash(id, &actor(), now).await {
                Err(StoreError::Conflict {
                    field: "brief",
                    message,
                }) => {
                    assert!(message.contains(why), "{}: {message}", db.name())
                }
                other => panic!("{}: brief {id} flashed: {other:?}", db.name()),
            }
        }
        assert!(store.editions(10, 0).await.unwrap().is_empty());
    }
}

each_backend! {
    with_sql
    async fn pausing_holds_an_edition_and_cancelling_ends_it(db) {
        let store = db.store();
        let now = at("2026-11-21T08:00:00Z");
        dispatch_support::generated_roster(&db, 6).await;
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = store
            .create_edition(&edition_for(SegmentFilter::default(), &[b]), &actor(), now)
            .await
            .unwrap()
            .edition;

        let status = store
            .change_edition(edition, EditionAction::Pause, &actor(), now)
            .await
            .unwrap();
        assert_eq!(status, EditionStatus::Paused);
        assert!(
            store
                .claim_due("w1", 10, TimeDelta::minutes(5), now)
                .await
                .unwrap()
                .is_empty(),
            "{}: a paused edition is not claimed",
            db.name()
        );
        store
            .change_edition(edition, EditionAction::Resume, &actor(), now)
            .await
            .unwrap();
        let claimed = store.claim_due("w1", 2, TimeDelta::minutes(5), now).await.unwrap();
        assert_eq!(claimed.len(), 2);

        assert_eq!(
            store
                .change_edition(edition, EditionAction::Cancel, &actor(), now)
                .await
                .unwrap(),
            EditionStatus::Cancelled
        );
        let progress = store.edition_progress(edition, now).await.unwrap().unwrap();
        assert_eq!(progress.total, 6);
        assert_eq!(progress.count(DeliveryStatus::Cancelled), 4, "{}", db.name());
        assert_eq!(progress.count(DeliveryStatus::Sending), 2, "sends in flight finish");
        assert!(
            store
                .claim_due("w2", 10, TimeDelta::minutes(5), now)
                .await
                .unwrap()
                .is_empty()
        );

        match store
            .change_edition(edition, EditionAction::Resume, &actor(), now)
            .await
        {
            Err(StoreError::Conflict { message, .. }) => {
                assert_eq!(message, "an edition that is cancelled cannot be resumed")
            }
            other => panic!("{}: {other:?}", db.name()),
        }
        let cancelled = store
            .deliveries(&DeliveryQuery {
                edition: Some(edition),
                status: Some(DeliveryStatus::Cancelled),
                limit: 10,
                offset: 0,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(cancelled.len(), 4);
        assert!(
            cancelled[0]
                .events
                .last()
                .unwrap()
                .detail
                .contains("cancelled by test:ops")
        );
        let actions: Vec<String> = store
            .audit_log(10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(actions.contains(&"edition.cancel".to_string()) && actions.contains(&"edition.pause".to_string()));
        assert!(matches!(
            store
                .change_edition(briefcast::ids::EditionId(999), EditionAction::Pause, &actor(), now)
                .await,
            Err(StoreError::NotFound { .. })
        ));
    }
}

each_backend! {
    with_sql
    async fn the_count_confirmed_before_a_send_is_the_count_queued_and_the_log_filters_by_language_and_time(db) {
        let store = db.store();
        let now = at("2026-11-21T08:00:00Z");
        roster(
            &db,
            &[
                ("aino@example.fi", "fi", "instagram", "weekly"),
                ("linnea@example.fi", "sv", "instagram", "weekly"),
                ("oliver@example.fi", "en", "instagram", "weekly"),
                ("pekka@example.fi", "fi", "instagram", "weekly"),
                ("unsub@example.fi", "sv", "instagram", "weekly"),
            ],
        )
        .await;
        store
            .suppress(&email("unsub@example.fi"), SuppressionReason::Unsubscribed, "link", now)
            .await
            .unwrap();
        let b = brief(&db, NewBrief::approved("storm", "weekly")).await;
        let edition = edition_for(SegmentFilter::default(), &[b]);

        let counted = store.count_recipients(&edition.recipients, &edition.briefs).await.unwrap();
        use briefcast::language::Language;
        assert_eq!(
            counted,
            vec![(Language::Fi, 2), (Language::Sv, 1), (Language::En, 1)],
            "{}: by language, in the product's order, without the suppressed",
            db.name()
        );
        let created = store.create_edition(&edition, &actor(), now).await.unwrap();
        assert_eq!(created.recipients, 4, "{}: what was counted is what is queued", db.name());
        let flash_first = store
            .count_recipients(&Recipients::AllNotYetCarrying, &edition.briefs)
            .await
            .unwrap();
        assert!(flash_first.is_empty(), "{}: everyone has the brief now: {flash_first:?}", db.name());

        let in_finnish = store
            .deliveries(&DeliveryQuery {
                edition: Some(created.edition),
                language: Some(Language::Fi),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(in_finnish.len(), 2, "{}", db.name());
        assert!(in_finnish.iter().all(|d| d.language == "fi"));
        let window = |since, until| DeliveryQuery {
            edition: Some(created.edition),
            active_since: Some(since),
            active_until: Some(until),
            limit: 100,
            ..Default::default()
        };
        let queued_then = store.deliveries(&window(now - TimeDelta::minutes(1), now + TimeDelta::minutes(1))).await.unwrap();
        assert_eq!(queued_then.len(), 4, "{}: queued in the window", db.name());
        let later = store
            .deliveries(&window(now + TimeDelta::hours(1), now + TimeDelta::hours(2)))
            .await
            .unwrap();
        assert!(later.is_empty(), "{}: nothing happened an hour later", db.name());
        let one = store
            .deliveries(&DeliveryQuery {
                delivery: Some(in_finnish[0].id),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(one.len(), 1, "{}: one delivery by its id", db.name());
        assert_eq!(one[0].id, in_finnish[0].id);
    }
}
