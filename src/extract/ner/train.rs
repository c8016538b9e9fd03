//! `newsframe train-ner`: reads annotated files, projects their names onto the
//! pipeline's tokens, trains the averaged perceptron for a fixed number of epochs in
//! an order shuffled by `--seed` (so the same command gives the same model), and
//! prints per-label scores on the dev files after each epoch.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::corpus::{AnnotatedText, ReadStats, Source};
use super::crf::{Crf, FloatScorer, Sequence};
use super::model::{Header, Model};
use super::perceptron::{Labels, Scorer, Trainer};
use super::{tag_with, Featurizer, NameSpan};
use crate::prepare::{Preparer, Token};

/// Entity types a model learns; MISC is learnt where the data has it (so that it is
/// not confused with the others) but never written to the entities table.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// A document ready for training: tokens and the gold spans over them.
pub struct TokenDoc {
    pub text: String,
    pub tokens: Vec<Token>,
    pub gold: Vec<NameSpan>,
}

/// Projects byte-range names onto the pipeline's tokens: a token belongs to the name
/// it overlaps. Names split across sentences by the segmenter keep one span per part.
pub fn to_token_doc(doc: AnnotatedText, preparer: &Preparer, lang: &str) -> TokenDoc {
    let (_, tokens) = preparer.segment(&doc.text, lang);
    let mut gold: Vec<NameSpan> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; tokens.len()];
    for (k, (range, _)) in doc.spans.iter().enumerate() {
        for (i, t) in tokens.iter().enumerate() {
            if t.start < range.end && t.end > range.start && owner[i].is_none() {
                owner[i] = Some(k);
            }
        }
    }
    let mut i = 0;
    while i < tokens.len() {
        let Some(k) = owner[i] else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < tokens.len()
            && owner[j + 1] == Some(k)
            && tokens[j + 1].sentence == tokens[i].sentence
        {
            j += 1;
        }
        gold.push(NameSpan {
            first: i,
            last: j,
            label: doc.spans[k].1.to_string(),
        });
        i = j + 1;
    }
    TokenDoc {
        text: doc.text,
        tokens,
        gold,
    }
}

/// Reads every source, reporting types that are not names.
pub fn read_sources(
    sources: &[Source],
    log: &mut String,
) -> Result<Vec<AnnotatedText>, super::corpus::CorpusError> {
    let mut docs = Vec::new();
    for source in sources {
        let mut stats = ReadStats::default();
        let read = source.read(&mut stats)?;
        let _ = write!(log, "{}: {} documents", source.path.display(), read.len());
        if !stats.ignored_types.is_empty() {
            let ignored: Vec<String> = stats
                .ignored_types
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            let _ = write!(log, "; not names: {}", ignored.join(", "));
        }
        log.push('\n');
        docs.extend(read);
    }
    Ok(docs)
}

/// Precision, recall and F1 counts for one label.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: &Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores on exact spans per label; `overall` counts PER, ORG and LOC only.
pub fn score(
    pairs: impl Iterator<Item = (Vec<NameSpan>, Vec<NameSpan>)>,
) -> (BTreeMap<String, Counts>, Counts) {
    let mut labels: BTreeMap<String, Counts> = BTreeMap::new();
    for (gold, predicted) in pairs {
        for g in &gold {
            labels.entry(g.label.clone()).or_default().gold += 1;
            if predicted.contains(g) {
                labels.entry(g.label.clone()).or_default().correct += 1;
            }
        }
        for p in &predicted {
            labels.entry(p.label.clone()).or_default().predicted += 1;
        }
    }
    let mut overall = Counts::default();
    for (label, c) in &labels {
        if label != "MISC" {
            overall.add(c);
        }
    }
    (labels, overall)
}

pub fn render_scores(labels: &BTreeMap<String, Counts>, overall: &Counts) -> String {
    let mut out = format!(
        "{:<8} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6}\n",
        "label", "gold", "pred", "ok", "precision", "recall", "F1"
    );
    for (label, c) in labels
        .iter()
        .map(|(l, c)| (l.as_str(), c))
        .chain([("overall", overall)])
    {
        let _ = writeln!(
            out,
            "{label:<8} {:>6} {:>6} {:>6} {:>9.3} {:>7.3} {:>6.3}",
            c.gold,
            c.predicted,
            c.correct,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    out
}

/// One sentence's features and gold labels.
struct Example {
    features: Vec<u64>,
    offsets: Vec<usize>,
    gold: Vec<usize>,
}

fn examples(doc: &TokenDoc, featurizer: &Featurizer, labels: &Labels) -> Vec<Example> {
    let mut tags = vec![0usize; doc.tokens.len()];
    for span in &doc.gold {
        let Some(t) = labels.types.iter().position(|x| *x == span.label) else {
            continue;
        };
        tags[span.first] = labels.begin(t);
        for tag in &mut tags[span.first + 1..=span.last] {
            *tag = labels.begin(t) + 1;
        }
    }
    featurizer
        .sentence_features(&doc.text, &doc.tokens)
        .into_iter()
        .map(|(start, features, offsets)| {
            let n = offsets.len() - 1;
            Example {
                features,
                offsets,
                gold: tags[start..start + n].to_vec(),
            }
        })
        .collect()
}

/// splitmix64: a small seeded generator for the shuffle, so runs are reproducible.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        super::features::mix(self.0, 0)
    }
}

/// The training objective: both give weights for the same features, transitions and
/// decoder, so a model file does not say which one made it except in its header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Algorithm {
    /// The averaged structured perceptron ([`Trainer`]).
    Perceptron,
    /// A linear-chain CRF by SGD ([`Crf`]): `l2` the objective's L2 coefficient
    /// (loss + l2/2 · |w|²), `eta` the initial step size, and features whose weights all
    /// stay below `min_weight` left out of the model.
    Crf { l2: f64, eta: f64, min_weight: f64 },
}

impl Algorithm {
    fn describe(&self) -> serde_json::Value {
        match self {
            Algorithm::Perceptron => serde_json::json!("perceptron"),
            Algorithm::Crf {
                l2,
                eta,
                min_weight,
            } => serde_json::json!({"crf": {"l2": l2, "eta": eta, "min_weight": min_weight}}),
        }
    }
}

/// The weights being trained, by algorithm.
enum Learner {
    Perceptron(Trainer, Vec<Example>),
    Crf(Box<Crf>, Vec<Sequence>),
}

impl Learner {
    fn sentences(&self) -> usize {
        match self {
            Learner::Perceptron(_, e) => e.len(),
            Learner::Crf(_, s) => s.len(),
        }
    }
}

pub struct TrainOptions {
    pub lang: String,
    pub algorithm: Algorithm,
    pub epochs: usize,
    pub seed: u64,
    pub progress: bool,
    /// What to record in the model header about how it was made.
    pub provenance: serde_json::Value,
}

/// Trains a model; `on_epoch` receives a report after each epoch (dev scores when
/// `dev` is not empty).
pub fn train(
    train_docs: &[TokenDoc],
    dev_docs: &[TokenDoc],
    featurizer: &Featurizer,
    options: &TrainOptions,
    on_epoch: &mut dyn FnMut(usize, String),
) -> Model {
    let present: Vec<String> = TYPES
        .iter()
        .filter(|t| {
            train_docs
                .iter()
                .any(|d| d.gold.iter().any(|g| g.label == **t))
        })
        .map(|t| t.to_string())
        .collect();
    let labels = Labels::new(present.clone());
    let examples: Vec<Example> = train_docs
        .par_iter()
        .flat_map_iter(|d| examples(d, featurizer, &labels))
        .collect();
    let mut learner = match options.algorithm {
        Algorithm::Perceptron => Learner::Perceptron(Trainer::new(labels.len()), examples),
        Algorithm::Crf { .. } => {
            // Rows for every feature of the training data, in the examples' order.
            let mut crf = Box::new(Crf::new(labels.clone()));
            let seqs = examples
                .into_iter()
                .map(|e| crf.sequence(&e.features, &e.offsets, &e.gold))
                .collect();
            Learner::Crf(crf, seqs)
        }
    };
    let sentences = learner.sentences();
    let mut order: Vec<usize> = (0..sentences).collect();
    let mut rng = SplitMix(options.seed);
    let bar = if options.progress {
        let bar = ProgressBar::new((options.epochs * sentences) as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} sentences, {eta} left")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let header = |dev: serde_json::Value| Header {
        lang: options.lang.clone(),
        types: present.clone(),
        feature_set: featurizer.feature_set(),
        training: serde_json::json!({"how": options.provenance, "algorithm": options.algorithm.describe(),
            "epochs": options.epochs, "seed": options.seed, "sentences": sentences, "dev": dev}),
    };
    let mut scratch = Vec::new();
    let mut model = None;
    // SGD steps taken so far (the CRF's step-size clock).
    let mut steps = 0f64;
    for epoch in 1..=options.epochs {
        bar.set_message(format!("epoch {epoch}/{}", options.epochs));
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let (mut report, rows, trans) = match (&mut learner, options.algorithm) {
            (Learner::Perceptron(trainer, examples), _) => {
                let mut errors = 0usize;
                for &k in &order {
                    let e = &examples[k];
                    errors += trainer.learn(&labels, &e.features, &e.offsets, &e.gold, &mut scratch)
                        as usize;
                    bar.inc(1);
                }
                let (rows, trans) = trainer.averaged();
                let report = format!(
                    "epoch {epoch}: {errors} of {sentences} training sentences mislabelled, {} features\n",
                    trainer.features()
                );
                (report, rows, trans)
            }
            (
                Learner::Crf(crf, seqs),
                Algorithm::Crf {
                    l2,
                    eta,
                    min_weight,
                },
            ) => {
                let lambda = l2 / sentences.max(1) as f64;
                let mut loss = 0.0;
                for &k in &order {
                    loss += crf.step(&seqs[k], eta / (1.0 + eta * lambda * steps), lambda);
                    steps += 1.0;
                    bar.inc(1);
                }
                // The model is the mean of the second half of the epochs' weights.
                if 2 * epoch > options.epochs {
                    crf.accumulate();
                }
                let (rows, trans) = crf.weights(min_weight);
                let report = format!(
                    "epoch {epoch}: training loss {loss:.1}, {} of {} features kept\n",
                    rows.len(),
                    crf.features()
                );
                (report, rows, trans)
            }
            (Learner::Crf(..), Algorithm::Perceptron) => unreachable!("learner follows options"),
        };
        let mut dev_json = serde_json::Value::Null;
        let last = epoch == options.epochs;
        let float = (last && matches!(learner, Learner::Crf(..)) && !dev_docs.is_empty())
            .then(|| FloatScorer::new(labels.len(), &rows, trans.clone()));
        let candidate = Model::from_weights(header(serde_json::Value::Null), &rows, trans);
        if !dev_docs.is_empty() {
            let (per_label, overall) = evaluate(&candidate, featurizer, dev_docs);
            report.push_str(&render_scores(&per_label, &overall));
            if let Some(float) = &float {
                let (_, unquantised) = evaluate_with(float, &labels, featurizer, dev_docs);
                let _ = writeln!(
                    report,
                    "overall F1 with the unquantised weights {:.4}, with the model's 16-bit ones {:.4}",
                    unquantised.f1(),
                    overall.f1()
                );
            }
            dev_json = serde_json::json!({"labels": per_label.iter().map(|(l, c)| (l.clone(), [c.precision(), c.recall(), c.f1()])).collect::<BTreeMap<_, _>>(),
                "overall": [overall.precision(), overall.recall(), overall.f1()]});
        }
        bar.suspend(|| on_epoch(epoch, report));
        if epoch == options.epochs {
            let mut m = candidate;
            m.header = header(dev_json);
            model = Some(m);
        }
    }
    bar.finish_and_clear();
    model.unwrap_or_else(|| {
        // No epochs: a model that knows no features.
        let trans = vec![0.0; (labels.len() + 1) * labels.len()];
        Model::from_weights(header(serde_json::Value::Null), &[], trans)
    })
}

/// Scores a model on documents with gold spans over the same tokens.
pub fn evaluate(
    model: &Model,
    featurizer: &Featurizer,
    docs: &[TokenDoc],
) -> (BTreeMap<String, Counts>, Counts) {
    evaluate_with(model, &model.labels, featurizer, docs)
}

/// [`evaluate`] with any scorer.
fn evaluate_with(
    scorer: &(dyn Scorer + Sync),
    labels: &Labels,
    featurizer: &Featurizer,
    docs: &[TokenDoc],
) -> (BTreeMap<String, Counts>, Counts) {
    let pairs: Vec<(Vec<NameSpan>, Vec<NameSpan>)> = docs
        .par_iter()
        .map(|d| {
            let predicted = tag_with(scorer, labels, featurizer, &d.text, &d.tokens);
            (d.gold.clone(), predicted)
        })
        .collect();
    score(pairs.into_iter())
}
