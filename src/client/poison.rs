//! The one "an internal panic happened" mark of a client (DESIGN.md §3.6). The API
//! calls, the driver task and the C layer (its entry points and its callback handler)
//! all set and read this same mark, so a panic caught anywhere makes every later call
//! refuse with 1005, and the driver closes the link at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use once_cell::sync::OnceCell;

use super::driver::Shared;

/// Shared handle to a client's poison mark. Cheap to clone; every clone is the same mark.
#[derive(Clone, Default)]
pub struct Poison(Arc<PoisonState>);

#[derive(Default)]
struct PoisonState {
    marked: AtomicBool,
    /// The client whose driver must wake up to close its link; set once the client is
    /// built (the C layer creates the mark before the client).
    client: OnceCell<Weak<Shared>>,
}

impl Poison {
    /// Marks the client unusable and wakes its driver, which stops and closes the link.
    /// Never logs and never panics, so it is safe while unwinding.
    pub fn mark(&self) {
        self.0.marked.store(true, Ordering::SeqCst);
        if let Some(shared) = self.0.client.get().and_then(Weak::upgrade) {
            shared.wake.notify_one();
        }
    }

    /// Whether a panic was caught for this client.
    pub fn is_marked(&self) -> bool {
        self.0.marked.load(Ordering::SeqCst)
    }

    /// Ties the mark to the client whose driver [`Poison::mark`] wakes.
    pub(super) fn attach(&self, shared: &Arc<Shared>) {
        let _ = self.0.client.set(Arc::downgrade(shared));
    }
}
