//! A tiny stderr logger, on when `RUST_LOG` or `IMSDK_DEVSERVER_LOG` says `debug` (or
//! `trace`). Every frame in and out is logged at debug level.

use std::sync::OnceLock;

static DEBUG: OnceLock<bool> = OnceLock::new();

/// Whether debug lines are written (read from the environment once).
pub(crate) fn debug_enabled() -> bool {
    *DEBUG.get_or_init(|| {
        ["IMSDK_DEVSERVER_LOG", "RUST_LOG"].iter().any(|key| {
            std::env::var(key).is_ok_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("debug") || v.contains("trace")
            })
        })
    })
}

/// Writes one debug line to stderr when debug logging is on.
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::log::debug_enabled() {
            eprintln!("[imsdk-devserver] {}", format_args!($($arg)*));
        }
    };
}
pub(crate) use debug;
