//! Annotated text for training and evaluating the labeller, read from the formats
//! public NER data comes in:
//! - CoNLL: a token in the first column and its tag in the last, blank lines between
//!   sentences, `-DOCSTART-` lines between documents; IOB1 or IOB2 tags;
//! - WikiANN TSV: `token<TAB>tag` (the same reader; the tab is a column separator);
//! - two files, sentences (tokens split by spaces) and tags, a sentence per line,
//!   given as `SENTENCES+TAGS`, or found by name (`x-sents.txt` next to `x-tags.txt`);
//! - doccano JSONL: `{"text", "labels": [[start, end, "PERSON"], ...]}` with
//!   character offsets.
//!
//! Token-based files become documents the way newsframe's evaluation builds them:
//! tokens joined by single spaces, one sentence a line, a document per `-DOCSTART-`
//! or else per 10 sentences. Types are mapped to PER, ORG, LOC and MISC (OntoNotes
//! PERSON, ORGANIZATION, GPE, LOCATION; see [`map_type`]); other types are not names.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Sentences per document for files without document markers.
pub const SENTENCES_PER_DOCUMENT: usize = 10;

/// A document with its gold names as byte ranges of `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedText {
    /// `file:line` of the document's first line.
    pub origin: String,
    pub text: String,
    pub spans: Vec<(Range<usize>, &'static str)>,
}

/// A problem in an input file, reported as `file:line: message`.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CorpusError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What a reader saw, beyond the documents.
#[derive(Debug, Default, Clone)]
pub struct ReadStats {
    /// Tags or types that are not names, with their counts (`DATE`, `NORP`, ...).
    pub ignored_types: BTreeMap<String, usize>,
}

/// newsframe's type for a tag's type: OntoNotes and CoNLL names map to PER, ORG, LOC
/// (GPE and LOCATION both) and MISC; anything else is not a name.
pub fn map_type(raw: &str) -> Option<&'static str> {
    match raw.to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => Some("PER"),
        "ORG" | "ORGANIZATION" | "ORGANISATION" => Some("ORG"),
        "LOC" | "LOCATION" | "GPE" => Some("LOC"),
        "MISC" => Some("MISC"),
        _ => None,
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Conll,
    Doccano,
    SentencesAndTags,
}

/// One input as named on the command line.
#[derive(Debug, Clone)]
pub struct Source {
    pub format: Format,
    pub path: PathBuf,
    /// The tags file of a sentences-and-tags pair.
    pub tags: Option<PathBuf>,
}

impl Source {
    /// Recognises the format from the name: `a+b` or `*sents*` with a `*tags*` sibling
    /// is a pair, `.jsonl`/`.json1` is doccano, anything else CoNLL-like columns.
    pub fn parse(arg: &str) -> Source {
        if let Some((sents, tags)) = arg.split_once('+') {
            return Source {
                format: Format::SentencesAndTags,
                path: sents.into(),
                tags: Some(tags.into()),
            };
        }
        let path = PathBuf::from(arg);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains("sents") {
            let sibling = path.with_file_name(name.replacen("sents", "tags", 1));
            if sibling.exists() {
                return Source {
                    format: Format::SentencesAndTags,
                    path,
                    tags: Some(sibling),
                };
            }
        }
        let format = if name.ends_with(".jsonl") || name.ends_with(".json1") {
            Format::Doccano
        } else {
            Format::Conll
        };
        Source {
            format,
            path,
            tags: None,
        }
    }

    pub fn read(&self, stats: &mut ReadStats) -> Result<Vec<AnnotatedText>, CorpusError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| CorpusError {
                file: p.display().to_string(),
                line: 0,
                message: e.to_string(),
            })
        };
        let file = self.path.display().to_string();
        match self.format {
            Format::Conll => read_conll(&file, &read(&self.path)?, stats),
            Format::Doccano => read_doccano(&file, &read(&self.path)?, stats),
            Format::SentencesAndTags => {
                let tags_path = self.tags.as_deref().unwrap_or(&self.path);
                read_pair(
                    &file,
                    &read(&self.path)?,
                    &tags_path.display().to_string(),
                    &read(tags_path)?,
                    stats,
                )
            }
        }
    }
}

/// A token sentence: (token, tag, line) triples.
type TokenSentence = Vec<(String, String, usize)>;

/// Builds documents from token sentences grouped into documents.
struct DocumentBuilder<'a> {
    file: &'a str,
    docs: Vec<AnnotatedText>,
}

impl<'a> DocumentBuilder<'a> {
    fn push(
        &mut self,
        sentences: &[TokenSentence],
        stats: &mut ReadStats,
    ) -> Result<(), CorpusError> {
        let Some(first_line) = sentences.iter().flatten().map(|t| t.2).next() else {
            return Ok(());
        };
        let mut text = String::new();
        let mut spans = Vec::new();
        for sentence in sentences {
            if !text.is_empty() {
                text.push('\n');
            }
            // (start byte, type) of the open span.
            let mut open: Option<(usize, &'static str)> = None;
            let mut last_end = text.len();
            for (k, (token, tag, line)) in sentence.iter().enumerate() {
                if k > 0 {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(token);
                let (prefix, ty) = split_tag(tag).ok_or_else(|| CorpusError {
                    file: self.file.into(),
                    line: *line,
                    message: format!("`{tag}` is not a tag (O, B-X, I-X)"),
                })?;
                let ty = match ty {
                    None => None,
                    Some(raw) => {
                        let mapped = map_type(raw);
                        if mapped.is_none() {
                            *stats.ignored_types.entry(raw.to_string()).or_default() += 1;
                        }
                        mapped
                    }
                };
                let continues = prefix == 'I' && open.is_some_and(|(_, t)| Some(t) == ty);
                if !continues {
                    if let Some((s, t)) = open.take() {
                        spans.push((s..last_end, t));
                    }
                    open = ty.map(|t| (start, t));
                }
                last_end = text.len();
            }
            if let Some((s, t)) = open {
                spans.push((s..last_end, t));
            }
        }
        self.docs.push(AnnotatedText {
            origin: format!("{}:{first_line}", self.file),
            text,
            spans,
        });
        Ok(())
    }
}

/// `O` → ('O', None); `B-PER` → ('B', Some("PER")); a bare `PER` (IO tags) is inside.
fn split_tag(tag: &str) -> Option<(char, Option<&str>)> {
    if tag.eq_ignore_ascii_case("o") {
        return Some(('O', None));
    }
    match tag.split_once('-') {
        Some((p, t)) if matches!(p, "B" | "I" | "E" | "S") && !t.is_empty() => {
            Some((if matches!(p, "B" | "S") { 'B' } else { 'I' }, Some(t)))
        }
        Some(_) => None,
        None if tag.chars().all(|c| c.is_ascii_alphanumeric()) && !tag.is_empty() => {
            Some(('I', Some(tag)))
        }
        None => None,
    }
}

fn read_conll(
    file: &str,
    content: &str,
    stats: &mut ReadStats,
) -> Result<Vec<AnnotatedText>, CorpusError> {
    let mut builder = DocumentBuilder {
        file,
        docs: Vec::new(),
    };
    let marked = content.lines().any(|l| l.starts_with("-DOCSTART-"));
    let mut doc: Vec<TokenSentence> = Vec::new();
    let mut sentence: TokenSentence = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line_no = n + 1;
        let trimmed = line.trim_end_matches('\r');
        if trimmed.starts_with("-DOCSTART-") {
            if !sentence.is_empty() {
                doc.push(std::mem::take(&mut sentence));
            }
            builder.push(&doc, stats)?;
            doc.clear();
            continue;
        }
        if trimmed.trim().is_empty() {
            if !sentence.is_empty() {
                doc.push(std::mem::take(&mut sentence));
                if !marked && doc.len() == SENTENCES_PER_DOCUMENT {
                    builder.push(&doc, stats)?;
                    doc.clear();
                }
            }
            continue;
        }
        let columns: Vec<&str> = if trimmed.contains('\t') {
            trimmed.split('\t').collect()
        } else {
            trimmed.split_whitespace().collect()
        };
        if columns.len() < 2 {
            return Err(CorpusError {
                file: file.into(),
                line: line_no,
                message: "expected a token and a tag separated by a space or tab".into(),
            });
        }
        let token = columns[0].trim();
        let tag = columns[columns.len() - 1].trim();
        if token.is_empty() {
            return Err(CorpusError {
                file: file.into(),
                line: line_no,
                message: "empty token".into(),
            });
        }
        sentence.push((token.to_string(), tag.to_string(), line_no));
    }
    if !sentence.is_empty() {
        doc.push(sentence);
    }
    builder.push(&doc, stats)?;
    Ok(builder.docs)
}

fn read_pair(
    file: &str,
    sentences: &str,
    tags_file: &str,
    tags: &str,
    stats: &mut ReadStats,
) -> Result<Vec<AnnotatedText>, CorpusError> {
    let mut builder = DocumentBuilder {
        file,
        docs: Vec::new(),
    };
    let sentence_lines: Vec<&str> = sentences.lines().collect();
    let tag_lines: Vec<&str> = tags.lines().collect();
    if sentence_lines.len() != tag_lines.len() {
        return Err(CorpusError {
            file: tags_file.into(),
            line: tag_lines.len().min(sentence_lines.len()) + 1,
            message: format!(
                "{} lines of tags for {} sentences",
                tag_lines.len(),
                sentence_lines.len()
            ),
        });
    }
    let mut doc = Vec::new();
    for (n, (s, t)) in sentence_lines.iter().zip(&tag_lines).enumerate() {
        let (words, labels): (Vec<&str>, Vec<&str>) = (
            s.split_whitespace().collect(),
            t.split_whitespace().collect(),
        );
        if words.len() != labels.len() {
            return Err(CorpusError {
                file: tags_file.into(),
                line: n + 1,
                message: format!("{} tags for {} tokens", labels.len(), words.len()),
            });
        }
        if words.is_empty() {
            continue;
        }
        doc.push(
            words
                .iter()
                .zip(&labels)
                .map(|(w, l)| (w.to_string(), l.to_string(), n + 1))
                .collect(),
        );
        if doc.len() == SENTENCES_PER_DOCUMENT {
            builder.push(&doc, stats)?;
            doc.clear();
        }
    }
    builder.push(&doc, stats)?;
    Ok(builder.docs)
}

#[derive(serde::Deserialize)]
struct DoccanoLine {
    text: String,
    #[serde(default, alias = "label")]
    labels: Vec<DoccanoSpan>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum DoccanoSpan {
    Triple(usize, usize, String),
    Object {
        start_offset: usize,
        end_offset: usize,
        label: String,
    },
}

fn read_doccano(
    file: &str,
    content: &str,
    stats: &mut ReadStats,
) -> Result<Vec<AnnotatedText>, CorpusError> {
    let mut docs = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| CorpusError {
            file: file.into(),
            line: n + 1,
            message,
        };
        let record: DoccanoLine =
            serde_json::from_str(line).map_err(|e| error(format!("not a doccano record: {e}")))?;
        // Character offsets to byte offsets.
        let mut bytes: Vec<usize> = record.text.char_indices().map(|(i, _)| i).collect();
        bytes.push(record.text.len());
        let mut spans = Vec::new();
        for span in record.labels {
            let (start, end, label) = match span {
                DoccanoSpan::Triple(s, e, l) => (s, e, l),
                DoccanoSpan::Object {
                    start_offset,
                    end_offset,
                    label,
                } => (start_offset, end_offset, label),
            };
            if start >= end || end >= bytes.len() {
                return Err(error(format!(
                    "span [{start}, {end}) is outside the text ({} characters)",
                    bytes.len() - 1
                )));
            }
            match map_type(&label) {
                Some(t) => spans.push((bytes[start]..bytes[end], t)),
                None => *stats.ignored_types.entry(label).or_default() += 1,
            }
        }
        spans.sort_by_key(|(r, _)| (r.start, r.end));
        docs.push(AnnotatedText {
            origin: format!("{file}:{}", n + 1),
            text: record.text,
            spans,
        });
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(doc: &AnnotatedText) -> Vec<(&str, &str)> {
        doc.spans
            .iter()
            .map(|(r, t)| (&doc.text[r.clone()], *t))
            .collect()
    }

    #[test]
    fn conll_iob1_and_iob2_give_the_same_spans() {
        let iob1 = "-DOCSTART- -X- O O\n\nEdmon NNP I-PER\nMarukyan NNP I-PER\nsaid VBD O\nArmenia NNP I-LOC\nB-LOC x B-LOC\n\nUN NNP I-ORG\n";
        let iob2 = "-DOCSTART- -X- O O\n\nEdmon NNP B-PER\nMarukyan NNP I-PER\nsaid VBD O\nArmenia NNP B-LOC\nB-LOC x B-LOC\n\nUN NNP B-ORG\n";
        let mut stats = ReadStats::default();
        let a = read_conll("a", iob1, &mut stats).unwrap();
        let b = read_conll("b", iob2, &mut stats).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].text, "Edmon Marukyan said Armenia B-LOC\nUN");
        assert_eq!(
            surfaces(&a[0]),
            vec![
                ("Edmon Marukyan", "PER"),
                ("Armenia", "LOC"),
                ("B-LOC", "LOC"),
                ("UN", "ORG")
            ]
        );
        assert_eq!(surfaces(&a[0]), surfaces(&b[0]));
    }

    #[test]
    fn files_without_markers_make_documents_of_ten_sentences() {
        let content: String = (0..25).map(|i| format!("w{i}\tB-PER\n\n")).collect();
        let docs = read_conll("w.tsv", &content, &mut ReadStats::default()).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].text.lines().count(), 10);
        assert_eq!(docs[2].spans.len(), 5);
        assert_eq!(docs[1].origin, "w.tsv:21");
    }

    #[test]
    fn doccano_character_offsets_and_ontonotes_types() {
        let line = r#"{"id": 1, "text": "Դոնալդ Թրամփը այցելեց Երևան", "labels": [[0, 13, "PERSON"], [22, 27, "GPE"], [0, 6, "DATE"]]}"#;
        let mut stats = ReadStats::default();
        let docs = read_doccano("d.jsonl", line, &mut stats).unwrap();
        assert_eq!(
            surfaces(&docs[0]),
            vec![("Դոնալդ Թրամփը", "PER"), ("Երևան", "LOC")]
        );
        assert_eq!(stats.ignored_types.get("DATE"), Some(&1));
    }

    #[test]
    fn pairs_of_sentence_and_tag_lines() {
        let docs = read_pair(
            "s",
            "İlham Əliyev Bakıda çıxış edib .\n",
            "t",
            "B-PER I-PER B-LOC O O O\n",
            &mut ReadStats::default(),
        )
        .unwrap();
        assert_eq!(
            surfaces(&docs[0]),
            vec![("İlham Əliyev", "PER"), ("Bakıda", "LOC")]
        );
    }

    #[test]
    fn bad_files_name_the_line() {
        let e = read_conll("x.conll", "Armenia\n", &mut ReadStats::default()).unwrap_err();
        assert_eq!(e.to_string().split(": ").next(), Some("x.conll:1"));
        let e = read_conll("x.conll", "a B-\nb O\n", &mut ReadStats::default()).unwrap_err();
        assert!(e.to_string().starts_with("x.conll:1: "), "{e}");
        let e = read_pair("s", "a b\n", "t", "O\n", &mut ReadStats::default()).unwrap_err();
        assert_eq!(e.to_string(), "t:1: 1 tags for 2 tokens");
        let e = read_doccano(
            "d",
            r#"{"text": "ab", "labels": [[0, 5, "PERSON"]]}"#,
            &mut ReadStats::default(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("d:1: span [0, 5)"), "{e}");
        let e = read_doccano("d", "{oops", &mut ReadStats::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("d:1: not a doccano record"),
            "{e}"
        );
    }
}
