//! Named entities from the gazetteer: canonical entities in `lexicons/entities.tsv`,
//! their names per language in `lexicons/<lang>/entities.tsv`, each name with the
//! perspective it signals (Stepanakert `hy`, Khankendi `az`). Inflected forms resolve
//! through the language's suffix rules (Azərbaycanın, Հայաստանի → their entity).

use std::collections::HashMap;
use std::sync::Arc;

use super::context::DocContext;
use super::forms::{id_index, FormMatchers};
use super::names::NameRules;
use super::{LanguageData, MentionBase, MentionBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::normalize::form_keys;
use crate::prepare::Document;

#[derive(Debug, Clone)]
pub struct EntityMention {
    pub base: MentionBase,
    pub entity_id: Option<Arc<str>>,
    pub label: Arc<str>,
    pub canonical_name: Option<Arc<str>>,
    pub matched_form: Option<Arc<str>>,
    pub perspective: Option<Arc<str>>,
    pub method: &'static str,
}

pub const LABELS: [&str; 4] = ["PER", "ORG", "LOC", "GPE"];
pub const PERSPECTIVES: [&str; 3] = ["hy", "az", "neutral"];

struct Entity {
    id: Arc<str>,
    label: Arc<str>,
    canonical_name: Arc<str>,
}

pub struct Entities {
    entities: Vec<Entity>,
    forms: FormMatchers,
    rules: HashMap<&'static str, NameRules>,
    /// Per language, folded one-word names of places, to recognise adjectives
    /// derived from them (Armenian, azərbaycanlı) as not names.
    place_words: HashMap<&'static str, Vec<String>>,
}

impl Entities {
    pub fn load(lexicons: &LexiconSet, languages: &[LanguageData]) -> Result<Self, LexiconError> {
        let rows = lexicons.tsv("entities.tsv", &["entity_id", "label", "canonical_name"], 3)?;
        let index = id_index(rows.iter())?;
        let mut entities = Vec::new();
        for row in &rows {
            if !LABELS.contains(&row.get(1)) {
                return Err(row.error(format!(
                    "label `{}` is not one of {}",
                    row.get(1),
                    LABELS.join(", ")
                )));
            }
            entities.push(Entity {
                id: Arc::from(row.get(0)),
                label: Arc::from(row.get(1)),
                canonical_name: Arc::from(row.get(2)),
            });
        }
        let columns = ["entity_id", "form", "perspective"];
        for data in languages {
            let file = format!("{}/entities.tsv", data.language.code());
            for row in lexicons.tsv(&file, &columns, 2)? {
                let p = row.get(2);
                if !p.is_empty() && !PERSPECTIVES.contains(&p) {
                    return Err(row.error(format!(
                        "perspective `{p}` is not one of hy, az, neutral (or empty)"
                    )));
                }
            }
        }
        let forms = FormMatchers::load(
            lexicons,
            languages,
            "entities.tsv",
            &columns,
            &index,
            "entities.tsv",
        )?;
        let mut rules = HashMap::new();
        let mut place_words = HashMap::new();
        for data in languages {
            let language = &*data.language;
            rules.insert(
                language.code(),
                NameRules::load(lexicons, language, data.suffixes.clone())?,
            );
            let file = format!("{}/entities.tsv", language.code());
            let mut words: Vec<String> = lexicons
                .tsv(&file, &columns, 2)?
                .iter()
                .filter(|row| {
                    index
                        .get(row.get(0))
                        .is_some_and(|&e| &*entities[e].label == "GPE")
                })
                .map(|row| form_keys(language, row.get(1)))
                .filter(|keys| keys.len() == 1 && keys[0].chars().count() >= 4)
                .map(|mut keys| keys.remove(0))
                .collect();
            words.sort();
            words.dedup();
            place_words.insert(language.code(), words);
        }
        Ok(Entities {
            entities,
            forms,
            rules,
            place_words,
        })
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Gazetteer names first; then, in the words they leave, names found by rule.
    pub fn extract(
        &self,
        doc: &Document,
        ctx: &DocContext,
        base: &mut MentionBuilder,
        out: &mut Vec<EntityMention>,
    ) {
        let mut covered = vec![false; doc.tokens.len()];
        let mut found: Vec<(usize, EntityMention)> = Vec::new();
        for (m, form) in self.forms.find(doc) {
            let entity = &self.entities[form.concept];
            let (first, last) = (&doc.tokens[m.first], &doc.tokens[m.last]);
            covered[m.first..=m.last].iter_mut().for_each(|c| *c = true);
            found.push((
                m.first,
                EntityMention {
                    base: base.mention(first.start, last.end, first.sentence),
                    entity_id: Some(Arc::clone(&entity.id)),
                    label: Arc::clone(&entity.label),
                    canonical_name: Some(Arc::clone(&entity.canonical_name)),
                    matched_form: Some(Arc::clone(&form.form)),
                    perspective: (!form.extra.is_empty()).then(|| Arc::clone(&form.extra)),
                    method: "gazetteer",
                },
            ));
        }
        if let Some(rules) = self.rules.get(doc.lang.as_str()) {
            let places = self
                .place_words
                .get(doc.lang.as_str())
                .map_or(&[][..], Vec::as_slice);
            let is_demonym = |key: &str| {
                places.iter().any(|p| {
                    key.len() > p.len() && key.starts_with(p.as_str()) && key.len() - p.len() <= 6
                })
            };
            for name in rules.find(doc, ctx, &covered, &is_demonym) {
                let (first, last) = (&doc.tokens[name.first], &doc.tokens[name.last]);
                found.push((
                    name.first,
                    EntityMention {
                        base: base.mention(first.start, last.end, first.sentence),
                        entity_id: None,
                        label: Arc::from(name.label),
                        canonical_name: None,
                        matched_form: None,
                        perspective: None,
                        method: "rule",
                    },
                ));
            }
        }
        // Text order, whichever method found them.
        found.sort_by_key(|(first, _)| *first);
        out.extend(found.into_iter().map(|(_, m)| m));
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::extract_text;

    /// (surface, entity_id, perspective) the bundled gazetteer finds in `text`.
    fn entities(text: &str) -> Vec<(String, String, Option<String>)> {
        extract_text(text)
            .entities
            .into_iter()
            .map(|m| {
                let id = m.entity_id.map(|i| i.to_string()).unwrap_or_default();
                (m.base.surface, id, m.perspective.map(|p| p.to_string()))
            })
            .collect()
    }

    fn id_of(found: &[(String, String, Option<String>)], surface: &str) -> Option<String> {
        found
            .iter()
            .find(|(s, _, _)| s == surface)
            .map(|(_, id, _)| id.clone())
    }

    #[test]
    fn inflected_azerbaijani_forms_resolve_to_their_entity() {
        let found = entities("Azərbaycanın paytaxtında bildirilib ki, Ermənistana məxsus silahlar Xankəndidə və Qarabağdan çıxarılıb.");
        assert_eq!(
            id_of(&found, "Azərbaycanın").as_deref(),
            Some("azerbaijan"),
            "{found:?}"
        );
        assert_eq!(
            id_of(&found, "Ermənistana").as_deref(),
            Some("armenia"),
            "{found:?}"
        );
        assert_eq!(
            id_of(&found, "Xankəndidə").as_deref(),
            Some("stepanakert"),
            "{found:?}"
        );
    }

    #[test]
    fn inflected_armenian_forms_resolve_to_their_entity() {
        let found = entities("Հայաստանի քաղաքացիները հայտնել են, որ Ադրբեջանից եկած զինվորները մտել են Ստեփանակերտ, իսկ Արցախից հեռացել է ժողովուրդը։");
        assert_eq!(
            id_of(&found, "Հայաստանի").as_deref(),
            Some("armenia"),
            "{found:?}"
        );
        assert_eq!(
            id_of(&found, "Ադրբեջանից").as_deref(),
            Some("azerbaijan"),
            "{found:?}"
        );
        assert_eq!(
            id_of(&found, "Ստեփանակերտ").as_deref(),
            Some("stepanakert"),
            "{found:?}"
        );
    }

    #[test]
    fn names_outside_the_gazetteer_are_found_by_rule_without_titles() {
        let found = entities("Local official Armen Gasparyan said the Goris Aid Committee had opened shelters near the Vorotan river.");
        let gasparyan = found
            .iter()
            .find(|(s, _, _)| s == "Armen Gasparyan")
            .expect("person found without the title");
        assert_eq!(gasparyan.1, "", "no entity id for a rule name");
        assert!(
            found.iter().any(|(s, _, _)| s.ends_with("Aid Committee")),
            "{found:?}"
        );
        let az = entities("Xocavənd rayonu sakini Elçin Qurbanov bildirib ki, Qarabağ Dirçəliş Fondu yardım göndərib.");
        assert!(az.iter().any(|(s, _, _)| s == "Elçin Qurbanov"), "{az:?}");
        assert!(
            az.iter()
                .any(|(s, _, _)| s.starts_with("Qarabağ Dirçəliş") || s == "Dirçəliş Fondu"),
            "{az:?}"
        );
    }

    #[test]
    fn naming_variants_share_an_id_and_carry_their_perspective() {
        let found = entities("Residents of Stepanakert, which Baku calls Khankendi, crossed into Armenia via the Lachin corridor.");
        let stepanakert = found.iter().find(|(s, _, _)| s == "Stepanakert").unwrap();
        let khankendi = found.iter().find(|(s, _, _)| s == "Khankendi").unwrap();
        assert_eq!(stepanakert.1, khankendi.1);
        assert_eq!(stepanakert.2.as_deref(), Some("hy"));
        assert_eq!(khankendi.2.as_deref(), Some("az"));
    }
}
