//! The C ABI (`include/imsdk.h`, generated from this module by build.rs): a thin,
//! mechanical translation of the Rust API ([`crate::client`]). No protocol logic here.
//!
//! Every exported function goes through [`guard`](guard::guard) (panics → `IM_ERR_PANIC`,
//! errors → codes plus the thread's `im_last_error()`); client handles are registry keys
//! ([`registry`]), never pointers; caller structs are read and written only within their
//! `struct_size` ([`versioned`]).

mod backend;
mod callbacks;
mod client_api;
mod codes;
mod guard;
mod handles;
mod log_api;
mod options;
mod registry;
mod send_request;
mod stats;
mod strings;
mod version;
mod versioned;

pub use callbacks::{ImCallbacks, ImLostMessage, ImMessage};
pub use client_api::*;
pub use codes::*;
pub use handles::ImClient;
pub use log_api::{im_set_log_callback, ImLogCallback};
pub use options::{ImOptions, IM_MAX_TLS_PINS};
pub use send_request::{
    ImSendRequest, IM_CONTENT_NUL_TERMINATED, IM_FP_BUF_LEN, IM_MAX_ID_BYTES, IM_TYPEU_DEFAULT,
};
pub use stats::ImStats;
pub use strings::{IM_MAX_CONTENT_BYTES, IM_MAX_STRING_BYTES};
pub use version::{im_abi_version, im_version};

use std::ffi::c_char;

/// The calling thread's last error message: which argument or option was wrong and why,
/// or `""` after a successful call. Never NULL. Valid until this thread's next `im_*`
/// call (except `im_last_error`, `im_strerror`, `im_version`, `im_abi_version`, which
/// leave it alone); copy it to keep it. Thread: any (each thread has its own).
#[no_mangle]
pub extern "C" fn im_last_error() -> *const c_char {
    guard::guard_quiet(c"".as_ptr(), guard::last_error_ptr)
}
