//! The extractors a run can use, and how they meet the rest of the pipeline.
//!
//! An extractor is a type implementing [`Extractor`]: it has a name (what `--extract`
//! takes and the folder of its table), term matchers linked to the language's shared
//! vocabulary, and an `extract` that reads a prepared [`Document`] with the shared
//! word hits (and the speakers context) and returns its mentions, a `Vec` of a type
//! implementing [`Mention`]. [`EXTRACTORS`] lists them with their loaders; the
//! pipeline's writer, `analyze`, `inspect`, the invariant checks and the manifest loop
//! over it, and `tables::mention_table` gives each name its row buffer.
//!
//! To add one (see `tests/extractor_example.rs` for a complete small extractor):
//! 1. a module in `src/extract/` with the extractor, its mention type (`impl Mention`)
//!    and `impl Extractor`; its lexicon files under `lexicons/<lang>/`;
//! 2. a line in [`EXTRACTORS`];
//! 3. its table: a row buffer in `src/tables/` implementing `MentionRows`, named in
//!    `tables::mention_table` (a test fails for an extractor without one), and its
//!    columns in README's data dictionary.

use std::any::Any;
use std::fmt::Debug;
use std::path::Path;

use super::context::{DocContext, EntitySpan};
use super::entities::Entities;
use super::figures::Figures;
use super::frames::Frames;
use super::terms::{TermMatcher, Vocabulary, WordHits};
use super::{ner, LanguageData, MentionBase, MentionBuilder, TermMatchers};
use crate::lexicon::LexiconSet;
use crate::prepare::Document;

/// What an extractor reads besides the document.
pub struct Shared<'a> {
    /// The document's tokens scanned once with the language's shared vocabulary.
    pub hits: &'a WordHits,
    /// Quotes, speakers and stance of the document; `None` for the extractors that
    /// name the speakers ([`Extractor::names_speakers`]), which run before it exists.
    pub context: Option<&'a DocContext<'a>>,
}

/// A component that finds one kind of mention in prepared documents.
pub trait Extractor: TermMatchers + Any + Send + Sync {
    /// The name `--extract` takes; also the folder of its table.
    fn name(&self) -> &'static str;

    /// True for an extractor whose mentions are the names speakers are resolved to
    /// (entities): it runs first, without a context, and its mentions build it.
    fn names_speakers(&self) -> bool {
        false
    }

    /// The mentions of one document, in text order.
    fn extract(
        &self,
        doc: &Document,
        shared: &Shared<'_>,
        base: &mut MentionBuilder,
    ) -> Box<dyn MentionList>;

    /// `(lang, xxh3)` of each model file it uses, for the manifest.
    fn model_hashes(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// One row of an extractor's table, before it is a row.
pub trait Mention: Debug + Send + 'static {
    fn base(&self) -> &MentionBase;

    /// One line for `newsframe inspect` (without the newline).
    fn describe(&self) -> String;

    /// Checks beyond the offsets (e.g. finite values), for the invariant checker.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }

    /// The names in `mentions` that speakers may resolve to (see
    /// [`Extractor::names_speakers`]).
    fn speaker_names(_doc: &Document, _mentions: &[Self]) -> Vec<EntitySpan>
    where
        Self: Sized,
    {
        Vec::new()
    }
}

/// An extractor's mentions of one document, with their type erased.
pub trait MentionList: Debug + Send {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn bases(&self) -> Vec<&MentionBase>;
    fn check(&self) -> Result<(), String>;
    fn describe(&self) -> Vec<String>;
    fn speaker_names(&self, doc: &Document) -> Vec<EntitySpan>;
    /// The mention type's name, for messages.
    fn mention_type(&self) -> &'static str;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<M: Mention> MentionList for Vec<M> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn bases(&self) -> Vec<&MentionBase> {
        self.iter().map(M::base).collect()
    }
    fn check(&self) -> Result<(), String> {
        self.iter().try_for_each(M::check)
    }
    fn describe(&self) -> Vec<String> {
        self.iter().map(M::describe).collect()
    }
    fn speaker_names(&self, doc: &Document) -> Vec<EntitySpan> {
        M::speaker_names(doc, self)
    }
    fn mention_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// What every extractor found in one document, in [`EXTRACTORS`] order.
#[derive(Debug, Default)]
pub struct Mentions {
    found: Vec<(&'static str, Box<dyn MentionList>)>,
}

impl Mentions {
    /// `(extractor name, its mentions)` for each extractor that ran.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &dyn MentionList)> {
        self.found.iter().map(|(name, list)| (*name, &**list))
    }

    /// Moves the mentions out, for the table writers.
    pub fn into_lists(self) -> Vec<(&'static str, Box<dyn MentionList>)> {
        self.found
    }

    /// The mentions of type `M` (empty when its extractor did not run).
    pub fn of<M: Mention>(&self) -> &[M] {
        self.found
            .iter()
            .find_map(|(_, list)| list.as_any().downcast_ref::<Vec<M>>())
            .map_or(&[], Vec::as_slice)
    }

    /// The mentions of type `M`, moved out (empty when its extractor did not run).
    pub fn into_of<M: Mention>(self) -> Vec<M> {
        self.found
            .into_iter()
            .find_map(|(_, list)| list.into_any().downcast::<Vec<M>>().ok())
            .map_or_else(Vec::new, |list| *list)
    }

    /// The mentions of type `M`, to change them (tests of the checks).
    pub fn of_mut<M: Mention>(&mut self) -> Option<&mut Vec<M>> {
        self.found
            .iter_mut()
            .find_map(|(_, list)| list.as_any_mut().downcast_mut::<Vec<M>>())
    }

    pub fn frames(&self) -> &[super::frames::FrameMention] {
        self.of()
    }

    pub fn entities(&self) -> &[super::entities::EntityMention] {
        self.of()
    }

    pub fn figures(&self) -> &[super::figures::FigureMention] {
        self.of()
    }
}

/// What a loader reads.
pub struct LoadContext<'a> {
    pub lexicons: &'a LexiconSet,
    pub languages: &'a [LanguageData],
    /// `--models`: a folder of `<lang>.ner` files instead of the bundled ones.
    pub models: Option<&'a Path>,
}

/// An extractor's name and how to load it.
pub struct Registration {
    pub name: &'static str,
    pub load: fn(&LoadContext) -> Result<Box<dyn Extractor>, ner::LoadError>,
}

/// Every extractor, in the order of their tables.
pub const EXTRACTORS: &[Registration] = &[
    Registration {
        name: "frames",
        load: |cx| Ok(Box::new(Frames::load(cx.lexicons, cx.languages)?)),
    },
    Registration {
        name: "entities",
        load: |cx| {
            let taggers = ner::Taggers::load(cx.models, cx.lexicons, cx.languages)?;
            Ok(Box::new(Entities::load(
                cx.lexicons,
                cx.languages,
                taggers,
            )?))
        },
    },
    Registration {
        name: "figures",
        load: |cx| Ok(Box::new(Figures::load(cx.lexicons, cx.languages)?)),
    },
];

/// The names `--extract` can take, in the order of [`EXTRACTORS`].
pub fn names() -> Vec<&'static str> {
    EXTRACTORS.iter().map(|r| r.name).collect()
}

/// The loaded extractors of a run, with the per-language data they share.
pub struct Extractors {
    languages: Vec<LanguageData>,
    extractors: Vec<Box<dyn Extractor>>,
}

impl Extractors {
    /// Loads the named extractors (all of [`EXTRACTORS`] when `enabled` is `None`),
    /// with the NER models in `models` (`<lang>.ner`) or the bundled ones.
    pub fn load(
        lexicons: &LexiconSet,
        enabled: Option<&[String]>,
        models: Option<&Path>,
    ) -> Result<Self, ner::LoadError> {
        let wants = |name: &str| enabled.is_none_or(|list| list.iter().any(|n| n == name));
        let data = LanguageData::load_all(lexicons)?;
        let cx = LoadContext {
            lexicons,
            languages: &data,
            models,
        };
        let extractors = EXTRACTORS
            .iter()
            .filter(|r| wants(r.name))
            .map(|r| (r.load)(&cx))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_parts(data, extractors))
    }

    /// Extractors built by the caller (an extractor not in [`EXTRACTORS`], in tests).
    pub fn from_parts(
        mut languages: Vec<LanguageData>,
        extractors: Vec<Box<dyn Extractor>>,
    ) -> Self {
        let mut extractors = Extractors {
            languages: Vec::new(),
            extractors,
        };
        extractors.share_vocabularies(&mut languages);
        extractors.languages = languages;
        extractors
    }

    /// Links every term matcher of a language to one vocabulary, so that a document's
    /// tokens are scanned once for all of them.
    fn share_vocabularies(&mut self, data: &mut [LanguageData]) {
        let codes: Vec<&'static str> = data.iter().map(|d| d.language.code()).collect();
        let mut matchers: Vec<(&'static str, &mut TermMatcher)> = Vec::new();
        for d in data.iter_mut() {
            matchers.push((d.language.code(), d.cues.matcher_mut()));
        }
        for extractor in &mut self.extractors {
            matchers.extend(extractor.term_matchers());
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

    /// Names of the loaded extractors, in table order.
    pub fn names(&self) -> Vec<&'static str> {
        self.extractors.iter().map(|e| e.name()).collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.extractors.iter().any(|e| e.name() == name)
    }

    /// The loaded extractor of type `E`, if any.
    pub fn get<E: Extractor + 'static>(&self) -> Option<&E> {
        self.extractors
            .iter()
            .find_map(|e| (&**e as &dyn Any).downcast_ref::<E>())
    }

    pub fn frames(&self) -> Option<&Frames> {
        self.get()
    }

    pub fn entities(&self) -> Option<&Entities> {
        self.get()
    }

    pub fn figures(&self) -> Option<&Figures> {
        self.get()
    }

    /// `(lang, xxh3)` of each model in use, for the manifest.
    pub fn model_hashes(&self) -> Vec<(String, String)> {
        self.extractors
            .iter()
            .flat_map(|e| e.model_hashes())
            .collect()
    }

    /// The shared data of the document's language, if it has any.
    fn language(&self, lang: &str) -> Option<&LanguageData> {
        self.languages.iter().find(|d| d.language.code() == lang)
    }

    /// Every extractor's mentions of `doc`: the term scan once, then the extractors
    /// that name speakers, then the context from their names, then the others.
    pub fn extract(&self, doc: &Document) -> Mentions {
        let Some(data) = self.language(&doc.lang) else {
            return Mentions::default();
        };
        let mut base = MentionBuilder::new(doc);
        let hits = data.vocabulary.scan(&doc.tokens);
        let mut found: Vec<Option<Box<dyn MentionList>>> =
            self.extractors.iter().map(|_| None).collect();
        let mut names = Vec::new();
        let first = Shared {
            hits: &hits,
            context: None,
        };
        for (i, e) in self.extractors.iter().enumerate() {
            if e.names_speakers() {
                let list = e.extract(doc, &first, &mut base);
                names.extend(list.speaker_names(doc));
                found[i] = Some(list);
            }
        }
        let ctx = DocContext::with_entities(doc, &data.cues, &names, &hits);
        let shared = Shared {
            hits: &hits,
            context: Some(&ctx),
        };
        for (i, e) in self.extractors.iter().enumerate() {
            if found[i].is_none() {
                found[i] = Some(e.extract(doc, &shared, &mut base));
            }
        }
        Mentions {
            found: self
                .extractors
                .iter()
                .zip(found)
                .filter_map(|(e, list)| Some((e.name(), list?)))
                .collect(),
        }
    }
}

impl Debug for Extractors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
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
        let vocabularies: Vec<(&str, std::sync::Arc<Vocabulary>)> = extractors
            .languages
            .iter()
            .map(|d| (d.language.code(), std::sync::Arc::clone(&d.vocabulary)))
            .collect();
        let matchers: Vec<_> = extractors
            .extractors
            .iter_mut()
            .flat_map(|e| e.term_matchers())
            .collect();
        // Frames and entity forms, two gazetteer matchers, five figure matchers.
        assert!(matchers.len() >= 3 * 9, "{} matchers", matchers.len());
        for (code, matcher) in matchers {
            let (_, shared) = vocabularies.iter().find(|(c, _)| *c == code).unwrap();
            assert!(
                std::sync::Arc::ptr_eq(matcher.vocabulary(), shared),
                "{code}"
            );
        }
        for (code, shared) in &vocabularies {
            assert!(shared.len() > 100, "{code}: {} words", shared.len());
        }
    }

    /// `--extract` names each registered extractor once; loading one runs only it,
    /// and the entities run first whatever the table order.
    #[test]
    fn the_registry_loads_what_is_asked_and_names_speakers_first() {
        let all = names();
        let mut unique = all.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "{all:?}");
        let lexicons = LexiconSet::bundled();
        for name in &all {
            let one = Extractors::load(&lexicons, Some(&[name.to_string()]), None).unwrap();
            assert_eq!(one.names(), vec![*name]);
        }
        let everything = Extractors::load(&lexicons, None, None).unwrap();
        assert_eq!(everything.names(), all);
        let text = "Officials said 200 people were killed. Ilham Aliyev said the anti-terror measures were over.";
        let mentions = super::super::extract_text(text);
        let found: Vec<&str> = mentions.iter().map(|(n, _)| n).collect();
        assert_eq!(found, all);
        assert!(mentions
            .entities()
            .iter()
            .any(|e| e.base.surface == "Ilham Aliyev"));
        let frame = mentions
            .frames()
            .iter()
            .find(|f| f.frame_id.as_ref() == "anti_terror_measures")
            .expect("the frame is found");
        assert_eq!(
            frame.base.attribution.speaker.as_deref(),
            Some("Ilham Aliyev"),
            "frames run after the entities that name their speaker"
        );
    }
}
