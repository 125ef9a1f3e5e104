//! `ImStats`: the C form of [`Stats`].

use super::versioned::{current_size, Versioned};
use crate::engine::Stats;

/// Counters since the client was created, and gauges. Set `struct_size` to
/// `sizeof(ImStats)` before `im_get_stats`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImStats {
    /// `sizeof(ImStats)`, set by the caller.
    pub struct_size: u32,
    /// Messages written for the first time (QoS and not).
    pub sent: u64,
    /// QoS resends written.
    pub resent: u64,
    /// QoS messages acknowledged.
    pub acked: u64,
    /// QoS messages reported lost.
    pub lost: u64,
    /// Acknowledgements for unknown or already settled fingerprints.
    pub ignored_acks: u64,
    /// Messages delivered to `on_message`.
    pub received: u64,
    /// Duplicate QoS messages acknowledged but not delivered.
    pub duplicates: u64,
    /// Re-login attempts started.
    pub reconnects: u64,
    /// Round trip of the last answered keepalive in ms, -1 if none yet.
    pub last_keepalive_rtt_ms: i64,
    /// QoS messages pending now.
    pub pending_qos: u64,
}

// SAFETY: repr(C), starts with `struct_size: u32`; integers only.
unsafe impl Versioned for ImStats {
    const NAME: &'static str = "ImStats";
    const SIZES: &'static [usize] = &[std::mem::size_of::<ImStats>()];
}

impl From<Stats> for ImStats {
    fn from(s: Stats) -> ImStats {
        ImStats {
            struct_size: current_size::<ImStats>(),
            sent: s.sent,
            resent: s.resent,
            acked: s.acked,
            lost: s.lost,
            ignored_acks: s.ignored_acks,
            received: s.received,
            duplicates: s.duplicates,
            reconnects: s.reconnects,
            last_keepalive_rtt_ms: s.last_keepalive_rtt_ms,
            pending_qos: s.pending_qos,
        }
    }
}
