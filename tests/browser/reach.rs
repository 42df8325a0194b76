//! Reach in Chromium: an influencer reports a post from the page behind her email's link, on a
//! phone, in Finnish (a wrong link refused beside the form, then the right one counted); then a
//! coordinator reads the reach report with its charts.

use briefcast::access::Role;
use briefcast::language::Language;
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{self, PASSWORD, SAMPLE_ROSTER, add_person, eventually, json_of, spawn_app_with, spawn_smtp_peer};
use crate::support::{accessible, browser, click, screenshots, sign_in, text_of, tools, wait_for_text};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

async fn type_into(client: &fantoccini::Client, id: &str, text: &str) {
    let field = client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_influencer_reports_her_post_on_a_phone_and_the_report_counts_it() {
    let Some(tools) = tools() else {
        return;
    };
    let (smtp_url, received) = spawn_smtp_peer();
    let backend = common::sqlite_backend().await;
    let app = spawn_app_with(&backend, &[("BRIEFCAST_SMTP_URL", &smtp_url)]).await;
    let import = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(SAMPLE_ROSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::OK);
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
    app.submit_and_approve("/api/v1/briefs", STORM).await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-11-23T08:30:00+02:00")
            .unwrap()
            .to_utc(),
    );
    let (status, edition) = json_of(
        app.post("/api/v1/editions", &app.coordinator)
            .json(&json!({ "schedule": "daily" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{edition}");
    let readers = edition["recipients"].as_u64().unwrap() as usize;
    eventually("the edition at the SMTP peer", || {
        received.lock().unwrap().len() >= readers
    })
    .await;
    let noora = received
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.rcpt_to[0] == "noora.salo@example.com")
        .cloned()
        .unwrap();
    let text = mail_parser::MessageParser::default()
        .parse(&noora.bytes)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap();
    let page = text
        .split_whitespace()
        .find(|w| w.contains("/u/"))
        .expect("the reader's page link")
        .to_string();

    let client = browser(&tools).await;
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&page).await.unwrap();
    accessible(&client, &tools, "the reader's page").await;
    type_into(&client, "post-url", "https://example.com/noora/video/1").await;
    click(&client, "form[action$='/posts'] button").await;
    let shown = wait_for_text(&client, "#post-problem", "Linkki ei ole").await;
    assert!(shown.contains("Julkaisitko tiedotteen aiheesta?"), "{shown}");
    accessible(&client, &tools, "the reader's page, refused").await;
    client
        .find(Locator::Css("#post-platform option[value='tiktok']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(
        &client,
        "post-url",
        "https://www.tiktok.com/@noorasalo/video/7441355500099988877",
    )
    .await;
    type_into(&client, "post-views", "48 200").await;
    click(&client, "form[action$='/posts'] button").await;
    wait_for_text(&client, ".notice", "Kiitos: julkaisusi on laskettu mukaan.").await;
    let reported = text_of(&client, ".reported").await;
    assert!(reported.contains("48 200 katselua"), "{reported}");
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(u64::MAX);
    assert!(width <= 390, "the reader's page is {width} px wide on a phone");
    screenshots(&client, "reader-post-reported").await;

    add_person(
        &app,
        "hanna@example.fi",
        "Hanna Coordinator",
        Role::Coordinator,
        Language::En,
    )
    .await;
    client.set_window_size(1280, 900).await.unwrap();
    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    client.goto(&app.url("/reach")).await.unwrap();
    let totals = wait_for_text(&client, "#reach-totals", "Campaign").await;
    assert!(totals.contains("48,200") || totals.contains("48 200"), "{totals}");
    let campaign = text_of(&client, "#reach-totals tbody tr").await;
    assert!(campaign.contains(&format!("{readers}")), "readers reached: {campaign}");
    assert!(
        client.find(Locator::Css("svg.chart rect")).await.is_ok(),
        "the charts are drawn"
    );
    accessible(&client, &tools, "/reach").await;
    screenshots(&client, "reach-report").await;
    let csv = client
        .find(Locator::Css("a[href^='/reach.csv']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(csv, "/reach.csv");
    client.close().await.unwrap();
}
