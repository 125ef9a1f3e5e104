//! `im_set_log_callback`: the process-wide log sink for C.

#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::codes::{
    IM_LOG_DEBUG, IM_LOG_ERROR, IM_LOG_INFO, IM_LOG_OFF, IM_LOG_TRACE, IM_LOG_WARN,
};
use super::guard::guard;
use super::strings::CText;
use crate::error::Error;
use crate::log::{self, LogLevel};

/// A log callback: `level` (`IM_LOG_*`) and one line of text (borrowed for the call).
pub type ImLogCallback =
    Option<extern "C" fn(user_data: *mut c_void, level: i32, message: *const c_char)>;

/// The C sink and its user data.
struct CSink {
    callback: extern "C" fn(*mut c_void, i32, *const c_char),
    user_data: *mut c_void,
}

// SAFETY: the header tells C callers that the log callback runs on any SDK thread, so
// `user_data` must be usable from any thread; the SDK never dereferences it.
unsafe impl Send for CSink {}
unsafe impl Sync for CSink {}

impl CSink {
    fn call(&self, level: LogLevel, text: &str) {
        let text = CText::new(text);
        (self.callback)(self.user_data, level as i32, text.as_ptr());
    }
}

/// Installs the process-wide log callback, or removes it with NULL. Records more verbose
/// than `max_level` (`IM_LOG_OFF`..`IM_LOG_TRACE`) are dropped before being formatted:
/// with `IM_LOG_OFF` or a quiet level, logging costs nothing measurable. What each level
/// shows is listed at `IM_LOG_ERROR`..`IM_LOG_TRACE`; a client's records start with
/// `client <n>: ` (the TLS line names the server instead). Texts never contain tokens,
/// login `extra` data or message contents (these appear as sizes only).
///
/// The callback may run on any thread (SDK threads included) and concurrently; never
/// while the SDK holds a lock; never with tokens or credentials in the text. It must not
/// call any `im_*` function and must return quickly. A record already being delivered
/// when the callback is replaced may still reach the previous callback.
///
/// Returns `IM_OK` or `IM_ERR_INVALID_ARGUMENT` (`max_level` out of range). Thread: any.
#[no_mangle]
pub extern "C" fn im_set_log_callback(
    callback: ImLogCallback,
    user_data: *mut c_void,
    max_level: i32,
) -> i32 {
    guard("im_set_log_callback", || {
        let level = match max_level {
            IM_LOG_OFF => None,
            IM_LOG_ERROR => Some(LogLevel::Error),
            IM_LOG_WARN => Some(LogLevel::Warn),
            IM_LOG_INFO => Some(LogLevel::Info),
            IM_LOG_DEBUG => Some(LogLevel::Debug),
            IM_LOG_TRACE => Some(LogLevel::Trace),
            other => {
                return Err(Error::invalid_argument(format!(
                    "max_level {other} is not IM_LOG_OFF..IM_LOG_TRACE (0..5)"
                )))
            }
        };
        match (callback, level) {
            (Some(callback), Some(level)) => {
                let sink = CSink {
                    callback,
                    user_data,
                };
                log::set_sink(
                    Some(Arc::new(move |level: LogLevel, text: &str| {
                        sink.call(level, text)
                    })),
                    level,
                );
            }
            _ => log::set_sink(None, LogLevel::Error),
        }
        Ok(())
    })
}
