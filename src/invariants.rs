//! What must hold for any input, checked by the property tests (`tests/properties.rs`)
//! and the fuzz targets (`fuzz/`): readers and prepare never panic, every offset lies
//! inside the text on a character boundary, every number is finite.
//!
//! Each check returns the first broken invariant as an error message, so a property test
//! can report it and a fuzz target can panic on it.

use std::sync::Arc;

use crate::extract::{Extractors, MentionBase, Mentions};
use crate::ingest::{read_bytes, Payload, RawArticle, ReadLimits};
use crate::lexicon::LexiconSet;
use crate::prepare::{Document, Preparer};

/// Readers, prepare and the named extractors, loaded once for many checks.
pub struct Checker {
    pub preparer: Preparer,
    pub extractors: Extractors,
}

impl Checker {
    /// With the bundled lexicons; `extract` names the extractors (all when `None`).
    pub fn bundled(extract: Option<&[&str]>) -> Self {
        let lexicons = LexiconSet::bundled();
        let names: Option<Vec<String>> = extract.map(|l| l.iter().map(|s| s.to_string()).collect());
        Checker {
            preparer: Preparer::new(&lexicons).expect("bundled lexicons load"),
            extractors: Extractors::load(&lexicons, names.as_deref(), None)
                .expect("bundled extractors load"),
        }
    }

    /// Reads `bytes` as a file named `name` (the extension picks the format), resolves
    /// WARC records, and prepares and extracts each article.
    pub fn check_file(&self, name: &str, bytes: &[u8], limits: &ReadLimits) -> Result<(), String> {
        let mut articles = Vec::new();
        let mut last_index = None;
        let mut result = Ok(());
        read_bytes(name, bytes, limits, &mut |record| {
            if last_index.is_some_and(|last| record.input_record < last) {
                result = Err(format!("record index went back to {}", record.input_record));
            }
            last_index = Some(record.input_record);
            if let Payload::Article(a) = record.payload.resolve() {
                articles.push(a);
            }
            true
        });
        result?;
        for article in articles {
            self.check_article(article)?;
        }
        Ok(())
    }

    /// Checks a text the way the article fuzz targets read their input: the first line
    /// is the title, the rest the body.
    pub fn check_text(&self, input: &str) -> Result<(), String> {
        let (title, text) = input.split_once('\n').unwrap_or(("", input));
        self.check_article(RawArticle {
            title: Some(title.to_string()),
            text: text.to_string(),
            ..RawArticle::default()
        })
    }

    /// Prepares `raw` and runs the extractors on it; a reject is a fine outcome.
    pub fn check_article(&self, raw: RawArticle) -> Result<(), String> {
        let Ok(doc) = self.preparer.prepare(raw, Arc::from("fuzz"), 0) else {
            return Ok(());
        };
        check_document(&doc)?;
        check_mentions(&doc, &self.extractors.extract(&doc))
    }
}

fn boundary(text: &str, at: usize, what: &str) -> Result<(), String> {
    if text.is_char_boundary(at) {
        Ok(())
    } else {
        Err(format!(
            "{what} {at} is not a char boundary of a {}-byte text",
            text.len()
        ))
    }
}

/// Sentences and tokens: byte ranges inside the text, on character boundaries, in order.
pub fn check_document(doc: &Document) -> Result<(), String> {
    let text = &doc.text;
    boundary(text, doc.title_len, "title_len")?;
    let mut previous_end = 0;
    for s in &doc.sentences {
        boundary(text, s.start, "sentence start")?;
        boundary(text, s.end, "sentence end")?;
        if s.start > s.end || s.start < previous_end {
            return Err(format!("sentence {s:?} out of order after {previous_end}"));
        }
        previous_end = s.end;
    }
    for t in &doc.tokens {
        boundary(text, t.start, "token start")?;
        boundary(text, t.end, "token end")?;
        if t.start >= t.end {
            return Err(format!("empty or reversed token {}..{}", t.start, t.end));
        }
        if t.sentence >= doc.sentences.len().max(1) {
            return Err(format!(
                "token in sentence {} of {}",
                t.sentence,
                doc.sentences.len()
            ));
        }
        if let Some(s) = doc.sentences.get(t.sentence) {
            if t.start < s.start || t.end > s.end {
                return Err(format!(
                    "token {}..{} outside its sentence {s:?}",
                    t.start, t.end
                ));
            }
        }
    }
    if doc.n_chars != text.chars().count() {
        return Err(format!(
            "n_chars {} for {} chars",
            doc.n_chars,
            text.chars().count()
        ));
    }
    if !doc.lang_confidence.is_finite() {
        return Err(format!("lang_confidence {}", doc.lang_confidence));
    }
    Ok(())
}

/// Every mention's character offsets select its surface; every figure is finite.
pub fn check_mentions(doc: &Document, mentions: &Mentions) -> Result<(), String> {
    let chars: Vec<char> = doc.text.chars().collect();
    let check = |kind: &str, m: &MentionBase| -> Result<(), String> {
        let (start, end) = (m.start as usize, m.end as usize);
        if start > end || end > chars.len() {
            return Err(format!(
                "{kind} offsets {start}..{end} of {} chars",
                chars.len()
            ));
        }
        let slice: String = chars[start..end].iter().collect();
        if slice != m.surface {
            return Err(format!(
                "{kind} {start}..{end} is {slice:?}, surface {:?}",
                m.surface
            ));
        }
        if (m.sentence as usize) >= doc.sentences.len().max(1) {
            return Err(format!(
                "{kind} in sentence {} of {}",
                m.sentence,
                doc.sentences.len()
            ));
        }
        Ok(())
    };
    for (name, list) in mentions.iter() {
        for base in list.bases() {
            check(name, base)?;
        }
        list.check()?;
    }
    Ok(())
}
