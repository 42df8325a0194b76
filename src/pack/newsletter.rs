//! An edition: the briefs of one send, composed into one email per language. Urgent briefs come
//! first, a short table of contents leads when there is more than one, and briefs missing the
//! reader's language are held or sent in the fallback language, never silently mixed.

use std::fmt;

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::locale::format_number;
use super::personalise::Body;
use super::platforms::ReaderPlatforms;
use super::view::{BriefView, labels, slot, web_link};
use super::{Content, RenderError, format_date};
use crate::brief::Brief;
use crate::config::{Config, MissingLanguage};
use crate::language::Language;

/// The briefs one send carries, in the order the coordinator queued them.
#[derive(Debug, Clone)]
pub struct Edition<'a> {
    pub briefs: Vec<Carried<'a>>,
    pub date: DateTime<Utc>,
    /// The readers' platforms, whose ready-to-post texts come first.
    pub platforms: ReaderPlatforms,
    /// Questions received since the previous edition, when the edition should mention them.
    pub questions_received: Option<u64>,
    /// Answered questions to show readers of this language ("you asked"), in their language.
    pub you_asked: Vec<Asked>,
}

/// A brief an edition carries, and the address of its public pages (`…/p/ID`, each language
/// below it) when it has them.
#[derive(Debug, Clone, Copy)]
pub struct Carried<'a> {
    pub brief: &'a Brief,
    pub page: Option<&'a str>,
    /// Counted links to its fact sources, in place of the sources themselves.
    pub sources: Option<&'a SourceLinks>,
}

impl<'a> From<&'a Brief> for Carried<'a> {
    fn from(brief: &'a Brief) -> Carried<'a> {
        Carried {
            brief,
            page: None,
            sources: None,
        }
    }
}

/// A brief's counted source links (`…/r/TOKEN`), per language, in the order of its facts.
#[derive(Debug, Clone, Default)]
pub struct SourceLinks(pub Vec<(Language, Vec<String>)>);

impl SourceLinks {
    pub(crate) fn of(&self, language: Language) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, links)| links.as_slice())
    }
}

/// One answered question as an edition shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub question: String,
    pub answer: Option<String>,
    /// A link to the answer, such as the answer video; shown only if it is http(s).
    pub answer_url: Option<String>,
    /// The asker's name, only when they agreed to be named.
    pub asked_by: Option<String>,
}

#[derive(Serialize)]
struct AskedView {
    question: String,
    answer: Option<String>,
    href: Option<String>,
    asked_by: Option<String>,
}

/// What a reader gets when a brief lacks their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguagePolicy {
    pub missing: MissingLanguage,
    pub fallback: Language,
}

impl LanguagePolicy {
    pub fn from_config(config: &Config) -> LanguagePolicy {
        LanguagePolicy {
            missing: config.missing_language,
            fallback: config.fallback_language,
        }
    }
}

/// A brief an edition carries, and the language its text is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub slug: String,
    pub language: Language,
    pub fallback: bool,
}

/// A brief left out of one language's edition; the coordinator must be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Held {
    pub slug: String,
    pub language: Language,
    pub reason: HeldReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "fallback")]
pub enum HeldReason {
    /// The policy is hold.
    NotTranslated,
    /// The policy is fallback, but the brief lacks the fallback language too.
    FallbackMissing(Language),
}

impl fmt::Display for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: held back from {} readers: ", self.slug, self.language)?;
        match self.reason {
            HeldReason::NotTranslated => write!(
                f,
                "it has no {} text yet (missing-language policy: hold)",
                self.language
            ),
            HeldReason::FallbackMissing(fallback) => write!(
                f,
                "it has no {} text and no {fallback} text to fall back on",
                self.language
            ),
        }
    }
}

/// One language's email of an edition, rendered once; [`ComposedEdition::personalise`] makes
/// each recipient's copy.
#[derive(Debug, Clone)]
pub struct ComposedEdition {
    pub language: Language,
    pub subject: String,
    pub carried: Vec<Placement>,
    pub held: Vec<Held>,
    pub(crate) body: Body,
}

impl ComposedEdition {
    /// True when every brief was held: there is nothing to send to this language's readers.
    pub fn is_empty(&self) -> bool {
        self.carried.is_empty()
    }
}

#[derive(Serialize)]
struct TocItem {
    anchor: String,
    title: String,
    urgent: bool,
    correction: bool,
}

#[derive(Serialize)]
struct EditionView {
    lang: &'static str,
    subject: String,
    heading: String,
    greeting: String,
    toc: Vec<TocItem>,
    briefs: Vec<BriefView>,
    questions_line: Option<String>,
    you_asked: Vec<AskedView>,
    /// `mailto:` the reader's own question address: the link, never shown as text (a
    /// 40-character token address is unreadable and overflows a phone's width).
    ask_href: String,
    /// Who sends, in the reader's language: the band at the top.
    sender: String,
    /// The first brief's summary, shown by inboxes beside the subject.
    preheader: String,
    unsubscribe_url: String,
    preferences_url: String,
    t: std::collections::BTreeMap<String, String>,
}

/// Composes the edition for readers of `language`.
pub fn compose(
    content: &Content,
    edition: &Edition<'_>,
    language: Language,
    policy: LanguagePolicy,
) -> Result<ComposedEdition, RenderError> {
    let strings = &content.strings;
    let mut ordered: Vec<Carried> = edition.briefs.clone();
    // Stable: urgent briefs move to the front, each group keeps the coordinator's order.
    ordered.sort_by_key(|c| !c.brief.is_urgent());

    let mut carried = Vec::new();
    let mut held = Vec::new();
    let mut briefs = Vec::new();
    for Carried { brief, page, sources } in ordered {
        let slug = brief.meta.slug.clone();
        let text_language = match (brief.block(language), policy.missing) {
            (Some(_), _) => language,
            (None, MissingLanguage::Hold) => {
                held.push(Held {
                    slug,
                    language,
                    reason: HeldReason::NotTranslated,
                });
                continue;
            }
            (None, MissingLanguage::Fallback) if brief.block(policy.fallback).is_some() => policy.fallback,
            (None, MissingLanguage::Fallback) => {
                held.push(Held {
                    slug,
                    language,
                    reason: HeldReason::FallbackMissing(policy.fallback),
                });
                continue;
            }
        };
        let Some(block) = brief.block(text_language) else {
            continue;
        };
        let anchor = format!("brief-{}", briefs.len() + 1);
        let mut view = BriefView::new(
            strings,
            brief,
            language,
            text_language,
            block,
            anchor,
            edition.platforms,
        );
        view.page = page.map(|p| format!("{}/{}", p.trim_end_matches('/'), text_language.code()));
        if let Some(links) = sources.and_then(|s| s.of(text_language)) {
            view.count_clicks(links);
        }
        briefs.push(view);
        carried.push(Placement {
            slug,
            language: text_language,
            fallback: text_language != language,
        });
    }

    let date = format_date(language, edition.date);
    let heading = strings.get_with(language, "edition-heading", &[("date", FluentValue::from(date))]);
    let subject = subject(content, language, &briefs, &heading);
    let toc = if briefs.len() > 1 {
        briefs
            .iter()
            .map(|b| TocItem {
                anchor: b.anchor.clone(),
                title: b.title.clone(),
                urgent: b.urgent,
                correction: b.correction,
            })
            .collect()
    } else {
        Vec::new()
    };
    let questions_line = edition.questions_received.map(|n| {
        strings.get_with(
            language,
            "questions-received",
            &[
                ("count", FluentValue::from(n)),
                ("formatted", FluentValue::from(format_number(language, n))),
            ],
        )
    });
    let you_asked = edition
        .you_asked
        .iter()
        .map(|a| AskedView {
            question: a.question.clone(),
            answer: a.answer.clone(),
            href: a.answer_url.as_deref().and_then(web_link),
            asked_by: a
                .asked_by
                .as_ref()
                .map(|name| strings.get_with(language, "you-asked-by", &[("name", FluentValue::from(name.as_str()))])),
        })
        .collect();
    let preheader = briefs.first().map(|b| preheader(&b.summary)).unwrap_or_default();
    let view = EditionView {
        lang: language.code(),
        subject: subject.clone(),
        heading,
        greeting: slot('G'),
        toc,
        briefs,
        questions_line,
        you_asked,
        ask_href: format!("mailto:{}", slot('R')),
        preheader,
        sender: content.sender.get(language).to_string(),
        unsubscribe_url: slot('U'),
        preferences_url: slot('P'),
        t: labels(strings, language),
    };
    let context = Value::from(Serde(&view));
    let html = inline_styles(&content.templates.render("edition.html", &context)?)?;
    let text = content.templates.render("edition.txt", &context)?;
    let greeting_named = strings.get_with(language, "greeting-named", &[("name", FluentValue::from(slot('N')))]);
    let greeting = strings.get(language, "greeting");
    Ok(ComposedEdition {
        language,
        subject,
        carried,
        held,
        body: Body::new(&html, &text, &greeting_named, &greeting),
    })
}

/// Composes the edition for each of the three languages.
pub fn compose_all(
    content: &Content,
    edition: &Edition<'_>,
    policy: LanguagePolicy,
) -> Result<Vec<ComposedEdition>, RenderError> {
    Language::ALL
        .into_iter()
        .map(|l| compose(content, edition, l, policy))
        .collect()
}

/// The stylesheet copied onto each element it applies to: Gmail's app for other accounts and
/// several Outlooks drop `<style>`, and the email must still read well there. The block stays
/// for what only it can say (dark mode). Done once per language, before the readers' details
/// are spliced in.
fn inline_styles(html: &str) -> Result<String, RenderError> {
    css_inline::CSSInliner::options()
        .keep_style_tags(true)
        .build()
        .inline(html)
        // A part ends with a line break, as the template's did: quoted-printable ends cleanly.
        .map(|inlined| {
            if inlined.ends_with('\n') {
                inlined
            } else {
                inlined + "\n"
            }
        })
        .map_err(|e| RenderError {
            template: "edition.html".into(),
            line: None,
            message: format!("inlining its styles: {e}"),
        })
}

/// An inbox preview: the summary cut at a word within 140 characters.
fn preheader(summary: &str) -> String {
    const MOST: usize = 140;
    if summary.chars().count() <= MOST {
        return summary.to_string();
    }
    let cut: String = summary.chars().take(MOST).collect();
    match cut.rfind(' ') {
        Some(at) => format!("{}…", cut[..at].trim_end()),
        None => format!("{cut}…"),
    }
}

fn subject(content: &Content, language: Language, briefs: &[BriefView], heading: &str) -> String {
    let strings = &content.strings;
    let title = |b: &BriefView| FluentValue::from(b.title.clone());
    if let Some(urgent) = briefs.iter().find(|b| b.urgent) {
        return strings.get_with(language, "subject-urgent", &[("title", title(urgent))]);
    }
    match briefs {
        [only] if only.correction => strings.get_with(language, "subject-correction", &[("title", title(only))]),
        [only] => only.title.clone(),
        _ => heading.to_string(),
    }
}
