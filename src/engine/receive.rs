//! The receive path (R35–R42, with R26, R28, R56, R57): parse, keep the link alive,
//! de-duplicate, ACK (a message once delivered, anything else at once), then dispatch by
//! the packet's meaning in this dialect.

use std::time::Instant;

use crate::log::LogLevel;
use crate::protocol::{codes, decode, encode_ack, Packet, PacketKind};

use super::end_session::Terminal;
use super::link::LinkPhase;
use super::types::{Event, LinkClosedReason, LossReason, Message, State};
use super::Engine;

impl Engine {
    /// One text frame on the current link (AUTHENTICATING or ONLINE, R9).
    pub(super) fn on_frame(&mut self, text: &str, now: Instant) {
        let packet = match decode(self.dialect, text) {
            Ok(packet) => packet,
            Err(e) => {
                // R35: the frame text itself is not logged (it may be large).
                self.log(
                    LogLevel::Warn,
                    format!("invalid frame of {} bytes dropped: {e}", text.len()),
                );
                return;
            }
        };
        self.log_frame_in(&packet, text.len());
        // R15: every valid envelope keeps an ONLINE link alive.
        if let Some(LinkPhase::Online { keepalive, .. }) = self.link.as_mut().map(|l| &mut l.phase)
        {
            keepalive.on_valid_envelope(now);
        }
        let kind = self.dialect.kind_of(packet.packet_type);
        let login_response = (kind == PacketKind::LoginResponse).then(|| packet.login_response());
        let refused_login = matches!(&login_response, Some(Err(_)))
            || matches!(&login_response, Some(Ok(r)) if r.code != 0);
        // R36, R37, R40, R12: ACK duty. A message (type 2) is ACKed once the application
        // has it (its callback returned, see delivery.rs); any other frame at once.
        let mut deferred_ack = None;
        if packet.qos && kind != PacketKind::Ack && !refused_login {
            if let Some(fp) = packet.fp.as_deref() {
                let is_message = kind == PacketKind::Data;
                if is_message && self.delivery.is_awaiting(fp) {
                    // R38: a copy of a message still waiting for its delivery: neither
                    // delivered again nor ACKed before the first copy was delivered.
                    self.dedup.check_and_touch(fp, now);
                    self.stats.duplicates += 1;
                    self.log(
                        LogLevel::Debug,
                        format!("duplicate {fp} not dispatched; ACKed once delivered"),
                    );
                    return;
                }
                // R38: a duplicate is ACKed again but not dispatched. A login response is
                // never held back: a server reusing its fp must not stall the login.
                let duplicate =
                    kind != PacketKind::LoginResponse && self.dedup.check_and_touch(fp, now);
                if is_message && !duplicate {
                    deferred_ack = self.ack_text(&packet);
                } else {
                    self.write_ack(&packet);
                }
                if duplicate {
                    self.stats.duplicates += 1;
                    self.log(
                        LogLevel::Debug,
                        format!("duplicate {fp} ACKed, not dispatched"),
                    );
                    return;
                }
            }
        }
        match kind {
            PacketKind::LoginResponse => {
                if self.state == State::Authenticating {
                    if let Some(response) = login_response {
                        self.on_login_response(response, now);
                    }
                } else {
                    // R13.
                    self.log(
                        LogLevel::Debug,
                        "login response outside AUTHENTICATING ignored",
                    );
                }
            }
            PacketKind::KeepaliveResponse => self.on_keepalive_response(now),
            PacketKind::Data => self.dispatch_message(packet, deferred_ack),
            PacketKind::Ack => self.on_ack(packet),
            PacketKind::Error => self.on_server_error(&packet, now),
            PacketKind::EchoResponse => self.emit(Event::Echo {
                text: packet.content().to_string(),
            }),
            PacketKind::Kickout => self.on_kickout(&packet, now),
            PacketKind::Login
            | PacketKind::Keepalive
            | PacketKind::Logout
            | PacketKind::Echo
            | PacketKind::Unknown => self.log(
                LogLevel::Debug,
                format!("frame of type {} ignored", packet.packet_type),
            ),
        }
    }

    /// R36: type 4, addressed per the dialect (D9), `bridge` echoed.
    fn write_ack(&mut self, received: &Packet) {
        if let Some(text) = self.ack_text(received) {
            self.write_text(text);
        }
    }

    fn ack_text(&self, received: &Packet) -> Option<String> {
        let own = self.session.as_ref().map_or("", |s| s.user_id.as_str());
        encode_ack(self.dialect, received, own)
    }

    fn on_keepalive_response(&mut self, now: Instant) {
        if let Some(LinkPhase::Online { keepalive, .. }) = self.link.as_mut().map(|l| &mut l.phase)
        {
            if let Some(rtt) = keepalive.on_response(now) {
                self.stats.last_keepalive_rtt_ms = rtt.as_millis() as i64;
            }
        }
    }

    /// R41; `deferred_ack` is written once the application has the message (R36).
    fn dispatch_message(&mut self, packet: Packet, deferred_ack: Option<String>) {
        self.stats.received += 1;
        if let (Some(ack), Some(fp)) = (deferred_ack, packet.fp.as_deref()) {
            let seq = self.delivery.emitted();
            self.delivery.defer_ack(seq, fp, ack);
        }
        let server_time = packet.server_time();
        self.emit(Event::Message(Message {
            fp: packet.fp.unwrap_or_default(),
            from: packet.from,
            to: packet.to,
            content: packet.data_content.unwrap_or_default(),
            typeu: packet.typeu,
            server_time,
            qos: packet.qos,
            bridge: packet.bridge,
        }));
    }

    /// R40: settle a pending message once; anything else is ignored (and counted).
    fn on_ack(&mut self, packet: Packet) {
        let fp = packet.acked_fp().unwrap_or("");
        match self.queue.remove(fp) {
            Some(_) => {
                self.stats.acked += 1;
                // The event takes the frame's own copy of the fp (`acked_fp` is `dataContent`).
                let fp = packet.data_content.unwrap_or_default();
                self.emit(Event::MessageAcked { fp });
            }
            None => {
                self.stats.ignored_acks += 1;
                self.log(
                    LogLevel::Debug,
                    format!("ACK for unknown fp {fp:?} ignored"),
                );
            }
        }
    }

    /// R42: report, then react (R26, R56, R57) to the codes this dialect defines.
    fn on_server_error(&mut self, packet: &Packet, now: Instant) {
        let response = match packet.error_response() {
            Ok(r) => r,
            Err(e) => {
                self.log(
                    LogLevel::Warn,
                    format!("undecodable error frame ignored: {e}"),
                );
                return;
            }
        };
        let code = response.error_code;
        self.emit(Event::ServerError {
            code,
            message: response.error_msg.clone(),
        });
        if !self.dialect.spec().error_codes.contains(&code) {
            self.log(
                LogLevel::Info,
                format!("server error {code} has no reaction"),
            );
            return;
        }
        match code {
            codes::SERVER_NOT_LOGGED_IN => self.on_not_logged_in(now),
            codes::SERVER_BUSY => {
                let window = self.busy.on_busy(now);
                self.log(
                    LogLevel::Info,
                    format!("server busy: sends refused for {} ms", window.as_millis()),
                );
            }
            codes::SERVER_NO_SUCH_GROUP => self.on_rejected(&response.error_msg),
            _ => {}
        }
    }

    /// R26: fails the manual login, else a link loss; R27: the named message stays queued.
    fn on_not_logged_in(&mut self, now: Instant) {
        match self.state {
            State::Online => self.link_lost(LinkClosedReason::NotLoggedIn, true, now),
            State::Authenticating => {
                self.attempt_failed(codes::SERVER_NOT_LOGGED_IN, "server error 301", now)
            }
            _ => {}
        }
    }

    /// R56: the frame embedded in a 303 names a pending message → lost(REJECTED).
    fn on_rejected(&mut self, error_msg: &str) {
        let Ok(named) = decode(self.dialect, error_msg) else {
            return;
        };
        let Some(fp) = named.fp.as_deref() else {
            return;
        };
        if let Some(message) = self.queue.remove(fp) {
            self.stats.lost += 1;
            self.emit(Event::MessagesLost(
                vec![message.lost(LossReason::Rejected)],
            ));
        }
    }

    /// R28: kicked; the session ends without re-login.
    fn on_kickout(&mut self, packet: &Packet, now: Instant) {
        let info = packet.kickout_info().unwrap_or_default();
        self.log(
            LogLevel::Warn,
            format!("kicked out with code {}", info.code),
        );
        self.end_session(
            Terminal::Kicked {
                code: info.code,
                reason: info.reason.unwrap_or_default(),
            },
            now,
        );
    }
}
