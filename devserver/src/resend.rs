//! The server's one resend of a forwarded QoS message its recipient has not acked
//! (§6.1: once, same fp, then give up). Deadlines are queued in order (the delay is the
//! same for every message), so one task sleeping until the earliest serves them all.

use std::sync::Arc;
use std::time::Duration;

use imsdk::protocol::Packet;
use tokio::time::Instant;

use crate::log::debug;
use crate::outbound::Outbound;
use crate::registry::{Router, State};

impl Router {
    /// Remembers a forwarded QoS message until its recipient acks it or it is resent.
    pub(crate) fn track_resend(
        &self,
        state: &mut State,
        recipient: &str,
        fp: &str,
        packet: &Packet,
    ) {
        let due = Instant::now() + Duration::from_millis(self.config.resend_after_ms);
        state
            .pending
            .insert((recipient.to_string(), fp.to_string()), packet.clone());
        let was_empty = state.resend_due.is_empty();
        state
            .resend_due
            .push_back((due, recipient.to_string(), fp.to_string()));
        if was_empty {
            self.resend_wakeup.notify_one();
        }
    }

    /// Resends what is due; returns the next deadline, if any.
    fn resend_due_now(&self) -> Option<Instant> {
        let now = Instant::now();
        let mut state = self.state.lock();
        while let Some((due, _, _)) = state.resend_due.front() {
            if *due > now {
                return Some(*due);
            }
            let Some((_, recipient, fp)) = state.resend_due.pop_front() else {
                break;
            };
            let Some(packet) = state.pending.remove(&(recipient.clone(), fp)) else {
                continue;
            };
            let tx = state
                .online
                .get(&recipient)
                .and_then(|r| state.conns.get(&r.conn))
                .map(|c| c.tx.clone());
            match tx {
                Some(_) if self.faults.drop_forwards() => {
                    debug!("fault: resend to {recipient} dropped");
                }
                Some(tx) => {
                    debug!("resending {} to {recipient}", packet.fp_str());
                    let _ = tx.send(Outbound::Frame(self.encode(&packet)));
                }
                None if self.keeps_offline_messages() => {
                    self.queue_offline(&mut state, &recipient, packet);
                }
                None => {}
            }
        }
        None
    }
}

/// Runs until aborted: sleeps until the earliest resend deadline, then resends.
pub(crate) async fn run_resend_task(router: Arc<Router>) {
    loop {
        match router.resend_due_now() {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => router.resend_wakeup.notified().await,
        }
    }
}
