//! Government feeds, read from a web server the test runs: a CAP feed's alerts and a press
//! feed's items each become one draft brief, whatever is polled how often, by whom, across a
//! restart; conditional requests are made; a feed that fails is reported on the feed and the
//! others are still read.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode as Status, Uri};
use axum::response::{IntoResponse, Response};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, briefcast, eventually_async, json_of, spawn_api_only, spawn_app};

const ALERT: &str = include_str!("../fixtures/cap/01-wind-alert.xml");
const UPDATE: &str = include_str!("../fixtures/cap/02-wind-update.xml");
const CANCEL: &str = include_str!("../fixtures/cap/03-wind-cancel.xml");
const EXERCISE: &str = include_str!("../fixtures/cap/04-exercise.xml");
const PRESS: &str = include_str!("../fixtures/cap/05-press-releases.rss");

#[derive(Clone)]
struct Page {
    status: Status,
    body: String,
    etag: Option<String>,
    location: Option<String>,
}

impl Page {
    fn ok(body: &str) -> Page {
        Page {
            status: Status::OK,
            body: body.to_string(),
            etag: None,
            location: None,
        }
    }
}

/// A request as the site saw it: its path and the `If-None-Match` it came with.
type Request = (String, Option<String>);

/// A web server the test rewrites as it goes, which notes each request's path and the
/// `If-None-Match` it came with.
#[derive(Clone)]
struct Site {
    pages: Arc<Mutex<HashMap<String, Page>>>,
    requests: Arc<Mutex<Vec<Request>>>,
    addr: SocketAddr,
}

impl Site {
    async fn start() -> Site {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let site = Site {
            pages: Arc::default(),
            requests: Arc::default(),
            addr: listener.local_addr().unwrap(),
        };
        let serving = site.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
            let site = serving.clone();
            async move { site.answer(&uri, &headers) }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        site
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn put(&self, path: &str, page: Page) {
        self.pages.lock().unwrap().insert(path.to_string(), page);
    }

    /// An RSS feed listing `alerts` (paths on this site), newest first, as FMI's feeds do.
    fn put_cap_feed(&self, path: &str, etag: &str, alerts: &[&str]) {
        let items: String = alerts
            .iter()
            .rev()
            .map(|a| {
                format!(
                    "<item><title>{a}</title><link>{}</link><guid>{a}</guid></item>",
                    self.url(a)
                )
            })
            .collect();
        let body = format!("<rss version=\"2.0\"><channel><title>Varoitukset</title>{items}</channel></rss>");
        self.put(
            path,
            Page {
                etag: Some(etag.to_string()),
                ..Page::ok(&body)
            },
        );
    }

    fn requests_of(&self, path: &str) -> Vec<Option<String>> {
        let requests = self.requests.lock().unwrap();
        requests
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, e)| e.clone())
            .collect()
    }

    fn answer(&self, uri: &Uri, headers: &HeaderMap) -> Response {
        let asked = headers
            .get("if-none-match")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        self.requests
            .lock()
            .unwrap()
            .push((uri.path().to_string(), asked.clone()));
        let Some(page) = self.pages.lock().unwrap().get(uri.path()).cloned() else {
            return Status::NOT_FOUND.into_response();
        };
        if page.etag.is_some() && page.etag == asked {
            return Status::NOT_MODIFIED.into_response();
        }
        let mut response = (page.status, page.body).into_response();
        if let Some(etag) = page.etag {
            response.headers_mut().insert("etag", etag.parse().unwrap());
        }
        if let Some(location) = page.location {
            response.headers_mut().insert("location", location.parse().unwrap());
        }
        response
    }
}

async fn add_feed(app: &TestApp, name: &str, url: &str, kind: &str) {
    let (status, feed) = json_of(
        app.post("/api/v1/feeds", &app.coordinator)
            .json(&json!({ "name": name, "url": url, "kind": kind }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
}

async fn poll(app: &TestApp, name: &str) -> Value {
    let (status, report) = json_of(
        app.post(&format!("/api/v1/feeds/{name}/poll"), &app.coordinator)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

async fn feed(app: &TestApp, name: &str) -> Value {
    let (_, list) = json_of(app.get("/api/v1/feeds", &app.ops).send().await.unwrap()).await;
    list["feeds"]
        .as_array()
        .and_then(|feeds| feeds.iter().find(|f| f["name"] == name).cloned())
        .unwrap_or(Value::Null)
}

async fn briefs(app: &TestApp) -> Vec<Value> {
    let (_, list) = json_of(app.get("/api/v1/briefs", &app.coordinator).send().await.unwrap()).await;
    list["briefs"].as_array().cloned().unwrap_or_default()
}

fn taken(report: &Value) -> usize {
    report["taken"].as_array().map_or(0, Vec::len)
}

each_backend! {
    async fn a_cap_feed_takes_each_alert_once_asks_if_changed_and_survives_a_restart(b) {
        let site = Site::start().await;
        for (path, xml) in [("/a/1.xml", ALERT), ("/a/2.xml", UPDATE), ("/a/3.xml", CANCEL), ("/a/4.xml", EXERCISE)] {
            site.put(path, Page::ok(xml));
        }
        site.put_cap_feed("/cap.rss", "\"v1\"", &["/a/1.xml"]);
        let app = spawn_api_only(&b).await;
        add_feed(&app, "fmi", &site.url("/cap.rss"), "cap").await;

        let first = poll(&app, "fmi").await;
        assert_eq!(taken(&first), 1, "{}: {first}", b.name);
        assert_eq!(first["taken"][0]["title"], "Oranssi tuulivaroitus: voimakkaita puuskia Uudellamaalla");
        let (_, drafted) = json_of(
            app.get(&format!("/api/v1/briefs/{}", first["taken"][0]["brief"]), &app.coordinator)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(drafted["status"], "draft");
        assert_eq!(drafted["author"], "feed:fmi", "{drafted}");

        let again = poll(&app, "fmi").await;
        assert_eq!(again["not_modified"], true, "{}: {again}", b.name);
        assert_eq!(site.requests_of("/cap.rss"), vec![None, Some("\"v1\"".to_string())], "the second poll asks if it changed");
        assert_eq!(site.requests_of("/a/1.xml").len(), 1, "the alert is fetched once");

        // The update, an exercise whose server fails for now, and the cancellation.
        site.put("/a/4.xml", Page { status: Status::INTERNAL_SERVER_ERROR, ..Page::ok("down") });
        site.put_cap_feed("/cap.rss", "\"v2\"", &["/a/1.xml", "/a/2.xml", "/a/4.xml", "/a/3.xml"]);
        let cut_short = poll(&app, "fmi").await;
        assert_eq!(taken(&cut_short), 2, "{}: the update and the cancellation: {cut_short}", b.name);
        assert_eq!(cut_short["already_taken"], 1);
        let error = cut_short["error"].as_str().unwrap_or_default();
        assert!(error.contains("/a/4.xml") && error.contains("HTTP 500"), "{error}");
        let status = feed(&app, "fmi").await;
        assert_eq!(status["last_error"].as_str(), Some(error), "{status}");
        assert_eq!(status["failures"], 1);
        assert_eq!(status["items_taken"], 3);
        assert_eq!(site.requests_of("/a/1.xml").len(), 1, "a taken alert's link is not fetched again");

        // A restart: a new daemon on the same database, the exercise's server back.
        app.shutdown.cancel();
        let _ = app.server.await;
        site.put("/a/4.xml", Page::ok(EXERCISE));
        let app = spawn_api_only(&b).await;
        let resumed = poll(&app, "fmi").await;
        assert_eq!(resumed["not_modified"], false, "the cut-short poll kept the old validators: {resumed}");
        assert_eq!(taken(&resumed), 1, "{}: only the exercise: {resumed}", b.name);
        assert_eq!(resumed["already_taken"], 3);
        let status = feed(&app, "fmi").await;
        assert_eq!(status["last_error"], Value::Null, "{status}");
        assert_eq!(status["items_taken"], 4);
        for path in ["/a/1.xml", "/a/2.xml", "/a/3.xml", "/a/4.xml"] {
            assert!(site.requests_of(path).len() <= 2, "{path} fetched at most until it was taken");
        }
        let all = briefs(&app).await;
        let versions: Vec<(String, String)> = all
            .iter()
            .map(|b| (b["brief"]["meta"]["slug"].as_str().unwrap_or_default().to_string(), b["status"].as_str().unwrap_or_default().to_string()))
            .collect();
        assert_eq!(all.len(), 3, "{}: the alert, its update (then cancelled) and the exercise: {versions:?}", b.name);
        assert_eq!(versions.iter().filter(|(_, s)| s == "withdrawn").count(), 2, "{versions:?}");
    }
}

each_backend! {
    async fn two_polls_at_once_take_each_item_once(b) {
        let site = Site::start().await;
        site.put("/a/1.xml", Page::ok(ALERT));
        site.put("/a/4.xml", Page::ok(EXERCISE));
        site.put_cap_feed("/cap.rss", "\"v1\"", &["/a/1.xml", "/a/4.xml"]);
        site.put("/press.rss", Page::ok(PRESS));
        let app = spawn_api_only(&b).await;
        add_feed(&app, "fmi", &site.url("/cap.rss"), "cap").await;
        // The same alerts through a second feed (FMI lists them in one feed per language).
        add_feed(&app, "fmi-en", &site.url("/cap.rss"), "cap").await;
        add_feed(&app, "vn", &site.url("/press.rss"), "rss").await;
        let (a, b2, c, d) = tokio::join!(poll(&app, "fmi"), poll(&app, "fmi-en"), poll(&app, "vn"), poll(&app, "vn"));
        assert_eq!(taken(&a) + taken(&b2), 2, "{}: {a} {b2}", b.name);
        assert_eq!(taken(&c) + taken(&d), 2, "{}: {c} {d}", b.name);
        let all = briefs(&app).await;
        assert_eq!(all.len(), 4, "{}: {all:?}", b.name);
        let press: Vec<&Value> = all.iter().filter(|b| b["brief"]["meta"]["press"].is_object()).collect();
        assert_eq!(press.len(), 2);
        let vaccines = press
            .iter()
            .find(|b| b["brief"]["meta"]["press"]["guid"] == "1271139-2026-12-01")
            .expect("the vaccination release");
        assert_eq!(vaccines["brief"]["fi"]["title"], "Sosiaali- ja terveysministeriö: rokotukset alkavat maanantaina");
        assert_eq!(
            vaccines["brief"]["fi"]["summary"],
            "Kausi-influenssarokotukset alkavat 7.12. kaikissa hyvinvointialueissa. Ajanvaraus avautuu perjantaina."
        );
        assert_eq!(vaccines["brief"]["fi"]["facts"][0]["source"], "https://valtioneuvosto.fi/-/1271139/rokotukset-alkavat-maanantaina");
        assert_eq!(vaccines["brief"]["meta"]["press"]["published"], "2026-12-01T07:30:00Z");
        assert!(vaccines["brief"]["sv"].is_null(), "drafted in the feed's language only");
    }
}

async fn settled(app: &TestApp, name: &str) -> Value {
    let name = name.to_string();
    eventually_async(&format!("feed {name} to be polled"), || async {
        let status = feed(app, &name).await;
        status["last_poll_at"].is_string().then_some(status)
    })
    .await
}

each_backend! {
    async fn the_daemon_reports_a_broken_feed_on_it_and_reads_the_others(b) {
        let site = Site::start().await;
        site.put("/html", Page::ok("<!DOCTYPE html><html><body>Maintenance</body></html>"));
        site.put("/error", Page { status: Status::INTERNAL_SERVER_ERROR, ..Page::ok("oops") });
        site.put("/loop", Page { status: Status::FOUND, location: Some(site.url("/loop")), ..Page::ok("") });
        site.put("/press.rss", Page::ok(PRESS));
        let app = spawn_app(&b).await;
        for (name, path) in [("a-html", "/html"), ("b-error", "/error"), ("c-loop", "/loop"), ("d-press", "/press.rss")] {
            add_feed(&app, name, &site.url(path), "rss").await;
        }
        let html = settled(&app, "a-html").await;
        assert!(html["last_error"].as_str().unwrap_or_default().contains("an HTML page, not a feed"), "{}: {html}", b.name);
        let error = settled(&app, "b-error").await;
        assert!(error["last_error"].as_str().unwrap_or_default().contains("HTTP 500"), "{error}");
        let looping = settled(&app, "c-loop").await;
        assert!(looping["last_error"].as_str().unwrap_or_default().contains("redirects in a loop"), "{looping}");
        let press = settled(&app, "d-press").await;
        assert_eq!(press["last_error"], Value::Null, "{press}");
        assert_eq!(press["items_taken"], 2, "{press}");
        assert_eq!(briefs(&app).await.len(), 2);
        let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(metrics.contains("briefcast_feed_items_taken_total{feed=\"d-press\"} 2"), "{metrics}");
        assert!(metrics.contains("briefcast_feed_polls_total{feed=\"b-error\",outcome=\"failed\"} 1"), "{metrics}");
    }
}

each_backend! {
    async fn feeds_are_for_coordinators_and_bad_ones_are_refused_by_field(b) {
        let app = spawn_api_only(&b).await;
        let (status, denied) = json_of(
            app.post("/api/v1/feeds", &app.ops)
                .json(&json!({ "name": "x", "url": "https://example.fi/rss", "kind": "rss" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}: {denied}", b.name);
        for (body, field) in [
            (json!({ "name": "two words", "url": "https://example.fi/rss", "kind": "rss" }), "name"),
            (json!({ "name": "x", "url": "file:///etc/passwd", "kind": "rss" }), "url"),
        ] {
            let (status, refused) = json_of(app.post("/api/v1/feeds", &app.coordinator).json(&body).send().await.unwrap()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
            assert_eq!(refused["error"]["field"], field, "{refused}");
        }
        add_feed(&app, "vn", "https://example.fi/rss", "rss").await;
        let (status, twice) = json_of(
            app.post("/api/v1/feeds", &app.coordinator)
                .json(&json!({ "name": "vn", "url": "https://example.fi/other", "kind": "rss" }))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{twice}");
        let removed = app.delete("/api/v1/feeds/vn", &app.coordinator).send().await.unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        assert_eq!(feed(&app, "vn").await, Value::Null);
        let gone = app.delete("/api/v1/feeds/vn", &app.coordinator).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_adds_polls_lists_and_removes_a_feed() {
    let site = Site::start().await;
    site.put("/press.rss", Page::ok(PRESS));
    site.put(
        "/down",
        Page {
            status: Status::SERVICE_UNAVAILABLE,
            ..Page::ok("")
        },
    );
    let (press, down) = (site.url("/press.rss"), site.url("/down"));
    let outputs = tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = briefcast(dir.path(), args);
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
            )
        };
        vec![
            run(&["feeds", "add", "vn", &press, "--kind", "rss"]),
            run(&["feeds", "add", "down", &down, "--kind", "cap"]),
            run(&["feeds", "poll", "vn"]),
            run(&["feeds", "poll", "vn"]),
            run(&["feeds", "poll", "down"]),
            run(&["feeds", "list"]),
            run(&["brief", "list"]),
            run(&["feeds", "remove", "vn"]),
            run(&["feeds", "add", "bad", "ftp://example.fi/x", "--kind", "rss"]),
        ]
    })
    .await
    .unwrap();
    let [add, _, poll, again, failing, list, briefs, removed, bad] = outputs.as_slice() else {
        panic!("nine commands ran");
    };
    assert!(add.0 && add.1.contains("Feed `vn` added"), "{add:?}");
    assert!(
        poll.0 && poll.1.contains("2 new item(s) drafted, 0 taken before"),
        "{poll:?}"
    );
    assert!(
        poll.1.contains("Hallitus suosittaa kotivaran tarkistamista"),
        "{poll:?}"
    );
    assert!(
        again.0 && again.1.contains("0 new item(s) drafted, 2 taken before"),
        "{again:?}"
    );
    assert!(
        !failing.0 && failing.1.contains("HTTP 503"),
        "a failed poll fails the command: {failing:?}"
    );
    assert!(
        list.1.contains("items taken 2") && list.1.contains("last error (1 in a row)"),
        "{list:?}"
    );
    assert_eq!(briefs.1.matches("draft").count(), 2, "{briefs:?}");
    assert!(
        removed.0 && removed.1.contains("the briefs it drafted stay"),
        "{removed:?}"
    );
    assert!(
        !bad.0 && bad.1.contains("url: `ftp://example.fi/x` is a ftp address"),
        "{bad:?}"
    );
}
