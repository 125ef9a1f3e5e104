//! The process-wide log sink (the C `im_set_log_callback`). The SDK never calls it while
//! holding a lock and never passes tokens or credentials in the text.

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
