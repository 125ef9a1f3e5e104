//! `ImOptions`: the C form of [`Config`] (server, dialect, timings, caps, TLS), its
//! initializer and its translation. Range checks are the Rust API's (R60), not repeated
//! here.

use std::ffi::c_char;

use super::codes::{IM_DIALECT_MOBILEIMSDK, IM_DIALECT_SEED};
use super::strings::{optional_str, required_str, IM_MAX_CONTENT_BYTES, IM_MAX_STRING_BYTES};
use super::versioned::{current_size, Versioned};
use crate::client::Config;
use crate::engine::EngineConfig;
use crate::error::{Error, Result};
use crate::protocol::Dialect;

/// Most entries in `ImOptions.tls_pins`.
pub const IM_MAX_TLS_PINS: usize = 64;

/// Client options. Fill with `im_options_init` (which sets `struct_size` and every
/// default), then change what you need. Strings are borrowed only during `im_init`.
///
/// Timings are milliseconds; at most 86 400 000. `keepalive_interval_ms` and
/// `keepalive_timeout_ms` are 0 after `im_options_init`, meaning "the dialect's default"
/// (seed 10 000 / 15 000, mobileimsdk 5 000 / 8 000); every other field holds its actual
/// default, and 0 there is refused by `im_init` (`IM_ERR_INVALID_ARGUMENT`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ImOptions {
    /// `sizeof(ImOptions)`; set by `im_options_init`.
    pub struct_size: u32,
    /// Server URL, `ws://` or `wss://` (required; `IM_ERR_NO_SERVER` if NULL or
    /// malformed). mobileimsdk servers listen on the exact path `/websocket`.
    pub url: *const c_char,
    /// seed only: WebSocket subprotocol to request, or NULL (default) for none.
    pub subprotocol: *const c_char,
    /// `IM_DIALECT_SEED` (default) or `IM_DIALECT_MOBILEIMSDK`.
    pub dialect: i32,
    /// Nonzero (default 1): re-login by itself after a link loss; 0: the session ends.
    pub auto_relogin: i32,
    /// Keepalive period once online; 0 (default) = the dialect's.
    pub keepalive_interval_ms: u32,
    /// Link loss when nothing arrives for this long; 0 (default) = the dialect's. Must
    /// exceed the interval.
    pub keepalive_timeout_ms: u32,
    /// TCP + TLS + WebSocket upgrade (default 5 000).
    pub connect_timeout_ms: u32,
    /// Wait for the login response (default 10 000).
    pub login_timeout_ms: u32,
    /// How long a closing link waits for the server's close frame (default 1 000).
    pub close_timeout_ms: u32,
    /// First re-login backoff step (default 2 000).
    pub relogin_base_ms: u32,
    /// Re-login backoff ceiling (default 30 000).
    pub relogin_max_ms: u32,
    /// A link online this long resets the re-login attempt counter (default 30 000).
    pub stable_after_ms: u32,
    /// QoS check period (default 5 000).
    pub qos_check_interval_ms: u32,
    /// A QoS message written this recently is not resent (default 3 000).
    pub qos_just_now_ms: u32,
    /// Resends before a QoS message is reported lost (default 2; 0..=100).
    pub qos_max_resends: u32,
    /// Pending QoS messages at most (default 1 000); beyond, `im_send` returns
    /// `IM_ERR_QUEUE_FULL`.
    pub max_pending_qos: u32,
    /// How long a received fingerprint is remembered for de-duplication (default 600 000).
    pub dedup_ttl_ms: u32,
    /// Fingerprints remembered at most (default 10 000; least recently seen evicted).
    pub dedup_cap: u32,
    /// First "server busy" window after a 302 (default 5 000).
    pub busy_backoff_ms: u32,
    /// Longest "server busy" window (default 30 000).
    pub busy_backoff_max_ms: u32,
    /// Largest frame written, bytes (default and maximum 65 536).
    pub max_frame_bytes: u32,
    /// Inbound frames larger than this fail the link (default 1 048 576).
    pub max_inbound_bytes: u32,
    /// Extra trusted CA certificates as PEM text (added to the bundled Mozilla roots),
    /// or NULL (default).
    pub tls_extra_ca_pem: *const c_char,
    /// Certificate pins: `tls_pins_count` strings, each the base64 SHA-256 of a
    /// certificate's SubjectPublicKeyInfo; when non-empty, some certificate of the
    /// verified chain must match one. NULL (default) for none.
    pub tls_pins: *const *const c_char,
    /// Number of entries in `tls_pins` (at most `IM_MAX_TLS_PINS`).
    pub tls_pins_count: usize,
    /// Callback backlog cap, in events (default 1 000; 1..=1 000 000): events handed to
    /// the callback thread whose callbacks have not returned yet. At the cap (or at
    /// `max_callback_backlog_bytes`) the SDK stops reading the connection, so a server
    /// sending faster than `on_message` returns is slowed down by TCP instead of filling
    /// memory; reading resumes once the backlog has drained to half of both caps.
    /// Keepalive and login timeouts do not run meanwhile. A received QoS message is
    /// acknowledged to the server only after its `on_message` returned: messages still
    /// waiting when the session ends or `im_release` is called are not acknowledged, and
    /// the server sends them again (release drops them undelivered, so it returns
    /// promptly whatever the backlog).
    pub max_callback_backlog: u32,
    /// Callback backlog cap, in bytes of message content and strings (default 4 194 304;
    /// 65 536..=1 073 741 824).
    pub max_callback_backlog_bytes: u32,
    /// Bytes that may wait to be written on a connection (default 4 194 304;
    /// 65 536..=1 073 741 824). When the server stops reading: `im_send` without QoS and
    /// `im_echo` return `IM_ERR_QUEUE_FULL` rather than pass it, and a QoS message or
    /// keepalive that would pass it closes the connection (`on_link_closed` with
    /// `IM_LINK_NETWORK_ERROR`; pending QoS messages stay queued and are resent after
    /// the automatic re-login). Should exceed what the pending QoS messages take, which
    /// are all written again after a re-login.
    pub max_outbound_bytes: u32,
}

// SAFETY: repr(C), starts with `struct_size: u32`; integers and raw pointers only.
unsafe impl Versioned for ImOptions {
    const NAME: &'static str = "ImOptions";
    const SIZES: &'static [usize] = &[
        // Up to `tls_pins_count` (ABI 1).
        std::mem::offset_of!(ImOptions, max_callback_backlog),
        std::mem::size_of::<ImOptions>(),
    ];
}

impl ImOptions {
    /// The values `im_options_init` writes.
    pub(crate) fn defaults() -> ImOptions {
        let engine = EngineConfig::new(Dialect::Seed);
        let base = Config::new("", Dialect::Seed);
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        ImOptions {
            struct_size: current_size::<ImOptions>(),
            url: std::ptr::null(),
            subprotocol: std::ptr::null(),
            dialect: IM_DIALECT_SEED,
            auto_relogin: i32::from(engine.auto_relogin),
            keepalive_interval_ms: 0,
            keepalive_timeout_ms: 0,
            connect_timeout_ms: clamp(engine.connect_timeout_ms),
            login_timeout_ms: clamp(engine.login_timeout_ms),
            close_timeout_ms: clamp(engine.close_timeout_ms),
            relogin_base_ms: clamp(engine.relogin_base_ms),
            relogin_max_ms: clamp(engine.relogin_max_ms),
            stable_after_ms: clamp(engine.stable_after_ms),
            qos_check_interval_ms: clamp(engine.qos_check_interval_ms),
            qos_just_now_ms: clamp(engine.qos_just_now_ms),
            qos_max_resends: engine.qos_max_resends,
            max_pending_qos: clamp(engine.max_pending_qos as u64),
            dedup_ttl_ms: clamp(engine.dedup_ttl_ms),
            dedup_cap: clamp(engine.dedup_cap as u64),
            busy_backoff_ms: clamp(engine.busy_backoff_ms),
            busy_backoff_max_ms: clamp(engine.busy_backoff_max_ms),
            max_frame_bytes: clamp(engine.max_frame_bytes as u64),
            max_inbound_bytes: clamp(base.max_inbound_bytes as u64),
            tls_extra_ca_pem: std::ptr::null(),
            tls_pins: std::ptr::null(),
            tls_pins_count: 0,
            max_callback_backlog: clamp(engine.max_callback_backlog as u64),
            max_callback_backlog_bytes: clamp(engine.max_callback_backlog_bytes as u64),
            max_outbound_bytes: clamp(engine.max_outbound_bytes as u64),
        }
    }

    /// The Rust [`Config`] these options describe.
    ///
    /// # Safety
    /// Pointer fields are NULL or valid NUL-terminated strings (an array of
    /// `tls_pins_count` of them for `tls_pins`).
    pub(crate) unsafe fn to_config(self) -> Result<Config> {
        let dialect = match self.dialect {
            IM_DIALECT_SEED => Dialect::Seed,
            IM_DIALECT_MOBILEIMSDK => Dialect::MobileImSdk,
            other => {
                return Err(Error::invalid_argument(format!(
                    "dialect {other} is unknown (IM_DIALECT_SEED = 0, IM_DIALECT_MOBILEIMSDK = 1)"
                )))
            }
        };
        let url = if self.url.is_null() {
            return Err(Error::new(crate::protocol::codes::NO_SERVER, "url is NULL"));
        } else {
            required_str(self.url, "url", IM_MAX_STRING_BYTES)?
        };
        let mut config = Config::new(url, dialect);
        config.subprotocol =
            optional_str(self.subprotocol, "subprotocol", IM_MAX_STRING_BYTES)?.map(str::to_owned);
        let e = &mut config.engine;
        if self.keepalive_interval_ms != 0 {
            e.keepalive_interval_ms = self.keepalive_interval_ms.into();
        }
        if self.keepalive_timeout_ms != 0 {
            e.keepalive_timeout_ms = self.keepalive_timeout_ms.into();
        }
        e.auto_relogin = self.auto_relogin != 0;
        e.connect_timeout_ms = self.connect_timeout_ms.into();
        e.login_timeout_ms = self.login_timeout_ms.into();
        e.close_timeout_ms = self.close_timeout_ms.into();
        e.relogin_base_ms = self.relogin_base_ms.into();
        e.relogin_max_ms = self.relogin_max_ms.into();
        e.stable_after_ms = self.stable_after_ms.into();
        e.qos_check_interval_ms = self.qos_check_interval_ms.into();
        e.qos_just_now_ms = self.qos_just_now_ms.into();
        e.qos_max_resends = self.qos_max_resends;
        e.max_pending_qos = self.max_pending_qos as usize;
        e.dedup_ttl_ms = self.dedup_ttl_ms.into();
        e.dedup_cap = self.dedup_cap as usize;
        e.busy_backoff_ms = self.busy_backoff_ms.into();
        e.busy_backoff_max_ms = self.busy_backoff_max_ms.into();
        e.max_frame_bytes = self.max_frame_bytes as usize;
        e.max_callback_backlog = self.max_callback_backlog as usize;
        e.max_callback_backlog_bytes = self.max_callback_backlog_bytes as usize;
        e.max_outbound_bytes = self.max_outbound_bytes as usize;
        config.max_inbound_bytes = self.max_inbound_bytes as usize;
        config.tls.extra_ca_pem = optional_str(
            self.tls_extra_ca_pem,
            "tls_extra_ca_pem",
            IM_MAX_CONTENT_BYTES,
        )?
        .map(str::to_owned);
        config.tls.spki_pins = self.pins()?;
        Ok(config)
    }

    unsafe fn pins(&self) -> Result<Vec<String>> {
        if self.tls_pins_count == 0 {
            return Ok(Vec::new());
        }
        if self.tls_pins_count > IM_MAX_TLS_PINS {
            return Err(Error::invalid_argument(format!(
                "tls_pins_count {} is more than {IM_MAX_TLS_PINS}",
                self.tls_pins_count
            )));
        }
        if self.tls_pins.is_null() {
            return Err(Error::invalid_argument(format!(
                "tls_pins is NULL but tls_pins_count is {}",
                self.tls_pins_count
            )));
        }
        (0..self.tls_pins_count)
            .map(|i| {
                let what = format!("tls_pins[{i}]");
                required_str(*self.tls_pins.add(i), &what, IM_MAX_STRING_BYTES).map(str::to_owned)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    #[test]
    fn defaults_translate_to_the_rust_defaults() {
        let mut opts = ImOptions::defaults();
        opts.url = c"ws://127.0.0.1:1/ws".as_ptr();
        let config = unsafe { opts.to_config() }.unwrap();
        assert_eq!(config, Config::new("ws://127.0.0.1:1/ws", Dialect::Seed));

        opts.dialect = IM_DIALECT_MOBILEIMSDK;
        let config = unsafe { opts.to_config() }.unwrap();
        assert_eq!(
            config,
            Config::new("ws://127.0.0.1:1/ws", Dialect::MobileImSdk),
            "keepalive 0 means the mobileimsdk defaults"
        );
    }

    #[test]
    fn every_field_is_carried_over() {
        let pins = [c"AAAA".as_ptr(), c"BBBB".as_ptr()];
        let mut o = ImOptions::defaults();
        o.url = c"wss://example.test/x".as_ptr();
        o.subprotocol = c"chat".as_ptr();
        o.auto_relogin = 0;
        o.keepalive_interval_ms = 1;
        o.keepalive_timeout_ms = 2;
        o.connect_timeout_ms = 3;
        o.login_timeout_ms = 4;
        o.close_timeout_ms = 5;
        o.relogin_base_ms = 6;
        o.relogin_max_ms = 7;
        o.stable_after_ms = 8;
        o.qos_check_interval_ms = 9;
        o.qos_just_now_ms = 10;
        o.qos_max_resends = 11;
        o.max_pending_qos = 12;
        o.dedup_ttl_ms = 13;
        o.dedup_cap = 14;
        o.busy_backoff_ms = 15;
        o.busy_backoff_max_ms = 16;
        o.max_frame_bytes = 17;
        o.max_inbound_bytes = 18;
        o.tls_extra_ca_pem = c"PEM".as_ptr();
        o.tls_pins = pins.as_ptr();
        o.tls_pins_count = 2;
        o.max_callback_backlog = 19;
        o.max_callback_backlog_bytes = 20;
        o.max_outbound_bytes = 21;
        let c = unsafe { o.to_config() }.unwrap();
        let e = &c.engine;
        assert_eq!(c.url, "wss://example.test/x");
        assert_eq!(c.subprotocol.as_deref(), Some("chat"));
        assert!(!e.auto_relogin);
        assert_eq!(
            [
                e.keepalive_interval_ms,
                e.keepalive_timeout_ms,
                e.connect_timeout_ms,
                e.login_timeout_ms,
                e.close_timeout_ms,
                e.relogin_base_ms,
                e.relogin_max_ms,
                e.stable_after_ms,
                e.qos_check_interval_ms,
                e.qos_just_now_ms,
                e.qos_max_resends.into(),
                e.max_pending_qos as u64,
                e.dedup_ttl_ms,
                e.dedup_cap as u64,
                e.busy_backoff_ms,
                e.busy_backoff_max_ms,
                e.max_frame_bytes as u64,
                c.max_inbound_bytes as u64,
                e.max_callback_backlog as u64,
                e.max_callback_backlog_bytes as u64,
                e.max_outbound_bytes as u64,
            ],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]
        );
        assert_eq!(c.tls.extra_ca_pem.as_deref(), Some("PEM"));
        assert_eq!(c.tls.spki_pins, ["AAAA", "BBBB"]);
    }

    #[test]
    fn bad_dialect_url_and_pins_are_refused() {
        let mut o = ImOptions::defaults();
        assert_eq!(unsafe { o.to_config() }.unwrap_err().code, codes::NO_SERVER);
        o.url = c"ws://h/".as_ptr();
        o.dialect = 7;
        let e = unsafe { o.to_config() }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert!(e.message.contains("dialect 7"));
        o.dialect = IM_DIALECT_SEED;
        o.tls_pins_count = 1;
        assert!(unsafe { o.to_config() }
            .unwrap_err()
            .message
            .contains("tls_pins is NULL"));
        let pins = [std::ptr::null::<c_char>()];
        o.tls_pins = pins.as_ptr();
        assert_eq!(
            unsafe { o.to_config() }.unwrap_err().message,
            "tls_pins[0] is NULL"
        );
        o.tls_pins_count = IM_MAX_TLS_PINS + 1;
        assert!(unsafe { o.to_config() }
            .unwrap_err()
            .message
            .contains("more than"));
    }

    #[test]
    fn an_options_struct_of_the_first_release_gets_the_new_defaults() {
        let mut opts = ImOptions::defaults();
        opts.url = c"ws://127.0.0.1:1/ws".as_ptr();
        opts.max_callback_backlog = 0; // beyond the old struct: never read
        opts.struct_size = std::mem::offset_of!(ImOptions, max_callback_backlog) as u32;
        let read = unsafe { super::super::versioned::read_versioned(&opts, ImOptions::defaults()) }
            .unwrap();
        let config = unsafe { read.to_config() }.unwrap();
        assert_eq!(config, Config::new("ws://127.0.0.1:1/ws", Dialect::Seed));
    }
}
