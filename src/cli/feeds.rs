//! `briefcast feeds …`: government feeds whose alerts and press releases become draft briefs.

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store};
use crate::access::Caller;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::feed::{FeedKind, Fetcher, NewFeed, StoredFeed};
use crate::pack::Content;
use crate::service::feeds::{self, PollReport};

#[derive(Debug, Subcommand)]
pub(super) enum FeedCommand {
    /// Add a feed; the daemon polls it every `feed_poll_interval`
    Add {
        name: String,
        url: String,
        /// cap: an RSS or Atom feed listing CAP alerts; rss: press releases (RSS or Atom)
        #[arg(long)]
        kind: FeedKind,
    },
    /// Every feed with its last poll, last success, last error and items taken
    List,
    /// Remove a feed; what it took stays taken
    Remove { name: String },
    /// Poll a feed once, now
    Poll { name: String },
}

pub(super) async fn run(config: &Config, out: Output, command: FeedCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (store, caller, now) = (store.as_ref(), Caller::cli(), SystemClock.now());
    match command {
        FeedCommand::Add { name, url, kind } => {
            let feed = feeds::add(store, &caller, NewFeed { name, url, kind }, now).await?;
            if out.json {
                outln!("{}", json!(feed));
            } else {
                outln!(
                    "Feed `{}` added: the daemon polls it every {}s.",
                    feed.name,
                    config.feed_poll_interval.as_secs()
                );
            }
        }
        FeedCommand::List => {
            let list = feeds::list(store, &caller).await?;
            if out.json {
                outln!("{}", json!({ "feeds": list }));
            } else if list.is_empty() {
                outln!("No feeds yet: add one with `briefcast feeds add NAME URL --kind cap|rss`.");
            } else {
                for feed in &list {
                    print_feed(feed);
                }
            }
        }
        FeedCommand::Remove { name } => {
            feeds::remove(store, &caller, &name, now).await?;
            if out.json {
                outln!("{}", json!({ "removed": name }));
            } else {
                outln!("Feed `{name}` removed; the briefs it drafted stay.");
            }
        }
        FeedCommand::Poll { name } => {
            let content = Content::configured(config).context("loading templates and strings")?;
            let fetcher = Fetcher::from_config(config)?;
            let report = feeds::poll(store, &content, &fetcher, &caller, &name, now).await?;
            if out.json {
                outln!("{}", json!(report));
            } else {
                print_report(&report);
            }
            if let Some(error) = report.error {
                anyhow::bail!("feed `{name}`: {error}");
            }
        }
    }
    Ok(())
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(
        || "never".to_string(),
        |at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

fn print_feed(feed: &StoredFeed) {
    outln!("{:<20} {:<4} {}", feed.name, feed.kind.as_str(), feed.url);
    outln!(
        "    last poll {}  ·  last success {}  ·  items taken {}",
        when(feed.last_poll_at),
        when(feed.last_success_at),
        feed.items_taken
    );
    if let Some(error) = &feed.last_error {
        outln!("    last error ({} in a row): {error}", feed.failures);
    }
}

fn print_report(report: &PollReport) {
    if report.not_modified {
        outln!("Feed `{}`: not changed since the last poll.", report.feed);
    }
    for item in &report.taken {
        outln!("brief {}  {}  (draft)", item.brief, item.title);
        for note in &item.notes {
            outln!("    {note}");
        }
    }
    if !report.not_modified {
        outln!(
            "Feed `{}`: {} new item(s) drafted, {} taken before.",
            report.feed,
            report.taken.len(),
            report.already_taken
        );
    }
}
