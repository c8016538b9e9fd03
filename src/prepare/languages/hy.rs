//! Armenian: recognised by its own script; the ASCII colon is a common stand-in for the
//! Armenian full stop `։`. Matching writes the ligature և as եւ and ignores the
//! emphasis, exclamation and question marks written inside words (՛ ՜ ՞) and the
//! apostrophe ՚.

use super::{Language, LetterStats};

pub struct Armenian;

impl Language for Armenian {
    fn code(&self) -> &'static str {
        "hy"
    }

    fn claim(&self, stats: &LetterStats) -> Option<f32> {
        let share = stats.share(stats.armenian);
        (share >= 0.5).then_some(share)
    }

    fn ends_sentence(&self, c: char) -> bool {
        c == ':' || c == '։'
    }

    fn fold_char(&self, c: char, out: &mut String) {
        match c {
            'և' => out.push_str("եւ"),
            '\u{055A}' | '\u{055B}' | '\u{055C}' | '\u{055E}' => {}
            _ => super::push_lowercase(c, out),
        }
    }
}
