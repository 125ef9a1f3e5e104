//! Fault switches a test flips at runtime to make the server misbehave on purpose.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

/// `refuse_logins` stores this when logins are not refused.
const NO_REFUSAL: i64 = i64::MIN;

/// The current fault settings; every field is read on each use, so changes apply at once.
#[derive(Debug)]
pub(crate) struct Faults {
    drop_acks: AtomicBool,
    ack_delay_ms: AtomicU64,
    drop_forwards: AtomicBool,
    duplicate_forwards: AtomicBool,
    refuse_logins: AtomicI64,
    answer_keepalives: AtomicBool,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            drop_acks: AtomicBool::new(false),
            ack_delay_ms: AtomicU64::new(0),
            drop_forwards: AtomicBool::new(false),
            duplicate_forwards: AtomicBool::new(false),
            refuse_logins: AtomicI64::new(NO_REFUSAL),
            answer_keepalives: AtomicBool::new(true),
        }
    }
}

impl Faults {
    pub fn set_drop_acks(&self, on: bool) {
        self.drop_acks.store(on, Ordering::SeqCst);
    }
    pub fn drop_acks(&self) -> bool {
        self.drop_acks.load(Ordering::SeqCst)
    }
    pub fn set_ack_delay_ms(&self, ms: u64) {
        self.ack_delay_ms.store(ms, Ordering::SeqCst);
    }
    pub fn ack_delay_ms(&self) -> u64 {
        self.ack_delay_ms.load(Ordering::SeqCst)
    }
    pub fn set_drop_forwards(&self, on: bool) {
        self.drop_forwards.store(on, Ordering::SeqCst);
    }
    pub fn drop_forwards(&self) -> bool {
        self.drop_forwards.load(Ordering::SeqCst)
    }
    pub fn set_duplicate_forwards(&self, on: bool) {
        self.duplicate_forwards.store(on, Ordering::SeqCst);
    }
    pub fn duplicate_forwards(&self) -> bool {
        self.duplicate_forwards.load(Ordering::SeqCst)
    }
    pub fn set_refuse_logins(&self, code: Option<i32>) {
        let stored = code.map_or(NO_REFUSAL, i64::from);
        self.refuse_logins.store(stored, Ordering::SeqCst);
    }
    pub fn refuse_logins(&self) -> Option<i32> {
        let stored = self.refuse_logins.load(Ordering::SeqCst);
        i32::try_from(stored).ok()
    }
    pub fn set_answer_keepalives(&self, on: bool) {
        self.answer_keepalives.store(on, Ordering::SeqCst);
    }
    pub fn answer_keepalives(&self) -> bool {
        self.answer_keepalives.load(Ordering::SeqCst)
    }
}
