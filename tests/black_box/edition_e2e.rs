//! The whole send, as a coordinator and an influencer see it: roster in, brief approved,
//! edition fired, messages arrive at a real SMTP server, links in them work.

use crate::common;

use std::collections::HashSet;

use common::{SAMPLE_ROSTER, TestApp, eventually, json_of, spawn_app_with, spawn_smtp_peer};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use serde_json::{Value, json};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

/// Roster, a segment of daily readers, the storm brief approved, a daily schedule; the clock
/// past the brief's embargo.
async fn prepare(app: &TestApp) {
    let import = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(SAMPLE_ROSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::OK);
    let segment = json!({ "name": "daily-readers", "cadences": ["daily"] });
    let (status, body) = json_of(
        app.post("/api/v1/segments", &app.coordinator)
            .json(&segment)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.submit_and_approve("/api/v1/briefs", STORM).await;
    let schedule = json!({ "name": "daily", "cron": "0 9 * * *", "cadence": "daily", "segment": "daily-readers" });
    let (status, body) = json_of(
        app.post("/api/v1/schedules", &app.coordinator)
            .json(&schedule)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Past the embargo, and half an hour before the schedule's 09:00 run: the editions these
    // tests send are the ones they ask for, never one the scheduler fires on its own meanwhile.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-11-23T08:30:00+02:00")
            .unwrap()
            .to_utc(),
    );
}

each_backend! {
    async fn an_edition_reaches_each_daily_reader_once_in_their_language_with_working_links(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(
            &b,
            &[
                ("BRIEFCAST_SMTP_URL", &smtp_url),
                ("BRIEFCAST_REPLY_DOMAIN", "replies.example.fi"),
            ],
        )
        .await;
        prepare(&app).await;

        let (status, edition) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {edition}", b.name);
        // Daily readers in the sample roster: aino, jukka, sara, ville, noora, kalle.
        assert_eq!(edition["recipients"], 6, "{edition}");

        eventually("six messages at the SMTP peer", || received.lock().unwrap().len() >= 6).await;
        let messages = received.lock().unwrap().clone();
        assert_eq!(messages.len(), 6, "{}: one message per recipient", b.name);
        let recipients: HashSet<String> = messages.iter().map(|m| m.rcpt_to.join(",")).collect();
        assert_eq!(recipients.len(), 6, "no recipient twice: {recipients:?}");

        let mut tokens = Vec::new();
        let mut web_versions = Vec::new();
        for m in &messages {
            let parsed = MessageParser::default().parse(&m.bytes).expect("a parseable message");
            let to = &m.rcpt_to[0];
            let language = match to.as_str() {
                "sara.oberg@example.com" | "kalle.lindqvist@example.com" => "sv",
                _ => "fi",
            };
            let header = |name: &str| {
                parsed
                    .header_raw(name)
                    .map(|h| h.trim().to_string())
                    .unwrap_or_default()
            };
            assert_eq!(header("Content-Language"), format!("{language}-FI"), "{to}");
            let subject = parsed.subject().unwrap_or_default();
            match language {
                "sv" => assert!(subject.contains("Förbered dig på stormen"), "{to}: {subject}"),
                _ => assert!(subject.contains("Varaudu myrskyyn"), "{to}: {subject}"),
            }
            assert!(!header("Message-ID").is_empty());
            assert_eq!(header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
            let unsubscribe = header("List-Unsubscribe");
            assert!(
                unsubscribe.contains("/u/") && unsubscribe.contains("mailto:unsubscribe+"),
                "{unsubscribe}"
            );
            let reply_to = parsed
                .reply_to()
                .and_then(|r| r.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string();
            assert!(
                reply_to.starts_with("questions+") && reply_to.ends_with("@replies.example.fi"),
                "{reply_to}"
            );
            assert!(!header("List-Id").is_empty());
            let text = parsed.body_text(0).unwrap_or_default();
            assert!(text.contains("72"), "{to}: the text part carries the brief");
            if to == "sara.oberg@example.com" {
                // Sara posts on TikTok alone: her script first, the rest folded below it.
                let tiktok = text.find("Manus för TikTok").expect("the TikTok script");
                let also = text.find("Även för Instagram, YouTube").expect("the others, folded");
                assert!(tiktok < also, "{text}");
                web_versions.push(text.to_string());
            }
            let link = unsubscribe
                .split('<')
                .nth(1)
                .unwrap()
                .split('>')
                .next()
                .unwrap()
                .to_string();
            tokens.push((to.clone(), language, link));
        }

        // Every delivery is recorded as sent, with the Message-ID that went out. The outcomes of a
        // batch are recorded after its last send, so the log may trail the peer for a moment.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let (_, log) = json_of(
                app.get("/api/v1/deliveries?status=sent", &app.ops)
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            let sent = log["deliveries"].as_array().cloned().unwrap_or_default();
            if sent.len() == 6 {
                assert!(
                    sent.iter()
                        .all(|d| d["message_id"].as_str().is_some_and(|m| !m.is_empty())),
                    "{log}"
                );
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{}: the log never showed six sent: {log}",
                b.name
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }

        // The web version each brief links to is its public pack page, in the reader's language.
        let text = web_versions.first().expect("Sara's message");
        let link = text
            .lines()
            .find_map(|l| l.strip_prefix("Öppna paketet på webben: texter att kopiera och bevis på att det är äkta: "))
            .expect("a link to the web version")
            .trim()
            .to_string();
        assert!(link.starts_with(&app.url("/p/")) && link.ends_with("/sv"), "{link}");
        let page = app.client.get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("Förbered dig på stormen"));

        // The link in a message opens the reader's page in their language, and one-click
        // (RFC 8058: a POST, no cookies) unsubscribes them.
        let (to, language, link) = tokens.iter().find(|(_, l, _)| *l == "sv").unwrap().clone();
        let page = app.client.get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains(&format!("lang=\"{language}\"")) && html.contains("Din prenumeration"),
            "{html}"
        );
        let one_click = app
            .client
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(one_click.status(), StatusCode::OK);
        assert!(
            one_click
                .text()
                .await
                .unwrap()
                .contains("Din prenumeration har avslutats")
        );
        let (_, shown) = json_of(
            app.get(&format!("/api/v1/influencers/{to}"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(shown["suppressed"], "unsubscribed", "{shown}");

        let tampered = link.replace("/u/", "/u/x");
        let page = app.client.get(&tampered).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("This link is not valid") && !html.contains(&to),
            "reveals nothing: {html}"
        );
    }
}

/// The https link of a message's `List-Unsubscribe`: the reader's page.
fn unsubscribe_link(message: &common::Received) -> String {
    let parsed = MessageParser::default().parse(&message.bytes).unwrap();
    let header = parsed.header_raw("List-Unsubscribe").unwrap().trim().to_string();
    header.split('<').nth(1).unwrap().split('>').next().unwrap().to_string()
}

each_backend! {
    async fn a_reader_changes_language_and_cadence_from_the_link(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        eventually("the edition", || received.lock().unwrap().len() >= 6).await;
        let message = received
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.rcpt_to[0] == "aino.virtanen@example.com")
            .cloned()
            .unwrap();
        let link = unsubscribe_link(&message);

        // A bad choice changes nothing and says so in the reader's language; it never unsubscribes.
        for bad in ["language=de&cadence=weekly", "cadence=daily", "", "language=sv", "x=1"] {
            let refused = app
                .client
                .post(&link)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(bad)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad:?}");
            let html = refused.text().await.unwrap();
            assert!(
                html.contains("lang=\"fi\"") && html.contains("Valinta ei kelpaa"),
                "{bad:?}: {html}"
            );
        }
        let (_, aino) = json_of(
            app.get("/api/v1/influencers/aino.virtanen@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(aino["suppressed"], Value::Null, "{}: {aino}", b.name);
        assert_eq!(aino["language"], "fi");

        let saved = app
            .client
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("language=en&cadence=weekly")
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        let html = saved.text().await.unwrap();
        assert!(
            html.contains("lang=\"en\"") && html.contains("Your changes are saved"),
            "{html}"
        );
        let (_, aino) = json_of(
            app.get("/api/v1/influencers/aino.virtanen@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (aino["language"].as_str(), aino["cadence"].as_str()),
            (Some("en"), Some("weekly")),
            "{}",
            b.name
        );
        assert_eq!(aino["suppressed"], Value::Null);

        // The page's own button unsubscribes, audited like a preference change.
        let left = app
            .client
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click&via=page")
            .send()
            .await
            .unwrap();
        assert_eq!(left.status(), StatusCode::OK);
        assert!(left.text().await.unwrap().contains("You are unsubscribed"));
        let (_, audit) = json_of(app.get("/api/v1/audit", &app.coordinator).send().await.unwrap()).await;
        let entries = audit["entries"].as_array().unwrap();
        let unsubscribed = entries
            .iter()
            .find(|e| e["action"] == "influencer.unsubscribe")
            .unwrap_or_else(|| panic!("{}: {audit}", b.name));
        assert!(
            unsubscribed["actor"]
                .as_str()
                .unwrap()
                .starts_with("subscriber:delivery:")
        );
        assert!(
            unsubscribed["detail"].to_string().contains("subscription page"),
            "{unsubscribed}"
        );
        assert!(entries.iter().any(|e| e["action"] == "influencer.preferences"));
    }
}

each_backend! {
    /// RFC 8058 lets the mailbox provider send its one-click POST as multipart/form-data too.
    async fn one_click_unsubscribe_works_as_multipart_form_data(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        eventually("the edition", || received.lock().unwrap().len() >= 6).await;
        let message = received.lock().unwrap()[0].clone();
        let link = unsubscribe_link(&message);
        let body = "--b0undary\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b0undary--\r\n";
        let left = app
            .client
            .post(&link)
            .header("content-type", "multipart/form-data; boundary=b0undary")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(left.status(), StatusCode::OK, "{}", b.name);
        let (_, person) = json_of(
            app.get(&format!("/api/v1/influencers/{}", message.rcpt_to[0]), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(person["suppressed"], "unsubscribed", "{}: {person}", b.name);
    }
}

const BOIL_WATER: &str = include_str!("../fixtures/briefs/boil-water-urgent.toml");

/// Approving the urgent boil-water brief (Finnish and Swedish only) sends it at once; returns
/// what the peer received once every delivery has settled, and the delivery log.
async fn approve_urgent_and_collect(
    app: &TestApp,
    received: &std::sync::Arc<std::sync::Mutex<Vec<common::Received>>>,
) -> (Vec<common::Received>, Value) {
    let import = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(SAMPLE_ROSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::OK);
    app.submit_and_approve("/api/v1/briefs", BOIL_WATER).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (_, log) = json_of(app.get("/api/v1/deliveries?limit=100", &app.ops).send().await.unwrap()).await;
        let deliveries = log["deliveries"].as_array().cloned().unwrap_or_default();
        let settled = deliveries.len() == 17
            && deliveries
                .iter()
                .all(|d| d["status"] == "sent" || d["status"] == "cancelled");
        if settled {
            return (received.lock().unwrap().clone(), log);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the flash edition never settled: {log}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

each_backend! {
    async fn an_urgent_brief_goes_out_on_approval_and_is_held_from_readers_of_a_missing_language(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
        let (messages, log) = approve_urgent_and_collect(&app, &received).await;
        assert_eq!(messages.len(), 14, "{}: the 10 Finnish and 4 Swedish readers", b.name);
        let english = [
            "oliver.smith@example.com",
            "priya.nair@example.org",
            "ines.garcia@example.com",
        ];
        assert!(
            messages.iter().all(|m| !english.contains(&m.rcpt_to[0].as_str())),
            "no English reader got a mix"
        );
        let held: Vec<&Value> = log["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["status"] == "cancelled")
            .collect();
        assert_eq!(held.len(), 3, "{log}");
        assert!(
            held.iter()
                .all(|d| d["language"] == "en" && d["last_response"].as_str().unwrap().starts_with("held:")),
            "{held:?}"
        );
    }
}

each_backend! {
    async fn under_the_fallback_policy_english_readers_get_the_finnish_text_with_a_note(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let settings = [
            ("BRIEFCAST_SMTP_URL", smtp_url.as_str()),
            ("BRIEFCAST_MISSING_LANGUAGE", "fallback"),
            ("BRIEFCAST_FALLBACK_LANGUAGE", "fi"),
        ];
        let app = spawn_app_with(&b, &settings).await;
        let (messages, _) = approve_urgent_and_collect(&app, &received).await;
        assert_eq!(
            messages.len(),
            17,
            "{}: everyone, English readers in the fallback language",
            b.name
        );
        let oliver = messages
            .iter()
            .find(|m| m.rcpt_to[0] == "oliver.smith@example.com")
            .unwrap();
        let parsed = MessageParser::default().parse(&oliver.bytes).unwrap();
        let text = parsed.body_text(0).unwrap_or_default();
        assert!(text.contains("Keittokehotus"), "the Finnish brief text: {text}");
        assert!(text.contains("not yet available"), "with a note in English: {text}");
    }
}

each_backend! {
    async fn a_correction_reaches_exactly_the_readers_of_the_old_version_marked_as_a_correction(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        eventually("the daily edition", || received.lock().unwrap().len() >= 6).await;
        let first: HashSet<String> = received.lock().unwrap().iter().map(|m| m.rcpt_to[0].clone()).collect();

        // The brief went out, so it is sent now, and only a correction can change it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let (_, brief) = json_of(app.get("/api/v1/briefs/1", &app.coordinator).send().await.unwrap()).await;
            if brief["status"] == "sent" {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{}: the brief never became sent: {brief}",
                b.name
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let corrected = STORM
            .replace("noin vuorokauden", "noin kaksi vuorokautta")
            .replace("ungefär ett dygn", "ungefär två dygn");
        app.submit_and_approve("/api/v1/briefs/1/correct", &corrected).await;

        eventually("the correction", || received.lock().unwrap().len() >= 12).await;
        let messages = received.lock().unwrap().clone();
        let corrections = &messages[6..];
        let second: HashSet<String> = corrections.iter().map(|m| m.rcpt_to[0].clone()).collect();
        assert_eq!(second, first, "{}: exactly the readers of the old version", b.name);
        for m in corrections {
            let parsed = MessageParser::default().parse(&m.bytes).unwrap();
            let text = parsed.body_text(0).unwrap_or_default();
            let swedish = ["sara.oberg@example.com", "kalle.lindqvist@example.com"].contains(&m.rcpt_to[0].as_str());
            let fixed = if swedish {
                "ungefär två dygn"
            } else {
                "noin kaksi vuorokautta"
            };
            assert!(
                text.contains(fixed),
                "{}: the corrected text in their language: {text}",
                m.rcpt_to[0]
            );
            let subject = parsed.subject().unwrap_or_default().to_lowercase();
            assert!(
                subject.contains("korjaus") || subject.contains("rättelse"),
                "marked as a correction: {subject}"
            );
        }
        // The next scheduled edition does not carry the correction to them again.
        let (status, body) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(received.lock().unwrap().len(), 12);
    }
}

/// The Ed25519 example key of RFC 8410 §10.3.
const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

each_backend! {
    async fn with_a_dkim_key_configured_every_message_is_signed_over_its_unsubscribe_headers(b) {
        let key = b.dir.path().join("dkim.pem");
        std::fs::write(&key, ED25519_PEM).unwrap();
        let (smtp_url, received) = spawn_smtp_peer();
        let settings = [
            ("BRIEFCAST_SMTP_URL", smtp_url.as_str()),
            ("BRIEFCAST_FROM", "Koronafaktat <news@news.example.fi>"),
            ("BRIEFCAST_DKIM_KEY_FILE", key.to_str().unwrap()),
        ];
        let app = spawn_app_with(&b, &settings).await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        eventually("the edition", || received.lock().unwrap().len() >= 6).await;
        for m in received.lock().unwrap().iter() {
            let parsed = MessageParser::default().parse(&m.bytes).unwrap();
            let signature: String = parsed
                .header_raw("DKIM-Signature")
                .unwrap_or_default()
                .split_whitespace()
                .collect();
            assert!(
                signature.contains("d=news.example.fi;") && signature.contains("s=briefcast;"),
                "{}: {signature}",
                b.name
            );
            let signed = signature
                .split("h=")
                .nth(1)
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_lowercase();
            for header in ["from", "subject", "list-unsubscribe", "list-unsubscribe-post"] {
                assert!(signed.split(':').any(|h| h == header), "{header} not signed: {signed}");
            }
        }
    }
}

each_backend! {
    async fn the_send_rate_holds_per_second(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(
            &b,
            &[
                ("BRIEFCAST_SMTP_URL", &smtp_url),
                ("BRIEFCAST_SEND_RATE_PER_SECOND", "2"),
            ],
        )
        .await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        // The injected clock stands still, so each second's window stays full until the test
        // moves the clock: what has arrived by then is exactly that many seconds' worth.
        for second in 1..=3 {
            eventually("this second's sends", || received.lock().unwrap().len() >= 2 * second).await;
            let (status, log) = json_of(
                app.get("/api/v1/deliveries?status=queued", &app.ops)
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{log}");
            let waiting = log["deliveries"].as_array().expect("a delivery log").len();
            assert_eq!(received.lock().unwrap().len(), 2 * second, "{}: two a second", b.name);
            assert_eq!(waiting, 6 - 2 * second, "{}: the rest wait for the next second", b.name);
            app.clock.advance(chrono::TimeDelta::seconds(1));
        }
        assert_eq!(received.lock().unwrap().len(), 6);
    }
}

each_backend! {
    /// The same story against a real SMTP server: Postfix's smtp-sink in `.ci/run`, which dumps each
    /// message into `BRIEFCAST_TEST_SMTP_SINK_DIR`. Runs when `BRIEFCAST_TEST_SMTP_URL` is set.
    async fn an_edition_reaches_a_real_smtp_server_once_per_reader(b) {
        let (Some(smtp_url), Some(sink_dir)) = (
            common::service("BRIEFCAST_TEST_SMTP_URL"),
            common::service("BRIEFCAST_TEST_SMTP_SINK_DIR"),
        ) else {
            return;
        };
        // The sink's folder is shared by every test of the run: this run's messages carry their
        // own reply domain.
        let domain = format!("e2e-{}.example", uuid::Uuid::new_v4().simple());
        let app = spawn_app_with(
            &b,
            &[("BRIEFCAST_SMTP_URL", &smtp_url), ("BRIEFCAST_REPLY_DOMAIN", &domain)],
        )
        .await;
        prepare(&app).await;
        let (status, body) = json_of(
            app.post("/api/v1/editions", &app.coordinator)
                .json(&json!({ "schedule": "daily" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let ours = || -> Vec<String> {
            std::fs::read_dir(&sink_dir)
                .unwrap()
                .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .filter(|text| text.contains(&domain))
                .collect()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while ours().len() < 6 {
            assert!(
                std::time::Instant::now() < deadline,
                "{}: smtp-sink got {} of 6",
                b.name,
                ours().len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let mut recipients: Vec<String> = ours()
            .iter()
            .flat_map(|text| {
                text.lines()
                    .filter(|l| l.starts_with("X-Rcpt-Args:"))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        recipients.sort();
        let count = recipients.len();
        recipients.dedup();
        assert_eq!(
            (count, recipients.len()),
            (6, 6),
            "{}: one message per reader: {recipients:?}",
            b.name
        );
    }
}

const AINO_ASKS: &str = include_str!("../../content/demo/replies/01-plain-fi-quoted.eml");

/// Fires the daily schedule with a fresh brief of its own, returning what arrived for it.
async fn next_daily_edition(
    app: &TestApp,
    received: &std::sync::Arc<std::sync::Mutex<Vec<common::Received>>>,
    slug: &str,
) -> Vec<common::Received> {
    let before = received.lock().unwrap().len();
    let brief = STORM.replace("storm-72h-preparedness", slug);
    app.submit_and_approve("/api/v1/briefs", &brief).await;
    let (status, body) = json_of(
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    eventually("the next edition", || received.lock().unwrap().len() >= before + 6).await;
    received.lock().unwrap()[before..].to_vec()
}

each_backend! {
    async fn an_answered_question_goes_back_out_in_the_next_edition_to_readers_of_its_language(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(
            &b,
            &[
                ("BRIEFCAST_SMTP_URL", &smtp_url),
                ("BRIEFCAST_REPLY_DOMAIN", "replies.example.fi"),
            ],
        )
        .await;
        prepare(&app).await;
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap();
        eventually("the first edition", || received.lock().unwrap().len() >= 6).await;

        // Aino replies to her copy with a question, which a coordinator answers.
        let hers = received
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.rcpt_to[0] == "aino.virtanen@example.com")
            .cloned()
            .unwrap();
        let raw = common::reply_to(&hers, AINO_ASKS);
        let (status, body) = json_of(app.post("/api/v1/inbound", &app.ops).body(raw).send().await.unwrap()).await;
        assert!(status.is_success(), "{body}");
        let (_, questions) = json_of(app.get("/api/v1/questions", &app.coordinator).send().await.unwrap()).await;
        let question = questions["questions"][0]["id"].as_i64().unwrap();
        let answer = json!({ "text": "Kyllä: pidä kotona myös käteistä rahaa, sillä korttimaksut eivät toimi sähkökatkon aikana." });
        let (status, body) = json_of(
            app.post(&format!("/api/v1/questions/{question}/answer"), &app.coordinator)
                .json(&answer)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let second = next_daily_edition(&app, &received, "storm-followup").await;
        for m in &second {
            let text = MessageParser::default()
                .parse(&m.bytes)
                .unwrap()
                .body_text(0)
                .unwrap_or_default()
                .into_owned();
            let finnish = !["sara.oberg@example.com", "kalle.lindqvist@example.com"].contains(&m.rcpt_to[0].as_str());
            assert_eq!(
                text.contains("Kysyitte, vastaamme"),
                finnish,
                "{}: {}: {text}",
                b.name,
                m.rcpt_to[0]
            );
            assert_eq!(
                text.contains("pidä kotona myös käteistä rahaa, sillä korttimaksut"),
                finnish,
                "{}",
                m.rcpt_to[0]
            );
            assert!(
                !text.contains("Kysyjä:"),
                "the asker is not named without consent: {text}"
            );
        }
        // Shown once: the edition after does not repeat it.
        let third = next_daily_edition(&app, &received, "storm-third").await;
        for m in &third {
            let text = MessageParser::default()
                .parse(&m.bytes)
                .unwrap()
                .body_text(0)
                .unwrap_or_default()
                .into_owned();
            assert!(!text.contains("Kysyitte, vastaamme"), "{}", m.rcpt_to[0]);
        }
    }
}
