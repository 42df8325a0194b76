//! What templates see: brief text cleaned of control characters, links only where a source is
//! an http(s) address, and every label already in the reader's language.

use std::collections::BTreeMap;

use fluent_bundle::FluentValue;
use serde::Serialize;

use super::locale::{LABEL_IDS, Strings, format_datetime};
use super::platforms::{PackPlatform, ReaderPlatforms};
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

/// One platform's ready-to-post texts, with their labels in the reader's language.
#[derive(Serialize)]
pub(crate) struct SnippetView {
    platform: &'static str,
    parts: Vec<SnippetPart>,
}

/// A labelled piece of a platform's texts: a text to copy as it is, or points to speak from.
#[derive(Serialize)]
pub(crate) struct SnippetPart {
    label: String,
    /// Said beside the label, outside the text, so that it is not copied with it.
    note: Option<String>,
    text: Option<String>,
    points: Vec<String>,
}

impl SnippetPart {
    fn text(label: String, text: String) -> SnippetPart {
        SnippetPart {
            label,
            note: None,
            text: Some(text),
            points: Vec::new(),
        }
    }
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
    /// The texts for the reader's own platforms first (all of them when none is known) …
    snippets: Vec<SnippetView>,
    /// … and the others, folded below under `also_heading`.
    also: Vec<SnippetView>,
    also_heading: Option<String>,
    /// The pack's public web version, where it has one.
    pub page: Option<String>,
}

impl BriefView {
    pub(crate) fn new(
        strings: &Strings,
        brief: &Brief,
        reader: Language,
        content: Language,
        block: &LanguageBlock,
        anchor: String,
        platforms: ReaderPlatforms,
    ) -> BriefView {
        let fallback_note = (reader != content).then(|| {
            strings.get_with(
                reader,
                "fallback-note",
                &[("fallback", FluentValue::from(content.code()))],
            )
        });
        let arg = |text: String| FluentValue::from(text);
        let (snippets, also, also_heading) = snippets(strings, reader, brief, content, block, platforms);
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
            snippets,
            also,
            also_heading,
            page: None,
        }
    }
}

impl BriefView {
    /// Sends each fact's source link through its counted redirect, one per fact in order; a
    /// source that is not a web address stays as it is.
    pub(crate) fn count_clicks(&mut self, links: &[String]) {
        for (fact, link) in self.facts.iter_mut().zip(links) {
            if fact.href.is_some() {
                fact.href = Some(link.clone());
            }
        }
    }
}

/// The brief's ready-to-post texts, split into the reader's platforms and the others. A reader
/// who uses none of the platforms the brief has texts for gets them all, unfolded.
fn snippets(
    strings: &Strings,
    reader: Language,
    brief: &Brief,
    content: Language,
    block: &LanguageBlock,
    platforms: ReaderPlatforms,
) -> (Vec<SnippetView>, Vec<SnippetView>, Option<String>) {
    let label = |id: &str| strings.get(reader, id);
    let mut all: Vec<(PackPlatform, Vec<SnippetPart>)> = Vec::new();
    for platform in PackPlatform::ALL {
        let parts = match platform {
            PackPlatform::Instagram => brief
                .instagram_caption(content)
                .map(|caption| {
                    vec![SnippetPart {
                        note: Some(label("instagram-links-note")),
                        ..SnippetPart::text(label("instagram-caption"), clean(&caption))
                    }]
                })
                .unwrap_or_default(),
            PackPlatform::TikTok => block
                .tiktok
                .iter()
                .map(|t| SnippetPart::text(label("tiktok-script"), clean(&t.script)))
                .collect(),
            PackPlatform::YouTube => block
                .youtube
                .iter()
                .flat_map(|y| {
                    let points = clean_all(&y.talking_points);
                    let mut parts = vec![SnippetPart::text(label("youtube-title"), clean(&y.title))];
                    if !points.is_empty() {
                        parts.push(SnippetPart {
                            label: label("youtube-talking-points"),
                            note: None,
                            text: None,
                            points,
                        });
                    }
                    if let Some(description) = y.description.as_deref() {
                        parts.push(SnippetPart::text(label("youtube-description"), clean(description)));
                    }
                    parts
                })
                .collect(),
            PackPlatform::X => block
                .x
                .iter()
                .map(|x| SnippetPart::text(label("x-post"), clean(&x.post)))
                .collect(),
        };
        if !parts.is_empty() {
            all.push((platform, parts));
        }
    }
    let view = |(platform, parts): (PackPlatform, Vec<SnippetPart>)| SnippetView {
        platform: platform.code(),
        parts,
    };
    if !all.iter().any(|(p, _)| platforms.uses(*p)) {
        return (all.into_iter().map(view).collect(), Vec::new(), None);
    }
    let (own, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|(p, _)| platforms.uses(*p));
    let also_heading = (!others.is_empty()).then(|| {
        let names: Vec<&str> = others.iter().map(|(p, _)| p.name()).collect();
        strings.get_with(
            reader,
            "also-for",
            &[("platforms", FluentValue::from(names.join(", ")))],
        )
    });
    (
        own.into_iter().map(view).collect(),
        others.into_iter().map(view).collect(),
        also_heading,
    )
}
