//! The server's wall clock in milliseconds since the Unix epoch: `firstLoginTime`
//! (mobileimsdk) and `sendTs` (seed).

use std::time::{SystemTime, UNIX_EPOCH};

use imsdk::protocol::Dialect;

use crate::registry::Router;

/// Now, in ms since the epoch (at least 1, so it always reads as a time, never as none).
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Router {
    /// The server time written on the data frames it forwards, stores or pushes: seed
    /// stamps `sendTs` with its clock in ms (PROTOCOL.md §6.2); mobileimsdk writes `sm` -1,
    /// as upstream does unless timestamps are enabled (§6.1).
    pub(crate) fn server_time_ms(&self) -> i64 {
        match self.dialect() {
            Dialect::Seed => now_ms(),
            Dialect::MobileImSdk => -1,
        }
    }
}
