//! The QoS send queue (R45–R49): every accepted QoS message waits here until it is acked,
//! expires after `qos_max_resends` resends, is rejected (R56) or the session ends (R34).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::protocol::{encode, Dialect, Packet};

use super::fp_hash::BuildFpHasher;
use super::types::{LossReason, LostMessage};

/// One accepted QoS message.
#[derive(Debug, Clone)]
pub(super) struct PendingMessage {
    /// The envelope as first written (`retry_count` 0).
    pub(super) packet: Packet,
    /// Resends counted so far (R47 c, R10 flush).
    pub(super) resends: u32,
    /// The link it was last written on, and when.
    pub(super) written: Option<(u64, Instant)>,
}

impl PendingMessage {
    pub(super) fn fp(&self) -> &str {
        self.packet.fp_str()
    }

    /// R49: same bytes as the first write, except seed's `retryCount` = resend number.
    pub(super) fn frame(&self, dialect: Dialect) -> String {
        let mut packet = self.packet.clone();
        packet.retry_count = self.resends;
        encode(dialect, &packet)
    }

    pub(super) fn lost(self, reason: LossReason) -> LostMessage {
        LostMessage {
            fp: self.packet.fp_str().to_string(),
            to: self.packet.to,
            content: self.packet.data_content.unwrap_or_default(),
            typeu: self.packet.typeu,
            reason,
        }
    }
}

/// What the QoS tick decided (R47).
#[derive(Debug, Default)]
pub(super) struct TickOutcome {
    /// Removed with lost(TIMEOUT), in queue order.
    pub(super) expired: Vec<LostMessage>,
    /// Keys of the entries to write again now, in queue order.
    pub(super) resend: Vec<u64>,
}

/// Pending QoS messages in acceptance order, indexed by fp.
#[derive(Debug, Default)]
pub(super) struct QosSendQueue {
    next_key: u64,
    // Boxed: removing from an ordered map shifts its node's values, and a whole packet
    // per value made every ack move kilobytes.
    entries: BTreeMap<u64, Box<PendingMessage>>,
    key_of: HashMap<String, u64, BuildFpHasher>,
}

impl QosSendQueue {
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn contains(&self, fp: &str) -> bool {
        self.key_of.contains_key(fp)
    }

    /// Appends an accepted message; returns its key.
    pub(super) fn push(&mut self, packet: Packet) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.key_of.insert(packet.fp_str().to_string(), key);
        self.entries.insert(
            key,
            Box::new(PendingMessage {
                packet,
                resends: 0,
                written: None,
            }),
        );
        key
    }

    pub(super) fn get_mut(&mut self, key: u64) -> Option<&mut PendingMessage> {
        self.entries.get_mut(&key).map(|entry| &mut **entry)
    }

    /// Removes the entry with `fp` (acked, R40; rejected, R56).
    pub(super) fn remove(&mut self, fp: &str) -> Option<PendingMessage> {
        let key = self.key_of.remove(fp)?;
        self.entries.remove(&key).map(|entry| *entry)
    }

    /// Every entry in queue order (R34), leaving the queue empty.
    pub(super) fn drain_all(&mut self) -> Vec<PendingMessage> {
        self.key_of.clear();
        std::mem::take(&mut self.entries)
            .into_values()
            .map(|entry| *entry)
            .collect()
    }

    /// R10 flush on a new link: keys in queue order; an entry written on an earlier link
    /// counts one resend, capped at `max_resends`.
    pub(super) fn prepare_flush(&mut self, max_resends: u32) -> Vec<(u64, bool)> {
        self.entries
            .iter_mut()
            .map(|(&key, entry)| {
                let is_resend = entry.written.is_some();
                if is_resend {
                    entry.resends = (entry.resends + 1).min(max_resends);
                }
                (key, is_resend)
            })
            .collect()
    }

    /// R47 over the queue in order. `online_conn` is the ONLINE link, if any; with `busy`
    /// (R57) only step (a) runs. An entry last written at most `just_now` ago is never
    /// expired, on whichever link.
    pub(super) fn tick(
        &mut self,
        now: Instant,
        online_conn: Option<u64>,
        just_now: Duration,
        max_resends: u32,
        busy: bool,
    ) -> TickOutcome {
        let mut out = TickOutcome::default();
        let keys: Vec<u64> = self.entries.keys().copied().collect();
        for key in keys {
            let Some(entry) = self.entries.get_mut(&key) else {
                continue;
            };
            // Whatever its count, an entry written just now may have its ACK on the way
            // (the R10 flush rewrites entries whose budget is used up): the next tick
            // decides.
            let young = entry
                .written
                .is_some_and(|(_, at)| now.saturating_duration_since(at) <= just_now);
            if entry.resends >= max_resends {
                if young {
                    continue;
                }
                if let Some(entry) = self.entries.remove(&key) {
                    self.key_of.remove(entry.fp());
                    out.expired.push(entry.lost(LossReason::Timeout));
                }
                continue;
            }
            if busy {
                continue;
            }
            let written_just_now = match (entry.written, online_conn) {
                (Some((conn, _)), Some(current)) => young && conn == current,
                _ => false,
            };
            if written_just_now {
                continue;
            }
            entry.resends += 1;
            if online_conn.is_some() {
                out.resend.push(key);
            }
        }
        out
    }
}
