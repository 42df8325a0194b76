//! Protecting the sender: an edition whose readers' servers refuse it stops itself, says why,
//! and goes on only on an approver's word, after which it is judged afresh.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{self, TestApp, eventually_async, json_of, spawn_app_with, spawn_refusing_smtp_peer};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
const ROSTER: &str = include_str!("../fixtures/rosters/influencers-sample.csv");

async fn edition(app: &TestApp, id: i64) -> Value {
    let (status, body) = json_of(
        app.get(&format!("/api/v1/editions/{id}"), &app.ops)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn protect_entries(app: &TestApp) -> usize {
    let (_, body) = json_of(app.get("/api/v1/audit", &app.approver).send().await.unwrap()).await;
    body.as_array()
        .or_else(|| body["entries"].as_array())
        .map_or(0, |entries| {
            entries.iter().filter(|e| e["action"] == "edition.protect").count()
        })
}

/// A daemon whose mail server refuses every recipient with `code` and `text`, the sample roster,
/// and an urgent brief approved, which flashes it at once: edition 1. Batches are small, so that
/// a storm is seen long before the list is done.
async fn flash_into_refusals(b: &common::Backend, code: u16, text: &str, lines: &[(&str, &str)]) -> TestApp {
    let peer = spawn_refusing_smtp_peer(code, text);
    let mut settings = vec![
        ("BRIEFCAST_SMTP_URL", peer.as_str()),
        ("BRIEFCAST_DISPATCH_BATCH", "2"),
        ("BRIEFCAST_DISPATCH_CONCURRENCY", "2"),
    ];
    settings.extend_from_slice(lines);
    let app = spawn_app_with(b, &settings).await;
    let import = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(ROSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::OK);
    let urgent =
        common::brief_valid_at(STORM, common::now()).replacen("priority = \"routine\"", "priority = \"urgent\"", 1);
    app.submit_and_approve("/api/v1/briefs", &urgent).await;
    app
}

/// The edition once it has paused itself, with its reason.
async fn paused_by_the_guard(app: &TestApp, id: i64) -> Value {
    eventually_async("the edition to pause itself", || async {
        let shown = edition(app, id).await;
        (shown["edition"]["status"] == "paused" && !shown["edition"]["paused_reason"].is_null()).then_some(shown)
    })
    .await
}

each_backend! {
    async fn a_bounce_storm_pauses_an_edition_until_an_approver_resumes_it(b) {
        let lines = [("BRIEFCAST_PAUSE_BOUNCE_PERCENT", "20"), ("BRIEFCAST_PAUSE_BOUNCE_SAMPLE", "10")];
        let app = flash_into_refusals(&b, 550, "5.1.1 <{to}>: Recipient address rejected: User unknown", &lines).await;
        let id = 1;
        let paused = paused_by_the_guard(&app, id).await;
        let reason = &paused["edition"]["paused_reason"];
        assert_eq!(reason["kind"], "hard_bounces", "{}: {paused}", b.name);
        assert!(reason["bounced"].as_u64().unwrap() > 2, "{}: past 20% of 10: {reason}", b.name);
        let queued = paused["progress"]["by_status"]["queued"].as_u64().unwrap_or(0);
        assert!(queued > 0, "{}: stopped before the list was done: {paused}", b.name);
        assert_eq!(protect_entries(&app).await, 1, "{}: on the record", b.name);

        // Only an approver resumes what the guard paused.
        let refused = app.post(&format!("/api/v1/editions/{id}/resume"), &app.coordinator).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{}", b.name);
        assert_eq!(edition(&app, id).await["edition"]["status"], "paused");
        // The approver decides a second later; the guard then judges only what comes after.
        app.clock.advance(chrono::TimeDelta::seconds(1));
        let (status, body) = json_of(app.post(&format!("/api/v1/editions/{id}/resume"), &app.approver).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", b.name);
        let again = paused_by_the_guard(&app, id).await;
        assert_eq!(again["edition"]["paused_reason"]["kind"], "hard_bounces", "{}", b.name);
        assert_eq!(protect_entries(&app).await, 2, "{}", b.name);
    }
}

each_backend! {
    async fn policy_refusals_in_a_row_pause_an_edition_with_the_servers_words(b) {
        let lines = [("BRIEFCAST_PAUSE_BOUNCE_PERCENT", "0"), ("BRIEFCAST_PAUSE_POLICY_REFUSALS", "3")];
        let text = "5.7.1 Service unavailable; client host blocked using a blocklist";
        let app = flash_into_refusals(&b, 554, text, &lines).await;
        let paused = paused_by_the_guard(&app, 1).await;
        let reason = &paused["edition"]["paused_reason"];
        assert_eq!(reason["kind"], "policy_refusals", "{}: {paused}", b.name);
        assert_eq!(reason["in_row"], 3);
        assert!(reason["response"].as_str().unwrap().contains("5.7.1"), "{}: {reason}", b.name);
    }
}
