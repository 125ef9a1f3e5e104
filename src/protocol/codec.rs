//! Envelope encoder (strict, §3.2). Pure functions. The decoder is in `decoder`; its
//! items are re-exported here.

use super::dialect::{Absent, AckAddressing, Dialect};
use super::json::{push_i64, push_json_str};
use super::packet::{Packet, SERVER_ID};
use super::packet_type;

pub use super::decoder::{decode, decode_object, DecodeError, MAX_ID_BYTES};

/// Serialises `packet` in the dialect's exact shape and key order (§3.2).
pub fn encode(dialect: Dialect, packet: &Packet) -> String {
    Envelope::of(packet).encode(dialect)
}

/// The bytes of `encode(dialect, &Packet::ack_for(dialect, received, own_user_id)?)`,
/// written straight from `received` (R36): the receive path makes no copy of the fp and
/// the addresses for an ACK packet it would drop at once.
pub fn encode_ack(dialect: Dialect, received: &Packet, own_user_id: &str) -> Option<String> {
    Envelope::ack_for(dialect, received, own_user_id).map(|ack| ack.encode(dialect))
}

/// The fields of a frame to write, borrowed: a [`Packet`], or the ACK of one.
pub(super) struct Envelope<'a> {
    bridge: bool,
    packet_type: i32,
    data_content: Option<&'a str>,
    from: &'a str,
    to: &'a str,
    fp: Option<&'a str>,
    qos: bool,
    typeu: i32,
    retry_count: u32,
    server_ts: i64,
}

impl<'a> Envelope<'a> {
    fn of(packet: &'a Packet) -> Envelope<'a> {
        Envelope {
            bridge: packet.bridge,
            packet_type: packet.packet_type,
            data_content: packet.data_content.as_deref(),
            from: &packet.from,
            to: &packet.to,
            fp: packet.fp.as_deref(),
            qos: packet.qos,
            typeu: packet.typeu,
            retry_count: packet.retry_count,
            server_ts: packet.server_ts,
        }
    }

    /// R36, D9: type 4, `dataContent` = the fp, `bridge` echoed, everything else at its
    /// default; `None` when `received` has no fp (an empty fp is none, as on the wire).
    pub(super) fn ack_for(
        dialect: Dialect,
        received: &'a Packet,
        own_user_id: &'a str,
    ) -> Option<Envelope<'a>> {
        let fp = received.fp.as_deref().filter(|fp| !fp.is_empty())?;
        let (from, to) = match dialect.spec().ack_addressing {
            AckAddressing::SenderToServer => (received.from.as_str(), SERVER_ID),
            AckAddressing::SelfToSender => (own_user_id, received.from.as_str()),
        };
        // The other fields keep the defaults of `Packet::new`.
        Some(Envelope {
            bridge: received.bridge,
            packet_type: packet_type::ACK,
            data_content: Some(fp),
            from,
            to,
            fp: None,
            qos: false,
            typeu: -1,
            retry_count: 0,
            server_ts: -1,
        })
    }

    pub(super) fn to_packet(&self) -> Packet {
        Packet {
            bridge: self.bridge,
            packet_type: self.packet_type,
            data_content: self.data_content.map(str::to_string),
            from: self.from.to_string(),
            to: self.to.to_string(),
            fp: self.fp.map(str::to_string),
            qos: self.qos,
            typeu: self.typeu,
            retry_count: self.retry_count,
            server_ts: self.server_ts,
        }
    }

    fn encode(&self, dialect: Dialect) -> String {
        let spec = dialect.spec();
        // Fixed keys and numbers take under 160 bytes; escaping rarely grows text by 1/8.
        let text_len = self.data_content.map_or(0, str::len)
            + self.from.len()
            + self.to.len()
            + self.fp.map_or(0, str::len);
        let mut out = String::with_capacity(160 + text_len + text_len / 8);
        out.push_str("{\"bridge\":");
        out.push_str(if self.bridge { "true" } else { "false" });
        out.push_str(",\"type\":");
        push_i64(&mut out, self.packet_type.into());
        match self.data_content {
            Some(content) => {
                out.push_str(",\"dataContent\":");
                push_json_str(&mut out, content);
            }
            None => push_absent(&mut out, "dataContent", spec.data_content_absent),
        }
        out.push_str(",\"from\":");
        push_json_str(&mut out, self.from);
        out.push_str(",\"to\":");
        push_json_str(&mut out, self.to);
        match self.fp {
            Some(fp) => {
                out.push_str(",\"fp\":");
                push_json_str(&mut out, fp);
            }
            None => push_absent(&mut out, "fp", spec.fp_absent),
        }
        push_key(&mut out, spec.qos_key);
        out.push_str(if self.qos { "true" } else { "false" });
        out.push_str(",\"typeu\":");
        push_i64(&mut out, self.typeu.into());
        if spec.writes_retry_count {
            out.push_str(",\"retryCount\":");
            push_i64(&mut out, self.retry_count.into());
        }
        // D2: a server time <= 0 means none (`Packet::server_time`).
        if self.server_ts > 0 {
            push_key(&mut out, spec.server_ts_key);
            push_i64(&mut out, self.server_ts);
        } else {
            push_absent(&mut out, spec.server_ts_key, spec.server_ts_absent);
        }
        out.push('}');
        out
    }
}

/// Appends `,"key":` (keys are plain ASCII names that need no escaping).
fn push_key(out: &mut String, key: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
}

fn push_absent(out: &mut String, key: &str, absent: Absent) {
    let value = match absent {
        Absent::Omit => return,
        Absent::Null => "null",
        Absent::EmptyString => "\"\"",
        Absent::MinusOne => "-1",
    };
    push_key(out, key);
    out.push_str(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r36_ack_keeps_the_defaults_of_packet_new_and_encode_ack_writes_its_bytes() {
        for dialect in Dialect::ALL {
            for bridge in [false, true] {
                let mut received = Packet::data("bob", "me", "hi", true, Some("fp-1"), 3);
                received.bridge = bridge;
                received.server_ts = 1_795_631_394_970;
                received.retry_count = 2;
                let ack = Packet::ack_for(dialect, &received, "me").unwrap();
                let expected = Packet {
                    bridge,
                    data_content: Some("fp-1".into()),
                    from: ack.from.clone(),
                    to: ack.to.clone(),
                    ..Packet::new(packet_type::ACK)
                };
                assert_eq!(ack, expected);
                assert_eq!(
                    encode_ack(dialect, &received, "me"),
                    Some(encode(dialect, &ack))
                );
            }
            for fp in [None, Some("")] {
                let received = Packet::data("bob", "me", "hi", true, fp, 3);
                assert_eq!(Packet::ack_for(dialect, &received, "me"), None);
                assert_eq!(encode_ack(dialect, &received, "me"), None);
            }
        }
    }
}
