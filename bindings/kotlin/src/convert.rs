//! Conversions between Java values and the C ABI's, and the binding's per-thread last error
//! (the message `ImException` carries).

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

use imsdk::ffi::{im_last_error, IM_ERR_INVALID_ARGUMENT, IM_OK};
use jni::objects::{JByteArray, JString};
use jni::Env;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The calling thread's message for its last failed native call, `""` after a success.
pub fn last_error() -> String {
    LAST_ERROR.with_borrow(|s| s.clone())
}

/// Records the outcome of an `im_*` call made on this thread and returns its code.
pub fn finish(code: i32) -> i32 {
    let message = if code == IM_OK {
        String::new()
    } else {
        // SAFETY: im_last_error never returns NULL; the string is valid until this
        // thread's next im_* call, and is copied here.
        unsafe { CStr::from_ptr(im_last_error()) }
            .to_string_lossy()
            .into_owned()
    };
    LAST_ERROR.set(message);
    code
}

/// An argument the binding refuses before calling the C ABI.
#[derive(Debug)]
pub struct BadArgument(pub String);

impl BadArgument {
    /// Records the message and gives `IM_ERR_INVALID_ARGUMENT`.
    pub fn code(self) -> i32 {
        LAST_ERROR.set(self.0);
        IM_ERR_INVALID_ARGUMENT
    }
}

/// A Java string (or null) as a NUL-terminated C string (or None). Java strings may hold
/// U+0000, which a C string cannot: that is a bad argument named after `what`.
pub fn c_string(env: &Env, s: &JString, what: &str) -> Result<Option<CString>, BadArgument> {
    if s.is_null() {
        return Ok(None);
    }
    let text = s
        .try_to_string(env)
        .map_err(|e| BadArgument(format!("{what}: unreadable string ({e})")))?;
    CString::new(text)
        .map(Some)
        .map_err(|_| BadArgument(format!("{what} contains a NUL character")))
}

/// [`c_string`] for an argument that must not be null.
pub fn required_c_string(env: &Env, s: &JString, what: &str) -> Result<CString, BadArgument> {
    c_string(env, s, what)?.ok_or_else(|| BadArgument(format!("{what} is null")))
}

/// The pointer of an optional C string (NULL for None).
pub fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// A Java byte array (null = empty) as bytes.
pub fn bytes(env: &Env, array: &JByteArray) -> Result<Vec<u8>, BadArgument> {
    if array.is_null() {
        return Ok(Vec::new());
    }
    env.convert_byte_array(array)
        .map_err(|e| BadArgument(format!("content: unreadable byte array ({e})")))
}

/// A borrowed C string from a callback as a Java string (NULL → null).
pub fn java_string<'l>(env: &mut Env<'l>, s: *const c_char) -> jni::errors::Result<JString<'l>> {
    if s.is_null() {
        return Ok(JString::default());
    }
    // SAFETY: the SDK passes NUL-terminated strings valid for the callback's duration.
    let text = unsafe { CStr::from_ptr(s) }.to_string_lossy();
    env.new_string(text)
}

/// Borrowed callback bytes (`ptr`, `len`) as a new Java byte array.
pub fn java_bytes<'l>(
    env: &mut Env<'l>,
    ptr: *const c_char,
    len: usize,
) -> jni::errors::Result<JByteArray<'l>> {
    let slice: &[u8] = if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the SDK passes `len` readable bytes at `ptr`, valid for the callback.
        unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }
    };
    env.byte_array_from_slice(slice)
}
