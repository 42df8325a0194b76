//! A pack's public web version and the text that is signed: the same words as the email, for
//! anyone, with where the pack stands now (current, withdrawn, corrected, expired).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::locale::{Strings, format_date, format_datetime};
use super::platforms::ReaderPlatforms;
use super::view::{BriefView, labels};
use super::{Content, RenderError};
use crate::brief::Brief;
use crate::language::Language;

/// Where an issued pack stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Current,
    /// Withdrawn by the authority: not to be posted.
    Withdrawn,
    /// A correction replaces it.
    Corrected,
    /// A later version replaces it.
    Updated,
    /// Past its expiry: its advice may no longer apply.
    Expired,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Current => "current",
            Standing::Withdrawn => "withdrawn",
            Standing::Corrected => "corrected",
            Standing::Updated => "updated",
            Standing::Expired => "expired",
        }
    }
}

/// Everything the public page of one pack shows beside the pack itself.
pub struct PackPage<'a> {
    pub brief: &'a Brief,
    pub language: Language,
    pub issuer: &'a str,
    pub issued: DateTime<Utc>,
    pub standing: Standing,
    /// When it was withdrawn or expired.
    pub since: Option<DateTime<Utc>>,
    /// The page of the version that replaces it.
    pub current_page: Option<&'a str>,
    /// The pack's pages in each language it has: (language, address).
    pub languages: Vec<(Language, String)>,
    /// The signed copy to download, and the key that checks it.
    pub signed_url: &'a str,
    pub keys_url: &'a str,
    pub verify_url: &'a str,
    pub key_id: &'a str,
}

/// A pack's text as it is signed: the plain text its readers get, without links or greeting.
pub fn pack_text(content: &Content, brief: &Brief, language: Language) -> Result<Option<String>, RenderError> {
    let Some(block) = brief.block(language) else {
        return Ok(None);
    };
    let view = BriefView::new(
        &content.strings,
        brief,
        language,
        language,
        block,
        "pack".into(),
        ReaderPlatforms::NONE,
    );
    let context = Value::from(Serde(&TextView {
        brief: view,
        t: labels(&content.strings, language),
    }));
    Ok(Some(
        content.templates.render("brief.txt", &context)?.trim().to_string(),
    ))
}

#[derive(Serialize)]
struct TextView {
    brief: BriefView,
    t: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: String,
    href: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    lang: &'static str,
    title: String,
    issuer: &'a str,
    standing: &'static str,
    /// The line that says where the pack stands, in the page's language.
    standing_line: String,
    current_page: Option<&'a str>,
    languages: Vec<LanguageLink>,
    signed_url: &'a str,
    keys_url: &'a str,
    verify_url: &'a str,
    key_id: &'a str,
    brief: BriefView,
    t: std::collections::BTreeMap<String, String>,
}

/// The page's own words, on top of the pack's labels.
pub(crate) const PAGE_LABEL_IDS: &[&str] = &[
    "pack-current-link",
    "pack-download",
    "pack-key",
    "pack-check",
    "pack-no-tracking",
    "pack-languages",
    "pack-copy",
    "pack-copied",
    "pack-signed-by",
    "verify-title",
    "verify-field",
    "verify-submit",
    "verify-too-short",
    "verify-altered",
    "verify-unknown-key",
    "verify-see-pack",
];

fn page_labels(strings: &Strings, language: Language) -> std::collections::BTreeMap<String, String> {
    let mut t = labels(strings, language);
    t.extend(
        PAGE_LABEL_IDS
            .iter()
            .map(|id| (id.replace('-', "_"), strings.get(language, id))),
    );
    t
}

/// The line that says whether a pack is genuine and where it stands, as the page and the
/// verification both say it.
pub fn standing_line(
    strings: &Strings,
    language: Language,
    issuer: &str,
    issued: DateTime<Utc>,
    standing: Standing,
    since: Option<DateTime<Utc>>,
) -> String {
    let arg = |s: String| FluentValue::from(s);
    let genuine = strings.get_with(
        language,
        "pack-genuine",
        &[
            ("issuer", arg(issuer.to_string())),
            ("date", arg(format_datetime(language, issued))),
        ],
    );
    let date = arg(since.map(|s| format_date(language, s)).unwrap_or_default());
    let now = match standing {
        Standing::Current => return genuine,
        Standing::Withdrawn => strings.get_with(language, "pack-withdrawn", &[("date", date)]),
        Standing::Corrected => strings.get(language, "pack-corrected"),
        Standing::Updated => strings.get(language, "pack-updated"),
        Standing::Expired => strings.get_with(language, "pack-expired", &[("date", date)]),
    };
    format!("{genuine} {now}")
}

/// The public page of one pack.
pub fn pack_page(content: &Content, page: &PackPage<'_>) -> Result<Option<String>, RenderError> {
    let strings = &content.strings;
    let language = page.language;
    let Some(block) = page.brief.block(language) else {
        return Ok(None);
    };
    let brief = BriefView::new(
        strings,
        page.brief,
        language,
        language,
        block,
        "pack".into(),
        ReaderPlatforms::NONE,
    );
    let view = PageView {
        lang: language.code(),
        title: brief.title.clone(),
        issuer: page.issuer,
        standing: page.standing.as_str(),
        standing_line: standing_line(strings, language, page.issuer, page.issued, page.standing, page.since),
        current_page: page.current_page,
        languages: page
            .languages
            .iter()
            .filter(|(l, _)| *l != language)
            .map(|(l, href)| LanguageLink {
                code: l.code(),
                name: strings.get(*l, "language-own-name"),
                href: href.clone(),
            })
            .collect(),
        signed_url: page.signed_url,
        keys_url: page.keys_url,
        verify_url: page.verify_url,
        key_id: page.key_id,
        brief,
        t: page_labels(strings, language),
    };
    Ok(Some(
        content.templates.render("pack_page.html", &Value::from(Serde(&view)))?,
    ))
}

/// What the verification page says: nothing yet, or the verdict on a text.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyView {
    pub lang: &'static str,
    pub intro: String,
    pub text: String,
    /// `genuine`, `refused` or `unknown`: how the verdict is marked.
    pub verdict: Option<&'static str>,
    pub verdict_line: Option<String>,
    /// The label of the part of the pack the text is, when it is one.
    pub part: Option<String>,
    pub pack_href: Option<String>,
    pub current_href: Option<String>,
    pub languages: Vec<(&'static str, String, String)>,
}

/// The page that checks a text: a form, and the verdict when one was asked.
pub fn verify_page(content: &Content, language: Language, view: &VerifyView) -> Result<String, RenderError> {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        view: &'a VerifyView,
        t: std::collections::BTreeMap<String, String>,
    }
    let page = Page {
        view,
        t: page_labels(&content.strings, language),
    };
    content.templates.render("pack_verify.html", &Value::from(Serde(&page)))
}
