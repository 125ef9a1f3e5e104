//! Keepalive and liveness of an ONLINE link (R14–R16): when the next type 1 is due, when
//! the link counts as dead, and the round trip of the last answered keepalive.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub(super) struct Keepalive {
    interval: Duration,
    timeout: Duration,
    /// When the next type 1 is written.
    next_send: Instant,
    /// Last valid envelope + `keepalive_timeout` (R15, R16).
    liveness_deadline: Instant,
    /// When the last unanswered keepalive was written.
    awaiting_since: Option<Instant>,
}

impl Keepalive {
    /// R14/R15: started by `50 code 0` at `now`.
    pub(super) fn start(interval: Duration, timeout: Duration, now: Instant) -> Keepalive {
        Keepalive {
            interval,
            timeout,
            next_send: now + interval,
            liveness_deadline: now + timeout,
            awaiting_since: None,
        }
    }

    /// When the next type 1 is due.
    pub(super) fn next_send(&self) -> Instant {
        self.next_send
    }

    pub(super) fn next_deadline(&self) -> Instant {
        self.next_send.min(self.liveness_deadline)
    }

    /// R15: any valid inbound envelope keeps the link alive.
    pub(super) fn on_valid_envelope(&mut self, now: Instant) {
        self.liveness_deadline = now + self.timeout;
    }

    pub(super) fn is_dead(&self, now: Instant) -> bool {
        now >= self.liveness_deadline
    }

    /// Whether a keepalive is due; if so, schedules the next one.
    pub(super) fn take_due_send(&mut self, now: Instant) -> bool {
        if now < self.next_send {
            return false;
        }
        // Missed periods are not caught up: one keepalive, then the regular rhythm.
        while self.next_send <= now {
            self.next_send += self.interval;
        }
        if self.awaiting_since.is_none() {
            self.awaiting_since = Some(now);
        }
        true
    }

    /// A 51 arrived: the round trip of the oldest unanswered keepalive, if any.
    pub(super) fn on_response(&mut self, now: Instant) -> Option<Duration> {
        self.awaiting_since
            .take()
            .map(|sent| now.saturating_duration_since(sent))
    }
}
