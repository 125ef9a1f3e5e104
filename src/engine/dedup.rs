//! De-duplication of received QoS frames (R38, R39): an fp is kept `dedup_ttl` after it
//! was last seen, at most `dedup_cap` entries, the least recently seen evicted first.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// fps of QoS frames seen recently. Recency order equals time order (time only moves
/// forward), so one ordered map serves both the TTL and the LRU cap.
#[derive(Debug)]
pub(super) struct DedupSet {
    ttl: Duration,
    cap: usize,
    next_seq: u64,
    seq_of: HashMap<String, u64>,
    by_seq: BTreeMap<u64, (String, Instant)>,
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
        self.expire(now);
        let duplicate = match self.seq_of.get(fp) {
            Some(&seq) => {
                self.by_seq.remove(&seq);
                true
            }
            None => false,
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        self.seq_of.insert(fp.to_string(), seq);
        self.by_seq.insert(seq, (fp.to_string(), now));
        while self.seq_of.len() > self.cap {
            let Some((_, (old, _))) = self.by_seq.pop_first() else {
                break;
            };
            self.seq_of.remove(&old);
        }
        duplicate
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
