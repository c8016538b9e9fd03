//! Columns shared by every mention table: `article_id`, `lang`, `sentence`, `start`,
//! `end`, `surface`, `context`, and `in_title` (placed last by each table).

use polars::prelude::*;

use super::string_cost;
use crate::extract::MentionBase;

#[derive(Default)]
pub struct MentionColumns {
    article_id: Vec<String>,
    lang: Vec<String>,
    sentence: Vec<u32>,
    start: Vec<u32>,
    end: Vec<u32>,
    surface: Vec<String>,
    context: Vec<String>,
    in_title: Vec<bool>,
    bytes: usize,
}

impl MentionColumns {
    /// Appends the shared columns of a row; `extra_bytes` is what the table's own
    /// columns of that row buffer ([`super::string_cost`]).
    pub fn push(&mut self, article_id: &str, lang: &str, m: MentionBase, extra_bytes: usize) {
        self.bytes += string_cost(article_id)
            + string_cost(lang)
            + string_cost(&m.surface)
            + string_cost(&m.context)
            + 16
            + extra_bytes;
        self.article_id.push(article_id.to_string());
        self.lang.push(lang.to_string());
        self.sentence.push(m.sentence);
        self.start.push(m.start);
        self.end.push(m.end);
        self.surface.push(m.surface);
        self.context.push(m.context);
        self.in_title.push(m.in_title);
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The shared columns in table order, and `in_title` for the table to place.
    pub fn into_columns(self) -> (Vec<Column>, Column) {
        (
            vec![
                Column::new("article_id".into(), self.article_id),
                Column::new("lang".into(), self.lang),
                Column::new("sentence".into(), self.sentence),
                Column::new("start".into(), self.start),
                Column::new("end".into(), self.end),
                Column::new("surface".into(), self.surface),
                Column::new("context".into(), self.context),
            ],
            Column::new("in_title".into(), self.in_title),
        )
    }
}
