//! Send rates shared by every daemon on one database.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

/// At most `max` sends per window of `span_seconds` (1 for per second, 3600 for per hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimit {
    pub span_seconds: i64,
    pub max: u64,
}

impl SendLimit {
    /// The configured send rates, as the dispatcher enforces them.
    pub fn from_config(config: &crate::config::Config) -> Vec<SendLimit> {
        [(1, config.send_rate_per_second), (3600, config.send_rate_per_hour)]
            .into_iter()
            .filter(|(_, max)| *max > 0)
            .map(|(span_seconds, max)| SendLimit { span_seconds, max })
            .collect()
    }
}

#[async_trait]
pub trait RateStore: Send + Sync {
    /// Takes up to `want` sends from every limit's current window for `transport`, atomically
    /// across daemons, and returns how many were granted (0 when a window is full).
    async fn reserve_sends(
        &self,
        transport: &str,
        want: u32,
        limits: &[SendLimit],
        now: DateTime<Utc>,
    ) -> StoreResult<u32>;

    /// Gives back sends reserved at `now` but not made (fewer deliveries were due).
    async fn release_sends(
        &self,
        transport: &str,
        unused: u32,
        limits: &[SendLimit],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// The start of the window `now` falls in.
pub fn window_start(limit: &SendLimit, now: DateTime<Utc>) -> i64 {
    let span = limit.span_seconds.max(1);
    now.timestamp().div_euclid(span) * span
}
