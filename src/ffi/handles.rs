//! The process-wide table of live clients behind the `ImClient*` tokens. A panic caught
//! in a client's call marks the client's own poison mark (the same one its engine, driver
//! and callbacks use), so every later call refuses with `IM_ERR_PANIC`.

use std::sync::Arc;

use parking_lot::RwLock;

use super::backend::{Client, Poison};
use super::registry::Registry;
use crate::error::{Error, Result};
use crate::protocol::codes;

/// Opaque client handle. It is a token, never a pointer to memory: the SDK looks it up
/// and never dereferences it, so a stale, released or forged handle gives
/// `IM_ERR_INVALID_HANDLE`.
pub struct ImClient {
    _private: [u8; 0],
}

/// A live client.
pub(crate) struct ClientEntry {
    pub(crate) client: Client,
}

static CLIENTS: RwLock<Registry<Arc<ClientEntry>>> = RwLock::new(Registry::new());

/// Registers `client`.
pub(crate) fn register(client: Client) -> Result<*mut ImClient> {
    let entry = Arc::new(ClientEntry { client });
    let handle = CLIENTS
        .write()
        .insert(entry)
        .map_err(|_| Error::new(codes::UNKNOWN, "no more client handles available"))?;
    Ok(handle as *mut ImClient)
}

fn invalid(handle: *const ImClient) -> Error {
    if handle.is_null() {
        Error::new(codes::INVALID_HANDLE, "client is NULL")
    } else {
        Error::new(
            codes::INVALID_HANDLE,
            "client handle is unknown or already released",
        )
    }
}

/// Runs `body` with the live client behind `handle`, unless a panic made it unusable
/// (`IM_ERR_PANIC`). A panic inside `body` marks the client unusable (and closes its
/// link); the guard around the entry point turns it into `IM_ERR_PANIC`.
pub(crate) fn with_client<T>(
    handle: *const ImClient,
    body: impl FnOnce(&Client) -> Result<T>,
) -> Result<T> {
    let entry = CLIENTS
        .read()
        .get(handle as usize)
        .cloned()
        .ok_or_else(|| invalid(handle))?;
    if entry.client.poison().is_marked() {
        return Err(Error::new(
            codes::PANIC,
            "client is unusable after an internal panic; release it",
        ));
    }
    let _mark = MarkOnPanic(entry.client.poison());
    body(&entry.client)
}

/// Takes the client out of the table (the handle is dead from now on, for every
/// thread), even if it is unusable.
pub(crate) fn unregister(handle: *const ImClient) -> Result<Arc<ClientEntry>> {
    CLIENTS
        .write()
        .remove(handle as usize)
        .ok_or_else(|| invalid(handle))
}

/// Marks the client unusable when dropped during unwinding.
struct MarkOnPanic<'a>(&'a Poison);

impl Drop for MarkOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.mark();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Config;
    use crate::engine::Event;
    use crate::ffi::guard::guard;
    use crate::protocol::Dialect;

    fn new_handle() -> *mut ImClient {
        let config = Config::new("ws://127.0.0.1:9/ws", Dialect::Seed);
        let client = Client::new(config, |_: &Event| {}).unwrap();
        register(client).unwrap()
    }

    #[test]
    fn null_and_unknown_handles_are_invalid() {
        let code = guard("t", || with_client(std::ptr::null(), |_| Ok(())));
        assert_eq!(code, codes::INVALID_HANDLE);
        let code = guard("t", || with_client(0x1000 as *const ImClient, |_| Ok(())));
        assert_eq!(code, codes::INVALID_HANDLE);
    }

    #[test]
    fn panic_inside_a_client_call_makes_the_client_unusable_but_releasable() {
        let h = new_handle();
        let code = guard("t", || with_client(h, |_| -> Result<()> { panic!("boom") }));
        assert_eq!(code, codes::PANIC);
        let code = guard("t", || with_client(h, |_| Ok(())));
        assert_eq!(code, codes::PANIC, "later calls report the panic");
        let entry = unregister(h).unwrap();
        entry.client.release();
        let code = guard("t", || with_client(h, |_| Ok(())));
        assert_eq!(code, codes::INVALID_HANDLE);
        assert_eq!(
            unregister(h).err().map(|e| e.code),
            Some(codes::INVALID_HANDLE)
        );
    }

    /// One poison mark for the engine, the driver and the C layer: after an engine panic
    /// the C calls that read the client refuse too instead of reporting stale values.
    #[test]
    fn after_an_engine_panic_state_stats_and_network_changed_refuse_with_1005() {
        use crate::ffi::client_api::{im_get_state, im_get_stats, im_network_changed};
        use crate::ffi::stats::ImStats;

        let h = new_handle();
        let code = guard("t", || {
            with_client(h, |c| {
                c.inject_engine_panic();
                Ok(())
            })
        });
        assert_eq!(code, codes::OK, "the engine's own guard caught it");
        let mut state = -1;
        assert_eq!(im_get_state(h, &mut state), codes::PANIC);
        let mut stats = ImStats::from(crate::engine::Stats::default());
        assert_eq!(im_get_stats(h, &mut stats), codes::PANIC);
        assert_eq!(im_network_changed(h, 1), codes::PANIC);
        unregister(h).unwrap().client.release();
    }

    /// A panic caught at the C boundary makes the client unusable like any other: its
    /// driver stops and closes the link rather than keeping the user online.
    #[test]
    fn a_panic_in_a_c_entry_point_closes_the_link() {
        use crate::client::test_server::{online_client, release_returns, BOUND};

        let online = online_client("c-boundary");
        let h = register(online.client.clone()).unwrap();
        let code = guard("t", || with_client(h, |_| -> Result<()> { panic!("boom") }));
        assert_eq!(code, codes::PANIC);
        assert!(
            online.link_ended.recv_timeout(BOUND).is_ok(),
            "the link of the unusable client stayed open"
        );
        let entry = unregister(h).unwrap();
        assert!(release_returns(&entry.client), "release() did not return");
    }
}
