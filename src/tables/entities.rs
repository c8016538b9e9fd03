//! The `entities` table: one row per named-entity mention.

use polars::prelude::*;

use super::mentions::MentionColumns;
use super::{opt_cost, string_cost, MentionRows, TableRows};
use crate::extract::entities::EntityMention;

#[derive(Default)]
pub struct EntityRows {
    base: MentionColumns,
    entity_id: Vec<Option<String>>,
    label: Vec<String>,
    canonical_name: Vec<Option<String>>,
    matched_form: Vec<Option<String>>,
    perspective: Vec<Option<String>>,
    method: Vec<&'static str>,
}

fn owned(s: Option<std::sync::Arc<str>>) -> Option<String> {
    s.map(|s| s.to_string())
}

impl MentionRows for EntityRows {
    type Mention = EntityMention;

    fn push_mention(&mut self, article_id: &str, lang: &str, m: EntityMention) {
        let extra = opt_cost(m.entity_id.as_deref())
            + string_cost(&m.label)
            + opt_cost(m.canonical_name.as_deref())
            + opt_cost(m.matched_form.as_deref())
            + opt_cost(m.perspective.as_deref())
            + 16;
        self.base.push(article_id, lang, m.base, extra);
        self.entity_id.push(owned(m.entity_id));
        self.label.push(m.label.to_string());
        self.canonical_name.push(owned(m.canonical_name));
        self.matched_form.push(owned(m.matched_form));
        self.perspective.push(owned(m.perspective));
        self.method.push(m.method);
    }
}

impl EntityRows {
    pub const NAME: &'static str = "entities";
}

impl TableRows for EntityRows {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.label.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.base.bytes()
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let r = std::mem::take(self);
        let height = r.label.len();
        let (mut columns, in_title) = r.base.into_columns();
        columns.extend([
            Column::new("entity_id".into(), r.entity_id),
            Column::new("label".into(), r.label),
            Column::new("canonical_name".into(), r.canonical_name),
            Column::new("matched_form".into(), r.matched_form),
            Column::new("perspective".into(), r.perspective),
            Column::new("method".into(), r.method),
            in_title,
        ]);
        DataFrame::new(height, columns)
    }
}
