//! When to try a temporarily failed delivery again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, RngExt};

/// Exponential backoff with full jitter: after the n-th failed attempt the next one comes at a
/// uniformly random point in `[min_delay, min_delay + min(max_delay, base · 2^(n-1))]`.
///
/// Full jitter spreads the retries of an edition that failed all at once (a relay that was down)
/// instead of sending the whole batch back at the same instant. The floor exists because the most
/// common temporary failure is greylisting, which refuses any retry sooner than a few minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub min_delay: Duration,
    pub base: Duration,
    pub max_delay: Duration,
    /// Attempts in all, the first one included; after the last failure the delivery has failed.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// About ten hours of retries at most. RFC 5321 §4.5.4.1 suggests 4–5 days for ordinary
    /// mail, but a crisis edition is stale by the next day, and ops should see the failure while
    /// it still matters.
    fn default() -> Self {
        RetryPolicy {
            min_delay: Duration::from_secs(60),
            base: Duration::from_secs(120),
            max_delay: Duration::from_secs(2 * 3600),
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// When to try again after `attempts` attempts have failed, or `None` to give up.
    pub fn next_attempt<R: Rng + ?Sized>(
        &self,
        attempts: u32,
        now: DateTime<Utc>,
        rng: &mut R,
    ) -> Option<DateTime<Utc>> {
        if attempts == 0 || attempts >= self.max_attempts {
            return None;
        }
        let exponent = (attempts - 1).min(31);
        let ceiling = self.base.saturating_mul(1u32 << exponent).min(self.max_delay);
        let jitter_ms = rng.random_range(0..=ceiling.as_millis() as u64);
        let delay = self.min_delay + Duration::from_millis(jitter_ms);
        Some(now + chrono::Duration::from_std(delay).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn now() -> DateTime<Utc> {
        "2026-03-01T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn delays_stay_within_the_growing_window_and_the_cap() {
        let policy = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(7);
        for attempts in 1..policy.max_attempts {
            let ceiling = (policy.base * 2u32.pow(attempts - 1)).min(policy.max_delay);
            for _ in 0..200 {
                let at = policy.next_attempt(attempts, now(), &mut rng).unwrap();
                let delay = (at - now()).to_std().unwrap();
                assert!(delay >= policy.min_delay, "attempt {attempts}: {delay:?}");
                assert!(delay <= policy.min_delay + ceiling, "attempt {attempts}: {delay:?}");
            }
        }
    }

    #[test]
    fn the_jitter_is_spread_across_the_window() {
        let policy = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(1);
        // At the cap the window is two hours; 500 draws should land in every quarter of it.
        let mut quarters = [0; 4];
        for _ in 0..500 {
            let at = policy.next_attempt(7, now(), &mut rng).unwrap();
            let past_floor = (at - now()).to_std().unwrap() - policy.min_delay;
            let quarter = (past_floor.as_secs_f64() / policy.max_delay.as_secs_f64() * 4.0) as usize;
            quarters[quarter.min(3)] += 1;
        }
        assert!(quarters.iter().all(|n| *n > 60), "{quarters:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let policy = RetryPolicy::default();
        let run = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            (1..policy.max_attempts)
                .map(|n| policy.next_attempt(n, now(), &mut rng).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }

    #[test]
    fn gives_up_after_the_last_attempt() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        let mut rng = StdRng::seed_from_u64(3);
        assert!(policy.next_attempt(1, now(), &mut rng).is_some());
        assert!(policy.next_attempt(2, now(), &mut rng).is_some());
        assert_eq!(policy.next_attempt(3, now(), &mut rng), None);
        assert_eq!(policy.next_attempt(0, now(), &mut rng), None);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        let mut rng = StdRng::seed_from_u64(5);
        let at = policy.next_attempt(u32::MAX - 1, now(), &mut rng).unwrap();
        assert!(at - now() <= chrono::Duration::from_std(policy.min_delay + policy.max_delay).unwrap());
    }
}
