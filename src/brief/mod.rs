//! A brief: one message from an authority, with a `[meta]` table and one block per language.
//!
//! The types mirror the brief file one to one, so the same structure reads from TOML and JSON
//! and writes back to JSON for storage. Rules that span fields live in [`validate`]; the
//! approval flow lives in [`lifecycle`].
//!
//! Hashtags: `meta.hashtags` are campaign tags and go to every language (Finland's campaigns
//! pair their tags, #72tuntia #72timmar #72hours, and readers search in either language); a
//! language block may add its own `hashtags`, appended after them. They are normalised
//! (leading `#`, NFC, duplicates dropped without regard to case) and appended on their own line
//! to the Instagram caption unless the caption already carries them, and the caption's limits
//! are checked on that final text.

mod cap;
mod hashtag;
pub mod lifecycle;
mod limits;
mod parse;
mod press;
mod validate;
mod weighted;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::cadence::Cadence;
use crate::language::Language;

pub use cap::{CapMsgType, CapOrigin, CapStatus, slug_of};
pub use hashtag::{Hashtag, HashtagError, hashtags_in};
pub use lifecycle::{BriefStatus, LifecycleError, correct};
pub(crate) use limits::group_digits;
pub use limits::{Limit, LimitsError, PlatformLimits, Unit};
pub use parse::{BriefFormat, ParseError};
pub use press::{FEED_MAX_BYTES, PressFeed, PressItem, PressOrigin, plain_text, read_feed};
pub use validate::{Arg, Counter, Problem, Words, counters, validate};
pub use weighted::x_weighted_length;

/// Why a brief may not go out alone in a flash edition now. The words here are the command
/// line's and the API's; the console words each kind in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FlashRefusal {
    #[error("is routine: only urgent briefs go out in a flash edition")]
    Routine,
    #[error("is {0}: only an approved brief can be sent")]
    NotApproved(BriefStatus),
    #[error("is under embargo until {}", .0.to_rfc3339())]
    Embargoed(DateTime<Utc>),
    #[error("expired at {}", .0.to_rfc3339())]
    Expired(DateTime<Utc>),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brief {
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fi: Option<LanguageBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sv: Option<LanguageBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<LanguageBlock>,
}

/// Required text fields default to empty so that validation can report every missing one at
/// once instead of the parser stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embargo: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    /// Which scheduled editions may carry the brief. Urgent briefs go out in a flash edition
    /// and need none.
    #[serde(default)]
    pub cadences: Vec<Cadence>,
    /// Campaign hashtags appended to the Instagram caption in every language.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// The slug of the sent brief this one corrects; packs mark it as a correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    /// The CAP alert the brief was drafted from, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<CapOrigin>,
    /// The press release the brief was drafted from, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press: Option<PressOrigin>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    #[default]
    Routine,
    Urgent,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageBlock {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Who issued the brief, as readers of this language know them ("Valtioneuvoston kanslia");
    /// none: `meta.source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default)]
    pub key_messages: Vec<String>,
    #[serde(default, rename = "do")]
    pub dos: Vec<String>,
    #[serde(default)]
    pub dont: Vec<String>,
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Hashtags for this language only, appended after the brief-wide ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashtags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instagram: Option<Instagram>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiktok: Option<TikTok>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub youtube: Option<YouTube>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<XPost>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instagram {
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TikTok {
    #[serde(default)]
    pub script: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YouTube {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub talking_points: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XPost {
    #[serde(default)]
    pub post: String,
}

impl Brief {
    pub fn block(&self, language: Language) -> Option<&LanguageBlock> {
        match language {
            Language::Fi => self.fi.as_ref(),
            Language::Sv => self.sv.as_ref(),
            Language::En => self.en.as_ref(),
        }
    }

    pub fn block_mut(&mut self, language: Language) -> &mut Option<LanguageBlock> {
        match language {
            Language::Fi => &mut self.fi,
            Language::Sv => &mut self.sv,
            Language::En => &mut self.en,
        }
    }

    /// The languages this brief is written in, in the order fi, sv, en.
    pub fn languages(&self) -> Vec<Language> {
        Language::ALL.into_iter().filter(|l| self.block(*l).is_some()).collect()
    }

    pub fn is_urgent(&self) -> bool {
        self.meta.priority == Priority::Urgent
    }

    pub fn is_correction(&self) -> bool {
        self.meta.supersedes.is_some()
    }

    /// Whether the brief may go out at `now`: past its embargo and before its expiry.
    pub fn is_sendable_at(&self, now: DateTime<Utc>) -> bool {
        self.meta.embargo.is_none_or(|e| now >= e) && self.meta.expires.is_none_or(|e| now < e)
    }

    /// Why the brief, in `status`, may not go out alone in a flash edition at `now`; `None` when
    /// it may. A flash edition skips the schedule, so it is only for what cannot wait.
    pub fn flash_refusal(&self, status: BriefStatus, now: DateTime<Utc>) -> Option<FlashRefusal> {
        if !self.is_urgent() {
            return Some(FlashRefusal::Routine);
        }
        if !matches!(status, BriefStatus::Approved | BriefStatus::Queued) {
            return Some(FlashRefusal::NotApproved(status));
        }
        if self.is_sendable_at(now) {
            return None;
        }
        let utc = |at: DateTime<FixedOffset>| at.with_timezone(&Utc);
        match (self.meta.embargo.filter(|e| *e > now), self.meta.expires) {
            (Some(embargo), _) => Some(FlashRefusal::Embargoed(utc(embargo))),
            (None, Some(expires)) => Some(FlashRefusal::Expired(utc(expires))),
            (None, None) => None,
        }
    }

    /// The hashtags appended to the Instagram caption in `language`: the brief-wide ones, then
    /// the language's own, normalised and without duplicates. Invalid ones are left out here;
    /// validation reports them.
    pub fn hashtags_for(&self, language: Language) -> Vec<Hashtag> {
        let own = self.block(language).map(|b| b.hashtags.as_slice()).unwrap_or_default();
        let mut tags: Vec<Hashtag> = Vec::new();
        for raw in self.meta.hashtags.iter().chain(own) {
            if let Ok(tag) = Hashtag::parse(raw)
                && !tags.iter().any(|t| t.same_as(&tag))
            {
                tags.push(tag);
            }
        }
        tags
    }

    /// The Instagram caption as it is posted in `language`: the written caption, then on a
    /// line of its own each brief hashtag the caption does not already carry.
    pub fn instagram_caption(&self, language: Language) -> Option<String> {
        let caption = self.block(language)?.instagram.as_ref()?.caption.trim_end();
        let present = hashtags_in(caption);
        let appended: Vec<String> = self
            .hashtags_for(language)
            .into_iter()
            .filter(|t| !present.iter().any(|p| p.same_as(t)))
            .map(|t| t.to_string())
            .collect();
        if appended.is_empty() {
            Some(caption.to_string())
        } else {
            Some(format!("{caption}\n\n{}", appended.join(" ")))
        }
    }
}
