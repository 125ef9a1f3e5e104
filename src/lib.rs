//! imsdk: an instant-messaging client core with a C ABI.
//!
//! Layers, each depending only on those below it (docs/architecture.md):
//! [`protocol`] (wire format, pure) → [`engine`] (sans-IO state machine) → [`client`]
//! (runtime, transport, callbacks) → `ffi` (C ABI). [`transport`] is the WebSocket.
//!
//! ```no_run
//! use imsdk::client::{Client, Config, Event, LoginRequest, SendRequest};
//! use imsdk::protocol::Dialect;
//!
//! # fn main() -> imsdk::Result<()> {
//! let config = Config::new("ws://127.0.0.1:3000/websocket", Dialect::MobileImSdk);
//! let client = Client::new(config, |event: &Event| println!("{event:?}"))?;
//! client.login(LoginRequest {
//!     user_id: "alice".into(),
//!     token: "t".into(),
//!     ..Default::default()
//! })?;
//! let _fp = client.send(SendRequest::new("bob", "hello"))?; // then MessageAcked or MessagesLost
//! client.logout()?;
//! client.release(); // Released was the last event
//! # Ok(())
//! # }
//! ```

pub mod client;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod log;
pub mod protocol;
pub mod transport;

pub use error::{Error, Result};
