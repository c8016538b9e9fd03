//! Word-level tests on the tokens: cue kinds, capitals, case endings, adjacency.

use std::ops::Range;

use super::{Cue, DocContext};

impl DocContext<'_> {
    /// Whether a case ending written apart follows the name ending at `token`:
    /// az `MKİ -nin` (the genitive of MKİ), one of the language's name endings.
    pub(super) fn detached_ending(&self, token: usize) -> bool {
        let next = token + 1;
        if !self.in_sentence_of(token, next) {
            return false;
        }
        let gap = &self.doc.text[self.doc.tokens[token].end..self.doc.tokens[next].start];
        let key = &self.doc.tokens[next].key;
        gap.trim() == "-"
            && self
                .cues
                .name_endings
                .iter()
                .any(|(_, e)| e.trim_start_matches('-') == key)
    }

    pub(super) fn is_pronoun(&self, token: usize) -> bool {
        self.cues.pronouns.contains(&self.doc.tokens[token].key)
    }

    /// A word with a surname ending, its own endings aside: `Սարգսյանը`, `Əliyevin`.
    pub(super) fn surname_like(&self, token: usize) -> bool {
        let key = &self.doc.tokens[token].key;
        self.cues.surname_suffixes.iter().any(|s| {
            key.char_indices()
                .skip(2)
                .any(|(b, _)| key[b..].starts_with(s.as_str()) && key.len() - b <= s.len() + 4)
        })
    }

    /// Whether `token` is any word of a cue ("է" of "հայտնել է", not only its first).
    pub(super) fn in_cue(&self, token: usize) -> bool {
        const LONGEST_CUE: usize = 4;
        (token.saturating_sub(LONGEST_CUE)..=token)
            .any(|j| self.cue_at.get(&j).is_some_and(|&(_, last)| last >= token))
    }

    pub(super) fn cue_kind(&self, token: usize) -> Option<Cue> {
        self.cue_at.get(&token).map(|&(c, _)| c)
    }

    /// Whether the word `token` ends in a case ending no subject takes.
    pub(super) fn oblique(&self, token: usize) -> bool {
        self.oblique_with_stem(token, 3)
    }

    /// `oblique` with stems of at least `stem` letters (short words like `էջում` count
    /// when only skipped over, never when a name could be misread).
    pub(super) fn oblique_with_stem(&self, token: usize, stem: usize) -> bool {
        let t = &self.doc.tokens[token];
        let (key, written) = (&t.key, &self.doc.text[t.start..t.end]);
        self.cues.oblique_endings.iter().any(|(hyphen, e)| {
            let long = key.chars().count() >= e.chars().count() + stem;
            if *hyphen {
                let stem = written.len().saturating_sub(e.len() + 1);
                long && written.is_char_boundary(stem) && fold_ends_with(&written[stem..], e)
            } else {
                long && key.ends_with(e.as_str())
            }
        })
    }

    pub(crate) fn capitalised(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        self.doc.text[t.start..t.end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    pub(crate) fn name_like(&self, token: usize) -> bool {
        self.capitalised(token) && !self.cues.not_names.contains(&self.doc.tokens[token].key)
    }

    pub(crate) fn adjacent(&self, a: usize, b: usize) -> bool {
        let (ta, tb) = (&self.doc.tokens[a], &self.doc.tokens[b]);
        let gap = &self.doc.text[ta.end..tb.start];
        ta.sentence == tb.sentence
            && (gap
                .chars()
                .all(|c| c.is_whitespace() || c == '(' || c == ')')
                || gap == "&")
    }

    pub(crate) fn is_connector(&self, token: usize) -> bool {
        self.cues
            .name_connectors
            .contains(&self.doc.tokens[token].key)
    }

    /// The run of capitalised tokens around `at`, with connectors like "of" inside
    /// ("Ministry of Defence"), as token indices.
    pub(super) fn name_run(&self, at: usize) -> Range<usize> {
        let (mut start, mut end) = (at, at + 1);
        loop {
            if start > 0 && self.adjacent(start - 1, start) && self.capitalised(start - 1) {
                start -= 1;
            } else if start > 1
                && self.adjacent(start - 2, start - 1)
                && self.adjacent(start - 1, start)
                && self.is_connector(start - 1)
                && self.capitalised(start - 2)
            {
                start -= 2;
            } else {
                break;
            }
        }
        while end < self.doc.tokens.len() && self.adjacent(end - 1, end) {
            if self.capitalised(end) {
                end += 1;
            } else if self.is_connector(end)
                && end + 1 < self.doc.tokens.len()
                && self.adjacent(end, end + 1)
                && self.capitalised(end + 1)
            {
                end += 2;
            } else {
                break;
            }
        }
        start..end
    }

    /// Widens a name to the noun phrase it ends, when that phrase starts the sentence:
    /// "The human rights defender of Artsakh" → "human rights defender of Artsakh".
    pub(super) fn phrase_start(&self, run_start: usize) -> usize {
        let sentence = self.doc.tokens[run_start].sentence;
        let mut i = run_start;
        while i > 0
            && run_start - i < 5
            && self.doc.tokens[i - 1].sentence == sentence
            && self.adjacent(i - 1, i)
        {
            i -= 1;
        }
        let at_sentence_start = i == 0 || self.doc.tokens[i - 1].sentence != sentence;
        if i < run_start && at_sentence_start && self.is_sentence_initial_word(i, i + 1) {
            i + 1
        } else {
            run_start
        }
    }

    /// The text of tokens `first..=last`, with a closing parenthesis the span opened:
    /// "United Nations refugee agency (UNHCR)".
    pub(super) fn span_text(&self, first: usize, last: usize) -> String {
        let t = &self.doc.tokens;
        let mut end = t[last].end;
        let text = &self.doc.text[t[first].start..end];
        if text.matches('(').count() > text.matches(')').count()
            && self.doc.text[end..].starts_with(')')
        {
            end += 1;
        }
        self.doc.text[t[first].start..end].to_string()
    }

    pub(super) fn in_sentence_of(&self, anchor: usize, i: usize) -> bool {
        let sentence = self.doc.tokens[anchor].sentence;
        self.doc
            .tokens
            .get(i)
            .is_some_and(|t| t.sentence == sentence)
    }

    pub(super) fn starts_sentence(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        let sentence_start = self.doc.sentences.get(t.sentence).map_or(0, |s| s.start);
        self.doc.text[sentence_start..t.start]
            .chars()
            .all(|c| !c.is_alphanumeric())
    }

    /// An acronym such as `UNHCR` or `ՄԱԿ-ը` (the ending aside): a name wherever it stands.
    pub(super) fn written_in_capitals(&self, token: usize) -> bool {
        let t = &self.doc.tokens[token];
        let word = self.doc.text[t.start..t.end]
            .split(['-', '\'', '\u{2019}'])
            .next()
            .unwrap_or("");
        let letters = word.chars().filter(|c| c.is_alphabetic());
        letters.clone().count() >= 2 && letters.clone().all(char::is_uppercase)
    }

    /// A one-word run at a sentence start with no sign of being a name: a function
    /// word, or a word the document never capitalises elsewhere ("Officials", "Əslində").
    /// Inflected forms count as the same word when one key begins the other.
    pub(crate) fn is_sentence_initial_word(&self, start: usize, end: usize) -> bool {
        if end - start != 1 || !self.starts_sentence(start) {
            return false;
        }
        let key = &self.doc.tokens[start].key;
        if self.cues.not_names.contains(key) {
            return true;
        }
        if self.written_in_capitals(start) {
            return false;
        }
        let stem = |k: &str| k.chars().count() >= 4;
        !self.capitalised_inside.iter().any(|k| {
            (k.starts_with(key.as_str()) && stem(key))
                || (key.starts_with(k.as_str()) && stem(k))
                || k == key
        })
    }
}

/// Whether `written` is a hyphen (any dash) then `ending` in any case.
fn fold_ends_with(written: &str, ending: &str) -> bool {
    let mut chars = written.chars();
    matches!(chars.next(), Some('-' | '‐' | '‑'))
        && chars.flat_map(char::to_lowercase).eq(ending.chars())
}
