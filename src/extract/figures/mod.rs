//! Figures: numeric claims ("over 100,000 people fled", «ավելի քան 100 հազար»,
//! "100 mindən çox") with their bounds, what they count and who claims them.
//!
//! A figure is read in four steps over the document's tokens: the number itself
//! (digits with the language's marks, number words composed by `words.rs`, or a
//! range of two), the qualifier before or after it (`qualifiers.tsv`), the counted
//! noun that follows (`units.tsv`), and the category, which a specific unit decides
//! and a generic one (`people`) takes from the nearest cue word in the sentence
//! (`figure_cues.tsv`). Days of the month and years come out with category `date`
//! so analysts can filter them; ordinals, clock times, ages and reference numbers
//! (`Article 5`) are skipped.

mod digits;
pub mod lexicon;
mod scan;
mod words;

use std::sync::Arc;

use super::context::DocContext;
use super::registry::{Extractor, Mention, MentionList, Shared};
use super::terms::{TermMatcher, WordHits};
use super::{ByteSpans, LanguageData, MentionBase, MentionBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::Document;
use scan::{LanguageFigures, Scanner};

/// How a qualifier bounds the number it qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    LowerExclusive,
    Lower,
    Upper,
    UpperExclusive,
    Approximate,
    Exact,
}

impl Bound {
    pub fn parse(name: &str) -> Option<Bound> {
        Some(match name {
            "lower_exclusive" => Bound::LowerExclusive,
            "lower" => Bound::Lower,
            "upper" => Bound::Upper,
            "upper_exclusive" => Bound::UpperExclusive,
            "approximate" => Bound::Approximate,
            "exact" => Bound::Exact,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bound::LowerExclusive => "lower_exclusive",
            Bound::Lower => "lower",
            Bound::Upper => "upper",
            Bound::UpperExclusive => "upper_exclusive",
            Bound::Approximate => "approximate",
            Bound::Exact => "exact",
        }
    }
}

/// The largest figure written as a row: 10^15 (a quadrillion) is above any count of
/// people or any sum of money in any currency news reports.
pub const MAX_FIGURE: f64 = 1e15;

#[derive(Debug, Clone)]
pub struct FigureMention {
    pub base: MentionBase,
    /// The number itself; a range's midpoint; a vague quantity's lower bound.
    pub value: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub qualifier: Option<Bound>,
    pub qualifier_surface: Option<String>,
    pub approximate: bool,
    pub vague: bool,
    pub range: bool,
    pub unit_surface: Option<String>,
    /// The unit's normalised code from units.tsv: ISO 4217 for money (`AMD`, `USD`),
    /// `km`, `kg`, `ha`, `%`, `°C` ...
    pub unit: Option<Arc<str>>,
    pub category: Arc<str>,
    pub quoted: bool,
    pub attributed_to: Option<String>,
}

pub struct Figures {
    languages: Vec<LanguageFigures>,
}

impl Figures {
    pub fn load(lexicons: &LexiconSet, languages: &[LanguageData]) -> Result<Self, LexiconError> {
        let languages = languages
            .iter()
            .map(|data| LanguageFigures::load(lexicons, data))
            .collect::<Result<_, _>>()?;
        Ok(Figures { languages })
    }

    pub fn extract(
        &self,
        doc: &Document,
        hits: &WordHits,
        ctx: &DocContext,
        base: &mut MentionBuilder,
        out: &mut Vec<FigureMention>,
    ) {
        let Some(language) = self.languages.iter().find(|l| l.code == doc.lang) else {
            return;
        };
        let Some(scanner) = Scanner::new(language, doc, hits) else {
            return;
        };
        for found in scanner.figures() {
            let (lower, upper) = found.bounds();
            let countable = |x: f64| x.is_finite() && x.abs() <= MAX_FIGURE;
            if !countable(found.value())
                || !lower.is_none_or(countable)
                || !upper.is_none_or(countable)
            {
                // Hundreds of digits are not a claim about anything counted, and an
                // infinite value would poison every mean and maximum downstream.
                continue;
            }
            let surface_range = found.start..found.end;
            let sentence = doc.tokens[found.number.first].sentence;
            out.push(FigureMention {
                base: base.mention(surface_range.start, surface_range.end, sentence),
                value: found.value(),
                lower,
                upper,
                qualifier: found.qualifier.map(|q| q.bound),
                qualifier_surface: found
                    .qualifier
                    .map(|q| doc.text[q.start..q.end].to_string()),
                approximate: found
                    .qualifier
                    .is_some_and(|q| q.bound == Bound::Approximate),
                vague: found.number.vague,
                range: found.number.range,
                unit_surface: found.unit.map(|r| doc.text[r].to_string()),
                unit: found.unit_code,
                category: found.category,
                quoted: ctx.quoted(surface_range.start, surface_range.end),
                attributed_to: ctx.attributed_to(sentence),
            });
        }
    }
}

/// Speaker and stance of each figure, from the tokens its text covers (the figures
/// extractor fills `attributed_to` by sentence; this refines it and adds stance).
fn attribute(doc: &Document, ctx: &DocContext, figures: &mut [FigureMention]) {
    if figures.is_empty() {
        return;
    }
    let spans = ByteSpans::of(&doc.text, figures.iter().map(|f| &f.base));
    for f in figures {
        let (start, end) = spans.span(&f.base);
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

impl Mention for FigureMention {
    fn base(&self) -> &MentionBase {
        &self.base
    }

    fn describe(&self) -> String {
        let bound = |b: Option<f64>| b.map_or("-".to_string(), |v| v.to_string());
        let mut flags = Vec::new();
        if let Some(q) = self.qualifier {
            flags.push(q.as_str().to_string());
        }
        if self.vague {
            flags.push("vague".to_string());
        }
        if self.range {
            flags.push("range".to_string());
        }
        if let Some(who) = &self.attributed_to {
            flags.push(format!("by {who}"));
        }
        format!(
            "[{:>2}] {:>5}-{:<5} {:<28} {:>12} [{}, {}] {:<18} unit «{}» {}",
            self.base.sentence,
            self.base.start,
            self.base.end,
            self.base.surface,
            self.value,
            bound(self.lower),
            bound(self.upper),
            self.category,
            self.unit_surface.as_deref().unwrap_or("-"),
            flags.join(", ")
        )
    }

    fn check(&self) -> Result<(), String> {
        for v in [Some(self.value), self.lower, self.upper]
            .into_iter()
            .flatten()
        {
            if !v.is_finite() {
                return Err(format!("figure {:?} has value {v}", self.base.surface));
            }
        }
        Ok(())
    }
}

impl Extractor for Figures {
    fn name(&self) -> &'static str {
        "figures"
    }

    fn extract(
        &self,
        doc: &Document,
        shared: &Shared<'_>,
        base: &mut MentionBuilder,
    ) -> Box<dyn MentionList> {
        let mut out = Vec::new();
        if let Some(ctx) = shared.context {
            Figures::extract(self, doc, shared.hits, ctx, base, &mut out);
            attribute(doc, ctx, &mut out);
        }
        Box::new(out)
    }
}

impl super::TermMatchers for Figures {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)> {
        self.languages
            .iter_mut()
            .flat_map(|l| l.term_matchers())
            .collect()
    }
}

#[cfg(test)]
mod number_words;
#[cfg(test)]
mod tests;
