//! Engine tests with simulated time: one or more tests per rule of PROTOCOL.md §7, named
//! after it, plus regressions for the TypeScript SDK's mistakes (§10).

mod harness;

mod backpressure;
mod busy_window;
mod events;
mod general;
mod invariants;
mod keepalive;
mod link_loss;
mod logging;
mod login;
mod login_response;
mod logout_release;
mod network_echo_config;
mod qos_send;
mod receive;
mod relogin;
mod replaced_session;
mod server_errors;
mod ts_regressions;
