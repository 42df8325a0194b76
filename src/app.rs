//! Startup: build the daemon's parts from a configuration and run them side by side.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::pack::Content;
use crate::schedule::Grace;
use crate::store::{self, Store};
use crate::token::TokenKey;
use crate::web::{self, AppState};

pub struct App {
    pub state: AppState,
    listener: TcpListener,
}

impl App {
    /// Connects to the configured database, applies migrations and binds the HTTP address.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let store = store::connect(&config.database_url).await?;
        App::build_with_store(config, store, clock).await
    }

    pub async fn build_with_store(config: Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        // Templates and strings are checked before anything else starts, so a broken template
        // stops the daemon here with its file and line, never in the middle of a send.
        let content =
            Content::load(&config.content_dir, &config.locales_dir).context("loading templates and strings")?;
        let tokens = TokenKey::new(&config.link_secret()?);
        store.migrate().await.context("applying database migrations")?;
        let listener = TcpListener::bind(config.http_addr)
            .await
            .with_context(|| format!("listening on {}", config.http_addr))?;
        let state = AppState {
            store,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            content: Arc::new(content),
            tokens: Arc::new(tokens),
        };
        Ok(App { state, listener })
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
        let (served, scheduled) = tokio::join!(http, scheduler);
        served.context("serving HTTP")?;
        scheduled.context("running the scheduler")?;
        tracing::info!("briefcast stopped");
        Ok(())
    }
}
