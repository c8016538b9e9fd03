//! An averaged structured perceptron (Collins 2002) over BIO labels with first-order
//! label transitions and Viterbi decoding that only allows well-formed BIO sequences.
//! The shipped models' trainer: a CRF on the same features ([`super::crf`]) did not
//! beat it beyond seed noise; see `models/README.md` for the measurements.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Feature hashes are already well mixed, so the table uses them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Label set: `O`, then `B-T` and `I-T` for each entity type `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub types: Vec<String>,
}

impl Labels {
    pub fn new(types: Vec<String>) -> Self {
        Labels { types }
    }

    pub fn len(&self) -> usize {
        1 + 2 * self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn begin(&self, t: usize) -> usize {
        1 + 2 * t
    }

    /// The entity type of a label, `None` for `O`.
    pub fn type_of(&self, label: usize) -> Option<usize> {
        (label > 0).then(|| (label - 1) / 2)
    }

    pub fn is_inside(&self, label: usize) -> bool {
        label > 0 && (label - 1) % 2 == 1
    }

    /// Whether `label` may follow `prev` (`None` at the sentence start).
    pub fn allowed(&self, prev: Option<usize>, label: usize) -> bool {
        if !self.is_inside(label) {
            return true;
        }
        prev.is_some_and(|p| p > 0 && self.type_of(p) == self.type_of(label))
    }

    pub fn name(&self, label: usize) -> String {
        match self.type_of(label) {
            None => "O".into(),
            Some(t) => format!(
                "{}-{}",
                if self.is_inside(label) { "I" } else { "B" },
                self.types[t]
            ),
        }
    }
}

/// Scores for decoding: per-feature label weights and transitions.
pub trait Scorer {
    fn labels(&self) -> usize;
    /// Adds the weights of feature `f` to `scores` (one per label).
    fn add_feature(&self, f: u64, scores: &mut [f32]);
    /// Transition weight from `prev` (`None`: start) to `label`.
    fn transition(&self, prev: Option<usize>, label: usize) -> f32;
}

/// Best label sequence for a sentence whose token `i` has features
/// `features[offsets[i]..offsets[i + 1]]`.
pub fn viterbi(
    scorer: &dyn Scorer,
    labels: &Labels,
    features: &[u64],
    offsets: &[usize],
    out: &mut Vec<usize>,
) {
    out.clear();
    let n = offsets.len().saturating_sub(1);
    if n == 0 {
        return;
    }
    let l = scorer.labels();
    let mut emissions = vec![0f32; n * l];
    for i in 0..n {
        let row = &mut emissions[i * l..(i + 1) * l];
        for &f in &features[offsets[i]..offsets[i + 1]] {
            scorer.add_feature(f, row);
        }
    }
    decode(scorer, labels, &emissions, out);
}

/// Best well-formed label sequence for the emission scores (`scorer.labels()` per
/// word, word after word).
pub fn decode(scorer: &dyn Scorer, labels: &Labels, emissions: &[f32], out: &mut Vec<usize>) {
    let l = scorer.labels();
    let trans: Vec<f32> = (0..=l)
        .flat_map(|p| (0..l).map(move |y| scorer.transition((p < l).then_some(p), y)))
        .collect();
    decode_with(&trans, labels, emissions, out);
}

/// [`decode`] with the transition weights as a matrix: row `p` holds the weights from
/// label `p` to each label, row `labels.len()` those from the sentence start.
pub fn decode_with(trans: &[f32], labels: &Labels, emissions: &[f32], out: &mut Vec<usize>) {
    Lattice::new(trans, labels).decode(emissions, out);
}

/// What Viterbi reads of a model's labels and transitions, laid out once per model
/// rather than per sentence.
///
/// A label `I-T` may only follow `B-T` or `I-T`, two adjacent labels, so its best
/// predecessor is looked for among those two alone; every other label may follow any.
/// Candidates are compared in ascending order with the same float sums as the plain
/// loop over all pairs, so ties and scores come out the same.
pub struct Lattice {
    labels: usize,
    /// Allowed predecessors of each label, as a range of labels.
    preds: Vec<(usize, usize)>,
    /// The weights into each label from every label (a column of the matrix),
    /// contiguous.
    into: Vec<f32>,
    /// The weight from the sentence start into each label, `-inf` where a label may
    /// not begin a sentence.
    start: Vec<f32>,
}

impl Lattice {
    /// `trans` as for [`decode_with`].
    pub fn new(trans: &[f32], labels: &Labels) -> Self {
        let l = labels.len();
        let preds = (0..l)
            .map(|y| match labels.type_of(y) {
                Some(t) if labels.is_inside(y) => (labels.begin(t), labels.begin(t) + 2),
                _ => (0, l),
            })
            .collect();
        let into = (0..l)
            .flat_map(|y| (0..l).map(move |p| trans[p * l + y]))
            .collect();
        let start = (0..l)
            .map(|y| {
                if labels.allowed(None, y) {
                    trans[l * l + y]
                } else {
                    f32::NEG_INFINITY
                }
            })
            .collect();
        Lattice {
            labels: l,
            preds,
            into,
            start,
        }
    }

    /// Best well-formed label sequence for the emission scores (one per label, word
    /// after word).
    pub fn decode(&self, emissions: &[f32], out: &mut Vec<usize>) {
        out.clear();
        let l = self.labels;
        let n = emissions.len() / l;
        if n == 0 {
            return;
        }
        let mut score = vec![f32::NEG_INFINITY; n * l];
        let mut back = vec![0usize; n * l];
        for (y, &s) in self.start.iter().enumerate() {
            if s != f32::NEG_INFINITY {
                score[y] = emissions[y] + s;
            }
        }
        for i in 1..n {
            let (before, now) = score.split_at_mut(i * l);
            let previous = &before[(i - 1) * l..];
            for (y, &(lo, hi)) in self.preds.iter().enumerate() {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                let weights = &self.into[y * l + lo..y * l + hi];
                for (p, (&prev, &t)) in (lo..hi).zip(previous[lo..hi].iter().zip(weights)) {
                    if prev == f32::NEG_INFINITY {
                        continue;
                    }
                    let s = prev + t;
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                now[y] = best + emissions[i * l + y];
                back[i * l + y] = arg;
            }
        }
        trace_back(&score[(n - 1) * l..], &back, l, out);
    }
}

/// The path ending in the best last label (the lowest label of equal scores), read
/// back through `back` (each word's best predecessor of each label).
fn trace_back(last: &[f32], back: &[usize], l: usize, out: &mut Vec<usize>) {
    let n = back.len() / l;
    let mut y = (0..l)
        .max_by(|&a, &b| {
            last[a]
                .partial_cmp(&last[b])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    out.clear();
    out.resize(n, 0);
    for i in (0..n).rev() {
        out[i] = y;
        y = back[i * l + y];
    }
}

/// Weights while training, with the sums needed to average them (the lazy
/// "timestamp" trick: `avg = w - u / c`).
pub struct Trainer {
    labels: usize,
    index: FeatureMap<u32>,
    weights: Vec<f32>,
    updates: Vec<f32>,
    trans: Vec<f32>,
    trans_updates: Vec<f32>,
    /// Examples seen so far (the perceptron's clock).
    clock: f32,
}

impl Scorer for Trainer {
    fn labels(&self) -> usize {
        self.labels
    }
    fn add_feature(&self, f: u64, scores: &mut [f32]) {
        if let Some(&row) = self.index.get(&f) {
            let row = row as usize * self.labels;
            for (s, w) in scores.iter_mut().zip(&self.weights[row..row + self.labels]) {
                *s += w;
            }
        }
    }
    fn transition(&self, prev: Option<usize>, label: usize) -> f32 {
        self.trans[prev.map_or(self.labels, |p| p) * self.labels + label]
    }
}

impl Trainer {
    pub fn new(labels: usize) -> Self {
        Trainer {
            labels,
            index: FeatureMap::default(),
            weights: Vec::new(),
            updates: Vec::new(),
            trans: vec![0.0; (labels + 1) * labels],
            trans_updates: vec![0.0; (labels + 1) * labels],
            clock: 1.0,
        }
    }

    fn row(&mut self, f: u64) -> usize {
        let next = self.index.len() as u32;
        let row = *self.index.entry(f).or_insert(next) as usize;
        if row == next as usize {
            self.weights.extend(std::iter::repeat_n(0.0, self.labels));
            self.updates.extend(std::iter::repeat_n(0.0, self.labels));
        }
        row * self.labels
    }

    /// One example: decode, and where the prediction differs from `gold`, move the
    /// weights toward gold.
    pub fn learn(
        &mut self,
        labels: &Labels,
        features: &[u64],
        offsets: &[usize],
        gold: &[usize],
        scratch: &mut Vec<usize>,
    ) -> bool {
        viterbi(self, labels, features, offsets, scratch);
        let c = self.clock;
        let mut wrong = false;
        for i in 0..gold.len() {
            let prev_gold = (i > 0).then(|| gold[i - 1]);
            let prev_pred = (i > 0).then(|| scratch[i - 1]);
            if gold[i] != scratch[i] {
                wrong = true;
                for &f in &features[offsets[i]..offsets[i + 1]] {
                    let row = self.row(f);
                    self.weights[row + gold[i]] += 1.0;
                    self.updates[row + gold[i]] += c;
                    self.weights[row + scratch[i]] -= 1.0;
                    self.updates[row + scratch[i]] -= c;
                }
            }
            if gold[i] != scratch[i] || prev_gold != prev_pred {
                let g = prev_gold.unwrap_or(self.labels) * self.labels + gold[i];
                let p = prev_pred.unwrap_or(self.labels) * self.labels + scratch[i];
                self.trans[g] += 1.0;
                self.trans_updates[g] += c;
                self.trans[p] -= 1.0;
                self.trans_updates[p] -= c;
            }
        }
        self.clock += 1.0;
        wrong
    }

    /// The averaged weights: features sorted by hash, each with a row of weights.
    pub fn averaged(&self) -> (Vec<(u64, Vec<f32>)>, Vec<f32>) {
        let c = self.clock;
        let mut rows: Vec<(u64, Vec<f32>)> = self
            .index
            .iter()
            .map(|(&f, &row)| {
                let r = row as usize * self.labels;
                let w = (0..self.labels)
                    .map(|k| self.weights[r + k] - self.updates[r + k] / c)
                    .collect();
                (f, w)
            })
            .collect();
        rows.sort_unstable_by_key(|(f, _)| *f);
        let trans = self
            .trans
            .iter()
            .zip(&self.trans_updates)
            .map(|(w, u)| w - u / c)
            .collect();
        (rows, trans)
    }

    pub fn features(&self) -> usize {
        self.index.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_constraints() {
        let labels = Labels::new(vec!["PER".into(), "LOC".into()]);
        assert_eq!(labels.len(), 5);
        assert_eq!(labels.name(3), "B-LOC");
        assert!(!labels.allowed(None, 2));
        assert!(labels.allowed(Some(1), 2));
        assert!(!labels.allowed(Some(3), 2));
        assert!(!labels.allowed(Some(0), 4));
        assert!(labels.allowed(Some(4), 4));
    }

    /// The Viterbi loop over every label pair, as decoding was first written.
    fn decode_all_pairs(trans: &[f32], labels: &Labels, emissions: &[f32]) -> Vec<usize> {
        let l = labels.len();
        let n = emissions.len() / l;
        let t = |p: Option<usize>, y: usize| trans[p.unwrap_or(l) * l + y];
        let mut score = vec![f32::NEG_INFINITY; n * l];
        let mut back = vec![0usize; n * l];
        for y in 0..l {
            if labels.allowed(None, y) {
                score[y] = emissions[y] + t(None, y);
            }
        }
        for i in 1..n {
            for y in 0..l {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for p in 0..l {
                    let prev = score[(i - 1) * l + p];
                    if prev == f32::NEG_INFINITY || !labels.allowed(Some(p), y) {
                        continue;
                    }
                    let s = prev + t(Some(p), y);
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                score[i * l + y] = best + emissions[i * l + y];
                back[i * l + y] = arg;
            }
        }
        let mut out = Vec::new();
        trace_back(&score[(n - 1) * l..], &back, l, &mut out);
        out
    }

    /// Skipping the pairs BIO forbids changes no path: random scores with many ties
    /// (small integers) and forbidden words (minus infinity), for one to five types.
    #[test]
    fn decoding_only_allowed_pairs_gives_the_same_paths() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut path = Vec::new();
        for round in 0..2_000 {
            let types = 1 + round % 5;
            let labels = Labels::new((0..types).map(|t| format!("T{t}")).collect());
            let l = labels.len();
            let n = 1 + (next() % 12) as usize;
            let mut value = || match next() % 10 {
                0 => f32::NEG_INFINITY,
                1..=4 => (next() % 4) as f32,
                _ => (next() % 2001) as f32 / 100.0 - 10.0,
            };
            let trans: Vec<f32> = (0..(l + 1) * l).map(|_| value()).collect();
            let emissions: Vec<f32> = (0..n * l).map(|_| value()).collect();
            decode_with(&trans, &labels, &emissions, &mut path);
            assert_eq!(
                path,
                decode_all_pairs(&trans, &labels, &emissions),
                "round {round}"
            );
        }
    }

    #[test]
    fn learns_a_separable_toy_problem() {
        let labels = Labels::new(vec!["PER".into()]);
        let mut t = Trainer::new(labels.len());
        // Feature 7 marks a name's first word, 8 its second, 1 any other word.
        let (features, offsets) = (vec![1, 7, 8, 1], vec![0, 1, 2, 3, 4]);
        let gold = vec![0, 1, 2, 0];
        let mut scratch = Vec::new();
        for _ in 0..5 {
            t.learn(&labels, &features, &offsets, &gold, &mut scratch);
        }
        viterbi(&t, &labels, &features, &offsets, &mut scratch);
        assert_eq!(scratch, gold);
    }
}
