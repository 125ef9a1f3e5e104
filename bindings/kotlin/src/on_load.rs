//! `JNI_OnLoad`: runs once when `System.loadLibrary("imsdk_jni")` loads this library.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::sys::{jint, JNI_ERR, JNI_VERSION_1_6};
use jni::vm::JavaVM;

/// Caches the classes and method IDs of the Java side and registers the native methods.
/// Returns the JNI version this library needs (1.6: every Android and desktop JVM has it),
/// or `JNI_ERR` (the JVM then throws `UnsatisfiedLinkError` from `loadLibrary`).
#[no_mangle]
pub extern "system" fn JNI_OnLoad(vm: *mut jni::sys::JavaVM, _reserved: *mut c_void) -> jint {
    if vm.is_null() {
        return JNI_ERR;
    }
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the JVM passes its own, valid JavaVM pointer to JNI_OnLoad.
        let vm = unsafe { JavaVM::from_raw(vm) };
        // The loading thread is a Java thread: this only borrows its attachment.
        vm.attach_current_thread(|env| -> jni::errors::Result<()> {
            crate::cache::init(env, vm.clone())?;
            crate::registration::register(env)
        })
    }));
    match loaded {
        Ok(Ok(())) => JNI_VERSION_1_6,
        Ok(Err(e)) => {
            eprintln!("imsdk_jni: JNI_OnLoad failed: {e}");
            JNI_ERR
        }
        Err(_) => {
            eprintln!("imsdk_jni: JNI_OnLoad panicked");
            JNI_ERR
        }
    }
}
