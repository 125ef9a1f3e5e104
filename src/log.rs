//! The process-wide log sink (the C `im_set_log_callback`). The SDK never calls it while
//! holding a lock and never passes tokens, login payloads or message contents in the text.
//!
//! What each level shows (the header's `IM_LOG_*` say the same to C users):
//! - ERROR: what needs fixing: an internal panic, a TLS handshake or certificate failure.
//! - WARN: a failed or refused login, a kick, server errors (301/302/303), resends, lost
//!   messages, invalid frames dropped.
//! - INFO: connects (the URL without user info or query), TLS parameters, state changes
//!   with their reason (connected, login written, logged in, link lost, re-login attempt
//!   and delay, logout, release).
//! - DEBUG: every frame in and out, one line each: direction, type, fp, from, to, QoS,
//!   size; login payloads, message contents, echo texts and server texts only as sizes.
//! - TRACE: also each message dispatched, each ACK settled, each echo answered.
//!
//! Records are formatted only when their level is enabled: callers check [`enabled`]
//! first (one atomic load), so logging costs nothing measurable when it is off.

use std::fmt;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

/// Severity, most severe first. The numbers are the C ABI's `IM_LOG_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum LogLevel {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

/// A log sink: level and one line of text.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

static SINK: RwLock<Option<LogSink>> = RwLock::new(None);
static MAX_LEVEL: AtomicI32 = AtomicI32::new(0);

/// Installs (or with `None` removes) the sink; records above `max_level` are dropped.
pub fn set_sink(sink: Option<LogSink>, max_level: LogLevel) {
    let enabled = sink.is_some();
    *SINK.write() = sink;
    MAX_LEVEL.store(
        if enabled { max_level as i32 } else { 0 },
        Ordering::Release,
    );
}

/// Whether a record at `level` would reach the sink (cheap; check before formatting).
pub fn enabled(level: LogLevel) -> bool {
    #[cfg(test)]
    if let Some(max) = thread_override::get() {
        return (level as i32) <= max;
    }
    (level as i32) <= MAX_LEVEL.load(Ordering::Acquire)
}

/// Hands one record to the sink. Must not be called while the SDK holds a lock.
pub fn write(level: LogLevel, message: &str) {
    if !enabled(level) {
        return;
    }
    // Clone the Arc so the sink runs without the registry lock held.
    let sink = SINK.read().clone();
    if let Some(sink) = sink {
        sink(level, message);
    }
}

/// [`write`] for a record built with `format_args!`: formatted only when `level` is
/// enabled. Must not be called while the SDK holds a lock.
pub fn write_args(level: LogLevel, args: fmt::Arguments<'_>) {
    if enabled(level) {
        write(level, &args.to_string());
    }
}

/// Unit tests of the sans-IO engine run on one thread each and read its log records from
/// the engine's actions: this lets such a test choose the level for its own thread without
/// touching the process-wide sink that other tests share.
#[cfg(test)]
pub(crate) mod thread_override {
    use std::cell::Cell;

    use super::LogLevel;

    thread_local! {
        static MAX: Cell<Option<i32>> = const { Cell::new(None) };
    }

    /// From now on this thread's [`super::enabled`] lets records up to `max` through
    /// (`None`: none at all, as with no sink), whatever the process-wide sink says.
    pub(crate) fn set(max: Option<LogLevel>) {
        MAX.with(|m| m.set(Some(max.map_or(0, |l| l as i32))));
    }

    pub(super) fn get() -> Option<i32> {
        MAX.with(|m| m.get())
    }
}
