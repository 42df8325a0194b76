//! A pack's public page as an influencer opens it from their email, on a phone: the texts fit the
//! screen and each copies with one press; and the page where a journalist pastes a text to see
//! whether the authority issued it.

use chrono::{TimeZone, Utc};
use fantoccini::Locator;

use crate::common::{self, spawn_app};
use crate::support::{accessible, browser, click, paste, screenshots, text_of, tools, wait_for_text};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_pack_page_fits_copies_each_text_and_a_pasted_text_is_checked() {
    let Some(tools) = tools() else {
        return;
    };
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
    let id = app.submit_and_approve("/api/v1/briefs", STORM).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap());
    let client = browser(&tools).await;
    for language in ["fi", "sv", "en"] {
        client.set_window_size(390, 844).await.unwrap();
        client.goto(&app.url(&format!("/p/{id}/{language}"))).await.unwrap();
        let copied = match language {
            "fi" => "Kopioitu",
            "sv" => "Kopierat",
            _ => "Copied",
        };
        let buttons = client.find_all(Locator::Css("button.copy")).await.unwrap();
        let boxes = client.find_all(Locator::Css(".snippet")).await.unwrap();
        assert!(!boxes.is_empty(), "{language}: the ready-to-post texts");
        assert_eq!(buttons.len(), boxes.len(), "{language}: a copy button under each text");
        let width = client
            .execute("return document.documentElement.scrollWidth", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(u64::MAX);
        assert!(
            width <= 390,
            "{language}: the page is {width} px wide on a 390 px phone"
        );
        accessible(&client, &tools, &format!("/p/{id}/{language}")).await;
        click(&client, "button.copy").await;
        wait_for_text(&client, "button.copy", copied).await;
        let standing = text_of(&client, ".standing").await;
        assert!(standing.contains("briefcast"), "{language}: who issued it: {standing}");
        client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        screenshots(&client, &format!("pack-page-{language}")).await;
    }

    // The TikTok script as an influencer posted it, pasted into the check.
    client.goto(&app.url("/verify?lang=en")).await.unwrap();
    accessible(&client, &tools, "/verify").await;
    let storm = briefcast::brief::Brief::from_toml(STORM).unwrap();
    let posted = storm.en.unwrap().tiktok.unwrap().script;
    paste(&client, "text", &posted).await;
    click(&client, "form[action^='/verify'] button").await;
    let page = wait_for_text(&client, "#verdict", "Genuine").await;
    assert!(page.contains("TikTok script"), "names the part: {page}");
    accessible(&client, &tools, "/verify (genuine)").await;
    screenshots(&client, "pack-verify-genuine").await;

    paste(&client, "text", &posted.replace("water", "petrol")).await;
    click(&client, "form[action^='/verify'] button").await;
    let page = wait_for_text(&client, "#verdict", "Not found").await;
    assert!(!page.contains("Genuine"), "{page}");
    client.close().await.unwrap();
}
