//! The HTTP API, black-box, on every backend.

use crate::common;

use common::{SAMPLE_ROSTER, TestApp, json_of, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn import_sample(app: &TestApp) -> Value {
    let response = app
        .post("/api/v1/influencers/import", &app.coordinator)
        .body(SAMPLE_ROSTER)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
    body
}

each_backend! {
    async fn health_and_metrics_need_no_token(b) {
        let app = spawn_app(&b).await;
        let (status, body) = json_of(app.client.get(app.url("/healthz")).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({ "status": "ok", "database": b.name }));
        import_sample(&app).await;
        let metrics = app
            .client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains("briefcast_roster_rows_total{outcome=\"new\"} 17"),
            "{metrics}"
        );
        assert!(
            metrics.contains("briefcast_roster_rows_total{outcome=\"rejected\"} 4"),
            "{metrics}"
        );
        assert!(
            metrics.contains("briefcast_http_requests_total{method=\"GET\",status=\"200\"}"),
            "{metrics}"
        );
    }
}

each_backend! {
    async fn the_api_answers_401_without_a_valid_token_and_403_for_the_wrong_role(b) {
        let app = spawn_app(&b).await;
        let (status, body) = json_of(app.client.get(app.url("/api/v1/influencers")).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthorized");
        assert!(body["error"]["message"].as_str().unwrap().contains("Authorization"));

        let (status, body) = json_of(app.get("/api/v1/influencers", "bc_forged").send().await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["message"], "the token is not valid or has been revoked");

        let (status, body) = json_of(app.get("/api/v1/influencers", &app.ops).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "forbidden");
        let import = app
            .post("/api/v1/influencers/import", &app.ops)
            .body(SAMPLE_ROSTER)
            .send()
            .await
            .unwrap();
        assert_eq!(import.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.store.list_influencers(&Default::default()).await.unwrap().len(),
            0,
            "ops imported nothing"
        );

        for token in [&app.coordinator, &app.approver] {
            assert_eq!(
                app.get("/api/v1/influencers", token).send().await.unwrap().status(),
                StatusCode::OK
            );
        }
    }
}

each_backend! {
    async fn a_coordinator_imports_lists_and_erases_over_the_api(b) {
        let app = spawn_app(&b).await;
        let report = import_sample(&app).await;
        assert_eq!(
            (report["new"].as_u64(), report["unchanged"].as_u64()),
            (Some(17), Some(0))
        );
        assert_eq!(
            report["rejected"][0],
            json!({ "line": 18, "email": "not-an-email", "reason": "email: `not-an-email` is not a valid email address" })
        );
        let again = import_sample(&app).await;
        assert_eq!(
            (again["new"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(17))
        );

        let (_, list) = json_of(
            app.get("/api/v1/influencers?language=sv&cadence=daily", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let emails: Vec<&str> = list["influencers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["email"].as_str().unwrap())
            .collect();
        assert_eq!(emails, vec!["kalle.lindqvist@example.com", "sara.oberg@example.com"]);

        let (status, body) = json_of(
            app.get("/api/v1/influencers?language=de", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "language");

        let (status, one) = json_of(
            app.get("/api/v1/influencers/SARA.OBERG@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (one["name"].as_str(), one["suppressed"].clone()),
            (Some("Sara Öberg"), Value::Null)
        );

        let (status, export) = json_of(
            app.get("/api/v1/influencers/sara.oberg@example.com/export", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(export["influencer"]["consent_source"], "personal-contact");

        let erased = app
            .delete("/api/v1/influencers/sara.oberg@example.com", &app.coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
        let (status, body) = json_of(
            app.get("/api/v1/influencers/sara.oberg@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _) = json_of(
            app.delete("/api/v1/influencers/sara.oberg@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (_, audit) = json_of(app.get("/api/v1/audit", &app.coordinator).send().await.unwrap()).await;
        let latest = &audit["entries"][0];
        assert_eq!(latest["action"], "influencer.erase");
        assert!(latest["actor"].as_str().unwrap().ends_with(":coordinator"), "{latest}");
    }
}

each_backend! {
    async fn a_malformed_csv_gets_a_422_naming_the_line_and_changes_nothing(b) {
        let app = spawn_app(&b).await;
        import_sample(&app).await;
        let broken = "email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n\
                      new@example.com,New,fi,instagram,1,x,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,form\n\
                      eero.makinen@example.com,Eero,fi\n";
        let (status, body) = json_of(
            app.post("/api/v1/influencers/import", &app.coordinator)
                .body(broken)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "invalid");
        assert_eq!(body["error"]["field"], "file");
        assert_eq!(
            body["error"]["message"],
            "line 3: 3 fields where the header has 11; quote fields that contain commas"
        );
        let (status, _) = json_of(
            app.get("/api/v1/influencers/new@example.com", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{}: nothing of the broken file landed",
            b.name
        );
    }
}

each_backend! {
    async fn segments_over_the_api(b) {
        let app = spawn_app(&b).await;
        import_sample(&app).await;
        let new = json!({ "name": "sv-tiktok", "languages": ["sv"], "platforms": ["TikTok"] });
        let (status, body) = json_of(
            app.post("/api/v1/segments", &app.coordinator)
                .json(&new)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["members"], 2);
        let (status, body) = json_of(
            app.post("/api/v1/segments", &app.coordinator)
                .json(&new)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("name"))
        );

        let typo = json!({ "name": "x", "langauges": ["sv"] });
        let (status, body) = json_of(
            app.post("/api/v1/segments", &app.coordinator)
                .json(&typo)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["error"]["message"].as_str().unwrap().contains("langauges"),
            "{body}"
        );
        let bad = json!({ "name": "x", "platforms": ["myspace"] });
        let (status, body) = json_of(
            app.post("/api/v1/segments", &app.coordinator)
                .json(&bad)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("platform"))
        );

        let (_, one) = json_of(
            app.get("/api/v1/segments/sv-tiktok", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(one["members"], 2);
        let (_, members) = json_of(
            app.get("/api/v1/influencers?segment=sv-tiktok", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(members["count"], 2);
        let (_, all) = json_of(app.get("/api/v1/segments", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(all["segments"].as_array().unwrap().len(), 1);
        let (status, _) = json_of(app.get("/api/v1/segments/nope", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

each_backend! {
    async fn unknown_routes_answer_in_the_json_error_shape(b) {
        let app = spawn_app(&b).await;
        let (status, body) = json_of(app.get("/api/v1/nothing-here", &app.coordinator).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "not_found");
    }
}

each_backend! {
    async fn the_daemon_stops_cleanly_when_told(b) {
        let app = spawn_app(&b).await;
        assert_eq!(
            app.client.get(app.url("/healthz")).send().await.unwrap().status(),
            StatusCode::OK
        );
        let health = app.url("/healthz");
        app.shutdown.cancel();
        app.server.await.unwrap().unwrap();
        assert!(reqwest::get(health).await.is_err(), "no longer listening");
    }
}

each_backend! {
    /// Every error the API gives is in its JSON shape with the right status, including those axum
    /// answers by itself; a huge offset is past the end, never the first page again.
    async fn every_error_is_json_with_the_right_status(b) {
        let app = spawn_app(&b).await;
        import_sample(&app).await;
        let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
            (
                app.get("/api/v1/briefs/abc", &app.coordinator),
                StatusCode::BAD_REQUEST,
                "bad_request",
            ),
            (
                app.get("/api/v1/influencers?limit=abc", &app.coordinator),
                StatusCode::BAD_REQUEST,
                "bad_request",
            ),
            (
                app.get("/api/v1/briefs/1/preview", &app.coordinator),
                StatusCode::BAD_REQUEST,
                "bad_request",
            ),
            (
                app.delete("/api/v1/briefs", &app.coordinator),
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
            ),
            (
                app.post("/api/v1/inbound", &app.ops).body(vec![b'x'; 40 * 1024 * 1024]),
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
            ),
        ];
        for (request, status, code) in cases {
            let response = request.send().await.unwrap();
            let got = response.status();
            let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
            let body: Value = response.json().await.expect("a JSON body");
            assert_eq!(
                (got, body["error"]["code"].as_str()),
                (status, Some(code)),
                "{}: {body}",
                b.name
            );
            assert!(content_type.starts_with("application/json"), "{content_type}");
            assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "{body}");
        }

        let (status, page) = json_of(
            app.get("/api/v1/influencers?offset=9223372036854775808", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            page["influencers"],
            json!([]),
            "{}: past the end, not the first page",
            b.name
        );
    }
}

each_backend! {
    /// RFC 9110: the authentication scheme is case-insensitive.
    async fn the_bearer_scheme_is_case_insensitive(b) {
        let app = spawn_app(&b).await;
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let response = app
                .client
                .get(app.url("/api/v1/briefs"))
                .header("authorization", format!("{scheme} {}", app.coordinator))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{scheme}");
        }
        let wrong = app
            .client
            .get(app.url("/api/v1/briefs"))
            .header("authorization", format!("Basic {}", app.coordinator))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
}

each_backend! {
    /// Strict headers on every page, the public ones above all: the unsubscribe button cannot be
    /// framed by another site, and nothing is sniffed, cached or referred.
    async fn every_response_carries_strict_headers(b) {
        let app = spawn_app(&b).await;
        for path in ["/u/not-a-token", "/healthz", "/api/v1/briefs", "/nowhere"] {
            let response = app.client.get(app.url(path)).send().await.unwrap();
            let h = response.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
                "{path}: {csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
        }
    }
}

each_backend! {
    /// Invented HTTP methods, however long, all count under one label.
    async fn invented_methods_make_no_new_metric_series(b) {
        let app = spawn_app(&b).await;
        for i in 0..20 {
            let method = reqwest::Method::from_bytes(format!("INVENTED{i}{}", "X".repeat(500)).as_bytes()).unwrap();
            app.client.request(method, app.url("/healthz")).send().await.unwrap();
        }
        let metrics = app
            .client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!metrics.contains("INVENTED"), "{}", b.name);
        assert!(metrics.contains("method=\"other\""), "{metrics}");
    }
}

each_backend! {
    /// Approvers list tokens (never the token) and revoke them; a revoked token gets 401 at once,
    /// and each token's last use is kept.
    async fn approvers_list_and_revoke_tokens_and_a_revoked_token_is_refused_at_once(b) {
        let app = spawn_app(&b).await;
        assert_eq!(
            app.get("/api/v1/briefs", &app.ops).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        for token in [&app.coordinator, &app.ops] {
            let denied = app.get("/api/v1/tokens", token).send().await.unwrap();
            assert_eq!(denied.status(), StatusCode::FORBIDDEN, "{}", b.name);
        }
        let response = app.get("/api/v1/tokens", &app.approver).send().await.unwrap();
        let text = response.text().await.unwrap();
        for secret in [&app.coordinator, &app.approver, &app.ops] {
            assert!(!text.contains(secret.as_str()), "a token in the listing");
        }
        let listed: Value = serde_json::from_str(&text).unwrap();
        let tokens = listed["tokens"].as_array().unwrap();
        assert_eq!(tokens.len(), 3, "{listed}");
        let ops = tokens.iter().find(|t| t["role"] == "ops").unwrap();
        assert!(ops["last_used_at"].is_string(), "ops used its token above: {ops}");
        assert!(ops["revoked_at"].is_null());
        assert!(tokens.iter().all(|t| t.get("token_hash").is_none()));

        let id = ops["id"].as_i64().unwrap();
        let (status, revoked) = json_of(
            app.post(&format!("/api/v1/tokens/{id}/revoke"), &app.approver)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{revoked}");
        assert!(revoked["revoked_at"].is_string());
        let refused = app.get("/api/v1/deliveries", &app.ops).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{}", b.name);
        let (status, _) = json_of(
            app.post("/api/v1/tokens/999/revoke", &app.approver)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, audit) = json_of(app.get("/api/v1/audit", &app.coordinator).send().await.unwrap()).await;
        assert!(
            audit["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "token.revoke"),
            "{audit}"
        );
    }
}

each_backend! {
    /// The README's roster sizes import over the API too, not only at the command line (the HTTP
    /// layer's default limit, 2 MB, stopped them).
    async fn a_roster_over_the_default_body_limit_imports_over_the_api(b) {
        let app = spawn_app(&b).await;
        let csv = generated_roster(30_000);
        assert!(csv.len() > 3 * 1024 * 1024, "over the old 2 MB limit");
        let (status, report) = json_of(
            app.post("/api/v1/influencers/import", &app.coordinator)
                .body(csv)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {report}", b.name);
        assert_eq!(report["new"], 30_000);
    }
}

fn generated_roster(rows: usize) -> String {
    let mut csv =
        String::from("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "reader{i:06}@example.fi,Reader Number {i},fi,instagram;tiktok,1000,health,Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,signup-form\n"
        ));
    }
    csv
}

each_backend! {
    /// A roster sent in pieces without a length, as a large upload arrives, is read as it streams
    /// and stored in parts; a fault in the last part still leaves nothing of the earlier parts.
    async fn a_streamed_roster_lands_whole_or_not_at_all(b) {
        fn in_pieces(csv: String) -> reqwest::Body {
            let pieces: Vec<Result<Vec<u8>, std::io::Error>> =
                csv.into_bytes().chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            reqwest::Body::wrap_stream(futures::stream::iter(pieces))
        }
        let app = spawn_app(&b).await;
        let mut broken = generated_roster(12_000);
        broken.push_str("late@example.fi,Late,fi\n");
        let (status, body) = json_of(
            app.post("/api/v1/influencers/import", &app.coordinator)
                .body(in_pieces(broken))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", b.name);
        assert_eq!(
            body["error"]["message"],
            "line 12002: 3 fields where the header has 11; quote fields that contain commas"
        );
        let (status, _) = json_of(
            app.get("/api/v1/influencers/reader000001@example.fi", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{}: the first part was rolled back",
            b.name
        );

        let (status, report) = json_of(
            app.post("/api/v1/influencers/import", &app.coordinator)
                .body(in_pieces(generated_roster(12_000)))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {report}", b.name);
        assert_eq!(report["new"], 12_000);
        let (_, listed) = json_of(
            app.get("/api/v1/influencers?limit=10000&offset=11990", &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(listed["count"], 10, "{}: every row of every part is stored", b.name);
    }
}

each_backend! {
    /// A body that says it is over the roster route's limit is refused before it is read.
    async fn a_roster_declared_over_the_limit_is_413_in_json(b) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let app = spawn_app(&b).await;
        let address = app.addr.to_string();
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request = format!(
            "POST /api/v1/influencers/import HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: text/csv\r\nContent-Length: 2147483648\r\nConnection: close\r\n\r\nemail,name\n",
            app.coordinator
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{}: {answer}", b.name);
        assert!(answer.contains("\"code\":\"too_large\""), "{}: {answer}", b.name);
    }
}
