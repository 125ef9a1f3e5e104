//! Helpers shared by the protocol test files.

use imsdk::protocol::{Dialect, Packet};

/// What the wire cannot tell apart:
/// - absent `dataContent` and `""` (seed writes `""` for none; PROTOCOL.md §3.2);
/// - every server time `<= 0` (all mean "none", written seed `null` / mobileimsdk `-1`);
/// - an empty fp and no fp (the decoder reads `""` as none);
/// - `retryCount` outside seed (only seed writes it).
pub fn normalise(dialect: Dialect, mut p: Packet) -> Packet {
    if p.data_content.is_none() {
        p.data_content = Some(String::new());
    }
    if p.server_ts <= 0 {
        p.server_ts = -1;
    }
    if p.fp.as_deref() == Some("") {
        p.fp = None;
    }
    if !dialect.spec().writes_retry_count {
        p.retry_count = 0;
    }
    p
}
