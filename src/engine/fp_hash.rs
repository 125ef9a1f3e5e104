//! The hash of the QoS queue's fp index. Its keys are the client's own fps (generated, or
//! given by the application); an fp from the server is only looked up, never inserted, so
//! nobody outside the process can choose keys that collide, and a keyed hash (SipHash,
//! std's default, ~4 % of the send and ack paths) buys nothing here.

use std::hash::{BuildHasherDefault, Hasher};

/// Word-at-a-time multiply-rotate hash (the FxHash construction) with a final mix, so that
/// the low bits the table indexes with depend on every input byte.
#[derive(Default, Clone, Copy)]
pub(super) struct FpHasher(u64);

pub(super) type BuildFpHasher = BuildHasherDefault<FpHasher>;

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl FpHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(K).rotate_left(26);
    }
}

impl Hasher for FpHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
        // The zero padding above is ambiguous; the length settles it.
        self.add(bytes.len() as u64);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(K) ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::*;

    /// Generated fps differ in a few hex digits only; the table's index bits must still
    /// spread them: 4,096 fps into 1,024 slots by the low bits leave few slots empty.
    #[test]
    fn r43_generated_fps_spread_over_the_low_bits() {
        let build = BuildFpHasher::default();
        let mut used = HashSet::new();
        for _ in 0..4096 {
            let fp = uuid::Uuid::new_v4().hyphenated().to_string();
            used.insert(build.hash_one(fp.as_str()) & 1023);
        }
        // A uniform hash leaves about 1024 · e^-4 ≈ 19 slots empty.
        assert!(used.len() > 980, "only {} of 1024 slots used", used.len());
        // Sequential application fps ("msg-1", "msg-2", …) as well.
        let mut used = HashSet::new();
        for i in 0..4096 {
            used.insert(build.hash_one(format!("msg-{i}").as_str()) & 1023);
        }
        assert!(used.len() > 980, "only {} of 1024 slots used", used.len());
    }

    #[test]
    fn equal_strings_hash_equal_and_prefixes_differ() {
        let build = BuildFpHasher::default();
        assert_eq!(build.hash_one("abc"), build.hash_one(String::from("abc")));
        assert_ne!(build.hash_one("abc"), build.hash_one("abc\0"));
        assert_ne!(build.hash_one("12345678"), build.hash_one("1234567"));
    }
}
