//! Armenian: recognised by its own script; the ASCII colon is a common stand-in for the
//! Armenian full stop `։`.

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
}
