//! The baseline: plain tokio-tungstenite clients written the way a careful application
//! would write them (small buffers, writes batched with `feed` + one `flush`, no Nagle),
//! sending the same pre-encoded frames through the same server. The receiver ACKs every
//! QoS message with the dialect's ACK frame, as the SDK does. Frames are parsed with
//! imsdk's own codec, so JSON costs the same on both sides and the ratio shows what the
//! SDK's engine, driver and dispatcher add.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, SinkExt, StreamExt};
use imsdk::protocol::{decode, encode, Dialect, LoginInfo, Packet, PacketKind};
use tokio::net::TcpStream;

use crate::sys::{Cpu, CpuMeter};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const DIALECT: Dialect = Dialect::Seed;
/// Frames written per flush at most, so acks keep being read while a window drains.
const MAX_BATCH: usize = 64;

type Ws = WebSocketStream<TcpStream>;

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Tuned buffers, as TOOLCHAIN.md recommends for tokio-tungstenite clients.
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
}

/// Connects, logs in as `user` and waits for a successful login response.
pub async fn connect_and_login(addr: SocketAddr, url: &str, user: &str) -> io::Result<Ws> {
    let tcp = TcpStream::connect(addr).await?;
    tcp.set_nodelay(true)?;
    let (mut ws, _) = tokio_tungstenite::client_async_with_config(url, tcp, Some(ws_config()))
        .await
        .map_err(other)?;
    let info = LoginInfo {
        user_id: user.to_string(),
        token: "bench".to_string(),
        app: Some("bench".to_string()),
        ..LoginInfo::default()
    };
    ws.send(Message::text(encode(
        DIALECT,
        &Packet::login(DIALECT, &info),
    )))
    .await
    .map_err(other)?;
    loop {
        let packet = next_packet(&mut ws).await?;
        if DIALECT.kind_of(packet.packet_type) == PacketKind::LoginResponse {
            let code = packet.login_response().map_err(other)?.code;
            return if code == 0 {
                Ok(ws)
            } else {
                Err(other(format!("login refused with {code}")))
            };
        }
    }
}

async fn next_packet(ws: &mut Ws) -> io::Result<Packet> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => return decode(DIALECT, text.as_str()).map_err(other),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(other(e)),
            None => return Err(other("connection closed")),
        }
    }
}

/// A frame already received, without waiting; `None` when nothing is buffered or ready.
fn ready_packet(ws: &mut Ws) -> io::Result<Option<Packet>> {
    match ws.next().now_or_never() {
        None => Ok(None),
        Some(Some(Ok(Message::Text(text)))) => {
            decode(DIALECT, text.as_str()).map(Some).map_err(other)
        }
        Some(Some(Ok(_))) => Ok(None),
        Some(Some(Err(e))) => Err(other(e)),
        Some(None) => Err(other("connection closed")),
    }
}

/// `n` QoS data frames from `from` to `to` with `content`, each with its own fp.
pub fn encode_frames(from: &str, to: &str, content: &str, n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|_| {
            let fp = uuid::Uuid::new_v4().to_string();
            let packet = Packet::data(from, to, content, true, Some(&fp), 0);
            (fp, encode(DIALECT, &packet))
        })
        .collect()
}

/// Reads until `n` QoS data frames were delivered, ACKing each with the dialect's ACK
/// frame (all ACKs of a burst in one flush). Returns when the last one was received.
pub async fn receive(mut ws: Ws, user: String, n: usize) -> io::Result<Instant> {
    let mut delivered = 0;
    while delivered < n {
        let mut packet = Some(next_packet(&mut ws).await?);
        let mut fed = 0;
        while let Some(p) = packet.take() {
            if DIALECT.kind_of(p.packet_type) == PacketKind::Data && p.qos {
                if let Some(ack) = Packet::ack_for(DIALECT, &p, &user) {
                    ws.feed(Message::text(encode(DIALECT, &ack)))
                        .await
                        .map_err(other)?;
                    fed += 1;
                }
                delivered += 1;
            }
            if fed < MAX_BATCH && delivered < n {
                packet = ready_packet(&mut ws)?;
            }
        }
        if fed > 0 {
            ws.flush().await.map_err(other)?;
        }
    }
    let done = Instant::now();
    // Keep the link open until the caller is done with the sender side.
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
    });
    Ok(done)
}

fn is_ack(p: &Packet) -> bool {
    DIALECT.kind_of(p.packet_type) == PacketKind::Ack
}

/// B1: writes every frame with at most `window` unacked, batching writes; returns when
/// the last server ACK arrived.
pub async fn send_windowed(
    mut ws: Ws,
    frames: Vec<(String, String)>,
    window: usize,
) -> io::Result<Instant> {
    let n = frames.len();
    let mut frames = frames.into_iter().map(|(_, text)| text);
    let (mut written, mut acked) = (0usize, 0usize);
    while acked < n {
        while let Some(p) = ready_packet(&mut ws)? {
            acked += usize::from(is_ack(&p));
        }
        if written < n && written - acked < window {
            let mut batch = 0;
            while written < n && written - acked < window && batch < MAX_BATCH {
                let Some(text) = frames.next() else { break };
                ws.feed(Message::text(text)).await.map_err(other)?;
                written += 1;
                batch += 1;
            }
            ws.flush().await.map_err(other)?;
            continue;
        }
        if acked < n {
            let p = next_packet(&mut ws).await?;
            acked += usize::from(is_ack(&p));
        }
    }
    Ok(Instant::now())
}

/// B2: one frame at a time, waiting for its server ACK; returns each send→ack time.
pub async fn send_sequential(
    mut ws: Ws,
    frames: Vec<(String, String)>,
) -> io::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(frames.len());
    for (fp, text) in frames {
        let start = Instant::now();
        ws.send(Message::text(text)).await.map_err(other)?;
        loop {
            let p = next_packet(&mut ws).await?;
            if is_ack(&p) && p.acked_fp() == Some(fp.as_str()) {
                break;
            }
        }
        samples.push(start.elapsed());
    }
    Ok(samples)
}

/// B1 baseline: a receiver and a sender logged in, then `n` frames with at most
/// `window` unacked; elapsed time until every ack and every delivery arrived.
pub async fn throughput(
    addr: SocketAddr,
    url: &str,
    tag: &str,
    n: usize,
    window: usize,
    content: &str,
) -> io::Result<(Duration, Cpu)> {
    let (rx, tx) = (format!("{tag}-rx"), format!("{tag}-tx"));
    let receiver = connect_and_login(addr, url, &rx).await?;
    let sender = connect_and_login(addr, url, &tx).await?;
    let frames = encode_frames(&tx, &rx, content, n);
    let meter = CpuMeter::start();
    let start = Instant::now();
    let received = tokio::spawn(receive(receiver, rx, n));
    let acked = tokio::spawn(send_windowed(sender, frames, window));
    let acked = acked.await.map_err(other)??;
    let received = received.await.map_err(other)??;
    let cpu = meter.stop();
    Ok((acked.max(received) - start, cpu))
}

/// B2 baseline: `n` sequential frames, each waiting for its ACK.
pub async fn latency(
    addr: SocketAddr,
    url: &str,
    tag: &str,
    n: usize,
    content: &str,
) -> io::Result<Vec<Duration>> {
    let (rx, tx) = (format!("{tag}-rx"), format!("{tag}-tx"));
    let receiver = connect_and_login(addr, url, &rx).await?;
    let sender = connect_and_login(addr, url, &tx).await?;
    let frames = encode_frames(&tx, &rx, content, n);
    let received = tokio::spawn(receive(receiver, rx, n));
    let samples = send_sequential(sender, frames).await?;
    received.await.map_err(other)??;
    Ok(samples)
}
