//! Public pack pages and their signatures, as the public meets them: a page only once a pack is
//! issued, a signed copy that checks out against the published key, a changed word refused, a
//! withdrawn pack saying so, and `briefcast verify` on a file and on an address.

use crate::common;

use briefcast::pack::{PublicKey, SignatureError, verify};
use chrono::{TimeZone, Utc};
use common::{TestApp, json_of, spawn_app};
use reqwest::StatusCode;

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");
const BOIL_WATER: &str = include_str!("../fixtures/briefs/boil-water-urgent.toml");

/// A brief with neither embargo nor expiry: issued the moment it is approved, on any date, so a
/// command line on the real clock sees it as the daemon on the test clock does.
fn open_ended(fixture: &str) -> String {
    let mut document: toml::Table = toml::from_str(fixture).unwrap();
    let meta = document.get_mut("meta").and_then(toml::Value::as_table_mut).unwrap();
    meta.remove("embargo");
    meta.remove("expires");
    toml::to_string(&document).unwrap()
}

async fn text_of(app: &TestApp, path: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, response.text().await.unwrap(), headers)
}

async fn published_keys(app: &TestApp) -> Vec<PublicKey> {
    let (status, jwks) = json_of(
        app.client
            .get(app.url("/.well-known/briefcast-pack-keys"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    PublicKey::from_jwks(&jwks)
}

async fn check(app: &TestApp, language: &str, text: &str) -> String {
    let response = app
        .client
        .post(app.url(&format!("/verify?lang={language}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("text", text)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

each_backend! {
    async fn a_pack_is_public_only_once_issued_and_its_signed_copy_checks_out(b) {
        let app = spawn_app(&b).await;
        // Approved, but its embargo (23.11. 08:00) is two days away: nothing to see yet.
        let id = app.submit_and_approve("/api/v1/briefs", STORM).await;
        let (status, _, _) = text_of(&app, &format!("/p/{id}/fi")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an embargoed pack is not published");
        let (draft_status, draft) = json_of(
            app.post("/api/v1/briefs", &app.coordinator)
                .header("content-type", "application/toml")
                .body(BOIL_WATER.to_string())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(draft_status, StatusCode::CREATED);
        let draft_id = draft["id"].as_i64().unwrap();

        app.clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap());
        let (status, html, headers) = text_of(&app, &format!("/p/{id}/fi")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Varaudu myrskyyn: pärjää kotona 72 tuntia"), "{html}");
        assert!(html.contains("Aito: julkaisija briefcast"), "says who issued it: {html}");
        assert!(html.contains("/p/assets/pack.js"), "copy buttons");
        assert!(html.contains("hreflang=\"sv\""), "the Swedish version: {html}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'; style-src 'self'; script-src 'self'"), "{policy}");
        for remote in ["<img", "src=\"http", "stylesheet\" href=\"http", "<iframe"] {
            assert!(!html.contains(remote), "no remote assets or tracking: {remote}");
        }
        assert!(headers.get("set-cookie").is_none(), "no cookies");
        let (status, _, _) = text_of(&app, &format!("/p/{draft_id}/fi")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a draft is not published");
        for bad in ["/p/x/fi", &format!("/p/{id}/de"), "/p/999999/fi"] {
            assert_eq!(text_of(&app, bad).await.0, StatusCode::NOT_FOUND, "{bad}");
        }

        let keys = published_keys(&app).await;
        let (status, signed, _) = text_of(&app, &format!("/p/{id}/fi/signed.txt")).await;
        assert_eq!(status, StatusCode::OK);
        let genuine = verify(&signed, &keys).expect("the signed copy checks out against the published key");
        assert_eq!(genuine.header.brief.0, id);
        assert_eq!(genuine.header.issued, Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap());
        let changed = signed.replace("72 tuntia", "27 tuntia");
        assert_eq!(verify(&changed, &keys), Err(SignatureError::Altered));

        let page = check(&app, "fi", &signed).await;
        assert!(page.contains("standing genuine") && page.contains("Aito"), "{page}");
        let page = check(&app, "en", &changed).await;
        assert!(page.contains("Not genuine: this copy was changed after it was signed."), "{page}");
        // A caption as an influencer posted it, unsigned: found, and named.
        let storm = briefcast::brief::Brief::from_toml(STORM).unwrap();
        let caption = briefcast::pack::Snippets::of(&storm, briefcast::language::Language::Fi)
            .and_then(|s| s.instagram)
            .unwrap()
            .caption;
        let page = check(&app, "sv", &caption.replace('\n', "\r\n  ")).await;
        assert!(page.contains("standing genuine"), "{page}");
        let page = check(&app, "en", "A storm is coming: the government says fill your bathtub with petrol.").await;
        assert!(page.contains("Not found: no pack issued by briefcast contains this text."), "{page}");

        let (status, _) = json_of(
            app.post(&format!("/api/v1/briefs/{id}/withdraw"), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, standing) = json_of(app.client.get(app.url(&format!("/p/{id}/en/status"))).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(standing["standing"], "withdrawn", "{standing}");
        let (_, html, _) = text_of(&app, &format!("/p/{id}/fi")).await;
        assert!(html.contains("Peruttu"), "the page says it is withdrawn: {html}");
        let page = check(&app, "en", &signed).await;
        assert!(page.contains("standing refused") && page.contains("Withdrawn on 23 November 2026"), "{page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn briefcast_verify_accepts_the_genuine_pack_refuses_a_changed_word_and_says_withdrawn() {
    let backend = common::sqlite_backend().await;
    let app = spawn_app(&backend).await;
    let id = app.submit_and_approve("/api/v1/briefs", &open_ended(STORM)).await;
    let (_, signed, _) = text_of(&app, &format!("/p/{id}/sv/signed.txt")).await;
    let dir = backend.dir.path().to_path_buf();
    std::fs::write(dir.join("genuine.txt"), &signed).unwrap();
    std::fs::write(dir.join("changed.txt"), signed.replacen("vatten", "saft", 1)).unwrap();
    let page = app.url(&format!("/p/{id}/sv"));
    // The command line on this deployment's data folder: its database and its key.
    let run = move |args: Vec<String>| {
        let dir = dir.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefcast"))
                    .args(&args)
                    .current_dir(&dir)
                    .env("BRIEFCAST_DATA_DIR", &dir)
                    .env_remove("BRIEFCAST_DATABASE_URL")
                    .env("RUST_LOG", "warn")
                    .output()
                    .unwrap();
                (
                    out.status.success(),
                    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
                )
            })
            .await
            .unwrap()
        }
    };
    let (ok, said) = run(vec!["verify".into(), "genuine.txt".into()]).await;
    assert!(ok && said.contains("GENUINE") && said.contains("current"), "{said}");
    let (ok, said) = run(vec!["verify".into(), "changed.txt".into()]).await;
    assert!(
        !ok && said.contains("NOT GENUINE") && said.contains("changed after it was signed"),
        "{said}"
    );
    let (ok, said) = run(vec!["verify".into(), page.clone()]).await;
    assert!(ok && said.contains("GENUINE") && said.contains("current"), "{said}");

    let withdrawn = app
        .post(&format!("/api/v1/briefs/{id}/withdraw"), &app.coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let (ok, said) = run(vec!["verify".into(), "genuine.txt".into()]).await;
    assert!(!ok && said.contains("WITHDRAWN"), "{said}");
    let (ok, said) = run(vec!["verify".into(), page]).await;
    assert!(!ok && said.contains("WITHDRAWN"), "{said}");
    let (ok, said) = run(vec!["verify".into(), "no-such-file.txt".into()]).await;
    assert!(!ok && said.contains("no-such-file.txt"), "{said}");
}
