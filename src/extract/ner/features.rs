//! Features of one token for the sequence labeller, hashed to `u64` so that no string
//! is built per feature: each word's forms are hashed once per document
//! ([`WordInfo`]), and a feature is a template id mixed with one or two of those
//! hashes. Every feature reads only the pipeline's own tokens, their folded keys (so
//! `Azərbaycan`, `Azerbaycan` and `Азәрбајҹан` share them), the text between tokens,
//! and the gazetteer hits.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::prepare::languages::{is_alphabetic, is_alphanumeric};
use crate::prepare::Token;

/// Gazetteer evidence on a token: bit `k` of [`WordInfo::gazetteer`] is set when a
/// gazetteer entry of kind `k` covers the token; kinds come from [`super::gazetteer`].
pub type GazetteerBits = u32;

/// Mixes two hashes (splitmix64 finaliser): a feature's template and its value.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.rotate_left(29) ^ 0x9E37_79B9_7F4A_7C15;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline]
fn hash(seed: u64, s: &str) -> u64 {
    xxh3_64_with_seed(s.as_bytes(), seed)
}

/// What the features need of one word, computed once per document.
#[derive(Debug, Clone, Default)]
pub struct WordInfo {
    key: u64,
    surface: u64,
    stem: u64,
    shape: u64,
    /// Case class: 0 lower, 1 capitalised, 2 all capitals, 3 digits, 4 mixed/other.
    case: u8,
    prefixes: [u64; 4],
    suffixes: [u64; 5],
    /// The suffix chain the stem leaves (`ից` of `Ադրբեջանից`), 0 when none.
    ending: u64,
    /// The text between the previous token and this one, as a punctuation class.
    gap_before: u64,
    /// The word appears capitalised elsewhere in the document, not first in a sentence.
    capitalised_elsewhere: bool,
    /// The word appears in lower case elsewhere in the document.
    lower_elsewhere: bool,
    /// Over every occurrence of the word in the document: gazetteer bits of the word
    /// before it ("Minister Marukyan" lends its title to a later bare "Marukyan").
    context_gazetteer: GazetteerBits,
    /// Over every occurrence: bit 0 first, bit 1 inside, bit 2 last word of a run of
    /// two or more capitalised words ("Edmon Marukyan" makes "Marukyan" a last word).
    run_positions: u8,
    pub gazetteer: GazetteerBits,
    /// The word never begins a name (a decoding constraint, not a feature).
    pub cannot_begin: bool,
    /// The word is part of a date (a month next to a day number), never of a name.
    pub outside_names: bool,
    /// Hashed prefixes of the word's cluster ([`super::clusters`]), 0 when unknown.
    pub clusters: super::clusters::ClusterPrefixes,
}

impl WordInfo {
    /// Hash of the folded word.
    pub fn key(&self) -> u64 {
        self.key
    }
    /// Hash of the stem the language's suffix chains leave.
    pub fn stem(&self) -> u64 {
        self.stem
    }
    /// Capitalised or all capitals.
    pub fn capitalised(&self) -> bool {
        self.case == CASE_CAPITALISED || self.case == CASE_UPPER
    }
}

const CASE_LOWER: u8 = 0;
const CASE_CAPITALISED: u8 = 1;
const CASE_UPPER: u8 = 2;

fn case_of(surface: &str) -> u8 {
    let mut chars = surface.chars().filter(|c| is_alphanumeric(*c));
    let Some(first) = chars.next() else {
        return 4;
    };
    if first.is_numeric() {
        return if surface.chars().any(is_alphabetic) {
            4
        } else {
            3
        };
    }
    let rest_upper = surface
        .chars()
        .skip(1)
        .filter(|&c| is_alphabetic(c))
        .all(char::is_uppercase);
    let rest_lower = surface
        .chars()
        .skip(1)
        .filter(|&c| is_alphabetic(c))
        .all(char::is_lowercase);
    match (first.is_uppercase(), rest_upper, rest_lower) {
        (true, true, _) if surface.chars().filter(|&c| is_alphabetic(c)).count() > 1 => CASE_UPPER,
        (true, _, true) => CASE_CAPITALISED,
        (false, _, true) => CASE_LOWER,
        _ => 4,
    }
}

/// Word shape with runs collapsed: `Stepanakert` → `Xx`, `U.S` → `X.X`, `1996-08-22`
/// → `d-d-d`, `McCain` → `XxXx`; capped at 8 symbols.
fn shape_hash(surface: &str) -> u64 {
    let mut buf = [0u8; 8];
    let mut n = 0;
    for c in surface.chars() {
        let s = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() || is_alphabetic(c) {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'o'
        };
        if n > 0 && buf[n - 1] == s {
            continue;
        }
        if n == buf.len() {
            break;
        }
        buf[n] = s;
        n += 1;
    }
    xxh3_64_with_seed(&buf[..n], 7)
}

/// The punctuation between two tokens, reduced to its non-space characters (at most
/// three); a line break counts as `\n`.
fn gap_hash(gap: &str) -> u64 {
    let mut buf = [0u8; 12];
    let mut n = 0;
    for c in gap.chars() {
        if c == '\n' {
            if n == 0 || buf[n - 1] != b'\n' {
                if n + 1 > buf.len() {
                    break;
                }
                buf[n] = b'\n';
                n += 1;
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let mut tmp = [0u8; 4];
        let bytes = c.encode_utf8(&mut tmp).as_bytes();
        if n + bytes.len() > buf.len() {
            break;
        }
        buf[n..n + bytes.len()].copy_from_slice(bytes);
        n += bytes.len();
    }
    xxh3_64_with_seed(&buf[..n], 11)
}

/// The hash [`WordInfo::key`] gives a folded word.
pub fn key_hash(key: &str) -> u64 {
    hash(1, key)
}

/// The hash [`WordInfo::stem`] gives a stem.
pub fn stem_hash(stem: &str) -> u64 {
    hash(3, stem)
}

/// The part of [`WordInfo`] that depends on the word alone; `stem_end` is where its
/// key's stem ends.
fn word_info(
    surface: &str,
    surface_hash: u64,
    key: &str,
    stem_end: usize,
    clusters: &super::clusters::Clusters,
) -> WordInfo {
    let mut info = WordInfo {
        // An inflected form the text did not show takes its stem's cluster.
        clusters: clusters
            .get(key)
            .or_else(|| clusters.get(&key[..stem_end]))
            .copied()
            .unwrap_or_default(),
        key: key_hash(key),
        surface: surface_hash,
        stem: stem_hash(&key[..stem_end]),
        ending: if stem_end < key.len() {
            hash(5, &key[stem_end..])
        } else {
            0
        },
        shape: shape_hash(surface),
        case: case_of(surface),
        ..WordInfo::default()
    };
    // The key's first four and last five characters, found in one pass each (the
    // tests check them against taking each affix by counting characters).
    let count = key.chars().count();
    let ends = key
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([key.len()]);
    for (n, end) in (1..=count.min(4)).zip(ends) {
        info.prefixes[n - 1] = hash(20 + n as u64, &key[..end]);
    }
    let starts = key.char_indices().rev().map(|(i, _)| i);
    for (n, start) in (1..=count.min(5)).zip(starts) {
        info.suffixes[n - 1] = hash(30 + n as u64, &key[start..]);
    }
    info
}

/// Computes [`WordInfo`] for every token of a document; `splits` tells the stems the
/// language's suffix chains leave. What depends on the word alone is kept in a
/// per-thread memo across documents (`super::memo`), apart for each `memo_owner`.
pub fn word_infos(
    text: &str,
    tokens: &[Token],
    splits: &super::ChainSplits,
    gazetteer: &[GazetteerBits],
    clusters: &super::clusters::Clusters,
    memo_owner: u64,
) -> Vec<WordInfo> {
    let mut infos: Vec<WordInfo> = Vec::with_capacity(tokens.len());
    super::memo::WORDS.with(|memo| {
        let mut memo = memo.borrow_mut();
        for (i, t) in tokens.iter().enumerate() {
            let surface = &text[t.start..t.end];
            let surface_hash = hash(2, surface);
            let gap_start = if i == 0 || tokens[i - 1].sentence != t.sentence {
                t.start
            } else {
                tokens[i - 1].end
            };
            let key = t.key.as_str();
            let mut info = memo
                .get(memo_owner, surface_hash, (surface, key), |info| {
                    *info = word_info(
                        surface,
                        surface_hash,
                        key,
                        splits.stem_len(i, key),
                        clusters,
                    )
                })
                .clone();
            info.gap_before = if gap_start == t.start {
                hash(4, "<s>")
            } else {
                gap_hash(&text[gap_start..t.start])
            };
            info.gazetteer = gazetteer.get(i).copied().unwrap_or(0);
            infos.push(info);
        }
    });
    let capitalised = |x: &WordInfo| x.case == CASE_CAPITALISED || x.case == CASE_UPPER;
    // Per word over the document: gazetteer bits before it, capitalised-run
    // positions, and bit 3 capitalised not first in a sentence, bit 4 lower case.
    let mut aggregate: super::perceptron::FeatureMap<(GazetteerBits, u8)> =
        super::perceptron::FeatureMap::with_capacity_and_hasher(infos.len(), Default::default());
    for i in 0..infos.len() {
        let same_sentence = |j: usize| tokens[j].sentence == tokens[i].sentence;
        let prev_bits = if i > 0 && same_sentence(i - 1) {
            infos[i - 1].gazetteer
        } else {
            0
        };
        let mut run = 0u8;
        if capitalised(&infos[i]) {
            let before = i > 0 && same_sentence(i - 1) && capitalised(&infos[i - 1]);
            let after = i + 1 < infos.len() && same_sentence(i + 1) && capitalised(&infos[i + 1]);
            run = match (before, after) {
                (false, true) => 1,
                (true, true) => 2,
                (true, false) => 4,
                (false, false) => 0,
            };
        }
        let first_in_sentence = i == 0 || !same_sentence(i - 1);
        if infos[i].case == CASE_CAPITALISED && !first_in_sentence {
            run |= 8;
        }
        if infos[i].case == CASE_LOWER {
            run |= 16;
        }
        let entry = aggregate.entry(infos[i].key).or_default();
        entry.0 |= prev_bits;
        entry.1 |= run;
    }
    for info in &mut infos {
        let (bits, run) = aggregate.get(&info.key).copied().unwrap_or_default();
        info.capitalised_elsewhere = run & 8 != 0;
        info.lower_elsewhere = run & 16 != 0;
        info.context_gazetteer = bits;
        info.run_positions = run & 7;
    }
    infos
}

/// Gazetteer bits of the cue kinds (title, organisation, place, landmark words), as
/// numbered in `gazetteer::KINDS`.
const CUE_BITS: GazetteerBits = 0b1111_1111 << 8;

const BOS: u64 = 0x5EED_0000_0000_0001;
const EOS: u64 = 0x5EED_0000_0000_0002;

/// Whether a sentence of two or more words has no lower-case or capitalised word
/// (a headline in capitals, as news wires write them).
pub fn all_capitals(sentence: &[WordInfo]) -> bool {
    sentence.len() > 1
        && sentence
            .iter()
            .all(|x| x.case != CASE_LOWER && x.case != CASE_CAPITALISED)
}

/// Appends the feature hashes of word `i` of `sentence` to `out`; `all_caps` is
/// [`all_capitals`] of the sentence.
pub fn features(sentence: &[WordInfo], i: usize, all_caps: bool, out: &mut Vec<u64>) {
    let w = &sentence[i];
    let at = |k: isize| -> Option<&WordInfo> {
        let j = i as isize + k;
        (j >= 0).then(|| sentence.get(j as usize)).flatten()
    };
    let key_at = |k: isize| at(k).map_or(if k < 0 { BOS } else { EOS }, |x| x.key);
    let shape_at = |k: isize| at(k).map_or(if k < 0 { BOS } else { EOS }, |x| x.shape);
    let case_at = |k: isize| at(k).map_or(if k < 0 { 9 } else { 10 }, |x| x.case as u64);
    let first = i == 0;
    let mut push = |template: u64, value: u64| out.push(mix(template, value));

    push(0, 0);
    push(1, w.key);
    push(2, w.surface);
    push(3, w.stem);
    for n in 0..4 {
        if w.prefixes[n] != 0 {
            push(4 + n as u64, w.prefixes[n]);
        }
        if w.suffixes[n] != 0 {
            push(8 + n as u64, w.suffixes[n]);
        }
    }
    if w.suffixes[4] != 0 {
        push(46, w.suffixes[4]);
    }
    push(47, mix(w.ending, w.case as u64));
    // Stem pairs: an inflected word and its neighbour (`Ազգային ժողովի`) share
    // evidence with their other case forms, which word pairs (22, 23) do not.
    push(55, mix(at(-1).map_or(BOS, |x| x.stem), w.stem));
    push(56, mix(w.stem, at(1).map_or(EOS, |x| x.stem)));
    // Cue words a few words ahead (an organisation word ending the name) or behind
    // (a title before a person), by distance.
    for k in 1..=4isize {
        for (offset, template) in [(k, 48u64), (-k, 49)] {
            let mut bits = at(offset).map_or(0, |x| x.gazetteer) & CUE_BITS;
            while bits != 0 {
                let b = bits.trailing_zeros() as u64;
                bits &= bits - 1;
                push(template, b << 4 | k as u64);
            }
        }
    }
    push(50, key_at(-3));
    push(51, key_at(3));
    for k in [0isize, -1, 1, -2, 2] {
        if let Some(x) = at(k) {
            cluster_features(x, k, &mut push);
        }
    }
    push(12, w.shape);
    push(13, (w.case as u64) << 1 | first as u64);
    push(14, key_at(-1));
    push(15, key_at(1));
    push(16, key_at(-2));
    push(17, key_at(2));
    push(18, at(-1).map_or(BOS, |x| x.stem));
    push(19, at(1).map_or(EOS, |x| x.stem));
    push(20, shape_at(-1));
    push(21, shape_at(1));
    push(22, mix(key_at(-1), w.key));
    push(23, mix(w.key, key_at(1)));
    push(24, case_at(-1) | case_at(0) << 8 | case_at(1) << 16);
    push(25, w.gap_before);
    let gap_after = at(1).map_or(EOS, |x| x.gap_before);
    push(26, gap_after);
    push(27, mix(w.gap_before, w.case as u64));
    push(28, mix(gap_after, w.case as u64));
    if all_caps {
        push(29, w.key);
    }
    push(
        30,
        (w.capitalised_elsewhere as u64)
            | (w.lower_elsewhere as u64) << 1
            | (first as u64) << 2
            | (w.case as u64) << 3,
    );
    push(31, mix(w.key, at(-1).map_or(BOS, |x| x.gap_before)));
    push(
        32,
        mix(at(-1).map_or(BOS, |x| x.suffixes[2]), w.case as u64),
    );
    push(33, mix(at(1).map_or(EOS, |x| x.suffixes[2]), w.case as u64));
    let mut bits = w.gazetteer;
    while bits != 0 {
        let k = bits.trailing_zeros() as u64;
        bits &= bits - 1;
        push(40, k);
        push(41, k << 8 | w.case as u64);
    }
    let mut bits = w.context_gazetteer;
    while bits != 0 {
        let k = bits.trailing_zeros() as u64;
        bits &= bits - 1;
        push(44, k);
    }
    push(45, (w.run_positions as u64) << 3 | w.case as u64);
    for (offset, template) in [(-1isize, 42u64), (1, 43)] {
        let mut bits = at(offset).map_or(0, |x| x.gazetteer);
        while bits != 0 {
            let k = bits.trailing_zeros() as u64;
            bits &= bits - 1;
            push(template, k);
        }
    }
}

/// Offsets, relative to the word being labelled, at which a word's own features are
/// summed once and cached (`emissions.rs`): the word itself and three words either
/// side. Index `k` of a cache entry holds the features for `WORD_OFFSETS[k]`.
pub const WORD_OFFSETS: [isize; 7] = [0, -1, 1, -2, 2, -3, 3];

/// The features of [`features`] that read only the word at `offset` from the labelled
/// one (its key, stem, shape, affixes), so their sum depends on that word alone.
/// Together with [`context_features`] they are exactly [`features`] (as a multiset).
pub fn word_features(w: &WordInfo, offset: isize, out: &mut Vec<u64>) {
    let mut push = |template: u64, value: u64| out.push(mix(template, value));
    cluster_features(w, offset, &mut push);
    match offset {
        0 => {
            push(0, 0);
            push(1, w.key);
            push(2, w.surface);
            push(3, w.stem);
            for n in 0..4 {
                if w.prefixes[n] != 0 {
                    push(4 + n as u64, w.prefixes[n]);
                }
                if w.suffixes[n] != 0 {
                    push(8 + n as u64, w.suffixes[n]);
                }
            }
            if w.suffixes[4] != 0 {
                push(46, w.suffixes[4]);
            }
            push(47, mix(w.ending, w.case as u64));
            push(12, w.shape);
        }
        -1 => {
            push(14, w.key);
            push(18, w.stem);
            push(20, w.shape);
        }
        1 => {
            push(15, w.key);
            push(19, w.stem);
            push(21, w.shape);
        }
        -2 => push(16, w.key),
        2 => push(17, w.key),
        -3 => push(50, w.key),
        3 => push(51, w.key),
        _ => {}
    }
}

/// The cluster prefixes of the word at `offset` (−2..=2) from the labelled one; none
/// for a word without a cluster.
fn cluster_features(w: &WordInfo, offset: isize, push: &mut impl FnMut(u64, u64)) {
    if !(-2..=2).contains(&offset) {
        return;
    }
    // Templates 60–79: four prefix lengths for each of the five offsets.
    let base = 60 + 4 * (offset + 2) as u64;
    for (n, &c) in w.clusters.iter().enumerate() {
        if c != 0 {
            push(base + n as u64, c);
        }
    }
}

/// What identifies a word's [`word_features`]: its surface (which fixes its key,
/// shape, case and affixes in one language) and its stem.
pub fn word_identity(w: &WordInfo) -> u64 {
    mix(w.surface, w.stem)
}

/// The features of [`features`] that are not [`word_features`] of a word in the
/// sentence: position, punctuation, case patterns, word pairs, gazetteer and document
/// evidence, and the sentence-boundary stand-ins for missing neighbours.
pub fn context_features(sentence: &[WordInfo], i: usize, all_caps: bool, out: &mut Vec<u64>) {
    let w = &sentence[i];
    let at = |k: isize| -> Option<&WordInfo> {
        let j = i as isize + k;
        (j >= 0).then(|| sentence.get(j as usize)).flatten()
    };
    let edge = |k: isize| if k < 0 { BOS } else { EOS };
    let key_at = |k: isize| at(k).map_or(edge(k), |x| x.key);
    let case_at = |k: isize| at(k).map_or(if k < 0 { 9 } else { 10 }, |x| x.case as u64);
    let first = i == 0;
    let mut push = |template: u64, value: u64| out.push(mix(template, value));
    for k in 1..=4isize {
        for (offset, template) in [(k, 48u64), (-k, 49)] {
            let mut bits = at(offset).map_or(0, |x| x.gazetteer) & CUE_BITS;
            while bits != 0 {
                let b = bits.trailing_zeros() as u64;
                bits &= bits - 1;
                push(template, b << 4 | k as u64);
            }
        }
    }
    // Missing neighbours: the features word_features would give them, with the
    // sentence-boundary values.
    for (offset, templates) in [
        (-1isize, &[14u64, 18, 20][..]),
        (1, &[15, 19, 21][..]),
        (-2, &[16][..]),
        (2, &[17][..]),
        (-3, &[50][..]),
        (3, &[51][..]),
    ] {
        if at(offset).is_none() {
            for &t in templates {
                push(t, edge(offset));
            }
        }
    }
    push(13, (w.case as u64) << 1 | first as u64);
    push(55, mix(at(-1).map_or(BOS, |x| x.stem), w.stem));
    push(56, mix(w.stem, at(1).map_or(EOS, |x| x.stem)));
    push(22, mix(key_at(-1), w.key));
    push(23, mix(w.key, key_at(1)));
    push(24, case_at(-1) | case_at(0) << 8 | case_at(1) << 16);
    push(25, w.gap_before);
    let gap_after = at(1).map_or(EOS, |x| x.gap_before);
    push(26, gap_after);
    push(27, mix(w.gap_before, w.case as u64));
    push(28, mix(gap_after, w.case as u64));
    if all_caps {
        push(29, w.key);
    }
    push(
        30,
        (w.capitalised_elsewhere as u64)
            | (w.lower_elsewhere as u64) << 1
            | (first as u64) << 2
            | (w.case as u64) << 3,
    );
    push(31, mix(w.key, at(-1).map_or(BOS, |x| x.gap_before)));
    push(
        32,
        mix(at(-1).map_or(BOS, |x| x.suffixes[2]), w.case as u64),
    );
    push(33, mix(at(1).map_or(EOS, |x| x.suffixes[2]), w.case as u64));
    let mut bits = w.gazetteer;
    while bits != 0 {
        let k = bits.trailing_zeros() as u64;
        bits &= bits - 1;
        push(40, k);
        push(41, k << 8 | w.case as u64);
    }
    let mut bits = w.context_gazetteer;
    while bits != 0 {
        let k = bits.trailing_zeros() as u64;
        bits &= bits - 1;
        push(44, k);
    }
    push(45, (w.run_positions as u64) << 3 | w.case as u64);
    for (offset, template) in [(-1isize, 42u64), (1, 43)] {
        let mut bits = at(offset).map_or(0, |x| x.gazetteer);
        while bits != 0 {
            let k = bits.trailing_zeros() as u64;
            bits &= bits - 1;
            push(template, k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first `n` characters of `s`, if it has as many.
    fn char_prefix(s: &str, n: usize) -> Option<&str> {
        let mut it = s.char_indices();
        let end = it.nth(n).map_or(s.len(), |(i, _)| i);
        (s[..end].chars().count() == n).then_some(&s[..end])
    }

    /// The last `n` characters of `s`, if it has as many.
    fn char_suffix(s: &str, n: usize) -> Option<&str> {
        let count = s.chars().count();
        if count < n {
            return None;
        }
        let start = s.char_indices().nth(count - n).map_or(0, |(i, _)| i);
        Some(&s[start..])
    }

    #[test]
    fn case_classes() {
        assert_eq!(case_of("Stepanakert"), CASE_CAPITALISED);
        assert_eq!(case_of("UNHCR"), CASE_UPPER);
        assert_eq!(case_of("Ադրբեջանից"), CASE_CAPITALISED);
        assert_eq!(case_of("ՄԱԿ-ի"), 4);
        assert_eq!(case_of("refugees"), CASE_LOWER);
        assert_eq!(case_of("1996"), 3);
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape_hash("Stepanakert"), shape_hash("Xy"));
        assert_eq!(shape_hash("U.S"), shape_hash("A.B"));
        assert_ne!(shape_hash("U.S"), shape_hash("US"));
        assert_eq!(gap_hash(" , "), gap_hash(","));
        assert_ne!(gap_hash(" ( "), gap_hash(" , "));
    }

    /// The affixes of a word are those `char_prefix` and `char_suffix` give, for keys
    /// shorter and longer than the affixes, in one- and two-byte letters.
    #[test]
    fn word_affixes_are_the_char_prefixes_and_suffixes() {
        let clusters = super::super::clusters::Clusters::default();
        for key in [
            "",
            "a",
            "ab",
            "abcd",
            "abcde",
            "abcdefgh",
            "ադ",
            "ադրբեջանից",
            "şuşa",
        ] {
            let info = word_info(key, 0, key, key.len(), &clusters);
            for n in 1..=5 {
                let prefix = char_prefix(key, n).map_or(0, |p| hash(20 + n as u64, p));
                let suffix = char_suffix(key, n).map_or(0, |s| hash(30 + n as u64, s));
                if n <= 4 {
                    assert_eq!(info.prefixes[n - 1], prefix, "{key} prefix {n}");
                }
                assert_eq!(info.suffixes[n - 1], suffix, "{key} suffix {n}");
            }
        }
    }

    #[test]
    fn prefixes_and_suffixes_count_characters() {
        assert_eq!(char_prefix("ադրբեջան", 2), Some("ադ"));
        assert_eq!(char_suffix("ադրբեջան", 3), Some("ջան"));
        assert_eq!(char_prefix("ab", 3), None);
    }

    /// The split used by the emission cache gives exactly the features the model was
    /// trained on, for every position of sentences of every length.
    #[test]
    fn word_and_context_features_are_all_features() {
        let words: Vec<WordInfo> = (0..9u64)
            .map(|i| WordInfo {
                key: 100 + i % 4,
                surface: 200 + i,
                stem: 300 + i % 3,
                shape: 400 + i % 2,
                case: (i % 5) as u8,
                prefixes: [1 + i, 0, 3, 4],
                suffixes: [5, 6 + i, 7, 0, 9],
                ending: i % 2,
                gap_before: 500 + i % 3,
                capitalised_elsewhere: i % 2 == 0,
                lower_elsewhere: i % 3 == 0,
                context_gazetteer: (i as u32) << 3,
                run_positions: (i % 8) as u8,
                gazetteer: (i as u32 * 0x1357) & 0xffff,
                cannot_begin: false,
                outside_names: false,
                clusters: if i % 4 == 3 {
                    [0; 4]
                } else {
                    [600 + i % 3, 700, 800 + i, 900 + i % 2]
                },
            })
            .collect();
        for n in 1..=words.len() {
            let sentence = &words[..n];
            for all_caps in [false, true] {
                for i in 0..n {
                    let mut expected = Vec::new();
                    features(sentence, i, all_caps, &mut expected);
                    let mut split = Vec::new();
                    context_features(sentence, i, all_caps, &mut split);
                    for offset in WORD_OFFSETS {
                        let j = i as isize + offset;
                        if j >= 0 && (j as usize) < n {
                            word_features(&sentence[j as usize], offset, &mut split);
                        }
                    }
                    expected.sort_unstable();
                    split.sort_unstable();
                    assert_eq!(expected, split, "sentence of {n}, word {i}");
                }
            }
        }
    }
}
