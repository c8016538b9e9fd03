//! `newsframe eval-context FILE.jsonl...`: scores speakers and stance on the annotated
//! dev set (`tests/context/README.md` has the format) the way a user's run sees them.
//! Each item becomes one article, its `context` then its `text`, through `prepare`
//! and every extractor; each gold mention is matched to the frame or figure row of
//! its kind that overlaps it. Over the matched mentions it prints speaker accuracy
//! (the predicted speaker equals the gold string or its written form, or names the
//! same entity; null when the gold is null) and precision / recall of `negated` and
//! `distanced`.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::extract::{Extractors, Mentions};
use crate::ingest::RawArticle;
use crate::prepare::Preparer;

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    #[serde(default)]
    context: String,
    text: String,
    mentions: Vec<GoldMention>,
}

#[derive(Debug, Deserialize)]
struct GoldMention {
    start: usize,
    end: usize,
    surface: String,
    kind: String,
    speaker: Option<String>,
    #[serde(default)]
    speaker_surface: Option<String>,
    negated: bool,
    distanced: bool,
}

/// One predicted frame or figure row, in characters of the article text.
#[derive(Debug, Clone)]
struct Row {
    kind: &'static str,
    start: usize,
    end: usize,
    speaker: Option<String>,
    speaker_entity_id: Option<Arc<str>>,
    negated: bool,
    distanced: bool,
}

fn rows(m: &Mentions) -> Vec<Row> {
    let frames = m.frames().iter().map(|f| Row {
        kind: "frame",
        start: f.base.start as usize,
        end: f.base.end as usize,
        speaker: f.base.attribution.speaker.clone(),
        speaker_entity_id: f.base.attribution.speaker_entity_id.clone(),
        negated: f.base.attribution.negated,
        distanced: f.base.attribution.distanced,
    });
    let figures = m.figures().iter().map(|f| Row {
        kind: "figure",
        start: f.base.start as usize,
        end: f.base.end as usize,
        speaker: f.attributed_to.clone(),
        speaker_entity_id: f.base.attribution.speaker_entity_id.clone(),
        negated: f.base.attribution.negated,
        distanced: f.base.attribution.distanced,
    });
    frames.chain(figures).collect()
}

/// True / false positives and false negatives of one flag.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Flag {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Flag {
    fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn merge(&mut self, o: Flag) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// Precision and recall; 1.0 when there is nothing to get wrong.
    /// `None` when there is nothing to measure (no predicted positive).
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0).then(|| ratio(self.tp, self.tp + self.fp))
    }

    /// `None` when the gold has no positive.
    pub fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0).then(|| ratio(self.tp, self.tp + self.fn_))
    }
}

/// A score with three decimals, or `–` when it is undefined.
fn show(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub file: String,
    pub items: usize,
    pub gold_mentions: usize,
    /// Gold mentions with a predicted row of their kind overlapping them.
    pub matched: usize,
    pub speaker_correct: usize,
    /// Of the matched mentions, those whose gold speaker is null / not null.
    pub speaker_null: usize,
    pub speaker_null_correct: usize,
    pub negated: Flag,
    pub distanced: Flag,
}

impl Report {
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.matched)
    }

    pub fn render(&self) -> String {
        let named = self.matched - self.speaker_null;
        let named_correct = self.speaker_correct - self.speaker_null_correct;
        format!(
            "{}: {} items, {} gold mentions, {} matched by a row\n  speaker accuracy {:.3} ({}/{}; named {}/{}, null {}/{})\n  negated   P {} R {} (tp {} fp {} fn {})\n  distanced P {} R {} (tp {} fp {} fn {})",
            self.file,
            self.items,
            self.gold_mentions,
            self.matched,
            self.speaker_accuracy(),
            self.speaker_correct,
            self.matched,
            named_correct,
            named,
            self.speaker_null_correct,
            self.speaker_null,
            show(self.negated.precision()),
            show(self.negated.recall()),
            self.negated.tp,
            self.negated.fp,
            self.negated.fn_,
            show(self.distanced.precision()),
            show(self.distanced.recall()),
            self.distanced.tp,
            self.distanced.fp,
            self.distanced.fn_,
        )
    }

    fn merge(&mut self, o: Report) {
        self.items += o.items;
        self.gold_mentions += o.gold_mentions;
        self.matched += o.matched;
        self.speaker_correct += o.speaker_correct;
        self.speaker_null += o.speaker_null;
        self.speaker_null_correct += o.speaker_null_correct;
        self.negated.merge(o.negated);
        self.distanced.merge(o.distanced);
    }
}

/// The text of the article an item becomes: the context, then the sentence, with a
/// paragraph break only where the context does not end a sentence (a heading).
fn article_text(item: &Item) -> (String, usize) {
    if item.context.is_empty() {
        return (item.text.clone(), 0);
    }
    let ends_sentence = item
        .context
        .chars()
        .last()
        .is_some_and(|c| ".!?։:…\"”»'’)".contains(c));
    let sep = if ends_sentence { " " } else { "\n\n" };
    let text = format!("{}{sep}{}", item.context, item.text);
    let offset = item.context.chars().count() + sep.chars().count();
    (text, offset)
}

fn char_find(hay: &str, needle: &str) -> Option<usize> {
    hay.find(needle).map(|b| hay[..b].chars().count())
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn evaluate_item(
    item: &Item,
    file: &str,
    k: usize,
    lang: Option<&str>,
    preparer: &Preparer,
    extractors: &Extractors,
    show_errors: bool,
) -> Report {
    let mut report = Report {
        items: 1,
        gold_mentions: item.mentions.len(),
        ..Report::default()
    };
    let (text, fallback) = article_text(item);
    let raw = RawArticle {
        id: Some(item.id.clone()),
        text,
        language_hint: lang.map(str::to_string),
        ..RawArticle::default()
    };
    let Ok(doc) = preparer.prepare(raw, Arc::from(file), k as u64) else {
        return report;
    };
    let mentions = extractors.extract(&doc);
    // Where the sentence sits in the prepared text (cleaning may have moved it).
    let offset = doc
        .text
        .rfind(&item.text)
        .map(|b| doc.text[..b].chars().count())
        .unwrap_or(fallback);
    let predicted = rows(&mentions);
    let entity_at = |s: usize, e: usize| {
        mentions
            .entities()
            .iter()
            .find(|m| overlaps((m.base.start as usize, m.base.end as usize), (s, e)))
            .and_then(|m| m.entity_id.clone())
    };
    for g in &item.mentions {
        let span = (offset + g.start, offset + g.end);
        let Some(row) = predicted
            .iter()
            .find(|r| r.kind == g.kind && overlaps((r.start, r.end), span))
        else {
            if show_errors {
                eprintln!("{}: no {} row for {:?}", item.id, g.kind, g.surface);
            }
            continue;
        };
        report.matched += 1;
        let written = g.speaker_surface.as_deref().or(g.speaker.as_deref());
        let correct = match (&g.speaker, &row.speaker) {
            (None, None) => true,
            (Some(gold), Some(p)) => {
                let gold_entity = written.and_then(|w| {
                    let at = char_find(&doc.text, w)?;
                    entity_at(at, at + w.chars().count())
                });
                p == gold
                    || Some(p.as_str()) == written
                    || (gold_entity.is_some() && gold_entity == row.speaker_entity_id)
            }
            _ => false,
        };
        if g.speaker.is_none() {
            report.speaker_null += 1;
            report.speaker_null_correct += usize::from(correct);
        }
        report.speaker_correct += usize::from(correct);
        report.negated.add(g.negated, row.negated);
        report.distanced.add(g.distanced, row.distanced);
        if show_errors {
            if !correct {
                eprintln!(
                    "{}: speaker of {:?}: gold {:?}, predicted {:?}",
                    item.id, g.surface, g.speaker, row.speaker
                );
            }
            if g.negated != row.negated {
                eprintln!(
                    "{}: negated of {:?}: gold {}, predicted {}",
                    item.id, g.surface, g.negated, row.negated
                );
            }
            if g.distanced != row.distanced {
                eprintln!(
                    "{}: distanced of {:?}: gold {}, predicted {}",
                    item.id, g.surface, g.distanced, row.distanced
                );
            }
        }
    }
    report
}

/// Scores one JSONL file; `lang` is the language hint (by default the file name's
/// stem when it is a language code, e.g. `en.jsonl`).
pub fn evaluate(
    file: &str,
    lang: Option<&str>,
    preparer: &Preparer,
    extractors: &Extractors,
    show_errors: bool,
) -> anyhow::Result<Report> {
    let body = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    let mut items = Vec::new();
    for (n, line) in body.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let item: Item = serde_json::from_str(line).with_context(|| format!("{file}:{}", n + 1))?;
        items.push(item);
    }
    if items.is_empty() {
        bail!("{file}: no items");
    }
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| s.len() == 2);
    let lang = lang.or(stem);
    let parts: Vec<Report> = items
        .par_iter()
        .enumerate()
        .map(|(k, item)| evaluate_item(item, file, k, lang, preparer, extractors, show_errors))
        .collect();
    let mut report = Report {
        file: Path::new(file).display().to_string(),
        ..Report::default()
    };
    for part in parts {
        report.merge(part);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_joins_with_a_space_or_a_paragraph() {
        let item = |context: &str| Item {
            id: "x".into(),
            context: context.into(),
            text: "B said.".into(),
            mentions: Vec::new(),
        };
        assert_eq!(
            article_text(&item("A left.")),
            ("A left. B said.".into(), 8)
        );
        assert_eq!(
            article_text(&item("Heading")),
            ("Heading\n\nB said.".into(), 9)
        );
        assert_eq!(article_text(&item("")), ("B said.".into(), 0));
    }

    #[test]
    fn flags_count_and_empty_is_undefined() {
        let mut f = Flag::default();
        assert_eq!((f.precision(), f.recall()), (None, None));
        f.add(true, true);
        f.add(false, true);
        f.add(true, false);
        f.add(false, false);
        assert_eq!((f.tp, f.fp, f.fn_), (1, 1, 1));
        assert_eq!(f.precision(), Some(0.5));
    }
}
