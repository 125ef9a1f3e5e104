//! One WebSocket connection as the engine sees it (R1, R53): its generation number and
//! the phase-specific deadlines, all dropped together when the link goes.

use std::time::Instant;

use super::keepalive::Keepalive;

/// Where the current link is in its life.
#[derive(Debug)]
pub(super) enum LinkPhase {
    /// Connect requested; `deadline` = `connect_timeout` (R6).
    Connecting { deadline: Instant },
    /// Login written; `deadline` = `login_timeout` (R6).
    Authenticating { deadline: Instant },
    /// `50 code 0` received at `since` (R24) with keepalive running (R14–R16).
    Online {
        since: Instant,
        keepalive: Keepalive,
    },
}

/// The one link that may exist at a time (R1).
#[derive(Debug)]
pub(super) struct Link {
    pub(super) conn_id: u64,
    pub(super) phase: LinkPhase,
}

impl Link {
    /// The earliest deadline of this link. While reading is paused (R61) the deadlines
    /// that wait for the server do not run.
    pub(super) fn deadline(&self, reading_paused: bool) -> Option<Instant> {
        match &self.phase {
            LinkPhase::Connecting { deadline } => Some(*deadline),
            LinkPhase::Authenticating { .. } if reading_paused => None,
            LinkPhase::Authenticating { deadline } => Some(*deadline),
            LinkPhase::Online { keepalive, .. } if reading_paused => Some(keepalive.next_send()),
            LinkPhase::Online { keepalive, .. } => Some(keepalive.next_deadline()),
        }
    }

    pub(super) fn is_online(&self) -> bool {
        matches!(self.phase, LinkPhase::Online { .. })
    }
}
