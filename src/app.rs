//! Startup: build the daemon's parts from a configuration and run them side by side.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::Config;
use crate::inbound::imap::MailboxUrl;
use crate::inbound::intake::{self, NoTokens, ReplyTokens};
use crate::metrics::Metrics;
use crate::store::{self, Store};
use crate::web::{self, AppState};

pub struct App {
    pub state: AppState,
    listener: TcpListener,
    imap: Option<MailboxUrl>,
}

impl App {
    /// Connects to the configured database, applies migrations and binds the HTTP address.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let store = store::connect(&config.database_url).await?;
        App::build_with_store(config, store, clock).await
    }

    pub async fn build_with_store(config: Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        store.migrate().await.context("applying database migrations")?;
        let imap = config
            .imap_url
            .as_deref()
            .map(MailboxUrl::parse)
            .transpose()
            .context("imap_url")?;
        let listener = TcpListener::bind(config.http_addr)
            .await
            .with_context(|| format!("listening on {}", config.http_addr))?;
        let state = AppState {
            store,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            // Until token verification is wired in, replies match by Message-ID and sender.
            reply_tokens: Arc::new(NoTokens),
        };
        Ok(App { state, listener, imap })
    }

    /// The verifier for `questions+TOKEN@` addresses, used by the webhook and the IMAP intake.
    pub fn with_reply_tokens(mut self, verifier: Arc<dyn ReplyTokens>) -> App {
        self.state.reply_tokens = verifier;
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Runs until `shutdown` is cancelled; work in flight finishes before this returns.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        tracing::info!(
            addr = %self.local_addr(),
            database = self.state.store.backend(),
            "briefcast is serving"
        );
        let inbound = spawn_inbound(&self.state, self.imap.clone(), &shutdown);
        let served = web::run_until_stopped(self.listener, self.state, shutdown.clone())
            .await
            .context("serving HTTP");
        // Whatever ended the server, the inbound parts stop with it.
        shutdown.cancel();
        for task in inbound {
            let _ = task.await;
        }
        served?;
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
    let (store, verifier, clock) = (state.store.clone(), state.reply_tokens.clone(), state.clock.clone());
    tasks.push(tokio::spawn(async move {
        match intake::process_pending(store.as_ref(), verifier.as_ref(), clock.now()).await {
            Ok(0) => {}
            Ok(processed) => tracing::info!(processed, "processed replies left unprocessed by the last run"),
            Err(error) => tracing::warn!(error = format!("{error:#}"), "processing left-over replies failed"),
        }
    }));
    if let Some(url) = imap {
        tasks.push(tokio::spawn(intake::run_imap(
            url,
            state.store.clone(),
            state.reply_tokens.clone(),
            state.clock.clone(),
            IMAP_POLL,
            shutdown.clone(),
        )));
    }
    tasks.push(tokio::spawn(intake::run_retention(
        state.store.clone(),
        state.clock.clone(),
        chrono::Duration::days(i64::from(state.config.retention_days)),
        RETENTION_EVERY,
        shutdown.clone(),
    )));
    tasks
}
