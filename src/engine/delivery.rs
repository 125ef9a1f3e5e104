//! The callback backlog and the ACKs that wait for it (R36, R38, R61).
//!
//! Every event the engine emits is numbered in order. The driver reports how many of
//! them the application has finished with (their callbacks returned), and only then are
//! the ACKs of the QoS messages among them written: a message that was never delivered
//! is never acknowledged, so the server sends it again later. The events not yet
//! finished form the callback backlog; at `max_callback_backlog` events or
//! `max_callback_backlog_bytes` bytes the engine asks the driver to stop reading its
//! link (TCP then pushes back on the server), and it asks again for input once the
//! backlog has drained to half of both caps. While reading is paused, the deadlines that
//! wait for the server (liveness, R16; login response, R6) do not run: a stopped reader
//! is the client's doing, not the server's.

use std::collections::{HashSet, VecDeque};

use std::time::{Duration, Instant};

use super::link::LinkPhase;
use super::types::Event;
use super::Engine;

/// A QoS message handed to the application whose ACK waits for its delivery.
#[derive(Debug)]
struct DeferredAck {
    /// Number of the message's event.
    seq: u64,
    fp: String,
    /// The ACK frame, encoded when the message arrived.
    ack: String,
}

/// The backlog of emitted, not yet delivered events and the ACKs behind it.
#[derive(Debug)]
pub(super) struct Delivery {
    max_events: usize,
    max_bytes: usize,
    /// Events emitted so far (the number the next one gets).
    emitted: u64,
    /// Events the application has finished with.
    delivered: u64,
    /// Size of each undelivered event, oldest first (event number `delivered` first).
    sizes: VecDeque<usize>,
    bytes: usize,
    deferred: VecDeque<DeferredAck>,
    /// fps in `deferred`: their duplicates are neither delivered nor ACKed (R38).
    awaiting: HashSet<String>,
    /// ACKs of delivered messages that wait for a link with the login written.
    owed: Vec<String>,
    /// Reading is paused until the backlog drains to half of both caps.
    paused: bool,
}

/// What a delivery report changed.
pub(super) struct Delivered {
    /// ACK frames now due, in arrival order.
    pub(super) acks: Vec<String>,
    /// Reading was paused and may go on now.
    pub(super) resumed: bool,
}

impl Delivery {
    pub(super) fn new(max_events: usize, max_bytes: usize) -> Delivery {
        Delivery {
            max_events,
            max_bytes,
            emitted: 0,
            delivered: 0,
            sizes: VecDeque::new(),
            bytes: 0,
            deferred: VecDeque::new(),
            awaiting: HashSet::new(),
            owed: Vec::new(),
            paused: false,
        }
    }

    /// Counts an emitted event into the backlog; returns its number.
    pub(super) fn on_emit(&mut self, event: &Event) -> u64 {
        let seq = self.emitted;
        self.emitted += 1;
        let size = approximate_size(event);
        self.sizes.push_back(size);
        self.bytes += size;
        if self.sizes.len() >= self.max_events || self.bytes >= self.max_bytes {
            self.paused = true;
        }
        seq
    }

    /// The ACK of the QoS message emitted as event `seq` is written once it is delivered.
    pub(super) fn defer_ack(&mut self, seq: u64, fp: &str, ack: String) {
        self.awaiting.insert(fp.to_string());
        self.deferred.push_back(DeferredAck {
            seq,
            fp: fp.to_string(),
            ack,
        });
    }

    /// Whether a message with `fp` waits for its delivery (and so for its ACK).
    pub(super) fn is_awaiting(&self, fp: &str) -> bool {
        self.awaiting.contains(fp)
    }

    /// The application has finished with the first `total` events ever emitted.
    pub(super) fn on_delivered(&mut self, total: u64) -> Delivered {
        let total = total.min(self.emitted);
        while self.delivered < total {
            if let Some(size) = self.sizes.pop_front() {
                self.bytes -= size;
            }
            self.delivered += 1;
        }
        let mut acks = Vec::new();
        while self.deferred.front().is_some_and(|d| d.seq < total) {
            if let Some(done) = self.deferred.pop_front() {
                self.awaiting.remove(&done.fp);
                acks.push(done.ack);
            }
        }
        let resumed = self.paused
            && self.sizes.len() <= self.max_events / 2
            && self.bytes <= self.max_bytes / 2;
        if resumed {
            self.paused = false;
        }
        Delivered { acks, resumed }
    }

    /// The session ended: no ACK is written for what is still undelivered (R36).
    pub(super) fn forget_acks(&mut self) {
        self.deferred.clear();
        self.awaiting.clear();
        self.owed.clear();
    }

    /// ACKs of messages delivered while no link carried a login: written after the next
    /// successful login.
    pub(super) fn owe(&mut self, acks: Vec<String>) {
        self.owed.extend(acks);
    }

    pub(super) fn take_owed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.owed)
    }

    pub(super) fn is_paused(&self) -> bool {
        self.paused
    }

    pub(super) fn emitted(&self) -> u64 {
        self.emitted
    }

    /// Undelivered events and their approximate bytes.
    pub(super) fn backlog(&self) -> (usize, usize) {
        (self.sizes.len(), self.bytes)
    }

    /// How much the driver may still read before the backlog is full: frames and bytes
    /// (each frame read counts as one event of its own length). Nothing while paused.
    pub(super) fn read_budget(&self) -> ReadBudget {
        if self.paused {
            return ReadBudget {
                frames: 0,
                bytes: 0,
            };
        }
        ReadBudget {
            frames: self.max_events.saturating_sub(self.sizes.len()),
            bytes: self.max_bytes.saturating_sub(self.bytes),
        }
    }
}

/// How much the driver may read from its link now: it stops after `frames` frames or
/// once the frames read reach `bytes` bytes (the frame that crosses it is the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadBudget {
    pub frames: usize,
    pub bytes: usize,
}

impl ReadBudget {
    /// Whether anything may be read at all.
    pub fn allows_reading(&self) -> bool {
        self.frames > 0 && self.bytes > 0
    }

    /// Counts one frame of `len` bytes read.
    pub fn spend(&mut self, len: usize) {
        self.frames = self.frames.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(len.max(1));
    }
}

/// What an event holds in memory, roughly: its strings plus a fixed overhead.
fn approximate_size(event: &Event) -> usize {
    const OVERHEAD: usize = 64;
    OVERHEAD
        + match event {
            Event::Message(m) => m.fp.len() + m.from.len() + m.to.len() + m.content.len(),
            Event::ServerError { message, .. } => message.len(),
            Event::MessagesLost(lost) => lost
                .iter()
                .map(|l| OVERHEAD + l.fp.len() + l.to.len() + l.content.len())
                .sum(),
            Event::MessageAcked { fp } => fp.len(),
            Event::Kicked { reason, .. } => reason.len(),
            Event::Echo { text } => text.len(),
            Event::StateChanged { .. }
            | Event::LoginResult { .. }
            | Event::LinkClosed { .. }
            | Event::Released => 0,
        }
}

impl Engine {
    /// See [`Engine::events_delivered`].
    pub(super) fn on_events_delivered(&mut self, total: u64, now: Instant) {
        let Delivered { acks, resumed } = self.delivery.on_delivered(total);
        if !acks.is_empty() {
            // The link the login went out on (R9: frames are ACKed while AUTHENTICATING).
            let logged_in_link = self
                .link
                .as_ref()
                .is_some_and(|l| !matches!(l.phase, LinkPhase::Connecting { .. }));
            if logged_in_link {
                for ack in acks {
                    self.write_text(ack);
                }
            } else {
                self.delivery.owe(acks);
            }
        }
        if resumed {
            self.restart_server_deadlines(now);
        }
    }

    /// R61: reading resumes; the deadlines that wait for the server start again in full.
    fn restart_server_deadlines(&mut self, now: Instant) {
        let login_timeout = Duration::from_millis(self.config.login_timeout_ms);
        match self.link.as_mut().map(|l| &mut l.phase) {
            Some(LinkPhase::Online { keepalive, .. }) => keepalive.on_valid_envelope(now),
            Some(LinkPhase::Authenticating { deadline }) => *deadline = now + login_timeout,
            _ => {}
        }
    }

    /// R36: ACKs of messages delivered while the link was down, once ONLINE again.
    pub(super) fn write_owed_acks(&mut self) {
        for ack in self.delivery.take_owed() {
            self.write_text(ack);
        }
    }
}
