//! Receiving: the raw bytes stored before anything else, then matched, decided on and applied.
//!
//! [`receive`] stores the message first, so a crash can lose none; the effect (a question in
//! the log, a bounced delivery, a suppression) is then applied in one transaction guarded by
//! `replies.processed_at`, so nothing is applied twice. [`process_pending`] finishes what a crash
//! interrupted between the two steps.

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::decision::decide;
use super::matching::{Match, find};
use super::verify::ReplyTokens;
use crate::ids::ReplyId;
use crate::inbound::imap::Fetched;
use crate::inbound::{ParseError, Reply};
use crate::store::{NewReply, ReplyOutcome, ReplyRecord, Store};

/// What happened to one inbound message: its stored row, as coordinators and the webhook see it.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    /// False when this exact message was received before; nothing was done a second time.
    pub new: bool,
    #[serde(flatten)]
    pub reply: ReplyRecord,
}

/// The webhook's `channel_ref`: the same bytes posted twice (a provider retrying) are one reply.
pub fn content_ref(raw: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(raw)))
}

/// Stores `raw` and processes it. A message already stored under (channel, channel_ref) is not
/// stored or processed again, unless a crash left it unprocessed.
pub async fn receive(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    channel: &'static str,
    channel_ref: Option<String>,
    raw: &[u8],
    now: DateTime<Utc>,
) -> anyhow::Result<Received> {
    let parsed = Reply::parse(raw);
    let (reply_id, new) = store
        .store_reply(&new_reply(channel, channel_ref, raw, parsed.as_ref().ok(), now))
        .await
        .context("storing the raw message")?;
    finish(store, verifier, reply_id, new, parsed, now).await
}

/// Stores a message fetched over IMAP together with the mailbox cursor, then processes it.
pub async fn receive_fetched(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    mailbox: &str,
    fetched: &Fetched,
    now: DateTime<Utc>,
) -> anyhow::Result<Received> {
    let (reply_id, new, parsed) = store_fetched(store, mailbox, fetched, now).await?;
    finish(store, verifier, reply_id, new, parsed, now).await
}

pub(super) async fn store_fetched(
    store: &dyn Store,
    mailbox: &str,
    fetched: &Fetched,
    now: DateTime<Utc>,
) -> anyhow::Result<(ReplyId, bool, Result<Reply, ParseError>)> {
    let parsed = Reply::parse(&fetched.raw);
    let channel_ref = format!("{mailbox}/{}/{}", fetched.cursor.uid_validity, fetched.cursor.last_uid);
    let reply = new_reply("imap", Some(channel_ref), &fetched.raw, parsed.as_ref().ok(), now);
    let (reply_id, new) = store
        .store_imap_reply(&reply, mailbox, fetched.cursor)
        .await
        .context("storing the fetched message with its cursor")?;
    Ok((reply_id, new, parsed))
}

/// Processes every stored reply that is not processed yet: run at start-up, it covers a crash
/// between storing a message and acting on it. Returns how many were processed now.
pub async fn process_pending(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    const BATCH: u64 = 200;
    let mut done = 0;
    loop {
        let pending = store
            .pending_replies(BATCH)
            .await
            .context("listing unprocessed replies")?;
        let full = pending.len() as u64 == BATCH;
        for reply in pending {
            let parsed = match &reply.raw {
                Some(raw) => Reply::parse(raw),
                None => Err(ParseError::Empty),
            };
            let outcome = outcome_of(store, verifier, parsed).await?;
            if store.record_reply_outcome(reply.id, &outcome, now).await? {
                done += 1;
            }
        }
        // Every reply listed was just marked processed (here or by another daemon), so the next
        // batch holds new ones; an error has already returned above.
        if !full {
            return Ok(done);
        }
    }
}

fn new_reply<'a>(
    channel: &'static str,
    channel_ref: Option<String>,
    raw: &'a [u8],
    parsed: Option<&Reply>,
    now: DateTime<Utc>,
) -> NewReply<'a> {
    NewReply {
        channel,
        channel_ref,
        raw,
        from_address: parsed.and_then(|r| r.headers.from.clone()),
        message_id: parsed.and_then(|r| r.headers.message_id.clone()),
        received_at: now,
    }
}

pub(super) async fn finish(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    reply_id: ReplyId,
    new: bool,
    parsed: Result<Reply, ParseError>,
    now: DateTime<Utc>,
) -> anyhow::Result<Received> {
    let stored = store.reply(reply_id).await?.context("the reply just stored is gone")?;
    if stored.processed_at.is_none() {
        let outcome = outcome_of(store, verifier, parsed)
            .await
            .with_context(|| format!("matching reply {reply_id}"))?;
        store
            .record_reply_outcome(reply_id, &outcome, now)
            .await
            .with_context(|| format!("processing reply {reply_id}"))?;
    }
    let reply = store.reply(reply_id).await?.context("the reply just stored is gone")?;
    Ok(Received { new, reply })
}

/// Looks up what the reply refers to, then decides.
async fn outcome_of(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    parsed: Result<Reply, ParseError>,
) -> anyhow::Result<ReplyOutcome> {
    let found = match &parsed {
        Ok(reply) => find(store, verifier, reply).await?,
        Err(_) => Match::default(),
    };
    Ok(decide(&parsed, &found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_make_the_same_webhook_reference() {
        assert_eq!(content_ref(b"a"), content_ref(b"a"));
        assert_ne!(content_ref(b"a"), content_ref(b"b"));
    }
}
