//! The question log over HTTP, on every backend: the webhook, the workflow, search, export and
//! the "you asked" answers.

use crate::common;
use crate::common::intake_seed;

use common::{TestApp, spawn_app};
use intake_seed::fixture;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn inbound(app: &TestApp, raw: &[u8]) -> (StatusCode, Value) {
    let response = app
        .post("/api/v1/inbound", &app.ops)
        .body(raw.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn question_of(app: &TestApp, name: &str) -> i64 {
    let (status, body) = inbound(app, &fixture(name)).await;
    assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
    body["question"]
        .as_i64()
        .unwrap_or_else(|| panic!("{name} is a question: {body}"))
}

async fn act(app: &TestApp, id: i64, action: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .post(&format!("/api/v1/questions/{id}/{action}"), &app.coordinator)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn get(app: &TestApp, path: &str) -> Value {
    let response = app.get(path, &app.coordinator).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

each_backend! {
    seeded
    async fn the_webhook_needs_an_ops_token_and_takes_each_message_once(db) {
        db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let raw = fixture("15-no-token-in-reply-to");
        let anonymous = app
            .client
            .post(app.url("/api/v1/inbound"))
            .body(raw.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let body: Value = anonymous.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
        let coordinator = app
            .post("/api/v1/inbound", &app.coordinator)
            .body(raw.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(coordinator.status(), StatusCode::FORBIDDEN);
        let empty = app.post("/api/v1/inbound", &app.ops).body("").send().await.unwrap();
        assert_eq!(empty.status(), StatusCode::BAD_REQUEST);

        let (status, first) = inbound(&app, &raw).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(
            (first["kind"].as_str(), first["new"].as_bool()),
            (Some("question"), Some(true))
        );
        assert!(first["note"].as_str().unwrap().contains("Message-ID"), "{first}");
        assert!(
            !first.to_string().contains("anna.lehto"),
            "no personal data for the ops token: {first}"
        );
        // A provider retrying the same post: same reply, nothing logged twice.
        let (status, again) = inbound(&app, &raw).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (again["reply"].clone(), again["new"].clone()),
            (first["reply"].clone(), json!(false))
        );
        let list = get(&app, "/api/v1/questions").await;
        assert_eq!(list["count"], 1, "{}", app.backend);

        let (status, auto) = inbound(&app, &fixture("03-autoreply-fi-header")).await;
        assert_eq!(
            (status, auto["kind"].as_str(), auto["question"].clone()),
            (StatusCode::CREATED, Some("auto_reply"), Value::Null)
        );
        app.shutdown.cancel();
    }
}

each_backend! {
    seeded
    async fn a_question_moves_from_new_to_answered_with_who_and_when_audited(db) {
        db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let id = question_of(&app, "02-outlook-sv-html").await;
        let ops = app
            .post(&format!("/api/v1/questions/{id}/triage"), &app.ops)
            .send()
            .await
            .unwrap();
        assert_eq!(ops.status(), StatusCode::FORBIDDEN, "ops do not work the question log");

        let (status, body) = act(&app, id, "answer", json!({})).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("answer"))
        );
        let (status, body) = act(&app, id, "triage", json!({})).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (StatusCode::OK, Some("triaged")),
            "{body}"
        );
        let (status, body) = act(&app, id, "triage", json!({})).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("status")),
            "{body}"
        );
        let (status, body) = act(&app, id, "forward", json!({ "authority": "Ruokavirasto" })).await;
        assert_eq!(
            (status, body["authority"].as_str()),
            (StatusCode::OK, Some("Ruokavirasto")),
            "{body}"
        );
        let (status, body) = act(
            &app,
            id,
            "answer",
            json!({ "text": "Ja, räkna med husdjuren.", "url": "https://example.fi/video/72h" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (body["status"].as_str(), body["answer_url"].as_str()),
            (Some("answered"), Some("https://example.fi/video/72h"))
        );
        let (status, _) = act(&app, id, "dismiss", json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "answered is final");

        let audit = get(&app, "/api/v1/audit").await;
        let actions: Vec<(String, String)> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["subject"] == format!("question:{id}"))
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["actor"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            actions.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
            ["question.answer", "question.forward", "question.triage"]
        );
        assert!(
            actions.iter().all(|(_, actor)| actor.ends_with(":coordinator")),
            "{actions:?}"
        );

        let missing = app
            .post("/api/v1/questions/999999/triage", &app.coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let bad = app.get("/api/v1/questions/abc", &app.coordinator).send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let body: Value = bad.json().await.unwrap();
        assert_eq!(body["error"]["field"], "id");
        app.shutdown.cancel();
    }
}

each_backend! {
    seeded
    async fn the_log_filters_searches_tags_and_groups_by_brief(db) {
        let seeded = db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let cash = question_of(&app, "01-plain-fi-quoted").await;
        let generator = question_of(&app, "07-outlook-fi-header-block").await;
        let water = question_of(&app, "12-android-fi-signature").await;
        let alerts = question_of(&app, "19-unsubscribe-subject-but-question").await;
        let unknown = question_of(&app, "16-no-token-sender-only").await;

        // Case-insensitive beyond ASCII: "PITÄÄKÖ" finds "pitääkö"; `%` is no wildcard.
        let found = get(&app, "/api/v1/questions?search=PIT%C3%84%C3%84K%C3%96").await;
        let ids: Vec<i64> = found["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [cash], "{}", app.backend);
        assert_eq!(get(&app, "/api/v1/questions?search=%25").await["count"], 0);

        let (status, body) = act(&app, water, "tags", json!({ "add": ["Vesi", "kotivara"] })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["tags"], json!(["kotivara", "vesi"]));
        act(&app, cash, "tags", json!({ "add": ["kotivara"] })).await;
        act(&app, water, "tags", json!({ "remove": ["kotivara"] })).await;
        let tagged = get(&app, "/api/v1/questions?tag=kotivara").await;
        assert_eq!(tagged["questions"][0]["id"], cash);
        assert_eq!(tagged["count"], 1);
        let (status, body) = act(&app, cash, "tags", json!({ "add": ["no;pe"] })).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("add"))
        );

        act(
            &app,
            generator,
            "dismiss",
            json!({ "reason": "asked and answered on TV" }),
        )
        .await;
        assert_eq!(
            get(&app, "/api/v1/questions?status=dismissed").await["questions"][0]["id"],
            generator
        );
        assert_eq!(
            get(&app, &format!("/api/v1/questions?brief={}", seeded.lead_brief)).await["questions"][0]["id"],
            alerts
        );
        assert_eq!(get(&app, "/api/v1/questions?language=en").await["count"], 4);
        let bad = app
            .get("/api/v1/questions?status=closed", &app.coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

        // Most asked first: storm (3), then the lead story (1), then unlinked (1).
        let groups = get(&app, "/api/v1/questions/by-brief").await;
        let groups = groups["briefs"].as_array().unwrap();
        assert_eq!(groups[0]["brief_id"], seeded.storm_brief.0);
        assert_eq!(
            (
                groups[0]["total"].as_i64(),
                groups[0]["open"].as_i64(),
                groups[0]["dismissed"].as_i64()
            ),
            (Some(3), Some(2), Some(1))
        );
        assert_eq!(groups[0]["brief_slug"], "storm");
        assert_eq!(groups.len(), 3);

        // The unmatched question, assigned by a coordinator.
        let unmatched = get(&app, "/api/v1/questions?unmatched=true").await;
        assert_eq!(unmatched["questions"][0]["id"], unknown);
        let (status, body) = act(
            &app,
            unknown,
            "assign",
            json!({ "influencer": "Aino.Virtanen@example.com", "edition": seeded.edition }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (body["influencer_email"].as_str(), body["edition_id"].as_i64()),
            (Some("aino.virtanen@example.com"), Some(seeded.edition.0))
        );
        assert_eq!(get(&app, "/api/v1/questions?unmatched=true").await["count"], 0);
        let (status, _) = act(&app, unknown, "assign", json!({ "influencer": "nobody@example.com" })).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let shown = get(&app, &format!("/api/v1/questions/{water}?raw=true")).await;
        assert_eq!(shown["reply"]["channel"], "webhook");
        assert!(shown["raw"].as_str().unwrap().contains("Message-ID:"), "{shown}");
        assert!(
            get(&app, &format!("/api/v1/questions/{water}"))
                .await
                .get("raw")
                .is_none()
        );
        app.shutdown.cancel();
    }
}

each_backend! {
    seeded
    async fn the_csv_export_names_nobody_who_did_not_agree(db) {
        db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let anonymous = question_of(&app, "08-latin1-qp-fi-signature").await;
        let named = question_of(&app, "21-bottom-posted-en").await;
        act(&app, named, "consent", json!({ "may_name": true })).await;
        act(&app, anonymous, "forward", json!({ "authority": "Fimea" })).await;
        let response = app
            .get("/api/v1/questions/export?format=csv", &app.coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = response.text().await.unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, briefcast::questions::CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let row = |id: i64| rows.iter().find(|r| r[0] == id.to_string()).unwrap().clone();
        assert_eq!(
            (&row(anonymous)[5], &row(anonymous)[6], &row(anonymous)[10]),
            ("forwarded", "Fimea", "")
        );
        assert!(row(anonymous)[7].contains("jääkaapissa"), "{:?}", row(anonymous));
        assert_eq!(&row(named)[10], "Priya Nair");
        assert!(!text.contains("@example"), "no addresses in the export:\n{text}");
        let other = app
            .get("/api/v1/questions/export?format=xlsx", &app.coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::BAD_REQUEST);
        app.shutdown.cancel();
    }
}

each_backend! {
    seeded
    async fn answered_questions_wait_for_the_next_edition_once(db) {
        let seeded = db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let first = question_of(&app, "06-gmail-en-wrapped-attribution").await;
        let second = question_of(&app, "10-base64-en-dash-signature").await;
        let open = question_of(&app, "21-bottom-posted-en").await;
        act(
            &app,
            first,
            "answer",
            json!({ "text": "Boil it for a day after the outage." }),
        )
        .await;
        act(&app, second, "consent", json!({ "may_name": true })).await;
        act(&app, second, "answer", json!({ "url": "https://example.fi/map" })).await;

        let answers = get(&app, "/api/v1/questions/you-asked?language=en").await;
        let answers = answers["answers"].as_array().unwrap().clone();
        assert_eq!(answers.len(), 2, "{answers:?}");
        assert_eq!(answers[0]["question_id"], first);
        assert_eq!(answers[0]["asked_by"], Value::Null, "not named without consent");
        assert_eq!(answers[0]["answer"], "Boil it for a day after the outage.");
        assert_eq!(answers[1]["asked_by"], "Priya Nair");
        assert_eq!(answers[1]["brief_id"], seeded.storm_brief.0);
        assert!(!answers.iter().any(|a| a["question_id"] == open));
        assert_eq!(
            get(&app, "/api/v1/questions/you-asked?language=fi").await["answers"],
            json!([])
        );

        // The pack renderer's edition carried the first one.
        let marked = app
            .store
            .mark_answers_published(
                &[briefcast::ids::QuestionId(first), briefcast::ids::QuestionId(open)],
                seeded.edition,
                common::now(),
            )
            .await
            .unwrap();
        assert_eq!(marked, 1, "only answered questions are published");
        let left = get(&app, "/api/v1/questions/you-asked").await;
        assert_eq!(left["answers"].as_array().unwrap().len(), 1);
        assert_eq!(left["answers"][0]["question_id"], second);
        app.shutdown.cancel();
    }
}

each_backend! {
    seeded
    /// One 20 MB reply becomes a question of a few pages; the raw message keeps the whole of it,
    /// and listing the log stays a listing of short rows.
    async fn a_huge_reply_is_logged_as_a_question_of_a_few_pages(b) {
        let app = spawn_app(&b.backend).await;
        let mut raw = String::from(
            "From: Aino <aino.virtanen@example.com>\r\nTo: questions@example.fi\r\nSubject: Kysymys\r\n\
             Message-ID: <huge@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
        );
        for _ in 0..250_000 {
            raw.push_str("Pitääkö kotivarassa olla myös käteistä rahaa? Entä paristoja ja vettä?\r\n");
        }
        assert!(raw.len() > 18_000_000);
        let (status, body) = inbound(&app, raw.as_bytes()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["question"].as_i64().expect("a question");
        let (status, list) = json_of_get(&app, "/api/v1/questions?limit=1").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let text = list["questions"][0]["text"].as_str().unwrap();
        assert!(text.chars().count() <= 10_004, "{} chars", text.chars().count());
        assert!(text.ends_with("[…]"));
        assert_eq!(list["questions"][0]["id"], id);
    }
}

async fn json_of_get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.get(path, &app.coordinator).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

each_backend! {
    seeded
    async fn a_question_is_handed_to_a_colleague_and_taken_back(db) {
        db.seed_edition().await;
        let app = spawn_app(&db.backend).await;
        let id = question_of(&app, "02-outlook-sv-html").await;
        common::add_person(
            &app,
            "pekka@example.fi",
            "Pekka Puhemies",
            briefcast::access::Role::Coordinator,
            briefcast::language::Language::Fi,
        )
        .await;
        common::add_person(
            &app,
            "olli@example.fi",
            "Olli Operaattori",
            briefcast::access::Role::Ops,
            briefcast::language::Language::Fi,
        )
        .await;

        let (status, handed) = act(&app, id, "hand", json!({ "colleague": "pekka@example.fi" })).await;
        assert_eq!(status, StatusCode::OK, "{handed}");
        assert_eq!(handed["assignee"], "Pekka Puhemies");
        // Ops do not work questions, so a question is not theirs to hold.
        let (status, refused) = act(&app, id, "hand", json!({ "colleague": "olli@example.fi" })).await;
        assert_eq!(
            (status, refused["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("colleague")),
            "{refused}"
        );
        assert_eq!(get(&app, &format!("/api/v1/questions/{id}")).await["question"]["assignee"], "Pekka Puhemies");
        let (status, back) = act(&app, id, "hand", json!({ "colleague": null })).await;
        assert_eq!(status, StatusCode::OK, "{back}");
        assert!(back["assignee"].is_null(), "{back}");
    }
}
