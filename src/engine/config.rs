//! Engine configuration: every timing in milliseconds, every cap bounded, defaults per
//! dialect (PROTOCOL.md §8), checks of R60.

use crate::error::{Error, Result};
use crate::protocol::Dialect;

/// R61: 1 000 events: a second of work for an application spending 1 ms per message,
/// small enough that `release()` drops it at once and a slow application holds little.
pub const DEFAULT_MAX_CALLBACK_BACKLOG: usize = 1_000;
/// R61: 4 MiB: 64 messages of the largest frame (64 KiB), about 20 000 of 200 bytes.
pub const DEFAULT_MAX_CALLBACK_BACKLOG_BYTES: usize = 4 << 20;
/// R62: 4 MiB: a few seconds of a slow mobile uplink, and room for the R10 flush of
/// 1 000 pending QoS messages of 4 KiB.
pub const DEFAULT_MAX_OUTBOUND_BYTES: usize = 4 << 20;
/// Byte caps (R61, R62): at least one largest frame, at most 1 GiB.
const MIN_BYTES_CAP: usize = 65_536;
const MAX_BYTES_CAP: usize = 1 << 30;

/// Timings, caps and switches of the engine. [`EngineConfig::new`] gives the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    pub dialect: Dialect,
    /// R14: keepalive period once ONLINE.
    pub keepalive_interval_ms: u64,
    /// R16: link loss when no valid envelope arrived for this long.
    pub keepalive_timeout_ms: u64,
    /// R6: TCP + TLS + WebSocket upgrade.
    pub connect_timeout_ms: u64,
    /// R6: wait for the login response.
    pub login_timeout_ms: u64,
    /// §2: how long a closing link may wait for the server's close frame.
    pub close_timeout_ms: u64,
    /// R18: re-login after a link loss; off → the session ends instead.
    pub auto_relogin: bool,
    /// R20: first backoff step.
    pub relogin_base_ms: u64,
    /// R20: backoff ceiling.
    pub relogin_max_ms: u64,
    /// R24: a link ONLINE this long resets the attempt counter.
    pub stable_after_ms: u64,
    /// R47: QoS tick period.
    pub qos_check_interval_ms: u64,
    /// R47: an entry written this recently is not resent.
    pub qos_just_now_ms: u64,
    /// R47: resends before lost(TIMEOUT).
    pub qos_max_resends: u32,
    /// R45: pending QoS messages at most (full → 1002).
    pub max_pending_qos: usize,
    /// R39: de-duplication window.
    pub dedup_ttl_ms: u64,
    /// R39: de-duplication entries at most (LRU eviction).
    pub dedup_cap: usize,
    /// R57: first busy window after a 302 (doubles up to `busy_backoff_max_ms`).
    pub busy_backoff_ms: u64,
    pub busy_backoff_max_ms: u64,
    /// R3: largest frame written (≤ 65 536).
    pub max_frame_bytes: usize,
    /// R61: events handed to the application and not yet finished (callback backlog) at
    /// most; at the cap the link is not read.
    pub max_callback_backlog: usize,
    /// R61: the callback backlog's approximate bytes at most.
    pub max_callback_backlog_bytes: usize,
    /// R62: bytes waiting to be written on a link at most; past it the link is closed
    /// (a link loss) and messages without QoS are refused with 1002.
    pub max_outbound_bytes: usize,
    /// Seed of the re-login jitter generator (tests pin it; clients draw it at random).
    pub rng_seed: u64,
}

impl EngineConfig {
    /// The defaults of PROTOCOL.md §8 for `dialect`.
    pub fn new(dialect: Dialect) -> EngineConfig {
        let spec = dialect.spec();
        EngineConfig {
            dialect,
            keepalive_interval_ms: spec.keepalive_interval_ms,
            keepalive_timeout_ms: spec.keepalive_timeout_ms,
            connect_timeout_ms: 5_000,
            login_timeout_ms: 10_000,
            close_timeout_ms: 1_000,
            auto_relogin: true,
            relogin_base_ms: 2_000,
            relogin_max_ms: 30_000,
            stable_after_ms: 30_000,
            qos_check_interval_ms: 5_000,
            qos_just_now_ms: 3_000,
            qos_max_resends: 2,
            max_pending_qos: 1_000,
            dedup_ttl_ms: 600_000,
            dedup_cap: 10_000,
            busy_backoff_ms: 5_000,
            busy_backoff_max_ms: 30_000,
            max_frame_bytes: 65_536,
            max_callback_backlog: DEFAULT_MAX_CALLBACK_BACKLOG,
            max_callback_backlog_bytes: DEFAULT_MAX_CALLBACK_BACKLOG_BYTES,
            max_outbound_bytes: DEFAULT_MAX_OUTBOUND_BYTES,
            rng_seed: 0x5eed_1234_abcd_ef01,
        }
    }

    /// R60: durations > 0, `keepalive_timeout` > `keepalive_interval`,
    /// `max_frame_bytes` ≤ 65 536, caps > 0; else 1000 with the offending field named.
    pub fn validate(&self) -> Result<()> {
        let durations = [
            ("keepalive_interval_ms", self.keepalive_interval_ms),
            ("keepalive_timeout_ms", self.keepalive_timeout_ms),
            ("connect_timeout_ms", self.connect_timeout_ms),
            ("login_timeout_ms", self.login_timeout_ms),
            ("close_timeout_ms", self.close_timeout_ms),
            ("relogin_base_ms", self.relogin_base_ms),
            ("relogin_max_ms", self.relogin_max_ms),
            ("stable_after_ms", self.stable_after_ms),
            ("qos_check_interval_ms", self.qos_check_interval_ms),
            ("qos_just_now_ms", self.qos_just_now_ms),
            ("dedup_ttl_ms", self.dedup_ttl_ms),
            ("busy_backoff_ms", self.busy_backoff_ms),
            ("busy_backoff_max_ms", self.busy_backoff_max_ms),
        ];
        for (name, value) in durations {
            if value == 0 {
                return Err(Error::invalid_argument(format!("{name} must be > 0")));
            }
            // One day: far beyond any sensible timing, and keeps Instant arithmetic safe.
            if value > 86_400_000 {
                return Err(Error::invalid_argument(format!(
                    "{name} must be at most 86400000 ms"
                )));
            }
        }
        if self.keepalive_timeout_ms <= self.keepalive_interval_ms {
            return Err(Error::invalid_argument(
                "keepalive_timeout_ms must be greater than keepalive_interval_ms",
            ));
        }
        if self.relogin_max_ms < self.relogin_base_ms {
            return Err(Error::invalid_argument(
                "relogin_max_ms must be >= relogin_base_ms",
            ));
        }
        if self.busy_backoff_max_ms < self.busy_backoff_ms {
            return Err(Error::invalid_argument(
                "busy_backoff_max_ms must be >= busy_backoff_ms",
            ));
        }
        if self.max_frame_bytes == 0 || self.max_frame_bytes > 65_536 {
            return Err(Error::invalid_argument(
                "max_frame_bytes must be in 1..=65536",
            ));
        }
        if self.max_pending_qos == 0 || self.max_pending_qos > 1_000_000 {
            return Err(Error::invalid_argument(
                "max_pending_qos must be in 1..=1000000",
            ));
        }
        if self.dedup_cap == 0 || self.dedup_cap > 10_000_000 {
            return Err(Error::invalid_argument("dedup_cap must be in 1..=10000000"));
        }
        if self.max_callback_backlog == 0 || self.max_callback_backlog > 1_000_000 {
            return Err(Error::invalid_argument(
                "max_callback_backlog must be in 1..=1000000",
            ));
        }
        if !(MIN_BYTES_CAP..=MAX_BYTES_CAP).contains(&self.max_callback_backlog_bytes) {
            return Err(Error::invalid_argument(format!(
                "max_callback_backlog_bytes must be in {MIN_BYTES_CAP}..={MAX_BYTES_CAP}"
            )));
        }
        if !(MIN_BYTES_CAP..=MAX_BYTES_CAP).contains(&self.max_outbound_bytes) {
            return Err(Error::invalid_argument(format!(
                "max_outbound_bytes must be in {MIN_BYTES_CAP}..={MAX_BYTES_CAP}"
            )));
        }
        if self.qos_max_resends > 100 {
            return Err(Error::invalid_argument(
                "qos_max_resends must be at most 100",
            ));
        }
        Ok(())
    }
}
