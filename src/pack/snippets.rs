//! Copy-ready text per platform, as influencers paste it, with the counts the limits use.

use serde::Serialize;

use super::view::clean;
use crate::brief::{Brief, x_weighted_length};
use crate::language::Language;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippets {
    /// The language of the text (the fallback language when the reader's was missing).
    pub language: Language,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instagram: Option<InstagramSnippet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiktok: Option<TikTokSnippet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub youtube: Option<YouTubeSnippet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<XSnippet>,
    pub facts: Vec<FactSnippet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstagramSnippet {
    /// The caption with the brief's hashtags appended: exactly what is posted.
    pub caption: String,
    pub characters: usize,
    pub hashtags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TikTokSnippet {
    pub script: String,
    pub characters: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YouTubeSnippet {
    pub title: String,
    pub talking_points: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XSnippet {
    pub post: String,
    pub weighted_length: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactSnippet {
    pub text: String,
    pub source: String,
}

impl Snippets {
    /// The snippets of `brief` in `language`, or `None` when it has no text in that language.
    pub fn of(brief: &Brief, language: Language) -> Option<Snippets> {
        let block = brief.block(language)?;
        let instagram = brief.instagram_caption(language).map(|caption| {
            let caption = clean(&caption);
            InstagramSnippet {
                characters: caption.chars().count(),
                hashtags: crate::brief::hashtags_in(&caption)
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                caption,
            }
        });
        Some(Snippets {
            language,
            title: clean(&block.title),
            instagram,
            tiktok: block.tiktok.as_ref().map(|t| {
                let script = clean(&t.script);
                TikTokSnippet {
                    characters: script.chars().count(),
                    script,
                }
            }),
            youtube: block.youtube.as_ref().map(|y| YouTubeSnippet {
                title: clean(&y.title),
                talking_points: y.talking_points.iter().map(|p| clean(p)).collect(),
                description: y.description.as_deref().map(clean),
            }),
            x: block.x.as_ref().map(|x| {
                let post = clean(&x.post);
                XSnippet {
                    weighted_length: x_weighted_length(&post),
                    post,
                }
            }),
            facts: block
                .facts
                .iter()
                .map(|f| FactSnippet {
                    text: clean(&f.text),
                    source: clean(&f.source),
                })
                .collect(),
        })
    }
}
