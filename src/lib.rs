//! imsdk: an instant-messaging client core with a C ABI.
//!
//! Layers, each depending only on those below it (docs/architecture.md):
//! [`protocol`] (wire format, pure) → [`engine`] (sans-IO state machine) → [`client`]
//! (runtime, transport, callbacks) → `ffi` (C ABI). [`transport`] is the WebSocket.

pub mod client;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod log;
pub mod protocol;
pub mod transport;

pub use error::{Error, Result};
