//! The public pack pages: `/p/ID/LANG` (the web version every email links to), its signed copy
//! and where it stands as JSON, the published key, and `/verify`, where anyone checks a text.
//! No cookies, no tracking, nothing loaded from elsewhere.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;

use super::{AppState, form};
use crate::ids::BriefId;
use crate::language::Language;
use crate::pack::{PackPage, SignatureError, Standing, VerifyView, pack_page, standing_line, verify_page};
use crate::service::packs::{self, IssuedPack, PackError, Site, Verdict};

/// The pages' own policy: their stylesheet and copy script, nothing else.
const POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
                      form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A pasted text larger than this is not a post or a pack.
const MOST_TEXT_BYTES: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/assets/{name}", get(asset))
        .route("/p/{id}/{lang}", get(page))
        .route("/p/{id}/{lang}/signed.txt", get(signed))
        .route("/p/{id}/{lang}/status", get(status))
        .route("/.well-known/briefcast-pack-keys", get(keys))
        .route(
            "/verify",
            get(verify_form)
                .post(verify)
                .layer(axum::extract::DefaultBodyLimit::max(MOST_TEXT_BYTES)),
        )
}

fn site(state: &AppState) -> Site<'_> {
    Site {
        public_url: &state.config.public_url,
        content: &state.content,
        key: &state.pack_key,
    }
}

fn with_policy(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    response
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "pack.css" => (include_str!("../../content/pages/pack.css"), "text/css; charset=utf-8"),
        "pack.js" => (
            include_str!("../../content/pages/pack.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The path's brief and language, or nothing: a malformed address is a page that is not there.
fn address(id: &str, lang: &str) -> Option<(BriefId, Language)> {
    Some((BriefId(id.parse().ok()?), lang.parse().ok()?))
}

/// The pack, or the answer that stands in for it.
async fn look_up(state: &AppState, id: &str, lang: &str) -> Result<IssuedPack, Response> {
    let Some((id, language)) = address(id, lang) else {
        return Err(not_found(state, Language::Fi));
    };
    packs::issued(state.store.as_ref(), &site(state), id, language, state.clock.now())
        .await
        .map_err(|e| failed(state, language, &e))
}

fn failed(state: &AppState, language: Language, error: &PackError) -> Response {
    match error {
        PackError::NotFound => not_found(state, language),
        other => {
            tracing::error!(error = %other, "a public pack page failed");
            let text = state.content.strings.get(language, "page-unavailable");
            with_policy((StatusCode::SERVICE_UNAVAILABLE, text).into_response())
        }
    }
}

fn not_found(state: &AppState, language: Language) -> Response {
    let text = state.content.strings.get(language, "pack-not-found");
    with_policy((StatusCode::NOT_FOUND, text).into_response())
}

async fn page(State(state): State<AppState>, Path((id, lang)): Path<(String, String)>) -> Response {
    let pack = match look_up(&state, &id, &lang).await {
        Ok(pack) => pack,
        Err(response) => return response,
    };
    let site = site(&state);
    let base = site.page(pack.stored.id, pack.language);
    let signed_url = format!("{base}/signed.txt");
    let languages = pack
        .stored
        .brief
        .languages()
        .into_iter()
        .map(|l| (l, site.page(pack.stored.id, l)))
        .collect();
    let verify_url = format!("/verify?lang={}", pack.language.code());
    let page = PackPage {
        brief: &pack.stored.brief,
        language: pack.language,
        issuer: &pack.header.issuer,
        issued: pack.header.issued,
        standing: pack.standing,
        since: pack.since,
        current_page: pack.current_page.as_deref(),
        languages,
        signed_url: &signed_url,
        keys_url: &site.keys_url(),
        verify_url: &verify_url,
        key_id: &state.pack_key.public().id,
    };
    match pack_page(&state.content, &page) {
        Ok(Some(html)) => with_policy(Html(html).into_response()),
        Ok(None) => not_found(&state, pack.language),
        Err(e) => failed(&state, pack.language, &PackError::Render(e)),
    }
}

async fn signed(State(state): State<AppState>, Path((id, lang)): Path<(String, String)>) -> Response {
    let pack = match look_up(&state, &id, &lang).await {
        Ok(pack) => pack,
        Err(response) => return response,
    };
    let name = format!(
        "attachment; filename=\"pack-{}-{}.txt\"",
        pack.stored.id.0,
        pack.language.code()
    );
    let mut response = (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        site(&state).signed(&pack),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&name) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    with_policy(response)
}

fn status_json(pack: &IssuedPack) -> serde_json::Value {
    json!({
        "brief": pack.stored.id.0,
        "language": pack.language.code(),
        "version": pack.stored.version,
        "title": pack.stored.brief.block(pack.language).map(|b| b.title.clone()),
        "issuer": pack.header.issuer,
        "issued": pack.header.issued,
        "standing": pack.standing.as_str(),
        "since": pack.since,
        "current_page": pack.current_page,
        "page": pack.header.page,
    })
}

async fn status(State(state): State<AppState>, Path((id, lang)): Path<(String, String)>) -> Response {
    match look_up(&state, &id, &lang).await {
        Ok(pack) => axum::Json(status_json(&pack)).into_response(),
        Err(response) => response,
    }
}

async fn keys(State(state): State<AppState>) -> Response {
    let jwks = crate::pack::PublicKey::jwks(&[state.pack_key.public()]);
    ([(header::CONTENT_TYPE, "application/jwk-set+json")], jwks.to_string()).into_response()
}

#[derive(Deserialize)]
struct Lang {
    lang: Option<String>,
}

impl Lang {
    fn language(&self) -> Language {
        self.lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(Language::Fi)
    }
}

fn verify_view(state: &AppState, language: Language, text: String) -> VerifyView {
    let issuer = state.content.sender.get(language).to_string();
    VerifyView {
        lang: language.code(),
        intro: state
            .content
            .strings
            .get_with(language, "verify-intro", &[("issuer", FluentValue::from(issuer))]),
        text,
        verdict: None,
        verdict_line: None,
        part: None,
        pack_href: None,
        current_href: None,
        languages: Language::ALL
            .into_iter()
            .filter(|l| *l != language)
            .map(|l| {
                (
                    l.code(),
                    state.content.strings.get(l, "language-own-name"),
                    format!("/verify?lang={}", l.code()),
                )
            })
            .collect(),
    }
}

fn render_verify(state: &AppState, language: Language, view: &VerifyView) -> Response {
    match verify_page(&state.content, language, view) {
        Ok(html) => with_policy(Html(html).into_response()),
        Err(e) => failed(state, language, &PackError::Render(e)),
    }
}

async fn verify_form(State(state): State<AppState>, Query(lang): Query<Lang>) -> Response {
    let language = lang.language();
    render_verify(&state, language, &verify_view(&state, language, String::new()))
}

async fn verify(State(state): State<AppState>, Query(lang): Query<Lang>, headers: HeaderMap, body: Bytes) -> Response {
    let language = lang.language();
    let text = form::fields(&headers, &body)
        .into_iter()
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let verdict = match packs::verify(state.store.as_ref(), &site(&state), &text, state.clock.now()).await {
        Ok(verdict) => verdict,
        Err(e) => return failed(&state, language, &e),
    };
    let strings = &state.content.strings;
    let mut view = verify_view(&state, language, text);
    let shown = |view: &mut VerifyView, pack: &IssuedPack| {
        view.verdict = Some(match pack.standing {
            Standing::Current => "genuine",
            Standing::Withdrawn => "refused",
            _ => "unknown",
        });
        view.verdict_line = Some(standing_line(
            strings,
            language,
            &pack.header.issuer,
            pack.header.issued,
            pack.standing,
            pack.since,
        ));
        view.pack_href = Some(pack.header.page.clone());
        view.current_href = pack.current_page.clone();
    };
    match verdict {
        Verdict::Signed(pack) => shown(&mut view, &pack),
        Verdict::Found { pack, part } => {
            shown(&mut view, &pack);
            let title = pack.stored.brief.block(pack.language).map(|b| b.title.clone());
            let title = FluentValue::from(title.unwrap_or_default());
            view.part = Some(match part {
                Some(part) => strings.get_with(
                    language,
                    "verify-part",
                    &[("part", FluentValue::from(part)), ("title", title)],
                ),
                None => strings.get_with(language, "verify-within", &[("title", title)]),
            });
        }
        Verdict::Refused(why) => {
            view.verdict = Some("refused");
            view.verdict_line = Some(match why {
                SignatureError::UnknownKey(_) => strings.get(language, "verify-unknown-key"),
                _ => strings.get(language, "verify-altered"),
            });
        }
        Verdict::TooShort => {
            view.verdict = Some("unknown");
            view.verdict_line = Some(strings.get(language, "verify-too-short"));
        }
        Verdict::NotFound => {
            let issuer = FluentValue::from(state.content.sender.get(language).to_string());
            view.verdict = Some("unknown");
            view.verdict_line = Some(strings.get_with(language, "verify-not-found", &[("issuer", issuer)]));
        }
    }
    render_verify(&state, language, &view)
}

/// A counted source link: counted for its brief, language and source (never who), then on to
/// the source itself.
pub(super) async fn follow_source(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match crate::service::reach::follow_source(state.store.as_ref(), &state.tokens, &token, state.clock.now()).await {
        Ok(Some(source)) => match HeaderValue::from_str(&source) {
            Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
            Err(_) => invalid_link(&state),
        },
        Ok(None) => invalid_link(&state),
        Err(error) => failed(&state, Language::Fi, &PackError::Store(error)),
    }
}

/// A source link this deployment did not sign: it names no pack, so it says so in every language.
fn invalid_link(state: &AppState) -> Response {
    let text = Language::ALL
        .map(|l| state.content.strings.get(l, "page-invalid"))
        .join(" / ");
    with_policy((StatusCode::NOT_FOUND, text).into_response())
}
