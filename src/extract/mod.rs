//! Extract: finds mentions in prepared documents. Each extractor is a named component
//! over the same [`Document`] (see `--extract`); they share the per-language suffix
//! rules, the mention context (quotes, speakers, negation) and one pass of term
//! matching: the words of every term matcher of a language (frames, entity forms,
//! speaker cues, the NER gazetteer, number words, units, qualifiers, figure cues) form
//! one [`terms::Vocabulary`], each document's tokens are scanned with it once
//! ([`terms::WordHits`]), and every matcher reads those hits.
//!
//! Extractors implement [`Extractor`] and are listed in [`registry::EXTRACTORS`]; the
//! registry's documentation says how to add one. An extractor that matches lexicon
//! terms builds its matchers with [`terms::TermMatcherBuilder`] and returns them from
//! [`TermMatchers`], so that [`Extractors::load`] links them to the shared vocabulary,
//! and reads the document's hits from [`Shared`] (see [`frames::Frames`] for a small
//! one).

pub mod context;
pub mod entities;
pub mod figures;
mod forms;
pub mod frames;
pub mod ner;
pub mod registry;
pub mod terms;

use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::{self, Language};
use crate::prepare::Document;
use context::{Attribution, LanguageCues};
use std::sync::Arc;

pub use registry::{Extractor, Extractors, Mention, MentionList, Mentions, Shared, EXTRACTORS};
use terms::{Suffixes, TermMatcher, Vocabulary};

/// The columns every mention table shares (offsets in Unicode scalar values).
#[derive(Debug, Clone, PartialEq)]
pub struct MentionBase {
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub surface: String,
    pub context: String,
    pub in_title: bool,
    /// Speaker and stance, filled by the extractors that report them (frames, figures).
    pub attribution: Attribution,
}

/// Builds [`MentionBase`]s for one document, converting byte offsets to character
/// offsets with a cursor, which is cheap when mentions come in text order.
pub struct MentionBuilder<'a> {
    doc: &'a Document,
    byte: usize,
    chars: usize,
}

impl<'a> MentionBuilder<'a> {
    pub fn new(doc: &'a Document) -> Self {
        MentionBuilder {
            doc,
            byte: 0,
            chars: 0,
        }
    }

    fn char_offset(&mut self, byte: usize) -> u32 {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.doc.text[self.byte..byte].chars().count();
        self.byte = byte;
        u32::try_from(self.chars).unwrap_or(u32::MAX)
    }

    pub fn mention(&mut self, start: usize, end: usize, sentence: usize) -> MentionBase {
        let context = self
            .doc
            .sentences
            .get(sentence)
            .map_or("", |r| &self.doc.text[r.clone()]);
        MentionBase {
            sentence: sentence as u32,
            start: self.char_offset(start),
            end: self.char_offset(end),
            surface: self.doc.text[start..end].to_string(),
            context: context.to_string(),
            in_title: self.doc.in_title(start),
            attribution: Attribution::default(),
        }
    }
}

/// Per-language data the extractors share.
pub struct LanguageData {
    pub language: Box<dyn Language>,
    pub suffixes: Suffixes,
    pub cues: LanguageCues,
    /// The words of every term matcher of the language, scanned once per document
    /// (the cue words alone until [`Extractors::load`] links the extractors').
    pub vocabulary: Arc<Vocabulary>,
}

/// An extractor that holds term matchers, so that one [`Vocabulary`] per language
/// serves them all: `(language code, matcher)` for each.
pub trait TermMatchers {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)>;
}

impl LanguageData {
    /// The shared data of every language in the lexicon set.
    pub fn load_all(lexicons: &LexiconSet) -> Result<Vec<Self>, LexiconError> {
        let mut data = Vec::new();
        for language in languages::all(lexicons)? {
            let suffixes = Suffixes::load(lexicons, &*language)?;
            let cues = LanguageCues::load(lexicons, &*language, suffixes.clone())?;
            data.push(LanguageData {
                vocabulary: Arc::clone(cues.matcher().vocabulary()),
                language,
                suffixes,
                cues,
            });
        }
        Ok(data)
    }
}

/// Byte offsets of mentions' character offsets (their starts and ends), found in one
/// pass over the text: for the steps that go back from rows to tokens.
pub(crate) struct ByteSpans {
    chars: Vec<usize>,
    bytes: Vec<usize>,
}

impl ByteSpans {
    pub(crate) fn of<'a>(text: &str, mentions: impl Iterator<Item = &'a MentionBase>) -> Self {
        let mut chars: Vec<usize> = mentions
            .flat_map(|m| [m.start as usize, m.end as usize])
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let bytes = byte_offsets(text, &chars);
        ByteSpans { chars, bytes }
    }

    /// The byte range of a mention given to [`ByteSpans::of`].
    pub(crate) fn span(&self, m: &MentionBase) -> (usize, usize) {
        let byte = |c: u32| self.bytes[self.chars.partition_point(|&o| o < c as usize)];
        (byte(m.start), byte(m.end))
    }
}

/// Byte offset of each character offset in `wanted` (sorted ascending), one pass.
fn byte_offsets(text: &str, wanted: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(wanted.len());
    let mut chars = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let mut at = 0;
    let mut byte = chars.next().unwrap_or(0);
    for &w in wanted {
        while at < w {
            match chars.next() {
                Some(b) => byte = b,
                None => break,
            }
            at += 1;
        }
        out.push(byte);
    }
    out
}

/// Prepares `text` and runs every extractor with the bundled lexicons (for tests).
#[cfg(test)]
pub(crate) fn extract_text(text: &str) -> Mentions {
    use crate::ingest::RawArticle;
    let lexicons = LexiconSet::bundled();
    let raw = RawArticle {
        text: text.into(),
        ..RawArticle::default()
    };
    let doc = crate::prepare::Preparer::new(&lexicons)
        .unwrap()
        .prepare(raw, std::sync::Arc::from("test"), 0)
        .unwrap();
    Extractors::load(&lexicons, None, None)
        .unwrap()
        .extract(&doc)
}
