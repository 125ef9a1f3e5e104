//! The Rust API this layer wraps (one place to see what `src/ffi/` depends on).

pub(crate) use crate::client::{Client, Poison};
