//! Randomised scenarios (seeded, deterministic) checking the guarantees that every rule
//! together must keep: one link at a time (R1), exactly one outcome per accepted QoS
//! message (R45), one result per manual login (R8), `Released` last (R32).

use std::collections::{HashMap, HashSet};

use super::harness::*;
use crate::engine::rng::Rng;
use crate::engine::{Action, Event, LinkError, SendRequest, TransportEvent};
use crate::protocol::{packet_type as pt, Dialect, Packet};

struct Checker {
    open: Option<u64>,
    outcomes: HashMap<String, u32>,
    accepted: HashSet<String>,
    manual_logins: u32,
    manual_results: u32,
    released: u32,
    after_release: bool,
}

impl Checker {
    fn observe(&mut self, actions: Vec<Action>) {
        for a in actions {
            assert!(!self.after_release, "action after Released: {a:?}");
            match a {
                Action::Connect { conn_id } => {
                    assert!(self.open.is_none(), "two links at once");
                    self.open = Some(conn_id);
                }
                Action::Close { conn_id } => {
                    assert_eq!(self.open, Some(conn_id), "closing a link that is not open");
                    self.open = None;
                }
                Action::Send { conn_id, .. } => {
                    assert_eq!(
                        self.open,
                        Some(conn_id),
                        "writing on a link that is not open"
                    );
                }
                Action::Emit(Event::MessageAcked { fp }) => {
                    *self.outcomes.entry(fp).or_default() += 1;
                }
                Action::Emit(Event::MessagesLost(list)) => {
                    for m in list {
                        *self.outcomes.entry(m.fp).or_default() += 1;
                    }
                }
                Action::Emit(Event::LoginResult { relogin: false, .. }) => {
                    self.manual_results += 1;
                }
                Action::Emit(Event::Released) => {
                    self.released += 1;
                    self.after_release = true;
                }
                _ => {}
            }
        }
    }
}

fn run(dialect: Dialect, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut h = Harness::config(dialect, |c| {
        c.rng_seed = seed;
        c.max_pending_qos = 20;
    });
    let mut ck = Checker {
        open: None,
        outcomes: HashMap::new(),
        accepted: HashSet::new(),
        manual_logins: 0,
        manual_results: 0,
        released: 0,
        after_release: false,
    };
    let mut sent_fps: Vec<String> = Vec::new();
    let mut aborted_manual = 0u32;
    for _ in 0..300 {
        let pending_manual = ck.manual_logins > ck.manual_results + aborted_manual;
        match rng.range_inclusive(0, 30) {
            0 => {
                if h.engine.login(h.login_req(), h.now).is_ok() {
                    ck.manual_logins += 1;
                }
            }
            1..=5 => {
                let qos = rng.range_inclusive(0, 3) > 0;
                let req = SendRequest {
                    qos,
                    ..SendRequest::new("bob", "x")
                };
                if let Ok(fp) = h.engine.send(req, h.now) {
                    if qos {
                        ck.accepted.insert(fp.clone());
                        sent_fps.push(fp);
                    }
                }
            }
            6 if rng.range_inclusive(0, 3) == 0 => {
                if h.engine.logout(h.now).is_ok() && pending_manual {
                    aborted_manual += 1;
                }
            }
            7 => h
                .engine
                .network_changed(rng.range_inclusive(0, 1) == 1, h.now),
            8..=10 => {
                if let Some(conn) = ck.open {
                    h.engine
                        .handle_transport(conn, TransportEvent::Connected, h.now);
                }
            }
            11 => {
                if let Some(conn) = ck.open {
                    let e = match rng.range_inclusive(0, 2) {
                        0 => LinkError::Closed,
                        1 => LinkError::Io("x".into()),
                        _ => LinkError::Tls("y".into()),
                    };
                    ck.open = None;
                    h.engine
                        .handle_transport(conn, TransportEvent::Closed(e), h.now);
                }
            }
            12..=14 => {
                let code = if rng.range_inclusive(0, 9) == 0 {
                    1025
                } else {
                    0
                };
                let p = h.login_response_packet(code, 77);
                h.conn = ck.open;
                if ck.open.is_some() {
                    h.server(&p);
                }
            }
            15..=17 => {
                if let (Some(_), false) = (ck.open, sent_fps.is_empty()) {
                    h.conn = ck.open;
                    let i = rng.range_inclusive(0, sent_fps.len() as u64 - 1) as usize;
                    let fp = sent_fps[i].clone();
                    h.server_ack(&fp);
                }
            }
            18..=20 => {
                if ck.open.is_some() {
                    h.conn = ck.open;
                    let fp = format!("in-{}", rng.range_inclusive(0, 5));
                    let p = h.data_packet("bob", Some(&fp), true, "m");
                    h.server(&p);
                }
            }
            21 => {
                if ck.open.is_some() {
                    h.conn = ck.open;
                    let code = [301, 302, 303][rng.range_inclusive(0, 2) as usize];
                    h.server_error(code, "{}");
                }
            }
            22 if rng.range_inclusive(0, 2) == 0 => {
                if ck.open.is_some() {
                    h.conn = ck.open;
                    h.kickout(1, None);
                }
            }
            23 | 24 => {
                if ck.open.is_some() {
                    h.conn = ck.open;
                    h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
                }
            }
            _ => h.advance(rng.range_inclusive(0, 6_000)),
        }
        let actions = h.take();
        ck.observe(actions);
    }
    let pending_manual = ck.manual_logins > ck.manual_results + aborted_manual;
    h.engine.release(h.now);
    ck.observe(h.take());
    if pending_manual {
        aborted_manual += 1;
    }
    assert_eq!(ck.released, 1);
    for fp in &ck.accepted {
        assert_eq!(ck.outcomes.get(fp), Some(&1), "seed {seed}: fp {fp}");
    }
    assert_eq!(
        ck.outcomes.len(),
        ck.accepted.len(),
        "no outcome for unknown fps"
    );
    assert_eq!(
        ck.manual_logins,
        ck.manual_results + aborted_manual,
        "seed {seed}"
    );
}

#[test]
fn invariants_hold_over_random_scenarios() {
    for d in Dialect::ALL {
        for seed in 1..=40 {
            run(d, seed);
        }
    }
}
