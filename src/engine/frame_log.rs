//! DEBUG records of the frames a client reads and writes: one line per frame with its
//! direction, type, fp, addresses, QoS flag and size. Whatever may carry a credential or
//! what users wrote (the login payload with its token and `extra`, message contents, echo
//! texts, the server's error and kick texts) appears only as its size, so a whole log can
//! be shared in a bug report. The one place that decides what a frame shows.

use std::fmt;

use crate::log::{self, LogLevel};
use crate::protocol::{decode, Dialect, Packet, PacketKind, MAX_FP_BYTES};

use super::Engine;

/// Which way a frame travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    In,
    Out,
}

/// The log line of one frame: `frame out type=2 (data) fp=… from=… to=… qos=true
/// bytes=151 typeu=0 content=<5 bytes>`.
pub(crate) struct FrameLine<'a> {
    pub(crate) dialect: Dialect,
    pub(crate) direction: Direction,
    pub(crate) packet: &'a Packet,
    /// Size of the frame's text as read or written.
    pub(crate) bytes: usize,
}

impl fmt::Display for FrameLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.packet;
        let kind = self.dialect.kind_of(p.packet_type);
        let direction = match self.direction {
            Direction::In => "in",
            Direction::Out => "out",
        };
        write!(
            f,
            "frame {direction} type={} ({}) fp={} from={} to={} qos={} bytes={}",
            p.packet_type,
            kind_name(kind),
            Shown(p.fp_str()),
            Shown(&p.from),
            Shown(&p.to),
            p.qos,
            self.bytes
        )?;
        let content = p.content();
        match kind {
            // The token and `extra` live here.
            PacketKind::Login => write!(f, " payload={}", Size(content)),
            PacketKind::Data => {
                write!(f, " typeu={} content={}", p.typeu, Size(content))?;
                if p.retry_count > 0 {
                    write!(f, " retry={}", p.retry_count)?;
                }
                Ok(())
            }
            PacketKind::Ack => write!(f, " acked={}", Shown(content)),
            PacketKind::Echo | PacketKind::EchoResponse => write!(f, " text={}", Size(content)),
            PacketKind::LoginResponse => match p.login_response() {
                Ok(r) => write!(f, " code={}", r.code),
                Err(_) => write!(f, " payload={} (undecodable)", Size(content)),
            },
            // 301/302 echo the offending frame, contents included.
            PacketKind::Error => match p.error_response() {
                Ok(r) => write!(f, " error={} message={}", r.error_code, Size(&r.error_msg)),
                Err(_) => write!(f, " payload={} (undecodable)", Size(content)),
            },
            PacketKind::Kickout => match p.kickout_info() {
                Ok(k) => write!(
                    f,
                    " code={} reason={}",
                    k.code,
                    Size(k.reason.as_deref().unwrap_or(""))
                ),
                Err(_) => write!(f, " payload={} (undecodable)", Size(content)),
            },
            PacketKind::Keepalive | PacketKind::KeepaliveResponse | PacketKind::Logout => Ok(()),
            PacketKind::Unknown => write!(f, " content={}", Size(content)),
        }
    }
}

fn kind_name(kind: PacketKind) -> &'static str {
    match kind {
        PacketKind::Login => "login",
        PacketKind::Keepalive => "keepalive",
        PacketKind::Data => "data",
        PacketKind::Logout => "logout",
        PacketKind::Ack => "ack",
        PacketKind::Echo => "echo",
        PacketKind::LoginResponse => "login response",
        PacketKind::KeepaliveResponse => "keepalive response",
        PacketKind::Error => "error",
        PacketKind::EchoResponse => "echo response",
        PacketKind::Kickout => "kickout",
        PacketKind::Unknown => "unknown",
    }
}

/// A text shown only as its size: `<12 bytes>`.
pub(crate) struct Size<'a>(pub(crate) &'a str);

impl fmt::Display for Size<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// An identifier (fp, user id) as it is, `-` when empty; one that is too long or holds
/// control characters (it came from the server) only as its size, so a line stays one
/// short line.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        if text.is_empty() {
            f.write_str("-")
        } else if text.len() > MAX_FP_BYTES || text.chars().any(char::is_control) {
            Size(text).fmt(f)
        } else {
            f.write_str(text)
        }
    }
}

impl Engine {
    /// DEBUG: a frame read on the current link, once decoded.
    pub(super) fn log_frame_in(&mut self, packet: &Packet, bytes: usize) {
        if log::enabled(LogLevel::Debug) {
            let line = FrameLine {
                dialect: self.dialect,
                direction: Direction::In,
                packet,
                bytes,
            }
            .to_string();
            self.log(LogLevel::Debug, line);
        }
    }

    /// DEBUG: a frame about to be written. Most frames reach the output already encoded,
    /// so the text is decoded again, which happens only when DEBUG is enabled.
    pub(super) fn log_frame_out(&mut self, text: &str) {
        if !log::enabled(LogLevel::Debug) {
            return;
        }
        let line = match decode(self.dialect, text) {
            Ok(packet) => FrameLine {
                dialect: self.dialect,
                direction: Direction::Out,
                packet: &packet,
                bytes: text.len(),
            }
            .to_string(),
            Err(_) => format!("frame out bytes={} (not decodable)", text.len()),
        };
        self.log(LogLevel::Debug, line);
    }

    /// WARN: pending QoS message `key` is written again (R47 tick or R10 flush).
    pub(super) fn log_resend(&mut self, key: u64) {
        if !log::enabled(LogLevel::Warn) {
            return;
        }
        if let Some(entry) = self.queue.get_mut(key) {
            let line = format!(
                "resend {} of message {} to {} (no ACK yet)",
                entry.resends,
                Shown(entry.fp()),
                Shown(&entry.packet.to)
            );
            self.log(LogLevel::Warn, line);
        }
    }
}
