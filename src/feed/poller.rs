//! The daemon's feed poller: one daemon leads (as with the scheduler) and polls each feed when
//! it is due. Leadership saves the others the requests; what makes an item a brief once is the
//! mark written with it (see `store::FeedStore`).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Fetcher;
use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::pack::Content;
use crate::service::feeds;
use crate::store::{Lead, Leadership, Store};

/// The longest the poller waits between looks: a feed added meanwhile is polled within this.
const LOOK: Duration = Duration::from_secs(15);

/// What the poller works with.
pub struct Poller {
    pub store: Arc<dyn Store>,
    pub content: Arc<Content>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub fetcher: Fetcher,
    /// How often each feed is polled.
    pub every: Duration,
}

impl Poller {
    /// Runs until `shutdown` is cancelled. A failing database is logged and tried again on the
    /// next look rather than stopping the daemon.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) {
        let mut leadership: Option<Leadership> = None;
        while !shutdown.is_cancelled() {
            if let Some(held) = leadership.as_mut()
                && !held.still_leads().await
            {
                tracing::warn!("feed poller leadership lost: stepping down");
                leadership = None;
            }
            if leadership.is_none() {
                match self.store.try_lead(Lead::Feeds).await {
                    Ok(Some(held)) => leadership = Some(held),
                    Ok(None) => tracing::debug!("another daemon polls the feeds"),
                    Err(error) => tracing::warn!(%error, "could not try to lead the feed poller"),
                }
            }
            if leadership.is_some() {
                let polled = tokio::select! {
                    () = shutdown.cancelled() => break,
                    polled = feeds::poll_due(
                        self.store.as_ref(),
                        &self.content,
                        &self.fetcher,
                        self.every,
                        self.clock.now(),
                    ) => polled,
                };
                match polled {
                    Ok(reports) => {
                        for report in &reports {
                            self.metrics.count_feed_poll(report);
                            if !report.taken.is_empty() {
                                tracing::info!(feed = report.feed, taken = report.taken.len(), "feed items drafted");
                            }
                        }
                    }
                    Err(error) => tracing::error!(%error, "feed poll failed"),
                }
            }
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(LOOK.min(self.every)) => {}
            }
        }
        drop(leadership);
        tracing::info!("feed poller stopped");
    }
}
