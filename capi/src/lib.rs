//! The C library of imsdk (libimsdk.a / libimsdk.so, header include/imsdk.h): the
//! `#[no_mangle]` functions of `imsdk::ffi`, linked into a staticlib and a cdylib. No code
//! of its own; referring to the crate is what makes rustc link it and export its `im_*`
//! symbols.

pub use imsdk_core::ffi;
