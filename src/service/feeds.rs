//! Government feeds: added and removed by coordinators, polled by the daemon (or by hand), each
//! new item drafted into a brief exactly once. A CAP feed's items are links to alerts, fetched
//! and read as any CAP brief is (an update or cancellation follows up its earlier alert); a
//! press-release feed's items are drafted in the feed's language.
//!
//! A poll saves the feed's validators (ETag, Last-Modified) only when every item it listed was
//! taken: a poll cut short, by a failing alert or a restart, reads the whole feed again next time,
//! and the items already taken are skipped by their marks.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::briefs::{self, BriefError};
use crate::access::{Actor, Caller, Denied, Role};
use crate::brief::{Brief, BriefFormat, PressFeed, read_feed};
use crate::feed::{FeedInvalid, FeedKind, Fetched, Fetcher, NewFeed, PollRecord, StoredFeed, Take};
use crate::ids::BriefId;
use crate::pack::Content;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Invalid(#[from] FeedInvalid),
    #[error("feed `{0}` not found")]
    NoFeed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one poll of one feed did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PollReport {
    pub feed: String,
    /// The server said nothing changed since the last poll.
    pub not_modified: bool,
    /// Items that became briefs in this poll.
    pub taken: Vec<TakenItem>,
    /// Items listed that were taken before.
    pub already_taken: usize,
    /// Why the feed, or some of its items, could not be read. Nothing is written for them and
    /// the next poll tries them again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TakenItem {
    pub brief: BriefId,
    pub title: String,
    /// What else taking it did (an update withdrawing the version it replaces, say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

pub async fn add(
    store: &dyn Store,
    caller: &Caller,
    new: NewFeed,
    now: DateTime<Utc>,
) -> Result<StoredFeed, FeedError> {
    caller.must_coordinate()?;
    new.check()?;
    Ok(store.add_feed(&new, &caller.actor, now).await?)
}

/// Every feed with its last poll, success, error and items taken. Every role: ops watch the
/// feeds' health, and a feed holds no personal data.
pub async fn list(store: &dyn Store, _caller: &Caller) -> Result<Vec<StoredFeed>, FeedError> {
    Ok(store.feeds().await?)
}

pub async fn remove(store: &dyn Store, caller: &Caller, name: &str, now: DateTime<Utc>) -> Result<(), FeedError> {
    caller.must_coordinate()?;
    if store.remove_feed(name, &caller.actor, now).await? {
        Ok(())
    } else {
        Err(FeedError::NoFeed(name.to_string()))
    }
}

/// Polls one feed now, whenever it is next due.
pub async fn poll(
    store: &dyn Store,
    content: &Content,
    fetcher: &Fetcher,
    caller: &Caller,
    name: &str,
    now: DateTime<Utc>,
) -> Result<PollReport, FeedError> {
    caller.must_coordinate()?;
    let feed = store
        .feed(name)
        .await?
        .ok_or_else(|| FeedError::NoFeed(name.to_string()))?;
    Ok(poll_feed(store, content, fetcher, &feed, now).await?)
}

/// Polls every feed that is due at `now` (see `StoredFeed::is_due`): the daemon's part. A feed
/// that fails is reported on the feed and the others go on.
pub async fn poll_due(
    store: &dyn Store,
    content: &Content,
    fetcher: &Fetcher,
    every: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<PollReport>, StoreError> {
    let mut reports = Vec::new();
    for feed in store.feeds().await?.into_iter().filter(|f| f.is_due(every, now)) {
        reports.push(poll_feed(store, content, fetcher, &feed, now).await?);
    }
    Ok(reports)
}

/// The feed acts as its own coordinator: its drafts are authored by it, so any approver (and
/// the coordinator who completes one) may approve them under the two-person rule.
fn feed_caller(feed: &StoredFeed) -> Caller {
    Caller {
        actor: Actor(format!("feed:{}", feed.name)),
        role: Role::Coordinator,
    }
}

async fn poll_feed(
    store: &dyn Store,
    content: &Content,
    fetcher: &Fetcher,
    feed: &StoredFeed,
    now: DateTime<Utc>,
) -> Result<PollReport, StoreError> {
    let mut report = PollReport {
        feed: feed.name.clone(),
        ..PollReport::default()
    };
    let record = match fetcher.get(&feed.url, Some(&feed.validators)).await {
        Err(error) => PollRecord::Failed(error),
        Ok(Fetched::NotModified) => {
            report.not_modified = true;
            PollRecord::Succeeded(None)
        }
        Ok(Fetched::Document { text, validators }) => match read_feed(&text) {
            Err(error) => PollRecord::Failed(error.to_string()),
            Ok(document) => {
                let problems = match feed.kind {
                    FeedKind::Cap => take_alerts(store, content, fetcher, feed, &document, now, &mut report).await?,
                    FeedKind::Rss => take_press(store, content, feed, &document, now, &mut report).await?,
                };
                if problems.is_empty() {
                    PollRecord::Succeeded(Some(validators))
                } else {
                    PollRecord::Failed(problems.join("; "))
                }
            }
        },
    };
    if let PollRecord::Failed(error) = &record {
        tracing::warn!(feed = feed.name, %error, "feed poll failed");
        report.error = Some(error.clone());
    }
    store.record_poll(feed.id, &record, now).await?;
    Ok(report)
}

/// Takes one brief under `take`; a brief that cannot be stored is a problem of this item only.
async fn take_one(
    store: &dyn Store,
    content: &Content,
    brief: Brief,
    caller: &Caller,
    take: &Take,
    now: DateTime<Utc>,
    report: &mut PollReport,
) -> Result<Result<Option<BriefId>, String>, StoreError> {
    match briefs::take(store, content, brief, caller, now, take).await {
        Ok(checked) => {
            let id = checked.stored.id;
            report.taken.push(TakenItem {
                brief: id,
                title: checked
                    .stored
                    .brief
                    .languages()
                    .first()
                    .and_then(|l| checked.stored.brief.block(*l))
                    .map(|b| b.title.clone())
                    .unwrap_or_default(),
                notes: checked.notes,
            });
            Ok(Ok(Some(id)))
        }
        Err(BriefError::AlreadyTaken(_)) => {
            report.already_taken += 1;
            Ok(Ok(None))
        }
        Err(BriefError::Store(error)) => Err(error),
        Err(error) => Ok(Err(error.to_string())),
    }
}

/// A CAP feed: each listed alert not taken before is fetched and read. Feeds list the newest
/// first; alerts are taken oldest first, so an update finds the alert it follows up.
async fn take_alerts(
    store: &dyn Store,
    content: &Content,
    fetcher: &Fetcher,
    feed: &StoredFeed,
    document: &PressFeed,
    now: DateTime<Utc>,
    report: &mut PollReport,
) -> Result<Vec<String>, StoreError> {
    let caller = feed_caller(feed);
    let mut problems = Vec::new();
    for item in document.items.iter().rev() {
        if item.link.is_empty() {
            problems.push(format!("item `{}` has no link to its alert", item.guid));
            continue;
        }
        let seen = Take::alert_link(feed.id, &item.link);
        if store.is_taken(&seen.key).await? {
            report.already_taken += 1;
            continue;
        }
        let text = match fetcher.get(&item.link, None).await {
            Ok(Fetched::Document { text, .. }) => text,
            Ok(Fetched::NotModified) => {
                problems.push(format!("{}: answered 304 to a plain request", item.link));
                continue;
            }
            Err(error) => {
                problems.push(format!("{}: {error}", item.link));
                continue;
            }
        };
        let brief = match Brief::parse(&text, BriefFormat::Cap) {
            Ok(brief) => brief,
            Err(error) => {
                problems.push(format!("{}: {error}", item.link));
                continue;
            }
        };
        let Some(cap) = brief.meta.cap.clone() else {
            problems.push(format!("{}: not a CAP alert", item.link));
            continue;
        };
        let take = Take::alert(feed.id, &cap.sender, &cap.identifier);
        match take_one(store, content, brief, &caller, &take, now, report).await? {
            Ok(brief) => {
                store.mark_taken(&seen, brief, now).await?;
            }
            Err(problem) => problems.push(format!("{}: {problem}", item.link)),
        }
    }
    Ok(problems)
}

/// A press-release feed: each item not taken before becomes a draft in the feed's language.
async fn take_press(
    store: &dyn Store,
    content: &Content,
    feed: &StoredFeed,
    document: &PressFeed,
    now: DateTime<Utc>,
    report: &mut PollReport,
) -> Result<Vec<String>, StoreError> {
    let Some(language) = document.language else {
        // Guessing would risk a Finnish text sent as Swedish; the feed must say.
        return Ok(vec![
            "the feed declares no language (RSS <language>, Atom xml:lang) in fi, sv or en: its items are not taken"
                .to_string(),
        ]);
    };
    let caller = feed_caller(feed);
    let mut problems = Vec::new();
    for item in document.items.iter().rev() {
        // `briefs::take` finds an item taken before, before anything is written.
        let take = Take::press_item(feed.id, &feed.url, &item.guid);
        let brief = item.draft(document, language);
        if let Err(problem) = take_one(store, content, brief, &caller, &take, now, report).await? {
            problems.push(format!("item `{}`: {problem}", item.guid));
        }
    }
    Ok(problems)
}
