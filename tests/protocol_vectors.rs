//! The recorded frames of `tests/vectors/*.jsonl` (one JSON object per line: `case`, `raw`,
//! `expect`) against the codec: decoding, byte-exact encoding, the ACK a client writes, and
//! the decode/encode round trip.

mod protocol_support;

use protocol_support::normalise;

use std::path::PathBuf;

use imsdk::protocol::{
    decode, encode, DecodeError, Dialect, LoginInfo, Packet, PacketKind, PayloadError,
};
use serde_json::Value;

struct Vector {
    case: String,
    raw: String,
    expect: Value,
}

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn file_name(dialect: Dialect) -> String {
    format!("{}.jsonl", dialect.name())
}

fn load(dialect: Dialect) -> Vec<Vector> {
    let path = vectors_dir().join(file_name(dialect));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            Vector {
                case: v["case"].as_str().unwrap().to_string(),
                raw: v["raw"].as_str().unwrap().to_string(),
                expect: v["expect"].clone(),
            }
        })
        .collect()
}

fn find<'a>(vectors: &'a [Vector], case: &str) -> &'a Vector {
    vectors
        .iter()
        .find(|v| v.case == case)
        .unwrap_or_else(|| panic!("no case {case}"))
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

fn kind_name(kind: PacketKind) -> &'static str {
    match kind {
        PacketKind::Login => "login",
        PacketKind::Keepalive => "keepalive",
        PacketKind::Data => "data",
        PacketKind::Logout => "logout",
        PacketKind::Ack => "ack",
        PacketKind::Echo => "echo",
        PacketKind::LoginResponse => "login_response",
        PacketKind::KeepaliveResponse => "keepalive_response",
        PacketKind::Error => "error",
        PacketKind::EchoResponse => "echo_response",
        PacketKind::Kickout => "kickout",
        PacketKind::Unknown => "unknown",
    }
}

fn check_envelope(dialect: Dialect, case: &str, p: &Packet, e: &Value) {
    assert_eq!(
        i64::from(p.packet_type),
        e["type"].as_i64().unwrap(),
        "{case}: type"
    );
    assert_eq!(p.from, e["from"].as_str().unwrap(), "{case}: from");
    assert_eq!(p.to, e["to"].as_str().unwrap(), "{case}: to");
    assert_eq!(p.fp.as_deref(), opt_str(&e["fp"]), "{case}: fp");
    assert_eq!(p.qos, e["qos"].as_bool().unwrap(), "{case}: qos");
    assert_eq!(
        i64::from(p.typeu),
        e["typeu"].as_i64().unwrap(),
        "{case}: typeu"
    );
    assert_eq!(p.server_ts, e["server_ts"].as_i64().unwrap(), "{case}: ts");
    assert_eq!(p.bridge, e["bridge"].as_bool().unwrap(), "{case}: bridge");
    assert_eq!(
        p.data_content.as_deref(),
        opt_str(&e["data_content"]),
        "{case}: dataContent"
    );
    let kind = dialect.kind_of(p.packet_type);
    assert_eq!(kind_name(kind), e["kind"].as_str().unwrap(), "{case}: kind");
    if let Some(acked) = e.get("acked_fp") {
        assert_eq!(p.acked_fp(), opt_str(acked), "{case}: acked_fp");
    }
    if let Some(payload) = e.get("payload") {
        check_payload(dialect, case, p, kind, payload);
    }
}

fn check_payload(dialect: Dialect, case: &str, p: &Packet, kind: PacketKind, e: &Value) {
    match kind {
        PacketKind::Login => {
            let info = p.login_info().unwrap();
            assert_eq!(info.user_id, e["loginUserId"].as_str().unwrap(), "{case}");
            assert_eq!(info.token, e["loginToken"].as_str().unwrap(), "{case}");
            assert_eq!(info.extra.as_deref(), opt_str(&e["extra"]), "{case}: extra");
            assert_eq!(info.app.as_deref(), opt_str(&e["app"]), "{case}: app");
            let first = e["firstLoginTime"].as_i64().unwrap_or(0);
            assert_eq!(info.first_login_time, first, "{case}: firstLoginTime");
        }
        PacketKind::LoginResponse => {
            let r = p.login_response().unwrap();
            assert_eq!(i64::from(r.code), e["code"].as_i64().unwrap(), "{case}");
            // Absent (seed) reads as -1, the value of a failed login.
            let first = e["firstLoginTime"].as_i64().unwrap_or(-1);
            assert_eq!(r.first_login_time, first, "{case}: firstLoginTime");
        }
        PacketKind::Error => {
            let r = p.error_response().unwrap();
            assert_eq!(i64::from(r.error_code), e["errorCode"].as_i64().unwrap());
            assert_eq!(r.error_msg, e["errorMsg"].as_str().unwrap(), "{case}");
            if let Some(embedded) = e.get("embedded") {
                let inner = decode(dialect, &r.error_msg).unwrap();
                let want = embedded;
                assert_eq!(i64::from(inner.packet_type), want["type"].as_i64().unwrap());
                assert_eq!(inner.fp.as_deref(), opt_str(&want["fp"]), "{case}");
                assert_eq!(inner.qos, want["qos"].as_bool().unwrap(), "{case}");
                assert_eq!(inner.from, want["from"].as_str().unwrap(), "{case}");
                assert_eq!(inner.to, want["to"].as_str().unwrap(), "{case}");
                assert_eq!(inner.content(), want["data_content"].as_str().unwrap());
            }
        }
        PacketKind::Kickout => {
            let k = p.kickout_info().unwrap();
            assert_eq!(i64::from(k.code), e["code"].as_i64().unwrap(), "{case}");
            assert_eq!(k.reason.as_deref(), opt_str(&e["reason"]), "{case}");
        }
        other => panic!("{case}: no payload check for {other:?}"),
    }
}

fn expected_error(reason: &str, err: &DecodeError) -> bool {
    match reason {
        "not JSON" => matches!(err, DecodeError::NotJson(_)),
        "missing or non-integer type" => {
            matches!(err, DecodeError::MissingType | DecodeError::InvalidType(_))
        }
        other => panic!("unknown invalid reason {other}"),
    }
}

#[test]
fn p1_every_vector_decodes_to_its_expectation() {
    for dialect in Dialect::ALL {
        let vectors = load(dialect);
        assert!(vectors.len() > 30, "{}: too few vectors", dialect.name());
        for v in &vectors {
            let decoded = decode(dialect, &v.raw);
            if v.expect["valid"].as_bool().unwrap() {
                let p = decoded.unwrap_or_else(|e| panic!("{}: {e}", v.case));
                check_envelope(dialect, &v.case, &p, &v.expect);
            } else {
                let err = decoded.expect_err(&v.case);
                let reason = v.expect["reason"].as_str().unwrap();
                assert!(expected_error(reason, &err), "{}: {err:?}", v.case);
            }
        }
    }
}

fn login_info(op: &Value) -> LoginInfo {
    LoginInfo {
        user_id: op["user_id"].as_str().unwrap().to_string(),
        token: op["token"].as_str().unwrap().to_string(),
        extra: op["extra"].as_str().map(str::to_string),
        app: op["app"].as_str().map(str::to_string),
        first_login_time: op["first_login_time"].as_i64().unwrap_or(0),
    }
}

fn data_packet(op: &Value) -> Packet {
    Packet::data(
        op["user_id"].as_str().unwrap(),
        op["to"].as_str().unwrap(),
        op["content"].as_str().unwrap(),
        op["qos"].as_bool().unwrap(),
        op["fp"].as_str(),
        i32::try_from(op["typeu"].as_i64().unwrap()).unwrap(),
    )
}

/// The packet the client builds for a vector's `op`.
fn packet_for_op(dialect: Dialect, vectors: &[Vector], op: &Value) -> Packet {
    // One operation per `op`; the ACK operations carry `user_id` next to it.
    let (name, args) = op
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.as_str() != "user_id")
        .unwrap();
    let user = |v: &Value| v["user_id"].as_str().unwrap().to_string();
    match name.as_str() {
        "login" | "relogin" => Packet::login(dialect, &login_info(args)),
        "keepalive" => Packet::keepalive(&user(args)),
        "logout" => Packet::logout(&user(args)),
        "echo" => Packet::echo(&user(args), args["content"].as_str().unwrap()),
        "send" => data_packet(args),
        "resend" => {
            let first = find(vectors, args["of_case"].as_str().unwrap());
            let mut p = data_packet(&first.expect["op"]["send"]);
            p.retry_count = u32::try_from(args["resend_number"].as_u64().unwrap()).unwrap();
            p
        }
        "ack_for" | "ack_for_case" => {
            let raw = match args.as_str() {
                Some(raw) if name == "ack_for" => raw.to_string(),
                Some(case) => find(vectors, case).raw.clone(),
                None => panic!("ack op without a frame"),
            };
            let received = decode(dialect, &raw).unwrap();
            let own = op["user_id"].as_str().unwrap();
            Packet::ack_for(dialect, &received, own).unwrap()
        }
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn exact_emit_vectors_are_produced_byte_for_byte() {
    let mut checked = 0;
    for dialect in Dialect::ALL {
        let vectors = load(dialect);
        for v in vectors.iter().filter(|v| v.expect["exact_emit"] == true) {
            let packet = packet_for_op(dialect, &vectors, &v.expect["op"]);
            assert_eq!(encode(dialect, &packet), v.raw, "{}", v.case);
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} exact_emit vectors");
}

#[test]
fn r36_ack_written_for_each_received_qos_frame_matches_ack_raw() {
    let mut checked = 0;
    for dialect in Dialect::ALL {
        for v in load(dialect) {
            let Some(ack_raw) = v.expect.get("ack_raw").and_then(Value::as_str) else {
                continue;
            };
            let received = decode(dialect, &v.raw).unwrap();
            // The receiving client's own id is the frame's addressee.
            let ack = Packet::ack_for(dialect, &received, &received.to).unwrap();
            assert_eq!(encode(dialect, &ack), ack_raw, "{}", v.case);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} ack_raw vectors");
}

#[test]
fn decode_encode_decode_is_stable_up_to_normalisation() {
    for dialect in Dialect::ALL {
        for v in load(dialect) {
            let Ok(first) = decode(dialect, &v.raw) else {
                continue;
            };
            let again = decode(dialect, &encode(dialect, &first)).unwrap();
            assert_eq!(
                normalise(dialect, again),
                normalise(dialect, first),
                "{}",
                v.case
            );
        }
    }
}

#[test]
fn decode_encode_decode_needs_no_normalisation_for_client_frames() {
    // What the client itself writes already is in normal form.
    for dialect in Dialect::ALL {
        for v in load(dialect) {
            if v.expect["exact_emit"] != true {
                continue;
            }
            let first = decode(dialect, &v.raw).unwrap();
            assert_eq!(encode(dialect, &first), v.raw, "{}", v.case);
        }
    }
}

#[test]
fn d6_type_54_is_ack_in_seed_and_kickout_in_mobileimsdk() {
    let seed = load(Dialect::Seed);
    let ack = decode(Dialect::Seed, &find(&seed, "server_ack_54").raw).unwrap();
    assert_eq!(Dialect::Seed.kind_of(ack.packet_type), PacketKind::Ack);
    let mis = load(Dialect::MobileImSdk);
    let kick = find(&mis, "kickout_duplicate_login_no_reason");
    let kick = decode(Dialect::MobileImSdk, &kick.raw).unwrap();
    assert_eq!(Dialect::MobileImSdk.kind_of(54), PacketKind::Kickout);
    assert_eq!(kick.kickout_info().unwrap().code, 1);
    // Reading a kickout as an ACK would be the TS SDK's mistake: its content is no fp.
    assert!(Dialect::Seed.kind_of(kick.packet_type) == PacketKind::Ack);
    assert!(kick.acked_fp().unwrap().starts_with('{'));
}

#[test]
fn vectors_still_equal_the_shared_frames() {
    // `IMSDK_SHARED_FRAMES` points elsewhere when the repository is checked out alone.
    let shared = std::env::var_os("IMSDK_SHARED_FRAMES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/frames"));
    if !shared.is_dir() {
        println!(
            "note: {} not found; vector copies not compared",
            shared.display()
        );
        return;
    }
    for dialect in Dialect::ALL {
        let name = file_name(dialect);
        let ours = std::fs::read(vectors_dir().join(&name)).unwrap();
        let theirs = std::fs::read(shared.join(&name)).unwrap();
        assert!(
            ours == theirs,
            "tests/vectors/{name} differs from the shared copy"
        );
    }
}

#[test]
fn payload_accessors_report_bad_payloads() {
    let seed = load(Dialect::Seed);
    let keepalive = decode(Dialect::Seed, &find(&seed, "keepalive").raw).unwrap();
    // `{}` is an object but has no code: a 50 like that is undecodable (R13).
    assert_eq!(
        keepalive.login_response().unwrap_err(),
        PayloadError::BadField("code", "an integer")
    );
}
