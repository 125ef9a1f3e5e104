//! A counter that event handlers bump and a driving thread waits on. Bumping costs an
//! atomic add (plus one wake-up when the count reaches what a waiter waits for), so the
//! bench's own callbacks add next to nothing to the figures they measure.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct Gate {
    count: AtomicU64,
    /// The count a waiter waits for (`u64::MAX`: nobody waits).
    wanted: AtomicU64,
    lock: Mutex<()>,
    cond: Condvar,
    /// When the last bump happened (for send→ack times taken in the callback).
    last: Mutex<Option<Instant>>,
    /// When `count` reached `target`.
    target: AtomicU64,
    reached: Mutex<Option<Instant>>,
}

impl Gate {
    pub fn new() -> Gate {
        Gate {
            count: AtomicU64::new(0),
            wanted: AtomicU64::new(u64::MAX),
            lock: Mutex::new(()),
            cond: Condvar::new(),
            last: Mutex::new(None),
            target: AtomicU64::new(u64::MAX),
            reached: Mutex::new(None),
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(SeqCst)
    }

    /// Records the time `count` reaches `target` (see [`Gate::reached_at`]).
    pub fn set_target(&self, target: u64) {
        self.target.store(target, SeqCst);
    }

    pub fn reached_at(&self) -> Option<Instant> {
        *self.reached.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn last_at(&self) -> Option<Instant> {
        *self.last.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One more event; `stamp` also records its time.
    pub fn bump(&self, stamp: bool) {
        if stamp {
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        }
        let now = self.count.fetch_add(1, SeqCst) + 1;
        if now == self.target.load(SeqCst) {
            *self.reached.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        }
        // One wake-up per wait: waking the waiter for every bump would cost a system call
        // per event until it has run.
        let wanted = self.wanted.load(SeqCst);
        if now >= wanted
            && self
                .wanted
                .compare_exchange(wanted, u64::MAX, SeqCst, SeqCst)
                .is_ok()
        {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.cond.notify_all();
        }
    }

    /// Waits until `count >= at_least`; false on timeout.
    pub fn wait_for(&self, at_least: u64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.count() < at_least {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.wanted.store(at_least, SeqCst);
            if self.count() < at_least {
                let slice = (deadline - now).min(Duration::from_millis(50));
                let _unused = self.cond.wait_timeout(guard, slice);
            }
            self.wanted.store(u64::MAX, SeqCst);
        }
        true
    }
}
