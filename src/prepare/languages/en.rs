//! English: Latin script, recognised by whatlang; default case folding.

use super::Language;

pub struct English;

impl Language for English {
    fn code(&self) -> &'static str {
        "en"
    }
}
