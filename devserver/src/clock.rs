//! The server's wall clock in milliseconds since the Unix epoch: `firstLoginTime`
//! (mobileimsdk) and `sendTs` (seed).

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in ms since the epoch (at least 1, so it always reads as a time, never as none).
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
