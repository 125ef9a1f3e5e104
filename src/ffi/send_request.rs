//! `ImSendRequest`: the C form of [`SendRequest`], its initializer and its translation.

use std::ffi::c_char;

use super::strings::{
    optional_str, required_str, sized_str, write_c_buf, IM_MAX_CONTENT_BYTES, IM_MAX_STRING_BYTES,
};
use super::versioned::{current_size, Versioned};
use crate::engine::SendRequest;
use crate::error::{Error, Result};

/// Size of the buffer `im_send` writes the fingerprint into: fingerprints are at most
/// 64 bytes, plus the NUL.
pub const IM_FP_BUF_LEN: usize = 65;
/// Longest user or group id, in bytes: `im_login`'s `user_id` and `ImSendRequest.to`
/// above it are refused with `IM_ERR_INVALID_ARGUMENT`. A frame from the server whose
/// `from` or `to` is longer is dropped (logged at `IM_LOG_WARN`, not acknowledged), so
/// no callback ever sees a longer id.
pub const IM_MAX_ID_BYTES: usize = 256;
/// `ImSendRequest.content_len` value meaning "content is NUL-terminated". cbindgen cannot
/// spell `usize::MAX`, so the header defines it (as `SIZE_MAX`) in cbindgen.toml.
pub const IM_CONTENT_NUL_TERMINATED: usize = usize::MAX;
/// `ImSendRequest.typeu` value meaning "the dialect's default" (seed 0, mobileimsdk -1).
pub const IM_TYPEU_DEFAULT: i32 = i32::MIN;

/// Longest fingerprint in bytes.
const MAX_FP_BYTES: usize = IM_FP_BUF_LEN - 1;

/// One message to send. Fill with `im_send_request_init` (QoS on, dialect's `typeu`,
/// generated fingerprint, NUL-terminated content), then set `to` and `content`. Strings
/// are borrowed only during `im_send`. The sender is always the logged-in user.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ImSendRequest {
    /// `sizeof(ImSendRequest)`; set by `im_send_request_init`.
    pub struct_size: u32,
    /// Receiver: a user id, `"0"` for the server, or (seed, `typeu` 1) a group id.
    /// Required, non-empty, at most `IM_MAX_ID_BYTES` bytes.
    pub to: *const c_char,
    /// Content, UTF-8, written verbatim (NULL allowed when `content_len` is 0).
    pub content: *const c_char,
    /// Bytes in `content`, or `IM_CONTENT_NUL_TERMINATED` (the default) when `content`
    /// is NUL-terminated. At most `IM_MAX_CONTENT_BYTES`.
    pub content_len: usize,
    /// Nonzero (default 1): QoS: exactly one of `on_message_acked` or
    /// `on_messages_lost` follows. 0: fire and forget (refused with `IM_ERR_LINK_DOWN`
    /// while not online).
    pub qos: i32,
    /// Application message type, or `IM_TYPEU_DEFAULT` (the default) for the dialect's
    /// (seed: 0 one-to-one, 1 group; mobileimsdk: -1, passed through untouched).
    pub typeu: i32,
    /// Fingerprint to use (at most 64 bytes, not pending), or NULL (default) to have a
    /// UUID generated for QoS messages.
    pub fp: *const c_char,
}

// SAFETY: repr(C), starts with `struct_size: u32`; integers and raw pointers only.
unsafe impl Versioned for ImSendRequest {
    const NAME: &'static str = "ImSendRequest";
    const SIZES: &'static [usize] = &[std::mem::size_of::<ImSendRequest>()];
}

impl ImSendRequest {
    /// The values `im_send_request_init` writes.
    pub(crate) fn defaults() -> ImSendRequest {
        ImSendRequest {
            struct_size: current_size::<ImSendRequest>(),
            to: std::ptr::null(),
            content: std::ptr::null(),
            content_len: IM_CONTENT_NUL_TERMINATED,
            qos: 1,
            typeu: IM_TYPEU_DEFAULT,
            fp: std::ptr::null(),
        }
    }

    /// The Rust request.
    ///
    /// # Safety
    /// Pointer fields are NULL or valid for what the fields' docs say.
    pub(crate) unsafe fn to_request(self) -> Result<SendRequest> {
        let to = required_str(self.to, "to", IM_MAX_ID_BYTES)?;
        let content = if self.content_len == IM_CONTENT_NUL_TERMINATED {
            required_str(self.content, "content", IM_MAX_CONTENT_BYTES)?
        } else {
            sized_str(
                self.content,
                self.content_len,
                "content",
                IM_MAX_CONTENT_BYTES,
            )?
        };
        let fp = optional_str(self.fp, "fp", IM_MAX_STRING_BYTES)?;
        if let Some(fp) = fp {
            // The fingerprint must fit the caller's IM_FP_BUF_LEN buffer.
            if fp.len() > MAX_FP_BYTES {
                return Err(Error::invalid_argument(format!(
                    "fp is {} bytes, more than {MAX_FP_BYTES}",
                    fp.len()
                )));
            }
        }
        Ok(SendRequest {
            to: to.to_owned(),
            content: content.to_owned(),
            qos: self.qos != 0,
            typeu: (self.typeu != IM_TYPEU_DEFAULT).then_some(self.typeu),
            fp: fp.map(str::to_owned),
        })
    }
}

/// `im_send`'s fingerprint output. It is written only after the request has been read
/// (copied), because `fp_out` may be the very buffer `request->fp` points to; a call that
/// fails, by error or by panic, leaves `""` there.
pub(crate) struct FpOut {
    dst: *mut c_char,
    written: bool,
}

impl FpOut {
    /// # Safety
    /// `dst` is NULL or valid for writing `IM_FP_BUF_LEN` bytes until the value is gone.
    pub(crate) unsafe fn new(dst: *mut c_char) -> FpOut {
        FpOut {
            dst,
            written: false,
        }
    }

    pub(crate) fn set(mut self, fp: &str) {
        // SAFETY: the contract of `new`.
        unsafe { write_c_buf(self.dst, IM_FP_BUF_LEN, fp) };
        self.written = true;
    }
}

impl Drop for FpOut {
    fn drop(&mut self) {
        if !self.written {
            // SAFETY: the contract of `new`.
            unsafe { write_c_buf(self.dst, IM_FP_BUF_LEN, "") };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    #[test]
    fn defaults_mean_qos_dialect_typeu_generated_fp() {
        let mut r = ImSendRequest::defaults();
        r.to = c"bob".as_ptr();
        r.content = c"hi".as_ptr();
        let req = unsafe { r.to_request() }.unwrap();
        assert_eq!(req, SendRequest::new("bob", "hi"));
    }

    #[test]
    fn explicit_fields_are_carried_over() {
        let content = b"x\0y";
        let mut r = ImSendRequest::defaults();
        r.to = c"g1".as_ptr();
        r.content = content.as_ptr().cast();
        r.content_len = 3;
        r.qos = 0;
        r.typeu = 1;
        r.fp = c"my-fp".as_ptr();
        let req = unsafe { r.to_request() }.unwrap();
        assert_eq!(
            req,
            SendRequest {
                to: "g1".into(),
                content: "x\0y".into(),
                qos: false,
                typeu: Some(1),
                fp: Some("my-fp".into()),
            }
        );
    }

    #[test]
    fn id_cap_is_the_protocols() {
        assert_eq!(IM_MAX_ID_BYTES, crate::protocol::MAX_ID_BYTES);
    }

    #[test]
    fn a_receiver_over_the_id_cap_is_refused_by_name() {
        let long_to = "b".repeat(IM_MAX_ID_BYTES + 1) + "\0";
        let mut r = ImSendRequest::defaults();
        r.content = c"hi".as_ptr();
        r.to = long_to.as_ptr().cast();
        let e = unsafe { r.to_request() }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert!(
            e.message.starts_with("to is longer than 256"),
            "{}",
            e.message
        );
        r.to = long_to[1..].as_ptr().cast();
        assert!(unsafe { r.to_request() }.is_ok());
    }

    #[test]
    fn bad_fields_are_refused_by_name() {
        let mut r = ImSendRequest::defaults();
        r.content = c"hi".as_ptr();
        let e = unsafe { r.to_request() }.unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (codes::INVALID_ARGUMENT, "to is NULL")
        );
        r.to = c"bob".as_ptr();
        r.content = std::ptr::null();
        assert_eq!(
            unsafe { r.to_request() }.unwrap_err().message,
            "content is NULL"
        );
        r.content = c"hi".as_ptr();
        let long_fp = "f".repeat(65) + "\0";
        r.fp = long_fp.as_ptr().cast();
        assert!(unsafe { r.to_request() }
            .unwrap_err()
            .message
            .contains("more than 64"));
        r.fp = std::ptr::null();
        r.content_len = IM_MAX_CONTENT_BYTES + 1;
        assert!(unsafe { r.to_request() }
            .unwrap_err()
            .message
            .contains("content is"));
    }
}
