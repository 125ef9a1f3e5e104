//! De-duplication of received QoS frames (R38, R39): an fp is kept `dedup_ttl` after it
//! was last seen, at most `dedup_cap` entries, the least recently seen evicted first.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// fps of QoS frames seen recently. Recency order equals time order (time only moves
/// forward), so one ordered map serves both the TTL and the LRU cap. Both maps share one
/// copy of each fp.
#[derive(Debug)]
pub(super) struct DedupSet {
    ttl: Duration,
    cap: usize,
    next_seq: u64,
    seq_of: HashMap<Arc<str>, u64>,
    by_seq: BTreeMap<u64, (Arc<str>, Instant)>,
}

impl DedupSet {
    pub(super) fn new(ttl: Duration, cap: usize) -> DedupSet {
        DedupSet {
            ttl,
            cap,
            next_seq: 0,
            seq_of: HashMap::new(),
            by_seq: BTreeMap::new(),
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.seq_of.len()
    }

    /// Records `fp` as seen at `now`. Returns `true` when it was already in the set
    /// (a duplicate), `false` when it is new.
    pub(super) fn check_and_touch(&mut self, fp: &str, now: Instant) -> bool {
        // Removes only what is due: a look at the oldest entry when nothing is, and each
        // entry is removed once. Doing it here keeps R39 exact between QoS ticks.
        self.expire(now);
        let seq = self.next_seq;
        self.next_seq += 1;
        // New fps are the common case: one copy of the fp and one hash of it.
        let shared: Arc<str> = Arc::from(fp);
        match self.seq_of.entry(Arc::clone(&shared)) {
            Entry::Occupied(mut seen) => {
                // Seen again: it moves to the most recent end.
                let previous = std::mem::replace(seen.get_mut(), seq);
                if let Some((kept, _)) = self.by_seq.remove(&previous) {
                    self.by_seq.insert(seq, (kept, now));
                }
                return true;
            }
            Entry::Vacant(slot) => {
                slot.insert(seq);
            }
        }
        self.by_seq.insert(seq, (shared, now));
        while self.seq_of.len() > self.cap {
            let Some((_, (old, _))) = self.by_seq.pop_first() else {
                break;
            };
            self.seq_of.remove(&old);
        }
        false
    }

    /// R10: every entry counts as seen at `now` (offline time does not age them out).
    pub(super) fn refresh_all(&mut self, now: Instant) {
        for (_, seen) in self.by_seq.values_mut() {
            *seen = now;
        }
    }

    /// Drops entries not seen for `ttl`.
    pub(super) fn expire(&mut self, now: Instant) {
        while let Some((&seq, (_, seen))) = self.by_seq.first_key_value() {
            if now.saturating_duration_since(*seen) < self.ttl {
                break;
            }
            if let Some((fp, _)) = self.by_seq.remove(&seq) {
                self.seq_of.remove(&fp);
            }
        }
    }

    pub(super) fn clear(&mut self) {
        self.seq_of.clear();
        self.by_seq.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(600);

    #[test]
    fn r39_an_fp_is_forgotten_exactly_ttl_after_its_latest_sighting() {
        let t0 = Instant::now();
        let mut set = DedupSet::new(TTL, 10);
        assert!(!set.check_and_touch("a", t0));
        assert!(set.check_and_touch("a", t0 + TTL / 2));
        let last = t0 + TTL / 2;
        assert!(!set.check_and_touch("b", last));
        assert!(set.check_and_touch("a", last + TTL - Duration::from_millis(1)));
        let last = last + TTL - Duration::from_millis(1);
        assert!(!set.check_and_touch("a", last + TTL), "unseen for ttl: new");
        assert_eq!(set.len(), 1, "b expired on the way");
    }

    #[test]
    fn r39_both_indexes_share_one_copy_of_each_fp() {
        let t0 = Instant::now();
        let mut set = DedupSet::new(TTL, 2);
        for fp in ["a", "b", "a", "c", "c"] {
            set.check_and_touch(fp, t0);
        }
        assert_eq!(set.len(), 2);
        assert_eq!(set.by_seq.len(), 2);
        for (seq, (fp, _)) in &set.by_seq {
            assert_eq!(set.seq_of.get(fp), Some(seq));
            assert_eq!(Arc::strong_count(fp), 2, "{fp}");
        }
        let kept: Vec<&str> = set.by_seq.values().map(|(fp, _)| &**fp).collect();
        assert_eq!(kept, ["a", "c"], "b was seen longest ago");
    }
}
