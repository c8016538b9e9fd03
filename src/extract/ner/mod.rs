//! Named-entity recognition with a trained sequence labeller per language.
//!
//! The labeller reads the pipeline's own tokens ([`crate::prepare::Token`]): features
//! are computed from each word's folded key, its stem after the language's suffix
//! chains, its shape, the punctuation around it, its neighbours, document-wide
//! evidence (the same word capitalised elsewhere) and gazetteer hits from the
//! lexicons ([`features`](mod@features), [`gazetteer`]). An averaged structured perceptron scores
//! BIO labels and Viterbi decoding keeps the sequence well formed ([`perceptron`]);
//! `train-ner --algorithm crf` trains the same weights as a linear-chain CRF instead
//! ([`crf`]).
//! Models are files (`models/<lang>.ner`, [`model`]) trained by `newsframe train-ner`
//! ([`train`]) from the formats in [`corpus`].

pub mod clusters;
pub mod consistency;
pub mod corpus;
pub mod crf;
mod emissions;
pub mod features;
pub mod gazetteer;
mod memo;
pub mod model;
pub mod perceptron;
pub mod train;

use std::collections::HashMap;
use std::path::Path;

use crate::extract::terms::{Suffixes, WordHits};
use crate::extract::LanguageData;
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::Token;
use features::{all_capitals, features, word_infos};
use gazetteer::Gazetteer;
pub use model::{Model, ModelError};
use perceptron::decode;

/// Version of the feature templates; models record it and a mismatch is refused.
pub const FEATURE_SET: u32 = 4;

/// The same templates with word-cluster features ([`clusters`], `train-ner
/// --clusters`): a model of this set is loaded only with the cluster file it records,
/// and builds that know no clusters refuse it.
pub const FEATURE_SET_CLUSTERS: u32 = 5;

/// The models shipped in `models/`, built into the binary.
pub const BUNDLED: [(&str, &[u8]); 3] = [
    ("en", include_bytes!("../../../models/en.ner")),
    ("hy", include_bytes!("../../../models/hy.ner")),
    ("az", include_bytes!("../../../models/az.ner")),
];

/// A name the labeller found: tokens `first..=last` and its type (PER, ORG, LOC, MISC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSpan {
    pub first: usize,
    pub last: usize,
    pub label: String,
}

/// Where each token's key may be cut into a stem and a suffix chain of the language:
/// byte offsets after at least one character, ascending, the whole key included.
/// Checking chains is the costly part and most words repeat, so each key's cut points
/// are kept in a per-thread memo across documents (module `memo`).
pub struct ChainSplits {
    flat: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl ChainSplits {
    /// `owner`: the `memo::next_owner` id of whoever owns `suffixes`.
    pub fn new(suffixes: &Suffixes, owner: u64, tokens: &[Token]) -> Self {
        let mut flat: Vec<u32> = Vec::with_capacity(tokens.len() * 2);
        let mut ranges = Vec::with_capacity(tokens.len());
        memo::SPLITS.with(|memo| {
            let mut memo = memo.borrow_mut();
            for t in tokens {
                let key = t.key.as_str();
                let hash = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
                let cuts = memo.get(owner, hash, (key, ""), |cuts| {
                    cuts.clear();
                    let ends = key
                        .char_indices()
                        .map(|(i, _)| i)
                        .skip(1)
                        .chain([key.len()]);
                    cuts.extend(
                        ends.filter(|&i| suffixes.is_chain(&key[i..]))
                            .map(|i| i as u32),
                    );
                });
                let start = flat.len() as u32;
                flat.extend_from_slice(cuts);
                ranges.push((start, flat.len() as u32));
            }
        });
        ChainSplits { flat, ranges }
    }

    /// The cut points of token `i`'s key.
    pub fn of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let (a, b) = self.ranges[i];
        self.flat[a as usize..b as usize]
            .iter()
            .map(|&p| p as usize)
    }

    /// Length in bytes of token `i`'s stem: what the longest suffix chain leaves when
    /// at least three characters remain.
    pub fn stem_len(&self, i: usize, key: &str) -> usize {
        self.of(i)
            .find(|&p| key[..p].chars().nth(2).is_some())
            .unwrap_or(key.len())
    }
}

/// Computes the labeller's features for one language: its gazetteer and suffixes.
pub struct Featurizer {
    gazetteer: Gazetteer,
    suffixes: Suffixes,
    clusters: clusters::Clusters,
    /// Keeps this featurizer's words apart in the per-thread memos ([`memo`]).
    memo_owner: u64,
}

impl Featurizer {
    pub fn new(lexicons: &LexiconSet, data: &LanguageData) -> Result<Self, LexiconError> {
        Ok(Featurizer {
            gazetteer: Gazetteer::load(lexicons, data)?,
            suffixes: data.suffixes.clone(),
            clusters: clusters::Clusters::default(),
            memo_owner: memo::next_owner(),
        })
    }

    /// The same with word clusters ([`clusters`]) as features.
    pub fn with_clusters(mut self, clusters: clusters::Clusters) -> Self {
        self.clusters = clusters;
        // Word infos hold cluster prefixes: not those of the featurizer without them.
        self.memo_owner = memo::next_owner();
        self
    }

    /// The feature set a model trained with this featurizer has.
    pub fn feature_set(&self) -> u32 {
        if self.clusters.is_empty() {
            FEATURE_SET
        } else {
            FEATURE_SET_CLUSTERS
        }
    }

    /// Feature hashes of every token, sentence by sentence: `(features, offsets)` per
    /// sentence, with the token index each sentence starts at.
    pub fn sentence_features(
        &self,
        text: &str,
        tokens: &[Token],
    ) -> Vec<(usize, Vec<u64>, Vec<usize>)> {
        let infos = self.word_infos(text, tokens, None);
        Self::features_of(&infos, tokens)
    }

    /// [`Self::sentence_features`] from the document's word infos.
    fn features_of(
        infos: &[features::WordInfo],
        tokens: &[Token],
    ) -> Vec<(usize, Vec<u64>, Vec<usize>)> {
        let mut out = Vec::new();
        for (start, end) in sentence_ranges(tokens) {
            let words = &infos[start..end];
            let mut feats = Vec::with_capacity(words.len() * 48);
            let mut offsets = Vec::with_capacity(words.len() + 1);
            offsets.push(0);
            let all_caps = all_capitals(words);
            for i in 0..words.len() {
                features(words, i, all_caps, &mut feats);
                offsets.push(feats.len());
            }
            out.push((start, feats, offsets));
        }
        out
    }

    /// What the features need of every token of a document.
    fn word_infos(
        &self,
        text: &str,
        tokens: &[Token],
        hits: Option<&WordHits>,
    ) -> Vec<features::WordInfo> {
        let splits = ChainSplits::new(&self.suffixes, self.memo_owner, tokens);
        let bits = self.gazetteer.bits(tokens, text, &splits, hits);
        let mut infos = word_infos(
            text,
            tokens,
            &splits,
            &bits,
            &self.clusters,
            self.memo_owner,
        );
        for info in &mut infos {
            info.cannot_begin = self.gazetteer.cannot_begin(info.key());
        }
        // Dates: a month and the day number beside it ("19 sentyabr", "Oktyabrın 1-də",
        // "September 19", "սեպտեմբերի 19-ին"). Capitalised at a sentence's start or in a
        // dateline ("Bakı, 20 sentyabr"), the model joined them to the name beside them.
        let is_day = |t: &Token| text[t.start..t.end].starts_with(|c: char| c.is_ascii_digit());
        for i in 0..tokens.len() {
            if !self.gazetteer.is_month(infos[i].key(), infos[i].stem()) {
                continue;
            }
            let beside = [i.checked_sub(1), Some(i + 1)].into_iter().flatten();
            for j in beside.filter(|&j| j < tokens.len()) {
                if tokens[j].sentence == tokens[i].sentence && is_day(&tokens[j]) {
                    infos[i].outside_names = true;
                    infos[j].outside_names = true;
                }
            }
        }
        infos
    }
}

/// Rules out a name beginning at a word that never begins one (`not_name_start`:
/// a capitalised "How" or "Explainer" opening a headline), so that decoding chooses
/// the sentence's best labels without it: "How Nagorno-Karabakh emptied" gives the
/// place alone rather than a person "How Nagorno-Karabakh". The word may still be
/// inside a name. A word of a date is kept out of names altogether. `scores`: the
/// sentence's emissions, `labels.len()` per word.
fn forbid_begins(labels: &perceptron::Labels, words: &[features::WordInfo], scores: &mut [f32]) {
    let l = labels.len();
    for (i, w) in words.iter().enumerate() {
        let Some(row) = scores.get_mut(i * l..(i + 1) * l) else {
            break;
        };
        for (label, score) in row.iter_mut().enumerate().skip(1) {
            let begins = labels
                .type_of(label)
                .is_some_and(|t| labels.begin(t) == label);
            if w.outside_names || (w.cannot_begin && begins) {
                *score = f32::NEG_INFINITY;
            }
        }
    }
}

/// `(first, end)` token indices of each sentence.
fn sentence_ranges(tokens: &[Token]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let sentence = tokens.get(start)?.sentence;
        let end = start
            + tokens[start..]
                .iter()
                .take_while(|t| t.sentence == sentence)
                .count();
        let range = (start, end);
        start = end;
        Some(range)
    })
}

/// One language's model with the lexicon evidence it was trained with.
pub struct LanguageTagger {
    pub model: Model,
    featurizer: Featurizer,
    /// The model's transitions as Viterbi reads them, laid out once.
    lattice: perceptron::Lattice,
}

impl LanguageTagger {
    pub fn new(
        model: Model,
        lexicons: &LexiconSet,
        data: &LanguageData,
        clusters: clusters::Clusters,
    ) -> Result<Self, LexiconError> {
        Ok(LanguageTagger {
            lattice: perceptron::Lattice::new(model.transitions(), &model.labels),
            model,
            featurizer: Featurizer::new(lexicons, data)?.with_clusters(clusters),
        })
    }

    /// The language's suffix chains, as the features use them.
    pub fn suffixes(&self) -> &Suffixes {
        &self.featurizer.suffixes
    }

    /// The names in a document's tokens, in text order, with the document-level
    /// consistency pass ([`consistency`]) applied; `hits` are the tokens scanned with
    /// the language's shared vocabulary, if the caller has them.
    pub fn tag(&self, text: &str, tokens: &[Token], hits: Option<&WordHits>) -> Vec<NameSpan> {
        let infos = self.featurizer.word_infos(text, tokens, hits);
        let labels = &self.model.labels;
        let (mut out, mut path, mut scores) = (Vec::new(), Vec::new(), Vec::new());
        let mut all = Vec::with_capacity(tokens.len() * labels.len());
        for (start, end) in sentence_ranges(tokens) {
            let words = &infos[start..end];
            emissions::emissions(&self.model, words, all_capitals(words), &mut scores);
            forbid_begins(labels, words, &mut scores);
            self.lattice.decode(&scores, &mut path);
            spans_of(labels, &path, start, &mut out);
            all.extend_from_slice(&scores);
        }
        consistency::propagate(&infos, tokens, &mut out, &|s| {
            consistency::plausible(labels, &all, s)
        });
        out
    }
}

/// Tags with any scorer (the training loop's averaged weights, or a loaded model),
/// as [`LanguageTagger::tag`] does.
pub fn tag_with(
    scorer: &dyn perceptron::Scorer,
    labels: &perceptron::Labels,
    featurizer: &Featurizer,
    text: &str,
    tokens: &[Token],
) -> Vec<NameSpan> {
    let infos = featurizer.word_infos(text, tokens, None);
    let (mut out, mut path) = (Vec::new(), Vec::new());
    let l = labels.len();
    let mut all = Vec::with_capacity(tokens.len() * l);
    for (start, feats, offsets) in Featurizer::features_of(&infos, tokens) {
        let from = all.len();
        for w in offsets.windows(2) {
            let mut row = vec![0f32; l];
            for &f in &feats[w[0]..w[1]] {
                scorer.add_feature(f, &mut row);
            }
            all.extend_from_slice(&row);
        }
        forbid_begins(
            labels,
            &infos[start..start + offsets.len() - 1],
            &mut all[from..],
        );
        decode(scorer, labels, &all[from..], &mut path);
        spans_of(labels, &path, start, &mut out);
    }
    consistency::propagate(&infos, tokens, &mut out, &|s| {
        consistency::plausible(labels, &all, s)
    });
    out
}

/// Appends the spans a BIO label path encodes (token indices offset by `start`).
pub fn spans_of(
    labels: &perceptron::Labels,
    path: &[usize],
    start: usize,
    out: &mut Vec<NameSpan>,
) {
    let mut i = 0;
    while i < path.len() {
        let Some(t) = labels.type_of(path[i]) else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < path.len()
            && labels.is_inside(path[j + 1])
            && labels.type_of(path[j + 1]) == Some(t)
        {
            j += 1;
        }
        out.push(NameSpan {
            first: start + i,
            last: start + j,
            label: labels.types[t].clone(),
        });
        i = j + 1;
    }
}

/// The labellers of every language that has a model.
#[derive(Default)]
pub struct Taggers {
    by_language: HashMap<&'static str, LanguageTagger>,
    /// `(lang, xxh3 of the model file)`, for the manifest.
    pub hashes: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    #[error("{0}: no such folder of models")]
    NoFolder(String),
    #[error("{path}: not a word-cluster file of newsframe ({detail})")]
    Clusters { path: String, detail: String },
    #[error("{path}: model for `{found}` where `{expected}` was expected")]
    WrongLanguage {
        path: String,
        found: String,
        expected: String,
    },
}

impl Taggers {
    /// Loads `<lang>.ner` for every language from `dir`, or the bundled models.
    pub fn load(
        dir: Option<&Path>,
        lexicons: &LexiconSet,
        languages: &[LanguageData],
    ) -> Result<Self, LoadError> {
        if let Some(dir) = dir.filter(|d| !d.is_dir()) {
            return Err(LoadError::NoFolder(dir.display().to_string()));
        }
        // One thread per language: loading is most of a short run's start-up. Results
        // are taken in language order, so the first error reported and the manifest's
        // hashes do not depend on which thread finishes first.
        let loaded: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = languages
                .iter()
                .map(|data| scope.spawn(move || Self::load_one(dir, lexicons, data)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("model loading does not panic"))
                .collect()
        });
        let mut taggers = Taggers::default();
        for one in loaded {
            if let Some((code, hash, tagger)) = one? {
                taggers.hashes.push((code.to_string(), hash));
                taggers.by_language.insert(code, tagger);
            }
        }
        Ok(taggers)
    }

    /// The tagger of one language with the xxh3 of its model file, or `None` when no
    /// model exists for it.
    fn load_one(
        dir: Option<&Path>,
        lexicons: &LexiconSet,
        data: &LanguageData,
    ) -> Result<Option<(&'static str, String, LanguageTagger)>, LoadError> {
        let code = data.language.code();
        let (origin, bytes): (String, std::borrow::Cow<[u8]>) = match dir {
            Some(dir) => {
                let path = dir.join(format!("{code}.ner"));
                if !path.exists() {
                    return Ok(None);
                }
                let bytes = std::fs::read(&path).map_err(|source| ModelError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                (path.display().to_string(), bytes.into())
            }
            // An empty bundled file means no model was shipped for the language.
            None => match BUNDLED.iter().find(|(l, b)| *l == code && !b.is_empty()) {
                Some((_, bytes)) => (format!("models/{code}.ner (bundled)"), (*bytes).into()),
                None => return Ok(None),
            },
        };
        let model = Model::from_bytes(&bytes).map_err(|detail| ModelError::Format {
            path: origin.clone(),
            detail,
        })?;
        if model.header.lang != code {
            return Err(LoadError::WrongLanguage {
                path: origin,
                found: model.header.lang.clone(),
                expected: code.into(),
            });
        }
        let clusters = load_clusters(dir, code, &model, &origin)?;
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        let tagger = LanguageTagger::new(model, lexicons, data, clusters)?;
        Ok(Some((code, hash, tagger)))
    }

    pub fn get(&self, lang: &str) -> Option<&LanguageTagger> {
        self.by_language.get(lang)
    }
}

/// The xxh3 of the cluster file a model was trained with, if any.
pub fn model_clusters_hash(model: &Model) -> Option<&str> {
    model
        .header
        .training
        .get("how")?
        .get("clusters")?
        .get("xxh3")?
        .as_str()
}

/// The word clusters `model` was trained with: `<lang>.clusters.tsv` next to the
/// model in `dir` (the bundled models use none); a missing, corrupt or other file than
/// the one the model records is an error.
fn load_clusters(
    dir: Option<&Path>,
    code: &str,
    model: &Model,
    origin: &str,
) -> Result<clusters::Clusters, LoadError> {
    let expected = model_clusters_hash(model);
    if model.header.feature_set != FEATURE_SET_CLUSTERS {
        return Ok(clusters::Clusters::default());
    }
    let (Some(dir), Some(expected)) = (dir, expected) else {
        return Err(ModelError::Format {
            path: origin.into(),
            detail: "feature set with word clusters, but no cluster file recorded or at hand"
                .into(),
        }
        .into());
    };
    let path = dir.join(format!("{code}.clusters.tsv"));
    let origin = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|source| ModelError::Io {
        path: origin.clone(),
        source,
    })?;
    let clusters = clusters::Clusters::parse(&bytes).map_err(|detail| LoadError::Clusters {
        path: origin.clone(),
        detail,
    })?;
    if clusters.hash != expected {
        return Err(LoadError::Clusters {
            path: origin,
            detail: format!(
                "xxh3 {}, but the model was trained with the clusters of xxh3 {expected}",
                clusters.hash
            ),
        });
    }
    Ok(clusters)
}

impl crate::extract::TermMatchers for Taggers {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut crate::extract::terms::TermMatcher)> {
        self.by_language
            .iter_mut()
            .flat_map(|(code, tagger)| {
                tagger
                    .featurizer
                    .gazetteer
                    .term_matchers()
                    .into_iter()
                    .map(move |m| (*code, m))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::RawArticle;
    use crate::prepare::Preparer;

    /// A word that never begins a name is left out, and decoding re-chooses the rest
    /// of the sentence: "How Nagorno-Karabakh" scored as a person becomes the place.
    #[test]
    fn a_word_that_never_begins_a_name_is_left_out() {
        let labels = perceptron::Labels::new(vec!["PER".into(), "LOC".into()]);
        let scorer = perceptron::Trainer::new(labels.len());
        // O, B-PER, I-PER, B-LOC, I-LOC for "How", "Nagorno-Karabakh", "emptied".
        let mut scores = vec![
            0.0, 3.0, -9.0, 1.0, -9.0, //
            0.0, 0.5, 4.0, 2.0, 3.0, //
            1.0, 0.0, 0.0, 0.0, 0.0,
        ];
        let mut words = vec![features::WordInfo::default(); 3];
        let mut path = Vec::new();
        decode(&scorer, &labels, &scores, &mut path);
        assert_eq!(path, [1, 2, 0], "unconstrained: a person over both words");
        words[0].cannot_begin = true;
        forbid_begins(&labels, &words, &mut scores);
        decode(&scorer, &labels, &scores, &mut path);
        assert_eq!(path, [0, 3, 0], "the place alone");
        // Inside a name the word is allowed.
        let mut scores = vec![0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0];
        let mut words = vec![features::WordInfo::default(); 2];
        words[1].cannot_begin = true;
        forbid_begins(&labels, &words, &mut scores);
        decode(&scorer, &labels, &scores, &mut path);
        assert_eq!(path, [1, 2]);
    }

    /// The bundled models and the preparer that makes their documents.
    fn bundled() -> (Taggers, Preparer) {
        let lexicons = LexiconSet::bundled();
        let data = LanguageData::load_all(&lexicons).unwrap();
        let taggers = Taggers::load(None, &lexicons, &data).unwrap();
        (taggers, Preparer::new(&lexicons).unwrap())
    }

    /// `text` prepared as an article in `lang`.
    fn prepared(preparer: &Preparer, lang: &str, text: &str) -> crate::prepare::Document {
        let raw = RawArticle {
            text: text.into(),
            language_hint: Some(lang.into()),
            ..RawArticle::default()
        };
        preparer.prepare(raw, std::sync::Arc::from("t"), 0).unwrap()
    }

    /// A month and its day number stay out of names, so the name beside them comes out
    /// alone, in each language (datelines, and dates opening a sentence).
    #[test]
    fn dates_are_not_part_of_names() {
        let (taggers, preparer) = bundled();
        let texts = [
            (
                "az",
                "Oktyabrın 1-də Birləşmiş Millətlər Təşkilatının nümayəndələri Xankəndiyə gəlib.",
            ),
            (
                "az",
                "Bakı, 20 sentyabr. Azərbaycan Müdafiə Nazirliyi məlumat yayıb.",
            ),
            (
                "en",
                "On September 19 Azerbaijan's Defence Ministry announced the operation.",
            ),
            (
                "hy",
                "Սեպտեմբերի 19-ին Ադրբեջանի պաշտպանության նախարարությունը հայտարարեց.",
            ),
        ];
        for (lang, text) in texts {
            let doc = prepared(&preparer, lang, text);
            let names = taggers.get(lang).unwrap().tag(&doc.text, &doc.tokens, None);
            let spans: Vec<&str> = names
                .iter()
                .map(|n| &doc.text[doc.tokens[n.first].start..doc.tokens[n.last].end])
                .collect();
            assert!(!spans.is_empty(), "{lang}: no names in {text:?}");
            for span in &spans {
                assert!(
                    !span.chars().any(|c| c.is_ascii_digit()),
                    "{lang}: {spans:?}"
                );
                for month in ["Oktyabr", "sentyabr", "September", "Սեպտեմբեր"] {
                    assert!(!span.contains(month), "{lang}: {spans:?}");
                }
            }
        }
    }

    /// The cached, integer-summed emissions label exactly as summing every feature's
    /// weight does, in each language, on first sight of the words and from the cache.
    #[test]
    fn cached_emissions_tag_like_all_features() {
        let (taggers, preparer) = bundled();
        let texts = [
            (
                "en",
                "Edmon Marukyan, Armenia's ambassador-at-large, told Reuters in Yerevan \
                    that the UN must act. The European Union and Azerbaijan's foreign \
                    ministry disagreed on Monday, said Hikmet Hajiyev in Baku.",
            ),
            (
                "hy",
                "Էդմոն Մարուքյանը Երևանում հայտնել է, որ ՄԱԿ-ը պետք է գործի։ \
                    Ադրբեջանի ԱԳՆ-ն և Եվրոպական միությունը համաձայն չեն։",
            ),
            (
                "az",
                "Hikmət Hacıyev Bakıda bildirib ki, Azərbaycan Respublikası BMT ilə \
                    danışıqlar aparır. Avropa İttifaqı və Ermənistan XİN razılaşmayıb.",
            ),
        ];
        for (lang, text) in texts {
            let doc = prepared(&preparer, lang, text);
            let tagger = taggers.get(lang).unwrap();
            let plain = tag_with(
                &tagger.model,
                &tagger.model.labels,
                &tagger.featurizer,
                &doc.text,
                &doc.tokens,
            );
            assert!(!plain.is_empty(), "{lang}: the model finds names");
            for round in 0..2 {
                assert_eq!(
                    tagger.tag(&doc.text, &doc.tokens, None),
                    plain,
                    "{lang} {round}"
                );
            }
        }
    }
}
