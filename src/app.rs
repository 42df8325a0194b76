//! Startup: build the daemon's parts from a configuration and run them side by side.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::Config;
use crate::dispatch::dispatcher::{Dispatcher, EditionCache, Pace};
use crate::dispatch::message::{DkimKey, DkimSigner, Letterhead};
use crate::dispatch::transport::{Transport, transport_from_url};
use crate::inbound::imap::MailboxUrl;
use crate::intake::{self, ReplyTokens};
use crate::metrics::Metrics;
use crate::pack::{Content, LanguagePolicy};
use crate::schedule::Grace;
use crate::store::{self, Store};
use crate::token::TokenKey;
use crate::web::{self, AppState};

pub struct App {
    pub state: AppState,
    listener: TcpListener,
    transport: Arc<dyn Transport>,
    letterhead: Arc<Letterhead>,
    imap: Option<MailboxUrl>,
}

impl App {
    /// Connects to the configured database, applies migrations and binds the HTTP address.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let store = store::connect(&config.database_url).await?;
        App::build_with_store(config, store, clock).await
    }

    pub async fn build_with_store(
        mut config: Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<App> {
        // Templates and strings are checked before anything else starts, so a broken template
        // stops the daemon here with its file and line, never in the middle of a send.
        let content = Content::configured(&config).context("loading templates and strings")?;
        let secret = config.link_secret()?;
        let tokens = Arc::new(TokenKey::new(&secret));
        let pack_key = Arc::new(config.pack_key().context("the pack-signing key (pack_key_file)")?);
        let outbox = config.data_dir.join("outbox");
        let transport = transport_from_url(
            config.smtp_url.as_deref(),
            &outbox,
            crate::dispatch::transport::HttpApiSettings::from_config(&config)?,
        )
        .context("setting up the mail transport")?;
        let imap = config
            .imap_url
            .as_deref()
            .map(MailboxUrl::parse)
            .transpose()
            .context("imap_url")?;
        store.migrate().await.context("applying database migrations")?;
        let listener = TcpListener::bind(config.http_addr)
            .await
            .with_context(|| format!("listening on {}", config.http_addr))?;
        if config.public_url_is_default() {
            // With port 0 only the bound socket knows the port links must point at.
            config.public_url = format!("http://{}", listener.local_addr().context("reading the bound address")?);
        }
        let letterhead = Letterhead::new(
            &config.from,
            &config.reply_domain,
            &config.public_url,
            TokenKey::new(&secret),
            dkim(&config)?,
        )
        .context("setting up outgoing messages")?
        .with_senders(content.sender.clone())
        .with_counted_sources(config.count_source_clicks);
        let state = AppState {
            store,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            content: Arc::new(content),
            tokens,
            pack_key,
        };
        Ok(App {
            state,
            listener,
            transport,
            letterhead: Arc::new(letterhead),
            imap,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves HTTP alone: no scheduler, dispatcher or inbound. For tests that play the
    /// dispatcher's part themselves, step by step, and must not race a real one.
    #[doc(hidden)]
    pub async fn run_http_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        web::run_until_stopped(self.listener, self.state, shutdown)
            .await
            .context("serving HTTP")
    }

    /// Runs HTTP, the scheduler, the dispatcher, the feed poller and the inbound parts until `shutdown` is
    /// cancelled; work in flight finishes before this returns. Whichever part stops first stops
    /// the others, so the daemon never lives on half-working.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        tracing::info!(
            addr = %self.local_addr(),
            database = self.state.store.backend(),
            "briefcast is serving"
        );
        let grace = Grace::from_std(self.state.config.schedule_grace).context("schedule_grace")?;
        // One name for this daemon in leases, heartbeats and the scheduler's lead.
        let daemon = format!(
            "pid{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let scheduler = crate::scheduler::run_until_stopped(
            self.state.store.clone(),
            self.state.clock.clone(),
            grace,
            self.state.metrics.clone(),
            daemon.clone(),
            shutdown.clone(),
        );
        let dispatcher = Dispatcher {
            editions: EditionCache::default(),
            pulse: Arc::default(),
            store: self.state.store.clone(),
            transport: self.transport,
            letterhead: self.letterhead,
            content: self.state.content.clone(),
            policy: LanguagePolicy::from_config(&self.state.config),
            clock: self.state.clock.clone(),
            metrics: self.state.metrics.clone(),
            worker: daemon,
            pace: Pace {
                limits: crate::store::SendLimit::from_config(&self.state.config),
                batch: self.state.config.dispatch_batch,
                lease: chrono::TimeDelta::from_std(self.state.config.dispatch_lease).context("dispatch_lease")?,
                concurrency: self.state.config.dispatch_concurrency,
                guard: crate::edition::SenderGuard {
                    bounce_percent: self.state.config.pause_bounce_percent,
                    bounce_sample: self.state.config.pause_bounce_sample,
                    policy_in_row: self.state.config.pause_policy_refusals,
                },
                ..Pace::default()
            },
        };
        let poller = crate::feed::poller::Poller {
            store: self.state.store.clone(),
            content: self.state.content.clone(),
            clock: self.state.clock.clone(),
            metrics: self.state.metrics.clone(),
            fetcher: crate::feed::Fetcher::from_config(&self.state.config).context("setting up the feed reader")?,
            every: self.state.config.feed_poll_interval,
        };
        let feeds = tokio::spawn(poller.run_until_stopped(shutdown.clone()));
        let inbound = spawn_inbound(&self.state, self.imap.clone(), &shutdown);
        let http = async {
            let served = web::run_until_stopped(self.listener, self.state, shutdown.clone()).await;
            shutdown.cancel();
            served
        };
        let scheduler = async {
            let ran = scheduler.await;
            shutdown.cancel();
            ran
        };
        let dispatcher = async {
            let ran = dispatcher.run_until_stopped(shutdown.clone()).await;
            shutdown.cancel();
            ran
        };
        let (served, scheduled, dispatched) = tokio::join!(http, scheduler, dispatcher);
        for task in inbound {
            let _ = task.await;
        }
        let _ = feeds.await;
        served.context("serving HTTP")?;
        scheduled.context("running the scheduler")?;
        dispatched.context("dispatching")?;
        tracing::info!("briefcast stopped");
        Ok(())
    }
}

/// How often the IMAP intake looks without IDLE news (servers drop an IDLE after 30 minutes).
const IMAP_POLL: std::time::Duration = std::time::Duration::from_secs(300);
/// How often old replies are purged; retention is counted in days, so hourly is plenty.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Inbound: replies a crash left unprocessed, the IMAP mailbox when configured, and retention.
fn spawn_inbound(
    state: &AppState,
    imap: Option<MailboxUrl>,
    shutdown: &CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    let verifier: Arc<dyn ReplyTokens> = state.tokens.clone();
    let (store, clock) = (state.store.clone(), state.clock.clone());
    tasks.push(tokio::spawn(async move {
        match intake::process_pending(store.as_ref(), verifier.as_ref(), clock.now()).await {
            Ok(0) => {}
            Ok(processed) => tracing::info!(processed, "processed replies left unprocessed by the last run"),
            Err(error) => tracing::warn!(error = format!("{error:#}"), "processing left-over replies failed"),
        }
    }));
    if let Some(url) = imap {
        tasks.push(tokio::spawn(crate::intake::workers::run_imap(
            url,
            state.store.clone(),
            state.tokens.clone(),
            state.clock.clone(),
            IMAP_POLL,
            shutdown.clone(),
        )));
    }
    tasks.push(tokio::spawn(crate::intake::workers::run_retention(
        state.store.clone(),
        state.clock.clone(),
        chrono::Duration::days(i64::from(state.config.retention_days)),
        RETENTION_EVERY,
        shutdown.clone(),
    )));
    tasks
}

/// The DKIM signer the configuration asks for, if any. The domain defaults to the sender's, the
/// one receivers align the signature with (DMARC).
fn dkim(config: &Config) -> anyhow::Result<Option<DkimSigner>> {
    let keys = dkim_keys(config)?;
    Ok((!keys.is_empty()).then(|| DkimSigner::new(keys)))
}

/// The DKIM keys configured, each with its selector: `dkim_key_file` and `dkim_selector` are
/// lists in the same order (one key with the default selector needs no selector).
pub fn dkim_keys(config: &Config) -> anyhow::Result<Vec<DkimKey>> {
    if config.dkim_key_file.is_empty() {
        return Ok(Vec::new());
    }
    anyhow::ensure!(
        config.dkim_key_file.len() == config.dkim_selector.len(),
        "dkim_selector: {} selector(s) for {} key(s) in dkim_key_file; give one per key, in the same order",
        config.dkim_selector.len(),
        config.dkim_key_file.len()
    );
    let domain = match &config.dkim_domain {
        Some(domain) => domain.clone(),
        None => config
            .from
            .rsplit_once('@')
            .map(|(_, rest)| rest.trim_end_matches('>').trim().to_string())
            .filter(|d| !d.is_empty())
            .context("dkim_domain is unset and `from` has no domain to sign for")?,
    };
    config
        .dkim_key_file
        .iter()
        .zip(&config.dkim_selector)
        .map(|(path, selector)| {
            let pem =
                std::fs::read_to_string(path).with_context(|| format!("dkim_key_file: reading {}", path.display()))?;
            DkimKey::from_pem(selector, &domain, &pem).with_context(|| format!("dkim_key_file: {}", path.display()))
        })
        .collect()
}
