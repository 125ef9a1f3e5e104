//! The JNI library of imsdk (`libimsdk_jni.so`) behind the Java API of `bindings/kotlin/java`
//! (`io.imsdk.ImClient`). A thin layer over the C ABI (`imsdk::ffi`, the `im_*` functions of
//! include/imsdk.h): the Java side relies on exactly the contract the header gives C users
//! (the release barrier, `on_release` last and exactly once, callbacks on `imsdk-cb`), so the
//! binding calls those functions rather than the Rust client API, and adds no rules of its own.
//!
//! * [`on_load`]: `JNI_OnLoad` caches the classes and method IDs the callbacks need
//!   ([`cache`]) and registers the native methods of `io.imsdk.NativeLib` ([`natives`], [`registration`]).
//! * [`callbacks`]: the C callbacks, each forwarding one event to the client's
//!   `io.imsdk.NativeBridge` on the `imsdk-cb` thread, attached once as a daemon ([`attach`]).

mod attach;
mod cache;
mod callbacks;
mod convert;
mod natives;
mod on_load;
mod options;
mod registration;
