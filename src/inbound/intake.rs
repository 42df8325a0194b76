//! Intake: every inbound message stored first, then understood and acted on, once.
//!
//! [`receive`] stores the raw bytes before anything else, so a crash can lose no message; the
//! effect (a question in the log, a bounced delivery, a suppression) is then applied in one
//! transaction guarded by `replies.processed_at`, so nothing is applied twice.
//! [`process_pending`] finishes what a crash interrupted between the two steps. The daemon's
//! long-running loops over this are in `inbound::workers`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::imap::Fetched;
use super::{MatchKeys, ParseError, Reply, ReplyKind, Severity};
use crate::audience::EmailAddress;
use crate::language::Language;
use crate::questions::brief_for_subject;
use crate::store::{
    DeliveryNote, DeliveryRef, NewQuestion, NewReply, ReplyClass, ReplyOutcome, ReplyRecord, Store, SuppressionReason,
};

pub use super::verify::{NoTokens, ReplyTokens};

/// What happened to one inbound message: its stored row, as coordinators and the webhook see it.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    /// False when this exact message was received before; nothing was done a second time.
    pub new: bool,
    #[serde(flatten)]
    pub reply: ReplyRecord,
}

/// How a reply found its delivery or influencer, best evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Token,
    MessageId,
    Sender,
}

impl MatchedBy {
    fn describe(self) -> &'static str {
        match self {
            MatchedBy::Token => "matched by its signed token",
            MatchedBy::MessageId => "matched by the Message-ID it answers",
            MatchedBy::Sender => "matched by its sender's address only",
        }
    }
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
) -> anyhow::Result<(i64, bool, Result<Reply, ParseError>)> {
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
            let outcome = decide(store, verifier, parsed).await?;
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
    reply_id: i64,
    new: bool,
    parsed: Result<Reply, ParseError>,
    now: DateTime<Utc>,
) -> anyhow::Result<Received> {
    let stored = store.reply(reply_id).await?.context("the reply just stored is gone")?;
    if stored.processed_at.is_none() {
        let outcome = decide(store, verifier, parsed)
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

/// A delivery or influencer found for a reply.
struct Found {
    by: MatchedBy,
    delivery: Option<DeliveryRef>,
    /// (id, address, roster language) of the influencer, from the delivery or the sender.
    influencer: Option<(i64, EmailAddress, Language)>,
}

async fn find(store: &dyn Store, verifier: &dyn ReplyTokens, keys: &MatchKeys) -> anyhow::Result<Option<Found>> {
    let mut delivery = None;
    let mut by = MatchedBy::Token;
    for key in &keys.tokens {
        if let Some(id) = verifier.delivery_of(&key.token, key.mailbox)
            && let Some(found) = store.delivery_ref(id).await?
        {
            delivery = Some(found);
            break;
        }
    }
    if delivery.is_none() {
        delivery = store.delivery_by_message_id(&keys.message_ids).await?;
        by = MatchedBy::MessageId;
    }
    if let Some(delivery) = delivery {
        let influencer = match &delivery.email {
            Some(email) => store.influencer(email).await?,
            None => None,
        };
        return Ok(Some(Found {
            by,
            influencer: influencer.map(|i| (i.id, i.influencer.email, i.influencer.language)),
            delivery: Some(delivery),
        }));
    }
    for address in &keys.addresses {
        if let Some(i) = store.influencer(address).await? {
            return Ok(Some(Found {
                by: MatchedBy::Sender,
                delivery: None,
                influencer: Some((i.id, i.influencer.email, i.influencer.language)),
            }));
        }
    }
    Ok(None)
}

/// What a reply means for the log, the delivery and the suppression list.
async fn decide(
    store: &dyn Store,
    verifier: &dyn ReplyTokens,
    parsed: Result<Reply, ParseError>,
) -> anyhow::Result<ReplyOutcome> {
    let reply = match parsed {
        Ok(reply) => reply,
        Err(e) => {
            return Ok(ReplyOutcome {
                class: ReplyClass::Unmatched,
                delivery_id: None,
                influencer_id: None,
                subject: None,
                note: Some(format!("unreadable, kept for audit: {e}")),
                question: None,
                delivery_note: None,
                suppress: None,
            });
        }
    };
    let found = find(store, verifier, &reply.keys).await?;
    let delivery = found.as_ref().and_then(|f| f.delivery.clone());
    let influencer = found.as_ref().and_then(|f| f.influencer.clone());
    let mut notes: Vec<String> = vec![match &found {
        Some(f) => f.by.describe().to_string(),
        None => "matched no delivery and no influencer".to_string(),
    }];
    let mut outcome = ReplyOutcome {
        class: ReplyClass::Unmatched,
        delivery_id: delivery.as_ref().map(|d| d.id),
        influencer_id: influencer.as_ref().map(|i| i.0),
        subject: reply.headers.subject.clone(),
        note: None,
        question: None,
        delivery_note: None,
        suppress: None,
    };
    // Reports and unsubscribe requests act on the address we mailed: the delivery's.
    let delivery_address = delivery.as_ref().and_then(|d| d.email.clone());
    let not_acted = "not acted on: a report suppresses an address only when a signed token or a Message-ID of ours names the delivery";
    match &reply.kind {
        ReplyKind::Question(question) => {
            let (edition_id, brief_id) = match &delivery {
                Some(d) => {
                    let briefs = store.edition_briefs(d.edition_id).await?;
                    (
                        Some(d.edition_id),
                        brief_for_subject(reply.headers.subject.as_deref(), &briefs),
                    )
                }
                None => (None, None),
            };
            outcome.class = if found.is_some() {
                ReplyClass::Question
            } else {
                notes.push("logged unlinked for a coordinator to assign".into());
                ReplyClass::Unmatched
            };
            outcome.question = Some(NewQuestion {
                text: question.text.clone(),
                // The language we wrote to them in is the surest guess of the one they answer in.
                language: delivery
                    .as_ref()
                    .and_then(|d| d.language)
                    .or(question.language)
                    .or(influencer.as_ref().map(|i| i.2)),
                influencer_id: outcome.influencer_id,
                edition_id,
                brief_id,
            });
        }
        ReplyKind::AutoReply(_) => {
            outcome.class = ReplyClass::AutoReply;
            notes.push("automatic reply: logged only".into());
        }
        ReplyKind::Bounce(bounce) => {
            outcome.class = ReplyClass::Bounce;
            let permanent = bounce.recipients.iter().any(|r| r.severity == Severity::Permanent);
            let transient = bounce.recipients.iter().any(|r| r.severity == Severity::Transient);
            let detail = bounce
                .recipients
                .iter()
                .map(|r| {
                    let status = r.status.map(|s| s.to_string()).unwrap_or_else(|| "no status".into());
                    let diagnostic = r.diagnostic.as_deref().unwrap_or_default();
                    format!("{}: {status} {diagnostic}", r.final_recipient)
                        .trim()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("; ");
            // A delivery is only ever found by a signed token or our own Message-ID, never by the
            // addresses a report names, which anyone could forge.
            match &delivery {
                Some(d) if permanent => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "bounced",
                        detail,
                        mark_bounced: true,
                    });
                    outcome.suppress = delivery_address.map(|a| (a, SuppressionReason::Bounced));
                    notes.push("permanent bounce: delivery marked bounced, address suppressed".into());
                }
                Some(d) if transient => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "transient_bounce",
                        detail,
                        mark_bounced: false,
                    });
                    notes.push("transient failure: only noted, the address stays".into());
                }
                Some(_) => notes.push("delivery report without a failure: logged only".into()),
                None => notes.push(not_acted.into()),
            }
        }
        ReplyKind::Complaint(complaint) => {
            outcome.class = ReplyClass::Complaint;
            match &delivery {
                Some(d) => {
                    outcome.delivery_note = Some(DeliveryNote {
                        delivery_id: d.id,
                        event: "complained",
                        detail: format!("feedback type {}", complaint.feedback_type),
                        mark_bounced: false,
                    });
                    outcome.suppress = delivery_address.map(|a| (a, SuppressionReason::Complained));
                    notes.push("complaint: address suppressed".into());
                }
                None => notes.push(not_acted.into()),
            }
        }
        ReplyKind::Unsubscribe(_) => {
            outcome.class = ReplyClass::Unsubscribe;
            // The sender asks for themselves, so a sender match is enough here.
            let address = delivery_address.or(influencer.as_ref().map(|i| i.1.clone()));
            if let Some(d) = &delivery {
                outcome.delivery_note = Some(DeliveryNote {
                    delivery_id: d.id,
                    event: "unsubscribed",
                    detail: "unsubscribe request by mail".into(),
                    mark_bounced: false,
                });
            }
            match address {
                Some(address) => {
                    outcome.suppress = Some((address, SuppressionReason::Unsubscribed));
                    notes.push("unsubscribe request: address suppressed".into());
                }
                None => notes.push("unsubscribe request from an address not in the roster: nothing to do".into()),
            }
        }
    }
    outcome.note = Some(notes.join("; "));
    Ok(outcome)
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
