//! The callback thread's attachment to the JVM: once per thread, as a daemon, so that the
//! JVM can exit while the SDK's `imsdk-cb` thread lives on, and so that the thread is not
//! attached and detached around every callback.

use std::cell::Cell;
use std::ffi::{c_void, CStr};
use std::ptr;

use jni::sys::{JavaVMAttachArgs, JNI_OK, JNI_VERSION_1_6};
use jni::vm::JavaVM;

/// The name the JVM gives the attached thread (that of the SDK thread itself).
const THREAD_NAME: &CStr = c"imsdk-cb";

thread_local! {
    static ATTACHED: Cell<bool> = const { Cell::new(false) };
}

/// Attaches the calling native thread to the JVM as a daemon unless it already is. Every
/// later `JavaVM::attach_current_thread` on this thread then finds the attachment
/// (`GetEnv`) and only borrows it. The attachment lasts as long as the thread.
pub fn ensure_daemon(vm: &JavaVM) -> Result<(), String> {
    if ATTACHED.get() {
        return Ok(());
    }
    let raw = vm.get_raw();
    let mut env: *mut c_void = ptr::null_mut();
    // SAFETY: `raw` is the JVM's own JavaVM pointer (JNI_OnLoad); GetEnv and
    // AttachCurrentThreadAsDaemon (JNI 1.2 / 1.4) only write the env pointer; the args
    // struct and the thread name outlive the call.
    let code = unsafe {
        let already = ((*(*raw)).v1_2.GetEnv)(raw, &mut env, JNI_VERSION_1_6);
        if already == JNI_OK {
            JNI_OK
        } else {
            let mut args = JavaVMAttachArgs {
                version: JNI_VERSION_1_6,
                name: THREAD_NAME.as_ptr().cast_mut(),
                group: ptr::null_mut(),
            };
            ((*(*raw)).v1_4.AttachCurrentThreadAsDaemon)(
                raw,
                &mut env,
                (&mut args as *mut JavaVMAttachArgs).cast(),
            )
        }
    };
    if code != JNI_OK {
        return Err(format!("AttachCurrentThreadAsDaemon failed ({code})"));
    }
    ATTACHED.set(true);
    Ok(())
}
