//! A linear-chain CRF (Lafferty, McCallum & Pereira 2001) on the perceptron's labels,
//! features and transition structure, trained by stochastic gradient descent on the
//! L2-regularised conditional log-likelihood (`train-ner --algorithm crf`).
//!
//! Training differs from the perceptron's only in the objective: the same feature
//! hashes, the same BIO constraints (forward-backward sums only over well-formed
//! sequences), the same first-order transitions with a start row. So the weights drop
//! into the same model file and are tagged by the same emission code and Viterbi
//! decoder, at the same speed.
//!
//! SGD as in Bottou's crfsgd: one sentence at a time in a seeded order, step size
//! `eta0 / (1 + eta0 * lambda * t)`, and the L2 shrinkage applied to all weights at
//! once through a common scale factor, so a step costs only the sentence's features.

use super::perceptron::{FeatureMap, Labels, Scorer};

/// One training sentence: each word's feature rows and its gold label.
pub struct Sequence {
    /// Rows of word `i`: `rows[offsets[i]..offsets[i + 1]]`.
    pub rows: Vec<u32>,
    pub offsets: Vec<usize>,
    pub gold: Vec<usize>,
}

/// `ln(sum(exp(x)))` of the finite values of `xs`; minus infinity when none is.
fn log_sum_exp(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = xs.clone().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + xs.map(|x| (x - max).exp()).sum::<f64>().ln()
}

/// Forward-backward over the well-formed label sequences of one sentence.
///
/// `emissions`: `l` scores per word; `trans`: `(l + 1) × l`, the last row being the
/// sentence start. Writes each word's label marginals into `node` (`l` per word) and
/// adds the expected count of every transition (start row included) to `expected`.
/// Returns `ln Z`, the log of the sum of the scores of all allowed sequences.
pub fn forward_backward(
    labels: &Labels,
    emissions: &[f64],
    trans: &[f64],
    node: &mut Vec<f64>,
    expected: &mut [f64],
) -> f64 {
    let l = labels.len();
    let n = emissions.len() / l;
    node.clear();
    node.resize(n * l, 0.0);
    if n == 0 {
        return 0.0;
    }
    // Transition scores with the BIO constraints as minus infinity.
    let t = |p: Option<usize>, y: usize| {
        if labels.allowed(p, y) {
            trans[p.unwrap_or(l) * l + y]
        } else {
            f64::NEG_INFINITY
        }
    };
    let mut alpha = vec![f64::NEG_INFINITY; n * l];
    let mut beta = vec![0.0; n * l];
    for y in 0..l {
        alpha[y] = t(None, y) + emissions[y];
    }
    for i in 1..n {
        for y in 0..l {
            let prev = &alpha[(i - 1) * l..i * l];
            alpha[i * l + y] =
                log_sum_exp((0..l).map(|p| prev[p] + t(Some(p), y))) + emissions[i * l + y];
        }
    }
    let log_z = log_sum_exp(alpha[(n - 1) * l..].iter().copied());
    for i in (0..n - 1).rev() {
        for p in 0..l {
            let next =
                |y: usize| t(Some(p), y) + emissions[(i + 1) * l + y] + beta[(i + 1) * l + y];
            beta[i * l + p] = log_sum_exp((0..l).map(next));
        }
    }
    for k in 0..n * l {
        node[k] = (alpha[k] + beta[k] - log_z).exp();
    }
    for y in 0..l {
        expected[l * l + y] += node[y];
    }
    for i in 1..n {
        for p in 0..l {
            let a = alpha[(i - 1) * l + p];
            if a == f64::NEG_INFINITY {
                continue;
            }
            for y in 0..l {
                let s = t(Some(p), y);
                if s == f64::NEG_INFINITY {
                    continue;
                }
                expected[p * l + y] +=
                    (a + s + emissions[i * l + y] + beta[i * l + y] - log_z).exp();
            }
        }
    }
    log_z
}

/// Whether a gold sequence is one the constraints allow (projected names always are;
/// anything else is skipped rather than given an infinite loss).
fn well_formed(labels: &Labels, gold: &[usize]) -> bool {
    gold.iter()
        .enumerate()
        .all(|(i, &y)| y < labels.len() && labels.allowed((i > 0).then(|| gold[i - 1]), y))
}

/// CRF weights while training: feature rows of `labels.len()` weights each, stored
/// divided by a common `scale` (the L2 shrinkage of every weight is one multiplication).
pub struct Crf {
    labels: Labels,
    keys: Vec<u64>,
    index: FeatureMap<u32>,
    w: Vec<f64>,
    scale: f64,
    trans: Vec<f64>,
    /// Sums of the weights and transitions at the ends of the epochs averaged so far.
    sum_w: Vec<f64>,
    sum_trans: Vec<f64>,
    averaged: usize,
    /// Scratch of one sentence.
    emissions: Vec<f64>,
    node: Vec<f64>,
    expected: Vec<f64>,
}

impl Crf {
    pub fn new(labels: Labels) -> Self {
        let l = labels.len();
        Crf {
            labels,
            keys: Vec::new(),
            index: FeatureMap::default(),
            w: Vec::new(),
            scale: 1.0,
            trans: vec![0.0; (l + 1) * l],
            sum_w: Vec::new(),
            sum_trans: vec![0.0; (l + 1) * l],
            averaged: 0,
            emissions: Vec::new(),
            node: Vec::new(),
            expected: vec![0.0; (l + 1) * l],
        }
    }

    /// A sentence of feature hashes as rows of this CRF, adding rows for new features.
    pub fn sequence(&mut self, features: &[u64], offsets: &[usize], gold: &[usize]) -> Sequence {
        let l = self.labels.len();
        let rows = features
            .iter()
            .map(|&f| {
                let next = self.keys.len() as u32;
                let row = *self.index.entry(f).or_insert(next);
                if row == next {
                    self.keys.push(f);
                    self.w.extend(std::iter::repeat_n(0.0, l));
                }
                row
            })
            .collect();
        Sequence {
            rows,
            offsets: offsets.to_vec(),
            gold: gold.to_vec(),
        }
    }

    pub fn features(&self) -> usize {
        self.keys.len()
    }

    fn weight(&self, k: usize) -> f64 {
        self.w[k] * self.scale
    }

    fn compute_emissions(&mut self, seq: &Sequence) {
        let l = self.labels.len();
        let n = seq.gold.len();
        self.emissions.clear();
        self.emissions.resize(n * l, 0.0);
        for i in 0..n {
            let row = &mut self.emissions[i * l..(i + 1) * l];
            for &r in &seq.rows[seq.offsets[i]..seq.offsets[i + 1]] {
                let w = &self.w[r as usize * l..(r as usize + 1) * l];
                for (e, x) in row.iter_mut().zip(w) {
                    *e += x;
                }
            }
            for e in row.iter_mut() {
                *e *= self.scale;
            }
        }
    }

    /// Marginals of `seq` under the current weights (into `self.node` and
    /// `self.expected`); returns the sentence's negative log-likelihood.
    fn marginals(&mut self, seq: &Sequence) -> f64 {
        let l = self.labels.len();
        self.compute_emissions(seq);
        self.expected.iter_mut().for_each(|x| *x = 0.0);
        let log_z = forward_backward(
            &self.labels,
            &self.emissions,
            &self.trans,
            &mut self.node,
            &mut self.expected,
        );
        let mut gold_score = 0.0;
        for (i, &y) in seq.gold.iter().enumerate() {
            let prev = if i == 0 { l } else { seq.gold[i - 1] };
            gold_score += self.emissions[i * l + y] + self.trans[prev * l + y];
        }
        log_z - gold_score
    }

    /// The negative log-likelihood of `seq` and its gradient with respect to every
    /// weight (`grad_w`: `labels` per row; `grad_trans`: as the transitions), added to
    /// the buffers. For checks; training uses [`Self::step`].
    pub fn gradient(&mut self, seq: &Sequence, grad_w: &mut [f64], grad_trans: &mut [f64]) -> f64 {
        let l = self.labels.len();
        let nll = self.marginals(seq);
        for (i, &y) in seq.gold.iter().enumerate() {
            for &r in &seq.rows[seq.offsets[i]..seq.offsets[i + 1]] {
                for k in 0..l {
                    grad_w[r as usize * l + k] +=
                        self.node[i * l + k] - if k == y { 1.0 } else { 0.0 };
                }
            }
            let prev = if i == 0 { l } else { seq.gold[i - 1] };
            grad_trans[prev * l + y] -= 1.0;
        }
        for (g, e) in grad_trans.iter_mut().zip(&self.expected) {
            *g += e;
        }
        nll
    }

    /// One SGD step on `seq` with step size `eta` and L2 strength `lambda` (per
    /// sentence: the objective's L2 coefficient over the number of sentences).
    /// Returns the sentence's negative log-likelihood before the step.
    pub fn step(&mut self, seq: &Sequence, eta: f64, lambda: f64) -> f64 {
        if seq.gold.is_empty() || !well_formed(&self.labels, &seq.gold) {
            return 0.0;
        }
        let l = self.labels.len();
        let nll = self.marginals(seq);
        let shrink = 1.0 - eta * lambda;
        self.scale *= shrink;
        if self.scale < 1e-6 {
            // Fold the scale into the weights before it loses precision.
            let s = self.scale;
            self.w.iter_mut().for_each(|x| *x *= s);
            self.scale = 1.0;
        }
        let step = eta / self.scale;
        for (i, &y) in seq.gold.iter().enumerate() {
            for &r in &seq.rows[seq.offsets[i]..seq.offsets[i + 1]] {
                let w = &mut self.w[r as usize * l..(r as usize + 1) * l];
                for (k, x) in w.iter_mut().enumerate() {
                    let g = self.node[i * l + k] - if k == y { 1.0 } else { 0.0 };
                    *x -= step * g;
                }
            }
        }
        for t in self.trans.iter_mut() {
            *t *= shrink;
        }
        for (t, e) in self.trans.iter_mut().zip(&self.expected) {
            *t -= eta * e;
        }
        for (i, &y) in seq.gold.iter().enumerate() {
            let prev = if i == 0 { l } else { seq.gold[i - 1] };
            self.trans[prev * l + y] += eta;
        }
        nll
    }

    /// Adds the current weights to the average that [`Self::weights`] gives (called at
    /// the end of the later epochs: SGD's last iterate wanders with its step size, the
    /// mean of several is closer to the optimum and does not depend as much on the seed).
    pub fn accumulate(&mut self) {
        self.sum_w.resize(self.w.len(), 0.0);
        for (s, w) in self.sum_w.iter_mut().zip(&self.w) {
            *s += w * self.scale;
        }
        for (s, t) in self.sum_trans.iter_mut().zip(&self.trans) {
            *s += t;
        }
        self.averaged += 1;
    }

    /// The weights as the model file takes them (the average of the accumulated ones,
    /// if any): features sorted by hash, leaving out
    /// those whose weights are all below `min_weight` in absolute value (most rare
    /// features barely move from zero under L2, and they would fill the file).
    pub fn weights(&self, min_weight: f64) -> (Vec<(u64, Vec<f32>)>, Vec<f32>) {
        let l = self.labels.len();
        let mut rows: Vec<(u64, Vec<f32>)> = self
            .keys
            .iter()
            .enumerate()
            .filter_map(|(r, &f)| {
                let w: Vec<f32> = (0..l)
                    .map(|k| match self.averaged {
                        0 => self.weight(r * l + k),
                        n => self.sum_w[r * l + k] / n as f64,
                    } as f32)
                    .collect();
                w.iter()
                    .any(|x| x.abs() as f64 >= min_weight)
                    .then_some((f, w))
            })
            .collect();
        rows.sort_unstable_by_key(|(f, _)| *f);
        let trans = match self.averaged {
            0 => self.trans.iter().map(|&t| t as f32).collect(),
            n => self
                .sum_trans
                .iter()
                .map(|&t| (t / n as f64) as f32)
                .collect(),
        };
        (rows, trans)
    }
}

/// Unquantised weights as a [`Scorer`], to check that the model file's 16-bit weights
/// tag as the floats do.
pub struct FloatScorer {
    labels: usize,
    index: FeatureMap<usize>,
    weights: Vec<f32>,
    trans: Vec<f32>,
}

impl FloatScorer {
    pub fn new(labels: usize, rows: &[(u64, Vec<f32>)], trans: Vec<f32>) -> Self {
        FloatScorer {
            labels,
            index: rows.iter().enumerate().map(|(i, (f, _))| (*f, i)).collect(),
            weights: rows.iter().flat_map(|(_, w)| w.iter().copied()).collect(),
            trans,
        }
    }
}

impl Scorer for FloatScorer {
    fn labels(&self) -> usize {
        self.labels
    }
    fn add_feature(&self, f: u64, scores: &mut [f32]) {
        if let Some(&r) = self.index.get(&f) {
            let w = &self.weights[r * self.labels..(r + 1) * self.labels];
            for (s, x) in scores.iter_mut().zip(w) {
                *s += x;
            }
        }
    }
    fn transition(&self, prev: Option<usize>, label: usize) -> f32 {
        self.trans[prev.unwrap_or(self.labels) * self.labels + label]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels::new(vec!["PER".into(), "LOC".into()])
    }

    /// Pseudo-random values in [-1, 1), reproducible.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
            })
            .collect()
    }

    /// Every allowed sequence of length `n` with its score, by enumeration.
    fn all_sequences(labels: &Labels, n: usize) -> Vec<Vec<usize>> {
        let l = labels.len();
        let mut out = vec![vec![]];
        for _ in 0..n {
            out = out
                .into_iter()
                .flat_map(|s: Vec<usize>| {
                    (0..l)
                        .filter(|&y| labels.allowed(s.last().copied(), y))
                        .map(|y| {
                            let mut t = s.clone();
                            t.push(y);
                            t
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        out
    }

    #[test]
    fn marginals_sum_to_one_and_match_enumeration_over_allowed_sequences() {
        let labels = labels();
        let l = labels.len();
        let n = 4;
        let emissions: Vec<f64> = values(n * l, 1).iter().map(|x| 3.0 * x).collect();
        let trans: Vec<f64> = values((l + 1) * l, 2).iter().map(|x| 2.0 * x).collect();
        let mut node = Vec::new();
        let mut expected = vec![0.0; (l + 1) * l];
        let log_z = forward_backward(&labels, &emissions, &trans, &mut node, &mut expected);

        let score = |s: &[usize]| {
            s.iter()
                .enumerate()
                .map(|(i, &y)| {
                    let prev = if i == 0 { l } else { s[i - 1] };
                    emissions[i * l + y] + trans[prev * l + y]
                })
                .sum::<f64>()
        };
        let seqs = all_sequences(&labels, n);
        let z: f64 = seqs.iter().map(|s| score(s).exp()).sum();
        assert!((log_z - z.ln()).abs() < 1e-9, "{log_z} vs {}", z.ln());
        let mut brute_node = vec![0.0; n * l];
        let mut brute_trans = vec![0.0; (l + 1) * l];
        for s in &seqs {
            let p = score(s).exp() / z;
            for (i, &y) in s.iter().enumerate() {
                brute_node[i * l + y] += p;
                let prev = if i == 0 { l } else { s[i - 1] };
                brute_trans[prev * l + y] += p;
            }
        }
        for i in 0..n {
            let sum: f64 = node[i * l..(i + 1) * l].iter().sum();
            assert!((sum - 1.0).abs() < 1e-9, "word {i}: {sum}");
        }
        for (a, b) in node.iter().zip(&brute_node) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        for (a, b) in expected.iter().zip(&brute_trans) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        // The constraints: no mass on I- at the start, nor on I-PER after O or B-LOC.
        assert!(node[2] == 0.0 && node[4] == 0.0);
        assert_eq!(expected[l * l + 2], 0.0);
        assert_eq!(expected[2], 0.0);
        assert_eq!(expected[3 * l + 2], 0.0);
        assert!(expected[l + 2] > 0.0);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let labels = labels();
        let l = labels.len();
        let mut crf = Crf::new(labels);
        // Three words with overlapping features 10, 11, 12, 13; gold: B-PER I-PER O.
        let seq = crf.sequence(&[10, 11, 11, 12, 13, 10], &[0, 2, 4, 6], &[1, 2, 0]);
        let rows = crf.features();
        let init = values(rows * l, 3);
        crf.w.copy_from_slice(&init);
        crf.trans = values((l + 1) * l, 4);
        crf.scale = 0.7;
        let mut grad_w = vec![0.0; rows * l];
        let mut grad_t = vec![0.0; (l + 1) * l];
        crf.gradient(&seq, &mut grad_w, &mut grad_t);
        let h = 1e-6;
        for (k, &analytic) in grad_w.iter().enumerate() {
            let base = crf.w[k];
            crf.w[k] = base + h / crf.scale;
            let up = crf.marginals(&seq);
            crf.w[k] = base - h / crf.scale;
            let down = crf.marginals(&seq);
            crf.w[k] = base;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                (numeric - analytic).abs() < 1e-6,
                "w{k}: {numeric} vs {analytic}"
            );
        }
        for (k, &analytic) in grad_t.iter().enumerate() {
            let base = crf.trans[k];
            crf.trans[k] = base + h;
            let up = crf.marginals(&seq);
            crf.trans[k] = base - h;
            let down = crf.marginals(&seq);
            crf.trans[k] = base;
            let numeric = (up - down) / (2.0 * h);
            // Disallowed transitions carry no mass and no gradient.
            assert!(
                (numeric - analytic).abs() < 1e-6,
                "t{k}: {numeric} vs {analytic}"
            );
        }
    }

    #[test]
    fn sgd_lowers_the_loss_and_learns_a_toy_problem() {
        let labels = labels();
        let mut crf = Crf::new(labels.clone());
        // Feature 7 marks a person's first word, 8 its second, 9 a place, 1 other words.
        let seqs = [
            crf.sequence(&[1, 7, 8, 1], &[0, 1, 2, 3, 4], &[0, 1, 2, 0]),
            crf.sequence(&[1, 9, 1, 7, 8], &[0, 1, 2, 3, 4, 5], &[0, 3, 0, 1, 2]),
        ];
        let first: f64 = seqs.iter().map(|s| crf.marginals(s)).sum();
        for _ in 0..30 {
            for s in &seqs {
                crf.step(s, 0.5, 0.01);
            }
        }
        let last: f64 = seqs.iter().map(|s| crf.marginals(s)).sum();
        assert!(last < first / 10.0, "{first} -> {last}");
        let (rows, trans) = crf.weights(0.0);
        let model = crate::extract::ner::Model::from_weights(
            crate::extract::ner::model::Header {
                lang: "en".into(),
                types: labels.types.clone(),
                feature_set: crate::extract::ner::FEATURE_SET,
                training: serde_json::Value::Null,
            },
            &rows,
            trans,
        );
        let mut path = Vec::new();
        super::super::perceptron::viterbi(
            &model,
            &labels,
            &[1, 9, 7, 8],
            &[0, 1, 2, 3, 4],
            &mut path,
        );
        assert_eq!(path, vec![0, 3, 1, 2]);
    }
}
