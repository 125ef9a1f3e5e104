//! The Rust API: [`Client`] joins the engine and the transport on the shared runtime and
//! hands events to the shared callback dispatcher (DESIGN.md §2–3).
//!
//! ```text
//! API call ──lock──▶ Engine ◀──lock── driver task (one per client, on `imsdk-io`)
//!     │ wake ───────────────────────────▶ │  owns the link: connect / read / write / close
//!                                         │  events ───▶ dispatcher thread `imsdk-cb` ──▶ EventHandler
//! ```

mod config;
mod connection;
mod dispatcher;
mod driver;
mod handle;
mod poison;
mod release_guard;
mod runtime;
#[cfg(test)]
pub(crate) mod test_server;

pub use config::{Config, MAX_INBOUND_BYTES, MIN_INBOUND_BYTES};
pub use dispatcher::EventHandler;
pub use handle::Client;
pub(crate) use poison::Poison;

pub use crate::engine::{
    Event, LinkClosedReason, LoginRequest, LossReason, LostMessage, Message, SendRequest, State,
    StateReason, Stats,
};
