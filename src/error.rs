//! The error value every layer returns: a stable numeric code (PROTOCOL.md §9, the C
//! constants `IM_*`) and a readable message (what `im_last_error()` shows).

use crate::protocol::codes;

/// An error with its code (see [`crate::protocol::codes`]) and a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (code {code})")]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    pub fn new(code: i32, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    /// 1000: bad argument or configuration.
    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(codes::INVALID_ARGUMENT, message)
    }
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
