//! The console over HTTP, as a browser meets it: signing in, the cookie it gets, forms that
//! must come from the console itself, the two-person rule between named people, and pages in
//! each person's language. (The same flows in a real browser are in `.ci/run`.)

use briefcast::access::Role;
use briefcast::language::Language;
use chrono::TimeDelta;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use scraper::{Html, Selector};

use crate::common::{self, PASSWORD, TestApp, add_person, spawn_app, spawn_app_with};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// What a browser would hold for one person: their cookie, sent back on every request.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookie: Option<String>,
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    set_cookie: Option<String>,
    html: String,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            client: no_redirects(),
            cookie: None,
        }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_string())
        };
        let (status, location, set_cookie) = (response.status(), header(LOCATION), header(SET_COOKIE));
        Answer {
            status,
            location,
            set_cookie,
            html: response.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        let mut request = self.client.get(self.app.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        Self::answer(request.send().await.unwrap()).await
    }

    /// A form sent from a page at `origin`.
    async fn post_from(&self, origin: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut request = self
            .client
            .post(self.app.url(path))
            .header(ORIGIN, origin)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields)
                    .finish(),
            );
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        Self::answer(request.send().await.unwrap()).await
    }

    /// A form whose values were built up as owned strings.
    async fn post_owned<K: AsRef<str>>(&self, path: &str, fields: &[(K, String)]) -> Answer {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
        self.post(path, &pairs).await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let origin = format!("http://{}", self.app.addr);
        self.post_from(&origin, path, fields).await
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> Answer {
        let answer = self
            .post(
                "/sign-in",
                &[("email", email), ("password", password), ("next", ""), ("lang", "en")],
            )
            .await;
        if let Some(set) = &answer.set_cookie {
            self.cookie = set.split(';').next().map(str::to_string);
        }
        answer
    }

    /// The CSRF token and the brief's change stamp from a brief page's approve form.
    async fn form_of(&self, path: &str) -> (String, String) {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        (
            value_of(&page.html, "input[name=csrf]").expect("a CSRF field"),
            value_of(&page.html, "input[name=updated]").unwrap_or_default(),
        )
    }
}

fn value_of(html: &str, selector: &str) -> Option<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

fn text_of(html: &str) -> String {
    Html::parse_document(html)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const REFUSED: &str =
    "Signing in failed: the email address or the password is not right, or there were too many attempts.";

each_backend! {
    async fn signing_in_gives_a_strict_cookie_and_a_refusal_says_nothing_about_who_exists(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut browser = Browser::new(&app);

        let first = browser.get("/briefs?status=draft").await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(first.location.as_deref(), Some("/sign-in?next=%2Fbriefs%3Fstatus%3Ddraft"));

        let wrong = browser.sign_in("kaisa@example.fi", "not the password at all").await;
        let nobody = browser.sign_in("nobody@example.fi", PASSWORD).await;
        for refused in [&wrong, &nobody] {
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
            assert!(refused.set_cookie.is_none());
            assert!(text_of(&refused.html).contains(REFUSED), "{}", refused.html);
        }
        assert_eq!(
            value_of(&wrong.html, "input[name=email]").as_deref(),
            Some("kaisa@example.fi"),
            "what was typed is kept"
        );

        let signed = browser.sign_in("KAISA@example.fi", PASSWORD).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
        assert_eq!(signed.location.as_deref(), Some("/"));
        let cookie = signed.set_cookie.unwrap();
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");

        let page = browser.get("/briefs").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(text_of(&page.html).contains("Signed in as Kaisa Koordinaattori (coordinator)"));
        let entries = app.store.audit_log(20).await.unwrap();
        let actions: Vec<_> = entries.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect();
        assert!(actions.contains(&("session.start", "Kaisa Koordinaattori <kaisa@example.fi>")), "{actions:?}");
        assert!(actions.iter().filter(|(a, _)| *a == "session.refused").count() == 2, "{actions:?}");
    }
}

each_backend! {
    async fn the_sixth_wrong_password_in_a_row_is_throttled_even_when_the_next_one_is_right(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "hanna@example.fi", "Hanna Hyväksyjä", Role::Approver, Language::Fi).await;
        let mut browser = Browser::new(&app);
        for _ in 0..5 {
            let refused = browser.sign_in("hanna@example.fi", "a wrong password, again").await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        }
        let throttled = browser.sign_in("hanna@example.fi", PASSWORD).await;
        assert_eq!(throttled.status, StatusCode::UNAUTHORIZED);
        assert!(text_of(&throttled.html).contains(REFUSED), "the same words as any refusal");
        app.clock.advance(TimeDelta::minutes(16));
        let later = browser.sign_in("hanna@example.fi", PASSWORD).await;
        assert_eq!(later.status, StatusCode::SEE_OTHER, "after the window the right password works");
    }
}

/// A brief that validates, pasted into the console by whoever is signed in there.
async fn paste_brief(browser: &Browser<'_>) -> String {
    let (csrf, _) = browser.form_of("/briefs").await;
    let toml = common::brief_valid_at(include_str!("../fixtures/briefs/storm-72h.toml"), common::now());
    let added = browser
        .post("/briefs/new", &[("csrf", &csrf), ("format", "toml"), ("text", &toml)])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let location = added.location.unwrap();
    assert!(location.ends_with("?notice=added"), "{location}");
    location.trim_end_matches("?notice=added").to_string()
}

/// Hanna and Bo, both approvers, in the languages given; Hanna signed in, with a brief she
/// pasted (its page's address).
async fn two_approvers_and_a_brief(app: &TestApp, hanna: Language, bo: Language) -> (Browser<'_>, String) {
    add_person(app, "hanna@example.fi", "Hanna Hyväksyjä", Role::Approver, hanna).await;
    add_person(app, "bo@example.fi", "Bo Godkännare", Role::Approver, bo).await;
    let mut author = Browser::new(app);
    author.sign_in("hanna@example.fi", PASSWORD).await;
    let brief = paste_brief(&author).await;
    (author, brief)
}

each_backend! {
    async fn the_author_cannot_approve_and_the_page_says_why_and_another_approver_can(b) {
        let app = spawn_app(&b).await;
        let (author, brief) = two_approvers_and_a_brief(&app, Language::Fi, Language::Sv).await;

        let own = author.get(&brief).await;
        let own_text = text_of(&own.html);
        assert!(own_text.contains("Kirjoitit tämän tiedotteen. Kahden henkilön säännön mukaan"), "{own_text}");
        assert!(own_text.contains("Luonnos"), "status in Finnish: {own_text}");
        assert!(value_of(&own.html, "form[action$=approve] input[name=updated]").is_none(), "no approve button for the author");

        // Sent anyway (an old tab, a crafted request): refused by the use case, explained.
        // The author's page has the withdraw form, with the same token and stamp.
        let (csrf, updated) = author.form_of(&brief).await;
        assert!(!updated.is_empty());
        let refused = author
            .post(&format!("{brief}/approve"), &[("csrf", &csrf), ("updated", &updated)])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(text_of(&refused.html).contains("Kirjoitit tämän tiedotteen"));

        let mut other = Browser::new(&app);
        other.sign_in("bo@example.fi", PASSWORD).await;
        let (csrf, updated) = other.form_of(&brief).await;
        let approved = other
            .post(&format!("{brief}/approve"), &[("csrf", &csrf), ("updated", &updated)])
            .await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.html);
        let page = other.get(approved.location.as_deref().unwrap()).await;
        let text = text_of(&page.html);
        assert!(text.contains("Meddelandet är godkänt."), "{text}");
        assert!(text.contains("Godkänt av Bo Godkännare <bo@example.fi>"), "{text}");
        assert!(text.contains("Skrivet av Hanna Hyväksyjä <hanna@example.fi>"), "{text}");
    }
}

each_backend! {
    async fn a_cross_site_post_or_one_without_the_token_changes_nothing(b) {
        let app = spawn_app(&b).await;
        let (author, brief) = two_approvers_and_a_brief(&app, Language::En, Language::En).await;
        let mut other = Browser::new(&app);
        other.sign_in("bo@example.fi", PASSWORD).await;
        let (csrf, updated) = other.form_of(&brief).await;
        let action = format!("{brief}/approve");

        let cross = other
            .post_from("https://evil.example", &action, &[("csrf", &csrf), ("updated", &updated)])
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        assert!(text_of(&cross.html).contains("did not come from the console's own page"));
        let tokenless = other.post(&action, &[("updated", &updated)]).await;
        assert_eq!(tokenless.status, StatusCode::FORBIDDEN);
        let forged = other.post(&action, &[("csrf", "bc_guessed"), ("updated", &updated)]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let cross_sign_in = Browser::new(&app)
            .post_from("https://evil.example", "/sign-in", &[("email", "bo@example.fi"), ("password", PASSWORD)])
            .await;
        assert_eq!(cross_sign_in.status, StatusCode::FORBIDDEN);
        assert!(cross_sign_in.set_cookie.is_none());

        let page = other.get(&brief).await;
        assert!(text_of(&page.html).contains("Draft"), "still a draft");

        // A form from before the brief changed is refused with its state now.
        let withdrawn = author
            .post(&format!("{brief}/withdraw"), &[("csrf", &author.form_of(&brief).await.0), ("updated", &updated)])
            .await;
        assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.html);
        let stale = other.post(&action, &[("csrf", &csrf), ("updated", &updated)]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(
            text_of(&stale.html).contains("This brief changed while you were looking at it: it is now withdrawn."),
            "{}",
            text_of(&stale.html)
        );
    }
}

each_backend! {
    async fn a_session_ends_on_sign_out_and_when_idle_and_brings_the_person_back(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::Sv).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let (csrf, _) = browser.form_of("/briefs").await;
        let out = browser.post("/sign-out", &[("csrf", &csrf)]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(out.set_cookie.unwrap().contains("Max-Age=0"));
        let after = browser.get("/briefs").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "the old cookie is worth nothing");

        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        assert_eq!(browser.get("/briefs").await.status, StatusCode::OK);
        app.clock.advance(TimeDelta::minutes(31));
        let idle = browser.get("/briefs?status=sent").await;
        assert_eq!(idle.status, StatusCode::SEE_OTHER);
        let to = idle.location.unwrap();
        assert_eq!(to, "/sign-in?next=%2Fbriefs%3Fstatus%3Dsent&ended=1");
        let sign_in_page = Browser::new(&app).get(&format!("{to}&lang=sv")).await;
        assert!(text_of(&sign_in_page.html).contains("Din session har tagit slut."));
        assert_eq!(value_of(&sign_in_page.html, "input[name=next]").as_deref(), Some("/briefs?status=sent"));
        let back = browser
            .post("/sign-in", &[("email", "kaisa@example.fi"), ("password", PASSWORD), ("next", "/briefs?status=sent")])
            .await;
        assert_eq!(back.location.as_deref(), Some("/briefs?status=sent"));
        let elsewhere = browser
            .post("/sign-in", &[("email", "kaisa@example.fi"), ("password", PASSWORD), ("next", "//evil.example/")])
            .await;
        assert_eq!(elsewhere.location.as_deref(), Some("/"), "never sent to another site");
    }
}

each_backend! {
    async fn under_https_the_cookie_is_secure_and_pages_have_a_strict_policy(b) {
        let app = spawn_app_with(&b, &[("BRIEFCAST_PUBLIC_URL", "https://briefcast.example.fi")]).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let browser = Browser::new(&app);
        let signed = browser
            .post_from(
                "https://briefcast.example.fi",
                "/sign-in",
                &[("email", "kaisa@example.fi"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        assert!(signed.set_cookie.unwrap().contains("; Secure"));
        let page = no_redirects().get(app.url("/sign-in")).send().await.unwrap();
        let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(page.headers()["x-frame-options"], "DENY");
    }
}

/// The secret on a page that sets up an app, and the code an app made from it would show now.
fn app_code(html: &str, app: &TestApp) -> (String, String) {
    let secret = value_of(html, "input[name=secret]").expect("the secret rides in the form");
    let code = briefcast::totp::Secret::from_base32(&secret)
        .unwrap()
        .code(briefcast::clock::Clock::now(&app.clock));
    (secret, code)
}

each_backend! {
    async fn a_role_that_requires_an_app_sets_one_up_at_first_sign_in_then_gives_its_code(b) {
        let app = spawn_app_with(&b, &[("BRIEFCAST_REQUIRE_TOTP", "approver")]).await;
        add_person(&app, "hanna@example.fi", "Hanna Hyväksyjä", Role::Approver, Language::En).await;
        let mut browser = Browser::new(&app);
        let half = browser.sign_in("hanna@example.fi", PASSWORD).await;
        assert_eq!(half.location.as_deref(), Some("/sign-in/code"));
        let elsewhere = browser.get("/briefs").await;
        assert_eq!(elsewhere.location.as_deref(), Some("/sign-in/code?next=%2Fbriefs"), "nothing else until the app is set up");

        let setup = browser.get("/sign-in/code?next=%2Fbriefs").await;
        assert_eq!(setup.status, StatusCode::OK);
        let text = text_of(&setup.html);
        assert!(text.contains("Your role needs a second step"), "{text}");
        let qr = Html::parse_document(&setup.html)
            .select(&Selector::parse("img.qr").unwrap())
            .next()
            .and_then(|img| img.value().attr("src").map(str::to_string))
            .unwrap();
        assert!(qr.starts_with("data:image/svg+xml;base64,"), "an image the page's policy allows");
        let (secret, code) = app_code(&setup.html, &app);
        let csrf = value_of(&setup.html, "input[name=csrf]").unwrap();
        let wrong = browser
            .post("/sign-in/code", &[("csrf", &csrf), ("secret", &secret), ("code", "12345"), ("next", "/briefs")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text_of(&wrong.html).contains("The code is not right"));
        assert_eq!(value_of(&wrong.html, "input[name=secret]").as_deref(), Some(secret.as_str()), "the same key again");

        let done = browser
            .post("/sign-in/code", &[("csrf", &csrf), ("secret", &secret), ("code", &code), ("next", "/briefs")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
        assert_eq!(done.location.as_deref(), Some("/briefs"));
        let half_cookie = browser.cookie.clone();
        browser.cookie = done.set_cookie.as_deref().and_then(|c| c.split(';').next()).map(str::to_string);
        assert_ne!(browser.cookie, half_cookie, "a new session id");
        assert!(text_of(&browser.get("/account").await.html).contains("On: signing in asks for the code from your app."));

        // Next time: the password, then the code; the code just used does not work twice.
        let mut again = Browser::new(&app);
        assert_eq!(again.sign_in("hanna@example.fi", PASSWORD).await.location.as_deref(), Some("/sign-in/code"));
        let step = again.get("/sign-in/code").await;
        assert!(text_of(&step.html).contains("type the six-digit code it shows"), "{}", step.html);
        assert!(value_of(&step.html, "input[name=secret]").is_none(), "no new key for someone who has one");
        let csrf = value_of(&step.html, "input[name=csrf]").unwrap();
        let replay = again.post("/sign-in/code", &[("csrf", &csrf), ("code", &code)]).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.clock.advance(TimeDelta::seconds(30));
        let fresh = briefcast::totp::Secret::from_base32(&secret)
            .unwrap()
            .code(briefcast::clock::Clock::now(&app.clock));
        let cross = again.post_from("https://evil.example", "/sign-in/code", &[("csrf", &csrf), ("code", &fresh)]).await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        let signed = again.post("/sign-in/code", &[("csrf", &csrf), ("code", &fresh)]).await;
        assert_eq!(signed.location.as_deref(), Some("/"), "{}", signed.html);
    }
}

each_backend! {
    async fn anyone_may_add_an_app_from_their_account_page(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::Fi).await;
        let mut browser = Browser::new(&app);
        assert_eq!(browser.sign_in("kaisa@example.fi", PASSWORD).await.location.as_deref(), Some("/"));
        let page = browser.get("/account").await;
        assert!(text_of(&page.html).contains("Ei käytössä: kirjautuminen kysyy vain salasanasi."), "{}", page.html);
        let (secret, code) = app_code(&page.html, &app);
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();
        let added = browser.post("/account/two-step", &[("csrf", &csrf), ("secret", &secret), ("code", &code)]).await;
        assert_eq!(added.location.as_deref(), Some("/account?added=1"));
        let after = text_of(&browser.get("/account?added=1").await.html);
        assert!(after.contains("Kaksivaiheinen kirjautuminen on käytössä."), "{after}");
        let mut next_time = Browser::new(&app);
        assert_eq!(next_time.sign_in("kaisa@example.fi", PASSWORD).await.location.as_deref(), Some("/sign-in/code"));
    }
}

each_backend! {
    async fn the_roster_is_searched_and_filtered_and_the_audit_log_read_by_kind(b) {
        let app = spawn_app(&b).await;
        let actor = briefcast::access::Actor("test:import".into());
        briefcast::service::audience::store_roster(app.store.as_ref(), common::SAMPLE_ROSTER, &actor, common::now())
            .await
            .unwrap();
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        add_person(&app, "otto@example.fi", "Otto Operaattori", Role::Ops, Language::En).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;

        let found = browser.get("/roster?q=virtanen").await;
        let text = text_of(&found.html);
        assert!(text.contains("Aino Virtanen") && !text.contains("Eero Mäkinen"), "{text}");
        assert_eq!(value_of(&found.html, "input[name=q]").as_deref(), Some("virtanen"), "the words stay in the box");
        let youtube = text_of(&browser.get("/roster?platform=youtube&language=fi").await.html);
        assert!(youtube.contains("Eero Mäkinen") && !youtube.contains("Aino Virtanen"), "{youtube}");
        let never = text_of(&browser.get("/roster?suppressed=yes").await.html);
        assert!(never.contains("Nobody matches these choices."), "{never}");

        // A person's page lists what they sent back.
        let aino = briefcast::audience::EmailAddress::parse("aino.virtanen@example.com").unwrap();
        let reply = briefcast::store::NewReply {
            channel: "webhook",
            channel_ref: None,
            raw: b"From: Aino Virtanen <aino.virtanen@example.com>\r\n\r\nKysyisin...",
            from_address: Some(aino),
            message_id: Some("<r1@example.com>".into()),
            received_at: common::now(),
        };
        app.store.store_reply(&reply).await.unwrap();
        let person = text_of(&browser.get("/roster/aino.virtanen%40example.com").await.html);
        assert!(person.contains("0 deliveries, 1 reply, 0 questions."), "{person}");
        assert!(person.contains("Replies") && person.contains("webhook"), "{person}");

        let audit = browser.get("/audit?family=session").await;
        assert_eq!(audit.status, StatusCode::OK);
        let text = text_of(&audit.html);
        assert!(text.contains("session.start") && text.contains("Kaisa Koordinaattori <kaisa@example.fi>"), "{text}");
        assert!(!text.contains("roster.import"), "only the kind asked for");
        let imports = text_of(&browser.get("/audit?family=roster").await.html);
        assert!(imports.contains("roster.import") && imports.contains("test:import"), "{imports}");

        let mut ops = Browser::new(&app);
        ops.sign_in("otto@example.fi", PASSWORD).await;
        let refused = ops.get("/audit").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "the log names people: not for ops");
    }
}

each_backend! {
    async fn a_segment_is_built_with_its_count_as_it_is_filled_in_and_saved_once(b) {
        let app = spawn_app(&b).await;
        let actor = briefcast::access::Actor("test:import".into());
        briefcast::service::audience::store_roster(app.store.as_ref(), common::SAMPLE_ROSTER, &actor, common::now())
            .await
            .unwrap();
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let page = browser.get("/segments").await;
        assert!(text_of(&page.html).contains("No segments yet."), "{}", page.html);
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();

        let filter = briefcast::audience::SegmentFilter {
            languages: vec![Language::Sv],
            platforms: vec!["tiktok".into()],
            ..Default::default()
        };
        let expected = app.store.count_members(&filter).await.unwrap();
        assert!(expected > 0);
        let live = browser.get("/segments/count?language=sv&platform=tiktok&name=&tiers=").await;
        assert_eq!(live.status, StatusCode::OK);
        let text: serde_json::Value = serde_json::from_str(&live.html).unwrap();
        let words = if expected == 1 { "1 person matches now.".to_string() } else { format!("{expected} people match now.") };
        assert_eq!(text["text"], words.as_str());
        let bad = browser.get("/segments/count?min_followers=lots").await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&bad.html).unwrap()["text"], "Followers must be a whole number, such as 10000.");

        let fields = |name: &'static str, intent: &'static str| {
            vec![("csrf", csrf.clone()), ("name", name.to_string()), ("language", "sv".into()), ("platform", "tiktok".into()), ("intent", intent.into())]
        };
        let counted = browser.post_owned("/segments", &fields("", "count")).await;
        assert_eq!(counted.status, StatusCode::OK);
        assert!(text_of(&counted.html).contains(&words), "the button counts where script does not");
        let bad_name = browser.post_owned("/segments", &fields("swedish tiktok", "save")).await;
        assert_eq!(bad_name.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = text_of(&bad_name.html);
        assert!(text.contains("Give a name of letters, digits, - and _, at most 64."), "{text}");
        assert_eq!(value_of(&bad_name.html, "input[name=name]").as_deref(), Some("swedish tiktok"), "kept as typed");
        assert!(bad_name.html.contains(r#"value="sv" checked"#), "choices kept");
        assert!(app.store.segments().await.unwrap().is_empty(), "nothing half-saved");

        let saved = browser.post_owned("/segments", &fields("sv-tiktok", "save")).await;
        assert_eq!(saved.location.as_deref(), Some("/segments?saved=1"));
        let list = text_of(&browser.get("/segments?saved=1").await.html);
        assert!(list.contains("The segment is saved.") && list.contains("sv-tiktok"), "{list}");
        assert!(list.contains("svenska · tiktok"), "{list}");
        let again = browser.post_owned("/segments", &fields("sv-tiktok", "save")).await;
        assert!(text_of(&again.html).contains("A segment with this name already exists"));
        let audit = app.store.audit_log(5).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "segment.add" && e.actor == "Kaisa Koordinaattori <kaisa@example.fi>"));
    }
}

each_backend! {
    async fn an_approver_gives_accounts_new_passwords_and_disables_them_in_the_console(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "hanna@example.fi", "Hanna Hyväksyjä", Role::Approver, Language::En).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut kaisa = Browser::new(&app);
        kaisa.sign_in("kaisa@example.fi", PASSWORD).await;
        assert_eq!(kaisa.get("/accounts").await.status, StatusCode::FORBIDDEN, "approvers only");
        assert!(!kaisa.get("/briefs").await.html.contains("href=\"/accounts\""), "not offered to her");

        let mut hanna = Browser::new(&app);
        hanna.sign_in("hanna@example.fi", PASSWORD).await;
        let page = hanna.get("/accounts").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(text_of(&page.html).contains("Kaisa Koordinaattori kaisa@example.fi coordinator"), "{}", text_of(&page.html));
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();
        let new = |password: &'static str| {
            [("csrf", csrf.clone()), ("name", "Olli Ops".into()), ("email", "olli@example.fi".into()), ("role", "ops".into()), ("language", "sv".into()), ("password", password.into())]
        };
        let short = new("lyhyt");
        let refused = hanna.post_owned("/accounts", &short).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text_of(&refused.html).contains("The password is too short: at least 12 characters."));
        assert_eq!(value_of(&refused.html, "input[name=email]").as_deref(), Some("olli@example.fi"), "kept as typed");
        assert!(!refused.html.contains("lyhyt"), "a password is never shown back");
        let good = new("kolme pientä porsasta");
        let added = hanna.post_owned("/accounts", &good).await;
        assert_eq!(added.location.as_deref(), Some("/accounts?done=Olli+Ops"));
        let listed = text_of(&hanna.get("/accounts?done=Olli+Ops").await.html);
        assert!(listed.contains("The account is made: Olli Ops can sign in now.") && listed.contains("olli@example.fi ops svenska"), "{listed}");
        let mut olli = Browser::new(&app);
        assert_eq!(olli.sign_in("olli@example.fi", "kolme pientä porsasta").await.status, StatusCode::SEE_OTHER);

        let base = "/accounts/kaisa%40example.fi";
        let reset = hanna.post(&format!("{base}/password"), &[("csrf", &csrf), ("password", "uusi salasana kaisalle")]).await;
        assert_eq!(reset.location.as_deref(), Some(&*format!("{base}?done=password")));
        assert_eq!(kaisa.get("/briefs").await.status, StatusCode::SEE_OTHER, "her session ended with the old password");
        let unconfirmed = hanna.post(&format!("{base}/disable"), &[("csrf", &csrf)]).await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text_of(&unconfirmed.html).contains("Tick the box first to confirm."));
        let disabled = hanna.post(&format!("{base}/disable"), &[("csrf", &csrf), ("confirm", "yes")]).await;
        assert_eq!(disabled.location.as_deref(), Some(&*format!("{base}?done=disabled")));
        assert!(text_of(&hanna.get(&format!("{base}?done=disabled")).await.html).contains("The account is disabled"));
        assert_eq!(kaisa.sign_in("kaisa@example.fi", "uusi salasana kaisalle").await.status, StatusCode::UNAUTHORIZED);
        let audit = app.store.audit_log(10).await.unwrap();
        for action in ["account.create", "account.password", "account.disable"] {
            assert!(
                audit.iter().any(|e| e.action == action && e.actor == "Hanna Hyväksyjä <hanna@example.fi>"),
                "{action} by her name: {audit:?}"
            );
        }
    }
}

/// Every field of the editor form on `path`, as a browser would send them.
fn editor_fields(html: &str) -> Vec<(String, String)> {
    let document = Html::parse_document(html);
    let mut fields = Vec::new();
    for element in document.select(&Selector::parse("form.editor input[name], form.editor textarea[name]").unwrap()) {
        let name = element.value().attr("name").unwrap().to_string();
        let value = match element.value().name() {
            "textarea" => element.text().collect::<String>(),
            _ => element.value().attr("value").unwrap_or("").to_string(),
        };
        fields.push((name, value));
    }
    fields
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let field = fields
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    field.1 = value.to_string();
}

each_backend! {
    async fn the_editor_counts_in_the_validators_units_checks_as_one_types_and_refuses_a_stale_form(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let brief = paste_brief(&browser).await;
        let editor = browser.get(&format!("{brief}/editor")).await;
        assert_eq!(editor.status, StatusCode::OK, "{}", editor.html);
        let text = text_of(&editor.html);
        assert!(text.contains("No problems: this brief can be approved."), "{text}");
        let mut fields = editor_fields(&editor.html);
        let caption = fields.iter().find(|(k, _)| k == "fi-instagram").unwrap().1.clone();
        assert!(caption.starts_with("Myrsky tulee"), "{caption}");
        // The caption's count is of the text Instagram gets: the brief's hashtags appended.
        let counted = briefcast::brief::Unit::Hashtags.count(&format!("{caption}\n\n#72tuntia #72timmar #72hours"));
        assert!(text.contains(&format!("{counted} / 5 hashtags")), "{text}");

        // An X post of 300 characters: the live check says so, in the validator's unit.
        set(&mut fields, "en-x", &"a".repeat(300));
        set(&mut fields, "sv-title", "");
        let live = browser.post_owned(&format!("{brief}/editor/check"), &fields).await;
        assert_eq!(live.status, StatusCode::OK, "{}", live.html);
        let answer: serde_json::Value = serde_json::from_str(&live.html).unwrap();
        assert_eq!(answer["summary"], "2 problems");
        let x = &answer["counters"]["en-x"][0];
        assert_eq!(x["text"], "300 / 280 weighted characters (a link 23, an emoji 2)");
        assert_eq!(x["over"], true);
        let problems: Vec<&str> = answer["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap_or("")).collect();
        assert_eq!(problems, vec!["sv-title", "en-x"]);
        let stored = app.store.brief(brief.rsplit('/').next().unwrap().parse().unwrap()).await.unwrap().unwrap();
        assert!(stored.brief.sv.as_ref().unwrap().title.starts_with("Förbered"), "checking stores nothing");

        // Saved from a form made before someone else changed the brief: refused, nothing lost.
        let mut stale = fields.clone();
        set(&mut stale, "updated", "1");
        set(&mut stale, "en-x", "Storm coming: get ready for 72 hours at home.");
        stale.push(("intent".into(), "save".into()));
        let refused = browser.post_owned(&format!("{brief}/editor"), &stale).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(text_of(&refused.html).contains("Someone changed this brief while you were writing"));
        assert!(refused.html.contains("Storm coming: get ready for 72 hours at home."), "what was typed is kept");

        let mut good = editor_fields(&editor.html);
        set(&mut good, "en-x", "Storm coming: get ready for 72 hours at home.");
        good.push(("intent".into(), "save".into()));
        let saved = browser.post_owned(&format!("{brief}/editor"), &good).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        let stored = app.store.brief(brief.rsplit('/').next().unwrap().parse().unwrap()).await.unwrap().unwrap();
        let en = stored.brief.en.as_ref().unwrap();
        assert_eq!(en.x.as_ref().unwrap().post, "Storm coming: get ready for 72 hours at home.");
        assert_eq!(en.facts.len(), stored.brief.fi.as_ref().unwrap().facts.len(), "facts stay as they were");
        assert!(!en.facts.is_empty());
    }
}

each_backend! {
    async fn a_sent_brief_is_corrected_from_its_page_as_a_new_draft(b) {
        use briefcast::brief::BriefStatus;
        use briefcast::edition::BriefId;
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::Sv).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let brief = paste_brief(&browser).await;
        let id: BriefId = brief.rsplit('/').next().unwrap().parse().unwrap();
        let dispatcher = briefcast::access::Actor("test:dispatcher".into());
        for (from, to) in [
            (BriefStatus::Draft, BriefStatus::Approved),
            (BriefStatus::Approved, BriefStatus::Queued),
            (BriefStatus::Queued, BriefStatus::Sent),
        ] {
            app.store.transition_brief(id, from, to, &dispatcher, common::now()).await.unwrap();
        }
        let page = browser.get(&brief).await;
        let text = text_of(&page.html);
        assert!(text.contains("Rätta det här meddelandet"), "{text}");
        let source = Html::parse_document(&page.html)
            .select(&Selector::parse("form[action$='/correct'] textarea").unwrap())
            .next()
            .map(|t| t.text().collect::<String>())
            .unwrap();
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();
        let broken = browser.post(&format!("{brief}/correct"), &[("csrf", &csrf), ("text", "[meta\nslug = ")]).await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(broken.html.contains("[meta\nslug = "), "what was typed is kept");
        let fixed = source.replace("72 tuntia", "72 tuntia (korjattu)");
        let done = browser.post(&format!("{brief}/correct"), &[("csrf", &csrf), ("text", &fixed)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
        let to = done.location.unwrap();
        assert!(to.ends_with("?notice=correction") && !to.starts_with(&format!("{brief}?")), "{to}");
        let notice = text_of(&browser.get(&to).await.html);
        assert!(notice.contains("Rättelsen är sparad som utkast."), "{notice}");
        let briefs = app.store.briefs(None).await.unwrap();
        let correction = briefs.iter().find(|b| b.supersedes_id == Some(id)).expect("a correction of the sent brief");
        assert_eq!(correction.status, BriefStatus::Draft);
        assert_eq!(app.store.brief(id).await.unwrap().unwrap().status, BriefStatus::Sent, "the sent brief is not changed");
    }
}

each_backend! {
    async fn a_persons_own_token_acts_as_them_so_the_two_person_rule_holds_across_the_api(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "hanna@example.fi", "Hanna Hyväksyjä", Role::Approver, Language::En).await;
        let mut hanna = Browser::new(&app);
        hanna.sign_in("hanna@example.fi", PASSWORD).await;
        let page = hanna.get("/account").await;
        assert!(text_of(&page.html).contains("You have no tokens."));
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();
        let made = hanna.post("/account/tokens", &[("csrf", &csrf), ("label", "my scripts")]).await;
        assert_eq!(made.status, StatusCode::OK);
        let token = value_of(&made.html, "#new-token").expect("the token, shown once");
        assert!(text_of(&made.html).contains("my scripts"));
        assert!(!text_of(&hanna.get("/account").await.html).contains(&token), "never shown again");

        // Her script adds a brief through the API: it is hers, by name.
        let toml = common::brief_valid_at(include_str!("../fixtures/briefs/storm-72h.toml"), common::now());
        let added = app
            .client
            .post(app.url("/api/v1/briefs"))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "application/toml")
            .body(toml)
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), StatusCode::CREATED, "{}", added.text().await.unwrap());
        let brief = &app.store.briefs(None).await.unwrap()[0];
        assert_eq!(brief.author, "Hanna Hyväksyjä <hanna@example.fi>");
        let approve = app
            .client
            .post(app.url(&format!("/api/v1/briefs/{}/approve", brief.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(approve.status(), StatusCode::FORBIDDEN, "she cannot approve her own brief through her token");
        let page = hanna.get(&format!("/briefs/{}", brief.id)).await;
        assert!(text_of(&page.html).contains("You wrote this brief."), "nor in the console");

        let id = app.store.tokens().await.unwrap()[0].id.to_string();
        let revoked = hanna.post(&format!("/account/tokens/{id}/revoke"), &[("csrf", &csrf)]).await;
        assert_eq!(revoked.location.as_deref(), Some("/account?revoked=1"));
        let after = app.client.get(app.url("/api/v1/briefs")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    }
}

each_backend! {
    async fn a_person_chooses_their_consoles_language_and_changes_their_own_password(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let page = browser.get("/account").await;
        let csrf = value_of(&page.html, "input[name=csrf]").unwrap();
        let saved = browser.post("/account/language", &[("csrf", &csrf), ("language", "sv")]).await;
        assert_eq!(saved.location.as_deref(), Some("/account?language=1"));
        let text = text_of(&browser.get("/account?language=1").await.html);
        assert!(text.contains("Konsolens språk är sparat.") && text.contains("Ditt konto"), "{text}");

        let wrong = browser
            .post("/account/password", &[("csrf", &csrf), ("current", "not my password at all"), ("new", "ett helt nytt lösenord")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text_of(&wrong.html).contains("Det nuvarande lösenordet är inte rätt"), "{}", text_of(&wrong.html));
        let short = browser.post("/account/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", "kort")]).await;
        assert!(text_of(&short.html).contains("Lösenordet är för kort"), "{}", text_of(&short.html));
        let changed = browser
            .post("/account/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", "ett helt nytt lösenord")])
            .await;
        assert_eq!(changed.location.as_deref(), Some("/sign-in?changed=1&lang=sv"));
        assert_eq!(browser.get("/briefs").await.status, StatusCode::SEE_OTHER, "signed out everywhere");
        assert_eq!(browser.sign_in("kaisa@example.fi", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(browser.sign_in("kaisa@example.fi", "ett helt nytt lösenord").await.status, StatusCode::SEE_OTHER);
        let audit = app.store.audit_log(20).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "account.password" && e.actor == "Kaisa Koordinaattori <kaisa@example.fi>"));
        assert!(audit.iter().any(|e| e.action == "account.language" && e.detail["language"] == "sv"));
    }
}

each_backend! {
    async fn the_validators_problems_read_in_the_persons_language(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "aino@example.fi", "Aino Koordinaattori", Role::Coordinator, Language::Fi).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("aino@example.fi", PASSWORD).await;
        let (csrf, _) = browser.form_of("/briefs").await;
        let toml = common::brief_valid_at(include_str!("../fixtures/briefs/storm-72h.toml"), common::now())
            .replacen("title = \"Get ready for the storm: manage at home for 72 hours\"", "title = \"\"", 1);
        let added = browser.post("/briefs/new", &[("csrf", &csrf), ("format", "toml"), ("text", &toml)]).await;
        let page = text_of(&browser.get(added.location.as_deref().unwrap()).await.html);
        assert!(page.contains("en · title : on pakollinen."), "{page}");
        let brief = &app.store.briefs(None).await.unwrap()[0];
        let problems = briefcast::brief::validate(&brief.brief, &briefcast::brief::PlatformLimits::embedded());
        assert_eq!(problems[0].rule, "is required", "the API and the command line keep the English words");
    }
}

each_backend! {
    async fn a_brief_is_written_from_an_empty_page_in_the_editor_alone(b) {
        let app = spawn_app(&b).await;
        add_person(&app, "kaisa@example.fi", "Kaisa Koordinaattori", Role::Coordinator, Language::En).await;
        let mut browser = Browser::new(&app);
        browser.sign_in("kaisa@example.fi", PASSWORD).await;
        let (csrf, _) = browser.form_of("/briefs/new").await;
        let started = browser.post("/briefs/new/blank", &[("csrf", &csrf)]).await;
        let editor_path = started.location.expect("to the editor");
        assert!(editor_path.ends_with("/editor"), "{editor_path}");
        let editor = browser.get(&editor_path).await;
        let text = text_of(&editor.html);
        assert!(text.contains("About the brief") && text.contains("meta.slug: is required."), "{text}");

        let mut fields = editor_fields(&editor.html);
        set(&mut fields, "meta-slug", "boil-water-tampere");
        set(&mut fields, "meta-source", "City of Tampere");
        set(&mut fields, "meta-embargo", "2026-11-23T08:00");
        set(&mut fields, "meta-hashtags", "#vesi, #vatten");
        fields.push(("meta-cadence".into(), "daily".into()));
        set(&mut fields, "fi-title", "Keitä vesi Tampereella");
        set(&mut fields, "fi-summary", "Vesijohtovesi on keitettävä ennen juomista.");
        set(&mut fields, "fi-key_messages", "Keitä vesi kolme minuuttia.\nSeuraa kaupungin tiedotteita.");
        set(&mut fields, "fi-x", "Tampere: keitä vesi ennen juomista.");
        fields.push(("intent".into(), "save".into()));
        let saved = browser.post_owned(&editor_path, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", text_of(&saved.html));
        let page = text_of(&browser.get(saved.location.as_deref().unwrap()).await.html);
        assert!(page.contains("No problems: this brief can be approved."), "{page}");
        let brief = &app.store.briefs(None).await.unwrap()[0];
        let meta = &brief.brief.meta;
        assert_eq!(meta.slug, "boil-water-tampere");
        assert_eq!(meta.hashtags, vec!["#vesi", "#vatten"]);
        assert_eq!(meta.embargo.unwrap().to_rfc3339(), "2026-11-23T08:00:00+02:00", "Helsinki time");
        assert_eq!(brief.brief.fi.as_ref().unwrap().key_messages.len(), 2);
        assert!(brief.brief.sv.is_none() && brief.brief.en.is_none(), "languages left empty are left out");
        let again = text_of(&browser.get(&editor_path).await.html);
        assert!(again.contains("No problems"), "{again}");
    }
}
