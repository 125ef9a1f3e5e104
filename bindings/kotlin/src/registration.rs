//! `RegisterNatives` for `io.imsdk.NativeLib`: each Java declaration with the function of
//! [`crate::natives`] that implements it.

use std::ffi::c_void;

use jni::errors::Result;
use jni::{jni_str, Env, NativeMethod};

use crate::natives::*;

/// Registers every native method of `io.imsdk.NativeLib`.
pub fn register(env: &mut Env) -> Result<()> {
    macro_rules! native {
        ($name:literal, $sig:literal, $f:expr) => {
            // SAFETY: each function's parameters (after EnvUnowned and JClass: static
            // methods) and return type match the JNI signature next to it.
            unsafe {
                NativeMethod::from_raw_parts(jni_str!($name), jni_str!($sig), $f as *mut c_void)
            }
        };
    }
    let methods = [
        native!("version", "()Ljava/lang/String;", native_version as *const ()),
        native!("abiVersion", "()I", native_abi_version as *const ()),
        native!("strerror", "(I)Ljava/lang/String;", native_strerror as *const ()),
        native!("lastError", "()Ljava/lang/String;", native_last_error as *const ()),
        native!(
            "init",
            "(Ljava/lang/String;Ljava/lang/String;IZ[JLjava/lang/String;[Ljava/lang/String;Lio/imsdk/NativeBridge;[J)I",
            native_init as *const ()
        ),
        native!(
            "login",
            "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I",
            native_login as *const ()
        ),
        native!(
            "send",
            "(JLjava/lang/String;[BZILjava/lang/String;[Ljava/lang/String;)I",
            native_send as *const ()
        ),
        native!("logout", "(J)I", native_logout as *const ()),
        native!("release", "(J)I", native_release as *const ()),
        native!("networkChanged", "(JZ)I", native_network_changed as *const ()),
        native!("echo", "(JLjava/lang/String;)I", native_echo as *const ()),
        native!("state", "(J[I)I", native_state as *const ()),
        native!("stats", "(J[J)I", native_stats as *const ()),
    ];
    let class = env.find_class(jni_str!("io/imsdk/NativeLib"))?;
    // SAFETY: see `native!`.
    unsafe { env.register_native_methods(&class, &methods) }
}
