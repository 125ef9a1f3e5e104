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
    /// Events waiting for their callback (or in it) now; at most about
    /// `ImOptions.max_callback_backlog`.
    pub callback_backlog: u64,
    /// Their approximate bytes now.
    pub callback_backlog_bytes: u64,
    /// Bytes waiting to be written on the connection now (queued and being written); at
    /// most `ImOptions.max_outbound_bytes`.
    pub outbound_bytes: u64,
    /// The most bytes that ever waited to be written on one connection.
    pub outbound_peak_bytes: u64,
}

// SAFETY: repr(C), starts with `struct_size: u32`; integers only.
unsafe impl Versioned for ImStats {
    const NAME: &'static str = "ImStats";
    const SIZES: &'static [usize] = &[
        // Up to `pending_qos` (ABI 1).
        std::mem::offset_of!(ImStats, callback_backlog),
        std::mem::size_of::<ImStats>(),
    ];
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
            callback_backlog: s.callback_backlog,
            callback_backlog_bytes: s.callback_backlog_bytes,
            outbound_bytes: s.outbound_bytes,
            outbound_peak_bytes: s.outbound_peak_bytes,
        }
    }
}
