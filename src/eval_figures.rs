//! `newsframe eval-figures FILE.jsonl...`: scores the figures stage the way a user's
//! run sees it. Each doccano record (`{"text", "labels"|"label": [[start, end, TYPE],
//! ...]}`, character offsets) goes through `prepare` and the figures extractor as an
//! article `{"id", "text", "language"}`.
//! - A gold MONEY, PERCENT, QUANTITY or CARDINAL span is found when a `figures` row
//!   of a category other than `date` overlaps it (recall per type).
//! - A row is right when it overlaps any numeric, DATE, TIME or ORDINAL gold span
//!   (precision over all rows).
//! - A found gold span whose text has digits has the right value when one of the
//!   overlapping rows has its number (value, lower or upper bound) as the gold text
//!   reads: the first number in it with the language's marks, times a scale word
//!   that follows it inside the span (`2,98 մլն` = 2 980 000).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::extract::figures::lexicon::FigureLexicon;
use crate::extract::Extractors;
use crate::ingest::RawArticle;
use crate::lexicon::LexiconSet;
use crate::prepare::Preparer;

/// Gold types a figure row must find.
pub const COUNTED: [&str; 4] = ["MONEY", "PERCENT", "QUANTITY", "CARDINAL"];
/// Gold types a row may overlap without being wrong.
const TOLERATED: [&str; 3] = ["DATE", "TIME", "ORDINAL"];

#[derive(Debug, Clone, Default, Serialize)]
pub struct TypeScore {
    pub gold: usize,
    pub found: usize,
    pub recall: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub file: String,
    pub documents: usize,
    /// Documents detected as another language than the hint.
    pub other_language: usize,
    /// Documents whose text cleaning changed (rows are mapped back to the file's offsets).
    pub changed_by_cleaning: usize,
    pub types: BTreeMap<String, TypeScore>,
    pub rows: usize,
    pub right_rows: usize,
    pub precision: f64,
    /// Found gold spans whose text has digits.
    pub digit_spans: usize,
    pub right_values: usize,
    pub value_accuracy: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Report {
    pub fn render(&self) -> String {
        let mut out = format!(
            "{}: {} documents ({} detected as another language, {} changed by cleaning)\n",
            self.file, self.documents, self.other_language, self.changed_by_cleaning
        );
        out.push_str(&format!(
            "{:<10} {:>6} {:>6} {:>7}\n",
            "type", "gold", "found", "recall"
        ));
        for (t, s) in &self.types {
            out.push_str(&format!(
                "{:<10} {:>6} {:>6} {:>7.3}\n",
                t, s.gold, s.found, s.recall
            ));
        }
        out.push_str(&format!(
            "precision  {:>6} rows, {:>6} right {:>7.3}\n",
            self.rows, self.right_rows, self.precision
        ));
        out.push_str(&format!(
            "values     {:>6} digit spans, {:>6} right {:>7.3}",
            self.digit_spans, self.right_values, self.value_accuracy
        ));
        out
    }
}

#[derive(serde::Deserialize)]
struct Record {
    text: String,
    #[serde(default, alias = "label")]
    labels: Vec<Span>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Span {
    Triple(usize, usize, String),
    Object {
        start_offset: usize,
        end_offset: usize,
        label: String,
    },
}

/// A gold span: character offsets (as the figure rows' `start`/`end`) and its text.
struct Gold {
    start: usize,
    end: usize,
    label: String,
    surface: String,
}

fn read_records(file: &str) -> anyhow::Result<Vec<(String, Vec<Gold>)>> {
    let content = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    let mut out = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(line)
            .with_context(|| format!("{file}:{}: not a doccano record", n + 1))?;
        let mut bytes: Vec<usize> = record.text.char_indices().map(|(i, _)| i).collect();
        bytes.push(record.text.len());
        let mut gold = Vec::new();
        for span in record.labels {
            let (s, e, label) = match span {
                Span::Triple(s, e, l) => (s, e, l),
                Span::Object {
                    start_offset,
                    end_offset,
                    label,
                } => (start_offset, end_offset, label),
            };
            if s >= e || e >= bytes.len() {
                anyhow::bail!("{file}:{}: span [{s}, {e}) is outside the text", n + 1);
            }
            gold.push(Gold {
                start: s,
                end: e,
                label: label.to_ascii_uppercase(),
                surface: record.text[bytes[s]..bytes[e]].to_string(),
            });
        }
        out.push((record.text, gold));
    }
    Ok(out)
}

/// How the gold text's numbers are read: the language's marks and scale words.
pub struct GoldReader {
    decimal: char,
    group: char,
    scales: Vec<(String, f64)>,
}

impl GoldReader {
    pub fn new(lexicons: &LexiconSet, lang: &str) -> anyhow::Result<Self> {
        let lexicon = FigureLexicon::load(lexicons, lang)?;
        let mark = |kind: &str, default: char| {
            lexicon
                .syntax(kind)
                .next()
                .and_then(|m| m.chars().next())
                .unwrap_or(default)
        };
        let mut scales: Vec<(String, f64)> = lexicon
            .numbers
            .iter()
            .filter(|n| n.kind == "scale")
            .map(|n| (n.form.to_lowercase(), n.value))
            .collect();
        // Longest first, so `million` is not read as `mil`.
        scales.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        Ok(GoldReader {
            decimal: mark("decimal_mark", '.'),
            group: mark("group_mark", ','),
            scales,
        })
    }

    /// The number the gold text states: a compound (`1 մլրդ 576 մլն`,
    /// `9 հազար 500`) is summed; otherwise the first number, signed (`-3+2`), times
    /// its scale word or the next number's (`5-6 մլն`, `3-ից 3,5 միլիոն`).
    pub fn value(&self, text: &str) -> Option<f64> {
        let items = self.items(text);
        let (first, first_scale) = *items.first()?;
        let compound = items.len() > 1
            && items[..items.len() - 1].iter().all(|i| i.1.is_some())
            && items.windows(2).all(|w| {
                let next = w[1].1.unwrap_or(1.0);
                w[0].1.is_some_and(|s| next < s && w[1].0 < s)
            });
        if compound {
            return Some(items.iter().map(|(v, s)| v * s.unwrap_or(1.0)).sum());
        }
        let scale = first_scale
            .or_else(|| items.get(1).and_then(|i| i.1))
            .unwrap_or(1.0);
        Some(first * scale)
    }

    /// The numbers of `text`, each with the scale word right after it.
    fn items(&self, text: &str) -> Vec<(f64, Option<f64>)> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            let negative = rest[..start].ends_with(['-', '−'])
                && !rest[..start]
                    .trim_end_matches(['-', '−'])
                    .ends_with(|c: char| c.is_ascii_digit());
            let digits = &rest[start..];
            let mut end = 0;
            for (i, c) in digits.char_indices() {
                let next_digit =
                    digits[i + c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit());
                let mark = c == self.decimal
                    || c == self.group
                    || matches!(c, ',' | '.' | '\u{2024}' | ' ' | '\u{a0}' | '\u{202f}');
                if c.is_ascii_digit() || (mark && next_digit) {
                    end = i + c.len_utf8();
                } else {
                    break;
                }
            }
            let number = digits[..end].replace('\u{2024}', ".");
            let after = digits[end..].trim_start().to_lowercase();
            let scale = self
                .scales
                .iter()
                .find(|(form, _)| after.starts_with(form.as_str()))
                .map(|s| s.1);
            let Some(value) = self.digits(&number, scale.is_some()) else {
                break;
            };
            out.push((if negative { -value } else { value }, scale));
            rest = &digits[end..];
        }
        out
    }

    fn digits(&self, number: &str, scale_follows: bool) -> Option<f64> {
        let spaced: Vec<&str> = number.split([' ', '\u{a0}', '\u{202f}']).collect();
        let groups_ok = |parts: &[&str]| {
            parts.len() > 1
                && (1..=3).contains(&parts[0].len())
                && parts[1..].iter().all(|p| p.len() == 3)
        };
        let joined: String;
        let number = if spaced.len() > 1 {
            // Spaces group thousands only in groups of three; otherwise read the first.
            let last = spaced.len() - 1;
            let whole: Vec<&str> = spaced[..last].to_vec();
            let tail = spaced[last];
            let tail_digits = tail.split([',', '.']).next().unwrap_or("");
            let mut all = whole.clone();
            all.push(tail_digits);
            if groups_ok(&all) {
                joined = format!("{}{}", whole.concat(), tail);
                &joined
            } else {
                spaced[0]
            }
        } else {
            number
        };
        let marks: Vec<char> = number.chars().filter(|c| !c.is_ascii_digit()).collect();
        let plain: String = match marks.as_slice() {
            [] => number.to_string(),
            [m] => {
                let (whole, frac) = number.split_once(*m)?;
                let decimal = if *m == self.decimal && frac.len() == 3 {
                    // `1,500` groups thousands unless a scale word follows (`1,5 մլն`).
                    scale_follows || self.decimal == self.group
                } else {
                    *m == self.decimal || frac.len() != 3
                };
                if decimal {
                    format!("{whole}.{frac}")
                } else {
                    format!("{whole}{frac}")
                }
            }
            many => {
                // Several marks: all but a differing last one group thousands.
                let last = *many.last()?;
                let all_same = many.iter().all(|&c| c == last);
                if all_same {
                    number.replace(last, "")
                } else {
                    let (whole, frac) = number.rsplit_once(last)?;
                    format!("{}.{frac}", whole.replace([',', '.'], ""))
                }
            }
        };
        plain.parse().ok()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

struct DocResult {
    found: Vec<(String, bool)>,
    rows: usize,
    right_rows: usize,
    digit_spans: usize,
    right_values: usize,
    other_language: bool,
    changed: bool,
}

pub fn evaluate(
    file: &str,
    lang: &str,
    lexicons: &LexiconSet,
    preparer: &Preparer,
    extractors: &Extractors,
    show_errors: bool,
) -> anyhow::Result<Report> {
    let records = read_records(file)?;
    anyhow::ensure!(!records.is_empty(), "{file}: no documents");
    let reader = GoldReader::new(lexicons, lang)?;
    let results: Vec<DocResult> = records
        .par_iter()
        .enumerate()
        .map(|(k, (text, gold))| {
            let raw = RawArticle {
                id: Some(format!("doc-{k}")),
                text: text.clone(),
                language_hint: Some(lang.to_string()),
                ..RawArticle::default()
            };
            let origin = format!("{file}:{}", k + 1);
            let mut result = DocResult {
                found: Vec::new(),
                rows: 0,
                right_rows: 0,
                digit_spans: 0,
                right_values: 0,
                other_language: false,
                changed: false,
            };
            let mut to_original = None;
            let rows = match preparer.prepare(raw, Arc::from(file), k as u64) {
                Ok(prepared) => {
                    result.other_language = prepared.lang != lang;
                    result.changed = prepared.text != *text;
                    // Rows point into the cleaned text; the gold into the file's.
                    if result.changed {
                        to_original = Some(crate::eval_ner::align(&prepared.text, text));
                    }
                    extractors
                        .extract(&prepared)
                        .into_of::<crate::extract::figures::FigureMention>()
                }
                Err(_) => Vec::new(),
            };
            let original = |c: u32| {
                to_original
                    .as_ref()
                    .map_or(c as usize, |m: &Vec<usize>| m[c as usize])
            };
            let overlaps = |g: &Gold, s: u32, e: u32| original(s) < g.end && original(e) > g.start;
            let mut lines = Vec::new();
            for g in gold.iter().filter(|g| COUNTED.contains(&g.label.as_str())) {
                let matched: Vec<_> = rows
                    .iter()
                    .filter(|r| &*r.category != "date" && overlaps(g, r.base.start, r.base.end))
                    .collect();
                let surface = g.surface.as_str();
                result.found.push((g.label.clone(), !matched.is_empty()));
                if matched.is_empty() {
                    lines.push(format!("{origin}: missed {}:{surface}", g.label));
                    continue;
                }
                if let Some(want) = surface
                    .contains(|c: char| c.is_ascii_digit())
                    .then(|| reader.value(surface))
                    .flatten()
                {
                    result.digit_spans += 1;
                    let right = matched.iter().any(|r| {
                        [Some(r.value), r.lower, r.upper]
                            .iter()
                            .flatten()
                            .any(|&v| close(v, want))
                    });
                    if right {
                        result.right_values += 1;
                    } else {
                        let got: Vec<String> =
                            matched.iter().map(|r| r.value.to_string()).collect();
                        lines.push(format!(
                            "{origin}: value {}:{surface} = {want}, rows {}",
                            g.label,
                            got.join(", ")
                        ));
                    }
                }
            }
            for r in &rows {
                result.rows += 1;
                let right = gold.iter().any(|g| {
                    (COUNTED.contains(&g.label.as_str()) || TOLERATED.contains(&g.label.as_str()))
                        && overlaps(g, r.base.start, r.base.end)
                });
                if right {
                    result.right_rows += 1;
                } else {
                    lines.push(format!(
                        "{origin}: wrong {} ({}, {})",
                        r.base.surface, r.category, r.value
                    ));
                }
            }
            if show_errors {
                for line in lines {
                    eprintln!("{line}");
                }
            }
            result
        })
        .collect();
    let mut report = Report {
        file: Path::new(file).display().to_string(),
        documents: records.len(),
        ..Report::default()
    };
    for t in COUNTED {
        report.types.insert(t.to_string(), TypeScore::default());
    }
    for r in &results {
        report.other_language += r.other_language as usize;
        report.changed_by_cleaning += r.changed as usize;
        report.rows += r.rows;
        report.right_rows += r.right_rows;
        report.digit_spans += r.digit_spans;
        report.right_values += r.right_values;
        for (label, found) in &r.found {
            let score = report.types.entry(label.clone()).or_default();
            score.gold += 1;
            score.found += *found as usize;
        }
    }
    for score in report.types.values_mut() {
        score.recall = ratio(score.found, score.gold);
    }
    report.precision = ratio(report.right_rows, report.rows);
    report.value_accuracy = ratio(report.right_values, report.digit_spans);
    Ok(report)
}

/// Adds the reports of several files into one (counts summed, ratios recomputed).
pub fn total(reports: &[Report]) -> Report {
    let mut sum = Report {
        file: "total".into(),
        ..Report::default()
    };
    for r in reports {
        sum.documents += r.documents;
        sum.other_language += r.other_language;
        sum.changed_by_cleaning += r.changed_by_cleaning;
        sum.rows += r.rows;
        sum.right_rows += r.right_rows;
        sum.digit_spans += r.digit_spans;
        sum.right_values += r.right_values;
        for (t, s) in &r.types {
            let e = sum.types.entry(t.clone()).or_default();
            e.gold += s.gold;
            e.found += s.found;
        }
    }
    for s in sum.types.values_mut() {
        s.recall = ratio(s.found, s.gold);
    }
    sum.precision = ratio(sum.right_rows, sum.rows);
    sum.value_accuracy = ratio(sum.right_values, sum.digit_spans);
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(lang: &str) -> GoldReader {
        GoldReader::new(&LexiconSet::bundled(), lang).unwrap()
    }

    #[test]
    fn gold_numbers_read_with_the_language_marks_and_scales() {
        let hy = reader("hy");
        assert_eq!(hy.value("2,98 մլն"), Some(2_980_000.0));
        assert_eq!(hy.value("100 մլն դրամ"), Some(100e6));
        assert_eq!(hy.value("10.000 դրամ"), Some(10_000.0));
        assert_eq!(hy.value("10 000 դրամ"), Some(10_000.0));
        assert_eq!(hy.value("49 կգ"), Some(49.0));
        assert_eq!(hy.value("1,500"), Some(1500.0));
        assert_eq!(hy.value("5-10%"), Some(5.0));
        assert_eq!(hy.value("հինգ"), None);
        let en = reader("en");
        assert_eq!(en.value("$1.5 million"), Some(1.5e6));
        assert_eq!(en.value("100,000 people"), Some(100_000.0));
        assert_eq!(en.value("2 1/2"), Some(2.0));
        assert_eq!(hy.value("1 մլրդ 576 մլն դրամ"), Some(1_576_000_000.0));
        assert_eq!(hy.value("9 հազար 500 դոլար"), Some(9_500.0));
        assert_eq!(hy.value("5-6 մլն դրամի"), Some(5e6));
        assert_eq!(hy.value("7\u{2024}93 մլրդ"), Some(7.93e9));
        assert_eq!(hy.value("-3+2"), Some(-3.0));
        assert_eq!(hy.value("4 հազարից ավելի"), Some(4000.0));
    }

    #[test]
    fn records_take_label_or_labels_and_character_offsets() {
        let dir = std::env::temp_dir().join(format!("nf-evalfig-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.jsonl");
        std::fs::write(
            &path,
            "{\"text\": \"Հայ 5 կգ\", \"label\": [[4, 8, \"QUANTITY\"]]}\n\n{\"text\": \"x\", \"labels\": []}\n",
        )
        .unwrap();
        let records = read_records(path.to_str().unwrap()).unwrap();
        assert_eq!(records.len(), 2);
        let (text, gold) = &records[0];
        assert_eq!((gold[0].start, gold[0].end), (4, 8));
        assert_eq!(gold[0].surface, "5 կգ");
        assert!(text.starts_with("Հայ"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
