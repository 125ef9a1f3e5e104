//! The log levels end to end: a real client against the dev server, the log callback
//! installed through the C entry point. DEBUG shows the login, data and ACK frames with
//! the token, `extra` and contents redacted; INFO shows connects and state changes and no
//! frame. One test: the log callback is process-wide.

mod client_support;

use std::ffi::{c_char, c_void, CStr};
use std::sync::Mutex;

use client_support::*;
use imsdk::client::{Event, LoginRequest, SendRequest};
use imsdk::ffi::{im_set_log_callback, IM_LOG_DEBUG, IM_LOG_INFO, IM_LOG_OFF, IM_OK};

const TOKEN: &str = "token-e2e-secret";
const EXTRA: &str = "extra-e2e-secret";
const CONTENT: &str = "content-e2e-secret";

static LINES: Mutex<Vec<(i32, String)>> = Mutex::new(Vec::new());

extern "C" fn on_log(_user_data: *mut c_void, level: i32, message: *const c_char) {
    // SAFETY: the SDK passes a NUL-terminated string valid for the duration of the call.
    let text = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    LINES.lock().unwrap().push((level, text));
}

fn take_lines() -> Vec<(i32, String)> {
    std::mem::take(&mut *LINES.lock().unwrap())
}

fn has(lines: &[(i32, String)], needle: &str) -> bool {
    lines.iter().any(|(_, l)| l.contains(needle))
}

/// Waits (bounded) until a captured line matches `wanted`.
fn wait_for_line(wanted: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !LINES.lock().unwrap().iter().any(|(_, l)| wanted(l)) {
        assert!(
            std::time::Instant::now() < deadline,
            "the awaited log line never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn log_levels_debug_shows_redacted_frames_info_shows_no_frames() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        assert_eq!(
            im_set_log_callback(Some(on_log), std::ptr::null_mut(), IM_LOG_DEBUG),
            IM_OK
        );
        take_lines();

        let (bob, mut bob_events) = online_client(fast_config(server.url(), dialect), "bob");
        let (alice, mut alice_events) = client(fast_config(server.url(), dialect));
        alice
            .login(LoginRequest {
                user_id: "alice".into(),
                token: TOKEN.into(),
                app: None,
                extra: Some(EXTRA.into()),
            })
            .unwrap();
        alice_events.wait_online();
        let fp = alice.send(SendRequest::new("bob", CONTENT)).unwrap();
        alice_events.wait_for("ack", |e| matches!(e, Event::MessageAcked { .. }));
        bob_events.wait_for("message", |e| matches!(e, Event::Message(_)));
        // Bob's ACK is written once his callback returned (R36): wait for its line.
        wait_for_line(|l| l.contains("frame out") && l.contains(&format!("acked={fp}")));

        let debug = take_lines();
        for (_, line) in &debug {
            for secret in [TOKEN, EXTRA, CONTENT] {
                assert!(!line.contains(secret), "{dialect:?}: {secret} in {line:?}");
            }
        }
        assert!(debug.iter().all(|(l, _)| *l <= IM_LOG_DEBUG));
        let url = server.url();
        let host_port_path = url.split_once("://").unwrap().1;
        for needle in [
            format!("connecting to ws://{host_port_path}"),
            "frame out type=0 (login) fp=- from=alice to=0".to_string(),
            "payload=<".to_string(),
            "frame in type=50 (login response)".to_string(),
            "code=0".to_string(),
            format!("frame out type=2 (data) fp={fp} from=alice to=bob qos=true"),
            format!("content=<{} bytes>", CONTENT.len()),
            format!("frame in type=2 (data) fp={fp} from=alice to=bob qos=true"),
            "(ack) fp=- from=".to_string(),
            format!("acked={fp}"),
            "state CONNECTING -> AUTHENTICATING: connected, login written as alice".to_string(),
            "login succeeded as alice".to_string(),
        ] {
            assert!(
                has(&debug, &needle),
                "{dialect:?}: no {needle:?} in {debug:#?}"
            );
        }

        // INFO: the next message's frames are not logged, state changes are.
        assert_eq!(
            im_set_log_callback(Some(on_log), std::ptr::null_mut(), IM_LOG_INFO),
            IM_OK
        );
        alice.send(SendRequest::new("bob", CONTENT)).unwrap();
        alice_events.wait_for("ack", |e| matches!(e, Event::MessageAcked { .. }));
        alice.logout().unwrap();
        alice_events.wait_for("idle", |e| matches!(e, Event::StateChanged { .. }));
        alice.release();
        bob.release();
        let info = take_lines();
        assert!(info.iter().all(|(l, _)| *l <= IM_LOG_INFO), "{info:#?}");
        assert!(!has(&info, "frame "), "{dialect:?}: {info:#?}");
        assert!(has(&info, "-> IDLE: logged out"), "{dialect:?}: {info:#?}");
        assert!(has(&info, ": released"), "{dialect:?}: {info:#?}");
    }
    assert_eq!(
        im_set_log_callback(None, std::ptr::null_mut(), IM_LOG_OFF),
        IM_OK
    );
}
