//! The imsdk side: clients of the Rust API used the way an application uses them (calls
//! from an application thread, results through the event handler).

use std::sync::Arc;
use std::time::{Duration, Instant};

use imsdk::client::{Client, Config, Event, LoginRequest, SendRequest};
use imsdk::protocol::{codes, Dialect};

use crate::gate::Gate;
use crate::sys::{Cpu, CpuMeter};

/// B1: free window slots the application waits for before it sends again (the
/// baseline's batch size).
const REFILL: u64 = 64;

/// Counters one client's handler bumps.
#[derive(Default)]
pub struct Gates {
    pub logins: Gate,
    pub acked: Gate,
    pub delivered: Gate,
    pub failures: Gate,
}

impl Default for Gate {
    fn default() -> Gate {
        Gate::new()
    }
}

/// A client whose handler counts logins, acks, deliveries and failures.
pub fn client(url: &str, max_pending_qos: usize) -> Result<(Client, Arc<Gates>), String> {
    let mut config = Config::new(url, Dialect::Seed);
    config.engine.max_pending_qos = max_pending_qos;
    let gates = Arc::new(Gates::default());
    let g = gates.clone();
    let handler = move |event: &Event| match event {
        Event::LoginResult { code: 0, .. } => g.logins.bump(false),
        Event::LoginResult { .. } | Event::MessagesLost(_) | Event::ServerError { .. } => {
            g.failures.bump(false)
        }
        Event::MessageAcked { .. } => g.acked.bump(true),
        Event::Message(_) => g.delivered.bump(false),
        // Rare, and exactly what explains a slow round.
        Event::LinkClosed { reason } => eprintln!("imsdk: link closed: {reason:?}"),
        _ => {}
    };
    let client = Client::new(config, handler).map_err(|e| e.to_string())?;
    Ok((client, gates))
}

pub fn login_request(user: &str) -> LoginRequest {
    LoginRequest {
        user_id: user.to_string(),
        token: "bench".to_string(),
        app: Some("bench".to_string()),
        extra: None,
    }
}

/// A logged-in client.
pub fn logged_in(
    url: &str,
    user: &str,
    max_pending_qos: usize,
) -> Result<(Client, Arc<Gates>), String> {
    let (client, gates) = client(url, max_pending_qos)?;
    client
        .login(login_request(user))
        .map_err(|e| e.to_string())?;
    if !gates.logins.wait_for(1, Duration::from_secs(20)) {
        return Err(format!("{user}: no successful login within 20 s"));
    }
    Ok((client, gates))
}

fn requests(to: &str, content: &str, n: usize) -> Vec<SendRequest> {
    (0..n).map(|_| SendRequest::new(to, content)).collect()
}

/// Sends `req`; while the QoS queue is full, waits for an ack and sends it again.
fn send_one(
    client: &Client,
    gates: &Gates,
    mut req: SendRequest,
    to: &str,
    content: &str,
) -> Result<(), String> {
    loop {
        match client.send(req) {
            Ok(_) => return Ok(()),
            Err(e) if e.code == codes::QUEUE_FULL => {
                gates
                    .acked
                    .wait_for(gates.acked.count() + 1, Duration::from_millis(100));
                req = SendRequest::new(to, content);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// B1: `n` messages with at most `window` unacked. Returns the elapsed time from the
/// first send until every ack and every delivery arrived.
pub fn throughput(
    url: &str,
    tag: &str,
    n: usize,
    window: usize,
    content: &str,
) -> Result<(Duration, Cpu), String> {
    let (rx, tx) = (format!("{tag}-rx"), format!("{tag}-tx"));
    let (receiver, rx_gates) = logged_in(url, &rx, window)?;
    let (sender, tx_gates) = logged_in(url, &tx, window)?;
    let reqs = requests(&rx, content, n);
    rx_gates.delivered.set_target(n as u64);
    tx_gates.acked.set_target(n as u64);
    let meter = CpuMeter::start();
    let start = Instant::now();
    for (i, req) in reqs.into_iter().enumerate() {
        let sent = i as u64;
        if sent >= tx_gates.acked.count() + window as u64 {
            // Resume once a batch of slots is free, as the baseline refills its window
            // a flush at a time, rather than waking up for every single ack.
            let resume = (sent + REFILL).saturating_sub(window as u64).min(n as u64);
            if !tx_gates.acked.wait_for(resume, Duration::from_secs(30)) {
                return Err(format!(
                    "imsdk B1: stalled after {sent} sends, {} acks; sender {:?}",
                    tx_gates.acked.count(),
                    sender.stats()
                ));
            }
        }
        send_one(&sender, &tx_gates, req, &rx, content)?;
    }
    let all_acked = tx_gates.acked.wait_for(n as u64, Duration::from_secs(60));
    let all_delivered = rx_gates
        .delivered
        .wait_for(n as u64, Duration::from_secs(60));
    let cpu = meter.stop();
    let end = tx_gates
        .acked
        .reached_at()
        .max(rx_gates.delivered.reached_at());
    let stats = (sender.stats(), receiver.stats());
    if let Some(end) = end.filter(|end| *end - start > Duration::from_secs(5)) {
        eprintln!(
            "imsdk B1 slow round ({:.1} s): sender {:?}; receiver {:?}",
            (end - start).as_secs_f64(),
            stats.0,
            stats.1
        );
    }
    sender.release();
    receiver.release();
    match (all_acked && all_delivered, end) {
        (true, Some(end)) => Ok((end - start, cpu)),
        _ => Err(format!(
            "imsdk B1: {} of {n} acked, {} delivered, {} failures; sender {:?}, receiver {:?}",
            tx_gates.acked.count(),
            rx_gates.delivered.count(),
            tx_gates.failures.count(),
            stats.0,
            stats.1
        )),
    }
}

/// B2: `n` sequential messages; each sample runs from the `send` call to the ack
/// callback.
pub fn latency(url: &str, tag: &str, n: usize, content: &str) -> Result<Vec<Duration>, String> {
    let (rx, tx) = (format!("{tag}-rx"), format!("{tag}-tx"));
    let (receiver, _rx_gates) = logged_in(url, &rx, 1_000)?;
    let (sender, tx_gates) = logged_in(url, &tx, 1_000)?;
    let reqs = requests(&rx, content, n);
    let mut samples = Vec::with_capacity(n);
    for (i, req) in reqs.into_iter().enumerate() {
        let start = Instant::now();
        sender.send(req).map_err(|e| e.to_string())?;
        if !tx_gates
            .acked
            .wait_for(i as u64 + 1, Duration::from_secs(10))
        {
            return Err(format!("imsdk B2: message {i} not acked within 10 s"));
        }
        let acked_at = tx_gates.acked.last_at().unwrap_or_else(Instant::now);
        samples.push(acked_at.saturating_duration_since(start));
    }
    sender.release();
    receiver.release();
    Ok(samples)
}
