//! Names that are not in the gazetteer, found from evidence in the text
//! (`lexicons/<lang>/entity_cues.tsv`): a run of capitalised words labelled by an
//! organisation word in or right after it (Ministry, նախարարություն, nazirliyi → ORG),
//! a place word (district, մարզ, rayonu → GPE; river, corridor → LOC), a title before
//! it or a surname ending (President …, -yan, -ov → PER). Titles are never part of
//! the span; runs with no evidence are left out.

use super::context::DocContext;
use super::terms::{Suffixes, TermMatcher, TermMatcherBuilder};
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::fold;
use crate::prepare::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Title,
    Org,
    Place,
    Landmark,
}

const KINDS: [(&str, Option<Cue>); 7] = [
    ("title", Some(Cue::Title)),
    ("org", Some(Cue::Org)),
    ("place", Some(Cue::Place)),
    ("landmark", Some(Cue::Landmark)),
    ("surname_suffix", None),
    ("lower_in_name", None),
    ("", None),
];

/// A name found by rule: token range (inclusive) and label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleName {
    pub first: usize,
    pub last: usize,
    pub label: &'static str,
}

pub struct NameRules {
    cues: TermMatcher,
    kinds: Vec<Cue>,
    surname_suffixes: Vec<String>,
    suffixes: Suffixes,
}

impl NameRules {
    pub fn load(
        lexicons: &LexiconSet,
        language: &dyn Language,
        suffixes: Suffixes,
    ) -> Result<Self, LexiconError> {
        let file = format!("{}/entity_cues.tsv", language.code());
        let mut builder = TermMatcherBuilder::new(language, suffixes.clone());
        let mut kinds = Vec::new();
        let mut surname_suffixes = Vec::new();
        for row in lexicons.tsv(&file, &["kind", "form"], 2)? {
            match KINDS.iter().find(|(k, _)| !k.is_empty() && *k == row.get(0)) {
                Some((_, Some(cue))) => {
                    builder.add(row.get(1), kinds.len());
                    kinds.push(*cue);
                }
                Some((kind, None)) if *kind == "surname_suffix" => {
                    surname_suffixes.push(fold(language, row.get(1).trim_start_matches('-')));
                }
                Some(_) => {}
                None => {
                    return Err(row.error(format!(
                        "kind `{}` is not one of title, org, place, landmark, surname_suffix, lower_in_name",
                        row.get(0)
                    )))
                }
            }
        }
        Ok(NameRules {
            cues: builder.build(),
            kinds,
            surname_suffixes,
            suffixes,
        })
    }

    /// Whether a token reads as a surname: a stem of two letters or more, a surname
    /// ending, then inflection (`Փաշինյանը`, `Hacıyevin`).
    fn is_surname(&self, key: &str) -> bool {
        self.surname_suffixes.iter().any(|s| {
            key.match_indices(s.as_str()).any(|(at, _)| {
                key[..at].chars().count() >= 2 && self.suffixes.is_chain(&key[at + s.len()..])
            })
        })
    }

    /// Names in `doc` outside the tokens `covered` by gazetteer matches.
    /// `is_demonym` tells words derived from a known place name (Armenian, Russian).
    pub fn find(
        &self,
        doc: &Document,
        ctx: &DocContext,
        covered: &[bool],
        is_demonym: &dyn Fn(&str) -> bool,
    ) -> Vec<RuleName> {
        let n = doc.tokens.len();
        let mut cue: Vec<Option<Cue>> = vec![None; n];
        for m in self.cues.find(&doc.tokens, &doc.text) {
            for slot in &mut cue[m.first..=m.last] {
                *slot = Some(self.kinds[m.payload]);
            }
        }
        let free = |i: usize| i < n && !covered[i];
        let part_of_name = |i: usize| free(i) && ctx.name_like(i) && cue[i] != Some(Cue::Title);
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            if !part_of_name(i) {
                i += 1;
                continue;
            }
            let mut start = i;
            let mut end = i + 1;
            loop {
                if end < n && ctx.adjacent(end - 1, end) && part_of_name(end) {
                    end += 1;
                } else if end + 1 < n
                    && free(end)
                    && ctx.adjacent(end - 1, end)
                    && ctx.is_connector(end)
                    && ctx.adjacent(end, end + 1)
                    && part_of_name(end + 1)
                {
                    end += 2;
                } else {
                    break;
                }
            }
            // Lowercase organisation or place words after the run belong to the name
            // in Armenian and Azerbaijani: Պաշտպանության բանակ, Xocalı rayonu.
            let mut stop = end;
            let mut trailing = None;
            while free(stop) && ctx.adjacent(stop - 1, stop) && !ctx.capitalised(stop) {
                match cue[stop] {
                    Some(kind @ (Cue::Org | Cue::Place | Cue::Landmark)) => {
                        trailing = trailing.or(Some(kind));
                        stop += 1;
                    }
                    _ => break,
                }
            }
            i = stop;
            // A capitalised sentence start with no evidence of being a name is not part
            // of one ("Politoloq Aynur …", "Ըստ կառավարության").
            if ctx.is_sentence_initial_word(start, start + 1) {
                start += 1;
            }
            let core = start..end;
            let is_cue = |t: usize| cue[t].is_some();
            if core.is_empty()
                || core.clone().all(is_cue)
                || (core.len() == 1 && is_demonym(&doc.tokens[start].key))
            {
                continue;
            }
            let priority = |kinds: &mut dyn Iterator<Item = Cue>| {
                let kinds: Vec<Cue> = kinds.collect();
                [Cue::Org, Cue::Place, Cue::Landmark]
                    .into_iter()
                    .find(|k| kinds.contains(k))
            };
            let inner = priority(&mut core.clone().filter_map(|t| cue[t]));
            let titled =
                start > 0 && cue[start - 1] == Some(Cue::Title) && ctx.adjacent(start - 1, start);
            // Given name + surname: a lone word with a surname ending is too often
            // something else ("Armenian").
            let surname =
                (2..=3).contains(&core.len()) && self.is_surname(&doc.tokens[end - 1].key);
            let label = match trailing.or(inner) {
                Some(Cue::Org) => "ORG",
                Some(Cue::Place) => "GPE",
                Some(Cue::Landmark) => "LOC",
                _ if titled || surname => "PER",
                _ => continue,
            };
            out.push(RuleName {
                first: start,
                last: stop - 1,
                label,
            });
        }
        out
    }
}
