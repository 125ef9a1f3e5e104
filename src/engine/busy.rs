//! The busy window opened by a seed 302 (R57): new sends are refused with 302 and the QoS
//! tick only expires entries until it closes. Reset per link (R53).
//!
//! A server that is over its rate answers every data frame it gets with a 302, so one
//! overload brings a burst of them: all the frames that were in flight before the first
//! 302 arrived. Nothing new is written while a window is open, so every 302 arriving in
//! it belongs to the burst that opened it and leaves the window alone. The window grows
//! only when the server is still busy once sending resumes: a 302 less than one window
//! length after the previous window closed opens one twice as long (up to `max`); later
//! than that, the server had recovered and the window starts again at `base`.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub(super) struct BusyWindow {
    base: Duration,
    max: Duration,
    /// The current or last window: when it closes and how long it is.
    last: Option<Window>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    until: Instant,
    length: Duration,
}

impl BusyWindow {
    pub(super) fn new(base: Duration, max: Duration) -> BusyWindow {
        BusyWindow {
            base,
            max,
            last: None,
        }
    }

    pub(super) fn is_busy(&self, now: Instant) -> bool {
        self.last.is_some_and(|w| now < w.until)
    }

    /// A 302 arrived. Inside an open window it is part of the same burst: nothing changes.
    /// Otherwise a window opens: twice the last one (up to `max`) if that closed less than
    /// its own length ago, else `base`. Returns how long sends stay refused from `now`.
    pub(super) fn on_busy(&mut self, now: Instant) -> Duration {
        let length = match self.last {
            Some(w) if now < w.until => return w.until - now,
            Some(w) if now < w.until + w.length => (w.length * 2).min(self.max),
            _ => self.base,
        };
        self.last = Some(Window {
            until: now + length,
            length,
        });
        length
    }

    pub(super) fn reset(&mut self) {
        self.last = None;
    }
}
