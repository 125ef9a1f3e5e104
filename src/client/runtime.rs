//! The one process-wide tokio runtime (DESIGN.md §2): created on first use, never
//! dropped (dropping a runtime inside a callback or at exit is a classic crash), shared
//! by every client. Two `imsdk-io` worker threads carry any number of links.

use once_cell::sync::OnceCell;
use tokio::runtime::Runtime;

use crate::error::{Error, Result};
use crate::protocol::codes;

static RUNTIME: OnceCell<Runtime> = OnceCell::new();

/// The shared runtime, started on first call.
pub fn runtime() -> Result<&'static Runtime> {
    RUNTIME.get_or_try_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("imsdk-io")
            .enable_all()
            .build()
            .map_err(|e| Error::new(codes::UNKNOWN, format!("cannot start the runtime: {e}")))
    })
}
