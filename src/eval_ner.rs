//! `newsframe eval-ner FILE.conll`: runs the entity stage over the sentences of a
//! CoNLL file (token and tag per line, IOB or IOB2, blank line between sentences) and
//! scores it against the tags: precision, recall and F1 per label and overall, on
//! exact span matches.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use serde::Serialize;

use crate::extract::Extractors;
use crate::ingest::RawArticle;
use crate::lexicon::LexiconSet;
use crate::prepare::Preparer;

/// A labelled span over token indices (end exclusive).
type Span = (usize, usize, String);

#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq)]
pub struct Score {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    fn new(gold: usize, predicted: usize, correct: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(correct, predicted), ratio(correct, gold));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Score {
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub lang: String,
    pub sentences: usize,
    pub tokens: usize,
    pub labels: BTreeMap<String, Score>,
    pub overall: Score,
}

impl Report {
    pub fn render(&self) -> String {
        let mut out = format!(
            "{}: lang {}, {} sentences, {} tokens\n{:<8} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}\n",
            self.file,
            self.lang,
            self.sentences,
            self.tokens,
            "label",
            "gold",
            "pred",
            "ok",
            "precision",
            "recall",
            "F1"
        );
        let rows = self
            .labels
            .iter()
            .map(|(l, s)| (l.as_str(), s))
            .chain([("overall", &self.overall)]);
        for (label, s) in rows {
            let _ = writeln!(
                out,
                "{label:<8} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
                s.gold, s.predicted, s.correct, s.precision, s.recall, s.f1
            );
        }
        out
    }
}

/// Sentences of (token, tag) from CoNLL text; the tag is the last column.
fn parse(text: &str) -> anyhow::Result<Vec<Vec<(String, String)>>> {
    let mut sentences = vec![Vec::new()];
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !sentences.last().is_some_and(Vec::is_empty) {
                sentences.push(Vec::new());
            }
            continue;
        }
        let fields: Vec<&str> = line.split(['\t', ' ']).filter(|f| !f.is_empty()).collect();
        if fields.len() < 2 {
            bail!("line {}: expected a token and a tag", n + 1);
        }
        let tag = fields[fields.len() - 1];
        if tag != "O" && !(tag.starts_with("B-") || tag.starts_with("I-")) {
            bail!("line {}: tag `{tag}` is not O, B-X or I-X", n + 1);
        }
        sentences
            .last_mut()
            .expect("one sentence")
            .push((fields[0].to_string(), tag.to_string()));
    }
    sentences.retain(|s| !s.is_empty());
    Ok(sentences)
}

/// Gold spans from IOB2 or IOB1 tags: an I- tag after O or another type starts a span.
fn gold_spans(tags: &[&str]) -> BTreeSet<Span> {
    let mut spans = BTreeSet::new();
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (kind, label) = match tag.split_once('-') {
            Some((k, l)) => (k, l.to_string()),
            None => ("O", String::new()),
        };
        let continues = kind == "I" && open.as_ref().is_some_and(|(_, l)| *l == label);
        if !continues {
            if let Some((start, l)) = open.take() {
                spans.insert((start, i, l));
            }
            if kind != "O" {
                open = Some((i, label));
            }
        }
    }
    if let Some((start, l)) = open {
        spans.insert((start, tags.len(), l));
    }
    spans
}

pub fn evaluate(path: &Path, lang: Option<&str>, lexicons: &LexiconSet) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let sentences = parse(&text).with_context(|| path.display().to_string())?;
    if sentences.is_empty() {
        bail!("{}: no sentences", path.display());
    }
    // The sentences become one document, a blank line apart, so that sentence
    // segmentation and the speaker rules see what they would in an article.
    let mut doc_text = String::new();
    let mut token_chars: Vec<(usize, usize)> = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    let mut chars = 0usize;
    for (s, sentence) in sentences.iter().enumerate() {
        if s > 0 {
            doc_text.push_str("\n\n");
            chars += 2;
        }
        for (t, (token, tag)) in sentence.iter().enumerate() {
            if t > 0 {
                doc_text.push(' ');
                chars += 1;
            }
            let len = token.chars().count();
            token_chars.push((chars, chars + len));
            tags.push(tag);
            doc_text.push_str(token);
            chars += len;
        }
    }
    let preparer = Preparer::new(lexicons)?;
    let extractors = Extractors::load(lexicons, Some(&["entities".to_string()]))?;
    let raw = RawArticle {
        text: doc_text.clone(),
        ..RawArticle::default()
    };
    let doc = preparer
        .prepare_as(raw, Arc::from(path.display().to_string()), 0, lang)
        .map_err(|r| anyhow::anyhow!("{}: {}", r.reason, r.detail))?;
    if doc.text != doc_text {
        bail!("cleaning changed the text; the CoNLL tokens cannot be aligned");
    }
    // Sentence breaks are token-index boundaries too: a gold span never crosses one.
    let gold = gold_spans(&tags);
    let start_of: BTreeMap<usize, usize> = token_chars
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (*s, i))
        .collect();
    let end_of: BTreeMap<usize, usize> = token_chars
        .iter()
        .enumerate()
        .map(|(i, (_, e))| (*e, i))
        .collect();
    let predicted: BTreeSet<Span> = extractors
        .extract(&doc)
        .entities
        .into_iter()
        .map(|m| {
            let (s, e) = (m.base.start as usize, m.base.end as usize);
            match (start_of.get(&s), end_of.get(&e)) {
                (Some(&a), Some(&b)) => (a, b + 1, m.label.to_string()),
                // A span that does not fall on CoNLL token boundaries cannot be right.
                _ => (usize::MAX - s, usize::MAX - e, m.label.to_string()),
            }
        })
        .collect();
    let labels: BTreeSet<String> = gold
        .iter()
        .chain(&predicted)
        .map(|(_, _, l)| l.clone())
        .collect();
    let count =
        |set: &BTreeSet<Span>, label: &str| set.iter().filter(|(_, _, l)| l == label).count();
    let correct = gold
        .intersection(&predicted)
        .cloned()
        .collect::<BTreeSet<Span>>();
    let per_label = labels
        .iter()
        .map(|l| {
            (
                l.clone(),
                Score::new(count(&gold, l), count(&predicted, l), count(&correct, l)),
            )
        })
        .collect();
    Ok(Report {
        file: path.display().to_string(),
        lang: doc.lang.clone(),
        sentences: sentences.len(),
        tokens: tags.len(),
        labels: per_label,
        overall: Score::new(gold.len(), predicted.len(), correct.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_and_iob2_spans() {
        let tags = ["B-PER", "I-PER", "O", "I-GPE", "I-GPE", "B-GPE", "I-ORG"];
        let spans: Vec<Span> = gold_spans(&tags).into_iter().collect();
        assert_eq!(
            spans,
            vec![
                (0, 2, "PER".into()),
                (3, 5, "GPE".into()),
                (5, 6, "GPE".into()),
                (6, 7, "ORG".into())
            ]
        );
    }

    #[test]
    fn scores() {
        let s = Score::new(4, 2, 1);
        assert_eq!((s.precision, s.recall), (0.5, 0.25));
        assert!((s.f1 - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(Score::new(0, 0, 0).f1, 0.0);
    }

    #[test]
    fn bad_tags_are_reported_with_their_line() {
        let err = parse("Armenia\tB-GPE\nsaid\tX\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2"), "{err}");
    }
}
