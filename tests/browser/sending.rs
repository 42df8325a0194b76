//! Sending from the console in Chromium: a flash edition confirmed with its readers and watched
//! until it is done at the mail server; a schedule sent now after its confirmation; an uncertain
//! delivery resent only after its risk is named, on the record under the person's name; and ops
//! reading the delivery log without addresses.

use std::sync::{Arc, Mutex};

use briefcast::access::Role;
use briefcast::clock::Clock;
use briefcast::edition::DeliveryStatus;
use briefcast::language::Language;
use briefcast::store::{AuditQuery, DeliveryQuery};
use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{self, PASSWORD, TestApp, add_person, eventually, json_of, spawn_api_only, spawn_app_with};
use crate::support::{accessible, browser, click, screenshots, sign_in, sign_out, text_of, tools, wait_for_text};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
const ROSTER: &str = include_str!("../fixtures/rosters/influencers-sample.csv");

/// Where this test's mail goes: Postfix's smtp-sink when the run has one (`.ci/run`), else an
/// in-process SMTP server. Either way only this test's messages are counted, by their own
/// reply domain.
enum MailPeer {
    Sink {
        url: String,
        dir: String,
    },
    InProcess {
        url: String,
        received: Arc<Mutex<Vec<common::Received>>>,
    },
}

impl MailPeer {
    fn start() -> MailPeer {
        match (
            common::service("BRIEFCAST_TEST_SMTP_URL"),
            common::service("BRIEFCAST_TEST_SMTP_SINK_DIR"),
        ) {
            (Some(url), Some(dir)) => MailPeer::Sink { url, dir },
            _ => {
                let (url, received) = common::spawn_smtp_peer();
                MailPeer::InProcess { url, received }
            }
        }
    }

    fn url(&self) -> &str {
        match self {
            MailPeer::Sink { url, .. } | MailPeer::InProcess { url, .. } => url,
        }
    }

    fn messages_for(&self, domain: &str) -> usize {
        match self {
            MailPeer::Sink { dir, .. } => std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .filter(|text| text.contains(domain))
                .count(),
            MailPeer::InProcess { received, .. } => received
                .lock()
                .unwrap()
                .iter()
                .filter(|m| String::from_utf8_lossy(&m.bytes).contains(domain))
                .count(),
        }
    }
}

async fn import_roster(app: &TestApp) {
    let response = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(ROSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// The number in "N readers get this edition." on a confirmation page.
fn readers_confirmed(page: &str, words: &str) -> usize {
    let line = page
        .lines()
        .find(|l| l.contains(words))
        .unwrap_or_else(|| panic!("no `{words}` on the page: {page}"));
    line.split_whitespace()
        .next()
        .and_then(|n| n.replace([',', '\u{a0}'], "").parse().ok())
        .unwrap_or_else(|| panic!("no count in `{line}`"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flash_edition_is_confirmed_with_its_readers_and_watched_until_done_at_the_mail_server() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let peer = MailPeer::start();
    let domain = format!("flash-{}.example", uuid::Uuid::new_v4().simple());
    let app = spawn_app_with(
        &backend,
        &[("BRIEFCAST_SMTP_URL", peer.url()), ("BRIEFCAST_REPLY_DOMAIN", &domain)],
    )
    .await;
    let routine = common::brief_valid_at(STORM, common::now());
    let urgent = routine.replacen("priority = \"routine\"", "priority = \"urgent\"", 1);
    assert_ne!(urgent, routine, "the fixture names its priority");
    // Approving an urgent brief flashes it at once, to the readers there are: none yet, and the
    // approval button says so. The roster arrives afterwards, and the brief goes to them from its
    // page, after a confirmation.
    let (status, body) = json_of(
        app.post("/api/v1/briefs", &app.coordinator)
            .header("content-type", "application/toml")
            .body(urgent)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let brief = body["id"].as_i64().unwrap();
    add_person(
        &app,
        "kaisa@example.fi",
        "Kaisa Koordinaattori",
        Role::Approver,
        Language::En,
    )
    .await;
    let client = browser(&tools).await;

    sign_in(&client, &app, "kaisa@example.fi", PASSWORD).await;
    wait_for_text(&client, "h1", "Briefs").await;
    client.goto(&app.url(&format!("/briefs/{brief}"))).await.unwrap();
    wait_for_text(&client, "#approve-sends", "approving it sends it at once to 0 readers").await;
    accessible(&client, &tools, "urgent brief before approval").await;
    click(&client, "form[action$='/approve'] button").await;
    wait_for_text(&client, "p.notice", "").await;
    import_roster(&app).await;
    client.goto(&app.url(&format!("/briefs/{brief}"))).await.unwrap();
    wait_for_text(&client, "#actions-heading", "").await;
    click(&client, "a[href$='/flash']").await;
    // Before anything is queued: which brief, how many readers, in which languages.
    let page = wait_for_text(&client, "h1", "Send this brief now?").await;
    assert!(page.contains("Get ready for the storm"), "{page}");
    for language in ["suomi", "svenska", "English"] {
        assert!(page.contains(language), "readers in {language}: {page}");
    }
    let confirmed = readers_confirmed(&page, "readers get this edition.");
    assert!(confirmed > 0, "{page}");
    assert_eq!(peer.messages_for(&domain), 0, "nothing is sent before the confirmation");
    accessible(&client, &tools, "flash confirmation").await;
    screenshots(&client, "flash-confirm").await;

    click(&client, "#send-confirm").await;
    wait_for_text(&client, "p.notice", "The edition is queued and sending.").await;
    // The page follows the send by itself, without a reload, until it is done.
    let page = wait_for_text(&client, "#edition-status", "Done").await;
    let sent = client
        .find(fantoccini::Locator::Id("count-sent"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(sent.replace([',', '\u{a0}'], ""), confirmed.to_string(), "{page}");
    assert!(!page.contains("Pause…"), "a finished edition offers no pause: {page}");
    accessible(&client, &tools, "edition done").await;
    screenshots(&client, "edition").await;
    client.goto(&app.url("/editions")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Editions").await;
    assert!(page.contains("Flash") && page.contains("Done"), "{page}");
    accessible(&client, &tools, "editions").await;
    screenshots(&client, "editions").await;
    eventually("every confirmed reader's message at the mail server", || {
        peer.messages_for(&domain) >= confirmed
    })
    .await;
    assert_eq!(
        peer.messages_for(&domain),
        confirmed,
        "one message per confirmed reader"
    );

    // Sent now, the brief is not flashed again; a routine brief never is. Each refusal says why.
    client.goto(&app.url(&format!("/briefs/{brief}/flash"))).await.unwrap();
    wait_for_text(&client, "h1", "only an approved brief can be sent").await;
    let other = app
        .submit_and_approve(
            "/api/v1/briefs",
            &routine.replace("storm-72h-preparedness", "storm-routine"),
        )
        .await;
    client.goto(&app.url(&format!("/briefs/{other}/flash"))).await.unwrap();
    wait_for_text(&client, "h1", "only an urgent brief can go in a flash edition").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_is_sent_now_after_its_confirmation_and_an_uncertain_delivery_is_resent_with_its_risk_named() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    // No dispatcher: this test is the worker, so that it can die in the middle of a send.
    let app = spawn_api_only(&backend).await;
    daily_setup(&app).await;
    add_person(
        &app,
        "sara@example.fi",
        "Sara Samordnare",
        Role::Coordinator,
        Language::Sv,
    )
    .await;
    add_person(&app, "olli@example.fi", "Olli Operaattori", Role::Ops, Language::Fi).await;
    let client = browser(&tools).await;

    sign_in(&client, &app, "sara@example.fi", PASSWORD).await;
    client.goto(&app.url("/schedules")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Scheman").await;
    assert!(page.contains("Varje dag"), "{page}");
    assert!(
        page.contains("UTC"),
        "the next runs in UTC beside Helsinki time: {page}"
    );
    accessible(&client, &tools, "schedules").await;
    screenshots(&client, "schedules").await;
    click(&client, "a[href='/schedules/daily/send']").await;
    let page = wait_for_text(&client, "h1", "Skicka daily nu?").await;
    assert!(
        page.contains("Förbered dig på stormen"),
        "the brief in the reader's language: {page}"
    );
    let confirmed = readers_confirmed(&page, "läsare får det här utskicket.");
    accessible(&client, &tools, "send-now confirmation").await;
    click(&client, "#send-confirm").await;
    let page = wait_for_text(&client, "p.notice", "Utskicket är köat och skickas.").await;
    assert!(page.contains("I kö"), "{page}");
    let edition = app.store.editions(1, 0).await.unwrap()[0].id;
    assert_eq!(
        app.store.edition(edition).await.unwrap().unwrap().deliveries as usize,
        confirmed
    );

    // A worker takes one message and dies before it can say whether it went.
    let now = app.clock.now();
    let claimed = app
        .store
        .claim_due("worker-that-died", 1, TimeDelta::minutes(5), now)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    app.clock.advance(TimeDelta::minutes(6));
    assert_eq!(app.store.expire_leases(app.clock.now()).await.unwrap(), 1);
    let delivery = claimed[0].lease.delivery;

    client
        .goto(&app.url(&format!("/deliveries?edition={edition}&status=uncertain")))
        .await
        .unwrap();
    let page = wait_for_text(&client, "h1", "Leveranser").await;
    assert!(page.contains("Osäkert"), "{page}");
    assert!(page.contains(&claimed[0].email), "coordinators see the address: {page}");
    accessible(&client, &tools, "delivery log").await;
    screenshots(&client, "deliveries").await;
    click(&client, &format!("a[href='/deliveries/resend?delivery={delivery}']")).await;
    let page = wait_for_text(&client, "h1", "Skicka igen?").await;
    assert!(
        page.contains("läsaren kan få det två gånger"),
        "the risk is named: {page}"
    );
    assert!(page.contains("med ditt namn"), "{page}");
    accessible(&client, &tools, "resend confirmation").await;
    screenshots(&client, "resend").await;
    click(&client, "input[name='confirm']").await;
    click(&client, "#resend-confirm").await;
    wait_for_text(&client, "p.notice", "Köat igen").await;
    let records = app
        .store
        .deliveries(&DeliveryQuery {
            delivery: Some(delivery),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(records[0].status, DeliveryStatus::Queued);
    let audit = app
        .store
        .audit_search(&AuditQuery {
            family: Some("deliveries".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "deliveries.resend" && e.actor == "Sara Samordnare <sara@example.fi>"),
        "{audit:?}"
    );

    // Ops watch the same log without the roster's addresses.
    sign_out(&client).await;
    sign_in(&client, &app, "olli@example.fi", PASSWORD).await;
    // Ops start at the editions, and the menu offers them nothing they may not read.
    wait_for_text(&client, "h1", "Lähetykset").await;
    let briefs_link = client.find(fantoccini::Locator::Css("nav a[href='/briefs']")).await;
    assert!(briefs_link.is_err(), "ops are not offered the briefs");
    client
        .goto(&app.url(&format!("/deliveries?edition={edition}")))
        .await
        .unwrap();
    let page = wait_for_text(&client, "h1", "Toimitukset").await;
    assert!(!page.contains(&claimed[0].email), "ops see no address: {page}");
    let masked = briefcast::audience::mask(&claimed[0].email);
    assert!(page.contains(&masked), "{page}");
    accessible(&client, &tools, "delivery log for ops").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bounce_storm_pauses_an_edition_which_says_why_and_waits_for_an_approver() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let peer = common::spawn_refusing_smtp_peer(550, "5.1.1 <{to}>: Recipient address rejected: User unknown");
    let app = spawn_app_with(
        &backend,
        &[
            ("BRIEFCAST_SMTP_URL", &peer),
            ("BRIEFCAST_PAUSE_BOUNCE_PERCENT", "20"),
            ("BRIEFCAST_PAUSE_BOUNCE_SAMPLE", "10"),
            ("BRIEFCAST_DISPATCH_BATCH", "2"),
            ("BRIEFCAST_DISPATCH_CONCURRENCY", "2"),
        ],
    )
    .await;
    import_roster(&app).await;
    let urgent =
        common::brief_valid_at(STORM, common::now()).replacen("priority = \"routine\"", "priority = \"urgent\"", 1);
    app.submit_and_approve("/api/v1/briefs", &urgent).await;
    add_person(
        &app,
        "kaisa@example.fi",
        "Kaisa Koordinaattori",
        Role::Coordinator,
        Language::Fi,
    )
    .await;
    add_person(
        &app,
        "hanna@example.fi",
        "Hanna Hyväksyjä",
        Role::Approver,
        Language::En,
    )
    .await;
    let client = browser(&tools).await;

    sign_in(&client, &app, "kaisa@example.fi", PASSWORD).await;
    client.goto(&app.url("/editions")).await.unwrap();
    wait_for_text(&client, "h1", "Lähetykset").await;
    // The list says which edition stopped itself, once it has (the daemon is sending meanwhile).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        client.goto(&app.url("/editions")).await.unwrap();
        let page = wait_for_text(&client, "h1", "Lähetykset").await;
        if page.contains("keskeytti itsensä") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the edition never paused itself: {page}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    click(&client, "a[href='/editions/1']").await;
    let page = wait_for_text(&client, "#edition-protected", "pysyvää palautusta").await;
    assert!(page.contains("Keskeytetty"), "{page}");
    let resume = client
        .find(fantoccini::Locator::Css("a[href='/editions/1/resume']"))
        .await;
    assert!(resume.is_err(), "a coordinator is not offered to resume it: {page}");
    accessible(&client, &tools, "edition paused by the guard").await;
    screenshots(&client, "edition-protected").await;
    // Whoever bounced is marked wherever people are listed.
    client.goto(&app.url("/roster")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Vaikuttajat").await;
    assert!(page.contains("ei postia: osoite palautui"), "{page}");
    sign_out(&client).await;

    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    client.goto(&app.url("/editions/1")).await.unwrap();
    wait_for_text(&client, "#edition-protected", "hard bounces in the first 10 attempts").await;
    click(&client, "a[href='/editions/1/resume']").await;
    wait_for_text(&client, "h1", "Confirm the change").await;
    accessible(&client, &tools, "resume confirmation").await;
    click(&client, "#change-confirm").await;
    wait_for_text(&client, "p.notice", "The edition is sending again.").await;

    // A feed whose server answered 503 on its last poll.
    let feed = briefcast::feed::NewFeed {
        name: "fmi-warnings".into(),
        url: "https://alerts.fmi.fi/cap/feed/rss_fi-FI.rss".into(),
        kind: briefcast::feed::FeedKind::Cap,
    };
    let stored = app
        .store
        .add_feed(&feed, &briefcast::access::Actor::cli(), app.clock.now())
        .await
        .unwrap();
    let failed = briefcast::feed::PollRecord::Failed("the server answered HTTP 503 Service Unavailable".into());
    app.store
        .record_poll(stored.id, &failed, app.clock.now())
        .await
        .unwrap();

    // The ops view draws the storm against the lines, and an approver revokes a token there.
    client.goto(&app.url("/ops")).await.unwrap();
    let page = wait_for_text(&client, "#health-database", "answers").await;
    assert!(
        client
            .find(fantoccini::Locator::Id("health-scheduler"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("leads the schedules"),
        "the daemon leading the scheduler is named: {page}"
    );
    assert!(
        page.contains("over a line"),
        "the edition's bounce rate is past the line: {page}"
    );
    assert!(
        client
            .find(fantoccini::Locator::Css("svg.chart rect.bounced"))
            .await
            .is_ok()
    );
    let feeds = text_of(&client, "#feeds").await;
    assert!(
        feeds.contains("fmi-warnings") && feeds.contains("Failed once:") && feeds.contains("HTTP 503"),
        "the failing feed is shown with its error: {feeds}"
    );
    accessible(&client, &tools, "ops view").await;
    screenshots(&client, "ops").await;
    click(&client, "button[aria-label='Revoke the token coordinator']").await;
    wait_for_text(&client, "p.notice", "The token is revoked").await;
    let refused = app.get("/api/v1/editions", &app.coordinator).send().await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "the revoked token is refused at once"
    );
    let ops = app.get("/api/v1/editions", &app.ops).send().await.unwrap();
    assert_eq!(ops.status(), StatusCode::OK, "the others still work");
    client.close().await.unwrap();
}

const AINO_ASKS: &str = include_str!("../../content/demo/replies/01-plain-fi-quoted.eml");

/// A roster, a segment of daily readers, the storm brief approved and a daily schedule, as a
/// coordinator would have them before the first edition.
async fn daily_setup(app: &TestApp) {
    import_roster(app).await;
    for (path, body) in [
        (
            "/api/v1/segments",
            json!({ "name": "daily-readers", "cadences": ["daily"] }),
        ),
        (
            "/api/v1/schedules",
            json!({ "name": "daily", "cron": "0 9 * * *", "cadence": "daily", "segment": "daily-readers" }),
        ),
    ] {
        let (status, answer) = json_of(app.post(path, &app.coordinator).json(&body).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    app.submit_and_approve("/api/v1/briefs", &common::brief_valid_at(STORM, common::now()))
        .await;
}

async fn send_daily(app: &TestApp) {
    let (status, body) = json_of(
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_question_goes_from_new_to_answered_at_the_desk_and_out_in_the_next_you_asked() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let (smtp_url, received) = common::spawn_smtp_peer();
    let app = spawn_app_with(
        &backend,
        &[
            ("BRIEFCAST_SMTP_URL", &smtp_url),
            ("BRIEFCAST_REPLY_DOMAIN", "replies.example.fi"),
        ],
    )
    .await;
    daily_setup(&app).await;
    send_daily(&app).await;
    common::eventually("the first edition", || received.lock().unwrap().len() >= 6).await;

    // Aino replies to her copy with a question.
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

    add_person(
        &app,
        "kaisa@example.fi",
        "Kaisa Koordinaattori",
        Role::Coordinator,
        Language::En,
    )
    .await;
    add_person(
        &app,
        "pekka@example.fi",
        "Pekka Puhemies",
        Role::Coordinator,
        Language::Fi,
    )
    .await;
    let client = browser(&tools).await;
    sign_in(&client, &app, "kaisa@example.fi", PASSWORD).await;
    client.goto(&app.url("/questions")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Questions").await;
    assert!(page.contains("storm-72h-preparedness"), "grouped by brief: {page}");
    assert!(page.contains("1 asked, 1 open"), "{page}");
    assert!(
        page.contains("pitääkö kotivarassa olla myös käteistä rahaa"),
        "the cleaned text: {page}"
    );
    assert!(!page.contains("Lähetetty iPhonesta"), "no signature: {page}");
    accessible(&client, &tools, "question desk").await;
    screenshots(&client, "questions").await;

    click(&client, "ol.questions a").await;
    wait_for_text(&client, "#question-status", "New").await;
    click(&client, "a[href='?raw=1']").await;
    let page = wait_for_text(&client, "h2", "The message as it came").await;
    assert!(
        page.contains("Lähetetty iPhonesta"),
        "the raw message on request: {page}"
    );
    // Handed to a colleague, who finds it on their desk.
    wait_for_text(&client, "#assignee", "Pekka Puhemies").await;
    client
        .find(fantoccini::Locator::Css("#assignee option[value='pekka@example.fi']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&client, "#hand").await;
    wait_for_text(&client, "#question-assignee", "with Pekka Puhemies").await;
    let mine = app
        .store
        .questions(&briefcast::store::QuestionQuery {
            assignee: app
                .store
                .account(&briefcast::audience::EmailAddress::parse("pekka@example.fi").unwrap())
                .await
                .unwrap()
                .map(|a| a.summary.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.len(), 1, "on Pekka's desk");
    click(&client, "#triage").await;
    wait_for_text(&client, "#question-status", "Triaged").await;
    client
        .find(fantoccini::Locator::Id("authority"))
        .await
        .unwrap()
        .send_keys("Huoltovarmuuskeskus")
        .await
        .unwrap();
    click(&client, "#forward").await;
    wait_for_text(&client, "#question-status", "Forwarded").await;
    // An answer with neither text nor link is refused beside its field; nothing changes.
    click(&client, "#answer").await;
    wait_for_text(&client, "#answer-error", "Give the answer, a link to it, or both.").await;
    accessible(&client, &tools, "question with a refused answer").await;
    let answer = "Kyllä: pidä kotona myös käteistä rahaa, sillä korttimaksut eivät toimi sähkökatkon aikana.";
    client
        .find(fantoccini::Locator::Id("text"))
        .await
        .unwrap()
        .send_keys(answer)
        .await
        .unwrap();
    click(&client, "#answer").await;
    let page = wait_for_text(&client, "#question-status", "Answered").await;
    assert!(page.contains("Goes out in the next edition"), "{page}");
    screenshots(&client, "question").await;

    client.goto(&app.url("/questions/you-asked")).await.unwrap();
    let page = wait_for_text(&client, "h1", "The next \"you asked\"").await;
    let finnish = text_of(&client, "article[lang='fi']").await;
    assert!(
        finnish.contains("Kysyitte, vastaamme") && finnish.contains(answer),
        "{page}"
    );
    let swedish = client
        .find(fantoccini::Locator::Css("article[lang='sv']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(swedish.contains("Nothing waits"), "{swedish}");
    accessible(&client, &tools, "you asked preview").await;
    screenshots(&client, "you-asked").await;

    // The next edition carries it to the Finnish readers.
    let before = received.lock().unwrap().len();
    app.submit_and_approve(
        "/api/v1/briefs",
        &common::brief_valid_at(STORM, common::now()).replace("storm-72h-preparedness", "storm-followup"),
    )
    .await;
    send_daily(&app).await;
    common::eventually("the second edition", || received.lock().unwrap().len() >= before + 6).await;
    let carried = received.lock().unwrap()[before..]
        .iter()
        .filter_map(|m| mail_parser::MessageParser::default().parse(&m.bytes))
        .filter(|m| m.body_text(0).is_some_and(|text| text.contains(answer)))
        .count();
    assert!(carried > 0, "the answer went out in the next edition");
    client.goto(&app.url("/questions?status=answered")).await.unwrap();
    click(&client, "ol.questions a").await;
    wait_for_text(&client, "p.hint", "Published in edition 2.").await;
    client.close().await.unwrap();
}
