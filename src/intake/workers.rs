//! The daemon's inbound loops: the IMAP intake, reconnecting with back-off, and the retention
//! purge of old raw replies. What each message goes through is `receive`'s.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::receive::{finish, process_pending, store_fetched};
use super::verify::ReplyTokens;
use crate::clock::Clock;
use crate::inbound::imap::{self, Fetched, MailboxUrl};
use crate::store::Store;

/// How long to wait before reconnecting after the n-th failure in a row.
fn backoff(failures: u32) -> Duration {
    // Doubling from 1 s, capped at 5 minutes: a mail server restart is over in seconds, an
    // outage should not be hammered.
    Duration::from_secs(1u64 << failures.min(8)).min(Duration::from_secs(300))
}

/// Polls an IMAP mailbox until `shutdown`: each message stored with the mailbox cursor in one
/// transaction, then processed; on a network or server error, reconnects with back-off and
/// resumes from the stored cursor. A message whose processing failed stays stored and
/// unprocessed, and is processed on the next reconnect or start.
pub async fn run_imap(
    url: MailboxUrl,
    store: Arc<dyn Store>,
    verifier: Arc<dyn ReplyTokens>,
    clock: Arc<dyn Clock>,
    poll: Duration,
    shutdown: CancellationToken,
) {
    let mut failures = 0u32;
    while !shutdown.is_cancelled() {
        let result = poll_once(&url, &store, &verifier, &clock, poll, &shutdown).await;
        match result {
            Ok(()) => failures = 0,
            Err(error) => {
                let wait = backoff(failures);
                failures = failures.saturating_add(1);
                tracing::warn!(mailbox = ?url, error = format!("{error:#}"), retry_in = ?wait, "IMAP intake failed");
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = shutdown.cancelled() => {}
                }
            }
        }
    }
    tracing::info!(mailbox = ?url, "IMAP intake stopped");
}

async fn poll_once(
    url: &MailboxUrl,
    store: &Arc<dyn Store>,
    verifier: &Arc<dyn ReplyTokens>,
    clock: &Arc<dyn Clock>,
    poll: Duration,
    shutdown: &CancellationToken,
) -> anyhow::Result<()> {
    let processed = process_pending(store.as_ref(), verifier.as_ref(), clock.now()).await?;
    if processed > 0 {
        tracing::info!(processed, "processed replies left unprocessed earlier");
    }
    let mailbox = url.mailbox().to_string();
    let cursor = store.imap_cursor(&mailbox).await?;
    let handle = |fetched: Fetched| {
        let (store, verifier, clock, mailbox) = (store.clone(), verifier.clone(), clock.clone(), mailbox.clone());
        async move {
            // Only a failure to store stops the intake (the message is then fetched again);
            // a message stored but not processed is processed on the next reconnect or start,
            // and stopping here would only delay every later message.
            let now = clock.now();
            let (reply_id, new, parsed) = store_fetched(store.as_ref(), &mailbox, &fetched, now).await?;
            match finish(store.as_ref(), verifier.as_ref(), reply_id, new, parsed, now).await {
                Ok(r) => tracing::debug!(reply = %r.reply.id, new = r.new, kind = ?r.reply.kind, "reply received"),
                Err(e) => tracing::warn!(
                    reply = %reply_id,
                    error = format!("{e:#}"),
                    "reply stored, processing deferred"
                ),
            }
            Ok(())
        }
    };
    imap::run_until_stopped(url, cursor, poll, handle, shutdown.clone()).await?;
    Ok(())
}

/// Purges raw replies older than `keep_for` now and then every `every`, until `shutdown`.
pub async fn run_retention(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    keep_for: chrono::Duration,
    every: Duration,
    shutdown: CancellationToken,
) {
    while !shutdown.is_cancelled() {
        let now = clock.now();
        match store.purge_replies(now - keep_for, now).await {
            Ok(report) if report.raw_deleted > 0 || report.questions_anonymised > 0 => tracing::info!(
                raw_deleted = report.raw_deleted,
                questions_anonymised = report.questions_anonymised,
                "retention: old replies purged"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "retention purge failed; trying again next round"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = shutdown.cancelled() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_growing() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(40), Duration::from_secs(256));
    }
}
