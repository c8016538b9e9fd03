//! Emission scores of a sentence under a loaded [`Model`], with most table lookups
//! replaced by a small per-thread cache.
//!
//! About half of a word's features read one word alone (its key, stem, shape and
//! affixes, as the word itself or as a neighbour up to three words away;
//! [`word_features`]). Their summed weights depend only on that word, and news text
//! repeats its words, so each word's sums for all seven offsets are computed once and
//! kept in a two-way cache ([`super::memo::TwoWay`]); the rest ([`context_features`]) are looked up as
//! before. Weights are summed as integers (the model stores them quantised), so the
//! scores do not depend on the order of the sums, nor on what the cache holds: output
//! is the same for any thread count and any document order.

use std::cell::RefCell;

use super::features::{context_features, word_features, word_identity, WordInfo, WORD_OFFSETS};
use super::memo::TwoWay;
use super::model::{LabelSums, Model};

type Sums = [LabelSums; WORD_OFFSETS.len()];

struct Slot {
    /// The word's identity mixed with the model's; 0 when empty.
    tag: u64,
    sums: Sums,
}

/// A word's sums per thread, in [`super::memo::SLOTS`] slots: 8,192 × 344 bytes ≈
/// 2.7 MiB, enough for the common words of a language (a miss costs only the lookups
/// the cache saves).
struct WordCache {
    table: TwoWay<Slot>,
}

impl WordCache {
    fn new() -> Self {
        WordCache {
            table: TwoWay::new(|| Slot {
                tag: 0,
                sums: [LabelSums::default(); WORD_OFFSETS.len()],
            }),
        }
    }

    /// The word's sums, computed when neither slot of the pair its tag picks holds
    /// them.
    fn sums(&mut self, model: &Model, word: &WordInfo, scratch: &mut Vec<u64>) -> &Sums {
        let tag = super::features::mix(word_identity(word), model.id()).max(1);
        let (slot, found) = self.table.slot(tag, |slot| slot.tag == tag);
        if !found {
            slot.tag = tag;
            for (k, &offset) in WORD_OFFSETS.iter().enumerate() {
                scratch.clear();
                word_features(word, offset, scratch);
                slot.sums[k] = LabelSums::default();
                for &f in scratch.iter() {
                    model.add_quantised(f, &mut slot.sums[k]);
                }
            }
        }
        &slot.sums
    }
}

/// A thread's word cache and the buffers one sentence needs, reused.
struct Scratch {
    cache: WordCache,
    totals: Vec<LabelSums>,
    features: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Emission scores of every word of `sentence`, `labels` per word, into `out`.
pub fn emissions(model: &Model, sentence: &[WordInfo], all_caps: bool, out: &mut Vec<f32>) {
    let l = model.labels.len();
    let n = sentence.len();
    SCRATCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Scratch {
            cache,
            totals,
            features,
        } = cell.get_or_insert_with(|| Scratch {
            cache: WordCache::new(),
            totals: Vec::new(),
            features: Vec::with_capacity(64),
        });
        totals.clear();
        totals.resize(n, LabelSums::default());
        for (j, word) in sentence.iter().enumerate() {
            let sums = cache.sums(model, word, features);
            // Word j is at offset `o` from word `j - o`.
            for (k, &offset) in WORD_OFFSETS.iter().enumerate() {
                let i = j as isize - offset;
                if i < 0 || i as usize >= n {
                    continue;
                }
                for (t, s) in totals[i as usize].iter_mut().zip(&sums[k]) {
                    *t += s;
                }
            }
        }
        out.clear();
        out.reserve(n * l);
        for (i, total) in totals.iter_mut().enumerate() {
            features.clear();
            context_features(sentence, i, all_caps, features);
            for &f in features.iter() {
                model.add_quantised(f, total);
            }
            out.extend(total[..l].iter().map(|&t| t as f32 * model.scale()));
        }
    });
}
