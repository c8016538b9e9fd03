//! The figure lexicons of one language (`numbers.tsv`, `qualifiers.tsv`, `units.tsv`,
//! `figure_cues.tsv`, `figure_syntax.tsv`), parsed and validated.

use crate::lexicon::{LexiconError, LexiconSet};

pub const NUMBER_KINDS: [&str; 11] = [
    "unit",
    "teen",
    "ten",
    "hundred",
    "scale",
    "dozen",
    "vague",
    "few",
    "fraction",
    "ordinal",
    "connector",
];
pub const SYNTAX_KINDS: [&str; 17] = [
    "decimal_mark",
    "group_mark",
    "link",
    "range",
    "list",
    "range_suffix",
    "ordinal_suffix",
    "not_before",
    "not_after",
    "needs_unit",
    "not_noun",
    "pronoun_number",
    "count_suffix",
    "count_subject",
    "modifier",
    "count_predicate",
    "unit_suffix",
];
pub const POSITIONS: [&str; 2] = ["before", "after"];
pub const BOUNDS: [&str; 6] = [
    "lower_exclusive",
    "lower",
    "upper",
    "upper_exclusive",
    "approximate",
    "exact",
];
pub const CATEGORIES: [&str; 24] = [
    "people",
    "people.displaced",
    "people.killed",
    "people.injured",
    "people.detained",
    "people.missing",
    "people.remaining",
    "military.soldiers",
    "military.equipment",
    "money",
    "percent",
    "duration",
    "distance",
    "area",
    "measure.length",
    "measure.area",
    "measure.mass",
    "measure.volume",
    "temperature",
    "speed",
    "percent.points",
    "energy",
    "date",
    "other",
];

#[derive(Debug, Clone, PartialEq)]
pub struct NumberWord {
    pub form: String,
    pub value: f64,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Qualifier {
    pub form: String,
    pub position: String,
    pub bound: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryWord {
    pub form: String,
    pub category: String,
    /// units.tsv only: the normalised unit (ISO 4217 for money, `km`, `kg`, `°C`).
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxWord {
    pub kind: String,
    pub form: String,
}

/// One language's figure lexicon.
#[derive(Debug, Clone, Default)]
pub struct FigureLexicon {
    pub numbers: Vec<NumberWord>,
    pub qualifiers: Vec<Qualifier>,
    pub units: Vec<CategoryWord>,
    pub cues: Vec<CategoryWord>,
    pub syntax: Vec<SyntaxWord>,
}

fn one_of(
    row: &crate::lexicon::TsvRow,
    column: usize,
    name: &str,
    allowed: &[&str],
) -> Result<String, LexiconError> {
    let value = row.get(column);
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(row.error(format!(
            "{name} `{value}` is not one of {}",
            allowed.join(", ")
        )))
    }
}

impl FigureLexicon {
    pub fn load(lexicons: &LexiconSet, code: &str) -> Result<Self, LexiconError> {
        let mut lexicon = FigureLexicon::default();
        for row in lexicons.tsv(
            &format!("{code}/numbers.tsv"),
            &["form", "value", "kind"],
            3,
        )? {
            let value: f64 = row
                .get(1)
                .parse()
                .map_err(|_| row.error(format!("value `{}` is not a number", row.get(1))))?;
            lexicon.numbers.push(NumberWord {
                form: row.get(0).to_string(),
                value,
                kind: one_of(&row, 2, "kind", &NUMBER_KINDS)?,
            });
        }
        for row in lexicons.tsv(
            &format!("{code}/qualifiers.tsv"),
            &["form", "position", "bound"],
            3,
        )? {
            lexicon.qualifiers.push(Qualifier {
                form: row.get(0).to_string(),
                position: one_of(&row, 1, "position", &POSITIONS)?,
                bound: one_of(&row, 2, "bound", &BOUNDS)?,
            });
        }
        for row in lexicons.tsv(
            &format!("{code}/units.tsv"),
            &["form", "category", "unit"],
            2,
        )? {
            let unit = row.get(2);
            lexicon.units.push(CategoryWord {
                form: row.get(0).to_string(),
                category: one_of(&row, 1, "category", &CATEGORIES)?,
                unit: (!unit.is_empty()).then(|| unit.to_string()),
            });
        }
        for row in lexicons.tsv(&format!("{code}/figure_cues.tsv"), &["form", "category"], 2)? {
            lexicon.cues.push(CategoryWord {
                form: row.get(0).to_string(),
                category: one_of(&row, 1, "category", &CATEGORIES)?,
                unit: None,
            });
        }
        for row in lexicons.tsv(&format!("{code}/figure_syntax.tsv"), &["kind", "form"], 2)? {
            let kind = one_of(&row, 0, "kind", &SYNTAX_KINDS)?;
            if kind.ends_with("_mark") && row.get(1).chars().count() != 1 {
                return Err(row.error(format!("{kind} must be one character")));
            }
            lexicon.syntax.push(SyntaxWord {
                kind,
                form: row.get(1).to_string(),
            });
        }
        Ok(lexicon)
    }

    /// The forms of one `figure_syntax.tsv` kind.
    pub fn syntax<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.syntax
            .iter()
            .filter(move |s| s.kind == kind)
            .map(|s| s.form.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_figure_lexicons_load_for_each_language() {
        let set = LexiconSet::bundled();
        for code in ["en", "hy", "az"] {
            let lexicon = FigureLexicon::load(&set, code).unwrap();
            assert!(
                lexicon
                    .numbers
                    .iter()
                    .any(|n| n.kind == "scale" && n.value == 1e6),
                "{code}: million"
            );
            assert!(
                lexicon.qualifiers.iter().any(|q| q.bound == "lower"),
                "{code}: at least"
            );
            assert!(!lexicon.units.is_empty() && !lexicon.cues.is_empty());
        }
    }
}
