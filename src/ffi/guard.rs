//! The one boundary every exported function goes through: catches panics (→
//! `IM_ERR_PANIC`), turns errors into codes and records the calling thread's last error
//! message (what `im_last_error()` returns).

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{Error, Result};
use crate::log::{self, LogLevel};
use crate::protocol::codes;

thread_local! {
    /// The calling thread's last error text; empty after a successful call.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Runs `body` as the C entry point `name`: Ok → `IM_OK`, Err → its code, panic →
/// `IM_ERR_PANIC`. Every outcome sets the thread's last error ("" on success).
pub(crate) fn guard(name: &'static str, body: impl FnOnce() -> Result<()>) -> i32 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            set_last_error("");
            codes::OK
        }
        Ok(Err(err)) => {
            set_last_error(&format!("{name}: {}", err.message));
            err.code
        }
        Err(payload) => {
            let text = format!("{name}: internal panic: {}", panic_text(&*payload));
            if log::enabled(LogLevel::Error) {
                log::write(LogLevel::Error, &text);
            }
            set_last_error(&text);
            codes::PANIC
        }
    }
}

/// For the few entry points that must leave the last error alone (`im_last_error`,
/// `im_strerror`, `im_version`, `im_abi_version`: a caller may evaluate them in any
/// order): catches a panic, returning `fallback`.
pub(crate) fn guard_quiet<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Records `text` as the calling thread's last error.
pub(crate) fn set_last_error(text: &str) {
    // A NUL inside the text would cut it short in C; show it instead.
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b == 0 { b'?' } else { b })
        .collect();
    let c = CString::new(bytes).unwrap_or_default();
    // During thread teardown the slot may be gone: nothing to record then.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = c);
}

/// The calling thread's last error text; valid until the thread's next SDK call.
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| slot.borrow().as_ptr())
        .unwrap_or(c"".as_ptr())
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// An [`Error`] for a NULL or otherwise unusable pointer argument.
pub(crate) fn null_argument(what: &str) -> Error {
    Error::invalid_argument(format!("{what} is NULL"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn last_error() -> String {
        // SAFETY: the pointer is the thread-local CString, alive until the next set.
        unsafe { CStr::from_ptr(last_error_ptr()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn ok_clears_last_error() {
        set_last_error("old");
        assert_eq!(guard("im_x", || Ok(())), codes::OK);
        assert_eq!(last_error(), "");
    }

    #[test]
    fn error_sets_code_and_named_message() {
        let code = guard("im_x", || Err(Error::invalid_argument("to is empty")));
        assert_eq!(code, codes::INVALID_ARGUMENT);
        assert_eq!(last_error(), "im_x: to is empty");
    }

    #[test]
    fn panic_becomes_panic_code_with_message() {
        let code = guard("im_x", || panic!("boom"));
        assert_eq!(code, codes::PANIC);
        assert_eq!(last_error(), "im_x: internal panic: boom");
        let code = guard("im_y", || panic!("{}", String::from("formatted")));
        assert_eq!(code, codes::PANIC);
        assert!(last_error().ends_with("formatted"));
    }

    #[test]
    fn guard_quiet_keeps_last_error() {
        set_last_error("kept");
        assert_eq!(guard_quiet(0, || 5), 5);
        assert_eq!(guard_quiet(0, || panic!("q")), 0);
        assert_eq!(last_error(), "kept");
    }

    #[test]
    fn last_error_is_per_thread() {
        set_last_error("main thread");
        std::thread::spawn(|| {
            assert_eq!(last_error(), "");
            set_last_error("other");
        })
        .join()
        .unwrap();
        assert_eq!(last_error(), "main thread");
    }

    #[test]
    fn nul_in_message_is_kept_visible() {
        set_last_error("a\0b");
        assert_eq!(last_error(), "a?b");
    }
}
