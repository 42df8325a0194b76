//! Schedules, editions and the delivery log over HTTP, as coordinators and ops use them.

use crate::common;
use crate::common::dispatch_support;

use briefcast::audience::SegmentFilter;
use briefcast::edition::DeliveryStatus;
use chrono::TimeDelta;
use common::{json_of, spawn_app};
use dispatch_support::{NewBrief, brief, generated_roster, segment};
use reqwest::StatusCode;
use serde_json::json;

each_backend! {
    with_sql
    async fn a_coordinator_adds_a_schedule_and_sees_its_next_runs(db) {
        segment(&db, "everyone", SegmentFilter::default()).await;
        let app = spawn_app(&db.backend).await;
        let body = json!({ "name": "weekly", "cron": "0 9 * * 1", "cadence": "weekly", "segment": "everyone" });
        let (status, created) = json_of(
            app.post("/api/v1/schedules", &app.coordinator)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {created}", db.name());
        assert_eq!(created["time_zone"], "Europe/Helsinki");
        // The test clock reads Saturday 2026-11-21: next Monday 09:00 EET is 07:00 UTC.
        assert_eq!(
            created["next_runs"][0],
            json!({ "utc": "2026-11-23T07:00:00Z", "local": "2026-11-23T09:00:00+02:00", "moved_by_dst": false })
        );
        assert_eq!(created["next_runs"].as_array().unwrap().len(), 3);

        let (status, again) = json_of(
            app.post("/api/v1/schedules", &app.coordinator)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert_eq!(again["error"]["field"], "name");

        let nowhere = json!({ "name": "x", "cron": "0 9 * * 1", "cadence": "weekly", "segment": "nobody" });
        let (status, err) = json_of(
            app.post("/api/v1/schedules", &app.coordinator)
                .json(&nowhere)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("segment"))
        );

        let bad_cron = json!({ "name": "x", "cron": "0 9 * *", "cadence": "weekly", "segment": "everyone" });
        let (status, err) = json_of(
            app.post("/api/v1/schedules", &app.coordinator)
                .json(&bad_cron)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("cron"))
        );

        let ops = app
            .post("/api/v1/schedules", &app.ops)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(ops.status(), StatusCode::FORBIDDEN);

        let (status, list) = json_of(app.get("/api/v1/schedules", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["schedules"].as_array().unwrap().len(), 1);
        let (_, one) = json_of(app.get("/api/v1/schedules/weekly", &app.approver).send().await.unwrap()).await;
        assert_eq!(one["cron"], "0 9 * * 1");
        app.shutdown.cancel();
    }
}

each_backend! {
    with_sql
    async fn ops_follow_an_edition_and_act_on_it(db) {
        dispatch_support::subscribers(&db, "daily", 5, "daily").await;
        dispatch_support::subscribers(&db, "monthly", 2, "monthly").await;
        segment(&db, "everyone", SegmentFilter::default()).await;
        // The test is the worker below; a real dispatcher would race it for the deliveries.
        let app = common::spawn_api_only(&db.backend).await;
        let body = json!({ "name": "daily", "cron": "0 9 * * *", "cadence": "daily", "segment": "everyone" });
        app.post("/api/v1/schedules", &app.coordinator)
            .json(&body)
            .send()
            .await
            .unwrap();

        let (status, err) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("nothing_to_send")),
            "{err}"
        );

        brief(&db, NewBrief::approved("storm", "daily")).await;
        let ops_send = app
            .post("/api/v1/editions", &app.ops)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        assert_eq!(ops_send.status(), StatusCode::FORBIDDEN, "sending is for coordinators");
        let (status, created) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {created}", db.name());
        assert_eq!(created["recipients"], 5);
        let id = created["edition"].as_i64().unwrap();

        // A worker sends two and one lease runs out.
        let now = common::now();
        let store = app.store.as_ref();
        let claimed = store.claim_due("w", 3, TimeDelta::minutes(5), now).await.unwrap();
        for c in &claimed[..2] {
            let sent = briefcast::edition::Outcome::Sent {
                message_id: format!("<{}@t>", c.lease.delivery),
                response: "250 ok".into(),
            };
            store.record_outcome(&c.lease, "outbox", &sent, now).await.unwrap();
        }
        store.expire_leases(now + TimeDelta::minutes(6)).await.unwrap();

        let (status, shown) = json_of(
            app.get(&format!("/api/v1/editions/{id}"), &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        assert_eq!(shown["edition"]["kind"], "manual");
        assert_eq!(shown["edition"]["schedule"], "daily");
        assert_eq!(shown["progress"]["total"], 5);
        assert_eq!(
            shown["progress"]["by_status"],
            json!({ "queued": 2, "sent": 2, "uncertain": 1 })
        );
        assert_eq!(shown["progress"]["sent_last_minute"], 2);

        let (_, uncertain) = json_of(
            app.get(&format!("/api/v1/deliveries?edition={id}&status=uncertain"), &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let uncertain = uncertain["deliveries"].as_array().unwrap().clone();
        assert_eq!(uncertain.len(), 1);
        // Ops see who only masked; a coordinator sees the address.
        let masked = uncertain[0]["email"].as_str().unwrap();
        assert!(masked.starts_with("d***@example.fi"), "{}: {masked}", db.name());
        let (_, full) = json_of(
            app.get(
                &format!("/api/v1/deliveries?edition={id}&status=uncertain"),
                &app.coordinator,
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert!(
            full["deliveries"][0]["email"].as_str().unwrap().starts_with("daily000"),
            "{full}"
        );
        let history: Vec<&str> = uncertain[0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(history, vec!["queued", "sending", "uncertain"]);

        let (status, err) = json_of(
            app.get("/api/v1/deliveries?status=lost", &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("status"))
        );

        let (status, resent) = json_of(
            app.post("/api/v1/deliveries/resend", &app.ops)
                .json(&json!({ "edition": id, "status": "uncertain" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, resent["requeued"].as_u64()),
            (StatusCode::OK, Some(1)),
            "{resent}"
        );
        let (status, _) = json_of(
            app.post("/api/v1/deliveries/resend", &app.ops)
                .json(&json!({ "edition": id }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, paused) = json_of(
            app.post(&format!("/api/v1/editions/{id}/pause"), &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, paused["status"].as_str()), (StatusCode::OK, Some("paused")));
        assert!(
            store
                .claim_due("w", 10, TimeDelta::minutes(5), now)
                .await
                .unwrap()
                .is_empty()
        );
        let (status, cancelled) = json_of(
            app.post(&format!("/api/v1/editions/{id}/cancel"), &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, cancelled["status"].as_str()),
            (StatusCode::OK, Some("cancelled"))
        );
        let (status, err) = json_of(
            app.post(&format!("/api/v1/editions/{id}/resume"), &app.ops)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(
            err["error"]["message"],
            "an edition that is cancelled cannot be resumed"
        );

        let (_, list) = json_of(app.get("/api/v1/editions", &app.ops).send().await.unwrap()).await;
        assert_eq!(list["editions"][0]["status"], "cancelled");
        assert_eq!(list["editions"][0]["deliveries"], 5);
        let progress = store
            .edition_progress(briefcast::ids::EditionId(id), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            progress.count(DeliveryStatus::Cancelled),
            3,
            "{}: two queued and the resent one",
            db.name()
        );

        let (status, _) = json_of(app.get("/api/v1/editions/abc", &app.ops).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = json_of(app.get("/api/v1/editions/999", &app.ops).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.shutdown.cancel();
    }
}

each_backend! {
    with_sql
    async fn metrics_count_deliveries_by_status(db) {
        generated_roster(&db, 2).await;
        let urgent = brief(
            &db,
            NewBrief {
                priority: "urgent",
                ..NewBrief::approved("boil", "daily")
            },
        )
        .await;
        // Queued before the daemon starts; the dispatcher sends them and the gauges count them.
        let flash = db
            .store()
            .create_flash(urgent, &dispatch_support::actor(), common::now())
            .await
            .unwrap();
        assert_eq!(flash.recipients, 2);
        let app = spawn_app(&db.backend).await;
        // The scheduler loop refreshes the gauges on its first pass: wait for it, with a deadline.
        // The gauges are refreshed on the scheduler's 15 s poll: allow several under a loaded run.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let text = app
                .client
                .get(app.url("/metrics"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            // The dispatcher sends both into the outbox; the gauges follow on the next pass.
            if text.contains("briefcast_deliveries{status=\"sent\"} 2")
                && text.contains("briefcast_delivery_queue_depth 0")
                && text.contains("briefcast_delivery_outcomes_total{status=\"sent\",transport=\"outbox\"} 2")
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{}: metrics never showed the queue:\n{text}",
                db.name()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        app.shutdown.cancel();
    }
}

each_backend! {
    with_sql
    /// With the database gone, nothing looks like a bad link: the reader's page and one-click answer
    /// 503 with Retry-After (mailbox providers retry), the API too, and /healthz says so.
    async fn a_database_fault_is_503_with_retry_after_on_every_route(db) {
        dispatch_support::subscribers(&db, "daily", 2, "daily").await;
        segment(&db, "everyone", SegmentFilter::default()).await;
        brief(&db, NewBrief::approved("storm", "daily")).await;
        let app = common::spawn_api_only(&db.backend).await;
        let body = json!({ "name": "daily", "cron": "0 9 * * *", "cadence": "daily", "segment": "everyone" });
        app.post("/api/v1/schedules", &app.coordinator)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, created) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let (_, log) = json_of(app.get("/api/v1/deliveries", &app.ops).send().await.unwrap()).await;
        let delivery = log["deliveries"][0]["id"].as_i64().unwrap();
        let secret = std::fs::read_to_string(db.backend.dir.path().join("secret")).unwrap();
        let token = briefcast::token::TokenKey::new(secret.trim()).sign(
            briefcast::token::Purpose::Unsubscribe,
            briefcast::ids::DeliveryId(delivery),
        );
        let page = format!("/u/{token}");
        assert_eq!(
            app.client.get(app.url(&page)).send().await.unwrap().status(),
            StatusCode::OK
        );

        app.store.close().await;
        let shown = app.client.get(app.url(&page)).send().await.unwrap();
        assert_eq!(shown.status(), StatusCode::SERVICE_UNAVAILABLE, "{}", db.name());
        assert!(shown.headers().contains_key("retry-after"));
        assert!(!shown.text().await.unwrap().contains("not valid"));
        let one_click = app
            .client
            .post(app.url(&page))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(one_click.status(), StatusCode::SERVICE_UNAVAILABLE, "{}", db.name());
        assert!(one_click.headers().contains_key("retry-after"));
        let api = app.get("/api/v1/briefs", &app.coordinator).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE, "{}", db.name());
        assert!(api.headers().contains_key("retry-after"));
        let (_, body) = json_of(api).await;
        assert_eq!(body["error"]["code"], "unavailable");
        let health = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE, "{}", db.name());
        app.shutdown.cancel();
    }
}
