//! The wire format of both dialects (PROTOCOL.md §1–§4): envelope, packet types,
//! payloads, codes. Pure: no IO, no clock. `decode` is lenient where the protocol says so,
//! `encode` writes every field with the dialect's exact names and order.

pub mod codec;
pub mod codes;
mod decoder;
pub mod dialect;
mod envelope_fields;
mod json;
mod lenient;
pub mod packet;
pub mod packet_type;
pub mod payload;

pub use codec::{decode, decode_object, encode, encode_ack, DecodeError, MAX_ID_BYTES};
pub use dialect::{AckAddressing, Dialect, DialectSpec, PacketKind};
pub use packet::{Packet, MAX_FP_BYTES, SERVER_ID, UNSET_ID};
pub use payload::{ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, PayloadError};
