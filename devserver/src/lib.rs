//! imsdk-devserver: a development IM server speaking both dialects of PROTOCOL.md
//! (seed and mobileimsdk), for tests, demos and benchmarks. Embed it with
//! [`DevServer::start`] (port 0 by default) or run the `imsdk-devserver` binary.
//!
//! It implements the server side of PROTOCOL.md §6: login (accept all or a token table),
//! duplicate-login rules, keepalive, echo, logout, one-to-one forwarding with the
//! dialect's server ACK and one resend, C2S ACKs, seed groups and offline queues, the
//! 301/302/303 errors, the idle timeout, frame limits, optional TLS, and fault switches
//! that tests flip at runtime.

mod clock;
mod config;
mod connection;
mod faults;
mod log;
mod login;
mod outbound;
mod registry;
mod resend;
mod server;
mod session;
mod tls;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

pub use config::{DevServerConfig, TlsServerConfig};
pub use imsdk::protocol::Dialect;

use registry::Router;
use server::Listener;

/// A running dev server. Dropping it stops listening and tells every connection to
/// close without waiting; [`DevServer::shutdown`] also waits until they are closed.
pub struct DevServer {
    router: Arc<Router>,
    addr: SocketAddr,
    tls: Option<TlsAcceptor>,
    listener: Mutex<Option<Listener>>,
    resend_task: JoinHandle<()>,
}

impl DevServer {
    /// Binds `config.listen` and starts serving. Must be called inside a tokio runtime.
    pub async fn start(config: DevServerConfig) -> io::Result<DevServer> {
        let tls = config.tls.as_ref().map(tls::acceptor).transpose()?;
        let listener = server::bind(config.listen)?;
        let addr = listener.local_addr()?;
        let router = Arc::new(Router::new(config));
        let resend_task = tokio::spawn(resend::run_resend_task(router.clone()));
        let listener = server::spawn_listener(listener, router.clone(), tls.clone());
        Ok(DevServer {
            router,
            addr,
            tls,
            listener: Mutex::new(Some(listener)),
            resend_task,
        })
    }

    /// The address actually bound (with the OS-chosen port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL clients connect to: `ws://127.0.0.1:PORT/websocket` (mobileimsdk) or
    /// `ws://127.0.0.1:PORT/ws` (seed); with TLS `wss://localhost:PORT/...`, the host
    /// name test certificates are made for.
    pub fn ws_url(&self) -> String {
        let path = &self.router.config.path;
        match self.tls {
            Some(_) => format!("wss://localhost:{}{path}", self.addr.port()),
            None => format!("ws://{}{path}", self.addr),
        }
    }

    /// The dialect this server speaks.
    pub fn dialect(&self) -> Dialect {
        self.router.config.dialect
    }

    /// Fault: server ACKs (seed 54, mobileimsdk 4) are not written.
    pub fn set_drop_acks(&self, on: bool) {
        self.router.faults.set_drop_acks(on);
    }

    /// Fault: server ACKs are written this long after they are due (0 = at once).
    pub fn set_ack_delay_ms(&self, ms: u64) {
        self.router.faults.set_ack_delay_ms(ms);
    }

    /// Fault: forwarded messages (and their resends) are not written to the recipient.
    /// seed still ACKs them (its ACK means "received"); mobileimsdk sends no pseudo-ACK.
    pub fn set_drop_forwards(&self, on: bool) {
        self.router.faults.set_drop_forwards(on);
    }

    /// Fault: every forwarded message is written twice (same fp).
    pub fn set_duplicate_forwards(&self, on: bool) {
        self.router.faults.set_duplicate_forwards(on);
    }

    /// Fault: every login is refused with `code` (then closed); `None` ends it.
    pub fn set_refuse_logins(&self, code: Option<i32>) {
        self.router.faults.set_refuse_logins(code);
    }

    /// Fault: with `false`, keepalives (type 1) get no 51.
    pub fn set_answer_keepalives(&self, on: bool) {
        self.router.faults.set_answer_keepalives(on);
    }

    /// Closes (1000 "Bye") every connection logged in as `user_id`.
    pub fn close_user(&self, user_id: &str) {
        self.router.close_user(user_id);
    }

    /// Kicks `user_id`: mobileimsdk writes `54 {"code":code,"reason":..}` then closes;
    /// seed has no kickout frame (its 54 is the ACK), so it only closes.
    pub fn kick(&self, user_id: &str, code: i32, reason: Option<&str>) {
        self.router.kick(user_id, code, reason);
    }

    /// Server push: type 2 from `"0"` to `user_id`; with `qos`, a fresh UUID fp, tracked
    /// and resent once like a forwarded message. seed queues it while the user is offline;
    /// mobileimsdk drops it.
    pub fn push(&self, user_id: &str, content: &str, qos: bool) {
        self.router.push(user_id, content, qos);
    }

    /// User ids with a registered connection, sorted.
    pub fn online_users(&self) -> Vec<String> {
        self.router.online_users()
    }

    /// Closes the listening socket and every connection (1000 "Bye"); returns once they
    /// are closed (at most about 3 s).
    pub async fn stop_listening(&self) {
        let listener = self.listener.lock().take();
        if let Some(listener) = listener {
            listener.stop().await;
        }
        self.router.close_all_connections().await;
    }

    /// Listens again on the same address and port. Does nothing if already listening.
    pub async fn restart_listening(&self) -> io::Result<()> {
        if self.listener.lock().is_some() {
            return Ok(());
        }
        let listener = server::bind(self.addr)?;
        let running = server::spawn_listener(listener, self.router.clone(), self.tls.clone());
        *self.listener.lock() = Some(running);
        Ok(())
    }

    /// Stops listening, closes every connection and ends the server's tasks.
    pub async fn shutdown(self) {
        self.stop_listening().await;
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if let Some(listener) = self.listener.lock().take() {
            listener.abort();
        }
        self.router.signal_close_all();
        self.resend_task.abort();
    }
}
