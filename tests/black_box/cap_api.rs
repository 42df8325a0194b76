//! CAP alerts through the API: an alert posted as `application/cap+xml` becomes a draft that
//! keeps the alert's identity; an exercise is stored and shown, and never approved.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{TestApp, json_of, spawn_app};

const ALERT: &str = include_str!("../fixtures/cap/01-wind-alert.xml");
const EXERCISE: &str = include_str!("../fixtures/cap/04-exercise.xml");

async fn post_cap(app: &TestApp, xml: &str) -> (StatusCode, Value) {
    json_of(
        app.post("/api/v1/briefs", &app.coordinator)
            .header("content-type", "application/cap+xml")
            .body(xml.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await
}

each_backend! {
    async fn an_alert_becomes_a_draft_and_an_exercise_is_never_approved(b) {
        let app = spawn_app(&b).await;
        let (status, alert) = post_cap(&app, ALERT).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {alert}", b.name);
        assert_eq!(alert["status"], "draft");
        assert_eq!(alert["brief"]["meta"]["cap"]["identifier"], "urn:oid:2.49.0.1.246.0.0.2026.1201.0801.wind.1");
        assert_eq!(alert["brief"]["sv"]["title"], "Orange vindvarning: kraftiga vindbyar i Nyland");

        let (status, exercise) = post_cap(&app, EXERCISE).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {exercise}", b.name);
        assert_eq!(exercise["brief"]["meta"]["cap"]["status"], "Exercise");
        let id = exercise["id"].as_i64().unwrap();
        let (status, refused) =
            json_of(app.post(&format!("/api/v1/briefs/{id}/approve"), &app.approver).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {refused}", b.name);
        assert!(
            refused["error"]["message"].as_str().unwrap().contains("only Actual alerts ever lead to a send"),
            "{refused}"
        );

        let (status, broken) = post_cap(&app, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier></alert>").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {broken}", b.name);
        assert!(broken["error"]["message"].as_str().unwrap().contains("<sender>"), "{broken}");
        let (_, listed) = json_of(app.get("/api/v1/briefs", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(listed["briefs"].as_array().map(Vec::len), Some(2), "{}: nothing of the broken one is stored", b.name);
    }
}

const UPDATE: &str = include_str!("../fixtures/cap/02-wind-update.xml");
const CANCEL: &str = include_str!("../fixtures/cap/03-wind-cancel.xml");

/// The fixture with its times moved around the test clock (2026-11-21 08:00 UTC): in effect an
/// hour ago, expiring in a week.
fn current(xml: &str) -> String {
    xml.replace(
        "<effective>2026-12-01T08:01:00+02:00</effective>",
        "<effective>2026-11-21T09:00:00+02:00</effective>",
    )
    .replace(
        "<expires>2026-12-03T12:00:00+02:00</expires>",
        "<expires>2026-11-28T12:00:00+02:00</expires>",
    )
}

async fn brief(app: &TestApp, id: i64) -> Value {
    json_of(
        app.get(&format!("/api/v1/briefs/{id}"), &app.coordinator)
            .send()
            .await
            .unwrap(),
    )
    .await
    .1
}

each_backend! {
    async fn an_update_replaces_an_unsent_warning_and_a_cancel_withdraws_it(b) {
        let app = spawn_app(&b).await;
        let (_, alert) = post_cap(&app, ALERT).await;
        let first = alert["id"].as_i64().unwrap();
        let (status, update) = post_cap(&app, UPDATE).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {update}", b.name);
        assert_eq!(update["brief"]["meta"]["slug"], alert["brief"]["meta"]["slug"], "the same brief, a new version");
        assert_eq!(update["version"], 2);
        assert_eq!(update["brief"]["fi"]["title"], "Punainen tuulivaroitus: voimakkaita puuskia Uudellamaalla");
        assert!(update["notes"][0].as_str().unwrap().contains("withdrawn"), "{update}");
        assert_eq!(brief(&app, first).await["status"], "withdrawn", "{}", b.name);

        let (status, cancel) = post_cap(&app, CANCEL).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {cancel}", b.name);
        let second = update["id"].as_i64().unwrap();
        assert_eq!(cancel["id"].as_i64(), Some(second), "nothing new to approve: {cancel}");
        assert_eq!(cancel["status"], "withdrawn");
        let (_, listed) = json_of(app.get("/api/v1/briefs", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(listed["briefs"].as_array().map(Vec::len), Some(2), "{}: {listed}", b.name);
    }
}

each_backend! {
    async fn after_the_warning_went_out_an_update_and_a_cancel_become_corrections(b) {
        let (smtp_url, received) = crate::common::spawn_smtp_peer();
        let app = crate::common::spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
        let import = app
            .post("/api/v1/influencers/import", &app.coordinator)
            .body(crate::common::SAMPLE_ROSTER)
            .send()
            .await
            .unwrap();
        assert_eq!(import.status(), StatusCode::OK);
        for (path, body) in [
            ("/api/v1/segments", serde_json::json!({ "name": "daily-readers", "cadences": ["daily"] })),
            (
                "/api/v1/schedules",
                serde_json::json!({ "name": "daily", "cron": "0 9 * * *", "cadence": "daily", "segment": "daily-readers" }),
            ),
        ] {
            let (status, answer) = json_of(app.post(path, &app.coordinator).json(&body).send().await.unwrap()).await;
            assert_eq!(status, StatusCode::CREATED, "{answer}");
        }
        let (_, alert) = post_cap(&app, &current(ALERT)).await;
        let first = alert["id"].as_i64().unwrap();
        let (status, approved) =
            json_of(app.post(&format!("/api/v1/briefs/{first}/approve"), &app.approver).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{}: {approved}", b.name);
        let (status, edition) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&serde_json::json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {edition}", b.name);
        crate::common::eventually("the warning to go out", || !received.lock().unwrap().is_empty()).await;
        crate::common::eventually_async("the brief to be sent", || async {
            (brief(&app, first).await["status"] == "sent").then_some(())
        })
        .await;

        let (_, update) = post_cap(&app, &current(UPDATE)).await;
        assert_eq!(update["supersedes_id"].as_i64(), Some(first), "{}: {update}", b.name);
        assert_eq!(update["brief"]["meta"]["supersedes"], alert["brief"]["meta"]["slug"]);
        assert_eq!(brief(&app, first).await["status"], "sent", "a sent brief stays sent");

        let (_, cancel) = post_cap(&app, &current(CANCEL)).await;
        assert_eq!(cancel["supersedes_id"].as_i64(), Some(first), "{}: {cancel}", b.name);
        assert_eq!(cancel["brief"]["fi"]["title"], "Peruttu: Oranssi tuulivaroitus: voimakkaita puuskia Uudellamaalla");
        assert_eq!(cancel["brief"]["en"]["key_messages"][0], "The warning is cancelled: its advice no longer applies.");
        let update_id = update["id"].as_i64().unwrap();
        assert_eq!(brief(&app, update_id).await["status"], "withdrawn", "the unsent update gives way");
    }
}

each_backend! {
    async fn a_cancel_of_an_alert_never_seen_is_kept_and_said_so(b) {
        let app = spawn_app(&b).await;
        let (status, cancel) = post_cap(&app, CANCEL).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {cancel}", b.name);
        assert_eq!(cancel["status"], "draft");
        assert!(cancel["notes"][0].as_str().unwrap().contains("has not seen"), "{cancel}");
        assert_eq!(
            cancel["brief"]["meta"]["cap"]["references"][0],
            "urn:oid:2.49.0.1.246.0.0.2026.1201.1130.wind.2"
        );
    }
}
