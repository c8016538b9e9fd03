//! Azerbaijani: Latin with ə (or typed without diacritics, full of q and x), or
//! Cyrillic with letters Russian lacks. Turkic case folding: I→ı, İ→i.

use super::{Language, LetterStats};

pub struct Azerbaijani;

/// Schwas per Latin letter above which a text is Azerbaijani: ə is about 1 letter in 12
/// in Azerbaijani prose, so 1% leaves room for short texts and quoted names.
const SCHWA_SHARE: f32 = 0.01;
/// Share of Azerbaijani-only Cyrillic letters (ә alone is ~8% in Cyrillic Azerbaijani).
const AZ_CYRILLIC_SHARE: f32 = 0.02;
/// q and x per Latin letter that mark Azerbaijani typed without diacritics; native
/// Turkish has neither, Azerbaijani has about 1.5%.
const Q_X_SHARE: f32 = 0.005;

impl Language for Azerbaijani {
    fn code(&self) -> &'static str {
        "az"
    }

    fn claim(&self, stats: &LetterStats) -> Option<f32> {
        let latin = stats.share(stats.latin);
        if latin >= 0.5 && stats.schwa as f32 >= SCHWA_SHARE * stats.latin as f32 {
            return Some(latin);
        }
        let cyrillic = stats.share(stats.cyrillic);
        if cyrillic >= 0.5 && stats.az_cyrillic as f32 >= AZ_CYRILLIC_SHARE * stats.cyrillic as f32
        {
            return Some(cyrillic);
        }
        None
    }

    fn reclaim(&self, detected: &str, stats: &LetterStats) -> bool {
        matches!(detected, "tr" | "az" | "uz" | "tk")
            && stats.q_x as f32 >= Q_X_SHARE * stats.latin as f32
    }

    fn fold_char(&self, c: char, out: &mut String) {
        match c {
            'I' => out.push('ı'),
            'İ' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
}
