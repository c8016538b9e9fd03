//! English: Latin script, recognised by lingua (and whatlang's fast path on long
//! texts); default case folding.

use super::Language;

pub struct English;

impl Language for English {
    fn code(&self) -> &'static str {
        "en"
    }
}
