//! A coordinator's preview of one brief in one language: what its readers would receive.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::newsletter::{Edition, LanguagePolicy, compose};
use super::personalise::Recipient;
use super::platforms::ReaderPlatforms;
use super::snippets::Snippets;
use super::{Content, RenderError};
use crate::brief::{Brief, Problem, validate};
use crate::language::Language;

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub slug: String,
    /// The readers' language.
    pub language: Language,
    /// The language of the brief text they get; `None` when the brief is held from them.
    pub text_language: Option<Language>,
    pub subject: Option<String>,
    pub html: Option<String>,
    pub text: Option<String>,
    pub snippets: Option<Snippets>,
    /// Why the brief would not reach these readers, when it would not.
    pub held: Option<String>,
    /// Everything validation finds in the brief, in every language.
    pub problems: Vec<Problem>,
}

/// Renders `brief` for readers of `language` as a one-brief edition dated `now`, personalised
/// for `recipient` (a sample, or the coordinator).
pub fn preview(
    content: &Content,
    brief: &Brief,
    language: Language,
    policy: LanguagePolicy,
    recipient: &Recipient,
    now: DateTime<Utc>,
) -> Result<Preview, RenderError> {
    let edition = Edition {
        briefs: vec![brief.into()],
        date: now,
        platforms: ReaderPlatforms::NONE,
        questions_received: None,
        you_asked: Vec::new(),
    };
    let composed = compose(content, &edition, language, policy)?;
    let problems = validate(brief, &content.limits);
    let slug = brief.meta.slug.clone();
    if let Some(held) = composed.held.first() {
        return Ok(Preview {
            slug,
            language,
            text_language: None,
            subject: None,
            html: None,
            text: None,
            snippets: None,
            held: Some(held.to_string()),
            problems,
        });
    }
    let text_language = composed.carried.first().map(|p| p.language);
    let message = composed.personalise(recipient);
    Ok(Preview {
        slug,
        language,
        text_language,
        subject: Some(message.subject),
        html: Some(message.html),
        text: Some(message.text),
        snippets: text_language.and_then(|l| Snippets::of(brief, l)),
        held: None,
        problems,
    })
}

/// Writes `pack.html`, `pack.txt`, `snippets.json` and the whole `preview.json` into `dir`
/// (created when missing) and returns the paths written.
pub fn write_preview(preview: &Preview, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut write = |name: &str, body: &str| -> std::io::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, body)?;
        written.push(path);
        Ok(())
    };
    if let Some(html) = &preview.html {
        write("pack.html", html)?;
    }
    if let Some(text) = &preview.text {
        write("pack.txt", text)?;
    }
    if let Some(snippets) = &preview.snippets {
        write(
            "snippets.json",
            &format!("{}\n", serde_json::to_string_pretty(snippets)?),
        )?;
    }
    write("preview.json", &format!("{}\n", serde_json::to_string_pretty(preview)?))?;
    Ok(written)
}
