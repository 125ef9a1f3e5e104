//! What each log level shows (the header's `IM_LOG_*`), and that no level, TRACE
//! included, shows a token, a login's `extra`, a message's content or an echo text.

use super::harness::*;
use crate::engine::{Action, LinkError, LoginRequest, SendRequest};
use crate::log::{thread_override, LogLevel};
use crate::protocol::{encode, packet_type as pt, Dialect, Packet};

const EXTRA: &str = "secret-extra-xyz";
const CONTENT_OUT: &str = "outgoing-content-xyz";
const CONTENT_IN: &str = "incoming-content-xyz";
const ECHO_TEXT: &str = "echo-text-xyz";
const KICK_REASON: &str = "kick-reason-xyz";

/// Everything a log must never show.
const SECRETS: [&str; 6] = [
    TOKEN,
    EXTRA,
    CONTENT_OUT,
    CONTENT_IN,
    ECHO_TEXT,
    KICK_REASON,
];

/// A harness whose log records are those a sink at `max` would receive.
fn harness_at(dialect: Dialect, max: Option<LogLevel>) -> Harness {
    let h = Harness::new(dialect);
    thread_override::set(max);
    h
}

fn log_records(h: &mut Harness) -> Vec<(LogLevel, String)> {
    h.history()
        .into_iter()
        .filter_map(|a| match a {
            Action::Log { level, message } => Some((level, message)),
            _ => None,
        })
        .collect()
}

fn lines(h: &mut Harness) -> Vec<String> {
    log_records(h).into_iter().map(|(_, m)| m).collect()
}

fn assert_no_secrets(records: &[String]) {
    for line in records {
        for secret in SECRETS {
            assert!(!line.contains(secret), "{secret:?} logged in {line:?}");
        }
    }
}

fn assert_has(records: &[String], needle: &str) {
    assert!(
        records.iter().any(|l| l.contains(needle)),
        "no record contains {needle:?}: {records:#?}"
    );
}

/// Logs in with a token and an `extra`, then exchanges every kind of frame: data both
/// ways, ACKs both ways, keepalive, echo, a server error naming a message, a resend, a
/// lost message, a link loss with a re-login, and (mobileimsdk) a kick with a reason.
/// Returns the fp of the message that was sent and acked.
fn full_session(h: &mut Harness) -> String {
    let req = LoginRequest {
        extra: Some(EXTRA.to_string()),
        ..h.login_req()
    };
    h.engine.login(req, h.now).unwrap();
    h.connected();
    h.login_response(0, 1_795_630_938_309);
    let fp = h.send_qos("bob", CONTENT_OUT);
    h.server_ack(&fp);
    let incoming = h.data_packet("bob", Some("in-fp-1"), true, CONTENT_IN);
    h.server(&incoming);
    advance_answering_keepalives(h, h.engine.config.keepalive_interval_ms);
    h.engine.echo(ECHO_TEXT, h.now).unwrap();
    h.server(&Packet {
        data_content: Some(ECHO_TEXT.to_string()),
        from: "0".into(),
        to: h.user.clone(),
        ..Packet::new(pt::ECHO_RESPONSE)
    });
    // A message nobody acks: resent on the QoS ticks, then lost.
    let unacked = h.send_qos("carol", CONTENT_OUT);
    let embedded = encode(
        h.dialect,
        &Packet::data(&h.user, "carol", CONTENT_OUT, true, Some(&unacked), 0),
    );
    h.server_error(302, &embedded);
    advance_answering_keepalives(h, 60_000);
    h.closed(LinkError::Closed);
    h.relogin();
    if h.dialect == Dialect::MobileImSdk {
        h.kickout(2, Some(KICK_REASON));
    }
    fp
}

/// Moves the clock while the server answers every keepalive, so the link stays up.
fn advance_answering_keepalives(h: &mut Harness, ms: u64) {
    let step = h.engine.config.keepalive_interval_ms;
    let response = Packet {
        from: "0".into(),
        to: h.user.clone(),
        ..Packet::new(pt::KEEPALIVE_RESPONSE)
    };
    for _ in 0..ms.div_ceil(step) {
        h.advance(step);
        h.server(&response);
    }
}

#[test]
fn log_level_debug_shows_every_frame_in_and_out_with_payloads_redacted() {
    for d in Dialect::ALL {
        let mut h = harness_at(d, Some(LogLevel::Debug));
        let fp = full_session(&mut h);
        let records = log_records(&mut h);
        assert!(records.iter().all(|(l, _)| *l <= LogLevel::Debug));
        let lines: Vec<String> = records.into_iter().map(|(_, m)| m).collect();
        assert_no_secrets(&lines);
        // One line per frame written, and per frame read.
        let written = frames(&h.history()).len();
        let out = lines.iter().filter(|l| l.starts_with("frame out ")).count();
        assert_eq!(out, written, "{d:?}: {lines:#?}");
        assert!(lines.iter().filter(|l| l.starts_with("frame in ")).count() >= 7);
        // The login: user shown, payload (token, extra) only as a size.
        let login = lines
            .iter()
            .find(|l| l.starts_with("frame out type=0 (login)"))
            .expect("login frame logged");
        assert!(login.contains("from=alice to=0"), "{login}");
        assert!(login.contains(" payload=<"), "{login}");
        assert!(login.contains("bytes="), "{login}");
        assert_has(&lines, "frame in type=50 (login response)");
        assert_has(&lines, " code=0");
        // The data frame out: fp, addresses, QoS, size, content redacted.
        let data_out = format!("frame out type=2 (data) fp={fp} from=alice to=bob qos=true bytes=");
        assert_has(&lines, &data_out);
        assert_has(&lines, &format!("content=<{} bytes>", CONTENT_OUT.len()));
        // The data frame in, and our ACK of it.
        assert_has(
            &lines,
            "frame in type=2 (data) fp=in-fp-1 from=bob to=alice qos=true",
        );
        assert_has(&lines, &format!("content=<{} bytes>", CONTENT_IN.len()));
        assert_has(&lines, "(ack)");
        assert_has(&lines, "acked=in-fp-1");
        // The server's ACK of ours.
        let server_ack = format!("frame in type={} (ack)", d.server_ack_type());
        assert_has(&lines, &server_ack);
        assert_has(&lines, &format!("acked={fp}"));
        // Keepalive both ways, echo both ways (text redacted), the 302 (message redacted).
        assert_has(&lines, "frame out type=1 (keepalive)");
        assert_has(&lines, "frame in type=51 (keepalive response)");
        assert_has(
            &lines,
            "frame out type=5 (echo) fp=- from=alice to=0 qos=false",
        );
        assert_has(&lines, &format!("text=<{} bytes>", ECHO_TEXT.len()));
        assert_has(&lines, "frame in type=53 (echo response)");
        assert_has(&lines, "frame in type=52 (error)");
        assert_has(&lines, "error=302 message=<");
        if d == Dialect::MobileImSdk {
            assert_has(&lines, "frame in type=54 (kickout)");
            assert_has(
                &lines,
                &format!("code=2 reason=<{} bytes>", KICK_REASON.len()),
            );
        }
        // DEBUG includes INFO and WARN, but nothing of TRACE.
        assert_has(&lines, "state IDLE -> CONNECTING");
        assert_has(&lines, "resend 1 of message");
        assert!(
            !lines.iter().any(|l| l.contains("dispatched")),
            "{lines:#?}"
        );
    }
}

#[test]
fn log_level_info_shows_connections_logins_and_state_changes_but_no_frames() {
    for d in Dialect::ALL {
        let mut h = harness_at(d, Some(LogLevel::Info));
        full_session(&mut h);
        h.engine.logout(h.now).ok();
        h.engine.release(h.now);
        let records = log_records(&mut h);
        assert!(
            records.iter().all(|(l, _)| *l <= LogLevel::Info),
            "{records:#?}"
        );
        let lines: Vec<String> = records.into_iter().map(|(_, m)| m).collect();
        assert_no_secrets(&lines);
        assert!(!lines.iter().any(|l| l.starts_with("frame ")), "{lines:#?}");
        for expected in [
            "state IDLE -> CONNECTING: login requested",
            "state CONNECTING -> AUTHENTICATING: connected, login written as alice",
            "state AUTHENTICATING -> ONLINE: login accepted",
            "login succeeded as alice",
            "link lost: ServerClosed",
            "state ONLINE -> WAITING: re-login attempt 1 scheduled in ",
            "state WAITING -> CONNECTING: re-login attempt started",
            "re-login succeeded as alice",
            "released",
        ] {
            assert_has(&lines, expected);
        }
        if d == Dialect::Seed {
            assert_has(&lines, "state ONLINE -> IDLE: logged out");
        } else {
            assert_has(&lines, "state ONLINE -> IDLE: kicked by the server");
        }
    }
}

#[test]
fn log_level_warn_shows_resends_losses_and_server_errors_only() {
    for d in Dialect::ALL {
        let mut h = harness_at(d, Some(LogLevel::Warn));
        full_session(&mut h);
        let records = log_records(&mut h);
        assert!(
            records.iter().all(|(l, _)| *l <= LogLevel::Warn),
            "{records:#?}"
        );
        let lines: Vec<String> = records.into_iter().map(|(_, m)| m).collect();
        assert_no_secrets(&lines);
        assert_has(&lines, "resend 1 of message");
        assert_has(&lines, "to carol (no ACK yet)");
        assert_has(&lines, "message(s) lost (no ACK after the last resend)");
        assert_has(&lines, "server error 302");
        assert!(!lines.iter().any(|l| l.starts_with("state ")), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.starts_with("frame ")), "{lines:#?}");
    }
}

#[test]
fn log_level_error_shows_a_tls_failure_and_nothing_routine() {
    let mut h = harness_at(Dialect::Seed, Some(LogLevel::Error));
    full_session(&mut h);
    assert!(lines(&mut h).is_empty(), "{:#?}", lines(&mut h));
    h.engine.logout(h.now).unwrap();
    h.login();
    h.closed(LinkError::Tls(
        "certificate verification failed: UnknownIssuer".into(),
    ));
    let records = log_records(&mut h);
    assert_eq!(
        records,
        vec![(LogLevel::Error, "login failed with code 1003".to_string())]
    );
}

#[test]
fn log_level_off_queues_no_records_at_all() {
    for d in Dialect::ALL {
        let mut h = harness_at(d, None);
        full_session(&mut h);
        assert!(lines(&mut h).is_empty(), "{:#?}", lines(&mut h));
    }
}

#[test]
fn log_level_trace_adds_dispatches_and_acks_and_still_no_secrets() {
    for d in Dialect::ALL {
        let mut h = harness_at(d, Some(LogLevel::Trace));
        let fp = full_session(&mut h);
        let lines = lines(&mut h);
        assert_no_secrets(&lines);
        assert_has(&lines, &format!("message {fp} acked"));
        assert_has(
            &lines,
            &format!(
                "message in-fp-1 from bob to alice dispatched, content <{} bytes>",
                CONTENT_IN.len()
            ),
        );
        assert_has(
            &lines,
            &format!("echo answered, text <{} bytes>", ECHO_TEXT.len()),
        );
    }
}

#[test]
fn log_lines_show_an_overlong_or_odd_server_id_only_as_its_size() {
    let mut h = harness_at(Dialect::Seed, Some(LogLevel::Debug));
    h.online();
    // Over the 64 bytes a log line shows, within the 256-byte id cap of the decoder.
    let long_from = "b".repeat(200);
    let long = h.data_packet(&long_from, None, false, "x");
    h.server(&long);
    let odd = h.data_packet("line\nbreak", None, false, "x");
    h.server(&odd);
    let lines = lines(&mut h);
    assert_has(&lines, "from=<200 bytes>");
    assert_has(&lines, "from=<10 bytes>");
    assert!(lines.iter().all(|l| !l.contains('\n')), "{lines:#?}");
}

#[test]
fn a_seed_303_naming_a_message_logs_neither_its_content_nor_the_embedded_frame() {
    let mut h = harness_at(Dialect::Seed, Some(LogLevel::Trace));
    h.online();
    let fp = h
        .send(SendRequest {
            typeu: Some(1),
            ..SendRequest::new("no-such-group", CONTENT_OUT)
        })
        .unwrap();
    let embedded = encode(
        h.dialect,
        &Packet::data(&h.user, "no-such-group", CONTENT_OUT, true, Some(&fp), 1),
    );
    h.server_error(303, &embedded);
    let lines = lines(&mut h);
    assert_no_secrets(&lines);
    assert_has(&lines, "server error 303");
    assert_has(
        &lines,
        &format!("1 message(s) lost (refused by the server): {fp}"),
    );
}
