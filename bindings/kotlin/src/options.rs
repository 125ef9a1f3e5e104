//! `io.imsdk.ImOptions` → `ImOptions`: defaults from `im_options_init` (so fields appended
//! to the struct later keep their defaults), then what the Java builder set.

use std::ffi::{c_char, CString};
use std::mem::size_of;

use imsdk::ffi::{im_options_init, ImOptions, IM_OK};
use jni::objects::{JLongArray, JObjectArray, JString};
use jni::Env;

use crate::convert::{c_string, ptr_of, BadArgument};

/// A numeric field of ImOptions.
type FieldOf = fn(&mut ImOptions) -> &mut u32;

/// The numeric options in the order of `ImOptions.NUMBERS` on the Java side; -1 there
/// means "keep the default".
const NUMBER_FIELDS: [(&str, FieldOf); 21] = [
    ("keepaliveIntervalMs", |o| &mut o.keepalive_interval_ms),
    ("keepaliveTimeoutMs", |o| &mut o.keepalive_timeout_ms),
    ("connectTimeoutMs", |o| &mut o.connect_timeout_ms),
    ("loginTimeoutMs", |o| &mut o.login_timeout_ms),
    ("closeTimeoutMs", |o| &mut o.close_timeout_ms),
    ("reloginBaseMs", |o| &mut o.relogin_base_ms),
    ("reloginMaxMs", |o| &mut o.relogin_max_ms),
    ("stableAfterMs", |o| &mut o.stable_after_ms),
    ("qosCheckIntervalMs", |o| &mut o.qos_check_interval_ms),
    ("qosJustNowMs", |o| &mut o.qos_just_now_ms),
    ("qosMaxResends", |o| &mut o.qos_max_resends),
    ("maxPendingQos", |o| &mut o.max_pending_qos),
    ("dedupTtlMs", |o| &mut o.dedup_ttl_ms),
    ("dedupCap", |o| &mut o.dedup_cap),
    ("busyBackoffMs", |o| &mut o.busy_backoff_ms),
    ("busyBackoffMaxMs", |o| &mut o.busy_backoff_max_ms),
    ("maxFrameBytes", |o| &mut o.max_frame_bytes),
    ("maxInboundBytes", |o| &mut o.max_inbound_bytes),
    ("maxCallbackBacklog", |o| &mut o.max_callback_backlog),
    ("maxCallbackBacklogBytes", |o| {
        &mut o.max_callback_backlog_bytes
    }),
    ("maxOutboundBytes", |o| &mut o.max_outbound_bytes),
];

/// Options with the strings they point into (kept alive until `im_init` returns).
pub struct OwnedOptions {
    pub options: ImOptions,
    _strings: Vec<CString>,
    _pin_ptrs: Vec<*const c_char>,
}

/// The Java builder's fields as passed to `NativeLib.nativeInit`.
pub struct JavaOptions<'a, 'l> {
    pub url: &'a JString<'l>,
    pub subprotocol: &'a JString<'l>,
    pub dialect: i32,
    pub auto_relogin: bool,
    pub numbers: &'a JLongArray<'l>,
    pub tls_extra_ca_pem: &'a JString<'l>,
    pub tls_pins: &'a JObjectArray<'l>,
}

/// Builds the C options; the C side checks the values (ranges, URL) in `im_init`.
pub fn build(env: &mut Env, java: &JavaOptions) -> Result<OwnedOptions, BadArgument> {
    // SAFETY: ImOptions is plain data; im_options_init fills all of it.
    let mut options: ImOptions = unsafe { std::mem::zeroed() };
    // `options` is a valid ImOptions of exactly that size.
    if im_options_init(&mut options, size_of::<ImOptions>()) != IM_OK {
        return Err(BadArgument("im_options_init refused ImOptions".into()));
    }
    let mut strings = Vec::new();
    let url = c_string(env, java.url, "url")?;
    options.url = ptr_of(&url);
    let subprotocol = c_string(env, java.subprotocol, "subprotocol")?;
    options.subprotocol = ptr_of(&subprotocol);
    let ca = c_string(env, java.tls_extra_ca_pem, "tlsExtraCaPem")?;
    options.tls_extra_ca_pem = ptr_of(&ca);
    strings.extend([url, subprotocol, ca].into_iter().flatten());
    options.dialect = java.dialect;
    options.auto_relogin = i32::from(java.auto_relogin);
    set_numbers(env, java.numbers, &mut options)?;

    let mut pin_ptrs = Vec::new();
    if !java.tls_pins.is_null() {
        let count = java
            .tls_pins
            .len(env)
            .map_err(|e| BadArgument(format!("tlsPins: unreadable array ({e})")))?;
        for i in 0..count {
            let element = java
                .tls_pins
                .get_element(env, i)
                .map_err(|e| BadArgument(format!("tlsPins[{i}]: unreadable ({e})")))?;
            let pin = JString::cast_local(env, element)
                .map_err(|_| BadArgument(format!("tlsPins[{i}] is not a String")))?;
            let pin = c_string(env, &pin, "tlsPins")?
                .ok_or_else(|| BadArgument(format!("tlsPins[{i}] is null")))?;
            pin_ptrs.push(pin.as_ptr());
            strings.push(pin);
        }
        options.tls_pins = pin_ptrs.as_ptr();
        options.tls_pins_count = pin_ptrs.len();
    }
    Ok(OwnedOptions {
        options,
        _strings: strings,
        _pin_ptrs: pin_ptrs,
    })
}

fn set_numbers(
    env: &Env,
    numbers: &JLongArray,
    options: &mut ImOptions,
) -> Result<(), BadArgument> {
    if numbers.is_null() {
        return Ok(());
    }
    let mut values = [0i64; NUMBER_FIELDS.len()];
    let len = numbers
        .len(env)
        .map_err(|e| BadArgument(format!("options: unreadable numbers ({e})")))?;
    if len != values.len() {
        return Err(BadArgument(format!(
            "options: {len} numbers, expected {}",
            values.len()
        )));
    }
    numbers
        .get_region(env, 0, &mut values)
        .map_err(|e| BadArgument(format!("options: unreadable numbers ({e})")))?;
    for ((name, field), value) in NUMBER_FIELDS.iter().zip(values) {
        if value == -1 {
            continue;
        }
        *field(options) = u32::try_from(value)
            .map_err(|_| BadArgument(format!("{name} = {value} is out of range")))?;
    }
    Ok(())
}
