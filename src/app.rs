//! Startup: build the daemon's parts from a configuration and run them side by side.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::Config;
use crate::dispatch::dispatcher::{Dispatcher, Pace};
use crate::dispatch::message::Letterhead;
use crate::dispatch::transport::{Transport, transport_from_url};
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
        let content =
            Content::load(&config.content_dir, &config.locales_dir).context("loading templates and strings")?;
        let secret = config.link_secret()?;
        let tokens = TokenKey::new(&secret);
        let outbox = config.data_dir.join("outbox");
        let transport =
            transport_from_url(config.smtp_url.as_deref(), &outbox, None).context("setting up the mail transport")?;
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
            None,
        )
        .context("setting up outgoing messages")?;
        let state = AppState {
            store,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            content: Arc::new(content),
            tokens: Arc::new(tokens),
        };
        Ok(App {
            state,
            listener,
            transport,
            letterhead: Arc::new(letterhead),
        })
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
        let grace = Grace::from_std(self.state.config.schedule_grace).context("schedule_grace")?;
        let scheduler = crate::scheduler::run_until_stopped(
            self.state.store.clone(),
            self.state.clock.clone(),
            grace,
            self.state.metrics.clone(),
            shutdown.clone(),
        );
        let dispatcher = Dispatcher {
            store: self.state.store.clone(),
            transport: self.transport,
            letterhead: self.letterhead,
            content: self.state.content.clone(),
            policy: LanguagePolicy::from_config(&self.state.config),
            tokens: self.state.tokens.clone(),
            public_url: self.state.config.public_url.clone(),
            reply_domain: self.state.config.reply_domain.clone(),
            clock: self.state.clock.clone(),
            metrics: self.state.metrics.clone(),
            worker: format!(
                "pid{}-{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            pace: Pace::default(),
        };
        // Whichever part stops first (a signal, or HTTP failing) stops the others, so the daemon
        // never lives on half-working.
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
        served.context("serving HTTP")?;
        scheduled.context("running the scheduler")?;
        dispatched.context("dispatching")?;
        tracing::info!("briefcast stopped");
        Ok(())
    }
}
