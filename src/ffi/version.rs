//! `im_version` and `im_abi_version` (the header's `IMSDK_VERSION*` and
//! `IMSDK_ABI_VERSION` macros, written by build.rs from Cargo.toml).

use std::ffi::c_char;

use super::guard::guard_quiet;

/// `[package.metadata.imsdk] abi_version` of Cargo.toml, passed on by build.rs.
pub(crate) const ABI_VERSION: u32 = parse_u32(env!("IMSDK_ABI_VERSION"));

const fn parse_u32(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut value = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i].is_ascii_digit(), "abi_version must be a number");
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    value
}

/// The library's version, e.g. `"0.1.0"` (equals `IMSDK_VERSION` of the header it was
/// built with). Static: never free it. Leaves `im_last_error()` unchanged. Thread: any.
#[no_mangle]
pub extern "C" fn im_version() -> *const c_char {
    guard_quiet(std::ptr::null(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// The library's ABI version. A program is compatible when this equals the
/// `IMSDK_ABI_VERSION` it was compiled with. Leaves `im_last_error()` unchanged.
/// Thread: any.
#[no_mangle]
pub extern "C" fn im_abi_version() -> u32 {
    guard_quiet(0, || ABI_VERSION)
}
