//! Briefs through the API on every backend: lifecycle, approval rules, problems and previews.

use crate::common;

use briefcast::access::Actor;
use briefcast::brief::BriefStatus;
use briefcast::ids::BriefId;
use common::{TestApp, json_of, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
const BOIL_WATER: &str = include_str!("../fixtures/briefs/boil-water-urgent.toml");

async fn add(app: &TestApp, token: &str, toml: &str) -> (StatusCode, Value) {
    json_of(
        app.post("/api/v1/briefs", token)
            .header("content-type", "application/toml")
            .body(toml.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn approve(app: &TestApp, token: &str, id: i64) -> (StatusCode, Value) {
    json_of(
        app.post(&format!("/api/v1/briefs/{id}/approve"), token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

each_backend! {
    async fn a_brief_is_added_by_a_coordinator_and_approved_by_someone_else(b) {
        let app = spawn_app(&b).await;
        let (status, added) = add(&app, &app.coordinator, STORM).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {added}", b.name);
        assert_eq!(added["status"], "draft");
        assert_eq!(added["problems"], json!([]));
        assert_eq!(added["brief"]["meta"]["slug"], "storm-72h-preparedness");
        let id = added["id"].as_i64().unwrap();

        let (status, body) = approve(&app, &app.coordinator, id).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a coordinator cannot approve: {body}");
        let (status, body) = approve(&app, &app.ops, id).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

        let (status, approved) = approve(&app, &app.approver, id).await;
        assert_eq!(status, StatusCode::OK, "{approved}");
        assert_eq!(approved["status"], "approved");
        assert!(approved["approved_by"].as_str().unwrap().ends_with(":approver"));

        let (status, again) = approve(&app, &app.approver, id).await;
        assert_eq!(status, StatusCode::CONFLICT, "approving twice: {again}");

        let (_, audit) = json_of(app.get("/api/v1/audit", &app.coordinator).send().await.unwrap()).await;
        let actions: Vec<&str> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(&actions[..2], &["brief.approved", "brief.add"], "{}", b.name);
    }
}

each_backend! {
    async fn the_two_person_rule_stops_an_author_approving_their_own_brief(b) {
        let app = spawn_app(&b).await;
        let (_, added) = add(&app, &app.approver, STORM).await;
        let (status, body) = approve(&app, &app.approver, added["id"].as_i64().unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", b.name);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("someone else must approve it"),
            "{body}"
        );
    }
}

each_backend! {
    async fn editing_an_approved_brief_sends_it_back_to_draft(b) {
        let app = spawn_app(&b).await;
        let (_, added) = add(&app, &app.coordinator, STORM).await;
        let id = added["id"].as_i64().unwrap();
        approve(&app, &app.approver, id).await;
        let edited = STORM.replace("Varaudu myrskyyn", "Varaudu syysmyrskyyn");
        let response = app
            .client
            .put(app.url(&format!("/api/v1/briefs/{id}")))
            .bearer_auth(&app.coordinator)
            .header("content-type", "application/toml")
            .body(edited)
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (body["status"].as_str(), body["approved_by"].clone()),
            (Some("draft"), Value::Null),
            "{}",
            b.name
        );
        assert_eq!(
            body["brief"]["fi"]["title"],
            "Varaudu syysmyrskyyn: pärjää kotona 72 tuntia"
        );
    }
}

each_backend! {
    async fn a_withdrawn_brief_cannot_be_approved(b) {
        let app = spawn_app(&b).await;
        let (_, added) = add(&app, &app.coordinator, STORM).await;
        let id = added["id"].as_i64().unwrap();
        let (status, withdrawn) = json_of(
            app.post(&format!("/api/v1/briefs/{id}/withdraw"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, withdrawn["status"].as_str()),
            (StatusCode::OK, Some("withdrawn"))
        );
        let (status, body) = approve(&app, &app.approver, id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {body}", b.name);
        assert_eq!(body["error"]["field"], "status");
    }
}

each_backend! {
    async fn bad_briefs_are_refused_or_held_back_with_every_problem_named(b) {
        let app = spawn_app(&b).await;
        let typo = STORM.replace("[fi.tiktok]\nscript", "[fi.tiktok]\nskript");
        let (status, body) = add(&app, &app.coordinator, &typo).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("skript"), "{body}");
        assert_eq!(body["error"]["field"], "fi.tiktok.skript");
        let (_, list) = json_of(app.get("/api/v1/briefs", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(list["briefs"], json!([]), "{}: nothing stored", b.name);

        let long = STORM.replace(
            "Klarar du 72 timmar utan el? Så förbereder jag mig för stormen",
            &"Ä".repeat(101),
        );
        let long = long.replace("https://72hours.fi/", "ftp://72hours.fi/");
        let (status, body) = add(&app, &app.coordinator, &long).await;
        assert_eq!(status, StatusCode::CREATED, "kept as a draft to fix: {body}");
        let problems: Vec<String> = body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}: {}: {}",
                    p["language"].as_str().unwrap_or("-"),
                    p["field"].as_str().unwrap(),
                    p["rule"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("sv: youtube.title: 101 characters")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("en: facts[0].source")),
            "{problems:?}"
        );
        let (status, refused) = approve(&app, &app.approver, body["id"].as_i64().unwrap()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused["error"]["message"].as_str().unwrap().contains("2 problem(s)"),
            "{refused}"
        );
    }
}

each_backend! {
    async fn previews_show_each_language_and_what_is_held(b) {
        let app = spawn_app(&b).await;
        let (_, storm) = add(&app, &app.coordinator, STORM).await;
        let (_, boil) = add(&app, &app.coordinator, BOIL_WATER).await;
        let storm = storm["id"].as_i64().unwrap();
        let boil = boil["id"].as_i64().unwrap();

        let html = app
            .get(
                &format!("/api/v1/briefs/{storm}/preview?lang=sv&format=html"),
                &app.coordinator,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(html.status(), StatusCode::OK);
        assert!(
            html.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = html.text().await.unwrap();
        assert!(html.contains("lang=\"sv\""), "{html}");
        assert!(html.contains("Förbered dig på stormen"));
        let document = scraper::Html::parse_document(&html);
        let links: Vec<&str> = document
            .select(&scraper::Selector::parse("a[href]").unwrap())
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(links.contains(&"https://72timmar.fi/"), "{links:?}");

        let text = app
            .get(
                &format!("/api/v1/briefs/{storm}/preview?lang=fi&format=text"),
                &app.coordinator,
            )
            .send()
            .await
            .unwrap();
        let text = text.text().await.unwrap();
        assert!(text.contains("Varaudu myrskyyn: pärjää kotona 72 tuntia"), "{text}");

        // The deployment holds briefs from readers whose language is missing (the default).
        let (status, held) = json_of(
            app.get(
                &format!("/api/v1/briefs/{boil}/preview?lang=en&format=html"),
                &app.coordinator,
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {held}", b.name);
        assert_eq!(held["error"]["code"], "held");
        let (_, json) = json_of(
            app.get(&format!("/api/v1/briefs/{boil}/preview?lang=en"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert!(
            json["held"]
                .as_str()
                .unwrap()
                .contains("boil-water-advisory-north-savo"),
            "{json}"
        );

        let (status, body) = json_of(
            app.get(&format!("/api/v1/briefs/{storm}/preview?lang=de"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("lang"))
        );
    }
}

each_backend! {
    async fn a_sent_brief_is_corrected_by_a_new_version_that_supersedes_it(b) {
        let app = spawn_app(&b).await;
        let (_, added) = add(&app, &app.coordinator, STORM).await;
        let id = added["id"].as_i64().unwrap();
        let correction = STORM.replace("noin vuorokauden", "noin kaksi vuorokautta");
        let correct = |token: &str| {
            app.post(&format!("/api/v1/briefs/{id}/correct"), token)
                .header("content-type", "application/toml")
                .body(correction.clone())
                .send()
        };
        let (status, body) = json_of(correct(&app.coordinator).await.unwrap()).await;
        assert_eq!(status, StatusCode::CONFLICT, "only a sent brief is corrected: {body}");

        approve(&app, &app.approver, id).await;
        // The dispatcher moves a brief to queued and sent; here the store stands in for it.
        let dispatcher = Actor("dispatcher".into());
        b.store
            .transition_brief(
                BriefId(id),
                BriefStatus::Approved,
                BriefStatus::Queued,
                &dispatcher,
                common::now(),
            )
            .await
            .unwrap();
        b.store
            .transition_brief(BriefId(id), BriefStatus::Queued, BriefStatus::Sent, &dispatcher, common::now())
            .await
            .unwrap();

        let (status, corrected) = json_of(correct(&app.coordinator).await.unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {corrected}", b.name);
        assert_eq!(corrected["version"], 2);
        assert_eq!(corrected["supersedes_id"], id);
        assert_eq!(corrected["status"], "draft");
        assert_eq!(corrected["brief"]["meta"]["supersedes"], "storm-72h-preparedness");
    }
}

each_backend! {
    async fn a_brief_past_its_expiry_shows_as_expired_and_cannot_be_approved(b) {
        let app = spawn_app(&b).await;
        let (_, added) = add(&app, &app.coordinator, STORM).await;
        let id = added["id"].as_i64().unwrap();
        app.clock.set(
            chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00+02:00")
                .unwrap()
                .to_utc(),
        );
        let (_, shown) = json_of(
            app.get(&format!("/api/v1/briefs/{id}"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(shown["status"], "expired", "{}", b.name);
        let (status, body) = approve(&app, &app.approver, id).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("expired"), "{body}");
        let (_, list) = json_of(
            app.get("/api/v1/briefs?status=expired", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(list["briefs"].as_array().unwrap().len(), 1);
    }
}
