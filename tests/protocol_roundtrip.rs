//! Property: whatever packet the encoder is given, the decoder reads back the same packet,
//! up to the normalisation the wire format imposes (see `normalise`).

mod protocol_support;

use protocol_support::normalise;

use imsdk::protocol::{
    decode, encode, Dialect, ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Packet,
};
use proptest::prelude::*;

/// Characters that stress the escaper, mixed with arbitrary ones.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        1 => prop::sample::select(vec![
            '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{8}', '\u{c}', '\u{1f}', '\u{7f}',
            '\u{2028}', '\u{2029}', '\u{feff}', '🎉', '🌍', '你', 'é', '<', '>', '&', '=', '\'',
            '/', '{', '}',
        ]),
    ]
}

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..=max_chars).prop_map(String::from_iter)
}

/// At most 16 characters of at most 4 bytes: never over the 64-byte cap.
fn short_text() -> impl Strategy<Value = String> {
    text(16)
}

fn dialect() -> impl Strategy<Value = Dialect> {
    prop::sample::select(Dialect::ALL.to_vec())
}

prop_compose! {
    fn packet()(
        bridge in any::<bool>(),
        packet_type in prop_oneof![0..=5i32, 50..=54i32, any::<i32>()],
        data_content in prop::option::of(text(64)),
        from in short_text(),
        to in short_text(),
        fp in prop::option::of(short_text()),
        qos in any::<bool>(),
        typeu in prop_oneof![-1..=1i32, any::<i32>()],
        retry_count in prop_oneof![0..=3u32, any::<u32>()],
        server_ts in prop_oneof![Just(-1i64), Just(0i64), any::<i64>()],
    ) -> Packet {
        Packet { bridge, packet_type, data_content, from, to, fp, qos, typeu, retry_count, server_ts }
    }
}

proptest! {
    // A fixed seed keeps the test deterministic; raise the case count locally to search wider.
    #![proptest_config(ProptestConfig {
        cases: 512,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1350_2026),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn decode_of_encode_is_the_normalised_packet(d in dialect(), p in packet()) {
        let wire = encode(d, &p);
        let back = decode(d, &wire).map_err(|e| TestCaseError::fail(format!("{e}: {wire}")))?;
        prop_assert_eq!(normalise(d, back), normalise(d, p));
    }

    #[test]
    fn encoding_is_valid_json_with_the_dialects_keys_only(d in dialect(), p in packet()) {
        let wire = encode(d, &p);
        let value: serde_json::Value = serde_json::from_str(&wire).unwrap();
        let spec = d.spec();
        let (other_qos, other_ts) = (spec.qos_alias, spec.server_ts_alias);
        prop_assert!(value.get(spec.qos_key).is_some());
        prop_assert!(value.get(other_qos).is_none() && value.get(other_ts).is_none());
        prop_assert_eq!(value.get("retryCount").is_some(), spec.writes_retry_count);
        // Minimal escaping: nothing but `"`, `\` and control characters is escaped (§3.2).
        prop_assert_eq!(&wire, &serde_json::to_string(&value_in_order(d, &p)).unwrap());
    }

    #[test]
    fn login_payload_round_trips(
        d in dialect(),
        user_id in short_text().prop_filter("non-empty", |s| !s.is_empty()),
        token in text(40),
        extra in prop::option::of(text(40)),
        app in prop::option::of(short_text()),
        first_login_time in any::<i64>(),
    ) {
        let info = LoginInfo { user_id, token, extra, app, first_login_time };
        let back = decode(d, &encode(d, &Packet::login(d, &info))).unwrap().login_info().unwrap();
        let mut want = info;
        match d {
            // seed carries no firstLoginTime; mobileimsdk carries no app.
            Dialect::Seed => want.first_login_time = 0,
            Dialect::MobileImSdk => want.app = None,
        }
        prop_assert_eq!(back, want);
    }

    #[test]
    fn server_payloads_round_trip(
        d in dialect(),
        code in any::<i32>(),
        first in any::<i64>(),
        msg in text(40),
        reason in prop::option::of(text(40)),
    ) {
        let r = LoginResponse { code, first_login_time: first };
        let back = LoginResponse::decode(&r.encode(d)).unwrap();
        let want_first = if d.spec().login_response_has_first_login_time { first } else { -1 };
        prop_assert_eq!(back, LoginResponse { code, first_login_time: want_first });

        let e = ErrorResponse { error_code: code, error_msg: msg };
        prop_assert_eq!(ErrorResponse::decode(&e.encode()).unwrap(), e);

        let k = KickoutInfo { code, reason };
        prop_assert_eq!(KickoutInfo::decode(&k.encode()).unwrap(), k);
    }
}

/// The envelope as an ordered JSON value, built independently of the encoder, so that
/// serde_json's own escaping can be compared with ours.
fn value_in_order(d: Dialect, p: &Packet) -> OrderedObject {
    use serde_json::Value;
    let seed = d == Dialect::Seed;
    let mut fields: Vec<(&'static str, Value)> =
        vec![("bridge", p.bridge.into()), ("type", p.packet_type.into())];
    match (&p.data_content, seed) {
        (Some(c), _) => fields.push(("dataContent", c.as_str().into())),
        (None, true) => fields.push(("dataContent", "".into())),
        (None, false) => {}
    }
    fields.push(("from", p.from.as_str().into()));
    fields.push(("to", p.to.as_str().into()));
    match (&p.fp, seed) {
        (Some(fp), _) => fields.push(("fp", fp.as_str().into())),
        (None, true) => fields.push(("fp", Value::Null)),
        (None, false) => {}
    }
    fields.push((if seed { "Qos" } else { "QoS" }, p.qos.into()));
    fields.push(("typeu", p.typeu.into()));
    if seed {
        fields.push(("retryCount", p.retry_count.into()));
    }
    let ts = match p.server_time() {
        Some(ts) => ts.into(),
        None if seed => Value::Null,
        None => (-1).into(),
    };
    fields.push((if seed { "sendTs" } else { "sm" }, ts));
    OrderedObject(fields)
}

/// A JSON object that serialises its fields in the given order.
struct OrderedObject(Vec<(&'static str, serde_json::Value)>);

impl serde::Serialize for OrderedObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
