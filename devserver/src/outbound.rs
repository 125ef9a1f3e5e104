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
    /// Close with 1000 "Bye" after writing what came before.
    Close,
}

/// A server ACK waiting to be written to a sender.
#[derive(Debug)]
pub(crate) struct ServerAck {
    pub to: ConnTx,
    pub text: String,
}
