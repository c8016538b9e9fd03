//! The `frames` table: one row per framing-term mention.

use polars::prelude::*;

use super::mentions::MentionColumns;
use super::{opt_cost, string_cost, MentionRows, TableRows};
use crate::extract::frames::FrameMention;

#[derive(Default)]
pub struct FrameRows {
    base: MentionColumns,
    frame_id: Vec<String>,
    category: Vec<String>,
    matched_form: Vec<String>,
    quoted: Vec<bool>,
    attributed_to: Vec<Option<String>>,
    speaker_entity_id: Vec<Option<String>>,
    negated: Vec<bool>,
    distanced: Vec<bool>,
}

impl MentionRows for FrameRows {
    type Mention = FrameMention;

    fn push_mention(&mut self, article_id: &str, lang: &str, m: FrameMention) {
        let a = m.base.attribution.clone();
        let extra = string_cost(&m.frame_id)
            + string_cost(&m.category)
            + string_cost(&m.matched_form)
            + opt_cost(a.speaker.as_deref())
            + opt_cost(a.speaker_entity_id.as_deref())
            + 3;
        self.base.push(article_id, lang, m.base, extra);
        self.frame_id.push(m.frame_id.to_string());
        self.category.push(m.category.to_string());
        self.matched_form.push(m.matched_form.to_string());
        self.quoted.push(m.quoted);
        self.attributed_to.push(a.speaker);
        self.speaker_entity_id
            .push(a.speaker_entity_id.map(|s| s.to_string()));
        self.negated.push(a.negated);
        self.distanced.push(a.distanced);
    }
}

impl FrameRows {
    pub const NAME: &'static str = "frames";
}

impl TableRows for FrameRows {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.frame_id.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.base.bytes()
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let r = std::mem::take(self);
        let height = r.frame_id.len();
        let (mut columns, in_title) = r.base.into_columns();
        columns.extend([
            Column::new("frame_id".into(), r.frame_id),
            Column::new("category".into(), r.category),
            Column::new("matched_form".into(), r.matched_form),
            Column::new("quoted".into(), r.quoted),
            Column::new("attributed_to".into(), r.attributed_to),
            Column::new("speaker_entity_id".into(), r.speaker_entity_id),
            Column::new("negated".into(), r.negated),
            Column::new("distanced".into(), r.distanced),
            in_title,
        ]);
        DataFrame::new(height, columns)
    }
}
