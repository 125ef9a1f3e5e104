//! Engine tests with simulated time: one or more tests per rule of PROTOCOL.md §7, named
//! after it, plus regressions for the TypeScript SDK's mistakes (§10).

mod harness;

mod keepalive;
mod link_loss;
mod login;
mod logout_release;
mod relogin;
