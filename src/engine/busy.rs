//! The busy window opened by a seed 302 (R57): new sends are refused with 302 and the QoS
//! tick only expires entries until it closes. Reset per link (R53).

use std::time::{Duration, Instant};

#[derive(Debug)]
pub(super) struct BusyWindow {
    base: Duration,
    max: Duration,
    /// Length of the current (or last) window; doubles on each 302 inside it.
    length: Duration,
    until: Option<Instant>,
}

impl BusyWindow {
    pub(super) fn new(base: Duration, max: Duration) -> BusyWindow {
        BusyWindow {
            base,
            max,
            length: base,
            until: None,
        }
    }

    pub(super) fn is_busy(&self, now: Instant) -> bool {
        self.until.is_some_and(|until| now < until)
    }

    /// A 302 arrived: open a window of `base`, or double it (up to `max`) when one is open.
    /// Returns the window's length.
    pub(super) fn on_busy(&mut self, now: Instant) -> Duration {
        self.length = if self.is_busy(now) {
            (self.length * 2).min(self.max)
        } else {
            self.base
        };
        self.until = Some(now + self.length);
        self.length
    }

    pub(super) fn reset(&mut self) {
        self.length = self.base;
        self.until = None;
    }
}
