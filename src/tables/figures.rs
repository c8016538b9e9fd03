//! The `figures` table: one row per numeric claim.

use polars::prelude::*;

use super::mentions::MentionColumns;
use super::{opt_cost, string_cost, MentionRows, TableRows};
use crate::extract::figures::FigureMention;

#[derive(Default)]
pub struct FigureRows {
    base: MentionColumns,
    value: Vec<f64>,
    lower: Vec<Option<f64>>,
    upper: Vec<Option<f64>>,
    qualifier: Vec<Option<&'static str>>,
    qualifier_surface: Vec<Option<String>>,
    approximate: Vec<bool>,
    vague: Vec<bool>,
    range: Vec<bool>,
    unit_surface: Vec<Option<String>>,
    unit: Vec<Option<String>>,
    category: Vec<String>,
    quoted: Vec<bool>,
    attributed_to: Vec<Option<String>>,
    speaker_entity_id: Vec<Option<String>>,
    negated: Vec<bool>,
    distanced: Vec<bool>,
}

impl MentionRows for FigureRows {
    type Mention = FigureMention;

    fn push_mention(&mut self, article_id: &str, lang: &str, m: FigureMention) {
        let a = m.base.attribution.clone();
        let extra = opt_cost(m.qualifier_surface.as_deref())
            + opt_cost(m.unit_surface.as_deref())
            + opt_cost(m.unit.as_deref())
            + string_cost(&m.category)
            + opt_cost(m.attributed_to.as_deref())
            + opt_cost(a.speaker_entity_id.as_deref())
            + 3 * 16
            + 5;
        self.base.push(article_id, lang, m.base, extra);
        self.value.push(m.value);
        self.lower.push(m.lower);
        self.upper.push(m.upper);
        self.qualifier.push(m.qualifier.map(|q| q.as_str()));
        self.qualifier_surface.push(m.qualifier_surface);
        self.approximate.push(m.approximate);
        self.vague.push(m.vague);
        self.range.push(m.range);
        self.unit_surface.push(m.unit_surface);
        self.unit.push(m.unit.map(|u| u.to_string()));
        self.category.push(m.category.to_string());
        self.quoted.push(m.quoted);
        self.attributed_to.push(m.attributed_to);
        self.speaker_entity_id
            .push(a.speaker_entity_id.map(|s| s.to_string()));
        self.negated.push(a.negated);
        self.distanced.push(a.distanced);
    }
}

impl FigureRows {
    pub const NAME: &'static str = "figures";
}

impl TableRows for FigureRows {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn fresh(&self) -> Self {
        Self::default()
    }

    fn len(&self) -> usize {
        self.value.len()
    }

    fn buffered_bytes(&self) -> usize {
        self.base.bytes()
    }

    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let r = std::mem::take(self);
        let height = r.value.len();
        let (mut columns, in_title) = r.base.into_columns();
        columns.extend([
            Column::new("value".into(), r.value),
            Column::new("lower".into(), r.lower),
            Column::new("upper".into(), r.upper),
            Column::new("qualifier".into(), r.qualifier),
            Column::new("qualifier_surface".into(), r.qualifier_surface),
            Column::new("approximate".into(), r.approximate),
            Column::new("vague".into(), r.vague),
            Column::new("range".into(), r.range),
            Column::new("unit_surface".into(), r.unit_surface),
            Column::new("unit".into(), r.unit),
            Column::new("category".into(), r.category),
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
