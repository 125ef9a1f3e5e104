//! The strict encoder (PROTOCOL.md §3.2), the frames a client builds (§4, R36, R43, R49) and
//! the dialect table (D1–D21).

use imsdk::protocol::{
    decode, encode, packet_type as pt, AckAddressing, Dialect, ErrorResponse, KickoutInfo,
    LoginInfo, LoginResponse, Packet, PacketKind,
};

const SEED: Dialect = Dialect::Seed;
const MIS: Dialect = Dialect::MobileImSdk;

fn received(bridge: bool, fp: Option<&str>) -> Packet {
    Packet {
        bridge,
        fp: fp.map(str::to_string),
        qos: true,
        typeu: 3,
        server_ts: 1_795_631_394_966,
        ..Packet::data("alice", "bob", "hi", true, None, 3)
    }
}

#[test]
fn d1_to_d5_an_empty_packet_shows_each_dialects_absent_values() {
    let p = Packet::new(pt::LOGOUT);
    assert_eq!(
        encode(SEED, &p),
        r#"{"bridge":false,"type":3,"dataContent":"","from":"-1","to":"-1","fp":null,"Qos":false,"typeu":-1,"retryCount":0,"sendTs":null}"#
    );
    assert_eq!(
        encode(MIS, &p),
        r#"{"bridge":false,"type":3,"from":"-1","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#
    );
}

#[test]
fn d2_server_time_is_written_only_when_positive() {
    let mut p = Packet::new(pt::COMMON_DATA);
    for ts in [0, -1, i64::MIN] {
        p.server_ts = ts;
        assert!(encode(SEED, &p).ends_with(r#","sendTs":null}"#));
        assert!(encode(MIS, &p).ends_with(r#","sm":-1}"#));
    }
    p.server_ts = 1_589_000_000_000;
    assert!(encode(SEED, &p).ends_with(r#","sendTs":1589000000000}"#));
    assert!(encode(MIS, &p).ends_with(r#","sm":1589000000000}"#));
}

#[test]
fn r49_a_resend_differs_only_in_seed_retry_count() {
    let first = Packet::data("1", "2", "test", true, Some("f7"), 0);
    let resend = Packet {
        retry_count: 2,
        ..first.clone()
    };
    assert_eq!(encode(MIS, &first), encode(MIS, &resend));
    let (a, b) = (encode(SEED, &first), encode(SEED, &resend));
    assert_eq!(a.replace(r#""retryCount":0"#, r#""retryCount":2"#), b);
    assert_ne!(a, b);
}

#[test]
fn r36_mobileimsdk_ack_goes_from_self_to_the_sender() {
    let ack = Packet::ack_for(MIS, &received(false, Some("fp-1")), "bob").unwrap();
    assert_eq!(
        encode(MIS, &ack),
        r#"{"bridge":false,"type":4,"dataContent":"fp-1","from":"bob","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );
}

#[test]
fn r36_seed_ack_goes_from_the_sender_to_the_server_as_the_ts_sdk_wrote_it() {
    let ack = Packet::ack_for(SEED, &received(false, Some("fp-1")), "bob").unwrap();
    assert_eq!(
        encode(SEED, &ack),
        r#"{"bridge":false,"type":4,"dataContent":"fp-1","from":"alice","to":"0","fp":null,"Qos":false,"typeu":-1,"retryCount":0,"sendTs":null}"#
    );
}

#[test]
fn r36_ack_echoes_bridge_and_carries_no_qos_fp_typeu_or_time() {
    for dialect in Dialect::ALL {
        let ack = Packet::ack_for(dialect, &received(true, Some("fp-2")), "bob").unwrap();
        assert!(ack.bridge);
        assert_eq!(ack.packet_type, pt::ACK);
        assert_eq!(ack.acked_fp(), Some("fp-2"));
        assert_eq!((ack.qos, ack.fp.as_deref(), ack.typeu), (false, None, -1));
        assert_eq!(ack.server_time(), None);
        assert_eq!(dialect.kind_of(ack.packet_type), PacketKind::Ack);
    }
}

#[test]
fn r37_a_frame_without_fp_gets_no_ack() {
    for dialect in Dialect::ALL {
        assert_eq!(
            Packet::ack_for(dialect, &received(false, None), "bob"),
            None
        );
        // A hand-built packet with an empty fp: the wire knows no empty fp (P9 reading).
        let empty = received(false, Some(""));
        assert_eq!(Packet::ack_for(dialect, &empty, "bob"), None);
    }
}

#[test]
fn r43_send_without_fp_writes_seed_null_and_omits_it_in_mobileimsdk() {
    for fp in [None, Some("")] {
        let p = Packet::data("alice", "bob", "x", false, fp, -1);
        assert_eq!(p.fp, None);
        assert!(encode(SEED, &p).contains(r#","fp":null,"#));
        assert!(!encode(MIS, &p).contains("\"fp\""));
    }
}

#[test]
fn r44_data_envelope_keeps_the_content_verbatim() {
    let content = "{\"text\":\"hi\"} \u{2028} 🎉 <&>";
    let p = Packet::data("alice", "bob", content, true, Some("f"), 7);
    for dialect in Dialect::ALL {
        let back = decode(dialect, &encode(dialect, &p)).unwrap();
        assert_eq!(back.content(), content);
        assert_eq!(back.typeu, 7);
    }
    // Non-ASCII and U+2028 are written raw, not escaped (§3.2).
    assert!(encode(MIS, &p).contains("\u{2028} 🎉 <&>"));
}

#[test]
fn d13_default_send_typeu_is_seed_0_and_mobileimsdk_minus_1() {
    assert_eq!(SEED.spec().default_send_typeu, 0);
    assert_eq!(MIS.spec().default_send_typeu, -1);
    assert_eq!(SEED.spec().group_typeu, Some(1));
    assert_eq!(MIS.spec().group_typeu, None);
}

#[test]
fn d5_logout_carries_seed_empty_content_and_none_in_mobileimsdk() {
    let p = Packet::logout("bob");
    assert!(encode(SEED, &p).contains(r#""dataContent":"","#));
    assert!(!encode(MIS, &p).contains("dataContent"));
}

#[test]
fn d10_login_payload_fields_and_order() {
    let mut info = LoginInfo {
        user_id: "u\"1".into(),
        token: "t".into(),
        extra: None,
        app: None,
        first_login_time: 5,
    };
    assert_eq!(
        info.encode(SEED),
        r#"{"loginUserId":"u\"1","loginToken":"t","extra":null,"app":null}"#
    );
    assert_eq!(
        info.encode(MIS),
        r#"{"loginUserId":"u\"1","loginToken":"t","firstLoginTime":5}"#
    );
    info.extra = Some("x".into());
    info.app = Some("a".into());
    assert_eq!(
        info.encode(SEED),
        r#"{"loginUserId":"u\"1","loginToken":"t","extra":"x","app":"a"}"#
    );
    assert_eq!(
        info.encode(MIS),
        r#"{"loginUserId":"u\"1","loginToken":"t","extra":"x","firstLoginTime":5}"#
    );
    let p = Packet::login(MIS, &info);
    assert_eq!((p.from.as_str(), p.to.as_str()), ("u\"1", "0"));
}

#[test]
fn d11_login_response_payload_per_dialect() {
    let ok = LoginResponse {
        code: 0,
        first_login_time: 1_795_630_938_309,
    };
    assert_eq!(ok.encode(SEED), r#"{"code":0}"#);
    assert_eq!(
        ok.encode(MIS),
        r#"{"code":0,"firstLoginTime":1795630938309}"#
    );
}

#[test]
fn server_payloads_are_compact_with_nested_escaping() {
    let inner = encode(
        MIS,
        &Packet::data("ghost", "bob", "hi", true, Some("f"), -1),
    );
    let e = ErrorResponse {
        error_code: 301,
        error_msg: inner.clone(),
    };
    let text = e.encode();
    assert!(text.starts_with(r#"{"errorCode":301,"errorMsg":"{\"bridge\":false"#));
    assert_eq!(ErrorResponse::decode(&text).unwrap().error_msg, inner);
    let k = KickoutInfo {
        code: 1,
        reason: None,
    };
    assert_eq!(k.encode(), r#"{"code":1}"#);
}

#[test]
fn d6_kind_of_every_type_in_both_dialects() {
    let common = [
        (0, PacketKind::Login),
        (1, PacketKind::Keepalive),
        (2, PacketKind::Data),
        (3, PacketKind::Logout),
        (4, PacketKind::Ack),
        (5, PacketKind::Echo),
        (50, PacketKind::LoginResponse),
        (51, PacketKind::KeepaliveResponse),
        (52, PacketKind::Error),
        (53, PacketKind::EchoResponse),
        (6, PacketKind::Unknown),
        (55, PacketKind::Unknown),
        (-1, PacketKind::Unknown),
    ];
    for dialect in Dialect::ALL {
        for (t, kind) in common {
            assert_eq!(dialect.kind_of(t), kind, "{} {t}", dialect.name());
        }
    }
    assert_eq!(SEED.kind_of(54), PacketKind::Ack);
    assert_eq!(MIS.kind_of(54), PacketKind::Kickout);
}

#[test]
fn d7_server_ack_type_and_accepted_ack_types() {
    assert_eq!(SEED.server_ack_type(), 54);
    assert_eq!(SEED.spec().ack_types, &[54, 4]);
    assert_eq!(MIS.server_ack_type(), 4);
    assert_eq!(MIS.spec().ack_types, &[4]);
}

#[test]
fn d9_ack_addressing_per_dialect() {
    assert_eq!(SEED.spec().ack_addressing, AckAddressing::SenderToServer);
    assert_eq!(MIS.spec().ack_addressing, AckAddressing::SelfToSender);
}

#[test]
fn d12_to_d21_dialect_table_values() {
    let (s, m) = (SEED.spec(), MIS.spec());
    assert_eq!(
        (s.error_codes, m.error_codes),
        (&[301, 302, 303][..], &[301][..])
    );
    assert_eq!((s.url_path, m.url_path), (None, Some("/websocket")));
    assert_eq!((s.allows_subprotocol, m.allows_subprotocol), (true, false));
    assert_eq!(
        (s.keepalive_interval_ms, s.keepalive_timeout_ms),
        (10_000, 15_000)
    );
    assert_eq!(
        (m.keepalive_interval_ms, m.keepalive_timeout_ms),
        (5_000, 8_000)
    );
    assert_eq!((s.frame_cap, m.frame_cap), (65_536, 65_536));
}

#[test]
fn dialect_names_parse_case_insensitively() {
    assert_eq!(Dialect::default(), SEED);
    assert_eq!(Dialect::from_name("seed"), Some(SEED));
    assert_eq!(Dialect::from_name("MobileIMSDK"), Some(MIS));
    assert_eq!(Dialect::from_name("mqtt"), None);
    for d in Dialect::ALL {
        assert_eq!(Dialect::from_name(d.name()), Some(d));
    }
}
