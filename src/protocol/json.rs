//! Small JSON helpers shared by the envelope and payload codecs: minimal string escaping
//! (PROTOCOL.md §3.2) and the lenient coercions of §3.3.

use serde_json::{Number, Value};

/// Appends `s` as a JSON string literal with minimal escaping: `"`, `\` and control
/// characters only; everything else (non-ASCII, U+2028 included) is raw UTF-8.
/// Byte-identical to `serde_json::to_string(s)`.
pub fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // `bytes[start..i]` is plain text not yet copied. Every byte that needs an escape is
    // ASCII, so `start` and `i` sit on character boundaries whenever text is copied.
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Message text rarely needs escapes: pass over eight plain bytes at a time.
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !may_need_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escape: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        match escape {
            Some(e) => out.push_str(e),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Whether any of the eight bytes of `w` is a control character, `"` or `\`. Never
/// false when one is (a `true` only sends the caller to its byte-by-byte check).
fn may_need_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below `n` (n <= 128) leaves its high bit set in `(x - n) & !x`.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    (below(w, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
}

/// Appends the decimal text of `v` without the temporary `String` of `to_string`: the
/// encoder writes several integers per frame and sits on the send path.
pub fn push_i64(out: &mut String, v: i64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        pos -= 1;
        // `n % 10` is below 10, so the cast cannot truncate.
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push('-');
    }
    for &digit in &buf[pos..] {
        out.push(char::from(digit));
    }
}

/// An integer from a JSON integer, an integral number or a string holding an integer.
pub fn coerce_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => number_to_i64(n),
        Value::String(s) => str_to_i64(s),
        _ => None,
    }
}

/// The number as an `i64` when it is integral and in range (`2.0` and `5e1` included).
pub fn number_to_i64(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f <= i64::MAX as f64)
            .map(|f| f as i64)
    })
}

/// The decimal integer a string holds, surrounding whitespace allowed (§8).
pub fn str_to_i64(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok()
}

/// Text from a JSON value: a string as is, `null` as none, anything else as its compact
/// JSON text (numbers as decimal text, P5; objects as their JSON, P6).
pub fn coerce_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_serde_json() {
        for s in [
            "",
            "plain",
            "q\"b\\",
            "\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "é 中 \u{2028} 🎉",
            "<>&='",
        ] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "for {s:?}");
        }
    }

    #[test]
    fn escaping_matches_serde_json_at_every_offset() {
        let specials = [
            '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', ' ', '!', '#', '[', ']', 'é', '🎉',
        ];
        for prefix in 0..17 {
            for c in specials.iter().copied().chain((0u8..0x80).map(char::from)) {
                for suffix in [0, 1, 7, 8, 9] {
                    let s = format!("{}{c}{}", "a".repeat(prefix), "b".repeat(suffix));
                    let mut out = String::new();
                    push_json_str(&mut out, &s);
                    assert_eq!(out, serde_json::to_string(&s).unwrap(), "for {s:?}");
                }
            }
        }
    }

    #[test]
    fn integers_match_to_string() {
        for v in [0, 1, -1, 9, 10, -10, 1_795_630_938_309, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_i64(&mut out, v);
            assert_eq!(out, format!("x{v}"));
        }
    }

    #[test]
    fn coercions() {
        assert_eq!(coerce_i64(&serde_json::json!(2)), Some(2));
        assert_eq!(coerce_i64(&serde_json::json!(2.0)), Some(2));
        assert_eq!(coerce_i64(&serde_json::json!(2.5)), None);
        assert_eq!(coerce_i64(&serde_json::json!("7")), Some(7));
        assert_eq!(coerce_i64(&serde_json::json!("x")), None);
        assert_eq!(coerce_text(&serde_json::json!(12)), Some("12".into()));
        assert_eq!(coerce_text(&serde_json::json!(null)), None);
        assert_eq!(
            coerce_text(&serde_json::json!({"a": 1})),
            Some("{\"a\":1}".into())
        );
    }
}
