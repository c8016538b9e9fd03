//! Word clusters learnt from unannotated text, as features of the labeller: words that
//! occur in the same contexts (`Ստեփանակերտում`, `Գորիսում`) share a bit-string path,
//! so evidence learnt on one lends to the other, including words the annotated files
//! never show with a label.
//!
//! The clusters are a binary tree built top-down ([`compute`]): each word is a vector
//! of the words around it (positive PMI of the words one and two places either side,
//! among the most frequent words), and every node is split in two by spherical 2-means
//! until its words are few. A word's path from the root is its bit string; the
//! features read its prefixes of [`PREFIXES`] bits, coarse to fine, as with Brown
//! clusters. Words are the pipeline's folded keys, so spellings the language folds
//! together share a cluster.
//!
//! The file (`models/<lang>.clusters.tsv`) is `key<TAB>bits` a line after `#` comment
//! lines; a model records its xxh3 and is refused with another file.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::perceptron::FeatureMap;

/// Prefix lengths (bits) the features read; a shorter path is used whole.
pub const PREFIXES: [usize; 4] = [4, 6, 10, 20];

/// A word's cluster prefixes, hashed ([`PREFIXES`] order); all 0 for an unknown word.
pub type ClusterPrefixes = [u64; PREFIXES.len()];

/// The clusters of one language, by the hash of the folded key.
#[derive(Default, Debug)]
pub struct Clusters {
    by_key: FeatureMap<u32>,
    paths: Vec<ClusterPrefixes>,
    /// xxh3-64 of the file, as the model records it.
    pub hash: String,
}

fn key_hash(key: &str) -> u64 {
    xxh3_64_with_seed(key.as_bytes(), 0xC1u64)
}

impl Clusters {
    /// Parses a cluster file; errors name the line.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 ({e})"))?;
        let mut clusters = Clusters {
            hash: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes)),
            ..Clusters::default()
        };
        let mut path_index: HashMap<&str, u32> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |m: &str| format!("line {}: {m}", n + 1);
            let (key, bits) = line
                .split_once('\t')
                .ok_or_else(|| bad("expected `key<TAB>bits`"))?;
            if key.is_empty() || bits.is_empty() || bits.len() > 64 {
                return Err(bad("empty key or bit string of 0 or over 64 bits"));
            }
            if !bits.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(bad("bits must be 0s and 1s"));
            }
            let next = clusters.paths.len() as u32;
            let id = *path_index.entry(bits).or_insert(next);
            if id == next {
                clusters.paths.push(prefixes_of(bits));
            }
            if clusters.by_key.insert(key_hash(key), id).is_some() {
                return Err(bad(&format!("`{key}` listed twice")));
            }
        }
        if clusters.by_key.is_empty() {
            return Err("no clusters".into());
        }
        Ok(clusters)
    }

    /// The prefixes of `key`'s cluster, or `None` for a word the file does not list.
    pub fn get(&self, key: &str) -> Option<&ClusterPrefixes> {
        if self.by_key.is_empty() {
            return None;
        }
        self.by_key
            .get(&key_hash(key))
            .map(|&id| &self.paths[id as usize])
    }

    /// How many words the file lists.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

fn prefixes_of(bits: &str) -> ClusterPrefixes {
    let mut out = [0; PREFIXES.len()];
    for (o, &p) in out.iter_mut().zip(&PREFIXES) {
        let prefix = &bits[..p.min(bits.len())];
        *o = xxh3_64_with_seed(prefix.as_bytes(), 0xC2 + p as u64).max(1);
    }
    out
}

/// Settings of [`compute`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Words seen fewer times are left out.
    pub min_count: usize,
    /// At most this many words, the most frequent.
    pub max_words: usize,
    /// Context words: the most frequent this many.
    pub contexts: usize,
    /// Depth of the tree (longest bit string).
    pub depth: usize,
    /// Nodes with fewer words are not split.
    pub min_node: usize,
    /// Classes of the exchange algorithm (the leaves of the tree).
    pub classes: usize,
    /// Passes of the exchange algorithm over the words.
    pub passes: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_count: 2,
            max_words: 60_000,
            contexts: 1_000,
            depth: 20,
            min_node: 4,
            classes: 256,
            passes: 12,
        }
    }
}

/// A word's context vector: `(feature, weight)` sorted by feature, unit length.
type Sparse = Vec<(u32, f64)>;

/// Clusters the words of `sentences` (folded keys): `(key, bits)` sorted by key.
/// Single-threaded and in a fixed order, so the same text gives the same file.
pub fn compute_bisect(
    sentences: &[Vec<String>],
    options: &ClusterOptions,
) -> Vec<(String, String)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in sentences {
        for w in s {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rank: HashMap<&str, usize> = ranked.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
    let words: Vec<&str> = ranked
        .iter()
        .take(options.max_words)
        .take_while(|w| w.1 >= options.min_count)
        .map(|w| w.0)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Co-occurrence counts: context feature = position slot × context word rank.
    let c = options.contexts as u32;
    let offsets: [isize; 4] = [-2, -1, 1, 2];
    let mut cooc: Vec<HashMap<u32, f64>> = vec![HashMap::new(); words.len()];
    let mut feature_totals: HashMap<u32, f64> = HashMap::new();
    let mut total = 0.0;
    for s in sentences {
        let ranks: Vec<usize> = s.iter().map(|w| rank[w.as_str()]).collect();
        for (i, &r) in ranks.iter().enumerate() {
            if r >= words.len() {
                continue;
            }
            for (slot, &o) in offsets.iter().enumerate() {
                let j = i as isize + o;
                // Sentence edges are a context word of their own (index c - 1).
                let ctx = if j < 0 || j as usize >= ranks.len() {
                    c - 1
                } else {
                    (ranks[j as usize] as u32).min(c - 1)
                };
                if ctx == c - 1 && j >= 0 && (j as usize) < ranks.len() {
                    continue; // a rare context word says little
                }
                let f = slot as u32 * c + ctx;
                *cooc[r].entry(f).or_default() += 1.0;
                *feature_totals.entry(f).or_default() += 1.0;
                total += 1.0;
            }
        }
    }
    let vectors: Vec<Sparse> = cooc
        .into_iter()
        .map(|m| {
            let word_total: f64 = m.values().sum();
            let mut v: Sparse = m
                .into_iter()
                .filter_map(|(f, n)| {
                    let pmi = (n * total / (word_total * feature_totals[&f])).ln();
                    (pmi > 0.0).then_some((f, pmi))
                })
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
            // A word with no telling context keeps an empty vector (like nothing).
            if norm > 0.0 {
                for x in &mut v {
                    x.1 /= norm;
                }
            }
            v
        })
        .collect();
    let dims = offsets.len() * options.contexts;
    let mut bits = vec![String::new(); words.len()];
    let mut stack: Vec<Vec<usize>> = vec![(0..words.len()).collect()];
    while let Some(node) = stack.pop() {
        let depth = bits[node[0]].len();
        if node.len() < options.min_node || depth >= options.depth {
            continue;
        }
        let Some((left, right)) = bisect(&node, &vectors, dims) else {
            continue;
        };
        for &w in &left {
            bits[w].push('0');
        }
        for &w in &right {
            bits[w].push('1');
        }
        stack.push(right);
        stack.push(left);
    }
    let mut out: Vec<(String, String)> = words
        .iter()
        .zip(bits)
        .map(|(w, b)| {
            let b = if b.is_empty() { "0".to_string() } else { b };
            (w.to_string(), b)
        })
        .collect();
    out.sort_unstable();
    out
}

fn dot(v: &Sparse, dense: &[f64]) -> f64 {
    v.iter().map(|&(f, x)| x * dense[f as usize]).sum()
}

/// The normalised sum of some vectors.
fn centroid(members: impl Iterator<Item = usize>, vectors: &[Sparse], dims: usize) -> Vec<f64> {
    let mut c = vec![0.0; dims];
    for m in members {
        for &(f, x) in &vectors[m] {
            c[f as usize] += x;
        }
    }
    let norm = c.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in &mut c {
            *x /= norm;
        }
    }
    c
}

/// Splits a node in two by spherical 2-means, seeded with the word least like the
/// node's centroid and the word least like that one; `None` when it cannot split.
fn bisect(node: &[usize], vectors: &[Sparse], dims: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    let whole = centroid(node.iter().copied(), vectors, dims);
    // Seeds among words with a context vector (the others have nothing to compare and
    // go left). Ties go to the earlier, more frequent word: `min_by` keeps the first.
    let least_like = |dense: &[f64], except: Option<usize>| {
        node.iter()
            .copied()
            .filter(|&w| !vectors[w].is_empty() && Some(w) != except)
            .min_by(|&a, &b| dot(&vectors[a], dense).total_cmp(&dot(&vectors[b], dense)))
    };
    let a = least_like(&whole, None)?;
    let dense_a = centroid(std::iter::once(a), vectors, dims);
    let b = least_like(&dense_a, Some(a))?;
    let (mut ca, mut cb) = (dense_a, centroid(std::iter::once(b), vectors, dims));
    let mut side = vec![false; node.len()];
    for round in 0..12 {
        let mut changed = false;
        for (k, &w) in node.iter().enumerate() {
            let right = dot(&vectors[w], &cb) > dot(&vectors[w], &ca);
            changed |= right != side[k];
            side[k] = right;
        }
        if (!changed && round > 0) || side.iter().all(|&s| s) || side.iter().all(|&s| !s) {
            break;
        }
        let members = |want: bool| {
            node.iter()
                .zip(&side)
                .filter(move |(_, &s)| s == want)
                .map(|(&w, _)| w)
        };
        ca = centroid(members(false), vectors, dims);
        cb = centroid(members(true), vectors, dims);
    }
    let left: Vec<usize> = node
        .iter()
        .zip(&side)
        .filter(|(_, &s)| !s)
        .map(|(&w, _)| w)
        .collect();
    let right: Vec<usize> = node
        .iter()
        .zip(&side)
        .filter(|(_, &s)| s)
        .map(|(&w, _)| w)
        .collect();
    (!left.is_empty() && !right.is_empty()).then_some((left, right))
}

/// `x ln x`, the term of a count in the class-bigram likelihood.
#[inline]
fn xlx(x: f64) -> f64 {
    if x > 0.0 {
        x * x.ln()
    } else {
        0.0
    }
}

/// Clusters the words of `sentences` (folded keys) as Brown clustering does, cheaper:
/// the exchange algorithm (Martin, Liermann & Ney 1998) puts the words into
/// `classes` classes that maximise the likelihood of a class-bigram model, then the
/// classes are merged pairwise, always the pair that loses the least likelihood, and
/// the merge tree gives each class its bit string. `(key, bits)` sorted by key;
/// single-threaded in a fixed order, so the same text gives the same file.
pub fn compute(sentences: &[Vec<String>], options: &ClusterOptions) -> Vec<(String, String)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in sentences {
        for w in s {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let n_words = ranked
        .iter()
        .take(options.max_words)
        .take_while(|w| w.1 >= options.min_count)
        .count();
    let k = options.classes.min(n_words).max(1);
    if n_words < 2 {
        return Vec::new();
    }
    // Rare words share one fixed class, sentence edges another; neither moves.
    let (rare, edge) = (k, k + 1);
    let dim = k + 2;
    let rank: HashMap<&str, usize> = ranked.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
    let id = |w: &str| -> usize {
        let r = rank[w];
        if r < n_words {
            r
        } else {
            n_words
        }
    };
    // Bigram counts by word: successors and predecessors (`n_words` = rare, +1 = edge).
    let mut bigrams: HashMap<(usize, usize), f64> = HashMap::new();
    for s in sentences {
        let ids: Vec<usize> = std::iter::once(n_words + 1)
            .chain(s.iter().map(|w| id(w)))
            .chain(std::iter::once(n_words + 1))
            .collect();
        for p in ids.windows(2) {
            *bigrams.entry((p[0], p[1])).or_default() += 1.0;
        }
    }
    let mut pairs: Vec<((usize, usize), f64)> = bigrams.into_iter().collect();
    pairs.sort_unstable_by_key(|a| a.0);
    let mut next: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_words + 2];
    let mut prev: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_words + 2];
    for &((a, b), n) in &pairs {
        next[a].push((b, n));
        prev[b].push((a, n));
    }
    let mut class: Vec<usize> = (0..n_words).map(|r| r % k).collect();
    class.push(rare);
    class.push(edge);
    // Class-bigram counts and the left (as first) and right (as second) marginals.
    let mut big = vec![0.0f64; dim * dim];
    let (mut left, mut right) = (vec![0.0f64; dim], vec![0.0f64; dim]);
    for &((a, b), n) in &pairs {
        big[class[a] * dim + class[b]] += n;
        left[class[a]] += n;
        right[class[b]] += n;
    }
    let mut succ = vec![0.0f64; dim];
    let mut pred = vec![0.0f64; dim];
    let mut touched: Vec<usize> = Vec::new();
    for _ in 0..options.passes {
        let mut moved = 0;
        for w in 0..n_words {
            let a = class[w];
            // The word's bigrams by class, itself apart.
            let mut own = 0.0;
            touched.clear();
            for &(v, n) in &next[w] {
                if v == w {
                    own += n;
                } else {
                    if succ[class[v]] == 0.0 && pred[class[v]] == 0.0 {
                        touched.push(class[v]);
                    }
                    succ[class[v]] += n;
                }
            }
            for &(u, n) in &prev[w] {
                if u != w {
                    if succ[class[u]] == 0.0 && pred[class[u]] == 0.0 {
                        touched.push(class[u]);
                    }
                    pred[class[u]] += n;
                }
            }
            touched.sort_unstable();
            touched.dedup();
            let lt: f64 = next[w].iter().map(|x| x.1).sum();
            let rt: f64 = prev[w].iter().map(|x| x.1).sum();
            // Take the word out of its class.
            for &c in &touched {
                big[a * dim + c] -= succ[c];
                big[c * dim + a] -= pred[c];
            }
            big[a * dim + a] -= own;
            left[a] -= lt;
            right[a] -= rt;
            // The likelihood gained by putting it in class b.
            let gain = |b: usize| -> f64 {
                let mut g = 0.0;
                for &c in &touched {
                    if c != b {
                        let (r, col) = (big[b * dim + c], big[c * dim + b]);
                        g += xlx(r + succ[c]) - xlx(r) + xlx(col + pred[c]) - xlx(col);
                    }
                }
                let d = big[b * dim + b];
                g += xlx(d + succ[b] + pred[b] + own) - xlx(d);
                g - (xlx(left[b] + lt) - xlx(left[b])) - (xlx(right[b] + rt) - xlx(right[b]))
            };
            let mut best = (a, gain(a));
            for b in 0..k {
                let g = gain(b);
                if g > best.1 + 1e-9 {
                    best = (b, g);
                }
            }
            let b = best.0;
            for &c in &touched {
                big[b * dim + c] += succ[c];
                big[c * dim + b] += pred[c];
            }
            big[b * dim + b] += own;
            left[b] += lt;
            right[b] += rt;
            for &c in &touched {
                succ[c] = 0.0;
                pred[c] = 0.0;
            }
            if b != a {
                class[w] = b;
                moved += 1;
            }
        }
        if moved * 1000 < n_words {
            break;
        }
    }
    let bits = merge_tree(&big, &left, &right, k, dim);
    let mut out: Vec<(String, String)> = ranked[..n_words]
        .iter()
        .enumerate()
        .map(|(r, w)| (w.0.to_string(), bits[class[r]].clone()))
        .collect();
    out.sort_unstable();
    out
}

/// Merges the `k` movable classes two at a time, the pair that loses the least
/// class-bigram likelihood first, and returns each class's path in the merge tree
/// (at most 64 bits, `0` the older side).
fn merge_tree(big: &[f64], left: &[f64], right: &[f64], k: usize, dim: usize) -> Vec<String> {
    let mut big = big.to_vec();
    let (mut left, mut right) = (left.to_vec(), right.to_vec());
    let mut alive: Vec<usize> = (0..k).collect();
    // Members of each live node, and each class's path built from the root down.
    let mut members: Vec<Vec<usize>> = (0..k).map(|c| vec![c]).collect();
    let mut paths: Vec<Vec<u8>> = vec![Vec::new(); k];
    // What merging x and y changes in the terms of context class c.
    let term = |big: &[f64], x: usize, y: usize, c: usize| {
        let (rx, ry) = (big[x * dim + c], big[y * dim + c]);
        let (cx, cy) = (big[c * dim + x], big[c * dim + y]);
        xlx(rx + ry) - xlx(rx) - xlx(ry) + xlx(cx + cy) - xlx(cx) - xlx(cy)
    };
    let full = |big: &[f64], left: &[f64], right: &[f64], i: usize, j: usize| {
        let mut loss = 0.0;
        for c in 0..dim {
            if c != i && c != j {
                loss += term(big, i, j, c);
            }
        }
        let (ii, ij, ji, jj) = (
            big[i * dim + i],
            big[i * dim + j],
            big[j * dim + i],
            big[j * dim + j],
        );
        loss += xlx(ii + ij + ji + jj) - xlx(ii) - xlx(ij) - xlx(ji) - xlx(jj);
        loss -= xlx(left[i] + left[j]) - xlx(left[i]) - xlx(left[j]);
        loss - (xlx(right[i] + right[j]) - xlx(right[i]) - xlx(right[j]))
    };
    // The likelihood change of merging each pair x < y, kept up to date: a merge of
    // i and j changes another pair's change only in its terms for i and j.
    let mut change = vec![0.0f64; k * k];
    for x in 0..k {
        for y in x + 1..k {
            change[x * k + y] = full(&big, &left, &right, x, y);
        }
    }
    while alive.len() > 1 {
        let mut best: Option<(f64, usize, usize)> = None;
        for (n, &x) in alive.iter().enumerate() {
            for &y in &alive[n + 1..] {
                let loss = change[x * k + y];
                if best.is_none_or(|b| loss > b.0 + 1e-9) {
                    best = Some((loss, x, y));
                }
            }
        }
        let Some((_, i, j)) = best else { break };
        for (n, &x) in alive.iter().enumerate() {
            for &y in &alive[n + 1..] {
                if x != i && x != j && y != i && y != j {
                    change[x * k + y] -= term(&big, x, y, i) + term(&big, x, y, j);
                }
            }
        }
        for c in 0..dim {
            big[i * dim + c] += big[j * dim + c];
            big[j * dim + c] = 0.0;
        }
        for c in 0..dim {
            big[c * dim + i] += big[c * dim + j];
            big[c * dim + j] = 0.0;
        }
        left[i] += left[j];
        right[i] += right[j];
        left[j] = 0.0;
        right[j] = 0.0;
        // The merged node's two sides: bits are prepended, so paths read root first.
        for &m in &members[i] {
            paths[m].push(b'0');
        }
        for &m in &members[j] {
            paths[m].push(b'1');
        }
        let moved = std::mem::take(&mut members[j]);
        members[i].extend(moved);
        alive.retain(|&c| c != j);
        for (n, &x) in alive.iter().enumerate() {
            for &y in &alive[n + 1..] {
                if x == i || y == i {
                    change[x * k + y] = full(&big, &left, &right, x, y);
                } else {
                    change[x * k + y] += term(&big, x, y, i);
                }
            }
        }
    }
    paths
        .into_iter()
        .map(|mut p| {
            p.reverse();
            p.truncate(64);
            if p.is_empty() {
                p.push(b'0');
            }
            String::from_utf8(p).unwrap_or_default()
        })
        .collect()
}

/// Writes [`compute`]'s result as a cluster file with a comment header.
pub fn to_file(header: &str, clusters: &[(String, String)]) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    for (k, b) in clusters {
        out.push_str(k);
        out.push('\t');
        out.push_str(b);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<Vec<String>> {
        let mut s = Vec::new();
        let cities = ["yerevan", "baku", "paris", "tbilisi"];
        let people = ["aliyev", "pashinyan", "macron", "kobakhidze"];
        for (i, c) in cities.iter().enumerate() {
            for (j, p) in people.iter().enumerate() {
                let verb = ["said", "told", "added"][(i + j) % 3];
                s.push(format!("in {c} , mr {p} {verb} that the talks went on"));
                s.push(format!("the mayor of {c} met mr {p} on monday"));
            }
        }
        s.iter()
            .map(|l| l.split(' ').map(String::from).collect())
            .collect()
    }

    /// Words of the same contexts share their first bits; the same text gives the same
    /// file, and a file reads back.
    #[test]
    fn words_of_the_same_contexts_share_a_path() {
        let options = ClusterOptions {
            min_node: 2,
            classes: 6,
            ..ClusterOptions::default()
        };
        let out = compute(&toy(), &options);
        assert_eq!(out, compute(&toy(), &options), "deterministic");
        let bits: HashMap<&str, &str> = out.iter().map(|(k, b)| (k.as_str(), b.as_str())).collect();
        let shared = |a: &str, b: &str| {
            bits[a]
                .bytes()
                .zip(bits[b].bytes())
                .take_while(|(x, y)| x == y)
                .count()
        };
        assert!(
            shared("baku", "paris") > shared("baku", "macron"),
            "{bits:?}"
        );
        assert!(
            shared("aliyev", "macron") > shared("aliyev", "tbilisi"),
            "{bits:?}"
        );
        let file = to_file("toy", &out);
        let read = Clusters::parse(file.as_bytes()).unwrap();
        assert_eq!(read.len(), out.len());
        assert_eq!(read.get("baku").unwrap()[0], read.get("paris").unwrap()[0]);
        assert!(read.get("unseen").is_none());
    }

    #[test]
    fn bad_files_name_the_line() {
        for (text, line) in [
            ("# c\nbaku\t01\nparis 01\n", "line 3"),
            ("baku\t012\n", "line 1"),
            ("baku\t01\nbaku\t11\n", "line 2"),
        ] {
            let err = Clusters::parse(text.as_bytes()).unwrap_err();
            assert!(err.contains(line), "{err}");
        }
        assert!(Clusters::parse(b"# only a comment\n").is_err());
        assert!(Clusters::parse(&[0xff, 0xfe]).is_err());
    }
}
