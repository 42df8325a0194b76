//! Each daemon's heartbeat, and what happens to the claims of a daemon that stops beating.
//!
//! A claim holds for its whole lease (ten minutes by default), because a batch through a slow
//! mail server can take that long. But a daemon killed in the middle of a batch would then leave
//! its claims `sending` for ten minutes, and ops in a crisis must know within a minute what may
//! have gone out. So every daemon beats every few seconds, and any daemon turns the claims of one
//! that has been silent for [`SILENT_AFTER`] into `uncertain`.
//!
//! Never too early: a daemon starts no send unless it beat within [`FENCE`], and gives every send
//! at most [`SEND_DEADLINE`]. A daemon that lost the database (alive, but unable to beat) has
//! therefore finished or abandoned every send before the others can consider it gone:
//! `FENCE + SEND_DEADLINE` is 45 s, under the 50 s of silence. With a beat every 5 s and every
//! daemon sweeping on its beat, a killed daemon's claims turn uncertain 50 to 60 s after its last
//! beat. Daemons sharing a database must keep their clocks within a few seconds (NTP).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::store::Store;

/// How often a daemon says it is alive, and sweeps the claims of silent ones.
pub const BEAT_EVERY: Duration = Duration::from_secs(5);
/// A daemon whose last successful beat is older than this starts no send.
pub const FENCE: Duration = Duration::from_secs(10);
/// The longest one send may take; an answer that has not come by then is `uncertain`.
pub const SEND_DEADLINE: Duration = Duration::from_secs(35);
/// A daemon silent for this long is gone: its claims are `uncertain`.
pub const SILENT_AFTER: Duration = Duration::from_secs(50);

/// When this daemon last beat, on the monotonic clock: whether it may start a send.
#[derive(Debug)]
pub struct Pulse {
    started: Instant,
    /// Milliseconds after `started` of the last successful beat, plus one (0: never).
    last_beat: AtomicU64,
}

impl Default for Pulse {
    fn default() -> Self {
        Pulse {
            started: Instant::now(),
            last_beat: AtomicU64::new(0),
        }
    }
}

impl Pulse {
    fn beat(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        self.last_beat.store(ms + 1, Ordering::Relaxed);
    }

    /// Whether the last beat is recent enough to start a send.
    pub fn is_fresh(&self) -> bool {
        match self.last_beat.load(Ordering::Relaxed) {
            0 => false,
            at => {
                let beat = self.started + Duration::from_millis(at - 1);
                beat.elapsed() <= FENCE
            }
        }
    }
}

/// Beats once, and sweeps the claims of silent daemons.
pub async fn beat_once(store: &dyn Store, clock: &dyn Clock, worker: &str, pulse: &Pulse) {
    let now = clock.now();
    match store.beat(worker, now).await {
        Ok(()) => pulse.beat(),
        Err(error) => tracing::warn!(%error, "heartbeat not recorded: no new sends until it is"),
    }
    let silent_since = now - TimeDelta::from_std(SILENT_AFTER).unwrap_or(TimeDelta::seconds(50));
    match store.expire_silent_claims(silent_since, now).await {
        Ok(0) => {}
        Ok(uncertain) => tracing::warn!(
            uncertain,
            "a daemon stopped before recording what it sent: those deliveries wait for ops"
        ),
        Err(error) => tracing::warn!(%error, "sweeping the claims of silent daemons failed"),
    }
}

/// Beats until `stop`, then takes the heartbeat away: a daemon that stops is not silent, it is gone.
pub async fn run_until_stopped(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    worker: String,
    pulse: Arc<Pulse>,
    stop: CancellationToken,
) {
    while !stop.is_cancelled() {
        tokio::select! {
            () = tokio::time::sleep(BEAT_EVERY) => {}
            () = stop.cancelled() => break,
        }
        beat_once(store.as_ref(), clock.as_ref(), &worker, &pulse).await;
    }
    if let Err(error) = store.stop_beating(&worker).await {
        tracing::warn!(%error, "the heartbeat could not be removed; it goes silent instead");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timing_leaves_no_send_completing_after_its_daemon_is_declared_gone() {
        assert!(FENCE + SEND_DEADLINE < SILENT_AFTER);
        assert!(SILENT_AFTER + BEAT_EVERY + BEAT_EVERY <= Duration::from_secs(60));
    }

    #[test]
    fn a_pulse_is_fresh_only_after_a_beat() {
        let pulse = Pulse::default();
        assert!(!pulse.is_fresh());
        pulse.beat();
        assert!(pulse.is_fresh());
    }
}
