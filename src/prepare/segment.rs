//! Sentence and word segmentation: Unicode (UAX #29) boundaries from
//! `unicode-segmentation`, corrected by language rules: abbreviations that end with a
//! full stop (`lexicons/<lang>/abbreviations.txt`), initials, and Armenian colons.

use std::collections::HashSet;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::languages::Language;

/// Sentence rules for one language.
pub struct SentenceRules<'a> {
    /// Lowercased abbreviations including their final full stop.
    pub abbreviations: &'a HashSet<String>,
    pub language: Option<&'a dyn Language>,
}

/// Byte ranges of the sentences of `text`, trimmed, in order, never empty.
pub fn sentences(text: &str, rules: &SentenceRules) -> Vec<Range<usize>> {
    let mut pieces: Vec<Range<usize>> = Vec::new();
    for (start, piece) in text.split_sentence_bound_indices() {
        split_on_language_enders(start, piece, rules.language, &mut pieces);
    }
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
    let mut glue = false;
    for piece in pieces {
        let raw = &text[piece.clone()];
        match merged.last_mut() {
            Some(last) if glue => last.end = piece.end,
            _ => merged.push(piece),
        }
        // An abbreviation or initial at the end of a piece continues the sentence,
        // unless the piece also ends a line (titles, list items).
        glue = !raw.ends_with('\n') && ends_with_abbreviation(raw.trim_end(), rules.abbreviations);
    }
    merged
        .into_iter()
        .filter_map(|r| trim_range(text, r))
        .collect()
}

/// Splits after characters the language treats as sentence enders when followed by
/// whitespace, such as the ASCII colon Armenian sites type for `։`.
fn split_on_language_enders(
    start: usize,
    piece: &str,
    language: Option<&dyn Language>,
    out: &mut Vec<Range<usize>>,
) {
    let Some(language) = language else {
        out.push(start..start + piece.len());
        return;
    };
    let mut from = 0;
    // Each character before a whitespace character, found from the whitespace so that
    // every character is decoded once.
    let mut prev: Option<char> = None;
    for (after, next) in piece.char_indices() {
        let Some(c) = prev.replace(next) else {
            continue;
        };
        if !next.is_whitespace() {
            continue;
        }
        // UAX #29 keeps "killed. 100 people fled" together because a lowercase
        // letter follows the digits; a full stop before a number ends a sentence.
        let before_digits = matches!(c, '.' | '!' | '?')
            && piece[after..]
                .trim_start()
                .starts_with(|n: char| n.is_ascii_digit());
        if language.ends_sentence(c) || before_digits {
            out.push(start + from..start + after);
            from = after;
        }
    }
    if from < piece.len() {
        out.push(start + from..start + piece.len());
    }
}

fn ends_with_abbreviation(piece: &str, abbreviations: &HashSet<String>) -> bool {
    if !piece.ends_with('.') {
        return false;
    }
    let last = piece
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '«')
        .next()
        .unwrap_or("");
    if abbreviations.contains(&last.to_lowercase()) {
        return true;
    }
    // A single capital initial ("J. Smith"), not a one-letter word ending a sentence
    // like "... plan B."; keep it simple: an uppercase letter alone before the dot.
    let mut letters = last.trim_end_matches('.').chars();
    matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase())
}

fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    (start < end).then_some(start..end)
}

/// Word tokens: UAX #29 word segments that contain a letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(super::languages::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::super::languages::{Armenian, English};
    use super::*;

    fn split(text: &str, lang: &dyn Language, abbrevs: &[&str]) -> Vec<String> {
        let abbreviations: HashSet<String> = abbrevs.iter().map(|s| s.to_lowercase()).collect();
        let rules = SentenceRules {
            abbreviations: &abbreviations,
            language: Some(lang),
        };
        sentences(text, &rules)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    /// The split as it was written first: every character asks whether whitespace
    /// follows it.
    fn split_reference(start: usize, piece: &str, language: &dyn Language) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut from = 0;
        for (i, c) in piece.char_indices() {
            let after = i + c.len_utf8();
            let rest = &piece[after..];
            if !rest.starts_with(char::is_whitespace) {
                continue;
            }
            let before_digits = matches!(c, '.' | '!' | '?')
                && rest.trim_start().starts_with(|n: char| n.is_ascii_digit());
            if language.ends_sentence(c) || before_digits {
                out.push(start + from..start + after);
                from = after;
            }
        }
        if from < piece.len() {
            out.push(start + from..start + piece.len());
        }
        out
    }

    #[test]
    fn language_enders_split_as_before() {
        let pool: Vec<char> = "ab1 .!?:։\u{a0}\n\t\u{2003}Ա՞".chars().collect();
        let mut state = 5u64;
        for _ in 0..3000 {
            let n = (state % 16) as usize + 1;
            let piece: String = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    pool[(state >> 33) as usize % pool.len()]
                })
                .collect();
            for language in [&Armenian as &dyn Language, &English] {
                let mut ours = Vec::new();
                split_on_language_enders(7, &piece, Some(language), &mut ours);
                assert_eq!(ours, split_reference(7, &piece, language), "{piece:?}");
            }
        }
    }

    #[test]
    fn english_abbreviations_and_initials_do_not_end_sentences() {
        let text = "Exodus Sparks Claims\n\nMr. Marukyan met U.S. officials on Monday. Gen. J. Smith said \"No.\" The U.N. will visit.";
        assert_eq!(
            split(text, &English, &["Mr.", "U.S.", "Gen.", "U.N."]),
            vec![
                "Exodus Sparks Claims",
                "Mr. Marukyan met U.S. officials on Monday.",
                "Gen. J. Smith said \"No.\"",
                "The U.N. will visit."
            ]
        );
    }

    #[test]
    fn a_full_stop_before_digits_ends_the_sentence() {
        let text = "At least 200 were killed. 100 people fled on Sept. 25 and at No. 5 Main St.";
        assert_eq!(
            split(text, &English, &["Sept.", "No."]),
            vec![
                "At least 200 were killed.",
                "100 people fled on Sept. 25 and at No. 5 Main St."
            ]
        );
    }

    #[test]
    fn armenian_full_stop_colon_and_question_mark() {
        let text = "Ավելի քան 100 000 մարդ լքել է Արցախը։ Պրն. Մարուքյանը խոսել է ՄԱԿ-ում: Ինչո՞ւ է լռում աշխարհը։ Ժամը 10:30-ին";
        assert_eq!(
            split(text, &Armenian, &["պրն."]),
            vec![
                "Ավելի քան 100 000 մարդ լքել է Արցախը։",
                "Պրն. Մարուքյանը խոսել է ՄԱԿ-ում:",
                "Ինչո՞ւ է լռում աշխարհը։",
                "Ժամը 10:30-ին"
            ]
        );
    }

    #[test]
    fn words_skip_punctuation_and_keep_inflected_forms() {
        let w: Vec<&str> = words("Azərbaycanın «antiterror» tədbirləri, 100 000!")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(
            w,
            vec!["Azərbaycanın", "antiterror", "tədbirləri", "100", "000"]
        );
    }

    #[test]
    fn armenian_emphasis_marks_stay_inside_words() {
        let w: Vec<&str> = words("Ինչո՞ւ Երևա՛ն").map(|(_, w)| w).collect();
        assert_eq!(w, vec!["Ինչո՞ւ", "Երևա՛ն"]);
    }
}
