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
    probe_after: Duration,
    max_idle: Duration,
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
        Self::with_idle_limits(endpoint, size, PROBE_AFTER, MAX_IDLE)
    }

    fn with_idle_limits(endpoint: Endpoint, size: u32, probe_after: Duration, max_idle: Duration) -> Arc<Pool> {
        let pool = Arc::new(Pool {
            endpoint,
            slots: Arc::new(Semaphore::new(size as usize)),
            idle: Mutex::new(Vec::new()),
            probe_after,
            max_idle,
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
            if idle_for > self.max_idle {
                session.quit().await;
                continue;
            }
            if idle_for > self.probe_after && !session.probe().await {
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
    pub fn keep(&self, mut lease: Lease) {
        lease.session.rest();
        self.idle.lock().expect("idle list lock").push(lease.session);
    }

    fn take_expired(&self) -> Vec<Session> {
        let mut idle = self.idle.lock().expect("idle list lock");
        let (expired, kept) = idle.drain(..).partition(|s| s.idle_for() > self.max_idle);
        *idle = kept;
        expired
    }
}

async fn close_idle_sessions(pool: Weak<Pool>) {
    let Some(max_idle) = pool.upgrade().map(|p| p.max_idle) else {
        return;
    };
    let mut tick = tokio::time::interval(max_idle.max(Duration::from_secs(1)) / 4);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::transport::smtp_session::Security;
    use lettre::transport::smtp::extension::ClientId;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// A server that logs each command it gets; with `hang_up_after_ehlo` it closes every
    /// session once greeted, as a server dropping idle clients would.
    async fn spawn_logging_peer(hang_up_after_ehlo: bool) -> (Endpoint, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = log.clone();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let log = shared.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 peer.test ESMTP\r\n").await.unwrap();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        log.lock().unwrap().push(verb.clone());
                        let reply: &[u8] = if verb == "QUIT" { b"221 Bye\r\n" } else { b"250 Ok\r\n" };
                        if write.write_all(reply).await.is_err() || verb == "QUIT" {
                            return;
                        }
                        if verb == "EHLO" && hang_up_after_ehlo {
                            return;
                        }
                    }
                });
            }
        });
        let endpoint = Endpoint {
            host: "127.0.0.1".into(),
            port,
            security: Security::Plain,
            credentials: None,
            hello: ClientId::Domain("briefcast.test".into()),
            timeout: Duration::from_secs(5),
        };
        (endpoint, log)
    }

    const NEVER: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn a_session_idle_past_the_probe_age_is_tested_with_noop_then_reused() {
        let (endpoint, log) = spawn_logging_peer(false).await;
        let pool = Pool::with_idle_limits(endpoint, 1, Duration::ZERO, NEVER);
        let first = pool.lease().await.unwrap();
        assert!(!first.reused);
        pool.keep(first);
        let second = pool.lease().await.unwrap();
        assert!(second.reused);
        assert_eq!(*log.lock().unwrap(), ["EHLO", "NOOP"]);
    }

    #[tokio::test]
    async fn a_session_that_fails_its_probe_is_replaced() {
        let (endpoint, log) = spawn_logging_peer(true).await;
        let pool = Pool::with_idle_limits(endpoint, 1, Duration::ZERO, NEVER);
        pool.keep(pool.lease().await.unwrap());
        let second = pool.lease().await.unwrap();
        assert!(!second.reused, "the dead session was dropped and a new one opened");
        // The NOOP may or may not reach the closed session's server; two greetings always do.
        assert_eq!(log.lock().unwrap().iter().filter(|v| *v == "EHLO").count(), 2);
    }

    #[tokio::test]
    async fn a_session_idle_too_long_is_closed_with_quit_not_reused() {
        let (endpoint, log) = spawn_logging_peer(false).await;
        let pool = Pool::with_idle_limits(endpoint, 1, Duration::ZERO, Duration::ZERO);
        pool.keep(pool.lease().await.unwrap());
        let second = pool.lease().await.unwrap();
        assert!(!second.reused);
        assert_eq!(*log.lock().unwrap(), ["EHLO", "QUIT", "EHLO"]);
    }
}
