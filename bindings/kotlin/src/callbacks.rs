//! The C callbacks of one client: each forwards its event to the client's
//! `io.imsdk.NativeBridge` (which calls the app's `ImListener` and catches what it throws).
//!
//! They run on the SDK's `imsdk-cb` thread, attached to the JVM once, as a daemon
//! ([`crate::attach`]). Every callback runs inside its own JNI local frame, so the local
//! references it creates (strings, byte arrays) are freed when it returns, however many
//! events a long-lived thread delivers. A Java exception that escapes the bridge is cleared
//! and printed, never left pending on the SDK's thread.

use std::ffi::{c_char, c_void};
use std::mem::size_of;
use std::panic::{catch_unwind, AssertUnwindSafe};

use imsdk::ffi::{ImCallbacks, ImLostMessage, ImMessage};
use jni::errors::{Error, Result};
use jni::objects::JObject;
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::sys::{jsize, jvalue};
use jni::{Env, JValue};

use crate::cache::{self, Cache};
use crate::convert::{java_bytes, java_string};

/// What `user_data` points to: the one global reference to the client's bridge, created
/// by `nativeInit` and deleted after `onRelease` (the SDK's last callback).
pub struct ListenerContext {
    bridge: Global<JObject<'static>>,
}

impl ListenerContext {
    /// Boxes the context; the pointer becomes the callbacks' `user_data`.
    pub fn new(bridge: Global<JObject<'static>>) -> *mut ListenerContext {
        Box::into_raw(Box::new(ListenerContext { bridge }))
    }

    /// Takes the context back.
    ///
    /// # Safety
    /// `context` comes from [`ListenerContext::new`] and no callback can use it any more.
    pub unsafe fn reclaim(context: *mut ListenerContext) -> Box<ListenerContext> {
        // SAFETY: guaranteed by the caller.
        unsafe { Box::from_raw(context) }
    }
}

/// The callbacks of a client whose `user_data` is `context`.
pub fn table(context: *mut ListenerContext) -> ImCallbacks {
    ImCallbacks {
        struct_size: size_of::<ImCallbacks>() as u32,
        user_data: context.cast::<c_void>(),
        on_login_result: Some(on_login_result),
        on_link_closed: Some(on_link_closed),
        on_message: Some(on_message),
        on_server_error: Some(on_server_error),
        on_messages_lost: Some(on_messages_lost),
        on_message_acked: Some(on_message_acked),
        on_kicked: Some(on_kicked),
        on_state_changed: Some(on_state_changed),
        on_echo: Some(on_echo),
        on_release: Some(on_release),
    }
}

/// Calls `bridge.<method>(args)` (a void method) on the callback thread.
fn deliver(
    user_data: *mut c_void,
    event: &str,
    call: impl FnOnce(&mut Env, &Cache, &JObject) -> Result<()>,
) {
    let delivered = catch_unwind(AssertUnwindSafe(|| -> std::result::Result<(), String> {
        let cache = cache::get().ok_or("JNI_OnLoad did not run")?;
        crate::attach::ensure_daemon(&cache.vm)?;
        // SAFETY: user_data is the context of nativeInit, alive until on_release.
        let context = unsafe { &*user_data.cast::<ListenerContext>() };
        // A local frame per event (attach_current_thread pushes one and pops it after the
        // closure); a Java exception left by the call comes back as CaughtJavaException,
        // already cleared.
        cache
            .vm
            .attach_current_thread(|env| call(env, cache, context.bridge.as_obj()))
            .map_err(|e: Error| describe(&e))
    }));
    match delivered {
        Ok(Ok(())) => {}
        Ok(Err(message)) => eprintln!("imsdk_jni: {event}: {message}"),
        Err(_) => eprintln!("imsdk_jni: {event}: panic in the binding"),
    }
}

fn describe(e: &Error) -> String {
    match e {
        Error::CaughtJavaException {
            name, msg, stack, ..
        } => {
            format!("uncaught {name}: {msg}\n{stack}")
        }
        other => other.to_string(),
    }
}

/// `bridge.method(args)`, a void method of the cached bridge class.
fn call_void(
    env: &mut Env,
    bridge: &JObject,
    method: jni::ids::JMethodID,
    args: &[jvalue],
) -> Result<()> {
    // SAFETY: `method` is a method ID of NativeBridge looked up with the signature whose
    // argument types `args` follow (each call site below), returning void.
    unsafe {
        env.call_method_unchecked(bridge, method, ReturnType::Primitive(Primitive::Void), args)
    }?;
    Ok(())
}

extern "C" fn on_login_result(user_data: *mut c_void, code: i32, is_relogin: bool) {
    deliver(user_data, "onLoginResult", |env, cache, bridge| {
        let args = [
            JValue::Int(code).as_jni(),
            JValue::Bool(is_relogin).as_jni(),
        ];
        call_void(env, bridge, cache.bridge.login_result, &args)
    })
}

extern "C" fn on_link_closed(user_data: *mut c_void, reason: i32) {
    deliver(user_data, "onLinkClosed", |env, cache, bridge| {
        call_void(
            env,
            bridge,
            cache.bridge.link_closed,
            &[JValue::Int(reason).as_jni()],
        )
    })
}

extern "C" fn on_message(user_data: *mut c_void, message: *const ImMessage) {
    deliver(user_data, "onMessage", |env, cache, bridge| {
        // SAFETY: the SDK passes a valid message for the duration of the callback.
        let m = unsafe { &*message };
        let fp = java_string(env, m.fp)?;
        let from = java_string(env, m.from)?;
        let to = java_string(env, m.to)?;
        let content = java_bytes(env, m.content, m.content_len)?;
        let args = [
            JValue::Object(&fp).as_jni(),
            JValue::Object(&from).as_jni(),
            JValue::Object(&to).as_jni(),
            JValue::Object(&content).as_jni(),
            JValue::Int(m.typeu).as_jni(),
            JValue::Long(m.server_time).as_jni(),
            JValue::Bool(m.qos).as_jni(),
            JValue::Bool(m.bridge).as_jni(),
        ];
        call_void(env, bridge, cache.bridge.message, &args)
    })
}

extern "C" fn on_server_error(user_data: *mut c_void, code: i32, message: *const c_char) {
    deliver(user_data, "onServerError", |env, cache, bridge| {
        let message = java_string(env, message)?;
        let args = [
            JValue::Int(code).as_jni(),
            JValue::Object(&message).as_jni(),
        ];
        call_void(env, bridge, cache.bridge.server_error, &args)
    })
}

extern "C" fn on_messages_lost(
    user_data: *mut c_void,
    messages: *const ImLostMessage,
    count: usize,
) {
    deliver(user_data, "onMessagesLost", |env, cache, bridge| {
        let lost: &[ImLostMessage] = if messages.is_null() || count == 0 {
            &[]
        } else {
            // SAFETY: the SDK passes `count` valid entries for the duration of the callback.
            unsafe { std::slice::from_raw_parts(messages, count) }
        };
        let len = jsize::try_from(lost.len())
            .map_err(|_| Error::JniCall(jni::errors::JniError::InvalidArguments))?;
        let array = env.new_object_array(len, &cache.lost_class, JObject::null())?;
        for (i, m) in lost.iter().enumerate() {
            // Each entry's references are freed as soon as it is stored in the array.
            env.with_local_frame(8, |env| -> Result<()> {
                let fp = java_string(env, m.fp)?;
                let to = java_string(env, m.to)?;
                let content = java_bytes(env, m.content, m.content_len)?;
                let args = [
                    JValue::Object(&fp).as_jni(),
                    JValue::Object(&to).as_jni(),
                    JValue::Object(&content).as_jni(),
                    JValue::Int(m.typeu).as_jni(),
                    JValue::Int(m.reason).as_jni(),
                ];
                // SAFETY: lost_ctor is ImLostMessage(String, String, byte[], int, int).
                let entry =
                    unsafe { env.new_object_unchecked(&cache.lost_class, cache.lost_ctor, &args) }?;
                array.set_element(env, i, &entry)
            })?;
        }
        call_void(
            env,
            bridge,
            cache.bridge.messages_lost,
            &[JValue::Object(&array).as_jni()],
        )
    })
}

extern "C" fn on_message_acked(user_data: *mut c_void, fp: *const c_char) {
    deliver(user_data, "onMessageAcked", |env, cache, bridge| {
        let fp = java_string(env, fp)?;
        call_void(
            env,
            bridge,
            cache.bridge.message_acked,
            &[JValue::Object(&fp).as_jni()],
        )
    })
}

extern "C" fn on_kicked(user_data: *mut c_void, code: i32, reason: *const c_char) {
    deliver(user_data, "onKicked", |env, cache, bridge| {
        let reason = java_string(env, reason)?;
        let args = [JValue::Int(code).as_jni(), JValue::Object(&reason).as_jni()];
        call_void(env, bridge, cache.bridge.kicked, &args)
    })
}

extern "C" fn on_state_changed(
    user_data: *mut c_void,
    state: i32,
    reason: i32,
    attempt: u32,
    delay_ms: u64,
) {
    deliver(user_data, "onStateChanged", |env, cache, bridge| {
        let args = [
            JValue::Int(state).as_jni(),
            JValue::Int(reason).as_jni(),
            JValue::Int(i32::try_from(attempt).unwrap_or(i32::MAX)).as_jni(),
            JValue::Long(i64::try_from(delay_ms).unwrap_or(i64::MAX)).as_jni(),
        ];
        call_void(env, bridge, cache.bridge.state_changed, &args)
    })
}

extern "C" fn on_echo(user_data: *mut c_void, text: *const c_char) {
    deliver(user_data, "onEcho", |env, cache, bridge| {
        let text = java_string(env, text)?;
        call_void(
            env,
            bridge,
            cache.bridge.echo,
            &[JValue::Object(&text).as_jni()],
        )
    })
}

/// The last callback of a client: tells Java, then deletes the global reference.
extern "C" fn on_release(user_data: *mut c_void) {
    deliver(user_data, "onRelease", |env, cache, bridge| {
        call_void(env, bridge, cache.bridge.release, &[])
    });
    let freed = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: on_release is the SDK's last callback for this user_data, called once.
        drop(unsafe { ListenerContext::reclaim(user_data.cast::<ListenerContext>()) });
    }));
    if freed.is_err() {
        eprintln!("imsdk_jni: onRelease: panic while deleting the listener reference");
    }
}
