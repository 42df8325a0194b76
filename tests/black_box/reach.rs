//! Reach as its people meet it: influencers reply with the links of what they posted, in
//! Finnish, Swedish and English under the quoted edition, or report a post from their page;
//! readers click a source; the report's figures for this small campaign match a count made by
//! hand; erasure takes a person's reports with them.

use crate::common;

use common::{SAMPLE_ROSTER, TestApp, eventually, json_of, reply_to, spawn_app_with, spawn_smtp_peer};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use serde_json::{Value, json};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

/// A Finnish reply that links a TikTok post and asks something too, above the quoted edition
/// (whose own link must not count).
const FI_POST_AND_QUESTION: &str = "From: Aino Virtanen <aino.virtanen@example.com>\r
To: <questions+{{TOKEN}}@replies.example.fi>\r
Subject: Re: Varaudu myrskyyn: pärjää kotona 72 tuntia\r
Message-ID: <aino-post@mail.example.com>\r
In-Reply-To: {{MESSAGE_ID}}\r
References: {{MESSAGE_ID}}\r
Content-Type: text/plain; charset=utf-8\r
\r
Julkaisin tämän: https://www.tiktok.com/@aino/video/7312345678901234567\r
Saako saman videon jakaa myös ensi viikolla uudestaan?\r
\r
ma 23.11.2026 klo 8.00 Koronafaktat <news@example.fi> kirjoitti:\r
> Katso: https://www.tiktok.com/@someone/video/1111111111111111111\r
";

/// A Swedish reply that only links an Instagram post.
const SV_POST: &str = "From: Sara Oberg <sara.oberg@example.com>\r
To: <questions+{{TOKEN}}@replies.example.fi>\r
Subject: SV: Förbered dig på stormen\r
Message-ID: <sara-post@mail.example.com>\r
In-Reply-To: {{MESSAGE_ID}}\r
Content-Type: text/plain; charset=utf-8\r
\r
Hej! Här är mitt inlägg: https://www.instagram.com/p/C0ffee123/?igsh=xyz\r
\r
Från: Koronafaktat <news@example.fi>\r
Skickat: den 23 november 2026 08:00\r
> Förbered dig på stormen\r
";

/// An English reply, bottom-quoted history first, that links a YouTube video twice.
const EN_POST: &str = "From: Priya Nair <priya.nair@example.org>\r
To: <questions+{{TOKEN}}@replies.example.fi>\r
Subject: Re: Get ready for the storm\r
Message-ID: <priya-post@mail.example.com>\r
In-Reply-To: {{MESSAGE_ID}}\r
Content-Type: text/plain; charset=utf-8\r
\r
On Mon, 23 Nov 2026 at 08:00, Koronafaktat <news@example.fi> wrote:\r
> Get ready for the storm: manage at home for 72 hours\r
\r
Done, thanks: https://www.youtube.com/watch?v=Qm3rSt0rm72&t=4s (and https://youtu.be/Qm3rSt0rm72 for mobile)\r
";

async fn post_json(app: &TestApp, path: &str, body: Value) -> Value {
    let (status, answer) = json_of(app.post(path, &app.coordinator).json(&body).send().await.unwrap()).await;
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

async fn report(app: &TestApp) -> Value {
    let (status, report) = json_of(app.get("/api/v1/reports/reach", &app.ops).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

fn message_to<'a>(messages: &'a [common::Received], to: &str) -> &'a common::Received {
    messages
        .iter()
        .find(|m| m.rcpt_to[0] == to)
        .unwrap_or_else(|| panic!("no message to {to}"))
}

fn text_of(message: &common::Received) -> String {
    MessageParser::default()
        .parse(&message.bytes)
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

fn html_of(message: &common::Received) -> String {
    MessageParser::default()
        .parse(&message.bytes)
        .and_then(|m| m.body_html(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

/// The reader's page link in a message.
fn page_of(message: &common::Received) -> String {
    let text = text_of(message);
    let at = text.find("/u/").expect("a reader's page link");
    let start = text[..at].rfind("http").unwrap();
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn post_form(app: &TestApp, page: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let response = app
        .client
        .post(format!("{page}/posts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

each_backend! {
    async fn posts_reported_by_reply_and_form_and_clicked_sources_add_up_in_the_report(b) {
        let (smtp_url, received) = spawn_smtp_peer();
        let app = spawn_app_with(&b, &[("BRIEFCAST_SMTP_URL", &smtp_url), ("BRIEFCAST_REPLY_DOMAIN", "replies.example.fi")]).await;
        // Priya reads daily here, so that the English reader's reply answers the same edition.
        let roster = String::from_utf8_lossy(SAMPLE_ROSTER).replace("Pirkanmaa,open,monthly", "Pirkanmaa,open,daily");
        let import = app.post("/api/v1/influencers/import", &app.coordinator).body(roster).send().await.unwrap();
        assert_eq!(import.status(), StatusCode::OK);
        post_json(&app, "/api/v1/segments", json!({ "name": "everyone" })).await;
        let brief = app.submit_and_approve("/api/v1/briefs", STORM).await;
        post_json(&app, "/api/v1/schedules", json!({ "name": "all", "cron": "0 9 * * *", "cadence": "daily", "segment": "everyone" })).await;
        app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-11-23T08:30:00+02:00").unwrap().to_utc());
        let edition = post_json(&app, "/api/v1/editions", json!({ "schedule": "all" })).await;
        let readers = edition["recipients"].as_u64().unwrap() as usize;
        eventually("every reader's message at the SMTP peer", || received.lock().unwrap().len() >= readers).await;
        let messages = received.lock().unwrap().clone();

        // Everyone's source link is the same link: a click cannot say who clicked. The link's
        // text is still the source's own address, for readers to check before they share.
        let links: Vec<String> = messages
            .iter()
            .map(html_of)
            .filter(|h| h.contains("Varaudu myrskyyn"))
            .map(|h| {
                assert!(h.contains(">https://72tuntia.fi/</a>"), "the source is named as it is");
                let at = h.find("/r/").expect("a counted source link");
                let start = h[..at].rfind('"').unwrap() + 1;
                let end = at + h[at..].find('"').unwrap();
                h[start..end].to_string()
            })
            .collect();
        assert!(links.len() >= 2 && links.iter().all(|l| *l == links[0]), "{links:?}");
        let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let click = no_redirects.get(&links[0]).send().await.unwrap();
        assert_eq!(click.status(), StatusCode::FOUND);
        assert_eq!(click.headers()["location"], "https://72tuntia.fi/");
        let forged = no_redirects.get(app.url("/r/aaaaaaaaaaaaaaaaaaaa")).send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::NOT_FOUND, "a link we did not sign goes nowhere");

        for (to, template) in [
            ("aino.virtanen@example.com", FI_POST_AND_QUESTION),
            ("sara.oberg@example.com", SV_POST),
            ("priya.nair@example.org", EN_POST),
        ] {
            let raw = reply_to(message_to(&messages, to), template);
            let answer = app.post("/api/v1/inbound", &app.ops).body(raw).send().await.unwrap();
            assert!(answer.status().is_success(), "{to}: {}", answer.status());
        }
        let (_, questions) = json_of(app.get("/api/v1/questions", &app.coordinator).send().await.unwrap()).await;
        let questions = questions["questions"].as_array().cloned().unwrap_or_default();
        assert_eq!(questions.len(), 1, "only Aino asked something: {questions:?}");
        assert!(questions[0]["text"].as_str().unwrap().contains("ensi viikolla"));

        // Noora reports hers from her page: refusals first, each in Finnish, nothing stored.
        let noora = page_of(message_to(&messages, "noora.salo@example.com"));
        let brief_field = brief.to_string();
        for (fields, status, said) in [
            (vec![("brief", brief_field.as_str()), ("platform", "tiktok"), ("url", "https://example.com/video/1")], StatusCode::UNPROCESSABLE_ENTITY, "Linkki ei ole Instagramiin"),
            (vec![("brief", brief_field.as_str()), ("platform", "tiktok"), ("url", "http://www.tiktok.com/@noora/video/7")], StatusCode::UNPROCESSABLE_ENTITY, "Linkin pitää alkaa https://"),
            (vec![("brief", brief_field.as_str()), ("platform", "tiktok"), ("url", "https://www.tiktok.com/@noora/video/7"), ("views", "-5")], StatusCode::UNPROCESSABLE_ENTITY, "Katselujen pitää olla kokonaisluku"),
            (vec![("brief", brief_field.as_str()), ("platform", "tiktok"), ("url", "https://www.tiktok.com/@noora/video/7"), ("views", "paljon")], StatusCode::UNPROCESSABLE_ENTITY, "Katselujen pitää olla kokonaisluku"),
            (vec![("brief", "999999"), ("platform", "tiktok"), ("url", "https://www.tiktok.com/@noora/video/7")], StatusCode::UNPROCESSABLE_ENTITY, "Tätä tiedotetta ei lähetetty sinulle"),
            (vec![("brief", brief_field.as_str()), ("platform", "instagram"), ("url", "https://www.tiktok.com/@noora/video/7")], StatusCode::UNPROCESSABLE_ENTITY, "Linkki on kanavalla TikTok"),
            (vec![("brief", brief_field.as_str()), ("platform", "instagram"), ("url", "https://instagram.com/p/C0ffee123")], StatusCode::CONFLICT, "on jo ilmoitettu"),
            (vec![("brief", brief_field.as_str()), ("platform", "tiktok"), ("url", "https://www.tiktok.com/@noora/video/7"), ("views", "12 300")], StatusCode::OK, "Kiitos: julkaisusi on laskettu mukaan."),
        ] {
            let (got, page) = post_form(&app, &noora, &fields).await;
            assert_eq!(got, status, "{fields:?}: {page}");
            let page = page.replace("&#x2f;", "/");
            assert!(page.contains(said), "{fields:?} should say `{said}`: {page}");
        }

        // By hand: posts from Aino (TikTok, 182,000 followers), Sara (Instagram, 96,000), Priya
        // (YouTube once, though linked twice, 12,000) and Noora (TikTok, 64,000, 12,300 views);
        // one click; one question, not answered; every reader reached.
        let roster: std::collections::HashMap<&str, u64> = [
            ("aino", 182_000), ("sara", 96_000), ("priya", 12_000), ("noora", 64_000),
        ].into_iter().collect();
        let followers: u64 = roster.values().sum();
        let figures = report(&app).await;
        let totals = &figures["totals"];
        assert_eq!(totals["readers_reached"], readers as u64, "{figures}");
        assert_eq!(totals["posts"], 4, "{figures}");
        assert_eq!(totals["posters"], 4);
        assert_eq!(totals["potential_reach"], followers, "{figures}");
        assert_eq!(totals["views"], 12_300);
        assert_eq!(totals["clicks"], 1);
        assert_eq!((totals["questions"].as_u64(), totals["answered"].as_u64()), (Some(1), Some(0)));
        let tiktok = figures["platforms"].as_array().unwrap().iter().find(|p| p["platform"] == "tiktok").cloned().unwrap();
        assert_eq!((tiktok["posts"].as_u64(), tiktok["potential_reach"].as_u64()), (Some(2), Some(246_000)));
        assert_eq!(figures["briefs"][0]["brief"], brief);
        let csv = app.get("/api/v1/reports/reach?format=csv", &app.ops).send().await.unwrap().text().await.unwrap();
        assert!(csv.starts_with("section,key,label,readers_reached"), "{csv}");
        assert!(csv.contains(&format!("total,,,{readers},4,4,{followers},12300,1,1,0")), "{csv}");

        // Her reports are in her export, and go with her.
        let (_, export) = json_of(app.get("/api/v1/influencers/noora.salo@example.com/export", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(export["post_reports"][0]["url"], "https://tiktok.com/@noora/video/7", "{export}");
        let erased = app.delete("/api/v1/influencers/noora.salo@example.com", &app.coordinator).send().await.unwrap();
        assert!(erased.status().is_success());
        let after = report(&app).await;
        assert_eq!((after["totals"]["posts"].as_u64(), after["totals"]["views"].as_u64()), (Some(3), Some(0)), "{after}");
    }
}
