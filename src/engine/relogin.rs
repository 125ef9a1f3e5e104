//! Auto re-login backoff (R20, R24, R25): the attempt counter and the jittered delay of
//! attempt *k*.

use std::time::Duration;

use super::rng::Rng;

/// The attempt counter of a session and the delay policy.
#[derive(Debug)]
pub(super) struct Backoff {
    base_ms: u64,
    max_ms: u64,
    /// Attempts started since the last reset (R24); the next one is `attempt + 1`.
    attempt: u32,
}

impl Backoff {
    pub(super) fn new(base_ms: u64, max_ms: u64) -> Backoff {
        Backoff {
            base_ms,
            max_ms,
            attempt: 0,
        }
    }

    /// The number of the attempt that is scheduled or running (0 before the first one).
    pub(super) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// R24: session start, or a link stayed ONLINE for `stable_after`.
    pub(super) fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Counts the next attempt and draws its delay (R20): *k* = 1 uniform [0, 1 s];
    /// *k* ≥ 2 uniform [d/2, d] with d = min(max, base × 2^(k−2)).
    pub(super) fn next_attempt(&mut self, rng: &mut Rng) -> (u32, Duration) {
        self.attempt = self.attempt.saturating_add(1);
        let ms = self.draw_delay_ms(self.attempt, rng);
        (self.attempt, Duration::from_millis(ms))
    }

    /// R58: "network available" starts attempt 1 at once.
    pub(super) fn immediate_first_attempt(&mut self) -> u32 {
        self.attempt = 1;
        self.attempt
    }

    fn draw_delay_ms(&self, k: u32, rng: &mut Rng) -> u64 {
        if k <= 1 {
            return rng.range_inclusive(0, 1_000);
        }
        let shift = (k - 2).min(40);
        let d = self.base_ms.saturating_mul(1u64 << shift).min(self.max_ms);
        rng.range_inclusive(d / 2, d)
    }
}
