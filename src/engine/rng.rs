//! A tiny deterministic generator (SplitMix64) for the re-login jitter (R20). Seeded from
//! `EngineConfig::rng_seed` so tests can pin the sequence; not for anything secret.

/// SplitMix64: one 64-bit state word, full period, good enough for jitter.
#[derive(Debug, Clone)]
pub(super) struct Rng {
    state: u64,
}

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[low, high]` (inclusive); `low` when the range is empty.
    pub(super) fn range_inclusive(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        let span = high - low + 1;
        // The modulo bias is at most span / 2^64: irrelevant for millisecond jitter.
        low + self.next_u64() % span
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_sequence_and_range_is_respected() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.range_inclusive(1_000, 2_000);
            assert_eq!(x, b.range_inclusive(1_000, 2_000));
            assert!((1_000..=2_000).contains(&x));
        }
        assert_eq!(Rng::new(1).range_inclusive(5, 5), 5);
    }
}
