//! Inflection-aware term matching, shared by framing terms, entities and cue words.
//!
//! A lexicon form matches a run of document tokens when each token is the form's word
//! followed by a valid suffix chain of the language (`lexicons/<lang>/suffixes.tsv`):
//! `Azərbaycanın` is `azerbaycan` + `in`, `զտումը` is `զտում` + `ը`.
//!
//! The words of every term set of a language form one [`Vocabulary`]: one anchored
//! automaton walked once along each token key, with the suffix chain after each word
//! checked once, gives the document's [`WordHits`]. Every matcher (frames, entity
//! forms, speaker cues, the NER gazetteer, number words, units, qualifiers, figure
//! cues) then reads those hits instead of searching the tokens again
//! ([`Vocabulary::share`] links them; a matcher used alone scans with its own words).
//! Matches are leftmost-longest and never overlap.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

use crate::lexicon::{LexiconError, LexiconSet};
use crate::prepare::languages::Language;
use crate::prepare::normalize::{fold, form_keys};
use crate::prepare::Token;

/// Inflectional suffixes by slot; a chain takes at most one suffix per slot, in order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Suffixes {
    /// Each slot's suffixes grouped by [`bucket`] of their first character, with
    /// `first[k]..first[k + 1]` the group of bucket `k`: a chain check compares only
    /// those (Azerbaijani has 92 suffixes, and every token's cut points are checked).
    /// A first byte would not do: every Armenian letter starts with one of three.
    slots: Vec<(Vec<String>, Vec<u16>)>,
}

const BUCKETS: usize = 256;

/// A character's bucket: the letters of one script fall in distinct buckets.
#[inline]
fn bucket(c: char) -> usize {
    let c = c as u32;
    ((c ^ (c >> 8)) as usize) & (BUCKETS - 1)
}

fn first_bucket(s: &str) -> usize {
    s.chars().next().map_or(0, bucket)
}

fn index_slot(mut suffixes: Vec<String>) -> (Vec<String>, Vec<u16>) {
    suffixes.retain(|s| !s.is_empty());
    suffixes.sort_by(|a, b| (first_bucket(a), a).cmp(&(first_bucket(b), b)));
    suffixes.dedup();
    let mut first = vec![0u16; BUCKETS + 1];
    for k in 0..BUCKETS {
        first[k + 1] = first[k] + suffixes.iter().filter(|s| first_bucket(s) == k).count() as u16;
    }
    (suffixes, first)
}

impl Suffixes {
    pub fn load(lexicons: &LexiconSet, language: &dyn Language) -> Result<Self, LexiconError> {
        let file = format!("{}/suffixes.tsv", language.code());
        let mut by_slot: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for row in lexicons.tsv(&file, &["slot", "suffix"], 2)? {
            let slot: u32 = row
                .get(0)
                .parse()
                .map_err(|_| row.error(format!("slot `{}` is not a whole number", row.get(0))))?;
            by_slot
                .entry(slot)
                .or_default()
                .push(fold(language, row.get(1)));
        }
        Ok(Suffixes {
            slots: by_slot.into_values().map(index_slot).collect(),
        })
    }

    #[cfg(test)]
    pub fn from_slots(slots: &[&[&str]]) -> Self {
        Suffixes {
            slots: slots
                .iter()
                .map(|s| index_slot(s.iter().map(|x| x.to_string()).collect()))
                .collect(),
        }
    }

    /// Whether `rest` is empty or a chain of suffixes in increasing slot order.
    pub fn is_chain(&self, rest: &str) -> bool {
        self.chain_from(rest, 0)
    }

    fn chain_from(&self, rest: &str, slot: usize) -> bool {
        if rest.is_empty() {
            return true;
        }
        let b = first_bucket(rest);
        self.slots[slot.min(self.slots.len())..]
            .iter()
            .enumerate()
            .any(|(i, (suffixes, first))| {
                suffixes[first[b] as usize..first[b + 1] as usize]
                    .iter()
                    .any(|s| {
                        rest.starts_with(s.as_str())
                            && self.chain_from(&rest[s.len()..], slot + i + 1)
                    })
            })
    }
}

/// One word of a term: its key, and whether the form wrote it as an acronym (`UN`,
/// `ԵՄ`), which then only matches words written in capitals.
#[derive(Debug, Clone)]
struct Word {
    key: String,
    /// The key's id in the matcher's vocabulary.
    id: u32,
    acronym: bool,
}

/// A match: term payload and the token range it covers (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub payload: usize,
    pub first: usize,
    pub last: usize,
}

/// Collects forms for one language, then builds the matcher.
pub struct TermMatcherBuilder<'a> {
    language: &'a dyn Language,
    suffixes: Suffixes,
    terms: Vec<(Vec<Word>, usize)>,
}

impl<'a> TermMatcherBuilder<'a> {
    pub fn new(language: &'a dyn Language, suffixes: Suffixes) -> Self {
        TermMatcherBuilder {
            language,
            suffixes,
            terms: Vec::new(),
        }
    }

    /// Adds a form. A hyphenated form is also added split at its hyphens, so
    /// `anti-terror` matches `anti-terror`, `antiterror` and `anti terror`.
    /// Returns false when the form has no word.
    pub fn add(&mut self, form: &str, payload: usize) -> bool {
        let joined = self.words(form);
        if joined.is_empty() {
            return false;
        }
        if form.contains('-') {
            let split = self.words(&form.replace('-', " "));
            if split.len() != joined.len() {
                self.terms.push((split, payload));
            }
        }
        self.terms.push((joined, payload));
        true
    }

    fn words(&self, form: &str) -> Vec<Word> {
        let originals: Vec<&str> = form.split_whitespace().collect();
        let keys = form_keys(self.language, form);
        let acronyms = keys.len() == originals.len();
        keys.into_iter()
            .enumerate()
            .map(|(i, key)| Word {
                acronym: acronyms && is_acronym(originals[i]),
                id: 0,
                key,
            })
            .collect()
    }

    /// The matcher, with a vocabulary of its own words (see [`Vocabulary::share`]).
    pub fn build(mut self) -> TermMatcher {
        let mut keys: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for (words, _) in &mut self.terms {
            for word in words {
                word.id = *ids.entry(word.key.clone()).or_insert_with(|| {
                    keys.push(word.key.clone());
                    keys.len() as u32 - 1
                });
            }
        }
        let mut matcher = TermMatcher {
            vocabulary: Arc::new(Vocabulary::new(keys, self.suffixes)),
            starting_terms: Vec::new(),
            by_first_word: Vec::new(),
            terms: self.terms,
        };
        matcher.index_first_words();
        matcher
    }
}

fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.len() <= 5 && letters.iter().all(|c| c.is_uppercase())
}

/// Every word of a language's term sets in one anchored automaton, with the
/// language's suffix chains.
#[derive(Debug)]
pub struct Vocabulary {
    /// Tells [`WordHits`] of one vocabulary from another's.
    id: u64,
    words: Vec<String>,
    automaton: NFA,
    suffixes: Suffixes,
}

static NEXT_VOCABULARY_ID: AtomicU64 = AtomicU64::new(1);

impl Vocabulary {
    fn new(words: Vec<String>, suffixes: Suffixes) -> Self {
        // Walked anchored: only words that start a token key matter, so a walk from
        // the key's first byte stops at the first byte no word continues with (after
        // one byte for most tokens). A contiguous NFA: 100-170 KB per language where
        // a DFA of the same words takes 1-5 MB, and no slower on these short walks.
        let automaton = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("word keys build an automaton");
        Vocabulary {
            id: NEXT_VOCABULARY_ID.fetch_add(1, Ordering::Relaxed),
            words,
            automaton,
            suffixes,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Heap bytes of the automaton.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// One vocabulary for all `matchers` (those of one language), which then read the
    /// same [`WordHits`]; their matches do not change. Matchers with other suffix
    /// rules keep their own. Returns the shared vocabulary.
    pub fn share(matchers: &mut [&mut TermMatcher]) -> Arc<Vocabulary> {
        let suffixes = matchers
            .first()
            .map(|m| m.vocabulary.suffixes.clone())
            .unwrap_or_default();
        let mut words: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for matcher in matchers
            .iter()
            .filter(|m| m.vocabulary.suffixes == suffixes)
        {
            for word in &matcher.vocabulary.words {
                ids.entry(word.clone()).or_insert_with(|| {
                    words.push(word.clone());
                    words.len() as u32 - 1
                });
            }
        }
        let shared = Arc::new(Vocabulary::new(words, suffixes));
        for matcher in matchers.iter_mut() {
            if matcher.vocabulary.suffixes != shared.suffixes {
                continue;
            }
            for (words, _) in &mut matcher.terms {
                for word in words {
                    word.id = ids[&word.key];
                }
            }
            matcher.vocabulary = Arc::clone(&shared);
            matcher.index_first_words();
        }
        shared
    }

    /// The words each token is (the word plus a suffix chain of the language), for
    /// every token.
    pub fn scan(&self, tokens: &[Token]) -> WordHits {
        let mut hits = WordHits {
            vocabulary: self.id,
            bounds: Vec::with_capacity(tokens.len() + 1),
            ids: Vec::new(),
        };
        hits.bounds.push(0);
        for token in tokens {
            for (id, len) in self.prefix_words(&token.key) {
                if self.suffixes.is_chain(&token.key[len..]) {
                    hits.ids.push(id);
                }
            }
            hits.bounds.push(hits.ids.len() as u32);
        }
        hits
    }

    /// `(id, length)` of the words that `key` starts with, shortest first.
    fn prefix_words<'k>(&'k self, key: &'k str) -> PrefixWords<'k> {
        PrefixWords {
            vocabulary: self,
            key: key.as_bytes(),
            state: self.automaton.start_state(Anchored::Yes).ok(),
            depth: 0,
            pending: 0,
        }
    }
}

/// For each token of a document, the ids of the vocabulary words it is, shortest
/// first.
#[derive(Debug, Clone)]
pub struct WordHits {
    vocabulary: u64,
    bounds: Vec<u32>,
    ids: Vec<u32>,
}

impl WordHits {
    fn of(&self, token: usize) -> &[u32] {
        &self.ids[self.bounds[token] as usize..self.bounds[token + 1] as usize]
    }
}

pub struct TermMatcher {
    vocabulary: Arc<Vocabulary>,
    /// For each vocabulary word, `starting_terms[k]..starting_terms[k + 1]` is the
    /// range of [`Self::by_first_word`] holding the terms that start with it: one
    /// array read per hit, since every matcher reads every hit of the document.
    starting_terms: Vec<u32>,
    by_first_word: Vec<u32>,
    terms: Vec<(Vec<Word>, usize)>,
}

impl TermMatcher {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn index_first_words(&mut self) {
        let words = self.vocabulary.len();
        let mut order: Vec<(u32, u32)> = (self.terms.iter().enumerate())
            .map(|(term, (words, _))| (words[0].id, term as u32))
            .collect();
        // Stable: terms with one first word stay in the order they were added.
        order.sort_by_key(|&(id, _)| id);
        self.by_first_word = order.iter().map(|&(_, term)| term).collect();
        self.starting_terms = vec![0; words + 1];
        for &(id, _) in &order {
            self.starting_terms[id as usize + 1] += 1;
        }
        for k in 0..words {
            self.starting_terms[k + 1] += self.starting_terms[k];
        }
    }

    fn terms_starting_with(&self, id: u32) -> &[u32] {
        let (a, b) = (
            self.starting_terms[id as usize],
            self.starting_terms[id as usize + 1],
        );
        &self.by_first_word[a as usize..b as usize]
    }

    /// The vocabulary whose [`WordHits`] this matcher reads.
    pub fn vocabulary(&self) -> &Arc<Vocabulary> {
        &self.vocabulary
    }

    /// All non-overlapping matches in `tokens` (see [`Self::find_in`]), scanning
    /// them with this matcher's vocabulary.
    pub fn find(&self, tokens: &[Token], text: &str) -> Vec<TermMatch> {
        self.find_in(tokens, text, &self.vocabulary.scan(tokens))
    }

    /// Whether `token` is `word` plus a suffix chain (and capitalised for acronyms).
    fn token_is(&self, word: &Word, hits: &WordHits, i: usize, token: &Token, text: &str) -> bool {
        hits.of(i).contains(&word.id)
            && (!word.acronym || starts_with_capitals(&text[token.start..token.end]))
    }

    /// All non-overlapping matches in `tokens`, leftmost first; at one position the
    /// match covering most tokens wins, then the longest first word. `hits` are the
    /// tokens scanned with this matcher's vocabulary (shared or its own).
    pub fn find_in(&self, tokens: &[Token], text: &str, hits: &WordHits) -> Vec<TermMatch> {
        if hits.vocabulary != self.vocabulary.id {
            debug_assert!(false, "word hits of another vocabulary");
            return self.find(tokens, text);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(tokens, text, hits, i) {
                Some(m) => {
                    i = m.last + 1;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    fn longest_at(
        &self,
        tokens: &[Token],
        text: &str,
        hits: &WordHits,
        i: usize,
    ) -> Option<TermMatch> {
        let token = &tokens[i];
        let mut best: Option<(usize, usize, TermMatch)> = None;
        for &id in hits.of(i) {
            for &term in self.terms_starting_with(id) {
                let (words, payload) = &self.terms[term as usize];
                if !self.token_is(&words[0], hits, i, token, text) {
                    continue;
                }
                let Some(last) = self.rest_matches(words, tokens, text, hits, i) else {
                    continue;
                };
                let rank = (last - i, words[0].key.len());
                if best.as_ref().is_none_or(|(n, len, _)| rank > (*n, *len)) {
                    best = Some((
                        rank.0,
                        rank.1,
                        TermMatch {
                            payload: *payload,
                            first: i,
                            last,
                        },
                    ));
                }
            }
        }
        best.map(|(_, _, m)| m)
    }

    /// The index of the last token when words[1..] follow token `i` in one sentence,
    /// separated by spaces or hyphens only.
    fn rest_matches(
        &self,
        words: &[Word],
        tokens: &[Token],
        text: &str,
        hits: &WordHits,
        i: usize,
    ) -> Option<usize> {
        let mut prev = &tokens[i];
        for (k, word) in words.iter().enumerate().skip(1) {
            let next = tokens.get(i + k)?;
            let gap = &text[prev.end..next.start];
            if next.sentence != prev.sentence || !gap.chars().all(|c| c.is_whitespace() || c == '-')
            {
                return None;
            }
            if !self.token_is(word, hits, i + k, next, text) {
                return None;
            }
            prev = next;
        }
        Some(i + words.len() - 1)
    }
}

/// Walks the anchored automaton along a token key, yielding each word that ends at
/// the current byte and starts at the key's first byte.
struct PrefixWords<'k> {
    vocabulary: &'k Vocabulary,
    key: &'k [u8],
    /// `None` once no word continues.
    state: Option<aho_corasick::automaton::StateID>,
    /// Bytes consumed.
    depth: usize,
    /// Next match index of `state` to report.
    pending: usize,
}

impl Iterator for PrefixWords<'_> {
    type Item = (u32, usize);

    fn next(&mut self) -> Option<(u32, usize)> {
        let automaton = &self.vocabulary.automaton;
        loop {
            let sid = self.state?;
            if self.depth > 0 && automaton.is_match(sid) {
                while self.pending < automaton.match_len(sid) {
                    let pattern = automaton.match_pattern(sid, self.pending).as_usize();
                    self.pending += 1;
                    // A match state may also carry words that end here but start
                    // later in the key; only words that start it count.
                    if self.vocabulary.words[pattern].len() == self.depth {
                        return Some((pattern as u32, self.depth));
                    }
                }
            }
            let Some(&byte) = self.key.get(self.depth) else {
                self.state = None;
                return None;
            };
            let next = automaton.next_state(Anchored::Yes, sid, byte);
            self.state = (!automaton.is_dead(next)).then_some(next);
            self.depth += 1;
            self.pending = 0;
        }
    }
}

fn starts_with_capitals(word: &str) -> bool {
    word.chars().take(2).all(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::languages::{Armenian, Azerbaijani, English};
    use crate::prepare::normalize::tokens;

    fn matches(
        language: &dyn Language,
        suffixes: Suffixes,
        forms: &[&str],
        text: &str,
    ) -> Vec<(usize, String)> {
        let mut b = TermMatcherBuilder::new(language, suffixes);
        for (i, f) in forms.iter().enumerate() {
            b.add(f, i);
        }
        let m = b.build();
        let toks = tokens(language, text, std::slice::from_ref(&(0..text.len())));
        m.find(&toks, text)
            .into_iter()
            .map(|m| {
                (
                    m.payload,
                    text[toks[m.first].start..toks[m.last].end].to_string(),
                )
            })
            .collect()
    }

    fn az_suffixes() -> Suffixes {
        Suffixes::from_slots(&[
            &["lar", "ler"],
            &["i", "si", "ı", "sı"],
            &[
                "in", "nin", "ni", "da", "de", "dan", "den", "a", "e", "ya", "ye",
            ],
        ])
    }

    #[test]
    fn azerbaijani_inflected_and_without_diacritics() {
        let az = Azerbaijani::default();
        let forms = ["etnik təmizləmə", "təbliğat", "separatçı", "Qarabağ"];
        let text = "Etnik təmizləməsini, təbliğatı, separatçıların, Qarabagda və Qarabağdan; etnik temizleme.";
        assert_eq!(
            matches(&az, az_suffixes(), &forms, text),
            vec![
                (0, "Etnik təmizləməsini".to_string()),
                (1, "təbliğatı".into()),
                (2, "separatçıların".into()),
                (3, "Qarabagda".into()),
                (3, "Qarabağdan".into()),
                (0, "etnik temizleme".into()),
            ]
        );
    }

    #[test]
    fn look_alike_words_do_not_match() {
        let az = Azerbaijani::default();
        // "təbliğatçı" (propagandist) carries a derivational suffix not in the list.
        assert!(matches(&az, az_suffixes(), &["təbliğat"], "təbliğatçılar təbliğ").is_empty());
        let en = Suffixes::from_slots(&[&["s", "ed", "ing"], &["'s"]]);
        assert!(matches(
            &English,
            en.clone(),
            &["propaganda"],
            "propagandist propagandize"
        )
        .is_empty());
        assert_eq!(
            matches(&English, en, &["separatist"], "Separatists' separatist's")[0].1,
            "Separatists"
        );
    }

    #[test]
    fn armenian_inflection_ligature_and_emphasis() {
        let hy = Suffixes::from_slots(&[&["եր", "ներ"], &["ի", "ից", "ում", "ով"], &["ը", "ն"]]);
        let forms = ["էթնիկ զտում", "Արցախ", "Երևան"];
        let text = "էթնիկ զտումը Արցախում, Արցախից, Երեւանի, Երևա՛ն";
        let found: Vec<String> = matches(&Armenian, hy, &forms, text)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            found,
            vec!["էթնիկ զտումը", "Արցախում", "Արցախից", "Երեւանի", "Երևա՛ն"]
        );
    }

    #[test]
    fn hyphen_variants_longest_match_and_sentence_bounds() {
        let en = Suffixes::from_slots(&[&["s"]]);
        let forms = ["anti-terror measures", "terror", "measures"];
        let text = "anti-terror measures, antiterror measures and anti terror measures";
        let found: Vec<(usize, String)> = matches(&English, en.clone(), &forms, text);
        assert_eq!(
            found.iter().filter(|(p, _)| *p == 0).count(),
            3,
            "{found:?}"
        );
        let toks = {
            let t = "ethnic. cleansing";
            tokens(&English, t, &[0..7, 8..t.len()])
        };
        let mut b = TermMatcherBuilder::new(&English, en);
        b.add("ethnic cleansing", 0);
        assert!(b.build().find(&toks, "ethnic. cleansing").is_empty());
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let hy = Suffixes::from_slots(&[&["ի"]]);
        let found = matches(&Armenian, hy, &["ԵՄ"], "ԵՄ-ի որոշումը, ես եմ");
        assert_eq!(found, vec![(0, "ԵՄ-ի".to_string())]);
    }

    #[test]
    fn suffix_chains_follow_slot_order() {
        let s = Suffixes::from_slots(&[&["lar"], &["ı"], &["nın"]]);
        for ok in [
            "",
            "lar",
            "ı",
            "larının",
            "lar", /* plural only */
            "ının",
        ] {
            assert!(s.is_chain(ok), "{ok}");
        }
        for bad in ["nınlar", "ılar", "larlar", "x"] {
            assert!(!s.is_chain(bad), "{bad}");
        }
    }
}
