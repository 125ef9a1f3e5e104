//! The C entry points of one client: one short function each, all through
//! [`guard`]; the work is the Rust API's.

// The functions take raw pointers from C and are `extern "C"`: C callers cannot see
// Rust's `unsafe`, and the pointer contract of each is documented in the header.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;

use super::backend::{Client, Poison};
use super::callbacks::{CallbackHandler, ImCallbacks};
use super::guard::{guard, null_argument};
use super::handles::{register, unregister, with_client, ImClient};
use super::options::ImOptions;
use super::send_request::{FpOut, ImSendRequest, IM_MAX_ID_BYTES};
use super::stats::ImStats;
use super::strings::{optional_str, required_str, IM_MAX_STRING_BYTES};
use super::versioned::{init_versioned, read_versioned, write_versioned};
use crate::engine::{Event, LoginRequest};

/// Fills `*options` with every default (see `ImOptions`) and sets its `struct_size`.
/// `struct_size` is `sizeof(ImOptions)` as the caller sees it; exactly that many bytes
/// are written.
///
/// Returns `IM_OK`, or `IM_ERR_INVALID_ARGUMENT` (NULL, unknown size). Thread: any.
#[no_mangle]
pub extern "C" fn im_options_init(options: *mut ImOptions, struct_size: usize) -> i32 {
    guard("im_options_init", || unsafe {
        init_versioned(options, struct_size, &ImOptions::defaults())
    })
}

/// Creates a client: checks `*options` and copies it and `*callbacks` (NULL = no
/// callbacks). Does not connect. On success writes the new handle to `*out_client`
/// (else NULL); the caller owns it and must `im_release` it.
///
/// Returns `IM_OK`; `IM_ERR_NO_SERVER` (URL NULL or not ws/wss); `IM_ERR_INVALID_ARGUMENT`
/// (NULL `options`/`out_client`, bad `struct_size`, bad string, out-of-range option).
/// No callback follows a failed `im_init`. Thread: any.
#[no_mangle]
pub extern "C" fn im_init(
    options: *const ImOptions,
    callbacks: *const ImCallbacks,
    out_client: *mut *mut ImClient,
) -> i32 {
    guard("im_init", || unsafe {
        if out_client.is_null() {
            return Err(null_argument("out_client"));
        }
        *out_client = std::ptr::null_mut();
        let config = read_versioned(options, ImOptions::defaults())?.to_config()?;
        let callbacks = if callbacks.is_null() {
            ImCallbacks::none()
        } else {
            read_versioned(callbacks, ImCallbacks::none())?
        };
        let poison = Poison::default();
        let handler = CallbackHandler::new(callbacks, poison.clone());
        let client =
            Client::with_poison(config, move |event: &Event| handler.deliver(event), poison)?;
        match register(client.clone()) {
            Ok(handle) => {
                *out_client = handle;
                Ok(())
            }
            Err(e) => {
                client.release();
                Err(e)
            }
        }
    })
}

/// Starts a session: stores the credentials and starts connecting. `user_id` (at most
/// `IM_MAX_ID_BYTES` bytes) and `token` are required; `app` (seed only) and `extra` may
/// be NULL. All are borrowed for the call only; the token never appears in logs.
///
/// Returns `IM_OK` (accepted: `on_state_changed`, then exactly one `on_login_result`
/// follow, unless `im_logout`/`im_release` comes first); `IM_ERR_ALREADY_LOGGED_IN`
/// (a session exists); `IM_ERR_NETWORK_DOWN`; `IM_ERR_INVALID_ARGUMENT` (empty, too long
/// or reserved `"0"`/`"-1"` user id, bad string); `IM_ERR_INVALID_HANDLE`. Thread: any,
/// callbacks included.
#[no_mangle]
pub extern "C" fn im_login(
    client: *mut ImClient,
    user_id: *const c_char,
    token: *const c_char,
    app: *const c_char,
    extra: *const c_char,
) -> i32 {
    guard("im_login", || {
        with_client(client, |c| unsafe {
            let request = LoginRequest {
                user_id: required_str(user_id, "user_id", IM_MAX_ID_BYTES)?.to_owned(),
                token: required_str(token, "token", IM_MAX_STRING_BYTES)?.to_owned(),
                app: optional_str(app, "app", IM_MAX_STRING_BYTES)?.map(str::to_owned),
                extra: optional_str(extra, "extra", IM_MAX_STRING_BYTES)?.map(str::to_owned),
            };
            c.login(request)
        })
    })
}

/// Fills `*request` with the defaults (QoS on, `IM_TYPEU_DEFAULT`, generated
/// fingerprint, `IM_CONTENT_NUL_TERMINATED`) and sets its `struct_size`
/// (`sizeof(ImSendRequest)` as the caller sees it).
///
/// Returns `IM_OK` or `IM_ERR_INVALID_ARGUMENT`. Thread: any.
#[no_mangle]
pub extern "C" fn im_send_request_init(request: *mut ImSendRequest, struct_size: usize) -> i32 {
    guard("im_send_request_init", || unsafe {
        init_versioned(request, struct_size, &ImSendRequest::defaults())
    })
}

/// Sends a message from the logged-in user. On `IM_OK` writes the fingerprint used
/// (NUL-terminated; `""` for a non-QoS message without one) to `fp_out`, a buffer of
/// `IM_FP_BUF_LEN` bytes (or NULL if not wanted); on failure writes `""` there.
/// `fp_out` is written only after `*request` has been read, so it may be the buffer
/// `request->fp` points to.
///
/// QoS messages are accepted in every session state (queued while offline, sent when
/// online) and then get exactly one `on_message_acked` or `on_messages_lost`, ever,
/// including on logout or release (reported lost, `IM_LOST_CANCELLED`).
///
/// Returns `IM_OK`; `IM_ERR_NO_LOGIN` (no session); `IM_ERR_QUEUE_FULL`;
/// `IM_ERR_SERVER_BUSY` (busy window); `IM_ERR_LINK_DOWN`/`IM_ERR_NETWORK_DOWN`
/// (non-QoS while not online); `IM_ERR_INVALID_PACKET` (frame over `max_frame_bytes`);
/// `IM_ERR_INVALID_ARGUMENT` (NULL `request`, empty `to`, bad string, bad or pending
/// fp); `IM_ERR_INVALID_HANDLE`. Nothing is queued and no callback follows on failure.
/// Thread: any, callbacks included; concurrent sends are fine.
#[no_mangle]
pub extern "C" fn im_send(
    client: *mut ImClient,
    request: *const ImSendRequest,
    fp_out: *mut c_char,
) -> i32 {
    guard("im_send", || unsafe {
        let fp_out = FpOut::new(fp_out);
        let fp = with_client(client, |c| {
            let request = read_versioned(request, ImSendRequest::defaults())?.to_request()?;
            c.send(request)
        })?;
        fp_out.set(&fp);
        Ok(())
    })
}

/// Ends the session (tells the server when online). Pending QoS messages are reported
/// lost (`IM_LOST_CANCELLED`), then `on_state_changed(IDLE, LOGGED_OUT)`. Nothing
/// reconnects until the next `im_login`. A login in progress gets no result.
///
/// Returns `IM_OK`, `IM_ERR_NO_LOGIN` (no session) or `IM_ERR_INVALID_HANDLE`.
/// Thread: any, callbacks included.
#[no_mangle]
pub extern "C" fn im_logout(client: *mut ImClient) -> i32 {
    guard("im_logout", || with_client(client, |c| c.logout()))
}

/// Destroys the client. The handle is dead at once for every thread: any later call
/// with it returns `IM_ERR_INVALID_HANDLE`. Any session ends without telling the
/// server; pending QoS messages are reported lost (`IM_LOST_CANCELLED`); then
/// `on_release` runs, always the very last callback.
///
/// Barrier: called outside the client's callbacks, it returns after `on_release` has
/// returned, and no callback of this client runs afterwards. Called from inside one of
/// the SDK's callbacks it returns at once and completes after that callback returns.
///
/// Returns `IM_OK` or `IM_ERR_INVALID_HANDLE` (NULL, unknown, already released). Works
/// on a client made unusable by a panic. Thread: any.
#[no_mangle]
pub extern "C" fn im_release(client: *mut ImClient) -> i32 {
    guard("im_release", || {
        let entry = unregister(client)?;
        entry.client.release();
        Ok(())
    })
}

/// Tells the client whether the device has network (from the platform's reachability
/// monitor; assumed available until told otherwise). `available` 0: the link is closed
/// (`on_link_closed(IM_LINK_NETWORK_DOWN)`), no re-login attempts, `im_login` and
/// non-QoS sends return `IM_ERR_NETWORK_DOWN`, QoS sends still queue. Nonzero: a waiting
/// re-login is attempted now.
///
/// Returns `IM_OK` or `IM_ERR_INVALID_HANDLE`. Thread: any.
#[no_mangle]
pub extern "C" fn im_network_changed(client: *mut ImClient, available: i32) -> i32 {
    guard("im_network_changed", || {
        with_client(client, |c| {
            c.network_changed(available != 0);
            Ok(())
        })
    })
}

/// Asks the server to echo `text` (borrowed for the call); the answer arrives as
/// `on_echo`.
///
/// Returns `IM_OK`, `IM_ERR_NO_LOGIN`/`IM_ERR_LINK_DOWN` (not online),
/// `IM_ERR_INVALID_ARGUMENT` or `IM_ERR_INVALID_HANDLE`. Thread: any.
#[no_mangle]
pub extern "C" fn im_echo(client: *mut ImClient, text: *const c_char) -> i32 {
    guard("im_echo", || {
        with_client(client, |c| unsafe {
            c.echo(required_str(text, "text", IM_MAX_STRING_BYTES)?)
        })
    })
}

/// Writes the current state (`IM_STATE_*`) to `*state_out`.
///
/// Returns `IM_OK`, `IM_ERR_INVALID_ARGUMENT` (NULL `state_out`) or
/// `IM_ERR_INVALID_HANDLE`. Thread: any.
#[no_mangle]
pub extern "C" fn im_get_state(client: *mut ImClient, state_out: *mut i32) -> i32 {
    guard("im_get_state", || {
        with_client(client, |c| unsafe {
            if state_out.is_null() {
                return Err(null_argument("state_out"));
            }
            *state_out = c.state() as i32;
            Ok(())
        })
    })
}

/// Writes the client's counters to `*stats_out`, whose `struct_size` the caller has set
/// to `sizeof(ImStats)`; only that many bytes are written.
///
/// Returns `IM_OK`, `IM_ERR_INVALID_ARGUMENT` (NULL, bad `struct_size`) or
/// `IM_ERR_INVALID_HANDLE`. Thread: any.
#[no_mangle]
pub extern "C" fn im_get_stats(client: *mut ImClient, stats_out: *mut ImStats) -> i32 {
    guard("im_get_stats", || {
        with_client(client, |c| unsafe {
            write_versioned(stats_out, &ImStats::from(c.stats()))
        })
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::super::send_request::IM_FP_BUF_LEN;
    use super::*;
    use crate::protocol::codes;

    /// A client with a session that never gets online (nothing listens on port 9).
    /// A client in a session: its login waits on a listener that never answers the
    /// upgrade (kept alive by the returned guard), so the session cannot end under the
    /// test the way a refused connect would end it.
    fn logged_in_client() -> (*mut ImClient, std::net::TcpListener) {
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("ws://{}/ws\0", silent.local_addr().unwrap());
        let mut options = ImOptions::defaults();
        options.url = url.as_ptr().cast();
        let mut client = std::ptr::null_mut();
        assert_eq!(im_init(&options, std::ptr::null(), &mut client), codes::OK);
        let null = std::ptr::null();
        assert_eq!(
            im_login(client, c"alice".as_ptr(), c"t".as_ptr(), null, null),
            codes::OK
        );
        (client, silent)
    }

    /// `fp_out` may be the buffer `request->fp` points to (an app that keeps one fp
    /// buffer per message): the request is read before `fp_out` is written.
    #[test]
    fn im_send_with_fp_out_aliasing_request_fp_uses_that_fp() {
        let (client, _silent) = logged_in_client();
        let mut buf = [0 as c_char; IM_FP_BUF_LEN];
        for (slot, byte) in buf.iter_mut().zip(b"app-fp-1") {
            *slot = *byte as c_char;
        }
        let mut request = ImSendRequest::defaults();
        request.to = c"bob".as_ptr();
        request.content = c"hi".as_ptr();
        request.fp = buf.as_ptr();
        let code = im_send(client, &request, buf.as_mut_ptr());
        // SAFETY: `buf` is NUL-terminated (zeroed beyond the text, or written by im_send).
        let written = unsafe { CStr::from_ptr(buf.as_ptr()) };
        assert_eq!((code, written), (codes::OK, c"app-fp-1"));
        assert_eq!(im_release(client), codes::OK);
    }

    /// A refused send still leaves `""` in `fp_out`.
    #[test]
    fn im_send_failure_leaves_an_empty_fp_out() {
        let (client, _silent) = logged_in_client();
        let mut buf = [b'x' as c_char; IM_FP_BUF_LEN];
        let mut request = ImSendRequest::defaults();
        request.content = c"hi".as_ptr();
        let code = im_send(client, &request, buf.as_mut_ptr());
        assert_eq!((code, buf[0]), (codes::INVALID_ARGUMENT, 0));
        assert_eq!(im_release(client), codes::OK);
    }
}
