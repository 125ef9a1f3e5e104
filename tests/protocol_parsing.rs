//! The lenient decoder (PROTOCOL.md §3.3, P1–P10): which frames are rejected, with which
//! error, and how every other oddity is coerced.

use imsdk::protocol::{
    decode, DecodeError, Dialect, Packet, PayloadError, MAX_FP_BYTES, MAX_ID_BYTES,
};

const SEED: Dialect = Dialect::Seed;
const MIS: Dialect = Dialect::MobileImSdk;

fn both(text: &str) -> [Result<Packet, DecodeError>; 2] {
    [decode(SEED, text), decode(MIS, text)]
}

fn ok(dialect: Dialect, text: &str) -> Packet {
    decode(dialect, text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn p1_non_json_is_rejected() {
    for r in both("not json") {
        assert!(matches!(r, Err(DecodeError::NotJson(_))), "{r:?}");
    }
    for r in both("") {
        assert!(matches!(r, Err(DecodeError::NotJson(_))), "{r:?}");
    }
}

#[test]
fn p1_trailing_data_and_two_objects_are_rejected() {
    for text in [
        r#"{"type":1} {"type":2}"#,
        r#"{"type":1}{"type":2}"#,
        r#"{"type":1} x"#,
        r#"{"type":1"#,
    ] {
        for r in both(text) {
            assert!(matches!(r, Err(DecodeError::NotJson(_))), "{text}: {r:?}");
        }
    }
    // Surrounding whitespace is not trailing data.
    assert_eq!(ok(SEED, " {\"type\":1}\n").packet_type, 1);
}

#[test]
fn p1_non_object_frames_are_rejected() {
    for text in [r#"[{"type":1}]"#, r#""{\"type\":1}""#, "2", "null", "true"] {
        for r in both(text) {
            assert_eq!(r, Err(DecodeError::NotAnObject), "{text}");
        }
    }
}

#[test]
fn p1_missing_or_null_type_is_rejected_never_read_as_login() {
    for text in [
        r#"{"dataContent":"x","from":"0"}"#,
        r#"{"type":null}"#,
        "{}",
    ] {
        for r in both(text) {
            assert_eq!(r, Err(DecodeError::MissingType), "{text}");
        }
    }
}

#[test]
fn p1_non_integer_type_is_rejected() {
    for text in [
        r#"{"type":"abc"}"#,
        r#"{"type":"2.0"}"#,
        r#"{"type":""}"#,
        r#"{"type":2.5}"#,
        r#"{"type":-0.5}"#,
        r#"{"type":true}"#,
        r#"{"type":[2]}"#,
        r#"{"type":{"n":2}}"#,
        r#"{"type":4294967296}"#,
        r#"{"type":-2147483649}"#,
        r#"{"type":1e300}"#,
        r#"{"type":18446744073709551615}"#,
    ] {
        for r in both(text) {
            assert!(
                matches!(r, Err(DecodeError::InvalidType(_))),
                "{text}: {r:?}"
            );
        }
    }
}

#[test]
fn p1_integral_number_and_integer_string_types_are_accepted() {
    for (text, want) in [
        (r#"{"type":2}"#, 2),
        (r#"{"type":2.0}"#, 2),
        (r#"{"type":5e1}"#, 50),
        (r#"{"type":"51"}"#, 51),
        (r#"{"type":"-1"}"#, -1),
        (r#"{"type":2147483647}"#, i32::MAX),
        (r#"{"type":-2147483648}"#, i32::MIN),
    ] {
        assert_eq!(ok(SEED, text).packet_type, want, "{text}");
        assert_eq!(ok(MIS, text).packet_type, want, "{text}");
    }
}

#[test]
fn p2_unknown_keys_are_ignored() {
    let text = r#"{"type":2,"zz":{"a":[1,2]},"Type":7,"retry":1,"dataContent":"x"}"#;
    for r in both(text) {
        let p = r.unwrap();
        assert_eq!((p.packet_type, p.content()), (2, "x"));
    }
}

#[test]
fn p2_retry_count_is_an_unknown_key_in_mobileimsdk() {
    let text = r#"{"type":2,"retryCount":3}"#;
    assert_eq!(ok(SEED, text).retry_count, 3);
    assert_eq!(ok(MIS, text).retry_count, 0);
}

#[test]
fn p4_absent_and_null_fields_take_the_defaults() {
    let all_null = r#"{"type":2,"bridge":null,"dataContent":null,"from":null,"to":null,
        "fp":null,"Qos":null,"QoS":null,"typeu":null,"retryCount":null,"sendTs":null,"sm":null}"#;
    for text in [r#"{"type":2}"#, all_null] {
        for dialect in Dialect::ALL {
            let p = ok(dialect, text);
            assert_eq!(p, Packet::new(2), "{text}");
            assert_eq!(p.content(), "");
            assert_eq!(p.server_time(), None);
        }
    }
}

#[test]
fn p4_server_time_at_or_below_zero_means_none() {
    for (text, want) in [
        (r#"{"type":2,"sm":0}"#, None),
        (r#"{"type":2,"sm":-5}"#, None),
        (r#"{"type":2,"sm":1795631394970}"#, Some(1_795_631_394_970)),
    ] {
        assert_eq!(ok(MIS, text).server_time(), want, "{text}");
    }
}

#[test]
fn p3_each_dialect_reads_its_own_names_first() {
    let text = r#"{"type":2,"Qos":true,"QoS":false,"sendTs":111,"sm":222}"#;
    let seed = ok(SEED, text);
    assert!(seed.qos);
    assert_eq!(seed.server_ts, 111);
    let mis = ok(MIS, text);
    assert!(!mis.qos);
    assert_eq!(mis.server_ts, 222);
}

#[test]
fn p3_the_other_dialects_names_are_accepted_when_own_is_absent_or_null() {
    let seed_names = r#"{"type":2,"Qos":true,"sendTs":111}"#;
    let mis_names = r#"{"type":2,"QoS":true,"sm":222}"#;
    let p = ok(MIS, seed_names);
    assert!(p.qos && p.server_ts == 111);
    let p = ok(SEED, mis_names);
    assert!(p.qos && p.server_ts == 222);
    let p = ok(
        MIS,
        r#"{"type":2,"QoS":null,"Qos":true,"sm":null,"sendTs":7}"#,
    );
    assert!(p.qos && p.server_ts == 7);
    let p = ok(
        SEED,
        r#"{"type":2,"Qos":null,"QoS":true,"sendTs":null,"sm":8}"#,
    );
    assert!(p.qos && p.server_ts == 8);
}

#[test]
fn p5_numeric_from_and_to_are_read_as_decimal_text() {
    for dialect in Dialect::ALL {
        let p = ok(dialect, r#"{"type":2,"from":12345,"to":0}"#);
        assert_eq!((p.from.as_str(), p.to.as_str()), ("12345", "0"));
        let p = ok(dialect, r#"{"type":2,"from":-1,"to":9007199254740993}"#);
        assert_eq!((p.from.as_str(), p.to.as_str()), ("-1", "9007199254740993"));
    }
}

#[test]
fn p6_non_string_data_content_is_taken_as_compact_json_text() {
    for (content, want) in [
        (r#"{ "k" : "v" }"#, r#"{"k":"v"}"#),
        ("[1, 2 ,3]", "[1,2,3]"),
        ("42", "42"),
        ("true", "true"),
        (r#"{"n":{"a":[]}}"#, r#"{"n":{"a":[]}}"#),
    ] {
        let text = format!(r#"{{"type":2,"dataContent":{content}}}"#);
        for dialect in Dialect::ALL {
            assert_eq!(ok(dialect, &text).content(), want, "{text}");
        }
    }
}

#[test]
fn p7_gson_escapes_are_decoded_at_every_level() {
    let text = r#"{"type":2,"dataContent":"a\u003cb\u003e\u0026c\u003d\u0027d\u0027 \u2028\u2029","from":"\u0061lice"}"#;
    for dialect in Dialect::ALL {
        let p = ok(dialect, text);
        assert_eq!(p.content(), "a<b>&c='d' \u{2028}\u{2029}");
        assert_eq!(p.from, "alice");
    }
    let kick = r#"{"type":54,"dataContent":"{\"code\":2,\"reason\":\"\\u003cbye\\u003e\"}"}"#;
    let info = ok(MIS, kick).kickout_info().unwrap();
    assert_eq!(info.reason.as_deref(), Some("<bye>"));
}

#[test]
fn p8_only_json_true_is_qos() {
    for value in ["1", "\"true\"", "\"True\"", "{}", "[true]", "false", "0"] {
        for (dialect, key) in [(SEED, "Qos"), (MIS, "QoS")] {
            let text = format!(r#"{{"type":2,"{key}":{value}}}"#);
            assert!(!ok(dialect, &text).qos, "{text}");
        }
    }
    assert!(ok(SEED, r#"{"type":2,"Qos":true}"#).qos);
    assert!(ok(MIS, r#"{"type":2,"QoS":true}"#).qos);
}

#[test]
fn p8_bridge_is_true_only_for_json_true() {
    assert!(ok(MIS, r#"{"type":2,"bridge":true}"#).bridge);
    for value in ["1", "\"true\"", "null"] {
        let text = format!(r#"{{"type":2,"bridge":{value}}}"#);
        assert!(!ok(MIS, &text).bridge, "{text}");
    }
}

#[test]
fn p9_fp_of_65_bytes_is_rejected_and_64_accepted() {
    let fp64 = "f".repeat(MAX_FP_BYTES);
    let fp65 = "f".repeat(MAX_FP_BYTES + 1);
    for dialect in Dialect::ALL {
        let text = format!(r#"{{"type":2,"fp":"{fp64}"}}"#);
        assert_eq!(ok(dialect, &text).fp.as_deref(), Some(fp64.as_str()));
        let text = format!(r#"{{"type":2,"fp":"{fp65}"}}"#);
        assert_eq!(decode(dialect, &text), Err(DecodeError::FpTooLong(65)));
    }
}

#[test]
fn p9_fp_length_counts_bytes_not_characters() {
    // 32 two-byte characters = 64 bytes; 33 = 66 bytes.
    let ok_fp = "é".repeat(32);
    let long_fp = "é".repeat(33);
    let p = ok(SEED, &format!(r#"{{"type":2,"fp":"{ok_fp}"}}"#));
    assert_eq!(p.fp.as_deref(), Some(ok_fp.as_str()));
    let r = decode(SEED, &format!(r#"{{"type":2,"fp":"{long_fp}"}}"#));
    assert_eq!(r, Err(DecodeError::FpTooLong(66)));
}

#[test]
fn p9_from_or_to_over_256_bytes_is_rejected_and_256_accepted() {
    let id256 = "u".repeat(MAX_ID_BYTES);
    let id257 = "u".repeat(MAX_ID_BYTES + 1);
    for dialect in Dialect::ALL {
        for key in ["from", "to"] {
            let text = format!(r#"{{"type":2,"{key}":"{id256}"}}"#);
            let p = ok(dialect, &text);
            assert_eq!(if key == "from" { &p.from } else { &p.to }, &id256);
            let text = format!(r#"{{"type":2,"qos":true,"fp":"f1","{key}":"{id257}"}}"#);
            assert_eq!(
                decode(dialect, &text),
                Err(DecodeError::IdTooLong { key, len: 257 })
            );
        }
    }
    // Bytes, not characters; a sender of half a megabyte never reaches the application.
    let r = decode(SEED, &format!(r#"{{"type":2,"to":"{}"}}"#, "é".repeat(129)));
    assert_eq!(
        r,
        Err(DecodeError::IdTooLong {
            key: "to",
            len: 258
        })
    );
    let huge = format!(r#"{{"type":2,"from":"{}"}}"#, "x".repeat(500_000));
    let e = decode(MIS, &huge).unwrap_err();
    assert_eq!(
        e.to_string(),
        "frame `from` is 500000 bytes long (at most 256 allowed)"
    );
}

#[test]
fn p9_empty_fp_is_no_fp_and_numeric_fp_is_text() {
    assert_eq!(ok(SEED, r#"{"type":2,"fp":""}"#).fp, None);
    assert_eq!(ok(MIS, r#"{"type":2,"fp":77}"#).fp.as_deref(), Some("77"));
}

#[test]
fn p10_every_other_field_is_coerced_not_rejected() {
    let text = r#"{"type":2,"bridge":"yes","dataContent":7,"from":true,"to":[1],
        "typeu":"x","QoS":"y","sm":"z","fp":null}"#;
    let p = ok(MIS, text);
    assert_eq!(p.content(), "7");
    assert_eq!((p.from.as_str(), p.to.as_str()), ("-1", "-1"));
    assert_eq!(
        (p.typeu, p.server_ts, p.qos, p.bridge),
        (-1, -1, false, false)
    );
}

#[test]
fn p10_typeu_and_server_time_accept_integral_numbers_and_integer_strings() {
    let p = ok(MIS, r#"{"type":2,"typeu":"7","sm":"1795631394970"}"#);
    assert_eq!((p.typeu, p.server_ts), (7, 1_795_631_394_970));
    let p = ok(SEED, r#"{"type":2,"typeu":1.0,"sendTs":1.5}"#);
    assert_eq!((p.typeu, p.server_ts), (1, -1));
}

#[test]
fn r13_login_response_without_integer_code_is_a_payload_error() {
    for content in [
        r#"{}"#,
        r#"{\"code\":\"x\"}"#,
        r#"{\"code\":1.5}"#,
        r#"{\"code\":null}"#,
    ] {
        let text = format!(r#"{{"type":50,"dataContent":"{content}"}}"#);
        let err = ok(MIS, &text).login_response().unwrap_err();
        assert_eq!(err, PayloadError::BadField("code", "an integer"), "{text}");
    }
    for content in ["", "ok", "[0]", "0", r#"{\"code\":0} x"#] {
        let text = format!(r#"{{"type":50,"dataContent":"{content}"}}"#);
        let err = ok(SEED, &text).login_response().unwrap_err();
        assert!(
            matches!(err, PayloadError::NotAnObject(_)),
            "{text}: {err:?}"
        );
    }
    // Absent `dataContent` reads as "" and is no object either.
    let err = ok(SEED, r#"{"type":50}"#).login_response().unwrap_err();
    assert!(matches!(err, PayloadError::NotAnObject(_)));
}

#[test]
fn r13_login_response_code_may_be_an_integer_string() {
    let p = ok(SEED, r#"{"type":50,"dataContent":"{\"code\":\"0\"}"}"#);
    let r = p.login_response().unwrap();
    assert_eq!((r.code, r.first_login_time), (0, -1));
}

#[test]
fn d12_error_response_needs_an_integer_error_code() {
    let p = ok(SEED, r#"{"type":52,"dataContent":"{\"errorMsg\":\"x\"}"}"#);
    let err = p.error_response().unwrap_err();
    assert_eq!(err, PayloadError::BadField("errorCode", "an integer"));
    let p = ok(SEED, r#"{"type":52,"dataContent":"{\"errorCode\":303}"}"#);
    let r = p.error_response().unwrap();
    assert_eq!((r.error_code, r.error_msg.as_str()), (303, ""));
}

#[test]
fn r28_kickout_payload_fields_take_defaults() {
    let p = ok(MIS, r#"{"type":54,"dataContent":"{}"}"#);
    let k = p.kickout_info().unwrap();
    assert_eq!((k.code, k.reason), (-1, None));
    let p = ok(MIS, r#"{"type":54,"dataContent":"not json"}"#);
    assert!(matches!(
        p.kickout_info(),
        Err(PayloadError::NotAnObject(_))
    ));
}

#[test]
fn login_payload_requires_a_user_id() {
    let p = ok(SEED, r#"{"type":0,"dataContent":"{\"loginToken\":\"t\"}"}"#);
    let err = p.login_info().unwrap_err();
    assert_eq!(
        err,
        PayloadError::BadField("loginUserId", "a non-empty string")
    );
}

#[test]
fn p1_integer_strings_are_trimmed_and_may_carry_a_sign() {
    assert_eq!(ok(SEED, r#"{"type":" 2 "}"#).packet_type, 2);
    assert_eq!(ok(SEED, r#"{"type":"+2"}"#).packet_type, 2);
}

#[test]
fn p6_object_content_keeps_its_json_value_not_its_key_order() {
    let p = ok(MIS, r#"{"type":2,"dataContent":{"b":1,"a":{"d":2,"c":3}}}"#);
    let read: serde_json::Value = serde_json::from_str(p.content()).unwrap();
    assert_eq!(read, serde_json::json!({"b":1,"a":{"d":2,"c":3}}));
    assert!(!p.content().contains(' '));
}
