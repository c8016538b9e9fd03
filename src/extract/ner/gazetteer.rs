//! Gazetteer evidence for the labeller, read from the lexicons: the language's entity
//! names (`<lang>/entities.tsv`, by their label in `entities.tsv`), its cue words
//! (`<lang>/entity_cues.tsv`: titles, organisation, place and landmark words) and
//! surname endings, and the long generated lists of `<lang>/gazetteer.tsv` (place
//! names from CLDR and GeoNames, see `models/build_gazetteers.py`). Each kind sets one
//! bit on the tokens it covers, a second bit telling the first token from the rest, so
//! the model learns how far to trust it.

use std::collections::HashMap;

use crate::extract::terms::{Suffixes, TermMatcher, TermMatcherBuilder, Vocabulary, WordHits};
use crate::extract::LanguageData;
use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::{fold, form_keys};
use crate::prepare::Token;

use super::features::{key_hash, stem_hash, GazetteerBits};
use super::ChainSplits;

/// Kinds of evidence, in bit order; the order is part of the feature set.
pub const KINDS: [&str; 14] = [
    "entity:PER",
    "entity:ORG",
    "entity:GPE",
    "entity:LOC",
    "cue:title",
    "cue:org",
    "cue:place",
    "cue:landmark",
    "cue:lower_in_name",
    "surname_suffix",
    "cue:other",
    "list:place",
    "list:person",
    "list:org",
];

/// Bits (first word and the others) of the places the lexicons know: `entities.tsv`
/// names labelled GPE or LOC, and the place lists of `gazetteer.tsv`.
pub const PLACE_BITS: GazetteerBits = 0b1111 << 4 | 0b11 << 22;

fn kind_bit(kind: &str) -> usize {
    // Cue kinds the lexicon may add later share the `cue:other` bit.
    KINDS.iter().position(|k| *k == kind).unwrap_or(10)
}

/// Matchers for one language.
pub struct Gazetteer {
    entities: TermMatcher,
    cues: TermMatcher,
    /// Folded surname endings (`yan`, `ov`, `ова`...).
    surname_suffixes: Vec<String>,
    lists: ListMatcher,
    /// Key hashes ([`key_hash`]), sorted, of the words that never begin a name
    /// (`not_name_start` in `entity_cues.tsv`: How, Why, Explainer); not a feature, a
    /// decoding constraint.
    not_name_start: Vec<u64>,
    /// Key and stem hashes, sorted, of the month names (one-word `date` forms of `units.tsv`,
    /// the figures' lexicon): a month next to a day number is a date, never part of a
    /// name ("Oktyabrın 1-də Birləşmiş Millətlər Təşkilatının" is a date, then the UN).
    months: Vec<u64>,
}

impl Gazetteer {
    /// Its two term matchers, to share one vocabulary with the other extractors.
    pub fn term_matchers(&mut self) -> Vec<&mut TermMatcher> {
        vec![&mut self.entities, &mut self.cues]
    }
}

/// Matches tens of thousands of names by hashing, where an automaton would be large:
/// names by the key of their first word, each word allowed the language's suffixes.
struct ListMatcher {
    suffixes: Suffixes,
    by_first: HashMap<String, Vec<(Vec<String>, usize)>>,
}

impl ListMatcher {
    fn word_is(&self, word: &str, token: &Token) -> bool {
        token.key.starts_with(word) && self.suffixes.is_chain(&token.key[word.len()..])
    }

    /// Longest names first at each token; matches do not overlap.
    fn find(&self, tokens: &[Token], splits: &ChainSplits) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let mut best: Option<(usize, usize)> = None;
            let key = tokens[i].key.as_str();
            for stem in splits.of(i).map(|p| &key[..p]) {
                for (rest, kind) in self.by_first.get(stem).into_iter().flatten() {
                    let fits = rest.iter().enumerate().all(|(k, w)| {
                        tokens
                            .get(i + 1 + k)
                            .is_some_and(|t| t.sentence == tokens[i].sentence && self.word_is(w, t))
                    });
                    if fits && best.is_none_or(|(n, _)| rest.len() > n) {
                        best = Some((rest.len(), *kind));
                    }
                }
            }
            match best {
                Some((n, kind)) => {
                    out.push((i, i + n, kind));
                    i += n + 1;
                }
                None => i += 1,
            }
        }
        out
    }
}

impl Gazetteer {
    pub fn load(lexicons: &LexiconSet, data: &LanguageData) -> Result<Self, LexiconError> {
        let language: &dyn Language = &*data.language;
        let code = language.code();
        let labels: HashMap<String, String> = lexicons
            .tsv("entities.tsv", &["entity_id", "label", "canonical_name"], 3)?
            .iter()
            .map(|row| (row.get(0).to_string(), row.get(1).to_string()))
            .collect();
        let mut entities = TermMatcherBuilder::new(language, data.suffixes.clone());
        let file = format!("{code}/entities.tsv");
        for row in lexicons.tsv(&file, &["entity_id", "form", "perspective"], 2)? {
            if let Some(label) = labels.get(row.get(0)) {
                entities.add(row.get(1), kind_bit(&format!("entity:{label}")));
            }
        }
        let mut cues = TermMatcherBuilder::new(language, data.suffixes.clone());
        let mut surname_suffixes = Vec::new();
        let mut not_name_start = Vec::new();
        let file = format!("{code}/entity_cues.tsv");
        if lexicons.contains(&file) {
            for row in lexicons.tsv(&file, &["kind", "form"], 2)? {
                if row.get(0) == "surname_suffix" {
                    surname_suffixes.push(fold(language, row.get(1)));
                } else if row.get(0) == "not_name_start" {
                    match form_keys(language, row.get(1)).as_slice() {
                        [key] => not_name_start.push(key_hash(key)),
                        _ => return Err(row.error("a not_name_start form is one word")),
                    };
                } else {
                    cues.add(row.get(1), kind_bit(&format!("cue:{}", row.get(0))));
                }
            }
        }
        let mut lists = ListMatcher {
            suffixes: data.suffixes.clone(),
            by_first: HashMap::new(),
        };
        let file = format!("{code}/gazetteer.tsv");
        if lexicons.contains(&file) {
            for row in lexicons.tsv(&file, &["kind", "form"], 2)? {
                let kind = match row.get(0) {
                    k @ ("place" | "person" | "org") => kind_bit(&format!("list:{k}")),
                    other => {
                        return Err(
                            row.error(format!("kind `{other}` is not one of place, person, org"))
                        )
                    }
                };
                let mut keys = form_keys(language, row.get(1));
                if keys.is_empty() {
                    continue;
                }
                let first = keys.remove(0);
                lists.by_first.entry(first).or_default().push((keys, kind));
            }
        }
        not_name_start.sort_unstable();
        let mut months = Vec::new();
        let file = format!("{code}/units.tsv");
        if lexicons.contains(&file) {
            for row in lexicons.tsv(&file, &["form", "category", "unit"], 2)? {
                if let ("date", [key]) = (row.get(1), form_keys(language, row.get(0)).as_slice()) {
                    // As a whole word, and as the stem of an inflected one.
                    months.extend([key_hash(key), stem_hash(key)]);
                }
            }
        }
        months.sort_unstable();
        let (mut entities, mut cues) = (entities.build(), cues.build());
        // One scan serves both when the gazetteer is used alone (training, eval).
        Vocabulary::share(&mut [&mut entities, &mut cues]);
        Ok(Gazetteer {
            entities,
            cues,
            surname_suffixes,
            lists,
            not_name_start,
            months,
        })
    }

    /// Whether a word (by its key's hash, uninflected) never begins a name.
    pub fn cannot_begin(&self, key_hash: u64) -> bool {
        self.not_name_start.binary_search(&key_hash).is_ok()
    }

    /// Whether a word (by the hash of its key, or of its stem: `sentyabrın`) names a
    /// month.
    pub fn is_month(&self, key: u64, stem: u64) -> bool {
        [key, stem]
            .iter()
            .any(|h| self.months.binary_search(h).is_ok())
    }

    /// One bit set per kind covering each token: bit `2k` on the first token of an
    /// entry of kind `k`, bit `2k + 1` on the others.
    /// `hits`: the tokens scanned with the vocabulary the matchers share, if any.
    pub fn bits(
        &self,
        tokens: &[Token],
        text: &str,
        splits: &ChainSplits,
        hits: Option<&WordHits>,
    ) -> Vec<GazetteerBits> {
        let mut bits = vec![0 as GazetteerBits; tokens.len()];
        let own;
        let hits = match hits {
            Some(hits) => hits,
            None => {
                own = self.entities.vocabulary().scan(tokens);
                &own
            }
        };
        for matcher in [&self.entities, &self.cues] {
            for m in matcher.find_in(tokens, text, hits) {
                for (i, b) in bits[m.first..=m.last].iter_mut().enumerate() {
                    *b |= 1 << (2 * m.payload + usize::from(i > 0));
                }
            }
        }
        for (first, last, kind) in self.lists.find(tokens, splits) {
            for (i, b) in bits[first..=last].iter_mut().enumerate() {
                *b |= 1 << (2 * kind + usize::from(i > 0));
            }
        }
        let surname = 1 << (2 * kind_bit("surname_suffix"));
        for (t, b) in tokens.iter().zip(&mut bits) {
            if self
                .surname_suffixes
                .iter()
                .any(|s| t.key.len() > s.len() + 2 && t.key.ends_with(s.as_str()))
            {
                *b |= surname;
            }
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Contractions of "I" are listed, and the text's typographic apostrophe finds them
    /// (the English model took "I’m" for a person in real news pages).
    #[test]
    fn first_person_contractions_never_begin_a_name() {
        let lexicons = LexiconSet::bundled();
        let data = LanguageData::load_all(&lexicons).unwrap();
        let en = data.iter().find(|d| d.language.code() == "en").unwrap();
        let gazetteer = Gazetteer::load(&lexicons, en).unwrap();
        let begins = |word: &str| {
            let keys = form_keys(&*en.language, word);
            !gazetteer.cannot_begin(key_hash(&keys[0]))
        };
        for word in ["I’m", "I'm", "I’ll", "I’ve", "I’d"] {
            assert!(!begins(word), "{word}");
        }
        assert!(begins("Ivan") && begins("Iran"));
    }

    #[test]
    fn place_bits_are_the_place_kinds() {
        let bits = |kind: &str| 0b11 << (2 * kind_bit(kind));
        assert_eq!(
            PLACE_BITS,
            bits("entity:GPE") | bits("entity:LOC") | bits("list:place")
        );
    }
}
