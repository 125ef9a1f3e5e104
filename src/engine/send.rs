//! The send path (R3, R43–R52, R59): checks and envelopes for `send` and `echo`, the
//! flush of the QoS queue on a new link (R10) and the periodic QoS tick (R47).

use std::time::Instant;

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::protocol::{codes, encode, Packet, MAX_FP_BYTES, MAX_ID_BYTES};

use super::types::{Event, SendRequest, State};
use super::Engine;

impl Engine {
    /// R43–R46.
    pub(super) fn send_message(&mut self, req: SendRequest, now: Instant) -> Result<String> {
        let Some(user_id) = self.user_id() else {
            return Err(Error::new(codes::NO_LOGIN, "send() without a session"));
        };
        if req.to.is_empty() {
            return Err(Error::invalid_argument(
                "the receiver (`to`) must not be empty",
            ));
        }
        if req.to.len() > MAX_ID_BYTES {
            return Err(Error::invalid_argument(format!(
                "the receiver (`to`) is {} bytes (at most {MAX_ID_BYTES})",
                req.to.len()
            )));
        }
        if let Some(fp) = &req.fp {
            if fp.len() > MAX_FP_BYTES {
                return Err(Error::invalid_argument(format!(
                    "fingerprint is {} bytes (at most {MAX_FP_BYTES})",
                    fp.len()
                )));
            }
        }
        if !req.qos && !self.network_available {
            return Err(Error::new(
                codes::NETWORK_DOWN,
                "the network was reported unavailable",
            ));
        }
        if self.busy.is_busy(now) {
            return Err(Error::new(
                codes::SERVER_BUSY,
                "the server reported it is busy; retry later",
            ));
        }
        let typeu = req.typeu.unwrap_or(self.dialect.spec().default_send_typeu);
        let online = self.state == State::Online;
        if !req.qos {
            if !online {
                return Err(Error::new(
                    codes::LINK_DOWN,
                    "a message without QoS needs an ONLINE link",
                ));
            }
            let fp = req.fp.unwrap_or_default();
            let packet =
                Packet::data_owned(user_id, req.to, req.content, false, Some(fp.clone()), typeu);
            let text = encode(self.dialect, &packet);
            self.check_frame_size(text.len())?;
            self.reserve_outbound(text.len())?;
            self.stats.sent += 1;
            self.write_text(text);
            return Ok(fp);
        }
        let fp = match req.fp {
            Some(fp) if fp.is_empty() => {
                return Err(Error::invalid_argument("fingerprint must not be empty"))
            }
            Some(fp) if self.queue.contains(&fp) => {
                return Err(Error::invalid_argument(format!(
                    "fingerprint {fp} is already pending"
                )))
            }
            Some(fp) => fp,
            None => new_fp(),
        };
        if self.queue.len() >= self.config.max_pending_qos {
            return Err(Error::new(
                codes::QUEUE_FULL,
                format!("{} QoS messages are pending", self.queue.len()),
            ));
        }
        let packet =
            Packet::data_owned(user_id, req.to, req.content, true, Some(fp.clone()), typeu);
        let text = encode(self.dialect, &packet);
        // R3/R49: a resend may only grow by the digits of a larger retryCount.
        let growth = if self.dialect.spec().writes_retry_count {
            decimal_digits(self.config.qos_max_resends) - 1
        } else {
            0
        };
        self.check_frame_size(text.len() + growth)?;
        let key = self.queue.push(packet);
        if online {
            self.write_first(key, text, now);
        }
        Ok(fp)
    }

    /// R59.
    pub(super) fn send_echo(&mut self, text: &str, _now: Instant) -> Result<()> {
        let Some(user_id) = self.user_id() else {
            return Err(Error::new(codes::NO_LOGIN, "echo() without a session"));
        };
        if self.state != State::Online {
            return Err(Error::new(codes::LINK_DOWN, "echo() needs an ONLINE link"));
        }
        let frame = encode(self.dialect, &Packet::echo(user_id, text));
        self.check_frame_size(frame.len())?;
        self.reserve_outbound(frame.len())?;
        self.write_text(frame);
        Ok(())
    }

    /// R62: a frame without QoS is refused (1002) when it would push the bytes waiting to
    /// be written past `max_outbound_bytes`: the server is not reading.
    fn reserve_outbound(&mut self, size: usize) -> Result<()> {
        let waiting = self.outbound_bytes;
        if waiting + size > self.config.max_outbound_bytes {
            return Err(Error::new(
                codes::QUEUE_FULL,
                format!(
                    "{waiting} bytes wait to be written (max_outbound_bytes {}): \
                     the server is not reading; retry later",
                    self.config.max_outbound_bytes
                ),
            ));
        }
        Ok(())
    }

    fn check_frame_size(&self, size: usize) -> Result<()> {
        if size > self.config.max_frame_bytes {
            return Err(Error::new(
                codes::INVALID_PACKET,
                format!(
                    "frame would be {size} bytes (max_frame_bytes {})",
                    self.config.max_frame_bytes
                ),
            ));
        }
        Ok(())
    }

    /// The first write of a message accepted while ONLINE, with its already encoded text.
    fn write_first(&mut self, key: u64, text: String, now: Instant) {
        let Some(conn_id) = self.link.as_ref().map(|l| l.conn_id) else {
            return;
        };
        if let Some(entry) = self.queue.get_mut(key) {
            entry.written = Some((conn_id, now));
            self.stats.sent += 1;
            self.write_text(text);
        }
    }

    /// Writes queue entry `key` on the current link and records when.
    fn write_pending(&mut self, key: u64, is_resend: bool, now: Instant) {
        let Some(conn_id) = self.link.as_ref().map(|l| l.conn_id) else {
            return;
        };
        let Some(entry) = self.queue.get_mut(key) else {
            return;
        };
        entry.written = Some((conn_id, now));
        let text = entry.frame(self.dialect);
        if is_resend {
            self.stats.resent += 1;
            self.log_resend(key);
        } else {
            self.stats.sent += 1;
        }
        self.write_text(text);
    }

    /// R10/R48: every pending entry on the new link, in queue order.
    pub(super) fn flush_queue(&mut self, now: Instant) {
        for (key, is_resend) in self.queue.prepare_flush(self.config.qos_max_resends) {
            self.write_pending(key, is_resend, now);
        }
    }

    /// R47 (with R57: only expiry while busy).
    pub(super) fn qos_tick(&mut self, now: Instant) {
        self.dedup.expire(now);
        let online_conn = self
            .link
            .as_ref()
            .filter(|l| l.is_online())
            .map(|l| l.conn_id);
        let outcome = self.queue.tick(
            now,
            online_conn,
            self.ms(self.config.qos_just_now_ms),
            self.config.qos_max_resends,
            self.busy.is_busy(now),
        );
        if !outcome.expired.is_empty() {
            self.stats.lost += outcome.expired.len() as u64;
            self.emit(Event::MessagesLost(outcome.expired));
        }
        for key in outcome.resend {
            self.write_pending(key, true, now);
        }
    }
}

/// R43: a fresh lowercase UUID v4, formatted into a stack buffer rather than through
/// `Display` (this runs once per QoS message).
fn new_fp() -> String {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    // `String::from(&str)`: `to_string()` on the `&mut str` would go through `Display`.
    String::from(&*Uuid::new_v4().hyphenated().encode_lower(&mut buf))
}

/// Number of decimal digits of `n` (1 for 0).
fn decimal_digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r43_generated_fp_is_a_lowercase_hyphenated_uuid_v4() {
        let fp = new_fp();
        let parsed = Uuid::parse_str(&fp).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(fp, parsed.to_string());
        assert_eq!(fp, fp.to_lowercase());
        assert_ne!(new_fp(), fp);
    }
}
