//! A small pool of SMTP sessions: at most `size` open at once, idle ones kept for the next
//! message, stale ones tested or closed.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::smtp_session::{Endpoint, Session};

/// An idle session older than this is tested with NOOP before use; one that was busy a moment
/// ago goes straight to MAIL FROM, and if it turns out dead the transaction is retried on a new
/// session (safe, as nothing was sent).
const PROBE_AFTER: Duration = Duration::from_secs(2);

/// An idle session older than this is closed rather than kept. Servers drop idle clients after
/// their own timeout (RFC 5321 §4.5.3.2.7 suggests 5 minutes; many use less), and keeping a
/// session open that long only holds a slot on the relay between editions.
const MAX_IDLE: Duration = Duration::from_secs(60);

pub(super) struct Pool {
    endpoint: Endpoint,
    /// One permit per session in use; a session is opened only when none is idle, so open
    /// sessions (in use and idle) never exceed the pool size.
    slots: Arc<Semaphore>,
    /// Most recently used last: taking from the end reuses the session least likely to be stale.
    idle: Mutex<Vec<Session>>,
}

/// A session lent to one transaction. Dropped without [`Lease::keep`] (an error, a cancelled
/// send) the session is closed, since its state is not known.
pub(super) struct Lease {
    pub session: Session,
    /// Whether the session carried earlier transactions (and so may have gone stale).
    pub reused: bool,
    _slot: OwnedSemaphorePermit,
}

impl Pool {
    /// Inside a Tokio runtime this also starts a task closing sessions idle past [`MAX_IDLE`];
    /// it ends when the pool is dropped.
    pub fn new(endpoint: Endpoint, size: u32) -> Arc<Pool> {
        let pool = Arc::new(Pool {
            endpoint,
            slots: Arc::new(Semaphore::new(size as usize)),
            idle: Mutex::new(Vec::new()),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(close_idle_sessions(Arc::downgrade(&pool)));
        }
        pool
    }

    /// A session for one transaction: an idle one that still answers, else a new one.
    pub async fn lease(&self) -> Result<Lease, String> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the pool never closes its semaphore");
        loop {
            let Some(mut session) = self.idle.lock().expect("idle list lock").pop() else {
                break;
            };
            let idle_for = session.idle_for();
            if idle_for > MAX_IDLE {
                session.quit().await;
                continue;
            }
            if idle_for > PROBE_AFTER && !session.probe().await {
                continue;
            }
            return Ok(Lease {
                session,
                reused: true,
                _slot: slot,
            });
        }
        let session = Session::open(&self.endpoint).await?;
        Ok(Lease {
            session,
            reused: false,
            _slot: slot,
        })
    }

    /// Returns a session that is in step with its server, ready for the next MAIL FROM.
    pub fn keep(&self, lease: Lease) {
        self.idle.lock().expect("idle list lock").push(lease.session);
    }

    fn take_expired(&self) -> Vec<Session> {
        let mut idle = self.idle.lock().expect("idle list lock");
        let (expired, kept) = idle.drain(..).partition(|s| s.idle_for() > MAX_IDLE);
        *idle = kept;
        expired
    }
}

async fn close_idle_sessions(pool: Weak<Pool>) {
    let mut tick = tokio::time::interval(MAX_IDLE / 4);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(pool) = pool.upgrade() else { return };
        let expired = pool.take_expired();
        drop(pool);
        for session in expired {
            session.quit().await;
        }
    }
}
