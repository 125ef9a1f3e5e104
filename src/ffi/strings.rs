//! Strings across the boundary: borrowed, bounded, UTF-8-checked input strings, the
//! caller's output buffer, and the NUL-terminated copies handed to callbacks.

use std::ffi::c_char;

use crate::error::{Error, Result};

/// Longest NUL-terminated input string, in bytes without the NUL (token, app, extra,
/// URL, fp, echo text, subprotocol, TLS pins; user ids and `to` stop at
/// `IM_MAX_ID_BYTES`).
pub const IM_MAX_STRING_BYTES: usize = 65536;
/// Longest message content and `tls_extra_ca_pem`, in bytes. (A message is further
/// limited by `max_frame_bytes` once encoded: `IM_ERR_INVALID_PACKET`.)
pub const IM_MAX_CONTENT_BYTES: usize = 1048576;

/// Length of the NUL-terminated string at `ptr` if a NUL occurs within `cap` bytes.
/// Reads at most `cap + 1` bytes, so an unterminated buffer is not scanned forever.
///
/// # Safety
/// `ptr` is non-NULL and readable up to its NUL or `cap + 1` bytes.
unsafe fn bounded_strlen(ptr: *const c_char, cap: usize) -> Option<usize> {
    (0..=cap).find(|&i| *ptr.add(i) == 0)
}

/// A required, borrowed, NUL-terminated UTF-8 input string of at most `cap` bytes.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string (or at least `cap + 1` readable
/// bytes) that outlives `'a`.
pub(crate) unsafe fn required_str<'a>(
    ptr: *const c_char,
    what: &str,
    cap: usize,
) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{what} is NULL")));
    }
    let len = bounded_strlen(ptr, cap).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{what} is longer than {cap} bytes (or not NUL-terminated)"
        ))
    })?;
    utf8(std::slice::from_raw_parts(ptr.cast::<u8>(), len), what)
}

/// Like [`required_str`], but NULL gives `None`.
///
/// # Safety
/// As [`required_str`].
pub(crate) unsafe fn optional_str<'a>(
    ptr: *const c_char,
    what: &str,
    cap: usize,
) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    required_str(ptr, what, cap).map(Some)
}

/// A borrowed UTF-8 string of exactly `len` bytes (NULs allowed), at most `cap` bytes.
///
/// # Safety
/// `ptr` is NULL or readable for `len` bytes that outlive `'a`.
pub(crate) unsafe fn sized_str<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
    cap: usize,
) -> Result<&'a str> {
    if len > cap {
        return Err(Error::invalid_argument(format!(
            "{what} is {len} bytes, more than {cap}"
        )));
    }
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{what} is NULL")));
    }
    utf8(std::slice::from_raw_parts(ptr.cast::<u8>(), len), what)
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid_argument(format!(
            "{what} is not valid UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// Writes `text` and a NUL into the caller's buffer of `cap` bytes (text cut to fit).
///
/// # Safety
/// `dst` is NULL (nothing written) or writable for `cap` bytes.
pub(crate) unsafe fn write_c_buf(dst: *mut c_char, cap: usize, text: &str) {
    if dst.is_null() || cap == 0 {
        return;
    }
    let n = text.len().min(cap - 1);
    std::ptr::copy_nonoverlapping(text.as_ptr(), dst.cast::<u8>(), n);
    *dst.add(n) = 0;
}

/// An owned NUL-terminated copy of a string, lent to a callback. A NUL inside the text
/// ends it early for C readers; lengths passed alongside cover the whole text.
pub(crate) struct CText(Vec<u8>);

impl CText {
    pub(crate) fn new(text: &str) -> CText {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
        CText(bytes)
    }

    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.0.as_ptr().cast()
    }

    /// Length without the terminating NUL.
    pub(crate) fn len(&self) -> usize {
        self.0.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    #[test]
    fn required_str_reads_valid_utf8() {
        let s = c"h\u{e9}llo";
        assert_eq!(
            unsafe { required_str(s.as_ptr(), "x", 100) }.unwrap(),
            "h\u{e9}llo"
        );
    }

    #[test]
    fn required_str_rejects_null_bad_utf8_and_overlong() {
        let e = unsafe { required_str(std::ptr::null(), "user_id", 10) }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert_eq!(e.message, "user_id is NULL");

        let bad = [b'a', 0xff, b'b', 0];
        let e = unsafe { required_str(bad.as_ptr().cast(), "to", 10) }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
        assert!(e.message.contains("offset 1"), "{}", e.message);

        let long = c"0123456789A";
        let e = unsafe { required_str(long.as_ptr(), "token", 10) }.unwrap_err();
        assert!(e.message.contains("longer than 10 bytes"), "{}", e.message);
        // Exactly at the cap is fine.
        assert!(unsafe { required_str(c"0123456789".as_ptr(), "t", 10) }.is_ok());
    }

    #[test]
    fn unterminated_buffer_is_scanned_only_to_cap_plus_one() {
        // No NUL in 4 bytes; cap 3 reads exactly these 4 bytes (Miri checks the bound).
        let buf = *b"abcd";
        let e = unsafe { required_str(buf.as_ptr().cast(), "x", 3) }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
    }

    #[test]
    fn optional_str_maps_null_to_none() {
        assert_eq!(
            unsafe { optional_str(std::ptr::null(), "app", 10) }.unwrap(),
            None
        );
        assert_eq!(
            unsafe { optional_str(c"a".as_ptr(), "app", 10) }.unwrap(),
            Some("a")
        );
    }

    #[test]
    fn sized_str_allows_nul_and_checks_len_and_utf8() {
        let bytes = b"a\0b";
        assert_eq!(
            unsafe { sized_str(bytes.as_ptr().cast(), 3, "c", 10) }.unwrap(),
            "a\0b"
        );
        assert_eq!(
            unsafe { sized_str(std::ptr::null(), 0, "c", 10) }.unwrap(),
            ""
        );
        assert!(unsafe { sized_str(std::ptr::null(), 1, "c", 10) }.is_err());
        assert!(unsafe { sized_str(bytes.as_ptr().cast(), 11, "c", 10) }.is_err());
        let bad = [0xc3u8];
        assert!(unsafe { sized_str(bad.as_ptr().cast(), 1, "c", 10) }.is_err());
    }

    #[test]
    fn write_c_buf_terminates_and_truncates() {
        let mut buf = [0x55 as c_char; 5];
        unsafe { write_c_buf(buf.as_mut_ptr(), buf.len(), "abcdef") };
        assert_eq!(buf.map(|c| c as u8), *b"abcd\0");
        unsafe { write_c_buf(buf.as_mut_ptr(), buf.len(), "") };
        assert_eq!(buf[0], 0);
        unsafe { write_c_buf(std::ptr::null_mut(), 5, "x") };
    }

    #[test]
    fn ctext_is_nul_terminated_with_length() {
        let t = CText::new("a\0b");
        assert_eq!(t.len(), 3);
        let bytes = unsafe { std::slice::from_raw_parts(t.as_ptr().cast::<u8>(), 4) };
        assert_eq!(bytes, b"a\0b\0");
    }
}
