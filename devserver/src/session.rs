//! What the server does with each text frame of one connection (§6.1, §6.2): login,
//! keepalive, echo, logout, data (one-to-one, to the server, seed groups), ACKs, and the
//! 301/302/303 errors. Replies go through the connection's own channel.

use std::sync::Arc;
use std::time::Duration;

use imsdk::protocol::{
    decode_object, packet_type, Dialect, ErrorResponse, Packet, PacketKind, SERVER_ID, UNSET_ID,
};
use serde_json::Value;
use tokio::time::Instant;

use crate::log::debug;
use crate::login::LoginOutcome;
use crate::outbound::{ConnId, ConnTx, Outbound};
use crate::registry::{server_packet, Router};

/// Whether the connection goes on after a frame.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    /// Close now with 1000 "Bye" (after writing what is queued).
    Close,
}

/// The protocol state of one connection.
pub(crate) struct Session {
    conn: ConnId,
    tx: ConnTx,
    router: Arc<Router>,
    /// Set once a login is accepted on this connection.
    user: Option<String>,
    rate_window_start: Instant,
    rate_window_count: u32,
}

impl Session {
    pub fn new(conn: ConnId, tx: ConnTx, router: Arc<Router>) -> Session {
        Session {
            conn,
            tx,
            router,
            user: None,
            rate_window_start: Instant::now(),
            rate_window_count: 0,
        }
    }

    /// Whether a login was accepted on this connection.
    pub fn is_logged_in(&self) -> bool {
        self.user.is_some()
    }

    fn send(&self, text: String) {
        let _ = self.tx.send(Outbound::Frame(text));
    }

    /// Handles one text frame. Invalid frames close the link, as upstream does.
    pub fn on_text(&mut self, text: &str) -> Flow {
        let packet = match self.parse(text) {
            Some(packet) => packet,
            None => {
                debug!("conn {}: invalid frame, closing: {text}", self.conn);
                return Flow::Close;
            }
        };
        let kind = self.router.dialect().kind_of(packet.packet_type);
        if kind == PacketKind::Login {
            // Logged without the payload: it carries the token.
            debug!("conn {} <- login from {}", self.conn, packet.from);
        } else {
            debug!("conn {} <- {text}", self.conn);
        }
        match (&self.user, kind) {
            (_, PacketKind::Login) => self.on_login(&packet),
            (_, PacketKind::Echo) => {
                let echo = Packet {
                    packet_type: packet_type::ECHO_RESPONSE,
                    retry_count: 0,
                    ..packet
                };
                self.send(self.router.encode(&echo));
                Flow::Continue
            }
            (_, PacketKind::Logout) => Flow::Close,
            (None, PacketKind::Keepalive | PacketKind::Data | PacketKind::Ack) => {
                self.not_logged_in(&packet)
            }
            (Some(user), PacketKind::Keepalive) => {
                let user = user.clone();
                self.on_keepalive(&user);
                Flow::Continue
            }
            (Some(user), PacketKind::Ack) => {
                if let Some(fp) = packet.acked_fp() {
                    self.router.settle(user, fp);
                }
                Flow::Continue
            }
            (Some(_), PacketKind::Data) => {
                self.on_data(packet);
                Flow::Continue
            }
            _ => Flow::Continue,
        }
    }

    /// Decodes a frame; mobileimsdk reads only its own key names (P10), so the other
    /// dialect's aliases are removed before the lenient decoder sees them.
    fn parse(&self, text: &str) -> Option<Packet> {
        let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(text) else {
            return None;
        };
        let dialect = self.router.dialect();
        if strict_key_names(dialect) {
            let spec = dialect.spec();
            map.remove(spec.qos_alias);
            map.remove(spec.server_ts_alias);
        }
        decode_object(dialect, &map).ok()
    }

    fn on_login(&mut self, packet: &Packet) -> Flow {
        if let Some(user) = &self.user {
            self.router.relogin_same_connection(&self.tx, user);
            return Flow::Continue;
        }
        let Ok(info) = packet.login_info() else {
            debug!("conn {}: login without a user id, closing", self.conn);
            return Flow::Close;
        };
        if self.router.login(self.conn, &self.tx, &info) == LoginOutcome::Online {
            self.user = Some(info.user_id);
        }
        Flow::Continue
    }

    /// 301: the frame needs a login; the server names it and closes.
    fn not_logged_in(&self, packet: &Packet) -> Flow {
        self.send_error(UNSET_ID, 301, self.router.encode(packet));
        Flow::Close
    }

    fn send_error(&self, to: &str, code: i32, message: String) {
        let error = ErrorResponse {
            error_code: code,
            error_msg: message,
        };
        self.send(
            self.router
                .encode(&server_packet(packet_type::ERROR, to, error.encode())),
        );
    }

    fn on_keepalive(&self, user: &str) {
        if !self.router.faults.answer_keepalives() {
            return;
        }
        let answer = self.router.encode(&server_packet(
            packet_type::KEEPALIVE_RESPONSE,
            user,
            "{}".to_string(),
        ));
        // mobileimsdk answers the connection registered for the user id (§6.1).
        let target = match self.router.dialect() {
            Dialect::MobileImSdk => self
                .router
                .registered_tx(user)
                .unwrap_or_else(|| self.tx.clone()),
            Dialect::Seed => self.tx.clone(),
        };
        let _ = target.send(Outbound::Frame(answer));
    }

    /// seed: more than `max_msgs_per_sec` data frames in the current second.
    fn over_rate(&mut self) -> bool {
        let Some(max) = self.router.config.max_msgs_per_sec else {
            return false;
        };
        let now = Instant::now();
        if now.duration_since(self.rate_window_start) >= Duration::from_secs(1) {
            self.rate_window_start = now;
            self.rate_window_count = 0;
        }
        self.rate_window_count += 1;
        self.rate_window_count > max
    }

    fn on_data(&mut self, mut packet: Packet) {
        let Some(user) = self.user.clone() else {
            return;
        };
        packet.retry_count = 0;
        packet.server_ts = self.router.server_time_ms();
        let has_groups = self.router.dialect().spec().group_typeu;
        if has_groups.is_some() && self.over_rate() {
            self.send_error(&user, 302, self.router.encode(&packet));
            return;
        }
        let wants_ack = packet.qos && packet.fp.is_some();
        if packet.to == SERVER_ID {
            if wants_ack {
                self.ack_sender(SERVER_ID, &packet);
            }
            return;
        }
        if has_groups == Some(packet.typeu) {
            self.on_group_data(&user, &packet, wants_ack);
            return;
        }
        if self.router.keeps_offline_messages() {
            // seed: the 54 means "the server has it", stored or forwarded (§6.2).
            if wants_ack {
                self.ack_sender(SERVER_ID, &packet);
            }
            self.router.deliver_or_queue(&packet.to, &packet);
        } else {
            // mobileimsdk: the pseudo-ACK follows the write to the recipient (D8).
            let then = wants_ack.then(|| {
                self.router
                    .server_ack(&self.tx, &packet.to, &packet.from, packet.fp_str())
            });
            if !self.router.deliver(&packet.to, &packet, then) {
                debug!("{} is not online: message dropped", packet.to);
            }
        }
    }

    fn ack_sender(&self, from: &str, packet: &Packet) {
        let ack = self
            .router
            .server_ack(&self.tx, from, &packet.from, packet.fp_str());
        self.router.send_server_ack(ack);
    }

    fn on_group_data(&self, author: &str, packet: &Packet, wants_ack: bool) {
        let Some(members) = self.router.config.groups.get(&packet.to) else {
            // The 303 names the rejected frame, as 301 and 302 do, so the client can
            // report that message lost(REJECTED) at once (R56).
            self.send_error(author, 303, self.router.encode(packet));
            return;
        };
        if wants_ack {
            self.ack_sender(SERVER_ID, packet);
        }
        for member in members.iter().filter(|m| *m != author) {
            self.router.deliver_or_queue(member, packet);
        }
    }
}

/// mobileimsdk mimics upstream, which reads only its own key names (P10).
fn strict_key_names(dialect: Dialect) -> bool {
    dialect == Dialect::MobileImSdk
}
