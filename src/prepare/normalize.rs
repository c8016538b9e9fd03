//! Normalisation for matching: each language folds its text (case, Azerbaijani
//! diacritics and Cyrillic, Armenian ligatures and emphasis marks, apostrophe and hyphen
//! variants) into match keys, while every token keeps its byte range in the original
//! text. The offset bookkeeping is `tokenizers`' `NormalizedString`, whose alignments
//! map any range of the folded string back to the original.

use std::ops::Range;

use tokenizers::tokenizer::normalizer::Range as NRange;
use tokenizers::NormalizedString;
use unicode_segmentation::UnicodeSegmentation;

use super::languages::{is_alphanumeric, Language};

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
        // UAX #29 glues U+202F NARROW NO-BREAK SPACE to letters and digits (it groups
        // thousands inside a number), also at a word's edge: trimmed there, so that a
        // token never reaches past its sentence, whose ends are trimmed of whitespace.
        let start = start + (word.len() - word.trim_start().len());
        let word = word.trim();
        let end = start + word.len();
        if word.chars().any(is_alphanumeric) {
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

/// Tokens of a document's text with original offsets and sentence indices. A token
/// lies inside its sentence.
pub fn tokens(language: &dyn Language, text: &str, sentences: &[Range<usize>]) -> Vec<Token> {
    let normalized = fold_aligned(language, text);
    let mut out = Vec::new();
    let mut sentence = 0usize;
    for (range, key) in words(normalized.get()) {
        let Some(original) = normalized.convert_offsets(NRange::Normalized(range)) else {
            continue;
        };
        while sentence + 1 < sentences.len() && sentences[sentence].end <= original.start {
            sentence += 1;
        }
        match sentences.get(sentence) {
            // UAX #29 words and sentences disagree now and then (`𞟭.ᐁOfficials` is one
            // word across a sentence end): such a word is read again sentence by
            // sentence.
            Some(s) if original.end > s.end => {
                sentence =
                    split_at_sentences(language, text, sentences, original, sentence, &mut out);
            }
            _ => out.push(Token {
                start: original.start,
                end: original.end,
                key,
                sentence,
            }),
        }
    }
    out
}

/// Tokens of the parts of `word` inside each sentence from `first` on; returns the
/// sentence of the last part.
fn split_at_sentences(
    language: &dyn Language,
    text: &str,
    sentences: &[Range<usize>],
    word: Range<usize>,
    first: usize,
    out: &mut Vec<Token>,
) -> usize {
    let mut sentence = first;
    for (k, s) in sentences.iter().enumerate().skip(first) {
        if s.start >= word.end {
            break;
        }
        sentence = k;
        let part = word.start.max(s.start)..word.end.min(s.end);
        if part.is_empty() {
            continue;
        }
        let normalized = fold_aligned(language, &text[part.clone()]);
        for (range, key) in words(normalized.get()) {
            if let Some(r) = normalized.convert_offsets(NRange::Normalized(range)) {
                out.push(Token {
                    start: part.start + r.start,
                    end: part.start + r.end,
                    key,
                    sentence: k,
                });
            }
        }
    }
    sentence
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
    fn a_narrow_space_at_a_word_edge_is_not_part_of_the_token() {
        let text = "\u{202f}Azərbaycan 1\u{202f}250 dedi\u{202f}";
        let tokens: Vec<&str> = tokens(&English, text, std::slice::from_ref(&(3..text.len() - 3)))
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(tokens, ["Azərbaycan", "1\u{202f}250", "dedi"]);
    }

    #[test]
    fn a_word_across_a_sentence_end_is_split_there() {
        // UAX #29 reads `fled.Officials` as one word; the sentences end after the stop.
        let text = "People fled.Officials said so.";
        let tokens = tokens(&English, text, &[0..12, 12..text.len()]);
        let parts: Vec<(&str, &str, usize)> = tokens
            .iter()
            .map(|t| (&text[t.start..t.end], t.key.as_str(), t.sentence))
            .collect();
        assert_eq!(
            parts,
            [
                ("People", "people", 0),
                ("fled", "fled", 0),
                ("Officials", "officials", 1),
                ("said", "said", 1),
                ("so", "so", 1)
            ]
        );
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
