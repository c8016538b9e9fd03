//! How to add a language (this module is compiled but never registered).
//!
//! 1. Copy `lexicons/en/` to `lexicons/<code>/` and translate the files: frames,
//!    entities, suffixes, boilerplate, abbreviations, cues, numbers.
//! 2. Copy this file to `<code>.rs`, rename the type, and fill in what differs from
//!    the defaults: a script claim if the language has its own script or letters,
//!    sentence enders, and case folding if it is not the Unicode default. Add its
//!    ISO 639-1 code to `lexicons/langid.tsv` if lingua has a model for it.
//! 3. Add it to `all()` in `mod.rs`. Tests next to your module should show a sentence
//!    of the language detected, segmented and folded.

#![allow(dead_code)]

use super::{Language, LetterStats};

pub struct Dummy;

impl Language for Dummy {
    fn code(&self) -> &'static str {
        "xx"
    }

    fn claim(&self, stats: &LetterStats) -> Option<f32> {
        // e.g. Georgian would claim texts that are mostly Georgian letters.
        let _ = stats;
        None
    }
}
