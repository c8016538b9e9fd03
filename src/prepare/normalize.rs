//! Normalisation for matching: each language folds its text (case, Azerbaijani
//! diacritics and Cyrillic, Armenian ligatures and emphasis marks, apostrophe and hyphen
//! variants) into match keys, while every token keeps its byte range in the original
//! text. The offset bookkeeping is `tokenizers`' `NormalizedString`, whose alignments
//! map any range of the folded string back to the original.

use std::ops::Range;

use tokenizers::tokenizer::normalizer::Range as NRange;
use tokenizers::NormalizedString;
use unicode_segmentation::UnicodeSegmentation;

use super::languages::Language;

/// A word of the document as the extractors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in `Document::text`, the word as written (suffixes included).
    pub start: usize,
    pub end: usize,
    /// Folded form with hyphens removed: `anti-terror` and `antiterror` both give
    /// `antiterror`, `ՄԱԿ-ի` gives `մակի`, `Azərbaycanın` gives `azerbaycanin`.
    pub key: String,
    /// Index of the sentence holding the token.
    pub sentence: usize,
}

/// Folds every character of `text` the way `language` does, plus the variants all
/// languages share (apostrophes, hyphens).
fn fold_char(language: &dyn Language, c: char, out: &mut String) {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{0060}' | '\u{00B4}' => out.push('\''),
        '\u{2010}' | '\u{2011}' => out.push('-'),
        _ => language.fold_char(c, out),
    }
}

/// The folded form of a whole string (lexicon forms, cue words).
pub fn fold(language: &dyn Language, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(language, c, &mut out);
    }
    out
}

/// Folds `text` keeping alignments to the original.
fn fold_aligned(language: &dyn Language, text: &str) -> NormalizedString {
    let mut normalized = NormalizedString::from(text);
    let mut changes: Vec<(char, isize)> = Vec::with_capacity(text.len());
    let mut removed_at_start = 0usize;
    let mut buf = String::with_capacity(8);
    for c in text.chars() {
        buf.clear();
        fold_char(language, c, &mut buf);
        let mut chars = buf.chars();
        match chars.next() {
            // A removed character is recorded on the char before it.
            None => match changes.last_mut() {
                Some(last) => last.1 -= 1,
                None => removed_at_start += 1,
            },
            Some(first) => {
                changes.push((first, 0));
                changes.extend(chars.map(|extra| (extra, 1)));
            }
        }
    }
    normalized.transform(changes, removed_at_start);
    normalized
}

/// Word keys of a lexicon form, folded and split the way document tokens are.
pub fn form_keys(language: &dyn Language, form: &str) -> Vec<String> {
    let folded = fold(language, form);
    words(&folded).into_iter().map(|(_, key)| key).collect()
}

/// Tokens of the folded string: UAX #29 words with a letter or digit, where words
/// joined by a single hyphen (or an apostrophe UAX #29 split) become one token.
/// Returns byte ranges in `folded` and keys.
fn words(folded: &str) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    let mut glue_next = false;
    for (start, word) in folded.split_word_bound_indices() {
        let end = start + word.len();
        if word.chars().any(char::is_alphanumeric) {
            match out.last_mut() {
                Some((range, key)) if glue_next && range.end + 1 == start => {
                    range.end = end;
                    key.push_str(word);
                }
                _ => out.push((start..end, word.to_string())),
            }
            glue_next = false;
        } else {
            glue_next = word == "-" && out.last().is_some_and(|(r, _)| r.end == start);
        }
    }
    out
}

/// Tokens of a document's text with original offsets and sentence indices.
pub fn tokens(language: &dyn Language, text: &str, sentences: &[Range<usize>]) -> Vec<Token> {
    let normalized = fold_aligned(language, text);
    let mut sentence = 0usize;
    words(normalized.get())
        .into_iter()
        .filter_map(|(range, key)| {
            let original = normalized.convert_offsets(NRange::Normalized(range))?;
            while sentence + 1 < sentences.len() && sentences[sentence].end <= original.start {
                sentence += 1;
            }
            Some(Token {
                start: original.start,
                end: original.end,
                key,
                sentence,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::languages::{Armenian, Azerbaijani, English};
    use super::*;

    fn keys(language: &dyn Language, text: &str) -> Vec<(String, String)> {
        tokens(language, text, std::slice::from_ref(&(0..text.len())))
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.key))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn azerbaijani_turkic_case_diacritics_and_cyrillic() {
        let az = Azerbaijani::with_cyrillic([
            ('Х', "X"),
            ('а', "a"),
            ('н', "n"),
            ('к', "k"),
            ('ә', "ə"),
            ('д', "d"),
            ('и', "i"),
            ('ј', "y"),
            ('я', "ya"),
        ]);
        assert_eq!(
            keys(&az, "İLHAM Əliyev Xankəndiyə, Ханкәнди"),
            pairs(&[
                ("İLHAM", "ilham"),
                ("Əliyev", "eliyev"),
                ("Xankəndiyə", "xankendiye"),
                ("Ханкәнди", "xankendi")
            ])
        );
        assert_eq!(keys(&az, "ISRAIL")[0].1, "israil");
    }

    #[test]
    fn armenian_ligature_emphasis_and_hyphenated_suffixes() {
        assert_eq!(
            keys(&Armenian, "Երևան Երեւա՛ն ՄԱԿ-ի"),
            pairs(&[
                ("Երևան", "երեւան"),
                ("Երեւա՛ն", "երեւան"),
                ("ՄԱԿ-ի", "մակի")
            ])
        );
    }

    #[test]
    fn english_hyphen_and_apostrophe_variants() {
        assert_eq!(
            keys(&English, "Anti-terror anti‑terror Karabakh’s  - dash"),
            pairs(&[
                ("Anti-terror", "antiterror"),
                ("anti‑terror", "antiterror"),
                ("Karabakh’s", "karabakh's"),
                ("dash", "dash")
            ])
        );
        assert_eq!(
            form_keys(&English, "anti-terror measures"),
            vec!["antiterror", "measures"]
        );
    }

    #[test]
    fn offsets_survive_removed_and_expanded_characters() {
        // The emphasis mark is removed and և expands to two characters before "ՄԱԿ".
        let text = "՛Ինչո՞ւ և ՄԱԿ";
        let t = tokens(&Armenian, text, std::slice::from_ref(&(0..text.len())));
        let surfaces: Vec<&str> = t.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(surfaces, vec!["Ինչո՞ւ", "և", "ՄԱԿ"]);
    }
}
