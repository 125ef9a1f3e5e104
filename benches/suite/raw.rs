//! The baseline: plain tokio-tungstenite clients written the way a careful application
//! would write them (small buffers, no Nagle, reading and writing in separate tasks of a
//! split stream, writes batched with `feed` + one `flush`), sending the same pre-encoded
//! frames through the same server. The receiver ACKs every QoS message with the
//! dialect's ACK frame, as the SDK does. Frames are parsed with imsdk's own codec, so
//! JSON costs the same on both sides and the ratio shows what the SDK's engine, driver
//! and dispatcher add.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures_util::stream::SplitStream;
use futures_util::{SinkExt, StreamExt};
use imsdk::protocol::{decode, encode, Dialect, LoginInfo, Packet, PacketKind};
use tokio::net::TcpStream;
use tokio::sync::Notify;

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

/// Reads until `n` QoS data frames were delivered and ACKs each with the dialect's ACK
/// frame. Reading and writing are separate tasks (a split stream), so a blocked write
/// never stops the reads: a client that stops reading while its own write waits can
/// deadlock against a server doing the same. The writer feeds every ACK queued and
/// flushes once. Returns when the last message was received.
pub async fn receive(ws: Ws, user: String, n: usize) -> io::Result<Instant> {
    let (mut sink, mut stream) = ws.split();
    let (acks, mut queued) = tokio::sync::mpsc::unbounded_channel::<String>();
    let writer = tokio::spawn(async move {
        while let Some(first) = queued.recv().await {
            sink.feed(Message::text(first)).await.map_err(other)?;
            let mut batch = 1;
            while batch < MAX_BATCH {
                let Ok(more) = queued.try_recv() else { break };
                sink.feed(Message::text(more)).await.map_err(other)?;
                batch += 1;
            }
            sink.flush().await.map_err(other)?;
        }
        Ok::<_, io::Error>(sink)
    });
    let mut delivered = 0;
    while delivered < n {
        let p = next_packet_split(&mut stream).await?;
        if DIALECT.kind_of(p.packet_type) == PacketKind::Data && p.qos {
            if let Some(ack) = Packet::ack_for(DIALECT, &p, &user) {
                let _ = acks.send(encode(DIALECT, &ack));
            }
            delivered += 1;
        }
    }
    let done = Instant::now();
    // Keep the link open (and the last ACKs going out) while the sender finishes.
    drop(acks);
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            let _ = writer.await;
            while let Some(Ok(_)) = stream.next().await {}
        })
        .await;
    });
    Ok(done)
}

async fn next_packet_split(stream: &mut SplitStream<Ws>) -> io::Result<Packet> {
    loop {
        match stream.next().await {
            Some(Ok(Message::Text(text))) => return decode(DIALECT, text.as_str()).map_err(other),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(other(e)),
            None => return Err(other("connection closed")),
        }
    }
}

fn is_ack(p: &Packet) -> bool {
    DIALECT.kind_of(p.packet_type) == PacketKind::Ack
}

/// B1: writes every frame with at most `window` unacked, up to 64 frames per flush,
/// while a reader task counts the server ACKs; returns when the last ACK arrived.
pub async fn send_windowed(
    ws: Ws,
    frames: Vec<(String, String)>,
    window: usize,
) -> io::Result<Instant> {
    let n = frames.len();
    let (mut sink, mut stream) = ws.split();
    let acked = Arc::new(AtomicUsize::new(0));
    let progress = Arc::new(Notify::new());
    let (reader_acked, reader_progress) = (acked.clone(), progress.clone());
    let reader = tokio::spawn(async move {
        let mut count = 0;
        while count < n {
            let p = next_packet_split(&mut stream).await?;
            if is_ack(&p) {
                count += 1;
                reader_acked.store(count, Ordering::Release);
                reader_progress.notify_one();
            }
        }
        Ok::<_, io::Error>((Instant::now(), stream))
    });
    let mut frames = frames.into_iter().map(|(_, text)| text);
    let mut written = 0usize;
    while written < n {
        let in_flight = |written: usize| written - acked.load(Ordering::Acquire);
        if in_flight(written) >= window {
            // Window full: resume once a batch of slots is free (imsdk's application
            // side does the same).
            while in_flight(written) + MAX_BATCH.min(window) > window {
                progress.notified().await;
            }
        }
        let mut batch = 0;
        while written < n && written - acked.load(Ordering::Acquire) < window && batch < MAX_BATCH {
            let Some(text) = frames.next() else { break };
            sink.feed(Message::text(text)).await.map_err(other)?;
            written += 1;
            batch += 1;
        }
        sink.flush().await.map_err(other)?;
    }
    let (done, stream) = reader.await.map_err(other)??;
    drop((sink, stream));
    Ok(done)
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

/// B2 baseline driven like an SDK with a blocking API: the application thread hands each
/// frame to the runtime over a channel and learns of its ACK over another channel, so
/// the sample contains the same two thread wake-ups as imsdk's (application → runtime,
/// runtime → another thread), and nothing else of the SDK.
pub fn latency_from_thread(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
    url: &str,
    tag: &str,
    n: usize,
    content: &str,
) -> io::Result<Vec<Duration>> {
    let (rx, tx) = (format!("{tag}-rx"), format!("{tag}-tx"));
    let (receiver, sender) = rt.block_on(async {
        let receiver = connect_and_login(addr, url, &rx).await?;
        let sender = connect_and_login(addr, url, &tx).await?;
        Ok::<_, io::Error>((receiver, sender))
    })?;
    let frames = encode_frames(&tx, &rx, content, n);
    let received = rt.spawn(receive(receiver, rx, n));
    let (mut sink, mut stream) = sender.split();
    let (to_io, mut from_app) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (to_app, from_io) = std::sync::mpsc::channel::<()>();
    let writer = rt.spawn(async move {
        while let Some(text) = from_app.recv().await {
            sink.send(Message::text(text)).await.map_err(other)?;
        }
        Ok::<_, io::Error>(())
    });
    let reader = rt.spawn(async move {
        while let Ok(p) = next_packet_split(&mut stream).await {
            if is_ack(&p) && to_app.send(()).is_err() {
                break;
            }
        }
    });
    let mut samples = Vec::with_capacity(n);
    for (_, text) in frames {
        let start = Instant::now();
        to_io.send(text).map_err(other)?;
        from_io
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| other("no ACK within 10 s"))?;
        samples.push(start.elapsed());
    }
    drop(to_io);
    rt.block_on(async {
        let _ = tokio::time::timeout(Duration::from_secs(10), writer).await;
        reader.abort();
        received.await.map_err(other)?.map(|_| ())
    })?;
    Ok(samples)
}
