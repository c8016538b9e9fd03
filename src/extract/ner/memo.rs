//! Per-thread memos of what the labeller computes from a word alone (its suffix-chain
//! cut points, its hashed forms), kept across documents: news repeats its words, and
//! checking suffix chains and hashing affixes cost more than a lookup.
//!
//! A memo is a table of slot pairs (two-way); a slot holds the word it was computed
//! for, and a lookup compares the word in full, so a hash collision or an evicted word
//! only costs a recomputation and the values never depend on what the table holds:
//! output is the same for any thread count and any document order.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::features::WordInfo;

/// Slots per memo and thread (a power of two).
pub const SLOTS: usize = 1 << 13;

/// A new owner id: each [`super::Featurizer`] computes with its own suffixes, folding
/// and clusters, so its words are kept apart from another's.
pub fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A table of slot pairs (two-way), the eviction policy of the memos here and of the
/// word-weight cache ([`super::emissions`]).
pub struct TwoWay<S> {
    slots: Vec<S>,
}

impl<S> TwoWay<S> {
    /// [`SLOTS`] slots, each `empty()`.
    pub fn new(empty: impl FnMut() -> S) -> Self {
        let mut slots = Vec::with_capacity(SLOTS);
        slots.resize_with(SLOTS, empty);
        TwoWay { slots }
    }

    /// The slot of the pair `hash` picks that `holds` the caller's key, and `true`;
    /// or else `false` and the first slot of the pair, for the caller to fill, its
    /// old contents moved to the second slot (so two keys of one pair do not evict
    /// each other).
    pub fn slot(&mut self, hash: u64, holds: impl Fn(&S) -> bool) -> (&mut S, bool) {
        let first = hash as usize & (SLOTS - 2);
        if holds(&self.slots[first]) {
            return (&mut self.slots[first], true);
        }
        if holds(&self.slots[first + 1]) {
            return (&mut self.slots[first + 1], true);
        }
        self.slots.swap(first, first + 1);
        (&mut self.slots[first], false)
    }
}

struct Slot<V> {
    owner: u64,
    /// The word the value was computed for: two strings (a surface and its key, or a
    /// key and nothing).
    word: (String, String),
    value: V,
}

pub struct Memo<V> {
    table: TwoWay<Slot<V>>,
}

impl<V: Default> Memo<V> {
    fn new() -> Self {
        // Owner 0 is never given out: every slot starts empty.
        Memo {
            table: TwoWay::new(|| Slot {
                owner: 0,
                word: (String::new(), String::new()),
                value: V::default(),
            }),
        }
    }

    /// The value of word `(a, b)` for `owner`, filled in by `compute` when neither
    /// slot of the pair the word's `hash` picks holds it ([`TwoWay::slot`]).
    /// `compute` overwrites the value.
    pub fn get(
        &mut self,
        owner: u64,
        hash: u64,
        (a, b): (&str, &str),
        compute: impl FnOnce(&mut V),
    ) -> &V {
        let (slot, found) = self.table.slot(hash, |slot| {
            slot.owner == owner && slot.word.0 == a && slot.word.1 == b
        });
        if !found {
            slot.owner = owner;
            slot.word.0.clear();
            slot.word.0.push_str(a);
            slot.word.1.clear();
            slot.word.1.push_str(b);
            compute(&mut slot.value);
        }
        &slot.value
    }
}

thread_local! {
    /// Cut points of a key ([`super::ChainSplits`]), by key.
    pub static SPLITS: RefCell<Memo<Vec<u32>>> = RefCell::new(Memo::new());
    /// What [`WordInfo`] holds of a word alone, by surface and key.
    pub static WORDS: RefCell<Memo<WordInfo>> = RefCell::new(Memo::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word is computed once, a third word in its pair of slots replaces the older
    /// one, and another owner never reads it.
    #[test]
    fn a_slot_answers_only_for_its_own_word_and_owner() {
        let mut memo: Memo<usize> = Memo::new();
        let computed = std::cell::Cell::new(0);
        let get = |memo: &mut Memo<usize>, owner, word: &str| {
            *memo.get(owner, 7, (word, ""), |v| {
                computed.set(computed.get() + 1);
                *v = word.len() * 10 + owner as usize;
            })
        };
        assert_eq!(get(&mut memo, 1, "abc"), 31);
        assert_eq!(get(&mut memo, 1, "abc"), 31);
        assert_eq!(get(&mut memo, 2, "abc"), 32);
        assert_eq!(get(&mut memo, 2, "abcd"), 42);
        assert_eq!(get(&mut memo, 2, "abc"), 32);
        // The first "abc" was the older of three: computed again, keeping "abcd".
        assert_eq!(get(&mut memo, 1, "abc"), 31);
        assert_eq!(get(&mut memo, 2, "abcd"), 42);
        assert_eq!(computed.get(), 4);
        // The two strings are compared apart: ("ab", "c") is not ("a", "bc").
        let a = *memo.get(1, 9, ("ab", "c"), |v| *v = 1);
        let b = *memo.get(1, 9, ("a", "bc"), |v| *v = 2);
        assert_eq!((a, b), (1, 2));
    }
}
