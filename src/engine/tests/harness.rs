//! A fake driver for engine tests: records every action, plays the server's frames and
//! advances a simulated clock through the engine's own deadlines. No sockets, no sleeps.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::engine::{
    Action, Engine, EngineConfig, Event, LinkError, LoginRequest, SendRequest, State,
    TransportEvent,
};
use crate::protocol::{
    decode, encode, packet_type as pt, Dialect, ErrorResponse, KickoutInfo, LoginResponse, Packet,
};

pub const USER: &str = "alice";
pub const TOKEN: &str = "secret-token-xyz";

pub struct Harness {
    pub engine: Engine,
    pub dialect: Dialect,
    pub start: Instant,
    pub now: Instant,
    /// Actions not yet taken by the test.
    out: Vec<Action>,
    /// Every action ever produced (for whole-run checks such as "token never logged").
    pub all: Vec<Action>,
    /// The connection of the last `Connect`.
    pub conn: Option<u64>,
    pub user: String,
    /// Whether every emitted event counts as delivered at once (an application whose
    /// callbacks return immediately); off, the test reports deliveries itself.
    pub auto_deliver: bool,
    delivered: u64,
}

impl Harness {
    pub fn new(dialect: Dialect) -> Harness {
        Harness::with_config(EngineConfig::new(dialect))
    }

    pub fn with_config(config: EngineConfig) -> Harness {
        let dialect = config.dialect;
        let start = Instant::now();
        // Every record, as the logs of a sink at TRACE would show them.
        crate::log::thread_override::set(Some(crate::log::LogLevel::Trace));
        Harness {
            engine: Engine::new(config).unwrap(),
            dialect,
            start,
            now: start,
            out: Vec::new(),
            all: Vec::new(),
            conn: None,
            user: USER.to_string(),
            auto_deliver: true,
            delivered: 0,
        }
    }

    /// Config with a tweak, for both dialects' defaults.
    pub fn config(dialect: Dialect, tweak: impl FnOnce(&mut EngineConfig)) -> Harness {
        let mut config = EngineConfig::new(dialect);
        tweak(&mut config);
        Harness::with_config(config)
    }

    fn pump(&mut self) {
        loop {
            while let Some(action) = self.engine.poll_action() {
                if let Action::Connect { conn_id } = action {
                    self.conn = Some(conn_id);
                }
                self.all.push(action.clone());
                self.out.push(action);
            }
            let emitted = self.engine.events_emitted();
            if !self.auto_deliver || self.delivered == emitted {
                return;
            }
            self.delivered = emitted;
            self.engine.events_delivered(emitted, self.now);
        }
    }

    /// Reports the first `total` events as delivered (with `auto_deliver` off).
    pub fn deliver(&mut self, total: u64) {
        self.pump();
        self.engine.events_delivered(total, self.now);
        self.pump();
    }

    /// Actions since the last take.
    pub fn take(&mut self) -> Vec<Action> {
        self.pump();
        std::mem::take(&mut self.out)
    }

    /// Every action so far, including those not yet taken.
    pub fn history(&mut self) -> Vec<Action> {
        self.pump();
        self.all.clone()
    }

    /// Events since the last take (other actions dropped).
    pub fn events(&mut self) -> Vec<Event> {
        events(&self.take())
    }

    /// Moves the clock forward by `ms`, firing every deadline on the way at its exact time.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now + Duration::from_millis(ms);
        while let Some(deadline) = self.engine.poll_timeout() {
            if deadline > target {
                break;
            }
            self.now = self.now.max(deadline);
            self.engine.handle_timeout(self.now);
            self.pump();
        }
        self.now = target;
        self.pump();
    }

    pub fn login_req(&self) -> LoginRequest {
        LoginRequest {
            user_id: self.user.clone(),
            token: TOKEN.to_string(),
            app: Some("testapp".to_string()),
            extra: None,
        }
    }

    pub fn login(&mut self) {
        let req = self.login_req();
        self.engine.login(req, self.now).unwrap();
        self.pump();
    }

    pub fn transport(&mut self, event: TransportEvent) {
        self.pump();
        let conn = self.conn.expect("no connection requested");
        self.engine.handle_transport(conn, event, self.now);
        self.pump();
    }

    pub fn connected(&mut self) {
        self.transport(TransportEvent::Connected);
    }

    pub fn closed(&mut self, error: LinkError) {
        self.transport(TransportEvent::Closed(error));
    }

    /// The server writes `text` on the current connection.
    pub fn server_text(&mut self, text: &str) {
        self.transport(TransportEvent::Frame(text.to_string()));
    }

    pub fn server(&mut self, packet: &Packet) {
        let text = encode(self.dialect, packet);
        self.server_text(&text);
    }

    pub fn login_response(&mut self, code: i32, first_login_time: i64) {
        let packet = self.login_response_packet(code, first_login_time);
        self.server(&packet);
    }

    pub fn login_response_packet(&self, code: i32, first_login_time: i64) -> Packet {
        Packet {
            data_content: Some(
                LoginResponse {
                    code,
                    first_login_time,
                }
                .encode(self.dialect),
            ),
            from: "0".into(),
            to: self.user.clone(),
            ..Packet::new(pt::LOGIN_RESPONSE)
        }
    }

    /// login → connected → 50 code 0; actions taken.
    pub fn online(&mut self) {
        self.login();
        self.connected();
        self.login_response(0, 1_795_630_938_309);
        assert_eq!(self.engine.state(), State::Online);
        self.take();
    }

    /// From WAITING: let the scheduled attempt start and its link connect (the login
    /// frame is written; no answer yet).
    pub fn relogin_connected(&mut self) {
        let before = self.conn;
        self.advance_until(|h| h.conn != before && h.engine.state() == State::Connecting);
        self.connected();
    }

    /// From WAITING: let the scheduled attempt start, connect and log in again.
    pub fn relogin(&mut self) {
        self.relogin_connected();
        self.login_response(0, 1_795_630_938_309);
        assert_eq!(self.engine.state(), State::Online);
    }

    /// Advances in 10 ms steps until `cond` holds (at most 10 simulated minutes).
    pub fn advance_until(&mut self, cond: impl Fn(&Harness) -> bool) {
        for _ in 0..60_000 {
            self.pump();
            if cond(self) {
                return;
            }
            self.advance(10);
        }
        panic!("condition not reached");
    }

    pub fn send(&mut self, req: SendRequest) -> crate::error::Result<String> {
        let r = self.engine.send(req, self.now);
        self.pump();
        r
    }

    pub fn send_qos(&mut self, to: &str, content: &str) -> String {
        self.send(SendRequest::new(to, content)).unwrap()
    }

    pub fn data_packet(&self, from: &str, fp: Option<&str>, qos: bool, content: &str) -> Packet {
        Packet::data(from, &self.user, content, qos, fp, -1)
    }

    /// The server's ACK of our QoS message `fp` (D7: the dialect's ACK type).
    pub fn server_ack(&mut self, fp: &str) {
        let packet = Packet {
            data_content: Some(fp.to_string()),
            from: "0".into(),
            to: self.user.clone(),
            ..Packet::new(self.dialect.server_ack_type())
        };
        self.server(&packet);
    }

    pub fn server_error(&mut self, code: i32, msg: &str) {
        let packet = Packet {
            data_content: Some(
                ErrorResponse {
                    error_code: code,
                    error_msg: msg.to_string(),
                }
                .encode(),
            ),
            from: "0".into(),
            to: self.user.clone(),
            ..Packet::new(pt::ERROR)
        };
        self.server(&packet);
    }

    pub fn kickout(&mut self, code: i32, reason: Option<&str>) {
        let packet = Packet {
            data_content: Some(
                KickoutInfo {
                    code,
                    reason: reason.map(str::to_string),
                }
                .encode(),
            ),
            from: "0".into(),
            to: self.user.clone(),
            ..Packet::new(pt::SERVER_ACK_OR_KICKOUT)
        };
        self.server(&packet);
    }
}

pub fn events(actions: &[Action]) -> Vec<Event> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

/// Texts written, in order.
pub fn frames(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Frames written, decoded.
pub fn packets(dialect: Dialect, actions: &[Action]) -> Vec<Packet> {
    frames(actions)
        .iter()
        .map(|t| decode(dialect, t).unwrap())
        .collect()
}

/// Packets written of `packet_type`.
pub fn written_of_type(dialect: Dialect, actions: &[Action], packet_type: i32) -> Vec<Packet> {
    packets(dialect, actions)
        .into_iter()
        .filter(|p| p.packet_type == packet_type)
        .collect()
}

pub fn connects(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Connect { .. }))
        .count()
}

pub fn closes(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Close { .. }))
        .count()
}

pub fn lost_fps(events: &[Event]) -> Vec<(String, crate::engine::LossReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::MessagesLost(list) => Some(list.iter().map(|m| (m.fp.clone(), m.reason))),
            _ => None,
        })
        .flatten()
        .collect()
}

pub fn state_changes(events: &[Event]) -> Vec<(State, crate::engine::StateReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StateChanged { state, reason, .. } => Some((*state, *reason)),
            _ => None,
        })
        .collect()
}

/// One line of tests/vectors/<dialect>.jsonl.
pub struct Vector {
    pub case: String,
    pub dir: String,
    pub raw: String,
    pub expect: Value,
}

pub fn vectors(dialect: Dialect) -> Vec<Vector> {
    let text = match dialect {
        Dialect::Seed => include_str!("../../../tests/vectors/seed.jsonl"),
        Dialect::MobileImSdk => include_str!("../../../tests/vectors/mobileimsdk.jsonl"),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            Vector {
                case: v["case"].as_str().unwrap().to_string(),
                dir: v["dir"].as_str().unwrap().to_string(),
                raw: v["raw"].as_str().unwrap_or("").to_string(),
                expect: v["expect"].clone(),
            }
        })
        .collect()
}

pub fn vector(dialect: Dialect, case: &str) -> Vector {
    vectors(dialect)
        .into_iter()
        .find(|v| v.case == case)
        .unwrap_or_else(|| panic!("no vector {case}"))
}

/// Actions other than logs.
pub fn significant(actions: Vec<Action>) -> Vec<Action> {
    actions
        .into_iter()
        .filter(|a| !matches!(a, Action::Log { .. }))
        .collect()
}

/// Raw texts of the type-2 frames written.
pub fn data_frames(dialect: Dialect, actions: &[Action]) -> Vec<String> {
    frames(actions)
        .into_iter()
        .filter(|t| decode(dialect, t).unwrap().packet_type == pt::COMMON_DATA)
        .collect()
}
