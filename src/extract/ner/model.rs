//! The model file and the compact weight table the tagger reads.
//!
//! File layout: the magic `NEWSFRAME-NER` and a format version (u32, little endian),
//! then one zstd frame (with its content checksum) holding: the header length (u32)
//! and header (JSON, [`Header`]), the feature count (u32), the weight scale (f32), the
//! label count (u8), the feature hashes (u64 each, ascending), their weights (i16,
//! one per label, weight = value × scale) and the transitions (f32, `(labels + 1) ×
//! labels`, the last row being the sentence start).

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::perceptron::{Labels, Scorer};

const MAGIC: &[u8; 13] = b"NEWSFRAME-NER";
const VERSION: u32 = 1;
/// Most labels a model may have: `O` plus `B-`/`I-` of five entity types.
pub const MAX_LABELS: usize = 11;

/// Quantised label weights summed as integers ([`Model::add_quantised`]): four lanes
/// per packed weight word, [`MAX_LABELS`] rounded up to whole words. The lanes past a
/// model's labels stay 0.
pub type LabelSums = [i32; MAX_LABELS.div_ceil(4) * 4];

/// What a model file says about itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Header {
    pub lang: String,
    /// Entity types in label order (`B-T` is `1 + 2i`, `I-T` is `2 + 2i`).
    pub types: Vec<String>,
    /// Version of the feature templates in `features.rs`; a model trained with other
    /// templates is refused.
    pub feature_set: u32,
    /// How the model was trained (command line, data files with their hashes, seed).
    pub training: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a newsframe NER model ({detail})")]
    Format { path: String, detail: String },
}

/// Weights in an open-addressed table sized to the features it holds (load at most
/// 3/4). A slot is `stride` u64 words: the feature's key, then its label weights packed
/// four i16 to a word (24 bytes for three entity types, 32 for four or five), so a
/// lookup reads one or two adjacent cache lines and the tables of all languages stay
/// small (issue 16's memory bound: a power-of-two table of 32-byte slots took 33 MB).
pub struct Model {
    pub header: Header,
    pub labels: Labels,
    /// One bit per hash bucket of the features present: most features of a text are
    /// not in the model, and this small bitset (it stays in cache) answers for them
    /// without touching the table.
    present: Vec<u64>,
    table: Vec<u64>,
    /// Words per slot: one key word, then `ceil(labels / 4)` weight words.
    stride: usize,
    slots: usize,
    scale: f32,
    trans: Vec<f32>,
    features: usize,
    /// Distinguishes loaded models in the per-thread caches of [`super::emissions`].
    id: u64,
}

/// Source of [`Model::id`]: unique per model built in this process.
static NEXT_MODEL_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Bits of the presence filter: 2^21 bits, 256 KiB.
const FILTER_BITS: usize = 1 << 21;

/// The filter bucket of a key, from bits the table index does not use.
#[inline]
fn filter_bit(key: u64) -> usize {
    (key >> 40) as usize & (FILTER_BITS - 1)
}

/// The first slot to probe for a key, from its low 32 bits (the filter reads others).
#[inline]
fn home_slot(key: u64, slots: usize) -> usize {
    (((key & 0xffff_ffff) * slots as u64) >> 32) as usize
}

/// Weight `j` of a slot's packed weight words.
#[inline]
fn weight(words: &[u64], j: usize) -> i16 {
    (words[j / 4] >> (16 * (j % 4))) as u16 as i16
}

/// Key 0 marks an empty slot; a feature hashing to 0 is stored as 1.
#[inline]
fn slot_key(f: u64) -> u64 {
    f.max(1)
}

impl Scorer for Model {
    fn labels(&self) -> usize {
        self.labels.len()
    }

    #[inline]
    fn add_feature(&self, f: u64, scores: &mut [f32]) {
        if let Some(w) = self.entry(f) {
            for (j, s) in scores.iter_mut().enumerate().take(self.labels.len()) {
                *s += weight(w, j) as f32 * self.scale;
            }
        }
    }

    fn transition(&self, prev: Option<usize>, label: usize) -> f32 {
        let l = self.labels.len();
        self.trans[prev.unwrap_or(l) * l + label]
    }
}

impl Model {
    /// Builds a model from averaged weights, dropping features whose weights all
    /// round to zero.
    pub fn from_weights(header: Header, rows: &[(u64, Vec<f32>)], trans: Vec<f32>) -> Self {
        let labels = Labels::new(header.types.clone());
        let max = rows
            .iter()
            .flat_map(|(_, w)| w.iter())
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let mut keys = Vec::with_capacity(rows.len());
        let mut weights = Vec::with_capacity(rows.len() * labels.len());
        for (f, w) in rows {
            let q = w.iter().map(|x| (x / scale).round() as i16);
            if q.clone().any(|x| x != 0) {
                keys.push(*f);
                weights.extend(q);
            }
        }
        Self::from_quantised(header, labels, &keys, &weights, scale, trans)
    }

    fn from_quantised(
        header: Header,
        labels: Labels,
        keys: &[u64],
        weights: &[i16],
        scale: f32,
        trans: Vec<f32>,
    ) -> Self {
        let l = labels.len();
        let stride = 1 + l.div_ceil(4);
        let slots = keys.len() * 4 / 3 + 1;
        let mut table = vec![0u64; slots * stride];
        let mut present = vec![0u64; FILTER_BITS / 64];
        for (f, w) in keys.iter().zip(weights.chunks_exact(l)) {
            let key = slot_key(*f);
            let bit = filter_bit(key);
            present[bit / 64] |= 1 << (bit % 64);
            let mut i = home_slot(key, slots);
            while table[i * stride] != 0 && table[i * stride] != key {
                i = if i + 1 == slots { 0 } else { i + 1 };
            }
            let slot = &mut table[i * stride..(i + 1) * stride];
            slot[0] = key;
            for (j, &x) in w.iter().enumerate() {
                slot[1 + j / 4] |= (x as u16 as u64) << (16 * (j % 4));
            }
        }
        Model {
            header,
            labels,
            present,
            table,
            stride,
            slots,
            scale,
            trans,
            features: keys.len(),
            id: NEXT_MODEL_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn features(&self) -> usize {
        self.features
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// Transition weights, `labels + 1` rows of `labels`, the last from the sentence
    /// start (the layout [`super::perceptron::decode_with`] reads).
    pub fn transitions(&self) -> &[f32] {
        &self.trans
    }

    /// The factor that turns summed quantised weights into scores.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Adds the quantised weights of feature `f` to `sums` (one per label); summed as
    /// integers, the scores do not depend on the order features are added in.
    #[inline]
    pub fn add_quantised(&self, f: u64, sums: &mut LabelSums) {
        if let Some(w) = self.entry(f) {
            // A whole packed word at a time: its lanes past the last label hold 0.
            for (four, &word) in sums.chunks_exact_mut(4).zip(w) {
                for (k, s) in four.iter_mut().enumerate() {
                    *s += (word >> (16 * k)) as u16 as i16 as i32;
                }
            }
        }
    }

    /// The weight words of feature `f`, if the model has it.
    #[inline]
    fn entry(&self, f: u64) -> Option<&[u64]> {
        let key = slot_key(f);
        let bit = filter_bit(key);
        if self.present[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mut i = home_slot(key, self.slots);
        loop {
            let slot = &self.table[i * self.stride..(i + 1) * self.stride];
            if slot[0] == key {
                return Some(&slot[1..]);
            }
            if slot[0] == 0 {
                return None;
            }
            i = if i + 1 == self.slots { 0 } else { i + 1 };
        }
    }

    /// Features with their quantised weights, ascending by hash.
    fn rows(&self) -> Vec<(u64, Vec<i16>)> {
        let l = self.labels.len();
        let mut rows: Vec<(u64, Vec<i16>)> = self
            .table
            .chunks_exact(self.stride)
            .filter(|slot| slot[0] != 0)
            .map(|slot| (slot[0], (0..l).map(|j| weight(&slot[1..], j)).collect()))
            .collect();
        rows.sort_unstable_by_key(|(k, _)| *k);
        rows
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("header serialises");
        let rows = self.rows();
        let mut payload = Vec::new();
        payload.extend((header.len() as u32).to_le_bytes());
        payload.extend(&header);
        payload.extend((rows.len() as u32).to_le_bytes());
        payload.extend(self.scale.to_le_bytes());
        payload.push(self.labels.len() as u8);
        for (k, _) in &rows {
            payload.extend(k.to_le_bytes());
        }
        for (_, w) in &rows {
            for x in w {
                payload.extend(x.to_le_bytes());
            }
        }
        for t in &self.trans {
            payload.extend(t.to_le_bytes());
        }
        let mut out = Vec::from(&MAGIC[..]);
        out.extend(VERSION.to_le_bytes());
        let mut encoder = zstd::Encoder::new(&mut out, 19).expect("zstd encoder");
        encoder.include_checksum(true).expect("zstd checksum flag");
        encoder.write_all(&payload).expect("write to memory");
        encoder.finish().expect("finish zstd frame");
        out
    }

    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let io = |source| ModelError::Io {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let mut tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new("."))).map_err(io)?;
        tmp.write_all(&self.to_bytes()).map_err(io)?;
        // A model is data to share, not a secret: the usual file permissions.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
                .map_err(io)?;
        }
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    pub fn load(path: &Path) -> Result<Self, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes).map_err(|detail| ModelError::Format {
            path: path.display().to_string(),
            detail,
        })
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
            return Err("missing the NEWSFRAME-NER magic".into());
        }
        let version = u32::from_le_bytes(bytes[MAGIC.len()..MAGIC.len() + 4].try_into().unwrap());
        if version != VERSION {
            return Err(format!(
                "format version {version}, this build reads {VERSION}"
            ));
        }
        let mut payload = Vec::new();
        zstd::Decoder::new(&bytes[MAGIC.len() + 4..])
            .and_then(|mut d| d.read_to_end(&mut payload))
            .map_err(|e| format!("corrupt data: {e}"))?;
        let mut r = Reader {
            bytes: &payload,
            at: 0,
        };
        let header_len = r.u32()? as usize;
        let header: Header =
            serde_json::from_slice(r.take(header_len)?).map_err(|e| format!("bad header: {e}"))?;
        if header.feature_set != super::FEATURE_SET
            && header.feature_set != super::FEATURE_SET_CLUSTERS
        {
            return Err(format!(
                "trained with feature set {}, this build computes feature set {}",
                header.feature_set,
                super::FEATURE_SET
            ));
        }
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        let l = r.take(1)?[0] as usize;
        let labels = Labels::new(header.types.clone());
        if l != labels.len() || l > MAX_LABELS {
            return Err(format!("{l} labels for {} types", header.types.len()));
        }
        // Read straight into two flat arrays: a `Vec` per feature was most of a run's
        // start-up (half a million small allocations for the three models).
        let key_bytes = r.take(n.checked_mul(8).ok_or("too many features")?)?;
        let keys: Vec<u64> = key_bytes
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let weight_bytes = r.take(n.checked_mul(l * 2).ok_or("too many features")?)?;
        let weights: Vec<i16> = weight_bytes
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        let trans = (0..(l + 1) * l)
            .map(|_| r.f32())
            .collect::<Result<Vec<_>, _>>()?;
        if r.at != payload.len() {
            return Err("trailing bytes after the weights".into());
        }
        Ok(Self::from_quantised(
            header, labels, &keys, &weights, scale, trans,
        ))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("truncated model data")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model trained with other feature templates (feature set 3 before the stem
    /// pairs) is refused with the versions in the message, not used with wrong weights.
    #[test]
    fn a_model_of_another_feature_set_is_refused_clearly() {
        let header = |feature_set| Header {
            lang: "hy".into(),
            types: vec!["PER".into()],
            feature_set,
            training: serde_json::Value::Null,
        };
        let rows = vec![(42u64, vec![0.0, 1.0, -1.0])];
        let trans = vec![0.0; 3 * 4];
        let current = Model::from_weights(header(super::super::FEATURE_SET), &rows, trans.clone());
        assert!(Model::from_bytes(&current.to_bytes()).is_ok());
        let old = Model::from_weights(header(super::super::FEATURE_SET - 1), &rows, trans);
        let err = Model::from_bytes(&old.to_bytes()).err().expect("refused");
        assert!(
            err.contains(&format!("feature set {}", super::super::FEATURE_SET - 1))
                && err.contains(&format!("feature set {}", super::super::FEATURE_SET)),
            "{err}"
        );
    }

    /// Every feature reads back its own weights (negative ones and the largest label
    /// count included), features not in the model read nothing, and the file keeps its
    /// bytes through a load: the packed table is only a layout.
    #[test]
    fn packed_slots_give_back_each_features_weights() {
        for types in 1..=5usize {
            let labels = 1 + 2 * types;
            let header = Header {
                lang: "en".into(),
                types: (0..types).map(|t| format!("T{t}")).collect(),
                feature_set: super::super::FEATURE_SET,
                training: serde_json::Value::Null,
            };
            let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ types as u64;
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let rows: Vec<(u64, Vec<f32>)> = (0..5_000)
                .map(|_| {
                    let f = next();
                    let w = (0..labels)
                        .map(|_| (next() % 2001) as f32 - 1000.0)
                        .collect();
                    (f, w)
                })
                .collect();
            let trans = vec![0.5; (labels + 1) * labels];
            let model = Model::from_weights(header, &rows, trans);
            let scale = model.scale();
            for (f, w) in &rows {
                let mut sums = LabelSums::default();
                model.add_quantised(*f, &mut sums);
                for (j, x) in w.iter().enumerate() {
                    assert_eq!(sums[j], (x / scale).round() as i32, "label {j}");
                }
                assert!(sums[labels..].iter().all(|&s| s == 0));
            }
            let mut misses = 0;
            for _ in 0..5_000 {
                let mut sums = LabelSums::default();
                model.add_quantised(next(), &mut sums);
                misses += sums.iter().all(|&s| s == 0) as usize;
            }
            assert_eq!(misses, 5_000);
            let bytes = model.to_bytes();
            assert_eq!(Model::from_bytes(&bytes).unwrap().to_bytes(), bytes);
        }
    }
}
