//! B0 (diagnostic): the sans-IO engine alone, on one thread, no sockets: CPU time per
//! message of its send path, its ack path and its receive path (decode, ACK, de-dup,
//! event). Tells how much of the SDK's cost per message is protocol work and how much
//! is threads, channels and the network.

use std::time::{Duration, Instant};

use imsdk::engine::{Action, Engine, EngineConfig, LoginRequest, SendRequest, TransportEvent};
use imsdk::protocol::{decode, encode, packet_type, Dialect, LoginResponse, Packet};

const DIALECT: Dialect = Dialect::Seed;

/// ns per message of each path.
#[derive(Debug, Clone, Copy)]
pub struct EngineCost {
    pub send_ns: f64,
    pub ack_ns: f64,
    pub receive_ns: f64,
    /// What the raw baseline does per frame, for comparison: decode an ACK frame.
    pub raw_ack_ns: f64,
    /// ... and decode a data frame, build and encode its ACK.
    pub raw_receive_ns: f64,
}

/// Takes the engine's actions as the driver would: the events it emitted count as
/// delivered at once (their callbacks returned), so the ACKs that wait for delivery
/// (R36) are written and taken too. `emitted` counts the engine's events so far.
fn drain(engine: &mut Engine, emitted: &mut u64, now: Instant) -> Option<u64> {
    let mut conn = None;
    loop {
        let before = *emitted;
        while let Some(action) = engine.poll_action() {
            match action {
                Action::Connect { conn_id } => conn = Some(conn_id),
                Action::Emit(_) => *emitted += 1,
                _ => {}
            }
        }
        if *emitted == before {
            return conn;
        }
        engine.events_delivered(*emitted, now);
    }
}

fn online_engine(n: usize) -> Result<(Engine, u64, u64), String> {
    let mut config = EngineConfig::new(DIALECT);
    config.max_pending_qos = n.max(1);
    config.dedup_cap = 10_000;
    let mut engine = Engine::new(config).map_err(|e| e.to_string())?;
    let now = Instant::now();
    let req = LoginRequest {
        user_id: "me".into(),
        token: "t".into(),
        app: Some("bench".into()),
        extra: None,
    };
    engine.login(req, now).map_err(|e| e.to_string())?;
    let mut emitted = 0;
    let conn = drain(&mut engine, &mut emitted, now).ok_or("no connect action")?;
    engine.handle_transport(conn, TransportEvent::Connected, now);
    drain(&mut engine, &mut emitted, now);
    let mut ok = Packet::new(packet_type::LOGIN_RESPONSE);
    ok.data_content = Some(
        LoginResponse {
            code: 0,
            first_login_time: 0,
        }
        .encode(DIALECT),
    );
    engine.handle_transport(conn, TransportEvent::Frame(encode(DIALECT, &ok)), now);
    drain(&mut engine, &mut emitted, now);
    Ok((engine, conn, emitted))
}

fn per_msg(elapsed: Duration, n: usize) -> f64 {
    elapsed.as_secs_f64() * 1e9 / n as f64
}

/// The server ACK frames for `fps`.
fn acks_again(fps: &[String]) -> Vec<String> {
    fps.iter()
        .map(|fp| {
            let mut ack = Packet::new(DIALECT.server_ack_type());
            ack.from = "0".into();
            ack.to = "me".into();
            ack.data_content = Some(fp.clone());
            encode(DIALECT, &ack)
        })
        .collect()
}

/// Runs each path `n` times (times taken around the engine calls and the draining of
/// their actions only).
pub fn measure(n: usize, content: &str) -> Result<EngineCost, String> {
    let (mut engine, conn, mut emitted) = online_engine(n)?;
    let now = Instant::now();
    let reqs: Vec<SendRequest> = (0..n).map(|_| SendRequest::new("peer", content)).collect();
    let mut fps = Vec::with_capacity(n);
    let start = Instant::now();
    for req in reqs {
        fps.push(engine.send(req, now).map_err(|e| e.to_string())?);
        drain(&mut engine, &mut emitted, now);
    }
    let send_ns = per_msg(start.elapsed(), n);

    let acks = acks_again(&fps);
    let start = Instant::now();
    for text in acks {
        engine.handle_transport(conn, TransportEvent::Frame(text), now);
        drain(&mut engine, &mut emitted, now);
    }
    let ack_ns = per_msg(start.elapsed(), n);
    if engine.pending_count() != 0 {
        return Err(format!("{} messages still pending", engine.pending_count()));
    }

    let frames: Vec<String> = (0..n)
        .map(|_| {
            let fp = uuid::Uuid::new_v4().to_string();
            encode(
                DIALECT,
                &Packet::data("peer", "me", content, true, Some(&fp), 0),
            )
        })
        .collect();
    let copies = frames.clone();
    let start = Instant::now();
    for text in frames {
        engine.handle_transport(conn, TransportEvent::Frame(text), now);
        drain(&mut engine, &mut emitted, now);
    }
    let receive_ns = per_msg(start.elapsed(), n);

    // Built before the clock starts: the baseline's work is the decode alone.
    let ack_frames = acks_again(&fps);
    let start = Instant::now();
    for text in &ack_frames {
        let packet = decode(DIALECT, text).map_err(|e| e.to_string())?;
        std::hint::black_box(packet);
    }
    let raw_ack_ns = per_msg(start.elapsed(), n);
    let start = Instant::now();
    for text in &copies {
        let packet = decode(DIALECT, text).map_err(|e| e.to_string())?;
        if let Some(ack) = Packet::ack_for(DIALECT, &packet, "me") {
            std::hint::black_box(encode(DIALECT, &ack));
        }
    }
    let raw_receive_ns = per_msg(start.elapsed(), n);
    Ok(EngineCost {
        send_ns,
        ack_ns,
        receive_ns,
        raw_ack_ns,
        raw_receive_ns,
    })
}
