//! What other parts of the server ask a connection task to do. Everything a connection
//! writes goes through its one channel, so frames leave in the order they were decided.

use tokio::sync::mpsc;

/// Identifies one accepted WebSocket connection for the life of the server.
pub(crate) type ConnId = u64;

/// The sending half of a connection's channel.
pub(crate) type ConnTx = mpsc::UnboundedSender<Outbound>;

/// One instruction for a connection task.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Write this text frame.
    Frame(String),
    /// Write this forwarded frame; once it is written, hand `then` to the router (the
    /// mobileimsdk pseudo-ACK goes out only after the write to the recipient, D8).
    Forward {
        text: String,
        then: Option<ServerAck>,
    },
    /// Close with this code and reason after writing what came before.
    Close(Closing),
}

/// The code and reason of a close frame the server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closing {
    pub code: u16,
    pub reason: &'static str,
}

impl Closing {
    /// 1000 "Bye": every close of the upstream server (PROTOCOL.md §2).
    pub const BYE: Closing = Closing {
        code: 1000,
        reason: "Bye",
    };
    /// 1009 "Bye": a frame over the size cap (D21).
    pub const TOO_BIG: Closing = Closing {
        code: 1009,
        reason: "Bye",
    };
    /// seed: the user logged in again on another connection, which replaces this one
    /// (docs/protocol.md R29: the client ends its session instead of logging in again).
    pub const REPLACED: Closing = Closing {
        code: imsdk::protocol::codes::CLOSE_REPLACED_BY_NEWER_LOGIN,
        reason: imsdk::protocol::codes::CLOSE_REPLACED_REASON,
    };
}

/// A server ACK waiting to be written to a sender.
#[derive(Debug)]
pub(crate) struct ServerAck {
    pub to: ConnTx,
    pub text: String,
}
