//! The `articles` table: one row per article, with its cleaned text and metadata.

use polars::prelude::*;

use super::{opt_str_column, TableRows};
use crate::prepare::Document;

#[derive(Default)]
pub struct ArticleRows {
    article_id: Vec<String>,
    source: Vec<Option<String>>,
    url: Vec<Option<String>>,
    published: Vec<Option<i64>>,
    title: Vec<String>,
    text: Vec<String>,
    lang: Vec<String>,
    lang_confidence: Vec<f32>,
    script: Vec<&'static str>,
    n_chars: Vec<u32>,
    n_tokens: Vec<u32>,
    n_sentences: Vec<u32>,
    content_hash: Vec<String>,
    duplicate_of: Vec<Option<String>>,
    input_file: Vec<String>,
    input_record: Vec<u64>,
    bytes: usize,
}

impl ArticleRows {
    /// Appends a document; the text is moved, not copied.
    pub fn push(&mut self, doc: Document, duplicate_of: Option<String>) {
        self.bytes += doc.text.len() + doc.title.len() + 200;
        self.article_id.push(doc.article_id);
        self.source.push(doc.source);
        self.url.push(doc.url);
        self.published.push(doc.published);
        self.title.push(doc.title);
        self.text.push(doc.text);
        self.lang.push(doc.lang);
        self.lang_confidence.push(doc.lang_confidence);
        self.script.push(doc.script);
        self.n_chars.push(saturate(doc.n_chars));
        self.n_tokens.push(saturate(doc.n_tokens));
        self.n_sentences.push(saturate(doc.sentences.len()));
        self.content_hash.push(format!("{:032x}", doc.content_hash));
        self.duplicate_of.push(duplicate_of);
        self.input_file.push(doc.input_file.to_string());
        self.input_record.push(doc.input_record);
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ArticleRows {
    pub const NAME: &'static str = "articles";
}

impl TableRows for ArticleRows {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.article_id.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.bytes
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let r = std::mem::take(self);
        let height = r.article_id.len();
        let published = Column::new("published".into(), r.published)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?;
        DataFrame::new(
            height,
            vec![
                Column::new("article_id".into(), r.article_id),
                opt_str_column("source", r.source),
                opt_str_column("url", r.url),
                published,
                Column::new("title".into(), r.title),
                Column::new("text".into(), r.text),
                Column::new("lang".into(), r.lang),
                Column::new("lang_confidence".into(), r.lang_confidence),
                Column::new("script".into(), r.script),
                Column::new("n_chars".into(), r.n_chars),
                Column::new("n_tokens".into(), r.n_tokens),
                Column::new("n_sentences".into(), r.n_sentences),
                Column::new("content_hash".into(), r.content_hash),
                opt_str_column("duplicate_of", r.duplicate_of),
                Column::new("input_file".into(), r.input_file),
                Column::new("input_record".into(), r.input_record),
            ],
        )
    }
}
