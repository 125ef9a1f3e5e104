//! The process-wide table of live clients behind the `ImClient*` tokens, and the
//! "unusable after a panic" mark.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use super::backend::Client;
use super::registry::Registry;
use crate::error::{Error, Result};
use crate::protocol::codes;

/// Opaque client handle. It is a token, never a pointer to memory: the SDK looks it up
/// and never dereferences it, so a stale, released or forged handle gives
/// `IM_ERR_INVALID_HANDLE`.
pub struct ImClient {
    _private: [u8; 0],
}

/// A live client and its "a panic was caught" mark.
pub(crate) struct ClientEntry {
    pub(crate) client: Client,
    unusable: Arc<AtomicBool>,
}

static CLIENTS: RwLock<Registry<Arc<ClientEntry>>> = RwLock::new(Registry::new());

/// Registers `client`; `unusable` is shared with its callback handler.
pub(crate) fn register(client: Client, unusable: Arc<AtomicBool>) -> Result<*mut ImClient> {
    let entry = Arc::new(ClientEntry { client, unusable });
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

/// Runs `body` with the live client behind `handle`. A panic inside `body` marks the
/// client unusable (the guard around the entry point turns it into `IM_ERR_PANIC`).
pub(crate) fn with_client<T>(
    handle: *const ImClient,
    body: impl FnOnce(&Client) -> Result<T>,
) -> Result<T> {
    let entry = CLIENTS
        .read()
        .get(handle as usize)
        .cloned()
        .ok_or_else(|| invalid(handle))?;
    if entry.unusable.load(Ordering::Acquire) {
        return Err(Error::new(
            codes::PANIC,
            "client is unusable after an internal panic; release it",
        ));
    }
    let _mark = MarkOnPanic(&entry.unusable);
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

/// Sets the mark when dropped during unwinding.
struct MarkOnPanic<'a>(&'a AtomicBool);

impl Drop for MarkOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
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
        register(client, Arc::new(AtomicBool::new(false))).unwrap()
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
}
