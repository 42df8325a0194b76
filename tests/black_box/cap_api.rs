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
