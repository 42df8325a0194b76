//! What every browser test does: a Chromium session, waiting for text with a deadline, axe-core
//! on a page, screenshots, signing in and typing.

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{self, TestApp};

/// Chromium and axe-core, when this run has them.
pub(crate) struct Tools {
    pub(crate) webdriver: String,
    pub(crate) axe: String,
}

pub(crate) fn tools() -> Option<Tools> {
    let webdriver = common::service("BRIEFCAST_TEST_WEBDRIVER_URL")?;
    let axe_path = common::service("BRIEFCAST_TEST_AXE_JS")?;
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| panic!("reading axe-core at {axe_path}: {e}"));
    Some(Tools { webdriver, axe })
}

pub(crate) async fn browser(tools: &Tools) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({ "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en"] }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&tools.webdriver)
        .await
        .expect("a WebDriver session with Chromium");
    client.set_window_size(1280, 900).await.unwrap();
    client
}

/// The page's visible text, once `css` holds `expected`; fails after a deadline.
pub(crate) async fn wait_for_text(client: &Client, css: &str, expected: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && text.contains(expected)
        {
            return client.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
        }
        let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "`{css}` never showed `{expected}` (at {url}): {}",
            client.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the element `css` finds on the page as it is now.
pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

/// axe-core on the page as it is now: no serious or critical violation of WCAG 2.1 A or AA.
pub(crate) async fn accessible(client: &Client, tools: &Tools, page: &str) {
    client.execute(&tools.axe, vec![]).await.expect("axe-core loads");
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));";
    let found = client.execute_async(script, vec![]).await.expect("axe-core runs");
    let violations: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    assert!(violations.is_empty(), "{page}: {violations:#?}");
}

/// The page at phone and laptop width into `BRIEFCAST_TEST_SCREENSHOTS`, when that is set.
pub(crate) async fn screenshots(client: &Client, name: &str) {
    let Ok(dir) = std::env::var("BRIEFCAST_TEST_SCREENSHOTS") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    for (width, label) in [(390, "phone"), (1280, "laptop")] {
        client.set_window_size(width, 900).await.unwrap();
        // A full-page picture: the window as tall as the page.
        let height = client
            .execute("return document.documentElement.scrollHeight", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(900)
            .clamp(600, 4000);
        client.set_window_size(width, height as u32).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(format!("{dir}/{name}-{label}.png"), png).unwrap();
    }
    client.set_window_size(1280, 900).await.unwrap();
}

/// Signs in from the sign-in page and waits until the browser has left it, so that the next
/// step does not race the form's own navigation.
pub(crate) async fn sign_in(client: &Client, app: &TestApp, email: &str, password: &str) {
    let form = app.url("/sign-in?lang=en");
    client.goto(&form).await.unwrap();
    fill_sign_in(client, email, password).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let here = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        if here != form && client.find(Locator::Css("h1")).await.is_ok() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "signing in as {email} never left the sign-in page"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types into the sign-in form on the page and sends it.
pub(crate) async fn fill_sign_in(client: &Client, email: &str, password: &str) {
    client
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Css("form[action='/sign-in'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

pub(crate) async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

/// Replaces a text area's content, as pasting does.
pub(crate) async fn paste(client: &Client, id: &str, text: &str) {
    client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![Value::from(id), Value::from(text)],
        )
        .await
        .unwrap();
}

/// Signs out from the menu and waits for the sign-in page that follows.
pub(crate) async fn sign_out(client: &Client) {
    click(client, "form[action='/sign-out'] button").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let here = client
            .current_url()
            .await
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        if here == "/sign-in" && client.find(Locator::Css("form[action='/sign-in']")).await.is_ok() {
            return;
        }
        assert!(Instant::now() < deadline, "signing out never reached the sign-in page");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
