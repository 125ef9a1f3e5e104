//! Deadlines (R6, R14, R16, R20, R47): the earliest one for the driver, and running every
//! deadline that is due. There are no detached timers: each deadline lives in the state it
//! belongs to and disappears with it.

use std::time::Instant;

use crate::protocol::{codes, Packet};

use super::link::LinkPhase;
use super::types::LinkClosedReason;
use super::Engine;

/// What the current link's deadlines ask for.
enum LinkDue {
    ConnectTimeout,
    LoginTimeout,
    Dead,
    Keepalive,
    Nothing,
}

/// Upper bound on deadline rounds per call; each round consumes at least one deadline.
const MAX_ROUNDS: usize = 64;

impl Engine {
    pub(super) fn earliest_deadline(&self) -> Option<Instant> {
        [
            self.link
                .as_ref()
                .and_then(|l| l.deadline(self.delivery.is_paused())),
            self.retry_at,
            self.qos_tick_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    pub(super) fn run_due_timers(&mut self, now: Instant) {
        for _ in 0..MAX_ROUNDS {
            match self.earliest_deadline() {
                Some(deadline) if deadline <= now => self.run_one_round(now),
                _ => return,
            }
        }
    }

    fn run_one_round(&mut self, now: Instant) {
        match self.link_due(now) {
            LinkDue::ConnectTimeout => {
                self.attempt_failed(codes::CONNECT_FAILED, "connect timeout", now)
            }
            LinkDue::LoginTimeout => {
                self.attempt_failed(codes::CONNECT_FAILED, "login timeout", now)
            }
            LinkDue::Dead => self.link_lost(LinkClosedReason::KeepaliveTimeout, true, now),
            LinkDue::Keepalive => {
                if let Some(user_id) = self.user_id().map(str::to_string) {
                    self.write_packet(&Packet::keepalive(&user_id));
                }
            }
            LinkDue::Nothing => {}
        }
        if self.retry_at.is_some_and(|at| at <= now) {
            self.retry_at = None;
            self.start_relogin_attempt(now);
        }
        if let Some(at) = self.qos_tick_at.filter(|at| *at <= now) {
            let interval = self.ms(self.config.qos_check_interval_ms);
            let mut next = at + interval;
            while next <= now {
                next += interval;
            }
            self.qos_tick_at = Some(next);
            self.qos_tick(now);
        }
    }

    fn link_due(&mut self, now: Instant) -> LinkDue {
        // R61: while reading is paused the server cannot be heard; it is not blamed.
        let paused = self.delivery.is_paused();
        match self.link.as_mut().map(|l| &mut l.phase) {
            Some(LinkPhase::Connecting { deadline }) if *deadline <= now => LinkDue::ConnectTimeout,
            Some(LinkPhase::Authenticating { deadline }) if *deadline <= now && !paused => {
                LinkDue::LoginTimeout
            }
            // R16 before R14: a dead link is not kept alive by writing to it.
            Some(LinkPhase::Online { keepalive, .. }) if keepalive.is_dead(now) && !paused => {
                LinkDue::Dead
            }
            Some(LinkPhase::Online { keepalive, .. }) => {
                if keepalive.take_due_send(now) {
                    LinkDue::Keepalive
                } else {
                    LinkDue::Nothing
                }
            }
            _ => LinkDue::Nothing,
        }
    }
}
