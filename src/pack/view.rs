//! What templates see: brief text cleaned of control characters, links only where a source is
//! an http(s) address, and every label already in the reader's language.

use std::collections::BTreeMap;

use fluent_bundle::FluentValue;
use serde::Serialize;

use super::locale::{LABEL_IDS, Strings, format_datetime};
use crate::brief::{Brief, LanguageBlock};
use crate::language::Language;

/// Marks where a recipient's details go. Brief text can never contain it: [`clean`] strips
/// control characters from everything a brief supplies.
pub(crate) const SLOT: char = '\u{1}';

pub(crate) fn slot(letter: char) -> String {
    format!("{SLOT}{letter}{SLOT}")
}

/// Brief text as it may appear in a message: no control characters except line breaks.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_string()
}

fn clean_all(list: &[String]) -> Vec<String> {
    list.iter().map(|t| clean(t)).filter(|t| !t.is_empty()).collect()
}

/// The address a link may point to: only absolute http(s) URLs.
pub(crate) fn web_link(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some()).then(|| url.to_string())
}

pub(crate) fn labels(strings: &Strings, language: Language) -> BTreeMap<String, String> {
    LABEL_IDS
        .iter()
        .map(|id| (id.replace('-', "_"), strings.get(language, id)))
        .collect()
}

#[derive(Serialize)]
pub(crate) struct FactView {
    text: String,
    source: String,
    href: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct YouTubeView {
    title: String,
    talking_points: Vec<String>,
    description: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct BriefView {
    pub anchor: String,
    /// The language of the brief text; differs from the reader's under the fallback policy.
    pub lang: &'static str,
    /// The reader's language, set on labels when the text is in another language.
    pub label_lang: Option<&'static str>,
    pub title: String,
    pub urgent: bool,
    pub correction: bool,
    pub fallback_note: Option<String>,
    pub summary: String,
    from_line: String,
    contact_line: Option<String>,
    valid_until_line: Option<String>,
    key_messages: Vec<String>,
    dos: Vec<String>,
    donts: Vec<String>,
    facts: Vec<FactView>,
    instagram: Option<String>,
    tiktok: Option<String>,
    youtube: Option<YouTubeView>,
    x: Option<String>,
}

impl BriefView {
    pub(crate) fn new(
        strings: &Strings,
        brief: &Brief,
        reader: Language,
        content: Language,
        block: &LanguageBlock,
        anchor: String,
    ) -> BriefView {
        let fallback_note = (reader != content).then(|| {
            strings.get_with(
                reader,
                "fallback-note",
                &[("fallback", FluentValue::from(content.code()))],
            )
        });
        let arg = |text: String| FluentValue::from(text);
        BriefView {
            anchor,
            lang: content.code(),
            label_lang: (reader != content).then_some(reader.code()),
            title: clean(&block.title),
            urgent: brief.is_urgent(),
            correction: brief.is_correction(),
            fallback_note,
            summary: clean(&block.summary),
            from_line: strings.get_with(
                reader,
                "brief-from",
                &[(
                    "source",
                    arg(clean(block.source.as_deref().unwrap_or(&brief.meta.source))),
                )],
            ),
            contact_line: brief
                .meta
                .contact
                .as_deref()
                .map(clean)
                .filter(|c| !c.is_empty())
                .map(|c| strings.get_with(reader, "brief-contact", &[("contact", arg(c))])),
            valid_until_line: brief.meta.expires.map(|e| {
                strings.get_with(
                    reader,
                    "valid-until",
                    &[("date", arg(format_datetime(reader, e.to_utc())))],
                )
            }),
            key_messages: clean_all(&block.key_messages),
            dos: clean_all(&block.dos),
            donts: clean_all(&block.dont),
            facts: block
                .facts
                .iter()
                .map(|f| FactView {
                    text: clean(&f.text),
                    source: clean(&f.source),
                    href: web_link(&f.source),
                })
                .collect(),
            instagram: brief.instagram_caption(content).map(|c| clean(&c)),
            tiktok: block.tiktok.as_ref().map(|t| clean(&t.script)),
            youtube: block.youtube.as_ref().map(|y| YouTubeView {
                title: clean(&y.title),
                talking_points: clean_all(&y.talking_points),
                description: y.description.as_deref().map(clean),
            }),
            x: block.x.as_ref().map(|x| clean(&x.post)),
        }
    }
}
