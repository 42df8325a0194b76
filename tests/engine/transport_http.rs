//! The HTTP mail API transport against an in-process API.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, OutgoingMessage, Part};
use briefcast::dispatch::transport::{HttpApiSettings, SendError, transport_from_url};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use rand::SeedableRng;
use rand::rngs::StdRng;

const TOKEN: &str = "api-token-that-must-stay-secret";

#[derive(Clone, Default)]
struct Api {
    requests: Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>>,
}

/// Answers by the recipient's local part: `ok`, `busy` (429), `down` (503), `bad` (422).
async fn accept(
    State(api): State<Api>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> (StatusCode, String) {
    let to = body["to"][0].as_str().unwrap_or("").to_string();
    api.requests.lock().unwrap().push((headers.clone(), body));
    let authorised = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"));
    if !authorised {
        return (StatusCode::UNAUTHORIZED, "bad token".into());
    }
    match to.split('@').next().unwrap() {
        "busy" => (StatusCode::TOO_MANY_REQUESTS, "slow down".into()),
        "down" => (StatusCode::SERVICE_UNAVAILABLE, String::new()),
        "bad" => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "{\"error\":\"invalid recipient\"}".into(),
        ),
        _ => (StatusCode::ACCEPTED, "{\"id\":\"q-1\"}".into()),
    }
}

async fn spawn_api() -> (String, Api) {
    let api = Api::default();
    let app = axum::Router::new().route("/send", post(accept)).with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/send"), api)
}

fn message(to: &str) -> OutgoingMessage {
    let letterhead = Letterhead::new(
        "news@vnk.example.fi",
        "reply.example.fi",
        "https://briefcast.example.fi",
        TokenKey::new("0123456789abcdef0123456789abcdef-test"),
        None,
    )
    .unwrap();
    let to = EmailAddress::parse(to).unwrap();
    let letter = Letter {
        edition_id: briefcast::ids::EditionId(1),
        delivery_id: briefcast::ids::DeliveryId(9),
        to: &to,
        to_name: None,
        language: Language::Fi,
        subject: "Faktat",
        text: Part::Text("Hei\n"),
        html: Part::Text("<p>Hei</p>"),
        list_name: "Daily (fi)",
        list_id: "daily.fi.news.example.fi",
    };
    letterhead
        .compose(&letter, chrono::Utc::now(), &mut StdRng::seed_from_u64(1))
        .unwrap()
}

fn settings(url: &str, token: &str) -> HttpApiSettings {
    HttpApiSettings {
        url: url.to_string(),
        token: token.to_string(),
        timeout: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_message_is_posted_as_json_with_the_envelope_and_raw_bytes() {
    let (url, api) = spawn_api().await;
    let transport = transport_from_url(None, std::path::Path::new("unused"), Some(settings(&url, TOKEN))).unwrap();
    assert_eq!(transport.name(), "http");
    let m = message("ok@example.fi");
    let receipt = transport.send(&m).await.unwrap();
    assert_eq!(receipt.response, "202 {\"id\":\"q-1\"}");

    let requests = api.requests.lock().unwrap();
    let (headers, body) = &requests[0];
    assert_eq!(body["message_id"], m.message_id);
    assert_eq!(body["from"], m.envelope.mail_from);
    assert_eq!(body["to"], serde_json::json!(["ok@example.fi"]));
    assert_eq!(STANDARD.decode(body["raw"].as_str().unwrap()).unwrap(), m.bytes);
    assert_eq!(headers["idempotency-key"], m.message_id.as_str());
}

#[tokio::test]
async fn answers_map_to_retry_or_give_up() {
    let (url, _api) = spawn_api().await;
    let transport = transport_from_url(None, std::path::Path::new("unused"), Some(settings(&url, TOKEN))).unwrap();
    for (to, temporary, response) in [
        ("busy@example.fi", true, "429 slow down"),
        ("down@example.fi", true, "503 Service Unavailable"),
        ("bad@example.fi", false, "422 {\"error\":\"invalid recipient\"}"),
    ] {
        let err = transport.send(&message(to)).await.unwrap_err();
        assert_eq!(err.is_temporary(), temporary, "{to}: {err:?}");
        assert_eq!(err.response(), response);
    }
}

#[tokio::test]
async fn a_wrong_token_is_permanent_and_never_echoed() {
    let (url, _api) = spawn_api().await;
    let transport = transport_from_url(
        None,
        std::path::Path::new("unused"),
        Some(settings(&url, "wrong-secret-token")),
    )
    .unwrap();
    let err = transport.send(&message("ok@example.fi")).await.unwrap_err();
    assert!(matches!(err, SendError::Permanent { .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong-secret-token"));
    assert!(!format!("{:?}", settings(&url, "wrong-secret-token")).contains("wrong-secret-token"));
}

#[tokio::test]
async fn an_unreachable_api_is_temporary() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    let transport = transport_from_url(
        None,
        std::path::Path::new("unused"),
        Some(settings(&format!("http://{addr}/send?key=hunter2"), TOKEN)),
    )
    .unwrap();
    let err = transport.send(&message("ok@example.fi")).await.unwrap_err();
    assert!(err.is_temporary(), "{err:?}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn smtp_and_http_at_once_is_refused() {
    let err = transport_from_url(
        Some("smtp://127.0.0.1:25"),
        std::path::Path::new("unused"),
        Some(settings("https://api.example.fi/send", TOKEN)),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("set only one"), "{err}");
}
