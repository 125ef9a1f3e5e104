//! The router: who is connected and online, forwarding to users (and seed groups),
//! server ACKs, the seed offline queues and the table of forwarded QoS messages awaiting
//! their recipient's ACK. Shared by every connection task behind one lock that is never
//! held across an await.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use imsdk::protocol::{encode, packet_type, Dialect, KickoutInfo, Packet};
use parking_lot::Mutex;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

use crate::config::DevServerConfig;
use crate::faults::Faults;
use crate::log::debug;
use crate::outbound::{Closing, ConnId, ConnTx, Outbound, ServerAck};

/// Server-wide state shared by the listener, every connection and the embedding API.
pub(crate) struct Router {
    pub config: DevServerConfig,
    pub faults: Faults,
    pub(crate) state: Mutex<State>,
    /// Wakes the resend task when the first entry is queued.
    pub(crate) resend_wakeup: Notify,
    next_conn_id: AtomicU64,
    /// Bumped to close every connection (and abort every handshake) at once.
    close_all: watch::Sender<u64>,
    live_connections: AtomicUsize,
    all_gone: Notify,
}

#[derive(Default)]
pub(crate) struct State {
    pub conns: HashMap<ConnId, ConnEntry>,
    /// The connection registered for each user id (at most one).
    pub online: HashMap<String, Registered>,
    /// seed: messages for users who are not online, oldest first.
    pub offline: HashMap<String, VecDeque<Packet>>,
    /// Forwarded QoS messages not yet acked, by (recipient, fp).
    pub pending: HashMap<(String, String), Packet>,
    /// When each pending entry is due for its one resend, in deadline order.
    pub resend_due: VecDeque<(Instant, String, String)>,
}

pub(crate) struct ConnEntry {
    pub tx: ConnTx,
    /// The user id this connection logged in as (registered or not).
    pub user: Option<String>,
}

pub(crate) struct Registered {
    pub conn: ConnId,
    pub first_login_time: i64,
}

/// Decrements the live-connection count when a connection task ends, however it ends.
pub(crate) struct LiveGuard(Arc<Router>);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        if self.0.live_connections.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.all_gone.notify_waiters();
        }
    }
}

impl Router {
    pub fn new(config: DevServerConfig) -> Router {
        Router {
            config,
            faults: Faults::default(),
            state: Mutex::new(State::default()),
            resend_wakeup: Notify::new(),
            next_conn_id: AtomicU64::new(1),
            close_all: watch::Sender::new(0),
            live_connections: AtomicUsize::new(0),
            all_gone: Notify::new(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.config.dialect
    }

    pub fn encode(&self, packet: &Packet) -> String {
        encode(self.config.dialect, packet)
    }

    /// Counts a new connection (from TCP accept on) until the guard is dropped.
    pub fn live_guard(self: &Arc<Self>) -> LiveGuard {
        self.live_connections.fetch_add(1, Ordering::SeqCst);
        LiveGuard(self.clone())
    }

    /// A receiver that changes when every connection must close.
    pub fn close_all_signal(&self) -> watch::Receiver<u64> {
        self.close_all.subscribe()
    }

    /// Tells every connection (and handshake in progress) to close.
    pub fn signal_close_all(&self) {
        self.close_all.send_modify(|epoch| *epoch += 1);
    }

    /// Closes every connection and waits (bounded) until their tasks have ended.
    pub async fn close_all_connections(&self) {
        self.signal_close_all();
        let wait = async {
            loop {
                let gone = self.all_gone.notified();
                if self.live_connections.load(Ordering::SeqCst) == 0 {
                    return;
                }
                gone.await;
            }
        };
        if tokio::time::timeout(Duration::from_secs(3), wait)
            .await
            .is_err()
        {
            debug!("some connections were still closing after 3 s");
        }
    }

    pub fn add_conn(&self, tx: ConnTx) -> ConnId {
        let id = self.next_conn_id.fetch_add(1, Ordering::Relaxed);
        self.state
            .lock()
            .conns
            .insert(id, ConnEntry { tx, user: None });
        id
    }

    /// Forgets a connection; its user goes offline if this was the registered one.
    pub fn remove_conn(&self, id: ConnId) {
        let mut state = self.state.lock();
        let Some(entry) = state.conns.remove(&id) else {
            return;
        };
        if let Some(user) = entry.user {
            if state.online.get(&user).is_some_and(|r| r.conn == id) {
                state.online.remove(&user);
                debug!("{user} offline");
            }
        }
    }

    /// Sends to every connection that logged in as `user`.
    fn to_user_conns(&self, user: &str, mut each: impl FnMut(&ConnTx)) {
        let state = self.state.lock();
        state
            .conns
            .values()
            .filter(|c| c.user.as_deref() == Some(user))
            .for_each(|c| each(&c.tx));
    }

    pub fn close_user(&self, user: &str) {
        self.to_user_conns(user, |tx| {
            let _ = tx.send(Outbound::Close(Closing::BYE));
        });
    }

    /// mobileimsdk: 54 kickout then close; seed has no kickout frame (54 is its ACK), so
    /// the connection is only closed.
    pub fn kick(&self, user: &str, code: i32, reason: Option<&str>) {
        let kickout = match self.dialect() {
            Dialect::MobileImSdk => Some(self.kickout_frame(user, code, reason)),
            Dialect::Seed => None,
        };
        self.to_user_conns(user, |tx| {
            if let Some(frame) = &kickout {
                let _ = tx.send(Outbound::Frame(frame.clone()));
            }
            let _ = tx.send(Outbound::Close(Closing::BYE));
        });
    }

    pub fn kickout_frame(&self, user: &str, code: i32, reason: Option<&str>) -> String {
        let info = KickoutInfo {
            code,
            reason: reason.map(str::to_string),
        };
        self.encode(&server_packet(
            packet_type::SERVER_ACK_OR_KICKOUT,
            user,
            info.encode(),
        ))
    }

    /// The channel of the connection registered for `user`, if online.
    pub fn registered_tx(&self, user: &str) -> Option<ConnTx> {
        let state = self.state.lock();
        let registered = state.online.get(user)?;
        state.conns.get(&registered.conn).map(|c| c.tx.clone())
    }

    pub fn online_users(&self) -> Vec<String> {
        let mut users: Vec<String> = self.state.lock().online.keys().cloned().collect();
        users.sort();
        users
    }

    /// Writes a server ACK (seed 54, mobileimsdk 4) to `to`, unless the fault switches
    /// say drop or delay it.
    pub fn send_server_ack(&self, ack: ServerAck) {
        if self.faults.drop_acks() {
            debug!("fault: server ACK dropped");
            return;
        }
        let delay = self.faults.ack_delay_ms();
        if delay == 0 {
            let _ = ack.to.send(Outbound::Frame(ack.text));
            return;
        }
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let _ = ack.to.send(Outbound::Frame(ack.text));
        });
    }

    /// The server ACK frame for `fp` (D7): type per dialect, `from` given, `to` sender.
    pub fn server_ack(&self, to: &ConnTx, from: &str, sender: &str, fp: &str) -> ServerAck {
        let packet = Packet {
            from: from.to_string(),
            ..server_packet(self.dialect().server_ack_type(), sender, fp.to_string())
        };
        ServerAck {
            to: to.clone(),
            text: self.encode(&packet),
        }
    }

    /// Hands `packet` to `recipient`'s registered connection. Returns false when the
    /// recipient is not online (nothing written). `then` is written after the forward.
    pub fn deliver(&self, recipient: &str, packet: &Packet, then: Option<ServerAck>) -> bool {
        let mut state = self.state.lock();
        let Some(tx) = state
            .online
            .get(recipient)
            .and_then(|r| state.conns.get(&r.conn))
            .map(|c| c.tx.clone())
        else {
            return false;
        };
        if self.faults.drop_forwards() {
            debug!("fault: forward to {recipient} dropped");
            return true;
        }
        let text = self.encode(packet);
        if self.faults.duplicate_forwards() {
            let _ = tx.send(Outbound::Frame(text.clone()));
        }
        let _ = tx.send(Outbound::Forward { text, then });
        if let (true, Some(fp)) = (packet.qos, &packet.fp) {
            self.track_resend(&mut state, recipient, fp, packet);
        }
        true
    }

    /// seed: delivers now, or keeps the message for the recipient's next login.
    pub fn deliver_or_queue(&self, recipient: &str, packet: &Packet) {
        if self.deliver(recipient, packet, None) {
            return;
        }
        let mut state = self.state.lock();
        self.queue_offline(&mut state, recipient, packet.clone());
    }

    pub(crate) fn queue_offline(&self, state: &mut State, recipient: &str, packet: Packet) {
        let cap = self.config.offline_queue_cap;
        if cap == 0 {
            return;
        }
        let queue = state.offline.entry(recipient.to_string()).or_default();
        if queue.len() >= cap {
            queue.pop_front();
        }
        queue.push_back(packet);
        debug!("queued for offline {recipient} ({} waiting)", queue.len());
    }

    /// seed: writes what waited for `user` while offline (called once the 50 is queued).
    pub fn flush_offline(&self, user: &str) {
        let waiting = self.state.lock().offline.remove(user);
        for packet in waiting.into_iter().flatten() {
            self.deliver_or_queue(user, &packet);
        }
    }

    /// The recipient's own ACK: the server stops waiting for it (never forwarded).
    pub fn settle(&self, recipient: &str, fp: &str) {
        let key = (recipient.to_string(), fp.to_string());
        if self.state.lock().pending.remove(&key).is_some() {
            debug!("{recipient} acked {fp}");
        }
    }

    /// Server push (type 2 from "0"), QoS with a fresh fp when asked.
    pub fn push(&self, user: &str, content: &str, qos: bool) {
        let fp = qos.then(|| uuid::Uuid::new_v4().to_string());
        let packet = Packet {
            from: imsdk::protocol::SERVER_ID.to_string(),
            server_ts: self.server_time_ms(),
            ..Packet::data(
                imsdk::protocol::SERVER_ID,
                user,
                content,
                qos,
                fp.as_deref(),
                self.dialect().spec().default_send_typeu,
            )
        };
        if self.keeps_offline_messages() {
            self.deliver_or_queue(user, &packet);
        } else {
            self.deliver(user, &packet, None);
        }
    }

    /// seed stores messages for offline users; mobileimsdk drops them silently (§6.1).
    pub fn keeps_offline_messages(&self) -> bool {
        match self.dialect() {
            Dialect::Seed => true,
            Dialect::MobileImSdk => false,
        }
    }
}

/// A frame from the server (`from` "0") to `to`.
pub(crate) fn server_packet(packet_type: i32, to: &str, data_content: String) -> Packet {
    Packet {
        data_content: Some(data_content),
        from: imsdk::protocol::SERVER_ID.to_string(),
        to: to.to_string(),
        ..Packet::new(packet_type)
    }
}
