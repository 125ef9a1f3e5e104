//! The engine's output queue: frames to write, links to open or close, events and logs,
//! in the order the driver must carry them out. Log records are queued only when their
//! level is enabled (the driver writes them after releasing the engine lock).

use crate::log::{self, LogLevel};
use crate::protocol::{encode, Packet};

use super::types::{Action, Event, State, StateReason};
use super::Engine;

impl Engine {
    pub(super) fn emit(&mut self, event: Event) {
        self.log_event(&event);
        self.delivery.on_emit(&event);
        self.actions.push_back(Action::Emit(event));
    }

    /// Queues a record if `level` is enabled. Build costly messages only after checking
    /// [`log::enabled`] yourself.
    pub(super) fn log(&mut self, level: LogLevel, message: impl Into<String>) {
        if log::enabled(level) {
            self.actions.push_back(Action::Log {
                level,
                message: message.into(),
            });
        }
    }

    /// Writes `packet` on the current link (R2: the dialect's exact shape).
    pub(super) fn write_packet(&mut self, packet: &Packet) {
        let text = encode(self.dialect, packet);
        self.write_text(text);
    }

    pub(super) fn write_text(&mut self, text: String) {
        if let Some(conn_id) = self.link.as_ref().map(|l| l.conn_id) {
            self.log_frame_out(&text);
            // R62: counted until the driver reports what really waits.
            self.outbound_bytes += text.len();
            self.actions.push_back(Action::Send { conn_id, text });
        }
    }

    /// Asks the driver to close the current link and forgets it (R1: later input for it
    /// is stale).
    pub(super) fn close_link(&mut self) {
        if let Some(link) = self.link.take() {
            self.actions.push_back(Action::Close {
                conn_id: link.conn_id,
            });
        }
    }

    /// Every state change is reported (§9.1); `attempt`/`delay_ms` only for WAITING.
    pub(super) fn set_state(
        &mut self,
        state: State,
        reason: StateReason,
        attempt: u32,
        delay_ms: u64,
    ) {
        self.log_state_change(state, reason, attempt, delay_ms);
        self.state = state;
        self.emit(Event::StateChanged {
            state,
            reason,
            attempt,
            delay_ms,
        });
    }
}
