//! Prepare: turns a [`RawArticle`] into a [`Document`]: cleaned text, language,
//! script, sentences and token counts. Later stages read documents only.

mod clean;
mod dates;
pub mod language;
pub mod languages;
pub mod normalize;
pub mod segment;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::ingest::{RawArticle, Reject, RejectReason};
use crate::lexicon::{LexiconError, LexiconSet};
pub use clean::Boilerplate;
pub use dates::parse_published;
use language::LanguageDetector;
use languages::Language;
use normalize::AsciiFolds;
pub use normalize::Token;
use segment::SentenceRules;

/// One article after cleaning, the unit every extractor works on.
#[derive(Debug, Clone)]
pub struct Document {
    pub article_id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Milliseconds since the epoch, UTC.
    pub published: Option<i64>,
    pub title: String,
    /// Title, a blank line, then the cleaned body (just the body when untitled).
    pub text: String,
    /// Byte length of the title inside `text` (0 when untitled).
    pub title_len: usize,
    pub lang: String,
    pub lang_confidence: f32,
    pub script: &'static str,
    /// Byte ranges of sentences in `text`.
    pub sentences: Vec<Range<usize>>,
    /// Folded word tokens for matching; empty for languages without a module.
    pub tokens: Vec<Token>,
    pub n_chars: usize,
    pub n_tokens: usize,
    pub content_hash: u128,
    pub input_file: Arc<str>,
    pub input_record: u64,
}

impl Document {
    /// Index of the sentence holding byte `offset`, for mention rows.
    pub fn sentence_of(&self, offset: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= offset)
            .min(self.sentences.len().saturating_sub(1))
    }

    pub fn in_title(&self, offset: usize) -> bool {
        offset < self.title_len
    }
}

/// The prepare stage with its language data loaded once.
pub struct Preparer {
    boilerplate: Boilerplate,
    detector: LanguageDetector,
    abbreviations: HashMap<&'static str, HashSet<String>>,
    no_abbreviations: HashSet<String>,
    /// Each language's ASCII folds, in the order of `detector.languages()`.
    ascii_folds: Vec<AsciiFolds>,
}

impl Preparer {
    pub fn new(lexicons: &LexiconSet) -> Result<Self, LexiconError> {
        let languages = languages::all(lexicons)?;
        let abbreviations = languages
            .iter()
            .map(|l| {
                let file = format!("{}/abbreviations.txt", l.code());
                let set = lexicons
                    .list(&file)
                    .into_iter()
                    .map(|(_, a)| a.to_lowercase())
                    .collect();
                (l.code(), set)
            })
            .collect();
        let ascii_folds = languages.iter().map(|l| AsciiFolds::of(&**l)).collect();
        Ok(Preparer {
            ascii_folds,
            boilerplate: Boilerplate::load(lexicons)?,
            detector: LanguageDetector::load(languages, lexicons)?,
            abbreviations,
            no_abbreviations: HashSet::new(),
        })
    }

    pub fn language(&self, code: &str) -> Option<&dyn Language> {
        self.detector
            .languages()
            .iter()
            .find(|l| l.code() == code)
            .map(|l| &**l)
    }

    /// Sentences and tokens of `text` read as language `lang`, without cleaning (for
    /// training and evaluation files whose offsets must not move).
    pub fn segment(&self, text: &str, lang: &str) -> (Vec<Range<usize>>, Vec<Token>) {
        let (sentences, tokens, _) = self.segment_and_count(text, lang);
        (sentences, tokens)
    }

    /// [`Preparer::segment`], and the number of words of `text` (`Document::n_tokens`),
    /// taken from the tokens' pass when folding kept the word boundaries, so that UAX #29
    /// word segmentation runs once.
    fn segment_and_count(&self, text: &str, lang: &str) -> (Vec<Range<usize>>, Vec<Token>, usize) {
        let rules = self.sentence_rules(lang);
        let sentences = segment::sentences(text, &rules);
        let language = self
            .detector
            .languages()
            .iter()
            .zip(&self.ascii_folds)
            .find(|(l, _)| l.code() == lang);
        let (tokens, n_words) = match language {
            Some((language, ascii)) => {
                normalize::tokens_and_words(&**language, ascii, text, &sentences)
            }
            None => (Vec::new(), None),
        };
        let n_words = n_words.unwrap_or_else(|| segment::words(text).count());
        (sentences, tokens, n_words)
    }

    fn sentence_rules(&self, lang: &str) -> SentenceRules<'_> {
        SentenceRules {
            abbreviations: self
                .abbreviations
                .get(lang)
                .unwrap_or(&self.no_abbreviations),
            language: self.language(lang),
        }
    }

    pub fn prepare(
        &self,
        raw: RawArticle,
        input_file: Arc<str>,
        input_record: u64,
    ) -> Result<Document, Reject> {
        self.prepare_as(raw, input_file, input_record, None)
    }

    /// Like [`Preparer::prepare`], with the language given instead of detected (for
    /// evaluation files whose language is known).
    pub fn prepare_as(
        &self,
        raw: RawArticle,
        input_file: Arc<str>,
        input_record: u64,
        language: Option<&str>,
    ) -> Result<Document, Reject> {
        let title = raw
            .title
            .as_deref()
            .map(clean::clean_title)
            .unwrap_or_default();
        let body = clean::clean_body(&raw.text, &self.boilerplate);
        if body.trim().is_empty() {
            let detail = if raw.text.trim().is_empty() {
                "text field is empty"
            } else {
                "nothing left after removing boilerplate"
            };
            return Err(Reject::new(
                RejectReason::EmptyText,
                detail,
                raw.text.as_bytes(),
            ));
        }
        let article_id = raw.id.clone().unwrap_or_else(|| stable_id(&raw));
        let (text, title_len) = if title.is_empty() {
            (body, 0)
        } else {
            (format!("{title}\n\n{body}"), title.len())
        };
        let mut detected = self.detector.detect(&text, raw.language_hint.as_deref());
        if let Some(code) = language {
            detected.lang = code.to_string();
        }
        let (sentences, tokens, n_tokens) = self.segment_and_count(&text, &detected.lang);
        Ok(Document {
            article_id,
            published: raw.published.as_deref().and_then(parse_published),
            source: raw.source,
            url: raw.url,
            title,
            n_chars: text.chars().count(),
            n_tokens,
            content_hash: xxh3_128(text.as_bytes()),
            sentences,
            tokens,
            lang: detected.lang,
            lang_confidence: detected.confidence,
            script: detected.script,
            text,
            title_len,
            input_file,
            input_record,
        })
    }
}

/// An id for articles that bring none: a hash of what identifies them as published
/// (source, url, raw text), so it survives changes to cleaning rules.
fn stable_id(raw: &RawArticle) -> String {
    let mut h = Xxh3::new();
    for part in [
        raw.source.as_deref(),
        raw.url.as_deref(),
        Some(raw.text.as_str()),
    ] {
        h.update(part.unwrap_or("").as_bytes());
        h.update(&[0]);
    }
    format!("{:016x}", h.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preparer() -> Preparer {
        Preparer::new(&LexiconSet::bundled()).unwrap()
    }

    #[test]
    fn seed_shaped_article_loses_its_comment_form() {
        let raw = RawArticle {
            title: Some("Mass Exodus Sparks Claims".into()),
            text: "Over 100,000 people have fled the region, Armenia said on Sunday.\n\nThe UN plans a mission.\n\n\nPlease enter your comment!\nPlease enter your name here".into(),
            ..RawArticle::default()
        };
        let doc = preparer().prepare(raw, Arc::from("x.txt"), 0).unwrap();
        assert_eq!(doc.lang, "en");
        assert!(doc
            .text
            .starts_with("Mass Exodus Sparks Claims\n\nOver 100,000"));
        assert!(
            doc.text.ends_with("The UN plans a mission."),
            "{}",
            doc.text
        );
        assert_eq!(doc.sentences.len(), 3);
        assert!(doc.in_title(0) && !doc.in_title(doc.title_len + 2));
        assert_eq!(doc.sentence_of(doc.text.find("The UN").unwrap()), 2);
    }

    #[test]
    fn ids_are_stable_and_given_ids_win() {
        let raw = RawArticle {
            text: "Some body text that is long enough.".into(),
            url: Some("https://x.example/a".into()),
            ..RawArticle::default()
        };
        let p = preparer();
        let a = p.prepare(raw.clone(), Arc::from("a"), 1).unwrap();
        let b = p.prepare(raw.clone(), Arc::from("b"), 9).unwrap();
        assert_eq!(a.article_id, b.article_id);
        assert_eq!(a.article_id.len(), 16);
        let given = RawArticle {
            id: Some("en-001".into()),
            ..raw
        };
        assert_eq!(
            p.prepare(given, Arc::from("a"), 1).unwrap().article_id,
            "en-001"
        );
    }

    #[test]
    fn blank_and_boilerplate_only_bodies_are_rejected() {
        let p = preparer();
        let blank = RawArticle {
            title: Some("T".into()),
            text: " \n ".into(),
            ..RawArticle::default()
        };
        let e = p.prepare(blank, Arc::from("a"), 1).unwrap_err();
        assert_eq!(
            (e.reason, e.detail.as_str()),
            (RejectReason::EmptyText, "text field is empty")
        );
        let only_form = RawArticle {
            text: "Please enter your comment!\nPlease enter your name here".into(),
            ..RawArticle::default()
        };
        let e = p.prepare(only_form, Arc::from("a"), 1).unwrap_err();
        assert_eq!(e.detail, "nothing left after removing boilerplate");
    }
}
