//! The native methods of `io.imsdk.NativeLib`, registered by `JNI_OnLoad`. Each converts
//! its Java arguments, calls one `im_*` function and returns its code (`IM_OK` or an error
//! code; `NativeLib.lastError()` then gives the message). Java exceptions come only from
//! JNI itself (e.g. `OutOfMemoryError`) or a panic in the binding (`RuntimeException`).

use std::ffi::c_char;
use std::mem::size_of;
use std::ptr;

use imsdk::ffi::{
    im_abi_version, im_echo, im_get_state, im_get_stats, im_init, im_login, im_logout,
    im_network_changed, im_release, im_send, im_send_request_init, im_strerror, im_version,
    ImClient, ImSendRequest, ImStats, IM_FP_BUF_LEN, IM_OK,
};
use jni::errors::{Result, ThrowRuntimeExAndDefault};
use jni::objects::{JByteArray, JClass, JIntArray, JLongArray, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::{Env, EnvUnowned};

use crate::callbacks::ListenerContext;
use crate::convert::{
    self, bytes, c_string, finish, java_string, ptr_of, required_c_string, BadArgument,
};
use crate::options::{self, JavaOptions};

/// A Java `long` handle as the C handle (a registry token the SDK never dereferences, so a
/// forged or stale value is `IM_ERR_INVALID_HANDLE`, never undefined behaviour).
fn handle(h: jlong) -> *mut ImClient {
    h as usize as *mut ImClient
}

/// Runs a native method body; a bad argument becomes its code, a JNI failure or a panic a
/// Java exception.
fn run<'l>(
    env: &mut EnvUnowned<'l>,
    body: impl FnOnce(&mut Env<'l>) -> Result<std::result::Result<jint, BadArgument>>,
) -> jint {
    env.with_env(|env| -> Result<jint> {
        Ok(match body(env)? {
            Ok(code) => code,
            Err(bad) => bad.code(),
        })
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

pub(crate) extern "system" fn native_version<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    env.with_env(|env| -> Result<JString<'l>> { java_string(env, im_version()) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

pub(crate) extern "system" fn native_abi_version<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jint {
    im_abi_version() as jint
}

pub(crate) extern "system" fn native_strerror<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    code: jint,
) -> JString<'l> {
    env.with_env(|env| -> Result<JString<'l>> { java_string(env, im_strerror(code)) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

pub(crate) extern "system" fn native_last_error<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    env.with_env(|env| -> Result<JString<'l>> { env.new_string(convert::last_error()) })
        .resolve::<ThrowRuntimeExAndDefault>()
}

#[allow(clippy::too_many_arguments)]
pub(crate) extern "system" fn native_init<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    url: JString<'l>,
    subprotocol: JString<'l>,
    dialect: jint,
    auto_relogin: jboolean,
    numbers: JLongArray<'l>,
    tls_extra_ca_pem: JString<'l>,
    tls_pins: JObjectArray<'l>,
    bridge: JObject<'l>,
    handle_out: JLongArray<'l>,
) -> jint {
    run(&mut env, |env| {
        let java = JavaOptions {
            url: &url,
            subprotocol: &subprotocol,
            dialect,
            auto_relogin,
            numbers: &numbers,
            tls_extra_ca_pem: &tls_extra_ca_pem,
            tls_pins: &tls_pins,
        };
        let owned = match options::build(env, &java) {
            Ok(owned) => owned,
            Err(bad) => return Ok(Err(bad)),
        };
        if bridge.is_null() {
            return Ok(Err(BadArgument("listener is null".into())));
        }
        let context = ListenerContext::new(env.new_global_ref(&bridge)?);
        let callbacks = crate::callbacks::table(context);
        let mut client = ptr::null_mut();
        // Options and callbacks are valid for the call (their strings live in
        // `owned`); `client` is a valid out pointer.
        let code = finish(im_init(&owned.options, &callbacks, &mut client));
        if code != IM_OK {
            // No callback follows a failed im_init: the context is freed here.
            // SAFETY: `context` came from ListenerContext::new and im_init kept no copy.
            drop(unsafe { ListenerContext::reclaim(context) });
            return Ok(Ok(code));
        }
        if let Err(e) = handle_out.set_region(env, 0, &[client as usize as jlong]) {
            // The handle cannot reach Java: release it (on_release frees the context).
            im_release(client);
            return Err(e);
        }
        Ok(Ok(IM_OK))
    })
}

pub(crate) extern "system" fn native_login<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    user_id: JString<'l>,
    token: JString<'l>,
    app: JString<'l>,
    extra: JString<'l>,
) -> jint {
    run(&mut env, |env| {
        Ok((|| {
            let user_id = required_c_string(env, &user_id, "userId")?;
            let token = required_c_string(env, &token, "token")?;
            let app = c_string(env, &app, "app")?;
            let extra = c_string(env, &extra, "extra")?;
            // Every string is NUL-terminated and outlives the call.
            Ok(finish(im_login(
                handle(h),
                user_id.as_ptr(),
                token.as_ptr(),
                ptr_of(&app),
                ptr_of(&extra),
            )))
        })())
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) extern "system" fn native_send<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    to: JString<'l>,
    content: JByteArray<'l>,
    qos: jboolean,
    typeu: jint,
    fp: JString<'l>,
    fp_out: JObjectArray<'l>,
) -> jint {
    run(&mut env, |env| {
        let prepared = (|| {
            let to = required_c_string(env, &to, "to")?;
            let content = bytes(env, &content)?;
            let fp = c_string(env, &fp, "fp")?;
            Ok((to, content, fp))
        })();
        let (to, content, fp) = match prepared {
            Ok(p) => p,
            Err(bad) => return Ok(Err(bad)),
        };
        // SAFETY: ImSendRequest is plain data; im_send_request_init fills all of it.
        let mut request: ImSendRequest = unsafe { std::mem::zeroed() };
        // `request` is a valid ImSendRequest of exactly that size.
        im_send_request_init(&mut request, size_of::<ImSendRequest>());
        request.to = to.as_ptr();
        request.content = content.as_ptr().cast::<c_char>();
        request.content_len = content.len();
        request.qos = i32::from(qos);
        request.typeu = typeu;
        request.fp = ptr_of(&fp);
        let mut fp_buf: [c_char; IM_FP_BUF_LEN] = [0; IM_FP_BUF_LEN];
        // The request's strings and bytes outlive the call; fp_buf has
        // IM_FP_BUF_LEN bytes.
        let code = finish(im_send(handle(h), &request, fp_buf.as_mut_ptr()));
        if code == IM_OK && !fp_out.is_null() {
            let fp = java_string(env, fp_buf.as_ptr())?;
            fp_out.set_element(env, 0, &fp)?;
        }
        Ok(Ok(code))
    })
}

pub(crate) extern "system" fn native_logout<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
) -> jint {
    finish(im_logout(handle(h)))
}

/// The release barrier: from a Java thread it returns after `onRelease` ran on imsdk-cb;
/// from inside a callback it returns at once (deferred by the SDK).
pub(crate) extern "system" fn native_release<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
) -> jint {
    finish(im_release(handle(h)))
}

pub(crate) extern "system" fn native_network_changed<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    available: jboolean,
) -> jint {
    finish(im_network_changed(handle(h), i32::from(available)))
}

pub(crate) extern "system" fn native_echo<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    text: JString<'l>,
) -> jint {
    run(&mut env, |env| {
        Ok((|| {
            let text = required_c_string(env, &text, "text")?;
            // `text` is NUL-terminated and outlives the call.
            Ok(finish(im_echo(handle(h), text.as_ptr())))
        })())
    })
}

pub(crate) extern "system" fn native_state<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    state_out: JIntArray<'l>,
) -> jint {
    run(&mut env, |env| {
        let mut state = 0i32;
        // `state` is a valid out pointer.
        let code = finish(im_get_state(handle(h), &mut state));
        if code == IM_OK {
            state_out.set_region(env, 0, &[state])?;
        }
        Ok(Ok(code))
    })
}

/// Number of values `nativeStats` writes (the fields of `ImStats` after `struct_size`).
const STATS_VALUES: usize = 14;

pub(crate) extern "system" fn native_stats<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    h: jlong,
    values_out: JLongArray<'l>,
) -> jint {
    run(&mut env, |env| {
        // SAFETY: ImStats is plain data (integers).
        let mut stats: ImStats = unsafe { std::mem::zeroed() };
        stats.struct_size = size_of::<ImStats>() as u32;
        // `stats` is a valid ImStats of the size it declares.
        let code = finish(im_get_stats(handle(h), &mut stats));
        if code == IM_OK {
            let u = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
            let values: [jlong; STATS_VALUES] = [
                u(stats.sent),
                u(stats.resent),
                u(stats.acked),
                u(stats.lost),
                u(stats.ignored_acks),
                u(stats.received),
                u(stats.duplicates),
                u(stats.reconnects),
                stats.last_keepalive_rtt_ms,
                u(stats.pending_qos),
                u(stats.callback_backlog),
                u(stats.callback_backlog_bytes),
                u(stats.outbound_bytes),
                u(stats.outbound_peak_bytes),
            ];
            values_out.set_region(env, 0, &values)?;
        }
        Ok(Ok(code))
    })
}
