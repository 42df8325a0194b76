//! The dispatcher: claims due deliveries under a lease, composes and sends each message, and
//! records every outcome. Deliveries are the checkpoint: a claim commits before any send, and
//! no transaction stays open while the transport talks to the network.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::TimeDelta;
use futures::StreamExt;
use rand::SeedableRng;
use tokio_util::sync::CancellationToken;

use super::heartbeat::{self, Pulse, SEND_DEADLINE};
use super::message::{Letter, Letterhead, OutgoingMessage, Part};
use super::transport::{RetryPolicy, SendError, Transport};
use crate::audience::EmailAddress;
use crate::brief::Brief;
use crate::clock::Clock;
use crate::edition::{BriefId, EditionId, Outcome, SenderGuard};
use crate::edition::{ClaimedDelivery, Lease, Recorded};
use crate::ids::DeliveryId;
use crate::language::Language;
use crate::metrics::Metrics;
use crate::pack::{
    Asked, Carried, ComposedEdition, Content, Edition, LanguagePolicy, ReaderPlatforms, Recipient, SourceLinks, compose,
};
use crate::store::{SendLimit, Store};

/// How the dispatcher paces itself.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Deliveries claimed at once; their outcomes are recorded in one transaction.
    pub batch: u32,
    /// How long a claim holds. A send still unrecorded after this is `uncertain`, so it must
    /// comfortably exceed a batch's send time, transport timeouts included.
    pub lease: TimeDelta,
    /// Messages in flight at once in this daemon, shared out among the lanes.
    pub concurrency: usize,
    /// Batches under way at once, each claimed, sent and recorded in turn by its own task: while
    /// one lane waits on the database, another keeps the transport's connections busy. Messages
    /// are composed and signed on their lane's task, so there is one lane per core (at least
    /// two): RSA DKIM signing costs about a millisecond of CPU a message.
    pub lanes: usize,
    /// How long to wait when nothing is due.
    pub idle: Duration,
    pub retry: RetryPolicy,
    /// Send rates the transport allows, shared with every daemon on the same database.
    pub limits: Vec<SendLimit>,
    /// The lines past which an edition pauses itself to protect the sender.
    pub guard: SenderGuard,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            batch: 200,
            lease: TimeDelta::minutes(10),
            concurrency: 16,
            lanes: std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            idle: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            limits: Vec::new(),
            guard: SenderGuard::default(),
        }
    }
}

pub struct Dispatcher {
    pub store: Arc<dyn Store>,
    pub transport: Arc<dyn Transport>,
    pub letterhead: Arc<Letterhead>,
    pub content: Arc<Content>,
    pub policy: LanguagePolicy,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// Names this process in leases, so ops can see who held a delivery.
    pub worker: String,
    pub pace: Pace,
    /// Editions already composed, kept across batches; start with `EditionCache::default()`.
    pub editions: EditionCache,
    /// This daemon's heartbeat; start with `Arc::default()`.
    pub pulse: Arc<Pulse>,
}

/// One edition in one language, composed once and personalised per recipient; `None` when the
/// language policy holds every brief from that language.
type Composed = Option<Arc<ComposedEdition>>;
/// Readers of one language who post on the same platforms get the same email.
type EditionKey = (EditionId, Language, ReaderPlatforms);

/// An edition is composed once per language and its live briefs, not once per batch: a
/// million-reader edition is thousands of batches, and composing means reading its briefs,
/// claiming its answers in a write transaction and rendering it.
#[derive(Default)]
pub struct EditionCache(std::sync::Mutex<HashMap<CacheKey, Composed>>);

/// An edition, a language, the readers' platforms and the briefs still live in it.
type CacheKey = (EditionId, Language, ReaderPlatforms, Vec<BriefId>);

impl EditionCache {
    /// Editions finish; past this many entries the cache starts again rather than grow.
    const MOST: usize = 256;

    fn get(&self, key: &CacheKey) -> Option<Composed> {
        self.0.lock().expect("edition cache lock").get(key).cloned()
    }

    fn insert(&self, key: CacheKey, composed: Composed) {
        let mut map = self.0.lock().expect("edition cache lock");
        if map.len() >= Self::MOST {
            map.clear();
        }
        map.insert(key, composed);
    }
}

impl Dispatcher {
    /// Sends until `shutdown`; the batches in flight are finished and recorded before it returns.
    /// Lanes are supervised: one that fails (a panic) stops the whole daemon at once, through
    /// `shutdown`, rather than leaving it half-alive; the other lanes finish their batches, and
    /// the failed lane's claims become `uncertain`, as a crashed daemon's would.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        tracing::info!(worker = %self.worker, transport = self.transport.name(), lanes = self.pace.lanes, "dispatcher started");
        let this = Arc::new(self);
        let heart = this.start_heartbeat().await;
        let mut lanes = tokio::task::JoinSet::new();
        for _ in 0..this.pace.lanes.max(1) {
            lanes.spawn(this.clone().lane(shutdown.clone()));
        }
        let mut failure = None;
        while let Some(ended) = lanes.join_next().await {
            if let Err(error) = ended
                && failure.is_none()
            {
                tracing::error!(%error, worker = %this.worker, "a dispatch lane failed: stopping the daemon");
                shutdown.cancel();
                failure = Some(error);
            }
        }
        if failure.is_some() {
            match this.store.abandon_claims(&this.worker, this.clock.now()).await {
                Ok(n) => tracing::warn!(uncertain = n, "the failed lane's claims wait for ops"),
                Err(error) => {
                    tracing::error!(%error, "the failed lane's claims turn uncertain once its heartbeat is silent")
                }
            }
        }
        heart.stop().await;
        tracing::info!(worker = %this.worker, "dispatcher stopped");
        match failure {
            Some(error) => Err(anyhow::anyhow!("a dispatch lane stopped abnormally: {error}")),
            None => Ok(()),
        }
    }

    /// Beats once, so the first batch can go at once, then keeps beating on its own task.
    async fn start_heartbeat(self: &Arc<Self>) -> Heart {
        heartbeat::beat_once(self.store.as_ref(), self.clock.as_ref(), &self.worker, &self.pulse).await;
        let stop = CancellationToken::new();
        let task = tokio::spawn(heartbeat::run_until_stopped(
            self.store.clone(),
            self.clock.clone(),
            self.worker.clone(),
            self.pulse.clone(),
            stop.clone(),
        ));
        Heart { stop, task }
    }

    async fn lane(self: Arc<Self>, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            let sent = match self.run_once().await {
                Ok(n) => n,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "dispatch pass failed; retrying shortly");
                    0
                }
            };
            if sent == 0 {
                tokio::select! {
                    () = tokio::time::sleep(self.pace.idle) => {}
                    () = shutdown.cancelled() => {}
                }
            }
        }
    }

    /// Sends what is due until nothing is left to claim, in all lanes, and returns how many
    /// deliveries were claimed: the daemon's work without its waiting, for benchmarks.
    pub async fn drain(self: &Arc<Self>) -> anyhow::Result<usize> {
        let heart = self.start_heartbeat().await;
        let drained = self.drain_lanes().await;
        heart.stop().await;
        drained
    }

    async fn drain_lanes(self: &Arc<Self>) -> anyhow::Result<usize> {
        let lanes: Vec<_> = (0..self.pace.lanes.max(1))
            .map(|_| {
                let this = self.clone();
                tokio::spawn(async move {
                    let mut claimed = 0;
                    loop {
                        match this.run_once().await? {
                            0 => return anyhow::Ok(claimed),
                            n => claimed += n,
                        }
                    }
                })
            })
            .collect();
        let mut claimed = 0;
        for lane in lanes {
            claimed += lane.await.context("a dispatch lane stopped abnormally")??;
        }
        Ok(claimed)
    }

    /// Claims one batch, sends it and records the outcomes. Returns how many were claimed.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        if !self.pulse.is_fresh() {
            // Without a recent heartbeat the others may soon count this daemon as gone.
            return Ok(0);
        }
        let now = self.clock.now();
        let transport = self.transport.name();
        let allowed = self
            .store
            .reserve_sends(transport, self.pace.batch, &self.pace.limits, now)
            .await
            .context("reserving sends under the rate limits")?;
        if allowed == 0 {
            return Ok(0);
        }
        let claimed = self
            .store
            .claim_due(&self.worker, allowed, self.pace.lease, now)
            .await
            .context("claiming due deliveries")?;
        let unused = allowed.saturating_sub(claimed.len() as u32);
        self.store
            .release_sends(transport, unused, &self.pace.limits, now)
            .await
            .context("giving back unused sends")?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let composed = match self.compose_editions(&claimed).await {
            Ok(composed) => composed,
            Err(error) => {
                // Nothing was sent, so the claims go back with a delay rather than waiting for
                // their leases to run out and look uncertain to ops.
                let retry_at =
                    self.clock.now() + TimeDelta::from_std(self.pace.retry.min_delay).unwrap_or(TimeDelta::minutes(1));
                let outcome = Outcome::Deferred {
                    next_attempt_at: retry_at,
                    response: format!("not sent: {error:#}"),
                };
                let reports: Vec<(&Lease, &Outcome)> = claimed.iter().map(|d| (&d.lease, &outcome)).collect();
                self.store
                    .record_outcomes(self.transport.name(), &reports, self.clock.now())
                    .await?;
                return Err(error);
            }
        };
        tracing::debug!(claimed = claimed.len(), editions = composed.len(), "sending a batch");
        let count = claimed.len();
        let mut editions: Vec<EditionId> = claimed.iter().map(|d| d.edition).collect();
        editions.sort_unstable();
        editions.dedup();
        // Owned deliveries move into each send, so the stream borrows nothing but `self`.
        let sends = claimed.into_iter().map(|delivery| {
            let edition = composed.get(&edition_key(&delivery)).cloned().flatten();
            async move {
                let outcome = self.deliver(&delivery, edition).await;
                (delivery.lease, outcome)
            }
        });
        let results: Vec<(Lease, Outcome)> = futures::stream::iter(sends)
            .buffer_unordered(self.pace.concurrency.div_ceil(self.pace.lanes.max(1)).max(1))
            .collect()
            .await;
        let reports: Vec<(&Lease, &Outcome)> = results.iter().map(|(l, o)| (l, o)).collect();
        let recorded = self
            .store
            .record_outcomes(self.transport.name(), &reports, self.clock.now())
            .await
            .context("recording outcomes")?;
        for ((lease, outcome), recorded) in results.iter().zip(&recorded) {
            let status = outcome.status();
            self.metrics.count_outcome(status, self.transport.name());
            if let Recorded::LeaseLost { status: now_status } = recorded {
                tracing::warn!(
                    delivery = lease.delivery.0,
                    attempted = status.as_str(),
                    now = now_status.as_str(),
                    "outcome arrived after the lease ran out; the delivery stays as ops see it"
                );
            }
        }
        let refused = results
            .iter()
            .any(|(_, o)| matches!(o, Outcome::Bounced { .. } | Outcome::Failed { .. }));
        if refused {
            for edition in editions {
                self.guard_edition(edition).await?;
            }
        }
        Ok(count)
    }

    /// Pauses an edition whose refusals pass the sender guard's lines, and says why.
    async fn guard_edition(&self, edition: EditionId) -> anyhow::Result<()> {
        let guard = &self.pace.guard;
        let health = self
            .store
            .edition_health(edition, guard.bounce_sample, guard.policy_in_row)
            .await
            .context("reading how an edition fares")?;
        if let Some(reason) = guard.judge(&health)
            && self.store.pause_to_protect(edition, &reason, self.clock.now()).await?
        {
            tracing::warn!(edition = edition.0, %reason, "edition paused to protect the sender; an approver resumes it");
        }
        Ok(())
    }

    /// The composition of each (edition, language) of the batch, from the briefs still live:
    /// from the cache, or composed now. A render failure fails the batch, which is then deferred.
    async fn compose_editions(&self, claimed: &[ClaimedDelivery]) -> anyhow::Result<HashMap<EditionKey, Composed>> {
        let mut briefs: HashMap<BriefId, Brief> = HashMap::new();
        let mut composed = HashMap::new();
        for delivery in claimed {
            let key = edition_key(delivery);
            if composed.contains_key(&key) {
                continue;
            }
            let cache_key = (
                delivery.edition,
                delivery.language,
                key.2,
                delivery.briefs.iter().map(|b| b.brief).collect(),
            );
            if let Some(cached) = self.editions.get(&cache_key) {
                composed.insert(key, cached);
                continue;
            }
            for item in &delivery.briefs {
                if let std::collections::hash_map::Entry::Vacant(slot) = briefs.entry(item.brief) {
                    let stored = self
                        .store
                        .brief(item.brief)
                        .await?
                        .with_context(|| format!("brief {}", item.brief))?;
                    slot.insert(stored.brief);
                }
            }
            let you_asked = self
                .store
                .answers_for_edition(delivery.edition, delivery.language, self.clock.now())
                .await?
                .into_iter()
                .map(|a| Asked {
                    question: a.question,
                    answer: a.answer,
                    answer_url: a.answer_url,
                    asked_by: a.asked_by,
                })
                .collect();
            let pages: Vec<String> = delivery
                .briefs
                .iter()
                .map(|b| self.letterhead.pack_pages(b.brief))
                .collect();
            let sources: Vec<Option<SourceLinks>> = delivery
                .briefs
                .iter()
                .map(|b| self.letterhead.source_links(b.brief, &briefs[&b.brief]))
                .collect();
            let edition = Edition {
                briefs: delivery
                    .briefs
                    .iter()
                    .zip(pages.iter().zip(&sources))
                    .map(|(b, (page, sources))| Carried {
                        brief: &briefs[&b.brief],
                        page: Some(page),
                        sources: sources.as_ref(),
                    })
                    .collect(),
                date: self.clock.now(),
                platforms: key.2,
                questions_received: None,
                you_asked,
            };
            let result = compose(&self.content, &edition, delivery.language, self.policy)
                .with_context(|| format!("composing edition {} in {}", delivery.edition, delivery.language))?;
            let entry = (!result.is_empty()).then(|| Arc::new(result));
            self.editions.insert(cache_key, entry.clone());
            composed.insert(key, entry);
        }
        Ok(composed)
    }

    async fn deliver(&self, delivery: &ClaimedDelivery, edition: Composed) -> Outcome {
        let Some(edition) = edition else {
            return Outcome::Held {
                response: format!(
                    "held: no brief of this edition is available in {} and the missing-language policy holds it",
                    delivery.language
                ),
            };
        };
        let id = delivery.lease.delivery;
        let to = match EmailAddress::parse(&delivery.email) {
            Ok(to) => to,
            Err(e) => {
                return Outcome::Failed {
                    response: e.to_string(),
                };
            }
        };
        // From the letterhead, so the body's links and reply address are the headers' own.
        let link = self.letterhead.unsubscribe_url(id);
        let recipient = Recipient {
            name: first_name(&delivery.name).to_string(),
            unsubscribe_url: link.clone(),
            preferences_url: link,
            reply_address: self.letterhead.reply_address(id),
        };
        let order = Order {
            edition,
            recipient,
            to,
            name: delivery.name.clone(),
            edition_id: delivery.edition,
            delivery_id: id,
            language: delivery.language,
            reply_domain: self.letterhead.reply_domain().to_string(),
            date: self.clock.now(),
        };
        // A DKIM signature is CPU work (RSA-2048: about 0.3 ms): on a blocking thread it runs
        // while this lane waits on the database and the transport, and the lanes' signatures
        // spread over every core. Unsigned, composing is cheaper than the hand-off.
        let composed = if self.letterhead.signs() {
            let letterhead = self.letterhead.clone();
            tokio::task::spawn_blocking(move || order.compose(&letterhead))
                .await
                .unwrap_or_else(|_| Err("composing the message failed on this reader's data".into()))
        } else {
            order.compose(&self.letterhead)
        };
        let outgoing = match composed {
            Ok(m) => m,
            Err(response) => return Outcome::Failed { response },
        };
        if !self.pulse.is_fresh() {
            return Outcome::Deferred {
                next_attempt_at: self.clock.now() + TimeDelta::minutes(1),
                response: "not sent: this daemon lost its heartbeat in the database".into(),
            };
        }
        let started = Instant::now();
        let result = match tokio::time::timeout(SEND_DEADLINE, self.transport.send(&outgoing)).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Uncertain {
                response: format!(
                    "no answer from the transport within {} s: it may have been sent",
                    SEND_DEADLINE.as_secs()
                ),
            }),
        };
        self.metrics.observe_send(self.transport.name(), started.elapsed());
        match result {
            Ok(receipt) => Outcome::Sent {
                message_id: outgoing.message_id,
                response: receipt.response,
            },
            Err(SendError::Temporary { response }) => {
                match self
                    .pace
                    .retry
                    .next_attempt(delivery.lease.attempt, self.clock.now(), &mut rand::rng())
                {
                    Some(next_attempt_at) => Outcome::Deferred {
                        next_attempt_at,
                        response,
                    },
                    None => Outcome::Failed {
                        response: format!("gave up after {} attempts: {response}", delivery.lease.attempt),
                    },
                }
            }
            Err(SendError::Permanent { response }) => Outcome::Failed { response },
            Err(SendError::RecipientUnknown { response }) => Outcome::Bounced { response },
            Err(SendError::Uncertain { response }) => Outcome::Uncertain { response },
        }
    }
}

/// The heartbeat task of a running dispatcher.
struct Heart {
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Heart {
    async fn stop(self) {
        self.stop.cancel();
        let _ = self.task.await;
    }
}

fn edition_key(delivery: &ClaimedDelivery) -> EditionKey {
    (
        delivery.edition,
        delivery.language,
        ReaderPlatforms::of(&delivery.platforms),
    )
}

/// "Aino" from "Aino Virtanen": the greeting is personal, not formal.
fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// Everything one message is made from, owned, so that composing it can move to another thread.
struct Order {
    edition: Arc<ComposedEdition>,
    recipient: Recipient,
    to: EmailAddress,
    name: String,
    edition_id: EditionId,
    delivery_id: DeliveryId,
    language: Language,
    reply_domain: String,
    date: chrono::DateTime<chrono::Utc>,
}

impl Order {
    /// The message, signed when the letterhead signs; the error is the delivery's response.
    fn compose(self, letterhead: &Letterhead) -> Result<OutgoingMessage, String> {
        let message = self.edition.personalise_encoded(&self.recipient);
        let list_id = format!("{}.briefcast.{}", self.language, self.reply_domain);
        let list_name = format!("briefcast ({})", self.language);
        let letter = Letter {
            edition_id: self.edition_id,
            delivery_id: self.delivery_id,
            to: &self.to,
            to_name: Some(&self.name),
            language: self.language,
            subject: &message.subject,
            text: Part::QuotedPrintable(&message.text),
            html: Part::QuotedPrintable(&message.html),
            list_name: &list_name,
            list_id: &list_id,
        };
        let mut rng = rand::rngs::StdRng::from_rng(&mut rand::rng());
        // Whatever a reader's data does to composing, it fails that one message, not the lane.
        let composed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            letterhead.compose(&letter, self.date, &mut rng)
        }));
        match composed {
            Ok(Ok(message)) => Ok(message),
            Ok(Err(e)) => Err(format!("composing the message: {e}")),
            Err(_) => Err("composing the message failed on this reader's data".into()),
        }
    }
}
