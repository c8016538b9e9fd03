//! Extract: finds mentions in prepared documents. Each extractor is a named component
//! over the same [`Document`] (see `--extract`); they share the per-language suffix
//! rules, the mention context (quotes, speakers, negation) and one pass of term
//! matching: the words of every term matcher of a language (frames, entity forms,
//! speaker cues, the NER gazetteer, number words, units, qualifiers, figure cues) form
//! one [`terms::Vocabulary`], each document's tokens are scanned with it once
//! ([`terms::WordHits`]), and every matcher reads those hits.
//!
//! A new extractor that matches lexicon terms builds its matchers with
//! [`terms::TermMatcherBuilder`], implements [`TermMatchers`] so that
//! [`Extractors::load`] links them to the shared vocabulary, and takes the document's
//! `&WordHits` in its `extract` (see [`frames::Frames`] for a small one).

pub mod context;
pub mod entities;
pub mod figures;
mod forms;
pub mod frames;
pub mod ner;
pub mod terms;

use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::{self, Language};
use crate::prepare::Document;
use context::{Attribution, DocContext, EntitySpan, LanguageCues};
use entities::{Entities, EntityMention};
use figures::{FigureMention, Figures};
use frames::{FrameMention, Frames};
use std::sync::Arc;

use terms::{Suffixes, TermMatcher, Vocabulary};

/// The components `--extract` can name, in the order they run.
pub const COMPONENTS: [&str; 3] = ["frames", "entities", "figures"];

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

/// What the extractors found in one document.
#[derive(Debug, Default, Clone)]
pub struct Mentions {
    pub frames: Vec<FrameMention>,
    pub entities: Vec<EntityMention>,
    pub figures: Vec<FigureMention>,
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

pub struct Extractors {
    languages: Vec<LanguageData>,
    frames: Option<Frames>,
    entities: Option<Entities>,
    figures: Option<Figures>,
}

impl Extractors {
    /// Loads the named components (all of [`COMPONENTS`] when `enabled` is `None`),
    /// with the NER models in `models` (`<lang>.ner`) or the bundled ones.
    pub fn load(
        lexicons: &LexiconSet,
        enabled: Option<&[String]>,
        models: Option<&std::path::Path>,
    ) -> Result<Self, ner::LoadError> {
        let wants = |name: &str| enabled.is_none_or(|list| list.iter().any(|n| n == name));
        let mut data = LanguageData::load_all(lexicons)?;
        let frames = if wants("frames") {
            Some(Frames::load(lexicons, &data)?)
        } else {
            None
        };
        let entities = if wants("entities") {
            let taggers = ner::Taggers::load(models, lexicons, &data)?;
            Some(Entities::load(lexicons, &data, taggers)?)
        } else {
            None
        };
        let figures = if wants("figures") {
            Some(Figures::load(lexicons, &data)?)
        } else {
            None
        };
        let mut extractors = Extractors {
            languages: Vec::new(),
            frames,
            entities,
            figures,
        };
        extractors.share_vocabularies(&mut data);
        extractors.languages = data;
        Ok(extractors)
    }

    /// Links every term matcher of a language to one vocabulary, so that a document's
    /// tokens are scanned once for all of them.
    fn share_vocabularies(&mut self, data: &mut [LanguageData]) {
        let codes: Vec<&'static str> = data.iter().map(|d| d.language.code()).collect();
        let mut matchers: Vec<(&'static str, &mut TermMatcher)> = Vec::new();
        for d in data.iter_mut() {
            matchers.push((d.language.code(), d.cues.matcher_mut()));
        }
        if let Some(frames) = &mut self.frames {
            matchers.extend(frames.term_matchers());
        }
        if let Some(entities) = &mut self.entities {
            matchers.extend(entities.term_matchers());
        }
        if let Some(figures) = &mut self.figures {
            matchers.extend(figures.term_matchers());
        }
        let mut shared = Vec::new();
        for code in codes {
            let mut of_language: Vec<&mut TermMatcher> = matchers
                .iter_mut()
                .filter(|(c, _)| *c == code)
                .map(|(_, m)| &mut **m)
                .collect();
            shared.push(Vocabulary::share(&mut of_language));
        }
        drop(matchers);
        for (d, vocabulary) in data.iter_mut().zip(shared) {
            d.vocabulary = vocabulary;
        }
    }

    pub fn frames(&self) -> Option<&Frames> {
        self.frames.as_ref()
    }

    /// `(lang, xxh3)` of each NER model in use, for the manifest.
    pub fn model_hashes(&self) -> Vec<(String, String)> {
        self.entities
            .as_ref()
            .map(|e| e.taggers().hashes.clone())
            .unwrap_or_default()
    }

    pub fn entities(&self) -> Option<&Entities> {
        self.entities.as_ref()
    }

    pub fn figures(&self) -> Option<&Figures> {
        self.figures.as_ref()
    }

    pub fn extract(&self, doc: &Document) -> Mentions {
        let mut mentions = Mentions::default();
        let Some(data) = self
            .languages
            .iter()
            .find(|d| d.language.code() == doc.lang)
        else {
            return mentions;
        };
        let mut base = MentionBuilder::new(doc);
        let hits = data.vocabulary.scan(&doc.tokens);
        // Entities first: the names they find are the speakers the context credits.
        if let Some(entities) = &self.entities {
            entities.extract(doc, &hits, &mut base, &mut mentions.entities);
        }
        let spans = entity_spans(doc, &mentions.entities);
        let ctx = DocContext::with_entities(doc, &data.cues, &spans, &hits);
        if let Some(frames) = &self.frames {
            frames.extract(doc, &hits, &ctx, &mut base, &mut mentions.frames);
        }
        if let Some(figures) = &self.figures {
            figures.extract(doc, &hits, &ctx, &mut base, &mut mentions.figures);
            attribute_figures(doc, &ctx, &mut mentions.figures);
        }
        mentions
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

/// The entities stage's names as byte spans, for the context's speakers.
fn entity_spans(doc: &Document, entities: &[EntityMention]) -> Vec<EntitySpan> {
    if entities.is_empty() {
        return Vec::new();
    }
    let mut offsets: Vec<usize> = entities
        .iter()
        .flat_map(|e| [e.base.start as usize, e.base.end as usize])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let bytes = byte_offsets(&doc.text, &offsets);
    let byte = |c: u32| bytes[offsets.partition_point(|&o| o < c as usize)];
    entities
        .iter()
        .map(|e| EntitySpan {
            start: byte(e.base.start),
            end: byte(e.base.end),
            label: std::sync::Arc::clone(&e.label),
            entity_id: e.entity_id.clone(),
        })
        .collect()
}

/// Speaker and stance of each figure, from the tokens its text covers (the figures
/// extractor fills `attributed_to` by sentence; this refines it and adds stance).
fn attribute_figures(doc: &Document, ctx: &DocContext, figures: &mut [FigureMention]) {
    if figures.is_empty() {
        return;
    }
    let mut offsets: Vec<usize> = figures
        .iter()
        .flat_map(|f| [f.base.start as usize, f.base.end as usize])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let bytes = byte_offsets(&doc.text, &offsets);
    let byte = |c: u32| bytes[offsets.partition_point(|&o| o < c as usize)];
    for f in figures {
        let (start, end) = (byte(f.base.start), byte(f.base.end));
        let first = doc.tokens.partition_point(|t| t.end <= start);
        let last = doc
            .tokens
            .partition_point(|t| t.start < end)
            .saturating_sub(1);
        if first >= doc.tokens.len() || last < first {
            continue;
        }
        f.base.attribution = ctx.attribution(first, last);
        f.attributed_to = f.base.attribution.speaker.clone();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term matcher of a language reads the hits of one scan: the language's
    /// shared vocabulary.
    #[test]
    fn one_vocabulary_per_language() {
        let lexicons = LexiconSet::bundled();
        let mut extractors = Extractors::load(&lexicons, None, None).unwrap();
        let vocabularies: Vec<(&str, Arc<Vocabulary>)> = extractors
            .languages
            .iter()
            .map(|d| (d.language.code(), Arc::clone(&d.vocabulary)))
            .collect();
        let mut matchers = extractors.frames.as_mut().unwrap().term_matchers();
        matchers.extend(extractors.entities.as_mut().unwrap().term_matchers());
        matchers.extend(extractors.figures.as_mut().unwrap().term_matchers());
        // Frames and entity forms, two gazetteer matchers, five figure matchers.
        assert!(matchers.len() >= 3 * 9, "{} matchers", matchers.len());
        for (code, matcher) in matchers {
            let (_, shared) = vocabularies.iter().find(|(c, _)| *c == code).unwrap();
            assert!(Arc::ptr_eq(matcher.vocabulary(), shared), "{code}");
        }
        for (code, shared) in &vocabularies {
            assert!(shared.len() > 100, "{code}: {} words", shared.len());
        }
    }
}
