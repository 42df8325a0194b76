//! Coordinators and approvers in Chromium: signing in, a brief from a pasted text with a problem
//! to approved by a second person, a form sent from another origin, throttled guessing, and an
//! approver setting up the authenticator app their role requires.

use briefcast::access::{Caller, Role};
use briefcast::language::Language;
use fantoccini::Locator;

use crate::common::{self, PASSWORD, add_person, spawn_app, spawn_app_with};
use crate::support::{accessible, browser, click, fill_sign_in, paste, screenshots, sign_in, tools, wait_for_text};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
const EN_TITLE: &str = "title = \"Get ready for the storm: manage at home for 72 hours\"";

#[tokio::test(flavor = "multi_thread")]
async fn a_brief_goes_from_a_pasted_text_with_a_problem_to_approved_by_a_second_person() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
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
        "hanna@example.fi",
        "Hanna Hyväksyjä",
        Role::Approver,
        Language::Fi,
    )
    .await;
    let client = browser(&tools).await;

    // Any console page first asks who you are, then takes you there.
    client.goto(&app.url("/briefs/new")).await.unwrap();
    wait_for_text(&client, "h1", "Sign in").await;
    accessible(&client, &tools, "sign-in").await;
    screenshots(&client, "sign-in").await;
    fill_sign_in(&client, "kaisa@example.fi", PASSWORD).await;
    wait_for_text(&client, "h1", "New brief").await;
    let cookies = client.get_all_cookies().await.unwrap();
    let session = cookies
        .iter()
        .find(|c| c.name() == "briefcast_session")
        .expect("a session cookie");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(session.same_site().map(|s| s.to_string()).as_deref(), Some("Strict"));
    accessible(&client, &tools, "new brief").await;
    screenshots(&client, "new-brief").await;

    let with_problem = common::brief_valid_at(STORM, common::now()).replacen(EN_TITLE, "title = \"\"", 1);
    assert_ne!(
        with_problem,
        common::brief_valid_at(STORM, common::now()),
        "the fixture has the English title"
    );
    paste(&client, "text", &with_problem).await;
    click(&client, "form[action='/briefs/new'] button[type=submit]").await;
    let page = wait_for_text(&client, "p.notice", "The brief is saved as a draft.").await;
    assert!(page.contains("Problems to fix before approval"), "{page}");
    assert!(
        page.contains("en · title"),
        "the problem names its language and field: {page}"
    );
    assert!(page.contains("Only an approver can approve briefs."), "{page}");
    accessible(&client, &tools, "brief with a problem").await;

    paste(&client, "text", &common::brief_valid_at(STORM, common::now())).await;
    click(&client, "form[action$='/edit'] button").await;
    let page = wait_for_text(&client, "p.notice", "The changes are saved.").await;
    assert!(page.contains("No problems: this brief can be approved."), "{page}");
    screenshots(&client, "brief").await;

    // The editor: a language at a time, and counts and problems that follow the typing.
    click(&client, "a[href$='/editor']").await;
    wait_for_text(&client, "h1", "Edit the brief").await;
    let visible = |id: &'static str| {
        let client = client.clone();
        async move {
            client
                .find(Locator::Id(id))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap()
        }
    };
    assert!(
        visible("fi-title").await && !visible("en-title").await,
        "one language at a time"
    );
    click(&client, "a[data-tab='lang-en']").await;
    assert!(visible("en-title").await && !visible("fi-title").await);
    let x = client.find(Locator::Id("en-x")).await.unwrap();
    x.clear().await.unwrap();
    x.send_keys(&"a".repeat(300)).await.unwrap();
    wait_for_text(&client, "#en-x-count", "300 / 280 weighted characters").await;
    let page = wait_for_text(&client, "#problems-summary", "1 problem").await;
    assert!(page.contains("en · x.post: 300 weighted characters"), "{page}");
    let over = client.find(Locator::Css("#en-x-count .counter.over")).await;
    assert!(over.is_ok(), "the count over its limit is marked");
    accessible(&client, &tools, "editor").await;
    screenshots(&client, "editor").await;
    client.goto(&app.url("/briefs")).await.unwrap();
    wait_for_text(&client, "h1", "Briefs").await;
    accessible(&client, &tools, "briefs").await;
    screenshots(&client, "briefs").await;
    click(&client, "form[action='/sign-out'] button").await;
    wait_for_text(&client, "p.notice", "You are signed out.").await;

    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    wait_for_text(&client, "h1", "Tiedotteet").await;
    click(&client, "tbody a").await;
    wait_for_text(&client, "#actions-heading", "Päätä").await;
    accessible(&client, &tools, "brief for the approver").await;
    click(&client, "form[action$='/approve'] button").await;
    let page = wait_for_text(&client, "p.notice", "Tiedote on hyväksytty.").await;
    assert!(page.contains("Hyväksyjä: Hanna Hyväksyjä <hanna@example.fi>"), "{page}");
    assert!(
        page.contains("Kirjoittaja: Kaisa Koordinaattori <kaisa@example.fi>"),
        "{page}"
    );
    let briefs = app.store.briefs(None).await.unwrap();
    assert_eq!(
        briefs[0].approved_by.as_deref(),
        Some("Hanna Hyväksyjä <hanna@example.fi>")
    );
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_from_another_origin_and_the_sixth_wrong_password_are_refused() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
    add_person(&app, "bo@example.fi", "Bo Godkännare", Role::Approver, Language::Sv).await;
    let brief = briefcast::service::briefs::submit(
        app.store.as_ref(),
        &briefcast::pack::Content::embedded(),
        &common::brief_valid_at(STORM, common::now()),
        briefcast::brief::BriefFormat::Toml,
        &Caller::cli(),
        common::now(),
    )
    .await
    .unwrap();
    let id = brief.stored.id;

    // Another origin on the same machine (same site, so the strict cookie still goes along):
    // a page whose button posts to the console.
    let target = app.url(&format!("/briefs/{id}/withdraw"));
    let evil = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let target = target.clone();
            async move {
                axum::response::Html(format!(
                    "<!DOCTYPE html><html lang=en><title>prize</title><form method=post action='{target}'>\
                     <input type=hidden name=csrf value=guess><button>Claim your prize</button></form></html>"
                ))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let evil_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, evil).await });

    let client = browser(&tools).await;
    sign_in(&client, &app, "bo@example.fi", PASSWORD).await;
    wait_for_text(&client, "h1", "Meddelanden").await;
    client.goto(&format!("http://{evil_addr}/")).await.unwrap();
    click(&client, "button").await;
    let page = wait_for_text(&client, "h1", "Begäran kom inte från konsolens egen sida").await;
    screenshots(&client, "refused").await;
    assert!(!page.contains("återkallat"), "{page}");
    let stored = app.store.brief(id).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "draft", "nothing changed");

    let other = browser(&tools).await;
    for _ in 0..5 {
        sign_in(&other, &app, "bo@example.fi", "not the password, sorry").await;
        wait_for_text(&other, "div.error", "Signing in failed").await;
    }
    sign_in(&other, &app, "bo@example.fi", PASSWORD).await;
    let page = wait_for_text(&other, "div.error", "Signing in failed").await;
    assert!(page.contains("wait 15 minutes"), "{page}");
    accessible(&other, &tools, "sign-in refused").await;
    screenshots(&other, "sign-in-refused").await;
    client.close().await.unwrap();
    other.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_roster_is_imported_with_its_report_filtered_a_segment_built_and_a_person_erased() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
    add_person(
        &app,
        "kaisa@example.fi",
        "Kaisa Koordinaattori",
        Role::Coordinator,
        Language::En,
    )
    .await;
    let client = browser(&tools).await;
    sign_in(&client, &app, "kaisa@example.fi", PASSWORD).await;
    wait_for_text(&client, "h1", "Briefs").await;
    click(&client, "a[href='/roster']").await;
    wait_for_text(&client, "main", "Nobody matches these choices.").await;
    click(&client, "a[href='/roster/import']").await;
    wait_for_text(&client, "h1", "Import a roster").await;
    accessible(&client, &tools, "import").await;

    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rosters/influencers-sample.csv"
    );
    client
        .find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(sample)
        .await
        .unwrap();
    click(&client, "form[action='/roster/import'] button").await;
    let page = wait_for_text(&client, "#report-heading", "What was imported").await;
    assert!(page.contains("17 new, 0 updated, 0 unchanged, 4 rejected."), "{page}");
    assert!(page.contains("language `de` is not offered"), "{page}");
    let download = client
        .find(Locator::Css("a[download='rejected-rows.csv']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(download.starts_with("data:text/csv"), "{download}");
    assert!(
        download.contains("not-an-email"),
        "the rows are in the download: {download}"
    );
    accessible(&client, &tools, "import report").await;
    screenshots(&client, "import").await;

    client.goto(&app.url("/roster?language=sv")).await.unwrap();
    let page = wait_for_text(&client, "main", "People 1–").await;
    assert!(page.contains("svenska"), "{page}");
    accessible(&client, &tools, "roster").await;
    screenshots(&client, "roster").await;
    let swedish = app
        .store
        .list_influencers(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.influencer.language == Language::Sv)
        .count();
    let rows = client.find_all(Locator::Css("tbody tr")).await.unwrap().len();
    assert_eq!(rows, swedish, "the filter shows every Swedish reader and nobody else");

    // A segment, its member count following the choices as they are made.
    client.goto(&app.url("/segments")).await.unwrap();
    wait_for_text(&client, "h1", "Segments").await;
    click(&client, "input[name=language][value=sv]").await;
    click(&client, "input[name=platform][value=tiktok]").await;
    let filter = briefcast::audience::SegmentFilter {
        languages: vec![Language::Sv],
        platforms: vec!["tiktok".into()],
        ..Default::default()
    };
    let members = app.store.count_members(&filter).await.unwrap();
    wait_for_text(&client, "#member-count", &format!("{members} people match now.")).await;
    client
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("sv-tiktok")
        .await
        .unwrap();
    accessible(&client, &tools, "segment builder").await;
    screenshots(&client, "segments").await;
    click(&client, "button[value=save]").await;
    let page = wait_for_text(&client, "p.notice", "The segment is saved.").await;
    assert!(page.contains("sv-tiktok"), "{page}");

    client.goto(&app.url("/roster/sara.oberg%40example.com")).await.unwrap();
    wait_for_text(&client, "#erase-heading", "Erase this person").await;
    accessible(&client, &tools, "person").await;
    screenshots(&client, "person").await;
    let page = client.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Erasing removes"),
        "the confirmation names what goes: {page}"
    );
    click(&client, "form[action$='/erase'] input[name=confirm]").await;
    click(&client, "form[action$='/erase'] button").await;
    wait_for_text(&client, "p.notice", "The person is erased.").await;
    let gone = briefcast::audience::EmailAddress::parse("sara.oberg@example.com").unwrap();
    assert!(app.store.influencer(&gone).await.unwrap().is_none());
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approver_sets_up_the_app_their_role_requires_reads_the_audit_log_and_the_accounts() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let app = spawn_app_with(&backend, &[("BRIEFCAST_REQUIRE_TOTP", "approver")]).await;
    add_person(
        &app,
        "hanna@example.fi",
        "Hanna Hyväksyjä",
        Role::Approver,
        Language::Fi,
    )
    .await;
    let client = browser(&tools).await;
    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    let page = wait_for_text(&client, "h1", "Kaksivaiheinen kirjautuminen").await;
    assert!(page.contains("Roolisi vaatii kirjautumiseen toisen vaiheen"), "{page}");
    let qr_width = client
        .execute("return document.querySelector('img.qr').naturalWidth", vec![])
        .await
        .unwrap();
    assert!(
        qr_width.as_u64().unwrap_or(0) >= 200,
        "the QR code is drawn: {qr_width}"
    );
    accessible(&client, &tools, "two-step set-up").await;
    screenshots(&client, "two-step").await;

    let secret = client
        .find(Locator::Css("input[name=secret]"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    let key = client.find(Locator::Id("key")).await.unwrap().text().await.unwrap();
    assert_eq!(
        key.replace(' ', ""),
        secret,
        "the key to type is the secret, in groups of four"
    );
    let code = briefcast::totp::Secret::from_base32(&secret)
        .unwrap()
        .code(briefcast::clock::Clock::now(&app.clock));
    client
        .find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    click(&client, "form[action^='/sign-in/code'] button").await;
    wait_for_text(&client, "h1", "Tiedotteet").await;

    client.goto(&app.url("/audit?family=session")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Tapahtumaloki").await;
    assert!(page.contains("session.start"), "{page}");
    accessible(&client, &tools, "audit").await;
    screenshots(&client, "audit").await;

    client.goto(&app.url("/accounts")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Tilit").await;
    assert!(page.contains("Hanna Hyväksyjä"), "{page}");
    accessible(&client, &tools, "accounts").await;
    screenshots(&client, "accounts").await;
    click(&client, "a[href='/accounts/hanna%40example.fi']").await;
    wait_for_text(&client, "h1", "Hanna Hyväksyjä").await;
    accessible(&client, &tools, "an account").await;
    screenshots(&client, "account-admin").await;
    client.goto(&app.url("/account")).await.unwrap();
    let page = wait_for_text(&client, "h1", "Oma tili").await;
    assert!(
        page.contains("Käytössä: kirjautuminen kysyy koodin sovelluksestasi."),
        "{page}"
    );
    accessible(&client, &tools, "own account").await;
    screenshots(&client, "account").await;

    // Next time: the password, then only the code, on a page of its own.
    click(&client, "form[action='/sign-out'] button").await;
    wait_for_text(&client, "p.notice", "Olet kirjautunut ulos.").await;
    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    let page = wait_for_text(&client, "h1", "Kaksivaiheinen kirjautuminen").await;
    assert!(!page.contains("QR"), "no new key for someone who has an app: {page}");
    accessible(&client, &tools, "two-step code").await;
    screenshots(&client, "two-step-code").await;
    app.clock.advance(chrono::TimeDelta::seconds(30));
    let code = briefcast::totp::Secret::from_base32(&secret)
        .unwrap()
        .code(briefcast::clock::Clock::now(&app.clock));
    client
        .find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    click(&client, "form[action^='/sign-in/code'] button").await;
    wait_for_text(&client, "h1", "Tiedotteet").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_from_a_cap_exercise_shows_where_it_came_from_and_cannot_be_approved() {
    let Some(tools) = tools() else { return };
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
    let exercise = include_str!("../fixtures/cap/04-exercise.xml");
    let response = app
        .post("/api/v1/briefs", &app.coordinator)
        .header("content-type", "application/cap+xml")
        .body(exercise)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let id = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    add_person(
        &app,
        "hanna@example.fi",
        "Hanna Hyväksyjä",
        Role::Approver,
        Language::Sv,
    )
    .await;
    let client = browser(&tools).await;
    sign_in(&client, &app, "hanna@example.fi", PASSWORD).await;
    client.goto(&app.url(&format!("/briefs/{id}"))).await.unwrap();
    let page = wait_for_text(&client, "#cap-status", "Övning").await;
    assert!(page.contains("Från en CAP-varning"), "{page}");
    assert!(
        !page.contains("meddelandet kan godkännas"),
        "never said to be approvable: {page}"
    );
    assert!(
        page.contains("bara verkliga (Actual) varningar leder till ett utskick"),
        "{page}"
    );
    assert!(
        client.find(Locator::Css("form[action$='/approve']")).await.is_err(),
        "no approval is offered: {page}"
    );
    accessible(&client, &tools, "a CAP exercise").await;
    screenshots(&client, "cap-exercise").await;
    client.close().await.unwrap();
}
