//! Handle registry: maps the opaque `ImClient*` tokens given to C callers to live values.
//!
//! A handle packs a slot index and that slot's generation into one pointer-sized integer.
//! Removing a value bumps the slot's generation, so an old handle never matches again;
//! a slot whose generation would wrap is retired for good. Hence a handle is never
//! reused, and a stale, forged or double-released handle is simply "not found" instead of
//! undefined behaviour. Pure data structure: no locking, no FFI (tests run under Miri).

/// Bits of a handle holding `index + 1` (so that no handle is ever 0, i.e. NULL).
const INDEX_BITS: u32 = usize::BITS / 2;
const INDEX_MASK: usize = (1usize << INDEX_BITS) - 1;
/// Largest generation a slot may reach before it is retired.
const MAX_GENERATION: usize = usize::MAX >> INDEX_BITS;
/// Largest number of slots (index + 1 must fit in `INDEX_BITS`).
const MAX_SLOTS: usize = INDEX_MASK;

struct Slot<T> {
    generation: usize,
    value: Option<T>,
}

/// Values keyed by never-reused non-zero handles.
pub struct Registry<T> {
    slots: Vec<Slot<T>>,
    /// Indices of empty, non-retired slots.
    free: Vec<usize>,
    max_slots: usize,
    max_generation: usize,
}

/// Why [`Registry::insert`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted;

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry::new()
    }
}

impl<T> Registry<T> {
    pub const fn new() -> Registry<T> {
        Registry::with_limits(MAX_SLOTS, MAX_GENERATION)
    }

    /// Small limits make slot retirement and exhaustion testable.
    const fn with_limits(max_slots: usize, max_generation: usize) -> Registry<T> {
        Registry {
            slots: Vec::new(),
            free: Vec::new(),
            max_slots,
            max_generation,
        }
    }

    /// Stores `value` and returns its handle (never 0, never returned before).
    pub fn insert(&mut self, value: T) -> Result<usize, Exhausted> {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                if self.slots.len() >= self.max_slots {
                    return Err(Exhausted);
                }
                self.slots.push(Slot {
                    generation: 0,
                    value: None,
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[index];
        slot.generation += 1;
        slot.value = Some(value);
        Ok(pack(index, slot.generation))
    }

    /// The value of a live handle.
    pub fn get(&self, handle: usize) -> Option<&T> {
        let (index, generation) = unpack(handle)?;
        let slot = self.slots.get(index)?;
        if slot.generation != generation {
            return None;
        }
        slot.value.as_ref()
    }

    /// Takes the value out; the handle (and every earlier one of its slot) is dead after.
    pub fn remove(&mut self, handle: usize) -> Option<T> {
        let (index, generation) = unpack(handle)?;
        let slot = self.slots.get_mut(index)?;
        if slot.generation != generation {
            return None;
        }
        let value = slot.value.take()?;
        // The next insert into this slot bumps the generation; a slot at the last
        // generation is never handed out again.
        if slot.generation < self.max_generation {
            self.free.push(index);
        }
        Some(value)
    }

    /// Number of live values.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.value.is_some()).count()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn pack(index: usize, generation: usize) -> usize {
    (generation << INDEX_BITS) | (index + 1)
}

fn unpack(handle: usize) -> Option<(usize, usize)> {
    let index_plus_one = handle & INDEX_MASK;
    if index_plus_one == 0 {
        return None;
    }
    Some((index_plus_one - 1, handle >> INDEX_BITS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_never_zero_and_resolve_to_their_value() {
        let mut reg = Registry::new();
        let a = reg.insert("a").unwrap();
        let b = reg.insert("b").unwrap();
        assert_ne!(a, 0);
        assert_ne!(b, 0);
        assert_ne!(a, b);
        assert_eq!(reg.get(a), Some(&"a"));
        assert_eq!(reg.get(b), Some(&"b"));
        assert_eq!(reg.len(), 2);
    }

    #[test]
    fn removed_handle_is_stale_and_double_remove_fails() {
        let mut reg = Registry::new();
        let a = reg.insert(1).unwrap();
        assert_eq!(reg.remove(a), Some(1));
        assert_eq!(reg.get(a), None);
        assert_eq!(reg.remove(a), None);
        assert!(reg.is_empty());
    }

    #[test]
    fn reused_slot_gets_a_new_handle_and_old_one_stays_dead() {
        let mut reg = Registry::new();
        let a = reg.insert(1).unwrap();
        reg.remove(a).unwrap();
        let b = reg.insert(2).unwrap();
        assert_ne!(a, b, "a handle is never reused");
        assert_eq!(unpack(a).unwrap().0, unpack(b).unwrap().0, "same slot");
        assert_eq!(reg.get(a), None);
        assert_eq!(reg.remove(a), None);
        assert_eq!(reg.get(b), Some(&2));
    }

    #[test]
    fn forged_handles_are_not_found() {
        let mut reg = Registry::new();
        let a = reg.insert(1).unwrap();
        for forged in [
            0,
            1,
            usize::MAX,
            a + 1,
            a ^ (1 << INDEX_BITS),
            a & INDEX_MASK,
        ] {
            if forged != a {
                assert_eq!(reg.get(forged), None, "{forged:#x}");
            }
        }
        // Pointer-looking values (aligned addresses) are not handles either.
        assert_eq!(reg.get(0x7fff_0000_1000usize & usize::MAX), None);
    }

    #[test]
    fn slot_at_last_generation_is_retired_so_handles_never_repeat() {
        let mut reg = Registry::with_limits(2, 3);
        let mut seen = Vec::new();
        // Slot 0 can be used 3 times, slot 1 three times: 6 handles in total.
        for i in 0..6 {
            let h = reg.insert(i).unwrap();
            assert!(!seen.contains(&h), "handle {h:#x} repeated");
            seen.push(h);
            assert_eq!(reg.remove(h), Some(i));
        }
        assert_eq!(reg.insert(99), Err(Exhausted));
        for h in seen {
            assert_eq!(reg.get(h), None);
        }
    }

    #[test]
    fn exhausted_when_all_slots_are_live() {
        let mut reg = Registry::with_limits(2, 10);
        let a = reg.insert(1).unwrap();
        let _b = reg.insert(2).unwrap();
        assert_eq!(reg.insert(3), Err(Exhausted));
        reg.remove(a).unwrap();
        assert!(reg.insert(3).is_ok());
    }

    #[test]
    fn values_are_dropped_on_remove() {
        use std::rc::Rc;
        let value = Rc::new(());
        let mut reg = Registry::new();
        let h = reg.insert(Rc::clone(&value)).unwrap();
        assert_eq!(Rc::strong_count(&value), 2);
        drop(reg.remove(h));
        assert_eq!(Rc::strong_count(&value), 1);
    }
}
