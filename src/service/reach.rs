//! Reach, the use cases: following a counted source link, an influencer reporting what they
//! posted from their reader page, and the reach report for those who commissioned the campaign.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Helsinki;

use crate::access::{Caller, Denied};
use crate::audience::StoredInfluencer;
use crate::ids::{BriefId, InfluencerId};
use crate::reach::{PostUrl, PostUrlError, ReachQuery, ReachReport, build};
use crate::store::{NewPostReport, Store, StoreError};
use crate::token::TokenKey;

/// Where a counted source link leads: the brief's own source, once counted; `None` for a link
/// this deployment did not sign, or a source that is not (or no longer) a web address.
pub async fn follow_source(
    store: &dyn Store,
    tokens: &TokenKey,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let Ok((brief, language, fact)) = tokens.verify_source(token) else {
        return Ok(None);
    };
    let Some(stored) = store.brief(brief).await? else {
        return Ok(None);
    };
    let Some(source) = stored
        .brief
        .block(language)
        .and_then(|b| b.facts.get(fact))
        .and_then(|f| crate::pack::web_link(&f.source))
    else {
        return Ok(None);
    };
    let day = now.with_timezone(&Helsinki).date_naive();
    store.count_click(brief, language, &source, day).await?;
    Ok(Some(source))
}

/// Why a reported post was not stored; each is said to the reader in their language.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("{0}")]
    Url(PostUrlError),
    #[error("pick the brief the post is about")]
    NoBrief,
    #[error("this brief was never sent to you")]
    NotSent,
    #[error("the link is on {found}, not {chosen}")]
    OtherPlatform { chosen: String, found: &'static str },
    #[error("views must be a whole number, 0 or more")]
    Views,
    #[error("this post has been reported already")]
    Duplicate,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PostError {
    /// The Fluent message that says this to a reader.
    pub fn message_id(&self) -> &'static str {
        match self {
            PostError::Url(e) => e.message_id(),
            PostError::NoBrief => "post-error-brief",
            PostError::NotSent => "post-error-not-sent",
            PostError::OtherPlatform { .. } => "post-error-other-platform",
            PostError::Views => "post-error-views",
            PostError::Duplicate => "post-error-duplicate",
            PostError::Store(_) => "page-unavailable",
        }
    }
}

/// What the reader typed into the "I posted this" form, as text.
#[derive(Debug, Default, Clone)]
pub struct PostForm {
    pub brief: String,
    pub platform: String,
    pub url: String,
    pub views: String,
}

/// Stores a post the reader reports from their page: for a brief they were sent, a link of the
/// platform they named, a views figure if they gave one, a post nobody has reported yet.
pub async fn report_post(
    store: &dyn Store,
    person: &StoredInfluencer,
    form: &PostForm,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    let brief = form.brief.trim().parse().map(BriefId).map_err(|_| PostError::NoBrief)?;
    let post = PostUrl::parse(&form.url).map_err(PostError::Url)?;
    let chosen = form.platform.trim();
    if !chosen.is_empty() && !chosen.eq_ignore_ascii_case(post.platform) {
        return Err(PostError::OtherPlatform {
            chosen: chosen.to_string(),
            found: post.platform,
        });
    }
    let views = match form.views.trim() {
        "" => None,
        // People copy figures as their apps show them: "12 300", "12,300".
        text => Some(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != ',' && *c != '.' && *c != '\u{a0}')
                .collect::<String>()
                .parse::<u64>()
                .map_err(|_| PostError::Views)?,
        ),
    };
    let influencer: InfluencerId = person.id;
    if !store.was_sent(influencer, brief).await? {
        return Err(PostError::NotSent);
    }
    let report = NewPostReport {
        influencer_id: influencer,
        brief_id: brief,
        post,
        views,
        via: "form",
    };
    match store.add_post_report(&report, now).await? {
        true => Ok(()),
        false => Err(PostError::Duplicate),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReachError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The reach report: sums only, so every role may read it.
pub async fn report(store: &dyn Store, caller: &Caller, query: &ReachQuery) -> Result<ReachReport, ReachError> {
    caller.must_operate()?;
    let facts = store.reach_facts().await?;
    Ok(build(&facts, query))
}
