//! Cleaning: Unicode NFC, whitespace, invisible characters, and scraped boilerplate
//! lines (comment forms, share buttons, cookie notices) listed in
//! `lexicons/<lang>/boilerplate.tsv`.

use std::collections::HashSet;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::lexicon::{LexiconError, LexiconSet};

/// Boilerplate rules of every language: a scraped page often carries an English
/// comment form under an Armenian article, so all lists apply to all text.
#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    lines: HashSet<String>,
    prefixes: Vec<String>,
    trailers: HashSet<String>,
    /// Characters of the longest pattern of any kind.
    longest: usize,
}

impl Boilerplate {
    pub fn load(lexicons: &LexiconSet) -> Result<Self, LexiconError> {
        let mut bp = Boilerplate::default();
        for lang in lexicons.languages() {
            let file = format!("{lang}/boilerplate.tsv");
            for row in lexicons.tsv(&file, &["kind", "pattern"], 2)? {
                let key = line_key(row.get(1));
                if key.is_empty() {
                    return Err(row.error("pattern is only punctuation"));
                }
                match row.get(0) {
                    "line" => {
                        bp.lines.insert(key);
                    }
                    "prefix" => bp.prefixes.push(key),
                    "trailer" => {
                        bp.trailers.insert(key);
                    }
                    other => {
                        return Err(row.error(format!(
                            "kind `{other}` is not one of line, prefix, trailer"
                        )))
                    }
                }
            }
        }
        bp.prefixes.sort();
        bp.prefixes.dedup();
        bp.longest = longest(&bp.lines, &bp.prefixes, &bp.trailers);
        Ok(bp)
    }

    fn verdict(&self, line: &str) -> LineVerdict {
        let trimmed = trim_for_key(line);
        // A line longer than every pattern equals none, and only its head can start
        // with a prefix: lowercasing maps each character to one or more on its own
        // (final sigma aside, which looks at what follows), so the head's lowercase
        // starts the line's. Most lines are paragraphs; this spares lowercasing them.
        let head_end = trimmed
            .char_indices()
            .nth(self.longest)
            .map_or(trimmed.len(), |(i, _)| i);
        if head_end < trimmed.len() && !trimmed[..head_end].contains('Σ') {
            let head = trimmed[..head_end].to_lowercase();
            return if self.prefixes.iter().any(|p| head.starts_with(p.as_str())) {
                LineVerdict::Drop
            } else {
                LineVerdict::Keep
            };
        }
        let key = trimmed.to_lowercase();
        if self.trailers.contains(&key) {
            LineVerdict::EndOfArticle
        } else if self.lines.contains(&key)
            || self.prefixes.iter().any(|p| key.starts_with(p.as_str()))
        {
            LineVerdict::Drop
        } else {
            LineVerdict::Keep
        }
    }
}

enum LineVerdict {
    Keep,
    Drop,
    EndOfArticle,
}

/// How a line is compared with patterns: lowercase, without surrounding punctuation
/// and spaces, so "Please enter your comment!" equals "please enter your comment".
fn line_key(line: &str) -> String {
    trim_for_key(line).to_lowercase()
}

fn trim_for_key(line: &str) -> &str {
    line.trim_matches(|c: char| {
        c.is_whitespace() || (c.is_ascii_punctuation() && c != '%') || "։՝«»“”„…".contains(c)
    })
}

fn longest(lines: &HashSet<String>, prefixes: &[String], trailers: &HashSet<String>) -> usize {
    lines
        .iter()
        .chain(prefixes)
        .chain(trailers)
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0)
}

/// Characters that carry no text: zero-width spaces and joiners' misuse, BOMs, soft
/// hyphens. (ZWJ/ZWNJ are kept: they matter in some scripts.)
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}')
}

/// Spaces folded to one ASCII space. No-break and thin spaces are kept: they separate
/// digit groups in Armenian and Azerbaijani numbers ("100 000").
fn is_foldable_space(c: char) -> bool {
    c == ' '
        || c == '\t'
        || c == '\u{3000}'
        || ('\u{2000}'..='\u{2008}').contains(&c)
        || c == '\u{205F}'
}

/// NFC-normalises and cleans one line: control and invisible characters removed,
/// runs of spaces folded, ends trimmed.
pub fn clean_line(line: &str) -> String {
    if is_clean(line) {
        return line.to_string();
    }
    clean_chars(line)
}

/// [`clean_line`] character by character, whatever the line holds.
fn clean_chars(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if is_invisible(c) || (c.is_control() && c != '\t') {
            continue;
        }
        if is_foldable_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Characters that are NFC whatever surrounds them (a starter that no normalisation
/// changes or composes with what precedes): ASCII, Latin up to the combining marks,
/// Cyrillic letters, Armenian, and general punctuation. Checked against
/// `unicode-normalization` by a test; a text of only these needs no look-ups.
fn always_nfc(c: char) -> bool {
    c < '\u{300}'
        || ('\u{400}'..='\u{482}').contains(&c)
        || ('\u{531}'..='\u{58A}').contains(&c)
        || ('\u{2010}'..='\u{2027}').contains(&c)
}

/// Whether `clean_line` leaves `line` as it is: no control, invisible or foldable
/// space character, no space at either end or after another. Read byte by byte (UTF-8
/// lead bytes name the characters to look at) because most lines are clean.
fn is_clean(line: &str) -> bool {
    let b = line.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    // A lead byte is followed by its continuation bytes in a `str`, so `i + 1` and
    // `i + 2` are in bounds where they are read.
    for (i, &byte) in b.iter().enumerate() {
        let dirty = match byte {
            // C0 controls (the tab is a foldable space), DEL.
            0..=0x1F | 0x7F => true,
            b' ' => b.get(i + 1) == Some(&b' '),
            // C1 controls U+0080–U+009F, soft hyphen U+00AD.
            0xC2 => matches!(b[i + 1], 0x80..=0x9F | 0xAD),
            // U+2000–U+200B spaces and zero-width space, U+205F, U+2060.
            0xE2 => matches!(
                (b[i + 1], b[i + 2]),
                (0x80, 0x80..=0x8B) | (0x81, 0x9F | 0xA0)
            ),
            // U+3000 ideographic space.
            0xE3 => (b[i + 1], b[i + 2]) == (0x80, 0x80),
            // U+FEFF byte order mark.
            0xEF => (b[i + 1], b[i + 2]) == (0xBB, 0xBF),
            _ => false,
        };
        if dirty {
            return false;
        }
    }
    true
}

fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    // Bytes below 0xCC are ASCII, continuation bytes and lead bytes of U+0080–U+02FF:
    // the byte test settles Latin text without decoding it.
    if text.bytes().all(|b| b < 0xCC) || text.chars().all(always_nfc) {
        return std::borrow::Cow::Borrowed(text);
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect()),
    }
}

/// A title: one line, NFC, spaces folded.
pub fn clean_title(raw: &str) -> String {
    let text = nfc(raw);
    let joined: Vec<String> = text
        .lines()
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect();
    joined.join(" ")
}

/// A body: paragraphs separated by one blank line, lines inside a paragraph kept,
/// boilerplate lines dropped, and everything from a trailer line (a comment form)
/// on removed.
pub fn clean_body(raw: &str, boilerplate: &Boilerplate) -> String {
    let text = nfc(raw);
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for raw_line in text.lines() {
        let line = clean_line(raw_line);
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        match boilerplate.verdict(&line) {
            LineVerdict::EndOfArticle => break,
            LineVerdict::Drop => continue,
            LineVerdict::Keep => {}
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Boilerplate {
        let lines: HashSet<String> = ["please enter your name here", "share this article"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let prefixes = vec!["we use cookies".into()];
        let trailers: HashSet<String> = ["please enter your comment"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        Boilerplate {
            longest: longest(&lines, &prefixes, &trailers),
            lines,
            prefixes,
            trailers,
        }
    }

    /// The verdict from the whole line's key, as before the shortcut for long lines.
    fn verdict_of_whole_key(bp: &Boilerplate, line: &str) -> u8 {
        let key = line_key(line);
        if bp.trailers.contains(&key) {
            2
        } else if bp.lines.contains(&key) || bp.prefixes.iter().any(|p| key.starts_with(p.as_str()))
        {
            1
        } else {
            0
        }
    }

    #[test]
    fn long_lines_get_the_verdict_of_their_whole_key() {
        let verdict = |bp: &Boilerplate, line: &str| match bp.verdict(line) {
            LineVerdict::Keep => 0,
            LineVerdict::Drop => 1,
            LineVerdict::EndOfArticle => 2,
        };
        let bundled = Boilerplate::load(&LexiconSet::bundled()).unwrap();
        let mut lines: Vec<String> = Vec::new();
        for bp in [&rules(), &bundled] {
            for pattern in bp.lines.iter().chain(&bp.prefixes).chain(&bp.trailers) {
                let upper = pattern.to_uppercase();
                for line in [pattern.clone(), upper.clone()] {
                    lines.push(format!("{line}!"));
                    lines.push(format!("« {line} »"));
                    lines.push(format!("{line} and then some more words after it"));
                    lines.push(format!("x{line}"));
                    lines.push(line.chars().skip(1).collect());
                }
            }
        }
        // Lowercasing that lengthens (İ) or looks ahead (final Σ), long and short.
        for line in [
            "İİİİ WE USE COOKIES",
            "ΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣΣ ΟΔΟΣ",
            "We use cookiesΣ",
        ] {
            lines.push(line.repeat(3));
            lines.push(line.to_string());
        }
        for bp in [&rules(), &bundled] {
            for line in &lines {
                assert_eq!(verdict(bp, line), verdict_of_whole_key(bp, line), "{line}");
            }
        }
    }

    #[test]
    fn lines_read_as_clean_are_left_as_they_are() {
        // The slow path alone: what `clean_line` gave before the shortcut.
        let slow = clean_chars;
        let mut clean = 0;
        for c in (0..0x11000u32)
            .chain([0xFEFF, 0xE0001])
            .filter_map(char::from_u32)
        {
            for line in [
                format!("a{c}b"),
                format!("{c}"),
                format!("a {c}"),
                format!("{c} b"),
            ] {
                assert_eq!(clean_line(&line), slow(&line), "{c:?}");
                if is_clean(&line) {
                    assert_eq!(slow(&line), line, "{c:?}");
                    clean += 1;
                }
            }
        }
        assert!(clean > 200_000, "{clean}");
        for line in [" a", "a ", "a  b", "a \u{a0} b", "a\u{2009}b", "", " "] {
            assert_eq!(clean_line(line), slow(line), "{line:?}");
        }
    }

    #[test]
    fn always_nfc_characters_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..0x3000u32)
            .filter_map(char::from_u32)
            .filter(|&c| always_nfc(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert!(
                matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes),
                "{c:?}"
            );
            // Nothing composes with it as the second character.
            for first in ['a', 'e', 'A', 'ə', 'и', 'Ե', 'ւ', '\u{300}'] {
                let pair: String = [first, c].into_iter().collect();
                assert_eq!(pair.nfc().collect::<String>(), pair, "{first:?} {c:?}");
            }
        }
    }

    #[test]
    fn comment_form_trailer_and_share_lines_are_removed() {
        let raw = "First  para\u{200B}graph.\r\n\r\n\r\nShare this article\n\nSecond.\n\n\nPlease enter your comment!\nPlease enter your name here";
        assert_eq!(clean_body(raw, &rules()), "First paragraph.\n\nSecond.");
    }

    #[test]
    fn prefix_rules_drop_cookie_notices_only() {
        let raw = "We use cookies to improve your experience. Accept\nWe used to live there.";
        assert_eq!(clean_body(raw, &rules()), "We used to live there.");
    }

    #[test]
    fn nfc_and_no_break_spaces() {
        // "e" + combining acute becomes "é"; the no-break space in 100 000 stays.
        let raw = "Cafe\u{301}  \t served 100\u{a0}000 meals";
        assert_eq!(
            clean_body(raw, &rules()),
            "Caf\u{e9} served 100\u{a0}000 meals"
        );
    }

    #[test]
    fn title_is_one_line() {
        assert_eq!(clean_title("  Mass\n Exodus  "), "Mass Exodus");
    }

    #[test]
    fn bundled_boilerplate_loads_and_knows_the_comment_form() {
        let bp = Boilerplate::load(&LexiconSet::bundled()).unwrap();
        assert!(matches!(
            bp.verdict("Please enter your comment!"),
            LineVerdict::EndOfArticle
        ));
    }
}
