//! A complete small extractor, outside the crate, as a contributor would write one
//! (see `src/extract/registry.rs`): `questions` finds the sentences that end with a
//! question mark (inside closing quotes too) and credits them to the speaker of their sentence. It runs beside
//! the built-in entities extractor, whose names the speakers resolve to, and its rows
//! go through the same table writer as the built-in tables.

use std::sync::Arc;

use newsframe::extract::terms::TermMatcher;
use newsframe::extract::{
    Extractor, Extractors, LanguageData, Mention, MentionBase, MentionBuilder, MentionList, Shared,
    TermMatchers, EXTRACTORS,
};
use newsframe::ingest::RawArticle;
use newsframe::lexicon::LexiconSet;
use newsframe::prepare::{Document, Preparer};
use newsframe::tables::{MentionRows, TableRows, TableWriter};
use polars::prelude::*;

/// 1. The mention: the shared columns and what this extractor adds.
#[derive(Debug)]
struct Question {
    base: MentionBase,
    words: u32,
}

impl Mention for Question {
    fn base(&self) -> &MentionBase {
        &self.base
    }

    fn describe(&self) -> String {
        format!(
            "[{:>2}] {} ({} words)",
            self.base.sentence, self.base.surface, self.words
        )
    }
}

/// 2. The extractor: no lexicon terms, so no term matchers.
struct Questions;

impl TermMatchers for Questions {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)> {
        Vec::new()
    }
}

impl Extractor for Questions {
    fn name(&self) -> &'static str {
        "questions"
    }

    fn extract(
        &self,
        doc: &Document,
        shared: &Shared<'_>,
        base: &mut MentionBuilder,
    ) -> Box<dyn MentionList> {
        let mut out = Vec::new();
        for (i, range) in doc.sentences.iter().enumerate() {
            let sentence = doc.text[range.clone()].trim_end_matches(['"', '”', '»']);
            if !sentence.ends_with('?') {
                continue;
            }
            let tokens: Vec<usize> = (0..doc.tokens.len())
                .filter(|&t| doc.tokens[t].sentence == i)
                .collect();
            let mut mention = base.mention(range.start, range.end, i);
            // The speaker of the question's last word: the one the sentence reports.
            if let (Some(ctx), Some(&last)) = (shared.context, tokens.last()) {
                mention.attribution = ctx.attribution(last, last);
            }
            out.push(Question {
                base: mention,
                words: tokens.len() as u32,
            });
        }
        Box::new(out)
    }
}

/// 3. Its table's rows.
#[derive(Default)]
struct QuestionRows {
    article_id: Vec<String>,
    surface: Vec<String>,
    speaker: Vec<Option<String>>,
    words: Vec<u32>,
}

impl TableRows for QuestionRows {
    fn name(&self) -> &'static str {
        "questions"
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.surface.iter().map(|s| s.len() + 64).sum()
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let rows = std::mem::take(self);
        let height = rows.words.len();
        DataFrame::new(
            height,
            vec![
                Column::new("article_id".into(), rows.article_id),
                Column::new("surface".into(), rows.surface),
                Column::new("speaker".into(), rows.speaker),
                Column::new("words".into(), rows.words),
            ],
        )
    }
}

impl MentionRows for QuestionRows {
    type Mention = Question;

    fn push_mention(&mut self, article_id: &str, _lang: &str, m: Question) {
        self.article_id.push(article_id.to_string());
        self.surface.push(m.base.surface);
        self.speaker.push(m.base.attribution.speaker);
        self.words.push(m.words);
    }
}

#[test]
fn a_new_extractor_runs_beside_the_built_in_ones_and_writes_its_table() {
    let lexicons = LexiconSet::bundled();
    let entities = EXTRACTORS.iter().find(|r| r.name == "entities").unwrap();
    let languages = LanguageData::load_all(&lexicons).unwrap();
    let cx = newsframe::extract::registry::LoadContext {
        lexicons: &lexicons,
        languages: &languages,
        models: None,
    };
    let built_in = (entities.load)(&cx).unwrap();
    let extractors = Extractors::from_parts(
        LanguageData::load_all(&lexicons).unwrap(),
        vec![Box::new(Questions), built_in],
    );
    assert_eq!(extractors.names(), ["questions", "entities"]);

    let raw = RawArticle {
        text: "Talks resumed in Brussels on Monday. Nikol Pashinyan said: \"We demand an \
               answer. Who will guarantee their return?\" No answer came."
            .into(),
        ..RawArticle::default()
    };
    let doc = Preparer::new(&lexicons)
        .unwrap()
        .prepare(raw, Arc::from("example"), 0)
        .unwrap();
    let mentions = extractors.extract(&doc);
    let found: Vec<(&str, usize)> = mentions.iter().map(|(n, l)| (n, l.len())).collect();
    assert_eq!(found[0], ("questions", 1), "{found:?}");
    let questions = mentions.of::<Question>();
    assert!(questions[0]
        .base
        .surface
        .contains("guarantee their return?"));
    assert_eq!(questions[0].words, 5, "{:?}", questions[0]);
    assert_eq!(
        questions[0].base.attribution.speaker.as_deref(),
        Some("Nikol Pashinyan"),
        "the speaker is a name the entities extractor found"
    );
    newsframe::invariants::check_mentions(&doc, &mentions).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut writer = TableWriter::create(dir.path(), "r1", QuestionRows::default()).unwrap();
    for (name, list) in mentions.into_lists() {
        if name == "questions" {
            use newsframe::tables::MentionTable;
            writer
                .rows()
                .push_list(&doc.article_id, &doc.lang, list)
                .unwrap();
        }
    }
    let part = writer.finish().unwrap();
    assert_eq!((part.table, part.rows), ("questions", 1));
    let table = ParquetReader::new(std::fs::File::open(&part.tmp_path).unwrap())
        .finish()
        .unwrap();
    assert_eq!(
        table.column("speaker").unwrap().str().unwrap().get(0),
        Some("Nikol Pashinyan")
    );
}
