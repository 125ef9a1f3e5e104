//! The Rust API this layer wraps. Temporary stand-in with the contract's signatures
//! (src/client/mod.rs) until the client lands; replaced by a re-export then.

use std::sync::Arc;

use parking_lot::Mutex;

use crate::client::Config;
use crate::engine::{Event, LoginRequest, SendRequest, State, StateReason, Stats};
use crate::error::{Error, Result};
use crate::protocol::codes;

pub trait EventHandler: Send + 'static {
    fn on_event(&mut self, event: &Event);
}

impl<F: FnMut(&Event) + Send + 'static> EventHandler for F {
    fn on_event(&mut self, event: &Event) {
        self(event)
    }
}

struct Inner {
    handler: Box<dyn EventHandler>,
    state: State,
    released: bool,
}

#[derive(Clone)]
pub struct Client {
    inner: Arc<Mutex<Inner>>,
}

impl Client {
    pub fn new(config: Config, handler: impl EventHandler) -> Result<Client> {
        if !(config.url.starts_with("ws://") || config.url.starts_with("wss://")) {
            return Err(Error::new(
                codes::NO_SERVER,
                "url must start with ws:// or wss://",
            ));
        }
        config.engine.validate()?;
        Ok(Client {
            inner: Arc::new(Mutex::new(Inner {
                handler: Box::new(handler),
                state: State::Idle,
                released: false,
            })),
        })
    }

    fn live(&self) -> Result<parking_lot::MutexGuard<'_, Inner>> {
        let g = self.inner.lock();
        if g.released {
            return Err(Error::new(codes::INVALID_HANDLE, "released"));
        }
        Ok(g)
    }

    pub fn login(&self, req: LoginRequest) -> Result<()> {
        let mut g = self.live()?;
        if g.state != State::Idle {
            return Err(Error::new(codes::ALREADY_LOGGED_IN, "already logged in"));
        }
        if req.user_id.is_empty() || req.user_id == "0" || req.user_id == "-1" {
            return Err(Error::invalid_argument("user_id is empty or reserved"));
        }
        g.state = State::Connecting;
        Ok(())
    }

    pub fn send(&self, req: SendRequest) -> Result<String> {
        let g = self.live()?;
        if g.state == State::Idle {
            return Err(Error::new(codes::NO_LOGIN, "not logged in"));
        }
        if req.to.is_empty() {
            return Err(Error::invalid_argument("to is empty"));
        }
        Ok(req.fp.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
    }

    pub fn logout(&self) -> Result<()> {
        let mut g = self.live()?;
        if g.state == State::Idle {
            return Err(Error::new(codes::NO_LOGIN, "not logged in"));
        }
        g.state = State::Idle;
        g.handler.on_event(&Event::StateChanged {
            state: State::Idle,
            reason: StateReason::LoggedOut,
            attempt: 0,
            delay_ms: 0,
        });
        Ok(())
    }

    pub fn echo(&self, _text: &str) -> Result<()> {
        let g = self.live()?;
        if g.state != State::Online {
            return Err(Error::new(codes::NO_LOGIN, "not logged in"));
        }
        Ok(())
    }

    pub fn network_changed(&self, _available: bool) {}

    pub fn release(&self) {
        let mut g = self.inner.lock();
        if !g.released {
            g.released = true;
            g.handler.on_event(&Event::Released);
        }
    }

    pub fn state(&self) -> State {
        self.inner.lock().state
    }

    pub fn stats(&self) -> Stats {
        Stats {
            last_keepalive_rtt_ms: -1,
            ..Stats::default()
        }
    }
}
