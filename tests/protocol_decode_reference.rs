//! `decode` reads the frame in one pass without a `serde_json::Value` tree. These tests
//! hold it to the plain reading of §3.3 written over a `Value` (the `reference` below):
//! same packet, same `DecodeError`, same error text, for the recorded vectors, hand-picked
//! edge cases of P1–P10 and generated frames (repeated keys, aliases, escapes, every JSON
//! kind in every field, malformed tails). `decode_object` is held to the same reading.

use std::path::PathBuf;

use imsdk::protocol::{
    decode, decode_object, DecodeError, Dialect, Packet, MAX_FP_BYTES, MAX_ID_BYTES, UNSET_ID,
};
use proptest::prelude::*;
use serde_json::Value;

fn coerce_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f <= i64::MAX as f64)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

fn into_text(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// §3.3 over a `Value`: parse the whole frame, then take each field out of the map.
fn reference(dialect: Dialect, text: &str) -> Result<Packet, DecodeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(mut map) = value else {
        return Err(DecodeError::NotAnObject);
    };
    let spec = dialect.spec();
    let packet_type = match map.remove("type") {
        None | Some(Value::Null) => return Err(DecodeError::MissingType),
        Some(v) => coerce_i64(&v)
            .and_then(|t| i32::try_from(t).ok())
            .ok_or_else(|| DecodeError::InvalidType(v.to_string()))?,
    };
    let fp = match map.remove("fp").and_then(into_text) {
        Some(fp) if fp.len() > MAX_FP_BYTES => return Err(DecodeError::FpTooLong(fp.len())),
        Some(fp) if fp.is_empty() => None,
        other => other,
    };
    let id = |v: Option<Value>| match v {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => UNSET_ID.to_string(),
    };
    // P9: ids over the cap make the frame invalid, `from` checked first.
    let mut ids = [("from", String::new()), ("to", String::new())];
    for (key, slot) in &mut ids {
        let value = id(map.remove(*key));
        if value.len() > MAX_ID_BYTES {
            return Err(DecodeError::IdTooLong {
                key,
                len: value.len(),
            });
        }
        *slot = value;
    }
    let [(_, from), (_, to)] = ids;
    let mut own_or_alias = |key: &str, alias: &str| match map.remove(key) {
        None | Some(Value::Null) => map.remove(alias),
        found => found,
    };
    let qos = matches!(
        own_or_alias(spec.qos_key, spec.qos_alias),
        Some(Value::Bool(true))
    );
    let server_ts = own_or_alias(spec.server_ts_key, spec.server_ts_alias)
        .and_then(|v| coerce_i64(&v))
        .unwrap_or(-1);
    let retry_count = if spec.writes_retry_count {
        map.get("retryCount")
            .and_then(coerce_i64)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    } else {
        0
    };
    Ok(Packet {
        bridge: matches!(map.get("bridge"), Some(Value::Bool(true))),
        packet_type,
        data_content: map.remove("dataContent").and_then(into_text),
        from,
        to,
        fp,
        qos,
        typeu: map
            .get("typeu")
            .and_then(coerce_i64)
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(-1),
        retry_count,
        server_ts,
    })
}

/// `decode` and `decode_object` agree with `reference` on `text` in both dialects.
fn check(text: &str) -> Result<(), String> {
    for dialect in Dialect::ALL {
        let want = reference(dialect, text);
        let got = decode(dialect, text);
        if got != want {
            return Err(format!(
                "{}: {text}\n decode: {got:?}\n reference: {want:?}",
                dialect.name()
            ));
        }
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) {
            let got = decode_object(dialect, &map);
            if got != want {
                return Err(format!(
                    "{}: {text}\n decode_object: {got:?}\n reference: {want:?}",
                    dialect.name()
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn p1_p10_recorded_vectors_decode_as_the_value_reading() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut count = 0;
    for name in ["seed.jsonl", "mobileimsdk.jsonl"] {
        let lines = std::fs::read_to_string(dir.join(name)).unwrap();
        for line in lines.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).unwrap();
            let raw = v["raw"].as_str().unwrap();
            check(raw).unwrap();
            // Every embedded frame (301/302/303 `errorMsg`) goes through `decode` too.
            if let Ok(Value::Object(outer)) = serde_json::from_str::<Value>(raw) {
                if let Some(Value::String(content)) = outer.get("dataContent") {
                    check(content).unwrap();
                    if let Ok(Value::Object(inner)) = serde_json::from_str::<Value>(content) {
                        if let Some(Value::String(msg)) = inner.get("errorMsg") {
                            check(msg).unwrap();
                        }
                    }
                }
            }
            count += 1;
        }
    }
    assert!(count > 20, "only {count} vectors found");
}

#[test]
fn p1_p9_edge_cases_decode_as_the_value_reading() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let cases = [
        // P1: not JSON, trailing text, not an object, type forms.
        String::new(),
        "   ".into(),
        "{".into(),
        "}".into(),
        r#"{"type":2"#.into(),
        r#"{"type":2,}"#.into(),
        r#"{"type":2} x"#.into(),
        r#"{"type":2}{"type":3}"#.into(),
        r#"[{"type":2}] x"#.into(),
        r#"[{"type":2},]"#.into(),
        r#""{\"type\":2}""#.into(),
        r#""\ud800""#.into(),
        "1e400".into(),
        "-".into(),
        "nul".into(),
        "null".into(),
        "[]".into(),
        r#"{"type":"\u0032"}"#.into(),
        r#"{"type":"2 "}"#.into(),
        r#"{"type":"0x2"}"#.into(),
        r#"{"type":-0}"#.into(),
        r#"{"type":-0.0}"#.into(),
        r#"{"type":2E0}"#.into(),
        r#"{"type":9223372036854775807}"#.into(),
        r#"{"type":-9223372036854775808}"#.into(),
        r#"{"type":-9223372036854775809}"#.into(),
        r#"{"type":{"a":[1,{"c":null}],"b":"x"}}"#.into(),
        r#"{"type":"\u00e9"}"#.into(),
        // P1: nesting beyond the parser's limit anywhere in the frame, even under an
        // unknown key, is not JSON; just under it is fine.
        format!(r#"{{"type":2,"zz":{}}}"#, deep(127)),
        format!(r#"{{"type":2,"zz":{}}}"#, deep(126)),
        format!(r#"{{"type":2,"dataContent":{}}}"#, deep(127)),
        format!(r#"{{"type":2,"dataContent":{}}}"#, deep(126)),
        deep(128),
        deep(127),
        // P1: malformed values under unknown keys are still malformed.
        r#"{"type":2,"zz":1e400}"#.into(),
        r#"{"type":2,"zz":"\ud800"}"#.into(),
        r#"{"type":2,"zz":"\udc00\ud800"}"#.into(),
        r#"{"type":2,"zz":"\x"}"#.into(),
        "{\"type\":2,\"zz\":\"a\u{1}b\"}".into(),
        r#"{"type":2,"zz":[1,]}"#.into(),
        r#"{"type":2,"zz":01}"#.into(),
        r#"{"type":2,"\ud800":1}"#.into(),
        // P2: keys differing in case or escaped.
        r#"{"Type":2}"#.into(),
        r#"{"t\u0079pe":2,"d\u0061taContent":"x"}"#.into(),
        r#"{"type":2,"retryCount":"3","retryCount":4294967296}"#.into(),
        r#"{"type":2,"retryCount":-1}"#.into(),
        // Repeated keys: the last one counts, null included.
        r#"{"type":2,"type":3}"#.into(),
        r#"{"type":2,"type":null}"#.into(),
        r#"{"type":null,"type":2}"#.into(),
        r#"{"type":2,"type":"x"}"#.into(),
        r#"{"type":2,"fp":"a","fp":""}"#.into(),
        format!(r#"{{"type":2,"fp":"{}","fp":"a"}}"#, "f".repeat(65)),
        r#"{"type":2,"Qos":true,"Qos":null,"QoS":true}"#.into(),
        r#"{"type":2,"QoS":true,"QoS":null,"Qos":true}"#.into(),
        r#"{"type":2,"sm":5,"sm":null,"sendTs":6}"#.into(),
        r#"{"type":2,"dataContent":{"a":1,"a":2}}"#.into(),
        // P3 with every kind of own value.
        r#"{"type":2,"Qos":false,"QoS":true,"sendTs":0,"sm":9}"#.into(),
        r#"{"type":2,"Qos":"true","QoS":true,"sendTs":"x","sm":9}"#.into(),
        r#"{"type":2,"Qos":[],"QoS":true,"sendTs":{},"sm":9}"#.into(),
        // P5, P6, P10: coercions of every JSON kind.
        r#"{"type":2,"from":1.5,"to":-0,"dataContent":1.0}"#.into(),
        r#"{"type":2,"from":1e2,"to":18446744073709551615,"dataContent":-0.0}"#.into(),
        r#"{"type":2,"from":false,"to":{},"dataContent":false}"#.into(),
        r#"{"type":2,"dataContent":{"z":"\u003c","a":[1.50,2e3,{"k":null}]}}"#.into(),
        r#"{"type":2,"dataContent":" spaced \"quoted\" \\ \/ \b\f\n\r\t"}"#.into(),
        r#"{"type":2,"dataContent":"\ud83c\udf89 \u2028"}"#.into(),
        r#"{"type":2,"typeu":2147483648,"sm":"-5"}"#.into(),
        r#"{"type":2,"typeu":"-2147483648","sm":1795631394970.0}"#.into(),
        r#"{"type":2,"typeu":1e10,"sendTs":9.3e18}"#.into(),
        // P9: fp of every kind, at and over the cap, escaped.
        format!(r#"{{"type":2,"fp":"{}"}}"#, "\\u0066".repeat(64)),
        format!(r#"{{"type":2,"fp":"{}"}}"#, "\\u0066".repeat(65)),
        format!(r#"{{"type":2,"fp":{}}}"#, "1".repeat(64)),
        format!(r#"{{"type":2,"fp":[{}]}}"#, "1,".repeat(40) + "1"),
        r#"{"type":2,"fp":true}"#.into(),
        r#"{"type":2,"fp":{"a":"b"}}"#.into(),
        r#"{"type":"x","fp":"#.into(),
        format!(r#"{{"type":"x","fp":"{}"}}"#, "f".repeat(65)),
        format!(r#"{{"fp":"{}"}}"#, "f".repeat(65)),
        // P9: from/to at and over the id cap, escaped, multi-byte, with fp over too.
        format!(r#"{{"type":2,"from":"{}"}}"#, "a".repeat(MAX_ID_BYTES)),
        format!(r#"{{"type":2,"from":"{}"}}"#, "a".repeat(MAX_ID_BYTES + 1)),
        format!(r#"{{"type":2,"to":"{}"}}"#, "\\u0061".repeat(MAX_ID_BYTES)),
        format!(
            r#"{{"type":2,"to":"{}"}}"#,
            "\\u0061".repeat(MAX_ID_BYTES + 1)
        ),
        format!(
            r#"{{"type":2,"to":"{}"}}"#,
            "é".repeat(MAX_ID_BYTES / 2 + 1)
        ),
        format!(
            r#"{{"type":2,"to":"{}","from":"{}"}}"#,
            "t".repeat(300),
            "f".repeat(400)
        ),
        format!(
            r#"{{"type":2,"from":"{}","fp":"{}"}}"#,
            "f".repeat(300),
            "f".repeat(65)
        ),
        format!(
            r#"{{"type":2,"from":"{}","from":"a"}}"#,
            "f".repeat(MAX_ID_BYTES + 1)
        ),
        format!(
            r#"{{"type":"x","from":"{}"}}"#,
            "f".repeat(MAX_ID_BYTES + 1)
        ),
        format!(r#"{{"type":2,"from":{}}}"#, "9".repeat(400)),
        // Whitespace everywhere.
        " \t\r\n{ \"type\" : 2 , \"from\" : \"a\" } \n".into(),
    ];
    for text in &cases {
        check(text).unwrap();
    }
}

#[test]
fn p1_a_repeated_key_counts_with_its_last_value() {
    let p = decode(Dialect::Seed, r#"{"type":2,"type":3,"fp":"a","fp":"b"}"#).unwrap();
    assert_eq!((p.packet_type, p.fp.as_deref()), (3, Some("b")));
    assert_eq!(
        decode(Dialect::Seed, r#"{"type":2,"type":null}"#),
        Err(DecodeError::MissingType)
    );
    let p = decode(Dialect::Seed, r#"{"type":null,"type":"4"}"#).unwrap();
    assert_eq!(p.packet_type, 4);
    let over = format!(r#"{{"type":2,"fp":"a","fp":"{}"}}"#, "f".repeat(65));
    assert_eq!(
        decode(Dialect::Seed, &over),
        Err(DecodeError::FpTooLong(65))
    );
}

#[test]
fn p3_a_repeated_own_key_ending_in_null_falls_back_to_the_alias() {
    let p = decode(
        Dialect::MobileImSdk,
        r#"{"type":2,"QoS":true,"QoS":null,"Qos":false,"sm":5,"sm":null,"sendTs":6}"#,
    )
    .unwrap();
    assert_eq!((p.qos, p.server_ts), (false, 6));
}

#[test]
fn p2_escaped_key_names_are_the_names_they_spell() {
    let p = decode(
        Dialect::Seed,
        r#"{"t\u0079pe":2,"\u0066p":"x","Q\u006fs":true}"#,
    )
    .unwrap();
    assert_eq!(
        (p.packet_type, p.fp.as_deref(), p.qos),
        (2, Some("x"), true)
    );
}

#[test]
fn p1_malformed_json_under_an_unknown_key_is_not_json() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for value in [
        deep.as_str(),
        "1e400",
        r#""\ud800""#,
        r#""\x""#,
        "[1,]",
        "01",
    ] {
        let text = format!(r#"{{"type":2,"zz":{value}}}"#);
        for dialect in Dialect::ALL {
            let r = decode(dialect, &text);
            assert!(matches!(r, Err(DecodeError::NotJson(_))), "{text}: {r:?}");
        }
    }
}

#[test]
fn p7_escapes_are_decoded_in_every_string_field() {
    let text = r#"{"type":"\u0032","dataContent":"a\"b\\c\/\n\u00e9\ud83c\udf89","from":"\u0061","to":"b\tc","fp":"f\u0070","QoS":true,"sm":"\u0037"}"#;
    let p = decode(Dialect::MobileImSdk, text).unwrap();
    assert_eq!(p.packet_type, 2);
    assert_eq!(p.content(), "a\"b\\c/\né🎉");
    assert_eq!((p.from.as_str(), p.to.as_str()), ("a", "b\tc"));
    assert_eq!((p.fp.as_deref(), p.qos, p.server_ts), (Some("fp"), true, 7));
}

/// A JSON text for one field value: every JSON kind, the lenient forms of §3.3, escapes,
/// and a few malformed ones.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "null", "true", "false", "0", "2", "-1", "54", "2.0", "2.5", "5e1", "-0", "1e300",
            "4294967296", "18446744073709551615", "-9223372036854775809", "1795631394970",
            "\"2\"", "\" 7 \"", "\"+3\"", "\"x\"", "\"\"", "\"1795631394970\"",
            "\"a\\u003cb\\n\\\"c\\\"\"", "\"\\ud83c\\udf89\"", "\"\\u0000\"", "\"é中\"",
            "[]", "{}", "[1,\"a\",null]", "{\"b\":1,\"a\":[true,{\"c\":2.50}]}",
            "{\"k\":\"v\",\"k\":\"w\"}",
        ]).prop_map(str::to_string),
        2 => "[a-z0-9\\-]{0,70}".prop_map(|s| format!("\"{s}\"")),
        1 => prop::sample::select(vec![
            "1e400", "\"\\ud800\"", "[1,]", "{\"a\":}", "tru", "\"\\q\"", "01",
        ]).prop_map(str::to_string),
    ]
}

fn key_text() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "type",
        "type",
        "dataContent",
        "from",
        "to",
        "fp",
        "Qos",
        "QoS",
        "sendTs",
        "sm",
        "retryCount",
        "bridge",
        "typeu",
        "zz",
        "Type",
        "t\\u0079pe",
        "\\u0066p",
        "",
    ])
}

prop_compose! {
    /// An object of known, aliased, repeated and unknown keys, sometimes cut short or
    /// followed by more text.
    fn frame()(
        entries in prop::collection::vec((key_text(), value_text()), 0..12),
        tail in prop::sample::select(vec!["", "", "", "", "", "", " ", "\n", "x", "{}", ","]),
        cut in prop::option::weighted(0.1, any::<prop::sample::Index>()),
    ) -> String {
        let body: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        let mut text = format!("{{{}}}{tail}", body.join(","));
        if let Some(at) = cut {
            let mut at = at.index(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        text
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2048,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1350_2026),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn p1_p10_generated_frames_decode_as_the_value_reading(text in frame()) {
        check(&text).map_err(TestCaseError::fail)?;
    }
}
