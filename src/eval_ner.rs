//! `newsframe eval-ner FILE...`: scores the entity stage the way a user's run would
//! see it. Each document of the file (see [`crate::extract::ner::corpus`] for the
//! formats and how documents are built) goes through `prepare` and the entity
//! extractor as an article `{"id", "text", "language"}`; every `entities` row is
//! mapped to the whitespace-separated words its `[start, end)` overlaps, and counts
//! when those words and its label (`GPE` read as `LOC`) equal a gold name's. Prints
//! precision, recall and F1 per label and over PER, ORG and LOC.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::bail;
use rayon::prelude::*;
use serde::Serialize;

use crate::extract::ner::corpus::{AnnotatedText, ReadStats, Source};
use crate::extract::ner::train::{render_scores, score, Counts};
use crate::extract::ner::NameSpan;
use crate::extract::Extractors;
use crate::ingest::RawArticle;
use crate::prepare::Preparer;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub documents: usize,
    /// Documents detected as another language than the hint (their names are missed).
    pub other_language: usize,
    /// Documents whose text cleaning changed (offsets cannot be mapped exactly).
    pub changed_by_cleaning: usize,
    pub labels: BTreeMap<String, Counts>,
    pub overall: Counts,
}

impl Report {
    pub fn render(&self) -> String {
        format!(
            "{}: {} documents ({} detected as another language, {} changed by cleaning)\n{}",
            self.file,
            self.documents,
            self.other_language,
            self.changed_by_cleaning,
            render_scores(&self.labels, &self.overall)
        )
    }
}

/// Character ranges of the whitespace-separated words of `text`.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain([' ']).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// For each character offset of `cleaned` (and its end), the offset in `original` it
/// came from. Cleaning drops invisible characters and boilerplate lines, folds
/// whitespace and normalises to NFC, so a greedy walk that skips what was dropped
/// recovers the mapping; a character with no counterpart maps to the next one.
pub(crate) fn align(cleaned: &str, original: &str) -> Vec<usize> {
    const LOOKAHEAD: usize = 4096;
    let c: Vec<char> = cleaned.chars().collect();
    let o: Vec<char> = original.chars().collect();
    let mut map = Vec::with_capacity(c.len() + 1);
    let (mut i, mut j) = (0, 0);
    while i < c.len() {
        if j < o.len() && c[i] == o[j] {
            map.push(j);
            i += 1;
            j += 1;
        } else if j < o.len() && (o[j].is_whitespace() || invisible(o[j])) {
            j += 1;
        } else if c[i].is_whitespace() {
            map.push(j.min(o.len()));
            i += 1;
        } else if let Some(k) =
            (j..(j + LOOKAHEAD).min(o.len())).find(|&k| resumes(&c[i..], &o[k..]))
        {
            j = k;
        } else {
            map.push(j.min(o.len()));
            i += 1;
            j += 1;
        }
    }
    map.push(o.len());
    map
}

/// Characters cleaning removes: format and control characters (soft hyphen,
/// zero-width space and joiners, byte-order mark).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Whether `original` starts with the next few visible characters of `cleaned`.
fn resumes(cleaned: &[char], original: &[char]) -> bool {
    const CONFIRM: usize = 8;
    let visible = |s: &[char]| {
        s.iter()
            .copied()
            .filter(|c| !c.is_whitespace() && !invisible(*c))
            .take(CONFIRM)
            .collect::<Vec<char>>()
    };
    original.first() == cleaned.first() && visible(cleaned) == visible(original)
}

/// The words `[start, end)` (characters) overlaps, as a span with `label`.
fn word_span(words: &[(usize, usize)], start: usize, end: usize, label: &str) -> Option<NameSpan> {
    let first = words.iter().position(|&(s, e)| s < end && e > start)?;
    let last = words.iter().rposition(|&(s, e)| s < end && e > start)?;
    Some(NameSpan {
        first,
        last,
        label: if label == "GPE" {
            "LOC".into()
        } else {
            label.to_string()
        },
    })
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

pub fn evaluate(
    file: &str,
    lang: Option<&str>,
    preparer: &Preparer,
    extractors: &Extractors,
    show_errors: bool,
) -> anyhow::Result<Report> {
    let docs: Vec<AnnotatedText> = Source::parse(file).read(&mut ReadStats::default())?;
    if docs.is_empty() {
        bail!("{file}: no documents");
    }
    let results: Vec<(Vec<NameSpan>, Vec<NameSpan>, bool, bool)> = docs
        .par_iter()
        .enumerate()
        .map(|(k, doc)| {
            let words = words(&doc.text);
            let gold: Vec<NameSpan> = doc
                .spans
                .iter()
                .filter(|(_, t)| *t != "MISC")
                .filter_map(|(r, t)| {
                    word_span(
                        &words,
                        char_offset(&doc.text, r.start),
                        char_offset(&doc.text, r.end),
                        t,
                    )
                })
                .collect();
            let raw = RawArticle {
                id: Some(format!("doc-{k}")),
                text: doc.text.clone(),
                language_hint: lang.map(str::to_string),
                ..RawArticle::default()
            };
            let Ok(prepared) = preparer.prepare(raw, Arc::from(file), k as u64) else {
                return (gold, Vec::new(), true, false);
            };
            let other = lang.is_some_and(|l| prepared.lang != l);
            let changed = prepared.text != doc.text;
            let to_original = changed.then(|| align(&prepared.text, &doc.text));
            let original = |c: u32| to_original.as_ref().map_or(c as usize, |m| m[c as usize]);
            let predicted: Vec<NameSpan> = extractors
                .extract(&prepared)
                .entities()
                .iter()
                .filter_map(|m| {
                    word_span(
                        &words,
                        original(m.base.start),
                        original(m.base.end),
                        &m.label,
                    )
                })
                .collect();
            if show_errors && other {
                eprintln!(
                    "{}: detected as {} ({:.2})",
                    doc.origin, prepared.lang, prepared.lang_confidence
                );
            }
            if show_errors {
                let w: Vec<&str> = doc.text.split_whitespace().collect();
                let show = |s: &NameSpan| format!("{}:{}", w[s.first..=s.last].join(" "), s.label);
                for g in gold.iter().filter(|g| !predicted.contains(*g)) {
                    eprintln!("{}: missed {}", doc.origin, show(g));
                }
                for p in predicted.iter().filter(|p| !gold.contains(*p)) {
                    eprintln!("{}: wrong {}", doc.origin, show(p));
                }
            }
            (gold, predicted, other, changed)
        })
        .collect();
    let other_language = results.iter().filter(|r| r.2).count();
    let changed_by_cleaning = results.iter().filter(|r| r.3).count();
    let (labels, overall) = score(results.into_iter().map(|(g, p, _, _)| (g, p)));
    Ok(Report {
        file: Path::new(file).display().to_string(),
        documents: docs.len(),
        other_language,
        changed_by_cleaning,
        labels,
        overall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaned_offsets_map_back_to_the_original() {
        let original = "Ba\u{ad}kı  and\u{200b} Gəncə";
        let cleaned = "Bakı and Gəncə";
        let map = align(cleaned, original);
        let o: Vec<char> = original.chars().collect();
        let at = |i: usize| o[map[i]];
        assert_eq!(map.len(), cleaned.chars().count() + 1);
        assert_eq!((at(0), at(2), at(5), at(9)), ('B', 'k', 'a', 'G'));
        assert_eq!(map[9], 12);
        assert_eq!(*map.last().unwrap(), o.len());
    }

    #[test]
    fn rows_map_to_the_words_they_overlap() {
        let text = "Edmon Marukyan said (UNHCR) Armenia's";
        let w = words(text);
        assert_eq!(w.len(), 5);
        let s = word_span(&w, 0, 14, "PER").unwrap();
        assert_eq!((s.first, s.last), (0, 1));
        // "UNHCR" inside parentheses is the word "(UNHCR)".
        assert_eq!(word_span(&w, 21, 26, "ORG").unwrap().first, 3);
        assert_eq!(word_span(&w, 28, 35, "GPE").unwrap().label, "LOC");
        assert!(word_span(&w, 100, 101, "LOC").is_none());
    }
}
