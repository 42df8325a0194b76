//! Government feeds: an authority's CAP alerts or press releases, listed in an RSS or Atom
//! document that briefcast polls. What a feed is and when it is next due live here; reading a
//! feed over HTTP in `fetch`; turning its items into draft briefs, once each, in
//! `service::feeds`.

pub mod fetch;
pub mod poller;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

pub use fetch::{Fetched, Fetcher, Validators};

/// What a feed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    /// Links to CAP 1.2 alerts (an RSS or Atom feed of them): each alert is fetched and read.
    Cap,
    /// Press releases: each item is drafted into a brief in the feed's language.
    Rss,
}

impl FeedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Cap => "cap",
            FeedKind::Rss => "rss",
        }
    }
}

impl fmt::Display for FeedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FeedKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cap" => Ok(FeedKind::Cap),
            "rss" | "atom" => Ok(FeedKind::Rss),
            other => Err(format!("feed kind `{other}` does not exist (use cap or rss)")),
        }
    }
}

/// A feed as a coordinator adds it.
#[derive(Debug, Clone, Deserialize)]
pub struct NewFeed {
    pub name: String,
    pub url: String,
    pub kind: FeedKind,
}

/// A feed that cannot be added: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FeedInvalid {
    pub field: &'static str,
    pub message: String,
}

impl NewFeed {
    /// A name to type on the command line (letters, digits, `-`, `_`, `.`) and an http(s) URL.
    pub fn check(&self) -> Result<(), FeedInvalid> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !name_ok {
            return Err(FeedInvalid {
                field: "name",
                message: format!(
                    "`{}` is not a feed name: use 1 to 64 letters, digits, '-', '_' or '.'",
                    self.name
                ),
            });
        }
        match url::Url::parse(&self.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
            Ok(url) => Err(FeedInvalid {
                field: "url",
                message: format!(
                    "`{}` is a {} address; a feed is read over http or https",
                    self.url,
                    url.scheme()
                ),
            }),
            Err(e) => Err(FeedInvalid {
                field: "url",
                message: format!("`{}` is not an address: {e}", self.url),
            }),
        }
    }
}

/// A feed as stored, with what its polls found.
#[derive(Debug, Clone, Serialize)]
pub struct StoredFeed {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub kind: FeedKind,
    #[serde(skip)]
    pub validators: Validators,
    pub last_poll_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// Why the last poll failed; none once a poll succeeds again.
    pub last_error: Option<String>,
    /// Polls failed in a row.
    pub failures: u32,
    /// Items that became briefs.
    pub items_taken: u64,
    pub created_at: DateTime<Utc>,
}

/// The longest a failing feed waits between polls, however often it failed.
const LONGEST_BACKOFF: Duration = Duration::from_secs(3600);

impl StoredFeed {
    /// When the feed is next polled: `every` after the last poll, doubled for each failure in a
    /// row (a feed that is down is not hammered), up to an hour or `every` if that is longer.
    pub fn next_poll(&self, every: Duration) -> Option<DateTime<Utc>> {
        let last = self.last_poll_at?;
        let doubled = every.saturating_mul(1u32 << self.failures.min(16));
        let wait = doubled.min(LONGEST_BACKOFF.max(every));
        Some(last + TimeDelta::from_std(wait).unwrap_or(TimeDelta::MAX))
    }

    pub fn is_due(&self, every: Duration, now: DateTime<Utc>) -> bool {
        self.next_poll(every).is_none_or(|at| at <= now)
    }
}

/// What one poll left on the feed: new validators after an answer, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollRecord {
    Succeeded(Option<Validators>),
    Failed(String),
}

/// The key an item is taken under, once for all time: a CAP alert by its sender and identifier
/// (the same alert listed by a Finnish and an English feed is one alert), a press release by its
/// feed's address and its guid. `feed` is the feed it was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Take {
    pub feed: i64,
    pub key: String,
    /// Whether taking it counts as an item taken from the feed (an alert's link is only a note
    /// that its alert is in).
    pub counts: bool,
}

impl Take {
    pub fn alert(feed: i64, sender: &str, identifier: &str) -> Take {
        Take {
            feed,
            key: format!("cap {sender} {identifier}"),
            counts: true,
        }
    }

    /// An alert's link, once its alert is taken: the next poll does not fetch it again.
    pub fn alert_link(feed: i64, link: &str) -> Take {
        Take {
            feed,
            key: format!("cap-link {link}"),
            counts: false,
        }
    }

    pub fn press_item(feed: i64, feed_url: &str, guid: &str) -> Take {
        Take {
            feed,
            key: format!("item {feed_url} {guid}"),
            counts: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(last_poll_at: Option<DateTime<Utc>>, failures: u32) -> StoredFeed {
        StoredFeed {
            id: 1,
            name: "fmi".into(),
            url: "https://alerts.example/feed.rss".into(),
            kind: FeedKind::Cap,
            validators: Validators::default(),
            last_poll_at,
            last_success_at: None,
            last_error: None,
            failures,
            items_taken: 0,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_failing_feed_waits_twice_as_long_each_time_up_to_an_hour() {
        let at = DateTime::UNIX_EPOCH;
        let every = Duration::from_secs(120);
        let minutes = |failures| (feed(Some(at), failures).next_poll(every).unwrap() - at).num_minutes();
        assert_eq!(minutes(0), 2);
        assert_eq!(minutes(1), 4);
        assert_eq!(minutes(3), 16);
        assert_eq!(minutes(5), 60);
        assert_eq!(minutes(40), 60);
        assert!(feed(None, 0).is_due(every, at));
        assert!(!feed(Some(at), 0).is_due(every, at + TimeDelta::seconds(119)));
        assert!(feed(Some(at), 0).is_due(every, at + TimeDelta::seconds(120)));
    }

    #[test]
    fn a_feed_needs_a_typable_name_and_a_web_address() {
        let new = |name: &str, url: &str| NewFeed {
            name: name.into(),
            url: url.into(),
            kind: FeedKind::Rss,
        };
        assert!(new("vnk-fi", "https://valtioneuvosto.fi/rss").check().is_ok());
        assert_eq!(new("two words", "https://x.fi/").check().unwrap_err().field, "name");
        assert_eq!(new("ok", "file:///etc/passwd").check().unwrap_err().field, "url");
        assert_eq!(new("ok", "not a url").check().unwrap_err().field, "url");
    }
}
