//! Framing terms: concepts from `lexicons/frames.tsv` found through their forms in
//! `lexicons/<lang>/frames.tsv`, with the context of each mention.

use std::sync::Arc;

use super::context::DocContext;
use super::forms::{id_index, FormMatchers};
use super::registry::{Extractor, Mention, MentionList, Shared};
use super::terms::{TermMatcher, WordHits};
use super::{LanguageData, MentionBase, MentionBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::Document;

#[derive(Debug, Clone)]
pub struct FrameMention {
    pub base: MentionBase,
    pub frame_id: Arc<str>,
    pub category: Arc<str>,
    pub matched_form: Arc<str>,
    pub quoted: bool,
}

struct Concept {
    id: Arc<str>,
    category: Arc<str>,
}

pub struct Frames {
    concepts: Vec<Concept>,
    forms: FormMatchers,
}

pub const CATEGORIES: [&str; 6] = [
    "atrocity_claim",
    "delegitimisation",
    "security_framing",
    "humanitarian_framing",
    "legitimacy_sovereignty",
    "territory_naming",
];

impl Frames {
    pub fn load(lexicons: &LexiconSet, languages: &[LanguageData]) -> Result<Self, LexiconError> {
        let rows = lexicons.tsv("frames.tsv", &["frame_id", "category", "description"], 2)?;
        let index = id_index(rows.iter())?;
        let mut concepts = Vec::new();
        for row in &rows {
            if !CATEGORIES.contains(&row.get(1)) {
                return Err(row.error(format!(
                    "category `{}` is not one of {}",
                    row.get(1),
                    CATEGORIES.join(", ")
                )));
            }
            concepts.push(Concept {
                id: Arc::from(row.get(0)),
                category: Arc::from(row.get(1)),
            });
        }
        let forms = FormMatchers::load(
            lexicons,
            languages,
            "frames.tsv",
            &["frame_id", "form"],
            &index,
            "frames.tsv",
        )?;
        Ok(Frames { concepts, forms })
    }

    pub fn concept_count(&self) -> usize {
        self.concepts.len()
    }

    pub fn extract(
        &self,
        doc: &Document,
        hits: &WordHits,
        ctx: &DocContext,
        base: &mut MentionBuilder,
        out: &mut Vec<FrameMention>,
    ) {
        for (m, form) in self.forms.find(doc, hits) {
            let concept = &self.concepts[form.concept];
            let (first, last) = (&doc.tokens[m.first], &doc.tokens[m.last]);
            let mut mention = base.mention(first.start, last.end, first.sentence);
            mention.attribution = ctx.attribution(m.first, m.last);
            out.push(FrameMention {
                base: mention,
                frame_id: Arc::clone(&concept.id),
                category: Arc::clone(&concept.category),
                matched_form: Arc::clone(&form.form),
                quoted: ctx.quoted(first.start, last.end),
            });
        }
    }
}

impl Mention for FrameMention {
    fn base(&self) -> &MentionBase {
        &self.base
    }

    fn describe(&self) -> String {
        let mut flags = Vec::new();
        if self.base.in_title {
            flags.push("title".to_string());
        }
        if self.quoted {
            flags.push("quoted".to_string());
        }
        if self.base.attribution.negated {
            flags.push("negated".to_string());
        }
        if self.base.attribution.distanced {
            flags.push("distanced".to_string());
        }
        if let Some(who) = &self.base.attribution.speaker {
            flags.push(format!("by {who}"));
        }
        format!(
            "[{:>2}] {:>5}-{:<5} {:<32} {:<28} {:<22} form «{}» {}",
            self.base.sentence,
            self.base.start,
            self.base.end,
            self.base.surface,
            self.frame_id,
            self.category,
            self.matched_form,
            flags.join(", ")
        )
    }
}

impl Extractor for Frames {
    fn name(&self) -> &'static str {
        "frames"
    }

    fn extract(
        &self,
        doc: &Document,
        shared: &Shared<'_>,
        base: &mut MentionBuilder,
    ) -> Box<dyn MentionList> {
        let mut out = Vec::new();
        if let Some(ctx) = shared.context {
            Frames::extract(self, doc, shared.hits, ctx, base, &mut out);
        }
        Box::new(out)
    }
}

impl super::TermMatchers for Frames {
    fn term_matchers(&mut self) -> Vec<(&'static str, &mut TermMatcher)> {
        self.forms.term_matchers()
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::extract_text;

    /// (surface, frame_id) pairs the bundled lexicons find in `text`.
    fn frames(text: &str) -> Vec<(String, String)> {
        extract_text(text)
            .into_of::<super::FrameMention>()
            .into_iter()
            .map(|m| (m.base.surface, m.frame_id.to_string()))
            .collect()
    }

    fn has(found: &[(String, String)], surface: &str, frame: &str) -> bool {
        found.iter().any(|(s, f)| s == surface && f == frame)
    }

    #[test]
    fn azerbaijani_inflected_and_diacritic_less_forms() {
        let found = frames("Ermənistan etnik təmizləmə iddialarını yayır, lakin separatçıların təbliğatı uğursuz oldu. Qarabağda reinteqrasiya prosesi davam edir.");
        assert!(
            has(&found, "etnik təmizləmə", "ethnic_cleansing"),
            "{found:?}"
        );
        assert!(has(&found, "separatçıların", "separatists"), "{found:?}");
        assert!(has(&found, "təbliğatı", "propaganda"), "{found:?}");
        assert!(has(&found, "reinteqrasiya", "reintegration"), "{found:?}");
        let plain = frames("Ermenistan etnik temizleme iddialarini yayir, separatcilarin tebligati ugursuz oldu, Qarabagda reinteqrasiya prosesi davam edir.");
        assert!(
            has(&plain, "etnik temizleme", "ethnic_cleansing"),
            "{plain:?}"
        );
        assert!(has(&plain, "separatcilarin", "separatists"), "{plain:?}");
        assert!(has(&plain, "tebligati", "propaganda"), "{plain:?}");
    }

    #[test]
    fn armenian_inflected_ligature_and_emphasis_forms() {
        let found = frames("Ադրբեջանը Արցախում իրականացրել է էթնիկ զտում։ Էթնիկ զտման քաղաքականությունը և քարոզչությունը շարունակվում են, Արցախից հեռացել է հարյուր հազար մարդ։ Ինչո՞ւ է աշխարհը լռում էթնիկ զտո՛ւմը տեսնելով։");
        assert!(has(&found, "էթնիկ զտում", "ethnic_cleansing"), "{found:?}");
        assert!(has(&found, "Էթնիկ զտման", "ethnic_cleansing"), "{found:?}");
        assert!(has(&found, "քարոզչությունը", "propaganda"), "{found:?}");
        assert!(has(&found, "Արցախից", "artsakh_name"), "{found:?}");
        assert!(
            has(&found, "էթնիկ զտո՛ւմը", "ethnic_cleansing"),
            "{found:?}"
        );
    }

    #[test]
    fn look_alikes_and_other_languages_are_not_matched() {
        // Words sharing the first letters with terms but not their inflections.
        let found = frames("The propagators discussed occupational hazards, a cleansing agent and the separation ceremony in detail.");
        assert!(found.is_empty(), "{found:?}");
        // Turkish is not processed as Azerbaijani, even with shared vocabulary.
        let turkish = frames("Ermenistan, Azerbaycan'ın etnik temizlik yaptığını ve separatistlerin propaganda yaptığını söyledi; Karabağ'da durum gergin.");
        assert!(turkish.is_empty(), "{turkish:?}");
    }

    #[test]
    fn english_inflections_and_hyphen_variants() {
        let found = frames("Baku called it an anti-terror operation; others saw antiterror measures and anti terror measures as cover for ethnically cleansing the separatists' homeland.");
        assert!(
            found
                .iter()
                .filter(|(_, f)| f == "anti_terror_measures")
                .count()
                >= 2,
            "{found:?}"
        );
        assert!(
            has(&found, "separatists'", "separatists") || has(&found, "separatists", "separatists"),
            "{found:?}"
        );
    }
}
