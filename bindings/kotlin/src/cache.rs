//! What `JNI_OnLoad` looks up once: the Java classes the callbacks use (held by global
//! references, which also keep their method IDs valid) and the method IDs themselves.
//! Callbacks run on a native thread whose `FindClass` would see only the system class
//! loader, so classes must be found here, on the thread that loads the library.

use std::sync::OnceLock;

use jni::errors::Result;
use jni::ids::JMethodID;
use jni::objects::JClass;
use jni::refs::Global;
use jni::vm::JavaVM;
use jni::{jni_sig, jni_str, Env};

/// Method IDs of `io.imsdk.NativeBridge`, one per callback of `ImCallbacks`.
pub struct BridgeMethods {
    pub login_result: JMethodID,
    pub link_closed: JMethodID,
    pub message: JMethodID,
    pub server_error: JMethodID,
    pub messages_lost: JMethodID,
    pub message_acked: JMethodID,
    pub kicked: JMethodID,
    pub state_changed: JMethodID,
    pub echo: JMethodID,
    pub release: JMethodID,
}

/// Everything the callbacks need from the JVM.
pub struct Cache {
    pub vm: JavaVM,
    pub bridge: BridgeMethods,
    /// `io.imsdk.ImLostMessage` and its constructor.
    pub lost_class: Global<JClass<'static>>,
    pub lost_ctor: JMethodID,
    /// Keeps the bridge's method IDs valid (a class unloaded would invalidate them).
    _bridge_class: Global<JClass<'static>>,
}

static CACHE: OnceLock<Cache> = OnceLock::new();

/// The cache, once `JNI_OnLoad` has filled it.
pub fn get() -> Option<&'static Cache> {
    CACHE.get()
}

/// Looks the classes and methods up; an error leaves a Java exception (NoClassDefFoundError,
/// NoSuchMethodError) to be reported by `JNI_OnLoad`.
pub fn init(env: &mut Env, vm: JavaVM) -> Result<()> {
    if CACHE.get().is_some() {
        return Ok(());
    }
    let bridge_class = env.find_class(jni_str!("io/imsdk/NativeBridge"))?;
    let m = |env: &mut Env, name, sig| env.get_method_id(&bridge_class, name, sig);
    let bridge = BridgeMethods {
        login_result: m(env, jni_str!("onLoginResult"), jni_sig!("(IZ)V"))?,
        link_closed: m(env, jni_str!("onLinkClosed"), jni_sig!("(I)V"))?,
        message: m(
            env,
            jni_str!("onMessage"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[BIJZZ)V"),
        )?,
        server_error: m(
            env,
            jni_str!("onServerError"),
            jni_sig!("(ILjava/lang/String;)V"),
        )?,
        messages_lost: m(
            env,
            jni_str!("onMessagesLost"),
            jni_sig!("([Lio/imsdk/ImLostMessage;)V"),
        )?,
        message_acked: m(
            env,
            jni_str!("onMessageAcked"),
            jni_sig!("(Ljava/lang/String;)V"),
        )?,
        kicked: m(
            env,
            jni_str!("onKicked"),
            jni_sig!("(ILjava/lang/String;)V"),
        )?,
        state_changed: m(env, jni_str!("onStateChanged"), jni_sig!("(IIIJ)V"))?,
        echo: m(env, jni_str!("onEcho"), jni_sig!("(Ljava/lang/String;)V"))?,
        release: m(env, jni_str!("onRelease"), jni_sig!("()V"))?,
    };
    let lost_class = env.find_class(jni_str!("io/imsdk/ImLostMessage"))?;
    let lost_ctor = env.get_method_id(
        &lost_class,
        jni_str!("<init>"),
        jni_sig!("(Ljava/lang/String;Ljava/lang/String;[BII)V"),
    )?;
    let cache = Cache {
        vm,
        bridge,
        lost_class: env.new_global_ref(&lost_class)?,
        lost_ctor,
        _bridge_class: env.new_global_ref(&bridge_class)?,
    };
    // A second JNI_OnLoad (another class loader) keeps the first cache.
    let _ = CACHE.set(cache);
    Ok(())
}
